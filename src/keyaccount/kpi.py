"""Indicators (考核指标) computed from complaint records, each with the records behind it.

The customer-service specialist of seed ``001_…`` is appraised on 投诉处理时效 (complaint
handling timeliness), 客户满意度 (customer satisfaction) and 客户索赔金额下降程度 (how far
customer claim amounts fall). Each indicator here is an exact value (``Fraction``,
``Money``, ``timedelta``) together with the ids of the complaints it was computed from,
so a figure on a report can always be traced back to the forms (投诉处理单).

Only events at or before ``as_of`` count: an indicator for last month is computed with
``as_of`` at the end of last month and gives the same answer forever after.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Final, Literal

import attrs
import pendulum

from keyaccount.calendar import WorkCalendar, to_instant
from keyaccount.complaints import (
    Complaint,
    ComplaintPolicy,
    FollowedUp,
    FollowUpOutcome,
    Reopened,
    Resolved,
    SlaState,
    SlaTargetKind,
    sla_status,
)
from keyaccount.errors import CurrencyMismatchError
from keyaccount.money import DEFAULT_CURRENCY, Money, Rates

__all__ = [
    "ClaimGranularity",
    "ClaimPeriod",
    "ClaimsByPeriod",
    "ResolutionTimes",
    "RootCause",
    "RootCauseCounts",
    "ShareResult",
    "claims_by_period",
    "handling_timeliness",
    "nearest_rank",
    "reopen_rate",
    "resolution_times",
    "root_cause_counts",
    "satisfaction_rate",
]

ClaimGranularity = Literal["month", "quarter", "year"]
_HOUR: Final = Fraction(3600)


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(values))


@attrs.frozen
class ShareResult:
    """A rate: how many of the counted complaints qualify, as an exact fraction.

    Attributes:
        name: the indicator, e.g. ``"handling timeliness"``.
        label: its Chinese name, e.g. ``投诉处理时效``.
        value: ``len(hits) / len(ids)``; ``None`` when nothing was counted.
        hits: the ids that qualify (the numerator).
        ids: every id counted (the denominator).
    """

    name: str
    label: str
    value: Fraction | None
    hits: tuple[str, ...]
    ids: tuple[str, ...]

    @classmethod
    def of(cls, name: str, label: str, hits: Iterable[str], ids: Iterable[str]) -> ShareResult:
        """Build from the qualifying and the counted ids."""
        counted = _ids(ids)
        good = _ids(hits)
        value = Fraction(len(good), len(counted)) if counted else None
        return cls(name, label, value, good, counted)

    def __str__(self) -> str:
        shown = "n/a" if self.value is None else f"{float(self.value):.1%}"
        return f"{self.name} ({self.label}): {len(self.hits)}/{len(self.ids)} = {shown}"


def _last_at_or_before(complaint: Complaint, as_of: pendulum.DateTime) -> Complaint | None:
    return complaint.as_of(as_of)


def handling_timeliness(
    complaints: Iterable[Complaint],
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> ShareResult:
    """投诉处理时效: the share of resolved complaints resolved within their target.

    Counted: every complaint resolved at least once by ``as_of``. On time: every
    resolution it has had by then met its resolution target (a late re-resolution after a
    reopening makes the complaint late). Targets and pauses as in
    :func:`~keyaccount.complaints.sla_status`.
    """
    instant = to_instant(as_of, "as_of")
    hits: list[str] = []
    counted: list[str] = []
    for complaint in complaints:
        known = _last_at_or_before(complaint, instant)
        if known is None:
            continue
        done = [
            t
            for t in sla_status(known, policy, calendar, instant).targets
            if t.target is SlaTargetKind.RESOLUTION and t.done_at is not None
        ]
        if not done:
            continue
        counted.append(known.id)
        if all(t.state is SlaState.MET for t in done):
            hits.append(known.id)
    return ShareResult.of("handling timeliness", "投诉处理时效", hits, counted)


@attrs.frozen
class ResolutionTimes:
    """Working time to resolve: the average and the 90th percentile, exact.

    A complaint's time is the working time of every handling cycle (from receipt or
    reopening to its resolution), paused time (the policy's pausing statuses) left out.

    The 90th percentile uses the **nearest-rank** method: sort the times, take the one at
    rank ``ceil(0.9 * n)`` (1-based). It is always one of the observed times.

    Attributes:
        times: ``(complaint id, working time)`` per complaint counted, in id order.
        mean_hours: the average in working hours (exact); ``None`` if nothing counted.
        p90: the nearest-rank 90th percentile; ``None`` if nothing counted.
        ids: the complaints counted.
    """

    times: tuple[tuple[str, dt.timedelta], ...]
    mean_hours: Fraction | None
    p90: dt.timedelta | None
    ids: tuple[str, ...]

    @property
    def p90_hours(self) -> Fraction | None:
        """The 90th percentile in working hours (exact)."""
        return None if self.p90 is None else _seconds(self.p90) / _HOUR


def _seconds(value: dt.timedelta) -> Fraction:
    return Fraction(value.days * 86400 + value.seconds) + Fraction(value.microseconds, 10**6)


def nearest_rank(values: list[dt.timedelta], percent: int) -> dt.timedelta:
    """The nearest-rank percentile: the value at rank ``ceil(percent/100 * n)`` once sorted.

    >>> nearest_rank([dt.timedelta(hours=h) for h in range(1, 11)], 90)
    datetime.timedelta(seconds=32400)
    """
    ordered = sorted(values)
    rank = max(1, math.ceil(Fraction(percent, 100) * len(ordered)))
    return ordered[rank - 1]


def resolution_times(
    complaints: Iterable[Complaint],
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> ResolutionTimes:
    """Average and 90th-percentile working time to resolve (see :class:`ResolutionTimes`).

    Counted: complaints resolved at least once by ``as_of``; only completed handling
    cycles add to a complaint's time.
    """
    instant = to_instant(as_of, "as_of")
    per_complaint: dict[str, dt.timedelta] = {}
    pausing = policy.pausing_statuses
    for complaint in complaints:
        known = _last_at_or_before(complaint, instant)
        if known is None:
            continue
        total = dt.timedelta(0)
        resolved_any = False
        spans = known.status_spans()
        cycle_start = known.received_at
        for event in known.events:
            if isinstance(event, Resolved):
                resolved_any = True
                total += calendar.working_time_between(cycle_start, event.at)
                for status, start, end in spans:
                    if status not in pausing or end is None:
                        continue
                    lo, hi = max(start, cycle_start), min(end, event.at)
                    if hi > lo:
                        total -= calendar.working_time_between(lo, hi)
            elif isinstance(event, Reopened) or (
                isinstance(event, FollowedUp) and event.outcome is FollowUpOutcome.UNSATISFIED
            ):
                cycle_start = event.at
        if resolved_any:
            per_complaint[known.id] = total
    ids = _ids(per_complaint)
    times = tuple((i, per_complaint[i]) for i in ids)
    if not times:
        return ResolutionTimes((), None, None, ())
    values = [t for _, t in times]
    mean = sum((_seconds(v) for v in values), Fraction(0)) / len(values) / _HOUR
    return ResolutionTimes(times, mean, nearest_rank(values, 90), ids)


def satisfaction_rate(complaints: Iterable[Complaint], as_of: dt.datetime) -> ShareResult:
    """客户满意度: the share of followed-up complaints whose latest follow-up was 满意.

    Counted: complaints with at least one follow-up visit by ``as_of``; 一般 (neutral)
    counts as not satisfied, as the seed's call script groups 【不满意/一般】.
    """
    instant = to_instant(as_of, "as_of")
    hits: list[str] = []
    counted: list[str] = []
    for complaint in complaints:
        known = _last_at_or_before(complaint, instant)
        if known is None or known.latest_follow_up is None:
            continue
        counted.append(known.id)
        if known.latest_follow_up.outcome is FollowUpOutcome.SATISFIED:
            hits.append(known.id)
    return ShareResult.of("satisfaction rate", "客户满意度", hits, counted)


def reopen_rate(complaints: Iterable[Complaint], as_of: dt.datetime) -> ShareResult:
    """The share of resolved complaints that were reopened at least once by ``as_of``."""
    instant = to_instant(as_of, "as_of")
    hits: list[str] = []
    counted: list[str] = []
    for complaint in complaints:
        known = _last_at_or_before(complaint, instant)
        if known is None or not any(isinstance(e, Resolved) for e in known.events):
            continue
        counted.append(known.id)
        if known.reopen_count:
            hits.append(known.id)
    return ShareResult.of("reopen rate", "重开率", hits, counted)


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
        periods: every period from the first to the last claim, empty ones included.
        ids: every complaint with a claim counted.
    """

    granularity: ClaimGranularity
    periods: tuple[ClaimPeriod, ...]
    ids: tuple[str, ...]


def _period_of(day: dt.date, granularity: ClaimGranularity) -> tuple[str, dt.date]:
    if granularity == "month":
        return f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, 1)
    if granularity == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return f"{day.year}Q{quarter}", dt.date(day.year, 3 * quarter - 2, 1)
    return f"{day.year}", dt.date(day.year, 1, 1)


def _next_start(start: dt.date, granularity: ClaimGranularity) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[granularity]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def claims_by_period(
    complaints: Iterable[Complaint],
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    granularity: ClaimGranularity = "month",
    currency: str = DEFAULT_CURRENCY,
    rates: Rates | None = None,
) -> ClaimsByPeriod:
    """Claim amounts (客户索赔金额) per month, quarter or year, with their change.

    Each complaint's claim is the ``claim_amount`` of its latest resolution by ``as_of``
    (a re-resolution restates the claim), dated by that resolution's local date in the
    calendar's timezone. Amounts in another currency are converted with ``rates``.

    Raises:
        CurrencyMismatchError: a claim in another currency and no ``rates``.
        MissingRateError: ``rates`` lacks the pair needed.
    """
    instant = to_instant(as_of, "as_of")
    tz = calendar.tz
    totals: dict[dt.date, tuple[str, Money, list[str]]] = {}
    all_ids: list[str] = []
    for complaint in complaints:
        known = _last_at_or_before(complaint, instant)
        resolution = None if known is None else known.resolution
        amount = None if resolution is None else resolution.claim_amount
        if known is None or resolution is None or amount is None:
            continue
        if amount.currency != currency:
            if rates is None:
                raise CurrencyMismatchError(
                    f"claim of complaint {known.id!r} is {amount}; give rates to count it in "
                    f"{currency}"
                )
            amount = rates.convert(amount, currency)
        label, start = _period_of(resolution.at.in_timezone(tz).date(), granularity)
        _, total, ids = totals.get(start, (label, Money.zero(currency), []))
        ids.append(known.id)
        totals[start] = (label, total + amount, ids)
        all_ids.append(known.id)
    periods: list[ClaimPeriod] = []
    if totals:
        start = min(totals)
        last = max(totals)
        previous: Money | None = None
        while start <= last:
            label, total, ids = totals.get(
                start, (_period_of(start, granularity)[0], Money.zero(currency), [])
            )
            change = None if previous is None else total - previous
            share = (
                None
                if previous is None or change is None or previous.amount == 0
                else Fraction(change.amount) / Fraction(previous.amount)
            )
            periods.append(ClaimPeriod(label, start, total, change, share, _ids(ids)))
            previous = total
            start = _next_start(start, granularity)
    return ClaimsByPeriod(granularity, tuple(periods), _ids(all_ids))


@attrs.frozen
class RootCause:
    """One root cause and the complaints it was found in."""

    cause: str
    count: int
    ids: tuple[str, ...]


@attrs.frozen
class RootCauseCounts:
    """投诉原因分析: how often each root cause was found, most frequent first.

    Attributes:
        causes: per cause its count and complaint ids (ties in alphabetical order).
        ids: every complaint counted.
    """

    causes: tuple[RootCause, ...]
    ids: tuple[str, ...]

    def count(self, cause: str) -> int:
        """How many complaints had ``cause`` (0 if none)."""
        return next((c.count for c in self.causes if c.cause == cause), 0)


def root_cause_counts(complaints: Iterable[Complaint], as_of: dt.datetime) -> RootCauseCounts:
    """Root causes of the latest resolution of each complaint resolved by ``as_of``."""
    instant = to_instant(as_of, "as_of")
    by_cause: dict[str, list[str]] = {}
    for complaint in complaints:
        known = _last_at_or_before(complaint, instant)
        if known is None or known.resolution is None:
            continue
        by_cause.setdefault(known.resolution.root_cause, []).append(known.id)
    causes = sorted(
        (RootCause(cause, len(ids), _ids(ids)) for cause, ids in by_cause.items()),
        key=lambda c: (-c.count, c.cause),
    )
    return RootCauseCounts(tuple(causes), _ids(i for c in causes for i in c.ids))
