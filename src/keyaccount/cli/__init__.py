"""The `keyaccount` command.

Each group of subcommands lives in its own module with an `add_commands(subparsers)`
function; `main` wires them together. Errors of the library (bad files, unknown
positions, no approver ...) are printed to stderr with exit status 1; usage errors
(an unknown option, a bad `--as-of` ...) exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from keyaccount.cli._common import UsageError
from keyaccount.errors import KeyAccountError

__all__ = ["build_parser", "main"]

#: Modules of keyaccount.cli that contribute subcommands, in help order.
COMMAND_MODULES = ("demo", "org", "complaints", "visits", "customers", "calendar")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="keyaccount",
        description="The rules of a key-account and customer-service department.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"keyaccount.cli.{name}").add_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except UsageError as error:
        print(f"keyaccount: error: {error}", file=sys.stderr)
        return 2
    except (KeyAccountError, OSError) as error:
        print(f"keyaccount: error: {error}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
