"""How does a calendar count working days and working time quickly? Prefix tables.

Private. A `CalendarTables` holds, for a contiguous run of days, which days work, how
many working days lie up to each day, and how much working time; with them
`add_workdays`, `workdays_between`, `add_working_time` and `working_time_between` cost a
couple of list lookups whatever the distance. It is the one implementation of those
rules; `WorkCalendar` checks its arguments and asks it.

The tables are a memo of the calendar's rules, built on first use: a calendar with
covered years (China) builds them for exactly those years and raises
`CalendarCoverageError` beyond. A company calendar, whose rules hold for every year,
builds them once around its listed holidays (or the first date asked about), at most
`_MAX_TABLE_YEARS` years; beyond them it counts in closed form (`WeekCounts`): outside
the listed days every week repeats, so the n-th working day and the working days between
two dates are a division and a bisection over the listed days, whatever n, and working
time is the working days times a day's working time, corrected on the days a clock
change shortens or lengthens (`ClockChanges`). Every answer is in years 1-9999 or
raises `DateOutOfRangeError` at once. The tables are never part of a calendar's value
(not compared, hashed or shown).
"""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Final

import pendulum

from keyaccount._fields import UNIX_EPOCH, utc_microseconds, wall_instant
from keyaccount.calendar._closed_form import ClockChanges, WeekCounts, checked_date
from keyaccount.errors import CalendarCoverageError, DateOutOfRangeError

if TYPE_CHECKING:
    from keyaccount.calendar.work_calendar import WorkCalendar

__all__ = ["CalendarTables"]

_MICROSECOND: Final = dt.timedelta(microseconds=1)
_LAST_ORDINAL: Final = dt.date.max.toordinal()
_US_PER_DAY: Final = 86_400_000_000
_EPOCH_ORDINAL: Final = UNIX_EPOCH.toordinal()
#: The UTC instants Python can represent, as `utc_microseconds`: `[_FIRST_US, _END_US)`.
_FIRST_US: Final = (1 - _EPOCH_ORDINAL) * _US_PER_DAY
_END_US: Final = (_LAST_ORDINAL + 1 - _EPOCH_ORDINAL) * _US_PER_DAY
#: The most years a company calendar's prefix table spans (beyond: `WeekCounts`).
_MAX_TABLE_YEARS: Final = 60
#: One working window of one day: its bounds as `utc_microseconds`.
_Span = tuple[int, int]


def _stdlib_zone(tz: pendulum.Timezone | pendulum.FixedTimezone) -> dt.tzinfo:
    """The standard library's twin of the pendulum zone `tz`: the same offsets, converted
    in C without building pendulum values."""
    if isinstance(tz, zoneinfo.ZoneInfo):  # a pendulum Timezone is a ZoneInfo
        return zoneinfo.ZoneInfo(tz.key)
    return dt.timezone(tz.utcoffset(None))


def _utc_text(us: int) -> str:
    """The UTC instant `us` for a message, even beyond the representable dates."""
    if _FIRST_US <= us < _END_US:
        return str(UNIX_EPOCH + us * _MICROSECOND)
    return f"{us:,} microseconds from 1970-01-01 UTC"


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
        "changes",
        "counts",
        "covered_years",
        "extra_workdays",
        "holidays",
        "hours",
        "name",
        "nominal_us",
        "rest_days",
        "starts",
        "table",
        "time_counts",
        "time_shifts",
        "time_table",
        "time_table_of",
        "tz",
        "windows",
        "zone",
    )

    def __init__(self, calendar: WorkCalendar) -> None:
        self.rest_days = calendar.weekly_rest_days
        self.holidays = calendar.holidays
        self.extra_workdays = calendar.extra_workdays
        self.hours = calendar.hours
        self.tz = calendar.tz
        #: The same zone for the standard library, which converts in C.
        self.zone = _stdlib_zone(self.tz)
        self.covered_years = calendar.covered_years
        self.name = calendar.name
        self.nominal_us = sum(w.minutes for w in self.hours) * 60_000_000
        self.table = _DayTable(dt.date(1, 1, 2), dt.date(1, 1, 1), self)  # empty until asked
        self.windows: dict[int, tuple[_Span, ...]] = {}
        #: The first instant of each day of the table asked about (`day_start`).
        self.starts: dict[int, pendulum.DateTime] = {}
        # time_table[i]: working microseconds in the days [first, first + i] of `table`.
        self.time_table: list[int] = []
        self.time_table_of: _DayTable | None = None
        #: The closed-form counts of a company calendar (built on first use beyond its table).
        self.counts: WeekCounts | None = None
        self.changes: ClockChanges | None = None
        #: time_shifts[j]: the clock changes' corrections on the first j changed days;
        #: time_counts[j]: the working time of the days up to the j-th changed day.
        self.time_shifts: list[int] = [0]
        self.time_counts: list[int] = []

    # ------------------------------------------------------------------ days

    def _holds(self, ordinal: int) -> bool:
        """Whether the prefix table answers for the day `ordinal`."""
        table = self.table
        return 0 <= ordinal - table.base < table.size

    def _far(self, ordinal: int) -> bool:
        """Whether `ordinal` lies beyond the table of a company calendar (built if need be).

        A calendar with covered years builds its table (raising beyond the years) and
        is never far; a company calendar builds its table once, around the first day it
        is asked about, and counts in closed form beyond it.
        """
        table = self.table
        if 0 <= ordinal - table.base < table.size:  # `_holds`, inline: every call asks
            return False
        if self.covered_years is not None or not self.table.size:
            self.build(ordinal)
            return False
        return True

    def week_counts(self) -> WeekCounts:
        """The closed-form counts (company calendars), built on first use."""
        if self.counts is None:
            self.counts = WeekCounts(self.rest_days, self.holidays, self.extra_workdays)
        return self.counts

    def build(self, ordinal: int) -> _DayTable:
        """Build the table anew: the covered years, or the years around `ordinal` and the
        listed days of a company calendar (at most `_MAX_TABLE_YEARS`)."""
        if not 1 <= ordinal <= _LAST_ORDINAL:
            raise DateOutOfRangeError(f"day {ordinal:,} from 0001-01-01", after=ordinal > 1)
        year = dt.date.fromordinal(ordinal).year
        if self.covered_years is not None:
            first, last = self.covered_years
            if not first <= year <= last:
                raise CalendarCoverageError(year, self.covered_years, f"{self.name} calendar")
        else:
            known = [d.year for d in self.holidays | self.extra_workdays] + [year]
            first, last = min(known) - 5, max(known) + 5
            if last - first > _MAX_TABLE_YEARS:
                first, last = year - 5, year + 5
            first, last = max(dt.MINYEAR, first), min(dt.MAXYEAR, last)
        self.table = _DayTable(dt.date(first, 1, 1), dt.date(last, 12, 31), self)
        return self.table

    def is_workday(self, day: dt.date) -> bool:
        """Whether the local date `day` is a working day."""
        return self._is_work(day.toordinal())

    def _is_work(self, ordinal: int) -> bool:
        """Whether the day `ordinal` is a working day."""
        if self._far(ordinal):
            return self.week_counts().is_work(ordinal)
        table = self.table
        return table.is_work[ordinal - table.base] == 1

    def add_workdays(self, day: dt.date, n: int) -> pendulum.Date:
        """`WorkCalendar.add_workdays` when its table lookup missed.

        Raises:
            CalendarCoverageError: the calendar has covered years and the answer lies
                beyond them.
            DateOutOfRangeError: the answer lies beyond the dates Python can represent.
        """
        ordinal = day.toordinal()
        if not self._far(ordinal):
            table = self.table
            i = ordinal - table.base
            k = table.cum[i] + n - (1 if n > 0 else table.is_work[i])
            if 0 <= k < len(table.workdays):
                return table.workdays[k]
            if self.covered_years is not None:
                first, last = self.covered_years
                year = last + 1 if k >= 0 else first - 1
                raise CalendarCoverageError(year, self.covered_years, f"{self.name} calendar")
        return self.week_counts().add_workdays(ordinal, n)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in `(start, end]` for `start <= end`."""
        a, b = start.toordinal(), end.toordinal()
        if self._far(a) or self._far(b):
            counts = self.week_counts()
            return counts.count(b) - counts.count(a)
        table = self.table
        return table.cum[b - table.base] - table.cum[a - table.base]

    # ------------------------------------------------------------------ instants
    #
    # Instants are handled as `utc_microseconds`: integers, so the arithmetic below is
    # integer arithmetic and the only zone conversions are the standard library's, in C.
    # One pendulum value is built per answer (`instant_at`).

    def utc_us(self, instant: dt.datetime) -> int:
        """`utc_microseconds` of the aware `instant`, which UTC must be able to represent.

        Raises:
            DateOutOfRangeError: `instant` in UTC falls before 0001-01-01 or after
                9999-12-31.
        """
        us = utc_microseconds(instant)
        if _FIRST_US <= us < _END_US:
            return us
        raise DateOutOfRangeError(f"{instant} in UTC", after=us > 0)

    def local(self, us: int) -> dt.datetime:
        """The instant `us` as a standard-library datetime in the calendar's zone.

        Raises:
            DateOutOfRangeError: its local time falls before 0001-01-01 or after 9999-12-31.
        """
        try:
            return (UNIX_EPOCH + us * _MICROSECOND).astimezone(self.zone)
        except OverflowError:
            raise DateOutOfRangeError(f"{_utc_text(us)} in {self.tz.name}", after=us > 0) from None

    def instant_at(self, us: int) -> pendulum.DateTime:
        """The instant `us` as a pendulum instant in the calendar's zone."""
        return wall_instant(self.local(us), self.tz)

    def in_zone(self, instant: dt.datetime) -> pendulum.DateTime:
        """`instant` in the calendar's zone."""
        return self.instant_at(self.utc_us(instant))

    def day_start(self, ordinal: int) -> pendulum.DateTime:
        """The first instant of the local day `ordinal` (pendulum's `datetime(y, m, d, tz=...)`:
        where a clock change skips midnight, the first instant that exists that day)."""
        cached = self.starts.get(ordinal)
        if cached is None:
            day = dt.date.fromordinal(ordinal)
            cached = pendulum.datetime(day.year, day.month, day.day, tz=self.tz)
            if self._holds(ordinal):  # a memo of the table's days only, never unbounded
                self.starts[ordinal] = cached
        return cached

    # ------------------------------------------------------------------ working time

    def windows_on(self, ordinal: int) -> tuple[_Span, ...]:
        """The bounds of each working window of the day `ordinal` (none on rest days)."""
        cached = self.windows.get(ordinal)
        if cached is not None:
            return cached
        result = self._windows_of(ordinal) if self._is_work(ordinal) else ()
        if self._holds(ordinal):  # a memo of the table's days only, never unbounded
            self.windows[ordinal] = result
        return result

    def _windows_of(self, ordinal: int) -> tuple[_Span, ...]:
        """The bounds of each window on the day `ordinal`, working day or not."""
        day = dt.date.fromordinal(ordinal)
        try:
            # Same-tzinfo arithmetic is wall-clock arithmetic: 09:00 local on that day.
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=self.zone)
            return tuple(
                (
                    utc_microseconds(
                        (midnight + dt.timedelta(minutes=w.start_minute)).astimezone(dt.UTC)
                    ),
                    utc_microseconds(
                        (midnight + dt.timedelta(minutes=w.end_minute)).astimezone(dt.UTC)
                    ),
                )
                for w in self.hours
            )
        except OverflowError:
            raise DateOutOfRangeError(
                f"the working hours of {day} in {self.tz.name}", after=day.year > dt.MINYEAR
            ) from None

    def day_length(self, day: dt.date) -> int:
        """The microseconds of the windows on `day`, working day or not."""
        return sum(end - start for start, end in self._windows_of(day.toordinal()))

    def is_working_time(self, instant: dt.datetime) -> bool:
        """Whether `instant` lies inside a working window (start in, end out)."""
        us = self.utc_us(instant)
        return any(s <= us < e for s, e in self.windows_on(self.local(us).toordinal()))

    def next_working_time(self, instant: dt.datetime) -> pendulum.DateTime:
        """`instant` if it is working time, else the start of the next working window."""
        us = self.utc_us(instant)
        ordinal = self.local(us).toordinal()
        while True:
            for start, end in self.windows_on(ordinal):
                if us < end:
                    return self.instant_at(max(start, us))
            ordinal += 1
            if ordinal > _LAST_ORDINAL:
                raise DateOutOfRangeError(f"the working time after {instant}", after=True)

    def add_working_time(self, instant: dt.datetime, duration: dt.timedelta) -> pendulum.DateTime:
        """The instant `duration > 0` of working time after `instant`."""
        us = self.utc_us(instant)
        ordinal = self.local(us).toordinal()
        wanted = duration // _MICROSECOND
        if self._far(ordinal):
            return self._far_add(us, ordinal, wanted, f"add_working_time({instant}, {duration})")
        base, cumulative = self._time_table()
        target = self._working_us(us, ordinal, base, cumulative) + wanted
        i = bisect.bisect_left(cumulative, target)
        if i == len(cumulative):
            if self.covered_years is not None:
                last_year = dt.date.fromordinal(base + len(cumulative) - 1).year
                raise CalendarCoverageError(
                    last_year + 1, self.covered_years, f"{self.name} calendar"
                )
            return self._far_add(us, ordinal, wanted, f"add_working_time({instant}, {duration})")
        return self._finish(base + i, target - (cumulative[i - 1] if i else 0))

    def _finish(self, ordinal: int, remaining: int) -> pendulum.DateTime:
        """The instant `remaining` working microseconds into the working day `ordinal`."""
        for start, end in self.windows_on(ordinal):
            if remaining <= end - start:
                return self.instant_at(start + remaining)
            remaining -= end - start
        raise AssertionError("unreachable: the prefix table and the day's windows disagree")

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The working time from `a` to `b`: negative when `b` is before `a`.

        The working time up to `b` minus the working time up to `a`, each a table
        lookup plus the day's windows (or a closed-form count far from the table).
        """
        us_a = self.utc_us(a)
        day_a = self.local(us_a).toordinal()
        us_b = self.utc_us(b)
        day_b = self.local(us_b).toordinal()
        if self._far(day_a) or self._far(day_b):
            used = self._far_time(us_b, day_b) - self._far_time(us_a, day_a)
        else:
            base, cumulative = self._time_table()
            used = self._working_us(us_b, day_b, base, cumulative) - self._working_us(
                us_a, day_a, base, cumulative
            )
        return used * _MICROSECOND

    def _time_table(self) -> tuple[int, list[int]]:
        """The first day of the day table and its prefix sums of working time (built once
        per table; `_far` has built the table for the days asked about)."""
        table = self.table
        if self.time_table_of is not table:
            cumulative: list[int] = []
            total = 0
            for i in range(table.size):
                if table.is_work[i]:
                    for start, end in self.windows_on(table.base + i):
                        total += end - start
                cumulative.append(total)
            self.time_table, self.time_table_of = cumulative, table
        return table.base, self.time_table

    def _working_us(self, us: int, ordinal: int, base: int, cumulative: list[int]) -> int:
        """Working microseconds from the table's first day `base` to the instant `us` on
        the day `ordinal`."""
        i = ordinal - base
        return (cumulative[i - 1] if i > 0 else 0) + self._day_us(us, ordinal)

    def _day_us(self, us: int, ordinal: int) -> int:
        """Working microseconds on the day `ordinal` before the instant `us`."""
        total = 0
        for start, end in self.windows.get(ordinal) or self.windows_on(ordinal):
            if us <= start:
                break
            total += (us if us < end else end) - start
        return total

    # ------------------------------------------------------------------ far working time

    def _clock_changes(self) -> ClockChanges:
        """The working days clock changes alter, with running totals (built once)."""
        if self.changes is None:
            counts = self.week_counts()
            changes = ClockChanges(self)
            kept = [
                (o, d)
                for o, d in zip(changes.days, changes.deltas, strict=True)
                if counts.is_work(o)
            ]
            changes.days, changes.deltas = [o for o, _ in kept], [d for _, d in kept]
            shifts, times = [0], []
            for ordinal, delta in kept:
                shifts.append(shifts[-1] + delta)
                times.append(self.nominal_us * counts.count(ordinal) + shifts[-1])
            self.changes, self.time_shifts, self.time_counts = changes, shifts, times
        return self.changes

    def _far_days_us(self, ordinal: int) -> int:
        """Working microseconds on the days `1..ordinal` (closed form)."""
        j = bisect.bisect_right(self._clock_changes().days, ordinal)
        return self.nominal_us * self.week_counts().count(ordinal) + self.time_shifts[j]

    def _far_time(self, us: int, ordinal: int) -> int:
        """Working microseconds from 0001-01-01 to the instant `us` on the day `ordinal`."""
        return self._far_days_us(ordinal - 1) + self._day_us(us, ordinal)

    def _far_add(self, us: int, ordinal: int, wanted: int, what: str) -> pendulum.DateTime:
        """`add_working_time` in closed form (a company calendar beyond its table)."""
        target = self._far_time(us, ordinal) + wanted
        changes, counts = self._clock_changes(), self.week_counts()
        # Between two changed days the working time is nominal per working day plus a
        # constant, so the due day is a working-day count reached, or the changed day.
        j = bisect.bisect_left(self.time_counts, target)
        needed = -(-(target - self.time_shifts[j]) // self.nominal_us)  # ceiling division
        due = counts.first(needed)
        if j < len(changes.days) and due >= changes.days[j]:
            due = changes.days[j]
        checked_date(due, what)  # refuses a due day beyond the representable dates
        return self._finish(due, target - self._far_days_us(due - 1))
