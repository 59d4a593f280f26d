"""Sales files: records (中标额, 合同金额, 销售收入 with cost) and targets (销售目标).

A sales-records file is a list of records (JSON: a bare list or ``{"sales": [...]}``;
TOML: a ``sales`` table array), loaded like every record file: every valid record kept,
each problem at its path (``$.sales[3].cost``: a revenue record without its cost, a
negative amount, an unknown kind). A targets file is a list of targets (``{"targets":
[...]}``); a second target of one salesperson and period is reported at its index.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from keyaccount.errors import DataProblem
from keyaccount.finance import SalesRecord, SalesTarget
from keyaccount.io.documents import Format, _parse, _Parsed, _read, _walked, _write
from keyaccount.io.records import (
    LoadResult,
    _cycle_collection_paused,
    _dumps_records,
    _loads_records,
    _read_records,
    _records_of,
    _refused,
    structure_each,
)

__all__ = [
    "dump_sales_records",
    "dump_sales_targets",
    "dumps_sales_records",
    "dumps_sales_targets",
    "load_sales_records",
    "load_sales_targets",
    "loads_sales_records",
    "loads_sales_targets",
]


def loads_sales_records(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[SalesRecord]:
    """Sales records from JSON or TOML text, every valid one kept, every problem located.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _loads_records(text, fmt, SalesRecord, "sales", source)


def load_sales_records(path: str | Path, fmt: Format | None = None) -> LoadResult[SalesRecord]:
    """Sales records from a ``.json`` or ``.toml`` file.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _read_records(path, fmt, SalesRecord, "sales")


def dumps_sales_records(records: Iterable[SalesRecord], fmt: Format = "json") -> str:
    """Sales records as JSON (a list) or TOML (a ``sales`` table array)."""
    return _dumps_records(records, "sales", fmt)


def dump_sales_records(
    records: Iterable[SalesRecord], path: str | Path, fmt: Format | None = None
) -> None:
    """Write sales records to ``path`` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_sales_records(records, chosen))


def _targets(parsed: _Parsed) -> LoadResult[SalesTarget]:
    parsed = _walked(parsed)
    found = _records_of(parsed.data, "targets")
    refused = _refused(parsed.faults, found.root, parsed.source)
    records = found.records
    if isinstance(records, list):
        records = [{} if i in refused else r for i, r in enumerate(records)]
    each = structure_each(records, SalesTarget, root=found.root, source=parsed.source)
    problems = [*found.problems, *parsed.faults]
    problems.extend(p for p in each.problems if _index(p.path, found.root) not in refused)
    kept: list[SalesTarget] = []
    seen: dict[tuple[str, str], int] = {}
    built = iter(each.items)
    failed = {_index(p.path, found.root) for p in each.problems}
    indices = [
        i for i in range(len(records) if isinstance(records, list) else 0) if i not in failed
    ]
    for index, target in zip(indices, built, strict=True):
        first = seen.setdefault((target.owner, target.period), index)
        if first != index:
            problems.append(
                DataProblem(
                    f"{found.root}[{index}].period",
                    f"a second target for this salesperson and period; the first is "
                    f"{found.root}[{first}]",
                )
            )
        else:
            kept.append(target)
    return LoadResult(tuple(kept), tuple(problems), parsed.source)


def _index(path: str, root: str) -> int:
    if not path.startswith(f"{root}["):
        return -1
    rest = path[len(root) + 1 :]
    return int(rest[: rest.index("]")])


def loads_sales_targets(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[SalesTarget]:
    """Sales targets from JSON or TOML text, every valid one kept, every problem located.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    with _cycle_collection_paused():
        return _targets(_parse(text, fmt, source))


def load_sales_targets(path: str | Path, fmt: Format | None = None) -> LoadResult[SalesTarget]:
    """Sales targets from a ``.json`` or ``.toml`` file.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    with _cycle_collection_paused():
        return _targets(_read(path, fmt))


def dumps_sales_targets(targets: Iterable[SalesTarget], fmt: Format = "json") -> str:
    """Sales targets as JSON (a list) or TOML (a ``targets`` table array)."""
    return _dumps_records(targets, "targets", fmt)


def dump_sales_targets(
    targets: Iterable[SalesTarget], path: str | Path, fmt: Format | None = None
) -> None:
    """Write sales targets to ``path`` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_sales_targets(targets, chosen))
