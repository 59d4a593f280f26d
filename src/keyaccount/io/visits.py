"""Visit-record files (回访记录表) and visit policies as JSON or TOML.

A visit file is a list of records: in JSON a bare list or `{"visits": [...]}`, in TOML
a `visits` table array; it loads like a customer file (`LoadResult`, every valid record
kept, every problem with its path). A visit policy is one document whose absent fields
keep the seed's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from keyaccount.io.converter import _load_value, _loads_value, unstructure
from keyaccount.io.documents import Format, _write, dumps
from keyaccount.io.records import LoadResult, _dumps_records, _loads_records, _read_records
from keyaccount.visits import VisitPolicy, VisitRecord

__all__ = [
    "dump_visit_policy",
    "dump_visits",
    "dumps_visit_policy",
    "dumps_visits",
    "load_visit_policy",
    "load_visits",
    "loads_visit_policy",
    "loads_visits",
]


def loads_visits(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[VisitRecord]:
    """Visit records from JSON or TOML text, kept or reported as `loads_customers` does.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _loads_records(text, fmt, VisitRecord, "visits", source)


def load_visits(path: str | Path, fmt: Format | None = None) -> LoadResult[VisitRecord]:
    """Visit records from a `.json` or `.toml` file (its suffix gives the format unless
    `fmt` does), every valid one kept and every problem reported with its path.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _read_records(path, fmt, VisitRecord, "visits")


def dumps_visits(records: Iterable[VisitRecord], fmt: Format = "json") -> str:
    """Visit records as JSON (a list) or TOML (a `visits` table array)."""
    return _dumps_records(records, "visits", fmt)


def dump_visits(
    records: Iterable[VisitRecord], path: str | Path, fmt: Format | None = None
) -> None:
    """Write visit records to `path` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_visits(records, chosen))


def loads_visit_policy(
    text: str | bytes, fmt: Format = "toml", *, source: str = "document"
) -> VisitPolicy:
    """A `VisitPolicy` from TOML or JSON text; fields left out keep the seed's defaults.

    Periods are written as text (`return_visit = "3 workdays"`), quiet hours as
    `"HH:MM-HH:MM"` windows.

    Raises:
        DataFileError: every problem of the document, each with its path.
    """
    return _loads_value(text, fmt, VisitPolicy, source)


def load_visit_policy(path: str | Path, fmt: Format | None = None) -> VisitPolicy:
    """A `VisitPolicy` from a `.toml` or `.json` file, read as `loads_visit_policy` reads text.

    Raises:
        DataFileError: the file cannot be read, or every problem of it with its path.
    """
    return _load_value(path, fmt, VisitPolicy)


def dumps_visit_policy(policy: VisitPolicy, fmt: Format = "toml") -> str:
    """The policy as TOML or JSON; fields equal to the defaults are left out."""
    return dumps(unstructure(policy), fmt)


def dump_visit_policy(policy: VisitPolicy, path: str | Path, fmt: Format | None = None) -> None:
    """Write the policy to `path`, in the format its suffix names unless `fmt` is given."""
    _write(path, fmt, lambda chosen: dumps_visit_policy(policy, chosen))
