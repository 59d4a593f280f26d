"""Complaints and service requests (报事): a closed loop whose SLAs come from its history.

Every customer request (报事: 投诉 complaint, 咨询 inquiry, 建议 suggestion, 质疑 query,
seed ``000_…``) is handled as a closed loop (闭环): "有投诉即时受理,迅速有结果,处理后有回访",
accepted at once, resolved quickly, visited back after handling, and archived (建立投诉归档资料).
Major complaints (重大投诉) are escalated and handled together with the manufacturer
(seed ``004_…``: "对于重大投诉,负责与一汽-大众共同协调处理").

A :class:`Complaint` is nothing but its id and its events (:class:`Received`,
:class:`Accepted`, :class:`Assigned`, :class:`Paused`, :class:`Resumed`,
:class:`Escalated`, :class:`Resolved`, :class:`FollowedUp`, :class:`Reopened`,
:class:`Closed`). Its status, owner, deadlines and SLA figures are derived by folding the
events, so a changed :class:`ComplaintPolicy`, severity or calendar recomputes them;
nothing derived is stored.

Transitions are pure methods that return a new complaint and are checked:

>>> import pendulum
>>> at = pendulum.datetime(2026, 2, 13, 17, 30, tz="Asia/Shanghai")
>>> c = Complaint.receive("C-1", at=at, kind=RequestKind.COMPLAINT,
...                       severity=Severity.NORMAL, customer="acme", channel="电话",
...                       summary="late delivery")
>>> c = c.accept(by="service-specialist-service", at=at.add(minutes=10))
>>> c.status, c.owner
(<ComplaintStatus.ACCEPTED: 'accepted'>, 'service-specialist-service')
>>> c.allowed_actions()
('assign', 'pause', 'escalate', 'resolve')
>>> c.close(by="crm-manager", at=at.add(hours=1))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
keyaccount.errors.InvalidTransition: cannot close complaint 'C-1': it is accepted ...

Decisions (see ``docs/complaints.md``):

* Events must be in time order; an event at the same instant as the previous one is
  accepted, an earlier one refused.
* A complaint cannot close without a follow-up (回访) whose outcome is recorded. An
  unsatisfied follow-up reopens the complaint *automatically*: the :class:`FollowedUp`
  event itself is the reopening (no separate :class:`Reopened` event), a new resolution
  target runs from the follow-up's instant. :class:`Reopened` is for a customer who
  comes back on their own after the resolution or after a satisfied follow-up.
* Closed (归档) is final.
* Escalating makes the escalation's position the owner.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Final, TypeAlias

import attrs
import pendulum

from keyaccount.calendar import (
    Days,
    Hours,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
    deadline,
    to_instant,
)
from keyaccount.errors import InvalidPeriodError, InvalidPolicyError, InvalidTransition
from keyaccount.money import Money

__all__ = [
    "Accepted",
    "Assigned",
    "Closed",
    "Complaint",
    "ComplaintEvent",
    "ComplaintPolicy",
    "ComplaintStatus",
    "Escalated",
    "Escalation",
    "EscalationReason",
    "EscalationTarget",
    "Fault",
    "FollowUpOutcome",
    "FollowedUp",
    "Paused",
    "Received",
    "Reopened",
    "RequestKind",
    "Resolved",
    "Resumed",
    "Severity",
    "SlaState",
    "SlaStatus",
    "SlaTarget",
    "SlaTargetKind",
    "TargetRule",
    "TargetStatus",
    "escalations",
    "sla_status",
]

# --------------------------------------------------------------------------- enums


class RequestKind(enum.Enum):
    """The four kinds of customer request (报事: 投诉、咨询、建议、质疑, seed ``000_…``)."""

    COMPLAINT = "complaint"
    INQUIRY = "inquiry"
    SUGGESTION = "suggestion"
    QUERY = "query"

    @property
    def label(self) -> str:
        """The seed's Chinese name, e.g. ``投诉``."""
        return _KIND_LABELS[self]


_KIND_LABELS: Final = {
    RequestKind.COMPLAINT: "投诉",
    RequestKind.INQUIRY: "咨询",
    RequestKind.SUGGESTION: "建议",
    RequestKind.QUERY: "质疑",
}


class Severity(enum.Enum):
    """How serious a request is; ``MAJOR`` is the seeds' 重大投诉 (escalated, ``004_…``)."""

    NORMAL = "normal"
    URGENT = "urgent"
    MAJOR = "major"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``重大投诉``."""
        return _SEVERITY_LABELS[self]


_SEVERITY_LABELS: Final = {
    Severity.NORMAL: "一般",
    Severity.URGENT: "紧急",
    Severity.MAJOR: "重大投诉",
}


class Fault(enum.Enum):
    """Whose fault the matter was, as recorded on the complaint handling form (投诉处理单).

    Seed ``000_…``: if it is the company's fault, apologise at once; if not, stay
    courteous and explain patiently, "但是决不要说致歉的话语". :attr:`apology_due` says which.
    """

    OURS = "ours"
    NOT_OURS = "not-ours"
    SHARED = "shared"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``非我方责任``."""
        return _FAULT_LABELS[self]

    @property
    def apology_due(self) -> bool:
        """Whether staff apologise: yes when the company is (partly) at fault, never otherwise."""
        return self is not Fault.NOT_OURS


_FAULT_LABELS: Final = {
    Fault.OURS: "我方责任",
    Fault.NOT_OURS: "非我方责任",
    Fault.SHARED: "共同责任",
}


class FollowUpOutcome(enum.Enum):
    """The customer's answer on the follow-up call (回访): 满意 / 一般 / 不满意 (seed ``000_…``)."""

    SATISFIED = "satisfied"
    NEUTRAL = "neutral"
    UNSATISFIED = "unsatisfied"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``满意``."""
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS: Final = {
    FollowUpOutcome.SATISFIED: "满意",
    FollowUpOutcome.NEUTRAL: "一般",
    FollowUpOutcome.UNSATISFIED: "不满意",
}


class ComplaintStatus(enum.Enum):
    """Where a request stands in the closed loop (derived from its events, never stored)."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    PAUSED = "paused"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    FOLLOWED_UP = "followed-up"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``待回访``."""
        return _STATUS_LABELS[self]


_STATUS_LABELS: Final = {
    ComplaintStatus.RECEIVED: "待受理",
    ComplaintStatus.ACCEPTED: "处理中",
    ComplaintStatus.PAUSED: "等待客户",
    ComplaintStatus.ESCALATED: "升级处理",
    ComplaintStatus.RESOLVED: "待回访",
    ComplaintStatus.FOLLOWED_UP: "已回访",
    ComplaintStatus.CLOSED: "已归档",
}

# --------------------------------------------------------------------------- events


def _at(value: dt.datetime) -> pendulum.DateTime:
    return to_instant(value, "at")


def _text(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be non-empty text, got {value!r}")


def _optional_text(
    _instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{attribute.name} must be non-empty text or absent, got {value!r}")


@attrs.frozen
class Received:
    """A request came in (the complaint handling form, 投诉处理单, is opened)."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    kind: RequestKind = attrs.field(validator=attrs.validators.instance_of(RequestKind))
    severity: Severity = attrs.field(validator=attrs.validators.instance_of(Severity))
    customer: str = attrs.field(validator=_text)
    channel: str = attrs.field(validator=_text)
    summary: str = attrs.field(validator=_text)


@attrs.frozen
class Accepted:
    """The request was accepted (受理) by a position, which becomes its owner."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    by: str = attrs.field(validator=_text)


@attrs.frozen
class Assigned:
    """The request was handed to another position (the new owner)."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    to: str = attrs.field(validator=_text)


@attrs.frozen
class Paused:
    """Handling waits for the customer (等待客户); policy decides whether the clock stops."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    reason: str = attrs.field(default="waiting for the customer (等待客户)", validator=_text)


@attrs.frozen
class Resumed:
    """The customer answered; handling goes on."""

    at: pendulum.DateTime = attrs.field(converter=_at)


@attrs.frozen
class Escalated:
    """The request went up to a position (the new owner), maybe with an outside party.

    ``outside_party`` is e.g. the manufacturer (厂家) a major complaint is handled with.
    """

    at: pendulum.DateTime = attrs.field(converter=_at)
    to: str = attrs.field(validator=_text)
    reason: str = attrs.field(validator=_text)
    outside_party: str | None = attrs.field(default=None, validator=_optional_text)


@attrs.frozen
class Resolved:
    """Handling produced a result (迅速有结果): what was done, whose fault, the root cause.

    ``fault`` is always explicit: when the company is not at fault the record says so
    (courteous, but no apology, seed ``000_…``). ``claim_amount`` is what the customer
    claimed (客户索赔金额), if anything.
    """

    at: pendulum.DateTime = attrs.field(converter=_at)
    resolution: str = attrs.field(validator=_text)
    fault: Fault = attrs.field(validator=attrs.validators.instance_of(Fault))
    root_cause: str = attrs.field(validator=_text)
    claim_amount: Money | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Money))
    )


@attrs.frozen
class FollowedUp:
    """The return visit after handling (处理后有回访) with the customer's outcome."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    outcome: FollowUpOutcome = attrs.field(validator=attrs.validators.instance_of(FollowUpOutcome))
    by: str = attrs.field(validator=_text)


@attrs.frozen
class Reopened:
    """The customer came back on their own: handling starts again."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    reason: str = attrs.field(validator=_text)


@attrs.frozen
class Closed:
    """The loop is closed and the form archived (建立投诉归档资料)."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    by: str = attrs.field(validator=_text)


ComplaintEvent: TypeAlias = (
    Received
    | Accepted
    | Assigned
    | Paused
    | Resumed
    | Escalated
    | Resolved
    | FollowedUp
    | Reopened
    | Closed
)

_ACTION: Final[dict[type, str]] = {
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

_ALLOWED: Final[dict[ComplaintStatus, tuple[type, ...]]] = {
    ComplaintStatus.RECEIVED: (Accepted,),
    ComplaintStatus.ACCEPTED: (Assigned, Paused, Escalated, Resolved),
    ComplaintStatus.ESCALATED: (Assigned, Paused, Escalated, Resolved),
    ComplaintStatus.PAUSED: (Assigned, Resumed),
    ComplaintStatus.RESOLVED: (FollowedUp, Reopened),
    ComplaintStatus.FOLLOWED_UP: (Closed, Reopened),
    ComplaintStatus.CLOSED: (),
}

_SPAN_STATUSES: Final = frozenset({ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED})

# --------------------------------------------------------------------------- the fold

_Span: TypeAlias = tuple[ComplaintStatus, pendulum.DateTime, pendulum.DateTime | None]
# A resolution cycle: (start, resolved at, followed up at, reopened before any follow-up).
_Cycle: TypeAlias = tuple[
    pendulum.DateTime, pendulum.DateTime | None, pendulum.DateTime | None, bool
]


class _State:
    """The fold of a complaint's events (internal, mutated only while folding)."""

    __slots__ = (
        "accepted_at",
        "closed_at",
        "customer",
        "cycles",
        "escalations",
        "follow_up",
        "kind",
        "last_at",
        "owner",
        "received",
        "reopen_count",
        "resolution",
        "resume_status",
        "severity",
        "spans",
        "status",
    )

    def __init__(self, received: Received) -> None:
        self.received = received
        self.kind = received.kind
        self.severity = received.severity
        self.customer = received.customer
        self.status = ComplaintStatus.RECEIVED
        self.resume_status = ComplaintStatus.ACCEPTED
        self.owner: str | None = None
        self.accepted_at: pendulum.DateTime | None = None
        self.last_at = received.at
        self.spans: list[_Span] = []
        self.cycles: list[_Cycle] = [(received.at, None, None, False)]
        self.escalations: list[Escalated] = []
        self.reopen_count = 0
        self.resolution: Resolved | None = None
        self.follow_up: FollowedUp | None = None
        self.closed_at: pendulum.DateTime | None = None

    def copy(self) -> _State:
        new = _State.__new__(_State)
        for name in _State.__slots__:
            setattr(new, name, getattr(self, name))
        new.spans = list(self.spans)
        new.cycles = list(self.cycles)
        new.escalations = list(self.escalations)
        return new

    def set_status(self, status: ComplaintStatus, at: pendulum.DateTime) -> None:
        if self.status in _SPAN_STATUSES and status is not self.status:
            kind, start, _ = self.spans[-1]
            self.spans[-1] = (kind, start, at)
        if status in _SPAN_STATUSES and status is not self.status:
            self.spans.append((status, at, None))
        self.status = status

    def reopen(self, at: pendulum.DateTime, *, before_follow_up: bool) -> None:
        start, resolved, followed, _ = self.cycles[-1]
        self.cycles[-1] = (start, resolved, followed, before_follow_up)
        self.cycles.append((at, None, None, False))
        self.reopen_count += 1
        self.set_status(self.resume_status, at)


def _refuse(complaint_id: str, state: _State, event: object) -> InvalidTransition:
    action = _ACTION.get(type(event), type(event).__name__)
    allowed = ", ".join(_ACTION[t] for t in _ALLOWED[state.status]) or "nothing (it is final)"
    if isinstance(event, Closed) and state.status is ComplaintStatus.RESOLVED:
        return InvalidTransition(
            f"cannot close complaint {complaint_id!r} before a follow-up visit (回访) has "
            f"recorded the customer's outcome (the closed loop, 闭环); allowed from here: "
            f"{allowed}"
        )
    return InvalidTransition(
        f"cannot {action} complaint {complaint_id!r}: it is {state.status.value} "
        f"({state.status.label}); allowed from here: {allowed}"
    )


def _apply(complaint_id: str, state: _State, event: ComplaintEvent) -> None:  # noqa: PLR0912 - one branch per event type
    """Check ``event`` against ``state`` and fold it in; refuses without changing anything."""
    at = event.at
    if at < state.last_at:
        raise InvalidTransition(
            f"complaint {complaint_id!r}: {_ACTION.get(type(event), 'event')} at "
            f"{at.isoformat()} is earlier than the previous event at "
            f"{state.last_at.isoformat()}; events must be in time order"
        )
    if type(event) not in _ALLOWED[state.status]:
        raise _refuse(complaint_id, state, event)
    state.last_at = at
    if isinstance(event, Accepted):
        state.accepted_at = at
        state.owner = event.by
        state.set_status(ComplaintStatus.ACCEPTED, at)
    elif isinstance(event, Assigned):
        state.owner = event.to
    elif isinstance(event, Paused):
        state.resume_status = state.status
        state.set_status(ComplaintStatus.PAUSED, at)
    elif isinstance(event, Resumed):
        state.set_status(state.resume_status, at)
    elif isinstance(event, Escalated):
        state.owner = event.to
        state.escalations.append(event)
        state.resume_status = ComplaintStatus.ESCALATED
        state.set_status(ComplaintStatus.ESCALATED, at)
    elif isinstance(event, Resolved):
        start, _, _, _ = state.cycles[-1]
        state.cycles[-1] = (start, at, None, False)
        state.resolution = event
        state.set_status(ComplaintStatus.RESOLVED, at)
    elif isinstance(event, FollowedUp):
        start, resolved, _, _ = state.cycles[-1]
        state.cycles[-1] = (start, resolved, at, False)
        state.follow_up = event
        if event.outcome is FollowUpOutcome.UNSATISFIED:
            state.reopen(at, before_follow_up=False)
        else:
            state.set_status(ComplaintStatus.FOLLOWED_UP, at)
    elif isinstance(event, Reopened):
        state.reopen(at, before_follow_up=state.status is ComplaintStatus.RESOLVED)
    elif isinstance(event, Closed):
        state.closed_at = at
        state.set_status(ComplaintStatus.CLOSED, at)
    else:  # pragma: no cover - _ALLOWED lists only the types above
        raise _refuse(complaint_id, state, event)


def _fold(complaint_id: str, events: tuple[ComplaintEvent, ...]) -> _State:
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
    state = _State(first)
    for event in events[1:]:
        if isinstance(event, Received):
            raise InvalidTransition(
                f"complaint {complaint_id!r} was already received; a complaint is received once"
            )
        _apply(complaint_id, state, event)
    return state


def _to_events(value: Iterable[ComplaintEvent]) -> tuple[ComplaintEvent, ...]:
    return tuple(value)


def _check_id(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a complaint id must be non-empty text, got {value!r}")


@attrs.frozen
class Complaint:
    """A customer request as the fold of its events; compared by id and events.

    Construct with :meth:`receive` and the transition methods, or from a stored event
    list with ``Complaint(id, events)`` (:meth:`replay`), which checks every event as the
    transitions do.

    Attributes:
        id: the complaint handling form's number.
        events: the history, oldest first.

    Raises:
        InvalidTransition: the events do not form a valid history.
    """

    id: str = attrs.field(validator=_check_id)
    events: tuple[ComplaintEvent, ...] = attrs.field(converter=_to_events)
    _state: _State = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_state", _fold(self.id, self.events))

    # ------------------------------------------------------------------ construction

    @classmethod
    def receive(
        cls,
        complaint_id: str,
        *,
        at: dt.datetime,
        kind: RequestKind,
        severity: Severity,
        customer: str,
        channel: str,
        summary: str,
    ) -> Complaint:
        """Open a complaint handling form (投诉处理单) for a request received ``at``."""
        return cls(complaint_id, (Received(at, kind, severity, customer, channel, summary),))

    @classmethod
    def replay(cls, complaint_id: str, events: Iterable[ComplaintEvent]) -> Complaint:
        """The complaint the events describe, every event checked as the transitions check it.

        Raises:
            InvalidTransition: an event is not allowed where it stands.
        """
        return cls(complaint_id, tuple(events))

    def record(self, event: ComplaintEvent) -> Complaint:
        """A new complaint with ``event`` appended, if the current status allows it.

        Raises:
            InvalidTransition: the event is not allowed from the current status, is
                earlier than the last event, or is a second :class:`Received`.
        """
        if isinstance(event, Received):
            raise InvalidTransition(
                f"complaint {self.id!r} was already received; a complaint is received once"
            )
        state = self._state.copy()
        _apply(self.id, state, event)
        new = object.__new__(Complaint)
        object.__setattr__(new, "id", self.id)
        object.__setattr__(new, "events", (*self.events, event))
        object.__setattr__(new, "_state", state)
        return new

    # ------------------------------------------------------------------ transitions

    def accept(self, *, by: str, at: dt.datetime) -> Complaint:
        """Accept the request (受理); ``by`` becomes the owner. Only from ``received``."""
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
        """Escalate to position ``to`` (the new owner), e.g. with the manufacturer (厂家)."""
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
    def owner(self) -> str | None:
        """The position handling it (``None`` until accepted)."""
        return self._state.owner

    @property
    def received(self) -> Received:
        """The first event: kind, severity, customer, channel, summary."""
        return self._state.received

    @property
    def kind(self) -> RequestKind:
        """投诉, 咨询, 建议 or 质疑."""
        return self._state.kind

    @property
    def severity(self) -> Severity:
        """How serious the request is."""
        return self._state.severity

    @property
    def customer(self) -> str:
        """The customer's id."""
        return self._state.customer

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
        return tuple(self._state.escalations)

    def status_spans(
        self,
    ) -> tuple[tuple[ComplaintStatus, pendulum.DateTime, pendulum.DateTime | None], ...]:
        """The spans spent paused or escalated: ``(status, from, to)``, ``to`` None if ongoing.

        The SLA clock stops during the spans whose status is in the policy's
        ``pausing_statuses``.
        """
        return tuple(self._state.spans)

    def allowed_actions(self) -> tuple[str, ...]:
        """The transitions allowed from the current status, e.g. ``('follow up', 'reopen')``."""
        return tuple(_ACTION[t] for t in _ALLOWED[self._state.status])

    def as_of(self, at: dt.datetime) -> Complaint | None:
        """The complaint as it stood at ``at`` (events after it left out), or ``None``."""
        instant = to_instant(at, "at")
        if instant >= self._state.last_at:
            return self
        events = tuple(e for e in self.events if e.at <= instant)
        return Complaint(self.id, events) if events else None


# --------------------------------------------------------------------------- policy


def _warning_period(_instance: object, attribute: attrs.Attribute[Period], value: Period) -> None:
    if not isinstance(value, (WorkingHours, Hours)):
        raise InvalidPeriodError(
            f"{attribute.name} is a time left before the breach: use working hours or hours, "
            f"got {value!r}"
        )


def _any_period(_instance: object, attribute: attrs.Attribute[Period], value: Period) -> None:
    if not isinstance(value, (Days, Workdays, Hours, WorkingHours)):
        raise InvalidPeriodError(f"{attribute.name} must be a period, got {value!r}")


def _one_working_hour() -> Period:
    return WorkingHours(1)


@attrs.frozen
class SlaTarget:
    """One service-level target: done ``within`` a period, warn once ``warn`` is left.

    Attributes:
        within: the period, e.g. ``WorkingHours(4)`` or ``Workdays(3)``.
        warn: the target is *nearing breach* once the time left on its clock is at most
            this (``WorkingHours`` or ``Hours``).
    """

    within: Period = attrs.field(validator=_any_period)
    warn: Period = attrs.field(factory=_one_working_hour, validator=_warning_period)


@attrs.frozen
class TargetRule:
    """The three targets of one kind of request (and severity; ``None`` for any severity).

    Attributes:
        kind: the request kind.
        severity: the severity, or ``None`` for every severity without a rule of its own.
        acceptance: from receipt to acceptance (即时受理).
        resolution: from receipt (or reopening) to resolution (迅速有结果).
        follow_up: from resolution to the return visit (处理后有回访).
    """

    kind: RequestKind
    acceptance: SlaTarget
    resolution: SlaTarget
    follow_up: SlaTarget
    severity: Severity | None = None


@attrs.frozen
class EscalationTarget:
    """Who a request escalates to: a position id, optionally with an outside party."""

    position: str = attrs.field(validator=_text)
    outside_party: str | None = attrs.field(default=None, validator=_optional_text)

    def __str__(self) -> str:
        return self.position + (f" with {self.outside_party}" if self.outside_party else "")


def _rule_index(rules: tuple[TargetRule, ...]) -> dict[tuple[RequestKind, Severity], TargetRule]:
    exact: dict[tuple[RequestKind, Severity | None], TargetRule] = {}
    for rule in rules:
        key = (rule.kind, rule.severity)
        if key in exact:
            sev = rule.severity.value if rule.severity else "any severity"
            raise InvalidPolicyError(f"two target rules for {rule.kind.value} / {sev}")
        exact[key] = rule
    index: dict[tuple[RequestKind, Severity], TargetRule] = {}
    missing = []
    for kind in RequestKind:
        for severity in Severity:
            found = exact.get((kind, severity)) or exact.get((kind, None))
            if found is None:
                missing.append(f"{kind.value}/{severity.value}")
            else:
                index[kind, severity] = found
    if missing:
        raise InvalidPolicyError(
            "the policy has no targets for "
            + ", ".join(missing)
            + "; add a rule (severity omitted means every severity)"
        )
    return index


def _to_statuses(value: Iterable[ComplaintStatus]) -> frozenset[ComplaintStatus]:
    statuses = frozenset(value)
    wrong = statuses - _SPAN_STATUSES
    if wrong:
        names = ", ".join(sorted(s.value for s in wrong))
        raise InvalidPolicyError(f"only 'paused' and 'escalated' can stop the clock, not {names}")
    return statuses


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidPolicyError(f"{attribute.name} must be a whole number >= 1, got {value!r}")


@attrs.frozen
class ComplaintPolicy:
    """Targets, clock and escalation rules for requests; load it from TOML or JSON.

    Attributes:
        rules: the targets per kind (and severity); every kind and severity must be covered.
        major_escalation: who a major complaint (重大投诉) goes to, and with whom.
        breach_escalation: who a request goes to when a target is breached or it keeps
            being reopened.
        pausing_statuses: statuses during which the SLA clock stops (``paused``, and
            optionally ``escalated`` while an outside party has it).
        reopen_escalation_after: escalate once a request has been reopened this often.
        name, source: a label and where the values come from.

    Raises:
        InvalidPolicyError: a kind/severity without targets, a duplicated rule, a status
            that cannot stop the clock, a reopen count below 1.
    """

    rules: tuple[TargetRule, ...]
    major_escalation: EscalationTarget
    breach_escalation: EscalationTarget
    pausing_statuses: frozenset[ComplaintStatus] = attrs.field(
        default=frozenset({ComplaintStatus.PAUSED}), converter=_to_statuses
    )
    reopen_escalation_after: int = attrs.field(default=2, validator=_positive)
    name: str = "custom"
    source: str = ""
    _index: dict[tuple[RequestKind, Severity], TargetRule] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", _rule_index(tuple(self.rules)))

    def rule_for(self, kind: RequestKind, severity: Severity) -> TargetRule:
        """The targets that apply to a request of ``kind`` and ``severity``."""
        return self._index[kind, severity]

    @classmethod
    def default(cls) -> ComplaintPolicy:
        """The seed-flavoured default: accept within hours, resolve fast, visit back in 3 days.

        * Seed ``000_…``: "有投诉即时受理,迅速有结果,处理后有回访" and "必须保证在三天之内回访":
          complaints accepted within 4 working hours (2 urgent, 1 major), resolved within
          16 working hours (8 urgent; 24 for a major complaint handled with the
          manufacturer), visited back within 3 working days (2 urgent, 1 major).
          Inquiries (咨询) 2 h / 8 h, suggestions (建议) 8 h / 5 working days,
          queries (质疑) like normal complaints.
        * Seed ``004_…``: major complaints go to the 客户关系管理总监 (``crm-director``) to be
          handled together with 一汽-大众 (the manufacturer); breaches and repeated
          reopening go to the 客户管理经理 (``customer-management-manager``), who also
          "组织相关部门对客户投诉进行处理".
        * The clock stops while waiting for the customer; a request reopened twice is
          escalated.

        The hour figures are this library's reading of "at once" and "quickly"; the seeds
        give no numbers except the three days for the return visit.
        """

        def t(within: Period, warn: Period) -> SlaTarget:
            return SlaTarget(within, warn)

        wh, wd = WorkingHours, Workdays
        half = WorkingHours(0, 30)
        return cls(
            rules=(
                TargetRule(
                    RequestKind.COMPLAINT,
                    t(wh(4), wh(1)),
                    t(wh(16), wh(4)),
                    t(wd(3), wh(4)),
                    Severity.NORMAL,
                ),
                TargetRule(
                    RequestKind.COMPLAINT,
                    t(wh(2), half),
                    t(wh(8), wh(2)),
                    t(wd(2), wh(4)),
                    Severity.URGENT,
                ),
                TargetRule(
                    RequestKind.COMPLAINT,
                    t(wh(1), half),
                    t(wh(24), wh(4)),
                    t(wd(1), wh(2)),
                    Severity.MAJOR,
                ),
                TargetRule(RequestKind.INQUIRY, t(wh(2), half), t(wh(8), wh(2)), t(wd(3), wh(4))),
                TargetRule(
                    RequestKind.SUGGESTION, t(wh(8), wh(2)), t(wd(5), wh(8)), t(wd(5), wh(8))
                ),
                TargetRule(RequestKind.QUERY, t(wh(4), wh(1)), t(wh(16), wh(4)), t(wd(3), wh(4))),
            ),
            major_escalation=EscalationTarget("crm-director", "一汽-大众"),
            breach_escalation=EscalationTarget("customer-management-manager"),
            pausing_statuses=frozenset({ComplaintStatus.PAUSED}),
            reopen_escalation_after=2,
            name="seed-default",
            source=(
                "000_… (即时受理, 三天之内回访), 001_… (投诉处理时效), "
                "004_… (重大投诉 with 一汽-大众)"
            ),
        )


# --------------------------------------------------------------------------- SLA status


class SlaTargetKind(enum.Enum):
    """The three targets of the closed loop."""

    ACCEPTANCE = "acceptance"
    RESOLUTION = "resolution"
    FOLLOW_UP = "follow-up"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``受理``."""
        return _TARGET_LABELS[self]


_TARGET_LABELS: Final = {
    SlaTargetKind.ACCEPTANCE: "受理",
    SlaTargetKind.RESOLUTION: "处理",
    SlaTargetKind.FOLLOW_UP: "回访",
}


class SlaState(enum.Enum):
    """How a target stands at ``as_of``."""

    MET = "met"
    BREACHED = "breached"
    RUNNING = "running"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``超时``."""
        return _SLA_LABELS[self]


_SLA_LABELS: Final = {
    SlaState.MET: "按时",
    SlaState.BREACHED: "超时",
    SlaState.RUNNING: "进行中",
    SlaState.PAUSED: "暂停",
}


@attrs.frozen
class TargetStatus:
    """One target of one complaint at ``as_of``.

    Time figures are on the target's own clock: working time for ``WorkingHours`` and
    ``Workdays`` targets, elapsed time for ``Hours`` and ``Days`` targets.

    Attributes:
        target: acceptance, resolution or follow-up.
        cycle: 0 for the first handling; ``n`` for the handling after the n-th reopening.
        period: the target period.
        start: when the clock started (receipt, reopening or resolution).
        deadline: when it falls due, pauses included: work done strictly before it is
            on time. A day period's unpaused deadline is the local midnight ending its
            due date (:func:`~keyaccount.calendar.deadline`); paused time ``P`` moves it
            to ``calendar.add_working_time(unpaused, P)`` for ``Workdays`` (``P`` of
            working time from the next working window on) and to ``unpaused + P`` for
            ``Days``. While paused it is the deadline if handling resumed at ``as_of``;
            it only moves later as the pause goes on.
        due_date: for day periods, the local date of ``deadline``: the last day on which
            work is on time (the day before when ``deadline`` is exactly a local
            midnight, as for an unpaused target); ``None`` for hour periods.
        state: met, breached, running or paused.
        done_at: when the target's work was done, if it was.
        time_used: clock time used up to ``done_at`` (or ``as_of``), paused time excluded.
        time_left: clock time from ``done_at`` (or ``as_of``) to the deadline; negative
            once overdue. ``time_used + time_left == allowed``. A ``Workdays`` target can
            have no working time left in the evening of its due date yet still be
            running (its deadline is midnight).
        allowed: the time the target allows on its clock, which pauses do not change:
            the period itself for hour periods; for day periods the clock time from
            ``start`` to the unpaused deadline (working time for ``Workdays``, elapsed
            time for ``Days``), since the pauses extend the deadline by exactly the
            paused time that ``time_used`` leaves out.
        paused: the paused clock time that extended the deadline.
        nearing_breach: running or paused with at most ``warn`` left.
    """

    target: SlaTargetKind
    cycle: int
    period: Period
    start: pendulum.DateTime
    deadline: pendulum.DateTime
    due_date: pendulum.Date | None
    state: SlaState
    done_at: pendulum.DateTime | None
    time_used: dt.timedelta
    time_left: dt.timedelta
    allowed: dt.timedelta
    paused: dt.timedelta
    nearing_breach: bool

    @property
    def breached(self) -> bool:
        """Whether the target was (or is being) missed."""
        return self.state is SlaState.BREACHED

    @property
    def overdue(self) -> dt.timedelta:
        """How far past the deadline (zero when not)."""
        return max(dt.timedelta(0), -self.time_left)


@attrs.frozen
class SlaStatus:
    """Every target of one complaint at ``as_of``, oldest cycle first.

    Attributes:
        complaint_id: the complaint.
        as_of: the instant evaluated (events after it are left out).
        status: the complaint's status at ``as_of``; ``None`` if not yet received then.
        targets: acceptance, then per handling cycle its resolution and follow-up
            (a follow-up target exists once the cycle is resolved, unless the customer
            reopened before any follow-up).
    """

    complaint_id: str
    as_of: pendulum.DateTime
    status: ComplaintStatus | None
    targets: tuple[TargetStatus, ...]

    @property
    def current(self) -> tuple[TargetStatus, ...]:
        """The latest target of each kind (what is being worked on now)."""
        latest: dict[SlaTargetKind, TargetStatus] = {}
        for target in self.targets:
            latest[target.target] = target
        return tuple(latest.values())

    @property
    def breaches(self) -> tuple[TargetStatus, ...]:
        """Every breached target, past cycles included."""
        return tuple(t for t in self.targets if t.state is SlaState.BREACHED)

    @property
    def nearing(self) -> tuple[TargetStatus, ...]:
        """The targets nearing breach."""
        return tuple(t for t in self.targets if t.nearing_breach)


_ZERO: Final = dt.timedelta(0)
_MICROSECOND: Final = dt.timedelta(microseconds=1)
_Pause: TypeAlias = tuple[pendulum.DateTime, pendulum.DateTime | None]


def _used(
    start: pendulum.DateTime,
    end: pendulum.DateTime,
    working: bool,
    calendar: WorkCalendar,
) -> dt.timedelta:
    """Clock time from ``start`` to ``end``: working time, or elapsed time."""
    if not working:
        return _elapsed(start, end)
    return calendar.working_time_between(start, end)


def _last_day_on_time(due_at: pendulum.DateTime, calendar: WorkCalendar) -> pendulum.Date:
    """The local date of a day target's deadline: the last day on which work is on time.

    That is the local date of ``due_at`` itself, except when ``due_at`` is a local
    midnight (an unextended day deadline): then it is the day that midnight ends, as
    :attr:`keyaccount.calendar.Deadline.date`.
    """
    return (due_at - _MICROSECOND).in_timezone(calendar.tz).date()


def _elapsed(a: pendulum.DateTime, b: pendulum.DateTime) -> dt.timedelta:
    """Elapsed time from ``a`` to ``b`` as a plain timedelta.

    Both are taken to UTC first: Python subtracts two datetimes that share a tzinfo on
    their wall clocks, which is an hour off across a daylight-saving change.
    """
    return dt.datetime.__sub__(b.astimezone(dt.UTC), a.astimezone(dt.UTC))


def _evaluate(  # noqa: PLR0912, PLR0915 - one pass over the pauses for both kinds of period
    which: SlaTargetKind,
    cycle: int,
    target: SlaTarget,
    start: pendulum.DateTime,
    done: pendulum.DateTime | None,
    pauses: list[_Pause],
    as_of: pendulum.DateTime,
    calendar: WorkCalendar,
) -> TargetStatus:
    """Figures of one target (see :class:`TargetStatus`)."""
    period = target.within
    end = done if done is not None else as_of
    working = isinstance(period, (WorkingHours, Workdays))
    measure: Callable[[pendulum.DateTime, pendulum.DateTime], dt.timedelta] = (
        calendar.working_time_between if working else _elapsed
    )
    paused_total = _ZERO
    paused_now = False
    due_date: pendulum.Date | None = None
    if isinstance(period, (WorkingHours, Hours)):
        remaining = period.duration
        cursor = start
        for p_start, p_end in pauses:
            if p_end is not None and p_end <= start:
                continue
            begin = max(p_start, start)
            if begin > end or (begin == end and done is not None):
                break
            before = measure(cursor, begin)
            if before >= remaining:
                break
            remaining -= before
            stop = end if p_end is None or p_end > end else p_end
            paused_total += measure(begin, stop)
            cursor = stop
            if stop is end and done is None:
                paused_now = True
                break
        if isinstance(period, WorkingHours):
            due_at = calendar.add_working_time(cursor, remaining)
        else:
            due_at = cursor + remaining
        used = _used(start, end, working, calendar) - paused_total
        allowed = period.duration
        left = allowed - used
    else:
        unpaused = deadline(start, period, calendar).at
        due_at = unpaused
        for p_start, p_end in pauses:
            if p_end is not None and p_end <= start:
                continue
            begin = max(p_start, start)
            if begin > end or (begin == end and done is not None) or begin >= due_at:
                break
            stop = end if p_end is None or p_end > end else p_end
            paused_total += measure(begin, stop)
            # exactly the paused time after the unpaused deadline, on the target's clock
            if working:
                due_at = calendar.add_working_time(unpaused, paused_total)
            else:
                due_at = unpaused + paused_total
            if stop is end and done is None:
                paused_now = True
                break
        due_date = _last_day_on_time(due_at, calendar)
        used = _used(start, end, working, calendar) - paused_total
        left = measure(end, due_at)
        allowed = measure(start, unpaused)
    if done is not None:
        state = SlaState.MET if done < due_at else SlaState.BREACHED
    elif paused_now:
        state = SlaState.PAUSED
    else:
        state = SlaState.BREACHED if as_of >= due_at else SlaState.RUNNING
    warn = target.warn
    nearing = (
        state in (SlaState.RUNNING, SlaState.PAUSED)
        and isinstance(warn, (WorkingHours, Hours))
        and left <= warn.duration
    )
    return TargetStatus(
        which,
        cycle,
        period,
        start,
        due_at,
        due_date,
        state,
        done,
        used,
        left,
        allowed,
        paused_total,
        nearing,
    )


def sla_status(
    complaint: Complaint,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> SlaStatus:
    """Every target of ``complaint`` at ``as_of``: deadline, state, time used and left.

    Business meaning: is this complaint being handled in time? Acceptance runs from
    receipt; resolution from receipt, and again from each reopening; the follow-up visit
    from each resolution. Paused time (the policy's ``pausing_statuses``) is measured on
    the target's clock and extends the deadline by exactly that much: working time for
    ``WorkingHours`` and ``Workdays`` targets, elapsed time for ``Hours`` and ``Days``.
    A day target's paused time runs on from its unpaused deadline (the midnight ending
    its due date): a ``Workdays`` deadline moves to ``calendar.add_working_time(unpaused,
    paused)``, so one paused working hour makes it 10:00 on the next working day (with
    09:00 openings), and a ``Days`` deadline moves by the paused elapsed time. Adding a
    pause never moves a deadline earlier. A pause that starts at or after the (already
    extended) deadline changes nothing. Events after ``as_of`` are left out.

    Args:
        complaint: the complaint.
        policy: targets and pausing statuses.
        calendar: the working calendar.
        as_of: the instant to evaluate at (aware).

    Returns:
        The :class:`SlaStatus`.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
        CalendarCoverageError: a deadline falls outside the calendar's years.
    """
    instant = to_instant(as_of, "as_of")
    known = complaint.as_of(instant)
    if known is None:
        return SlaStatus(complaint.id, instant, None, ())
    state = known._state
    rule = policy.rule_for(state.kind, state.severity)
    pausing = policy.pausing_statuses
    pauses: list[_Pause] = [(s, e) for kind, s, e in state.spans if kind in pausing]
    targets = [
        _evaluate(
            SlaTargetKind.ACCEPTANCE,
            0,
            rule.acceptance,
            state.received.at,
            state.accepted_at,
            [],
            instant,
            calendar,
        )
    ]
    for cycle, (start, resolved, followed, reopened_early) in enumerate(state.cycles):
        targets.append(
            _evaluate(
                SlaTargetKind.RESOLUTION,
                cycle,
                rule.resolution,
                start,
                resolved,
                pauses,
                instant,
                calendar,
            )
        )
        if resolved is not None and not reopened_early:
            targets.append(
                _evaluate(
                    SlaTargetKind.FOLLOW_UP,
                    cycle,
                    rule.follow_up,
                    resolved,
                    followed,
                    [],
                    instant,
                    calendar,
                )
            )
    return SlaStatus(complaint.id, instant, state.status, tuple(targets))


# --------------------------------------------------------------------------- escalation


class EscalationReason(enum.Enum):
    """Why a request must be escalated now."""

    MAJOR = "major"
    BREACH = "breach"
    REPEATED_REOPENING = "repeated-reopening"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``重大投诉``."""
        return _REASON_LABELS[self]


_REASON_LABELS: Final = {
    EscalationReason.MAJOR: "重大投诉",
    EscalationReason.BREACH: "超时",
    EscalationReason.REPEATED_REOPENING: "多次重开",
}


@attrs.frozen
class Escalation:
    """A request that must be escalated now, to whom, and why.

    Attributes:
        complaint_id: the request.
        to: the position (and outside party) named by the policy.
        reasons: every reason that applies.
        details: one sentence per reason.
    """

    complaint_id: str
    to: EscalationTarget
    reasons: tuple[EscalationReason, ...]
    details: tuple[str, ...]


def escalations(
    complaints: Iterable[Complaint],
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> tuple[Escalation, ...]:
    """Which open requests must be escalated now, to whom, and why.

    * Major severity (重大投诉): to ``policy.major_escalation`` until the request has been
      escalated to that position.
    * A breached target: to ``policy.breach_escalation`` unless the request was escalated
      (to anyone) at or after the breached deadline.
    * Reopened ``policy.reopen_escalation_after`` times or more: to
      ``policy.breach_escalation`` unless escalated since the last reopening.

    Reasons for the same position are merged into one :class:`Escalation`. Closed
    requests are never escalated. Sorted by complaint id, then position.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    instant = to_instant(as_of, "as_of")
    found: list[Escalation] = []
    for complaint in complaints:
        known = complaint.as_of(instant)
        if known is None or not known.is_open:
            continue
        state = known._state
        wanted: dict[EscalationTarget, list[tuple[EscalationReason, str]]] = {}
        major = policy.major_escalation
        if state.severity is Severity.MAJOR and not any(
            e.to == major.position for e in state.escalations
        ):
            wanted.setdefault(major, []).append(
                (EscalationReason.MAJOR, f"major complaint (重大投诉) goes to {major}")
            )
        breach = policy.breach_escalation
        status = sla_status(known, policy, calendar, instant)
        for target in status.breaches:
            if target.done_at is not None:
                continue  # done, if late: nothing left to chase
            if any(e.at >= target.deadline for e in state.escalations):
                continue
            wanted.setdefault(breach, []).append(
                (
                    EscalationReason.BREACH,
                    (
                        f"{target.target.value} target ({target.period}) breached at "
                        f"{target.deadline.isoformat()}"
                    ),
                )
            )
        if state.reopen_count >= policy.reopen_escalation_after:
            last_reopen = state.cycles[-1][0]
            if not any(e.at >= last_reopen for e in state.escalations):
                wanted.setdefault(breach, []).append(
                    (
                        EscalationReason.REPEATED_REOPENING,
                        f"reopened {state.reopen_count} times",
                    )
                )
        for to, items in wanted.items():
            reasons = tuple(dict.fromkeys(r for r, _ in items))
            found.append(Escalation(complaint.id, to, reasons, tuple(d for _, d in items)))
    found.sort(key=lambda e: (e.complaint_id, e.to.position))
    return tuple(found)
