"""Invoices, payments and whole receivables ledgers for tests.

`receivables_ledgers` draws a consistent `Receivables`: invoices of a few customers and
owners, payments with and without explicit allocations, credit notes and write-offs,
none of them applying more to an invoice than it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st

from keyaccount.finance import (
    Allocation,
    CreditNote,
    Invoice,
    Payment,
    PaymentTerms,
    Receivables,
    WriteOff,
)
from keyaccount.money import Money

__all__ = ["invoices", "payment_terms", "payments", "receivables_ledgers"]

_CUSTOMERS = ("c1", "c2", "c3")
_OWNERS = ("zhang", "li", None)
_START = dt.date(2025, 1, 1)
T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[T]], T]


def _cents(max_cents: int) -> st.SearchStrategy[Money]:
    return st.integers(0, max_cents).map(lambda c: Money(Decimal(c).scaleb(-2)))


def _days() -> st.SearchStrategy[dt.date]:
    return st.integers(0, 540).map(lambda n: _START + dt.timedelta(days=n))


def payment_terms() -> st.SearchStrategy[PaymentTerms]:
    """Net and month-end terms (``net 0`` to ``net 120``, ``月结0天`` to ``月结120天``)."""
    return st.builds(PaymentTerms, st.integers(0, 120), month_end=st.booleans())


def invoices(
    customers: tuple[str, ...] = _CUSTOMERS, owners: tuple[str | None, ...] = _OWNERS
) -> st.SearchStrategy[Invoice]:
    """Single invoices of the given customers and owners, in CNY, in 2025-2026."""
    return st.builds(
        Invoice,
        id=st.from_regex(r"INV-[0-9]{1,4}", fullmatch=True),
        customer_id=st.sampled_from(customers),
        amount=_cents(5_000_000),
        issued_on=_days(),
        terms=payment_terms(),
        owner=st.sampled_from(owners),
    )


def payments(customers: tuple[str, ...] = _CUSTOMERS) -> st.SearchStrategy[Payment]:
    """Single payments without allocations (applied oldest due first), in CNY."""
    return st.builds(
        Payment,
        id=st.from_regex(r"P-[0-9]{1,4}", fullmatch=True),
        customer_id=st.sampled_from(customers),
        amount=_cents(5_000_000),
        received_on=_days(),
    )


def _share(draw: Any, left: Decimal) -> Decimal:
    """Up to ``left``, in cents: sometimes all of it, sometimes nothing."""
    cents = int(left * 100)
    return Decimal(draw(st.integers(0, cents))).scaleb(-2)


@st.composite
def receivables_ledgers(
    draw: Any,
    *,
    max_invoices: int = 8,
    max_payments: int = 8,
    customers: tuple[str, ...] = _CUSTOMERS,
) -> Receivables:
    """Consistent ledgers: every allocation, credit note and write-off within its invoice."""
    count = draw(st.integers(0, max_invoices))
    drawn = [draw(invoices(customers)) for _ in range(count)]
    bills = [
        Invoice(
            f"INV-{i}",
            b.customer_id,
            b.amount,
            b.issued_on,
            b.terms,
            owner=b.owner,
            contract=draw(st.none() | st.just(f"HT-{i % 3}")),
        )
        for i, b in enumerate(drawn)
    ]
    left = {b.id: b.amount.amount for b in bills}
    paid: list[Payment] = []
    for j in range(draw(st.integers(0, max_payments))):
        customer = draw(st.sampled_from(customers))
        mine = [b for b in bills if b.customer_id == customer]
        chosen = (
            draw(st.lists(st.sampled_from(mine), unique_by=lambda b: b.id, max_size=3))
            if mine and draw(st.booleans())
            else []
        )
        allocations = []
        for bill in chosen:
            amount = _share(draw, left[bill.id])
            left[bill.id] -= amount
            allocations.append(Allocation(bill.id, Money(amount)))
        floor = sum((a.amount.amount for a in allocations), Decimal(0))
        extra = Decimal(draw(st.integers(0, 3_000_000))).scaleb(-2)
        paid.append(
            Payment(f"P-{j}", customer, Money(floor + extra), draw(_days()), tuple(allocations))
        )
    notes: list[CreditNote] = []
    offs: list[WriteOff] = []
    for k, bill in enumerate(bills):
        if draw(st.booleans()):
            amount = _share(draw, left[bill.id])
            left[bill.id] -= amount
            on = bill.issued_on + dt.timedelta(days=draw(st.integers(0, 200)))
            notes.append(CreditNote(f"CN-{k}", bill.customer_id, bill.id, Money(amount), on))
        if draw(st.integers(0, 3)) == 0:
            amount = _share(draw, left[bill.id])
            left[bill.id] -= amount
            on = bill.issued_on + dt.timedelta(days=draw(st.integers(0, 400)))
            offs.append(WriteOff(f"W-{k}", bill.id, Money(amount), on, "sales-management-manager"))
    return Receivables(bills, paid, notes, offs)
