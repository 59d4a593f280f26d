"""What a customer owes: invoices, payments, credit notes, write-offs and the ledger.

The seeds measure key-account people on money with customers: 合同收款额 (collections)
and 应收帐款坏账率及延误天数 (bad-debt rate and days overdue of receivables,
``001_5973d372c2cdd2f6.txt`` 考核指标); the manager "检查应收账款状况,督促项目收款"
(``000_e270730e1905b545.txt``). These are the records those figures are computed from.

Every amount is `Money`, never negative. `Receivables` is the ledger: it holds the
records and refuses, each with a typed error, an allocation to an unknown invoice (or
one of another customer), more allocated than a payment holds, more applied to an
invoice (allocations, credit notes, write-offs) than it holds, and an amount in another
currency without `Rates`. Amounts in another currency are converted into the ledger's
currency with the given rates (`Rates.convert`, rounded to the currency's minor unit)
whenever the ledger adds them up (`Receivables.in_currency`).

Examples:
    >>> import datetime as dt
    >>> from keyaccount.money import Money
    >>> invoice = Invoice("INV-1", "acme", Money(10000), dt.date(2026, 1, 15),
    ...                   PaymentTerms.parse("月结60天"), contract="HT-2026-01", owner="wang")
    >>> invoice.due_on
    datetime.date(2026, 4, 1)
    >>> ledger = Receivables((invoice,), (Payment("P-1", "acme", Money(4000),
    ...     dt.date(2026, 3, 1), (Allocation("INV-1", Money(4000)),)),))
    >>> len(ledger.invoices), ledger.currency
    (1, 'CNY')
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from keyaccount._fields import non_negative_money, optional_text, text
from keyaccount.errors import (
    CurrencyMismatchError,
    DuplicateIdError,
    InvalidArgumentTypeError,
    InvalidDateRangeError,
    NotADateError,
    OverAllocationError,
    UnknownInvoiceError,
)
from keyaccount.finance.terms import PaymentTerms
from keyaccount.money import DEFAULT_CURRENCY, Money, Rates

__all__ = [
    "Allocation",
    "CreditNote",
    "Invoice",
    "Payment",
    "Receivables",
    "WriteOff",
]


T = TypeVar("T")


def _a_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a calendar date (a datetime is an instant, not a day)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise NotADateError(f"{attribute.name} must be a date, got {type(value).__name__}")


def _an_optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _a_date(instance, attribute, value)


def _terms(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, PaymentTerms):
        raise InvalidArgumentTypeError(
            f"{attribute.name} must be PaymentTerms (PaymentTerms.parse('30 days')), "
            f"got {type(value).__name__}"
        )


def _as_tuple(value: Iterable[T], what: str) -> tuple[T, ...]:
    """attrs converter: any iterable of records as a tuple; text or a non-iterable refused."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidArgumentTypeError(
            f"{what} must be a tuple (or another iterable) of records, got {type(value).__name__}"
        )
    return tuple(value)


def _allocations(value: Iterable[Allocation]) -> tuple[Allocation, ...]:
    return _as_tuple(value, "allocations")


def _tuple_of(member: type[object]) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(m, member) for m in value):
            raise InvalidArgumentTypeError(
                f"{attribute.name} must be a tuple of {member.__name__}, got {type(value).__name__}"
            )

    return check


@attrs.frozen
class Invoice:
    """An invoice (发票 / 应收账款) a customer owes.

    Attributes:
        id: the invoice number.
        customer_id: the customer who owes it.
        amount: the amount billed, zero or more.
        issued_on: the issue date.
        terms: the payment terms that give the due date.
        contract: the contract it bills (合同), if known (keyword).
        owner: the staff id of the salesperson responsible for collecting it (the
            customer's owner when it was issued), if known (keyword).
        due_date: the due date printed on the invoice when it differs from what the
            terms give; never before ``issued_on``.

    Raises:
        InvalidTextError: ``id`` or ``customer_id`` is blank.
        FloatMoneyError: ``amount`` is not `Money`.
        InvalidAmountError: ``amount`` is negative.
        NotADateError: ``issued_on`` or ``due_date`` is not a date.
        InvalidDateRangeError: ``due_date`` (or the one the terms give) is before
            ``issued_on``.
    """

    id: str = attrs.field(validator=text)
    customer_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    issued_on: dt.date = attrs.field(validator=_a_date)
    terms: PaymentTerms = attrs.field(validator=_terms)
    contract: str | None = attrs.field(default=None, kw_only=True, validator=optional_text)
    owner: str | None = attrs.field(default=None, kw_only=True, validator=optional_text)
    due_date: dt.date | None = attrs.field(default=None, kw_only=True, validator=_an_optional_date)

    def __attrs_post_init__(self) -> None:
        if self.due_date is not None and self.due_date < self.issued_on:
            raise InvalidDateRangeError(
                f"due_date {self.due_date} of invoice {self.id} is before its issue date "
                f"{self.issued_on}"
            )

    @property
    def due_on(self) -> dt.date:
        """The due date: ``due_date`` when given, else what the terms give."""
        return self.due_date if self.due_date is not None else self.terms.due_on(self.issued_on)


@attrs.frozen
class Allocation:
    """Part of a payment applied to one invoice (核销到发票).

    Attributes:
        invoice_id: the invoice paid.
        amount: how much of the payment goes to it, zero or more, in the payment's
            currency.
    """

    invoice_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)


@attrs.frozen
class Payment:
    """Money received from a customer (回款).

    A payment with ``allocations`` is applied exactly as they say; one without is applied
    oldest-due first (`keyaccount.finance.allocation`). What is left over stays as the
    customer's unapplied credit.

    Attributes:
        id: the receipt number.
        customer_id: the customer who paid.
        amount: the amount received, zero or more.
        received_on: the day it was received.
        allocations: explicit allocations to invoices; empty means oldest-due first.

    Raises:
        InvalidTextError: ``id`` or ``customer_id`` is blank.
        FloatMoneyError / InvalidAmountError: ``amount`` is not non-negative `Money`.
        CurrencyMismatchError: an allocation is in another currency than the payment.
        OverAllocationError: the allocations add up to more than the payment.
        DuplicateIdError: two allocations name the same invoice.
    """

    id: str = attrs.field(validator=text)
    customer_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    received_on: dt.date = attrs.field(validator=_a_date)
    allocations: tuple[Allocation, ...] = attrs.field(
        default=(), converter=_allocations, validator=_tuple_of(Allocation)
    )

    def __attrs_post_init__(self) -> None:
        total = Decimal(0)
        seen: set[str] = set()
        for allocation in self.allocations:
            if allocation.amount.currency != self.amount.currency:
                raise CurrencyMismatchError(
                    f"allocations of payment {self.id} must be in its currency "
                    f"{self.amount.currency}; the one to {allocation.invoice_id} is in "
                    f"{allocation.amount.currency}"
                )
            if allocation.invoice_id in seen:
                raise DuplicateIdError(
                    f"allocations of payment {self.id} name invoice {allocation.invoice_id} twice"
                )
            seen.add(allocation.invoice_id)
            total += allocation.amount.amount
        if total > self.amount.amount:
            raise OverAllocationError(
                f"allocations of payment {self.id} add up to "
                f"{Money(total, self.amount.currency)}, more than the {self.amount} received"
            )


@attrs.frozen
class CreditNote:
    """A credit note (红字发票 / 贷项通知) that reduces what an invoice asks.

    Attributes:
        id: the credit note number.
        customer_id: the customer credited (the invoice's customer).
        invoice_id: the invoice it reduces.
        amount: how much, zero or more.
        issued_on: the day it was issued.
        reason: why, in words.
    """

    id: str = attrs.field(validator=text)
    customer_id: str = attrs.field(validator=text)
    invoice_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    issued_on: dt.date = attrs.field(validator=_a_date)
    reason: str = ""


@attrs.frozen
class WriteOff:
    """A bad-debt write-off (坏账核销) of part or all of an invoice.

    It needs an authority from the chart: `keyaccount.finance.write_off_route` finds who
    must approve it.

    Attributes:
        id: the write-off's number.
        invoice_id: the invoice written off.
        amount: how much, zero or more.
        on: the day it was written off.
        requested_by: the position id that asks for it.
        reason: why, in words.
    """

    id: str = attrs.field(validator=text)
    invoice_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    on: dt.date = attrs.field(validator=_a_date)
    requested_by: str = attrs.field(validator=text)
    reason: str = ""


def _invoices(value: Iterable[Invoice]) -> tuple[Invoice, ...]:
    return _as_tuple(value, "invoices")


def _payments(value: Iterable[Payment]) -> tuple[Payment, ...]:
    return _as_tuple(value, "payments")


def _credit_notes(value: Iterable[CreditNote]) -> tuple[CreditNote, ...]:
    return _as_tuple(value, "credit_notes")


def _write_offs(value: Iterable[WriteOff]) -> tuple[WriteOff, ...]:
    return _as_tuple(value, "write_offs")


def _unique(kind: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for record_id in ids:
        if record_id in seen:
            raise DuplicateIdError(f"{kind} id {record_id!r} is used twice")
        seen.add(record_id)


def _rates(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Rates):
        raise InvalidArgumentTypeError(
            f"{attribute.name} must be Rates or None, got {type(value).__name__}"
        )


@attrs.frozen
class Receivables:
    """The receivables ledger (应收账款台账): every record, checked against the others.

    It holds every invoice, payment, credit note and write-off of a company's customers.

    Attributes:
        invoices: the invoices.
        payments: the payments received.
        credit_notes: the credit notes issued.
        write_offs: the bad-debt write-offs.
        currency: the currency every figure of the ledger is given in.
        rates: exchange rates for records in another currency; ``None`` when every
            record is in ``currency``.

    Raises:
        DuplicateIdError: two invoices (payments, credit notes, write-offs) share an id.
        UnknownInvoiceError: an allocation, credit note or write-off names an invoice the
            ledger does not hold, or an invoice of another customer.
        OverAllocationError: the allocations, credit notes and write-offs of an invoice
            add up to more than the invoice.
        CurrencyMismatchError: a record is in another currency and no ``rates`` are given.
        MissingRateError: ``rates`` lack the rate a record's currency needs.
    """

    invoices: tuple[Invoice, ...] = attrs.field(
        default=(), converter=_invoices, validator=_tuple_of(Invoice)
    )
    payments: tuple[Payment, ...] = attrs.field(
        default=(), converter=_payments, validator=_tuple_of(Payment)
    )
    credit_notes: tuple[CreditNote, ...] = attrs.field(
        default=(), converter=_credit_notes, validator=_tuple_of(CreditNote)
    )
    write_offs: tuple[WriteOff, ...] = attrs.field(
        default=(), converter=_write_offs, validator=_tuple_of(WriteOff)
    )
    currency: str = attrs.field(default=DEFAULT_CURRENCY, kw_only=True)
    rates: Rates | None = attrs.field(default=None, kw_only=True, validator=_rates)

    def __attrs_post_init__(self) -> None:
        Money.zero(self.currency)  # refuses a malformed currency code
        _unique("invoice", (i.id for i in self.invoices))
        _unique("payment", (p.id for p in self.payments))
        _unique("credit note", (c.id for c in self.credit_notes))
        _unique("write-off", (w.id for w in self.write_offs))
        invoices = {i.id: i for i in self.invoices}
        applied: dict[str, Decimal] = defaultdict(Decimal)
        for invoice in self.invoices:
            self.in_currency(invoice.amount, f"invoice {invoice.id}")
        for payment in self.payments:
            self.in_currency(payment.amount, f"payment {payment.id}")
            for allocation in payment.allocations:
                _owned(
                    invoices, allocation.invoice_id, payment.customer_id, f"payment {payment.id}"
                )
                applied[allocation.invoice_id] += self.in_currency(
                    allocation.amount, f"payment {payment.id}"
                ).amount
        for note in self.credit_notes:
            _owned(invoices, note.invoice_id, note.customer_id, f"credit note {note.id}")
            applied[note.invoice_id] += self.in_currency(
                note.amount, f"credit note {note.id}"
            ).amount
        for write_off in self.write_offs:
            _owned(invoices, write_off.invoice_id, None, f"write-off {write_off.id}")
            applied[write_off.invoice_id] += self.in_currency(
                write_off.amount, f"write-off {write_off.id}"
            ).amount
        for invoice_id, total in applied.items():
            billed = self.in_currency(invoices[invoice_id].amount, invoice_id)
            if total > billed.amount:
                raise OverAllocationError(
                    f"invoice {invoice_id} of {billed} has {Money(total, self.currency)} "
                    "applied to it by allocations, credit notes and write-offs"
                )

    def in_currency(self, amount: Money, what: str = "amount") -> Money:
        """``amount`` in the ledger's currency, converted with ``rates`` when it is in another.

        Args:
            amount: an amount of a record.
            what: the record it belongs to, for the error message.

        Returns:
            The amount in ``currency`` (rounded to its minor unit when converted).

        Raises:
            CurrencyMismatchError: ``amount`` is in another currency and the ledger has
                no ``rates``.
            MissingRateError: ``rates`` lack the pair.
        """
        if amount.currency == self.currency:
            return amount
        if self.rates is None:
            raise CurrencyMismatchError(
                f"{what} is in {amount.currency}, the ledger in {self.currency}: "
                "give the ledger explicit Rates"
            )
        return self.rates.convert(amount, self.currency)

    def invoice(self, invoice_id: str) -> Invoice:
        """The invoice with that id.

        Raises:
            UnknownInvoiceError: the ledger holds no such invoice.
        """
        found = next((i for i in self.invoices if i.id == invoice_id), None)
        if found is None:
            raise UnknownInvoiceError(f"no invoice {invoice_id!r} in the ledger")
        return found

    def customer_ids(self) -> tuple[str, ...]:
        """Every customer with a record in the ledger, sorted."""
        ids = {i.customer_id for i in self.invoices} | {p.customer_id for p in self.payments}
        return tuple(sorted(ids))


def _owned(invoices: dict[str, Invoice], invoice_id: str, customer_id: str | None, by: str) -> None:
    invoice = invoices.get(invoice_id)
    if invoice is None:
        raise UnknownInvoiceError(
            f"{by} names invoice {invoice_id!r}, which the ledger does not hold"
        )
    if customer_id is not None and invoice.customer_id != customer_id:
        raise UnknownInvoiceError(
            f"{by} of customer {customer_id} names invoice {invoice_id} of customer "
            f"{invoice.customer_id}"
        )
