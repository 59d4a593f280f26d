"""`keyaccount org list|show|check` and `keyaccount approve`.

Each takes `--json` (one document on stdout); `org list` and `org check` take `--limit`.
A chart is named by a reference chart's name or a chart file's path; a name that is
neither is answered with the reference charts and the nearest names.
"""

from __future__ import annotations

import argparse
from typing import Any

from keyaccount import reference
from keyaccount.cli._common import add_json, add_limit, emit_json, limited
from keyaccount.cli._lookup import did_you_mean, load_chart
from keyaccount.errors import InvalidAmountError, NoApproverError, UnknownPositionError
from keyaccount.money import Money, Rates
from keyaccount.org import OrgChart, Position, approval_route, check_org

__all__ = ["add_commands", "load_chart", "render_tree", "resolve_position"]


def resolve_position(chart: OrgChart, id_or_title: str) -> Position:
    """The position `id_or_title` names in `chart` (`OrgChart.resolve`), with suggestions.

    Raises:
        UnknownPositionError: no position has that id or title; the message names the
            nearest ids and titles.
        AmbiguousTitleError: several positions share the title.
    """
    try:
        return chart.resolve(id_or_title)
    except UnknownPositionError:
        known = [p.id for p in chart.positions] + [p.title for p in chart.positions]
        raise UnknownPositionError(
            f"no position with the id or title {id_or_title!r} in the {chart.name} chart"
            f"{did_you_mean(id_or_title, known)}"
        ) from None


def _subjects(chart: OrgChart) -> tuple[str, ...]:
    """Every subject an authority of the chart is about, sorted."""
    return tuple(sorted({a.subject for p in chart.positions for a in p.authorities}))


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


def _list(args: argparse.Namespace) -> int:
    charts = [reference.load(name) for name in reference.names()]
    shown = limited(charts, args.limit, what="chart(s)")
    if args.json:
        emit_json(
            [
                {"name": c.name, "title": c.title, "title_en": c.title_en, "positions": len(c)}
                for c in shown
            ]
        )
        return 0
    for chart in shown:
        print(f"{chart.name:18} {chart.title} / {chart.title_en} ({len(chart)} positions)")
    return 0


def _show(args: argparse.Namespace) -> int:
    chart = load_chart(args.chart)
    if args.json:
        emit_json(chart)
    else:
        print(render_tree(chart))
    return 0


def _check(args: argparse.Namespace) -> int:
    chart = load_chart(args.chart)
    findings = check_org(chart)
    shown = limited(findings, args.limit, what="finding(s)")
    if args.json:
        emit_json({"chart": chart.name, "count": len(findings), "findings": shown})
    else:
        for finding in shown:
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
    requester = resolve_position(chart, args.requester)
    subjects = _subjects(chart)
    if args.subject not in subjects:
        raise NoApproverError(
            f"no position of the {chart.name} chart holds a right over {args.subject!r}"
            f"{did_you_mean(args.subject, subjects)}; its subjects: {', '.join(subjects)}"
        )
    route = approval_route(
        chart,
        requester.id,
        args.subject,
        Money(args.amount, args.currency),
        within_budget=not args.over_budget,
        rates=_rates(args.rate),
    )
    if args.json:
        emit_json(route)
        return 0
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
    add_json(listing)
    add_limit(listing)
    listing.set_defaults(run=_list)
    show = org_commands.add_parser("show", help="print a chart as a tree with authorities")
    show.add_argument("chart", metavar="NAME-OR-FILE")
    add_json(show)
    show.set_defaults(run=_show)
    check = org_commands.add_parser("check", help="report every problem in a chart")
    check.add_argument("chart", metavar="NAME-OR-FILE")
    add_json(check)
    add_limit(check)
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
    add_json(approve)
    approve.set_defaults(run=_approve)
