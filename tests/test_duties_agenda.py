"""One person's agenda (duties and customer contacts) and its iCalendar export."""

from __future__ import annotations

import datetime as dt
import sys

import attrs
import icalendar
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyaccount import reference
from keyaccount.calendar import DateRange, Days, WorkCalendar, deadline
from keyaccount.customers import Staff
from keyaccount.duties import AgendaItem, AgendaKind, agenda, duties_of, to_ics
from keyaccount.errors import MissingExtraError
from keyaccount.testing import due_contacts
from keyaccount.visits import DueReminder, DueVisit, ReminderKind, VisitPolicy, VisitRule, is_quiet

TZ = "Asia/Shanghai"
#: The sales-management department works Saturdays (the seed's Saturday weekly meeting).
SIX_DAYS = attrs.evolve(WorkCalendar.china(), weekly_rest_days={7})
CHART = reference.load("sales-management")
WANG = Staff("s-wang", "王经理", "sales-management-manager")
DUTIES = duties_of(CHART)
WORKING = VisitPolicy(working_hours_only=True)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


def visit(customer: str, opens: pendulum.DateTime, owner: str = "s-wang") -> DueVisit:
    due = deadline(opens, Days(3), SIX_DAYS)
    return DueVisit(customer, VisitRule.RETURN_VISIT, due, "served", owner)


WEEK = DateRange(dt.date(2026, 10, 12), dt.date(2026, 10, 17))


def test_the_agenda_holds_the_positions_duties_and_the_persons_contacts_in_time_order() -> None:
    mine = visit("c1", at(2026, 10, 12, 10))
    theirs = visit("c2", at(2026, 10, 12, 10), owner="s-li")
    result = agenda(WANG, DUTIES, [mine, theirs], WEEK, SIX_DAYS)
    kinds = {item.kind for item in result.items}
    assert kinds == {AgendaKind.DUTY, AgendaKind.VISIT}
    assert [c.customer_id for c in result.contacts] == ["c1"]
    assert all(d.position == "sales-management-manager" for d in result.duties)
    assert any(d.what.startswith("每周六下午13:30~14:30") for d in result.duties)
    meeting = next(d for d in result.duties if "周会" in d.what)
    assert meeting.start == at(2026, 10, 17, 13, 30)
    keys = [(i.start, i.end, i.id) for i in result.items]
    assert keys == sorted(keys)
    (call,) = result.contacts
    assert call.start == at(2026, 10, 12, 10)
    assert call.end == at(2026, 10, 12, 10, 15)
    assert call.what == "必须保证在三天之内回访"


def test_a_contact_due_in_quiet_hours_is_moved_to_the_next_allowed_working_time() -> None:
    lunch = visit("c1", at(2026, 10, 12, 12, 30))
    night = DueReminder(
        "c2",
        ReminderKind.MAINTENANCE,
        dt.date(2026, 10, 14),
        at(2026, 10, 12, 22),
        at(2026, 10, 14, 18),
        "首保",
        "s-wang",
    )
    result = agenda(WANG, (), [lunch, night], WEEK, SIX_DAYS)
    by_customer = {c.customer_id: c for c in result.contacts}
    assert by_customer["c1"].start == at(2026, 10, 12, 14)
    assert "moved from 2026-10-12 12:30" in by_customer["c1"].note
    assert by_customer["c2"].start == at(2026, 10, 13, 9)
    assert by_customer["c2"].kind is AgendaKind.REMINDER


def test_an_overdue_contact_is_proposed_at_the_start_of_the_range_and_marked_late() -> None:
    old = visit("c1", at(2026, 9, 28, 10))
    (call,) = agenda(WANG, (), [old], WEEK, SIX_DAYS).contacts
    assert call.start == at(2026, 10, 12, 9)
    assert call.is_late
    assert "open since 2026-09-28 10:00" in call.note
    later = agenda(WANG, (), [old], WEEK, SIX_DAYS, as_of=at(2026, 10, 13, 16, 20))
    assert later.contacts[0].start == at(2026, 10, 13, 16, 20)


def test_a_contact_with_no_allowed_time_in_the_range_is_listed_as_unplaced() -> None:
    holidays = DateRange(dt.date(2026, 10, 1), dt.date(2026, 10, 3))
    result = agenda(WANG, (), [visit("c1", at(2026, 10, 1, 10))], holidays, SIX_DAYS)
    assert result.contacts == ()
    (left,) = result.unplaced
    assert left.customer_id == "c1"
    assert "2026-10-08 09:00" in left.reason  # the first working day after the break
    future = agenda(WANG, (), [visit("c9", at(2026, 10, 20, 10))], WEEK, SIX_DAYS)
    assert future.items == ()
    assert future.unplaced == ()


def test_the_ics_export_reads_back_with_the_same_events() -> None:
    result = agenda(WANG, DUTIES, [visit("c1", at(2026, 10, 12, 12, 30))], WEEK, SIX_DAYS)
    data = to_ics(result.items, at(2026, 10, 11, 20))
    assert to_ics(result.items, at(2026, 10, 11, 20)) == data  # stable bytes
    assert b"DTSTART;TZID=Asia/Shanghai:20261017T133000" in data
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == len(result.items)
    for event, item in zip(events, result.items, strict=True):
        assert str(event["uid"]) == f"{item.id}@keyaccount"
        # compared as timestamps: PEP 495 makes == false across zones in a repeated hour
        assert event.decoded("dtstart").timestamp() == item.start.timestamp()
        assert event.decoded("dtend").timestamp() == item.end.timestamp()
        assert str(event["dtstart"].params["TZID"]) == TZ
        summary = str(event["summary"])
        assert summary.startswith(item.what)
    assert any(str(e["summary"]) == "每周六下午13:30~14:30召集部门人员召开周会" for e in events)


def test_the_ics_export_names_the_extra_when_icalendar_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(MissingExtraError, match=r"keyaccount\[ics\]"):
        to_ics((), at(2026, 10, 11))
    with pytest.raises(ImportError):  # callers may catch the builtin
        to_ics((), at(2026, 10, 11))


@settings(deadline=None)
@given(st.lists(due_contacts(SIX_DAYS, owner="s-wang"), max_size=6), st.integers(0, 330), st.data())
def test_the_agenda_never_proposes_a_contact_in_quiet_hours_and_is_ordered(
    contacts: list[DueVisit | DueReminder], offset: int, data: st.DataObject
) -> None:
    first = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
    period = DateRange(first, first + dt.timedelta(days=data.draw(st.integers(0, 13))))
    policy = data.draw(
        st.sampled_from([VisitPolicy(), VisitPolicy(quiet_hours=("12:30-13:30", "20:00-10:00"))])
    )
    result = agenda(WANG, DUTIES, contacts, period, SIX_DAYS, policy=policy)
    for item in result.contacts:
        assert not is_quiet(item.start, attrs.evolve(policy, working_hours_only=True), SIX_DAYS)
        assert item.start.date() <= period.end
    keys = [(i.start, i.end, i.id) for i in result.items]
    assert keys == sorted(keys)
    duty_ids = [i.id for i in result.duties]
    assert len(set(duty_ids)) == len(duty_ids)


def test_a_contact_with_no_allowed_time_before_the_calendar_ends_is_unplaced() -> None:
    # regression (rev10): the search for the next allowed time ran into 2027 (not
    # covered) and the whole agenda raised CalendarCoverageError
    late = visit("c9", at(2026, 12, 31, 20))
    result = agenda(
        WANG, [], [late], DateRange(dt.date(2026, 12, 30), dt.date(2026, 12, 31)), SIX_DAYS
    )
    assert result.items == ()
    (unplaced,) = result.unplaced
    assert unplaced.customer_id == "c9"
    assert "the calendar ends before one" in unplaced.reason


def test_the_ics_file_keeps_the_instant_of_fixed_offsets_and_repeated_hours() -> None:
    # regression (rev10): an instant read from a file (a bare "+05:30" offset) crashed
    # with ZoneInfoNotFoundError; the second 01:30 of a New York autumn night was
    # written as TZID local time, which clients read as the first one (an hour early)
    fixed = pendulum.parse("2026-10-10T05:00:00+05:30")
    assert isinstance(fixed, pendulum.DateTime)
    repeated = pendulum.datetime(2026, 11, 1, 1, 30, tz="America/New_York")
    assert repeated.utcoffset() == dt.timedelta(hours=-5)  # the second 01:30
    items = [
        AgendaItem("f1", AgendaKind.DUTY, "fixed", fixed, fixed.add(hours=1), fixed.add(hours=1)),
        AgendaItem(
            "n1", AgendaKind.DUTY, "repeated", repeated, repeated.add(minutes=30),
            repeated.add(minutes=30),
        ),
    ]  # fmt: skip
    events = icalendar.Calendar.from_ical(to_ics(items, fixed)).walk("VEVENT")
    for item, event in zip(items, events, strict=True):
        # compared as timestamps: PEP 495 makes == false across zones in a repeated hour
        assert event.decoded("dtstart").timestamp() == item.start.timestamp()
        assert event.decoded("dtend").timestamp() == item.end.timestamp()


def test_special_characters_in_the_summary_read_back_unchanged() -> None:
    start = at(2026, 10, 10, 13, 30)
    what = '周会; a,b\\c\n新行 "引号"'
    item = AgendaItem(
        "m;x,y@1", AgendaKind.DUTY, what, start, start.add(hours=1), start.add(hours=1)
    )
    (event,) = icalendar.Calendar.from_ical(to_ics([item], start)).walk("VEVENT")
    assert str(event["summary"]) == what
    assert str(event["uid"]) == "m;x,y@1@keyaccount"
