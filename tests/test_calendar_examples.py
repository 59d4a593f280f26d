"""Example tests of the working calendar on real cases.

Every expected date below is reasoned from the State Council's holiday notices
(国务院办公厅关于2025年/2026年部分节假日安排的通知), not copied from the code's output:

* National Day and Mid-Autumn 2025: off Wednesday 1 to Wednesday 8 October; make-up
  working days Sunday 28 September and Saturday 11 October.
* Spring Festival 2026: off Sunday 15 to Monday 23 February; make-up working days
  Saturday 14 February and Saturday 28 February.

The china calendar's default working hours are 09:00-12:00 and 13:00-18:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import chinese_calendar
import pendulum
import pytest

from keyaccount import (
    CHINA_FIRST_YEAR,
    Days,
    Deadline,
    Hours,
    KeyAccountError,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
    YearTable,
    deadline,
    parse_period,
)
from keyaccount.errors import (
    CalendarCoverageError,
    InvalidCalendarError,
    InvalidPeriodError,
    InvalidTimezoneError,
    NaiveDatetimeError,
    NotADateError,
    NotAnInstantError,
)

SHANGHAI = "Asia/Shanghai"
CHINA = WorkCalendar.china()

#: The last year the installed chinesecalendar data covers, read from the data itself.
LAST_DATA_YEAR = max(d.year for d in [*chinese_calendar.holidays, *chinese_calendar.workdays])
#: The first year nobody has published a schedule for (in the installed data).
FIRST_UNCOVERED_YEAR = LAST_DATA_YEAR + 1

MON, TUE, WED, THU, FRI, SAT, SUN = range(1, 8)


def day(year: int, month: int, dom: int) -> dt.date:
    return dt.date(year, month, dom)


def shanghai(year: int, month: int, dom: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, dom, hour, minute, tz=SHANGHAI)


def days_from(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def tuesday_rest_company() -> WorkCalendar:
    """The seed company: rests on Tuesday only, works 09:00-12:00 and 14:30-18:00."""
    return WorkCalendar(
        weekly_rest_days={TUE},
        hours=[("09:00", "12:00"), ("14:30", "18:00")],
        timezone=SHANGHAI,
        name="tuesday-rest company",
    )


# ------------------------------------------------------------------ National Day 2025


def test_the_schedule_dates_fall_on_the_weekdays_the_notices_name() -> None:
    # A check on this file's own reasoning, not on the library.
    assert day(2025, 9, 28).isoweekday() == SUN
    assert day(2025, 9, 30).isoweekday() == TUE
    assert day(2025, 10, 11).isoweekday() == SAT
    assert day(2026, 2, 13).isoweekday() == FRI
    assert day(2026, 2, 14).isoweekday() == SAT
    assert day(2026, 2, 28).isoweekday() == SAT


def test_national_day_2025_rests_from_october_1_to_october_8() -> None:
    for off in days_from(day(2025, 10, 1), day(2025, 10, 8)):
        assert not CHINA.is_workday(off), off
    assert CHINA.is_workday(day(2025, 9, 30))
    assert CHINA.is_workday(day(2025, 10, 9))
    assert CHINA.is_workday(day(2025, 10, 10))


def test_the_make_up_sunday_and_saturday_around_national_day_2025_are_working_days() -> None:
    assert CHINA.is_workday(day(2025, 9, 28))
    assert CHINA.is_workday(day(2025, 10, 11))
    # The neighbouring weekend days stay rest days.
    assert not CHINA.is_workday(day(2025, 9, 27))
    assert not CHINA.is_workday(day(2025, 10, 12))


def test_national_day_2025_pushes_three_workdays_to_the_make_up_saturday() -> None:
    # After Tuesday 30 September: Thursday 9, Friday 10, Saturday 11 October.
    assert CHINA.add_workdays(day(2025, 9, 30), 1) == day(2025, 10, 9)
    assert CHINA.add_workdays(day(2025, 9, 30), 2) == day(2025, 10, 10)
    assert CHINA.add_workdays(day(2025, 9, 30), 3) == day(2025, 10, 11)
    assert CHINA.add_workdays(day(2025, 9, 30), 4) == day(2025, 10, 13)


def test_friday_before_national_day_2025_plus_one_workday_is_the_make_up_sunday() -> None:
    assert CHINA.add_workdays(day(2025, 9, 26), 1) == day(2025, 9, 28)


def test_a_make_up_saturday_is_counted_as_a_working_day() -> None:
    # (30 Sep, 11 Oct] holds 9, 10 and the make-up 11 October.
    assert CHINA.workdays_between(day(2025, 9, 30), day(2025, 10, 11)) == 3
    # (26 Sep, 29 Sep] holds the make-up Sunday 28 and Monday 29.
    assert CHINA.workdays_between(day(2025, 9, 26), day(2025, 9, 29)) == 2
    # (24 Feb 2026, 28 Feb 2026] holds Wednesday to Friday and the make-up Saturday.
    assert CHINA.workdays_between(day(2026, 2, 24), day(2026, 2, 28)) == 4


# ------------------------------------------------------------------ Spring Festival 2026


def test_spring_festival_2026_rests_from_february_15_to_february_23() -> None:
    for off in days_from(day(2026, 2, 15), day(2026, 2, 23)):
        assert not CHINA.is_workday(off), off
    assert CHINA.is_workday(day(2026, 2, 13))
    assert CHINA.is_workday(day(2026, 2, 24))


def test_spring_festival_2026_make_up_saturdays_are_february_14_and_february_28() -> None:
    assert CHINA.is_workday(day(2026, 2, 14))
    assert CHINA.is_workday(day(2026, 2, 28))
    assert not CHINA.is_workday(day(2026, 3, 1))  # the Sunday after stays a rest day
    assert not CHINA.is_workday(day(2026, 3, 7))  # and the next Saturday is ordinary


def test_friday_before_spring_festival_2026_plus_two_workdays_is_the_tuesday_after_it() -> None:
    assert CHINA.add_workdays(day(2026, 2, 13), 1) == day(2026, 2, 14)
    assert CHINA.add_workdays(day(2026, 2, 13), 2) == day(2026, 2, 24)
    assert CHINA.workdays_between(day(2026, 2, 14), day(2026, 2, 24)) == 1


def test_a_complaint_on_friday_evening_before_spring_festival_is_due_on_the_make_up_saturday() -> (
    None
):
    received = shanghai(2026, 2, 13, 17, 30)
    # 17:30-18:00 Friday (0.5 h), 09:00-12:00 Saturday 14th (3 h), 13:00-13:30 (0.5 h).
    due = deadline(received, WorkingHours(4), CHINA)
    assert due.at == shanghai(2026, 2, 14, 13, 30)
    assert due.date is None
    assert due.is_met_by(shanghai(2026, 2, 14, 13, 29))
    assert not due.is_met_by(shanghai(2026, 2, 14, 13, 30))
    assert due.is_breached(shanghai(2026, 2, 14, 13, 30))


def test_nine_working_hours_from_that_friday_evening_run_over_the_break() -> None:
    # 0.5 h Friday + 8 h on Saturday 14th = 8.5 h; the last 0.5 h on Tuesday 24th.
    due = deadline(shanghai(2026, 2, 13, 17, 30), WorkingHours(9), CHINA)
    assert due.at == shanghai(2026, 2, 24, 9, 30)


# ------------------------------------------------------------------ company calendar


def test_the_tuesday_rest_company_works_weekends_and_skips_tuesday() -> None:
    cal = tuesday_rest_company()
    monday = day(2026, 3, 2)
    assert monday.isoweekday() == MON
    assert cal.is_workday(monday)
    assert not cal.is_workday(day(2026, 3, 3))
    assert cal.is_workday(day(2026, 3, 7))  # Saturday
    assert cal.is_workday(day(2026, 3, 8))  # Sunday
    assert cal.add_workdays(monday, 1) == day(2026, 3, 4)
    assert cal.workdays_between(monday, day(2026, 3, 9)) == 6
    # Its own calendar: statutory holidays are not its rest days unless listed.
    assert cal.is_workday(day(2025, 10, 1))


def test_the_tuesday_rest_company_does_not_count_its_lunch_break() -> None:
    cal = tuesday_rest_company()
    assert cal.working_time_per_day() == dt.timedelta(hours=6, minutes=30)
    wednesday = (2026, 3, 4)
    # 11:00-12:00, then 14:30-15:30.
    assert cal.add_working_time(shanghai(*wednesday, 11), dt.timedelta(hours=2)) == shanghai(
        *wednesday, 15, 30
    )
    # 11:30-12:00 and 14:30-15:00.
    assert cal.working_time_between(
        shanghai(*wednesday, 11, 30), shanghai(*wednesday, 15)
    ) == dt.timedelta(hours=1)
    assert cal.working_time_between(
        shanghai(*wednesday, 7), shanghai(*wednesday, 20)
    ) == dt.timedelta(hours=6, minutes=30)


def test_two_working_hours_from_monday_afternoon_at_the_tuesday_rest_company_end_wednesday() -> (
    None
):
    cal = tuesday_rest_company()
    # Monday 17:00-18:00 (1 h), Tuesday skipped, Wednesday 09:00-10:00.
    due = deadline(shanghai(2026, 3, 2, 17), WorkingHours(2), cal)
    assert due.at == shanghai(2026, 3, 4, 10)
    assert cal.working_time_between(
        shanghai(2026, 3, 2, 17), shanghai(2026, 3, 4, 10)
    ) == dt.timedelta(hours=2)


def test_a_start_in_the_lunch_break_counts_from_the_afternoon_window() -> None:
    cal = tuesday_rest_company()
    assert cal.next_working_time(shanghai(2026, 3, 4, 12, 45)) == shanghai(2026, 3, 4, 14, 30)
    due = deadline(shanghai(2026, 3, 4, 12, 45), WorkingHours(1), cal)
    assert due.at == shanghai(2026, 3, 4, 15, 30)


# ------------------------------------------------------------------ deadline semantics

RECEIVED = shanghai(2025, 9, 30, 15)  # Tuesday, the last working day before National Day


def test_days_count_calendar_days_and_fall_due_at_the_following_local_midnight() -> None:
    due = deadline(RECEIVED, Days(3), CHINA)
    assert due.date == day(2025, 10, 3)  # a holiday, but calendar days count anyway
    assert due.at == shanghai(2025, 10, 4)
    assert due.at == pendulum.datetime(2025, 10, 3, 16, tz="UTC")
    assert due.start == RECEIVED


def test_workdays_fall_due_at_the_end_of_the_nth_working_day() -> None:
    due = deadline(RECEIVED, Workdays(3), CHINA)
    assert due.date == day(2025, 10, 11)
    assert due.at == shanghai(2025, 10, 12)
    assert due.is_met_by(shanghai(2025, 10, 11, 23, 59))
    assert not due.is_met_by(shanghai(2025, 10, 12))


def test_hours_run_around_the_clock_through_holidays() -> None:
    due = deadline(RECEIVED, Hours(24), CHINA)
    assert due.at == shanghai(2025, 10, 1, 15)
    assert due.date is None
    assert deadline(RECEIVED, Hours(1, 30), CHINA).at == shanghai(2025, 9, 30, 16, 30)


def test_working_hours_skip_the_national_day_break() -> None:
    # 15:00-18:00 on 30 September (3 h), then 09:00-10:00 on 9 October.
    due = deadline(RECEIVED, WorkingHours(4), CHINA)
    assert due.at == shanghai(2025, 10, 9, 10)
    assert due.date is None


def test_working_hours_that_end_in_the_same_window_end_the_same_afternoon() -> None:
    assert deadline(RECEIVED, WorkingHours(1), CHINA).at == shanghai(2025, 9, 30, 16)
    assert deadline(RECEIVED, WorkingHours(0, 30), CHINA).at == shanghai(2025, 9, 30, 15, 30)
    assert CHINA.add_working_time(RECEIVED, dt.timedelta(hours=2)) == shanghai(2025, 9, 30, 17)


def test_working_hours_from_outside_working_hours_start_at_the_next_window() -> None:
    # 20:00 on 30 September: nothing until 09:00 on 9 October.
    assert deadline(shanghai(2025, 9, 30, 20), WorkingHours(1), CHINA).at == shanghai(
        2025, 10, 9, 10
    )
    # In the china lunch break (12:00-13:00): counting starts at 13:00.
    assert deadline(shanghai(2025, 9, 30, 12, 30), WorkingHours(1), CHINA).at == shanghai(
        2025, 9, 30, 14
    )
    # On a holiday morning.
    assert deadline(shanghai(2025, 10, 3, 10), WorkingHours(2), CHINA).at == shanghai(
        2025, 10, 9, 11
    )


def test_workdays_from_a_rest_day_give_the_whole_next_working_day_as_the_first() -> None:
    saturday, friday = day(2026, 3, 7), day(2026, 3, 6)
    assert deadline(shanghai(2026, 3, 7, 10), Workdays(1), CHINA).date == day(2026, 3, 9)
    assert CHINA.add_workdays(saturday, 1) == CHINA.add_workdays(friday, 1) == day(2026, 3, 9)
    # From a holiday inside National Day: the first working day after it.
    assert deadline(shanghai(2025, 10, 4, 10), Workdays(1), CHINA).date == day(2025, 10, 9)


def test_a_deadlines_due_date_is_derived_from_when_it_falls_due() -> None:
    start = shanghai(2025, 9, 30, 15)
    due = Deadline(start, Workdays(3), pendulum.datetime(2025, 10, 12, tz=SHANGHAI))
    assert due == deadline(start, Workdays(3), CHINA)
    assert due.date == day(2025, 10, 11)
    assert Deadline(start, Hours(3), start.add(hours=3)).date is None


def test_a_deadline_can_no_longer_be_given_a_due_date_of_its_own() -> None:
    at = shanghai(2025, 9, 30, 15)
    with pytest.raises(TypeError):
        Deadline(at, Days(3), at, None)  # type: ignore[call-arg, arg-type]  # the old 4-field form


def test_a_day_deadline_on_a_day_without_midnight_keeps_its_date() -> None:
    # Chile moved its clocks from 00:00 to 01:00 on 2022-09-11: the 10th ends at 01:00.
    santiago = WorkCalendar(timezone="America/Santiago")
    due = deadline(pendulum.datetime(2022, 9, 9, 12, tz="America/Santiago"), Days(1), santiago)
    assert due.date == day(2022, 9, 10)
    assert due.at.in_timezone(santiago.tz).hour == 1


def test_working_days_of_a_range_are_a_tuple() -> None:
    assert CHINA.working_days(day(2025, 9, 27), day(2025, 10, 9)) == (
        day(2025, 9, 28),
        day(2025, 9, 29),
        day(2025, 9, 30),
        day(2025, 10, 9),
    )


def test_a_day_deadline_ends_at_local_midnight_in_the_calendars_timezone() -> None:
    berlin = WorkCalendar(timezone="Europe/Berlin")
    start = pendulum.datetime(2025, 10, 24, 12, tz="Europe/Berlin")
    # Saturday 25 October ends at 00:00 CEST (UTC+2) on the 26th...
    one = deadline(start, Days(1), berlin)
    assert one.date == day(2025, 10, 25)
    assert one.at == pendulum.datetime(2025, 10, 25, 22, tz="UTC")
    # ...and Sunday 26 October, the day clocks go back, at 00:00 CET (UTC+1) on the 27th.
    two = deadline(start, Days(2), berlin)
    assert two.at == pendulum.datetime(2025, 10, 26, 23, tz="UTC")
    assert two.at.utcoffset() == dt.timedelta(hours=1)
    # A Workdays deadline too: Friday + 1 working day is Monday 27th, ending at 00:00 on the 28th.
    assert deadline(start, Workdays(1), berlin).at == pendulum.datetime(2025, 10, 27, 23, tz="UTC")


# ------------------------------------------------------------------ timezones


def test_a_start_in_another_timezone_is_converted_to_the_calendars_date_first() -> None:
    # 23:30 UTC on 30 September is 07:30 on 1 October in Shanghai: already National Day.
    late_utc = pendulum.datetime(2025, 9, 30, 23, 30, tz="UTC")
    assert not CHINA.is_workday(late_utc)
    assert deadline(late_utc, Days(0), CHINA).date == day(2025, 10, 1)
    assert deadline(late_utc, Days(1), CHINA).date == day(2025, 10, 2)
    assert deadline(late_utc, Workdays(0), CHINA).date == day(2025, 10, 9)
    assert deadline(late_utc, WorkingHours(1), CHINA).at == shanghai(2025, 10, 9, 10)
    assert deadline(late_utc, Days(0), CHINA).start == shanghai(2025, 10, 1, 7, 30)


def test_a_stdlib_aware_datetime_is_accepted_and_converted() -> None:
    late_utc = dt.datetime(2025, 9, 30, 23, 30, tzinfo=dt.UTC)
    assert deadline(late_utc, Days(0), CHINA).date == day(2025, 10, 1)
    new_york = dt.datetime(2025, 9, 30, 3, 0, tzinfo=ZoneInfo("America/New_York"))
    # 03:00 EDT (UTC-4) is 15:00 in Shanghai, on 30 September.
    assert deadline(new_york, WorkingHours(4), CHINA).at == shanghai(2025, 10, 9, 10)


# ------------------------------------------------------------------ n = 0 and negative n


def test_zero_workdays_keeps_a_working_day_and_rolls_a_rest_day_forward() -> None:
    assert CHINA.add_workdays(day(2025, 9, 30), 0) == day(2025, 9, 30)
    assert CHINA.add_workdays(day(2025, 10, 1), 0) == day(2025, 10, 9)
    assert CHINA.add_workdays(day(2025, 9, 27), 0) == day(2025, 9, 28)  # to the make-up Sunday
    assert CHINA.add_workdays(day(2025, 9, 28), 0) == day(2025, 9, 28)


def test_negative_workdays_count_back_over_the_break() -> None:
    assert CHINA.add_workdays(day(2025, 10, 9), -1) == day(2025, 9, 30)
    assert CHINA.add_workdays(day(2025, 10, 5), -1) == day(2025, 9, 30)
    assert CHINA.add_workdays(day(2025, 10, 11), -3) == day(2025, 9, 30)
    assert CHINA.add_workdays(day(2025, 9, 29), -1) == day(2025, 9, 28)
    assert CHINA.add_workdays(day(2026, 2, 24), -1) == day(2026, 2, 14)
    assert CHINA.add_workdays(day(2026, 2, 24), -2) == day(2026, 2, 13)
    assert CHINA.workdays_between(day(2025, 10, 11), day(2025, 9, 30)) == -3


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "naive",
    [dt.datetime(2025, 9, 30, 15), pendulum.naive(2025, 9, 30, 15)],  # noqa: DTZ001 - naive on purpose
    ids=["stdlib", "pendulum"],
)
def test_a_naive_datetime_is_refused(naive: dt.datetime) -> None:
    with pytest.raises(NaiveDatetimeError, match="no timezone"):
        deadline(naive, WorkingHours(4), CHINA)
    with pytest.raises(NaiveDatetimeError):
        deadline(naive, Days(1), CHINA)
    with pytest.raises(NaiveDatetimeError):
        CHINA.add_working_time(naive, dt.timedelta(hours=1))
    with pytest.raises(ValueError, match="no timezone"):  # also the builtin it refines
        CHINA.working_time_between(naive, naive)


def test_a_date_after_the_covered_years_raises_and_names_the_covered_range() -> None:
    assert CHINA.covered_years == (CHINA_FIRST_YEAR, LAST_DATA_YEAR)
    with pytest.raises(CalendarCoverageError) as caught:
        CHINA.is_workday(day(FIRST_UNCOVERED_YEAR, 6, 1))
    assert f"{CHINA_FIRST_YEAR}-{LAST_DATA_YEAR}" in str(caught.value)
    assert caught.value.year == FIRST_UNCOVERED_YEAR
    assert caught.value.covered == (CHINA_FIRST_YEAR, LAST_DATA_YEAR)
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, KeyAccountError)


def test_counting_past_the_last_covered_day_raises_instead_of_guessing() -> None:
    last_day = day(LAST_DATA_YEAR, 12, 31)
    with pytest.raises(CalendarCoverageError, match=f"{CHINA_FIRST_YEAR}-{LAST_DATA_YEAR}"):
        CHINA.add_workdays(last_day, 10)
    with pytest.raises(CalendarCoverageError):
        deadline(shanghai(LAST_DATA_YEAR, 12, 31, 10), Workdays(10), CHINA)
    with pytest.raises(CalendarCoverageError):
        CHINA.is_workday(day(CHINA_FIRST_YEAR - 1, 12, 30))


# ------------------------------------------------------------------ extending coverage


def first_weekday_from(start: dt.date) -> dt.date:
    current = start
    while current.isoweekday() > FRI:
        current += dt.timedelta(days=1)
    return current


def test_a_year_table_extends_the_china_calendar_by_one_year() -> None:
    year = FIRST_UNCOVERED_YEAR
    first_week = days_from(day(year, 1, 1), day(year, 1, 7))
    make_up_sunday = next(
        d for d in days_from(day(year, 1, 8), day(year, 1, 14)) if d.isoweekday() == SUN
    )
    table = YearTable(
        year,
        holidays=frozenset(first_week),
        extra_workdays=frozenset({make_up_sunday}),
        source="a notice transcribed by the caller (test data)",
    )
    cal = WorkCalendar.china(extra_years=[table])
    assert cal.covered_years == (CHINA_FIRST_YEAR, year)
    assert not any(cal.is_workday(d) for d in first_week)
    assert cal.is_workday(make_up_sunday)
    # The first week is off, so the first working day of the year is the first weekday from
    # 8 January (or the make-up Sunday, if it comes sooner).
    expected = min(first_weekday_from(day(year, 1, 8)), make_up_sunday)
    assert cal.add_workdays(day(year - 1, 12, 31), 1) == expected
    # Mid-year days follow the ordinary Monday-Friday pattern.
    june = days_from(day(year, 6, 1), day(year, 6, 7))
    assert [cal.is_workday(d) for d in june] == [d.isoweekday() <= FRI for d in june]
    # The year after that is still not guessed.
    with pytest.raises(CalendarCoverageError, match=f"{CHINA_FIRST_YEAR}-{year}"):
        cal.is_workday(day(year + 1, 6, 1))
    # The shipped calendar is unchanged.
    with pytest.raises(CalendarCoverageError):
        CHINA.is_workday(day(year, 6, 1))


def test_a_year_table_may_extend_coverage_backwards() -> None:
    year = CHINA_FIRST_YEAR - 1
    table = YearTable(year, holidays=frozenset(), extra_workdays=frozenset(), source="test data")
    cal = WorkCalendar.china(extra_years=[table])
    assert cal.covered_years == (year, LAST_DATA_YEAR)
    assert cal.is_workday(first_weekday_from(day(year, 6, 1)))


def empty_table(year: int) -> YearTable:
    return YearTable(year, holidays=frozenset(), extra_workdays=frozenset(), source="test data")


def test_a_year_table_that_leaves_a_gap_is_rejected() -> None:
    with pytest.raises(InvalidCalendarError, match="gap"):
        WorkCalendar.china(extra_years=[empty_table(FIRST_UNCOVERED_YEAR + 1)])


def test_a_year_table_for_a_covered_year_is_rejected() -> None:
    with pytest.raises(InvalidCalendarError, match="already covered"):
        WorkCalendar.china(extra_years=[empty_table(LAST_DATA_YEAR)])
    with pytest.raises(InvalidCalendarError, match="already covered"):
        WorkCalendar.china(
            extra_years=[empty_table(FIRST_UNCOVERED_YEAR), empty_table(FIRST_UNCOVERED_YEAR)]
        )


def test_two_consecutive_year_tables_extend_coverage_by_two_years() -> None:
    tables = [empty_table(FIRST_UNCOVERED_YEAR + 1), empty_table(FIRST_UNCOVERED_YEAR)]
    cal = WorkCalendar.china(extra_years=tables)
    assert cal.covered_years == (CHINA_FIRST_YEAR, FIRST_UNCOVERED_YEAR + 1)


def test_a_year_table_rejects_dates_of_another_year_and_a_day_both_off_and_on() -> None:
    year = FIRST_UNCOVERED_YEAR
    with pytest.raises(InvalidCalendarError, match="table of"):
        YearTable(year, holidays={day(year + 1, 1, 1)}, extra_workdays=frozenset(), source="x")
    with pytest.raises(InvalidCalendarError, match="both"):
        YearTable(year, holidays={day(year, 1, 1)}, extra_workdays={day(year, 1, 1)}, source="x")


# ------------------------------------------------------------------ invalid periods


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: WorkCalendar(hours=[("09:00", "12:00"), ("11:00", "18:00")]), id="overlap"
        ),
        pytest.param(lambda: WorkCalendar(hours=[("12:00", "09:00")]), id="backwards"),
        pytest.param(lambda: WorkCalendar(hours=[("09:00", "09:00")]), id="empty-window"),
        pytest.param(lambda: WorkCalendar(hours=[("9:00", "12:00")]), id="not-HH:MM"),
        pytest.param(lambda: WorkCalendar(hours=[("09:00", "25:00")]), id="hour-25"),
        pytest.param(lambda: WorkCalendar(hours=[("09:00", "24:30")]), id="after-24:00"),
        pytest.param(lambda: WorkCalendar(hours=[("24:00", "08:00")]), id="starts-at-24:00"),
        pytest.param(lambda: WorkCalendar(hours=[]), id="no-window"),
        pytest.param(lambda: WorkCalendar(hours=[("09:00",)]), id="not-a-pair"),  # type: ignore[list-item]  # a malformed pair on purpose
        pytest.param(lambda: Days(-1), id="negative-days"),
        pytest.param(lambda: Workdays(-1), id="negative-workdays"),
        pytest.param(lambda: Hours(1, 60), id="sixty-minutes"),
        pytest.param(lambda: WorkingHours(-1), id="negative-working-hours"),
    ],
)
def test_an_invalid_window_or_period_is_refused(make: Callable[[], object]) -> None:
    with pytest.raises(InvalidPeriodError):
        make()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: WorkCalendar(weekly_rest_days={0}), id="rest-day-0"),
        pytest.param(lambda: WorkCalendar(weekly_rest_days={8}), id="rest-day-8"),
        pytest.param(lambda: WorkCalendar(weekly_rest_days=range(1, 8)), id="no-working-day"),
        pytest.param(
            lambda: WorkCalendar(holidays={day(2026, 1, 1)}, extra_workdays={day(2026, 1, 1)}),
            id="holiday-and-workday",
        ),
        pytest.param(
            lambda: WorkCalendar(holidays={day(2026, 1, 1)}, covered_years=(2025, 2025)),
            id="holiday-outside-covered-years",
        ),
        pytest.param(lambda: WorkCalendar(covered_years=(2026, 2025)), id="years-reversed"),
    ],
)
def test_a_calendar_that_contradicts_itself_is_refused(make: Callable[[], object]) -> None:
    with pytest.raises(InvalidCalendarError) as caught:
        make()
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", 8, None])
def test_an_unknown_or_non_text_time_zone_is_refused(zone: object) -> None:
    with pytest.raises(InvalidTimezoneError) as caught:
        WorkCalendar(timezone=zone)  # type: ignore[arg-type]  # a bad zone on purpose
    assert isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, InvalidPeriodError)


@pytest.mark.parametrize("bad", [dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "2026-01-01"])
def test_a_holiday_that_is_not_a_date_is_refused(bad: object) -> None:
    with pytest.raises(NotADateError) as caught:
        WorkCalendar(holidays={bad})  # type: ignore[arg-type]  # not a date on purpose
    assert isinstance(caught.value, TypeError)


def test_a_day_given_as_something_other_than_a_date_is_refused() -> None:
    with pytest.raises(NotADateError):
        CHINA.is_workday("2026-01-01")  # type: ignore[arg-type]  # text on purpose
    with pytest.raises(NotAnInstantError):
        CHINA.add_working_time(dt.date(2026, 1, 1), dt.timedelta(hours=1))  # type: ignore[arg-type]  # a date on purpose


def test_the_zone_object_is_built_once_and_is_no_part_of_the_value() -> None:
    cal = WorkCalendar(timezone="Europe/Berlin")
    assert cal.tz is cal.tz
    assert cal.tz == pendulum.timezone("Europe/Berlin")
    assert cal == WorkCalendar(timezone="Europe/Berlin")
    assert "tz" not in repr(cal).replace("timezone", "")


def test_a_window_ending_at_24_00_runs_to_midnight() -> None:
    cal = WorkCalendar(hours=[("20:00", "24:00")], weekly_rest_days=(), timezone=SHANGHAI)
    assert cal.working_time_per_day() == dt.timedelta(hours=4)
    assert cal.add_working_time(shanghai(2026, 3, 2, 23), dt.timedelta(hours=2)) == shanghai(
        2026, 3, 3, 21
    )


def test_adding_negative_working_time_is_refused() -> None:
    with pytest.raises(InvalidPeriodError):
        CHINA.add_working_time(RECEIVED, dt.timedelta(minutes=-1))


# ------------------------------------------------------------------ parse_period


@pytest.mark.parametrize(
    "period",
    [
        Days(7),
        Workdays(3),
        Workdays(0),
        Hours(24),
        Hours(1, 30),
        WorkingHours(4),
        WorkingHours(4, 30),
    ],
    ids=str,
)
def test_a_period_reads_back_from_its_text(period: Period) -> None:
    assert parse_period(str(period)) == period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 workdays", Workdays(3)),
        ("  7 days ", Days(7)),
        ("1 working hour", WorkingHours(1)),
        ("1 day", Days(1)),
        ("4 working hours 30 minutes", WorkingHours(4, 30)),
        ("24 hours", Hours(24)),
    ],
)
def test_a_period_text_names_its_kind(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    ["3 weeks", "three days", "-1 days", "2 days 30 minutes", "4 working hours 60 minutes", ""],
)
def test_a_text_that_is_not_a_period_is_refused(text: str) -> None:
    with pytest.raises(InvalidPeriodError):
        parse_period(text)


@pytest.mark.parametrize("text", ["7 DAYS", "3 Workdays", "4 working-hours", "1.5 hours"])
def test_a_period_text_is_read_case_sensitively_like_the_json_schema_pattern(text: str) -> None:
    with pytest.raises(InvalidPeriodError):
        parse_period(text)
