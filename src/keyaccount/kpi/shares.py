"""What share of the complaints qualifies: handled in time, satisfied, reopened.

Each indicator is a `ShareResult`: an exact `Fraction` with the ids of the complaints
counted (the denominator) and of those that qualify (the numerator).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from fractions import Fraction

import attrs

from keyaccount._fields import to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.complaints import (
    Complaint,
    ComplaintPolicy,
    FollowUpOutcome,
    SlaState,
    SlaTargetKind,
    sla_status,
)
from keyaccount.kpi._ids import sorted_ids

__all__ = ["ShareResult", "handling_timeliness", "reopen_rate", "satisfaction_rate"]


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
        counted = sorted_ids(ids)
        good = sorted_ids(hits)
        value = Fraction(len(good), len(counted)) if counted else None
        return cls(name, label, value, good, counted)

    def __str__(self) -> str:
        shown = "n/a" if self.value is None else f"{float(self.value):.1%}"
        return f"{self.name} ({self.label}): {len(self.hits)}/{len(self.ids)} = {shown}"


def _share(
    name: str,
    label: str,
    complaints: Iterable[Complaint],
    as_of: dt.datetime,
    verdict: Callable[[Complaint], bool | None],
) -> ShareResult:
    """Count each complaint as it stood at ``as_of`` by ``verdict``.

    ``verdict`` answers ``None`` (not counted), ``True`` (counted and qualifies) or
    ``False`` (counted, does not qualify).
    """
    instant = to_instant(as_of, "as_of")
    hits: list[str] = []
    counted: list[str] = []
    for complaint in complaints:
        known = complaint.as_of(instant)
        answer = None if known is None else verdict(known)
        if answer is None:
            continue
        counted.append(complaint.id)
        if answer:
            hits.append(complaint.id)
    return ShareResult.of(name, label, hits, counted)


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
    `keyaccount.complaints.sla_status`.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """

    def on_time(known: Complaint) -> bool | None:
        done = [
            t
            for t in sla_status(known, policy, calendar, as_of).targets
            if t.target is SlaTargetKind.RESOLUTION and t.done_at is not None
        ]
        return all(t.state is SlaState.MET for t in done) if done else None

    return _share("handling timeliness", "投诉处理时效", complaints, as_of, on_time)


def satisfaction_rate(complaints: Iterable[Complaint], as_of: dt.datetime) -> ShareResult:
    """客户满意度: the share of followed-up complaints whose latest follow-up was 满意.

    Counted: complaints with at least one follow-up visit by ``as_of``; 一般 (neutral)
    counts as not satisfied, as the seed's call script groups 【不满意/一般】.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """

    def satisfied(known: Complaint) -> bool | None:
        visit = known.latest_follow_up
        return None if visit is None else visit.outcome is FollowUpOutcome.SATISFIED

    return _share("satisfaction rate", "客户满意度", complaints, as_of, satisfied)


def reopen_rate(complaints: Iterable[Complaint], as_of: dt.datetime) -> ShareResult:
    """The share of resolved complaints that were reopened at least once by ``as_of``.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """

    def reopened(known: Complaint) -> bool | None:
        if all(cycle.resolved_at is None for cycle in known.cycles):
            return None
        return known.reopen_count > 0

    return _share("reopen rate", "重开率", complaints, as_of, reopened)
