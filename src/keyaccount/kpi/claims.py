"""How much customers claimed (客户索赔金额) per month, quarter or year, and how it changed.

Seed ``001_…`` appraises the customer-service specialist on 客户索赔金额下降程度: how far
the claim amounts fall from one period to the next. `claims_by_period` gives each
period's total as `Money` and its change as `Money` and as an exact share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Final, Literal

import attrs

from keyaccount._fields import to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.complaints import Complaint
from keyaccount.errors import CurrencyMismatchError, InvalidGranularityError
from keyaccount.kpi._ids import sorted_ids
from keyaccount.money import DEFAULT_CURRENCY, DEFAULT_ROUNDING, Money, Rates

__all__ = ["ClaimGranularity", "ClaimPeriod", "ClaimsByPeriod", "claims_by_period"]

ClaimGranularity = Literal["month", "quarter", "year"]
_MONTHS: Final[dict[str, int]] = {"month": 1, "quarter": 3, "year": 12}


@attrs.frozen
class ClaimPeriod:
    """Claim amounts of one period and their change from the period before.

    Attributes:
        period: ``"2026-02"``, ``"2026Q1"`` or ``"2026"``.
        start: the first day of the period.
        total: the sum of the claims resolved in it.
        change: ``total`` minus the previous period's; ``None`` for the first period.
        change_share: ``change`` over the previous total, exact; ``None`` for the first
            period or after a zero total. A negative share is a fall (下降).
        ids: the complaints whose claims are in ``total``.
    """

    period: str
    start: dt.date
    total: Money
    change: Money | None
    change_share: Fraction | None
    ids: tuple[str, ...]


@attrs.frozen
class ClaimsByPeriod:
    """客户索赔金额 by period with their change (下降程度 is the negative change share).

    Attributes:
        granularity: ``"month"``, ``"quarter"`` or ``"year"``.
        periods: every period from the first to the last claim, empty ones included.
        ids: every complaint with a claim counted.
    """

    granularity: ClaimGranularity
    periods: tuple[ClaimPeriod, ...]
    ids: tuple[str, ...]


@attrs.frozen
class _Claim:
    """One complaint's claim, in the reporting currency."""

    complaint_id: str
    amount: Money


def _period_start(day: dt.date, granularity: ClaimGranularity) -> dt.date:
    """The first day of the month, quarter or year ``day`` falls in."""
    months = _MONTHS[granularity]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def _period_name(start: dt.date, granularity: ClaimGranularity) -> str:
    """``"2026-02"``, ``"2026Q1"`` or ``"2026"`` for the period beginning on ``start``."""
    if granularity == "month":
        return f"{start.year}-{start.month:02d}"
    if granularity == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def _period_starts(
    first: dt.date, last: dt.date, granularity: ClaimGranularity
) -> Iterator[dt.date]:
    """Every period start from ``first`` to ``last``, both included."""
    start = first
    while start <= last:
        yield start
        index = start.year * 12 + start.month - 1 + _MONTHS[granularity]
        start = dt.date(index // 12, index % 12 + 1, 1)


@attrs.frozen
class _Reporting:
    """The currency claims are counted in, and how another one is converted into it."""

    currency: str
    rates: Rates | None
    rounding: str

    def of(self, complaint_id: str, amount: Money) -> Money:
        """``amount`` in the reporting currency, converted (and rounded once) if need be."""
        if amount.currency == self.currency:
            return amount
        if self.rates is None:
            raise CurrencyMismatchError(
                f"claim of complaint {complaint_id!r} is {amount}; "
                f"give rates to count it in {self.currency}"
            )
        return self.rates.convert(amount, self.currency, rounding=self.rounding)


def _change_share(change: Money | None, previous: Money | None) -> Fraction | None:
    """``change`` over ``previous``, exact; ``None`` without a previous non-zero total."""
    if change is None or previous is None or previous.amount == 0:
        return None
    return Fraction(change.amount) / Fraction(previous.amount)


def claims_by_period(
    complaints: Iterable[Complaint],
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    granularity: ClaimGranularity = "month",
    currency: str = DEFAULT_CURRENCY,
    rates: Rates | None = None,
    rounding: str = DEFAULT_ROUNDING,
) -> ClaimsByPeriod:
    """Claim amounts (客户索赔金额) per month, quarter or year, with their change.

    Each complaint's claim is the ``claim_amount`` of its latest resolution by ``as_of``
    (a re-resolution restates the claim), dated by that resolution's local date in the
    calendar's timezone. A claim in another currency is converted with ``rates`` claim
    by claim, each rounded once to the minor unit of ``currency`` with ``rounding``
    (`Rates.convert`); the totals and changes are exact sums of those amounts.

    Raises:
        InvalidGranularityError: ``granularity`` is not ``"month"``, ``"quarter"`` or
            ``"year"`` (checked even when there are no claims).
        InvalidCurrencyError: ``currency`` is not an ISO 4217 code.
        InvalidRoundingError: ``rounding`` is not a ``decimal`` rounding mode.
        NaiveDatetimeError: ``as_of`` has no timezone.
        CurrencyMismatchError: a claim in another currency and no ``rates``.
        MissingRateError: ``rates`` lacks the pair needed.
    """
    if not isinstance(granularity, str) or granularity not in _MONTHS:
        raise InvalidGranularityError(
            f"granularity must be one of {', '.join(map(repr, _MONTHS))}, "
            f"got {repr(granularity)[:40]}"
        )
    reporting = _Reporting(currency, rates, rounding)
    Money.zero(currency).rounded(rounding=rounding)  # refuses a bad currency or mode now
    instant = to_instant(as_of, "as_of")
    by_period: dict[dt.date, list[_Claim]] = {}
    for complaint in complaints:
        known = complaint.as_of(instant)
        resolution = None if known is None else known.resolution
        if resolution is None or resolution.claim_amount is None:
            continue
        amount = reporting.of(complaint.id, resolution.claim_amount)
        start = _period_start(resolution.at.in_timezone(calendar.tz).date(), granularity)
        by_period.setdefault(start, []).append(_Claim(complaint.id, amount))
    periods: list[ClaimPeriod] = []
    previous: Money | None = None
    starts = _period_starts(min(by_period), max(by_period), granularity) if by_period else ()
    for start in starts:
        claims = by_period.get(start, [])
        total = sum((c.amount for c in claims), Money.zero(currency))
        change = None if previous is None else total - previous
        periods.append(
            ClaimPeriod(
                _period_name(start, granularity),
                start,
                total,
                change,
                _change_share(change, previous),
                sorted_ids(c.complaint_id for c in claims),
            )
        )
        previous = total
    all_ids = sorted_ids(c.complaint_id for claims in by_period.values() for c in claims)
    return ClaimsByPeriod(granularity, tuple(periods), all_ids)
