"""The table rules on a local Spark session over partitioned Parquet: the single-machine answer.

Spark needs a Java runtime. `python3 tools/dev.py test` installs one from Debian's packages
when it runs as root and finds none; without one these tests are skipped, and the skip's
reason says so in pytest's summary (``-ra``), never silently.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keyaccount import ComplaintPolicy, VisitPolicy, WorkCalendar, Workdays
from keyaccount.errors import NaiveDatetimeError

pytest.importorskip("pyspark", reason="the spark extra is not installed")
pytest.importorskip("pyarrow")

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip(
        "SPARK TESTS SKIPPED: no Java runtime (no `java` on PATH, no JAVA_HOME); "
        "`python3 tools/dev.py test` installs default-jre-headless when run as root on Debian",
        allow_module_level=True,
    )

import pyarrow as pa
import pyarrow.dataset as ds
from pyspark.sql import SparkSession

from keyaccount.batch.complaints import sla_table
from keyaccount.batch.visits import overdue_visits_table
from keyaccount.engines import spark as ks

CALENDAR = WorkCalendar.china()
SHANGHAI = "Asia/Shanghai"
AS_OF = dt.datetime(2025, 10, 20, 12, tzinfo=dt.UTC)
# PySpark warns about the installed pandas version on every Arrow call of the driver.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this venv
    session = (
        SparkSession.builder.master("local[2]")
        .appName("keyaccount-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "512m")
        # a short-lived JVM: the quick compiler and a small collector start faster
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# Valid histories, oldest event first (each step a few working hours after the last).
HISTORIES = (
    ("received",),
    ("received", "accepted"),
    ("received", "accepted", "assigned", "resolved"),
    ("received", "accepted", "resolved", "followed-up", "closed"),
    ("received", "accepted", "paused", "resumed", "resolved"),
    ("received", "accepted", "escalated", "resolved", "followed-up"),
)


def _events(count: int, seed: int) -> pa.Table:
    """``count`` complaints' events over September and October 2025, in time order."""
    rows: dict[str, list[Any]] = {
        k: [] for k in ("complaint_id", "type", "at", "kind", "severity", "outcome", "month")
    }
    chance = random.Random(seed)
    for number in range(count):
        at = dt.datetime(2025, 9, 1, tzinfo=dt.UTC) + dt.timedelta(
            minutes=chance.randrange(50 * 24 * 60)
        )
        history = chance.choice(HISTORIES)
        for kind in history:
            rows["complaint_id"].append(f"C{number:05d}")
            rows["type"].append(kind)
            rows["at"].append(at)
            received = kind == "received"
            rows["kind"].append(chance.choice(("complaint", "inquiry")) if received else None)
            rows["severity"].append(chance.choice(("normal", "urgent")) if received else None)
            rows["outcome"].append(
                chance.choice(("satisfied", "neutral")) if kind == "followed-up" else None
            )
            rows["month"].append(at.strftime("%Y-%m"))
            at += dt.timedelta(minutes=chance.randrange(10, 3 * 24 * 60))
    events = pa.table(rows)
    return events.set_column(2, "at", events["at"].cast(pa.timestamp("us", tz=SHANGHAI)))


def _rows(table: pa.Table, keys: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.sort_by([(k, "ascending") for k in keys]).to_pylist()
    return rows


def test_sla_table_on_spark_equals_the_single_machine_answer(
    spark: SparkSession, tmp_path: Path
) -> None:
    events = _events(300, seed=13)
    # Partitioned by month: one complaint's events may lie in two partitions.
    ds.write_dataset(
        events,
        tmp_path / "events",
        format="parquet",
        partitioning=["month"],
        partitioning_flavor="hive",
    )
    frame = spark.read.parquet(str(tmp_path / "events"))
    assert frame.rdd.getNumPartitions() >= 2

    policy = ComplaintPolicy.default()
    found = ks.sla_table(frame, policy, CALENDAR, as_of=AS_OF, buckets=3).toArrow()
    expected = sla_table(events.drop_columns(["month"]), policy, CALENDAR, as_of=AS_OF)

    keys = ["complaint_id", "target", "cycle"]
    assert expected.num_rows > 300
    assert found.column_names == expected.column_names
    assert _rows(found, keys) == _rows(expected, keys)


def test_a_naive_timestamp_column_is_refused_before_spark_runs(spark: SparkSession) -> None:
    wall_clock = dt.datetime(2025, 10, 9, 9)  # noqa: DTZ001 - naive on purpose
    naive = spark.createDataFrame(
        [("C1", "received", wall_clock, "complaint", "normal", None)],
        "complaint_id string, type string, at timestamp_ntz, kind string, severity string, "
        "outcome string",
    )
    # the rule reads the frame's schema on the driver: the error comes before any job runs
    with pytest.raises(NaiveDatetimeError, match="naive"):
        ks.sla_table(naive, ComplaintPolicy.default(), CALENDAR, as_of=AS_OF)


def _book(count: int, seed: int) -> tuple[pa.Table, pa.Table]:
    """``count`` customers (some prospects, some lost) and up to three visit records each."""
    chance = random.Random(seed)
    stamp = pa.timestamp("us", tz=SHANGHAI)

    def before(days: int) -> dt.datetime:
        return AS_OF - dt.timedelta(minutes=chance.randrange(days * 24 * 60))

    customers: dict[str, list[Any]] = {
        k: [] for k in ("id", "status", "tier", "owner", "assigned_at", "birthday", "spend_at")
    }
    visits: dict[str, list[Any]] = {
        k: [] for k in ("customer_id", "at", "by", "outcome", "notes", "follow_up", "month")
    }
    for number in range(count):
        customer = f"K{number:05d}"
        assigned = before(200) if chance.random() < 0.95 else None
        customers["id"].append(customer)
        customers["status"].append(chance.choice(("active",) * 8 + ("prospect", "lost")))
        customers["tier"].append(
            chance.choice(("key-account", "group", "vip", "member", "ordinary"))
        )
        customers["owner"].append(f"s{number % 7}")
        customers["assigned_at"].append(assigned)
        customers["birthday"].append(
            dt.date(1980, 1, 1) + dt.timedelta(days=chance.randrange(366 * 5))
        )
        customers["spend_at"].append([before(200) for _ in range(chance.randrange(3))])
        for _ in range(chance.randrange(4)):
            at = before(200)
            outcome = chance.choice(("satisfied", "neutral", "unsatisfied", "not-reached", None))
            visits["customer_id"].append(customer)
            visits["at"].append(at)
            visits["by"].append(chance.choice(("s1", "s2", "")))
            visits["outcome"].append(outcome)
            visits["notes"].append(chance.choice(("ok", "ok", " ")))
            visits["follow_up"].append(chance.random() < 0.5)
            visits["month"].append(at.strftime("%Y-%m"))
    book = pa.table(customers)
    book = book.set_column(4, "assigned_at", book["assigned_at"].cast(stamp))
    book = book.set_column(6, "spend_at", book["spend_at"].cast(pa.list_(stamp)))
    records = pa.table(visits)
    return book, records.set_column(1, "at", records["at"].cast(stamp))


def test_overdue_visits_on_spark_equals_the_single_machine_answer(
    spark: SparkSession, tmp_path: Path
) -> None:
    customers, visits = _book(400, seed=12)
    # Customers partitioned by tier, visit records by month (hive-style directories).
    ds.write_dataset(
        customers,
        tmp_path / "customers",
        format="parquet",
        partitioning=["tier"],
        partitioning_flavor="hive",
    )
    ds.write_dataset(
        visits,
        tmp_path / "visits",
        format="parquet",
        partitioning=["month"],
        partitioning_flavor="hive",
    )
    book = spark.read.parquet(str(tmp_path / "customers"))
    records = spark.read.parquet(str(tmp_path / "visits"))

    policy = VisitPolicy(first_contact=Workdays(5), return_visit=Workdays(3))
    found = ks.overdue_visits_table(book, records, policy, CALENDAR, as_of=AS_OF, buckets=3)
    expected = overdue_visits_table(
        customers, visits.drop_columns(["month"]), policy, CALENDAR, as_of=AS_OF
    )

    keys = ["customer_id", "rule", "start"]
    assert expected.num_rows > 50
    assert {r["rule"] for r in expected.to_pylist()} >= {"first-contact", "return-visit", "cadence"}
    assert _rows(found.toArrow(), keys) == _rows(expected, keys)
