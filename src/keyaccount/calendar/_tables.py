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
`_MAX_TABLE_YEARS` years; beyond them it counts in closed form (`_WeekCounts`): outside
the listed days every week repeats, so the n-th working day and the working days between
two dates are a division and a bisection over the listed days, whatever n, and working
time is the working days times a day's working time, corrected on the days a clock
change shortens or lengthens (`_ClockChanges`). Every answer is in years 1-9999 or
raises `DateOutOfRangeError` at once. The tables are never part of a calendar's value
(not compared, hashed or shown).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from typing import TYPE_CHECKING, Final

import pendulum

from keyaccount._fields import wall_clock
from keyaccount.errors import CalendarCoverageError, DateOutOfRangeError

if TYPE_CHECKING:
    from keyaccount.calendar.work_calendar import WorkCalendar

__all__ = ["CalendarTables"]

_MICROSECOND: Final = dt.timedelta(microseconds=1)
_ONE_DAY: Final = dt.timedelta(days=1)
_LAST_ORDINAL: Final = dt.date.max.toordinal()
#: The most years a company calendar's prefix table spans (beyond: `_WeekCounts`).
_MAX_TABLE_YEARS: Final = 60
#: A pair of UTC instants bounding one working window of one day.
_Span = tuple[dt.datetime, dt.datetime]


def _utc(value: dt.datetime) -> dt.datetime:
    """An aware `value` as a plain stdlib datetime in UTC (no pendulum arithmetic)."""
    offset = value.utcoffset() or dt.timedelta(0)  # aware: every caller used to_instant
    wall = wall_clock(value, dt.UTC)
    try:
        return wall - offset
    except OverflowError:
        raise DateOutOfRangeError(f"{value} in UTC", after=value.year > dt.MINYEAR) from None


def _in_zone(utc: dt.datetime, tz: pendulum.Timezone) -> pendulum.DateTime:
    """The UTC instant `utc` as a pendulum instant in `tz`."""
    try:
        return pendulum.instance(utc).in_timezone(tz)
    except OverflowError:
        raise DateOutOfRangeError(f"{utc} in {tz.name}", after=utc.year > dt.MINYEAR) from None


def _date(ordinal: int, what: str) -> pendulum.Date:
    """The date of `ordinal`, or `DateOutOfRangeError` naming `what`."""
    if not 1 <= ordinal <= _LAST_ORDINAL:
        raise DateOutOfRangeError(what, after=ordinal > _LAST_ORDINAL)
    return pendulum.Date.fromordinal(ordinal)


class _WeekCounts:
    """Working days of a calendar without covered years, counted in closed form (internal).

    `count(o)` is the number of working days among the ordinals `1..o` (0001-01-01 is
    ordinal 1, a Monday): the weekly pattern's count, a division by 7, plus the
    corrections of the listed days up to `o` (a holiday on a working weekday -1, a
    make-up day on a rest day +1), a bisection. `first(t)` inverts it.
    """

    __slots__ = (
        "by_weekday",
        "days",
        "deltas",
        "listed",
        "listed_set",
        "per_week",
        "shifts",
        "totals",
        "works",
    )

    def __init__(
        self, rest: frozenset[int], holidays: frozenset[dt.date], extra: frozenset[dt.date]
    ) -> None:
        works = tuple(iso not in rest for iso in range(1, 8))  # index 0 is Monday
        self.works = works
        self.per_week = sum(works)
        #: by_weekday[r]: pattern working days among the first r days of a week.
        self.by_weekday = [sum(works[:r]) for r in range(8)]
        #: days[m]: the weekday (1-7) of a week's (m + 1)-th pattern working day.
        self.days = [r for r in range(1, 8) if works[r - 1]]
        changed = sorted(
            [(d.toordinal(), -1) for d in holidays if works[d.weekday()]]
            + [(d.toordinal(), 1) for d in extra if not works[d.weekday()]]
        )
        self.listed = [o for o, _ in changed]
        self.listed_set = frozenset(self.listed)
        self.deltas = [delta for _, delta in changed]
        #: shifts[j]: the corrections of the first j listed days.
        self.shifts = [0]
        for delta in self.deltas:
            self.shifts.append(self.shifts[-1] + delta)
        #: totals[j]: count(listed[j]), increasing (for `first`).
        self.totals = [self.pattern(o) + self.shifts[j + 1] for j, o in enumerate(self.listed)]

    def pattern(self, ordinal: int) -> int:
        """Working days of the weekly pattern among the ordinals `1..ordinal`."""
        weeks, rest = divmod(ordinal, 7)
        return weeks * self.per_week + self.by_weekday[rest]

    def count(self, ordinal: int) -> int:
        """Working days among the ordinals `1..ordinal`."""
        return self.pattern(ordinal) + self.shifts[bisect.bisect_right(self.listed, ordinal)]

    def is_work(self, ordinal: int) -> bool:
        """Whether the day `ordinal` is a working day (a listed day flips its weekday's)."""
        return self.works[(ordinal - 1) % 7] != (ordinal in self.listed_set)

    def first(self, t: int) -> int:
        """The first ordinal with `count(ordinal) >= t`, for `t >= 1` (the t-th working day).

        Between two listed days the count is the pattern's plus a constant, so the
        answer is the pattern's t-th working day shifted, or the listed day itself.
        """
        j = bisect.bisect_left(self.totals, t)
        weeks, m = divmod(t - self.shifts[j] - 1, self.per_week)
        candidate = weeks * 7 + self.days[m]
        return self.listed[j] if j < len(self.listed) and candidate >= self.listed[j] else candidate

    def add_workdays(self, ordinal: int, n: int) -> pendulum.Date:
        """`WorkCalendar.add_workdays` of the day `ordinal`."""
        k = self.count(ordinal) + n - (1 if n > 0 else self.is_work(ordinal))
        what = f"add_workdays({dt.date.fromordinal(ordinal)}, {n})"
        if k < 0:
            raise DateOutOfRangeError(what, after=False)
        return _date(self.first(k + 1), what)


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


class _ClockChanges:
    """The days whose working time a clock change alters, over years 1-9999 (internal).

    A day's working time is its windows' length unless the zone's offset changes inside
    one of them. Offsets are sampled every `_SAMPLE` of wall time from `_SCAN_FROM` to
    `_SCAN_TO`; around each change the days nearby get their real windows. Before
    `_SCAN_FROM` every zone keeps one offset (its local mean time), and from
    `_PERIODIC_FROM` on every zone follows its rule string, which repeats every 400
    Gregorian years (146,097 days, a whole number of weeks): the test suite checks both
    facts and the sampling step against every zone of the installed tz database.
    """

    __slots__ = ("days", "deltas")

    # Wall-clock times, deliberately naive: `tz.utcoffset` reads them as local time.
    _SAMPLE: Final = dt.timedelta(days=2)
    _SCAN_FROM: Final = dt.datetime(1800, 1, 1)  # noqa: DTZ001 - a wall-clock time
    _PERIODIC_FROM: Final = dt.datetime(2200, 1, 1)  # noqa: DTZ001 - a wall-clock time
    _SCAN_TO: Final = dt.datetime(2600, 1, 1)  # noqa: DTZ001 - a wall-clock time
    _CYCLE: Final = 146_097

    def __init__(self, tables: CalendarTables) -> None:
        samples = (self._SCAN_TO - self._SCAN_FROM) // self._SAMPLE
        walls = [self._SCAN_FROM + i * self._SAMPLE for i in range(samples + 1)]
        offsets = list(map(tables.tz.utcoffset, walls))  # one C call per sample
        found: dict[int, int] = {}
        for i, (before, after) in enumerate(itertools.pairwise(offsets)):
            if before == after:
                continue
            # The offset changed between walls[i] and walls[i + 1]: measure the days
            # around, whose windows the change may cut or stretch.
            first, last = walls[i].toordinal() - 1, walls[i + 1].toordinal() + 1
            for ordinal in range(first, last + 1):
                delta = tables.day_length(dt.date.fromordinal(ordinal)) - tables.nominal_us
                if delta:
                    found[ordinal] = delta
        periodic = self._PERIODIC_FROM.toordinal()
        for ordinal, delta in list(found.items()):
            shifted = ordinal + self._CYCLE
            while ordinal >= periodic and shifted <= _LAST_ORDINAL:
                found[shifted] = delta
                shifted += self._CYCLE
        self.days = sorted(found)
        self.deltas = [found[o] for o in self.days]


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
        "table",
        "time_counts",
        "time_shifts",
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
        self.nominal_us = sum(w.minutes for w in self.hours) * 60_000_000
        self.table = _DayTable(dt.date(1, 1, 2), dt.date(1, 1, 1), self)  # empty until asked
        self.windows: dict[int, tuple[_Span, ...]] = {}
        # time_table[i]: working microseconds in the days [first, first + i] of `table`.
        self.time_table: list[int] = []
        self.time_table_of: _DayTable | None = None
        #: The closed-form counts of a company calendar (built on first use beyond its table).
        self.counts: _WeekCounts | None = None
        self.changes: _ClockChanges | None = None
        #: time_shifts[j]: the clock changes' corrections on the first j changed days;
        #: time_counts[j]: the working time of the days up to the j-th changed day.
        self.time_shifts: list[int] = [0]
        self.time_counts: list[int] = []

    # ------------------------------------------------------------------ days

    def _holds(self, ordinal: int) -> bool:
        """Whether the prefix table answers for the day `ordinal`."""
        return 0 <= ordinal - self.table.base < self.table.size

    def _far(self, ordinal: int) -> bool:
        """Whether `ordinal` lies beyond the table of a company calendar (built if need be).

        A calendar with covered years builds its table (raising beyond the years) and
        is never far; a company calendar builds its table once, around the first day it
        is asked about, and counts in closed form beyond it.
        """
        if self._holds(ordinal):
            return False
        if self.covered_years is not None or not self.table.size:
            self.build(ordinal)
            return False
        return True

    def week_counts(self) -> _WeekCounts:
        """The closed-form counts (company calendars), built on first use."""
        if self.counts is None:
            self.counts = _WeekCounts(self.rest_days, self.holidays, self.extra_workdays)
        return self.counts

    def table_for(self, ordinal: int) -> _DayTable:
        """The day table covering `ordinal`, built if needed (covered or first use)."""
        if not self._holds(ordinal):
            self.build(ordinal)
        return self.table

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
        ordinal = day.toordinal()
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

    # ------------------------------------------------------------------ working time

    def day_windows(self, day: dt.date) -> tuple[_Span, ...]:
        """The UTC instants bounding each working window of `day` (none on rest days)."""
        ordinal = day.toordinal()
        cached = self.windows.get(ordinal)
        if cached is not None:
            return cached
        result = self._windows_of(day) if self.is_workday(day) else ()
        if self._holds(ordinal):  # a memo of the table's days only, never unbounded
            self.windows[ordinal] = result
        return result

    def _windows_of(self, day: dt.date) -> tuple[_Span, ...]:
        """The UTC instants bounding each window on `day`, working day or not."""
        try:
            # Same-tzinfo arithmetic is wall-clock arithmetic: 09:00 local on that day.
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
            return tuple(
                (
                    (midnight + dt.timedelta(minutes=w.start_minute)).astimezone(dt.UTC),
                    (midnight + dt.timedelta(minutes=w.end_minute)).astimezone(dt.UTC),
                )
                for w in self.hours
            )
        except OverflowError:
            raise DateOutOfRangeError(
                f"the working hours of {day} in {self.tz.name}", after=day.year > dt.MINYEAR
            ) from None

    def day_length(self, day: dt.date) -> int:
        """The microseconds of the windows on `day`, working day or not."""
        return sum((end - start) // _MICROSECOND for start, end in self._windows_of(day))

    def in_zone(self, instant: dt.datetime) -> pendulum.DateTime:
        """`instant` in the calendar's zone."""
        return _in_zone(_utc(instant), self.tz)

    def local_date(self, instant: dt.datetime) -> dt.date:
        """The date of `instant` in the calendar's zone."""
        return _in_zone(_utc(instant), self.tz).date()

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
                    return _in_zone(max(start, utc), self.tz)
            day = _date(day.toordinal() + 1, f"the working time after {instant}")

    def add_working_time(self, instant: dt.datetime, duration: dt.timedelta) -> pendulum.DateTime:
        """The instant `duration > 0` of working time after `instant`."""
        utc = _utc(instant)
        day = self.local_date(instant)
        wanted = duration // _MICROSECOND
        ordinal = day.toordinal()
        if self._far(ordinal):
            return self._far_add(utc, day, wanted, instant, duration)
        table, cumulative = self._time_table(ordinal)
        target = self._working_us(utc, day, table, cumulative) + wanted
        i = bisect.bisect_left(cumulative, target)
        if i == len(cumulative):
            if self.covered_years is not None:
                last_year = dt.date.fromordinal(table.base + table.size - 1).year
                raise CalendarCoverageError(
                    last_year + 1, self.covered_years, f"{self.name} calendar"
                )
            return self._far_add(utc, day, wanted, instant, duration)
        return self._finish(
            dt.date.fromordinal(table.base + i), target - (cumulative[i - 1] if i else 0)
        )

    def _finish(self, due_day: dt.date, remaining: int) -> pendulum.DateTime:
        """The instant `remaining` working microseconds into the working day `due_day`."""
        for start, end in self.day_windows(due_day):
            length = (end - start) // _MICROSECOND
            if remaining <= length:
                return _in_zone(start + remaining * _MICROSECOND, self.tz)
            remaining -= length
        raise AssertionError("unreachable: the prefix table and the day's windows disagree")

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The working time inside `[a, b]` for `a <= b`."""
        day_a, day_b = self.local_date(a), self.local_date(b)
        if self._far(day_a.toordinal()) or self._far(day_b.toordinal()):
            used = self._far_time(_utc(b), day_b) - self._far_time(_utc(a), day_a)
            return used * _MICROSECOND
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
        return (cumulative[i - 1] if i > 0 else 0) + self._day_us(utc, day)

    def _day_us(self, utc: dt.datetime, day: dt.date) -> int:
        """Working microseconds on `day` before the instant `utc`."""
        total = 0
        for start, end in self.day_windows(day):
            if utc <= start:
                break
            total += (min(utc, end) - start) // _MICROSECOND
        return total

    # ------------------------------------------------------------------ far working time

    def _clock_changes(self) -> _ClockChanges:
        """The working days clock changes alter, with running totals (built once)."""
        if self.changes is None:
            counts = self.week_counts()
            changes = _ClockChanges(self)
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

    def _far_time(self, utc: dt.datetime, day: dt.date) -> int:
        """Working microseconds from 0001-01-01 to the instant `utc` on `day`."""
        return self._far_days_us(day.toordinal() - 1) + self._day_us(utc, day)

    def _far_add(
        self,
        utc: dt.datetime,
        day: dt.date,
        wanted: int,
        instant: dt.datetime,
        duration: dt.timedelta,
    ) -> pendulum.DateTime:
        """`add_working_time` in closed form (a company calendar beyond its table)."""
        target = self._far_time(utc, day) + wanted
        changes, counts = self._clock_changes(), self.week_counts()
        # Between two changed days the working time is nominal per working day plus a
        # constant, so the due day is a working-day count reached, or the changed day.
        j = bisect.bisect_left(self.time_counts, target)
        needed = -(-(target - self.time_shifts[j]) // self.nominal_us)  # ceiling division
        ordinal = counts.first(needed)
        if j < len(changes.days) and ordinal >= changes.days[j]:
            ordinal = changes.days[j]
        due_day = _date(ordinal, f"add_working_time({instant}, {duration})")
        return self._finish(due_day, target - self._far_days_us(ordinal - 1))
