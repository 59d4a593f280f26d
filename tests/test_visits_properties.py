"""Properties of due dates and quiet hours, over generated books, policies and calendars."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import assume, given
from hypothesis import strategies as st

from keyaccount.calendar import DateRange, Days, Period, WorkCalendar, deadline
from keyaccount.customers import Customer
from keyaccount.testing import (
    aware_datetimes,
    company_calendars,
    customer_records,
    periods,
    visit_policies,
    visit_records,
)
from keyaccount.visits import (
    Outcome,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    coverage,
    due_visits,
    is_quiet,
    latest_contact_before,
    next_contact_time,
    overdue_visits,
)
from keyaccount.visits._deadlines import Deadlines, LocalDays

CHINA = WorkCalendar.china()
LAST_YEAR = (CHINA.covered_years or (2026, 2026))[1]


def is_quiet_minute(minute: int, policy: VisitPolicy) -> bool:
    return any(start <= minute < end for start, end in policy.quiet_spans)


IDS = ("c1", "c2", "c3", "c4")


@st.composite
def books(draw: st.DrawFn) -> tuple[list[Customer], list[VisitRecord]]:
    customers = [draw(customer_records(customer_id)) for customer_id in IDS]
    records = draw(st.lists(visit_records(IDS), max_size=8, unique_by=lambda r: r.id))
    return customers, records


def as_ofs() -> st.SearchStrategy[pendulum.DateTime]:
    return aware_datetimes(dt.date(2024, 6, 1), dt.date(2026, 11, 30))


@given(books(), visit_policies(), as_ofs())
def test_a_due_visit_is_never_due_before_its_triggering_event(
    book: tuple[list[Customer], list[VisitRecord]], policy: VisitPolicy, as_of: pendulum.DateTime
) -> None:
    customers, records = book
    for item in due_visits(customers, records, policy, CHINA, as_of):
        due = item.deadline
        assert due.at > due.start
        if due.date is not None:
            assert due.date >= due.start.in_timezone(CHINA.tz).date()
        if item.rule in (VisitRule.FIRST_CONTACT, VisitRule.RETURN_VISIT):
            assert due.start <= as_of  # the event has happened


@given(books(), visit_policies(), as_ofs())
def test_a_due_visit_is_never_to_be_made_in_quiet_hours_or_before_its_trigger(
    book: tuple[list[Customer], list[VisitRecord]], policy: VisitPolicy, as_of: pendulum.DateTime
) -> None:
    customers, records = book
    for item in due_visits(customers, records, policy, CHINA, as_of):
        when = item.contact_time(as_of, policy, CHINA)
        assert when >= item.deadline.start
        assert when >= as_of
        assert not is_quiet(when, policy, CHINA)


@given(books(), visit_policies(), as_ofs())
def test_overdue_visits_are_exactly_the_due_visits_past_their_deadline(
    book: tuple[list[Customer], list[VisitRecord]], policy: VisitPolicy, as_of: pendulum.DateTime
) -> None:
    customers, records = book
    due = due_visits(customers, records, policy, CHINA, as_of)
    overdue = overdue_visits(customers, records, policy, CHINA, as_of)
    assert overdue == tuple(d for d in due if d.is_overdue(as_of))


@given(books(), visit_policies(), as_ofs())
def test_a_complete_reached_visit_now_clears_the_first_contact_and_return_visit(
    book: tuple[list[Customer], list[VisitRecord]], policy: VisitPolicy, as_of: pendulum.DateTime
) -> None:
    customers, records = book
    visited = [
        VisitRecord(f"now-{c.id}", c.id, as_of, by="s1", outcome=Outcome.SATISFIED, notes="ok")
        for c in customers
    ]
    left = due_visits(customers, [*records, *visited], policy, CHINA, as_of)
    assert not [d for d in left if d.rule in (VisitRule.FIRST_CONTACT, VisitRule.RETURN_VISIT)]


@given(books(), visit_policies(), as_ofs(), st.lists(st.integers(1, 400 * 24 * 60), max_size=6))
def test_records_dated_after_as_of_never_change_what_is_due(
    book: tuple[list[Customer], list[VisitRecord]],
    policy: VisitPolicy,
    as_of: pendulum.DateTime,
    minutes_later: list[int],
) -> None:
    customers, records = book
    future = [
        VisitRecord(
            f"f{i}", IDS[i % len(IDS)], as_of.add(minutes=m), by="s1", outcome=o, notes="ok"
        )
        for i, m in enumerate(minutes_later)
        for o in (Outcome.SATISFIED, Outcome.NEUTRAL)
    ]
    before = due_visits(customers, records, policy, CHINA, as_of)
    assert due_visits(customers, [*records, *future], policy, CHINA, as_of) == before
    late = overdue_visits(customers, records, policy, CHINA, as_of)
    assert overdue_visits(customers, [*future, *records], policy, CHINA, as_of) == late


@given(
    st.lists(visit_records(IDS), max_size=8, unique_by=lambda r: r.id),
    as_ofs(),
    st.lists(st.integers(1, 90 * 24 * 60), max_size=4),
)
def test_records_dated_after_as_of_never_change_the_coverage_at_as_of(
    records: list[VisitRecord], as_of: pendulum.DateTime, minutes_later: list[int]
) -> None:
    future = [
        VisitRecord(
            f"f{i}",
            IDS[i % len(IDS)],
            as_of.add(minutes=m),
            by="s1",
            outcome=Outcome.SATISFIED,
            notes="ok",
        )
        for i, m in enumerate(minutes_later)
    ]
    local = as_of.in_timezone(CHINA.tz).date()
    whole = DateRange(local - dt.timedelta(days=60), local + dt.timedelta(days=60))
    at_as_of = coverage(IDS, records, whole, VisitPolicy(), CHINA, as_of=as_of)
    assert coverage(IDS, [*records, *future], whole, VisitPolicy(), CHINA, as_of=as_of) == at_as_of


@given(books(), visit_policies(), as_ofs())
def test_the_latest_contact_is_allowed_after_the_trigger_before_the_deadline_and_last(
    book: tuple[list[Customer], list[VisitRecord]], policy: VisitPolicy, as_of: pendulum.DateTime
) -> None:
    customers, records = book
    for item in due_visits(customers, records, policy, CHINA, as_of):
        due = item.deadline
        if policy.working_hours_only and due.at.year > LAST_YEAR:
            continue  # working days after the calendar's years are unknown
        latest = item.latest_contact(policy, CHINA)
        if latest.at is None:
            # nothing allowed from the trigger until the deadline: the first allowed
            # instant after the trigger is at or after the deadline, and the reason says so
            assert next_contact_time(due.start, policy, CHINA) >= due.at
            assert "no time" in latest.reason
            continue
        assert not is_quiet(latest.at, policy, CHINA)
        assert latest.at >= due.start
        assert latest.at < due.at
        after = latest.at.add(microseconds=1)
        assert after >= due.at or is_quiet(after, policy, CHINA)  # nothing later is allowed


@given(
    aware_datetimes(dt.date(2024, 1, 2), dt.date(2026, 6, 30)),
    st.integers(0, 4 * 24 * 60 * 60),
    visit_policies(),
)
def test_no_allowed_instant_lies_between_the_latest_contact_and_the_deadline(
    start: pendulum.DateTime, seconds: int, policy: VisitPolicy
) -> None:
    end = start.add(seconds=seconds)
    latest = latest_contact_before(start, end, policy, CHINA)
    if latest.at is None:
        assert seconds == 0 or next_contact_time(start, policy, CHINA) >= end
    else:
        assert start <= latest.at < end
        assert not is_quiet(latest.at, policy, CHINA)
        resume = next_contact_time(latest.at.add(microseconds=1), policy, CHINA)
        assert resume >= end  # nothing allowed between the latest contact and the end


@given(aware_datetimes(), st.integers(0, 59_999_999), visit_policies())
def test_quietness_depends_only_on_the_minute_not_on_seconds_or_microseconds(
    at: pendulum.DateTime, micro: int, policy: VisitPolicy
) -> None:
    minute = at.in_timezone(CHINA.tz).replace(second=0, microsecond=0)
    moment = minute.add(microseconds=micro)
    assert is_quiet(moment, policy, CHINA) == is_quiet(minute, policy, CHINA)


@given(aware_datetimes(), visit_policies())
def test_the_next_contact_time_is_the_first_allowed_instant(
    at: pendulum.DateTime, policy: VisitPolicy
) -> None:
    found = next_contact_time(at, policy, CHINA)
    assert found >= at
    assert not is_quiet(found, policy, CHINA)
    if not is_quiet(at, policy, CHINA):
        # the same instant; `==` across zones is False in a repeated hour (PEP 495)
        assert found.in_timezone("UTC") == at.in_timezone("UTC")
    else:
        # nothing allowed between `at` and the answer (checked a minute before it)
        before = found.subtract(minutes=1)
        assert before < at or is_quiet(before, policy, CHINA)


@given(aware_datetimes(dt.date(2024, 1, 2), dt.date(2026, 6, 30)), company_calendars())
def test_next_contact_time_on_any_company_calendar(
    at: pendulum.DateTime, calendar: WorkCalendar
) -> None:
    policy = VisitPolicy(working_hours_only=True)
    allowed = [
        w
        for w in calendar.hours
        if not all(is_quiet_minute(m, policy) for m in range(w.start_minute, w.end_minute))
    ]
    assume(allowed)  # not a company whose working hours lie wholly inside quiet hours
    found = next_contact_time(at, policy, calendar)
    assert found >= at
    assert not is_quiet(found, policy, calendar)
    assert calendar.is_working_time(found)


@given(
    st.lists(aware_datetimes(dt.date(2024, 1, 2), dt.date(2026, 6, 30)), min_size=1, max_size=6),
    periods(max_n=20),
)
def test_the_scans_deadlines_are_the_calendars_deadlines(
    starts: list[pendulum.DateTime], period: Period
) -> None:
    # The scan asks the calendar once per local start day and lends the answer to every
    # start of that day; for each start it must be exactly `deadline(start, ...)`.
    days = LocalDays(CHINA)
    deadlines = Deadlines(period, days)
    for start in starts:
        expected = deadline(start, period, CHINA)
        found = deadlines.starting(start, deadlines.shared(start))
        assert found == expected
        assert found.start.isoformat() == expected.start.isoformat()
        assert found.date == expected.date
        assert days.day_of(start) == start.in_timezone(CHINA.tz).date().toordinal()
        midnight = start.in_timezone(CHINA.tz).start_of("day")
        assert days.whole_day(days.day_of(start)) == deadline(midnight, Days(0), CHINA)
