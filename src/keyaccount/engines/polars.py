"""The calendar's rules as Polars expressions, and the table rules on Polars frames.

Each expression helper wraps the `keyaccount.batch` rule of the same name in
`map_batches`: Polars hands it whole columns (chunks of them when it streams), so it is
the scalar rule's answer, row by row, at the speed of the batch kernels. Columns are
named by a string or given as expressions; a count ``n`` may be a plain `int`.

| helper | columns | answers |
|---|---|---|
| `is_workday(d, calendar)` | `Date` | `Boolean`: is `d` a working day |
| `add_workdays(d, n, calendar)` | `Date`, integer | `Date`: the n-th working day after `d` |
| `workdays_between(a, b, calendar)` | `Date`, `Date` | integer: working days in (a, b] |
| `add_working_time(ts, t, calendar)` | aware `Datetime`, `Duration` | `Datetime`, calendar's zone |
| `working_time_between(a, b, calendar)` | `Datetime`, `Datetime` (aware) | `Duration` |
| `deadline(ts, period, calendar)` | `Datetime` (aware) | `Datetime`: `Deadline.at` |

Nulls stay null; a date the calendar does not cover raises `CalendarCoverageError` when the
query runs (or gives null with ``errors="null"``); a naive `Datetime` is refused, never
guessed. `overdue_visits` and `sla` run the table rules of `keyaccount.batch` on Polars
frames (eager or lazy). Needs the `polars` extra (`pip install 'keyaccount[polars]'`).

Examples:
    >>> import datetime as dt
    >>> import polars as pl
    >>> from keyaccount import WorkCalendar
    >>> frame = pl.DataFrame({"d": [dt.date(2025, 9, 30), None]})
    >>> frame.select(add_workdays("d", 3, WorkCalendar.china()))["d"].to_list()
    [datetime.date(2025, 10, 11), None]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeAlias

from keyaccount.calendar import Period, WorkCalendar
from keyaccount.complaints import ComplaintPolicy
from keyaccount.engines import missing_extra
from keyaccount.errors import CalendarCoverageError, DateOutOfRangeError, KeyAccountError
from keyaccount.visits import VisitPolicy

try:
    import polars as pl
    import pyarrow as pa

    from keyaccount import batch
    from keyaccount.batch.complaints import sla_table as _sla_table
    from keyaccount.batch.visits import overdue_visits_table as _overdue_visits_table
except ImportError as _error:
    raise missing_extra("polars", _error) from None

__all__ = [
    "add_workdays",
    "add_working_time",
    "deadline",
    "is_workday",
    "overdue_visits",
    "sla",
    "workdays_between",
    "working_time_between",
]

Errors = Literal["raise", "null"]
#: A column: its name, or any Polars expression.
Column: TypeAlias = "str | pl.Expr"
#: A frame the table rules read: eager or lazy.
Frame: TypeAlias = "pl.DataFrame | pl.LazyFrame"


def is_workday(days: Column, calendar: WorkCalendar, *, errors: Errors = "raise") -> pl.Expr:
    """Whether each date of ``days`` is a working day (`WorkCalendar.is_workday`).

    Args:
        days: a `Date` column.
        calendar: the calendar the answer comes from.
        errors: ``"raise"`` or ``"null"`` for a date the calendar does not cover.

    Returns:
        A `Boolean` expression named like ``days``.
    """
    return _apply(batch.is_workday, (days,), (), calendar, errors, pl.Boolean)


def add_workdays(
    days: Column, n: Column | int, calendar: WorkCalendar, *, errors: Errors = "raise"
) -> pl.Expr:
    """The ``n``-th working day after each date (`WorkCalendar.add_workdays`).

    Args:
        days: a `Date` column.
        n: an integer column, or one `int` for every row.
        calendar: the calendar the answer comes from.
        errors: ``"raise"`` or ``"null"`` for a date the calendar does not cover.

    Returns:
        A `Date` expression named like ``days``.
    """
    if isinstance(n, int):
        return _apply(batch.add_workdays, (days,), (n,), calendar, errors, pl.Date)
    return _apply(batch.add_workdays, (days, n), (), calendar, errors, pl.Date)


def workdays_between(
    start: Column, end: Column, calendar: WorkCalendar, *, errors: Errors = "raise"
) -> pl.Expr:
    """The working days in the half-open range (start, end] (`WorkCalendar.workdays_between`).

    Args:
        start: a `Date` column.
        end: a `Date` column.
        calendar: the calendar the answer comes from.
        errors: ``"raise"`` or ``"null"`` for a date the calendar does not cover.

    Returns:
        An `Int64` expression named like ``start``.
    """
    return _apply(batch.workdays_between, (start, end), (), calendar, errors, pl.Int64)


def add_working_time(
    instants: Column, durations: Column, calendar: WorkCalendar, *, errors: Errors = "raise"
) -> pl.Expr:
    """The instant ``durations`` of working time after each instant
    (`WorkCalendar.add_working_time`).

    Args:
        instants: an aware `Datetime` column (any zone).
        durations: a `Duration` column.
        calendar: the calendar the answer comes from.
        errors: ``"raise"`` or ``"null"`` for a date the calendar does not cover.

    Returns:
        A `Datetime('us')` expression in the calendar's zone, named like ``instants``.
    """
    zoned = pl.Datetime("us", calendar.timezone)
    return _apply(batch.add_working_time, (instants, durations), (), calendar, errors, zoned)


def working_time_between(
    start: Column, end: Column, calendar: WorkCalendar, *, errors: Errors = "raise"
) -> pl.Expr:
    """The working time from each ``start`` to its ``end`` (`WorkCalendar.working_time_between`).

    Args:
        start: an aware `Datetime` column.
        end: an aware `Datetime` column.
        calendar: the calendar the answer comes from.
        errors: ``"raise"`` or ``"null"`` for a date the calendar does not cover.

    Returns:
        A `Duration('us')` expression named like ``start``.
    """
    duration = pl.Duration("us")
    return _apply(batch.working_time_between, (start, end), (), calendar, errors, duration)


def deadline(
    starts: Column, period: Period, calendar: WorkCalendar, *, errors: Errors = "raise"
) -> pl.Expr:
    """When something started at each instant falls due after ``period``
    (`keyaccount.deadline(...).at`).

    Args:
        starts: an aware `Datetime` column.
        period: one `Days`, `Workdays`, `Hours` or `WorkingHours` for every row.
        calendar: the calendar the answer comes from.
        errors: ``"raise"`` or ``"null"`` for a date the calendar does not cover.

    Returns:
        A `Datetime('us')` expression in the calendar's zone, named like ``starts``.
    """
    zoned = pl.Datetime("us", calendar.timezone)
    return _apply(batch.deadline, (starts,), (period,), calendar, errors, zoned)


def overdue_visits(
    customers: Frame,
    visits: Frame,
    policy: VisitPolicy,
    calendar: WorkCalendar,
    *,
    as_of: dt.datetime,
) -> pl.DataFrame:
    """The overdue visits of a book held in Polars frames (`keyaccount.overdue_visits`).

    The frames have the columns of `keyaccount.batch.overdue_visits_table`; lazy frames are
    collected first. The answer is that rule's table as a Polars frame.

    Args:
        customers: the customers table.
        visits: the visit records table.
        policy: the company's visit rules (`VisitPolicy`).
        calendar: the calendar deadlines and local days are computed on.
        as_of: the instant the rule is evaluated at.

    Returns:
        One row per overdue visit.
    """
    table = _overdue_visits_table(_arrow(customers), _arrow(visits), policy, calendar, as_of=as_of)
    return _polars(table)


def sla(
    events: Frame, policy: ComplaintPolicy, calendar: WorkCalendar, *, as_of: dt.datetime
) -> pl.DataFrame:
    """The SLA status of every complaint of an events frame (`keyaccount.sla_status`).

    The frame has the columns of `keyaccount.batch.sla_table`; a lazy frame is collected
    first. The answer is that rule's table as a Polars frame.

    Args:
        events: the complaint events table.
        policy: the targets of each kind of request (`ComplaintPolicy`).
        calendar: the calendar working time is counted on.
        as_of: the instant the rule is evaluated at.

    Returns:
        One row per complaint.
    """
    return _polars(_sla_table(_arrow(events), policy, calendar, as_of=as_of))


def _arrow(frame: Frame) -> pa.Table:
    eager = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    return eager.to_arrow()


def _polars(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)  # a Table always gives a DataFrame
    return frame


def _apply(
    rule: Callable[..., Any],
    columns: Sequence[Column],
    constants: Sequence[object],
    calendar: WorkCalendar,
    errors: Errors,
    dtype: Any,
) -> pl.Expr:
    """``rule(*columns, *constants, calendar, errors=errors)`` over whole Polars batches."""

    def on_batches(series: Sequence[pl.Series]) -> pl.Series:
        try:
            answer = rule(*series, *constants, calendar, errors=errors)
        except CalendarCoverageError as error:
            raise _in_query(error) from error
        found = answer if isinstance(answer, pl.Series) else pl.Series(answer)
        return found.alias(series[0].name)

    exprs = [pl.col(c) if isinstance(c, str) else c for c in columns]
    if len(exprs) == 1:
        return exprs[0].map_batches(
            lambda one: on_batches((one,)), return_dtype=dtype, is_elementwise=True
        )
    return pl.map_batches(exprs, on_batches, return_dtype=dtype, is_elementwise=True)


class _OutOfRangeInQueryError(DateOutOfRangeError):
    """A `DateOutOfRangeError` raised inside a Polars query.

    Polars re-raises an error of a function it ran as ``type(error)(message)`` (adding
    the expression to the message), which the calendar errors' own constructors do not
    take; this class takes the message alone. Its message is the original error's.
    """

    def __init__(self, message: str) -> None:
        KeyAccountError.__init__(self, message)


class _CoverageInQueryError(CalendarCoverageError):
    """A `CalendarCoverageError` raised inside a Polars query (see `_OutOfRangeInQueryError`)."""

    def __init__(self, message: str) -> None:
        KeyAccountError.__init__(self, message)


def _in_query(error: CalendarCoverageError) -> CalendarCoverageError:
    """``error`` as an error of the same kind that Polars can re-raise."""
    if isinstance(error, DateOutOfRangeError):
        return _OutOfRangeInQueryError(str(error))
    return _CoverageInQueryError(str(error))
