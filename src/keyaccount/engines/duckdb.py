"""The calendar's rules as SQL functions of a DuckDB connection, vectorised through Arrow.

`register(connection, calendar)` adds five functions to a connection; each runs the
`keyaccount.batch` rule of the same name on a whole Arrow vector of rows at a time, so it
is the scalar rule's answer, row by row:

| SQL function | arguments | answers |
|---|---|---|
| `ka_is_workday(d)` | `DATE` | `BOOLEAN`: is `d` a working day |
| `ka_add_workdays(d, n)` | `DATE`, `BIGINT` | `DATE`: the n-th working day after `d` |
| `ka_workdays_between(a, b)` | `DATE`, `DATE` | `BIGINT`: working days in (a, b] |
| `ka_add_working_time(ts, i)` | `TIMESTAMPTZ`, `INTERVAL` | `TIMESTAMPTZ`: `i` of work later |
| `ka_working_time_between(a, b)` | `TIMESTAMPTZ`, `TIMESTAMPTZ` | `INTERVAL`: work from a to b |

A null argument gives a null answer. An interval counts its days as 24 hours (what Python's
`timedelta` does); an interval with months has no fixed length and is refused. A count of
microseconds is an interval with DuckDB's own `to_microseconds(n)`. A date the calendar does
not cover fails the query with the batch rule's error (its class, the row of DuckDB's vector
and the value), or, with `errors="null"`, gives null. Needs the `duckdb` extra
(`pip install 'keyaccount[duckdb]'`).

Examples:
    >>> import duckdb
    >>> from keyaccount import WorkCalendar
    >>> connection = duckdb.connect()
    >>> register(connection, WorkCalendar.china())[1]
    'ka_add_workdays'
    >>> connection.execute("SELECT ka_add_workdays(DATE '2025-09-30', 3)").fetchone()
    (datetime.date(2025, 10, 11),)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

from keyaccount.calendar import WorkCalendar
from keyaccount.engines import missing_extra
from keyaccount.errors import InvalidPeriodError, KeyAccountError

try:
    import duckdb
    import numpy as np
    import pyarrow as pa
    from duckdb.func import FunctionNullHandling, PythonUDFType

    from keyaccount import batch
except ImportError as _error:
    raise missing_extra("duckdb", _error) from None

__all__ = ["register"]

_MICROS_PER_DAY: Final = 86_400_000_000
#: The layout of one value of an Arrow ``month_day_nano_interval`` array (DuckDB's INTERVAL).
_INTERVAL: Final = np.dtype([("months", "<i4"), ("days", "<i4"), ("nanos", "<i8")])

Errors = Literal["raise", "null"]
_Kernel = Callable[..., pa.Array | pa.ChunkedArray]


def register(
    connection: duckdb.DuckDBPyConnection,
    calendar: WorkCalendar,
    *,
    prefix: str = "ka_",
    errors: Errors = "raise",
) -> tuple[str, ...]:
    """Make the calendar's rules SQL functions of ``connection`` (see the module's table).

    The functions are deterministic and free of side effects, so DuckDB may fold a call on
    constants; each call answers a whole vector (up to 2,048 rows) with one
    `keyaccount.batch` call. Registering the same names twice on one connection is an
    error of DuckDB's: use another ``prefix`` for a second calendar.

    Args:
        connection: the DuckDB connection to add the functions to.
        calendar: the calendar every function answers on.
        prefix: the start of every function's name.
        errors: ``"raise"``: a date the calendar does not cover fails the query;
            ``"null"``: it gives null.

    Returns:
        The names of the functions registered, in the order of the module's table.

    Raises:
        duckdb.Error: DuckDB refused a registration (a name already taken).
    """
    functions: tuple[tuple[str, _Kernel, list[str], str], ...] = (
        ("is_workday", _kernel(batch.is_workday, calendar, errors), ["DATE"], "BOOLEAN"),
        ("add_workdays", _kernel(batch.add_workdays, calendar, errors), ["DATE", "BIGINT"], "DATE"),
        (
            "workdays_between",
            _kernel(batch.workdays_between, calendar, errors),
            ["DATE", "DATE"],
            "BIGINT",
        ),
        (
            "add_working_time",
            _kernel(_add_working_interval, calendar, errors),
            ["TIMESTAMPTZ", "INTERVAL"],
            "TIMESTAMPTZ",
        ),
        (
            "working_time_between",
            _kernel(batch.working_time_between, calendar, errors),
            ["TIMESTAMPTZ", "TIMESTAMPTZ"],
            "INTERVAL",
        ),
    )
    names = []
    for name, kernel, parameters, returns in functions:
        sql_name = f"{prefix}{name}"
        connection.create_function(
            sql_name,
            _naming(sql_name, kernel, len(parameters)),
            parameters,  # type: ignore[arg-type]  # DuckDB parses type names
            returns,
            type=PythonUDFType.ARROW,
            null_handling=FunctionNullHandling.SPECIAL,  # nulls reach the batch rule
            side_effects=False,
        )
        names.append(sql_name)
    return tuple(names)


def _kernel(rule: _Kernel, calendar: WorkCalendar, errors: Errors) -> _Kernel:
    """``rule`` on DuckDB's Arrow vectors, on ``calendar``, with the caller's ``errors``."""

    def kernel(*columns: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        return rule(*(_one_array(c) for c in columns), calendar, errors=errors)

    return kernel


def _naming(sql_name: str, kernel: _Kernel, arity: int) -> _Kernel:
    """``kernel`` taking ``arity`` vectors (DuckDB counts a function's parameters), whose
    errors start with the SQL function's name (what the failed query shows)."""

    def named(*columns: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        try:
            return kernel(*columns)
        except KeyAccountError as error:
            rows = len(columns[0]) if columns else 0
            error.args = (f"{sql_name}: {error} (in a DuckDB vector of {rows} rows)",)
            raise

    def one(a: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        return named(a)

    def two(a: pa.ChunkedArray, b: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        return named(a, b)

    return one if arity == 1 else two


def _one_array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """DuckDB's vector as one Arrow array (it always sends one chunk; a copy otherwise)."""
    if isinstance(column, pa.ChunkedArray):
        return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return column


def _add_working_interval(
    instants: pa.Array, intervals: pa.Array, calendar: WorkCalendar, *, errors: Errors
) -> pa.Array | pa.ChunkedArray:
    """`batch.add_working_time` with DuckDB's INTERVAL values as microsecond durations."""
    return batch.add_working_time(instants, _durations(intervals), calendar, errors=errors)


def _durations(intervals: pa.Array) -> pa.Array:
    """Arrow ``month_day_nano_interval`` values as ``duration('us')`` (days are 24 hours).

    Raises:
        InvalidPeriodError: an interval has months (no fixed length) or a part of a
            microsecond.
    """
    if pa.types.is_duration(intervals.type):
        return intervals.cast(pa.duration("us"))
    valid = np.ones(len(intervals), bool)
    if intervals.null_count:
        valid = intervals.is_valid().to_numpy(zero_copy_only=False)
    raw = np.frombuffer(
        intervals.buffers()[1], dtype=_INTERVAL, count=intervals.offset + len(intervals)
    )[intervals.offset :]
    months = raw["months"] != 0
    inexact = raw["nanos"] % 1000 != 0
    bad = np.flatnonzero(valid & (months | inexact))
    if bad.size:
        row = int(bad[0])
        reason = "months have no fixed length" if months[row] else "below a microsecond"
        raise InvalidPeriodError(
            f"working time must be an interval of days, hours, minutes and seconds: row {row} "
            f"is {intervals[row].as_py()} ({reason})"
        )
    micros = raw["days"].astype(np.int64) * _MICROS_PER_DAY + raw["nanos"] // 1000
    return pa.array(micros, type=pa.duration("us"), mask=~valid)
