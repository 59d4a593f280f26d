"""Throughput of the batch kernels from 10,000 to 10,000,000 rows: the plot on "At scale".

For each size, in the same run, CPU time, median of 3: `batch.add_workdays` and
`batch.add_working_time` on numpy columns (China calendar), the same two kernels on
Polars Series, the hand-written numpy prefix tables of `benchmarks.batch` (the honest
baseline), and the scalar `WorkCalendar.add_working_time` in a Python loop (measured on at
most 20,000 rows: its rate does not depend on the size). Prints rows per second and the
ratio to the baseline, and draws `docs/img/at-scale-throughput.png`.

    .venv/bin/python -m benchmarks.scale [--quick] [--no-plot]   # --quick: up to 1,000,000
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
from functools import partial  # noqa: E402 - after the sys.path fix above

import numpy as np  # noqa: E402 - after the sys.path fix above
import pendulum  # noqa: E402 - after the sys.path fix above
import polars as pl  # noqa: E402 - after the sys.path fix above

from benchmarks.batch import FIRST, LAST, Baseline, data  # noqa: E402 - after the sys.path fix
from keyaccount import WorkCalendar, batch  # noqa: E402 - after the sys.path fix above

SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
SCALAR_ROWS = 20_000
PLOT = Path(__file__).resolve().parent.parent / "docs" / "img" / "at-scale-throughput.png"


def cpu(call: Callable[[], object], rounds: int = 3) -> float:
    """Median CPU seconds of `call` over `rounds` runs."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return statistics.median(times)


def scalar_rate(calendar: WorkCalendar, rows: int) -> float:
    """Rows per CPU second of the scalar `add_working_time` in a Python loop."""
    d = data(rows)
    starts = [
        pendulum.instance(
            dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(v))
        )
        for v in d["instants"].view(np.int64)
    ]
    lengths = [dt.timedelta(microseconds=int(v)) for v in d["durations"].view(np.int64)]

    def loop() -> None:
        for a, b in zip(starts, lengths, strict=True):
            calendar.add_working_time(a, b)

    return rows / cpu(loop, 1 if rows > 5_000 else 3)


def measure(sizes: tuple[int, ...]) -> dict[str, list[float]]:
    """Rows per CPU second of each series at each size."""
    calendar = WorkCalendar.china()
    baseline = Baseline(calendar, FIRST, LAST)
    rates: dict[str, list[float]] = {
        "add_workdays (numpy)": [],
        "add_workdays (Polars)": [],
        "add_workdays, hand-written numpy": [],
        "add_working_time (numpy)": [],
        "add_working_time (Polars)": [],
        "add_working_time, hand-written numpy": [],
    }
    for rows in sizes:
        d = data(rows)
        series = {k: pl.Series(k, v) for k, v in d.items()}
        series["instants"] = series["instants"].dt.replace_time_zone("UTC")
        assert np.array_equal(
            batch.add_working_time(d["instants"], d["durations"], calendar),
            baseline.add_working_time(d["instants"], d["durations"]),
        )
        calls: dict[str, Callable[[], object]] = {
            "add_workdays (numpy)": partial(batch.add_workdays, d["days"], d["n"], calendar),
            "add_workdays (Polars)": partial(
                batch.add_workdays, series["days"], series["n"], calendar
            ),
            "add_workdays, hand-written numpy": partial(baseline.add_workdays, d["days"], d["n"]),
            "add_working_time (numpy)": partial(
                batch.add_working_time, d["instants"], d["durations"], calendar
            ),
            "add_working_time (Polars)": partial(
                batch.add_working_time, series["instants"], series["durations"], calendar
            ),
            "add_working_time, hand-written numpy": partial(
                baseline.add_working_time, d["instants"], d["durations"]
            ),
        }
        for name, call in calls.items():
            rates[name].append(rows / cpu(call))
        line = "  ".join(f"{name} {rates[name][-1] / 1e6:6.1f}M/s" for name in calls)
        print(f"{rows:>11,} rows  {line}", flush=True)
    return rates


def plot(sizes: tuple[int, ...], rates: dict[str, list[float]], scalar: float) -> None:
    import matplotlib  # noqa: PLC0415 - only when drawing

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415 - only when drawing

    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=110)
    styles = {"numpy)": "-o", "Polars)": "-s", "numpy": "--x"}
    for name, values in rates.items():
        style = next(v for k, v in styles.items() if name.endswith(k))
        ax.plot(sizes, values, style, label=name)
    ax.axhline(scalar, color="grey", linestyle=":", label="scalar add_working_time, Python loop")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rows")
    ax.set_ylabel("rows per CPU second")
    ax.set_title("keyaccount.batch throughput (China calendar, one core, CPU time)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT)
    print(f"wrote {PLOT}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 1,000,000 rows")
    parser.add_argument("--no-plot", action="store_true", help="print only")
    args = parser.parse_args(argv)
    sizes = SIZES[:3] if args.quick else SIZES
    rates = measure(sizes)
    scalar = scalar_rate(WorkCalendar.china(), SCALAR_ROWS)
    print(f"scalar add_working_time in a Python loop: {scalar / 1e6:.3f}M rows/s")
    last = sizes[-1]
    for kernel in ("add_workdays", "add_working_time"):
        ours = rates[f"{kernel} (numpy)"][-1]
        theirs = rates[f"{kernel}, hand-written numpy"][-1]
        print(
            f"{kernel} at {last:,} rows: {ours / 1e6:.1f}M rows/s, baseline "
            f"{theirs / 1e6:.1f}M rows/s, time ratio {theirs / ours:.2f}x; "
            f"{ours / scalar:,.0f}x the scalar loop"
        )
    if not args.no_plot:
        plot(sizes, rates, scalar)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
