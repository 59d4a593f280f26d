"""Which invoices did each payment pay: explicit and oldest-due-first allocation.

The rule, applied to the records dated on or before a day (``up_to``):

1. **Named amounts first.** Every explicit `Allocation` of a payment, every credit note
   and every write-off reduces the invoice it names (the ledger has already refused
   one that names an unknown invoice, or more than the invoice holds). An explicit
   allocation to an invoice not yet issued on ``up_to`` waits as unapplied credit.
2. **Then oldest due first.** What is left of every payment (all of a payment without
   allocations, the rest of one with) goes to the same customer's invoices still open,
   in order of due date, then issue date, then invoice id; payments are taken in order
   of receipt day, then id. A payment may pay an invoice issued after it arrived: the
   money waited on the customer's account until then.
3. **Never more than there is.** No amount applied to an invoice exceeds what it still
   owes, none taken from a payment exceeds what it still holds; what no invoice can take
   stays as the customer's **unapplied credit** (`Allocated.unapplied`, 预收/未核销).

The allocation is recomputed from the records each time it is asked for: a late credit
note or a changed allocation moves the money, nothing stored needs patching.

Examples:
    >>> import datetime as dt
    >>> from keyaccount.money import Money
    >>> from keyaccount.finance.terms import PaymentTerms
    >>> from keyaccount.finance.receivables import Invoice, Payment, Receivables
    >>> net30 = PaymentTerms(30)
    >>> ledger = Receivables(
    ...     (Invoice("A", "acme", Money(100), dt.date(2026, 1, 5), net30, owner="wang"),
    ...      Invoice("B", "acme", Money(100), dt.date(2026, 2, 5), net30, owner="wang")),
    ...     (Payment("P", "acme", Money(150), dt.date(2026, 3, 1)),))
    >>> result = allocate(ledger)
    >>> [(a.invoice_id, str(a.amount)) for a in result.applications]
    [('A', '100 CNY'), ('B', '50 CNY')]
    >>> str(result.outstanding_of("B"))
    '50 CNY'
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, Inexact, localcontext
from types import MappingProxyType
from typing import Final

import attrs

from keyaccount._fields import LabelledEnum
from keyaccount.errors import UnknownInvoiceError
from keyaccount.finance._checks import expect
from keyaccount.finance.receivables import Invoice, Payment, Receivables
from keyaccount.money import PRECISION, Money

__all__ = ["Allocated", "Applied", "AppliedKind", "UnappliedCredit", "allocate"]

_ZERO: Final = Decimal(0)


class AppliedKind(LabelledEnum):
    """What reduced an invoice."""

    PAYMENT = "payment", "回款"
    CREDIT_NOTE = "credit-note", "红字发票"
    WRITE_OFF = "write-off", "坏账核销"


@attrs.frozen
class Applied:
    """An amount applied to an invoice, and where it came from.

    Attributes:
        invoice_id: the invoice reduced.
        source_id: the payment, credit note or write-off.
        kind: which of the three.
        amount: the amount, in the ledger's currency.
        on: the day of the source record.
        explicit: whether the source named the invoice (an explicit allocation, a
            credit note, a write-off) rather than being applied oldest due first.
    """

    invoice_id: str
    source_id: str
    kind: AppliedKind
    amount: Money
    on: dt.date
    explicit: bool


@attrs.frozen
class UnappliedCredit:
    """What is left of a payment after allocation: the customer's credit (未核销余额).

    Attributes:
        payment_id: the payment.
        customer_id: the customer it belongs to.
        amount: what no open invoice took, in the ledger's currency.
    """

    payment_id: str
    customer_id: str
    amount: Money


@attrs.frozen
class Allocated:
    """The answer of `allocate`: every application, and what is left over.

    Attributes:
        applications: each amount applied, named amounts first, then oldest due first.
        unapplied: each payment with money left over, in order of receipt.
        outstanding: what each invoice issued by ``up_to`` still owes, by invoice id.
        up_to: the last day whose records were taken into account; ``None`` for all.
        currency: the ledger's currency.
    """

    applications: tuple[Applied, ...]
    unapplied: tuple[UnappliedCredit, ...]
    outstanding: Mapping[str, Money]
    up_to: dt.date | None
    currency: str

    def outstanding_of(self, invoice_id: str) -> Money:
        """What the invoice still owes.

        Raises:
            UnknownInvoiceError: no such invoice was issued by ``up_to``.
        """
        try:
            return self.outstanding[invoice_id]
        except KeyError:
            raise UnknownInvoiceError(
                f"no invoice {invoice_id!r} issued by {self.up_to or 'the last record'}"
            ) from None

    def unapplied_of(self, customer_id: str) -> Money:
        """A customer's unapplied credit: what is left of their payments."""
        mine = (u.amount for u in self.unapplied if u.customer_id == customer_id)
        return sum(mine, Money.zero(self.currency))


@attrs.frozen
class _Fold:
    """The raw result of the one allocation rule, as Decimals in the ledger currency.

    ``remaining`` holds every invoice issued by ``up_to`` (in ledger order);
    ``held`` what each payment (received by ``up_to``) brought and ``left`` what it
    still holds; ``trace`` the applications when asked for.
    """

    remaining: dict[str, Decimal]
    held: dict[str, Decimal]
    left: dict[str, Decimal]
    trace: list[tuple[str, str, AppliedKind, Decimal, dt.date, bool]] | None


def _in(ledger: Receivables, money: Money, what: str) -> Decimal:
    """An amount's Decimal in the ledger currency (the common case without a call)."""
    if money.currency == ledger.currency:
        return money.amount
    return ledger.in_currency(money, what).amount


def _fold(ledger: Receivables, up_to: dt.date | None, *, trace: bool) -> _Fold:
    """The one allocation rule (see the module docstring), over Decimals."""
    expect(ledger, Receivables, "receivables")
    steps: list[tuple[str, str, AppliedKind, Decimal, dt.date, bool]] | None = [] if trace else None
    invoices = [i for i in ledger.invoices if up_to is None or i.issued_on <= up_to]
    remaining = {i.id: _in(ledger, i.amount, f"invoice {i.id}") for i in invoices}
    payments = sorted(
        (p for p in ledger.payments if up_to is None or p.received_on <= up_to),
        key=lambda p: (p.received_on, p.id),
    )
    left: dict[str, Decimal] = {}
    brought: dict[str, Decimal] = {}
    with localcontext() as context:
        context.prec = PRECISION
        context.traps[Inexact] = True
        for payment in payments:
            held = brought[payment.id] = _in(ledger, payment.amount, f"payment {payment.id}")
            for allocation in payment.allocations:
                owed = remaining.get(allocation.invoice_id)
                if owed is None:
                    continue  # the invoice is not issued yet: the money waits as credit
                amount = min(_in(ledger, allocation.amount, payment.id), owed, held)
                remaining[allocation.invoice_id] = owed - amount
                held -= amount
                if steps is not None and amount:
                    steps.append(
                        (
                            allocation.invoice_id,
                            payment.id,
                            AppliedKind.PAYMENT,
                            amount,
                            payment.received_on,
                            True,
                        )
                    )
            left[payment.id] = held
        for note in ledger.credit_notes:
            _named(
                remaining,
                steps,
                ledger,
                note.invoice_id,
                note.id,
                AppliedKind.CREDIT_NOTE,
                note.amount,
                note.issued_on,
                up_to,
            )
        for write_off in ledger.write_offs:
            _named(
                remaining,
                steps,
                ledger,
                write_off.invoice_id,
                write_off.id,
                AppliedKind.WRITE_OFF,
                write_off.amount,
                write_off.on,
                up_to,
            )
        _oldest_due_first(invoices, payments, remaining, left, steps)
    return _Fold(remaining, brought, left, steps)


def _named(
    remaining: dict[str, Decimal],
    steps: list[tuple[str, str, AppliedKind, Decimal, dt.date, bool]] | None,
    ledger: Receivables,
    invoice_id: str,
    source_id: str,
    kind: AppliedKind,
    money: Money,
    on: dt.date,
    up_to: dt.date | None,
) -> None:
    """Apply a credit note or write-off to the invoice it names, never beyond what it owes."""
    if up_to is not None and on > up_to:
        return
    owed = remaining.get(invoice_id)
    if owed is None:
        return  # dated before its invoice was issued: it applies from the issue on
    amount = min(_in(ledger, money, source_id), owed)
    remaining[invoice_id] = owed - amount
    if steps is not None and amount:
        steps.append((invoice_id, source_id, kind, amount, on, True))


def _oldest_due_first(
    invoices: list[Invoice],
    payments: list[Payment],
    remaining: dict[str, Decimal],
    left: dict[str, Decimal],
    steps: list[tuple[str, str, AppliedKind, Decimal, dt.date, bool]] | None,
) -> None:
    """Apply what is left of each payment to its customer's open invoices, oldest due first."""
    by_customer: dict[str, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for invoice in invoices:
        if remaining[invoice.id] > _ZERO:
            by_customer[invoice.customer_id].append((invoice.due_on, invoice.issued_on, invoice.id))
    queues = {c: sorted(q, reverse=True) for c, q in by_customer.items()}  # oldest at the end
    for payment in payments:
        payment_id = payment.id
        held = left[payment_id]
        if held <= _ZERO:
            continue
        queue = queues.get(payment.customer_id)
        while queue and held > _ZERO:
            invoice_id = queue[-1][2]
            owed = remaining[invoice_id]
            amount = owed if owed <= held else held
            remaining[invoice_id] = owed - amount
            held -= amount
            if owed == amount:
                queue.pop()
            if steps is not None and amount:
                steps.append(
                    (
                        invoice_id,
                        payment_id,
                        AppliedKind.PAYMENT,
                        amount,
                        payment.received_on,
                        False,
                    )
                )
        left[payment_id] = held


def allocate(receivables: Receivables, *, up_to: dt.date | None = None) -> Allocated:
    """Apply payments, credit notes and write-offs to invoices (see the module docstring).

    Args:
        receivables: the ledger.
        up_to: take only the records dated on or before this day; ``None`` takes all.

    Returns:
        The `Allocated` applications, unapplied credit and outstanding amounts.
    """
    fold = _fold(receivables, up_to, trace=True)
    currency = receivables.currency
    applications = tuple(
        Applied(invoice_id, source, kind, Money(amount, currency), on, explicit)
        for invoice_id, source, kind, amount, on, explicit in fold.trace or ()
    )
    customers = {p.id: p.customer_id for p in receivables.payments}
    unapplied = tuple(
        UnappliedCredit(payment_id, customers[payment_id], Money(amount, currency))
        for payment_id, amount in fold.left.items()
        if amount > _ZERO
    )
    outstanding = MappingProxyType({i: Money(a, currency) for i, a in fold.remaining.items()})
    return Allocated(applications, unapplied, outstanding, up_to, currency)
