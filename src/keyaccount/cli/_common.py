"""What every command shares: calendars by name, `--as-of`, loading files, reporting problems.

A bad `--as-of` is a usage error (`UsageError`): `main` prints it as one line on stderr
and exits with status 2, like argparse's own usage errors. A record file's problems are
printed on stderr, one line each with the file and the path, and the valid records are
used; the command then exits with status 1.

Every command that prints customers shows them to a viewer (`add_viewer`, `read_viewer`):
`--as STAFF_ID` with `--staff FILE` and `--org NAME_OR_FILE`. A confidential prospect
(报备未成交的客户信息绝对保密) the viewer may not see (`can_view`), and every confidential
prospect when no viewer is given, is printed as ``(confidential prospect)``: its id and
nothing else.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import attrs
import pendulum

from keyaccount.calendar import WorkCalendar, parse_as_of
from keyaccount.cli._lookup import did_you_mean, load_chart, load_records
from keyaccount.customers import Customer, Staff, can_view
from keyaccount.errors import KeyAccountError
from keyaccount.io import LoadResult, load_staff, to_json
from keyaccount.org import OrgChart

__all__ = [
    "CALENDARS",
    "CONFIDENTIAL",
    "UsageError",
    "Viewer",
    "add_as_of",
    "add_json",
    "add_limit",
    "add_viewer",
    "calendar_named",
    "emit_json",
    "limited",
    "loaded",
    "read_as_of",
    "read_viewer",
]

#: What a command prints instead of a confidential prospect's name.
CONFIDENTIAL = "(confidential prospect)"

T = TypeVar("T")

#: The calendars a command can be told to use with `--calendar`.
CALENDARS = ("china", "mon-fri")


class UsageError(Exception):
    """An argument the person must correct (exit status 2); its message is one line."""


def calendar_named(name: str) -> WorkCalendar:
    """The calendar `--calendar` names: the Chinese statutory one, or plain Monday-Friday."""
    if name == "china":
        return WorkCalendar.china()
    return WorkCalendar(name="mon-fri")


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """Add the required `--as-of` argument, read later by `read_as_of`."""
    parser.add_argument(
        "--as-of",
        required=True,
        metavar="WHEN",
        help="a date YYYY-MM-DD (the start of that day in the calendar's time zone) "
        "or an instant with its offset, e.g. 2026-02-14T12:30+08:00",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    """Add `--json`: print one JSON document on stdout (`emit_json`) instead of text.

    Errors and warnings still go to stderr, so ``keyaccount ... --json | jq`` reads one
    document or nothing.
    """
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document on stdout (errors and warnings go to stderr)",
    )


def _positive_int(text: str) -> int:
    """`--limit`'s value: a whole number of at least 1 (argparse reports it otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_limit(parser: argparse.ArgumentParser) -> None:
    """Add `--limit N`: show at most N items of a listing (`limited` says how many are left out)."""
    parser.add_argument(
        "--limit",
        type=_positive_int,
        metavar="N",
        help="show at most N items; how many were left out is said on stderr",
    )


def emit_json(value: object) -> None:
    """Print ``value`` on stdout as one JSON document (`keyaccount.io.to_json`)."""
    print(to_json(value))


def limited(items: Sequence[T], limit: int | None, *, what: str = "item(s)") -> tuple[T, ...]:
    """The first ``limit`` of ``items`` (all of them when ``limit`` is ``None``).

    When some are left out, one line on stderr says how many
    (``keyaccount: showing 20 of 455 item(s); 435 left out (--limit 20)``), so a
    shortened listing is never mistaken for the whole.

    Args:
        items: the listing, in the order it is shown.
        limit: `--limit`'s value, or ``None``.
        what: what the items are, for the stderr line.

    Returns:
        The items shown, as a tuple.
    """
    shown = tuple(items) if limit is None else tuple(items[:limit])
    left_out = len(items) - len(shown)
    if left_out:
        print(
            f"keyaccount: showing {len(shown)} of {len(items)} {what}; {left_out} left out "
            f"(--limit {limit})",
            file=sys.stderr,
        )
    return shown


def read_as_of(
    text: str, calendar: WorkCalendar, *, argument: str = "--as-of"
) -> pendulum.DateTime:
    """The instant `--as-of` means on `calendar` (see `keyaccount.calendar.parse_as_of`).

    A plain date is the start of that day in the calendar's time zone; an instant keeps
    its offset. Every command reads its `--as-of` (and any other instant a person types)
    through here.

    Args:
        text: what the person typed.
        calendar: the calendar whose zone a plain date is read in.
        argument: how the usage error names the argument.

    Raises:
        UsageError: the text is not a date or an instant with its offset (a naive
            date-time, "next monday", an impossible date...).
    """
    try:
        instant = parse_as_of(text, calendar)
        # The rules read the instant in the calendar's zone and in UTC: one that cannot
        # be shown there (9999-12-31T23:59-12:00 is in the year 10000 in UTC) is refused.
        instant.in_timezone(calendar.tz)
        instant.in_timezone("UTC")
    except KeyAccountError as error:
        raise UsageError(f"argument {argument}: {error}") from None
    except (OverflowError, ValueError):
        raise UsageError(
            f"argument {argument}: {text!r} lies outside the dates that can be represented"
        ) from None
    return instant


def loaded(result: LoadResult[T]) -> tuple[T, ...]:
    """The valid records of a file, after printing each problem of the others on stderr."""
    for problem in result.problems:
        print(f"keyaccount: {result.source}: {problem}", file=sys.stderr)
    return result.items


@attrs.frozen
class Viewer:
    """Whom a command's output is shown to: a person and the chart that decides what they see.

    ``Viewer(None, None)`` is nobody in particular: every confidential prospect is hidden.

    Attributes:
        staff: the person (`--as`), or ``None``.
        chart: the org chart (`--org`), or ``None``.
    """

    staff: Staff | None = None
    chart: OrgChart | None = None

    def sees(self, customer: Customer) -> bool:
        """Whether the viewer may see ``customer``'s details (`can_view`)."""
        if not customer.is_hidden_prospect:
            return True
        if self.staff is None or self.chart is None:
            return False
        return can_view(self.chart, self.staff, customer)

    def hidden(self, customers: Iterable[Customer]) -> frozenset[str]:
        """The ids of ``customers`` whose details the viewer may not see."""
        return frozenset(c.id for c in customers if not self.sees(c))

    def name(self, customer: Customer | None) -> str:
        """``customer``'s name, or `CONFIDENTIAL` when the viewer may not see it."""
        if customer is None:
            return ""
        return customer.name if self.sees(customer) else CONFIDENTIAL


def add_viewer(parser: argparse.ArgumentParser) -> None:
    """Add `--as STAFF_ID`, `--staff FILE` and `--org NAME_OR_FILE`, read by `read_viewer`."""
    group = parser.add_argument_group(
        "viewer",
        "whom the output is shown to; without --as, every confidential prospect is "
        "printed as (confidential prospect) (报备未成交的客户信息绝对保密)",
    )
    group.add_argument(
        "--as", dest="viewer", metavar="STAFF_ID", help="show the output to this person"
    )
    group.add_argument("--staff", metavar="FILE", help="the staff file --as is looked up in")
    group.add_argument(
        "--org", metavar="NAME_OR_FILE", help="a reference chart name or an org chart file"
    )


def read_viewer(args: argparse.Namespace) -> tuple[Viewer, bool]:
    """The viewer `--as` names, and whether the staff file had problems.

    Raises:
        UsageError: `--as` without `--staff` and `--org`, or a staff id not in the file.
    """
    if args.viewer is None:
        return Viewer(), False
    if not args.staff or not args.org:
        raise UsageError("argument --as: needs --staff FILE and --org NAME_OR_FILE")
    result = load_records(load_staff, Path(args.staff), "staff")
    people = {person.id: person for person in loaded(result)}
    if args.viewer not in people:
        raise UsageError(
            f"argument --as: no staff member {args.viewer!r} in {result.source}"
            f"{did_you_mean(args.viewer, people)}"
        )
    return Viewer(people[args.viewer], load_chart(args.org)), bool(result.problems)
