"""Time for tests: a frozen clock, time zones, covered dates, instants, periods, calendars.

>>> import pendulum
>>> clock = FrozenClock(pendulum.datetime(2026, 1, 5, 9, tz="Asia/Shanghai"))
>>> clock.advance(hours=2).now()
DateTime(2026, 1, 5, 11, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt

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

#: A few zones with different offsets (and one with daylight saving time).
_ZONES = ("Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


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


def aware_datetimes(
    first: dt.date = dt.date(CHINA_FIRST_YEAR, 1, 2), last: dt.date | None = None
) -> st.SearchStrategy[pendulum.DateTime]:
    """Timezone-aware instants between `first` and `last` (default: the end of the
    Chinese calendar's coverage less two days), in assorted zones."""
    end = dt.date(_last_china_year(), 12, 29) if last is None else last
    naive = st.datetimes(
        dt.datetime.combine(first, dt.time()), dt.datetime.combine(end, dt.time(23, 59))
    )
    return st.builds(
        lambda value, zone: pendulum.instance(value, tz=zone),
        naive.map(lambda v: v.replace(microsecond=0)),
        timezones(),
    )


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
