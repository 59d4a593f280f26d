"""`keyaccount org ...` and `keyaccount approve`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from keyaccount import reference
from keyaccount.errors import InvalidAmountError
from keyaccount.io import load_org
from keyaccount.money import Money, Rates
from keyaccount.org import OrgChart, Position, approval_route, check_org

__all__ = ["add_commands", "load_chart", "render_tree"]


def load_chart(name_or_file: str) -> OrgChart:
    """A reference chart by name, else a chart file by path."""
    if name_or_file in reference.names():
        return reference.load(name_or_file)
    return load_org(Path(name_or_file))


def render_tree(chart: OrgChart, *, authorities: bool = True) -> str:
    """The chart as an indented tree, each position with its authorities."""
    lines = [f"{chart.title} ({chart.title_en}) [{chart.name}]"]
    if chart.source:
        lines.append(f"source: {chart.source}")

    def walk(position: Position, depth: int) -> None:
        pad = "  " * depth
        marker = " (assumed)" if position.assumption else ""
        lines.append(f"{pad}- {position.title} / {position.title_en} [{position.id}]{marker}")
        if authorities:
            for authority in position.authorities:
                note = " (assumed)" if authority.assumption else ""
                label = f"  {authority.label}" if authority.label else ""
                lines.append(f"{pad}    * {authority.describe()}{note}{label}")
        for child in chart.subordinates(position.id):
            walk(child, depth + 1)

    for top in chart.tops():
        walk(top, 1)
    return "\n".join(lines)


def _list(_args: argparse.Namespace) -> int:
    for name in reference.names():
        chart = reference.load(name)
        print(f"{name:18} {chart.title} / {chart.title_en} ({len(chart)} positions)")
    return 0


def _show(args: argparse.Namespace) -> int:
    print(render_tree(load_chart(args.chart)))
    return 0


def _check(args: argparse.Namespace) -> int:
    chart = load_chart(args.chart)
    findings = check_org(chart)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s) in {args.chart}")
    return 1 if findings else 0


def _rates(specs: list[str] | None) -> Rates | None:
    """`["USD:CNY=7.1", ...]` as explicit `Rates` (`None` when none are given)."""
    if not specs:
        return None
    table: dict[tuple[str, str], str] = {}
    for spec in specs:
        pair, _, rate = spec.partition("=")
        source, _, target = pair.partition(":")
        if not (source and target and rate):
            raise InvalidAmountError(f"--rate {spec!r}: write FROM:TO=RATE, e.g. USD:CNY=7.1")
        table[(source.strip(), target.strip())] = rate.strip()
    return Rates(table)


def _approve(args: argparse.Namespace) -> int:
    chart = load_chart(args.org)
    requester = chart.resolve(args.requester)
    route = approval_route(
        chart,
        requester.id,
        args.subject,
        Money(args.amount, args.currency),
        within_budget=not args.over_budget,
        rates=_rates(args.rate),
    )
    approver = chart.position(route.approver)
    print(f"approver: {approver.title} / {approver.title_en} [{approver.id}]")
    print(f"chain: {' -> '.join(route.chain)}")
    print(route.explain())
    return 0


def add_commands(subparsers: Any) -> None:
    """Register `org list|show|check` and `approve`."""
    org = subparsers.add_parser("org", help="list, show and check org charts")
    org_commands = org.add_subparsers(dest="org_command", required=True, metavar="ACTION")
    listing = org_commands.add_parser("list", help="list the built-in reference charts")
    listing.set_defaults(run=_list)
    show = org_commands.add_parser("show", help="print a chart as a tree with authorities")
    show.add_argument("chart", metavar="NAME-OR-FILE")
    show.set_defaults(run=_show)
    check = org_commands.add_parser("check", help="report every problem in a chart")
    check.add_argument("chart", metavar="NAME-OR-FILE")
    check.set_defaults(run=_check)

    approve = subparsers.add_parser("approve", help="who must approve an amount, and why")
    approve.add_argument("--org", required=True, metavar="NAME-OR-FILE")
    approve.add_argument("--from", dest="requester", required=True, metavar="POSITION")
    approve.add_argument("--subject", required=True)
    approve.add_argument("--amount", required=True, help="a decimal amount, e.g. 30000")
    approve.add_argument("--currency", default="CNY")
    approve.add_argument("--over-budget", action="store_true", help="the spending is over budget")
    approve.add_argument(
        "--rate",
        action="append",
        metavar="FROM:TO=RATE",
        help="an exchange rate to compare limits in another currency, e.g. USD:CNY=7.1 "
        "(repeatable; without one, mixing currencies is an error)",
    )
    approve.set_defaults(run=_approve)
