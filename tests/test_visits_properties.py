"""Properties of due dates and quiet hours, over generated books, policies and calendars."""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import assume, given
from hypothesis import strategies as st

from keyaccount.calendar import WorkCalendar
from keyaccount.customers import Customer
from keyaccount.testing import (
    aware_datetimes,
    company_calendars,
    customer_records,
    visit_policies,
    visit_records,
)
from keyaccount.visits import (
    Outcome,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    due_visits,
    is_quiet,
    next_contact_time,
    overdue_visits,
)

CHINA = WorkCalendar.china()


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
    assert overdue == [d for d in due if d.is_overdue(as_of)]


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


@given(aware_datetimes(), visit_policies())
def test_the_next_contact_time_is_the_first_allowed_instant(
    at: pendulum.DateTime, policy: VisitPolicy
) -> None:
    found = next_contact_time(at, policy, CHINA)
    assert found >= at
    assert not is_quiet(found, policy, CHINA)
    if not is_quiet(at, policy, CHINA):
        assert found == at
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
