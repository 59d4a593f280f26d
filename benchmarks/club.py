"""Balance and level of 1,000,000 club members with 20 ledger entries each vs a hand fold.

Measures `keyaccount.club.all_member_points(ledger, as_of, trail=False)` on ledgers
already built: the one fold of each member's operations (lots expiring oldest first,
redemptions, refunds, the level over a rolling window with a grace before a downgrade),
without collecting the entries and level history. Building the ledger
(`replay_ledger`, timed on its own) checks every operation once (its id applied once,
its card live, time order, the balance, the spend's currency and kind) and keys its
instant on the time line once; the fold trusts what the build checked.

Against it, what a team would write by hand, in the same run: one loop per member over
plain tuples (stdlib aware datetimes, ``Decimal`` spends, whole points) with the same
rules (rate x level multiplier rounded down, oldest lot first, the window and the
grace) and no checks. Both must agree on the balance AND level of every member (checked
each run). The data are generated once, in chunks of 1,000 members (a chunk is built,
folded by both sides and dropped, so the run fits in memory); both sides are timed in
CPU time, interleaved (which side goes first alternates), the median of 3 runs per
chunk, summed; at more than 100,000 members 1 run per chunk (the sum over the chunks
is the figure; the output says so). Goal: within 3x of the hand-written fold. Also
printed: the build time and the peak memory (max RSS).

    .venv/bin/python -m benchmarks.club [--quick] [--members N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import random
import resource
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable
from decimal import ROUND_FLOOR, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pendulum

from keyaccount.club import (
    DEFAULT_CLUB_POLICY,
    CardIssued,
    Earn,
    Ledger,
    Operation,
    Redeem,
    Reverse,
    all_member_points,
    fold_cards,
    replay_ledger,
)
from keyaccount.money import Money

SEED = 20260312
GOAL = 3.0
ENTRIES = 20
#: Members per chunk (the card records of a chunk are folded with a check per pair of
#: cards, so chunks stay small).
CHUNK = 1_000
#: Up to this many members each chunk is timed 3 times (median); above, once.
FEW = 100_000
TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
PENDULUM_ZONE = pendulum.timezone(TZ)
START = dt.datetime(2024, 1, 1, 10, tzinfo=ZONE)
AS_OF = pendulum.datetime(2026, 6, 30, 18, tz=TZ)
HAND_AS_OF = dt.datetime(2026, 6, 30, 18, tzinfo=ZONE)
POLICY = DEFAULT_CLUB_POLICY

#: One member's history as plain data: (kind, op id, instant, spend or points, earn id),
#: instants as stdlib aware datetimes (what a hand-written loop would use).
Plain = list[tuple[str, str, dt.datetime, Decimal | int, str]]


def histories(first: int, count: int, rng: random.Random) -> list[Plain]:
    """``count`` members' histories of ``ENTRIES`` operations each, in time order."""
    found = []
    for member in range(first, first + count):
        at = START + dt.timedelta(days=rng.randrange(60))
        ops: Plain = []
        earns: list[str] = []
        for step in range(ENTRIES):
            at = at + dt.timedelta(days=rng.randrange(1, 45), hours=rng.randrange(12))
            op_id = f"m{member}-{step}"
            roll = rng.random()
            if roll < 0.15 and earns:
                ops.append(("redeem", op_id, at, rng.randrange(1, 2000), ""))
            elif roll < 0.2 and earns:
                ops.append(("reverse", op_id, at, 0, earns.pop(rng.randrange(len(earns)))))
            else:
                spend = Decimal(rng.randrange(1_000, 1_500_000)).scaleb(-2)
                ops.append(("earn", op_id, at, spend, ""))
                earns.append(op_id)
        found.append(ops)
    return found


def ledger_of(first: int, plain: list[Plain]) -> tuple[Ledger, float, int]:
    """The library's ledger of the histories: the ledger, its build's CPU time, refusals.

    The operations get pendulum instants (what the library keeps), made field by field
    (as `pendulum.instance` would, without its per-call lookups: data preparation, not
    timed). A redemption beyond the balance is refused by `replay_ledger` and left out,
    as the hand fold skips it.
    """
    events = [
        CardIssued(START, f"C{first + i}", f"m{first + i}", START + dt.timedelta(days=3650))
        for i in range(len(plain))
    ]
    ops: list[Operation] = []
    for i, history in enumerate(plain):
        card = f"C{first + i}"
        for kind, op_id, at, value, earn_id in history:
            when = pendulum.DateTime(
                at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond,
                tzinfo=PENDULUM_ZONE, fold=at.fold,
            )  # fmt: skip
            if kind == "earn":
                ops.append(Earn(op_id, when, card, Money(value), "room"))
            elif kind == "redeem":
                ops.append(Redeem(op_id, when, card, int(value), "gift"))
            else:
                ops.append(Reverse(op_id, when, card, earn_id))
    cards = fold_cards(events)
    start = time.process_time()
    replayed = replay_ledger(cards, ops, POLICY)
    build = time.process_time() - start
    unexpected = {r.error for r in replayed.refusals} - {"InsufficientPointsError"}
    assert not unexpected, replayed.refusals
    return replayed.ledger, build, len(replayed.refusals)


def hand_member(  # noqa: PLR0915 - one loop, as a team would write it by hand
    history: Plain, as_of: dt.datetime
) -> tuple[int, int]:
    """The honest baseline: one member's balance and level rank by a plain loop."""
    levels = [(rule.threshold, rule.multiplier) for rule in POLICY.levels]
    rates = {rule.kind: rule.points_per_unit for rule in POLICY.earn_rules}
    window = dt.timedelta(days=POLICY.window_days)
    grace = dt.timedelta(days=POLICY.grace_days)
    expiry = dt.timedelta(days=POLICY.expiry_days)
    lots: deque[list[Any]] = deque()  # [expires, left, id]
    spends: deque[list[Any]] = deque()  # [leaves, amount, id]
    own: dict[str, tuple[int, list[Any]]] = {}
    total = Decimal(0)
    balance = rank = 0
    pending: dt.datetime | None = None

    def qualified() -> int:
        best = 0
        for i, (threshold, _) in enumerate(levels):
            if total >= threshold:
                best = i
        return best

    def evaluate(at: dt.datetime) -> None:
        nonlocal rank, pending
        q = qualified()
        if q > rank:
            rank, pending = q, None
        elif q < rank:
            pending = pending or at
        else:
            pending = None

    def advance(until: dt.datetime) -> None:
        nonlocal balance, total, rank, pending
        while lots and lots[0][0] <= until:
            balance -= lots.popleft()[1]
        while True:
            leaves = spends[0][0] if spends else None
            ends = pending + grace if pending is not None else None
            if ends is not None and (leaves is None or ends < leaves):
                if until < ends:
                    return
                pending = None
                q = qualified()
                rank = min(rank, q)
            elif leaves is not None:
                if until < leaves:
                    return
                while spends and spends[0][0] == leaves:
                    total -= spends.popleft()[1]
                evaluate(leaves)
            else:
                return

    for kind, op_id, at, value, earn_id in history:
        if at > as_of:
            break
        advance(at)
        if kind == "earn":
            exact = value * rates["room"] * levels[rank][1]
            points = int(exact.to_integral_value(rounding=ROUND_FLOOR))
            lot: list[Any] = [at + expiry, points, op_id]
            lots.append(lot)
            balance += points
            own[op_id] = (points, lot)
            spends.append([at + window, value, op_id])
            total += value
            evaluate(at)
        elif kind == "redeem":
            wanted = int(value)
            if wanted > balance:
                continue
            left = wanted
            for lot in lots:
                taken = min(lot[1], left)
                lot[1] -= taken
                left -= taken
                if not left:
                    break
            balance -= wanted
        else:
            if earn_id not in own:
                continue
            points, first = own.pop(earn_id)
            expired = 0 if first in lots else first[1]
            want = min(points - expired, balance)
            for lot in (first, *lots):
                taken = min(lot[1], want)
                lot[1] -= taken
                want -= taken
                balance -= taken
            for item in spends:
                if item[2] == earn_id:
                    total -= item[1]
                    item[1] = Decimal(0)
            evaluate(at)
    advance(as_of)
    return balance, rank


def hand_all(plain: list[Plain]) -> list[tuple[int, int]]:
    """The hand fold of every member of a chunk."""
    return [hand_member(history, HAND_AS_OF) for history in plain]


def cpu(run: Callable[[], Any]) -> tuple[float, Any]:
    """The CPU time of ``run()`` and its answer."""
    start = time.process_time()
    answer = run()
    return time.process_time() - start, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 members instead of 1,000,000")
    parser.add_argument("--members", type=int, default=None, help="how many members")
    args = parser.parse_args()
    members = args.members or (20_000 if args.quick else 1_000_000)
    repeats = 3 if members <= FEW else 1
    wall = time.perf_counter()
    rng = random.Random(SEED)
    ranks = {rule.name: rank for rank, rule in enumerate(POLICY.levels)}
    library = hand = build = 0.0
    checked = refused = 0
    for turn, first in enumerate(range(0, members, CHUNK)):
        gc.disable()  # data preparation only: no collector passes over the growing data
        plain = histories(first, min(CHUNK, members - first), rng)
        ledger, built, dropped = ledger_of(first, plain)
        gc.enable()
        build += built
        refused += dropped
        times = []
        for run in range(repeats):
            fold = functools.partial(all_member_points, ledger, AS_OF, trail=False)
            by_hand = functools.partial(hand_all, plain)
            if (turn + run) % 2:
                hand_time, hand_answers = cpu(by_hand)
                library_time, answers = cpu(fold)
            else:
                library_time, answers = cpu(fold)
                hand_time, hand_answers = cpu(by_hand)
            times.append((library_time, hand_time))
        library += statistics.median(t[0] for t in times)
        hand += statistics.median(t[1] for t in times)
        got = [(p.balance, ranks[p.level]) for p in answers]
        assert got == hand_answers, next(
            (i, g, h) for i, (g, h) in enumerate(zip(got, hand_answers, strict=True)) if g != h
        )
        checked += len(got)
        del plain, ledger, answers, hand_answers
        if turn % 100 == 99:
            print(f"... {checked:,} members", file=sys.stderr, flush=True)
    ratio = library / hand
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    runs = "median of 3 per chunk" if repeats == 3 else "1 run per chunk (full size)"
    print(
        f"members: {members:,} x {ENTRIES} ledger entries, in chunks of {CHUNK:,}; "
        f"balance and level of all {checked:,} checked equal to the hand fold"
    )
    print(
        f"build and check the ledgers once (replay_ledger): {build:.2f} s CPU "
        f"({refused:,} redemptions beyond the balance refused, on both sides)"
    )
    print(f"library all_member_points: {library:.2f} s CPU ({runs}, summed)")
    print(f"hand-written fold:         {hand:.2f} s CPU ({runs}, summed)")
    verdict = "PASS" if ratio <= GOAL else "MISS"
    print(f"ratio library / hand: {ratio:.2f}x (goal <= {GOAL:.0f}x): {verdict}")
    wall = time.perf_counter() - wall
    print(f"peak memory (max RSS): {peak:,.0f} MiB; whole run {wall:.0f} s wall clock")


if __name__ == "__main__":
    main()
