"""Recurrence rules as values (issue 10): text round trips, the stated readings, bad text.

Also the rest-day conventions (`adjust`): 顺延 and preceding never land on a rest day,
modified-following stays in the month.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount.calendar import (
    BusinessDayConvention,
    Recurrence,
    TimeWindow,
    WorkCalendar,
    adjust,
)
from keyaccount.errors import InvalidRecurrenceError
from keyaccount.testing import company_calendars, recurrences

D = dt.date


@given(recurrences())
def test_the_text_of_a_rule_reads_back_as_the_same_rule(rule: Recurrence) -> None:
    text = rule.to_text()
    assert Recurrence.parse(text) == rule
    assert str(Recurrence.parse(text)) == text == str(rule)


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY",
        "FREQ=DAILY;X-WINDOW=08:30-10:00",
        "FREQ=WEEKLY;BYDAY=SA;X-WINDOW=13:30-14:30",
        "FREQ=WEEKLY;BYDAY=TU;X-DUE-BY=TRUE",
        "FREQ=MONTHLY;BYMONTHDAY=3;X-DUE-BY=TRUE",
        "FREQ=MONTHLY;BYMONTHDAY=13;X-THROUGH=18",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=31;X-DUE-BY=TRUE",
    ],
)
def test_a_canonical_text_is_written_back_unchanged(text: str) -> None:
    assert str(Recurrence.parse(text)) == text


def test_keys_in_any_order_and_case_read_as_the_canonical_rule() -> None:
    rule = Recurrence.parse("x-window=13:30-14:30; byday=sa ;FREQ=weekly")
    assert str(rule) == "FREQ=WEEKLY;BYDAY=SA;X-WINDOW=13:30-14:30"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "not KEY=VALUE"),
        ("every monday", "not KEY=VALUE"),
        ("FREQ=HOURLY", "FREQ is one of"),
        ("FREQ=WEEKLY", "names its weekdays"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY holds weekdays"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "month days"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "month days"),
        ("FREQ=MONTHLY;BYMONTHDAY=3;INTERVAL=2", "INTERVAL is not a key"),
        ("FREQ=MONTHLY;BYMONTHDAY=3;BYMONTHDAY=4", "given twice"),
        ("FREQ=MONTHLY;BYMONTHDAY=18;X-THROUGH=13", "range of days"),
        ("FREQ=MONTHLY;BYMONTHDAY=3,4;X-DUE-BY=TRUE", "one day of its period"),
        ("FREQ=MONTHLY;BYMONTHDAY=3;X-DUE-BY=YES", "TRUE or FALSE"),
        ("FREQ=DAILY;X-WINDOW=14:30-13:30", "does not start before"),
        ("FREQ=DAILY;X-WINDOW=9-10", "HH:MM-HH:MM"),
        ("FREQ=YEARLY;BYMONTHDAY=3", "names its months"),
        ("FREQ=DAILY;BYMONTHDAY=3", "MONTHLY or YEARLY"),
    ],
)
def test_an_unreadable_rule_is_a_typed_error_naming_its_text(text: str, words: str) -> None:
    with pytest.raises(InvalidRecurrenceError, match=words) as caught:
        Recurrence.parse(text)
    assert caught.value.text == text
    assert repr(text) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_rule_that_is_not_text_is_refused() -> None:
    with pytest.raises(InvalidRecurrenceError, match="is text"):
        Recurrence.parse(3)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the stated readings


def test_the_31st_of_every_month_skips_the_months_without_one() -> None:
    rule = Recurrence.monthly(31)
    assert rule.days(D(2026, 1, 1), D(2026, 5, 31)) == (
        D(2026, 1, 31),
        D(2026, 3, 31),
        D(2026, 5, 31),
    )


def test_a_deadline_by_the_31st_is_clamped_to_the_last_day_of_a_short_month() -> None:
    rule = Recurrence.monthly(31, due_by=True)
    assert rule.days(D(2026, 1, 1), D(2026, 4, 30)) == (
        D(2026, 1, 31),
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 30),
    )
    assert Recurrence.monthly(30, due_by=True).days(D(2028, 2, 1), D(2028, 2, 29)) == (
        D(2028, 2, 29),
    )


def test_a_range_29_to_31_keeps_the_days_a_month_has_and_skips_a_february_without_them() -> None:
    rule = Recurrence.monthly(29, through=31)
    slots = rule.slots(D(2026, 1, 1), D(2026, 4, 30))
    assert [(s.scheduled, s.last) for s in slots] == [
        (D(2026, 1, 29), D(2026, 1, 31)),
        (D(2026, 3, 29), D(2026, 3, 31)),
        (D(2026, 4, 29), D(2026, 4, 30)),
    ]
    leap = rule.slots(D(2028, 2, 1), D(2028, 2, 29))
    assert [(s.scheduled, s.last) for s in leap] == [(D(2028, 2, 29), D(2028, 2, 29))]


def test_a_deadline_opens_at_the_start_of_its_period() -> None:
    monthly = Recurrence.monthly(3, due_by=True).slots(D(2026, 10, 1), D(2026, 10, 31))
    assert [(s.opens, s.scheduled) for s in monthly] == [(D(2026, 10, 1), D(2026, 10, 3))]
    weekly = Recurrence.weekly(2, due_by=True).slots(D(2026, 10, 12), D(2026, 10, 18))
    assert [(s.opens, s.scheduled) for s in weekly] == [(D(2026, 10, 12), D(2026, 10, 13))]
    quarterly = Recurrence.quarterly(31, due_by=True).slots(D(2026, 1, 1), D(2026, 12, 31))
    assert [(s.opens, s.scheduled) for s in quarterly] == [
        (D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 10, 1), D(2026, 12, 31)),
    ]
    early = Recurrence.quarterly(10, months=(1, 4, 7, 10), due_by=True)
    assert early.slots(D(2026, 1, 1), D(2026, 1, 31))[0].opens == D(2025, 11, 1)


def test_the_constructors_write_the_documented_text() -> None:
    assert str(Recurrence.daily(window="08:30-10:00")) == "FREQ=DAILY;X-WINDOW=08:30-10:00"
    assert str(Recurrence.weekly(6, window=TimeWindow.parse("13:30-14:30"))) == (
        "FREQ=WEEKLY;BYDAY=SA;X-WINDOW=13:30-14:30"
    )
    assert str(Recurrence.monthly(13, through=18)) == "FREQ=MONTHLY;BYMONTHDAY=13;X-THROUGH=18"
    assert str(Recurrence.yearly(12, 31)) == "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"


@given(recurrences(), st.dates(D(2024, 1, 1), D(2026, 12, 31)), st.integers(0, 120))
def test_the_days_of_a_rule_are_ordered_unique_and_in_the_range(
    rule: Recurrence, start: dt.date, length: int
) -> None:
    end = start + dt.timedelta(days=length)
    days = rule.days(start, end)
    assert list(days) == sorted(set(days))
    assert all(start <= d <= end for d in days)


# ------------------------------------------------------------------ conventions

_CHINA = WorkCalendar.china()
_DAYS_2024_2026 = st.dates(D(2024, 1, 15), D(2026, 12, 15))


@given(company_calendars(), _DAYS_2024_2026)
def test_following_and_preceding_never_land_on_a_rest_day(
    calendar: WorkCalendar, day: dt.date
) -> None:
    if not calendar.working_days(D(2024, 1, 1), D(2026, 12, 31)):
        return
    for convention in (BusinessDayConvention.FOLLOWING, BusinessDayConvention.PRECEDING):
        moved = adjust(day, convention, calendar)
        assert moved is not None
        assert calendar.is_workday(moved)
        assert (moved >= day) if convention is BusinessDayConvention.FOLLOWING else (moved <= day)
        if calendar.is_workday(day):
            assert moved == day


@given(company_calendars(), _DAYS_2024_2026)
def test_modified_following_stays_in_the_month_when_the_month_has_a_working_day(
    calendar: WorkCalendar, day: dt.date
) -> None:
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if not calendar.working_days(first, last):
        return
    moved = adjust(day, BusinessDayConvention.MODIFIED_FOLLOWING, calendar)
    assert moved is not None
    assert calendar.is_workday(moved)
    assert (moved.year, moved.month) == (day.year, day.month)


@given(_DAYS_2024_2026)
def test_skip_drops_exactly_the_rest_days_and_keep_keeps_every_day(day: dt.date) -> None:
    skipped = adjust(day, BusinessDayConvention.SKIP, _CHINA)
    assert (skipped is None) == (not _CHINA.is_workday(day))
    assert adjust(day, BusinessDayConvention.KEEP, _CHINA) == day


def test_national_day_2026_moves_each_convention_as_stated() -> None:
    # 2026-10-01..07 are holidays, 10-08 is the first working day, 09-30 the last before.
    day = D(2026, 10, 3)
    assert adjust(day, BusinessDayConvention.FOLLOWING, _CHINA) == D(2026, 10, 8)
    assert adjust(day, BusinessDayConvention.PRECEDING, _CHINA) == D(2026, 9, 30)
    assert adjust(day, BusinessDayConvention.MODIFIED_FOLLOWING, _CHINA) == D(2026, 10, 8)
    # 2026-10-31 is a Saturday: following leaves the month, modified-following does not
    assert adjust(D(2026, 10, 31), BusinessDayConvention.MODIFIED_FOLLOWING, _CHINA) == D(
        2026, 10, 30
    )
    assert BusinessDayConvention.FOLLOWING.label == "顺延"


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=4,6,9,11;BYMONTHDAY=-31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;X-THROUGH=31",
    ],
)
def test_a_rule_that_can_never_occur_is_refused(text: str) -> None:
    # regression (rev10): these were accepted and each `days()` call ran dateutil up to
    # the year 9999 looking for a first occurrence (about a second per call)
    with pytest.raises(InvalidRecurrenceError, match="never occurs"):
        Recurrence.parse(text)


def test_a_rule_that_occurs_only_in_leap_years_is_kept() -> None:
    rule = Recurrence.parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    assert rule.days(D(2025, 1, 1), D(2028, 12, 31)) == (D(2028, 2, 29),)
    assert Recurrence.yearly(2, 30, due_by=True).days(D(2026, 1, 1), D(2026, 12, 31)) == (
        D(2026, 2, 28),
    )
