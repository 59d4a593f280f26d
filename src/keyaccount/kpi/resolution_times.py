"""How long resolving takes: the average and the 90th percentile of working time.

A complaint's time to resolve is the working time of each of its handling cycles, from
receipt (or a reopening) to that cycle's resolution, paused time left out. The
percentile is the **nearest-rank** one, so it is always one of the observed times.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

import attrs

from keyaccount._fields import to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.complaints import Complaint, ComplaintPolicy, ComplaintStatus
from keyaccount.errors import InvalidPercentileError
from keyaccount.kpi._ids import sorted_ids

__all__ = ["ResolutionTime", "ResolutionTimes", "nearest_rank", "resolution_times"]

_HOUR: Final = Fraction(3600)


def _seconds(value: dt.timedelta) -> Fraction:
    return Fraction(value.days * 86400 + value.seconds) + Fraction(value.microseconds, 10**6)


@attrs.frozen
class ResolutionTime:
    """The working time one complaint took to resolve, paused time left out."""

    complaint_id: str
    working_time: dt.timedelta


@attrs.frozen
class ResolutionTimes:
    """Working time to resolve: the average and the 90th percentile, exact.

    A complaint's time is the working time of every handling cycle (from receipt or
    reopening to its resolution), paused time (the policy's pausing statuses) left out.

    The 90th percentile uses the **nearest-rank** method: sort the times, take the one at
    rank ``ceil(0.9 * n)`` (1-based). It is always one of the observed times.

    Attributes:
        times: the time of each complaint counted, in id order.
        mean_hours: the average in working hours (exact); ``None`` if nothing counted.
        p90: the nearest-rank 90th percentile; ``None`` if nothing counted.
        ids: the complaints counted.
    """

    times: tuple[ResolutionTime, ...]
    mean_hours: Fraction | None
    p90: dt.timedelta | None
    ids: tuple[str, ...]

    @property
    def p90_hours(self) -> Fraction | None:
        """The 90th percentile in working hours (exact)."""
        return None if self.p90 is None else _seconds(self.p90) / _HOUR


def nearest_rank(values: Iterable[dt.timedelta], percent: int) -> dt.timedelta:
    """The nearest-rank percentile: the value at rank ``ceil(percent/100 * n)`` once sorted.

    The nearest-rank method is defined for ``0 < percent <= 100``: every such percentile
    is one of the observed values (the 100th is the largest). A "0th percentile" has
    no rank, so it is refused rather than silently taken as the smallest value.

    Examples:
        >>> nearest_rank([dt.timedelta(hours=h) for h in range(1, 11)], 90)
        datetime.timedelta(seconds=32400)

    Raises:
        InvalidPercentileError: ``percent`` is not a whole number 1-100, or ``values``
            is empty.
    """
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 < percent <= 100:
        raise InvalidPercentileError(
            f"percent must be a whole number 1-100 (nearest rank), got {percent!r}"
        )
    ordered = sorted(values)
    if not ordered:
        raise InvalidPercentileError("a percentile needs at least one value, got none")
    rank = math.ceil(Fraction(percent, 100) * len(ordered))
    return ordered[rank - 1]


def _time_to_resolve(
    complaint: Complaint, pausing: frozenset[ComplaintStatus], calendar: WorkCalendar
) -> dt.timedelta | None:
    """Working time of every resolved cycle, paused time left out; ``None`` if never resolved."""
    total: dt.timedelta | None = None
    for cycle in complaint.cycles:
        if cycle.resolved_at is None:
            continue
        total = (total or dt.timedelta(0)) + calendar.working_time_between(
            cycle.start, cycle.resolved_at
        )
        for span in complaint.status_spans():
            if span.status not in pausing or span.end is None:
                continue
            lo, hi = max(span.start, cycle.start), min(span.end, cycle.resolved_at)
            if hi > lo:
                total -= calendar.working_time_between(lo, hi)
    return total


def resolution_times(
    complaints: Iterable[Complaint],
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> ResolutionTimes:
    """Average and 90th-percentile working time to resolve (see `ResolutionTimes`).

    Counted: complaints resolved at least once by ``as_of``; only completed handling
    cycles add to a complaint's time.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    instant = to_instant(as_of, "as_of")
    per_complaint: dict[str, dt.timedelta] = {}
    for complaint in complaints:
        known = complaint.as_of(instant)
        time = None if known is None else _time_to_resolve(known, policy.pausing_statuses, calendar)
        if time is not None:
            per_complaint[complaint.id] = time
    ids = sorted_ids(per_complaint)
    if not ids:
        return ResolutionTimes((), None, None, ())
    values = [per_complaint[i] for i in ids]
    mean = sum((_seconds(v) for v in values), Fraction(0)) / len(values) / _HOUR
    times = tuple(ResolutionTime(i, per_complaint[i]) for i in ids)
    return ResolutionTimes(times, mean, nearest_rank(values, 90), ids)
