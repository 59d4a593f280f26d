"""Maintenance and card-renewal reminders, and appointments (约定回访时间)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from keyaccount.calendar import WorkCalendar
from keyaccount.customers import Customer, CustomerStatus, Spend
from keyaccount.errors import InexactNumberError, InvalidMileageError, InvalidTimeWindowError
from keyaccount.money import Money
from keyaccount.testing import appointments, reminder_policies, service_facts, shanghai_instants
from keyaccount.visits import (
    Appointment,
    AppointmentStatus,
    CardExpiry,
    Outcome,
    ReminderKind,
    ReminderPolicy,
    ServiceFacts,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    appointment_status,
    card_renewal_reminders,
    due_visits,
    is_quiet,
    maintenance_reminders,
    next_maintenance,
    overdue_visits,
)

TZ = "Asia/Shanghai"
CAL = WorkCalendar.china()
BOOK = (Customer("c1", "车主", owner="s1"),)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


def reached(record_id: str, when: pendulum.DateTime, customer: str = "c1") -> VisitRecord:
    return VisitRecord(record_id, customer, when, by="s1", outcome=Outcome.SATISFIED, notes="ok")


# --------------------------------------------------------------------------- maintenance


def test_the_mileage_decides_when_it_comes_before_the_period() -> None:
    facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=100)
    due = next_maintenance(facts, ReminderPolicy())
    assert due.target_km == 22_000
    assert due.mileage_day == dt.date(2026, 6, 9)  # 10,000 km at 100 km a day
    assert due.due_on == dt.date(2026, 6, 9)
    assert "22,000 km" in due.reason


def test_the_period_decides_when_the_car_is_little_driven() -> None:
    facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=10, first=True)
    due = next_maintenance(facts, ReminderPolicy())  # first: 5,000 km or 6 months
    assert due.period_day == dt.date(2026, 9, 1)
    assert due.mileage_day == dt.date(2027, 7, 14)  # 500 days at 10 km a day
    assert due.due_on == dt.date(2026, 9, 1)


def test_without_a_rate_only_the_period_counts() -> None:
    facts = ServiceFacts("c1", dt.date(2026, 8, 31), 0, first=True)
    due = next_maintenance(facts, ReminderPolicy())
    assert due.mileage_day is None
    assert due.due_on == dt.date(2027, 2, 28)  # 31 August + 6 months
    assert "no mileage estimate" in due.reason


def test_a_reading_gives_the_rate_and_a_reading_past_the_target_the_day_it_was_passed() -> None:
    rate = ServiceFacts(
        "c1", dt.date(2026, 1, 1), 0, reading_km=3_000, read_on=dt.date(2026, 1, 31)
    )
    assert next_maintenance(rate, ReminderPolicy()).mileage_day == dt.date(2026, 4, 11)  # 100/day
    past = ServiceFacts(
        "c1", dt.date(2026, 1, 1), 0, reading_km=20_000, read_on=dt.date(2026, 5, 1)
    )
    assert next_maintenance(past, ReminderPolicy()).mileage_day == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"reading_km": 100}, InvalidMileageError),
        ({"read_on": dt.date(2026, 2, 1)}, InvalidMileageError),
        ({"reading_km": 10, "read_on": dt.date(2026, 2, 1)}, InvalidMileageError),
        ({"reading_km": 2_000, "read_on": dt.date(2025, 2, 1)}, InvalidMileageError),
        ({"daily_km": 0}, InvalidMileageError),
        ({"daily_km": 12.5}, InexactNumberError),
        ({"last_service_km": -1}, InvalidMileageError),
    ],
)
def test_facts_that_do_not_hold_together_are_refused(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    base: dict[str, object] = {"last_service_km": 1_000}
    with pytest.raises(error):
        ServiceFacts("c1", dt.date(2026, 1, 1), **{**base, **kwargs})  # type: ignore[arg-type]  # drawn bad values


def test_a_maintenance_reminder_opens_a_lead_before_and_falls_due_on_a_working_day() -> None:
    facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=100, vehicle="京A12345")
    (item,) = maintenance_reminders(BOOK, [facts], ReminderPolicy(), CAL, at(2026, 6, 5))
    assert item.kind is ReminderKind.MAINTENANCE
    assert item.kind.label == "日常保养提醒"
    assert item.owner == "s1"
    assert item.opens == at(2026, 6, 2, 9)  # 7 days before the 9th, after the night's quiet
    assert item.due == at(2026, 6, 9, 18)  # the end of the working day
    assert not item.is_overdue(at(2026, 6, 9, 17, 59))
    assert "京A12345" in item.reason


def test_a_reminder_not_yet_open_is_listed_only_within_the_horizon() -> None:
    facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=100)
    assert maintenance_reminders(BOOK, [facts], ReminderPolicy(), CAL, at(2026, 5, 1)) == ()
    ahead = maintenance_reminders(
        BOOK, [facts], ReminderPolicy(), CAL, at(2026, 5, 1), horizon=at(2026, 6, 30)
    )
    assert len(ahead) == 1


def test_a_contact_after_the_opening_meets_the_reminder_and_one_before_does_not() -> None:
    facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=100)
    before = reached("v1", at(2026, 6, 1, 10))
    after = reached("v2", at(2026, 6, 3, 10))
    args = (BOOK, [facts], ReminderPolicy(), CAL, at(2026, 6, 5))
    assert len(maintenance_reminders(*args, records=[before])) == 1
    assert maintenance_reminders(*args, records=[before, after]) == ()


def test_lost_customers_and_facts_not_known_at_as_of_give_no_reminder() -> None:
    lost = (Customer("c1", "车主", owner="s1", status=CustomerStatus.LOST),)
    facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=100)
    assert maintenance_reminders(lost, [facts], ReminderPolicy(), CAL, at(2026, 6, 5)) == ()
    future = ServiceFacts("c1", dt.date(2026, 7, 1), 12_000, daily_km=100)
    assert maintenance_reminders(BOOK, [future], ReminderPolicy(), CAL, at(2026, 6, 5)) == ()
    # a reading taken after as_of is not known yet: the daily estimate alone counts
    later = ServiceFacts(
        "c1",
        dt.date(2026, 3, 1),
        12_000,
        reading_km=30_000,
        read_on=dt.date(2026, 7, 1),
        daily_km=100,
    )
    (item,) = maintenance_reminders(BOOK, [later], ReminderPolicy(), CAL, at(2026, 6, 5))
    assert item.due_on == dt.date(2026, 6, 9)


def test_a_card_expiring_in_the_national_day_break_is_due_on_the_last_working_day_before() -> None:
    card = CardExpiry("c1", dt.date(2026, 10, 3), "VIP卡")
    (item,) = card_renewal_reminders(BOOK, [card], ReminderPolicy(), CAL, at(2026, 9, 10))
    assert item.kind.label == "友情提醒客户续卡或升级"
    assert item.opens == at(2026, 9, 3, 9)
    assert item.due == at(2026, 9, 30, 18)
    assert "VIP卡" in item.reason
    assert "友情提醒客户续卡或升级" in item.explain()


def test_a_card_expiring_in_a_year_the_calendar_lacks_asks_nothing_until_it_comes_near() -> None:
    # On 3 December 2026 a card valid through June 2027 (not covered by the statutory
    # tables yet) is far from its reminder: no reminder, and no coverage error either.
    far = CardExpiry("c1", dt.date(2027, 6, 30), "VIP卡")
    near = CardExpiry("c1", dt.date(2026, 12, 20), "VIP卡")
    found = card_renewal_reminders(BOOK, [far, near], ReminderPolicy(), CAL, at(2026, 12, 3))
    assert [item.due_on for item in found] == [dt.date(2026, 12, 20)]


@given(service_facts(), reminder_policies())
def test_a_maintenance_is_due_at_the_earlier_of_mileage_and_period(
    facts: ServiceFacts, policy: ReminderPolicy
) -> None:
    due = next_maintenance(facts, policy)
    months = policy.first_months if facts.first else policy.routine_months
    start = pendulum.date(facts.last_service_on.year, facts.last_service_on.month, 1)
    assert (due.period_day.year * 12 + due.period_day.month) - (
        start.year * 12 + start.month
    ) == months
    assert due.target_km == facts.last_service_km + (
        policy.first_km if facts.first else policy.routine_km
    )
    days = [due.period_day] + ([due.mileage_day] if due.mileage_day is not None else [])
    assert due.due_on == min(days)
    if facts.daily_km is not None and (
        facts.reading_km is None or facts.reading_km < due.target_km
    ):
        since = facts.read_on or facts.last_service_on
        km = facts.reading_km if facts.reading_km is not None else facts.last_service_km
        assert due.mileage_day is not None
        driven = Decimal((due.mileage_day - since).days) * facts.daily_km
        assert km + driven >= due.target_km > km + driven - facts.daily_km


@given(service_facts(), reminder_policies(), shanghai_instants())
def test_a_reminder_never_opens_in_quiet_or_non_working_hours(
    facts: ServiceFacts, policy: ReminderPolicy, now: pendulum.DateTime
) -> None:
    week = WorkCalendar()  # Monday to Friday, every year (the China data ends in 2026)
    later = now.add(years=3)
    for item in maintenance_reminders(BOOK, [facts], policy, week, now, horizon=later):
        assert not is_quiet(item.opens, VisitPolicy(working_hours_only=True), week)
        assert item.opens < item.due
        assert not is_quiet(item.due.subtract(microseconds=1), VisitPolicy(), week)


# --------------------------------------------------------------------------- appointments

SERVED = at(2026, 3, 2, 10)
SERVED_BOOK = (Customer("c1", "车主", owner="s1", spend=(Spend(SERVED, Money("100")),)),)
BUSY = VisitRecord("v1", "c1", at(2026, 3, 3, 10), by="s1", outcome=Outcome.NOT_REACHED)


def test_an_appointment_replaces_the_return_visits_deadline() -> None:
    friday = at(2026, 3, 6, 15)  # later than the three days (due by the end of 5 March)
    agreed = Appointment("a1", "c1", friday, at(2026, 3, 3, 10, 5), made_in="v1")
    as_of = at(2026, 3, 6, 9)
    (plain,) = due_visits(SERVED_BOOK, [BUSY], VisitPolicy(), CAL, as_of)
    assert plain.is_overdue(as_of)
    (moved,) = due_visits(SERVED_BOOK, [BUSY], VisitPolicy(), CAL, as_of, appointments=[agreed])
    assert moved.rule is VisitRule.RETURN_VISIT
    assert moved.deadline.start == friday
    assert moved.deadline.at == friday.add(minutes=30)
    assert not moved.is_overdue(as_of)
    assert "最好与客户在电话中再约一个方便的时间" in moved.reason
    assert (
        overdue_visits(SERVED_BOOK, [BUSY], VisitPolicy(), CAL, as_of, appointments=[agreed]) == ()
    )
    later = at(2026, 3, 6, 16)
    (missed,) = overdue_visits(
        SERVED_BOOK, [BUSY], VisitPolicy(), CAL, later, appointments=[agreed]
    )
    assert missed.deadline.start == friday


def test_an_appointment_made_before_the_visit_was_due_or_after_as_of_does_not_apply() -> None:
    old = Appointment("a0", "c1", at(2026, 3, 4, 15), at(2026, 3, 1, 10))
    future = Appointment("a2", "c1", at(2026, 3, 9, 15), at(2026, 3, 5, 10))
    as_of = at(2026, 3, 4, 9)
    (item,) = due_visits(SERVED_BOOK, [], VisitPolicy(), CAL, as_of, appointments=[old, future])
    assert item.deadline == due_visits(SERVED_BOOK, [], VisitPolicy(), CAL, as_of)[0].deadline


def test_the_latest_appointment_wins() -> None:
    first = Appointment("a1", "c1", at(2026, 3, 5, 15), at(2026, 3, 3, 10))
    second = Appointment("a2", "c1", at(2026, 3, 6, 11), at(2026, 3, 4, 10))
    (item,) = due_visits(
        SERVED_BOOK, [], VisitPolicy(), CAL, at(2026, 3, 4, 12), appointments=[second, first]
    )
    assert item.deadline.start == at(2026, 3, 6, 11)


def test_missing_an_appointment_is_a_breach_and_the_call_it_was_made_in_does_not_keep_it() -> None:
    agreed = Appointment("a1", "c1", at(2026, 3, 5, 15), at(2026, 3, 3, 10), made_in="v0")
    same_call = reached("v0", at(2026, 3, 3, 10, 1))
    result = appointment_status(agreed, [same_call], VisitPolicy(), at(2026, 3, 5, 16))
    assert result.status is AppointmentStatus.MISSED
    assert result.is_breach
    assert "breach" in result.explain()
    pending = appointment_status(agreed, [], VisitPolicy(), at(2026, 3, 5, 15, 10))
    assert pending.status is AppointmentStatus.PENDING
    assert not pending.is_breach


def test_a_call_after_the_window_is_late_and_one_inside_it_kept() -> None:
    agreed = Appointment("a1", "c1", at(2026, 3, 5, 15), at(2026, 3, 3, 10))
    late = appointment_status(
        agreed, [reached("v2", at(2026, 3, 5, 16))], VisitPolicy(), at(2026, 3, 6)
    )
    assert late.status is AppointmentStatus.LATE
    assert late.is_breach
    assert "30 minutes" in late.explain() or "0:30:00" in late.explain()
    kept = appointment_status(
        agreed, [reached("v3", at(2026, 3, 5, 15, 20))], VisitPolicy(), at(2026, 3, 6)
    )
    assert kept.status is AppointmentStatus.KEPT


def test_an_appointment_cannot_be_agreed_for_before_it_was_made() -> None:
    with pytest.raises(InvalidTimeWindowError):
        Appointment("a1", "c1", at(2026, 3, 3, 9), at(2026, 3, 3, 10))


@given(appointments(), st.integers(1, 10 * 24 * 60), st.integers(0, 30 * 24 * 60))
def test_an_appointment_kept_before_its_agreed_time_is_never_a_breach(
    agreed: Appointment, before: int, later: int
) -> None:
    span = int((agreed.agreed_at - agreed.made_at).total_seconds() // 60)
    assume(span >= 1)  # a call after the appointment was made, at or before the agreed time
    call = agreed.made_at.add(minutes=min(before, span))
    as_of = call.add(minutes=later)
    result = appointment_status(agreed, [reached("v9", call)], VisitPolicy(), as_of)
    assert result.status is AppointmentStatus.KEPT
    assert not result.is_breach


@pytest.mark.parametrize("daily_km", [Decimal("0.0001"), "1e-30"])
def test_a_car_barely_driven_is_due_by_the_period_not_an_overflow(daily_km: object) -> None:
    # regression (rev10): the mileage day of a tiny daily_km lay past the year 9999
    # and date arithmetic raised OverflowError (a traceback, not a typed error)
    facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=daily_km)  # type: ignore[arg-type]
    due = next_maintenance(facts, ReminderPolicy())
    assert due.due_on == due.period_day == dt.date(2027, 3, 1)
    assert due.mileage_day == dt.date.max
