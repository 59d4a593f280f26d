"""`parse_as_of`: what a person types as "as of" becomes one instant."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import keyaccount
from keyaccount import (
    CHINA_TIMEZONE,
    KeyAccountError,
    WorkCalendar,
    parse_as_of,
)
from keyaccount.errors import InvalidInstantError, NaiveDatetimeError, NotAnInstantError
from keyaccount.testing import company_calendars, timezones

CHINA = WorkCalendar.china()
ONE_MICROSECOND = dt.timedelta(microseconds=1)


def test_a_plain_date_text_is_the_start_of_that_day_in_the_calendars_zone() -> None:
    as_of = parse_as_of("2026-02-14", CHINA)
    assert as_of == pendulum.datetime(2026, 2, 14, tz=CHINA_TIMEZONE)
    assert as_of.timezone_name == CHINA_TIMEZONE


def test_a_date_object_is_the_start_of_that_day_in_the_calendars_zone() -> None:
    berlin = WorkCalendar(timezone="Europe/Berlin")
    assert parse_as_of(dt.date(2026, 7, 1), berlin) == pendulum.datetime(
        2026, 7, 1, tz="Europe/Berlin"
    )
    assert parse_as_of(pendulum.date(2026, 7, 1), berlin) == pendulum.datetime(
        2026, 7, 1, tz="Europe/Berlin"
    )


def test_an_instant_with_an_offset_keeps_its_offset() -> None:
    as_of = parse_as_of("2026-02-14T12:30:00+01:00", CHINA)
    assert as_of == pendulum.datetime(2026, 2, 14, 11, 30, tz="UTC")
    assert as_of.utcoffset() == dt.timedelta(hours=1)
    assert parse_as_of("2026-02-14T04:30:00Z", CHINA) == pendulum.datetime(
        2026, 2, 14, 4, 30, tz="UTC"
    )


def test_surrounding_blanks_are_ignored() -> None:
    assert parse_as_of(" 2026-02-14 ", CHINA) == parse_as_of("2026-02-14", CHINA)


def test_an_aware_datetime_is_returned_as_the_same_instant() -> None:
    moment = pendulum.datetime(2026, 2, 14, 9, tz="America/New_York")
    assert parse_as_of(moment, CHINA) is moment
    stdlib = dt.datetime(2026, 2, 14, 9, tzinfo=dt.UTC)
    parsed = parse_as_of(stdlib, CHINA)
    assert isinstance(parsed, pendulum.DateTime)
    assert parsed == stdlib


@pytest.mark.parametrize("value", ["2026-02-14T12:30", "2026-02-14 12:30:00"])
def test_a_date_time_without_an_offset_is_refused(value: str) -> None:
    with pytest.raises(NaiveDatetimeError, match="no UTC offset"):
        parse_as_of(value, CHINA)


def test_a_naive_datetime_object_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        parse_as_of(dt.datetime(2026, 2, 14, 12, 30), CHINA)  # noqa: DTZ001 - naive on purpose


@pytest.mark.parametrize("value", ["next monday", "", "2026-02-30", "14/02/2026", "yesterday"])
def test_text_that_is_no_instant_is_refused_naming_the_text_and_the_forms(value: str) -> None:
    with pytest.raises(InvalidInstantError) as caught:
        parse_as_of(value, CHINA)
    message = str(caught.value)
    assert repr(value) in message
    assert "YYYY-MM-DD" in message
    assert "RFC 3339" in message
    assert isinstance(caught.value, KeyAccountError)
    assert isinstance(caught.value, ValueError)


def test_something_that_is_not_text_or_a_date_is_refused() -> None:
    with pytest.raises(NotAnInstantError):
        parse_as_of(20260214, CHINA)  # type: ignore[arg-type]  # the wrong type on purpose


def test_parse_as_of_is_exported_from_the_calendar_and_the_top_level() -> None:
    assert keyaccount.calendar.parse_as_of is keyaccount.parse_as_of
    assert "parse_as_of" in keyaccount.calendar.__all__
    assert "InvalidInstantError" in keyaccount.errors.__all__


def test_a_day_without_a_midnight_starts_when_the_clocks_resume() -> None:
    # Chile moved its clocks from 00:00 to 01:00 on 2022-09-11: the day starts at 01:00.
    santiago = WorkCalendar(timezone="America/Santiago")
    as_of = parse_as_of("2022-09-11", santiago)
    assert (as_of.hour, as_of.minute) == (1, 0)
    assert as_of.date() == dt.date(2022, 9, 11)
    assert (as_of - ONE_MICROSECOND).in_timezone(santiago.tz).date() == dt.date(2022, 9, 10)


@st.composite
def zone_calendars(draw: st.DrawFn) -> WorkCalendar:
    """A company calendar, or the Chinese one moved to any zone."""
    if draw(st.booleans()):
        return draw(company_calendars())
    return WorkCalendar(timezone=draw(timezones()))


@given(st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)), zone_calendars())
def test_a_date_is_the_first_instant_of_that_local_day(
    day: dt.date, calendar: WorkCalendar
) -> None:
    as_of = parse_as_of(day.isoformat(), calendar)
    local = as_of.in_timezone(calendar.tz)
    assert local.date() == day
    assert (as_of - ONE_MICROSECOND).in_timezone(calendar.tz).date() < day
    assert parse_as_of(day, calendar) == as_of
    # Midnight, or the end of a clock change that skips midnight (never more than an hour).
    assert local.time() <= dt.time(1, 0)


@given(st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31)), company_calendars())
def test_a_date_falls_on_the_same_working_day_as_the_date_itself(
    day: dt.date, calendar: WorkCalendar
) -> None:
    as_of = parse_as_of(day.isoformat(), calendar)
    assert calendar.is_workday(as_of) == calendar.is_workday(day)
