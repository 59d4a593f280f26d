"""Example tests for complaints: the closed loop, SLAs on the Chinese calendar, escalation."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from keyaccount import (
    Complaint,
    ComplaintPolicy,
    ComplaintStatus,
    Days,
    EscalationReason,
    EscalationTarget,
    Fault,
    FollowUpOutcome,
    HandlingCycle,
    Hours,
    Period,
    RequestKind,
    Severity,
    SlaState,
    SlaTarget,
    SlaTargetKind,
    StatusSpan,
    TargetRule,
    TargetStatus,
    WorkCalendar,
    Workdays,
    WorkingHours,
    escalations,
    sla_status,
)
from keyaccount.errors import (
    FloatMoneyError,
    InvalidPolicyError,
    InvalidTextError,
    InvalidTransition,
    NaiveDatetimeError,
)

CAL = WorkCalendar.china()
POLICY = ComplaintPolicy.default()
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz="Asia/Shanghai")


def received(
    at: pendulum.DateTime, severity: Severity = Severity.NORMAL, cid: str = "C-1"
) -> Complaint:
    return Complaint.receive(
        cid,
        at=at,
        kind=RequestKind.COMPLAINT,
        severity=severity,
        customer_id="acme",
        channel="电话",
        summary="the delivery was late",
    )


def target(
    complaint: Complaint, as_of: pendulum.DateTime, which: SlaTargetKind, cycle: int = 0
) -> TargetStatus:
    status = sla_status(complaint, POLICY, CAL, as_of)
    return next(t for t in status.targets if t.target is which and t.cycle == cycle)


# ------------------------------------------------------------------- the Spring Festival


def test_friday_evening_complaint_is_due_on_the_make_up_saturday_before_the_break() -> None:
    # Fri 2026-02-13 17:30: 30 minutes of working time left that day (to 18:00). Sat 14th
    # is a make-up working day (调休) in the State Council's 2026 notice: 09:00-12:00 gives
    # 3 h (3.5 h in all), 13:00-13:30 the last 30 minutes. The break (15th-23rd) is
    # never reached.
    complaint = received(sh(2026, 2, 13, 17, 30))
    acceptance = target(complaint, sh(2026, 2, 14, 12, 30), SlaTargetKind.ACCEPTANCE)
    assert acceptance.period == WorkingHours(4)
    assert acceptance.deadline == sh(2026, 2, 14, 13, 30)
    assert acceptance.state is SlaState.RUNNING
    assert acceptance.time_used == 3 * H + 30 * M
    assert acceptance.time_left == 30 * M
    assert acceptance.nearing_breach  # the default warns with 1 working hour left


def test_friday_evening_complaint_not_accepted_by_saturday_1330_is_breached_over_the_break() -> (
    None
):
    complaint = received(sh(2026, 2, 13, 17, 30))
    during_break = target(complaint, sh(2026, 2, 18, 10, 0), SlaTargetKind.ACCEPTANCE)
    assert during_break.state is SlaState.BREACHED
    # the holiday adds no working time: overdue by Saturday's 13:30-18:00 only
    assert during_break.overdue == 4 * H + 30 * M
    accepted = complaint.accept(by="cs-specialist", at=sh(2026, 2, 24, 9, 15))
    late = target(accepted, sh(2026, 2, 24, 12, 0), SlaTargetKind.ACCEPTANCE)
    assert late.state is SlaState.BREACHED
    assert late.done_at == sh(2026, 2, 24, 9, 15)


def test_friday_evening_complaint_accepted_saturday_morning_meets_its_target() -> None:
    complaint = received(sh(2026, 2, 13, 17, 30)).accept(by="cs", at=sh(2026, 2, 14, 9, 5))
    acceptance = target(complaint, sh(2026, 2, 25, 9, 0), SlaTargetKind.ACCEPTANCE)
    assert acceptance.state is SlaState.MET
    assert acceptance.time_used == 35 * M
    assert acceptance.time_left == 3 * H + 25 * M


# ------------------------------------------------------------------- pauses


def _paused_over_weekend() -> Complaint:
    return (
        received(sh(2026, 3, 5, 10, 0))  # a Thursday
        .accept(by="cs", at=sh(2026, 3, 5, 10, 30))
        .pause(at=sh(2026, 3, 6, 17, 0))  # Friday 17:00
        .resume(at=sh(2026, 3, 9, 10, 0))  # Monday 10:00
    )


def test_a_pause_over_a_weekend_extends_the_deadline_by_its_working_time_only() -> None:
    # Without the pause, 16 working hours from Thu 10:00 end Mon 10:00 (Thu 7 h, Fri 8 h,
    # Mon 1 h). The pause holds Fri 17:00-18:00 and Mon 09:00-10:00 of working time:
    # 2 hours, not the 65 hours on the wall clock, so the deadline moves to Mon 12:00.
    complaint = _paused_over_weekend()
    without = target(received(sh(2026, 3, 5, 10, 0)), sh(2026, 3, 5, 11), SlaTargetKind.RESOLUTION)
    assert without.deadline == sh(2026, 3, 9, 10, 0)
    resolution = target(complaint, sh(2026, 3, 9, 11, 0), SlaTargetKind.RESOLUTION)
    assert resolution.paused == 2 * H
    assert resolution.deadline == sh(2026, 3, 9, 12, 0)
    assert resolution.state is SlaState.RUNNING
    assert resolution.time_used == 15 * H
    assert resolution.time_left == 1 * H


def test_while_paused_the_clock_stops_and_the_deadline_is_as_if_resumed_now() -> None:
    complaint = received(sh(2026, 3, 5, 10, 0)).accept(by="cs", at=sh(2026, 3, 5, 10, 30))
    complaint = complaint.pause(at=sh(2026, 3, 6, 17, 0))
    saturday = target(complaint, sh(2026, 3, 7, 12, 0), SlaTargetKind.RESOLUTION)
    assert saturday.state is SlaState.PAUSED
    assert saturday.time_used == 14 * H
    assert saturday.time_left == 2 * H
    # resumed "now" on Saturday: the next working time is Monday 09:00, plus 2 hours
    assert saturday.deadline == sh(2026, 3, 9, 11, 0)
    monday = target(complaint, sh(2026, 3, 9, 15, 0), SlaTargetKind.RESOLUTION)
    assert monday.deadline > saturday.deadline
    assert monday.time_used == 14 * H


def test_a_pause_after_the_deadline_does_not_rescue_a_breach() -> None:
    complaint = (
        received(sh(2026, 3, 2, 9, 0))
        .accept(by="cs", at=sh(2026, 3, 2, 9, 30))
        .pause(at=sh(2026, 3, 5, 9, 0))  # 16 working hours ran out Tue 18:00
    )
    resolution = target(complaint, sh(2026, 3, 6, 9, 0), SlaTargetKind.RESOLUTION)
    assert resolution.deadline == sh(2026, 3, 3, 18, 0)
    assert resolution.state is SlaState.BREACHED
    assert resolution.paused == dt.timedelta(0)


def test_escalated_time_stops_the_clock_only_when_the_policy_says_so() -> None:
    complaint = (
        received(sh(2026, 3, 2, 9, 0), Severity.MAJOR)
        .accept(by="cs", at=sh(2026, 3, 2, 9, 10))
        .escalate(
            to="crm-director",
            reason="重大投诉",
            at=sh(2026, 3, 2, 10, 0),
            outside_party="一汽-大众",
        )
    )
    as_of = sh(2026, 3, 4, 10, 0)
    running = sla_status(complaint, POLICY, CAL, as_of).current
    assert {t.target: t.state for t in running}[SlaTargetKind.RESOLUTION] is SlaState.RUNNING
    waiting_for_the_manufacturer = ComplaintPolicy(
        rules=POLICY.rules,
        major_escalation=POLICY.major_escalation,
        breach_escalation=POLICY.breach_escalation,
        pausing_statuses=frozenset({ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED}),
    )
    stopped = sla_status(complaint, waiting_for_the_manufacturer, CAL, as_of).current
    resolution = next(t for t in stopped if t.target is SlaTargetKind.RESOLUTION)
    assert resolution.state is SlaState.PAUSED
    assert resolution.time_used == 1 * H  # 09:00-10:00 before the escalation


def _day_policy(resolution: Period) -> ComplaintPolicy:
    rules = tuple(
        TargetRule(
            kind,
            SlaTarget(WorkingHours(4)),
            SlaTarget(resolution, WorkingHours(4)),
            SlaTarget(Workdays(3)),
        )
        for kind in RequestKind
    )
    return ComplaintPolicy(rules, POLICY.major_escalation, POLICY.breach_escalation)


def _resolution(complaint: Complaint, policy: ComplaintPolicy, as_of: dt.datetime) -> TargetStatus:
    return next(
        t
        for t in sla_status(complaint, policy, CAL, as_of).targets
        if t.target is SlaTargetKind.RESOLUTION
    )


def test_a_one_hour_pause_extends_a_workday_target_by_exactly_one_working_hour() -> None:
    policy = _day_policy(Workdays(2))
    complaint = received(sh(2026, 3, 2, 9, 0)).accept(by="cs", at=sh(2026, 3, 2, 9, 10))
    # Mon 2nd + 2 working days is Wed 4th: due before Thu 5th 00:00
    plain = _resolution(complaint, policy, sh(2026, 3, 2, 12))
    assert plain.due_date == pendulum.date(2026, 3, 4)
    assert plain.deadline == sh(2026, 3, 5, 0, 0)
    paused = complaint.pause(at=sh(2026, 3, 2, 10, 0)).resume(at=sh(2026, 3, 2, 11, 0))
    extended = _resolution(paused, policy, sh(2026, 3, 2, 12))
    # the paused hour runs on from Thu 00:00: Thu's first window opens at 09:00, so 10:00
    assert extended.paused == 1 * H
    assert extended.deadline == sh(2026, 3, 5, 10, 0)
    assert extended.due_date == pendulum.date(2026, 3, 5)
    assert CAL.working_time_between(plain.deadline, extended.deadline) == 1 * H
    # Mon 09:00-12:00 is 3 h, 1 h of it paused; left: Mon 13-18, Tue, Wed, Thu 09-10
    assert (extended.time_used, extended.time_left) == (2 * H, (5 + 8 + 8 + 1) * H)
    assert extended.allowed == plain.allowed == 24 * H  # three 8-hour days, Mon to Wed
    on_time = paused.resolve(
        resolution="r", fault=Fault.OURS, root_cause="c", at=sh(2026, 3, 5, 9, 59)
    )
    assert _resolution(on_time, policy, sh(2026, 3, 6, 9)).state is SlaState.MET
    late = paused.resolve(resolution="r", fault=Fault.OURS, root_cause="c", at=sh(2026, 3, 5, 10))
    assert _resolution(late, policy, sh(2026, 3, 6, 9)).state is SlaState.BREACHED


def test_a_workday_extension_starts_at_the_next_working_window() -> None:
    # Wed 4th + 2 working days is Fri 6th, due before Sat 7th 00:00; the weekend holds no
    # working time, so one paused working hour ends Mon 9th at 10:00
    policy = _day_policy(Workdays(2))
    complaint = (
        received(sh(2026, 3, 4, 9, 0))
        .accept(by="cs", at=sh(2026, 3, 4, 9, 10))
        .pause(at=sh(2026, 3, 4, 14, 0))
        .resume(at=sh(2026, 3, 4, 15, 0))
    )
    resolution = _resolution(complaint, policy, sh(2026, 3, 4, 16))
    assert resolution.deadline == sh(2026, 3, 9, 10, 0)
    assert resolution.due_date == pendulum.date(2026, 3, 9)


def test_a_pause_over_a_weekend_does_not_count_the_weekend_on_a_workday_target() -> None:
    policy = _day_policy(Workdays(2))
    # Thu 5th + 2 working days is Mon 9th (the weekend is not a working day): due before
    # Tue 10th 00:00. Paused Fri 17:00 to Mon 10:00: Fri 17-18 and Mon 9-10, 2 h in all.
    complaint = (
        received(sh(2026, 3, 5, 9, 0))
        .accept(by="cs", at=sh(2026, 3, 5, 9, 10))
        .pause(at=sh(2026, 3, 6, 17, 0))
        .resume(at=sh(2026, 3, 9, 10, 0))
    )
    resolution = _resolution(complaint, policy, sh(2026, 3, 9, 11))
    assert resolution.paused == 2 * H
    assert resolution.deadline == sh(2026, 3, 10, 11, 0)
    assert resolution.due_date == pendulum.date(2026, 3, 10)
    assert resolution.state is SlaState.RUNNING


def test_a_pause_on_a_calendar_day_target_extends_it_by_the_elapsed_time() -> None:
    policy = _day_policy(Days(2))
    complaint = received(sh(2026, 3, 6, 9, 0)).accept(by="cs", at=sh(2026, 3, 6, 9, 10))
    # Fri 6th + 2 days is Sun 8th, due before Mon 9th 00:00; a pause of 1 h 30 min
    # (the weekend is not skipped on an elapsed clock) moves it to Mon 01:30
    paused = complaint.pause(at=sh(2026, 3, 7, 22, 0)).resume(at=sh(2026, 3, 7, 23, 30))
    resolution = _resolution(paused, policy, sh(2026, 3, 8, 12))
    assert resolution.paused == 90 * M
    assert resolution.deadline == sh(2026, 3, 9, 1, 30)
    assert resolution.due_date == pendulum.date(2026, 3, 9)
    # Fri 09:00 to Mon 00:00 is 15 + 24 + 24 = 63 h; to Sun 12:00 51 h, 1.5 h of it
    # paused; from Sun 12:00 to Mon 01:30, 13.5 h are left
    assert resolution.allowed == 63 * H
    assert (resolution.time_used, resolution.time_left) == (49 * H + 30 * M, 13 * H + 30 * M)


# ------------------------------------------------------------------- the closed loop


def _resolved(fault: Fault = Fault.OURS) -> Complaint:
    return (
        received(sh(2026, 3, 9, 9, 0))
        .accept(by="cs-specialist", at=sh(2026, 3, 9, 9, 20))
        .resolve(
            resolution="re-delivered",
            fault=fault,
            root_cause="warehouse picking",
            at=sh(2026, 3, 9, 16, 0),
        )
    )


def test_a_complaint_cannot_close_without_a_follow_up_visit() -> None:
    with pytest.raises(InvalidTransition, match=r"before a follow-up visit \(回访\)"):
        _resolved().close(by="crm-manager", at=sh(2026, 3, 10, 9, 0))


def test_a_satisfied_follow_up_lets_the_complaint_close() -> None:
    complaint = _resolved().follow_up(
        outcome=FollowUpOutcome.SATISFIED, by="crm-manager", at=sh(2026, 3, 10, 10, 0)
    )
    closed = complaint.close(by="crm-manager", at=sh(2026, 3, 10, 10, 5))
    assert closed.status is ComplaintStatus.CLOSED
    assert not closed.is_open
    assert closed.allowed_actions() == ()
    follow_up = target(closed, sh(2026, 3, 11, 9, 0), SlaTargetKind.FOLLOW_UP)
    assert follow_up.state is SlaState.MET
    assert follow_up.due_date == pendulum.date(2026, 3, 12)  # 3 working days after Mon 9th


def test_an_unsatisfied_follow_up_reopens_the_complaint_with_a_new_resolution_target() -> None:
    complaint = _resolved().follow_up(
        outcome=FollowUpOutcome.UNSATISFIED, by="crm-manager", at=sh(2026, 3, 10, 11, 0)
    )
    assert complaint.status is ComplaintStatus.ACCEPTED
    assert complaint.reopen_count == 1
    assert complaint.position == "cs-specialist"
    # 16 working hours from Tue 11:00: Tue 6 h, Wed 8 h, Thu 09:00-11:00
    again = target(complaint, sh(2026, 3, 10, 15, 0), SlaTargetKind.RESOLUTION, cycle=1)
    assert again.start == sh(2026, 3, 10, 11, 0)
    assert again.deadline == sh(2026, 3, 12, 11, 0)
    first = target(complaint, sh(2026, 3, 10, 15, 0), SlaTargetKind.RESOLUTION, cycle=0)
    assert first.state is SlaState.MET


def test_a_customer_may_reopen_after_a_satisfied_follow_up() -> None:
    complaint = (
        _resolved()
        .follow_up(outcome=FollowUpOutcome.NEUTRAL, by="crm", at=sh(2026, 3, 10, 10, 0))
        .reopen(reason="the part failed again", at=sh(2026, 3, 16, 9, 0))
    )
    assert complaint.status is ComplaintStatus.ACCEPTED
    assert complaint.reopen_count == 1
    status = sla_status(complaint, POLICY, CAL, sh(2026, 3, 16, 10, 0))
    assert [(t.target, t.cycle) for t in status.targets] == [
        (SlaTargetKind.ACCEPTANCE, 0),
        (SlaTargetKind.RESOLUTION, 0),
        (SlaTargetKind.FOLLOW_UP, 0),
        (SlaTargetKind.RESOLUTION, 1),
    ]


def test_reopening_before_the_follow_up_drops_that_follow_up_target() -> None:
    complaint = _resolved().reopen(reason="not fixed", at=sh(2026, 3, 10, 9, 0))
    status = sla_status(complaint, POLICY, CAL, sh(2026, 3, 20, 9, 0))
    assert SlaTargetKind.FOLLOW_UP not in {t.target for t in status.targets if t.cycle == 0}


def test_when_the_company_is_not_at_fault_the_record_says_so_and_no_apology_is_due() -> None:
    complaint = _resolved(Fault.NOT_OURS)
    assert complaint.resolution is not None
    assert complaint.resolution.fault is Fault.NOT_OURS
    assert complaint.resolution.fault.label == "非我方责任"
    assert not Fault.NOT_OURS.apology_due
    assert Fault.OURS.apology_due
    assert Fault.SHARED.apology_due


def test_an_illegal_transition_says_what_is_allowed_from_here() -> None:
    complaint = received(sh(2026, 3, 9, 9, 0))
    with pytest.raises(InvalidTransition, match=r"allowed from here: accept$"):
        complaint.resolve(
            resolution="x", fault=Fault.OURS, root_cause="y", at=sh(2026, 3, 9, 10, 0)
        )


def test_an_event_earlier_than_the_previous_one_is_refused() -> None:
    complaint = received(sh(2026, 3, 9, 9, 0))
    with pytest.raises(InvalidTransition, match="earlier than the previous event"):
        complaint.accept(by="cs", at=sh(2026, 3, 9, 8, 59))
    same_instant = complaint.accept(by="cs", at=sh(2026, 3, 9, 9, 0))
    assert same_instant.status is ComplaintStatus.ACCEPTED


def test_a_closed_complaint_is_final() -> None:
    closed = (
        _resolved()
        .follow_up(outcome=FollowUpOutcome.SATISFIED, by="crm", at=sh(2026, 3, 10, 10, 0))
        .close(by="crm", at=sh(2026, 3, 10, 11, 0))
    )
    with pytest.raises(InvalidTransition, match=r"nothing \(it is final\)"):
        closed.reopen(reason="again", at=sh(2026, 3, 11, 9, 0))


def test_a_history_must_start_with_one_received_event() -> None:
    complaint = received(sh(2026, 3, 9, 9, 0))
    with pytest.raises(InvalidTransition, match="received once"):
        Complaint("C-1", (*complaint.events, complaint.events[0]))
    with pytest.raises(InvalidTransition, match="must start with a Received"):
        Complaint("C-1", complaint.accept(by="cs", at=sh(2026, 3, 9, 9, 5)).events[1:])


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        received(sh(2026, 3, 9, 9, 0)).accept(by="cs", at=dt.datetime(2026, 3, 9, 10))  # noqa: DTZ001 - the point of the test


def test_sla_status_leaves_out_events_after_as_of() -> None:
    complaint = _resolved()
    before = sla_status(complaint, POLICY, CAL, sh(2026, 3, 9, 9, 10))
    assert before.status is ComplaintStatus.RECEIVED
    assert [t.state for t in before.targets] == [SlaState.RUNNING, SlaState.RUNNING]
    nothing = sla_status(complaint, POLICY, CAL, sh(2026, 3, 1, 9, 0))
    assert nothing.status is None
    assert nothing.targets == ()


def test_a_blank_complaint_id_or_customer_id_is_refused_as_invalid_text() -> None:
    complaint = received(sh(2026, 3, 9, 9, 0))
    with pytest.raises(InvalidTextError):
        Complaint("  ", complaint.events)
    with pytest.raises(ValueError, match="customer_id"):  # InvalidTextError is a ValueError
        Complaint.receive(
            "C-2",
            at=sh(2026, 3, 9, 9, 0),
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer_id="",
            channel="电话",
            summary="s",
        )


def test_a_float_claim_amount_is_refused_as_float_money() -> None:
    with pytest.raises(FloatMoneyError):
        received(sh(2026, 3, 9, 9, 0)).accept(by="cs", at=sh(2026, 3, 9, 9, 5)).resolve(
            resolution="r",
            fault=Fault.OURS,
            root_cause="c",
            at=sh(2026, 3, 9, 10, 0),
            claim_amount=100.0,  # type: ignore[arg-type]  # the point of the test
        )


def test_a_recorded_event_gives_the_same_complaint_as_the_longer_history() -> None:
    complaint = _resolved()
    followed = complaint.follow_up(
        outcome=FollowUpOutcome.UNSATISFIED, by="crm", at=sh(2026, 3, 10, 9, 0)
    )
    again = Complaint(complaint.id, (*complaint.events, followed.events[-1]))
    assert followed == again
    assert (followed.status, followed.position, followed.cycles) == (
        again.status,
        again.position,
        again.cycles,
    )


def test_the_cycles_and_spans_of_a_complaint_are_named_values() -> None:
    complaint = (
        _paused_over_weekend()
        .resolve(resolution="r", fault=Fault.OURS, root_cause="c", at=sh(2026, 3, 9, 11, 0))
        .reopen(reason="again", at=sh(2026, 3, 9, 15, 0))
    )
    assert complaint.status_spans() == (
        StatusSpan(ComplaintStatus.PAUSED, sh(2026, 3, 6, 17, 0), sh(2026, 3, 9, 10, 0)),
    )
    assert complaint.cycles == (
        HandlingCycle(sh(2026, 3, 5, 10, 0), sh(2026, 3, 9, 11, 0), reopened_before_follow_up=True),
        HandlingCycle(sh(2026, 3, 9, 15, 0)),
    )
    assert complaint.customer_id == "acme"


def test_a_target_resumed_exactly_at_as_of_is_running_whichever_datetime_object_is_given() -> None:
    complaint = _paused_over_weekend()
    resumed_at = complaint.last_at  # the Resumed event's own instant
    same_object = target(complaint, resumed_at, SlaTargetKind.RESOLUTION)
    equal_copy = target(complaint, sh(2026, 3, 9, 10, 0), SlaTargetKind.RESOLUTION)
    assert same_object == equal_copy
    assert same_object.state is SlaState.RUNNING


# ------------------------------------------------------------------- escalation


def test_a_major_complaint_is_escalated_to_the_position_the_policy_names() -> None:
    major = received(sh(2026, 3, 9, 9, 0), Severity.MAJOR).accept(by="cs", at=sh(2026, 3, 9, 9, 5))
    (due,) = escalations([major], POLICY, CAL, sh(2026, 3, 9, 9, 30))
    assert due.complaint_id == "C-1"
    assert due.to == EscalationTarget("crm-director", "一汽-大众")
    assert due.reasons == (EscalationReason.MAJOR,)
    other = ComplaintPolicy(
        POLICY.rules, EscalationTarget("customer-service-manager"), POLICY.breach_escalation
    )
    (due,) = escalations([major], other, CAL, sh(2026, 3, 9, 9, 30))
    assert due.to.position == "customer-service-manager"
    done = major.escalate(
        to="crm-director", reason="重大投诉", at=sh(2026, 3, 9, 9, 40), outside_party="一汽-大众"
    )
    assert escalations([done], POLICY, CAL, sh(2026, 3, 9, 10, 0)) == ()
    assert done.position == "crm-director"


def test_a_breached_target_is_escalated_until_someone_escalates_it() -> None:
    late = received(sh(2026, 3, 9, 9, 0))
    (due,) = escalations([late], POLICY, CAL, sh(2026, 3, 9, 14, 0))  # 4 h ran out at 14:00
    assert due.reasons == (EscalationReason.BREACH,)
    assert due.to == POLICY.breach_escalation
    assert escalations([late], POLICY, CAL, sh(2026, 3, 9, 13, 59)) == ()
    accepted_late = late.accept(by="cs", at=sh(2026, 3, 9, 15, 0))
    assert escalations([accepted_late], POLICY, CAL, sh(2026, 3, 9, 16, 0)) == ()


def test_a_complaint_reopened_twice_is_escalated() -> None:
    complaint = _resolved()
    for day in (10, 12):
        complaint = complaint.follow_up(
            outcome=FollowUpOutcome.UNSATISFIED, by="crm", at=sh(2026, 3, day, 10, 0)
        ).resolve(
            resolution="tried again",
            fault=Fault.SHARED,
            root_cause="quality",
            at=sh(2026, 3, day, 15, 0),
        )
    reasons = {
        r for e in escalations([complaint], POLICY, CAL, sh(2026, 3, 12, 16, 0)) for r in e.reasons
    }
    assert reasons == {EscalationReason.REPEATED_REOPENING}


def test_closed_complaints_are_never_escalated() -> None:
    closed = (
        _resolved()
        .follow_up(outcome=FollowUpOutcome.SATISFIED, by="crm", at=sh(2026, 3, 10, 10, 0))
        .close(by="crm", at=sh(2026, 3, 10, 11, 0))
    )
    assert escalations([closed], POLICY, CAL, sh(2026, 6, 1, 9, 0)) == ()


# ------------------------------------------------------------------- policy


def test_a_policy_must_give_targets_for_every_kind_and_severity() -> None:
    only_complaints = tuple(r for r in POLICY.rules if r.kind is RequestKind.COMPLAINT)
    with pytest.raises(InvalidPolicyError, match="inquiry/normal"):
        ComplaintPolicy(only_complaints, POLICY.major_escalation, POLICY.breach_escalation)


def test_only_paused_and_escalated_can_stop_the_clock() -> None:
    with pytest.raises(InvalidPolicyError, match="received"):
        ComplaintPolicy(
            POLICY.rules,
            POLICY.major_escalation,
            POLICY.breach_escalation,
            pausing_statuses=frozenset({ComplaintStatus.RECEIVED}),
        )


def test_the_default_policy_carries_the_seeds_three_day_return_visit() -> None:
    rule = POLICY.rule_for(RequestKind.COMPLAINT, Severity.NORMAL)
    # 三天之内回访 has one reading, the visits' (issue 9): three calendar days.
    assert rule.follow_up.within == Days(3)
    assert POLICY.rule_for(RequestKind.INQUIRY, Severity.MAJOR).kind is RequestKind.INQUIRY
    assert RequestKind.QUERY.label == "质疑"
    assert Severity.MAJOR.label == "重大投诉"


def test_elapsed_time_across_the_autumn_clock_change_counts_the_repeated_hour() -> None:
    """New York repeats 01:00-02:00 on 2024-11-03; an Hours target runs on real time."""
    policy = attrs.evolve(
        POLICY,
        rules=tuple(
            attrs.evolve(rule, acceptance=SlaTarget(Hours(3), warn=Hours(0)))
            for rule in POLICY.rules
        ),
    )
    new_york = "America/New_York"
    start = pendulum.datetime(2024, 11, 3, 4, 30, tz="UTC").in_timezone(new_york)  # 00:30 EDT
    as_of = pendulum.datetime(2024, 11, 3, 6, 30, tz="UTC").in_timezone(new_york)  # 01:30 EST
    complaint = received(start)

    (acceptance,) = [
        t
        for t in sla_status(complaint, policy, CAL, as_of).targets
        if t.target is SlaTargetKind.ACCEPTANCE
    ]

    assert (as_of.hour, as_of.minute) == (1, 30)  # one hour on the wall clock, two passed
    assert acceptance.time_used == 2 * H
    assert acceptance.time_left == H
    assert acceptance.deadline == start + 3 * H
