"""Which days work, and where their working windows lie, as numpy arrays? The day tables.

Private. A `DayTables` holds, for a contiguous run of days of one calendar, every fact the
batch kernels need, each built once from the calendar's own scalar answers:

- `work[i]`: `calendar.is_workday(day)`;
- `cum[i]`: the working days among the days `[first, first + i]`;
- `workdays`: the day indexes of the working days, in order;
- `starts[i, w]`, `ends[i, w]`: the UTC microseconds of each working window of a working
  day (a rest day's windows are empty), the way `WorkCalendar` places them: the window's
  wall-clock minutes on that local date, in the calendar's zone;
- `time[i]`: the working microseconds in the days `[first, first + i]`;
- `midnight[i]`: the first instant of day `i` (`end_of_local_day` of the day before), so
  `midnight[i + 1]` is the end of day `i`, where a day period falls due.

A `ZoneTable` holds the zone's UTC offsets over a run of instants (the transitions found
by sampling every three hours and bisecting to the second), so the local date of a
million instants is one `searchsorted`.

A calendar with covered years gets the table of exactly those years; a company calendar
(no covered years) gets a table around the days asked about, grown when later questions
reach further. The tables are cached per calendar (weakly: they go with it).
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import TYPE_CHECKING, Final

import numpy as np

from keyaccount.calendar.deadlines import end_of_local_day
from keyaccount.errors import DateOutOfRangeError

if TYPE_CHECKING:
    import numpy.typing as npt

    from keyaccount.calendar.work_calendar import WorkCalendar

__all__ = [
    "DAY_US",
    "EPOCH_ORDINAL",
    "LAST_ORDINAL",
    "NO_START",
    "DayTables",
    "ZoneTable",
    "as_us",
    "tables_for",
    "zone_for",
]

#: Microseconds in a day of 24 hours.
DAY_US: Final = 86_400_000_000
#: The ordinal of 1970-01-01 (numpy and Arrow count days and instants from it).
EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()
LAST_ORDINAL: Final = dt.date.max.toordinal()
#: The start of a window that does not exist (a rest day's): after every instant.
NO_START: Final = 2**62
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NAIVE_EPOCH: Final = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - wall-clock arithmetic
_US: Final = dt.timedelta(microseconds=1)
#: How far apart the zone's offsets are sampled before bisecting to the transition.
_SAMPLE_S: Final = 6 * 3600
#: A company calendar's table is built at least this many days around what is asked.
_MARGIN_DAYS: Final = 400
#: A zone table is built this much wider than asked (the day tables' margin and more).
_ZONE_MARGIN_US: Final = (_MARGIN_DAYS + 30) * DAY_US


def _us(value: dt.datetime) -> int:
    """An aware datetime (stdlib or pendulum) as microseconds since the epoch."""
    wall = dt.datetime(  # noqa: DTZ001 - the wall clock, its offset taken off below
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond,
    )  # fmt: skip
    offset = value.utcoffset() or dt.timedelta(0)
    return ((wall - _NAIVE_EPOCH) - offset) // _US


class DayTables:
    """The day tables of one calendar over the day ordinals `[first, last]` (see the module).

    `zone` must cover the instants of those days with two days to spare.
    """

    def __init__(self, calendar: WorkCalendar, first: int, last: int, zone: ZoneTable) -> None:
        self.first, self.last = first, last
        size = last - first + 1
        self.size = size
        hours = calendar.hours
        nwin = max(1, len(hours))
        # Which days work: the calendar's own answer, day by day.
        work = np.fromiter(
            (calendar.is_workday(dt.date.fromordinal(o)) for o in range(first, last + 1)),
            dtype=bool,
            count=size,
        )
        # Each day's wall-clock midnight read as if it were UTC; days, and the day after
        # the last, within two days of a clock change are placed one by one below.
        ordinals = np.arange(first, last + 2, dtype=np.int64)
        wall = (ordinals - EPOCH_ORDINAL) * DAY_US
        offset = zone.offset_at(wall)
        changes = zone.at[1:]
        near = np.searchsorted(changes, wall + 3 * DAY_US) > np.searchsorted(
            changes, wall - 2 * DAY_US
        )
        minutes = np.array([[w.start_minute, w.end_minute] for w in hours], dtype=np.int64)
        starts = np.full((size, nwin), NO_START, dtype=np.int64)
        ends = np.full((size, nwin), NO_START, dtype=np.int64)
        if len(hours):
            base = (wall[:size] - offset[:size])[:, None]
            starts[:, : len(hours)] = base + minutes[:, 0] * 60_000_000
            ends[:, : len(hours)] = base + minutes[:, 1] * 60_000_000
        for i in np.flatnonzero(near[:size] & work):
            starts[i, : len(hours)], ends[i, : len(hours)] = _windows(calendar, first + int(i))
        starts[~work] = NO_START
        ends[~work] = NO_START
        self.work = work
        self.cum = np.cumsum(work, dtype=np.int64)
        self.workdays = np.flatnonzero(work).astype(np.int64)
        self.starts, self.ends = starts, ends
        lengths = np.where(work[:, None], ends - starts, 0)
        self.lengths = lengths
        #: within[i, w]: working microseconds of day i up to the end of its window w.
        self.within = np.cumsum(lengths, axis=1)
        self.time = np.cumsum(lengths.sum(axis=1), dtype=np.int64)
        #: before[i]: working microseconds in the days before day i.
        self.before = np.concatenate(([0], self.time[:-1])).astype(np.int64)
        # The same, shaped for the kernels' hot paths: day numbers from 1970-01-01, one
        # contiguous array per window, and whether every day's windows follow each other
        # in UTC (then the scalar's "stop at the first window not begun" is a clip).
        self.epoch0 = first - EPOCH_ORDINAL
        self.workdays_epoch = self.workdays + self.epoch0
        self.work_int = work.astype(np.int64)
        self.starts_w = [starts[:, w].copy() for w in range(nwin)]
        self.ends_w = [ends[:, w].copy() for w in range(nwin)]
        self.within_w = [self.within[:, w].copy() for w in range(nwin)]
        self.ordered = bool(
            all((starts[work, w + 1] >= ends[work, w]).all() for w in range(nwin - 1))
            and (ends[work] >= starts[work]).all()
        )
        # midnight[i]: the first instant of the day first + i, the end of the day before
        # (`end_of_local_day`, where a day period falls due).
        midnights = wall - offset
        for i in np.flatnonzero(near):
            ordinal = first + int(i) - 1
            if 1 <= ordinal < LAST_ORDINAL:
                day = dt.date.fromordinal(ordinal)
                midnights[i] = _us(end_of_local_day(day, calendar))
        self.midnight = midnights

    def holds(self, first: int, last: int) -> bool:
        """Whether the tables cover the ordinals `[first, last]`."""
        return self.first <= first and last <= self.last


def _windows(calendar: WorkCalendar, ordinal: int) -> tuple[list[int], list[int]]:
    """The UTC microseconds of a day's windows, placed as `WorkCalendar` places them: the
    window's wall-clock minutes on that local date, in the calendar's zone."""
    day = dt.date.fromordinal(ordinal)
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=calendar.tz)
    starts, ends = [], []
    for window in calendar.hours:
        starts.append(
            _us((midnight + dt.timedelta(minutes=window.start_minute)).astimezone(dt.UTC))
        )
        ends.append(_us((midnight + dt.timedelta(minutes=window.end_minute)).astimezone(dt.UTC)))
    return starts, ends


class ZoneTable:
    """A zone's UTC offsets from the instant `low_us` to `high_us` (see the module)."""

    def __init__(self, tz: dt.tzinfo, low_us: int, high_us: int) -> None:
        self.low_us, self.high_us = low_us, high_us
        low_s = low_us // 1_000_000 - _SAMPLE_S
        high_s = high_us // 1_000_000 + _SAMPLE_S
        samples = list(range(low_s, high_s + _SAMPLE_S, _SAMPLE_S))
        sampled = [self._offset(tz, t) for t in samples]
        changes = [samples[0]]
        offsets = [sampled[0]]
        for k in range(1, len(samples)):
            if sampled[k] == offsets[-1]:
                continue
            low = samples[k - 1]
            while offsets[-1] != sampled[k]:  # each change between the two samples
                lo, hi = low, samples[k]  # offset(lo) == offsets[-1] != offset(hi)
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if self._offset(tz, mid) == offsets[-1]:
                        lo = mid
                    else:
                        hi = mid
                changes.append(hi)
                offsets.append(self._offset(tz, hi))
                low = hi
        self.at = np.array(changes, dtype=np.int64) * 1_000_000
        self.offset = np.array(offsets, dtype=np.int64)

    @staticmethod
    def _offset(tz: dt.tzinfo, seconds: int) -> int:
        """The zone's UTC offset, in microseconds, at the instant `seconds` after the epoch."""
        try:
            local = dt.datetime.fromtimestamp(seconds, tz)
        except (OverflowError, ValueError, OSError):
            return 0
        offset = local.utcoffset() or dt.timedelta(0)
        return offset // _US

    def holds(self, low_us: int, high_us: int) -> bool:
        """Whether the table covers the instants `[low_us, high_us]`."""
        return self.low_us <= low_us and high_us <= self.high_us

    def offset_at(self, utc: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The zone's UTC offsets, in microseconds, at UTC microseconds (within the table)."""
        return self.offset[np.maximum(np.searchsorted(self.at, utc, side="right") - 1, 0)]

    def local_ordinals(self, utc: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The local date ordinals of UTC microseconds (all within the table)."""
        wall = utc + self.offset_at(utc)
        return np.asarray(np.floor_divide(wall, DAY_US) + EPOCH_ORDINAL, dtype=np.int64)


class _Cache:
    """One calendar's tables, grown as questions reach further."""

    __slots__ = ("days", "zone")

    def __init__(self) -> None:
        self.days: DayTables | None = None
        self.zone: ZoneTable | None = None


_CACHE: weakref.WeakKeyDictionary[WorkCalendar, _Cache] = weakref.WeakKeyDictionary()


def _cache(calendar: WorkCalendar) -> _Cache:
    try:
        return _CACHE[calendar]
    except KeyError:
        cache = _CACHE[calendar] = _Cache()
        return cache
    except TypeError:  # not weakly referenceable: no cache
        return _Cache()


def tables_for(calendar: WorkCalendar, first: int, last: int) -> DayTables:
    """The day tables of `calendar` covering what it can of the ordinals `[first, last]`.

    A calendar with covered years always gets exactly its covered years (the kernels
    report the rows outside); a company calendar gets at least `[first, last]` with a
    margin, within years 1-9999.
    """
    cache = _cache(calendar)
    tables = cache.days
    if calendar.covered_years is not None:
        if tables is None:
            low, high = calendar.covered_years
            first, last = dt.date(low, 1, 1).toordinal(), dt.date(high, 12, 31).toordinal()
            tables = DayTables(calendar, first, last, _zone_of_days(calendar, first, last))
            cache.days = tables
        return tables
    if tables is not None and tables.holds(first, last):
        return tables
    listed = [d.toordinal() for d in calendar.holidays | calendar.extra_workdays]
    low = min([first, *listed]) - _MARGIN_DAYS
    high = max([last, *listed]) + _MARGIN_DAYS
    if tables is not None:
        low, high = min(low, tables.first), max(high, tables.last)
    low, high = max(1, low), min(LAST_ORDINAL, high)
    tables = DayTables(calendar, low, high, _zone_of_days(calendar, low, high))
    cache.days = tables
    return tables


def _zone_of_days(calendar: WorkCalendar, first: int, last: int) -> ZoneTable:
    """The zone table covering the days `[first, last]` with two days to spare."""
    low = (first - EPOCH_ORDINAL - 3) * DAY_US
    high = (last - EPOCH_ORDINAL + 4) * DAY_US
    return zone_for(calendar, low, high)


def zone_for(calendar: WorkCalendar, low_us: int, high_us: int) -> ZoneTable:
    """The zone table of `calendar` covering the instants `[low_us, high_us]`."""
    cache = _cache(calendar)
    zone = cache.zone
    if zone is not None and zone.holds(low_us, high_us):
        return zone
    if calendar.covered_years is not None:
        first, last = calendar.covered_years
        low_us = min(low_us, _us(dt.datetime(first, 1, 1, tzinfo=dt.UTC)) - DAY_US)
        high_us = max(high_us, _us(dt.datetime(last, 12, 31, tzinfo=dt.UTC)) + 2 * DAY_US)
    # Built with a margin, so that the day tables around the same instants fit in it.
    low_us, high_us = low_us - _ZONE_MARGIN_US, high_us + _ZONE_MARGIN_US
    if zone is not None:
        low_us, high_us = min(low_us, zone.low_us), max(high_us, zone.high_us)
    zone = ZoneTable(calendar.tz, low_us, high_us)
    cache.zone = zone
    return zone


def ordinal_or_raise(ordinal: int, what: str) -> int:
    """`ordinal` if it names a date in years 1-9999, else `DateOutOfRangeError`."""
    if not 1 <= ordinal <= LAST_ORDINAL:
        raise DateOutOfRangeError(what, after=ordinal > LAST_ORDINAL)
    return ordinal


as_us = _us
