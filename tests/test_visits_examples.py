"""Visits: the seed's rules (000_… 客户服务部工作职责及规范) as examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pendulum
import pytest

from keyaccount.calendar import DateRange, Days, Hours, WorkCalendar, Workdays
from keyaccount.cli import main
from keyaccount.customers import Customer, CustomerStatus, Spend, Tier
from keyaccount.errors import (
    DateOutOfRangeError,
    InexactNumberError,
    InvalidAmountError,
    InvalidPolicyError,
    InvalidTimeWindowError,
    NaiveDatetimeError,
)
from keyaccount.io import dump_customers, dump_visit_policy, dump_visits
from keyaccount.money import Money
from keyaccount.visits import (
    Cadence,
    Channel,
    DueVisit,
    GreetingDay,
    MinuteSpan,
    Outcome,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    coverage,
    due_visits,
    is_quiet,
    members_of,
    next_contact_time,
    overdue_visits,
    visit_summary,
)

TZ = "Asia/Shanghai"
NEW_YORK = "America/New_York"
CHINA = WorkCalendar.china()
POLICY = VisitPolicy()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


def done(customer_id: str, when: pendulum.DateTime, **changes: object) -> VisitRecord:
    fields: dict[str, object] = {"by": "s1", "outcome": Outcome.SATISFIED, "notes": "ok"}
    fields.update(changes)
    return VisitRecord(f"v-{customer_id}-{when.int_timestamp}", customer_id, when, **fields)  # type: ignore[arg-type]  # test helper passes typed values through a dict


def rules(found: tuple[DueVisit, ...]) -> list[tuple[str, str]]:
    return [(d.customer_id, d.rule.value) for d in found]


# --------------------------------------------------------------------------- first contact


def test_a_newly_assigned_customer_is_due_for_contact_within_a_week() -> None:
    customer = Customer("c1", "客户", owner="s1", assigned_at=at(2026, 3, 2, 10))
    (item,) = due_visits([customer], [], POLICY, CHINA, at(2026, 3, 3, 10))
    assert item.rule is VisitRule.FIRST_CONTACT
    assert item.deadline.date == dt.date(2026, 3, 9)
    assert item.owner == "s1"
    assert not item.is_overdue(at(2026, 3, 9, 23, 59))
    assert item.is_overdue(at(2026, 3, 10, 0, 0))
    assert "一周内" in item.reason


def test_a_contact_after_the_assignment_meets_the_first_contact() -> None:
    customer = Customer("c1", "客户", assigned_at=at(2026, 3, 2, 10))
    records = [done("c1", at(2026, 3, 4, 15))]
    assert due_visits([customer], records, POLICY, CHINA, at(2026, 3, 5, 10)) == ()


def test_an_unanswered_call_or_an_incomplete_record_does_not_meet_it() -> None:
    customer = Customer("c1", "客户", assigned_at=at(2026, 3, 2, 10))
    records = [
        done("c1", at(2026, 3, 3, 15), outcome=Outcome.NOT_REACHED),
        done("c1", at(2026, 3, 4, 15), notes=""),
        done("c1", at(2026, 3, 4, 16), outcome=Outcome.UNSATISFIED, follow_up=False),
    ]
    found = due_visits([customer], records, POLICY, CHINA, at(2026, 3, 5, 10))
    assert rules(found) == [("c1", "first-contact")]


def test_an_assignment_after_as_of_is_not_due_yet() -> None:
    customer = Customer("c1", "客户", assigned_at=at(2026, 3, 9, 10))
    assert due_visits([customer], [], POLICY, CHINA, at(2026, 3, 5, 10)) == ()


# --------------------------------------------------------------------------- return visits


def test_a_service_needs_a_return_visit_within_three_days() -> None:
    customer = Customer("c1", "客户", spend=(Spend(at(2026, 9, 30, 20), Money(500)),))
    (item,) = due_visits([customer], [], POLICY, CHINA, at(2026, 10, 1, 10))
    assert item.rule is VisitRule.RETURN_VISIT
    assert item.deadline.date == dt.date(2026, 10, 3)


def test_a_workdays_policy_skips_the_national_day_break() -> None:
    customer = Customer("c1", "客户", spend=(Spend(at(2025, 9, 30, 15), Money(500)),))
    policy = VisitPolicy(return_visit=Workdays(3))
    (item,) = due_visits([customer], [], policy, CHINA, at(2025, 10, 1, 10))
    # 9 October is the first working day after the break, 11 October (a make-up
    # Saturday, 调休) the third.
    assert item.deadline.date == dt.date(2025, 10, 11)


def test_an_hours_policy_gives_an_exact_instant() -> None:
    customer = Customer("c1", "客户", spend=(Spend(at(2026, 3, 2, 10), Money(500)),))
    policy = VisitPolicy(return_visit=Hours(72))
    (item,) = overdue_visits([customer], [], policy, CHINA, at(2026, 3, 5, 10))
    assert item.deadline.at == at(2026, 3, 5, 10)
    assert item.deadline.date is None


def test_the_earliest_unvisited_service_sets_the_deadline() -> None:
    services = (Spend(at(2026, 3, 1, 10), Money(1)), Spend(at(2026, 3, 4, 10), Money(1)))
    customer = Customer("c1", "客户", spend=services)
    visited_between = [done("c1", at(2026, 3, 2, 10))]
    (item,) = due_visits([customer], visited_between, POLICY, CHINA, at(2026, 3, 5, 10))
    assert item.deadline.start == at(2026, 3, 4, 10)


def test_prospects_get_only_the_first_contact_and_lost_customers_nothing() -> None:
    base = {
        "assigned_at": at(2026, 3, 2, 10),
        "tier": Tier.KEY_ACCOUNT,
        "spend": (Spend(at(2026, 3, 2, 11), Money(1)),),
    }
    prospect = Customer("p", "x", status=CustomerStatus.PROSPECT, **base)  # type: ignore[arg-type]  # typed values through a dict
    lost = Customer("l", "x", status=CustomerStatus.LOST, **base)  # type: ignore[arg-type]  # typed values through a dict
    found = due_visits([prospect, lost], [], POLICY, CHINA, at(2026, 3, 3, 10))
    assert rules(found) == [("p", "first-contact")]


# --------------------------------------------------------------------------- cadence and greetings


def test_a_key_account_is_due_monthly_from_a_week_before() -> None:
    customer = Customer("c1", "客户", tier=Tier.KEY_ACCOUNT)
    records = [done("c1", at(2026, 2, 1, 10))]
    assert due_visits([customer], records, POLICY, CHINA, at(2026, 2, 22, 10)) == ()
    (item,) = due_visits([customer], records, POLICY, CHINA, at(2026, 2, 24, 10))
    assert item.rule is VisitRule.CADENCE
    assert item.deadline.date == dt.date(2026, 3, 3)


def test_an_ordinary_customer_has_no_cadence_but_a_policy_can_give_one() -> None:
    customer = Customer("c1", "客户", tier=Tier.ORDINARY)
    records = [done("c1", at(2025, 1, 1, 10))]
    assert due_visits([customer], records, POLICY, CHINA, at(2026, 1, 1, 10)) == ()
    policy = VisitPolicy(cadence=(Cadence(Tier.ORDINARY, Days(180)),))
    assert len(overdue_visits([customer], records, policy, CHINA, at(2026, 1, 1, 10))) == 1


def test_a_birthday_greeting_is_due_from_three_days_before() -> None:
    customer = Customer("c1", "客户", birthday=dt.date(1980, 3, 8))
    assert due_visits([customer], [], POLICY, CHINA, at(2026, 3, 4, 10)) == ()
    (item,) = due_visits([customer], [], POLICY, CHINA, at(2026, 3, 5, 10))
    assert item.rule is VisitRule.BIRTHDAY
    assert item.deadline.date == dt.date(2026, 3, 8)
    assert overdue_visits([customer], [], POLICY, CHINA, at(2026, 3, 9, 10)) != ()
    assert due_visits([customer], [], POLICY, CHINA, at(2026, 3, 12, 10)) == ()


def test_a_29_february_birthday_is_greeted_on_the_28th_in_a_common_year() -> None:
    customer = Customer("c1", "客户", birthday=dt.date(2000, 2, 29))
    (item,) = due_visits([customer], [], POLICY, CHINA, at(2026, 2, 27, 10))
    assert item.deadline.date == dt.date(2026, 2, 28)


def test_holiday_greetings_come_from_the_policy() -> None:
    policy = VisitPolicy(greetings=(GreetingDay("春节", dt.date(2026, 2, 17)),))
    customer = Customer("c1", "客户")
    (item,) = due_visits([customer], [], policy, CHINA, at(2026, 2, 16, 10))
    assert item.rule is VisitRule.HOLIDAY
    assert "春节" in item.reason


def test_a_visit_dated_after_as_of_does_not_meet_a_due_visit() -> None:
    customer = Customer("c1", "客户", assigned_at=at(2026, 3, 2, 10))
    planned = [done("c1", at(2026, 3, 12, 10))]  # dated after every as_of below
    found = due_visits([customer], planned, POLICY, CHINA, at(2026, 3, 5, 10))
    assert rules(found) == [("c1", "first-contact")]
    late = overdue_visits([customer], planned, POLICY, CHINA, at(2026, 3, 10, 10))
    assert rules(late) == [("c1", "first-contact")]  # due by 9 March, not yet met on the 10th
    assert due_visits([customer], planned, POLICY, CHINA, at(2026, 3, 12, 10)) == ()


def test_a_future_visit_does_not_restart_the_cadence_or_clear_a_return_visit() -> None:
    served = Spend(at(2026, 3, 1, 10), Money(100))
    customer = Customer("c1", "客户", tier=Tier.KEY_ACCOUNT, spend=(served,))
    records = [done("c1", at(2026, 1, 1, 10)), done("c1", at(2026, 3, 20, 10))]
    found = due_visits([customer], records, POLICY, CHINA, at(2026, 3, 2, 10))
    assert rules(found) == [("c1", "return-visit"), ("c1", "cadence")]
    cadence = found[1]
    assert cadence.deadline.date == dt.date(2026, 1, 31)  # 30 days after 1 January


def test_an_assignment_after_as_of_does_not_start_a_cadence() -> None:
    weekly = VisitPolicy(cadence=(Cadence(Tier.KEY_ACCOUNT, Days(5)),))
    customer = Customer("c1", "客户", tier=Tier.KEY_ACCOUNT, assigned_at=at(2026, 3, 3, 10))
    # as of the day before the assignment nothing is due, though a cadence counted from
    # the (future) assignment would already be open (5 days, opened 7 days ahead).
    assert due_visits([customer], [], weekly, CHINA, at(2026, 3, 2, 10)) == ()
    assert rules(due_visits([customer], [], weekly, CHINA, at(2026, 3, 3, 10))) == [
        ("c1", "first-contact"),
        ("c1", "cadence"),
    ]


def test_due_visits_refuses_a_naive_as_of() -> None:
    with pytest.raises(NaiveDatetimeError):
        due_visits([], [], POLICY, CHINA, dt.datetime(2026, 3, 2, 10))  # noqa: DTZ001 - the point of the test


# --------------------------------------------------------------------------- quiet hours


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (12, 15, (14, 0)),  # lunch rest
        (22, 0, (9, 0)),  # night, next morning
        (8, 59, (9, 0)),
        (9, 0, (9, 0)),
        (11, 59, (11, 59)),
        (14, 0, (14, 0)),
    ],
)
def test_customers_are_not_disturbed_while_they_rest(
    hour: int, minute: int, expected: tuple[int, int]
) -> None:
    start = at(2026, 3, 2, hour, minute)
    found = next_contact_time(start, POLICY, CHINA)
    assert (found.hour, found.minute) == expected
    assert found >= start
    assert not is_quiet(found, POLICY, CHINA)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "micro", "quiet"),
    [
        (10, 0, 0, 0, False),
        (10, 0, 0, 500_000, False),  # was "quiet" when fractions of a second were minutes
        (10, 0, 1, 0, False),
        (11, 59, 59, 999_999, False),
        (12, 0, 0, 0, True),
        (13, 59, 59, 999_999, True),
        (14, 0, 0, 0, False),
        (20, 59, 59, 999_999, False),
        (21, 0, 0, 0, True),
        (8, 59, 59, 999_999, True),
    ],
)
def test_quiet_hours_are_compared_exactly_to_the_microsecond(
    hour: int, minute: int, second: int, micro: int, quiet: bool
) -> None:
    moment = pendulum.datetime(2026, 3, 2, hour, minute, second, micro, tz=TZ)
    assert is_quiet(moment, POLICY, CHINA) is quiet


def test_the_next_contact_time_keeps_an_allowed_instant_with_a_fraction_of_a_second() -> None:
    allowed = pendulum.datetime(2026, 3, 2, 11, 59, 59, 500_000, tz=TZ)
    assert next_contact_time(allowed, POLICY, CHINA) == allowed
    quiet = pendulum.datetime(2026, 3, 2, 13, 59, 59, 500_000, tz=TZ)
    assert next_contact_time(quiet, POLICY, CHINA) == at(2026, 3, 2, 14)


def test_working_hours_only_waits_for_the_next_working_day() -> None:
    policy = VisitPolicy(working_hours_only=True)
    found = next_contact_time(at(2025, 9, 30, 20), policy, CHINA)
    assert found == at(2025, 10, 9, 9)


def test_quiet_hours_that_cover_the_whole_day_are_refused() -> None:
    with pytest.raises(InvalidTimeWindowError):
        VisitPolicy(quiet_hours=("00:00-12:00", "12:00-00:00"))
    with pytest.raises(InvalidTimeWindowError):
        VisitPolicy(quiet_hours=("9 to 5",))


def test_working_hours_inside_quiet_hours_leave_no_time_at_all() -> None:
    calendar = WorkCalendar(hours=[("12:00", "14:00")])
    with pytest.raises(InvalidTimeWindowError):
        next_contact_time(at(2026, 3, 2, 10), VisitPolicy(working_hours_only=True), calendar)


def test_a_due_visit_is_never_to_be_made_before_its_trigger_or_in_quiet_hours() -> None:
    customer = Customer("c1", "客户", spend=(Spend(at(2026, 3, 2, 22), Money(1)),))
    (item,) = due_visits([customer], [], POLICY, CHINA, at(2026, 3, 2, 23))
    when = item.contact_time(at(2026, 3, 2, 23), POLICY, CHINA)
    assert when == at(2026, 3, 3, 9)


# --------------------------------------------------------------------------- latest contact


def test_a_day_deadline_at_midnight_must_be_met_before_the_night_quiet_hours() -> None:
    customer = Customer("c1", "客户", assigned_at=at(2026, 3, 2, 10))
    (item,) = due_visits([customer], [], POLICY, CHINA, at(2026, 3, 3, 10))
    # Due before midnight ending 9 March; from 21:00 customers rest.
    assert item.deadline.at == at(2026, 3, 10)
    latest = item.latest_contact(POLICY, CHINA)
    assert latest.at == pendulum.datetime(2026, 3, 9, 20, 59, 59, 999_999, tz=TZ)
    assert not is_quiet(latest.at, POLICY, CHINA)
    assert "last allowed moment" in latest.reason


def test_with_working_hours_only_the_latest_contact_is_the_end_of_the_last_working_day() -> None:
    policy = VisitPolicy(working_hours_only=True)
    customer = Customer("c1", "客户", spend=(Spend(at(2026, 3, 4, 15), Money(1)),))
    (item,) = due_visits([customer], [], policy, CHINA, at(2026, 3, 5, 10))
    # Due by Saturday 7 March, a rest day: the last working moment is Friday before 18:00.
    assert item.deadline.date == dt.date(2026, 3, 7)
    latest = item.latest_contact(policy, CHINA)
    assert latest.at == pendulum.datetime(2026, 3, 6, 17, 59, 59, 999_999, tz=TZ)


def test_an_hours_deadline_inside_quiet_hours_with_no_time_before_it_says_so() -> None:
    customer = Customer("c1", "客户", spend=(Spend(at(2026, 3, 2, 22, 30), Money(1)),))
    policy = VisitPolicy(return_visit=Hours(1))
    (item,) = due_visits([customer], [], policy, CHINA, at(2026, 3, 2, 22, 45))
    assert item.deadline.at == at(2026, 3, 2, 23, 30)
    latest = item.latest_contact(policy, CHINA)
    assert latest.at is None
    assert not latest
    assert "no time outside quiet hours" in latest.reason
    # the earliest allowed contact is after the deadline: it cannot be met politely
    assert item.contact_time(at(2026, 3, 2, 22, 45), policy, CHINA) == at(2026, 3, 3, 9)


def test_a_deadline_in_allowed_time_is_met_up_to_just_before_it() -> None:
    customer = Customer("c1", "客户", spend=(Spend(at(2026, 3, 2, 9, 30), Money(1)),))
    policy = VisitPolicy(return_visit=Hours(1))
    (item,) = due_visits([customer], [], policy, CHINA, at(2026, 3, 2, 10))
    latest = item.latest_contact(policy, CHINA)
    assert latest.at == pendulum.datetime(2026, 3, 2, 10, 29, 59, 999_999, tz=TZ)
    assert "contact before it" in latest.reason


def test_the_due_command_prints_the_latest_contact_beside_the_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    customer = Customer("c1", "客户", owner="s1", assigned_at=at(2026, 3, 2, 10))
    customers, visits = tmp_path / "customers.json", tmp_path / "visits.json"
    dump_customers([customer], customers)
    dump_visits([], visits)
    argv = ["visits", "due", "--customers", str(customers), "--visits", str(visits)]
    assert main([*argv, "--as-of", "2026-03-03"]) == 0
    out = capsys.readouterr().out
    assert "2026-03-09 c1" in out
    assert "latest contact 2026-03-09 20:59" in out


def test_the_due_command_says_when_no_contact_time_is_left_before_the_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    customer = Customer("c1", "客户", spend=(Spend(at(2026, 3, 2, 22, 30), Money(1)),))
    customers, visits, policy = (
        tmp_path / "customers.json",
        tmp_path / "visits.json",
        tmp_path / "policy.toml",
    )
    dump_customers([customer], customers)
    dump_visits([], visits)
    dump_visit_policy(VisitPolicy(return_visit=Hours(1)), policy)
    argv = ["visits", "due", "--customers", str(customers), "--visits", str(visits)]
    assert main([*argv, "--policy", str(policy), "--as-of", "2026-03-02T22:45:00+08:00"]) == 0
    out = capsys.readouterr().out
    assert "no allowed contact time before the deadline" in out


# --------------------------------------------------------------------------- coverage and summary


def test_coverage_is_an_exact_fraction_with_the_members_not_yet_visited() -> None:
    book = [
        Customer("m1", "a", tier=Tier.MEMBER),
        Customer("m2", "b", tier=Tier.VIP),
        Customer("m3", "c", tier=Tier.MEMBER),
        Customer("o1", "d", tier=Tier.ORDINARY),
    ]
    members = members_of(book)
    records = [done("m1", at(2026, 3, 2, 10)), done("m3", at(2026, 3, 2, 10), notes="")]
    march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    result = coverage(members, records, march, POLICY, CHINA)
    assert result.rate == Fraction(1, 3)
    assert result.not_visited == ("m2", "m3")
    assert not result.met  # the seed wants 100% (会员客户的100%的回访)


def test_coverage_as_of_ignores_visits_made_after_it() -> None:
    members = [Customer("m1", "a", tier=Tier.MEMBER), Customer("m2", "b", tier=Tier.MEMBER)]
    records = [done("m1", at(2026, 3, 2, 10)), done("m2", at(2026, 3, 20, 10))]
    march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert coverage(members, records, march, POLICY, CHINA).rate == 1
    halfway = coverage(members, records, march, POLICY, CHINA, as_of=at(2026, 3, 15))
    assert halfway.rate == Fraction(1, 2)
    assert halfway.not_visited == ("m2",)


def test_the_coverage_target_is_exact_and_refuses_floats() -> None:
    with pytest.raises(InexactNumberError):
        VisitPolicy(member_coverage=99.5)  # type: ignore[arg-type]  # the point of the test
    assert VisitPolicy(member_coverage="99.5").member_coverage == Decimal("99.5")
    assert VisitPolicy(member_coverage=Fraction(199, 2)).member_coverage == Decimal("99.5")
    with pytest.raises(InvalidAmountError):
        VisitPolicy(member_coverage=Fraction(200, 3))  # no exact decimal form
    result = coverage([], [], DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 1)), POLICY, CHINA)
    assert isinstance(result.target, Fraction)
    with pytest.raises(InexactNumberError):
        attrs.evolve(result, rate=0.5)  # type: ignore[arg-type]  # the point of the test


def test_an_empty_round_is_complete() -> None:
    result = coverage([], [], DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 1)), POLICY, CHINA)
    assert result.rate == 1
    assert result.met


def test_the_summary_report_counts_rates_and_lists_what_needs_attention() -> None:
    records = [
        done("c1", at(2026, 3, 2, 10)),
        done("c2", at(2026, 3, 2, 11), outcome=Outcome.UNSATISFIED, follow_up=True),
        done("c3", at(2026, 3, 2, 15), outcome=Outcome.NEUTRAL, channel=Channel.SMS),
        done("c4", at(2026, 3, 3, 15), outcome=Outcome.NOT_REACHED),
        done("c5", at(2026, 3, 3, 16), notes=""),
        done("c6", at(2026, 4, 1, 10)),  # outside the period
    ]
    report = visit_summary(
        records, DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), POLICY, CHINA
    )
    assert report.total == 5
    assert report.count(Outcome.SATISFIED) == 2
    assert report.count(Channel.SMS) == 1
    # complete answered records: c1 satisfied, c2 unsatisfied, c3 neutral (c5 is incomplete)
    assert report.satisfaction_rate == Fraction(1, 3)
    assert report.needs_follow_up == ("c2",)
    assert [(i.customer_id, i.missing) for i in report.incomplete] == [("c5", ("notes",))]
    assert "回访总结报告" in report.render()


def test_a_record_knows_what_it_lacks() -> None:
    record = VisitRecord("v1", "c1", at(2026, 3, 2, 10), outcome=Outcome.UNSATISFIED)
    assert record.missing(POLICY) == ("by", "notes", "follow_up")
    relaxed = VisitPolicy(required_fields=(), unsatisfied_needs_follow_up=False)
    assert record.missing(relaxed) == ("by",)


def test_labels_come_from_the_seed() -> None:
    assert VisitRule.RETURN_VISIT.label == "必须保证在三天之内回访"
    assert Outcome.NEUTRAL.label == "一般"
    assert Channel.EMAIL.label == "电邮沟通"


# --------------------------------------------------------------------------- house rules


def test_a_policy_requiring_an_unknown_field_is_an_invalid_policy() -> None:
    with pytest.raises(InvalidPolicyError):
        VisitPolicy(required_fields=("outcome", "mood"))


def test_quiet_spans_are_named_minutes_of_the_day() -> None:
    lunch, night = POLICY.quiet_spans[1], POLICY.quiet_spans[2]
    assert (lunch.start, lunch.end) == (12 * 60, 14 * 60)
    assert night == MinuteSpan(21 * 60, 24 * 60)


def test_the_next_contact_time_on_a_clock_change_day_is_the_local_start_of_the_window() -> None:
    # New York falls back on Sunday 3 November 2024: 09:00 local is 10 hours after midnight.
    calendar = WorkCalendar(weekly_rest_days={5, 6}, hours=[("06:00", "09:15")], timezone=NEW_YORK)
    found = next_contact_time(at(2024, 11, 1), VisitPolicy(working_hours_only=True), calendar)
    assert found == pendulum.datetime(2024, 11, 3, 9, tz=NEW_YORK)


def test_coverage_and_the_summary_take_local_dates_from_the_calendar() -> None:
    # 23:30 on 31 March in Shanghai is in March in Shanghai and in UTC, in April in Tokyo.
    late = done("m1", at(2026, 3, 31, 23, 30))
    march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert coverage(["m1"], [late], march, POLICY, CHINA).rate == 1
    assert visit_summary([late], march, POLICY, CHINA).total == 1
    utc = WorkCalendar(timezone="UTC")  # 15:30 UTC: 31 March as well
    tokyo = WorkCalendar(timezone="Asia/Tokyo")  # 00:30 on 1 April in Tokyo
    assert coverage(["m1"], [late], march, POLICY, utc).rate == 1
    assert coverage(["m1"], [late], march, POLICY, tokyo).rate == 0
    assert visit_summary([late], march, POLICY, tokyo).total == 0


def test_due_and_overdue_visits_are_tuples() -> None:
    customer = Customer("c1", "客户", assigned_at=at(2026, 3, 2, 10))
    assert isinstance(due_visits([customer], [], POLICY, CHINA, at(2026, 3, 3)), tuple)
    assert isinstance(overdue_visits([customer], [], POLICY, CHINA, at(2026, 3, 30)), tuple)


def test_a_birthday_in_year_one_has_no_year_before_it_to_look_back_to() -> None:
    # Early in year 1 this year's birthday is not near yet, and there is no year 0 to
    # find last year's in: nothing is due, where it used to raise a bare ValueError.
    customer = Customer("c1", "客户", birthday=dt.date(1980, 3, 8))
    mon_fri = WorkCalendar(name="mon-fri")
    as_of = pendulum.datetime(1, 1, 2, tz="Asia/Shanghai")
    assert due_visits([customer], [], POLICY, mon_fri, as_of) == ()


def test_an_instant_whose_local_day_is_before_year_one_is_a_typed_error() -> None:
    # 0001-01-01T00:00+14:00 is 31 December of year 0 in Shanghai: no date can hold it.
    assigned = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))
    customer = Customer("c1", "客户", assigned_at=assigned)
    mon_fri = WorkCalendar(name="mon-fri")
    with pytest.raises(DateOutOfRangeError, match="before 0001-01-01"):
        due_visits([customer], [], POLICY, mon_fri, pendulum.datetime(1, 1, 2, tz="Asia/Shanghai"))
