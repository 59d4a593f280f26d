"""Customer files as JSON or TOML.

A customer file is a list of records: in JSON a bare list or `{"customers": [...]}`, in
TOML a `customers` table array. Loading keeps every valid record and reports each bad
one with the path of the bad field:

    result = load_customers("customers.json")
    result.items       # every valid Customer
    result.problems    # DataProblem("$[3].contacts[0].phone", "phone number ... ")
    result.strict()    # the customers, or DataFileError listing every problem

The savers take `Customer` only: a `RedactedCustomer` is refused (by mypy, and at run
time with `RedactedRecordError`), so a redacted copy never overwrites a full record.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from keyaccount.customers import Customer
from keyaccount.errors import RedactedRecordError
from keyaccount.io.documents import Format, _write
from keyaccount.io.records import LoadResult, _dumps_records, _loads_records, _read_records

__all__ = ["dump_customers", "dumps_customers", "load_customers", "loads_customers"]


def loads_customers(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[Customer]:
    """Customers from JSON or TOML text; bad records reported with their paths, good ones kept.

    Args:
        text: the document.
        fmt: `"json"` or `"toml"`.
        source: the document's name, for messages.

    Returns:
        The valid customers and the problems of the others.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _loads_records(text, fmt, Customer, "customers", source)


def load_customers(path: str | Path, fmt: Format | None = None) -> LoadResult[Customer]:
    """Customers from a `.json` or `.toml` file, keeping every valid record.

    Examples:
        >>> import json, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> file = folder / "customers.json"
        >>> _ = file.write_text(json.dumps([
        ...     {"id": "c1", "name": "某某有限公司", "contacts": [{"phone": "+86 138-0013-8000"}]},
        ...     {"id": "c2", "name": "坏记录", "contacts": [{"phone": "call me"}]},
        ... ]))
        >>> result = load_customers(file)
        >>> [c.id for c in result.items], result.items[0].contacts[0].phone
        (['c1'], '13800138000')
        >>> result.problems[0].path
        '$[1].contacts[0].phone'

    Args:
        path: the file; its suffix gives the format unless `fmt` does.
        fmt: `"json"` or `"toml"`.

    Returns:
        The valid customers and the problems of the others.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _read_records(path, fmt, Customer, "customers")


def _checked(customers: Iterable[Customer]) -> tuple[Customer, ...]:
    """The customers, refusing a redacted record (it would overwrite a full one with blanks)."""
    checked = tuple(customers)
    for index, customer in enumerate(checked):
        if not isinstance(customer, Customer):
            raise RedactedRecordError(
                f"record {index} is a {type(customer).__name__}, not a Customer; a redacted "
                "record cannot be saved (it would overwrite the full record with blanks)"
            )
    return checked


def dumps_customers(customers: Iterable[Customer], fmt: Format = "json") -> str:
    """Customers as JSON (a list) or TOML (a `customers` table array).

    Raises:
        RedactedRecordError: a record is not a full `Customer`.
    """
    return _dumps_records(_checked(customers), "customers", fmt)


def dump_customers(
    customers: Iterable[Customer], path: str | Path, fmt: Format | None = None
) -> None:
    """Write customers to `path` (format from the suffix unless given).

    Raises:
        RedactedRecordError: a record is not a full `Customer`; nothing is written.
    """
    _write(path, fmt, lambda chosen: dumps_customers(customers, chosen))
