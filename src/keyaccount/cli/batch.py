"""`keyaccount batch sla|overdue-visits`: the rules over whole tables (Parquet or CSV).

`batch sla EVENTS` is `keyaccount.batch.sla_table` over an events file; `batch
overdue-visits CUSTOMERS VISITS` is `keyaccount.batch.overdue_visits_table`. Both read
Parquet (``.parquet``) or CSV (``.csv``, instants written with their offset), print the
first rows (or one JSON document with `--json`), and write the whole answer with
`--out FILE` (Parquet, or CSV for a ``.csv`` name). They need the ``arrow`` extra.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from keyaccount.cli._common import (
    CALENDARS,
    UsageError,
    add_as_of,
    add_json,
    add_limit,
    calendar_named,
    emit_json,
    read_as_of,
)
from keyaccount.cli._lookup import load_value, readable
from keyaccount.complaints import ComplaintPolicy
from keyaccount.errors import DataFileError, DataProblem, MissingExtraError
from keyaccount.io import load_complaint_policy, load_visit_policy
from keyaccount.visits import VisitPolicy

__all__ = ["add_commands"]

_SUFFIXES = (".parquet", ".csv")
#: What follows these in a pyarrow message is the data itself (a whole CSV row, a value):
#: cut, so that no field of the file (a confidential prospect's name) reaches a message.
_QUOTED_DATA = re.compile(r"(Expected \d+ columns, got \d+|invalid value|value)\b.*", re.DOTALL)


def _arrow() -> Any:
    try:
        import pyarrow as pa  # noqa: PLC0415 - the arrow extra
    except ImportError:
        raise MissingExtraError(
            "keyaccount batch needs pyarrow: pip install 'keyaccount[arrow]'"
        ) from None
    return pa


def _read(path: Path, what: str) -> Any:
    """The table in ``path`` (Parquet or CSV)."""
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise UsageError(f"{what} {str(path)!r} must be a .parquet or .csv file")
    readable(path)
    _arrow()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq  # noqa: PLC0415 - the arrow extra

            return pq.read_table(path)
        import pyarrow.csv as pcsv  # noqa: PLC0415 - the arrow extra

        # an empty field is a missing value (a null), as in every export
        return pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(strings_can_be_null=True))
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        raise DataFileError(
            str(path), [DataProblem("$", f"cannot read {what}: {_told(error)}")]
        ) from None


def _told(error: Exception) -> str:
    """pyarrow's message about an unreadable file, without the file's data in it."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return _QUOTED_DATA.sub(r"\1", first)


def _write(table: Any, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise UsageError(f"argument --out: {str(path)!r} must end in .parquet or .csv")
    if suffix == ".parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415 - the arrow extra

        pq.write_table(table, path)
    else:
        import pyarrow.csv as pcsv  # noqa: PLC0415 - the arrow extra

        pcsv.write_csv(table.cast(_plain(table.schema)), path)


def _plain(schema: Any) -> Any:
    """``schema`` with dictionary columns as plain text (CSV has no dictionaries)."""
    pa = _arrow()
    return pa.schema(
        [
            pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
            for f in schema
        ],
        metadata=schema.metadata,
    )


def _show(table: Any, args: argparse.Namespace, what: str) -> None:
    """Print the answer: the first rows as text or JSON; write it all with `--out`."""
    if args.out is not None:
        _write(table, args.out)
    shown = table if args.limit is None else table.slice(0, args.limit)
    rows = shown.to_pylist()
    left_out = table.num_rows - len(rows)
    if left_out:
        print(
            f"keyaccount: showing {len(rows)} of {table.num_rows} {what}; {left_out} left out "
            f"(--limit {args.limit})",
            file=sys.stderr,
        )
    if args.json:
        emit_json(rows)
        return
    metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    written = f"; written to {args.out}" if args.out is not None else ""
    print(f"{table.num_rows} {what} as of {metadata.get('keyaccount.as_of', '?')}{written}")
    for row in rows:
        print("  " + "  ".join(f"{k}={_text(v)}" for k, v in row.items()))


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _sla(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    policy = (
        load_value(load_complaint_policy, args.policy, "complaint policy")
        if args.policy
        else ComplaintPolicy.default()
    )
    events = _read(args.events, "the events table")
    from keyaccount.batch.complaints import sla_table  # noqa: PLC0415 - needs the arrow extra

    _show(sla_table(events, policy, calendar, as_of=as_of), args, "target(s)")
    return 0


def _overdue(args: argparse.Namespace) -> int:
    calendar = calendar_named(args.calendar)
    as_of = read_as_of(args.as_of, calendar)
    policy = (
        load_value(load_visit_policy, args.policy, "visit policy") if args.policy else VisitPolicy()
    )
    customers = _read(args.customers, "the customers table")
    visits = _read(args.visits, "the visits table")
    from keyaccount.batch.visits import overdue_visits_table  # noqa: PLC0415 - the arrow extra

    table = overdue_visits_table(customers, visits, policy, calendar, as_of=as_of)
    _show(table, args, "overdue visit(s)")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    add_as_of(parser)
    parser.add_argument("--calendar", choices=CALENDARS, default="china")
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write the whole answer (.parquet or .csv)"
    )
    add_json(parser)
    add_limit(parser)


def add_commands(subparsers: Any) -> None:
    """Register `batch sla|overdue-visits`."""
    batch = subparsers.add_parser(
        "batch", help="the rules over whole tables (Parquet or CSV; needs keyaccount[arrow])"
    )
    actions = batch.add_subparsers(dest="batch_command", required=True, metavar="ACTION")
    sla = actions.add_parser("sla", help="the SLA status of every complaint of an events table")
    sla.add_argument("events", type=Path, metavar="EVENTS", help="the events table")
    sla.add_argument("--policy", type=Path, metavar="FILE", help="a complaint policy file")
    _common(sla)
    sla.set_defaults(run=_sla)

    overdue = actions.add_parser(
        "overdue-visits", help="the overdue visits of a customers table and a visits table"
    )
    overdue.add_argument("customers", type=Path, metavar="CUSTOMERS", help="the customers table")
    overdue.add_argument("visits", type=Path, metavar="VISITS", help="the visit records table")
    overdue.add_argument("--policy", type=Path, metavar="FILE", help="a visit policy file")
    _common(overdue)
    overdue.set_defaults(run=_overdue)
