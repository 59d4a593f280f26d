"""What every command shares: calendars by name, `--as-of`, loading files, reporting problems.

A bad `--as-of` is a usage error (`UsageError`): `main` prints it as one line on stderr
and exits with status 2, like argparse's own usage errors. A record file's problems are
printed on stderr, one line each with the file and the path, and the valid records are
used; the command then exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TypeVar

import pendulum

from keyaccount.calendar import WorkCalendar, parse_as_of
from keyaccount.errors import KeyAccountError
from keyaccount.io import LoadResult

__all__ = ["CALENDARS", "UsageError", "add_as_of", "calendar_named", "loaded", "read_as_of"]

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
