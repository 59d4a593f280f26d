"""keyaccount.batch: the calendar's rules over numpy, pyarrow and Polars columns.

Every kernel is compared row by row with the scalar rule on generated rows: dates across
holidays and make-up days, instants in several zones (the China calendar moved to New
York's daylight-saving zone, and company calendars in any zone), negative and zero
counts, nulls, and rows outside the covered years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
import pendulum
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyaccount import Days, Hours, WorkCalendar, Workdays, WorkingHours, batch, deadline
from keyaccount.errors import (
    BatchArgumentError,
    CalendarCoverageError,
    InvalidArgumentTypeError,
    InvalidPeriodError,
    KeyAccountError,
)
from keyaccount.testing import company_calendars

CHINA = WorkCalendar.china()
CHINA_NY = WorkCalendar.china(timezone="America/New_York")
FIRST, LAST = CHINA.covered_years or (0, 0)
KINDS = ("numpy", "arrow", "chunked", "polars")
UTC = dt.UTC
NAIVE = dt.datetime(2025, 1, 1)  # noqa: DTZ001 - a naive timestamp, to be refused
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

calendars = st.sampled_from([CHINA, CHINA_NY]) | company_calendars()


# ----------------------------------------------------------------------------- columns


def dates_column(kind: str, values: list[dt.date | None]) -> Any:
    if kind == "numpy":
        return np.array(
            [np.datetime64(v, "D") if v else np.datetime64("NaT") for v in values], "datetime64[D]"
        )
    if kind == "polars":
        return pl.Series("d", values, dtype=pl.Date)
    array = pa.array(values, type=pa.date32())
    return pa.chunked_array([array[:1], array[1:]]) if kind == "chunked" else array


def instants_column(
    kind: str, values: Sequence[dt.datetime | None], zone: str = "Asia/Tokyo"
) -> Any:
    utc = [None if v is None else v.astimezone(UTC) for v in values]
    if kind == "numpy":
        return np.array(
            [
                np.datetime64(v.replace(tzinfo=None), "us") if v else np.datetime64("NaT")
                for v in utc
            ],
            "datetime64[us]",
        )
    if kind == "polars":
        return pl.Series("t", utc, dtype=pl.Datetime("us", "UTC")).dt.convert_time_zone(zone)
    array = pa.array(utc, type=pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us", tz=zone))
    return pa.chunked_array([array]) if kind == "chunked" else array


def durations_column(kind: str, values: Sequence[dt.timedelta | None]) -> Any:
    if kind == "numpy":
        return np.array(
            [np.timedelta64(v, "us") if v is not None else np.timedelta64("NaT") for v in values],
            "timedelta64[us]",
        )
    if kind == "polars":
        return pl.Series("d", values, dtype=pl.Duration("us"))
    array = pa.array(values, type=pa.duration("us"))
    return pa.chunked_array([array]) if kind == "chunked" else array


def ints_column(kind: str, values: list[int | None]) -> Any:
    if kind == "numpy":
        return np.ma.MaskedArray(
            [v or 0 for v in values], mask=[v is None for v in values], dtype=np.int64
        )
    if kind == "polars":
        return pl.Series("n", values, dtype=pl.Int64)
    array = pa.array(values, type=pa.int64())
    return pa.chunked_array([array]) if kind == "chunked" else array


def as_list(result: Any, kind: str) -> Any:
    """A result as Python values (instants aware in UTC, None for nulls)."""
    if kind == "numpy":
        assert isinstance(result, np.ndarray)
        if isinstance(result, np.ma.MaskedArray):
            return result.tolist()
        values = result.astype(object).tolist()
        if result.dtype == np.dtype("datetime64[us]"):
            return [None if v is None else v.replace(tzinfo=UTC) for v in values]
        return values
    if kind == "polars":
        assert isinstance(result, pl.Series)
        return result.to_list()
    expected_type = pa.ChunkedArray if kind == "chunked" else pa.Array
    assert isinstance(result, expected_type)
    return result.to_pylist()


def scalar(rule: Callable[..., Any], *args: Any) -> Any:
    """The scalar answer, or the string "error" for a row the calendar cannot answer."""
    try:
        return rule(*args)
    except CalendarCoverageError:
        return "error"


def check(got: list[Any], expected: list[Any]) -> None:
    assert len(got) == len(expected)
    for row, (g, wanted) in enumerate(zip(got, expected, strict=True)):
        e = None if wanted == "error" else wanted
        if isinstance(e, dt.datetime) and g is not None:
            assert g.tzinfo is not None
            assert g == e, (row, g, e)
        else:
            assert g == e, (row, g, e)


def run(call: Callable[..., Any], expected: list[Any], kind: str) -> None:
    """errors="null" equals the scalar rule row by row; errors="raise" names the first bad row."""
    check(as_list(call(errors="null"), kind), expected)
    bad = [i for i, e in enumerate(expected) if e == "error"]
    if bad:
        with pytest.raises(CalendarCoverageError, match=rf"^row {bad[0]} \("):
            call()
    else:
        check(as_list(call(), kind), expected)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy | strategy | strategy


# ----------------------------------------------------------------------------- strategies

#: Dates mostly in the covered years, some just outside (a coverage error for China).
days = (
    st.dates(dt.date(FIRST, 1, 1), dt.date(LAST, 12, 31))
    | st.dates(dt.date(FIRST - 1, 12, 1), dt.date(FIRST, 1, 31))
    | st.dates(dt.date(LAST, 12, 1), dt.date(LAST + 1, 1, 31))
    | st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
)
zones = st.sampled_from(
    ["UTC", "Asia/Shanghai", "America/New_York", "Europe/London", "Asia/Kolkata"]
)


@st.composite
def instants(draw: st.DrawFn) -> dt.datetime:
    day = draw(days)
    minute = draw(st.integers(0, 24 * 60 - 1))
    micro = draw(st.sampled_from([0, 0, 0, 1, 999_999]))
    local = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute, microseconds=micro)
    return local.replace(tzinfo=pendulum.timezone(draw(zones)))


durations = (
    st.integers(0, 200 * 60).map(lambda m: dt.timedelta(minutes=m))
    | st.integers(0, 10**12).map(lambda us: dt.timedelta(microseconds=us))
    | st.just(dt.timedelta(0))
)
rows = st.integers(1, 12)


# ----------------------------------------------------------------------------- days


@SETTINGS
@given(calendars, st.lists(maybe(days), min_size=1, max_size=12), st.sampled_from(KINDS))
def test_is_workday_equals_the_scalar_rule(cal: WorkCalendar, values: list[Any], kind: str) -> None:
    expected = [None if v is None else scalar(cal.is_workday, v) for v in values]
    run(partial(batch.is_workday, dates_column(kind, values), cal), expected, kind)


@SETTINGS
@given(
    calendars,
    st.lists(st.tuples(maybe(days), maybe(st.integers(-40, 40))), min_size=1, max_size=12),
    st.sampled_from(KINDS),
    st.booleans(),
)
def test_add_workdays_equals_the_scalar_rule(
    cal: WorkCalendar, pairs: list[Any], kind: str, broadcast: bool
) -> None:
    values = [d for d, _ in pairs]
    counts = [n for _, n in pairs]
    if broadcast:
        counts = [counts[0] if counts[0] is not None else -3] * len(values)
    expected = [
        None if d is None or n is None else scalar(cal.add_workdays, d, n)
        for d, n in zip(values, counts, strict=True)
    ]
    n_arg = counts[0] if broadcast else ints_column(kind, counts)
    run(partial(batch.add_workdays, dates_column(kind, values), n_arg, cal), expected, kind)


@SETTINGS
@given(
    calendars,
    st.lists(st.tuples(maybe(days), maybe(days)), min_size=1, max_size=12),
    st.sampled_from(KINDS),
)
def test_workdays_between_equals_the_scalar_rule(
    cal: WorkCalendar, pairs: list[Any], kind: str
) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    expected = [
        None if x is None or y is None else scalar(cal.workdays_between, x, y) for x, y in pairs
    ]
    run(
        partial(batch.workdays_between, dates_column(kind, a), dates_column(kind, b), cal),
        expected,
        kind,
    )


@SETTINGS
@given(calendars, st.lists(maybe(instants()), min_size=1, max_size=10), st.sampled_from(KINDS))
def test_instants_are_taken_as_their_local_date(
    cal: WorkCalendar, values: list[Any], kind: str
) -> None:
    expected = [None if v is None else scalar(cal.is_workday, v) for v in values]
    run(partial(batch.is_workday, instants_column(kind, values), cal), expected, kind)


# ----------------------------------------------------------------------------- working time


def _utc(value: Any) -> Any:
    return value if value in (None, "error") else value.astimezone(UTC)


@SETTINGS
@given(
    calendars,
    st.lists(st.tuples(maybe(instants()), maybe(durations)), min_size=1, max_size=10),
    st.sampled_from(KINDS),
)
def test_add_working_time_equals_the_scalar_rule(
    cal: WorkCalendar, pairs: list[Any], kind: str
) -> None:
    starts, lengths = [p[0] for p in pairs], [p[1] for p in pairs]
    expected = [
        None if a is None or d is None else _utc(scalar(cal.add_working_time, a, d))
        for a, d in pairs
    ]
    run(
        partial(
            batch.add_working_time,
            instants_column(kind, starts),
            durations_column(kind, lengths),
            cal,
        ),
        expected,
        kind,
    )


@SETTINGS
@given(
    calendars,
    st.lists(st.tuples(maybe(instants()), maybe(instants())), min_size=1, max_size=10),
    st.sampled_from(KINDS),
)
def test_working_time_between_equals_the_scalar_rule(
    cal: WorkCalendar, pairs: list[Any], kind: str
) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    expected = [
        None if x is None or y is None else scalar(cal.working_time_between, x, y) for x, y in pairs
    ]
    run(
        partial(
            batch.working_time_between, instants_column(kind, a), instants_column(kind, b), cal
        ),
        expected,
        kind,
    )


periods = (
    st.integers(0, 40).map(Days)
    | st.integers(0, 40).map(Workdays)
    | st.tuples(st.integers(0, 300), st.integers(0, 59)).map(lambda p: Hours(*p))
    | st.tuples(st.integers(0, 300), st.integers(0, 59)).map(lambda p: WorkingHours(*p))
)


@SETTINGS
@given(
    calendars, st.lists(maybe(instants()), min_size=1, max_size=10), periods, st.sampled_from(KINDS)
)
def test_deadline_equals_the_scalar_rule(
    cal: WorkCalendar, values: list[Any], period: Any, kind: str
) -> None:
    expected = [
        None if v is None else _utc(scalar(lambda v: deadline(v, period, cal).at, v))
        for v in values
    ]
    run(partial(batch.deadline, instants_column(kind, values), period, cal), expected, kind)


# ----------------------------------------------------------------------------- examples


def test_arrow_and_polars_answers_are_in_the_calendars_zone() -> None:
    start = dt.datetime(2026, 2, 13, 17, 30, tzinfo=pendulum.timezone("Asia/Shanghai"))
    arrow = batch.add_working_time(instants_column("arrow", [start]), dt.timedelta(hours=9), CHINA)
    assert arrow.type == pa.timestamp("us", tz="Asia/Shanghai")
    assert arrow.to_pylist()[0] == dt.datetime(
        2026, 2, 24, 9, 30, tzinfo=pendulum.timezone("Asia/Shanghai")
    )
    polars = batch.add_working_time(
        instants_column("polars", [start]), dt.timedelta(hours=9), CHINA
    )
    assert polars.dtype == pl.Datetime("us", "Asia/Shanghai")
    assert polars.name == "t"


def test_the_first_uncovered_row_is_named_with_its_value() -> None:
    values = [dt.date(2025, 1, 6), None, dt.date(LAST + 1, 1, 2), dt.date(FIRST - 1, 5, 1)]
    with pytest.raises(CalendarCoverageError, match=rf"row 2 \({LAST + 1}-01-02\)"):
        batch.is_workday(dates_column("numpy", values), CHINA)
    got = batch.is_workday(dates_column("arrow", values), CHINA, errors="null").to_pylist()
    assert got == [True, None, None, None]


def test_a_zero_duration_gives_the_start_even_outside_the_covered_years() -> None:
    start = dt.datetime(LAST + 3, 1, 1, tzinfo=UTC)
    got = batch.add_working_time(instants_column("arrow", [start]), dt.timedelta(0), CHINA)
    assert got.to_pylist() == [start]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: batch.is_workday(np.array([1.5, 2.0]), CHINA), BatchArgumentError),
        (lambda: batch.is_workday(pa.array([NAIVE]), CHINA), BatchArgumentError),
        (lambda: batch.is_workday(pl.Series([NAIVE]), CHINA), BatchArgumentError),
        (lambda: batch.is_workday(pa.array(["2025-01-01"]), CHINA), BatchArgumentError),
        (lambda: batch.is_workday([dt.date(2025, 1, 1)], CHINA), BatchArgumentError),
        (
            lambda: batch.add_workdays(
                dates_column("numpy", [dt.date(2025, 1, 1)] * 2), np.array([1, 2, 3]), CHINA
            ),
            BatchArgumentError,
        ),
        (
            lambda: batch.add_workdays(dates_column("numpy", [dt.date(2025, 1, 1)]), True, CHINA),
            InvalidArgumentTypeError,
        ),
        (
            lambda: batch.add_workdays(dates_column("numpy", [dt.date(2025, 1, 1)]), 1.0, CHINA),
            InvalidArgumentTypeError,
        ),
        (
            lambda: batch.add_workdays(
                dates_column("numpy", [dt.date(2025, 1, 1)]), np.array([1.0]), CHINA
            ),
            BatchArgumentError,
        ),
        (
            lambda: batch.is_workday(dates_column("numpy", [None]), CHINA, errors="skip"),
            BatchArgumentError,
        ),
        (
            lambda: batch.add_working_time(
                np.array(["2025-01-02T01:00:00.000000001"], "datetime64[ns]"),
                dt.timedelta(hours=1),
                CHINA,
            ),
            BatchArgumentError,
        ),
        (
            lambda: batch.add_working_time(
                np.array(["2025-01-02T01:00"], "datetime64[us]"), dt.timedelta(hours=-1), CHINA
            ),
            InvalidPeriodError,
        ),
        (
            lambda: batch.add_working_time(
                dates_column("numpy", [dt.date(2025, 1, 1)]), dt.timedelta(hours=1), CHINA
            ),
            BatchArgumentError,
        ),
        (
            lambda: batch.deadline(
                np.array(["2025-01-02T01:00"], "datetime64[us]"),
                dt.timedelta(hours=1),  # type: ignore[arg-type]
                CHINA,
            ),
            InvalidPeriodError,
        ),
    ],
)
def test_unusable_arguments_are_typed_errors(
    call: Callable[[], Any], error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        call()
    assert isinstance(caught.value, KeyAccountError)


def test_other_units_are_converted_exactly() -> None:
    seconds = pa.array([dt.datetime(2025, 1, 2, 1, tzinfo=UTC)], type=pa.timestamp("s", tz="UTC"))
    micro = pa.array([dt.datetime(2025, 1, 2, 1, tzinfo=UTC)], type=pa.timestamp("us", tz="UTC"))
    hour = dt.timedelta(hours=1)
    assert batch.add_working_time(seconds, hour, CHINA) == batch.add_working_time(
        micro, hour, CHINA
    )
    nanos = np.array(["2025-01-02T01:00"], "datetime64[ns]")
    assert (
        batch.add_working_time(nanos, hour, CHINA)
        == batch.add_working_time(nanos.astype("datetime64[us]"), hour, CHINA)
    ).all()


def test_numpy_counts_and_flags_are_masked_arrays() -> None:
    got = batch.workdays_between(
        dates_column("numpy", [dt.date(2025, 9, 30), None]),
        dates_column("numpy", [dt.date(2025, 10, 9), dt.date(2025, 10, 9)]),
        CHINA,
    )
    assert isinstance(got, np.ma.MaskedArray)
    assert got.tolist() == [1, None]


def test_batch_is_reachable_but_not_imported_by_the_package() -> None:
    import subprocess
    import sys

    code = (
        "import sys, keyaccount; assert 'numpy' not in sys.modules, 'numpy imported';"
        "assert 'keyaccount.batch' not in sys.modules; keyaccount.batch.is_workday"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("cal", [CHINA, CHINA_NY])
def test_a_duration_ending_at_a_windows_close_ends_there(cal: WorkCalendar) -> None:
    zone = pendulum.timezone(cal.timezone)
    starts = [
        dt.datetime(2026, 2, 13, 17, 30, tzinfo=zone),  # + 30 min: 18:00 Friday, not Monday
        dt.datetime(2026, 2, 13, 11, 0, tzinfo=zone),  # + 1 h: 12:00, not 13:00
        dt.datetime(2025, 9, 30, 9, 0, tzinfo=zone),  # + 8 h: 18:00 before the break
        dt.datetime(2024, 11, 1, 9, 0, tzinfo=zone),  # New York's clock change on the 3rd
        dt.datetime(2024, 3, 8, 13, 0, tzinfo=zone),  # and on 10 March
    ]
    lengths = [dt.timedelta(minutes=30), dt.timedelta(hours=1), dt.timedelta(hours=8)]
    lengths += [dt.timedelta(hours=16), dt.timedelta(hours=5)]
    expected = [cal.add_working_time(a, d) for a, d in zip(starts, lengths, strict=True)]
    assert expected[0].hour == 18
    for kind in KINDS:
        got = as_list(
            batch.add_working_time(
                instants_column(kind, starts), durations_column(kind, lengths), cal
            ),
            kind,
        )
        check(got, expected)


def test_far_instants_are_refused_at_once_and_days_deadlines_answered() -> None:
    far = [dt.datetime(9000, 6, 1, tzinfo=UTC), dt.datetime(2025, 6, 3, 12, tzinfo=UTC)]
    column = instants_column("arrow", far)
    with pytest.raises(CalendarCoverageError, match=r"^row 0 \(9000-06-01"):
        batch.add_working_time(column, dt.timedelta(hours=1), CHINA)
    got = batch.deadline(column, Days(3), CHINA).to_pylist()
    assert got == [deadline(a, Days(3), CHINA).at for a in far]


def test_sliced_arrow_arrays_are_read_from_their_offset() -> None:
    days = [dt.date(2025, 9, 26) + dt.timedelta(days=i) for i in range(20)]
    whole = pa.array(days, type=pa.date32())
    counts = pa.array(range(-5, 15), type=pa.int32())
    got = batch.add_workdays(whole[4:], counts[2:18], CHINA).to_pylist()
    expected = [CHINA.add_workdays(d, n) for d, n in zip(days[4:], range(-3, 13), strict=True)]
    assert got == expected


# ----------------------------------------------------------------------------- far away

#: numpy's microseconds reach 290,000 years: rows beyond 9999-12-31 (or before year 1).
FAR = np.array(
    [
        np.datetime64("2025-10-09T02:00", "us"),
        np.datetime64(2**62, "us"),
        np.datetime64(-(2**62), "us"),
    ]
)


def test_instants_beyond_the_dates_are_refused_row_by_row() -> None:
    """Once a bare ValueError (a negative table size), or a zone table of 146,000 years."""
    company = WorkCalendar(timezone="Europe/Berlin")
    zero = np.zeros(3, "timedelta64[us]")
    for cal in (company, CHINA):
        with pytest.raises(KeyAccountError, match=r"^row 1 \("):
            batch.is_workday(FAR, cal)
        assert as_list(batch.is_workday(FAR, cal, errors="null"), "numpy")[1:] == [None, None]
        with pytest.raises(KeyAccountError, match=r"^row 1 \("):
            batch.add_working_time(FAR, zero, cal)
        assert as_list(batch.add_working_time(FAR, zero, cal, errors="null"), "numpy")[1:] == [
            None,
            None,
        ]
        for period in (Days(1), Hours(1), Workdays(1)):
            got = as_list(batch.deadline(FAR, period, cal, errors="null"), "numpy")
            assert got[1:] == [None, None], period
        alone = batch.is_workday(FAR[1:2], cal, errors="null")
        assert as_list(alone, "numpy") == [None]


def test_counts_too_large_for_int64_never_wrap_round() -> None:
    """A uint64 count of 2**64 - 1 once read as -1; a Python int of 2**70, an OverflowError."""
    days = [dt.date(2025, 10, 9), dt.date(2025, 10, 9)]
    big = 2**64 - 1
    columns = [
        (np.array(days, "datetime64[D]"), np.array([big, 1], np.uint64), "numpy"),
        (pa.array(days), pa.array([big, 1], pa.uint64()), "arrow"),
        (pa.array(days), pa.array([big, None], pa.uint64()), "arrow"),
        (pl.Series(days, dtype=pl.Date), pl.Series([big, 1], dtype=pl.UInt64), "polars"),
    ]
    for cal in (CHINA, WorkCalendar(timezone="Europe/Berlin")):
        for dates, n, kind in columns:
            got = as_list(batch.add_workdays(dates, n, cal, errors="null"), kind)
            assert got[0] is None, (kind, got)
            with pytest.raises(KeyAccountError, match=r"^row 0 \("):
                batch.add_workdays(dates, n, cal)
        for n in (2**70, -(2**70)):
            with pytest.raises(KeyAccountError, match=r"^row 0 \("):
                batch.add_workdays(pa.array(days), n, cal)
