"""`keyaccount customers check`: load a customer file, report its problems and unowned customers.

The customers it names are shown to a viewer (`--as`, `--staff`, `--org`), like every
command that prints customers: a confidential prospect the viewer may not see is printed
as ``(confidential prospect)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from keyaccount.cli._common import (
    add_json,
    add_limit,
    add_viewer,
    emit_json,
    limited,
    loaded,
    read_viewer,
)
from keyaccount.cli._lookup import load_records
from keyaccount.cli._progress import Progress
from keyaccount.customers import CustomerStatus, unowned
from keyaccount.io import load_customers

__all__ = ["add_commands"]


def _check(args: argparse.Namespace) -> int:
    viewer, staff_problems = read_viewer(args)
    with Progress(1, "loading") as progress:
        result = load_records(load_customers, args.file, "customers", progress)
    customers = loaded(result)
    active = sum(1 for c in customers if c.status is CustomerStatus.ACTIVE)
    orphans = unowned(customers)
    shown = limited(orphans, args.limit, what="customer(s) without an owner")
    if args.json:
        emit_json(
            {
                "file": result.source,
                "customers": len(customers),
                "active": active,
                "problems": result.problems,
                "unowned_count": len(orphans),
                "unowned": [{"id": c.id, "name": viewer.name(c)} for c in shown],
            }
        )
    else:
        print(
            f"{len(customers)} customer(s) loaded ({active} active), "
            f"{len(result.problems)} problem(s)"
        )
        if shown:
            named = ", ".join(f"{c.id} {viewer.name(c)}" for c in shown)
            print(f"active customers without an owner: {named}")
    return 1 if result.problems or orphans or staff_problems else 0


def add_commands(subparsers: Any) -> None:
    """Register `customers check`."""
    customers = subparsers.add_parser("customers", help="check customer files")
    actions = customers.add_subparsers(dest="customers_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="load a customer file and report problems")
    check.add_argument("file", type=Path, metavar="FILE")
    add_json(check)
    add_limit(check)
    add_viewer(check)
    check.set_defaults(run=_check)
