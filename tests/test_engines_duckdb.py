"""The calendar's rules as DuckDB SQL functions: equal to the scalar rules, row by row."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyaccount import WorkCalendar
from keyaccount.errors import MissingExtraError

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

import duckdb

from keyaccount.engines.duckdb import register

CALENDAR = WorkCalendar.china()
SHANGHAI = "Asia/Shanghai"
COVERED = st.dates(dt.date(2007, 1, 1), dt.date(2025, 12, 1))
INSTANTS = st.datetimes(
    dt.datetime(2007, 1, 1),  # noqa: DTZ001 - Hypothesis takes naive bounds
    dt.datetime(2025, 12, 1),  # noqa: DTZ001 - and adds the zone itself
    timezones=st.just(dt.UTC),
).map(lambda at: at.replace(microsecond=0))


@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    register(con, CALENDAR)
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    row = con.execute(sql, list(params)).fetchone()
    assert row is not None
    return row[0]


def test_register_names_the_five_functions_with_the_prefix() -> None:
    con = duckdb.connect()
    assert register(con, CALENDAR, prefix="cn_") == (
        "cn_is_workday",
        "cn_add_workdays",
        "cn_workdays_between",
        "cn_add_working_time",
        "cn_working_time_between",
    )
    assert _one(con, "SELECT cn_is_workday(DATE '2025-10-01')") is False


def test_national_day_week_in_sql(connection: duckdb.DuckDBPyConnection) -> None:
    # 2025-09-30 (Tuesday) + 3 working days skips the National Day week and its make-up
    # Saturday (2025-09-28 is before it): 10-09, 10-10, 10-11 (a make-up Saturday)
    assert _one(connection, "SELECT ka_add_workdays(DATE '2025-09-30', 3)") == dt.date(2025, 10, 11)
    assert _one(connection, "SELECT ka_is_workday(DATE '2025-10-11')") is True
    assert _one(connection, "SELECT ka_workdays_between(DATE '2025-09-30', DATE '2025-10-11')") == 3


@settings(max_examples=30, deadline=None)
@given(days=st.lists(COVERED, min_size=1, max_size=40), n=st.integers(-30, 30))
def test_date_functions_equal_the_scalar_rules(days: list[dt.date], n: int) -> None:
    con = duckdb.connect()
    register(con, CALENDAR)
    con.execute("CREATE TABLE t (i INTEGER, d DATE, e DATE)")
    rows = [(i, d, days[-1 - i]) for i, d in enumerate(days)]
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    found = con.execute(
        "SELECT ka_is_workday(d), ka_add_workdays(d, ?), ka_workdays_between(d, e) "
        "FROM t ORDER BY i",
        [n],
    ).fetchall()
    expected = [
        (CALENDAR.is_workday(d), CALENDAR.add_workdays(d, n), CALENDAR.workdays_between(d, e))
        for _, d, e in rows
    ]
    assert found == expected


@settings(max_examples=30, deadline=None)
@given(
    starts=st.lists(INSTANTS, min_size=1, max_size=30),
    minutes=st.integers(0, 60 * 24 * 20),
)
def test_working_time_functions_equal_the_scalar_rules(
    starts: list[dt.datetime], minutes: int
) -> None:
    con = duckdb.connect()
    register(con, CALENDAR)
    con.execute("CREATE TABLE t (i INTEGER, a TIMESTAMPTZ, b TIMESTAMPTZ)")
    rows = [(i, a, starts[-1 - i]) for i, a in enumerate(starts)]
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    found = con.execute(
        "SELECT ka_add_working_time(a, to_minutes(?)), ka_working_time_between(a, b) "
        "FROM t ORDER BY i",
        [minutes],
    ).fetchall()
    span = dt.timedelta(minutes=minutes)
    expected = [
        (CALENDAR.add_working_time(a, span), CALENDAR.working_time_between(a, b))
        for _, a, b in rows
    ]
    assert [(at.timestamp(), between) for at, between in found] == [
        (at.timestamp(), between) for at, between in expected
    ]


def test_nulls_give_null(connection: duckdb.DuckDBPyConnection) -> None:
    found = connection.execute(
        "SELECT ka_is_workday(NULL::DATE), ka_add_workdays(DATE '2025-10-01', NULL), "
        "ka_workdays_between(NULL, DATE '2025-10-01'), "
        "ka_add_working_time(NULL::TIMESTAMPTZ, INTERVAL 1 HOUR), "
        "ka_working_time_between(TIMESTAMPTZ '2025-10-01 09:00+08', NULL)"
    ).fetchone()
    assert found == (None, None, None, None, None)


def test_nulls_among_values_stay_in_their_rows(connection: duckdb.DuckDBPyConnection) -> None:
    found = connection.sql(
        "SELECT ka_add_workdays(d, 1) FROM (VALUES (1, DATE '2025-09-30'), (2, NULL), "
        "(3, DATE '2025-10-10')) t(i, d) ORDER BY i"
    ).fetchall()
    assert found == [(dt.date(2025, 10, 9),), (None,), (dt.date(2025, 10, 11),)]


def test_an_interval_of_microseconds_is_working_time(connection: duckdb.DuckDBPyConnection) -> None:
    start = pendulum.datetime(2025, 9, 30, 17, tz=SHANGHAI)
    two_hours = 2 * 3600 * 1_000_000
    found = _one(connection, "SELECT ka_add_working_time(?, to_microseconds(?))", start, two_hours)
    expected = CALENDAR.add_working_time(start, dt.timedelta(hours=2))
    assert isinstance(found, dt.datetime)
    assert found == expected


def test_an_uncovered_date_is_an_sql_error_naming_the_function_and_value(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(duckdb.Error, match=r"CalendarCoverageError: ka_add_workdays: ") as raised:
        connection.sql(
            "SELECT ka_add_workdays(d, 1) FROM (VALUES (DATE '2025-06-02'), "
            "(DATE '2031-06-02')) t(d)"
        ).fetchall()
    assert "2031" in str(raised.value)


def test_errors_null_gives_null_for_an_uncovered_date() -> None:
    con = duckdb.connect()
    register(con, CALENDAR, errors="null")
    found = con.sql(
        "SELECT ka_add_workdays(d, 1) FROM (VALUES (1, DATE '2025-06-02'), "
        "(2, DATE '2031-06-02')) t(i, d) ORDER BY i"
    ).fetchall()
    assert found == [(dt.date(2025, 6, 3),), (None,)]


def test_an_interval_of_months_is_refused(connection: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.Error, match="months have no fixed length"):
        connection.sql(
            "SELECT ka_add_working_time(TIMESTAMPTZ '2025-10-09 09:00+08', INTERVAL 1 MONTH)"
        ).fetchall()


def test_docs_example_queries_parquet_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    # The example of docs/at-scale.md ("Where the data lives"), line for line.
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    from keyaccount import WorkCalendar
    from keyaccount.engines.duckdb import register

    # Service tickets as a warehouse exports them: one Parquet file per month.
    pq.write_table(
        pa.table({"ticket": ["T-1"], "opened": [dt.date(2025, 9, 30)]}),
        "tickets-2025-09.parquet",
    )
    pq.write_table(
        pa.table(
            {"ticket": ["T-2", "T-3"], "opened": [dt.date(2025, 10, 8), dt.date(2025, 10, 13)]}
        ),
        "tickets-2025-10.parquet",
    )

    connection = duckdb.connect()
    register(connection, WorkCalendar.china())
    rows = connection.sql(
        """
        SELECT ticket, opened, ka_is_workday(opened) AS working, ka_add_workdays(opened, 3) AS due
        FROM read_parquet('tickets-*.parquet')
        ORDER BY ticket
        """
    ).fetchall()
    for row in rows:
        print(*row)  # noqa: T201 - the docs example prints its answer
    # T-1 2025-09-30 True 2025-10-11
    # T-2 2025-10-08 False 2025-10-11
    # T-3 2025-10-13 True 2025-10-16

    assert capsys.readouterr().out.splitlines() == [
        "T-1 2025-09-30 True 2025-10-11",
        "T-2 2025-10-08 False 2025-10-11",
        "T-3 2025-10-13 True 2025-10-16",
    ]


def test_without_duckdb_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)  # `import duckdb` now fails
    monkeypatch.delitem(sys.modules, "keyaccount.engines.duckdb")
    with pytest.raises(MissingExtraError, match=r"pip install 'keyaccount\[duckdb\]'"):
        importlib.import_module("keyaccount.engines.duckdb")
    monkeypatch.undo()
    importlib.import_module("keyaccount.engines.duckdb")


def test_importing_the_engines_package_imports_no_engine() -> None:
    import subprocess

    code = (
        "import sys, keyaccount, keyaccount.engines; "
        "print(sorted(m for m in ('duckdb', 'polars', 'pyspark', 'numpy', 'pyarrow') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
