"""Speed of ``overdue_visits`` and of loading customer files, against baselines of the same run.

1. ``overdue_visits`` over 1,000,000 customers with 3 visit records each, against a
   plain hand-written loop that computes the same answer (the same rules: first
   contact, return visit, cadence, birthday) with the same shortcuts a careful
   programmer would take: local dates from POSIX timestamps and a memo of day-period
   deadlines. Goal: within 3x of the plain loop. The two answers must agree.
2. Loading 100,000 customers from JSON with ``loads_customers`` (the one cattrs loader)
   against ``msgspec`` decoding the same bytes into equivalent ``msgspec.Struct`` types,
   the baseline. Goal: within 3x (pydantic v2 is about 4x msgspec on such records). The
   loader must give back the book.

Run with ``.venv/bin/python benchmarks/visits.py`` (``--quick`` for a tenth of the sizes,
``--load-only`` for part 2 alone).
"""

from __future__ import annotations

# When this runs as a script its folder comes first on sys.path, and the neighbouring
# benchmarks/calendar.py would shadow the standard library's `calendar` (which pendulum
# imports). Drop that folder before anything else is imported.
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402 - after the sys.path fix above
import datetime as dt  # noqa: E402 - after the sys.path fix above
import gc  # noqa: E402 - after the sys.path fix above
import json  # noqa: E402 - after the sys.path fix above
import random  # noqa: E402 - after the sys.path fix above
import time  # noqa: E402 - after the sys.path fix above
import zoneinfo  # noqa: E402 - after the sys.path fix above
from collections.abc import Callable, Sequence  # noqa: E402 - after the sys.path fix above
from decimal import Decimal  # noqa: E402 - after the sys.path fix above
from typing import Literal  # noqa: E402 - after the sys.path fix above

import msgspec  # noqa: E402 - after the sys.path fix above
import pendulum  # noqa: E402 - after the sys.path fix above

from keyaccount.calendar import Days, WorkCalendar  # noqa: E402 - after the sys.path fix
from keyaccount.customers import (  # noqa: E402 - after the sys.path fix above
    Contact,
    Customer,
    CustomerKind,
    CustomerStatus,
    Spend,
    Tier,
)
from keyaccount.io import dumps_customers, loads_customers  # noqa: E402 - after the sys.path fix
from keyaccount.money import Money  # noqa: E402 - after the sys.path fix above
from keyaccount.visits import (  # noqa: E402 - after the sys.path fix above
    Channel,
    Outcome,
    VisitPolicy,
    VisitRecord,
    overdue_visits,
)

SEED = 20260302
TZ = "Asia/Shanghai"
WINDOW_DAYS = 400
AS_OF = pendulum.datetime(2026, 3, 2, 10, 0, tz=TZ)
TIERS = (
    [Tier.KEY_ACCOUNT] * 5
    + [Tier.GROUP] * 5
    + [Tier.VIP] * 20
    + [Tier.MEMBER] * 30
    + [Tier.ORDINARY] * 40
)
Answer = list[tuple[str, str, int]]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --------------------------------------------------------------------------- data


def instants(rng: random.Random, count: int) -> list[pendulum.DateTime]:
    """A pool of instants in the window before AS_OF (shared by the records, as in a real
    book many records fall on the same few days)."""
    tz = pendulum.timezone(TZ)
    start = AS_OF.subtract(days=WINDOW_DAYS)
    return sorted(start.add(seconds=rng.randrange(WINDOW_DAYS * 86400)).in_timezone(tz)
                  for _ in range(count))  # fmt: skip


def book(size: int, rng: random.Random) -> tuple[list[Customer], list[VisitRecord]]:
    """A department's book: most customers are looked after, some are not.

    Each customer was assigned and served once in the last 400 days. Its three visit
    records are a first contact up to six days after the assignment, a return visit up
    to three days after the service and a routine visit in the last 45 days; one call
    in ten reaches nobody and one record in twenty lacks its notes, which leaves some
    visits overdue (about a third of the answer's size comes from each main rule).
    """
    pool = instants(rng, WINDOW_DAYS * 50)  # sorted, about 50 instants a day
    last = len(pool) - 1
    customers: list[Customer] = []
    records: list[VisitRecord] = []
    amounts = [Money(Decimal(rng.randrange(100, 100_000))) for _ in range(500)]
    birthdays = [dt.date(1970, 1, 1) + dt.timedelta(days=d) for d in range(366 * 30)]
    outcomes = [Outcome.SATISFIED] * 6 + [Outcome.NEUTRAL] * 2 + [Outcome.UNSATISFIED]
    outcomes += [Outcome.NOT_REACHED]
    for i in range(size):
        customer_id = f"c{i:07d}"
        assigned = rng.randrange(len(pool))
        served = rng.randrange(len(pool))
        customers.append(
            Customer(
                customer_id,
                f"客户{i}",
                tier=rng.choice(TIERS),
                owner=f"s{i % 97}",
                birthday=rng.choice(birthdays) if rng.random() < 0.5 else None,
                spend=(Spend(pool[served], rng.choice(amounts)),),
                assigned_at=pool[assigned],
            )
        )
        visits = (
            min(last, assigned + rng.randrange(300)),
            min(last, served + rng.randrange(150)),
            rng.randrange(len(pool) - 45 * 50, len(pool)),
        )
        for j, index in enumerate(visits):
            outcome = rng.choice(outcomes)
            records.append(
                VisitRecord(
                    f"v{i:07d}-{j}",
                    customer_id,
                    pool[index],
                    Channel.PHONE,
                    f"s{i % 97}",
                    outcome,
                    "" if rng.random() < 0.05 else "ok",
                    outcome is Outcome.UNSATISFIED,
                )
            )
    return customers, records


# --------------------------------------------------------------------------- baseline 1


def plain_overdue(  # noqa: PLR0912, PLR0915 - one plain loop, written out on purpose
    customers: Sequence[Customer],
    records: Sequence[VisitRecord],
    as_of: dt.datetime,
) -> Answer:
    """The overdue visits of the default policy, written out by hand as one plain loop."""
    zone = zoneinfo.ZoneInfo(TZ)
    epoch = dt.date(1970, 1, 1).toordinal()
    offsets: dict[int, int] = {}

    def local_ordinal(at: dt.datetime) -> int:
        stamp = int(dt.datetime.timestamp(at))
        bucket = stamp // 900
        offset = offsets.get(bucket)
        if offset is None:
            moment = dt.datetime.fromtimestamp(bucket * 900, dt.UTC).astimezone(zone)
            delta = moment.utcoffset()
            offset = offsets[bucket] = int(delta.total_seconds()) if delta else 0
        return (stamp + offset) // 86400 + epoch

    latest: dict[str, dt.datetime] = {}
    for r in records:
        if r.outcome is None or r.outcome is Outcome.NOT_REACHED or not r.notes.strip():
            continue
        if r.outcome is Outcome.UNSATISFIED and not r.follow_up:
            continue
        if not r.by:
            continue
        previous = latest.get(r.customer_id)
        if previous is None or r.at > previous:
            latest[r.customer_id] = r.at
    today = local_ordinal(as_of)
    cadence = {Tier.KEY_ACCOUNT: 30, Tier.GROUP: 30, Tier.VIP: 90, Tier.MEMBER: 90}
    year = dt.date.fromordinal(today).year
    out: Answer = []
    for c in customers:
        if c.status is CustomerStatus.LOST:
            continue
        last = latest.get(c.id)
        a = c.assigned_at
        if a is not None and (last is None or last < a) and a <= as_of:
            due = local_ordinal(a) + 7
            if today > due:
                out.append((c.id, "first-contact", due))
        if c.status is not CustomerStatus.ACTIVE:
            continue
        service = None
        for s in c.spend:
            if (
                (last is None or s.at > last)
                and s.at <= as_of
                and (service is None or s.at < service)
            ):
                service = s.at
        if service is not None:
            due = local_ordinal(service) + 3
            if today > due:
                out.append((c.id, "return-visit", due))
        every = cadence.get(c.tier)
        since = last if last is not None else a
        if every is not None and since is not None:
            due = local_ordinal(since) + every
            if today >= due - 7 and today > due:
                out.append((c.id, "cadence", due))
        b = c.birthday
        if b is not None:
            try:
                day = dt.date(year, b.month, b.day).toordinal()
            except ValueError:
                day = dt.date(year, 2, 28).toordinal()
            if today < day - 3:
                try:
                    day = dt.date(year - 1, b.month, b.day).toordinal()
                except ValueError:
                    day = dt.date(year - 1, 2, 28).toordinal()
            if (
                day - 3 <= today <= day + 3
                and today > day
                and (last is None or local_ordinal(last) < day - 3)
            ):
                out.append((c.id, "birthday", day))
    return out


def timed(function: Callable[[], object], repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


# --------------------------------------------------------------------------- baseline 2


class MoneyS(msgspec.Struct, forbid_unknown_fields=True):
    amount: Decimal
    currency: str = "CNY"


class ContactS(msgspec.Struct, forbid_unknown_fields=True):
    phone: str
    name: str = ""
    role: str = ""


# msgspec reads no RFC 9557 zone name (`...+08:00[Asia/Shanghai]`, as the files write an
# instant): the baseline keeps an instant's text, which only flatters msgspec.
class SpendS(msgspec.Struct, forbid_unknown_fields=True):
    at: str
    amount: MoneyS
    kind: str = ""


class CustomerS(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    name: str
    kind: Literal["enterprise", "government", "individual"] = "enterprise"
    tier: Literal["key-account", "group", "vip", "member", "ordinary"] = "ordinary"
    status: Literal["prospect", "active", "lost"] = "active"
    owner: str | None = None
    contacts: tuple[ContactS, ...] = ()
    birthday: dt.date | None = None
    card: str = ""
    spend: tuple[SpendS, ...] = ()
    opinions: tuple[str, ...] = ()
    credit_rating: str | None = None
    credit_limit: MoneyS | None = None
    assigned_at: str | None = None
    registered_by: str | None = None
    registered_position: str | None = None
    registered_at: str | None = None
    confidential: bool = True


def file_customers(size: int, rng: random.Random) -> list[Customer]:
    pool = instants(rng, 5_000)
    return [
        Customer(
            f"c{i:07d}",
            f"上海某某{i}贸易有限公司",
            kind=CustomerKind.ENTERPRISE,
            tier=rng.choice(TIERS),
            owner=f"s{i % 97}",
            contacts=(Contact(f"138{i:08d}", "王经理"), Contact(f"021-6{i % 10**7:07d}")),
            birthday=dt.date(1980, 1, 1) + dt.timedelta(days=i % 9000),
            spend=(
                Spend(rng.choice(pool), Money(Decimal(rng.randrange(10**6)) / 100), "包厢"),
                Spend(rng.choice(pool), Money(Decimal(rng.randrange(10**6)) / 100), "酒水"),
            ),
            credit_rating="AA",
            credit_limit=Money(20000),
            assigned_at=rng.choice(pool),
        )
        for i in range(size)
    ]


# --------------------------------------------------------------------------- main


def measure_overdue(scan_size: int, repeats: int, rng: random.Random) -> bool:
    """Part 1: ``overdue_visits`` against the plain loop; whether both goals are met."""
    calendar = WorkCalendar.china()
    policy = VisitPolicy()
    assert policy.first_contact == Days(7)

    started = time.perf_counter()
    customers, records = book(scan_size, rng)
    print(
        f"overdue_visits: {scan_size:,} customers, {len(records):,} visit records "
        f"(built in {time.perf_counter() - started:.1f} s), as of {AS_OF}"
    )
    ours_s = plain_s = float("inf")
    ours: object = None
    plain: object = None
    for _ in range(repeats):  # interleaved, so both sides see the same machine load
        t, ours = timed(
            lambda: overdue_visits(customers, records, policy, calendar, AS_OF), repeats=1
        )
        ours_s = min(ours_s, t)
        t, plain = timed(lambda: plain_overdue(customers, records, AS_OF), repeats=1)
        plain_s = min(plain_s, t)
    assert isinstance(ours, tuple)
    assert isinstance(plain, list)
    mine = sorted((d.customer_id, d.rule.value, d.deadline.date.toordinal()) for d in ours)
    agree = mine == sorted(plain)
    ratio = ours_s / plain_s
    print(f"  overdue visits found           {len(ours):>12,}")
    print(
        f"  keyaccount overdue_visits      {ours_s:>9.2f} s  "
        f"({scan_size / ours_s:,.0f} customers/s)"
    )
    print(
        f"  plain hand-written loop        {plain_s:>9.2f} s  "
        f"({scan_size / plain_s:,.0f} customers/s)"
    )
    print(f"  goal: within 3x of the loop    {ratio:5.2f}x   {verdict(ratio <= 3)}")
    print(f"  goal: same answer as the loop  {verdict(agree)}")
    return ratio <= 3 and agree


def measure_load(load_size: int, repeats: int, rng: random.Random) -> bool:
    """Part 2: loading customers against msgspec; whether the goal is met.

    Both loaders take turns on the same document (text for keyaccount, its UTF-8 bytes
    for msgspec, as each API takes it) and the best of `repeats` turns is kept.
    """
    file_book = file_customers(load_size, rng)
    text = dumps_customers(file_book)
    data = text.encode()
    print(f"loading customers: {load_size:,} customers, {len(data) / 1e6:.1f} MB of JSON")
    decoder = msgspec.json.Decoder(list[CustomerS])
    ours_s = spec_s = float("inf")
    ours: object = None
    for _ in range(repeats):  # interleaved, so both sides see the same machine load
        t, ours = timed(lambda: loads_customers(text), repeats=1)
        ours_s = min(ours_s, t)
        t, _ = timed(lambda: decoder.decode(data), repeats=1)
        spec_s = min(spec_s, t)
    parse_s, _ = timed(lambda: json.loads(text), repeats=repeats)
    same = getattr(ours, "items", None) == tuple(file_book)
    ratio = ours_s / spec_s
    print(
        f"  keyaccount loads_customers     {ours_s:>9.3f} s  "
        f"({load_size / ours_s:,.0f} customers/s)  {ratio:5.2f}x msgspec"
    )
    print(
        f"  msgspec into Structs           {spec_s:>9.3f} s  "
        f"({load_size / spec_s:,.0f} customers/s)"
    )
    print(
        f"    json.loads alone             {parse_s:>9.3f} s  "
        f"({parse_s / spec_s:.2f}x msgspec's whole decode)"
    )
    print(f"  goal: within 3x of msgspec     {ratio:5.2f}x   {verdict(ratio <= 3)}")
    print(f"  gives back the book            {verdict(same)}")
    return ratio <= 3 and same


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--load-only", action="store_true", help="only the loading part")
    args = parser.parse_args(argv)
    scan_size = 100_000 if args.quick else 1_000_000
    load_size = 10_000 if args.quick else 100_000
    repeats = 2
    ok = True
    if not args.load_only:
        ok = measure_overdue(scan_size, repeats, random.Random(SEED))
        gc.collect()
    # a generator of its own, so that --load-only loads the very same document
    ok = measure_load(load_size, repeats, random.Random(SEED + 1)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
