"""Complaints and service requests (报事): a closed loop whose SLAs come from its history.

Every customer request (报事: 投诉 complaint, 咨询 inquiry, 建议 suggestion, 质疑 query,
seed ``000_…``) is handled as a closed loop (闭环): "有投诉即时受理,迅速有结果,处理后有回访",
accepted at once, resolved quickly, visited back after handling, and archived (建立投诉归档资料).
Major complaints (重大投诉) are escalated and handled together with the manufacturer
(seed ``004_…``: "对于重大投诉,负责与一汽-大众共同协调处理").

A `Complaint` is nothing but its id and its events (`Received`, `Accepted`, `Assigned`,
`Paused`, `Resumed`, `Escalated`, `Resolved`, `FollowedUp`, `Reopened`, `Closed`). Its
status, the position holding it, deadlines and SLA figures are derived by folding the
events, so a changed `ComplaintPolicy`, severity or calendar recomputes them; nothing
derived is stored.

| module | answers |
|---|---|
| `events` | what can happen to a request: kinds, severities, statuses, the events |
| `lifecycle` | which moves each status allows; what the events fold to |
| `complaint` | the `Complaint` value and its checked moves |
| `policy` | the targets of each kind of request, the clock, who escalates |
| `sla` | is the request handled in time (`sla_status`) |
| `escalation` | which requests must be escalated now, to whom, why (`escalations`) |

Transitions are pure methods that return a new complaint and are checked:

Examples:
    >>> import pendulum
    >>> at = pendulum.datetime(2026, 2, 13, 17, 30, tz="Asia/Shanghai")
    >>> c = Complaint.receive("C-1", at=at, kind=RequestKind.COMPLAINT,
    ...                       severity=Severity.NORMAL, customer_id="acme", channel="电话",
    ...                       summary="late delivery")
    >>> c = c.accept(by="service-specialist-service", at=at.add(minutes=10))
    >>> c.status, c.position
    (<ComplaintStatus.ACCEPTED: 'accepted'>, 'service-specialist-service')
    >>> c.allowed_actions()
    ('assign', 'pause', 'escalate', 'resolve')
    >>> c.close(by="crm-manager", at=at.add(hours=1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    keyaccount.errors.InvalidTransition: cannot close complaint 'C-1': it is accepted ...
"""

from __future__ import annotations

from keyaccount.complaints.complaint import Complaint
from keyaccount.complaints.escalation import Escalation, EscalationReason, escalations
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
from keyaccount.complaints.lifecycle import HandlingCycle, StatusSpan
from keyaccount.complaints.policy import (
    ComplaintPolicy,
    EscalationTarget,
    SlaTarget,
    TargetRule,
)
from keyaccount.complaints.sla import (
    SlaState,
    SlaStatus,
    SlaTargetKind,
    TargetStatus,
    sla_status,
)

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
    "HandlingCycle",
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
    "StatusSpan",
    "TargetRule",
    "TargetStatus",
    "escalations",
    "sla_status",
]
