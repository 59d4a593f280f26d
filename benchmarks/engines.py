"""Benchmark: overdue visits of 1,000,000 customers from Parquet, library against Polars by hand.

The book (customers with their assignment, tier and services; three visit records each) is
written to Parquet files first. Then, from those files, in one run, interleaved, median of 3:

* **library**: Polars reads the files (`scan_parquet`) and
  `keyaccount.engines.polars.overdue_visits` runs the table rule
  (`keyaccount.batch.overdue_visits_table`) on them;
* **duckdb** (a second figure): DuckDB reads the files and hands them to the same rule as
  Arrow tables;
* **duckdb SQL** (a third): the same rule written in DuckDB SQL over the files, the
  working-day deadlines by the registered `ka_add_workdays`
  (`keyaccount.engines.duckdb.register`);
* **baseline**: what a data engineer writes in Polars for the same rule: filter the
  records that count as contacts, `group_by(...).max()` for each customer's last contact,
  join it to the customers, and a workday table (built once from the same calendar)
  joined for the working-day deadlines; first contact, return visit and cadence as three
  lazy queries, concatenated.

The policy: first contact within `Workdays(5)`, return visit within `Workdays(3)`, the
default cadence (30 or 90 calendar days by tier), no greetings. The answers (customer,
rule, due date) are checked equal before anything is timed.

Headline: CPU time of the process (`time.process_time`, every thread). Polars and DuckDB
run on every core; on a shared two-core machine the wall clock mostly measures the other
processes, while CPU time is the work each side does. Wall time is printed beside it.

Goal: the library within 2x of the hand-written Polars query.

    .venv/bin/python -m benchmarks.engines            # 1,000,000 customers
    .venv/bin/python -m benchmarks.engines --quick    # 100,000
"""

from __future__ import annotations

# benchmarks/calendar.py would shadow the standard library's `calendar` (which pendulum
# imports) when a script here runs with this folder first on sys.path: drop the folder.
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402 - after the sys.path fix above
import datetime as dt  # noqa: E402 - after the sys.path fix above
import statistics  # noqa: E402 - after the sys.path fix above
import tempfile  # noqa: E402 - after the sys.path fix above
import time  # noqa: E402 - after the sys.path fix above
from collections.abc import Callable  # noqa: E402 - after the sys.path fix above

import duckdb  # noqa: E402 - after the sys.path fix above
import numpy as np  # noqa: E402 - after the sys.path fix above
import polars as pl  # noqa: E402 - after the sys.path fix above
import pyarrow as pa  # noqa: E402 - after the sys.path fix above
import pyarrow.parquet as pq  # noqa: E402 - after the sys.path fix above

from keyaccount import VisitPolicy, WorkCalendar, Workdays  # noqa: E402 - after the fix
from keyaccount.batch.visits import overdue_visits_table  # noqa: E402 - after the fix
from keyaccount.engines import polars as kp  # noqa: E402 - after the sys.path fix above
from keyaccount.engines.duckdb import register  # noqa: E402 - after the sys.path fix above

GOAL = 2.0
SEED = 20261203
TZ = "Asia/Shanghai"
AS_OF = dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WINDOW_DAYS = 400
POLICY = VisitPolicy(first_contact=Workdays(5), return_visit=Workdays(3), birthday_greeting=False)
#: Days between cadence visits by tier (the default cadence, written out by hand).
CADENCE_DAYS = {"key-account": 30, "group": 30, "vip": 90, "member": 90}
TIERS = ("key-account", "group", "vip", "member", "ordinary")
TIER_SHARES = (0.05, 0.05, 0.2, 0.3, 0.4)
US = 1_000_000
Answer = set[tuple[str, str, dt.date]]


# --------------------------------------------------------------------------- data


def write_book(size: int, folder: Path) -> tuple[Path, Path]:
    """A book of ``size`` customers and 3 visit records each, as two Parquet files.

    Each customer was assigned and (nine in ten) served in the last 400 days; its records
    are a first contact up to 8 days after the assignment, a return visit up to 5 days
    after the service and a routine visit in the last 60 days; one call in ten reaches
    nobody and one record in twenty lacks its notes, so every rule leaves some overdue.
    """
    rng = np.random.default_rng(SEED)
    now = int(AS_OF.timestamp() * US)
    window = WINDOW_DAYS * 86_400 * US
    stamp = pa.timestamp("us", tz=TZ)
    ids = pa.array([f"c{i:07d}" for i in range(size)])
    assigned = now - rng.integers(0, window, size)
    served = now - rng.integers(0, window, size)
    has_spend = rng.random(size) < 0.9
    offsets = np.concatenate([[0], np.cumsum(has_spend)]).astype(np.int32)
    customers = pa.table(
        {
            "id": ids,
            "status": pa.array(
                rng.choice(["active", "prospect", "lost"], size, p=[0.9, 0.07, 0.03])
            ),
            "tier": pa.array(rng.choice(TIERS, size, p=TIER_SHARES)),
            "owner": pa.array([f"s{i % 97}" for i in range(size)]),
            "assigned_at": pa.array(assigned, stamp, mask=rng.random(size) < 0.02),
            "spend_at": pa.ListArray.from_arrays(
                pa.array(offsets), pa.array(served[has_spend], stamp)
            ),
        }
    )
    day = 86_400 * US
    first = np.minimum(now, assigned + rng.integers(0, 8 * day, size))
    again = np.minimum(now, served + rng.integers(0, 5 * day, size))
    routine = now - rng.integers(0, 60 * day, size)
    count = 3 * size
    outcome = rng.choice(
        ["satisfied", "neutral", "unsatisfied", "not-reached"], count, p=[0.6, 0.2, 0.1, 0.1]
    )
    visits = pa.table(
        {
            "customer_id": pa.concat_arrays([ids, ids, ids]),
            "at": pa.array(np.concatenate([first, again, routine]), stamp),
            "by": pa.array(np.full(count, "s1")),
            "outcome": pa.array(outcome),
            "notes": pa.array(np.where(rng.random(count) < 0.05, "", "ok")),
            "follow_up": pa.array((outcome == "unsatisfied") & (rng.random(count) < 0.5)),
        }
    )
    paths = folder / "customers.parquet", folder / "visits.parquet"
    pq.write_table(customers, paths[0])
    pq.write_table(visits, paths[1])
    return paths


# --------------------------------------------------------------------------- the sides


def library(paths: tuple[Path, Path], calendar: WorkCalendar) -> pl.DataFrame:
    """Polars reads the files; the library's table rule answers."""
    customers, visits = (pl.scan_parquet(p) for p in paths)
    return kp.overdue_visits(customers, visits, POLICY, calendar, as_of=AS_OF)


def through_duckdb(paths: tuple[Path, Path], calendar: WorkCalendar) -> pa.Table:
    """DuckDB reads the files; the library's table rule answers on its Arrow tables."""
    connection = duckdb.connect()
    customers, visits = (
        connection.sql(f"SELECT * FROM read_parquet('{p}')").to_arrow_table() for p in paths
    )
    return overdue_visits_table(customers, visits, POLICY, calendar, as_of=AS_OF)


SQL = """
WITH contacts AS (
    SELECT customer_id, max("at") AS latest FROM read_parquet('{visits}')
    WHERE "at" <= $now AND coalesce("by", '') <> '' AND outcome IS NOT NULL
      AND outcome <> 'not-reached' AND trim(coalesce(notes, '')) <> ''
      AND (outcome <> 'unsatisfied' OR coalesce(follow_up, false))
    GROUP BY customer_id
), book AS (
    SELECT c.id, c.status, c.tier, c.spend_at, k.latest,
           CASE WHEN c.assigned_at <= $now THEN c.assigned_at END AS assigned
    FROM read_parquet('{customers}') c LEFT JOIN contacts k ON k.customer_id = c.id
    WHERE c.status <> 'lost'
), services AS (
    SELECT id, min(s) AS service
    FROM (SELECT id, latest, unnest(spend_at) AS s FROM book WHERE status = 'active')
    WHERE s <= $now AND (latest IS NULL OR s > latest)
    GROUP BY id
), due AS (
    SELECT id, 'first-contact' AS rule,
           ka_add_workdays(CAST(timezone('{zone}', assigned) AS DATE), 5) AS due
    FROM book WHERE assigned IS NOT NULL AND (latest IS NULL OR latest < assigned)
    UNION ALL
    SELECT id, 'return-visit',
           ka_add_workdays(CAST(timezone('{zone}', service) AS DATE), 3) FROM services
    UNION ALL
    SELECT id, 'cadence',
           CAST(timezone('{zone}', coalesce(latest, assigned)) AS DATE) + CASE tier
               WHEN 'key-account' THEN 30 WHEN 'group' THEN 30
               WHEN 'vip' THEN 90 WHEN 'member' THEN 90 END
    FROM book WHERE status = 'active' AND tier IN ('key-account', 'group', 'vip', 'member')
      AND coalesce(latest, assigned) IS NOT NULL
)
SELECT id, rule, due FROM due WHERE due < $today
"""


def duckdb_sql(paths: tuple[Path, Path], calendar: WorkCalendar) -> pa.Table:
    """The same rule written in DuckDB SQL, the working-day deadlines by `ka_add_workdays`."""
    connection = duckdb.connect()
    register(connection, calendar)
    query = SQL.format(customers=paths[0], visits=paths[1], zone=TZ)
    today = AS_OF.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return connection.sql(query, params={"now": AS_OF, "today": today}).to_arrow_table()


def workday_tables(calendar: WorkCalendar) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The tables a data engineer builds once: each covered day with the number of working
    days up to it, and the working days by their rank."""
    first, last = calendar.covered_years or (2006, 2026)
    days = pl.date_range(dt.date(first, 1, 1), dt.date(last, 12, 31), eager=True)
    work = [calendar.is_workday(d) for d in days]
    frame = pl.DataFrame({"day": days, "work": work})
    counted = frame.with_columns(done=pl.col("work").cast(pl.Int64).cum_sum()).select("day", "done")
    ranked = (
        frame.filter("work")
        .with_row_index("rank")
        .select(pl.col("rank").cast(pl.Int64), pl.col("day").alias("due"))
    )
    return counted, ranked


def by_hand(paths: tuple[Path, Path], tables: tuple[pl.DataFrame, pl.DataFrame]) -> pl.DataFrame:
    """The same rule as one hand-written Polars query (lazy, collected once)."""
    counted, ranked = (t.lazy() for t in tables)
    today = AS_OF.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    now = pl.lit(AS_OF).dt.convert_time_zone(TZ)  # the files' zone: Polars compares like zones

    def local(column: str) -> pl.Expr:
        return pl.col(column).dt.convert_time_zone(TZ).dt.date()

    def plus_workdays(frame: pl.LazyFrame, start: str, n: int) -> pl.LazyFrame:
        # the n-th working day strictly after `start`: rank (done + n - 1) of the table
        return (
            frame.join(counted, left_on=start, right_on="day", how="left")
            .with_columns(rank=pl.col("done") + (n - 1))
            .join(ranked, on="rank", how="left")
        )

    contacts = (
        pl.scan_parquet(paths[1])
        .filter(
            pl.col("at") <= now,
            pl.col("by").fill_null("") != "",
            pl.col("outcome").is_not_null() & (pl.col("outcome") != "not-reached"),
            pl.col("notes").fill_null("").str.strip_chars() != "",
            (pl.col("outcome") != "unsatisfied") | pl.col("follow_up").fill_null(False),
        )
        .group_by("customer_id")
        .agg(pl.col("at").max().alias("last"))
    )
    book = (
        pl.scan_parquet(paths[0])
        .filter(pl.col("status") != "lost")
        .join(contacts, left_on="id", right_on="customer_id", how="left")
        .with_columns(assigned=pl.when(pl.col("assigned_at") <= now).then(pl.col("assigned_at")))
    )
    first = plus_workdays(
        book.filter(
            pl.col("assigned").is_not_null()
            & (pl.col("last").is_null() | (pl.col("last") < pl.col("assigned")))
        ).with_columns(start=local("assigned")),
        "start",
        5,
    ).select("id", pl.lit("first-contact").alias("rule"), "due")
    active = book.filter(pl.col("status") == "active")
    services = (
        active.select("id", "last", "spend_at")
        .explode("spend_at")
        .filter(
            pl.col("spend_at") <= now,
            pl.col("last").is_null() | (pl.col("spend_at") > pl.col("last")),
        )
        .group_by("id")
        .agg(pl.col("spend_at").min().alias("service"))
        .with_columns(start=local("service"))
    )
    again = plus_workdays(services, "start", 3).select(
        "id", pl.lit("return-visit").alias("rule"), "due"
    )
    every = pl.col("tier").replace_strict(CADENCE_DAYS, default=None, return_dtype=pl.Int64)
    cadence = (
        active.with_columns(since=pl.coalesce("last", "assigned"), every=every)
        .filter(pl.col("every").is_not_null() & pl.col("since").is_not_null())
        .with_columns(due=local("since") + pl.duration(days=pl.col("every")))
        .select("id", pl.lit("cadence").alias("rule"), "due")
    )
    return pl.concat([first, again, cadence]).filter(pl.col("due") < today).collect()


# --------------------------------------------------------------------------- measuring


def answer_of(frame: pl.DataFrame | pa.Table, *, id_column: str, due: str) -> Answer:
    table = frame if isinstance(frame, pa.Table) else frame.to_arrow()
    return set(
        zip(
            table[id_column].to_pylist(),
            table["rule"].to_pylist(),
            table[due].to_pylist(),
            strict=True,
        )
    )


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds of the whole process, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    function()
    return time.process_time() - cpu, time.perf_counter() - wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 customers")
    size = 100_000 if parser.parse_args(argv).quick else 1_000_000
    calendar = WorkCalendar.china()
    tables = workday_tables(calendar)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_book(size, Path(folder))
        print(f"overdue visits of {size:,} customers ({3 * size:,} visit records) from Parquet")
        mine = answer_of(library(paths, calendar), id_column="customer_id", due="due_date")
        theirs = answer_of(by_hand(paths, tables), id_column="id", due="due")
        ducks = answer_of(through_duckdb(paths, calendar), id_column="customer_id", due="due_date")
        if mine != theirs or ducks != mine:
            print(
                f"ANSWERS DIFFER: library {len(mine)}, by hand {len(theirs)}, duckdb {len(ducks)}"
            )
            print("  only library:", sorted(mine - theirs)[:5])
            print("  only by hand:", sorted(theirs - mine)[:5])
            return 1
        by_rule = {
            r: sum(1 for _, rule, _ in mine if rule == r) for r in sorted({r for _, r, _ in mine})
        }
        print(f"answers agree: {len(mine):,} overdue visits {by_rule}")
        sides: dict[str, Callable[[], object]] = {
            "library (Polars + table rule)": lambda: library(paths, calendar),
            "duckdb (read + table rule)": lambda: through_duckdb(paths, calendar),
            "duckdb SQL with ka_add_workdays": lambda: duckdb_sql(paths, calendar),
            "hand-written Polars query": lambda: by_hand(paths, tables),
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
        for _ in range(3):  # interleaved, so that a busy moment hits every side
            for name, side in sides.items():
                runs[name].append(timed(side))
    cpu = {name: statistics.median(c for c, _ in found) for name, found in runs.items()}
    wall = {name: statistics.median(w for _, w in found) for name, found in runs.items()}
    base = "hand-written Polars query"
    for name in sides:
        print(
            f"  {name:32} CPU {cpu[name]:7.3f} s   wall {wall[name]:7.3f} s   "
            f"CPU ratio {cpu[name] / cpu[base]:5.2f}x   wall ratio {wall[name] / wall[base]:5.2f}x"
        )
    ratio = cpu["library (Polars + table rule)"] / cpu[base]
    verdict = "PASS" if ratio <= GOAL else "MISS"
    print(
        f"goal: library within {GOAL:g}x of the hand-written query (CPU time, median of 3): "
        f"{ratio:.2f}x {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
