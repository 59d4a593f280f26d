"""keyaccount.batch kernels on 10,000,000 rows against a hand-written numpy prefix table.

The baseline is what a data engineer writes by hand for the China calendar once they
have the calendar's working days (asked of `WorkCalendar.is_workday` once per day, as
anyone would): a day table with a cumulative count of working days, the working days'
index, and for working time each day's two windows in UTC microseconds (the fixed
Shanghai offset, +08:00, written in), a cumulative sum of working microseconds and one
`np.searchsorted` per call. No null handling, no coverage checks, no zone lookup.

Measured in the same run, in turns, CPU time, median of 3 rounds, after both answers are
checked equal on every row:

- `batch.add_workdays(dates, n, calendar)` (numpy `datetime64[D]`, an int64 `n` per row);
- `batch.add_working_time(instants, durations, calendar)` (numpy `datetime64[us]` UTC,
  `timedelta64[us]`).

Goal: each within 2x of its baseline (ratio = library / baseline <= 2.0).

    .venv/bin/python -m benchmarks.batch [--quick]      # --quick: 1,000,000 rows
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the standard library's `calendar` (which pendulum
# imports) while this folder is first on sys.path; drop the folder before other imports.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402 - after the sys.path fix above
import datetime as dt  # noqa: E402 - after the sys.path fix above
import statistics  # noqa: E402 - after the sys.path fix above
import time  # noqa: E402 - after the sys.path fix above
from collections.abc import Callable  # noqa: E402 - after the sys.path fix above
from typing import Any  # noqa: E402 - after the sys.path fix above

import numpy as np  # noqa: E402 - after the sys.path fix above

from keyaccount import WorkCalendar, batch  # noqa: E402 - after the sys.path fix above

SEED = 20261203
GOAL = 2.0
DAY_US = 86_400_000_000
MINUTE_US = 60_000_000
SHANGHAI_US = 8 * 3600 * 1_000_000
FIRST, LAST = dt.date(2020, 1, 1), dt.date(2025, 12, 31)


class Baseline:
    """Hand-written numpy prefix tables for the China calendar (the module's baseline)."""

    def __init__(self, calendar: WorkCalendar, first: dt.date, last: dt.date) -> None:
        self.base = (first - dt.date(1970, 1, 1)).days  # day number of the table's first day
        size = (last - first).days + 1
        days = [first + dt.timedelta(days=i) for i in range(size)]
        self.work = np.array([calendar.is_workday(d) for d in days], dtype=np.int64)
        self.cum = np.cumsum(self.work)
        self.workdays = np.flatnonzero(self.work) + self.base
        # Working windows 09:00-12:00 and 13:00-18:00 Shanghai (+08:00), in UTC microseconds.
        midnight = (np.arange(size, dtype=np.int64) + self.base) * DAY_US - SHANGHAI_US
        self.start = np.stack([midnight + 540 * MINUTE_US, midnight + 780 * MINUTE_US], axis=1)
        self.end = np.stack([midnight + 720 * MINUTE_US, midnight + 1080 * MINUTE_US], axis=1)
        length = (self.end - self.start) * self.work[:, None]
        self.first_len = length[:, 0]
        self.time = np.cumsum(length.sum(axis=1))
        self.before = np.concatenate(([0], self.time[:-1]))

    def add_workdays(self, days: Any, n: Any) -> Any:
        i = days.view(np.int64) - self.base
        k = self.cum[i] + n - np.where(n > 0, 1, self.work[i])
        return self.workdays[k].view("datetime64[D]")

    def add_working_time(self, instants: Any, durations: Any) -> Any:
        utc = instants.view(np.int64)
        i = (utc + SHANGHAI_US) // DAY_US - self.base
        used = self.before[i].copy()
        for w in range(2):
            start, end = self.start[i, w], self.end[i, w]
            used += np.clip(np.minimum(utc, end) - start, 0, None) * self.work[i]
        wanted = durations.view(np.int64)
        target = used + wanted
        j = np.searchsorted(self.time, target)
        remaining = target - self.before[j]
        second = remaining > self.first_len[j]
        due = np.where(
            second,
            self.start[j, 1] + remaining - self.first_len[j],
            self.start[j, 0] + remaining,
        )
        return np.where(wanted > 0, due, utc).view("datetime64[us]")


def data(rows: int, seed: int = SEED) -> dict[str, Any]:
    """Dates, counts, instants and durations, uniformly spread over 2021-2024."""
    rng = np.random.default_rng(seed)
    low = (dt.date(2021, 1, 1) - dt.date(1970, 1, 1)).days
    high = (dt.date(2024, 12, 31) - dt.date(1970, 1, 1)).days
    days = rng.integers(low, high, rows).astype("datetime64[D]")
    n = rng.integers(-5, 30, rows)
    instants = (rng.integers(low * DAY_US, high * DAY_US, rows) // MINUTE_US * MINUTE_US).astype(
        "datetime64[us]"
    )
    durations = (rng.integers(0, 60 * 60, rows) * MINUTE_US).astype("timedelta64[us]")
    return {"days": days, "n": n, "instants": instants, "durations": durations}


def cpu(call: Callable[[], object]) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


def measure(
    pairs: dict[str, tuple[Callable[[], object], Callable[[], object]]], rounds: int
) -> dict[str, tuple[float, float]]:
    """Median CPU seconds of library and baseline per figure, taken in turns."""
    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in pairs}
    for _ in range(rounds):
        for name, (library, baseline) in pairs.items():
            times[name][0].append(cpu(library))
            times[name][1].append(cpu(baseline))
    return {k: (statistics.median(a), statistics.median(b)) for k, (a, b) in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000,000 rows instead of 10,000,000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    rows = 1_000_000 if args.quick else 10_000_000
    calendar = WorkCalendar.china()
    baseline = Baseline(calendar, FIRST, LAST)
    d = data(rows)
    # Both answers equal on every row before anything is timed (this also builds the tables).
    ours = batch.add_workdays(d["days"], d["n"], calendar)
    assert np.array_equal(ours, baseline.add_workdays(d["days"], d["n"])), "add_workdays differs"
    ours = batch.add_working_time(d["instants"], d["durations"], calendar)
    theirs = baseline.add_working_time(d["instants"], d["durations"])
    assert np.array_equal(ours, theirs), "add_working_time differs"
    del ours, theirs
    pairs = {
        "add_workdays": (
            lambda: batch.add_workdays(d["days"], d["n"], calendar),
            lambda: baseline.add_workdays(d["days"], d["n"]),
        ),
        "add_working_time": (
            lambda: batch.add_working_time(d["instants"], d["durations"], calendar),
            lambda: baseline.add_working_time(d["instants"], d["durations"]),
        ),
    }
    results = measure(pairs, args.rounds)
    print(
        f"keyaccount.batch vs a hand-written numpy prefix table, {rows:,} rows, "
        f"CPU time, median of {args.rounds}"
    )
    failed = False
    for name, (library, base) in results.items():
        ratio = library / base
        verdict = "PASS" if ratio <= GOAL else "MISS"
        failed |= verdict == "MISS"
        print(
            f"  {name:18} library {library:7.3f} s ({library / rows * 1e9:6.1f} ns/row)  "
            f"numpy {base:7.3f} s ({base / rows * 1e9:6.1f} ns/row)  "
            f"ratio {ratio:5.2f}x  goal <= {GOAL:.1f}x  {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
