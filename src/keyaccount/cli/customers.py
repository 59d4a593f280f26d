"""`keyaccount customers check`: load a customer file, report its problems and unowned customers.

The customers it names are shown to a viewer (`--as`, `--staff`, `--org`), like every
command that prints customers: a confidential prospect the viewer may not see is printed
as ``(confidential prospect)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from keyaccount.cli._common import add_viewer, loaded, read_viewer
from keyaccount.customers import CustomerStatus, unowned
from keyaccount.io import load_customers

__all__ = ["add_commands"]


def _check(args: argparse.Namespace) -> int:
    viewer, staff_problems = read_viewer(args)
    result = load_customers(args.file)
    customers = loaded(result)
    active = sum(1 for c in customers if c.status is CustomerStatus.ACTIVE)
    orphans = unowned(customers)
    print(
        f"{len(customers)} customer(s) loaded ({active} active), {len(result.problems)} problem(s)"
    )
    if orphans:
        named = ", ".join(f"{c.id} {viewer.name(c)}" for c in orphans)
        print(f"active customers without an owner: {named}")
    return 1 if result.problems or orphans or staff_problems else 0


def add_commands(subparsers: Any) -> None:
    """Register `customers check`."""
    customers = subparsers.add_parser("customers", help="check customer files")
    actions = customers.add_subparsers(dest="customers_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="load a customer file and report problems")
    check.add_argument("file", type=Path, metavar="FILE")
    add_viewer(check)
    check.set_defaults(run=_check)
