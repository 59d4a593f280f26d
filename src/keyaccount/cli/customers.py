"""`keyaccount customers check`: load a customer file, report its problems and unowned customers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from keyaccount.cli._common import loaded
from keyaccount.customers import CustomerStatus, unowned
from keyaccount.io import load_customers

__all__ = ["add_commands"]


def _check(args: argparse.Namespace) -> int:
    result = load_customers(args.file)
    customers = loaded(result)
    active = sum(1 for c in customers if c.status is CustomerStatus.ACTIVE)
    orphans = unowned(customers)
    print(
        f"{len(customers)} customer(s) loaded ({active} active), {len(result.problems)} problem(s)"
    )
    if orphans:
        print(f"active customers without an owner: {', '.join(c.id for c in orphans)}")
    return 1 if result.problems or orphans else 0


def add_commands(subparsers: Any) -> None:
    """Register `customers check`."""
    customers = subparsers.add_parser("customers", help="check customer files")
    actions = customers.add_subparsers(dest="customers_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="load a customer file and report problems")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(run=_check)
