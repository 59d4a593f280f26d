"""How does a calendar count working days and working time quickly? Prefix tables.

Private. A `CalendarTables` holds, for a contiguous run of days, which days work, how
many working days lie up to each day, and how much working time; with them
`add_workdays`, `workdays_between`, `add_working_time` and `working_time_between` cost a
couple of list lookups whatever the distance. It is the one implementation of those
rules; `WorkCalendar` checks its arguments and asks it.

The tables are a memo of the calendar's rules, built on first use: a calendar with
covered years (China) builds them for exactly those years and raises
`CalendarCoverageError` beyond; a company calendar, whose rules hold for every year,
builds them around the dates asked for and grows them on demand. They are never part of
a calendar's value (not compared, hashed or shown).
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import TYPE_CHECKING, Final

import pendulum

from keyaccount.errors import CalendarCoverageError

if TYPE_CHECKING:
    from keyaccount.calendar.work_calendar import WorkCalendar

__all__ = ["CalendarTables"]

_MICROSECOND: Final = dt.timedelta(microseconds=1)
_ONE_DAY: Final = dt.timedelta(days=1)
_LAST_ORDINAL: Final = dt.date.max.toordinal()
#: A pair of UTC instants bounding one working window of one day.
_Span = tuple[dt.datetime, dt.datetime]


def _utc(value: dt.datetime) -> dt.datetime:
    """An aware `value` as a plain stdlib datetime in UTC (no pendulum arithmetic)."""
    offset = value.utcoffset() or dt.timedelta(0)  # aware: every caller used to_instant
    wall = dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=dt.UTC,
    )
    return wall - offset


class _DayTable:
    """Working days of the days `[first, last]`, with prefix counts (internal).

    Empty when `last` is the day before `first`.
    """

    __slots__ = ("base", "cum", "is_work", "size", "workdays")

    def __init__(self, first: dt.date, last: dt.date, tables: CalendarTables) -> None:
        self.base = first.toordinal()
        self.size = last.toordinal() - self.base + 1
        self.is_work = bytearray(self.size)
        self.cum: list[int] = [0] * self.size  # cum[i]: working days in [first, first + i]
        self.workdays: list[pendulum.Date] = []
        rest, holidays, extra = tables.rest_days, tables.holidays, tables.extra_workdays
        weekday = first.isoweekday()
        for i in range(self.size):
            day = pendulum.Date.fromordinal(self.base + i)
            if (weekday not in rest and day not in holidays) or day in extra:
                self.is_work[i] = 1
                self.workdays.append(day)
            self.cum[i] = len(self.workdays)
            weekday = weekday % 7 + 1


class CalendarTables:
    """The prefix tables of one calendar's rules, built on first use (see the module)."""

    __slots__ = (
        "covered_years",
        "extra_workdays",
        "holidays",
        "hours",
        "name",
        "rest_days",
        "table",
        "time_table",
        "time_table_of",
        "tz",
        "windows",
    )

    def __init__(self, calendar: WorkCalendar) -> None:
        self.rest_days = calendar.weekly_rest_days
        self.holidays = calendar.holidays
        self.extra_workdays = calendar.extra_workdays
        self.hours = calendar.hours
        self.tz = calendar.tz
        self.covered_years = calendar.covered_years
        self.name = calendar.name
        self.table = _DayTable(dt.date(1, 1, 2), dt.date(1, 1, 1), self)  # empty until asked
        self.windows: dict[int, tuple[_Span, ...]] = {}
        # time_table[i]: working microseconds in the days [first, first + i] of `table`.
        self.time_table: list[int] = []
        self.time_table_of: _DayTable | None = None

    # ------------------------------------------------------------------ days

    def table_for(self, ordinal: int) -> _DayTable:
        """The day table covering `ordinal`, built or grown if needed."""
        table = self.table
        if 0 <= ordinal - table.base < table.size:
            return table
        return self.build(ordinal)

    def build(self, ordinal: int) -> _DayTable:
        """Build the table anew around `ordinal` (and the run it covered before)."""
        year = dt.date.fromordinal(ordinal).year if 1 <= ordinal <= _LAST_ORDINAL else 0
        if self.covered_years is not None:
            first, last = self.covered_years
            if not first <= year <= last:
                raise CalendarCoverageError(year, self.covered_years, f"{self.name} calendar")
        else:
            if not 1 <= year <= dt.MAXYEAR:
                raise CalendarCoverageError(year, (1, dt.MAXYEAR), "Python date range")
            known = [d.year for d in self.holidays | self.extra_workdays] + [year]
            old = self.table
            if old.size:
                known += [
                    dt.date.fromordinal(old.base).year,
                    dt.date.fromordinal(old.base + old.size - 1).year,
                ]
            first, last = max(1, min(known) - 5), min(dt.MAXYEAR, max(known) + 5)
        self.table = _DayTable(dt.date(first, 1, 1), dt.date(last, 12, 31), self)
        return self.table

    def is_workday(self, day: dt.date) -> bool:
        """Whether the local date `day` is a working day."""
        ordinal = day.toordinal()
        table = self.table_for(ordinal)
        return table.is_work[ordinal - table.base] == 1

    def make_room(self, day: dt.date, n: int) -> None:
        """Build or grow the table towards `day`, then towards `add_workdays(day, n)`.

        `WorkCalendar.add_workdays` calls it when the table lacks either, then asks again.

        Raises:
            CalendarCoverageError: the calendar has covered years and either is beyond,
                or the answer is beyond the dates Python can represent.
        """
        ordinal = day.toordinal()
        table = self.table
        if not 0 <= ordinal - table.base < table.size:
            self.build(ordinal)
            return
        if self.covered_years is not None:
            first, last = self.covered_years
            raise CalendarCoverageError(last + 1 if n >= 0 else first - 1, self.covered_years)
        per_year = max(1, len(table.workdays) // max(1, table.size // 366))
        years = abs(n) // per_year + 2
        step = dt.date(min(dt.MAXYEAR, max(1, day.year + (years if n >= 0 else -years))), 1, 1)
        grown = self.build(step.toordinal())
        if (grown.base, grown.size) == (table.base, table.size):
            raise CalendarCoverageError(
                dt.MAXYEAR + 1 if n >= 0 else 0, (1, dt.MAXYEAR), "Python date range"
            )

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in `(start, end]` for `start <= end`."""
        a, b = start.toordinal(), end.toordinal()
        table = self.table_for(a)
        if not 0 <= b - table.base < table.size:
            table = self.table_for(b)
            if not 0 <= a - table.base < table.size:  # only company calendars grow to span both
                self.build(a)
                table = self.table_for(b)
        return table.cum[b - table.base] - table.cum[a - table.base]

    # ------------------------------------------------------------------ working time

    def day_windows(self, day: dt.date) -> tuple[_Span, ...]:
        """The UTC instants bounding each working window of `day` (none on rest days)."""
        ordinal = day.toordinal()
        cached = self.windows.get(ordinal)
        if cached is not None:
            return cached
        result: tuple[_Span, ...] = ()
        if self.is_workday(day):
            # Same-tzinfo arithmetic is wall-clock arithmetic: 09:00 local on that day.
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
            result = tuple(
                (
                    (midnight + dt.timedelta(minutes=w.start_minute)).astimezone(dt.UTC),
                    (midnight + dt.timedelta(minutes=w.end_minute)).astimezone(dt.UTC),
                )
                for w in self.hours
            )
        self.windows[ordinal] = result
        return result

    def local_date(self, instant: dt.datetime) -> dt.date:
        """The date of `instant` in the calendar's zone."""
        return pendulum.instance(instant).in_timezone(self.tz).date()

    def is_working_time(self, instant: dt.datetime) -> bool:
        """Whether `instant` lies inside a working window (start in, end out)."""
        utc = _utc(instant)
        return any(s <= utc < e for s, e in self.day_windows(self.local_date(instant)))

    def next_working_time(self, instant: dt.datetime) -> pendulum.DateTime:
        """`instant` if it is working time, else the start of the next working window."""
        utc = _utc(instant)
        day = self.local_date(instant)
        while True:
            for start, end in self.day_windows(day):
                if utc < end:
                    return pendulum.instance(max(start, utc)).in_timezone(self.tz)
            day += _ONE_DAY  # a rest day has no windows

    def add_working_time(self, instant: dt.datetime, duration: dt.timedelta) -> pendulum.DateTime:
        """The instant `duration > 0` of working time after `instant`."""
        utc = _utc(instant)
        day = self.local_date(instant)
        wanted = duration // _MICROSECOND
        while True:
            table, cumulative = self._time_table(day.toordinal())
            target = self._working_us(utc, day, table, cumulative) + wanted
            i = bisect.bisect_left(cumulative, target)
            if i < len(cumulative):
                break
            self._grow_past(table, target - cumulative[-1])
        due_day = dt.date.fromordinal(table.base + i)
        remaining = target - (cumulative[i - 1] if i else 0)
        for start, end in self.day_windows(due_day):
            length = (end - start) // _MICROSECOND
            if remaining <= length:
                return pendulum.instance(start + remaining * _MICROSECOND).in_timezone(self.tz)
            remaining -= length
        raise AssertionError("unreachable: the prefix table and the day's windows disagree")

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The working time inside `[a, b]` for `a <= b`."""
        day_a, day_b = self.local_date(a), self.local_date(b)
        self.table_for(day_a.toordinal())
        table, cumulative = self._time_table(day_b.toordinal())
        if not 0 <= day_a.toordinal() - table.base < table.size:  # company calendars grow
            self.build(day_a.toordinal())
            table, cumulative = self._time_table(day_b.toordinal())
        used = self._working_us(_utc(b), day_b, table, cumulative) - self._working_us(
            _utc(a), day_a, table, cumulative
        )
        return used * _MICROSECOND

    def _time_table(self, ordinal: int) -> tuple[_DayTable, list[int]]:
        """The day table covering `ordinal` and its prefix sums of working time."""
        table = self.table_for(ordinal)
        if self.time_table_of is not table:
            cumulative: list[int] = []
            total = 0
            for i in range(table.size):
                if table.is_work[i]:
                    for start, end in self.day_windows(dt.date.fromordinal(table.base + i)):
                        total += (end - start) // _MICROSECOND
                cumulative.append(total)
            self.time_table, self.time_table_of = cumulative, table
        return table, self.time_table

    def _working_us(
        self, utc: dt.datetime, day: dt.date, table: _DayTable, cumulative: list[int]
    ) -> int:
        """Working microseconds from the start of `table` to the instant `utc` on `day`."""
        i = day.toordinal() - table.base
        total = cumulative[i - 1] if i > 0 else 0
        for start, end in self.day_windows(day):
            if utc <= start:
                break
            total += (min(utc, end) - start) // _MICROSECOND
        return total

    def _grow_past(self, table: _DayTable, missing_us: int) -> None:
        """Extend a company calendar's table far enough for `missing_us` more working time."""
        last_year = dt.date.fromordinal(table.base + table.size - 1).year
        if self.covered_years is not None:
            raise CalendarCoverageError(last_year + 1, self.covered_years, f"{self.name} calendar")
        per_day = max(1, sum(w.minutes for w in self.hours) * 60_000_000)
        per_year = per_day * max(1, 7 - len(self.rest_days)) * 50
        years = missing_us // per_year + 2
        self.build(dt.date(min(dt.MAXYEAR, last_year + years), 1, 1).toordinal())
