"""approval_route on a generated chart of 10,000 positions and depth 8.

Measures `keyaccount.approval_route` against two baselines measured in the same run,
on the same requests, CPU time, median of 3 rounds taken in turns:

(a) a minimal hand-written walk over two dicts (a parent map and a
    ``{(position, subject): limit}`` map) with the same semantics: from the requester's
    superior upwards, the first position whose limit on the subject is at least the amount
    (no limit covers everything). It is given the plain amount (``Decimal`` or ``int``);
(b) what a CRM team writes in its database: a SQLite recursive CTE (in memory, one
    prepared statement, one query per request) over tables ``positions(id, reports_to)``
    and ``rights(position, subject, kind, limit_amount, currency)`` holding the same chart
    (the primary key on ``positions.id``, an index on ``rights(position, subject)``),
    walking up from the requester to the first position whose right covers the amount.

The library is measured three times: with the amount as `Money`, as an ``int`` and as a
``Decimal``. Both baselines must name the same approver as the library on every request
before anything is timed; each answer is then dropped as a request handler drops it.
Goals: each library figure within 3x of (a); the SQLite CTE at least 10x the library's
time (with `Money` amounts).

    .venv/bin/python -m benchmarks.authority [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the standard library's `calendar` (which pendulum
# imports) while this folder is first on sys.path; drop the folder before other imports.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402 - after the sys.path fix above
import random  # noqa: E402 - after the sys.path fix above
import sqlite3  # noqa: E402 - after the sys.path fix above
import statistics  # noqa: E402 - after the sys.path fix above
import time  # noqa: E402 - after the sys.path fix above
from collections.abc import Callable, Sequence  # noqa: E402 - after the sys.path fix above
from decimal import Decimal  # noqa: E402 - after the sys.path fix above
from typing import Any  # noqa: E402 - after the sys.path fix above

from keyaccount import (  # noqa: E402 - after the sys.path fix above
    ApprovalRoute,
    Authority,
    AuthorityKind,
    Money,
    OrgChart,
    Position,
    approval_route,
)
from keyaccount.errors import NoApproverError  # noqa: E402 - after the sys.path fix above

SEED = 20260301
SUBJECTS = ("expense", "customer-credit", "contract")


def build_chart(size: int, depth: int, seed: int = SEED) -> OrgChart:
    """A tree of ``size`` positions: level L holds 3**L positions, the rest at level ``depth``.

    The top approves everything without a limit; below it each position holds an approval
    right on a subject with probability 0.6, with a limit that grows towards the top.
    """
    rng = random.Random(seed)
    sizes = [3**level for level in range(depth)]
    sizes.append(size - sum(sizes))
    if sizes[-1] <= 0:
        raise SystemExit(f"{size} positions are too few for depth {depth}")
    positions: list[Position] = []
    previous: list[str] = []
    for level, count in enumerate(sizes):
        current = [f"L{level}-{i}" for i in range(count)]
        for pid in current:
            rights = []
            for subject in SUBJECTS:
                if level == 0:
                    rights.append(Authority(AuthorityKind.APPROVE, subject))
                elif rng.random() < 0.6:
                    limit = Money(rng.randint(1, 9) * 10 ** (depth + 1 - level))
                    rights.append(Authority(AuthorityKind.APPROVE, subject, limit=limit))
            superior = rng.choice(previous) if previous else None
            positions.append(Position(pid, pid, pid, "bench", superior, authorities=tuple(rights)))
        previous = current
    return OrgChart("bench", "基准", "Benchmark", tuple(positions))


Request = tuple[str, str, Money]
Outcome = tuple[str | None, tuple[str, ...]]  # the approver and the chain walked
Found = tuple[str | None, int]  # the approver and the number of levels walked


def make_requests(chart: OrgChart, count: int, seed: int = SEED + 1) -> list[Request]:
    rng = random.Random(seed)
    requesters = [p.id for p in chart.positions if p.superior is not None]
    return [
        (rng.choice(requesters), rng.choice(SUBJECTS), Money(rng.randint(1, 10**9)))
        for _ in range(count)
    ]


# --------------------------------------------------------------------------- (a) dict walk


def dict_walker(chart: OrgChart) -> Callable[[str, str, Decimal | int], Outcome]:
    parent = {p.id: p.superior for p in chart.positions}
    limits: dict[tuple[str, str], Decimal | None] = {}
    for position in chart.positions:
        for authority in position.authorities:
            limit = authority.limit
            limits[(position.id, authority.subject)] = None if limit is None else limit.amount
    missing = object()

    def walk(requester: str, subject: str, amount: Decimal | int) -> Outcome:
        chain: list[str] = []
        current = parent[requester]
        while current is not None:
            chain.append(current)
            limit = limits.get((current, subject), missing)
            if limit is not missing and (limit is None or amount <= limit):  # type: ignore[operator]  # limit is a Decimal here
                return current, tuple(chain)
            current = parent[current]
        return None, tuple(chain)

    return walk


# --------------------------------------------------------------------------- (b) SQLite CTE

COVERS = """EXISTS (
        SELECT 1 FROM rights
        WHERE rights.position = {holder} AND rights.subject = :subject
          AND rights.kind IN ('approve', 'decide')
          AND (rights.limit_amount IS NULL
               OR (rights.currency = :currency AND :amount <= rights.limit_amount))
    )"""
ROUTE_SQL = f"""
WITH RECURSIVE up(id, depth, covers) AS (
    SELECT reports_to, 1, {COVERS.format(holder="positions.reports_to")}
    FROM positions WHERE id = :requester
    UNION ALL
    SELECT positions.reports_to, up.depth + 1, {COVERS.format(holder="positions.reports_to")}
    FROM up JOIN positions ON positions.id = up.id
    WHERE NOT up.covers
)
SELECT id, depth FROM up WHERE covers
"""


def sqlite_router(chart: OrgChart) -> Callable[[str, str, Money], Found]:
    """The chart in an in-memory SQLite database, routed by one recursive query.

    The query climbs the reporting lines one row per level, each row saying whether the
    position it reaches holds a right covering the amount, and stops at the first that
    does: that row is the answer (none when nobody above covers the amount).
    """
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        CREATE TABLE positions (id TEXT PRIMARY KEY, reports_to TEXT);
        CREATE TABLE rights (
            position TEXT, subject TEXT, kind TEXT, limit_amount NUMERIC, currency TEXT
        );
        CREATE INDEX rights_by_position ON rights (position, subject);
        """
    )
    db.executemany("INSERT INTO positions VALUES (?, ?)", [(p.id, p.superior) for p in chart])
    db.executemany(
        "INSERT INTO rights VALUES (?, ?, ?, ?, ?)",
        [
            (
                p.id,
                a.subject,
                a.kind.value,
                None if a.limit is None else _number(a.limit.amount),
                None if a.limit is None else a.limit.currency,
            )
            for p in chart
            for a in p.authorities
        ],
    )
    cursor = db.cursor()  # sqlite3 keeps the statement prepared between calls

    def route(requester: str, subject: str, amount: Money) -> Found:
        parameters = {
            "requester": requester,
            "subject": subject,
            "amount": _number(amount.amount),
            "currency": amount.currency,
        }
        found = cursor.execute(ROUTE_SQL, parameters).fetchone()
        return (None, 0) if found is None else found

    return route


def _number(amount: Decimal) -> int | str:
    """An amount as SQLite compares it exactly: an int, else its decimal text."""
    return int(amount) if amount == amount.to_integral_value() else str(amount)


# --------------------------------------------------------------------------- measuring


def ours(chart: OrgChart, requester: str, subject: str, amount: object) -> Found:
    try:
        route: ApprovalRoute = approval_route(chart, requester, subject, amount)  # type: ignore[arg-type]  # Money, int or Decimal
    except NoApproverError:
        return None, len(chart.chain_of_command(requester))
    return route.approver, len(route.chain)


def answer_each(route: Callable[[str, str, Any], object], requests: Sequence[Any]) -> None:
    """Route each request and drop the answer, as a request handler does.

    Keeping every answer alive would time the garbage collector's passes over the
    chart (which grow with the answers kept) rather than the routes.
    """
    for requester, subject, amount in requests:
        route(requester, subject, amount)


def medians(rounds: int, *runs: Callable[[], object]) -> tuple[float, ...]:
    """The median CPU time of ``rounds`` timings of each of ``runs``, in seconds.

    The runs take turns round by round, so that a busy spell of a shared machine slows
    all of them alike and the ratios between them stay fair.
    """
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(rounds):
        for i, run in enumerate(runs):
            start = time.process_time()
            run()
            times[i].append(time.process_time() - start)
    return tuple(statistics.median(t) for t in times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    args = parser.parse_args(argv)
    size, depth = 10_000, 8
    count = 5_000 if args.quick else 50_000
    rounds = 3

    started = time.perf_counter()
    chart = build_chart(size, depth)
    requests = make_requests(chart, count)
    walk = dict_walker(chart)
    router = sqlite_router(chart)
    decimals = [(r, s, a.amount) for r, s, a in requests]
    ints = [(r, s, int(a.amount)) for r, s, a in requests]
    built = time.perf_counter() - started
    rights = sum(len(p.authorities) for p in chart)
    print(f"chart: {len(chart)} positions, {rights} rights, depth {depth}, built in {built:.2f} s")
    started = time.perf_counter()
    ours(chart, *requests[0])  # the first route builds the chart's ladders, once
    print(f"first route (builds the chart's ladders once): {time.perf_counter() - started:.2f} s")
    print(f"requests: {count}, each timed {rounds} times (CPU time, median)")

    disagreements = 0
    for (requester, subject, money), (_, _, number) in zip(requests, ints, strict=True):
        expected = ours(chart, requester, subject, money)
        approver, chain = walk(requester, subject, money.amount)
        same = (
            (approver, len(chain)) == expected
            and walk(requester, subject, number) == (approver, chain)
            and ours(chart, requester, subject, number) == expected
            and ours(chart, requester, subject, money.amount) == expected
            and router(requester, subject, money)[0] == expected[0]
        )
        disagreements += not same
    mean_chain = sum(len(walk(r, s, a)[1]) for r, s, a in decimals) / count
    print(f"mean levels walked per route: {mean_chain:.1f}")
    print(f"requests on which a baseline named another approver: {disagreements}")

    t_money, t_int, t_decimal, t_walk, t_walk_int, t_sqlite = medians(
        rounds,
        lambda: answer_each(lambda r, s, a: approval_route(chart, r, s, a), requests),
        lambda: answer_each(lambda r, s, a: approval_route(chart, r, s, a), ints),
        lambda: answer_each(lambda r, s, a: approval_route(chart, r, s, a), decimals),
        lambda: answer_each(walk, decimals),
        lambda: answer_each(walk, ints),
        lambda: answer_each(router, requests),
    )

    def rate(seconds: float) -> str:
        return f"{count / seconds:>10,.0f} routes/s  ({seconds / count * 1e6:7.2f} us/route)"

    print(f"approval_route, Money amount  : {rate(t_money)}")
    print(f"approval_route, int amount    : {rate(t_int)}")
    print(f"approval_route, Decimal amount: {rate(t_decimal)}")
    print(f"(a) dict walk, Decimal amount : {rate(t_walk)}")
    print(f"(a) dict walk, int amount     : {rate(t_walk_int)}")
    print(f"(b) SQLite recursive CTE      : {rate(t_sqlite)}")
    figures = [
        ("library(Money) / dict walk", t_money / t_walk, "x the time (goal <= 3)", True),
        ("library(int) / dict walk", t_int / t_walk_int, "x the time (goal <= 3)", True),
        ("library(Decimal) / dict walk", t_decimal / t_walk, "x the time (goal <= 3)", True),
        ("SQLite CTE / library(Money)", t_sqlite / t_money, "x the time (goal >= 10)", False),
    ]
    ceiling = t_sqlite / t_walk
    print(f"(for scale: SQLite CTE / dict walk = {ceiling:.2f}x: a library as fast as (a))")
    verdicts = [disagreements == 0]
    print(f"{'PASS' if disagreements == 0 else 'MISS'}: every baseline names the same approver")
    for name, ratio, goal, at_most in figures:
        ok = ratio <= 3 if at_most else ratio >= 10
        verdicts.append(ok)
        print(f"{'PASS' if ok else 'MISS'}: {name:30} = {ratio:6.2f}{goal}")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
