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
from collections.abc import Iterable
from typing import TypeVar

import attrs
import pendulum

from keyaccount.calendar import WorkCalendar, parse_as_of
from keyaccount.cli.org import load_chart
from keyaccount.customers import Customer, Staff, can_view
from keyaccount.errors import KeyAccountError
from keyaccount.io import LoadResult, load_staff
from keyaccount.org import OrgChart

__all__ = [
    "CALENDARS",
    "CONFIDENTIAL",
    "UsageError",
    "Viewer",
    "add_as_of",
    "add_viewer",
    "calendar_named",
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


def read_as_of(text: str, calendar: WorkCalendar) -> pendulum.DateTime:
    """The instant `--as-of` means on `calendar` (see `keyaccount.calendar.parse_as_of`).

    Raises:
        UsageError: the text is not a date or an instant with its offset.
    """
    try:
        return parse_as_of(text, calendar)
    except KeyAccountError as error:
        raise UsageError(f"argument --as-of: {error}") from None


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
    result = load_staff(args.staff)
    people = {person.id: person for person in loaded(result)}
    if args.viewer not in people:
        raise UsageError(f"argument --as: no staff member {args.viewer!r} in {result.source}")
    return Viewer(people[args.viewer], load_chart(args.org)), bool(result.problems)
