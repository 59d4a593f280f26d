"""Staff files as JSON or TOML: the people a command acts for (``--as``) and hands work to.

A staff file is a list of `Staff` records: in JSON a bare list or `{"staff": [...]}`, in
TOML a `staff` table array. It loads like a customer file (`LoadResult`, every valid
record kept, every problem with its path):

    [[staff]]
    id = "zhang"
    name = "张伟"
    position = "sales-representative"
    ability = "1.5"      # optional, default 1
    active = true        # optional; false once the person has left (离职)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from keyaccount.customers import Staff
from keyaccount.io.documents import Format, _write
from keyaccount.io.records import LoadResult, _dumps_records, _loads_records, _read_records

__all__ = ["dump_staff", "dumps_staff", "load_staff", "loads_staff"]


def loads_staff(text: str, fmt: Format = "json", *, source: str = "document") -> LoadResult[Staff]:
    """Staff from JSON or TOML text; bad records reported with their paths, good ones kept.

    Args:
        text: the document.
        fmt: `"json"` or `"toml"`.
        source: the document's name, for messages.

    Returns:
        The valid staff records and the problems of the others.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _loads_records(text, fmt, Staff, "staff", source)


def load_staff(path: str | Path, fmt: Format | None = None) -> LoadResult[Staff]:
    """Staff from a `.json` or `.toml` file (its suffix gives the format unless `fmt`
    does), every valid record kept and every problem reported with its path.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _read_records(path, fmt, Staff, "staff")


def dumps_staff(staff: Iterable[Staff], fmt: Format = "json") -> str:
    """Staff as JSON (a list) or TOML (a `staff` table array)."""
    return _dumps_records(staff, "staff", fmt)


def dump_staff(staff: Iterable[Staff], path: str | Path, fmt: Format | None = None) -> None:
    """Write staff to `path` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_staff(staff, chosen))
