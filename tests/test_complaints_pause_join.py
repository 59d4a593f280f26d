"""A pause that passes through two pausing statuses across a deadline is one pause."""

from __future__ import annotations

import datetime as dt

import pendulum

from keyaccount import (
    Accepted,
    ComplaintPolicy,
    ComplaintStatus,
    EscalationTarget,
    Received,
    RequestKind,
    Severity,
    SlaTarget,
    TargetRule,
    WorkCalendar,
    Workdays,
    WorkingHours,
    sla_status,
)
from keyaccount.complaints import Complaint, Escalated

SH = "Asia/Shanghai"


def _policy() -> ComplaintPolicy:
    none = SlaTarget(Workdays(0), WorkingHours(0))
    three = SlaTarget(Workdays(3), WorkingHours(0))
    rules = tuple(
        TargetRule(kind, none, three if kind is RequestKind.COMPLAINT else none, none)
        for kind in RequestKind
    )
    return ComplaintPolicy(
        rules=rules,
        major_escalation=EscalationTarget("crm-director", "x"),
        breach_escalation=EscalationTarget("cmm"),
        pausing_statuses=frozenset({ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED}),
        reopen_escalation_after=2,
    )


def test_paused_then_escalated_at_the_deadline_still_extends_it() -> None:
    # Received Sunday 10 March 2024: three working days end with Wednesday the 13th, so the
    # resolution is due at midnight. Escalated at 20:00 on the 13th, the complaint is paused
    # at once and resumed (back to escalated) exactly at midnight, the deadline.
    cal = WorkCalendar.china()
    complaint = Complaint(
        "C-0",
        (
            Received(
                pendulum.datetime(2024, 3, 10, 14, 36, tz=SH),
                RequestKind.COMPLAINT,
                Severity.NORMAL,
                "acme",
                "电话",
                "late",
            ),
            Accepted(pendulum.datetime(2024, 3, 10, 20, 0, tz=SH), "cs"),
            Escalated(pendulum.datetime(2024, 3, 13, 20, 0, tz=SH), "crm-director", "r", None),
        ),
    )
    midnight = pendulum.datetime(2024, 3, 14, 0, 0, tz=SH)
    paused = complaint.pause(at=complaint.last_at).resume(at=midnight)
    as_of = midnight + dt.timedelta(hours=9, minutes=1)
    policy = _policy()

    def resolution(c: Complaint) -> pendulum.DateTime:
        (target,) = [
            t for t in sla_status(c, policy, cal, as_of).targets if t.target.value == "resolution"
        ]
        return target.deadline

    # One minute of working time (09:00-09:01 on the 14th) passed in a pausing status, with
    # or without the pause in between: the deadline moves by that minute in both histories.
    assert resolution(complaint) == pendulum.datetime(2024, 3, 14, 9, 1, tz=SH)
    assert resolution(paused) == resolution(complaint)
