"""Is each day a working day, and when is each row due? The calendar's rules over arrays.

Each function takes columns (numpy arrays, pyarrow `Array` / `ChunkedArray`, Polars
`Series`) and answers every row exactly as the scalar rule of the same name would,
through numpy day tables built once per calendar (see `keyaccount.batch._tables`). The
answer is of the kind of the first column: numpy dates `datetime64[D]`, instants
`datetime64[us]` in UTC (numpy has no zones), durations `timedelta64[us]`, counts and
flags as `numpy.ma.MaskedArray` (numpy integers have no null); Arrow and Polars answers
are `date32` / `Date`, `timestamp('us', tz=calendar.timezone)` / `Datetime('us',
calendar.timezone)`, `duration('us')` / `Duration('us')`, `int64`, `bool`.

A null in any argument gives a null in that row. A row the calendar cannot answer (a
date outside its covered years, or an answer beyond 0001-9999) raises
`CalendarCoverageError` (or its subclass `DateOutOfRangeError`) naming the first such row
and its value; with `errors="null"` those rows are null instead.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from keyaccount.batch import _rows as rows
from keyaccount.batch._arrays import column, output
from keyaccount.batch._tables import (
    EPOCH_ORDINAL,
    LAST_ORDINAL,
    as_us,
    tables_for,
)
from keyaccount.calendar.deadlines import end_of_local_day
from keyaccount.calendar.periods import Days, Hours, Period, Workdays, WorkingHours
from keyaccount.errors import (
    InvalidPeriodError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy.typing as npt

    from keyaccount.calendar.work_calendar import WorkCalendar

    Ints = npt.NDArray[np.int64]
    Mask = npt.NDArray[np.bool_]

__all__ = [
    "add_workdays",
    "add_working_time",
    "deadline",
    "is_workday",
    "workdays_between",
    "working_time_between",
]

#: The last instant a date can hold, 9999-12-31 23:59:59.999999 UTC, in microseconds.
_LAST_US: Final = as_us(dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC))
#: How many times a company calendar's table may grow to reach the answers of one call.
_GROWTHS: Final = 40


# ---------------------------------------------------------------------------- plumbing


# ---------------------------------------------------------------------------- days


def is_workday(days: Any, calendar: WorkCalendar, *, errors: str = "raise") -> Any:
    """Whether each day is a working day: `WorkCalendar.is_workday` row by row.

    Instants are taken as their local date in the calendar's zone, as the scalar rule.

    Examples:
        >>> import numpy as np
        >>> from keyaccount import WorkCalendar
        >>> days = np.array(["2025-09-28", "2025-10-01"], dtype="datetime64[D]")
        >>> is_workday(days, WorkCalendar.china()).tolist()   # a 调休 Sunday, National Day
        [True, False]

    Args:
        days: dates (or instants) as a numpy array, pyarrow array or Polars Series.
        calendar: the working calendar.
        errors: `"raise"` (default) or `"null"` for the rows the calendar does not cover.

    Returns:
        Flags of the same kind as `days` (numpy: a masked bool array).

    Raises:
        CalendarCoverageError: a day outside the covered years (names the first row).
        BatchArgumentError: a column of a refused type, or a bad `errors`.
    """
    rows.choice(errors)
    col = column(days, "days")
    local = rows.local_days(col, calendar, "days")
    nulls = col.nulls.copy()
    t = rows.tables(calendar, local, nulls)
    i, outside = rows.index(t, local, nulls)
    if outside is not None:
        rows.refuse_rows(
            outside,
            nulls,
            errors,
            calendar,
            lambda r: rows.year(local[r]),
            lambda r: rows.shown_day(col, r),
        )
    return output(t.work[i], nulls, "bool", col, calendar.timezone)


def _add_workday_days(
    local: Ints,
    n: Ints,
    nulls: Mask,
    calendar: WorkCalendar,
    errors: str,
    shown: Callable[[int], str],
) -> Ints:
    """The day numbers of `add_workdays` row by row; refused rows reported per `errors`."""
    per_week = 7 - len(calendar.weekly_rest_days)
    if calendar.covered_years is None:
        # a working day takes at least a day: such rows land beyond 1-9999 whatever the
        # calendar, refused before any table grows towards them
        late = (n > 0) & (local + n > LAST_ORDINAL - EPOCH_ORDINAL)
        hopeless = late | ((n < 0) & (local + n < 1 - EPOCH_ORDINAL))
        rows.refuse_rows(
            hopeless, nulls, errors, calendar, lambda r: 10000 if late[r] else 0, shown
        )
    span = rows.span_of(local, nulls)
    t = rows.tables(calendar, local, nulls, span)
    has_nulls = bool(nulls.any())
    for growth in range(_GROWTHS):
        i, outside = rows.index(t, local, nulls, span)
        k = t.cum[i] + n - np.where(n > 0, 1, t.work_int[i])
        all_in = outside is None and not has_nulls and len(k)
        if all_in and k.min() >= 0 and k.max() < len(t.workdays):  # the hot path
            return np.asarray(t.workdays_epoch[k], dtype=np.int64)
        missed = (k < 0) | (k >= len(t.workdays))
        if outside is not None:
            missed |= outside
        missed &= ~nulls
        if calendar.covered_years is not None or not missed.any():
            break
        reach = (np.abs(n[missed]) // per_week + 2) * 7 * 2**growth
        low = max(1, int((local[missed] - reach).min()) + EPOCH_ORDINAL)
        high = min(LAST_ORDINAL, int((local[missed] + reach).max()) + EPOCH_ORDINAL)
        if t.first <= low and high <= t.last:
            break  # the whole of years 1-9999 is in the table: out of range
        t = tables_for(calendar, low, high)

    def year_of(row: int) -> int:
        if outside is not None and outside[row]:
            return rows.year(local[row])
        return rows.year(t.epoch0 - 1) if k[row] < 0 else rows.year(t.epoch0 + t.size)

    rows.refuse_rows(missed, nulls, errors, calendar, year_of, shown)
    return np.asarray(t.workdays_epoch[np.clip(k, 0, max(0, len(t.workdays) - 1))], dtype=np.int64)


def add_workdays(days: Any, n: Any, calendar: WorkCalendar, *, errors: str = "raise") -> Any:
    """The working day `n` working days from each day: `WorkCalendar.add_workdays` row by row.

    `n >= 1`: the n-th working day strictly after the day; `n = 0`: the day itself if it
    works, else the next working day; `n < 0` counts back.

    Examples:
        >>> import numpy as np
        >>> from keyaccount import WorkCalendar
        >>> days = np.array(["2025-09-30", "2025-10-09"], dtype="datetime64[D]")
        >>> add_workdays(days, 1, WorkCalendar.china())   # across the National Day break
        array(['2025-10-09', '2025-10-10'], dtype='datetime64[D]')

    Args:
        days: dates (or instants, taken as local dates) as a column.
        n: an integer column of the same length, or one `int` for every row.
        calendar: the working calendar.
        errors: `"raise"` (default) or `"null"` for rows the calendar cannot answer.

    Returns:
        Dates, of the kind of `days`.

    Raises:
        CalendarCoverageError: a day or an answer outside the covered years (first row).
        DateOutOfRangeError: an answer before 0001-01-01 or after 9999-12-31.
        InvalidArgumentTypeError: `n` is a bool, a float or another non-integer.
        BatchArgumentError: a column of a refused type or length, or a bad `errors`.
    """
    rows.choice(errors)
    col = column(days, "days")
    counts = rows.counts(n, len(col.values), col)
    rows.same_length(col, counts)
    local = rows.local_days(col, calendar, "days")
    nulls = col.nulls | counts.nulls
    due = _add_workday_days(
        local, counts.values, nulls, calendar, errors, lambda r: rows.shown_day(col, r)
    )
    return output(due, nulls, "date", col, calendar.timezone)


def workdays_between(start: Any, end: Any, calendar: WorkCalendar, *, errors: str = "raise") -> Any:
    """Working days in `(start, end]` (negative if `end < start`), row by row.

    Args:
        start: dates (or instants) as a column.
        end: dates (or instants) of the same length.
        calendar: the working calendar.
        errors: `"raise"` (default) or `"null"` for rows outside the covered years.

    Returns:
        Counts, of the kind of `start` (numpy: a masked int64 array).

    Raises:
        CalendarCoverageError: a day outside the covered years (names the first row).
        BatchArgumentError: a column of a refused type or length, or a bad `errors`.
    """
    rows.choice(errors)
    a, b = column(start, "start"), column(end, "end")
    rows.same_length(a, b)
    da, db = rows.local_days(a, calendar, "start"), rows.local_days(b, calendar, "end")
    nulls = a.nulls | b.nulls
    t, ia, ib = _pair(da, db, nulls, calendar, errors, rows.shown_day, a, b)
    return output(t.cum[ib] - t.cum[ia], nulls, "int", a, calendar.timezone)


def _pair(
    da: Ints,
    db: Ints,
    nulls: Mask,
    calendar: WorkCalendar,
    errors: str,
    shown: Callable[[Any, int], str],
    a: Any,
    b: Any,
) -> tuple[Any, Ints, Ints]:
    """The day tables and the rows of both ends of a span, refusing rows either end misses.

    ``da`` / ``db`` are the local day numbers of columns ``a`` / ``b``; ``shown(column,
    row)`` writes the offending value for the error.
    """
    t = rows.tables(calendar, np.concatenate((da, db)), np.concatenate((nulls, nulls)))
    ia, out_a = rows.index(t, da, nulls)
    ib, out_b = rows.index(t, db, nulls)
    if out_a is not None or out_b is not None:
        none = np.zeros(len(da), dtype=bool)
        oa = none if out_a is None else out_a
        ob = none if out_b is None else out_b
        rows.refuse_rows(
            oa | ob,
            nulls,
            errors,
            calendar,
            lambda r: rows.year(da[r] if oa[r] else db[r]),
            lambda r: shown(a if oa[r] else b, r),
        )
    return t, ia, ib


# ---------------------------------------------------------------------------- working time


#: How many days `_first_day_reaching` steps forward before a binary search.
_STEPS: Final = 3


def _first_day_reaching(time: Ints, target: Ints, low: Ints) -> Ints:
    """``np.searchsorted(time, target, side="left")`` for the rows whose answer is at
    least ``low`` (their ``target`` is above ``time[low - 1]``: a positive duration from
    day ``low``), which most often is ``low`` or a day or two later: a few steps forward
    from there cost less than a binary search over the whole table. Other rows (a zero
    duration) may get another index; their answer is not used.
    """
    size, last = len(time), len(time) - 1
    j = low.copy()
    at = np.empty_like(j)
    reached = np.empty_like(target)
    behind = np.empty(len(j), dtype=bool)
    inside = np.empty(len(j), dtype=bool)
    for _ in range(_STEPS):  # a step for every row at once: no branch, no compaction
        np.take(time, np.minimum(j, last, out=at), out=reached)
        np.less(reached, target, out=behind)
        behind &= np.less(j, size, out=inside)
        if not behind.any():
            return j
        j += behind
    rest = np.flatnonzero((time[np.minimum(j, last)] < target) & (j < size))
    j[rest] = np.searchsorted(time, target[rest], side="left")
    return j


def _add_time_us(
    utc: Ints,
    wanted: Ints,
    nulls: Mask,
    calendar: WorkCalendar,
    errors: str,
    shown: Callable[[int], str],
) -> Ints:
    """UTC microseconds of `add_working_time` row by row (`wanted >= 0` microseconds)."""
    local = rows.local_epoch_days(utc, nulls, calendar)
    zero = wanted == 0
    # A zero duration gives the instant back, unchecked, as the scalar rule.
    idle = nulls | zero if zero.any() else nulls
    span = rows.span_of(local, idle)
    t = rows.tables(calendar, local, idle, span)
    for growth in range(_GROWTHS):
        i, outside = rows.index(t, local, idle, span)
        target = rows.working_us(t, utc, i) + wanted
        j = _first_day_reaching(t.time, target, i)
        if outside is None and (not len(j) or j.max() < t.size):
            missed = None
            break
        missed = j >= t.size
        if outside is not None:
            missed |= outside
        missed &= ~idle
        if calendar.covered_years is not None or not missed.any():
            break
        per_day = max(1, int(t.lengths.sum(axis=1).max()))
        reach = (wanted[missed] // per_day + 2) * 7 * 2**growth
        low = max(1, int(local[missed].min()) - 7 + EPOCH_ORDINAL)
        high = min(LAST_ORDINAL, int((local[missed] + reach).max()) + EPOCH_ORDINAL)
        if t.first <= low and high <= t.last:
            break
        t = tables_for(calendar, low, high)
    if missed is not None:

        def year_of(row: int) -> int:
            if outside is not None and outside[row]:
                return rows.year(local[row])
            return rows.year(t.epoch0 + t.size)

        refused = idle.copy()
        rows.refuse_rows(missed, refused, errors, calendar, year_of, shown)
        nulls |= refused & ~zero
        j = np.minimum(j, t.size - 1)
    remaining = target - t.before[j]
    due = t.starts_w[0][j] + remaining
    for w in range(1, len(t.starts_w)):
        previous = t.within_w[w - 1][j]
        due = np.where(remaining > previous, t.starts_w[w][j] + remaining - previous, due)
    return np.where(zero, utc, due)


def add_working_time(
    instants: Any, durations: Any, calendar: WorkCalendar, *, errors: str = "raise"
) -> Any:
    """The instant each duration of working time ends: `WorkCalendar.add_working_time`.

    A start outside working hours begins counting at the next window; a duration that
    ends exactly at the close of a window ends there; a zero duration gives the start.

    Args:
        instants: instants as a column (numpy `datetime64[us]` is UTC; Arrow and Polars
            timestamps need a zone).
        durations: durations of the same length (or one `timedelta` for every row).
        calendar: the working calendar.
        errors: `"raise"` (default) or `"null"` for rows the calendar cannot answer.

    Returns:
        Instants, of the kind of `instants` (Arrow and Polars: in the calendar's zone).

    Raises:
        InvalidPeriodError: a negative duration (names the first row).
        CalendarCoverageError: a start or an answer outside the covered years.
        BatchArgumentError: a column of a refused type or length, or a bad `errors`.
    """
    rows.choice(errors)
    col = rows.instants(instants, "instants")
    lengths = rows.durations(durations, len(col.values), col)
    rows.same_length(col, lengths)
    nulls = col.nulls | lengths.nulls
    rows.refuse_far(
        col.values, nulls, errors, calendar, lambda r: rows.shown(int(col.values[r]), "instant")
    )
    negative = (lengths.values < 0) & ~nulls
    if negative.any():
        row = int(np.flatnonzero(negative)[0])
        raise InvalidPeriodError(
            f"row {row}: duration must not be negative, got "
            f"{dt.timedelta(microseconds=int(lengths.values[row]))}"
        )
    wanted = np.where(nulls, 0, lengths.values)
    due = _add_time_us(
        col.values,
        wanted,
        nulls,
        calendar,
        errors,
        lambda r: rows.shown(int(col.values[r]), "instant"),
    )
    return output(due, nulls, "instant", col, calendar.timezone)


def working_time_between(
    start: Any, end: Any, calendar: WorkCalendar, *, errors: str = "raise"
) -> Any:
    """The working time inside `[start, end]` (negative if `end < start`), row by row.

    Args:
        start: instants as a column.
        end: instants of the same length.
        calendar: the working calendar.
        errors: `"raise"` (default) or `"null"` for rows outside the covered years.

    Returns:
        Durations, of the kind of `start`.

    Raises:
        CalendarCoverageError: an instant outside the covered years (names the first row).
        BatchArgumentError: a column of a refused type or length, or a bad `errors`.
    """
    rows.choice(errors)
    a, b = rows.instants(start, "start"), rows.instants(end, "end")
    rows.same_length(a, b)
    nulls = a.nulls | b.nulls
    da = rows.local_epoch_days(a.values, nulls, calendar)
    db = rows.local_epoch_days(b.values, nulls, calendar)
    t, ia, ib = _pair(
        da, db, nulls, calendar, errors, lambda c, r: rows.shown(int(c.values[r]), "instant"), a, b
    )
    used = rows.working_us(t, b.values, ib) - rows.working_us(t, a.values, ia)
    return output(used, nulls, "duration", a, calendar.timezone)


# ---------------------------------------------------------------------------- deadlines


def _day_ends(due: Ints, nulls: Mask, calendar: WorkCalendar) -> Ints:
    """The UTC microseconds each due day (a day number) ends (`end_of_local_day`), from
    the table or by asking the scalar rule once per distinct day outside it."""
    t = rows.tables(calendar, due, nulls)
    i = due - t.epoch0 + 1
    inside = (i >= 1) & (i <= t.size)
    ends = t.midnight[np.clip(i, 0, t.size)]
    far = ~inside & ~nulls
    if far.any():
        unique, inverse = np.unique(due[far], return_inverse=True)
        values = [
            as_us(end_of_local_day(dt.date.fromordinal(int(d) + EPOCH_ORDINAL), calendar))
            for d in unique
        ]
        ends[far] = np.array(values, dtype=np.int64)[inverse]
    return ends


def deadline(starts: Any, period: Period, calendar: WorkCalendar, *, errors: str = "raise") -> Any:
    """When each row falls due: `keyaccount.deadline(start, period, calendar).at`.

    Day periods (`Days`, `Workdays`) fall due at the end of the local due date;
    `Hours` exactly that much later; `WorkingHours` after that much working time.

    Args:
        starts: instants as a column.
        period: one `Days`, `Workdays`, `Hours` or `WorkingHours` for every row.
        calendar: the working calendar.
        errors: `"raise"` (default) or `"null"` for rows the calendar cannot answer.

    Returns:
        The due instants, of the kind of `starts` (Arrow and Polars: calendar's zone).

    Raises:
        InvalidPeriodError: `period` is not one of the four kinds.
        CalendarCoverageError: a working-day or working-time answer outside the data.
        DateOutOfRangeError: a deadline after 9999-12-31.
        BatchArgumentError: a column of a refused type, or a bad `errors`.
    """
    rows.choice(errors)
    col = rows.instants(starts, "starts")
    nulls = col.nulls.copy()

    def shown(row: int) -> str:
        return rows.shown(int(col.values[row]), "instant")

    def after(_row: int) -> int:
        return 10000

    rows.refuse_far(col.values, nulls, errors, calendar, shown)

    if isinstance(period, WorkingHours):
        wanted = np.where(nulls, 0, period.duration // dt.timedelta(microseconds=1))
        due = _add_time_us(col.values, wanted, nulls, calendar, errors, shown)
        return output(due, nulls, "instant", col, calendar.timezone)
    if isinstance(period, Hours):
        due = col.values + period.duration // dt.timedelta(microseconds=1)
        rows.refuse_rows(due > _LAST_US, nulls, errors, calendar, after, shown)
        return output(due, nulls, "instant", col, calendar.timezone)
    if not isinstance(period, (Days, Workdays)):
        raise InvalidPeriodError(
            f"period must be Days, Workdays, Hours or WorkingHours, got {period!r}"
        )
    local = rows.local_epoch_days(col.values, nulls, calendar, anywhere=isinstance(period, Days))
    if isinstance(period, Days):
        days = local + period.n
    else:
        counts = np.full(len(local), period.n, dtype=np.int64)
        days = _add_workday_days(local, counts, nulls, calendar, errors, shown)
    rows.refuse_rows(days + EPOCH_ORDINAL >= LAST_ORDINAL, nulls, errors, calendar, after, shown)
    rows.refuse_rows(days + EPOCH_ORDINAL < 1, nulls, errors, calendar, lambda _r: 0, shown)
    ends = _day_ends(np.where(nulls, 0, days), nulls, calendar)
    return output(ends, nulls, "instant", col, calendar.timezone)
