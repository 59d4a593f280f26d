"""`keyaccount demo`: the library's main job on the built-in reference department."""

from __future__ import annotations

import argparse
from typing import Any

import pendulum

from keyaccount import reference
from keyaccount.calendar import (
    CHINA_TIMEZONE,
    Days,
    Hours,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
    deadline,
)
from keyaccount.cli._common import add_json, emit_json
from keyaccount.errors import NoApproverError
from keyaccount.org import ApprovalRoute, AuthorityKind, approval_route, can, check_org

__all__ = ["add_commands", "demo_data", "run_demo"]


def _section(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


def _credit_routes() -> tuple[ApprovalRoute, ...]:
    """Who approves three customer-credit requests on the sales-management chart."""
    chart = reference.load("sales-management")
    regional = chart.by_title("区域经理")
    manager = chart.by_title("销售管理部经理")
    requests = ((regional, "20000"), (regional, "20000.01"), (manager, "5000"))
    return tuple(
        approval_route(chart, requester.id, "customer-credit", amount)
        for requester, amount in requests
    )


def _authority_demo() -> None:
    chart = reference.load("sales-management")
    _section(f"Who approves customer credit? ({chart.title}, seed {chart.source})")
    print(f"check_org: {len(check_org(chart))} finding(s)")
    manager = chart.by_title("销售管理部经理")
    for route in _credit_routes():
        requester, amount = chart.position(route.requester), route.amount.amount
        approver = chart.position(route.approver)
        print(f"{requester.title} asks {amount} CNY -> {approver.title} ({approver.title_en})")
        print(f"    chain: {' -> '.join(route.chain)}")
    decision = can(chart, manager.id, AuthorityKind.APPROVE, "customer-credit", amount="30000")
    print(f"can the manager approve 30000 CNY? {bool(decision)}: {decision.reason}")
    key_account = reference.load("key-account")
    head = key_account.by_title("大客户部经理")
    shares = " + ".join(str(d.time_share) for d in head.job.duties)
    print(f"{head.title}'s duty time shares: {shares} = 100")
    try:
        approval_route(chart, manager.id, "no-such-subject", "1")
    except NoApproverError as error:
        print(f"an unknown subject has no approver: {error}")


def _deadline_cases() -> list[tuple[str, pendulum.DateTime, Period]]:
    """The demo's deadlines: what starts when, and the period it must be done within."""
    return [
        (
            "first contact after assignment",
            pendulum.datetime(2025, 9, 26, 10, tz=CHINA_TIMEZONE),
            Days(7),
        ),
        (
            "return visit, 3 working days",
            pendulum.datetime(2025, 9, 30, 15, tz=CHINA_TIMEZONE),
            Workdays(3),
        ),
        (
            "complaint accepted within 4 working hours",
            pendulum.datetime(2026, 2, 13, 17, 30, tz=CHINA_TIMEZONE),
            WorkingHours(4),
        ),
        (
            "complaint resolved within 16 working hours",
            pendulum.datetime(2026, 2, 13, 17, 30, tz=CHINA_TIMEZONE),
            WorkingHours(16),
        ),
        (
            "claim acknowledged within 24 hours",
            pendulum.datetime(2025, 10, 1, 9, tz=CHINA_TIMEZONE),
            Hours(24),
        ),
    ]


def _calendar_demo() -> None:
    cal = WorkCalendar.china()
    _section("Deadlines on the Chinese statutory calendar")
    for what, start, period in _deadline_cases():
        due = deadline(start, period, cal)
        day = f" (due date {due.date})" if due.date is not None else ""
        print(f"{what}: from {start.format('ddd YYYY-MM-DD HH:mm')} + {period}")
        print(f"    -> due before {due.at.format('ddd YYYY-MM-DD HH:mm')}{day}")
    tuesday_rest = WorkCalendar(
        weekly_rest_days={2}, hours=[("09:00", "12:00"), ("14:30", "18:00")], name="seed-000"
    )
    start = pendulum.datetime(2026, 3, 2, 17, 0, tz=CHINA_TIMEZONE)
    due = deadline(start, WorkingHours(3), tuesday_rest)
    print(
        f"Tuesday-rest company (09:00-12:00, 14:30-18:00): Monday 17:00 + 3 working hours"
        f" -> {due.at.format('ddd YYYY-MM-DD HH:mm')}"
    )


def run_demo() -> None:
    """Print the demo scenario: authorities, deadlines, visits and complaints."""
    from keyaccount.cli import complaints, visits  # noqa: PLC0415 - sibling command modules

    print("keyaccount demo: the built-in reference departments")
    print("reference charts: " + ", ".join(reference.names()))
    _authority_demo()
    _calendar_demo()
    visits.demo_section()
    complaints.demo_section()


def demo_data() -> dict[str, object]:
    """The demo's main answers as data (what `keyaccount demo --json` prints).

    The approval routes of the credit requests, the deadlines on the Chinese calendar and
    the SLA status of each complaint of the scenario; the narrative lines are text only.
    """
    from keyaccount.cli import complaints  # noqa: PLC0415 - sibling command module

    calendar = WorkCalendar.china()
    return {
        "reference_charts": reference.names(),
        "approval_routes": _credit_routes(),
        "deadlines": [
            {"what": what, "deadline": deadline(start, period, calendar)}
            for what, start, period in _deadline_cases()
        ],
        "complaints": complaints.demo_statuses(),
    }


def _run(args: argparse.Namespace) -> int:
    if args.json:
        emit_json(demo_data())
    else:
        run_demo()
    return 0


def add_commands(subparsers: Any) -> None:
    """Register `demo`."""
    demo = subparsers.add_parser("demo", help="run the demo on the reference department")
    add_json(demo)
    demo.set_defaults(run=_run)
