"""A month as a wall calendar shows it: `month_grid` (work, rest, holiday, make-up day 调休)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import DayKind, HolidayBreak, MonthGrid, WorkCalendar, month_grid
from keyaccount.errors import (
    CalendarCoverageError,
    InvalidArgumentTypeError,
    InvalidCalendarError,
)
from keyaccount.io import load_year_tables
from keyaccount.testing import china_dates, company_calendars

#: The State Council's 2026 notice, transcribed (国务院办公厅关于2026年部分节假日安排的通知).
NOTICE_2026 = Path(__file__).resolve().parent.parent / "examples" / "data" / "china-2026.toml"
CHINA = WorkCalendar.china()


def test_october_2026_has_the_national_day_break_and_its_make_up_saturday() -> None:
    grid = month_grid(CHINA, 2026, 10)
    # Thursday 1 October starts the grid's first week; the 31st is a Saturday.
    assert [d.date.day if d else None for d in grid.weeks[0]] == [None, None, None, 1, 2, 3, 4]
    assert [d.date.day if d else None for d in grid.weeks[-1]] == [26, 27, 28, 29, 30, 31, None]
    assert len(grid.weeks) == 5
    for day in range(1, 8):
        entry = grid.day(dt.date(2026, 10, day))
        assert (entry.kind, entry.holiday, entry.holiday_en) == (
            DayKind.HOLIDAY,
            "国庆节",
            "National Day",
        )
        assert not entry.is_workday
    make_up = grid.day(dt.date(2026, 10, 10))  # 10月10日（周六）上班
    assert (make_up.kind, make_up.holiday, make_up.is_workday) == (DayKind.MAKE_UP, "国庆节", True)
    assert grid.day(dt.date(2026, 10, 8)).kind is DayKind.WORK
    assert grid.day(dt.date(2026, 10, 8)).holiday is None
    assert grid.day(dt.date(2026, 10, 11)).kind is DayKind.REST  # an ordinary Sunday
    assert (grid.count(DayKind.WORK), grid.count(DayKind.MAKE_UP)) == (17, 1)
    assert (grid.count(DayKind.HOLIDAY), grid.count(DayKind.REST)) == (7, 6)
    assert grid.explain() == (
        "2026-10 on the china calendar: 18 working days, of which 1 make-up (调休); "
        "7 holidays (国庆节); 6 rest days"
    )


def test_september_2026_holds_the_mid_autumn_break_and_a_national_day_make_up_sunday() -> None:
    grid = month_grid(CHINA, 2026, 9)
    assert [d.holiday for d in grid.days if d.kind is DayKind.HOLIDAY] == ["中秋节"] * 3
    (sunday,) = (d for d in grid.days if d.kind is DayKind.MAKE_UP)
    assert (sunday.date, sunday.holiday) == (dt.date(2026, 9, 20), "国庆节")  # 9月20日（周日）上班


def test_every_day_of_2026_agrees_with_the_transcribed_notice() -> None:
    (table,) = load_year_tables(NOTICE_2026)
    off = {day: item.name for item in table.breaks for day in item.days}
    on = {day: item.name for item in table.breaks for day in item.make_up_days}
    for month in range(1, 13):
        for entry in month_grid(CHINA, 2026, month).days:
            if entry.date in off:
                assert (entry.kind, entry.holiday) == (DayKind.HOLIDAY, off[entry.date])
            elif entry.date in on:
                assert (entry.kind, entry.holiday) == (DayKind.MAKE_UP, on[entry.date])
            else:
                weekend = entry.date.isoweekday() >= 6
                assert entry.kind is (DayKind.REST if weekend else DayKind.WORK), entry
                assert entry.holiday is None


def test_the_spring_festival_2026_grid_shows_both_make_up_saturdays() -> None:
    grid = month_grid(CHINA, 2026, 2)
    make_up = [(d.date.day, d.holiday_en) for d in grid.days if d.kind is DayKind.MAKE_UP]
    assert make_up == [(14, "Spring Festival"), (28, "Spring Festival")]


def test_in_a_shared_break_each_day_is_named_after_its_own_festival() -> None:
    # 2025: 国庆节、中秋节 share 1-8 October; 中秋 itself is Monday 6 October.
    grid = month_grid(CHINA, 2025, 10)
    named = {d.date.day: d.holiday for d in grid.days if d.holiday}
    assert named == {**dict.fromkeys((1, 2, 3, 4, 5, 7, 8, 11), "国庆节"), 6: "中秋节"}
    assert grid.day(dt.date(2025, 10, 6)).holiday_en == "Mid-Autumn Festival"
    assert grid.day(dt.date(2025, 10, 11)).kind is DayKind.MAKE_UP
    shared = HolidayBreak("国庆节、中秋节", dt.date(2025, 10, 1), dt.date(2025, 10, 8))
    given_names = month_grid(CHINA, 2025, 10, breaks=[shared])
    assert given_names.day(dt.date(2025, 10, 6)).holiday == "国庆节、中秋节"
    assert (
        given_names.day(dt.date(2025, 10, 6)).holiday_en == "National Day and Mid-Autumn Festival"
    )


def test_breaks_given_by_the_caller_name_the_days_of_a_company_calendar() -> None:
    founding = HolidayBreak("司庆", dt.date(2026, 6, 8), dt.date(2026, 6, 9))
    company = WorkCalendar(holidays=founding.days, name="acme")
    grid = month_grid(company, 2026, 6, breaks=[founding])
    assert [(d.date.day, d.holiday, d.holiday_en) for d in grid.days if d.holiday] == [
        (8, "司庆", None),
        (9, "司庆", None),
    ]
    assert month_grid(company, 2026, 6).day(dt.date(2026, 6, 8)).holiday is None


def test_a_provisional_year_is_marked_and_named_from_its_estimate() -> None:
    estimated = WorkCalendar.china(provisional=True)
    year = min(estimated.provisional_years)
    grid = month_grid(estimated, year, 10)
    assert grid.provisional
    assert grid.day(dt.date(year, 10, 1)).holiday == "国庆节"
    assert "provisional" in grid.explain()
    assert not month_grid(CHINA, 2026, 10).provisional


@given(china_dates())
def test_the_kind_of_every_day_is_the_calendars_answer(day: dt.date) -> None:
    entry = month_grid(CHINA, day.year, day.month).day(day)
    assert entry.is_workday == CHINA.is_workday(day)
    assert (entry.kind is DayKind.HOLIDAY) == (day in CHINA.holidays)
    assert (entry.kind is DayKind.MAKE_UP) == (day in CHINA.extra_workdays)
    assert (entry.holiday is not None) <= (entry.kind in (DayKind.HOLIDAY, DayKind.MAKE_UP))


@given(company_calendars(), st.integers(2000, 2040), st.integers(1, 12))
def test_a_grid_is_every_day_of_the_month_once_in_monday_first_weeks(
    calendar: WorkCalendar, year: int, month: int
) -> None:
    grid = month_grid(calendar, year, month)
    days = [d.date for d in grid.days]
    first = dt.date(year, month, 1)
    assert days == [first + dt.timedelta(days=i) for i in range(len(days))]
    assert (days[-1] + dt.timedelta(days=1)).day == 1
    assert all(len(week) == 7 for week in grid.weeks)
    for week in grid.weeks:
        for weekday, entry in enumerate(week, start=1):
            assert entry is None or entry.date.isoweekday() == weekday
    assert all(d.is_workday == calendar.is_workday(d.date) for d in grid.days)
    assert sum(grid.count(kind) for kind in DayKind) == len(days)
    assert isinstance(grid, MonthGrid)
    assert grid.calendar == calendar.name


def test_bad_arguments_are_refused_with_a_typed_error() -> None:
    with pytest.raises(InvalidCalendarError, match="1 to 12"):
        month_grid(CHINA, 2026, 13)
    with pytest.raises(InvalidArgumentTypeError, match="year must be an int"):
        month_grid(CHINA, "2026", 10)  # type: ignore[arg-type]  # the refusal under test
    with pytest.raises(InvalidArgumentTypeError, match="WorkCalendar"):
        month_grid("china", 2026, 10)  # type: ignore[arg-type]  # the refusal under test
    with pytest.raises(InvalidArgumentTypeError, match="HolidayBreak"):
        month_grid(CHINA, 2026, 10, breaks=["国庆节"])  # type: ignore[list-item]  # under test
    with pytest.raises(InvalidCalendarError, match="not in 2026-10"):
        month_grid(CHINA, 2026, 10).day(dt.date(2026, 11, 1))


def test_a_month_outside_the_covered_years_raises_rather_than_guessing() -> None:
    first, last = CHINA.covered_years or (0, 0)
    with pytest.raises(CalendarCoverageError):
        month_grid(CHINA, last + 1, 1)
    with pytest.raises(CalendarCoverageError):
        month_grid(CHINA, first - 1, 12)
