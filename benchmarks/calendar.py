"""Speed of ``WorkCalendar.add_workdays`` against two baselines measured in the same run.

(a) a minimal prefix-count table in plain Python, built here from the same calendar's
working days: the fastest a pure-Python answer can reasonably be;
(b) ``holidays.China(...).get_nth_working_day``, the general-purpose package.

Also checks that ``import keyaccount`` loads no holiday table. Run with
``.venv/bin/python benchmarks/calendar.py``.
"""

# This file is named calendar.py, so when it runs as a script its folder comes first on
# sys.path and would shadow the standard library's `calendar` (which pendulum imports).
# Drop that folder before anything else is imported.
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402 - after the sys.path fix above
import random  # noqa: E402 - after the sys.path fix above
import re  # noqa: E402 - after the sys.path fix above
import subprocess  # noqa: E402 - after the sys.path fix above
import time  # noqa: E402 - after the sys.path fix above
from collections.abc import Callable, Sequence  # noqa: E402 - after the sys.path fix above

import holidays  # noqa: E402 - after the sys.path fix above

from keyaccount import WorkCalendar  # noqa: E402 - after the sys.path fix above

CALLS = 1_000_000
HOLIDAYS_CALLS = 20_000
MAX_N = 30
SEED = 20251001
REPEATS = 3
#: 30 working days never span more than 60 calendar days, even over a long break.
MARGIN = dt.timedelta(days=60)

Call = tuple[dt.date, int]
AddWorkdays = Callable[[dt.date, int], dt.date]


def prefix_count_baseline(
    cal: WorkCalendar, first: dt.date, last: dt.date
) -> Callable[[dt.date, int], dt.date]:
    """A minimal hand-written answer for n >= 1: a prefix count and a list of working days."""
    base = first.toordinal()
    workdays: list[dt.date] = []
    count_through: list[int] = []  # count_through[i]: working days in [first, first + i]
    for ordinal in range(base, last.toordinal() + 1):
        day = dt.date.fromordinal(ordinal)
        if cal.is_workday(day):
            workdays.append(day)
        count_through.append(len(workdays))

    def add_workdays(day: dt.date, n: int) -> dt.date:
        return workdays[count_through[day.toordinal() - base] + n - 1]

    return add_workdays


def calls_per_second(function: AddWorkdays, calls: Sequence[Call], repeats: int = REPEATS) -> float:
    """The best of ``repeats`` timed passes over ``calls``."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for day, n in calls:
            function(day, n)
        best = min(best, time.perf_counter() - started)
    return len(calls) / best


def import_report() -> tuple[list[str], float]:
    """Holiday-table modules loaded by ``import keyaccount``, and its cumulative import time."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import keyaccount"],
        capture_output=True,
        text=True,
        check=True,
        cwd=_HERE.parent,
    )
    loaded: set[str] = set()
    keyaccount_us = 0
    line_format = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")
    for line in result.stderr.splitlines():
        match = line_format.match(line)
        if match is None:
            continue
        module = match[4]
        top = module.split(".")[0]
        if top in ("chinese_calendar", "holidays"):
            loaded.add(top)
        if module == "keyaccount":
            keyaccount_us = int(match[2])
    return sorted(loaded), keyaccount_us / 1000


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    cal = WorkCalendar.china()
    assert cal.covered_years is not None
    first_year, last_year = cal.covered_years
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    rng = random.Random(SEED)
    span = (last - MARGIN).toordinal() - first.toordinal()
    calls: list[Call] = [
        (dt.date.fromordinal(first.toordinal() + rng.randrange(span + 1)), rng.randint(1, MAX_N))
        for _ in range(CALLS)
    ]
    subsample = calls[:HOLIDAYS_CALLS]

    baseline = prefix_count_baseline(cal, first, last)
    reference = holidays.country_holidays("CN", years=range(first_year, last_year + 1))
    cal.add_workdays(first, 1)  # build keyaccount's table before timing, like the baseline's

    disagreements = sum(cal.add_workdays(d, n) != baseline(d, n) for d, n in calls)
    disagreements += sum(
        reference.get_nth_working_day(d, n) != cal.add_workdays(d, n) for d, n in subsample
    )

    # Interleave the passes so both sides see the same machine load (other processes on
    # a 2-core machine otherwise skew whichever side happens to run during a busy spell).
    ours = table = 0.0
    for _ in range(REPEATS):
        ours = max(ours, calls_per_second(cal.add_workdays, calls, repeats=1))
        table = max(table, calls_per_second(baseline, calls, repeats=1))
    theirs = calls_per_second(reference.get_nth_working_day, subsample)

    print(f"add_workdays benchmark: china calendar {first_year}-{last_year}, seed {SEED}")
    print(
        f"  {CALLS:,} random start dates from {first} to {last - MARGIN} "
        f"(so that +{MAX_N} working days stay covered), n in 1..{MAX_N}; best of {REPEATS}"
    )
    print(f"  keyaccount add_workdays        {ours:>12,.0f} calls/s")
    print(f"  (a) prefix-count table         {table:>12,.0f} calls/s")
    print(
        f"  (b) holidays get_nth_working_day {theirs:>10,.0f} calls/s "
        f"(measured on the first {HOLIDAYS_CALLS:,} calls, scaled to calls/s)"
    )
    print(
        f"  agreement: {disagreements} disagreements "
        f"({CALLS:,} calls against (a), {HOLIDAYS_CALLS:,} against (b))"
    )
    slowdown = table / ours
    speedup = ours / theirs
    print(
        f"  goal: within 2x of (a)          {slowdown:5.2f}x slower than (a)   "
        f"{verdict(slowdown <= 2)}"
    )
    print(
        f"  goal: >= 30x faster than (b)    {speedup:5.1f}x faster than (b)   "
        f"{verdict(speedup >= 30)}"
    )
    print(
        f"  goal: all three agree                                    {verdict(not disagreements)}"
    )

    loaded, import_ms = import_report()
    print("import keyaccount (python -X importtime, fresh interpreter):")
    print(f"  cumulative import time of keyaccount: {import_ms:.1f} ms")
    print(
        f"  holiday tables loaded on import: {', '.join(loaded) or 'none'}   {verdict(not loaded)}"
    )
    ok = slowdown <= 2 and speedup >= 30 and not disagreements and not loaded
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
