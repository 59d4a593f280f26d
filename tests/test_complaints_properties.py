"""Property tests for complaints: the fold, the transitions and the SLA clock."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from keyaccount import (
    Accepted,
    Assigned,
    Complaint,
    ComplaintPolicy,
    ComplaintStatus,
    Days,
    Escalated,
    EscalationTarget,
    Fault,
    FollowedUp,
    FollowUpOutcome,
    Hours,
    Reopened,
    RequestKind,
    SlaState,
    SlaTarget,
    SlaTargetKind,
    TargetRule,
    TargetStatus,
    WorkCalendar,
    Workdays,
    WorkingHours,
    deadline,
    sla_status,
)
from keyaccount._fields import instant_key
from keyaccount.errors import InvalidTransition
from keyaccount.io import complaints_from_data, complaints_to_data
from keyaccount.testing import (
    complaint_histories,
    complaint_policies,
)

CAL = WorkCalendar.china()
ALL_ACTIONS = (
    "accept",
    "assign",
    "pause",
    "resume",
    "escalate",
    "resolve",
    "follow up",
    "reopen",
    "close",
)


@st.composite
def day_target_policies(draw: st.DrawFn) -> ComplaintPolicy:
    """Policies whose every target is a day period, and whose clock always stops."""
    day = st.builds(
        SlaTarget,
        st.one_of(st.builds(Workdays, st.integers(0, 5)), st.builds(Days, st.integers(0, 7))),
        st.builds(WorkingHours, st.integers(0, 4)),
    )
    rules = tuple(TargetRule(kind, draw(day), draw(day), draw(day)) for kind in RequestKind)
    pausing = draw(
        st.sampled_from(
            [
                frozenset({ComplaintStatus.PAUSED}),
                frozenset({ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED}),
            ]
        )
    )
    return ComplaintPolicy(
        rules=rules,
        major_escalation=EscalationTarget("crm-director", "一汽-大众"),
        breach_escalation=EscalationTarget("customer-management-manager"),
        pausing_statuses=pausing,
    )


#: Mixed policies, plus policies of day targets only so that pauses on them are common.
POLICIES = st.one_of(complaint_policies(), day_target_policies())


def _unpaused_deadline(t: TargetStatus) -> dt.datetime:
    return deadline(t.start, t.period, CAL).at


def _do(complaint: Complaint, action: str, at: dt.datetime) -> Complaint:
    calls = {
        "accept": lambda: complaint.accept(by="cs", at=at),
        "assign": lambda: complaint.assign(to="cs2", at=at),
        "pause": lambda: complaint.pause(at=at),
        "resume": lambda: complaint.resume(at=at),
        "escalate": lambda: complaint.escalate(to="crm-director", reason="r", at=at),
        "resolve": lambda: complaint.resolve(
            resolution="r", fault=Fault.OURS, root_cause="c", at=at
        ),
        "follow up": lambda: complaint.follow_up(
            outcome=FollowUpOutcome.SATISFIED, by="crm", at=at
        ),
        "reopen": lambda: complaint.reopen(reason="again", at=at),
        "close": lambda: complaint.close(by="crm", at=at),
    }
    return calls[action]()


@given(complaint_histories())
def test_any_sequence_of_valid_transitions_yields_a_consistent_state(c: Complaint) -> None:
    events = c.events
    # By the time line, not the wall clock: in a repeated hour 02:53 (summer time)
    # happens before 02:00 (winter time), which `<=` on one zone cannot see (PEP 495).
    assert all(instant_key(a.at) <= instant_key(b.at) for a, b in itertools.pairwise(events))
    reopenings = sum(
        isinstance(e, Reopened)
        or (isinstance(e, FollowedUp) and e.outcome is FollowUpOutcome.UNSATISFIED)
        for e in events
    )
    assert c.reopen_count == reopenings
    assert (c.position is None) == (c.accepted_at is None) == (c.status is ComplaintStatus.RECEIVED)
    if c.status is ComplaintStatus.CLOSED:
        assert c.latest_follow_up is not None
        assert c.latest_follow_up.outcome is not FollowUpOutcome.UNSATISFIED
    if c.status in (ComplaintStatus.RESOLVED, ComplaintStatus.FOLLOWED_UP):
        assert c.resolution is not None
    spans = c.status_spans()
    open_spans = [s for s in spans if s.end is None]
    if c.status in (ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED):
        assert len(open_spans) == 1
        assert open_spans[0].status is c.status
    else:
        assert open_spans == []
    handovers = [e for e in events if isinstance(e, (Accepted, Assigned, Escalated))]
    expected_owner = None
    if handovers:
        last = handovers[-1]
        expected_owner = last.by if isinstance(last, Accepted) else last.to
    assert c.position == expected_owner
    status = sla_status(c, ComplaintPolicy.default(), CAL, c.last_at)
    assert status.status is c.status
    assert status.targets[0].target is SlaTargetKind.ACCEPTANCE
    resolutions = [t for t in status.targets if t.target is SlaTargetKind.RESOLUTION]
    assert len(resolutions) == c.reopen_count + 1


@given(complaint_histories())
def test_replaying_the_events_gives_the_same_complaint(c: Complaint) -> None:
    again = Complaint(c.id, c.events)
    assert again == c
    assert (again.status, again.position, again.reopen_count) == (
        c.status,
        c.position,
        c.reopen_count,
    )
    step_by_step = Complaint(c.id, c.events[:1])
    for event in c.events[1:]:
        step_by_step = step_by_step.record(event)
    assert step_by_step == c
    assert step_by_step.status is c.status
    loaded = complaints_from_data(complaints_to_data([c]))
    assert loaded.problems == ()
    assert loaded.items == (c,)


@given(complaint_histories(), st.sampled_from(ALL_ACTIONS), st.integers(0, 600))
def test_an_illegal_transition_never_changes_anything(
    c: Complaint, action: str, minutes: int
) -> None:
    assume(action not in c.allowed_actions())
    before = (c.events, c.status, c.position, c.reopen_count, c.status_spans())
    with pytest.raises(InvalidTransition):
        _do(c, action, c.last_at + dt.timedelta(minutes=minutes))
    assert (c.events, c.status, c.position, c.reopen_count, c.status_spans()) == before


@given(complaint_histories(), st.integers(1, 600))
def test_an_event_before_the_last_one_is_refused(c: Complaint, minutes: int) -> None:
    action = c.allowed_actions()[0] if c.allowed_actions() else "close"
    with pytest.raises(InvalidTransition):
        _do(c, action, c.last_at - dt.timedelta(minutes=minutes))


@given(
    complaint_histories(max_events=6),
    POLICIES,
    st.integers(0, 3000),
    st.integers(0, 4000),
    st.integers(0, 3000),
)
def test_adding_a_pause_never_moves_a_deadline_earlier(
    c: Complaint, policy: ComplaintPolicy, wait: int, length: int, after: int
) -> None:
    assume(c.status in (ComplaintStatus.ACCEPTED, ComplaintStatus.ESCALATED))
    start = c.last_at + dt.timedelta(minutes=wait)
    end = start + dt.timedelta(minutes=length)
    as_of = end + dt.timedelta(minutes=after)
    paused = c.pause(at=start).resume(at=end)
    plain = sla_status(c, policy, CAL, as_of).targets
    with_pause = sla_status(paused, policy, CAL, as_of).targets
    assert len(plain) == len(with_pause)
    for a, b in zip(plain, with_pause, strict=True):
        assert (a.target, a.cycle) == (b.target, b.cycle)
        assert b.deadline >= a.deadline
        assert b.time_used <= a.time_used
        # the deadline moves by exactly the paused time the pause added
        if isinstance(b.period, (Workdays, WorkingHours)):
            assert CAL.working_time_between(a.deadline, b.deadline) == b.paused - a.paused
        else:
            assert a.deadline + (b.paused - a.paused) == b.deadline


@given(complaint_histories(), POLICIES, st.integers(0, 5000))
def test_time_left_plus_time_used_is_the_target(
    c: Complaint, policy: ComplaintPolicy, later: int
) -> None:
    as_of = c.last_at + dt.timedelta(minutes=later)
    for t in sla_status(c, policy, CAL, as_of).targets:
        assert t.time_used + t.time_left == t.allowed
        if isinstance(t.period, (WorkingHours, Hours)):
            assert t.allowed == t.period.duration
        elif isinstance(t.period, Workdays):  # from the start to the unpaused deadline
            assert t.allowed == CAL.working_time_between(t.start, _unpaused_deadline(t))
        else:
            assert t.allowed == _unpaused_deadline(t) - t.start
        if t.state is SlaState.RUNNING:
            assert as_of < t.deadline
            if isinstance(t.period, Workdays):
                # after the last window of the due date no working time is left, but
                # the target is not due before midnight
                assert t.time_left >= dt.timedelta(0)
            else:
                assert t.time_left > dt.timedelta(0)
        if t.state is SlaState.BREACHED and t.done_at is None:
            assert t.time_left <= dt.timedelta(0)
        assert t.paused >= dt.timedelta(0)


@given(complaint_histories(), POLICIES, st.integers(0, 3000), st.integers(1, 3000))
def test_the_deadline_of_a_running_target_does_not_change_as_time_passes(
    c: Complaint, policy: ComplaintPolicy, first: int, more: int
) -> None:
    early = c.last_at + dt.timedelta(minutes=first)
    late = early + dt.timedelta(minutes=more)
    for a, b in zip(
        sla_status(c, policy, CAL, early).targets,
        sla_status(c, policy, CAL, late).targets,
        strict=True,
    ):
        if a.state is SlaState.PAUSED:
            assert b.deadline >= a.deadline  # the pause goes on: only later
        else:
            assert b.deadline == a.deadline


@given(complaint_histories(), day_target_policies(), st.integers(0, 5000))
def test_a_day_target_is_extended_by_exactly_its_paused_time(
    c: Complaint, policy: ComplaintPolicy, later: int
) -> None:
    as_of = c.last_at + dt.timedelta(minutes=later)
    for t in sla_status(c, policy, CAL, as_of).targets:
        unpaused = _unpaused_deadline(t)
        if isinstance(t.period, Workdays):
            assert CAL.working_time_between(unpaused, t.deadline) == t.paused
            assert t.deadline == CAL.add_working_time(unpaused, t.paused)
        else:
            assert t.deadline == unpaused + t.paused
        if not t.paused:
            assert t.deadline == unpaused
            assert t.due_date == deadline(t.start, t.period, CAL).date
        # the local date of the deadline; a deadline at midnight ends the day before
        local = t.deadline.in_timezone(CAL.tz)
        at_midnight = local.time() == dt.time(0)
        assert t.due_date == (local.date().subtract(days=1) if at_midnight else local.date())
        if t.done_at is not None:
            assert (t.state is SlaState.MET) == (t.done_at < t.deadline)
