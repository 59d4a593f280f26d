"""Duty occurrences on a working calendar (issue 10): the manager's October 2026 by hand,
a six-day week, and the invariants (ordered, unique, 顺延 never on a rest day)."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyaccount import reference
from keyaccount.calendar import BusinessDayConvention, Recurrence, WorkCalendar
from keyaccount.duties import DutyKind, Occurrence, RecurringDuty, duties_of, occurrences
from keyaccount.errors import (
    CalendarCoverageError,
    DuplicateIdError,
    InvalidDateRangeError,
    NotADateError,
)
from keyaccount.testing import company_calendars, recurring_duties

D = dt.date
TZ = "Asia/Shanghai"
CHINA = WorkCalendar.china()
#: Years ahead estimated, so a deadline that opens in 2026 and falls due in 2027 has a day.
AHEAD = WorkCalendar.china(provisional=True)
#: The department of the seed works Saturdays (每周六下午 周会): rest on Sundays only.
SIX_DAY = attrs.evolve(CHINA, weekly_rest_days=frozenset({7}), name="six-day")
MANAGER = "sales-management-manager"
OCTOBER = (D(2026, 10, 1), D(2026, 10, 31))


def _at(day: int, hour: int, minute: int = 0, month: int = 10) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=TZ)


def _of(found: tuple[Occurrence, ...], item: str) -> list[tuple[object, ...]]:
    return [(o.start, o.end, o.moved_from) for o in found if o.duty_id == f"{MANAGER}/{item}"]


@pytest.fixture(scope="module")
def october() -> tuple[Occurrence, ...]:
    chart = reference.load("sales-management")
    return occurrences(duties_of(chart, MANAGER), *OCTOBER, CHINA)


# The 2026 table of WorkCalendar.china(): 10-01..10-07 holidays, 10-08 (Thu) the first working
# day after, 10-10 (Sat) a make-up working day (调休), 10-11 (Sun) a rest day.


def test_the_monthly_duties_of_october_2026_as_written_out_by_hand(
    october: tuple[Occurrence, ...],
) -> None:
    # 每月1-2日 月度工作总结会议: both days are holidays; 顺延 moves the range to 10-08
    assert _of(october, "monthly-summary-meeting") == [(_at(8, 9), _at(8, 18), D(2026, 10, 1))]
    # 每月3日前 月度工作报告: open from 10-01, due by the end of working day 10-08
    assert _of(october, "monthly-report") == [(_at(1, 9), _at(8, 18), D(2026, 10, 3))]
    # 每月4日 营销中心例会: a holiday, 顺延 to 10-08
    assert _of(october, "marketing-centre-meeting") == [(_at(8, 9), _at(8, 18), D(2026, 10, 4))]
    # 每月10日 市场研讨会: a Saturday, but the make-up working day: not moved
    assert _of(october, "market-seminar") == [(_at(10, 9), _at(10, 18), None)]
    # 每月11日 各部工作检查: a Sunday, 顺延 to Monday 10-12
    assert _of(october, "department-inspection") == [(_at(12, 9), _at(12, 18), D(2026, 10, 11))]
    # 每月13~18日 客户拜访: the 13th is worked; the 18th a Sunday, so the range ends on the 19th
    assert _of(october, "customer-visits") == [(_at(13, 9), _at(19, 18), D(2026, 10, 13))]
    # 每季度 述职报告 (assumed due by the quarter's last day): open all of Q4
    assert _of(october, "quarterly-report") == [(_at(1, 9), _at(31, 18, month=12), None)]


def test_the_weekly_duties_of_october_2026_on_the_statutory_week(
    october: tuple[Occurrence, ...],
) -> None:
    meetings = _of(october, "weekly-meeting")
    assert meetings == [
        (_at(8, 13, 30), _at(8, 14, 30), D(2026, 10, 3)),  # National Day: 顺延
        (_at(10, 13, 30), _at(10, 14, 30), None),  # the make-up Saturday
        (_at(19, 13, 30), _at(19, 14, 30), D(2026, 10, 17)),
        (_at(26, 13, 30), _at(26, 14, 30), D(2026, 10, 24)),
    ]  # 10-31 moves to 11-02, outside October
    assert [o.start.date() for o in october if o.duty_id.endswith("/review-reports")] == [
        D(2026, 10, 8),
        D(2026, 10, 12),
        D(2026, 10, 19),
        D(2026, 10, 26),
    ]
    assert _of(october, "weekly-report") == [
        (_at(5, 9), _at(8, 18), D(2026, 10, 6)),
        (_at(12, 9), _at(13, 18), None),
        (_at(19, 9), _at(20, 18), None),
        (_at(26, 9), _at(27, 18), None),
    ]


def test_a_department_that_works_saturdays_keeps_its_saturday_meetings() -> None:
    chart = reference.load("sales-management")
    found = occurrences(duties_of(chart, MANAGER), *OCTOBER, SIX_DAY)
    assert _of(found, "weekly-meeting") == [
        (_at(8, 13, 30), _at(8, 14, 30), D(2026, 10, 3)),  # still a holiday
        (_at(10, 13, 30), _at(10, 14, 30), None),
        (_at(17, 13, 30), _at(17, 14, 30), None),
        (_at(24, 13, 30), _at(24, 14, 30), None),
        (_at(31, 13, 30), _at(31, 14, 30), None),
    ]


def test_daily_work_is_skipped_on_rest_days(october: tuple[Occurrence, ...]) -> None:
    days = [o.start.date() for o in october if o.duty_id.endswith("/approve-reports")]
    assert days == list(CHINA.working_days(*OCTOBER))
    first = next(o for o in october if o.duty_id.endswith("/approve-reports"))
    assert (first.start, first.end) == (_at(8, 8, 30), _at(8, 10))


def test_the_convention_names_how_a_rest_day_moved_it(october: tuple[Occurrence, ...]) -> None:
    moved = next(o for o in october if o.duty_id.endswith("/monthly-report"))
    assert moved.convention is BusinessDayConvention.FOLLOWING
    assert "顺延" in moved.explain()
    assert moved.id == f"{MANAGER}/monthly-report@2026-10-03"
    kept = next(o for o in october if o.duty_id.endswith("/market-seminar"))
    assert kept.convention is None


def test_preceding_and_modified_following_and_skip_on_a_month_end() -> None:
    # 2026-10-31 is a Saturday
    def one(convention: BusinessDayConvention) -> list[dt.date]:
        duty = RecurringDuty(
            id="p/close",
            position="p",
            duty="月底结账",
            seed="s:1",
            kind=DutyKind.DEADLINE,
            recurrence=Recurrence.monthly(31),
            convention=convention,
        )
        return [o.start.date() for o in occurrences([duty], *OCTOBER, CHINA)]

    assert one(BusinessDayConvention.PRECEDING) == [D(2026, 10, 30)]
    assert one(BusinessDayConvention.MODIFIED_FOLLOWING) == [D(2026, 10, 30)]
    assert one(BusinessDayConvention.FOLLOWING) == []  # moves to 11-02
    assert one(BusinessDayConvention.SKIP) == []
    assert one(BusinessDayConvention.KEEP) == [D(2026, 10, 31)]


def test_bad_ranges_and_duplicate_duty_ids_are_refused() -> None:
    duty = RecurringDuty(
        id="p/x", position="p", duty="x", seed="s:1", kind=DutyKind.ROUTINE, recurrence="FREQ=DAILY"
    )
    with pytest.raises(InvalidDateRangeError):
        occurrences([duty], D(2026, 10, 2), D(2026, 10, 1), CHINA)
    with pytest.raises(NotADateError):
        occurrences([duty], pendulum.datetime(2026, 10, 1), D(2026, 10, 2), CHINA)
    with pytest.raises(DuplicateIdError):
        occurrences([duty, duty], D(2026, 10, 1), D(2026, 10, 2), CHINA)


_RANGES = st.tuples(st.dates(D(2024, 2, 1), D(2026, 10, 31)), st.integers(0, 60))


@settings(max_examples=60)
@given(
    st.lists(recurring_duties(), min_size=1, max_size=4, unique_by=lambda d: d.id),
    company_calendars(),
    _RANGES,
)
def test_occurrences_are_ordered_unique_in_range_and_never_moved_onto_a_rest_day(
    duties: list[RecurringDuty], calendar: WorkCalendar, span: tuple[dt.date, int]
) -> None:
    start, length = span
    end = start + dt.timedelta(days=length)
    if not calendar.working_days(D(2024, 1, 1), D(2026, 12, 31)):
        return
    found = occurrences(duties, start, end, calendar)
    keys = [(o.start, o.end, o.duty_id) for o in found]
    assert keys == sorted(keys)
    assert len({o.id for o in found}) == len(found)
    by_id = {d.id: d for d in duties}
    for o in found:
        assert o.start <= o.end
        assert o.start.date() <= end
        assert o.end.date() >= start
        duty = by_id[o.duty_id]
        if duty.convention in (BusinessDayConvention.FOLLOWING, BusinessDayConvention.PRECEDING):
            if not duty.recurrence.due_by:
                assert calendar.is_workday(o.start.date()) or duty.recurrence.through is not None
            assert calendar.is_workday(o.end.date()) or o.end.time() == dt.time(0)
        modified = duty.convention is BusinessDayConvention.MODIFIED_FOLLOWING
        if modified and o.moved_from is not None and duty.recurrence.through is None:
            assert (o.end.year, o.end.month) == (o.moved_from.year, o.moved_from.month)


@settings(max_examples=40)
@given(recurring_duties(), _RANGES)
def test_splitting_a_range_loses_no_occurrence(
    duty: RecurringDuty, span: tuple[dt.date, int]
) -> None:
    start, length = span
    end = start + dt.timedelta(days=length)
    middle = start + dt.timedelta(days=length // 2)
    whole = {o.id for o in occurrences([duty], start, end, AHEAD)}
    halves = {o.id for o in occurrences([duty], start, middle, AHEAD)} | {
        o.id for o in occurrences([duty], middle, end, AHEAD)
    }
    assert whole == halves


def test_a_range_ending_on_the_calendars_last_covered_day_needs_no_later_year() -> None:
    # regression (rev10): the slack past the range asked the calendar for 2027 first,
    # so December 2026 failed even for duties that never reach 2027
    chart = reference.load("sales-management")
    duties = [d for d in duties_of(chart, MANAGER) if not d.id.endswith("/spot-check")]
    found = occurrences(duties, D(2026, 12, 1), D(2026, 12, 31), CHINA)
    assert {o.scheduled for o in found if o.duty_id == f"{MANAGER}/market-seminar"} == {
        D(2026, 12, 10)
    }
    assert all(o.start.year == 2026 for o in found)


def test_an_occurrence_that_needs_an_uncovered_year_still_raises() -> None:
    # the weekly spot-check of 28 December 2026 is due on Friday 1 January 2027: its
    # due day is unknown without 2027's holidays, so the answer is not guessed
    chart = reference.load("sales-management")
    spot = [d for d in duties_of(chart, MANAGER) if d.id.endswith("/spot-check")]
    with pytest.raises(CalendarCoverageError):
        occurrences(spot, D(2026, 12, 1), D(2026, 12, 31), CHINA)
    preceding = RecurringDuty(
        id="p/first", position="p", duty="每月1日", seed="s", kind=DutyKind.MEETING,
        recurrence=Recurrence.monthly(1), convention=BusinessDayConvention.PRECEDING,
    )  # fmt: skip
    with pytest.raises(CalendarCoverageError):  # 1 January 2027 could move back into 2026
        occurrences([preceding], D(2026, 12, 1), D(2026, 12, 31), CHINA)
    assert occurrences([spot[0]], D(2026, 12, 1), D(2026, 12, 31), AHEAD)
