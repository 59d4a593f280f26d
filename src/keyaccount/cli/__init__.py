"""The `keyaccount` command: a tool people run by hand and call from scripts.

Each group of subcommands lives in its own module with an `add_commands(subparsers)`
function; `main` wires them together and keeps the promises a script relies on:

* exit status 0 on success; 1 for a data error (a bad file, an unknown position, no
  approver, a date outside the calendar's coverage...) or a file with problems; 2 for a
  usage error (an unknown option, a bad `--as-of`, a bad `--limit`...); 141 when the
  reader of stdout went away (``keyaccount ... | head -1``, like a Unix tool ended by
  SIGPIPE) and nothing more is printed; 130 when interrupted (Ctrl-C), with one line and
  no traceback; 70 for a bug of keyaccount itself, told in one line (set
  ``KEYACCOUNT_TRACEBACK=1`` to see its traceback);
* every error is one plain line on stderr, ``keyaccount: error: ...`` (a file's problems
  are one line each), never a traceback;
* stdout holds the whole answer or nothing: a command's output is kept until it has
  finished, so an error half-way prints no partial answer;
* `--json` prints exactly one JSON document (`keyaccount.io.to_json`) on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from keyaccount import __version__
from keyaccount.cli._common import UsageError
from keyaccount.errors import KeyAccountError

__all__ = [
    "COMMAND_MODULES",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERNAL_ERROR",
    "EXIT_INTERRUPTED",
    "build_parser",
    "main",
]

#: Modules of keyaccount.cli that contribute subcommands, in help order.
COMMAND_MODULES = (
    "demo",
    "org",
    "complaints",
    "visits",
    "customers",
    "calendar",
    "duties",
    "receivables",
    "finance",
    "club",
    "batch",
)

#: The exit status of a bug in keyaccount (EX_SOFTWARE of BSD's sysexits.h).
EXIT_INTERNAL_ERROR = 70

#: The exit status when the person pressed Ctrl-C: 128 + SIGINT, as a shell reports it.
EXIT_INTERRUPTED = 130

#: The exit status when stdout's reader has gone: 128 + SIGPIPE, what a shell reports
#: for a Unix tool ended by a closed pipe (`set -o pipefail` sees it as a failure).
EXIT_BROKEN_PIPE = 141


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, raised as `UsageError`.

    argparse would print the whole usage text and exit; a script's log is easier to read
    with one line that names the command to ask for help.
    """

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = _Parser(
        prog="keyaccount",
        description="The rules of a key-account and customer-service department.",
        epilog="exit status: 0 ok, 1 data error or a file with problems, 2 usage error, "
        "141 stdout closed early",
    )
    parser.add_argument("--version", action="version", version=f"keyaccount {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"keyaccount.cli.{name}").add_commands(subparsers)
    return parser


def _silence_stdout() -> None:
    """Point stdout at the null device, so Python's final flush cannot fail again.

    The way the Python documentation recommends for a closed pipe (see "Note on
    SIGPIPE" in the `signal` module's documentation).
    """
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command with stdout held back; print it only when it finishes."""
    held = io.StringIO()
    with contextlib.redirect_stdout(held):
        status: int = args.run(args)
    sys.stdout.write(held.getvalue())
    sys.stdout.flush()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module's docstring).

    Args:
        argv: the arguments after the program name (default: `sys.argv[1:]`).

    Returns:
        0, 1, 2, `EXIT_BROKEN_PIPE`, `EXIT_INTERRUPTED` or `EXIT_INTERNAL_ERROR`;
        `--help` and `--version` return 0.
    """
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help, --version: argparse has printed them
            sys.stdout.flush()
            return done.code if isinstance(done.code, int) else 0
        return _run(args)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:  # Ctrl-C during a long load: no traceback, no partial answer
        print("keyaccount: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (UsageError, KeyAccountError, OSError) as error:
        print(f"keyaccount: error: {error}", file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1
    except Exception as error:  # a bug of keyaccount: one line, unless asked for more
        if os.environ.get("KEYACCOUNT_TRACEBACK"):
            raise
        print(
            f"keyaccount: internal error: {type(error).__name__}: {error} (a bug in "
            f"keyaccount: please report it with the command line; set KEYACCOUNT_TRACEBACK=1 "
            f"to see the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
