"""How does an SLA read its clocks? Working time, deadlines and local dates, two ways.

Private. `keyaccount.complaints.sla` evaluates a complaint's targets through an
`SlaClock`: working time between two instants, elapsed time, working time added to an
instant, a day period's unpaused deadline and a deadline's last local day.

* `CalendarClock` asks the calendar for each figure (`WorkCalendar.working_time_between`,
  `add_working_time`, `keyaccount.calendar.deadline`): the rule as written, the
  reference the fast clock is tested against, and the fallback for anything the fast
  clock does not hold.
* `TableClock` answers from a memo of the calendar kept beside it (`table_of`): for
  each local day of the years asked about, its working windows as UTC microseconds and
  the working microseconds of the days before it, built from `WorkCalendar.is_workday`,
  `WorkCalendar.hours` and the calendar's zone exactly as the calendar builds its own
  windows. One complaint's instants are each converted once (a UTC microsecond count
  and a working position) and every working time is a subtraction of positions. A
  question outside the memo (an uncovered year, a date the calendar refuses, a year
  too far from the ones held) raises `OutsideTable`, and the caller asks
  `CalendarClock` instead, which answers or raises the calendar's own error.

The memo is never part of a calendar's value; it lives while its calendar does.
"""

from __future__ import annotations

import bisect
import datetime as dt
import weakref
from typing import Final, Protocol

import attrs
import pendulum

from keyaccount.calendar import Days, WorkCalendar, Workdays, deadline
from keyaccount.calendar.deadlines import end_of_local_day
from keyaccount.errors import KeyAccountError

__all__ = ["CalendarClock", "OutsideTable", "SlaClock", "TableClock", "table_of"]

_MICROSECOND: Final = dt.timedelta(microseconds=1)
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_ORDINAL: Final = _EPOCH.toordinal()
_DAY_US: Final = 86_400_000_000
#: The UTC microseconds the memo serves: years 2-9998, so no conversion near them overflows.
_LOWEST_US: Final = (dt.date(2, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_US
_HIGHEST_US: Final = (dt.date(9998, 12, 31).toordinal() - _EPOCH_ORDINAL) * _DAY_US
#: The most years one memo spans (a question further away is `OutsideTable`).
_MAX_YEARS: Final = 120


class OutsideTable(Exception):  # noqa: N818 - a private signal, never raised to users
    """The fast clock does not hold this question: ask `CalendarClock` instead."""


class SlaClock(Protocol):
    """The clock figures an SLA evaluation needs (see the module)."""

    def working(self, a: pendulum.DateTime, b: pendulum.DateTime) -> dt.timedelta:
        """`WorkCalendar.working_time_between(a, b)`."""
        ...

    def elapsed(self, a: pendulum.DateTime, b: pendulum.DateTime) -> dt.timedelta:
        """Elapsed time from `a` to `b` (UTC, so exact across clock changes)."""
        ...

    def add_working(self, at: pendulum.DateTime, duration: dt.timedelta) -> pendulum.DateTime:
        """`WorkCalendar.add_working_time(at, duration)` for `duration >= 0`."""
        ...

    def day_deadline(self, start: pendulum.DateTime, period: Days | Workdays) -> pendulum.DateTime:
        """`deadline(start, period, calendar).at` for a day period."""
        ...

    def last_day(self, due_at: pendulum.DateTime) -> pendulum.Date:
        """The local date of the last instant before `due_at`."""
        ...


# --------------------------------------------------------------------------- reference


@attrs.frozen
class CalendarClock:
    """Every figure asked of the calendar, one call each (the reference)."""

    calendar: WorkCalendar

    def working(self, a: pendulum.DateTime, b: pendulum.DateTime) -> dt.timedelta:
        """See `SlaClock.working`."""
        return self.calendar.working_time_between(a, b)

    def elapsed(self, a: pendulum.DateTime, b: pendulum.DateTime) -> dt.timedelta:
        """See `SlaClock.elapsed`: both taken to UTC first (a shared zone subtracts walls)."""
        return dt.datetime.__sub__(b.astimezone(dt.UTC), a.astimezone(dt.UTC))

    def add_working(self, at: pendulum.DateTime, duration: dt.timedelta) -> pendulum.DateTime:
        """See `SlaClock.add_working`."""
        return self.calendar.add_working_time(at, duration)

    def day_deadline(self, start: pendulum.DateTime, period: Days | Workdays) -> pendulum.DateTime:
        """See `SlaClock.day_deadline`."""
        return deadline(start, period, self.calendar).at

    def last_day(self, due_at: pendulum.DateTime) -> pendulum.Date:
        """See `SlaClock.last_day`."""
        return (due_at - _MICROSECOND).in_timezone(self.calendar.tz).date()


# --------------------------------------------------------------------------- the memo


@attrs.frozen
class _Days:
    """The memo's days `first .. first + len(windows) - 1` (a snapshot, never changed).

    ``windows[i]``: the working windows of day ``first + i`` as UTC microsecond pairs
    (none on rest days); ``before[i]``: working microseconds of the days before it
    (``before[len(windows)]`` is the total, so ``before`` is one longer).
    """

    first: int
    windows: list[tuple[tuple[int, int], ...]]
    before: list[int]


def _us(instant: dt.datetime) -> int:
    """UTC microseconds since 1970 of an aware instant (exact, fold respected)."""
    return dt.datetime.__sub__(instant, _EPOCH) // _MICROSECOND


class _Table:
    """A calendar's working windows and prefix sums per local day, grown by whole years.

    Positions are absolute: the first day ever held starts at 0 and keeps it when
    earlier years are added (their positions are negative), so a position read from one
    snapshot stays valid in every later one.
    """

    __slots__ = ("__weakref__", "as_of", "calendar", "days", "tz")

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = weakref.ref(calendar)
        self.tz = calendar.tz
        self.days = _Days(1, [], [0])
        #: The reading of the latest ``as_of`` (many complaints are evaluated at one).
        self.as_of: tuple[dt.datetime, int, int] | None = None

    def _windows(self, calendar: WorkCalendar, day: dt.date) -> tuple[tuple[int, int], ...]:
        """The working windows of `day` as UTC microseconds, as the calendar builds them."""
        if not calendar.is_workday(day):
            return ()
        # Same-tzinfo arithmetic is wall-clock arithmetic: 09:00 local on that day.
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return tuple(
            (
                _us(midnight + dt.timedelta(minutes=w.start_minute)),
                _us(midnight + dt.timedelta(minutes=w.end_minute)),
            )
            for w in calendar.hours
        )

    def _build(self, first: int, last: int) -> tuple[list[tuple[tuple[int, int], ...]], list[int]]:
        """The windows of the years `first..last` and their prefix sums from 0."""
        calendar = self.calendar()
        if calendar is None:  # pragma: no cover - the calendar is alive while asked
            raise OutsideTable
        days = range(dt.date(first, 1, 1).toordinal(), dt.date(last, 12, 31).toordinal() + 1)
        try:
            windows = [self._windows(calendar, dt.date.fromordinal(o)) for o in days]
        except (KeyAccountError, OverflowError):  # uncovered, or beyond the dates
            raise OutsideTable from None
        before = [0]
        total = 0
        for spans in windows:
            for start, end in spans:
                total += end - start
            before.append(total)
        return windows, before

    def grow(self, ordinal: int) -> _Days:
        """The memo holding the day `ordinal`, grown by the years up to it.

        Raises:
            OutsideTable: the year cannot be held (uncovered, or too far from the rest).
        """
        year = dt.date.fromordinal(ordinal).year
        days = self.days
        if not days.windows:
            windows, before = self._build(year, year)
            self.days = _Days(dt.date(year, 1, 1).toordinal(), windows, before)
            return self.days
        first = dt.date.fromordinal(days.first).year
        last = dt.date.fromordinal(days.first + len(days.windows) - 1).year
        if max(last, year) - min(first, year) >= _MAX_YEARS:
            raise OutsideTable
        if year > last:
            windows, before = self._build(last + 1, year)
            total = days.before[-1]
            self.days = _Days(
                days.first, days.windows + windows, days.before + [total + b for b in before[1:]]
            )
        elif year < first:
            windows, before = self._build(year, first - 1)
            shift = before[-1] - days.before[0]
            self.days = _Days(
                dt.date(year, 1, 1).toordinal(),
                windows + days.windows,
                [b - shift for b in before] + days.before[1:],
            )
        return self.days


_TABLES: dict[int, _Table] = {}


def table_of(calendar: WorkCalendar) -> _Table:
    """The memo of `calendar`, made on first use and dropped with the calendar."""
    key = id(calendar)
    table = _TABLES.get(key)
    if table is None or table.calendar() is not calendar:
        table = _Table(calendar)
        _TABLES[key] = table
        weakref.finalize(calendar, _TABLES.pop, key, None)
    return table


# --------------------------------------------------------------------------- fast clock


class TableClock:
    """The clock figures from the memo, each instant converted once (see the module).

    Made per evaluation: it keeps the positions of the instants it was asked about.
    """

    __slots__ = ("calendar", "seen", "table", "tz")

    def __init__(self, calendar: WorkCalendar, as_of: dt.datetime | None = None) -> None:
        """A clock for one evaluation; ``as_of``'s reading is shared with the next one."""
        self.calendar = calendar
        self.table = table = table_of(calendar)
        self.tz = table.tz
        #: id(instant) -> (instant, UTC microseconds, working position)
        self.seen: dict[int, tuple[dt.datetime, int, int]] = {}
        if as_of is not None:
            reading = table.as_of
            if reading is None or reading[0] is not as_of:
                reading = table.as_of = self._read(as_of)
            self.seen[id(as_of)] = reading

    def _read(self, instant: dt.datetime) -> tuple[dt.datetime, int, int]:
        """``(instant, UTC microseconds, working position)``, converted once per evaluation.

        The working position is the working microseconds from the memo's first day.
        """
        key = id(instant)
        hit = self.seen.get(key)
        if hit is not None and hit[0] is instant:
            return hit
        us = _us(instant)
        if instant.tzinfo is self.tz:  # the wall clock is the local time
            ordinal = instant.toordinal()
        else:
            if not _LOWEST_US <= us <= _HIGHEST_US:
                raise OutsideTable
            ordinal = dt.datetime.fromtimestamp(us // 1_000_000, self.tz).toordinal()
        days = self.table.days
        i = ordinal - days.first
        if not 0 <= i < len(days.windows):
            days = self.table.grow(ordinal)
            i = ordinal - days.first
        position = days.before[i]
        for start, end in days.windows[i]:
            if us <= start:
                break
            position += (us if us < end else end) - start
        reading = (instant, us, position)
        self.seen[key] = reading
        return reading

    def _instant(self, us: int) -> pendulum.DateTime:
        """The UTC microseconds `us` as a pendulum instant in the calendar's zone."""
        local = (_EPOCH + dt.timedelta(microseconds=us)).astimezone(self.tz)
        return pendulum.DateTime(
            local.year,
            local.month,
            local.day,
            local.hour,
            local.minute,
            local.second,
            local.microsecond,
            tzinfo=self.tz,
            fold=local.fold,
        )

    def working(self, a: pendulum.DateTime, b: pendulum.DateTime) -> dt.timedelta:
        """See `SlaClock.working`: the difference of two positions."""
        seen = self.seen
        read_a, read_b = seen.get(id(a)), seen.get(id(b))
        if read_a is None or read_a[0] is not a:
            read_a = self._read(a)
        if read_b is None or read_b[0] is not b:
            read_b = self._read(b)
        return (read_b[2] - read_a[2]) * _MICROSECOND

    def elapsed(self, a: pendulum.DateTime, b: pendulum.DateTime) -> dt.timedelta:
        """See `SlaClock.elapsed`."""
        return (self._read(b)[1] - self._read(a)[1]) * _MICROSECOND

    def add_working(self, at: pendulum.DateTime, duration: dt.timedelta) -> pendulum.DateTime:
        """See `SlaClock.add_working`: the first day whose prefix reaches the target.

        As the calendar: a target reached exactly at a window's close ends there.
        """
        _, us, position = self._read(at)
        if not duration:
            return self._instant(us)
        target = position + duration // _MICROSECOND
        days = self.table.days
        j = bisect.bisect_left(days.before, target, 1)
        while j == len(days.before):  # beyond the memo: hold the next year, or give up
            days = self.table.grow(days.first + len(days.windows))
            j = bisect.bisect_left(days.before, target, 1)
        remaining = target - days.before[j - 1]
        for start, end in days.windows[j - 1]:
            if remaining <= end - start:
                due = self._instant(start + remaining)
                self.seen[id(due)] = (due, start + remaining, target)
                return due
            remaining -= end - start
        raise AssertionError("unreachable: the prefix sums and the day's windows disagree")

    def day_deadline(self, start: pendulum.DateTime, period: Days | Workdays) -> pendulum.DateTime:
        """See `SlaClock.day_deadline`: the local date of `start`, then the calendar's days.

        May raise what the calendar raises (the caller then asks `CalendarClock`).
        """
        us = self._read(start)[1]
        local = dt.datetime.fromtimestamp(us // 1_000_000, self.tz).date()
        due: dt.date = (
            self.calendar.add_workdays(local, period.n)
            if isinstance(period, Workdays)
            else local + dt.timedelta(days=period.n)
        )
        return end_of_local_day(due, self.calendar)

    def last_day(self, due_at: pendulum.DateTime) -> pendulum.Date:
        """See `SlaClock.last_day`."""
        us = self._read(due_at)[1] - 1
        local = dt.datetime.fromtimestamp(us // 1_000_000, self.tz)
        return pendulum.Date(local.year, local.month, local.day)
