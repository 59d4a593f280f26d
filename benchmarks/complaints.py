"""Benchmark: ``sla_status`` for many open complaints against a hand-written loop.

Each complaint has 6 events (received, accepted, assigned, paused, resumed, escalated),
so it is open with a met-or-breached acceptance target and a running (or breached)
resolution target whose clock was paused once. One complaint in six is a suggestion
(建议) with a 5-working-day resolution target: its paused working time is added as
working time after the midnight that ends its due date. The baseline is a hand-written loop
over the same events, as plain tuples, calling the same calendar methods and computing
the same figures (deadline, state, time used, time left, nearing breach); the two
results are checked to agree. The calendar's working-time arithmetic is the real cost
of both.

Goal: building the complaints from their events and computing ``sla_status`` takes at
most 3x the hand-written loop.

    .venv/bin/python benchmarks/complaints.py            # 100,000 complaints
    .venv/bin/python benchmarks/complaints.py --quick    # 10,000
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
import random  # noqa: E402 - after the sys.path fix above
import time  # noqa: E402 - after the sys.path fix above
from typing import Any  # noqa: E402 - after the sys.path fix above

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
    SlaState,
    WorkCalendar,
    Workdays,
    WorkingHours,
    sla_status,
)

GOAL = 3.0
KINDS = [
    (RequestKind.COMPLAINT, Severity.NORMAL),
    (RequestKind.COMPLAINT, Severity.URGENT),
    (RequestKind.COMPLAINT, Severity.MAJOR),
    (RequestKind.INQUIRY, Severity.NORMAL),
    (RequestKind.QUERY, Severity.URGENT),
    (RequestKind.SUGGESTION, Severity.NORMAL),
]
Raw = tuple[str, pendulum.DateTime, str]


def make_data(
    n: int, seed: int = 5
) -> tuple[
    list[tuple[str, tuple[ComplaintEvent, ...]]], list[tuple[str, RequestKind, Severity, list[Raw]]]
]:
    """The same histories as event objects and as plain tuples."""
    rng = random.Random(seed)
    tz = "Asia/Shanghai"
    base = pendulum.datetime(2025, 1, 2, 0, 0, tz=tz)
    objects: list[tuple[str, tuple[ComplaintEvent, ...]]] = []
    raws: list[tuple[str, RequestKind, Severity, list[Raw]]] = []
    for i in range(n):
        kind, severity = KINDS[i % len(KINDS)]
        t0 = base + dt.timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
        times = [t0]
        for gap in (rng.randrange(0, 300), 20, rng.randrange(30, 900), rng.randrange(60, 4000), 30):
            times.append(times[-1] + dt.timedelta(minutes=gap))
        cid = f"C-{i}"
        events: tuple[ComplaintEvent, ...] = (
            Received(times[0], kind, severity, "acme", "电话", "late delivery"),
            Accepted(times[1], "cs-specialist"),
            Assigned(times[2], "cs-supervisor"),
            Paused(times[3]),
            Resumed(times[4]),
            Escalated(times[5], "crm-director", "重大投诉", "一汽-大众"),
        )
        objects.append((cid, events))
        raws.append(
            (
                cid,
                kind,
                severity,
                [
                    ("received", times[0], ""),
                    ("accepted", times[1], "cs-specialist"),
                    ("assigned", times[2], "cs-supervisor"),
                    ("paused", times[3], ""),
                    ("resumed", times[4], ""),
                    ("escalated", times[5], "crm-director"),
                ],
            )
        )
    return objects, raws


def hand_loop(  # noqa: PLR0912, PLR0915 - deliberately one inlined loop, the baseline
    raws: list[tuple[str, RequestKind, Severity, list[Raw]]],
    targets: dict[tuple[RequestKind, Severity], tuple[Any, ...]],
    cal: WorkCalendar,
    as_of: pendulum.DateTime,
) -> list[tuple[Any, ...]]:
    """The figures, computed directly: one pass over the events, then the calendar."""
    wt = cal.working_time_between
    add = cal.add_working_time
    tz = cal.tz
    out = []
    for cid, kind, severity, events in raws:
        acc, acc_warn, res, res_warn = targets[kind, severity]
        received = accepted = None
        pauses: list[tuple[pendulum.DateTime, pendulum.DateTime]] = []
        pause_start = received
        for tag, at, _ in events:
            if tag == "received":
                received = at
            elif tag == "accepted":
                accepted = at
            elif tag == "paused":
                pause_start = at
            elif tag == "resumed":
                assert pause_start is not None
                pauses.append((pause_start, at))
        assert received is not None
        # acceptance: no pauses before acceptance
        end = accepted if accepted is not None else as_of
        due = add(received, acc)
        used = wt(received, end)
        left = acc - used
        if accepted is not None:
            state = SlaState.MET if accepted < due else SlaState.BREACHED
        else:
            state = SlaState.BREACHED if as_of >= due else SlaState.RUNNING
        near = state is SlaState.RUNNING and left <= acc_warn
        a = (due, state, used, left, near)
        # resolution: running, paused time extends the deadline
        paused = dt.timedelta(0)
        if isinstance(res, int):  # working days: paused time runs on from the midnight
            day = cal.add_workdays(received.in_timezone(tz).date(), res).add(days=1)
            unpaused = pendulum.datetime(day.year, day.month, day.day, tz=tz)
            due = unpaused
            for p0, p1 in pauses:
                if p0 >= due:
                    break
                paused += wt(p0, p1)
                due = add(unpaused, paused)
            used = wt(received, as_of) - paused
            left = wt(as_of, due)
        else:
            remaining, cursor = res, received
            for p0, p1 in pauses:
                before = wt(cursor, p0)
                if before >= remaining:
                    break
                remaining -= before
                paused += wt(p0, p1)
                cursor = p1
            due = add(cursor, remaining)
            used = wt(received, as_of) - paused
            left = res - used
        state = SlaState.BREACHED if as_of >= due else SlaState.RUNNING
        near = state is SlaState.RUNNING and left <= res_warn
        out.append((cid, a, (due, state, used, left, near)))
    return out


def library(
    complaints: list[Complaint],
    policy: ComplaintPolicy,
    cal: WorkCalendar,
    as_of: pendulum.DateTime,
) -> list[tuple[Any, ...]]:
    """The same figures through ``sla_status``."""
    out = []
    for c in complaints:
        acc, res = sla_status(c, policy, cal, as_of).targets
        out.append(
            (
                c.id,
                (acc.deadline, acc.state, acc.time_used, acc.time_left, acc.nearing_breach),
                (res.deadline, res.state, res.time_used, res.time_left, res.nearing_breach),
            )
        )
    return out


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 complaints instead of 100,000")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    cal = WorkCalendar.china()
    policy = ComplaintPolicy.default()
    as_of = pendulum.datetime(2026, 1, 15, 10, 0, tz="Asia/Shanghai")
    targets: dict[tuple[RequestKind, Severity], tuple[Any, ...]] = {}
    for kind, severity in KINDS:
        rule = policy.rule_for(kind, severity)
        assert isinstance(rule.acceptance.within, WorkingHours)
        assert isinstance(rule.resolution.within, (WorkingHours, Workdays))
        assert isinstance(rule.acceptance.warn, WorkingHours)
        assert isinstance(rule.resolution.warn, WorkingHours)
        resolution = rule.resolution.within
        targets[kind, severity] = (
            rule.acceptance.within.duration,
            rule.acceptance.warn.duration,
            resolution.n if isinstance(resolution, Workdays) else resolution.duration,
            rule.resolution.warn.duration,
        )
    objects, raws = make_data(n)
    cal.working_time_between(as_of, as_of.add(days=1))  # build the calendar tables once

    t0 = time.perf_counter()
    expected = hand_loop(raws, targets, cal, as_of)
    t_hand = time.perf_counter() - t0

    t0 = time.perf_counter()
    complaints = [Complaint(cid, events) for cid, events in objects]
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = library(complaints, policy, cal, as_of)
    t_sla = time.perf_counter() - t0
    t_full = t_build + t_sla

    assert got == expected, "the library and the hand-written loop disagree"

    ratio_full = t_full / t_hand
    print(f"complaints: {n:,} open, 6 events each; as of {as_of.isoformat()}")
    print(f"hand-written loop          {t_hand:7.2f} s  {n / t_hand:10,.0f} complaints/s")
    print(f"  build (fold, checked)    {t_build:7.2f} s  {n / t_build:10,.0f} complaints/s")
    print(f"  sla_status               {t_sla:7.2f} s  {n / t_sla:10,.0f} complaints/s")
    print(
        f"build + sla_status         {t_full:7.2f} s  {n / t_full:10,.0f} complaints/s"
        f"  ratio {ratio_full:.2f}x"
    )
    verdict = "PASS" if ratio_full <= GOAL else "FAIL"
    print(f"{verdict}: build + sla_status within {GOAL:.0f}x of the hand-written loop")


if __name__ == "__main__":
    main()
