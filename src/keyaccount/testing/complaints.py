"""Complaints for tests: histories built by valid transitions, and complaint policies."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import strategies as st

from keyaccount.calendar import Days, Hours, Period, Workdays, WorkingHours
from keyaccount.complaints import (
    Complaint,
    ComplaintPolicy,
    ComplaintStatus,
    EscalationTarget,
    Fault,
    FollowUpOutcome,
    RequestKind,
    Severity,
    SlaTarget,
    TargetRule,
)
from keyaccount.testing.amounts import money
from keyaccount.testing.times import aware_datetimes

__all__ = ["complaint_histories", "complaint_policies"]

_COMPLAINT_ACTORS = ("cs-specialist", "cs-supervisor", "customer-management-manager")


def _complaint_step(
    draw: st.DrawFn, complaint: Complaint, action: str, at: pendulum.DateTime
) -> Complaint:
    actor = st.sampled_from(_COMPLAINT_ACTORS)
    steps = {
        "accept": lambda: complaint.accept(by=draw(actor), at=at),
        "assign": lambda: complaint.assign(to=draw(actor), at=at),
        "pause": lambda: complaint.pause(at=at),
        "resume": lambda: complaint.resume(at=at),
        "escalate": lambda: complaint.escalate(
            to="crm-director",
            reason="重大投诉",
            at=at,
            outside_party=draw(st.sampled_from([None, "一汽-大众"])),
        ),
        "resolve": lambda: complaint.resolve(
            resolution="replaced the part",
            fault=draw(st.sampled_from(Fault)),
            root_cause=draw(st.sampled_from(["delivery", "quality", "billing", "misuse"])),
            claim_amount=draw(st.one_of(st.none(), money(max_amount=50_000))),
            at=at,
        ),
        "follow up": lambda: complaint.follow_up(
            outcome=draw(st.sampled_from(FollowUpOutcome)), by=draw(actor), at=at
        ),
        "reopen": lambda: complaint.reopen(reason="the customer called again", at=at),
        "close": lambda: complaint.close(by=draw(actor), at=at),
    }
    return steps[action]()


@st.composite
def complaint_histories(
    draw: st.DrawFn,
    max_events: int = 12,
    first: dt.date = dt.date(2024, 1, 2),
    last: dt.date = dt.date(2026, 6, 30),
    max_gap_minutes: int = 3 * 24 * 60,
    complaint_id: str | None = None,
) -> Complaint:
    """A complaint built by a random sequence of *valid* transitions.

    Events are `0` to `max_gap_minutes` apart (same-instant events included), so
    with the defaults every deadline stays inside `WorkCalendar.china()`'s years.
    """
    at = draw(aware_datetimes(first, last))
    complaint = Complaint.receive(
        complaint_id or draw(st.from_regex(r"C-[0-9]{1,6}", fullmatch=True)),
        at=at,
        kind=draw(st.sampled_from(RequestKind)),
        severity=draw(st.sampled_from(Severity)),
        customer_id=draw(st.sampled_from(["acme", "华北物流", "bright-star"])),
        channel=draw(st.sampled_from(["电话", "电邮", "来访"])),
        summary="the delivery was late",
    )
    for _ in range(draw(st.integers(0, max_events - 1))):
        actions = complaint.allowed_actions()
        if not actions:
            break
        at = at + dt.timedelta(minutes=draw(st.integers(0, max_gap_minutes)))
        complaint = _complaint_step(draw, complaint, draw(st.sampled_from(actions)), at)
    return complaint


def _sla_targets(day_periods: bool) -> st.SearchStrategy[SlaTarget]:
    hours = st.builds(WorkingHours, st.integers(1, 40), st.sampled_from([0, 30]))
    kinds: list[st.SearchStrategy[Period]] = [hours, st.builds(Hours, st.integers(1, 72))]
    if day_periods:
        kinds += [st.builds(Workdays, st.integers(1, 5)), st.builds(Days, st.integers(1, 7))]
    warn = st.one_of(
        st.builds(WorkingHours, st.integers(0, 4), st.sampled_from([0, 30])),
        st.builds(Hours, st.integers(0, 8)),
    )
    return st.builds(SlaTarget, st.one_of(kinds), warn)


@st.composite
def complaint_policies(draw: st.DrawFn, day_periods: bool = True) -> ComplaintPolicy:
    """Complaint policies with assorted targets (hour and, optionally, day periods)."""
    target = _sla_targets(day_periods)
    rules = [TargetRule(kind, draw(target), draw(target), draw(target)) for kind in RequestKind]
    rules.append(
        TargetRule(RequestKind.COMPLAINT, draw(target), draw(target), draw(target), Severity.MAJOR)
    )
    pausing = draw(
        st.sampled_from(
            [
                frozenset({ComplaintStatus.PAUSED}),
                frozenset({ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED}),
                frozenset(),
            ]
        )
    )
    return ComplaintPolicy(
        rules=tuple(rules),
        major_escalation=EscalationTarget("crm-director", "一汽-大众"),
        breach_escalation=EscalationTarget("customer-management-manager"),
        pausing_statuses=pausing,
        reopen_escalation_after=draw(st.integers(1, 3)),
    )
