"""`keyaccount club balance` and `keyaccount club report` (客户俱乐部).

`club balance FILE --member ID --as-of WHEN` reads a club file (charter, cards, points
operations) and prints the member's balance, where the points went, the level and the
entries behind them. `club report FILE --from DATE --to DATE --as-of WHEN` prints the
club operations report (俱乐部运营报告) of the period. A club file with problems is
reported on stderr, one line per problem with its path; the valid records are used and
the command exits with status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from keyaccount.calendar import DateRange
from keyaccount.cli._common import (
    CALENDARS,
    UsageError,
    add_as_of,
    add_json,
    calendar_named,
    emit_json,
    read_as_of,
)
from keyaccount.cli._lookup import check_kind, did_you_mean
from keyaccount.club import ClubReport, MemberPoints, club_report, member_points
from keyaccount.errors import DataFileError, KeyAccountError
from keyaccount.io import LoadedClub, load_club

__all__ = ["add_commands"]


def _load(path: Path) -> LoadedClub:
    """The club file, its problems printed on stderr (a file of another kind refused)."""
    try:
        found = load_club(path)
    except DataFileError as error:
        check_kind(path, "club", error.source)
        raise
    if found.problems:
        check_kind(path, "club", found.source)
    for problem in found.problems:
        print(f"keyaccount: {found.source}: {problem}", file=sys.stderr)
    return found


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _balance_text(points: MemberPoints) -> list[str]:
    lines = [points.explain(), ""]
    lines.extend(
        f"{entry.at.isoformat()}  {entry.id:<16} {entry.kind.label:<6} "
        f"{entry.points:>+9}  = {entry.balance:>9}  {entry.reason}"
        for entry in points.entries
    )
    lines.append("")
    lines.extend(f"{c.at.isoformat()}  {c.label}: {c.reason}" for c in points.level_changes)
    return lines


def _balance(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    found = _load(args.file)
    members = found.ledger.cards.members()
    if args.member not in members:
        raise UsageError(
            f"argument --member: no member {args.member!r} in {args.file}"
            f"{did_you_mean(args.member, members)}"
        )
    points = member_points(found.ledger, args.member, as_of)
    if args.json:
        emit_json(points)
    else:
        print("\n".join(_balance_text(points)))
    return 1 if found.problems else 0


def _report_text(report: ClubReport) -> list[str]:
    rate = "n/a" if report.redemption_rate is None else f"{report.redemption_rate:.2%}"
    return [
        f"俱乐部运营报告 club report {report.period} as of {report.as_of.isoformat()}",
        "",
        "members by level (live cards):",
        *(f"  {c.label:<8} {c.members:>5}  {', '.join(c.member_ids)}" for c in report.levels),
        f"new members     {len(report.new_members):>5}  {', '.join(report.new_members)}",
        f"active members  {len(report.active_members):>5}  {', '.join(report.active_members)}",
        f"lapsed members  {len(report.lapsed_members):>5}  {', '.join(report.lapsed_members)}",
        "",
        f"points issued     {report.points_issued:>10}",
        f"points redeemed   {report.points_redeemed:>10}",
        f"points expired    {report.points_expired:>10}",
        f"points taken back {report.points_reversed:>10}",
        (
            f"outstanding       {report.outstanding:>10}  = {report.liability} "
            f"at {report.point_value} a point"
        ),
        f"redemption rate   {rate:>10}  (redeemed / issued in the period)",
    ]


def _report(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    try:
        period = DateRange(args.start, args.end)
    except KeyAccountError as error:
        raise UsageError(f"arguments --from/--to: {error}") from None
    found = _load(args.file)
    report = club_report(found.ledger, period, calendar, as_of)
    if args.json:
        data: dict[str, Any] = {"report": report, "liability": report.liability}
        data["redemption_rate"] = report.redemption_rate
        emit_json(data)
    else:
        print("\n".join(_report_text(report)))
    return 1 if found.problems else 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="a club file (JSON or TOML)")
    add_as_of(parser)
    parser.add_argument(
        "--calendar", choices=CALENDARS, default="china", help="the calendar (default: china)"
    )
    add_json(parser)


def add_commands(subparsers: Any) -> None:
    """Register `club balance` and `club report`."""
    club = subparsers.add_parser("club", help="the member club (客户俱乐部): points and report")
    actions = club.add_subparsers(dest="club_command", required=True, metavar="ACTION")
    balance = actions.add_parser("balance", help="a member's points, level and entries")
    _common(balance)
    balance.add_argument("--member", required=True, metavar="ID", help="the member's customer id")
    balance.set_defaults(run=_balance)
    report = actions.add_parser("report", help="the club operations report (俱乐部运营报告)")
    _common(report)
    report.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    report.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    report.set_defaults(run=_report)
