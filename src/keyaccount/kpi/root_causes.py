"""Why complaints happened: how often each root cause was found (投诉原因分析)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from keyaccount._fields import to_instant
from keyaccount.complaints import Complaint
from keyaccount.kpi._ids import sorted_ids

__all__ = ["RootCause", "RootCauseCounts", "root_cause_counts"]


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
    """Root causes of the latest resolution of each complaint resolved by ``as_of``.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    instant = to_instant(as_of, "as_of")
    by_cause: dict[str, list[str]] = {}
    for complaint in complaints:
        known = complaint.as_of(instant)
        if known is None or known.resolution is None:
            continue
        by_cause.setdefault(known.resolution.root_cause, []).append(known.id)
    causes = sorted(
        (RootCause(cause, len(ids), sorted_ids(ids)) for cause, ids in by_cause.items()),
        key=lambda c: (-c.count, c.cause),
    )
    return RootCauseCounts(tuple(causes), sorted_ids(i for c in causes for i in c.ids))
