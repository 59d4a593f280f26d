"""`keyaccount calendar ...`: year-table files, coverage left, and deadlines.

- `calendar check FILE [--json]`: validate a year-table file (exit 0 with a summary; exit
  1 listing every problem with its path).
- `calendar status [--as-of WHEN] [--json]`: the covered years and how many days of them
  are left; within the last `--warn-days` (60) days it warns and exits with status 1, so
  a scheduled job hears about the missing year in December, not in January.
- `calendar deadline START PERIOD`: when something started at START falls due; a result
  resting on a provisional year is printed with a warning on stderr.

`--years FILE` (repeatable) extends the Chinese calendar with year-table files and
`--provisional` opts into estimated years (see `keyaccount.calendar.provisional`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any, Final

import pendulum

from keyaccount.calendar import CHINA_TIMEZONE, WorkCalendar, deadline, parse_period
from keyaccount.calendar.year_tables import YearTable, china_years
from keyaccount.cli._common import UsageError, add_json, emit_json, read_as_of
from keyaccount.cli._lookup import check_kind, load_value, readable
from keyaccount.errors import DataFileError, DataProblem, InvalidCalendarError, KeyAccountError
from keyaccount.io import load_year_tables

__all__ = ["add_commands", "coverage_status", "provisional_warning"]

#: Days of coverage left below which `calendar status` warns (exit status 1).
WARN_DAYS: Final = 60


def provisional_warning(calendar: WorkCalendar) -> str:
    """The one-line warning printed on stderr beside a provisional result."""
    years = sorted(calendar.provisional_years)
    span = f"{years[0]}-{years[-1]}" if years else "-"
    return (
        f"keyaccount: warning: provisional result: it uses estimated holidays of {span} "
        f"(no make-up working days); it may change when the State Council's notice is "
        f"published"
    )


def _tables(files: list[str] | None) -> tuple[YearTable, ...]:
    return tuple(
        t for path in files or () for t in load_value(load_year_tables, path, "year tables")
    )


def _calendar(args: argparse.Namespace) -> WorkCalendar:
    return WorkCalendar.china(extra_years=_tables(args.years), provisional=args.provisional)


# ------------------------------------------------------------------ check


def _coverage_problems(tables: tuple[YearTable, ...]) -> list[DataProblem]:
    """Where the tables cannot extend the shipped data (a gap, a disagreement)."""
    problems: list[DataProblem] = []
    accepted: list[YearTable] = []
    order = sorted(range(len(tables)), key=lambda i: tables[i].year)
    for index in order:
        try:
            china_years([*accepted, tables[index]])
        except InvalidCalendarError as error:
            problems.append(DataProblem(f"$.years[{index}].year", str(error)))
        else:
            accepted.append(tables[index])
    return sorted(problems, key=lambda p: p.path)


def _year_summary(table: YearTable) -> dict[str, Any]:
    weekdays_off = sum(1 for d in table.holidays if d.isoweekday() <= 5)  # Mon-Fri
    return {
        "year": table.year,
        "source": table.source,
        "number": table.number,
        "published": None if table.published is None else table.published.isoformat(),
        "provisional": table.provisional,
        "breaks": [
            {"name": b.name, "first": b.first.isoformat(), "last": b.last.isoformat()}
            for b in table.breaks
        ],
        "weekdays_off": weekdays_off,
        "make_up_days": [d.isoformat() for d in sorted(table.extra_workdays)],
    }


def _check(args: argparse.Namespace) -> int:
    try:
        tables = load_year_tables(readable(args.file))
        problems = _coverage_problems(tables)
    except DataFileError as error:
        check_kind(args.file, "year tables", error.source)
        source, problems, tables = error.source, list(error.problems), ()
    else:
        source = str(args.file)
    covered = None
    if not problems:
        covered = china_years(tables).covered_years
    if args.json:
        report = {
            "file": source,
            "ok": not problems,
            "problems": [{"path": p.path, "message": p.message} for p in problems],
            "years": [_year_summary(t) for t in tables] if not problems else [],
            "covered": None if covered is None else list(covered),
        }
        emit_json(report)
    if problems:
        for problem in problems:
            print(f"keyaccount: {source}: {problem}", file=sys.stderr)
        return 1
    if not args.json:
        print(f"{source}: {len(tables)} year table(s), no problems")
        for table in tables:
            summary = _year_summary(table)
            names = "、".join(b.name for b in table.breaks) or "no breaks"
            mark = " (provisional)" if table.provisional else ""
            print(
                f"  {table.year}{mark}: {names}; {summary['weekdays_off']} weekday(s) off, "
                f"{len(table.extra_workdays)} make-up working day(s); source: {table.source}"
                + (f" {table.number}" if table.number else "")
            )
        assert covered is not None  # set whenever there are no problems
        print(f"WorkCalendar.china(extra_years=...) covers {covered[0]}-{covered[1]}")
    if any(t.provisional for t in tables):
        print("keyaccount: warning: the file holds provisional (estimated) years", file=sys.stderr)
    return 0


# ------------------------------------------------------------------ status


def coverage_status(
    calendar: WorkCalendar, as_of: dt.datetime, *, warn_days: int = WARN_DAYS
) -> dict[str, Any]:
    """The calendar's coverage seen from `as_of`, as plain data (what `status` prints).

    `days_left` counts the days after `as_of`'s local date up to the last day of the last
    year known from a notice (provisional years do not count); `warning` is true when
    fewer than `warn_days` are left.
    """
    if calendar.covered_years is None:  # pragma: no cover - status always uses china
        raise InvalidCalendarError("the calendar has no covered years")
    first, last = calendar.covered_years
    estimated = sorted(calendar.provisional_years)
    known_last = estimated[0] - 1 if estimated else last
    today = pendulum.instance(as_of).in_timezone(calendar.tz).date()
    end = dt.date(known_last, 12, 31)
    days_left = (end - today).days
    return {
        "calendar": calendar.name,
        "as_of": pendulum.instance(as_of).in_timezone(calendar.tz).isoformat(),
        "covered": {"first": dt.date(first, 1, 1).isoformat(), "last": end.isoformat()},
        "provisional": (
            {
                "first": dt.date(estimated[0], 1, 1).isoformat(),
                "last": dt.date(estimated[-1], 12, 31).isoformat(),
            }
            if estimated
            else None
        ),
        "days_left": days_left,
        "warn_days": warn_days,
        "warning": days_left < warn_days,
    }


def _status(args: argparse.Namespace) -> int:
    if args.warn_days < 0:
        raise UsageError(f"argument --warn-days: must not be negative, got {args.warn_days}")
    calendar = _calendar(args)
    as_of = pendulum.now(CHINA_TIMEZONE) if args.as_of is None else read_as_of(args.as_of, calendar)
    status = coverage_status(calendar, as_of, warn_days=args.warn_days)
    left, covered = status["days_left"], status["covered"]
    if args.json:
        emit_json(status)
    else:
        print(f"covered: {covered['first']} to {covered['last']} (State Council notices)")
        if status["provisional"] is not None:
            p = status["provisional"]
            print(f"provisional: {p['first']} to {p['last']} (estimated, no make-up days)")
        print(f"as of {status['as_of']}: {left} day(s) of coverage left")
    if status["warning"]:
        when = "has ended" if left < 0 else f"ends in {left} day(s)"
        print(
            f"keyaccount: warning: the holiday data {when} ({covered['last']}); add next "
            f"year's notice as a year-table file (keyaccount calendar check FILE) or update "
            f"the chinesecalendar package",
            file=sys.stderr,
        )
        return 1
    return 0


# ------------------------------------------------------------------ deadline


def _deadline(args: argparse.Namespace) -> int:
    calendar = _calendar(args)
    start = read_as_of(args.start, calendar, argument="START")
    try:
        period = parse_period(args.period)
    except KeyAccountError as error:
        raise UsageError(f"argument PERIOD: {error}") from None
    due = deadline(start, period, calendar)
    at = due.at.in_timezone(calendar.tz)
    if args.json:
        report = {
            "start": due.start.isoformat(),
            "period": str(period),
            "at": at.isoformat(),
            "date": None if due.date is None else due.date.isoformat(),
            "provisional": due.provisional,
        }
        emit_json(report)
    else:
        date = f" (due date {due.date})" if due.date is not None else ""
        print(f"{period} from {due.start.isoformat()}: due before {at.isoformat()}{date}")
    if due.provisional:
        print(provisional_warning(calendar), file=sys.stderr)
    return 0


# ------------------------------------------------------------------ wiring


def _add_calendar_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--years",
        action="append",
        metavar="FILE",
        help="a year-table file extending the Chinese calendar (repeatable)",
    )
    parser.add_argument(
        "--provisional",
        action="store_true",
        help="estimate the years after the known ones from the rules in force "
        "(results are marked provisional)",
    )


def add_commands(subparsers: Any) -> None:
    """Register `calendar check`, `calendar status` and `calendar deadline`."""
    group = subparsers.add_parser("calendar", help="the holiday calendar: files, coverage")
    actions = group.add_subparsers(dest="calendar_command", required=True, metavar="ACTION")

    check = actions.add_parser(
        "check",
        help="validate a year-table file",
        description=(
            "Validate a year-table file (TOML or JSON) and that it extends the shipped "
            "holiday data without a gap or a disagreement. Exit 0 with a summary, or 1 "
            "listing every problem with its path on stderr."
        ),
    )
    check.add_argument("file", metavar="FILE")
    add_json(check)
    check.set_defaults(run=_check)

    status = actions.add_parser(
        "status",
        help="the covered years and how many days of them are left",
        description=(
            "Print the years the Chinese calendar covers (and any provisional ones) and how "
            "many days of coverage are left after --as-of (default: now). Within the last "
            "--warn-days days it warns on stderr and exits with status 1."
        ),
    )
    status.add_argument(
        "--as-of",
        metavar="WHEN",
        help="a date YYYY-MM-DD or an instant with its offset (default: now)",
    )
    add_json(status)
    status.add_argument(
        "--warn-days",
        type=int,
        default=WARN_DAYS,
        metavar="N",
        help=f"warn when fewer than N days are left (default {WARN_DAYS})",
    )
    _add_calendar_options(status)
    status.set_defaults(run=_status)

    due = actions.add_parser(
        "deadline",
        help="when something started at START falls due after PERIOD",
        description=(
            "Print when something started at START falls due after PERIOD (e.g. "
            "'3 workdays', '4 working hours') on the Chinese calendar. A result resting on a "
            "provisional year is marked and warned about on stderr."
        ),
    )
    due.add_argument("start", metavar="START", help="a date or an instant with its offset")
    due.add_argument("period", metavar="PERIOD", help="e.g. '3 workdays', '24 hours'")
    add_json(due)
    _add_calendar_options(due)
    due.set_defaults(run=_deadline)
