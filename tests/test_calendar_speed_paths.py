"""The calendar's fast working-time path pinned against plain statements of its rules.

`WorkCalendar.add_working_time` and `working_time_between` count on prefix tables in
integer UTC microseconds (issue 13). Here they are checked against the rule said plainly
and walked minute by minute: a working day's windows are its wall-clock hours read in the
calendar's zone (the earlier reading of a repeated wall time), and an instant is working
time when it lies inside one of them. The zones include clock changes (Europe/Berlin,
New York, Lord Howe's half hour) and one without (Asia/Shanghai); the inputs come in any
zone or fixed offset. `deadline`, `in_timezone` and `start_of_day` are pinned against
pendulum's own spelling of the same thing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from keyaccount import WorkCalendar, Workdays, WorkingHours, deadline
from keyaccount.testing import aware_datetimes

CHINA = WorkCalendar.china()
assert CHINA.covered_years is not None
LAST_YEAR = CHINA.covered_years[1]
MINUTE = dt.timedelta(minutes=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
UTC_ZONES = ("Europe/Berlin", "Asia/Shanghai", "America/New_York", "Australia/Lord_Howe")
#: Windows that straddle the night's clock changes (02:00-03:00 in Europe and America,
#: 02:00-02:30 on Lord Howe) as well as ordinary office hours and the whole day.
HOURS = (
    (("09:00", "12:00"), ("13:00", "18:00")),
    (("01:30", "03:15"), ("22:00", "24:00")),
    (("00:00", "24:00"),),
    (("02:00", "02:45"), ("08:00", "10:00")),
)
#: Around the clock changes of 2025 (March/April and October/November), and an ordinary
#: stretch of 2026, whole UTC minutes.
START_DAYS = (
    dt.date(2025, 3, 28),
    dt.date(2025, 4, 3),
    dt.date(2025, 10, 24),
    dt.date(2025, 10, 31),
    dt.date(2026, 6, 1),
)
INPUT_ZONES = ("UTC", "Europe/Berlin", "Asia/Shanghai", "America/New_York", "+05:45", "-03:30")


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    """A company calendar in a zone with or without clock changes, or China's (in its own
    zone or moved to Berlin's)."""
    zone = draw(st.sampled_from(UTC_ZONES))
    if draw(st.booleans()):
        return WorkCalendar.china(timezone=zone)
    holidays = draw(st.frozensets(st.dates(dt.date(2025, 3, 20), dt.date(2026, 6, 30)), max_size=8))
    return WorkCalendar(
        weekly_rest_days=draw(st.sampled_from([{6, 7}, {2}, set()])),
        hours=draw(st.sampled_from(HOURS)),
        timezone=zone,
        holidays=holidays,
    )


@st.composite
def minutes(draw: st.DrawFn) -> pendulum.DateTime:
    """A whole UTC minute near a clock change, shown in any zone or fixed offset."""
    day = draw(st.sampled_from(START_DAYS))
    utc = pendulum.datetime(day.year, day.month, day.day, tz="UTC").add(
        minutes=draw(st.integers(0, 6 * 1440))
    )
    zone = draw(st.sampled_from(INPUT_ZONES))
    if zone[0] in "+-":
        sign = 1 if zone[0] == "+" else -1
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        return pendulum.instance(utc.astimezone(dt.timezone(sign * offset)))
    return utc.in_timezone(zone)


def windows(cal: WorkCalendar, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The rule said plainly: the UTC bounds of `day`'s windows, none on a rest day."""
    if not cal.is_workday(day):
        return []
    zone = zoneinfo.ZoneInfo(cal.timezone)
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
    return [
        (
            (midnight + dt.timedelta(minutes=w.start_minute)).astimezone(dt.UTC),
            (midnight + dt.timedelta(minutes=w.end_minute)).astimezone(dt.UTC),
        )
        for w in cal.hours
    ]


def utc(value: dt.datetime) -> dt.datetime:
    """The instant as a plain stdlib datetime in UTC (no pendulum arithmetic)."""
    return EPOCH + dt.datetime.__sub__(value, EPOCH)


def working_minutes(cal: WorkCalendar, start: dt.datetime, count: int) -> list[bool]:
    """For each of the `count` minutes from the UTC instant `start`: is it working time?"""
    zone = zoneinfo.ZoneInfo(cal.timezone)
    first = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = (start + count * MINUTE).astimezone(zone).date() + dt.timedelta(days=1)
    spans = [
        span
        for i in range((last - first).days + 1)
        for span in windows(cal, first + dt.timedelta(days=i))
    ]
    return [any(s <= start + i * MINUTE < e for s, e in spans) for i in range(count)]


def walk(cal: WorkCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Working time from `a` to `b`, counted minute by minute (negative backwards)."""
    low, high = sorted((utc(a), utc(b)))
    count = sum(working_minutes(cal, low, (high - low) // MINUTE))
    return count * MINUTE if low == utc(a) else -count * MINUTE


@settings(max_examples=40, deadline=None)
@given(calendars(), minutes(), st.integers(-3 * 1440, 3 * 1440))
def test_working_time_between_counts_the_working_minutes_one_by_one(
    cal: WorkCalendar, a: pendulum.DateTime, span: int
) -> None:
    b = a.add(minutes=span).in_timezone(UTC_ZONES[span % len(UTC_ZONES)])
    assert cal.working_time_between(a, b) == walk(cal, a, b)


@settings(max_examples=40, deadline=None)
@given(calendars(), minutes(), st.integers(1, 16 * 60))
def test_add_working_time_ends_after_exactly_that_many_working_minutes(
    cal: WorkCalendar, a: pendulum.DateTime, wanted: int
) -> None:
    # 16 working hours never take more than 12 days, even over a week-long holiday
    flags = working_minutes(cal, utc(a), 12 * 1440)
    # the minute in which the count of working minutes reaches `wanted`
    i = next(i for i, counted in enumerate(itertools.accumulate(flags)) if counted == wanted)
    due = cal.add_working_time(a, dt.timedelta(minutes=wanted))
    assert utc(due) == utc(a) + (i + 1) * MINUTE
    assert due.timezone_name == cal.timezone  # the answer is on the calendar's clocks


inner = aware_datetimes(dt.date(LAST_YEAR - 2, 1, 1), dt.date(LAST_YEAR, 9, 30))


@given(inner, st.integers(0, 30))
def test_a_workdays_deadline_ends_at_pendulums_midnight_after_the_due_date(
    start: pendulum.DateTime, n: int
) -> None:
    local = start.in_timezone(CHINA.tz)
    due = CHINA.add_workdays(local.date(), n)
    following = due.add(days=1)
    expected = pendulum.datetime(following.year, following.month, following.day, tz=CHINA.tz)
    result = deadline(start, Workdays(n), CHINA)
    assert result.at == expected
    assert result.at.fold == expected.fold
    assert result.start == local
    assert result.date == due


@given(inner, st.integers(0, 60))
def test_a_working_hours_deadline_is_add_working_time_of_the_local_start(
    start: pendulum.DateTime, hours: int
) -> None:
    result = deadline(start, WorkingHours(hours), CHINA)
    assert result.at == CHINA.add_working_time(start, dt.timedelta(hours=hours))
    assert result.at.timezone_name == CHINA.timezone


@given(aware_datetimes(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), st.sampled_from(UTC_ZONES))
def test_in_timezone_is_pendulums_in_timezone(start: pendulum.DateTime, zone: str) -> None:
    cal = WorkCalendar(timezone=zone)
    ours, theirs = cal.in_timezone(start), start.in_timezone(zone)
    assert (ours.isoformat(), ours.fold, ours.timezone_name) == (
        theirs.isoformat(),
        theirs.fold,
        theirs.timezone_name,
    )


@given(
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
    st.sampled_from(("America/Santiago", "America/Havana", "Asia/Beirut", *UTC_ZONES)),
)
def test_start_of_day_is_pendulums_local_midnight_even_where_midnight_is_skipped(
    day: dt.date, zone: str
) -> None:
    cal = WorkCalendar(timezone=zone)
    cal.is_workday(day)  # build the table around `day`, so the answer is also memoised
    expected = pendulum.datetime(day.year, day.month, day.day, tz=zone)
    for _ in range(2):  # computed, then from the memo
        ours = cal.start_of_day(day)
        assert (ours.isoformat(), ours.fold) == (expected.isoformat(), expected.fold)
