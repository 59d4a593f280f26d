"""Property tests of the working calendar, and a day-by-day cross-check against `holidays`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import chinese_calendar
import holidays
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import (
    CHINA_FIRST_YEAR,
    Days,
    Hours,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
    deadline,
    parse_period,
)
from keyaccount.errors import CalendarCoverageError
from keyaccount.testing import aware_datetimes, china_dates, company_calendars, periods

CHINA = WorkCalendar.china()
assert CHINA.covered_years is not None
FIRST_YEAR, LAST_YEAR = CHINA.covered_years
COVERED_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)

#: 40 working days never take more than 100 calendar days, even over Spring Festival and
#: National Day, so a date this far from the coverage bounds keeps the answer inside.
MAX_N = 40
MARGIN = dt.timedelta(days=100)
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)

ns = st.integers(1, MAX_N)
signed_ns = st.integers(-MAX_N, MAX_N)
#: Dates from which +-MAX_N working days stay inside the china calendar's coverage.
inner_dates = st.dates(FIRST_DAY + MARGIN, LAST_DAY - MARGIN)
#: Instants from which any period of up to MAX_N (working) days or hours stays inside.
inner_instants = aware_datetimes(FIRST_DAY + MARGIN, LAST_DAY - MARGIN)
#: Dates for the company calendars, which have no coverage bound of their own.
company_dates = st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31))
company_instants = aware_datetimes(dt.date(2023, 1, 1), dt.date(2027, 12, 31))
#: Short durations often end in the window they start in; long ones cross days and breaks.
durations = st.one_of(st.integers(0, 3 * 60), st.integers(0, 60 * 60)).map(
    lambda minutes: dt.timedelta(minutes=minutes)
)


def holidays_china(year: int) -> holidays.HolidayBase:
    """``holidays.China(years=year)``, through the typed factory (``China`` is untyped)."""
    return holidays.country_holidays("CN", years=year)


PERIOD_KINDS: list[Callable[[int], Period]] = [Days, Workdays, Hours, WorkingHours]


# ------------------------------------------------------------------ working days


@given(inner_dates, ns)
def test_workdays_between_undoes_add_workdays_on_the_china_calendar(d: dt.date, n: int) -> None:
    assert CHINA.workdays_between(d, CHINA.add_workdays(d, n)) == n


@given(company_calendars(), company_dates, ns)
def test_workdays_between_undoes_add_workdays_on_company_calendars(
    cal: WorkCalendar, d: dt.date, n: int
) -> None:
    assert cal.workdays_between(d, cal.add_workdays(d, n)) == n


@given(inner_dates, signed_ns)
def test_add_workdays_lands_on_a_working_day_on_the_correct_side(d: dt.date, n: int) -> None:
    result = CHINA.add_workdays(d, n)
    assert CHINA.is_workday(result)
    if n > 0:
        assert result > d
    elif n < 0:
        assert result < d
    else:
        assert result >= d


@given(company_calendars(), company_dates, signed_ns)
def test_add_workdays_never_returns_a_rest_day_on_company_calendars(
    cal: WorkCalendar, d: dt.date, n: int
) -> None:
    result = cal.add_workdays(d, n)
    assert cal.is_workday(result)
    assert result.isoweekday() not in cal.weekly_rest_days or result in cal.extra_workdays
    assert result not in cal.holidays


@given(inner_dates, inner_dates, signed_ns)
def test_add_workdays_is_monotonic_in_the_start_date(d1: dt.date, d2: dt.date, n: int) -> None:
    d1, d2 = min(d1, d2), max(d1, d2)
    assert CHINA.add_workdays(d1, n) <= CHINA.add_workdays(d2, n)


@given(inner_dates, signed_ns, signed_ns)
def test_add_workdays_is_monotonic_in_n(d: dt.date, n1: int, n2: int) -> None:
    n1, n2 = min(n1, n2), max(n1, n2)
    assert CHINA.add_workdays(d, n1) <= CHINA.add_workdays(d, n2)
    if 1 <= n1 < n2 or n1 < n2 <= 0:  # from a rest day, n = 0 and n = 1 coincide
        assert CHINA.add_workdays(d, n1) < CHINA.add_workdays(d, n2)


@given(company_calendars(), company_dates, company_dates, signed_ns, signed_ns)
def test_add_workdays_is_monotonic_on_company_calendars(
    cal: WorkCalendar, d1: dt.date, d2: dt.date, n1: int, n2: int
) -> None:
    d1, d2 = min(d1, d2), max(d1, d2)
    n1, n2 = min(n1, n2), max(n1, n2)
    assert cal.add_workdays(d1, n1) <= cal.add_workdays(d2, n1)
    assert cal.add_workdays(d1, n1) <= cal.add_workdays(d1, n2)


@given(inner_dates, ns)
def test_counting_back_undoes_counting_forward_from_a_working_day(d: dt.date, n: int) -> None:
    start = CHINA.add_workdays(d, 0)
    assert CHINA.add_workdays(CHINA.add_workdays(start, n), -n) == start


# ------------------------------------------------------------------ working time


@given(inner_instants, durations)
def test_working_time_between_undoes_add_working_time_on_the_china_calendar(
    a: pendulum.DateTime, duration: dt.timedelta
) -> None:
    end = CHINA.add_working_time(a, duration)
    assert end >= a
    assert CHINA.working_time_between(a, end) == duration


@given(company_calendars(), company_instants, durations)
def test_working_time_between_undoes_add_working_time_on_company_calendars(
    cal: WorkCalendar, a: pendulum.DateTime, duration: dt.timedelta
) -> None:
    end = cal.add_working_time(a, duration)
    assert end >= a
    assert cal.working_time_between(a, end) == duration


@given(inner_instants, durations)
def test_a_positive_duration_ends_inside_or_at_the_close_of_a_window(
    a: pendulum.DateTime, duration: dt.timedelta
) -> None:
    end = CHINA.add_working_time(a, duration)
    if duration:
        just_before = end - dt.timedelta(seconds=1)
        assert CHINA.is_working_time(just_before)


# ------------------------------------------------------------------ deadlines


@pytest.mark.parametrize("kind", PERIOD_KINDS, ids=lambda k: getattr(k, "__name__", "?"))
@given(start=inner_instants, n=st.integers(0, MAX_N))
def test_a_deadline_is_never_before_its_start_on_the_china_calendar(
    kind: Callable[[int], Period], start: pendulum.DateTime, n: int
) -> None:
    due = deadline(start, kind(n), CHINA)
    assert due.at >= start
    # the same instant; `==` across zones is False in a repeated hour (PEP 495)
    assert due.start.timestamp() == start.timestamp()


@pytest.mark.parametrize("kind", PERIOD_KINDS, ids=lambda k: getattr(k, "__name__", "?"))
@given(cal=company_calendars(), start=company_instants, n=st.integers(0, MAX_N))
def test_a_deadline_is_never_before_its_start_on_company_calendars(
    kind: Callable[[int], Period], cal: WorkCalendar, start: pendulum.DateTime, n: int
) -> None:
    assert deadline(start, kind(n), cal).at >= start


@given(inner_instants, st.integers(0, MAX_N))
def test_a_workdays_deadline_never_falls_on_a_rest_day(start: pendulum.DateTime, n: int) -> None:
    due = deadline(start, Workdays(n), CHINA)
    assert due.date is not None
    assert CHINA.is_workday(due.date)
    assert due.at == pendulum.datetime(
        due.date.year, due.date.month, due.date.day, tz=CHINA.timezone
    ).add(days=1)


@given(company_calendars(), company_instants, st.integers(0, MAX_N))
def test_a_workdays_deadline_never_falls_on_a_rest_day_of_a_company_calendar(
    cal: WorkCalendar, start: pendulum.DateTime, n: int
) -> None:
    due = deadline(start, Workdays(n), cal)
    assert due.date is not None
    assert cal.is_workday(due.date)


@given(periods())
def test_every_period_reads_back_from_its_text(period: Period) -> None:
    assert parse_period(str(period)) == period


# ------------------------------------------------------------------ against `holidays`


def test_the_china_calendar_agrees_with_holidays_on_every_day_of_every_covered_year() -> None:
    disagreements = []
    for year in COVERED_YEARS:
        reference = holidays_china(year)
        current = dt.date(year, 1, 1)
        while current.year == year:
            if CHINA.is_workday(current) != reference.is_working_day(current):
                disagreements.append(current)
            current += dt.timedelta(days=1)
    assert disagreements == []


@pytest.mark.parametrize("year", COVERED_YEARS)
def test_every_covered_year_rests_on_new_years_day_and_spring_festival(year: int) -> None:
    # The data keyaccount reads lists both festivals for the year...
    listed = {name for day, name in chinese_calendar.holidays.items() if day.year == year}
    assert {"New Year's Day", "Spring Festival"} <= listed, f"{year}: only {sorted(listed)}"
    # ...and the calendar rests on them. `holidays` gives the lunar new year's date.
    names = holidays_china(year)
    spring = sorted(names.get_named("Chinese New Year (Spring Festival)", lookup="startswith"))
    assert spring, f"no Spring Festival listed for {year}"
    # New Year's Day and the first three days of the lunar year are statutory holidays,
    # so they are rest days whatever their weekday. Three consecutive days always include
    # a weekday, so a year missing from the data fails here.
    new_year = dt.date(year, 1, 1)
    assert not CHINA.is_workday(new_year)
    lunar_new_year = spring[0]
    for offset in range(3):
        assert not CHINA.is_workday(lunar_new_year + dt.timedelta(days=offset))


def test_the_year_after_coverage_raises_where_holidays_silently_answers() -> None:
    after = dt.date(LAST_YEAR + 1, 6, 1)
    # `holidays` computes a schedule for any year, before the State Council publishes it...
    reference = holidays_china(after.year)
    assert reference.get(dt.date(after.year, 1, 1)) == "New Year's Day"
    assert not reference.is_working_day(dt.date(after.year, 1, 1))
    # ...keyaccount refuses to guess.
    with pytest.raises(CalendarCoverageError, match=f"{FIRST_YEAR}-{LAST_YEAR}"):
        CHINA.is_workday(after)
    with pytest.raises(CalendarCoverageError):
        CHINA.add_workdays(dt.date(LAST_YEAR, 12, 31), 1)


def test_the_first_covered_year_is_the_documented_one() -> None:
    assert FIRST_YEAR == CHINA_FIRST_YEAR


@given(china_dates(FIRST_YEAR, LAST_YEAR))
def test_is_workday_answers_for_any_covered_date(d: dt.date) -> None:
    assert CHINA.is_workday(d) == (CHINA.add_workdays(d, 0) == d)
