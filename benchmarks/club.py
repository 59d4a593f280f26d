"""Balance and level of 1,000,000 club members with 20 ledger entries each vs a hand fold.

Measures `keyaccount.club.all_member_points(ledger, as_of, trail=False)`: the one fold of
each member's operations (each operation checked again: its id applied once, its card
live; lots expiring oldest first, redemptions, refunds, the level over a rolling window
with a grace before a downgrade), without collecting the entries and level history,
on ledgers already built. Against it, what a team would write by hand in the same run:
one loop per member over plain tuples (stdlib aware datetimes, ``Decimal`` spends, whole
points) with the same rules (rate x level multiplier rounded down, oldest lot first, the
window and the grace) and no checks. Both must agree on the balance and level of a
sample of members. Members are processed in chunks of 10,000 (so the run fits in
memory); each side's CPU time is the median of 3 runs per chunk, summed. Goal: within
3x of the hand-written fold. Also printed: the time to build and check the ledgers once
(`build_ledger`).

    .venv/bin/python -m benchmarks.club [--quick] [--members N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import statistics
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
    build_ledger,
    fold_cards,
)
from keyaccount.money import Money

SEED = 20260312
GOAL = 3.0
ENTRIES = 20
CHUNK = 10_000
TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
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


def ledger_of(first: int, plain: list[Plain]) -> Ledger:
    """The library's ledger of the histories (redemptions beyond the balance dropped)."""
    events = [
        CardIssued(START, f"C{first + i}", f"m{first + i}", START + dt.timedelta(days=3650))
        for i in range(len(plain))
    ]
    ops: list[Operation] = []
    for i, history in enumerate(plain):
        card = f"C{first + i}"
        for kind, op_id, at, value, earn_id in history:
            if kind == "earn":
                ops.append(Earn(op_id, at, card, Money(value), "room"))
            elif kind == "redeem":
                ops.append(Redeem(op_id, at, card, int(value), "gift"))
            else:
                ops.append(Reverse(op_id, at, card, earn_id))
    return build_ledger(fold_cards(events), _affordable(ops, plain), POLICY)


def _affordable(ops: list[Operation], plain: list[Plain]) -> list[Operation]:
    """The operations with every redemption the hand fold can pay (both sides see the same)."""
    keep = set()
    for history in plain:
        keep.update(hand_member(history, HAND_AS_OF, record=True)[2])
    return [op for op in ops if op.id in keep]


def hand_member(  # noqa: PLR0915 - one loop, as a team would write it by hand
    history: Plain, as_of: dt.datetime, *, record: bool = False
) -> tuple[int, int, set[str]]:
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
    accepted: set[str] = set()

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
        accepted.add(op_id)
    advance(as_of)
    return balance, rank, accepted if record else set()


def hand_all(plain: list[Plain]) -> list[tuple[int, int, set[str]]]:
    """The hand fold of every member of a chunk."""
    return [hand_member(history, HAND_AS_OF) for history in plain]


def cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 members instead of 1,000,000")
    parser.add_argument("--members", type=int, default=None, help="how many members")
    args = parser.parse_args()
    members = args.members or (20_000 if args.quick else 1_000_000)
    rng = random.Random(SEED)
    runs: list[tuple[float, float]] = []
    build = 0.0
    sample_checked = 0
    for first in range(0, members, CHUNK):
        plain = histories(first, min(CHUNK, members - first), rng)
        start = time.process_time()
        ledger = ledger_of(first, plain)
        build += time.process_time() - start
        times = []
        for _ in range(3):
            library = cpu(functools.partial(all_member_points, ledger, AS_OF, trail=False))
            hand = cpu(functools.partial(hand_all, plain))
            times.append((library, hand))
        runs.append(
            (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))
        )
        answers = all_member_points(ledger, AS_OF)
        for i in rng.sample(range(len(plain)), min(20, len(plain))):
            balance, rank, _ = hand_member(plain[i], HAND_AS_OF)
            got = answers[i]
            assert (got.balance, POLICY.rank(got.level)) == (balance, rank), (i, got, balance, rank)
            sample_checked += 1
    library = sum(r[0] for r in runs)
    hand = sum(r[1] for r in runs)
    ratio = library / hand
    print(
        f"members: {members:,} x {ENTRIES} ledger entries; sample of {sample_checked} checked equal"
    )
    print(f"build and check the ledgers once (build_ledger): {build:.2f} s CPU")
    print(f"library all_member_points: {library:.2f} s CPU (median of 3 per chunk, summed)")
    print(f"hand-written fold:         {hand:.2f} s CPU")
    verdict = "PASS" if ratio <= GOAL else "MISS"
    print(f"ratio library / hand: {ratio:.2f}x (goal <= {GOAL:.0f}x): {verdict}")


if __name__ == "__main__":
    main()
