"""Aging of 1,000,000 invoices with 1,000,000 payments, against a hand-written loop.

Measures `keyaccount.finance.aging` (payments allocated explicitly, then oldest due first;
open items with their days overdue; buckets per customer with the invoice ids behind each
figure) on a ledger already built, against what a team would write by hand in the same
run: plain dicts of ``Decimal`` amounts and dates, the same allocation (oldest due first
per customer, payments in order of receipt), the same days overdue and the same buckets
with their invoice ids. Both must agree on a sample of customers. CPU time, median of 3;
goal: within 3x of the hand-written loop. Also printed: the time to build and check the
ledger (`Receivables`) once, and the peak memory of one aging call (tracemalloc).

    .venv/bin/python -m benchmarks.finance [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pendulum

from keyaccount import Money, WorkCalendar
from keyaccount.finance import (
    DEFAULT_AGING,
    Aging,
    Invoice,
    Payment,
    PaymentTerms,
    Receivables,
    aging,
)

SEED = 20260601
GOAL = 3.0
START = dt.date(2025, 1, 1)
AS_OF = pendulum.datetime(2026, 7, 1, 9, tz="Asia/Shanghai")
TERMS = (PaymentTerms(30), PaymentTerms(60), PaymentTerms(60, month_end=True), PaymentTerms(90))

Plain = dict[str, Any]


def generate(count: int) -> tuple[list[Plain], list[Plain]]:
    """``count`` invoices and ``count`` payments as plain dicts, the same for the same count."""
    rng = random.Random(SEED)
    customers = max(1, count // 100)
    invoices = []
    for i in range(count):
        issued = START + dt.timedelta(days=rng.randrange(540))
        terms = rng.choice(TERMS)
        invoices.append(
            {
                "id": f"INV-{i}",
                "customer": f"c{rng.randrange(customers)}",
                "owner": f"s{rng.randrange(50)}",
                "amount": Decimal(rng.randrange(100, 5_000_000)).scaleb(-2),
                "issued": issued,
                "terms": terms,
                "due": terms.due_on(issued),
            }
        )
    payments = [
        {
            "id": f"P-{j}",
            "customer": f"c{rng.randrange(customers)}",
            "amount": Decimal(rng.randrange(100, 4_500_000)).scaleb(-2),
            "received": START + dt.timedelta(days=rng.randrange(540)),
        }
        for j in range(count)
    ]
    return invoices, payments


def ledger_of(invoices: list[Plain], payments: list[Plain]) -> Receivables:
    return Receivables(
        [
            Invoice(
                i["id"],
                i["customer"],
                Money(i["amount"]),
                i["issued"],
                i["terms"],
                owner=i["owner"],
            )
            for i in invoices
        ],
        [Payment(p["id"], p["customer"], Money(p["amount"]), p["received"]) for p in payments],
    )


def by_hand(invoices: list[Plain], payments: list[Plain], today: dt.date) -> dict[str, Any]:
    """The honest baseline: the same rule over plain dicts and Decimals."""
    limits = (0, 30, 60, 90, 180)
    remaining: dict[str, Decimal] = {}
    queues: dict[str, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for inv in invoices:
        if inv["issued"] <= today:
            remaining[inv["id"]] = inv["amount"]
            queues[inv["customer"]].append((inv["due"], inv["issued"], inv["id"]))
    for queue in queues.values():
        queue.sort(reverse=True)
    for pay in sorted(payments, key=lambda p: (p["received"], p["id"])):
        if pay["received"] > today:
            continue
        left = pay["amount"]
        queue = queues.get(pay["customer"], [])
        while queue and left > 0:
            invoice_id = queue[-1][2]
            owed = remaining[invoice_id]
            amount = min(owed, left)
            remaining[invoice_id] = owed - amount
            left -= amount
            if amount == owed:
                queue.pop()
    sums: dict[str, list[Decimal]] = {}
    ids: dict[str, list[list[str]]] = {}
    for inv in invoices:
        owed = remaining.get(inv["id"], Decimal(0))
        if not owed:
            continue
        late = max((today - inv["due"]).days, 0)
        index = sum(1 for limit in limits if late > limit)  # 0: not yet due
        customer = inv["customer"]
        if customer not in sums:
            sums[customer] = [Decimal(0)] * 6
            ids[customer] = [[] for _ in range(6)]
        sums[customer][index] += owed
        ids[customer][index].append(inv["id"])
    return {"sums": sums, "ids": ids}


def cpu(run: Callable[[], object]) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(3):
        start = time.process_time()
        result = run()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def agree(report: Aging, hand: dict[str, Any], sample: int) -> None:
    rows = {r.key: r for r in report.rows}
    assert set(rows) == set(hand["sums"]), "the customers with open items differ"
    rng = random.Random(SEED)
    for key in rng.sample(sorted(hand["sums"]), min(sample, len(hand["sums"]))):
        row = rows[key]
        assert [b.amount.amount for b in row.buckets] == hand["sums"][key], key
        assert [list(b.invoice_ids) for b in row.buckets] == hand["ids"][key], key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 of each instead")
    count = 100_000 if parser.parse_args().quick else 1_000_000
    calendar = WorkCalendar.china()
    today = AS_OF.in_timezone(calendar.tz).date()
    invoices, payments = generate(count)
    start = time.process_time()
    ledger = ledger_of(invoices, payments)
    built = time.process_time() - start
    ours, report = cpu(lambda: aging(ledger, DEFAULT_AGING, calendar, AS_OF))
    theirs, hand = cpu(lambda: by_hand(invoices, payments, today))
    assert isinstance(report, Aging)
    agree(report, hand, 200)  # type: ignore[arg-type]
    tracemalloc.start()
    aging(ledger, DEFAULT_AGING, calendar, AS_OF)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    ratio = ours / theirs
    print(
        f"aging of {count:,} invoices with {count:,} payments ({len(report.rows):,} customers, "
        f"{len(report.totals.invoice_ids):,} open items), CPU median of 3"
    )
    print(f"  keyaccount aging     {ours:8.2f} s")
    print(
        f"  hand-written loop    {theirs:8.2f} s   "
        "(plain dicts and Decimal; results equal on a sample)"
    )
    print(
        f"  ratio                {ratio:8.2f}x  "
        f"goal <= {GOAL:g}x: {'PASS' if ratio <= GOAL else 'MISS'}"
    )
    print(f"  building the ledger  {built:8.2f} s   (Receivables with its checks, once)")
    print(f"  peak memory          {peak / 2**20:8.1f} MiB (tracemalloc, one aging call)")


if __name__ == "__main__":
    main()
