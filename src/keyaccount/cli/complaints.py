"""``keyaccount complaints status``: open complaints, their targets, deadlines and breaches."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from typing import Any

import pendulum

from keyaccount.calendar import WorkCalendar, to_instant
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
from keyaccount.errors import DataFileError, DataProblem, InvalidTransition
from keyaccount.io.complaints import load_complaint_policy, load_complaints

__all__ = ["add_commands", "demo_section", "parse_as_of", "render_status"]

_SHANGHAI = "Asia/Shanghai"


def parse_as_of(text: str) -> pendulum.DateTime:
    """An ISO 8601 date-time with a UTC offset (``2026-02-14T12:30+08:00``).

    Raises:
        DataFileError: the text is not an aware ISO 8601 date-time.
    """
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DataFileError(
            "--as-of", [DataProblem("$", f"expected an ISO 8601 date-time, got {text!r}")]
        ) from None
    if parsed.tzinfo is None:
        raise DataFileError(
            "--as-of", [DataProblem("$", f"{text!r} has no UTC offset; write e.g. +08:00")]
        )
    return to_instant(parsed, "as_of")


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
    complaint: Complaint, status: SlaStatus, tz: pendulum.Timezone, *, all_targets: bool = False
) -> str:
    """A complaint's status as text: header line, then one line per target.

    By default, only the current target of each kind and every breach are shown.
    """
    c = complaint
    header = (
        f"{c.id}  {c.kind.value} ({c.kind.label}), {c.severity.value} ({c.severity.label}), "
        f"customer {c.customer}, {c.status.value} ({c.status.label}), "
        f"owner {c.owner or '-'}"
    )
    lines = [header]
    shown = status.targets
    if not all_targets:
        current = set(map(id, status.current))
        shown = tuple(t for t in status.targets if id(t) in current or t.breached)
    lines.extend(_target_line(t, tz) for t in shown)
    return "\n".join(lines)


def _status(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)
    policy = load_complaint_policy(args.policy) if args.policy else ComplaintPolicy.default()
    calendar = WorkCalendar.china()
    loaded = load_complaints(args.complaints)
    complaints, problems = loaded.items, loaded.problems
    for problem in problems:
        print(f"keyaccount: {args.complaints}: {problem}", file=sys.stderr)
    tz = calendar.tz
    open_ones = [c for c in complaints if (k := c.as_of(as_of)) is not None and k.is_open]
    print(
        f"{len(open_ones)} open complaint(s) of {len(complaints)} at "
        f"{as_of.in_timezone(tz).format('ddd YYYY-MM-DD HH:mm')} (policy {policy.name})"
    )
    breached = 0
    for complaint in open_ones:
        known = complaint.as_of(as_of)
        if known is None:  # pragma: no cover - filtered above
            continue
        status = sla_status(known, policy, calendar, as_of)
        breached += bool(status.breaches)
        print()
        print(render_status(known, status, tz, all_targets=args.all))
    due = escalations(open_ones, policy, calendar, as_of)
    print()
    print(f"{breached} with breaches; {len(due)} escalation(s) due")
    for escalation in due:
        reasons = ", ".join(f"{r.value} ({r.label})" for r in escalation.reasons)
        print(f"  {escalation.complaint_id} -> {escalation.to}: {reasons}")
    return 1 if problems else 0


def add_commands(subparsers: Any) -> None:
    """Register ``complaints status``."""
    complaints = subparsers.add_parser("complaints", help="complaints and their SLAs")
    actions = complaints.add_subparsers(dest="complaints_command", required=True, metavar="ACTION")
    status = actions.add_parser(
        "status",
        help="each open complaint's targets, deadlines, time left and breaches",
        description=(
            "Print each open complaint's targets, deadlines, time left and breaches at "
            "--as-of, on the Chinese statutory calendar. Malformed complaints are reported "
            "on stderr with their path and skipped; the exit status is then 1."
        ),
    )
    status.add_argument("--complaints", required=True, metavar="FILE", help="a JSON event list")
    status.add_argument(
        "--as-of", required=True, metavar="DATETIME", help="e.g. 2026-02-14T12:30+08:00"
    )
    status.add_argument(
        "--policy", metavar="FILE", help="a TOML/JSON complaint policy (default: seed default)"
    )
    status.add_argument(
        "--all", action="store_true", help="show every target of every cycle, not just current"
    )
    status.set_defaults(run=_status)


def _scenario() -> Iterable[tuple[str, Complaint]]:
    friday = pendulum.datetime(2026, 2, 13, 17, 30, tz=_SHANGHAI)
    late = Complaint.receive(
        "TS-0213-01",
        at=friday,
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer="华北物流",
        channel="电话",
        summary="invoice does not match the delivery",
    )
    yield "received Friday 17:30 before the Spring Festival, not yet accepted", late
    major = Complaint.receive(
        "TS-0309-07",
        at=pendulum.datetime(2026, 3, 9, 16, 15, tz=_SHANGHAI),
        kind=RequestKind.COMPLAINT,
        severity=Severity.MAJOR,
        customer="bright-star",
        channel="来访",
        summary="gearbox failed twice within a month",
    ).accept(
        by="service-specialist-service", at=pendulum.datetime(2026, 3, 9, 16, 40, tz=_SHANGHAI)
    )
    yield "a major complaint (重大投诉), accepted, not yet escalated", major
    paused = (
        Complaint.receive(
            "TS-0305-02",
            at=pendulum.datetime(2026, 3, 5, 10, 0, tz=_SHANGHAI),
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer="acme",
            channel="电邮",
            summary="wrong colour delivered",
        )
        .accept(
            by="service-specialist-service", at=pendulum.datetime(2026, 3, 5, 10, 30, tz=_SHANGHAI)
        )
        .pause(at=pendulum.datetime(2026, 3, 6, 17, 0, tz=_SHANGHAI))
        .resume(at=pendulum.datetime(2026, 3, 9, 10, 0, tz=_SHANGHAI))
        .resolve(
            resolution="explained the order form; customer had chosen the colour",
            fault=Fault.NOT_OURS,
            root_cause="order entry by customer",
            at=pendulum.datetime(2026, 3, 9, 11, 30, tz=_SHANGHAI),
        )
        .follow_up(
            outcome=FollowUpOutcome.UNSATISFIED,
            by="crm-manager",
            at=pendulum.datetime(2026, 3, 10, 11, 0, tz=_SHANGHAI),
        )
    )
    yield "paused over a weekend, resolved (not our fault), unsatisfied follow-up", paused


def demo_section() -> None:
    """Print a short complaints scenario for ``keyaccount demo``."""
    title = "Complaints: the closed loop (闭环) and its SLAs"
    print()
    print(title)
    print("-" * len(title))
    policy = ComplaintPolicy.default()
    calendar = WorkCalendar.china()
    tz = calendar.tz
    as_of = pendulum.datetime(2026, 3, 10, 12, 0, tz=_SHANGHAI)
    scenario = list(_scenario())
    print(f"policy {policy.name}; as of {as_of.format('ddd YYYY-MM-DD HH:mm')}")
    for what, complaint in scenario:
        print(f"* {what}")
        print(render_status(complaint, sla_status(complaint, policy, calendar, as_of), tz))
    first = scenario[0][1]
    saturday = pendulum.datetime(2026, 2, 14, 12, 30, tz=_SHANGHAI)
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
    before_visit = Complaint.replay(resolved.id, resolved.events[:-1])
    try:
        before_visit.close(by="crm-manager", at=as_of)
    except InvalidTransition as error:
        print(f"closing {resolved.id} before its follow-up is refused: {error}")
    for escalation in escalations([c for _, c in scenario], policy, calendar, as_of):
        reasons = ", ".join(f"{r.value} ({r.label})" for r in escalation.reasons)
        print(f"escalate {escalation.complaint_id} -> {escalation.to}: {reasons}")
