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
import threading
import weakref
from typing import Final, Protocol

import attrs
import pendulum

from keyaccount._fields import UNIX_EPOCH, utc_microseconds, wall_instant
from keyaccount.calendar import Days, WorkCalendar, Workdays, deadline
from keyaccount.calendar.deadlines import end_of_local_day
from keyaccount.errors import KeyAccountError

__all__ = ["CalendarClock", "OutsideTable", "SlaClock", "TableClock", "table_of"]

_MICROSECOND: Final = dt.timedelta(microseconds=1)
_EPOCH_ORDINAL: Final = UNIX_EPOCH.toordinal()
_DAY_US: Final = 86_400_000_000
#: The UTC microseconds the memo serves: years 2-9998, so no conversion near them overflows.
_LOWEST_US: Final = (dt.date(2, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_US
_HIGHEST_US: Final = (dt.date(9998, 12, 31).toordinal() - _EPOCH_ORDINAL) * _DAY_US
#: The most years one memo spans (a question further away is `OutsideTable`).
_MAX_YEARS: Final = 120


class OutsideTable(Exception):  # noqa: N818 - a private signal, never raised to users
    """The fast clock does not hold this question: ask `CalendarClock` instead."""


class SlaClock(Protocol):
    """The clock figures an SLA evaluation needs (see the module), in microseconds."""

    def us(self, instant: pendulum.DateTime) -> int:
        """Where `instant` lies: UTC microseconds since 1970 (elapsed time subtracts them)."""
        ...

    def read(self, instant: pendulum.DateTime) -> tuple[dt.datetime, int, int]:
        """``(instant, UTC microseconds, working position)``: the working time between
        two instants is the difference of their positions (in microseconds)."""
        ...

    def add_working(self, at: pendulum.DateTime, duration: int) -> tuple[pendulum.DateTime, int]:
        """`WorkCalendar.add_working_time(at, duration)` for `duration >= 0` microseconds,
        and its UTC microseconds."""
        ...

    def day_deadline(self, start: pendulum.DateTime, period: Days | Workdays) -> pendulum.DateTime:
        """`deadline(start, period, calendar).at` for a day period."""
        ...

    def last_day(self, due_at: pendulum.DateTime) -> pendulum.Date:
        """The local date of the last instant before `due_at`."""
        ...


# --------------------------------------------------------------------------- reference


class CalendarClock:
    """Every figure asked of the calendar, one call each (the reference).

    A working position is `WorkCalendar.working_time_between` from the first instant
    read (its origin) to the instant, so a difference of positions is the calendar's
    working time between the two (working time adds up over consecutive spans).
    """

    __slots__ = ("calendar", "origin")

    def __init__(self, calendar: WorkCalendar) -> None:
        """The reference clock of `calendar`; its origin is the first instant read."""
        self.calendar = calendar
        self.origin: pendulum.DateTime | None = None

    def us(self, instant: pendulum.DateTime) -> int:
        """See `SlaClock.us`: the standard library's subtraction from the epoch."""
        return utc_microseconds(instant)

    def read(self, instant: pendulum.DateTime) -> tuple[dt.datetime, int, int]:
        """See `SlaClock.read`: the calendar's working time from the origin."""
        if self.origin is None:
            self.origin = instant
        position = self.calendar.working_time_between(self.origin, instant) // _MICROSECOND
        return instant, utc_microseconds(instant), position

    def add_working(self, at: pendulum.DateTime, duration: int) -> tuple[pendulum.DateTime, int]:
        """See `SlaClock.add_working`."""
        due = self.calendar.add_working_time(at, duration * _MICROSECOND)
        return due, utc_microseconds(due)

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


#: Microseconds of each UTC offset met (a zone has few), saving a division per instant.
_OFFSETS: dict[dt.timedelta, int] = {}
#: The most offsets remembered: fixed offsets from callers can be any of ~170,000.
_MAX_OFFSETS: Final = 512


def _offset_us(offset: dt.timedelta) -> int:
    """The microseconds of a UTC offset, remembered while they are few."""
    offset_us = offset // _MICROSECOND
    if len(_OFFSETS) < _MAX_OFFSETS:
        _OFFSETS[offset] = offset_us
    return offset_us


class _Table:
    """A calendar's working windows and prefix sums per local day, grown by whole years.

    Positions are absolute: the first day ever held starts at 0 and keeps it when
    earlier years are added (their positions are negative), so a position read from one
    snapshot stays valid in every later one. One thread at a time grows it (``lock``):
    two first builds would each count from their own year, and a grow from a snapshot
    another thread replaced meanwhile would drop its years.
    """

    __slots__ = ("__weakref__", "as_of", "calendar", "days", "ends", "lock", "tz")

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = weakref.ref(calendar)
        self.tz = calendar.tz
        self.days = _Days(1, [], [0])
        self.lock = threading.Lock()
        #: The reading of the latest ``as_of`` (many complaints are evaluated at one).
        self.as_of: tuple[dt.datetime, int, int] | None = None
        #: The end of each local day asked about in the held years: where a day
        #: period falls due (`end_of_local_day`, built once per day).
        self.ends: dict[dt.date, pendulum.DateTime] = {}

    def _windows(self, calendar: WorkCalendar, day: dt.date) -> tuple[tuple[int, int], ...]:
        """The working windows of `day` as UTC microseconds, as the calendar builds them."""
        if not calendar.is_workday(day):
            return ()
        # Same-tzinfo arithmetic is wall-clock arithmetic: 09:00 local on that day.
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return tuple(
            (
                utc_microseconds(midnight + dt.timedelta(minutes=w.start_minute)),
                utc_microseconds(midnight + dt.timedelta(minutes=w.end_minute)),
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
        with self.lock:  # the snapshot read and replaced under one lock (see the class)
            days = self.days
            if 0 <= ordinal - days.first < len(days.windows):  # another thread grew it
                return days
            days = self._grown(days, dt.date.fromordinal(ordinal).year)
            self.days = days
            return days

    def _grown(self, days: _Days, year: int) -> _Days:
        """The snapshot `days` with the years up to `year` added (under the lock)."""
        if not days.windows:
            windows, before = self._build(year, year)
            return _Days(dt.date(year, 1, 1).toordinal(), windows, before)
        first = dt.date.fromordinal(days.first).year
        last = dt.date.fromordinal(days.first + len(days.windows) - 1).year
        if max(last, year) - min(first, year) >= _MAX_YEARS:
            raise OutsideTable
        if year > last:
            windows, before = self._build(last + 1, year)
            total = days.before[-1]
            return _Days(
                days.first, days.windows + windows, days.before + [total + b for b in before[1:]]
            )
        windows, before = self._build(year, first - 1)
        shift = before[-1] - days.before[0]
        return _Days(
            dt.date(year, 1, 1).toordinal(),
            windows + days.windows,
            [b - shift for b in before] + days.before[1:],
        )


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
                try:
                    reading = table.as_of = self._read(as_of)
                except OutsideTable:  # (an uncovered year, say): read only if asked
                    return
            self.seen[id(as_of)] = reading

    def _read(self, instant: dt.datetime) -> tuple[dt.datetime, int, int]:
        """``(instant, UTC microseconds, working position)``, converted once per evaluation.

        The working position is the working microseconds from the memo's first day. The
        caller has looked in ``seen`` first.
        """
        ordinal = instant.toordinal()
        offset = instant.utcoffset()
        offset_us = _OFFSETS.get(offset)  # type: ignore[arg-type] # aware: never None
        if offset_us is None:
            offset_us = _offset_us(offset)  # type: ignore[arg-type] # aware: never None
        # the UTC time is the wall clock less the offset (exact, fold respected)
        us = (
            (ordinal - _EPOCH_ORDINAL) * _DAY_US
            + ((instant.hour * 60 + instant.minute) * 60 + instant.second) * 1_000_000
            + instant.microsecond
            - offset_us
        )
        # In the calendar's zone the wall clock's date is the local date, but for a wall
        # clock the zone skips with ``fold=1`` (the later offset): that lies before the
        # skip, on the day before when the skip is at midnight.
        if instant.tzinfo is not self.tz or instant.fold:
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
        self.seen[id(instant)] = reading
        return reading

    def _instant(self, us: int) -> pendulum.DateTime:
        """The UTC microseconds `us` as a pendulum instant in the calendar's zone."""
        local = dt.datetime.fromtimestamp(us // 1_000_000, self.tz)  # to the second
        return wall_instant(local, self.tz, us % 1_000_000)

    def us(self, instant: pendulum.DateTime) -> int:
        """See `SlaClock.us`: read once per evaluation.

        An instant the memo does not hold still has its UTC microseconds (elapsed time
        needs no calendar).
        """
        hit = self.seen.get(id(instant))
        if hit is None or hit[0] is not instant:
            try:
                hit = self._read(instant)
            except OutsideTable:
                return utc_microseconds(instant)
        return hit[1]

    def read(self, instant: pendulum.DateTime) -> tuple[dt.datetime, int, int]:
        """See `SlaClock.read`: the working microseconds from the memo's first day."""
        hit = self.seen.get(id(instant))
        if hit is None or hit[0] is not instant:
            hit = self._read(instant)
        return hit

    def add_working(self, at: pendulum.DateTime, duration: int) -> tuple[pendulum.DateTime, int]:
        """See `SlaClock.add_working`: the first day whose prefix reaches the target.

        As the calendar: a target reached exactly at a window's close ends there.
        """
        hit = self.seen.get(id(at))
        _, us, position = hit if hit is not None and hit[0] is at else self._read(at)
        if not duration:
            return self._instant(us), us
        target = position + duration
        days = self.table.days
        j = bisect.bisect_left(days.before, target, 1)
        while j == len(days.before):  # beyond the memo: hold the next year, or give up
            days = self.table.grow(days.first + len(days.windows))
            j = bisect.bisect_left(days.before, target, 1)
        remaining = target - days.before[j - 1]
        for start, end in days.windows[j - 1]:
            if remaining <= end - start:
                due_us = start + remaining
                due = self._instant(due_us)
                self.seen[id(due)] = (due, due_us, target)
                return due, due_us
            remaining -= end - start
        raise AssertionError("unreachable: the prefix sums and the day's windows disagree")

    def day_deadline(self, start: pendulum.DateTime, period: Days | Workdays) -> pendulum.DateTime:
        """See `SlaClock.day_deadline`: the local date of `start`, then the calendar's days.

        May raise what the calendar raises (the caller then asks `CalendarClock`).
        """
        # the local date as the calendar takes it (`WorkCalendar.in_timezone`): an instant
        # already in its zone comes as it is, even a wall clock the zone skips
        local = (
            dt.datetime.date(start)
            if start.tzinfo is self.tz
            else dt.datetime.fromtimestamp(self.us(start) // 1_000_000, self.tz).date()
        )
        due: dt.date = (
            self.calendar.add_workdays(local, period.n)
            if isinstance(period, Workdays)
            else local + dt.timedelta(days=period.n)
        )
        ends = self.table.ends
        end = ends.get(due)
        if end is None:
            end = end_of_local_day(due, self.calendar)
            days = self.table.days
            if 0 <= due.toordinal() - days.first < len(days.windows):  # held years only
                ends[due] = end
        return end

    def last_day(self, due_at: pendulum.DateTime) -> pendulum.Date:
        """See `SlaClock.last_day`."""
        us = self.us(due_at) - 1
        local = dt.datetime.fromtimestamp(us // 1_000_000, self.tz)
        return pendulum.Date(local.year, local.month, local.day)
