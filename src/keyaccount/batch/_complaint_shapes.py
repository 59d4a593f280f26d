"""The shape of a complaint's history: its sequence of event kinds, folded once per shape.

Private to `keyaccount.batch.complaints`. A million complaints have only a few hundred
distinct sequences of event kinds (received, accepted, resolved, followed up ...). Which
targets a complaint has, from which event each starts and by which it is done, which
spans stop the clock and where the complaint stands depend on that sequence alone, not on
the instants. So the fold of `keyaccount.complaints.lifecycle` (the same `ALLOWED`
transitions, the same cycles and spans) runs once per shape here, on event positions, and
the table rule applies the answer to every complaint of the shape with array arithmetic.

A shape is packed into an integer: event ``i``'s code in bits ``4i .. 4i+3`` (codes are
1..11, so a shorter history is a prefix of a longer one by masking). Histories of more
than `MAX_PACKED` events do not fit and go through the scalar rule.
"""

from __future__ import annotations

from typing import Final

import attrs

from keyaccount.complaints.events import (
    Accepted,
    Assigned,
    Closed,
    ComplaintStatus,
    Escalated,
    FollowedUp,
    Paused,
    Received,
    Reopened,
    Resolved,
    Resumed,
)
from keyaccount.complaints.lifecycle import ACTIONS, ALLOWED, SPAN_STATUSES

__all__ = ["CODE_OF_TYPE", "EVENT_TYPES", "MAX_PACKED", "UNSATISFIED", "Run", "Shape", "shape_of"]

#: The event type tags, as in complaint files (`keyaccount.io.EVENT_TYPES`).
EVENT_TYPES: Final = (
    "received",
    "accepted",
    "assigned",
    "paused",
    "resumed",
    "escalated",
    "resolved",
    "followed-up",
    "reopened",
    "closed",
)
#: The code of each type tag (its index in `EVENT_TYPES`) in a packed shape, 1-based;
#: an unsatisfied follow-up (which reopens) has code `UNSATISFIED`.
CODE_OF_TYPE: Final = (1, 2, 3, 4, 5, 6, 7, 8, 10, 11)
UNSATISFIED: Final = 9
MAX_PACKED: Final = 15

_CLASS_OF_CODE: Final[dict[int, type]] = {
    1: Received,
    2: Accepted,
    3: Assigned,
    4: Paused,
    5: Resumed,
    6: Escalated,
    7: Resolved,
    8: FollowedUp,
    9: FollowedUp,
    10: Reopened,
    11: Closed,
}


@attrs.frozen
class Run:
    """One target of a shape: which, in which cycle, from which event, done by which.

    Attributes:
        which: 0 acceptance, 1 resolution, 2 follow-up.
        cycle: the handling cycle.
        start: the position of the event the clock starts at.
        done: the position of the event that did the work, or -1.
        pauses: (begin, end) positions of the spans that stop this target's clock; end
            -1 while the span goes on.
    """

    which: int
    cycle: int
    start: int
    done: int
    pauses: tuple[tuple[int, int], ...]


@attrs.frozen
class Shape:
    """What a sequence of event kinds leads to: the status and the targets' recipes."""

    status: ComplaintStatus
    runs: tuple[Run, ...]


def decode(packed: int) -> tuple[int, ...]:
    """The codes of a packed shape, oldest first."""
    codes = []
    while packed:
        codes.append(packed & 15)
        packed >>= 4
    return tuple(codes)


def check(codes: tuple[int, ...]) -> tuple[int, str] | None:
    """The first refused event of a history, as (position, reason); ``None`` when valid.

    The same checks as `keyaccount.complaints.lifecycle.fold`, time order excepted (the
    table rule checks the instants itself).
    """
    if not codes or codes[0] != 1:
        return 0, "a complaint must start with a received event"
    status, resume = ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED
    for position, code in enumerate(codes[1:], start=1):
        event = _CLASS_OF_CODE[code]
        if event is Received:
            return position, "a complaint is received once"
        if event not in ALLOWED[status]:
            allowed = ", ".join(ACTIONS[t] for t in ALLOWED[status]) or "nothing (it is final)"
            return position, (
                f"cannot {ACTIONS[event]}: it is {status.value} ({status.label}); "
                f"allowed from here: {allowed}"
            )
        status, resume = _next(status, resume, code)
    return None


def _next(  # noqa: PLR0911 - one answer per kind of event, as the fold's match
    status: ComplaintStatus, resume: ComplaintStatus, code: int
) -> tuple[ComplaintStatus, ComplaintStatus]:
    """The status (and the status a pause or reopening returns to) after event ``code``."""
    s = ComplaintStatus
    if code == 2:
        return s.ACCEPTED, resume
    if code == 4:
        return s.PAUSED, status
    if code in (5, 9, 10):
        return resume, resume
    if code == 6:
        return s.ESCALATED, s.ESCALATED
    if code == 7:
        return s.RESOLVED, resume
    if code == 8:
        return s.FOLLOWED_UP, resume
    if code == 11:
        return s.CLOSED, resume
    return status, resume  # assigned


def shape_of(codes: tuple[int, ...], pausing: frozenset[ComplaintStatus]) -> Shape:
    """The status and target recipes of a valid history (see `check`), as `_runs` of
    `keyaccount.complaints.sla` builds them: acceptance, then each cycle's resolution (its
    clock stopped by the spans in ``pausing``) and follow-up."""
    status, resume = ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED
    accepted = -1
    spans: list[list[int]] = []  # [status code, start, end]
    span_status: list[ComplaintStatus] = []
    cycles: list[list[int]] = [[0, -1, -1, 0]]  # start, resolved, followed up, reopened early
    for position, code in enumerate(codes[1:], start=1):
        before = status
        if code == 2:
            accepted = position
        elif code == 7:
            cycles[-1] = [cycles[-1][0], position, -1, 0]
        elif code in (8, 9):
            cycles[-1][2] = position
            if code == 9:
                cycles.append([position, -1, -1, 0])
        elif code == 10:
            if status is ComplaintStatus.RESOLVED:
                cycles[-1][3] = 1
            cycles.append([position, -1, -1, 0])
        status, resume = _next(status, resume, code)
        if status is not before:
            if before in SPAN_STATUSES:
                spans[-1][2] = position
            if status in SPAN_STATUSES:
                spans.append([0, position, -1])
                span_status.append(status)
    pauses = tuple(
        (span[1], span[2]) for span, its in zip(spans, span_status, strict=True) if its in pausing
    )
    runs = [Run(0, 0, 0, accepted, ())]
    for number, (start, resolved, followed, early) in enumerate(cycles):
        runs.append(Run(1, number, start, resolved, pauses))
        if resolved >= 0 and not early:
            runs.append(Run(2, number, resolved, followed, ()))
    return Shape(status, tuple(runs))
