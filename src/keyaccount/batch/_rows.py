"""Which rows can a batch rule answer, and where do they fall in the day tables?

Private plumbing of `keyaccount.batch.calendar`: the `errors` choice, equal lengths, the
local date of each row (a date, or an instant's date in the calendar's zone), the table
index of each row and which rows lie outside, the working time up to an instant, and how
a refused row is reported (`CalendarCoverageError` naming the first row and its value,
or a null with `errors="null"`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from keyaccount.batch._arrays import Column, column, scalar_column
from keyaccount.batch._tables import (
    DAY_US,
    EPOCH_ORDINAL,
    LAST_ORDINAL,
    DayTables,
    tables_for,
    zone_for,
)
from keyaccount.errors import (
    BatchArgumentError,
    CalendarCoverageError,
    DateOutOfRangeError,
    InvalidArgumentTypeError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy.typing as npt

    from keyaccount.calendar.work_calendar import WorkCalendar

    Ints = npt.NDArray[np.int64]
    Mask = npt.NDArray[np.bool_]

__all__ = [
    "choice",
    "counts",
    "durations",
    "index",
    "instants",
    "local_days",
    "local_epoch_days",
    "refuse_rows",
    "same_length",
    "shown",
    "shown_day",
    "span_of",
    "tables",
    "working_us",
    "year",
]

_CHOICES: Final = ("raise", "null")
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: The UTC microseconds of 0001-01-01 and of the day after 9999-12-31.
_FIRST_US: Final = (1 - EPOCH_ORDINAL) * DAY_US
_END_US: Final = (LAST_ORDINAL + 1 - EPOCH_ORDINAL) * DAY_US


def choice(errors: str) -> str:
    if errors not in _CHOICES:
        raise BatchArgumentError(f'errors must be "raise" or "null", got {errors!r}')
    return errors


def same_length(*columns: Column) -> None:
    sizes = {len(c.values) for c in columns}
    if len(sizes) > 1:
        raise BatchArgumentError(f"the columns have different lengths: {sorted(sizes)}")


def shown(value: int, kind: str) -> str:
    """A row's value as a person reads it: a date or a UTC instant."""
    try:
        if kind == "date":
            return str(dt.date.fromordinal(value))
        return (_EPOCH + dt.timedelta(microseconds=value)).isoformat()
    except (OverflowError, ValueError):
        return f"{value} ({kind})"


def refuse_rows(
    bad: Mask,
    nulls: Mask,
    errors: str,
    calendar: WorkCalendar,
    year_of: Callable[[int], int],
    shown: Callable[[int], str],
) -> None:
    """Null the `bad` rows (errors="null", in `nulls`) or raise for the first one."""
    bad &= ~nulls
    if not bad.any():
        return
    if errors == "null":
        nulls |= bad
        return
    row = int(np.flatnonzero(bad)[0])
    year = year_of(row)
    where = f"row {row} ({shown(row)})"
    error: CalendarCoverageError
    if calendar.covered_years is not None and 1 <= year <= 9999:
        error = CalendarCoverageError(year, calendar.covered_years, f"{calendar.name} calendar")
    else:
        error = DateOutOfRangeError(f"the answer of {where}", after=year > 9999)
    error.args = (f"{where}: {error.args[0]}",)
    raise error


def refuse_far(
    utc: Ints, nulls: Mask, errors: str, calendar: WorkCalendar, shown: Callable[[int], str]
) -> None:
    """Refuse (or null) the instants before 0001-01-01 or after 9999-12-31 in UTC, as the
    scalar rules do (numpy's microseconds reach 290,000 years either way)."""
    early = utc < _FIRST_US
    refuse_rows(
        early | (utc >= _END_US),
        nulls,
        errors,
        calendar,
        lambda r: 0 if early[r] else 10000,
        shown,
    )


def year(epoch_day: int) -> int:
    """The year of a day number from 1970-01-01 (beyond 1-9999: 0 or 10000)."""
    ordinal = int(epoch_day) + EPOCH_ORDINAL
    if ordinal < 1:
        return 0
    return dt.date.fromordinal(ordinal).year if ordinal <= LAST_ORDINAL else 10000


def span_of(values: Ints, nulls: Mask) -> tuple[int, int] | None:
    """The least and greatest value of the rows that are not null (None: no such row)."""
    live = values[~nulls] if nulls.any() else values
    if not len(live):
        return None
    return int(live.min()), int(live.max())


def local_days(col: Column, calendar: WorkCalendar, what: str) -> Ints:
    """Day numbers (from 1970-01-01) of a date column, or the local dates of instants."""
    if col.kind == "date":
        return col.values
    if col.kind == "instant":
        return local_epoch_days(col.values, col.nulls, calendar)
    raise BatchArgumentError(f"{what} must be dates or instants, got {col.kind}s")


def local_epoch_days(
    utc: Ints, nulls: Mask, calendar: WorkCalendar, *, anywhere: bool = False
) -> Ints:
    """The local dates, in the calendar's zone, of UTC microseconds (day numbers).

    Unless `anywhere` (a `Days` deadline needs no holiday data), a calendar with covered
    years reads instants far outside them as the edge of that range plus two days: their
    rows are refused all the same, and the zone's table stays the size of the years.
    """
    # Instants days beyond the dates (numpy's microseconds reach 290,000 years) get a
    # day beyond 1-9999 (their rows are refused) and no table is built for them.
    early, late = utc < _FIRST_US - 2 * DAY_US, utc > _END_US + 2 * DAY_US
    far = early | late
    if far.any():
        days = local_epoch_days(np.where(far, 0, utc), nulls | far, calendar, anywhere=anywhere)
        days[early] = -EPOCH_ORDINAL - 10
        days[late] = LAST_ORDINAL - EPOCH_ORDINAL + 10
        return days
    span = span_of(utc, nulls)
    if span is None:
        return np.zeros(len(utc), dtype=np.int64)
    if calendar.covered_years is not None and not anywhere:
        first, last = calendar.covered_years
        low = (dt.date(first, 1, 1).toordinal() - EPOCH_ORDINAL - 2) * DAY_US
        high = (dt.date(last, 12, 31).toordinal() - EPOCH_ORDINAL + 3) * DAY_US
        if span[0] < low or span[1] > high:
            utc = np.clip(utc, low, high)
            span = (min(max(span[0], low), high), max(min(span[1], high), low))
    zone = zone_for(calendar, *span)
    first, last = np.searchsorted(zone.at, span, side="right")
    if first == last:  # one offset over all the rows: no lookup per row
        return np.floor_divide(utc + int(zone.offset[max(first - 1, 0)]), DAY_US)
    return zone.local_ordinals(utc) - EPOCH_ORDINAL


def tables(
    calendar: WorkCalendar, days: Ints, nulls: Mask, span: tuple[int, int] | None = None
) -> DayTables:
    if span is None:  # days beyond 1-9999 are held by no table (`index` refuses them)
        beyond = (days < 1 - EPOCH_ORDINAL) | (days > LAST_ORDINAL - EPOCH_ORDINAL)
        span = span_of(days, nulls | beyond if beyond.any() else nulls)
    if span is None:
        return tables_for(calendar, EPOCH_ORDINAL, EPOCH_ORDINAL)
    low, high = span
    # days beyond 1-9999 are held by no table: the rows outside are refused by `index`
    first = min(max(1, low + EPOCH_ORDINAL), LAST_ORDINAL)
    return tables_for(calendar, first, max(first, min(LAST_ORDINAL, high + EPOCH_ORDINAL)))


def index(
    t: DayTables, days: Ints, nulls: Mask, span: tuple[int, int] | None = None
) -> tuple[Ints, Mask | None]:
    """Table indexes of day numbers, and which rows lie outside the table (None: none).

    Null rows get a valid index (their answer is dropped). `span`: the days' `_span`,
    when the caller has it.
    """
    span = span_of(days, nulls) if span is None else span
    if span is None:
        return np.zeros(len(days), dtype=np.int64), None
    low, high = span
    if low >= t.epoch0 and high < t.epoch0 + t.size:
        i = days - t.epoch0
        if nulls.any():
            i[nulls] = 0
        return i, None
    i = days - t.epoch0
    outside = ((i < 0) | (i >= t.size)) & ~nulls
    return np.clip(i, 0, t.size - 1), outside


def instants(value: object, what: str) -> Column:
    col = column(value, what)
    if col.kind != "instant":
        raise BatchArgumentError(
            f"{what} must be instants (datetime64[us], timestamp with a zone), got {col.kind}s"
        )
    return col


def working_us(t: DayTables, utc: Ints, i: Ints) -> Ints:
    """Working microseconds from the table's first day to `utc` on day `i` (as the scalar)."""
    total = t.before[i]
    if t.ordered:  # windows follow each other: a clip per window
        for start, end in zip(t.starts_w, t.ends_w, strict=True):
            begun = start[i]
            total += np.maximum(np.minimum(utc, end[i]) - begun, 0)
        return total
    alive = np.ones(len(utc), dtype=bool)
    for start, end in zip(t.starts_w, t.ends_w, strict=True):
        begun = start[i]
        alive &= utc > begun  # the scalar stops at the first window not yet begun
        total += np.where(alive, np.minimum(utc, end[i]) - begun, 0)
    return total


def shown_day(col: Column, row: int) -> str:
    kind = "date" if col.kind == "date" else "instant"
    value = int(col.values[row]) + (EPOCH_ORDINAL if kind == "date" else 0)
    return shown(value, kind)


def counts(n: Any, size: int, like: Column) -> Column:
    if isinstance(n, int) and not isinstance(n, bool):
        # capped: any count this large lands beyond 9999-12-31 (and int64 holds it)
        return scalar_column(max(-(2**40), min(2**40, n)), size, like)
    if isinstance(n, (bool, float)) or type(n).__module__ == "builtins":
        raise InvalidArgumentTypeError(
            f"n must be an int or an integer column, got {type(n).__name__}"
        )
    counts = column(n, "n")
    if counts.kind != "int":
        raise BatchArgumentError(f"n must be integers, got {counts.kind}s")
    return counts


def durations(value: Any, size: int, like: Column) -> Column:
    if isinstance(value, dt.timedelta):
        us = value // dt.timedelta(microseconds=1)
        return Column(
            np.full(size, us, dtype=np.int64), np.zeros(size, bool), "duration", like.source
        )
    col = column(value, "durations")
    if col.kind != "duration":
        raise BatchArgumentError(
            f"durations must be timedelta64[us], duration('us') or Duration('us'), got {col.kind}s"
        )
    return col
