"""`keyaccount receivables aging|statement`: how old is what customers owe, and their 对帐单.

Both read a receivables file (`keyaccount.io.load_receivables`). A file with problems is
reported on stderr, one line per problem with its path; the valid records are used and
the command exits with status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import attrs

from keyaccount.calendar import DateRange
from keyaccount.cli._common import (
    CALENDARS,
    UsageError,
    add_as_of,
    add_json,
    add_limit,
    calendar_named,
    emit_json,
    limited,
    loaded,
    read_as_of,
)
from keyaccount.cli._lookup import did_you_mean, load_chart
from keyaccount.finance import (
    DEFAULT_AGING,
    Aging,
    AgingGroup,
    CustomerStatement,
    Receivables,
    aging,
    departments_of,
    statement,
)
from keyaccount.io import load_receivables, load_staff, to_jsonable

__all__ = ["add_commands"]


def _ledger(path: Path) -> tuple[Receivables, bool]:
    """The ledger of a file's valid records, and whether it had problems (printed)."""
    result = load_receivables(path)
    for problem in result.problems:
        print(f"keyaccount: {result.source}: {problem}", file=sys.stderr)
    return result.receivables, bool(result.problems)


def _departments(args: argparse.Namespace) -> dict[str, str] | None:
    if args.by != AgingGroup.DEPARTMENT.value:
        return None
    if args.staff is None or args.org is None:
        raise UsageError("argument --by department: needs --staff FILE and --org NAME_OR_FILE")
    staff = loaded(load_staff(args.staff))
    return dict(departments_of(staff, load_chart(args.org)))


def _aging_text(report: Aging) -> list[str]:
    width = max([len(str(r.key)) for r in report.rows] + [len(report.group.value), 5])
    head = f"{report.group.value:<{width}} | " + " | ".join(f"{x:>14}" for x in report.labels)
    lines = [report.explain(), "", f"{head} | {'total':>14}", "-" * (len(head) + 17)]
    for row in (*report.rows, report.totals):
        key = "total" if row is report.totals else ("(none)" if row.key is None else row.key)
        cells = " | ".join(f"{b.amount.amount:>14,}" for b in row.buckets)
        lines.append(f"{key:<{width}} | {cells} | {row.total.amount:>14,}")
    lines.extend(
        f"unapplied credit: {c.customer_id} {c.amount} ({c.payment_id})" for c in report.unapplied
    )
    return lines


def _aging_json(report: Aging) -> dict[str, Any]:
    data: dict[str, Any] = dict(to_jsonable(report))
    data["rows"] = [{**to_jsonable(r), "total": to_jsonable(r.total)} for r in report.rows]
    data["totals"] = {**to_jsonable(report.totals), "total": to_jsonable(report.totals.total)}
    data["total"] = to_jsonable(report.total)
    return data


def _aging(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    departments = _departments(args)
    ledger, problems = _ledger(args.file)
    report = aging(
        ledger, DEFAULT_AGING, calendar, as_of, group=AgingGroup(args.by), departments=departments
    )
    # --limit shortens the rows shown; the totals stay those of every row
    report = attrs.evolve(report, rows=limited(report.rows, args.limit, what="row(s)"))
    if args.json:
        emit_json(_aging_json(report))
    else:
        print("\n".join(_aging_text(report)))
    return 1 if problems else 0


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _statement_text(result: CustomerStatement) -> list[str]:
    lines = [f"对帐单 statement of {result.customer_id}, {result.period} ({result.currency})"]
    lines.append(f"{'':10}  {'opening balance':<34} {result.opening.amount:>14,}")
    for line in result.lines:
        sign = "" if line.is_charge else "-"
        what = f"{line.kind.value} {line.record_id}"
        if line.reference:
            what += f" ({line.reference})"
        lines.append(f"{line.on}  {what:<34} {sign + format(line.amount.amount, ','):>14}")
    lines.append(f"{'':10}  {'closing balance':<34} {result.closing.amount:>14,}")
    lines.append(result.explain())
    return lines


def _statement(args: argparse.Namespace) -> int:
    if args.end < args.start:
        raise UsageError(f"argument --to: {args.end} is before --from {args.start}")
    ledger, problems = _ledger(args.file)
    known = {i.customer_id for i in ledger.invoices} | {p.customer_id for p in ledger.payments}
    if args.customer not in known:
        hint = did_you_mean(args.customer, sorted(known))
        raise UsageError(
            f"argument --customer: no record of {args.customer!r} in {args.file}{hint}"
        )
    result = statement(ledger, args.customer, DateRange(args.start, args.end))
    if args.json:
        totals = {
            name: to_jsonable(getattr(result, name))
            for name in ("invoices", "payments", "credit_notes", "write_offs", "closing")
        }
        emit_json({**dict(to_jsonable(result)), **totals})
    else:
        print("\n".join(_statement_text(result)))
    return 1 if problems else 0


def add_commands(subparsers: Any) -> None:
    """Register `receivables aging|statement`."""
    group = subparsers.add_parser(
        "receivables", help="aging of receivables (账龄) and customer statements (对帐单)"
    )
    actions = group.add_subparsers(dest="receivables_command", required=True, metavar="ACTION")
    old = actions.add_parser("aging", help="what is owed, by days overdue, as of a date")
    old.add_argument("file", type=Path, metavar="FILE", help="a receivables file")
    add_as_of(old)
    old.add_argument("--by", choices=[g.value for g in AgingGroup], default="customer")
    old.add_argument("--calendar", choices=CALENDARS, default="china")
    old.add_argument("--staff", type=Path, metavar="FILE", help="staff file (for --by department)")
    old.add_argument("--org", metavar="NAME_OR_FILE", help="org chart (for --by department)")
    add_json(old)
    add_limit(old)
    old.set_defaults(run=_aging)

    state = actions.add_parser("statement", help="a customer's statement for a period")
    state.add_argument("file", type=Path, metavar="FILE", help="a receivables file")
    state.add_argument("--customer", required=True, metavar="ID")
    state.add_argument("--from", dest="start", required=True, type=_day, metavar="DATE")
    state.add_argument("--to", dest="end", required=True, type=_day, metavar="DATE")
    add_json(state)
    state.set_defaults(run=_statement)
