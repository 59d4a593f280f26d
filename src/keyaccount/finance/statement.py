"""What a customer's account shows for a period: the statement (对帐单).

The key-account manager reconciles with finance and collects what is due (按时与公司财务
对帐,及时回收货款, ``000_e270730e1905b545.txt``). A statement lists, for one customer and
a period (`DateRange`, both ends included):

* the **opening balance**: invoices dated before the period, less the payments, credit
  notes and write-offs dated before it;
* every **invoice** (charge), **payment**, **credit note** and **write-off** dated in the
  period, in date order (invoices first on a day, then payments, credit notes,
  write-offs; then by id);
* the **closing balance** = opening + invoices − payments − credit notes − write-offs.

A balance below zero means the customer is in credit (paid ahead). The statement is the
account's balance, independent of how payments were allocated to invoices. Amounts are
in the ledger's currency. A write-off belongs to the customer of the invoice it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from keyaccount._fields import LabelledEnum
from keyaccount.calendar import DateRange
from keyaccount.errors import InvalidArgumentTypeError, InvalidTextError
from keyaccount.finance._checks import expect
from keyaccount.finance.receivables import Receivables
from keyaccount.money import Money

__all__ = ["CustomerStatement", "StatementKind", "StatementLine", "statement"]


class StatementKind(LabelledEnum):
    """What a statement line is: a charge (an invoice) or one of the three credits."""

    INVOICE = "invoice", "发票"
    PAYMENT = "payment", "回款"
    CREDIT_NOTE = "credit-note", "红字发票"
    WRITE_OFF = "write-off", "坏账核销"


_ORDER: Final = {kind: index for index, kind in enumerate(StatementKind)}


@attrs.frozen
class StatementLine:
    """One record on a statement.

    Attributes:
        on: the record's day.
        kind: an invoice (a charge), a payment, a credit note or a write-off.
        record_id: the record's id.
        amount: its amount in the ledger's currency (never negative).
        reference: the invoice a credit note or write-off names, or a charge's contract.
    """

    on: dt.date
    kind: StatementKind
    record_id: str
    amount: Money
    reference: str | None = None

    @property
    def is_charge(self) -> bool:
        """Whether the line raises the balance (an invoice)."""
        return self.kind is StatementKind.INVOICE


@attrs.frozen
class CustomerStatement:
    """A customer's statement (对帐单) for a period.

    Attributes:
        customer_id: the customer.
        period: the days covered.
        opening: the balance before the period's first day.
        lines: the records dated in the period, in order.
        currency: the ledger's currency.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("invoices", "payments", "credit_notes", "write_offs", "closing")

    customer_id: str
    period: DateRange
    opening: Money
    lines: tuple[StatementLine, ...]
    currency: str

    def _sum(self, kind: StatementKind) -> Money:
        return sum((x.amount for x in self.lines if x.kind == kind), Money.zero(self.currency))

    @property
    def invoices(self) -> Money:
        """Invoiced in the period."""
        return self._sum(StatementKind.INVOICE)

    @property
    def payments(self) -> Money:
        """Paid in the period."""
        return self._sum(StatementKind.PAYMENT)

    @property
    def credit_notes(self) -> Money:
        """Credited in the period."""
        return self._sum(StatementKind.CREDIT_NOTE)

    @property
    def write_offs(self) -> Money:
        """Written off in the period."""
        return self._sum(StatementKind.WRITE_OFF)

    @property
    def closing(self) -> Money:
        """opening + invoices − payments − credit notes − write-offs."""
        return self.opening + self.invoices - self.payments - self.credit_notes - self.write_offs

    def explain(self) -> str:
        """The balance identity with its figures."""
        return (
            f"{self.customer_id} {self.period}: opening {self.opening} + invoices "
            f"{self.invoices} - payments {self.payments} - credit notes {self.credit_notes} "
            f"- write-offs {self.write_offs} = closing {self.closing}"
        )


def statement(receivables: Receivables, customer_id: str, period: DateRange) -> CustomerStatement:
    """The statement (对帐单) of ``customer_id`` for ``period`` (see the module docstring).

    Examples:
        >>> from keyaccount.finance import Invoice, Payment, PaymentTerms
        >>> ledger = Receivables(
        ...     (Invoice("A", "acme", Money(300), dt.date(2026, 1, 5), PaymentTerms(30)),
        ...      Invoice("B", "acme", Money(200), dt.date(2026, 2, 5), PaymentTerms(30))),
        ...     (Payment("P", "acme", Money(250), dt.date(2026, 2, 10)),))
        >>> feb = statement(ledger, "acme", DateRange(dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
        >>> str(feb.opening), str(feb.closing)
        ('300 CNY', '250 CNY')

    Args:
        receivables: the ledger.
        customer_id: the customer.
        period: the days covered.

    Returns:
        The `CustomerStatement`.

    Raises:
        InvalidArgumentTypeError: ``period`` is not a `DateRange`.
        InvalidTextError: ``customer_id`` is blank.
    """
    expect(receivables, Receivables, "receivables")
    if not isinstance(period, DateRange):
        raise InvalidArgumentTypeError(f"period must be a DateRange, got {type(period).__name__}")
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise InvalidTextError("customer_id must be non-blank text")
    money = receivables.in_currency
    mine = {i.id: i for i in receivables.invoices if i.customer_id == customer_id}
    records: list[tuple[dt.date, StatementKind, str, Money, str | None]] = []
    records += [
        (i.issued_on, StatementKind.INVOICE, i.id, money(i.amount, i.id), i.contract)
        for i in mine.values()
    ]
    records += [
        (p.received_on, StatementKind.PAYMENT, p.id, money(p.amount, p.id), None)
        for p in receivables.payments
        if p.customer_id == customer_id
    ]
    records += [
        (c.issued_on, StatementKind.CREDIT_NOTE, c.id, money(c.amount, c.id), c.invoice_id)
        for c in receivables.credit_notes
        if c.customer_id == customer_id
    ]
    records += [
        (w.on, StatementKind.WRITE_OFF, w.id, money(w.amount, w.id), w.invoice_id)
        for w in receivables.write_offs
        if w.invoice_id in mine
    ]
    currency = receivables.currency
    opening = Money.zero(currency)
    lines = []
    for on, kind, record_id, amount, reference in sorted(
        records, key=lambda r: (r[0], _ORDER[r[1]], r[2])
    ):
        if on < period.start:
            opening = opening + amount if kind is StatementKind.INVOICE else opening - amount
        elif on <= period.end:
            lines.append(StatementLine(on, kind, record_id, amount, reference))
    return CustomerStatement(customer_id, period, opening, tuple(lines), currency)
