"""`keyaccount credit check` (资信动态控制) and `keyaccount budget status` (费用控制).

`credit check` reads a chart, a customers file and a receivables file, rates the
customer from its payment history and checks a new order of ``--amount`` against its
limit: within it, above it (with the approval route up the chart), or held. `budget
status` reads a budget file and prints plan against actual per expense line. A data file
with problems is reported on stderr, one line per problem with its path; the valid
records are used and the command exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from keyaccount.cli._common import (
    CALENDARS,
    UsageError,
    add_as_of,
    add_json,
    calendar_named,
    emit_json,
    loaded,
    read_as_of,
)
from keyaccount.cli._lookup import did_you_mean, load_chart, load_records
from keyaccount.errors import KeyAccountError
from keyaccount.finance import (
    DEFAULT_RATING,
    BudgetStatus,
    CreditCheck,
    OpenOrder,
    budget_status,
    credit_check,
)
from keyaccount.finance.periods import as_report_period
from keyaccount.io import (
    load_budgets,
    load_customers,
    load_open_orders,
    load_rating_policy,
    load_receivables,
    to_jsonable,
)
from keyaccount.money import Money

__all__ = ["add_commands"]


def _money(text: str) -> Money:
    """``--amount``: ``25000``, ``25000.50`` or ``100 USD`` (CNY when no currency is given)."""
    parts = text.split()
    if not 1 <= len(parts) <= 2:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount such as 25000 or '100 USD'")
    try:
        money = Money(parts[0], *parts[1:])
    except KeyAccountError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}") from None
    if money.amount < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: an order amount must not be negative")
    return money


def _problems_of(source: str, problems: tuple[object, ...]) -> bool:
    for problem in problems:
        print(f"keyaccount: {source}: {problem}", file=sys.stderr)
    return bool(problems)


def _check_json(result: CreditCheck) -> dict[str, Any]:
    data: dict[str, Any] = dict(to_jsonable(result))
    for name in ("exposure", "over_limit", "passes", "held", "approver"):
        data[name] = to_jsonable(getattr(result, name))
    if result.approval is not None and result.approval.route is not None:
        data["route"] = list(result.approval.route.chain)
    return data


def _credit_check(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    chart = load_chart(args.org)
    if args.requester not in {p.id for p in chart.positions}:
        hint = did_you_mean(args.requester, [p.id for p in chart.positions])
        raise UsageError(
            f"argument --requester: no position {args.requester!r} in {args.org}{hint}"
        )
    customers = load_records(load_customers, args.customers, "customers")
    problems = _problems_of(customers.source, customers.problems)
    customer = next((c for c in customers.items if c.id == args.customer), None)
    if customer is None:
        hint = did_you_mean(args.customer, [c.id for c in customers.items])
        raise UsageError(
            f"argument --customer: no customer {args.customer!r} in {args.customers}{hint}"
        )
    ledger = load_receivables(args.receivables)
    problems = _problems_of(ledger.source, ledger.problems) or problems
    orders: tuple[OpenOrder, ...] = ()
    if args.orders is not None:
        found = load_open_orders(args.orders)
        problems = bool(found.problems) or problems
        orders = loaded(found)
    policy = DEFAULT_RATING if args.policy is None else load_rating_policy(args.policy)
    order = OpenOrder(args.order_id, customer.id, args.amount)
    result = credit_check(
        customer,
        ledger.receivables,
        orders,
        order,
        policy,
        chart,
        calendar,
        as_of=as_of,
        requester=args.requester,
    )
    if args.json:
        emit_json(_check_json(result))
    else:
        print(result.explain())
    return 1 if problems else 0


def _status_text(status: BudgetStatus) -> list[str]:
    width = max([len(f"{r.department} / {r.line}") for r in status.lines] + [10])
    head = f"{'line':<{width}} | {'plan':>14} | {'actual':>14} | {'usage':>8} | left / over"
    lines = [f"费用控制 budget {status.period} as of {status.as_of_day}", head, "-" * len(head)]
    for row in status.lines:
        usage = "n/a" if row.usage is None else f"{row.usage * 100:.2f}%"
        left = f"over {row.overspent.amount:,}" if row.over_plan else f"{row.remaining.amount:,}"
        if not row.assessed:
            left = f"see {', '.join(row.wider_budget_ids)} (a longer period)"
        name = f"{row.department} / {row.line}"
        lines.append(
            f"{name:<{width}} | {row.plan.amount:>14,} | {row.actual.amount:>14,} | "
            f"{usage:>8} | {left}  ({', '.join(row.expense_ids) or 'no expenses'})"
        )
    usage = "n/a" if status.usage is None else f"{status.usage * 100:.2f}%"
    lines.append(
        f"{'total':<{width}} | {status.plan.amount:>14,} | {status.actual.amount:>14,} | "
        f"{usage:>8} | assessed lines only"
    )
    if any(not row.assessed for row in status.lines):
        lines.append(
            f"not assessed (a longer budget period): {status.not_assessed.amount:,} spent, "
            "not in the total; ask for that period"
        )
    return lines


def _status_json(status: BudgetStatus) -> dict[str, Any]:
    data: dict[str, Any] = dict(to_jsonable(status))
    data["lines"] = [
        {
            **to_jsonable(row),
            "remaining": to_jsonable(row.remaining),
            "overspent": to_jsonable(row.overspent),
            "over_plan": row.over_plan,
            "assessed": row.assessed,
        }
        for row in status.lines
    ]
    return data


def _budget_status(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    try:
        period = as_report_period(args.period, "the period")
    except KeyAccountError as error:
        raise UsageError(f"argument --period: {error}") from None
    found = load_budgets(args.file)
    problems = _problems_of(found.source, found.problems)
    status = budget_status(found.book, period, calendar, as_of, department=args.department)
    if args.json:
        emit_json(_status_json(status))
    else:
        print("\n".join(_status_text(status)))
    return 1 if problems else 0


def add_commands(subparsers: Any) -> None:
    """Register `credit check` and `budget status`."""
    credit = subparsers.add_parser("credit", help="customer credit control (资信动态控制)")
    credit_actions = credit.add_subparsers(dest="credit_command", required=True, metavar="ACTION")
    check = credit_actions.add_parser(
        "check", help="may a new order go out on credit: limit, hold and approval route"
    )
    check.add_argument("--org", required=True, metavar="NAME_OR_FILE", help="the org chart")
    check.add_argument("--customers", required=True, type=Path, metavar="FILE")
    check.add_argument("--receivables", required=True, type=Path, metavar="FILE")
    check.add_argument("--customer", required=True, metavar="ID")
    check.add_argument(
        "--amount", required=True, type=_money, metavar="MONEY", help="25000 or '100 USD'"
    )
    check.add_argument(
        "--requester", required=True, metavar="POSITION", help="the position id asking"
    )
    add_as_of(check)
    check.add_argument("--orders", type=Path, metavar="FILE", help="open orders not yet invoiced")
    check.add_argument(
        "--policy", type=Path, metavar="FILE", help="a rating policy (default: the library's)"
    )
    check.add_argument("--order-id", default="new-order", metavar="ID")
    check.add_argument("--calendar", choices=CALENDARS, default="china")
    add_json(check)
    check.set_defaults(run=_credit_check)

    budget = subparsers.add_parser("budget", help="budgets and spending (费用控制)")
    budget_actions = budget.add_subparsers(dest="budget_command", required=True, metavar="ACTION")
    status = budget_actions.add_parser("status", help="plan against actual per expense line")
    status.add_argument("file", type=Path, metavar="FILE", help="a budget file")
    status.add_argument(
        "--period", required=True, metavar="P", help="2026 (a year), 2026Q1 or 2026-03"
    )
    status.add_argument("--department", metavar="ID", help="only this department's lines")
    add_as_of(status)
    status.add_argument("--calendar", choices=CALENDARS, default="china")
    add_json(status)
    status.set_defaults(run=_budget_status)
