"""What can happen to a customer request: its kinds, severities, statuses and events.

A complaint (报事: 投诉, 咨询, 建议, 质疑, seed ``000_…``) is nothing but its events; this
module holds their vocabulary. Each event is a small frozen class with an aware ``at``;
the statuses the events lead to are computed by the fold in `keyaccount.complaints.lifecycle`.

Examples:
    >>> import pendulum
    >>> at = pendulum.datetime(2026, 2, 13, 17, 30, tz="Asia/Shanghai")
    >>> Accepted(at, by="service-specialist-service").by
    'service-specialist-service'
    >>> Fault.NOT_OURS.label, Fault.NOT_OURS.apology_due
    ('非我方责任', False)
"""

from __future__ import annotations

from typing import TypeAlias

import attrs
import pendulum

from keyaccount._fields import (
    LabelledEnum,
    instant,
    optional_non_negative_money,
    optional_text,
    text,
)
from keyaccount.money import Money

__all__ = [
    "Accepted",
    "Assigned",
    "Closed",
    "ComplaintEvent",
    "ComplaintStatus",
    "Escalated",
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
]

# --------------------------------------------------------------------------- enums


class RequestKind(LabelledEnum):
    """The four kinds of customer request (报事: 投诉、咨询、建议、质疑, seed ``000_…``)."""

    COMPLAINT = "complaint", "投诉"
    INQUIRY = "inquiry", "咨询"
    SUGGESTION = "suggestion", "建议"
    QUERY = "query", "质疑"


class Severity(LabelledEnum):
    """How serious a request is; ``MAJOR`` is the seeds' 重大投诉 (escalated, ``004_…``)."""

    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    MAJOR = "major", "重大投诉"


class Fault(LabelledEnum):
    """Whose fault the matter was, as recorded on the complaint handling form (投诉处理单).

    Seed ``000_…``: if it is the company's fault, apologise at once; if not, stay
    courteous and explain patiently, "但是决不要说致歉的话语". `apology_due` says which.
    """

    OURS = "ours", "我方责任"
    NOT_OURS = "not-ours", "非我方责任"
    SHARED = "shared", "共同责任"

    @property
    def apology_due(self) -> bool:
        """Whether staff apologise: yes when the company is (partly) at fault, never otherwise."""
        return self is not Fault.NOT_OURS


class FollowUpOutcome(LabelledEnum):
    """The customer's answer on the follow-up call (回访): 满意 / 一般 / 不满意 (seed ``000_…``)."""

    SATISFIED = "satisfied", "满意"
    NEUTRAL = "neutral", "一般"
    UNSATISFIED = "unsatisfied", "不满意"


class ComplaintStatus(LabelledEnum):
    """Where a request stands in the closed loop (derived from its events, never stored)."""

    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "处理中"
    PAUSED = "paused", "等待客户"
    ESCALATED = "escalated", "升级处理"
    RESOLVED = "resolved", "待回访"
    FOLLOWED_UP = "followed-up", "已回访"
    CLOSED = "closed", "已归档"


# --------------------------------------------------------------------------- events


@attrs.frozen
class Received:
    """A request came in (the complaint handling form, 投诉处理单, is opened).

    Attributes:
        at: when it came in.
        kind: 投诉, 咨询, 建议 or 质疑.
        severity: how serious it is.
        customer_id: the customer's id (`Customer.id`).
        channel: how it came in, e.g. ``电话``.
        summary: what the customer said.
    """

    at: pendulum.DateTime = attrs.field(converter=instant)
    kind: RequestKind = attrs.field(validator=attrs.validators.instance_of(RequestKind))
    severity: Severity = attrs.field(validator=attrs.validators.instance_of(Severity))
    customer_id: str = attrs.field(validator=text)
    channel: str = attrs.field(validator=text)
    summary: str = attrs.field(validator=text)


@attrs.frozen
class Accepted:
    """The request was accepted (受理) by a position, which now holds it."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    by: str = attrs.field(validator=text)


@attrs.frozen
class Assigned:
    """The request was handed to another position (which now holds it)."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    to: str = attrs.field(validator=text)


@attrs.frozen
class Paused:
    """Handling waits for the customer (等待客户); policy decides whether the clock stops."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    reason: str = attrs.field(default="waiting for the customer (等待客户)", validator=text)


@attrs.frozen
class Resumed:
    """The customer answered; handling goes on."""

    at: pendulum.DateTime = attrs.field(converter=instant)


@attrs.frozen
class Escalated:
    """The request went up to a position (which now holds it), maybe with an outside party.

    ``outside_party`` is e.g. the manufacturer (厂家) a major complaint is handled with.
    """

    at: pendulum.DateTime = attrs.field(converter=instant)
    to: str = attrs.field(validator=text)
    reason: str = attrs.field(validator=text)
    outside_party: str | None = attrs.field(default=None, validator=optional_text)


@attrs.frozen
class Resolved:
    """Handling produced a result (迅速有结果): what was done, whose fault, the root cause.

    ``fault`` is always explicit: when the company is not at fault the record says so
    (courteous, but no apology, seed ``000_…``). ``claim_amount`` is what the customer
    claimed (客户索赔金额), if anything: zero or more (a negative claim raises
    ``InvalidAmountError``; a float ``FloatMoneyError``).
    """

    at: pendulum.DateTime = attrs.field(converter=instant)
    resolution: str = attrs.field(validator=text)
    fault: Fault = attrs.field(validator=attrs.validators.instance_of(Fault))
    root_cause: str = attrs.field(validator=text)
    claim_amount: Money | None = attrs.field(default=None, validator=optional_non_negative_money)


@attrs.frozen
class FollowedUp:
    """The return visit after handling (处理后有回访) with the customer's outcome."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    outcome: FollowUpOutcome = attrs.field(validator=attrs.validators.instance_of(FollowUpOutcome))
    by: str = attrs.field(validator=text)


@attrs.frozen
class Reopened:
    """The customer came back on their own: handling starts again."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    reason: str = attrs.field(validator=text)


@attrs.frozen
class Closed:
    """The loop is closed and the form archived (建立投诉归档资料)."""

    at: pendulum.DateTime = attrs.field(converter=instant)
    by: str = attrs.field(validator=text)


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
