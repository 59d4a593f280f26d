"""`keyaccount complaints status`: open complaints, their targets, deadlines and breaches."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pendulum

from keyaccount.calendar import CHINA_TIMEZONE, WorkCalendar
from keyaccount.cli._common import (
    UsageError,
    add_as_of,
    add_json,
    add_limit,
    emit_json,
    limited,
    loaded,
    read_as_of,
)
from keyaccount.cli._lookup import did_you_mean, load_records, load_value
from keyaccount.cli._progress import Progress
from keyaccount.complaints import (
    Complaint,
    ComplaintPolicy,
    Fault,
    FollowUpOutcome,
    RequestKind,
    Severity,
    SlaStatus,
    TargetStatus,
    escalations,
    sla_status,
)
from keyaccount.errors import InvalidTransition
from keyaccount.io import load_complaint_policy, load_complaints

__all__ = ["add_commands", "demo_section", "demo_statuses", "render_status"]


def _duration(value: dt.timedelta) -> str:
    sign = "-" if value < dt.timedelta(0) else ""
    minutes = abs(value) // dt.timedelta(minutes=1)
    return f"{sign}{minutes // 60}h{minutes % 60:02d}m"


def _target_line(target: TargetStatus, tz: pendulum.Timezone) -> str:
    due = target.deadline.in_timezone(tz).format("ddd YYYY-MM-DD HH:mm")
    flags = []
    if target.nearing_breach:
        flags.append("NEARING BREACH")
    if target.state.value == "breached":
        flags.append(f"BREACHED by {_duration(target.overdue)}")
    paused = f", paused {_duration(target.paused)}" if target.paused else ""
    name = f"{target.target.value} ({target.target.label})"
    cycle = f" #{target.cycle}" if target.cycle else ""
    return (
        f"  {name + cycle:22} {target.period!s:18} due {due}  "
        f"{target.state.value:8} used {_duration(target.time_used)}, "
        f"left {_duration(target.time_left)}{paused}" + (f"  [{'; '.join(flags)}]" if flags else "")
    )


def render_status(
    complaint: Complaint, status: SlaStatus, calendar: WorkCalendar, *, all_targets: bool = False
) -> str:
    """A complaint's status as text: header line, then one line per target.

    Deadlines are shown in the calendar's time zone. By default, only the current target
    of each kind and every breach are shown.
    """
    c = complaint
    header = (
        f"{c.id}  {c.kind.value} ({c.kind.label}), {c.severity.value} ({c.severity.label}), "
        f"customer {c.customer_id}, {c.status.value} ({c.status.label}), "
        f"position {c.position or '-'}"
    )
    lines = [header]
    shown = status.targets
    if not all_targets:
        current = set(map(id, status.current))
        shown = tuple(t for t in status.targets if id(t) in current or t.breached)
    lines.extend(_target_line(t, calendar.tz) for t in shown)
    return "\n".join(lines)


def _header(complaint: Complaint) -> dict[str, object]:
    """What the JSON of `complaints status` says about one complaint besides its SLA."""
    return {
        "id": complaint.id,
        "kind": complaint.kind,
        "severity": complaint.severity,
        "customer_id": complaint.customer_id,
        "status": complaint.status,
        "position": complaint.position,
    }


def _status(args: argparse.Namespace) -> int:
    calendar = WorkCalendar.china()
    as_of = read_as_of(args.as_of, calendar)
    policy = (
        load_value(load_complaint_policy, args.policy, "complaint policy")
        if args.policy
        else ComplaintPolicy.default()
    )
    with Progress(1, "loading") as progress:
        result = load_records(load_complaints, Path(args.complaints), "complaints", progress)
        complaints = result.items
        known = [k for c in complaints if (k := c.as_of(as_of)) is not None]
        if args.customer is not None:
            customers = {k.customer_id for k in known}
            if args.customer not in customers:
                raise UsageError(
                    f"argument --customer: no complaint of customer {args.customer!r} in "
                    f"{result.source}{did_you_mean(args.customer, customers)}"
                )
            known = [k for k in known if k.customer_id == args.customer]
        open_ones = [k for k in known if k.is_open]
        progress.grow(len(open_ones))
        # Every figure is computed before anything is printed: an error (a date outside
        # the calendar's coverage) leaves no partial answer behind.
        statuses = []
        for complaint in open_ones:
            progress.advance(0, label=f"SLA of {complaint.id}")
            statuses.append(sla_status(complaint, policy, calendar, as_of))
            progress.advance()
        due = escalations(open_ones, policy, calendar, as_of)
    loaded(result)  # each problem on stderr, once the bar is gone
    breached = sum(1 for status in statuses if status.breaches)
    pairs = limited(list(zip(open_ones, statuses, strict=True)), args.limit, what="complaint(s)")
    if args.json:
        emit_json(
            {
                "as_of": as_of,
                "policy": policy.name,
                "complaints": len(complaints),
                "open": len(open_ones),
                "with_breaches": breached,
                "statuses": [_header(c) | {"sla": status} for c, status in pairs],
                "escalations": due,
            }
        )
        return 1 if result.problems else 0
    when = as_of.in_timezone(calendar.tz).format("ddd YYYY-MM-DD HH:mm")
    lines = [
        f"{len(open_ones)} open complaint(s) of {len(complaints)} at {when} (policy {policy.name})"
    ]
    for complaint, status in pairs:
        lines.extend(("", render_status(complaint, status, calendar, all_targets=args.all)))
    lines.extend(("", f"{breached} with breaches; {len(due)} escalation(s) due"))
    for escalation in due:
        reasons = ", ".join(f"{r.value} ({r.label})" for r in escalation.reasons)
        lines.append(f"  {escalation.complaint_id} -> {escalation.to}: {reasons}")
    print("\n".join(lines))
    return 1 if result.problems else 0


def add_commands(subparsers: Any) -> None:
    """Register `complaints status`."""
    complaints = subparsers.add_parser("complaints", help="complaints and their SLAs")
    actions = complaints.add_subparsers(dest="complaints_command", required=True, metavar="ACTION")
    status = actions.add_parser(
        "status",
        help="each open complaint's targets, deadlines, time left and breaches",
        description=(
            "Print each open complaint's targets, deadlines, time left and breaches at "
            "--as-of, on the Chinese statutory calendar. Malformed complaints are reported "
            "on stderr with their path and skipped; the exit status is then 1. A bad "
            "--as-of is a usage error (exit status 2). --as-of takes a date (the start of "
            "that day in China) or an instant with its offset."
        ),
    )
    status.add_argument("--complaints", required=True, metavar="FILE", help="a JSON event list")
    add_as_of(status)
    status.add_argument(
        "--policy", metavar="FILE", help="a TOML/JSON complaint policy (default: seed default)"
    )
    status.add_argument(
        "--all", action="store_true", help="show every target of every cycle, not just current"
    )
    status.add_argument("--customer", metavar="ID", help="only this customer's complaints")
    add_json(status)
    add_limit(status)
    status.set_defaults(run=_status)


def _shanghai(month: int, day: int, hour: int, minute: int) -> pendulum.DateTime:
    """An instant of 2026 in China's time zone, for the demo's scenario."""
    return pendulum.datetime(2026, month, day, hour, minute, tz=CHINA_TIMEZONE)


def _complaint(
    complaint_id: str, at: pendulum.DateTime, customer_id: str, channel: str, summary: str
) -> Complaint:
    """A normal complaint of the demo, just received."""
    return Complaint.receive(
        complaint_id,
        at=at,
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer_id=customer_id,
        channel=channel,
        summary=summary,
    )


def _scenario() -> Iterable[tuple[str, Complaint]]:
    late = _complaint(
        "TS-0213-01",
        _shanghai(2, 13, 17, 30),
        "华北物流",
        "电话",
        "invoice does not match the delivery",
    )
    yield "received Friday 17:30 before the Spring Festival, not yet accepted", late
    major = Complaint.receive(
        "TS-0309-07",
        at=_shanghai(3, 9, 16, 15),
        kind=RequestKind.COMPLAINT,
        severity=Severity.MAJOR,
        customer_id="bright-star",
        channel="来访",
        summary="gearbox failed twice within a month",
    ).accept(by="service-specialist-service", at=_shanghai(3, 9, 16, 40))
    yield "a major complaint (重大投诉), accepted, not yet escalated", major
    paused = (
        _complaint("TS-0305-02", _shanghai(3, 5, 10, 0), "acme", "电邮", "wrong colour delivered")
        .accept(by="service-specialist-service", at=_shanghai(3, 5, 10, 30))
        .pause(at=_shanghai(3, 6, 17, 0))
        .resume(at=_shanghai(3, 9, 10, 0))
        .resolve(
            resolution="explained the order form; customer had chosen the colour",
            fault=Fault.NOT_OURS,
            root_cause="order entry by customer",
            at=_shanghai(3, 9, 11, 30),
        )
        .follow_up(
            outcome=FollowUpOutcome.UNSATISFIED,
            by="crm-manager",
            at=_shanghai(3, 10, 11, 0),
        )
    )
    yield "paused over a weekend, resolved (not our fault), unsatisfied follow-up", paused


def demo_statuses() -> tuple[SlaStatus, ...]:
    """The SLA status of each complaint of the demo's scenario, at its instant."""
    policy = ComplaintPolicy.default()
    calendar = WorkCalendar.china()
    as_of = _shanghai(3, 10, 12, 0)
    return tuple(sla_status(c, policy, calendar, as_of) for _, c in _scenario())


def demo_section() -> None:
    """Print a short complaints scenario for `keyaccount demo`."""
    title = "Complaints: the closed loop (闭环) and its SLAs"
    print()
    print(title)
    print("-" * len(title))
    policy = ComplaintPolicy.default()
    calendar = WorkCalendar.china()
    as_of = _shanghai(3, 10, 12, 0)
    scenario = list(_scenario())
    print(f"policy {policy.name}; as of {as_of.format('ddd YYYY-MM-DD HH:mm')}")
    for what, complaint in scenario:
        print(f"* {what}")
        print(render_status(complaint, sla_status(complaint, policy, calendar, as_of), calendar))
    first = scenario[0][1]
    saturday = _shanghai(2, 14, 12, 30)
    accept = sla_status(first, policy, calendar, saturday).targets[0]
    print(
        f"{first.id} at Sat 2026-02-14 12:30 (a 调休 working day): acceptance "
        f"{accept.state.value}, {_duration(accept.time_left)} left"
        + (" - nearing breach" if accept.nearing_breach else "")
    )
    resolved = scenario[2][1]
    fault = Fault.NOT_OURS
    print(
        f"{resolved.id}: fault {fault.value} ({fault.label}); apology due: {fault.apology_due}"
        f" (courteous, but no apology)"
    )
    before_visit = Complaint(resolved.id, resolved.events[:-1])
    try:
        before_visit.close(by="crm-manager", at=as_of)
    except InvalidTransition as error:
        print(f"closing {resolved.id} before its follow-up is refused: {error}")
    for escalation in escalations([c for _, c in scenario], policy, calendar, as_of):
        reasons = ", ".join(f"{r.value} ({r.label})" for r in escalation.reasons)
        print(f"escalate {escalation.complaint_id} -> {escalation.to}: {reasons}")
