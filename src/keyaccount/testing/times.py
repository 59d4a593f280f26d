"""Time for tests: a frozen clock, time zones, covered dates, instants, periods, calendars.

Examples:
    >>> import pendulum
    >>> clock = FrozenClock(pendulum.datetime(2026, 1, 5, 9, tz="Asia/Shanghai"))
    >>> clock.advance(hours=2).now()
    DateTime(2026, 1, 5, 11, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import attrs
import pendulum
from hypothesis import strategies as st

from keyaccount._fields import instant
from keyaccount.calendar import (
    CHINA_FIRST_YEAR,
    Days,
    Hours,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
)

__all__ = [
    "FrozenClock",
    "aware_datetimes",
    "china_dates",
    "company_calendars",
    "periods",
    "timezones",
]

#: A few zones with different offsets (two with daylight saving time).
_ZONES = ("Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
#: Fixed UTC offsets in seconds, for instants with no zone name: +08:00, +00:00,
#: -05:00, +05:45, -03:30.
_FIXED_OFFSETS = (8 * 3600, 0, -5 * 3600, 5 * 3600 + 45 * 60, -(3 * 3600 + 30 * 60))
_DAY = 24 * 3600
_HOUR = dt.timedelta(hours=1)


@attrs.define
class FrozenClock:
    """A clock that only moves when told to, for code that asks "what time is it".

    The library's rules never read a clock (they take `as_of`); this is for the
    systems around them, so their tests can pass `clock.now()` as `as_of`.
    """

    at: pendulum.DateTime = attrs.field(converter=instant)

    def now(self) -> pendulum.DateTime:
        """The frozen instant."""
        return self.at

    def advance(self, **delta: float) -> FrozenClock:
        """Move the clock forward by `datetime.timedelta(**delta)` and return it."""
        self.at = self.at + dt.timedelta(**delta)
        return self


def timezones() -> st.SearchStrategy[str]:
    """IANA timezone names, Asia/Shanghai first so it shrinks there."""
    return st.sampled_from(_ZONES)


def _last_china_year() -> int:
    covered = WorkCalendar.china().covered_years
    return covered[1] if covered is not None else CHINA_FIRST_YEAR


def china_dates(
    first_year: int = CHINA_FIRST_YEAR, last_year: int | None = None
) -> st.SearchStrategy[dt.date]:
    """Dates inside the years covered by `WorkCalendar.china()` (by default all of them)."""
    last = _last_china_year() if last_year is None else last_year
    return st.dates(dt.date(first_year, 1, 1), dt.date(last, 12, 31))


def _offset_at(zone: zoneinfo.ZoneInfo, seconds: int) -> dt.timedelta:
    offset = dt.datetime.fromtimestamp(seconds, zone).utcoffset()
    assert offset is not None  # a ZoneInfo always has an offset
    return offset


@functools.cache
def _clock_changes(first: dt.date, last: dt.date) -> tuple[tuple[str, dt.datetime, int], ...]:
    """Every clock change of the named zones between `first` and `last`, as the wall
    times around it: (zone, first wall time, minutes) spanning the repeated or skipped
    hour and an hour either side."""
    spans = []
    lowest = dt.datetime.combine(first, dt.time())
    highest = dt.datetime.combine(last, dt.time(23, 59))
    for name in _ZONES:
        zone = zoneinfo.ZoneInfo(name)
        day = int(dt.datetime.combine(first, dt.time(), dt.UTC).timestamp())
        end = int(dt.datetime.combine(last, dt.time(), dt.UTC).timestamp()) + _DAY
        while day < end:
            before, after = _offset_at(zone, day), _offset_at(zone, day + _DAY)
            if before != after:  # a change within this day: find its minute
                low, high = day, day + _DAY
                while high - low > 60:
                    middle = (low + high) // 120 * 60
                    low, high = (
                        (middle, high) if _offset_at(zone, middle) == before else (low, middle)
                    )
                change = dt.datetime.fromtimestamp(high, dt.UTC).replace(tzinfo=None)
                start = max(change + min(before, after) - _HOUR, lowest)
                stop = min(change + max(before, after) + _HOUR, highest)
                if start < stop:
                    spans.append((name, start, (stop - start) // dt.timedelta(minutes=1)))
            day += _DAY
    return tuple(spans)


def _in_zone(wall: dt.datetime, zone: str | int, fold: int) -> pendulum.DateTime:
    """The real instant a wall time names in `zone` (a name, or an offset in seconds).

    `fold` picks the earlier (0) or later (1) reading of a repeated wall time, and for a
    skipped one the offset before (0) or after (1) the change, as PEP 495 and pendulum
    do: 02:30 on the night New York skips 02:00-03:00 is 01:30 (0) or 03:30 (1).
    """
    return pendulum.datetime(
        wall.year,
        wall.month,
        wall.day,
        wall.hour,
        wall.minute,
        wall.second,
        tz=pendulum.timezone(zone),
        fold=fold,
    )


def aware_datetimes(
    first: dt.date = dt.date(CHINA_FIRST_YEAR, 1, 2), last: dt.date | None = None
) -> st.SearchStrategy[pendulum.DateTime]:
    """Timezone-aware instants whose local dates lie between `first` and `last`
    (default: the end of the Chinese calendar's coverage less two days).

    A third are in named zones (`timezones()`), a third at fixed UTC offsets (no zone
    name), and a third on the wall clock around a daylight-saving change: repeated wall
    times in both folds (01:30 EDT and 01:30 EST in New York on 2024-11-03) and wall
    times the clocks skip, each made the real instant pendulum gives it.
    """
    end = dt.date(_last_china_year(), 12, 29) if last is None else last
    naive = st.datetimes(
        dt.datetime.combine(first, dt.time()), dt.datetime.combine(end, dt.time(23, 59))
    ).map(lambda v: v.replace(microsecond=0))
    folds = st.sampled_from((0, 1))
    kinds = [
        st.builds(_in_zone, naive, timezones(), folds),
        st.builds(_in_zone, naive, st.sampled_from(_FIXED_OFFSETS), folds),
    ]
    changes = _clock_changes(first, end)
    if changes:
        kinds.append(_near_clock_changes(changes))
    return st.one_of(kinds)


@st.composite
def _near_clock_changes(
    draw: st.DrawFn, changes: tuple[tuple[str, dt.datetime, int], ...]
) -> pendulum.DateTime:
    zone, start, minutes = draw(st.sampled_from(changes))
    wall = start + dt.timedelta(minutes=draw(st.integers(0, minutes)))
    return _in_zone(wall, zone, draw(st.sampled_from((0, 1))))


def periods(max_n: int = 40) -> st.SearchStrategy[Period]:
    """Any of the four period kinds with `0 <= n <= max_n`."""
    n = st.integers(0, max_n)
    minutes = st.integers(0, 59)
    return st.one_of(
        st.builds(Days, n),
        st.builds(Workdays, n),
        st.builds(Hours, n, minutes),
        st.builds(WorkingHours, n, minutes),
    )


@st.composite
def company_calendars(draw: st.DrawFn) -> WorkCalendar:
    """Custom company calendars: any rest days, one to three windows, some holidays."""
    rest = draw(st.frozensets(st.integers(1, 7), max_size=3))
    cuts = draw(st.lists(st.integers(6 * 4, 22 * 4), min_size=2, max_size=6, unique=True))
    cuts.sort()
    if len(cuts) % 2:
        cuts.pop()
    windows = [
        (f"{a // 4:02d}:{a % 4 * 15:02d}", f"{b // 4:02d}:{b % 4 * 15:02d}")
        for a, b in zip(cuts[::2], cuts[1::2], strict=True)
    ]
    holidays = draw(
        st.frozensets(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), max_size=20)
    )
    extra = draw(
        st.frozensets(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), max_size=5).map(
            lambda days: days - holidays
        )
    )
    zone = draw(timezones())
    return WorkCalendar(
        weekly_rest_days=rest,
        hours=windows,
        timezone=zone,
        holidays=holidays,
        extra_workdays=extra,
    )
