"""Which open requests must be escalated now, to whom, and why.

Three rules, one function each: a major complaint (重大投诉) goes to the policy's major
target (seed ``004_…``: handled together with the manufacturer); a breached target
still outstanding, and a request reopened again and again, go to the breach target.
`escalations` merges their findings per complaint and position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, earlier, to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.complaints.complaint import Complaint
from keyaccount.complaints.events import Severity
from keyaccount.complaints.policy import ComplaintPolicy, EscalationTarget
from keyaccount.complaints.sla import sla_status

__all__ = ["Escalation", "EscalationReason", "escalations"]


class EscalationReason(LabelledEnum):
    """Why a request must be escalated now."""

    MAJOR = "major", "重大投诉"
    BREACH = "breach", "超时"
    REPEATED_REOPENING = "repeated-reopening", "多次重开"


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


@attrs.frozen
class _Finding:
    """One rule's finding: escalate to ``to`` for ``reason`` (``detail`` says why)."""

    to: EscalationTarget
    reason: EscalationReason
    detail: str


def _major(complaint: Complaint, policy: ComplaintPolicy) -> tuple[_Finding, ...]:
    """A major complaint goes to the major target until escalated to that position."""
    major = policy.major_escalation
    if complaint.severity is not Severity.MAJOR or any(
        e.to == major.position for e in complaint.escalation_history
    ):
        return ()
    return (_Finding(major, EscalationReason.MAJOR, f"major complaint (重大投诉) goes to {major}"),)


def _breaches(
    complaint: Complaint,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: pendulum.DateTime,
) -> tuple[_Finding, ...]:
    """Each outstanding breached target, unless escalated at or after its deadline."""
    history = complaint.escalation_history
    return tuple(
        _Finding(
            policy.breach_escalation,
            EscalationReason.BREACH,
            (
                f"{target.target.value} target ({target.period}) breached at "
                f"{target.deadline.isoformat()}"
            ),
        )
        for target in sla_status(complaint, policy, calendar, as_of).breaches
        # a target done late leaves nothing to chase
        if target.done_at is None and all(earlier(e.at, target.deadline) for e in history)
    )


def _repeated_reopening(complaint: Complaint, policy: ComplaintPolicy) -> tuple[_Finding, ...]:
    """Reopened often enough: to the breach target, unless escalated since the last reopening."""
    count = complaint.reopen_count
    if count < policy.reopen_escalation_after:
        return ()
    last_reopen = complaint.cycles[-1].start
    if not all(earlier(e.at, last_reopen) for e in complaint.escalation_history):
        return ()
    return (
        _Finding(
            policy.breach_escalation,
            EscalationReason.REPEATED_REOPENING,
            f"reopened {count} times",
        ),
    )


def _merged(complaint_id: str, findings: Iterable[_Finding]) -> tuple[Escalation, ...]:
    """One `Escalation` per position, its reasons in the order the rules found them."""
    by_target: dict[EscalationTarget, list[_Finding]] = {}
    for finding in findings:
        by_target.setdefault(finding.to, []).append(finding)
    return tuple(
        Escalation(
            complaint_id,
            to,
            tuple(dict.fromkeys(f.reason for f in found)),
            tuple(f.detail for f in found),
        )
        for to, found in by_target.items()
    )


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

    Reasons for the same position are merged into one `Escalation`. Closed requests are
    never escalated. Sorted by complaint id, then position.

    Args:
        complaints: the requests to look at.
        policy: the escalation targets and the reopening threshold.
        calendar: the working calendar the SLA targets run on.
        as_of: the instant to evaluate at (events after it are left out).

    Returns:
        The escalations due, one per complaint and position.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
        NotAnInstantError: ``as_of`` is not a datetime.
    """
    instant = to_instant(as_of, "as_of")
    found: list[Escalation] = []
    for complaint in complaints:
        known = complaint.as_of(instant)
        if known is None or not known.is_open:
            continue
        findings = (
            *_major(known, policy),
            *_breaches(known, policy, calendar, instant),
            *_repeated_reopening(known, policy),
        )
        found.extend(_merged(complaint.id, findings))
    found.sort(key=lambda e: (e.complaint_id, e.to.position))
    return tuple(found)
