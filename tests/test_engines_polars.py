"""The calendar's rules as Polars expressions: equal to the scalar rules, row by row."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyaccount import Days, WorkCalendar, Workdays, WorkingHours, deadline
from keyaccount.errors import BatchArgumentError, CalendarCoverageError, MissingExtraError

pytest.importorskip("polars")
pytest.importorskip("pyarrow")

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from keyaccount.engines import polars as kp

CALENDAR = WorkCalendar.china()
SHANGHAI = "Asia/Shanghai"
COVERED = st.dates(dt.date(2007, 1, 1), dt.date(2025, 12, 1))
INSTANTS = st.datetimes(
    dt.datetime(2007, 1, 1),  # noqa: DTZ001 - Hypothesis takes naive bounds
    dt.datetime(2025, 12, 1),  # noqa: DTZ001 - and adds the zone itself
    timezones=st.just(dt.UTC),
).map(lambda at: at.replace(microsecond=0))


@settings(max_examples=30, deadline=None)
@given(
    days=st.lists(st.one_of(st.none(), COVERED), min_size=1, max_size=40),
    counts=st.lists(st.integers(-30, 30), min_size=40, max_size=40),
)
def test_date_expressions_equal_the_scalar_rules(
    days: list[dt.date | None], counts: list[int]
) -> None:
    ends = list(reversed(days))
    frame = pl.DataFrame(
        {"d": days, "e": ends, "n": counts[: len(days)]},
        schema={"d": pl.Date, "e": pl.Date, "n": pl.Int64},
    )
    found = frame.select(
        kp.is_workday("d", CALENDAR).alias("work"),
        kp.add_workdays(pl.col("d"), pl.col("n"), CALENDAR).alias("later"),
        kp.add_workdays("d", 3, CALENDAR).alias("three"),
        kp.workdays_between("d", "e", CALENDAR).alias("between"),
    )
    expected = [
        {
            "work": None if d is None else CALENDAR.is_workday(d),
            "later": None if d is None else CALENDAR.add_workdays(d, n),
            "three": None if d is None else CALENDAR.add_workdays(d, 3),
            "between": None if d is None or e is None else CALENDAR.workdays_between(d, e),
        }
        for d, e, n in zip(days, ends, counts, strict=False)
    ]
    assert found.to_dicts() == expected


@settings(max_examples=30, deadline=None)
@given(
    starts=st.lists(INSTANTS, min_size=1, max_size=30),
    minutes=st.integers(0, 60 * 24 * 20),
)
def test_working_time_expressions_equal_the_scalar_rules(
    starts: list[dt.datetime], minutes: int
) -> None:
    span = dt.timedelta(minutes=minutes)
    frame = pl.DataFrame(
        {"a": starts, "b": list(reversed(starts)), "t": [span] * len(starts)},
        schema={
            "a": pl.Datetime("us", "UTC"),
            "b": pl.Datetime("us", "UTC"),
            "t": pl.Duration("us"),
        },
    )
    found = frame.select(
        kp.add_working_time("a", "t", CALENDAR).alias("later"),
        kp.working_time_between("a", "b", CALENDAR).alias("between"),
        kp.deadline("a", WorkingHours(minutes // 60), CALENDAR).alias("due"),
    )
    assert found.schema["later"] == pl.Datetime("us", SHANGHAI)
    assert found.schema["between"] == pl.Duration("us")
    for row, a, b in zip(found.iter_rows(named=True), starts, reversed(starts), strict=True):
        assert row["later"] == CALENDAR.add_working_time(a, span)
        assert row["between"] == CALENDAR.working_time_between(a, b)
        assert row["due"] == deadline(a, WorkingHours(minutes // 60), CALENDAR).at


def test_a_day_period_falls_due_at_the_end_of_its_day() -> None:
    start = pendulum.datetime(2025, 9, 30, 15, tz=SHANGHAI)
    frame = pl.DataFrame({"at": [start]}, schema={"at": pl.Datetime("us", SHANGHAI)})
    found = frame.select(
        kp.deadline("at", Workdays(3), CALENDAR).alias("w"), kp.deadline("at", Days(1), CALENDAR)
    )
    assert found.row(0) == (
        deadline(start, Workdays(3), CALENDAR).at,  # 2025-10-12 00:00 Shanghai
        deadline(start, Days(1), CALENDAR).at,
    )


def test_expressions_run_in_a_lazy_query_and_keep_their_column_name() -> None:
    lazy = pl.LazyFrame({"opened": [dt.date(2025, 9, 30), dt.date(2025, 10, 8)]})
    found = lazy.with_columns(kp.add_workdays("opened", 3, CALENDAR).alias("due")).filter(
        kp.is_workday("opened", CALENDAR)
    )
    assert found.collect().rows() == [(dt.date(2025, 9, 30), dt.date(2025, 10, 11))]
    named = pl.DataFrame({"opened": [dt.date(2025, 9, 30)]}).select(
        kp.add_workdays("opened", 1, CALENDAR)
    )
    assert named.columns == ["opened"]


def test_an_uncovered_date_raises_when_the_query_runs() -> None:
    frame = pl.DataFrame({"d": [dt.date(2025, 6, 2), dt.date(2031, 6, 2)]})
    with pytest.raises(CalendarCoverageError, match="2031"):
        frame.select(kp.add_workdays("d", 1, CALENDAR))
    nulls = frame.select(kp.add_workdays("d", 1, CALENDAR, errors="null"))
    assert nulls["d"].to_list() == [dt.date(2025, 6, 3), None]


def test_a_naive_datetime_is_refused() -> None:
    wall_clock = dt.datetime(2025, 9, 30, 9)  # noqa: DTZ001 - naive on purpose
    frame = pl.DataFrame({"a": [wall_clock], "t": [dt.timedelta(hours=1)]})
    with pytest.raises(BatchArgumentError, match="naive"):
        frame.select(kp.add_working_time("a", "t", CALENDAR))


def test_without_polars_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # `import polars` now fails
    monkeypatch.delitem(sys.modules, "keyaccount.engines.polars")
    with pytest.raises(MissingExtraError, match=r"pip install 'keyaccount\[polars\]'"):
        importlib.import_module("keyaccount.engines.polars")


def test_overdue_visits_on_lazy_frames_is_the_scalar_rule() -> None:
    from keyaccount import (
        Channel,
        Customer,
        CustomerStatus,
        Outcome,
        VisitPolicy,
        VisitRecord,
        overdue_visits,
    )
    from keyaccount.batch.visits import customers_table, visit_records_table

    assigned = pendulum.datetime(2025, 9, 26, 10, tz=SHANGHAI)
    book = [
        Customer("c1", "客户一", owner="s1", assigned_at=assigned),
        Customer("c2", "客户二", owner="s1", assigned_at=assigned, status=CustomerStatus.PROSPECT),
        Customer("c3", "客户三", owner="s2", assigned_at=assigned),
    ]
    records = [
        VisitRecord("v1", "c3", assigned.add(days=1), Channel.PHONE, "s2", Outcome.SATISFIED, "ok")
    ]
    policy = VisitPolicy(first_contact=Workdays(5))
    as_of = pendulum.datetime(2025, 10, 20, 9, tz=SHANGHAI)
    customers = pl.DataFrame(customers_table(book)).lazy()
    visits = pl.DataFrame(visit_records_table(records)).lazy()

    found = kp.overdue_visits(customers, visits, policy, CALENDAR, as_of=as_of)

    expected = overdue_visits(book, records, policy, CALENDAR, as_of)
    assert isinstance(found, pl.DataFrame)
    assert [(r["customer_id"], r["rule"], r["deadline"]) for r in found.iter_rows(named=True)] == [
        (v.customer_id, v.rule.value, v.deadline.at) for v in expected
    ]
    assert {v.customer_id for v in expected} == {"c1", "c2"}


def test_sla_on_a_frame_is_the_scalar_rule() -> None:
    from keyaccount import (
        Accepted,
        Complaint,
        ComplaintPolicy,
        Received,
        RequestKind,
        Severity,
        sla_status,
    )
    from keyaccount.batch.complaints import events_table

    received = pendulum.datetime(2025, 9, 30, 16, tz=SHANGHAI)
    complaint = Complaint(
        "K1",
        (
            Received(received, RequestKind.COMPLAINT, Severity.NORMAL, "c1", "电话", "late"),
            Accepted(received.add(hours=1), "p1"),
        ),
    )
    policy = ComplaintPolicy.default()
    as_of = pendulum.datetime(2025, 10, 20, 9, tz=SHANGHAI)

    found = kp.sla(pl.DataFrame(events_table([complaint])), policy, CALENDAR, as_of=as_of)

    expected = sla_status(complaint, policy, CALENDAR, as_of)
    assert found["target"].to_list() == [t.target.value for t in expected.targets]
    assert found["deadline"].to_list() == [t.deadline for t in expected.targets]


def test_docs_example_filters_parquet_files_lazily(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = {"ticket": ["T-1"], "opened": [dt.date(2025, 9, 30)]}
    second = {"ticket": ["T-2", "T-3"], "opened": [dt.date(2025, 10, 8), dt.date(2025, 10, 13)]}
    for name, columns in (("2025-09", first), ("2025-10", second)):
        pq.write_table(pa.table(columns), f"tickets-{name}.parquet")
    # The example of docs/at-scale.md ("Polars: the rules as expressions"), line for line
    # (its `import polars as pl` is this module's).
    from keyaccount import WorkCalendar
    from keyaccount.engines import polars as kp

    china = WorkCalendar.china()
    tickets = pl.scan_parquet("tickets-*.parquet")
    due = tickets.filter(kp.is_workday("opened", china)).with_columns(
        kp.add_workdays("opened", 3, china).alias("due")
    )

    assert due.sort("ticket").collect().rows() == [
        ("T-1", dt.date(2025, 9, 30), dt.date(2025, 10, 11)),
        ("T-3", dt.date(2025, 10, 13), dt.date(2025, 10, 16)),
    ]
