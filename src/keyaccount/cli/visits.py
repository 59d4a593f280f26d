"""`keyaccount visits due|summary`, and the customers-and-visits section of the demo."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pendulum

from keyaccount import reference
from keyaccount.calendar import CHINA_TIMEZONE, DateRange, WorkCalendar
from keyaccount.cli._common import (
    CALENDARS,
    CONFIDENTIAL,
    UsageError,
    Viewer,
    add_as_of,
    add_json,
    add_limit,
    add_viewer,
    calendar_named,
    emit_json,
    limited,
    loaded,
    read_as_of,
    read_viewer,
)
from keyaccount.cli._lookup import did_you_mean, load_records, load_value
from keyaccount.cli._progress import Progress
from keyaccount.customers import (
    Contact,
    Customer,
    CustomerStatus,
    Registration,
    Spend,
    Staff,
    Tier,
    apply_assignments,
    assign,
    can_view,
    hand_over,
    redact,
    register,
)
from keyaccount.errors import CalendarCoverageError, KeyAccountError
from keyaccount.io import load_customers, load_visit_policy, load_visits, to_jsonable
from keyaccount.money import Money
from keyaccount.visits import (
    DueVisit,
    Outcome,
    VisitPolicy,
    VisitRecord,
    VisitSummary,
    due_visits,
    next_contact_time,
    overdue_visits,
    visit_summary,
)

__all__ = ["add_commands", "demo_section", "latest_contact_text"]


def _due(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    viewer, staff_problems = read_viewer(args)
    policy = (
        load_value(load_visit_policy, args.policy, "visit policy") if args.policy else VisitPolicy()
    )
    with Progress(3, "loading") as progress:
        customers_result = load_records(load_customers, args.customers, "customers", progress)
        visits_result = load_records(load_visits, args.visits, "visits", progress)
        customers, records = customers_result.items, visits_result.items
        progress.advance(0, label="computing due visits")
        rule = overdue_visits if args.overdue else due_visits
        found = rule(customers, records, policy, calendar, as_of)
        progress.advance()
    loaded(customers_result)  # each problem on stderr, once the bar is gone
    loaded(visits_result)
    by_id = {c.id: c for c in customers}
    if args.customer is not None:
        if args.customer not in by_id:
            raise UsageError(
                f"argument --customer: no customer {args.customer!r} in "
                f"{customers_result.source}{did_you_mean(args.customer, by_id)}"
            )
        found = tuple(item for item in found if item.customer_id == args.customer)
    ordered = sorted(found, key=lambda d: (d.deadline.at, d.customer_id, d.rule.value))
    shown = limited(ordered, args.limit, what="due visit(s)")
    hidden = viewer.hidden(customers)
    what = "overdue" if args.overdue else "due"
    if args.json:
        emit_json(
            {
                "as_of": as_of,
                "overdue_only": args.overdue,
                "count": len(found),
                "visits": [
                    _due_entry(
                        item,
                        by_id.get(item.customer_id),
                        viewer=viewer,
                        hidden=hidden,
                        policy=policy,
                        calendar=calendar,
                    )
                    | {"overdue": item.is_overdue(as_of)}
                    for item in shown
                ],
            }
        )
    else:
        lines = [f"{what} visits as of {as_of.isoformat()}: {len(found)}"]
        for item in shown:
            late = "OVERDUE " if item.is_overdue(as_of) else ""
            when = item.deadline.date or item.deadline.at
            secret = item.customer_id in hidden  # owner and reason withheld, as in redact
            owner = "(confidential)" if secret else item.owner or "-"
            reason = "details withheld" if secret else item.reason
            lines.append(
                f"{late}{when} {item.customer_id} {viewer.name(by_id.get(item.customer_id))} "
                f"[{item.rule.value} {item.rule.label}] owner {owner}, "
                f"{latest_contact_text(item, policy, calendar)}: {reason}"
            )
        print("\n".join(lines))
    problems = customers_result.problems or visits_result.problems or staff_problems
    return 1 if problems else 0


def _due_entry(
    item: DueVisit,
    customer: Customer | None,
    *,
    viewer: Viewer,
    hidden: frozenset[str],
    policy: VisitPolicy,
    calendar: WorkCalendar,
) -> dict[str, object]:
    """One due visit as JSON data; a prospect the viewer may not see is withheld."""
    if item.customer_id in hidden:  # owner and reason withheld, as in redact
        item = attrs.evolve(item, owner=None, reason="details withheld")
    try:
        latest = item.latest_contact(policy, calendar).at
    except CalendarCoverageError:
        latest = None
    return {
        "customer_name": viewer.name(customer),
        "due": item,
        "latest_contact": None if latest is None else latest.in_timezone(calendar.tz),
    }


def latest_contact_text(item: DueVisit, policy: VisitPolicy, calendar: WorkCalendar) -> str:
    """`latest contact YYYY-MM-DD HH:mm` (local), or why there is none before the deadline.

    The deadline itself may fall in quiet hours (a day deadline is local midnight), so
    the time printed is the last allowed moment before it (`DueVisit.latest_contact`).
    """
    try:
        latest = item.latest_contact(policy, calendar)
    except CalendarCoverageError:
        return "latest contact unknown (working days outside the calendar's years)"
    if latest.at is None:
        return "no allowed contact time before the deadline (quiet or non-working hours)"
    return f"latest contact {latest.at.in_timezone(calendar.tz).format('YYYY-MM-DD HH:mm')}"


def _summary(args: argparse.Namespace) -> int:
    viewer, staff_problems = read_viewer(args)
    policy = (
        load_value(load_visit_policy, args.policy, "visit policy") if args.policy else VisitPolicy()
    )
    try:
        calendar = WorkCalendar(timezone=args.timezone, name=args.timezone)
    except KeyAccountError as error:
        raise UsageError(f"argument --timezone: {error}") from None
    try:
        period = DateRange(dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end))
    except KeyAccountError as error:  # --to before --from: the person swapped them
        raise UsageError(f"argument --to: {error}") from None
    with Progress(2 if args.customers else 1, "loading") as progress:
        result = load_records(load_visits, args.visits, "visits", progress)
        customers_result = (
            load_records(load_customers, args.customers, "customers", progress)
            if args.customers
            else None
        )
    records = loaded(result)
    customers = loaded(customers_result) if customers_result else ()
    summary = _shown(visit_summary(records, period, policy, calendar), viewer.hidden(customers))
    shown = attrs.evolve(
        summary, incomplete=limited(summary.incomplete, args.limit, what="incomplete record(s)")
    )
    if args.json:
        data = to_jsonable(shown)
        data["incomplete_count"] = len(summary.incomplete)
        emit_json(data)
    else:
        count = f"incomplete records: {len(shown.incomplete)}"
        lines = [
            f"incomplete records: {len(summary.incomplete)} (first {len(shown.incomplete)} shown)"
            if line == count and shown.incomplete != summary.incomplete
            else line
            for line in shown.render().splitlines()
        ]
        print("\n".join(lines))
    customer_problems = customers_result.problems if customers_result else ()
    return 1 if result.problems or customer_problems or staff_problems else 0


def _shown(summary: VisitSummary, hidden: frozenset[str]) -> VisitSummary:
    """``summary`` with each customer the viewer may not see printed as `CONFIDENTIAL`."""

    def shown(customer_id: str) -> str:
        return CONFIDENTIAL if customer_id in hidden else customer_id

    return attrs.evolve(
        summary,
        needs_follow_up=tuple(shown(i) for i in summary.needs_follow_up),
        incomplete=tuple(
            attrs.evolve(r, customer_id=shown(r.customer_id)) for r in summary.incomplete
        ),
    )


def _date(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return text


def add_commands(subparsers: Any) -> None:
    """Register `visits due|summary`."""
    visits = subparsers.add_parser("visits", help="due and overdue visits, visit summary report")
    actions = visits.add_subparsers(dest="visits_command", required=True, metavar="ACTION")
    due = actions.add_parser("due", help="every visit due (or overdue) as of a date")
    due.add_argument("--customers", required=True, type=Path, metavar="FILE")
    due.add_argument("--visits", required=True, type=Path, metavar="FILE")
    add_as_of(due)
    due.add_argument("--calendar", choices=CALENDARS, default="china")
    due.add_argument("--policy", type=Path, metavar="FILE", help="a visit policy file")
    due.add_argument("--overdue", action="store_true", help="only the visits past their deadline")
    due.add_argument("--customer", metavar="ID", help="only this customer's visits")
    add_json(due)
    add_limit(due)
    add_viewer(due)
    due.set_defaults(run=_due)

    summary = actions.add_parser("summary", help="the return-visit summary report (回访总结报告)")
    summary.add_argument("--visits", required=True, type=Path, metavar="FILE")
    summary.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    summary.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    summary.add_argument(
        "--timezone", default=CHINA_TIMEZONE, help="the zone whose local days count"
    )
    summary.add_argument("--policy", type=Path, metavar="FILE", help="a visit policy file")
    summary.add_argument(
        "--customers",
        type=Path,
        metavar="FILE",
        help="the customer file: records of confidential prospects the viewer may not see "
        "are printed as (confidential prospect)",
    )
    add_json(summary)
    add_limit(summary)
    add_viewer(summary)
    summary.set_defaults(run=_summary)


# --------------------------------------------------------------------------- demo


def demo_section() -> None:
    """Print a short customers-and-visits scenario on the key-account reference chart."""
    title = "Customers and visits (客户管理 / 回访)"
    print()
    print(title)
    print("-" * len(title))
    chart = reference.load("key-account")
    calendar = WorkCalendar.china()
    policy = VisitPolicy()
    monday = pendulum.datetime(2026, 3, 2, 9, 30, tz=CHINA_TIMEZONE)
    zhang = Staff("zhang", "张伟", "sales-representative", ability=Decimal("1.5"))
    li = Staff("li", "李娜", "sales-representative")
    wang = Staff("wang", "王芳", "sales-supervisor")
    zhao = Staff("zhao", "赵敏", "presales-engineer")

    prospect = Customer(
        "p1",
        "上海某某贸易有限公司",
        status=CustomerStatus.PROSPECT,
        owner="zhang",
        contacts=(Contact("138-0013-8000", "陈经理"),),
        registered_by="zhang",
        registered_position="sales-representative",
        registered_at=monday,
    )
    first = register([], prospect, zhang, monday)
    rival = Customer("p2", "上海 某某贸易 公司", contacts=(Contact("+86 13800138000"),))
    registry = [first] if isinstance(first, Registration) else []
    second = register(registry, rival, li, monday.add(hours=2))
    # Each line is what its registrant is told: their own prospect, never the other's.
    print(f"报备 ({zhang.name}): {prospect.name} -> registered")
    print(f"报备 ({li.name}): {rival.name!r} -> {getattr(second, 'reason', 'registered')}")
    for viewer in (zhang, li, wang, zhao):
        seen = redact(chart, viewer, prospect)
        shown = "sees it all" if seen is prospect else f"sees only {type(seen).__name__}"
        print(f"  {viewer.name} ({chart.position(viewer.position).title}) {shown}")
    gone = attrs.evolve(zhang, active=False)
    takeover = hand_over(gone, [prospect], [li], interim=wang)
    (taken,) = apply_assignments([prospect], takeover.assignments, monday.add(days=1))
    for viewer in (gone, li):
        shown = "sees it all" if can_view(chart, viewer, taken) else "sees only RedactedCustomer"
        state = "has left" if not viewer.active else "took it over"
        print(f"  after the hand-over: {viewer.name} ({state}) {shown}")

    book = [
        Customer(f"c{i}", name, tier=tier, spend=spend)
        for i, (name, tier, spend) in enumerate(
            [
                ("某某集团", Tier.KEY_ACCOUNT, ()),
                ("某某科技有限公司", Tier.VIP, (Spend(monday.subtract(days=6), Money(880)),)),
                ("王先生", Tier.MEMBER, ()),
            ],
            start=1,
        )
    ]
    moves = assign(book, [zhang, li])
    book = list(apply_assignments(book, moves, monday.subtract(days=10)))
    for move in moves:
        print(f"分配: {move.customer_id} -> {move.owner}: {move.reason}")
    departure = hand_over(li, book, [], interim=Staff("sun", "孙丽", "presales-engineer"))
    book = list(apply_assignments(book, departure.assignments, monday.subtract(days=1)))
    for move in departure.to_interim:
        print(f"孤儿客户: {move.customer_id} -> {move.owner} (interim)")

    records = [
        VisitRecord(
            "v1",
            "c1",
            monday.subtract(days=2),
            by="zhang",
            outcome=Outcome.UNSATISFIED,
            notes="交付延迟",
            follow_up=True,
        ),
        # no notes: reported as incomplete, and it does not count as the visit
        VisitRecord("v2", "c3", monday.subtract(days=1), by="sun", outcome=Outcome.SATISFIED),
    ]
    for item in due_visits(book, records, policy, calendar, monday):
        late = "OVERDUE" if item.is_overdue(monday) else "due"
        print(
            f"{late} by {item.deadline.date}: {item.customer_id} [{item.rule.label}], "
            f"{latest_contact_text(item, policy, calendar)}"
        )
    lunch = monday.set(hour=12, minute=15)
    allowed = next_contact_time(lunch, policy, calendar)
    print(f"call at {lunch.format('HH:mm')}? quiet hours; next allowed {allowed.format('HH:mm')}")
    week = DateRange(monday.subtract(days=7).date(), monday.date())
    summary = visit_summary(records, week, policy, calendar)
    print(summary.render())
