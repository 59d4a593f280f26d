"""A complaint: its id and its events, and the checked moves that add events.

`Complaint` holds nothing but ``id`` and ``events``; its status, the position holding it,
its cycles and spans are the fold of the events (`keyaccount.complaints.lifecycle.fold`),
computed once when the value is built. Every move returns a new complaint built from
the longer history, so the same check applies to a move and to a stored history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pendulum

from keyaccount._fields import earlier, text, to_instant
from keyaccount.complaints.events import (
    Accepted,
    Assigned,
    Closed,
    ComplaintEvent,
    ComplaintStatus,
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
from keyaccount.complaints.lifecycle import (
    ACTIONS,
    ALLOWED,
    ComplaintState,
    HandlingCycle,
    StatusSpan,
    fold,
)
from keyaccount.money import Money

__all__ = ["Complaint"]


def _to_events(value: Iterable[ComplaintEvent]) -> tuple[ComplaintEvent, ...]:
    return tuple(value)


def _fold_of(complaint: Complaint) -> ComplaintState:
    return fold(complaint.id, complaint.events)


@attrs.frozen
class Complaint:
    """A customer request as the fold of its events; compared by id and events.

    Construct with `receive` and the transition methods, or from a stored history with
    ``Complaint(id, events)``, which checks every event as the transitions do.

    Attributes:
        id: the complaint handling form's number.
        events: the history, oldest first.

    Raises:
        InvalidTransition: the events do not form a valid history.
        InvalidTextError: the id is blank or not text.
    """

    id: str = attrs.field(validator=text)
    events: tuple[ComplaintEvent, ...] = attrs.field(converter=_to_events)
    _state: ComplaintState = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(_fold_of, takes_self=True)
    )

    # ------------------------------------------------------------------ construction

    @classmethod
    def receive(
        cls,
        complaint_id: str,
        *,
        at: dt.datetime,
        kind: RequestKind,
        severity: Severity,
        customer_id: str,
        channel: str,
        summary: str,
    ) -> Complaint:
        """Open a complaint handling form (投诉处理单) for a request received ``at``."""
        return cls(complaint_id, (Received(at, kind, severity, customer_id, channel, summary),))

    def record(self, event: ComplaintEvent) -> Complaint:
        """A new complaint with ``event`` appended, if the current status allows it.

        Raises:
            InvalidTransition: the event is not allowed from the current status, is
                earlier than the last event, or is a second `Received`.
        """
        return Complaint(self.id, (*self.events, event))

    # ------------------------------------------------------------------ transitions

    def accept(self, *, by: str, at: dt.datetime) -> Complaint:
        """Accept the request (受理); position ``by`` now holds it. Only from ``received``."""
        return self.record(Accepted(at, by))

    def assign(self, *, to: str, at: dt.datetime) -> Complaint:
        """Hand the request to position ``to`` while it is being handled or waiting."""
        return self.record(Assigned(at, to))

    def pause(
        self, *, at: dt.datetime, reason: str = "waiting for the customer (等待客户)"
    ) -> Complaint:
        """Wait for the customer; the policy's pausing statuses stop the SLA clock."""
        return self.record(Paused(at, reason))

    def resume(self, *, at: dt.datetime) -> Complaint:
        """Go on after waiting, in the status the request had before the pause."""
        return self.record(Resumed(at))

    def escalate(
        self, *, to: str, reason: str, at: dt.datetime, outside_party: str | None = None
    ) -> Complaint:
        """Escalate to position ``to`` (which now holds it), e.g. with the manufacturer (厂家)."""
        return self.record(Escalated(at, to, reason, outside_party))

    def resolve(
        self,
        *,
        resolution: str,
        fault: Fault,
        root_cause: str,
        at: dt.datetime,
        claim_amount: Money | None = None,
    ) -> Complaint:
        """Record the result: what was done, whose fault it was and the root cause."""
        return self.record(Resolved(at, resolution, fault, root_cause, claim_amount))

    def follow_up(self, *, outcome: FollowUpOutcome, by: str, at: dt.datetime) -> Complaint:
        """Record the return visit (回访); an unsatisfied customer reopens the complaint."""
        return self.record(FollowedUp(at, outcome, by))

    def reopen(self, *, reason: str, at: dt.datetime) -> Complaint:
        """Start handling again after a resolution or a follow-up (a new resolution target)."""
        return self.record(Reopened(at, reason))

    def close(self, *, by: str, at: dt.datetime) -> Complaint:
        """Close and archive; only after a follow-up whose outcome is recorded."""
        return self.record(Closed(at, by))

    # ------------------------------------------------------------------ derived facts

    @property
    def status(self) -> ComplaintStatus:
        """Where the request stands now."""
        return self._state.status

    @property
    def position(self) -> str | None:
        """The position holding the request now (``None`` until accepted)."""
        return self._state.position

    @property
    def received(self) -> Received:
        """The first event: kind, severity, customer, channel, summary."""
        return self._state.received

    @property
    def kind(self) -> RequestKind:
        """投诉, 咨询, 建议 or 质疑."""
        return self._state.received.kind

    @property
    def severity(self) -> Severity:
        """How serious the request is."""
        return self._state.received.severity

    @property
    def customer_id(self) -> str:
        """The customer's id."""
        return self._state.received.customer_id

    @property
    def received_at(self) -> pendulum.DateTime:
        """When the request came in."""
        return self._state.received.at

    @property
    def accepted_at(self) -> pendulum.DateTime | None:
        """When it was accepted, if it has been."""
        return self._state.accepted_at

    @property
    def last_at(self) -> pendulum.DateTime:
        """The instant of the latest event."""
        return self._state.last_at

    @property
    def is_open(self) -> bool:
        """Whether the loop is still open (not closed)."""
        return self._state.status is not ComplaintStatus.CLOSED

    @property
    def reopen_count(self) -> int:
        """How many times it was reopened (unsatisfied follow-ups included)."""
        return self._state.reopen_count

    @property
    def resolution(self) -> Resolved | None:
        """The latest resolution, if any."""
        return self._state.resolution

    @property
    def latest_follow_up(self) -> FollowedUp | None:
        """The latest follow-up visit, if any."""
        return self._state.follow_up

    @property
    def escalation_history(self) -> tuple[Escalated, ...]:
        """Every escalation, oldest first."""
        return self._state.escalations

    @property
    def cycles(self) -> tuple[HandlingCycle, ...]:
        """The handling cycles, oldest first: the first from receipt, one per reopening."""
        return self._state.cycles

    def status_spans(self) -> tuple[StatusSpan, ...]:
        """The spans spent paused or escalated, oldest first (``end`` None if ongoing).

        The SLA clock stops during the spans whose status is in the policy's
        ``pausing_statuses``.
        """
        return self._state.spans

    def allowed_actions(self) -> tuple[str, ...]:
        """The transitions allowed from the current status, e.g. ``('follow up', 'reopen')``."""
        return tuple(ACTIONS[t] for t in ALLOWED[self._state.status])

    def as_of(self, at: dt.datetime) -> Complaint | None:
        """The complaint as it stood at ``at`` (events after it left out), or ``None``.

        Raises:
            NaiveDatetimeError: ``at`` has no timezone.
            NotAnInstantError: ``at`` is not a datetime.
        """
        instant = to_instant(at, "at")
        if not earlier(instant, self._state.last_at):
            return self
        events = tuple(e for e in self.events if not earlier(instant, e.at))
        return Complaint(self.id, events) if events else None
