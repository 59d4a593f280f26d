"""`keyaccount duties agenda|compliance`: a position's work routine (工作规程) on the calendar.

* ``duties agenda --org NAME --position TITLE_OR_ID --from DATE --to DATE`` prints the
  position's duty occurrences in time order (`occurrences`); ``--json`` prints them as
  a JSON list (each with ``duty``, the seed's words, ``start`` and ``end`` as RFC 3339
  instants, and ``convention``, how a rest day moved it, or ``null``); ``--ics FILE``
  writes them as an iCalendar file (`to_ics`, the ``keyaccount[ics]`` extra).
* ``duties compliance --org NAME --records FILE --from DATE --to DATE --as-of WHEN``
  checks the done records against the occurrences (`compliance`) and prints the
  summary per position and per person (`compliance_summary`). A record that names a
  duty no position holds, or a day its duty's rule does not name, is reported on
  stderr (`record_problems`) and the command exits 1, as for a bad record.

The department's calendar: ``--calendar`` (the Chinese statutory calendar by default)
with ``--rest-days`` for a department whose week differs (``--rest-days 7``: the
six-day week the seed's Saturday weekly meeting implies).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.cli._common import (
    CALENDARS,
    UsageError,
    add_json,
    calendar_named,
    emit_json,
    loaded,
    read_as_of,
)
from keyaccount.cli._lookup import did_you_mean, load_chart, load_records
from keyaccount.cli.calendar import provisional_warning
from keyaccount.duties import (
    AgendaItem,
    DutyKind,
    Occurrence,
    OccurrenceCompliance,
    RecurringDuty,
    compliance,
    compliance_summary,
    duties_of,
    occurrences,
    record_problems,
    to_ics,
)
from keyaccount.errors import AmbiguousTitleError, CalendarCoverageError, UnknownPositionError
from keyaccount.io import load_done_records
from keyaccount.org import OrgChart, Position

__all__ = ["add_commands"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _rest_days(text: str) -> frozenset[int]:
    try:
        days = frozenset(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of ISO weekdays (1 Monday ... 7 Sunday), e.g. 6,7"
        ) from None
    if not days <= set(range(1, 8)):
        raise argparse.ArgumentTypeError(f"{text!r}: weekdays are 1 (Monday) to 7 (Sunday)")
    return days


def _kinds(text: str) -> frozenset[DutyKind]:
    try:
        return frozenset(DutyKind(part.strip()) for part in text.split(",") if part.strip())
    except ValueError:
        known = ", ".join(k.value for k in DutyKind)
        raise argparse.ArgumentTypeError(f"{text!r}: the kinds are {known}") from None


def _calendar(args: argparse.Namespace) -> WorkCalendar:
    if args.provisional and args.calendar != "china":
        raise UsageError("argument --provisional: only with --calendar china")
    calendar = (
        WorkCalendar.china(provisional=True) if args.provisional else calendar_named(args.calendar)
    )
    if args.rest_days is not None:
        calendar = attrs.evolve(calendar, weekly_rest_days=args.rest_days)
    return calendar


def _period(args: argparse.Namespace) -> DateRange:
    if args.end < args.start:
        raise UsageError(f"argument --to: {args.end} is before --from {args.start}")
    return DateRange(args.start, args.end)


def _position(chart: OrgChart, wanted: str) -> Position:
    """The position ``wanted`` names (an id or a title), or a usage error naming the known."""
    try:
        return chart.resolve(wanted)
    except AmbiguousTitleError as error:
        raise UsageError(f"argument --position: {error}") from None
    except UnknownPositionError:
        known = [p.title for p in chart] + [p.id for p in chart]
        hint = did_you_mean(wanted, known)
        titles = ", ".join(p.title for p in chart)
        raise UsageError(
            f"argument --position: no position {wanted!r} in the {chart.name} chart{hint}; "
            f"known titles: {titles}"
        ) from None


def _agenda(args: argparse.Namespace) -> int:
    if args.json and args.ics is not None:
        raise UsageError("argument --ics: not allowed with --json")
    calendar = _calendar(args)
    period = _period(args)
    chart = load_chart(args.org)
    position = _position(chart, args.position)
    found = _occurrences_of(duties_of(chart, position.id), period, calendar)
    if args.ics is not None:
        stamp = (
            read_as_of(args.as_of, calendar)
            if args.as_of
            else read_as_of(period.start.isoformat(), calendar)
        )
        data = to_ics([AgendaItem.of_occurrence(o) for o in found], stamp, name=position.title)
        args.ics.write_bytes(data)
        print(f"wrote {len(found)} event(s) of {position.title} ({position.id}) to {args.ics}")
        return 0
    if args.json:
        emit_json(found)
        return 0
    print(f"{position.title} ({position.id}), {period}: {len(found)} occurrence(s)")
    for occurrence in found:
        print(_line(occurrence))
    return 0


def _line(occurrence: Occurrence) -> str:
    start = occurrence.start.format("YYYY-MM-DD ddd HH:mm")
    end = occurrence.end.format("YYYY-MM-DD HH:mm")
    moved = ""
    if occurrence.convention is not None:
        moved = (
            f"  [moved from {occurrence.moved_from} by {occurrence.convention.value} "
            f"{occurrence.convention.label}]"
        )
    return f"{start} - {end}  {occurrence.duty}{moved}"


def _compliance(args: argparse.Namespace) -> int:
    calendar = _calendar(args)
    period = _period(args)
    as_of = read_as_of(args.as_of, calendar)
    chart = load_chart(args.org)
    position = _position(chart, args.position).id if args.position else None
    result = load_records(load_done_records, Path(args.records), "done records")
    records = loaded(result)
    stray = record_problems(records, duties_of(chart))
    for problem in stray:
        print(f"keyaccount: {result.source}: {problem}", file=sys.stderr)
    failed = 1 if result.problems or stray else 0
    duties = tuple(d for d in duties_of(chart, position) if not args.kind or d.kind in args.kind)
    found = _occurrences_of(duties, period, calendar)
    rows = tuple(r for r in compliance(found, records, as_of) if r.occurrence.scheduled in period)
    summary = compliance_summary(rows, period)
    if args.json:
        emit_json({"summary": summary, "occurrences": [_row(r) for r in rows]})
        return failed
    print(f"compliance {period} as of {as_of.isoformat()}: {len(rows)} occurrence(s)")
    for figures in summary.positions:
        print(f"  {figures.explain()}")
    for figures in summary.people:
        print(f"  {figures.explain()}")
    for row in rows:
        print(f"{row.status.value:>12} {row.explain()}")
    return failed


def _row(row: OccurrenceCompliance) -> dict[str, object]:
    """A compliance row for `--json`, its derived status and lateness included."""
    return {
        "id": row.id,
        "status": row.status,
        "late_by": row.late_by,
        "done_by": row.done_by,
        "occurrence": row.occurrence,
        "record": row.record,
        "explanation": row.explain(),
    }


def _calendar_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--calendar", choices=CALENDARS, default="china")
    parser.add_argument(
        "--rest-days",
        type=_rest_days,
        metavar="DAYS",
        help="the department's weekly rest days as ISO weekdays (1 Monday ... 7 Sunday), "
        "e.g. 7 for a six-day week; default: the calendar's",
    )
    parser.add_argument(
        "--provisional",
        action="store_true",
        help="use estimated holidays for years the State Council has not yet published "
        "(results resting on them are marked with a warning on stderr)",
    )


def _occurrences_of(
    duties: Sequence[RecurringDuty], period: DateRange, calendar: WorkCalendar
) -> tuple[Occurrence, ...]:
    """The occurrences in ``period``; a year the calendar lacks names `--provisional`."""
    try:
        found = occurrences(duties, period.start, period.end, calendar)
    except CalendarCoverageError:
        if not calendar.provisional_years:
            print(
                "keyaccount: hint: --provisional estimates a year whose holidays are not "
                "published yet",
                file=sys.stderr,
            )
        raise
    _warn_if_provisional(found, calendar)
    return found


def _warn_if_provisional(found: Sequence[Occurrence], calendar: WorkCalendar) -> None:
    """The provisional warning on stderr when an occurrence rests on an estimated year."""
    years = calendar.provisional_years
    if any(o.start.year in years or o.end.year in years for o in found):
        print(provisional_warning(calendar), file=sys.stderr)


def add_commands(subparsers: Any) -> None:
    """Register `duties agenda|compliance`."""
    duties = subparsers.add_parser(
        "duties", help="a position's work routine (工作规程): occurrences, compliance"
    )
    actions = duties.add_subparsers(dest="duties_command", required=True, metavar="ACTION")
    agenda = actions.add_parser("agenda", help="a position's duty occurrences in a date range")
    agenda.add_argument("--org", required=True, metavar="NAME_OR_FILE")
    agenda.add_argument("--position", required=True, metavar="TITLE_OR_ID")
    agenda.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    agenda.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    _calendar_options(agenda)
    add_json(agenda)
    agenda.add_argument(
        "--ics", type=Path, metavar="FILE", help="write an iCalendar file (keyaccount[ics])"
    )
    agenda.add_argument(
        "--as-of",
        metavar="WHEN",
        help="the .ics file's time stamp (default: the start of --from)",
    )
    agenda.set_defaults(run=_agenda)
    check = actions.add_parser("compliance", help="what was done on time, late, or missed")
    check.add_argument("--org", required=True, metavar="NAME_OR_FILE")
    check.add_argument("--records", required=True, type=Path, metavar="FILE")
    check.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    check.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    check.add_argument("--as-of", required=True, metavar="WHEN")
    check.add_argument("--position", metavar="TITLE_OR_ID", help="only this position's duties")
    check.add_argument(
        "--kind",
        type=_kinds,
        metavar="KINDS",
        help="only duties of these kinds, comma-separated: " + ", ".join(k.value for k in DutyKind),
    )
    _calendar_options(check)
    add_json(check)
    check.set_defaults(run=_compliance)
