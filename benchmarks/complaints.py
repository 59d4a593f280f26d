"""Benchmark: ``sla_status`` for many open complaints against an independent hand-written SLA.

Each complaint has 6 events (received, accepted, assigned, paused, resumed, escalated),
so it is open with a met-or-breached acceptance target and a running (or breached)
resolution target whose clock was paused once. One complaint in six is a suggestion
(建议) with a 5-working-day resolution target: its paused working time is added as
working time after the midnight that ends its due date.

The baseline is what a team would write by hand for the same rule, sharing nothing with
the library but the calendar's list of working days: a per-day table of working time
(built once from ``cal.is_workday(day)``, one call per day, and the 09:00-12:00,
13:00-18:00 windows), prefix sums over it, instants converted with the standard
library's ``zoneinfo`` (Shanghai keeps one offset, so local wall time is enough), and
the figures computed from the events held as plain tuples of stdlib datetimes: each
target's due instant, state, time used, time left and nearing breach. Before timing,
both answers are checked equal on every complaint of the run.

Also timed: ``sla_status`` reading each clock figure from the calendar's own methods
(the evaluation before issue 13, still its fallback and its reference in the tests), to
show what the SLA's own memo saves apart from the calendar's speed.

Timing: CPU time (``time.process_time``), library and baseline interleaved, median of
3 runs. The building of the complaints from their events (the fold) is timed apart and
not part of the per-complaint figure.

Goal (issue 13): ``sla_status`` at most 25 µs per complaint.

    .venv/bin/python -m benchmarks.complaints            # 100,000 complaints
    .venv/bin/python -m benchmarks.complaints --quick    # 10,000
"""

from __future__ import annotations

# benchmarks/calendar.py would shadow the standard library's `calendar` (which pendulum
# imports) when a script here runs with this folder first on sys.path: drop the folder.
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402 - after the sys.path fix above
import bisect  # noqa: E402 - after the sys.path fix above
import datetime as dt  # noqa: E402 - after the sys.path fix above
import random  # noqa: E402 - after the sys.path fix above
import statistics  # noqa: E402 - after the sys.path fix above
import time  # noqa: E402 - after the sys.path fix above
from collections.abc import Callable  # noqa: E402 - after the sys.path fix above
from typing import Any  # noqa: E402 - after the sys.path fix above
from zoneinfo import ZoneInfo  # noqa: E402 - after the sys.path fix above

import pendulum  # noqa: E402 - after the sys.path fix above

from keyaccount import (  # noqa: E402 - after the sys.path fix above
    Accepted,
    Assigned,
    Complaint,
    ComplaintEvent,
    ComplaintPolicy,
    Escalated,
    Paused,
    Received,
    RequestKind,
    Resumed,
    Severity,
    WorkCalendar,
    Workdays,
    WorkingHours,
    sla_status,
)
from keyaccount.complaints.sla import _sla_status  # noqa: E402 - the calendar-clock path, for comparison

GOAL_US = 25.0
ZONE = "Asia/Shanghai"
KINDS = [
    (RequestKind.COMPLAINT, Severity.NORMAL),
    (RequestKind.COMPLAINT, Severity.URGENT),
    (RequestKind.COMPLAINT, Severity.MAJOR),
    (RequestKind.INQUIRY, Severity.NORMAL),
    (RequestKind.QUERY, Severity.URGENT),
    (RequestKind.SUGGESTION, Severity.NORMAL),
]
#: One complaint as the baseline holds it: id, kind, severity, events as (tag, at).
Raw = tuple[str, RequestKind, Severity, list[tuple[str, dt.datetime]]]
#: Per target: due instant, state, time used, time left, nearing breach.
Figures = tuple[dt.datetime, str, dt.timedelta, dt.timedelta, bool]


def make_data(
    n: int, seed: int = 5
) -> tuple[list[tuple[str, tuple[ComplaintEvent, ...]]], list[Raw]]:
    """The same histories as the library's event objects and as plain tuples."""
    rng = random.Random(seed)
    zone = ZoneInfo(ZONE)
    base = dt.datetime(2025, 1, 2, tzinfo=zone)
    objects: list[tuple[str, tuple[ComplaintEvent, ...]]] = []
    raws: list[Raw] = []
    for i in range(n):
        kind, severity = KINDS[i % len(KINDS)]
        times = [base + dt.timedelta(minutes=rng.randrange(0, 360 * 24 * 60))]
        for gap in (rng.randrange(0, 300), 20, rng.randrange(30, 900), rng.randrange(60, 4000), 30):
            times.append(times[-1] + dt.timedelta(minutes=gap))
        at = [pendulum.instance(t) for t in times]
        cid = f"C-{i}"
        objects.append(
            (
                cid,
                (
                    Received(at[0], kind, severity, "acme", "电话", "late delivery"),
                    Accepted(at[1], "cs-specialist"),
                    Assigned(at[2], "cs-supervisor"),
                    Paused(at[3]),
                    Resumed(at[4]),
                    Escalated(at[5], "crm-director", "重大投诉", "一汽-大众"),
                ),
            )
        )
        tags = ("received", "accepted", "assigned", "paused", "resumed", "escalated")
        raws.append((cid, kind, severity, list(zip(tags, times, strict=True))))
    return objects, raws


# --------------------------------------------------------------------------- the baseline


class HandSla:
    """The SLA rule written by hand: per-day working time, prefix sums, zoneinfo.

    Positions are working microseconds since ``first`` (a local date); the windows are
    local wall-clock microseconds of the day (Shanghai has no clock changes).
    """

    def __init__(self, cal: WorkCalendar, first: dt.date, last: dt.date) -> None:
        self.zone = ZoneInfo(ZONE)
        self.windows = [
            (9 * 3_600_000_000, 12 * 3_600_000_000),
            (13 * 3_600_000_000, 18 * 3_600_000_000),
        ]
        day_us = sum(end - start for start, end in self.windows)
        self.base = first.toordinal()
        self.days = [dt.date.fromordinal(o) for o in range(self.base, last.toordinal() + 1)]
        self.works = [cal.is_workday(day) for day in self.days]  # the one calendar call per day
        self.before = [0]  # before[i]: working microseconds of the days before day i
        for works in self.works:
            self.before.append(self.before[-1] + (day_us if works else 0))
        self.workdays = [i for i, works in enumerate(self.works) if works]
        self.count = [0]  # count[i]: working days among the days before day i
        for works in self.works:
            self.count.append(self.count[-1] + works)

    def position(self, at: dt.datetime) -> int:
        """Working microseconds from ``first`` to the instant ``at``."""
        local = at.astimezone(self.zone)
        i = local.toordinal() - self.base
        position = self.before[i]
        if self.works[i]:
            wall = (
                (local.hour * 60 + local.minute) * 60 + local.second
            ) * 1_000_000 + local.microsecond
            for start, end in self.windows:
                if wall <= start:
                    break
                position += (wall if wall < end else end) - start
        return position

    def instant(self, position: int) -> dt.datetime:
        """The first instant at which ``position`` working microseconds have passed."""
        i = bisect.bisect_left(self.before, position, 1) - 1
        remaining = position - self.before[i]
        for start, end in self.windows:
            if remaining <= end - start:
                wall = start + remaining
                break
            remaining -= end - start
        day = self.days[i]
        return dt.datetime(day.year, day.month, day.day, tzinfo=self.zone) + dt.timedelta(
            microseconds=wall
        )

    def end_of_workday_after(self, at: dt.datetime, n: int) -> dt.datetime:
        """The local midnight ending the n-th working day after ``at``'s local date."""
        i = at.astimezone(self.zone).toordinal() - self.base
        due = self.days[self.workdays[self.count[i + 1] + n - 1]] + dt.timedelta(days=1)
        return dt.datetime(due.year, due.month, due.day, tzinfo=self.zone)

    def run(  # noqa: PLR0912, PLR0915 - deliberately one inlined loop, the baseline
        self,
        raws: list[Raw],
        targets: dict[tuple[RequestKind, Severity], tuple[int, int, Any, int]],
        as_of: dt.datetime,
    ) -> list[tuple[str, Figures, Figures]]:
        """Acceptance and resolution figures of every complaint (see the module)."""
        pos, instant, us = self.position, self.instant, dt.timedelta(microseconds=1)
        now = pos(as_of)
        out = []
        for cid, kind, severity, events in raws:
            acc, acc_warn, res, res_warn = targets[kind, severity]
            received: dt.datetime | None = None
            accepted: dt.datetime | None = None
            paused_at: dt.datetime | None = None
            pauses: list[tuple[int, int]] = []
            for tag, at in events:
                if tag == "received":
                    received = at
                elif tag == "accepted":
                    accepted = at
                elif tag == "paused":
                    paused_at = at
                elif tag == "resumed":
                    assert paused_at is not None
                    pauses.append((pos(paused_at), pos(at)))
            assert received is not None
            start = pos(received)
            # acceptance: done (accepted), never paused
            due = instant(start + acc)
            used = pos(accepted) - start if accepted is not None else now - start
            if accepted is not None:
                state = "met" if accepted < due else "breached"
            else:
                state = "breached" if as_of >= due else "running"
            left = acc - used
            a = (due, state, used * us, left * us, state == "running" and left <= acc_warn)
            # resolution: running; paused working time extends the deadline
            paused = 0
            if isinstance(res, Workdays):
                unpaused = self.end_of_workday_after(received, res.n)
                due_pos = unpaused_pos = pos(unpaused)
                due = unpaused
                for p0, p1 in pauses:
                    if p0 >= due_pos:
                        break
                    paused += p1 - p0
                    due_pos = unpaused_pos + paused
                    due = instant(due_pos) if paused else unpaused
                left = due_pos - now
            else:
                remaining, cursor = res, start
                for p0, p1 in pauses:
                    if p0 - cursor >= remaining:
                        break
                    remaining -= p0 - cursor
                    paused += p1 - p0
                    cursor = p1
                due = instant(cursor + remaining)
                left = res - (now - start - paused)
            used = now - start - paused
            state = "breached" if as_of >= due else "running"
            r = (due, state, used * us, left * us, state == "running" and left <= res_warn)
            out.append((cid, a, r))
        return out


# --------------------------------------------------------------------------- the library


def library(
    complaints: list[Complaint],
    policy: ComplaintPolicy,
    cal: WorkCalendar,
    as_of: pendulum.DateTime,
) -> list[tuple[str, Figures, Figures]]:
    """The same figures through ``sla_status``."""
    out: list[tuple[str, Figures, Figures]] = []
    for c in complaints:
        acc, res = sla_status(c, policy, cal, as_of).targets
        out.append(
            (
                c.id,
                (acc.deadline, acc.state.value, acc.time_used, acc.time_left, acc.nearing_breach),
                (res.deadline, res.state.value, res.time_used, res.time_left, res.nearing_breach),
            )
        )
    return out


def calendar_clock(
    complaints: list[Complaint],
    policy: ComplaintPolicy,
    cal: WorkCalendar,
    as_of: pendulum.DateTime,
) -> None:
    """``sla_status`` reading every clock figure from the calendar's own methods (one call
    per figure, as before issue 13): what the SLA's own memo saves, apart from the
    calendar's speed."""
    for c in complaints:
        _sla_status(c, policy, cal, as_of, fast=False)


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10,000 complaints instead of 100,000")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    cal = WorkCalendar.china()
    policy = ComplaintPolicy.default()
    as_of = pendulum.datetime(2026, 1, 15, 10, 0, tz=ZONE)
    as_of_stdlib = dt.datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo(ZONE))
    targets: dict[tuple[RequestKind, Severity], tuple[int, int, Any, int]] = {}
    us = dt.timedelta(microseconds=1)
    for kind, severity in KINDS:
        rule = policy.rule_for(kind, severity)
        acc, res = rule.acceptance, rule.resolution
        assert isinstance(acc.within, WorkingHours)
        assert isinstance(acc.warn, WorkingHours)
        assert isinstance(res.within, (WorkingHours, Workdays))
        assert isinstance(res.warn, WorkingHours)
        resolution = res.within if isinstance(res.within, Workdays) else res.within.duration // us
        targets[kind, severity] = (
            acc.within.duration // us,
            acc.warn.duration // us,
            resolution,
            res.warn.duration // us,
        )
    objects, raws = make_data(n)
    hand = HandSla(cal, dt.date(2024, 12, 1), dt.date(2026, 12, 31))  # built once, not timed

    builds = []
    for _ in range(3):
        start = time.process_time()
        complaints = [Complaint(cid, events) for cid, events in objects]
        builds.append(time.process_time() - start)

    # Checked equal on every complaint before any timing (this also warms both up).
    got = library(complaints, policy, cal, as_of)
    expected = hand.run(raws, targets, as_of_stdlib)
    for mine, theirs in zip(got, expected, strict=True):
        assert mine == theirs, f"the library and the hand-written SLA disagree: {mine} != {theirs}"

    lib_times, hand_times, ref_times = [], [], []
    for _ in range(3):  # interleaved
        lib_times.append(_cpu(lambda: library(complaints, policy, cal, as_of)))
        hand_times.append(_cpu(lambda: hand.run(raws, targets, as_of_stdlib)))
        ref_times.append(_cpu(lambda: calendar_clock(complaints, policy, cal, as_of)))
    t_lib, t_hand, t_ref, t_build = (
        statistics.median(t) for t in (lib_times, hand_times, ref_times, builds)
    )
    per_lib, per_hand, per_ref, per_build = (t / n * 1e6 for t in (t_lib, t_hand, t_ref, t_build))

    print(
        f"complaints: {n:,} open, 6 events each; as of {as_of.isoformat()}; CPU time, median of 3"
    )
    print(f"  checked equal on all {n:,}: due instant, state, time used, time left, nearing breach")
    print(f"hand-written SLA (zoneinfo, prefix table)  {per_hand:7.2f} µs/complaint")
    print(
        f"sla_status                                 {per_lib:7.2f} µs/complaint"
        f"  ratio {t_lib / t_hand:.2f}x the hand-written SLA"
    )
    print(
        f"  on the calendar's own clock:             {per_ref:7.2f} µs/complaint"
        f"  (the SLA's memo is {t_ref / t_lib:.2f}x faster)"
    )
    print(
        f"  (building the complaints, the fold:      {per_build:7.2f} µs/complaint, not included)"
    )
    verdict = "PASS" if per_lib <= GOAL_US else "MISS"
    print(f"{verdict}: sla_status {per_lib:.1f} µs per complaint (goal at most {GOAL_US:.0f} µs)")


if __name__ == "__main__":
    main()
