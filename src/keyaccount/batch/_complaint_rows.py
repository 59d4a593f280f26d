"""Complaints as rows of an events table, and back: the bridge between the table rule and
the scalar one.

Private to `keyaccount.batch.complaints` (which re-exports `events_table`). The table
rule sends the few complaints its vector path does not take through `sla_status`; this
module builds their `Complaint` values from the rows and turns the `SlaStatus` back into
output columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final

import numpy as np
import pendulum
import pyarrow as pa

from keyaccount.batch._complaint_shapes import EVENT_TYPES
from keyaccount.complaints import (
    Accepted,
    Assigned,
    Closed,
    Complaint,
    ComplaintEvent,
    Escalated,
    Fault,
    FollowedUp,
    FollowUpOutcome,
    Paused,
    Received,
    Reopened,
    RequestKind,
    Resolved,
    Resumed,
    Severity,
)

__all__ = ["complaint_from_rows", "events_table"]

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_UNKNOWN: Final = "(not in the table)"
_TAG: Final[dict[type, str]] = {
    Received: "received",
    Accepted: "accepted",
    Assigned: "assigned",
    Paused: "paused",
    Resumed: "resumed",
    Escalated: "escalated",
    Resolved: "resolved",
    FollowedUp: "followed-up",
    Reopened: "reopened",
    Closed: "closed",
}


def instant_of(value: np.datetime64, zone: str) -> pendulum.DateTime:
    """A ``datetime64[us]`` (UTC) as a pendulum instant in ``zone``."""
    utc = _EPOCH + dt.timedelta(microseconds=int(value.astype("int64")))
    return pendulum.instance(utc).in_timezone(zone)


def complaint_from_rows(
    complaint_id: str,
    types: Sequence[int],
    ats: Sequence[pendulum.DateTime],
    kind: str,
    severity: str,
    outcomes: Sequence[str | None],
) -> Complaint:
    """The `Complaint` of one complaint's rows (type indexes into `EVENT_TYPES`).

    The texts the SLA rule never reads (channel, summary, who, why) are not in the table
    rule's input; they are filled with a placeholder.
    """
    events: list[ComplaintEvent] = []
    for tag_index, at, outcome in zip(types, ats, outcomes, strict=True):
        tag = EVENT_TYPES[tag_index]
        event: ComplaintEvent
        if tag == "received":
            event = Received(
                at, RequestKind(kind), Severity(severity), _UNKNOWN, _UNKNOWN, _UNKNOWN
            )
        elif tag == "accepted":
            event = Accepted(at, _UNKNOWN)
        elif tag == "assigned":
            event = Assigned(at, _UNKNOWN)
        elif tag == "paused":
            event = Paused(at)
        elif tag == "resumed":
            event = Resumed(at)
        elif tag == "escalated":
            event = Escalated(at, _UNKNOWN, _UNKNOWN)
        elif tag == "resolved":
            event = Resolved(at, _UNKNOWN, Fault.OURS, _UNKNOWN)
        elif tag == "followed-up":
            assert outcome is not None  # the table rule requires it on followed-up rows
            event = FollowedUp(at, FollowUpOutcome(outcome), _UNKNOWN)
        elif tag == "reopened":
            event = Reopened(at, _UNKNOWN)
        else:
            event = Closed(at, _UNKNOWN)
        events.append(event)
    return Complaint(complaint_id, tuple(events))


def events_table(complaints: Iterable[Complaint], *, zone: str = "Asia/Shanghai") -> pa.Table:
    """The events table of ``complaints``: one row per event, in the layout `sla_table` reads.

    Columns: ``complaint_id``, ``type`` (the event's tag, as in complaint files),
    ``at`` (``timestamp('us', tz=zone)``), ``kind`` and ``severity`` (on ``received``
    rows, else null), ``outcome`` (on ``followed-up`` rows, else null).

    Args:
        complaints: the complaints.
        zone: the time zone of the ``at`` column (instants are kept, not their zones).

    Returns:
        The table, complaints in the order given, events oldest first.
    """
    columns: dict[str, list[Any]] = {
        "complaint_id": [],
        "type": [],
        "at": [],
        "kind": [],
        "severity": [],
        "outcome": [],
    }
    for complaint in complaints:
        for event in complaint.events:
            columns["complaint_id"].append(complaint.id)
            columns["type"].append(_TAG[type(event)])
            columns["at"].append(event.at)
            received = event if isinstance(event, Received) else None
            columns["kind"].append(received.kind.value if received else None)
            columns["severity"].append(received.severity.value if received else None)
            followed = event if isinstance(event, FollowedUp) else None
            columns["outcome"].append(followed.outcome.value if followed else None)
    types = {
        "complaint_id": pa.string(),
        "type": pa.string(),
        "at": pa.timestamp("us", tz=zone),
        "kind": pa.string(),
        "severity": pa.string(),
        "outcome": pa.string(),
    }
    return pa.table({name: pa.array(values, type=types[name]) for name, values in columns.items()})
