"""How much was collected, and how much was lost: 合同收款额 and the bad-debt rate (坏账率).

Both are indicators of seed ``001_5973d372c2cdd2f6.txt`` (考核指标: 合同收款额,
应收帐款坏账率及延误天数). The seeds name them but do not define them; this library does:

* **Collections (合同收款额)** of a period: the payments received on a day of the period
  (`DateRange`, both ends included). Per salesperson, a payment counts for the owner of
  each invoice it paid, as allocated with the records up to the period's last day
  (`keyaccount.finance.allocate`); what it paid to no invoice (unapplied credit) counts
  under no owner (``owner`` ``None``). The rows add up to the total.
* **Bad-debt rate (坏账率)** of a period: the amount written off on a day of the period
  divided by the amount invoiced on a day of the period, an exact `Fraction`; ``None``
  when nothing was invoiced. (A write-off usually concerns an earlier period's invoice:
  the rate compares a period's losses with that period's billing, the usual flow
  measure; a caller who wants a cohort rate passes a period spanning both.)

Every figure carries the ids of the records behind it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from keyaccount.calendar import DateRange
from keyaccount.errors import InvalidArgumentTypeError
from keyaccount.finance._checks import expect
from keyaccount.finance.allocation import AppliedKind, _fold
from keyaccount.finance.receivables import Receivables
from keyaccount.money import Money

__all__ = ["BadDebtRate", "Collected", "Collections", "bad_debt_rate", "collections"]

_ZERO: Final = Decimal(0)


@attrs.frozen
class Collected:
    """What one salesperson collected in the period.

    Attributes:
        owner: the salesperson's staff id; ``None`` for money paid to no invoice, or to
            invoices without an owner.
        amount: the amount collected.
        payment_ids: the payments that brought it.
        invoice_ids: the invoices it paid.
    """

    owner: str | None
    amount: Money
    payment_ids: tuple[str, ...]
    invoice_ids: tuple[str, ...]


@attrs.frozen
class Collections:
    """合同收款额 of a period: the total and per salesperson.

    Attributes:
        period: the days counted.
        total: every payment received in the period.
        payment_ids: those payments.
        by_owner: one row per salesperson, sorted by staff id (``None`` last); they add
            up to ``total``.
    """

    period: DateRange
    total: Money
    payment_ids: tuple[str, ...]
    by_owner: tuple[Collected, ...]

    def explain(self) -> str:
        """One line: the period, the total and how many payments."""
        return (
            f"collected {self.total} in {self.period} from {len(self.payment_ids)} payments "
            f"({len(self.by_owner)} owners)"
        )


def _period(period: object) -> DateRange:
    if not isinstance(period, DateRange):
        raise InvalidArgumentTypeError(f"period must be a DateRange, got {type(period).__name__}")
    return period


def collections(receivables: Receivables, period: DateRange) -> Collections:
    """合同收款额 of ``period``, in total and per salesperson (see the module docstring).

    Examples:
        >>> import datetime as dt
        >>> from keyaccount.finance import Invoice, Payment, PaymentTerms
        >>> ledger = Receivables(
        ...     (Invoice("A", "acme", Money(300), dt.date(2026, 1, 5), PaymentTerms(30),
        ...              owner="wang"),),
        ...     (Payment("P", "acme", Money(500), dt.date(2026, 2, 1)),))
        >>> result = collections(ledger, DateRange(dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
        >>> [(c.owner, str(c.amount)) for c in result.by_owner]
        [('wang', '300 CNY'), (None, '200 CNY')]

    Args:
        receivables: the ledger.
        period: the days whose receipts count.

    Returns:
        The `Collections` of the period.

    Raises:
        InvalidArgumentTypeError: ``period`` is not a `DateRange`.
    """
    period = _period(period)
    expect(receivables, Receivables, "receivables")
    currency = receivables.currency
    received = [p for p in receivables.payments if p.received_on in period]
    in_period = {p.id for p in received}
    fold = _fold(receivables, period.end, trace=True)
    owners = {i.id: i.owner for i in receivables.invoices}
    sums: dict[str | None, Decimal] = defaultdict(Decimal)
    payments: dict[str | None, dict[str, None]] = defaultdict(dict)  # ordered sets
    invoices: dict[str | None, dict[str, None]] = defaultdict(dict)
    for invoice_id, source, kind, amount, _on, _explicit in fold.trace or ():
        if kind is not AppliedKind.PAYMENT or source not in in_period:
            continue
        owner = owners[invoice_id]
        sums[owner] += amount
        payments[owner][source] = None
        invoices[owner][invoice_id] = None
    for payment in received:
        left = fold.left[payment.id]
        if left > _ZERO:
            sums[None] += left
            payments[None][payment.id] = None
    total = sum((fold.held[p.id] for p in received), _ZERO)
    rows = tuple(
        Collected(k, Money(sums[k], currency), tuple(payments[k]), tuple(invoices[k]))
        for k in sorted(sums, key=lambda k: (k is None, k or ""))
    )
    return Collections(period, Money(total, currency), tuple(p.id for p in received), rows)


@attrs.frozen
class BadDebtRate:
    """坏账率 of a period: written off over invoiced (see the module docstring).

    Attributes:
        period: the days counted.
        written_off: the write-offs dated in the period.
        invoiced: the invoices issued in the period.
        rate: ``written_off / invoiced``, exact; ``None`` when nothing was invoiced.
        write_off_ids: the write-offs counted.
        invoice_ids: the invoices counted.
    """

    period: DateRange
    written_off: Money
    invoiced: Money
    rate: Fraction | None
    write_off_ids: tuple[str, ...]
    invoice_ids: tuple[str, ...]

    def explain(self) -> str:
        """One line: the definition with the figures."""
        shown = "undefined (nothing invoiced)" if self.rate is None else f"{float(self.rate):.2%}"
        return (
            f"bad-debt rate {shown} in {self.period}: {self.written_off} written off "
            f"({len(self.write_off_ids)}) / {self.invoiced} invoiced ({len(self.invoice_ids)})"
        )


def bad_debt_rate(receivables: Receivables, period: DateRange) -> BadDebtRate:
    """坏账率 of ``period``: written off in it over invoiced in it.

    Examples:
        >>> import datetime as dt
        >>> from keyaccount.finance import Invoice, PaymentTerms, WriteOff
        >>> ledger = Receivables(
        ...     (Invoice("A", "acme", Money(4000), dt.date(2026, 1, 5), PaymentTerms(30)),),
        ...     write_offs=(WriteOff("W", "A", Money(100), dt.date(2026, 1, 20), "mgr"),))
        >>> bad_debt_rate(ledger, DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 31))).rate
        Fraction(1, 40)

    Args:
        receivables: the ledger.
        period: the days counted.

    Returns:
        The `BadDebtRate`, with the ids behind both amounts.

    Raises:
        InvalidArgumentTypeError: ``period`` is not a `DateRange`.
    """
    period = _period(period)
    expect(receivables, Receivables, "receivables")
    currency = receivables.currency
    written = [w for w in receivables.write_offs if w.on in period]
    issued = [i for i in receivables.invoices if i.issued_on in period]
    lost = sum((receivables.in_currency(w.amount, w.id) for w in written), Money.zero(currency))
    billed = sum((receivables.in_currency(i.amount, i.id) for i in issued), Money.zero(currency))
    rate = None if billed.amount == 0 else Fraction(lost.amount) / Fraction(billed.amount)
    return BadDebtRate(
        period, lost, billed, rate, tuple(w.id for w in written), tuple(i.id for i in issued)
    )
