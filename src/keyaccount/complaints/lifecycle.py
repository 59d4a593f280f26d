"""The closed loop: which moves each status allows, and the fold of a complaint's events.

The transition table is data (`ALLOWED`); a refused move lists what is allowed from
where the complaint stands. `fold` checks a history event by event, exactly as the
transition methods of `Complaint` do, and returns the frozen `ComplaintState` the
events lead to: status, the position holding the request, the spans spent paused or
escalated and the handling cycles (one per reopening).

Decisions (see ``docs/complaints.md``):

* Events must be in time order; an event at the same instant as the previous one is
  accepted, an earlier one refused.
* A complaint cannot close without a follow-up (回访) whose outcome is recorded. An
  unsatisfied follow-up reopens the complaint *automatically*: the `FollowedUp` event
  itself is the reopening (no separate `Reopened` event), a new resolution target runs
  from the follow-up's instant. `Reopened` is for a customer who comes back on their own
  after the resolution or after a satisfied follow-up.
* Closed (归档) is final.
* Escalating hands the request to the escalation's position.
"""

from __future__ import annotations

from typing import Final

import attrs
import pendulum

from keyaccount._fields import earlier
from keyaccount.complaints.events import (
    Accepted,
    Assigned,
    Closed,
    ComplaintEvent,
    ComplaintStatus,
    Escalated,
    FollowedUp,
    FollowUpOutcome,
    Paused,
    Received,
    Reopened,
    Resolved,
    Resumed,
)
from keyaccount.errors import InvalidTransition

__all__ = [
    "ACTIONS",
    "ALLOWED",
    "SPAN_STATUSES",
    "ComplaintState",
    "HandlingCycle",
    "StatusSpan",
    "fold",
]

#: The name of the move each event records, as `Complaint.allowed_actions` lists it.
ACTIONS: Final[dict[type, str]] = {
    Received: "receive",
    Accepted: "accept",
    Assigned: "assign",
    Paused: "pause",
    Resumed: "resume",
    Escalated: "escalate",
    Resolved: "resolve",
    FollowedUp: "follow up",
    Reopened: "reopen",
    Closed: "close",
}

#: The events each status allows next.
ALLOWED: Final[dict[ComplaintStatus, tuple[type, ...]]] = {
    ComplaintStatus.RECEIVED: (Accepted,),
    ComplaintStatus.ACCEPTED: (Assigned, Paused, Escalated, Resolved),
    ComplaintStatus.ESCALATED: (Assigned, Paused, Escalated, Resolved),
    ComplaintStatus.PAUSED: (Assigned, Resumed),
    ComplaintStatus.RESOLVED: (FollowedUp, Reopened),
    ComplaintStatus.FOLLOWED_UP: (Closed, Reopened),
    ComplaintStatus.CLOSED: (),
}

#: The statuses whose time is recorded as a `StatusSpan` (and may stop the SLA clock).
SPAN_STATUSES: Final = frozenset({ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED})


@attrs.frozen
class StatusSpan:
    """A stretch of time a complaint spent paused or escalated.

    Attributes:
        status: ``paused`` or ``escalated``.
        start: when the status began.
        end: when it ended; ``None`` while it goes on.
    """

    status: ComplaintStatus
    start: pendulum.DateTime
    end: pendulum.DateTime | None = None


@attrs.frozen
class HandlingCycle:
    """One round of handling: from receipt (or a reopening) to its resolution and follow-up.

    Attributes:
        start: receipt for the first cycle, else the reopening (or unsatisfied follow-up).
        resolved_at: when this round was resolved, if it was.
        followed_up_at: when the follow-up visit of this round took place, if it did.
        reopened_before_follow_up: the customer reopened after the resolution without
            waiting for the follow-up visit (this round then has no follow-up target).
    """

    start: pendulum.DateTime
    resolved_at: pendulum.DateTime | None = None
    followed_up_at: pendulum.DateTime | None = None
    reopened_before_follow_up: bool = False


@attrs.frozen
class ComplaintState:
    """What a complaint's events add up to (computed by `fold`, never stored in files).

    Attributes:
        received: the first event.
        status: where the request stands.
        position: the position holding it (``None`` until accepted).
        accepted_at: when it was accepted, if it has been.
        last_at: the instant of the latest event.
        spans: the spans spent paused or escalated, oldest first.
        cycles: the handling cycles, oldest first (one more per reopening).
        escalations: every escalation, oldest first.
        resolution: the latest resolution, if any.
        follow_up: the latest follow-up visit, if any.
    """

    received: Received
    status: ComplaintStatus
    position: str | None
    accepted_at: pendulum.DateTime | None
    last_at: pendulum.DateTime
    spans: tuple[StatusSpan, ...]
    cycles: tuple[HandlingCycle, ...]
    escalations: tuple[Escalated, ...]
    resolution: Resolved | None
    follow_up: FollowedUp | None

    @property
    def reopen_count(self) -> int:
        """How many times the request was reopened (unsatisfied follow-ups included)."""
        return len(self.cycles) - 1


def _refusal(complaint_id: str, status: ComplaintStatus, event: object) -> InvalidTransition:
    """The error for ``event`` where ``status`` does not allow it, listing what is allowed."""
    action = ACTIONS.get(type(event), type(event).__name__)
    allowed = ", ".join(ACTIONS[t] for t in ALLOWED[status]) or "nothing (it is final)"
    if isinstance(event, Closed) and status is ComplaintStatus.RESOLVED:
        return InvalidTransition(
            f"cannot close complaint {complaint_id!r} before a follow-up visit (回访) has "
            f"recorded the customer's outcome (the closed loop, 闭环); allowed from here: "
            f"{allowed}"
        )
    return InvalidTransition(
        f"cannot {action} complaint {complaint_id!r}: it is {status.value} "
        f"({status.label}); allowed from here: {allowed}"
    )


class _Folding:
    """The fold in progress: a local accumulator of `fold`, never shared or stored."""

    __slots__ = (
        "accepted_at",
        "complaint_id",
        "cycles",
        "escalations",
        "follow_up",
        "last_at",
        "position",
        "received",
        "resolution",
        "resume_status",
        "spans",
        "status",
    )

    def __init__(self, complaint_id: str, received: Received) -> None:
        self.complaint_id = complaint_id
        self.received = received
        self.status = ComplaintStatus.RECEIVED
        self.resume_status = ComplaintStatus.ACCEPTED  # where a pause or reopening returns
        self.position: str | None = None
        self.accepted_at: pendulum.DateTime | None = None
        self.last_at = received.at
        self.spans: list[StatusSpan] = []
        self.cycles = [HandlingCycle(received.at)]
        self.escalations: list[Escalated] = []
        self.resolution: Resolved | None = None
        self.follow_up: FollowedUp | None = None

    def check(self, event: ComplaintEvent) -> None:
        """Refuse ``event`` if it is out of time order or not allowed from the status."""
        if isinstance(event, Received):
            raise InvalidTransition(
                f"complaint {self.complaint_id!r} was already received; "
                f"a complaint is received once"
            )
        if earlier(event.at, self.last_at):
            raise InvalidTransition(
                f"complaint {self.complaint_id!r}: {ACTIONS.get(type(event), 'event')} at "
                f"{event.at.isoformat()} is earlier than the previous event at "
                f"{self.last_at.isoformat()}; events must be in time order"
            )
        if type(event) not in ALLOWED[self.status]:
            raise _refusal(self.complaint_id, self.status, event)

    def apply(self, event: ComplaintEvent) -> None:
        """Fold in one event that `check` let through."""
        at = event.at
        self.last_at = at
        match event:
            case Accepted():
                self.accepted_at = at
                self.position = event.by
                self.move_to(ComplaintStatus.ACCEPTED, at)
            case Assigned():
                self.position = event.to
            case Paused():
                self.resume_status = self.status
                self.move_to(ComplaintStatus.PAUSED, at)
            case Resumed():
                self.move_to(self.resume_status, at)
            case Escalated():
                self.position = event.to
                self.escalations.append(event)
                self.resume_status = ComplaintStatus.ESCALATED
                self.move_to(ComplaintStatus.ESCALATED, at)
            case Resolved():
                self.cycles[-1] = HandlingCycle(self.cycles[-1].start, resolved_at=at)
                self.resolution = event
                self.move_to(ComplaintStatus.RESOLVED, at)
            case FollowedUp():
                cycle = self.cycles[-1]
                self.cycles[-1] = HandlingCycle(cycle.start, cycle.resolved_at, followed_up_at=at)
                self.follow_up = event
                if event.outcome is FollowUpOutcome.UNSATISFIED:
                    self.reopen(at, before_follow_up=False)
                else:
                    self.move_to(ComplaintStatus.FOLLOWED_UP, at)
            case Reopened():
                self.reopen(at, before_follow_up=self.status is ComplaintStatus.RESOLVED)
            case Closed():
                self.move_to(ComplaintStatus.CLOSED, at)

    def move_to(self, status: ComplaintStatus, at: pendulum.DateTime) -> None:
        """Change status, closing the open span and opening a new one as needed."""
        if status is self.status:
            return
        if self.status in SPAN_STATUSES:
            self.spans[-1] = StatusSpan(self.status, self.spans[-1].start, at)
        if status in SPAN_STATUSES:
            self.spans.append(StatusSpan(status, at))
        self.status = status

    def reopen(self, at: pendulum.DateTime, *, before_follow_up: bool) -> None:
        """Start a new handling cycle at ``at``."""
        if before_follow_up:  # only a resolved cycle is reopened, never followed up yet
            self.cycles[-1] = HandlingCycle(
                self.cycles[-1].start, self.cycles[-1].resolved_at, reopened_before_follow_up=True
            )
        self.cycles.append(HandlingCycle(at))
        self.move_to(self.resume_status, at)

    def result(self) -> ComplaintState:
        """The frozen state reached."""
        return ComplaintState(
            received=self.received,
            status=self.status,
            position=self.position,
            accepted_at=self.accepted_at,
            last_at=self.last_at,
            spans=tuple(self.spans),
            cycles=tuple(self.cycles),
            escalations=tuple(self.escalations),
            resolution=self.resolution,
            follow_up=self.follow_up,
        )


def fold(complaint_id: str, events: tuple[ComplaintEvent, ...]) -> ComplaintState:
    """The state ``events`` lead to, every event checked as the transitions check it.

    Args:
        complaint_id: the complaint's id, for the error messages.
        events: the history, oldest first; the first event is the `Received` one.

    Returns:
        The `ComplaintState` after the last event.

    Raises:
        InvalidTransition: there are no events, the first is not `Received`, or an event
            is out of time order or not allowed where it stands.
    """
    if not events:
        raise InvalidTransition(
            f"complaint {complaint_id!r} has no events; it starts with Received"
        )
    first = events[0]
    if not isinstance(first, Received):
        raise InvalidTransition(
            f"complaint {complaint_id!r} must start with a Received event, "
            f"not {type(first).__name__}"
        )
    folding = _Folding(complaint_id, first)
    for event in events[1:]:
        folding.check(event)
        folding.apply(event)
    return folding.result()
