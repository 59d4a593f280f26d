"""Files of records (customers, visits, complaints): keep every valid record, report the rest.

A record file is a list. Loading it is forgiving per record: a malformed record (a bad
field, or a key given twice) is reported with its index and the path of the bad field
(`$[3].contacts[0].phone`) and left out, a repeated id is reported at the later record,
and nothing of the valid records is lost. A fault outside every record (text that is
not JSON, a wrapper giving `customers` twice) leaves no record to trust: it is a
`DataFileError`. Every loader of a record file returns a `LoadResult`; its `strict()`
returns the records, or raises `DataFileError` listing every problem.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import attrs
import cattrs

from keyaccount.errors import DataFileError, DataProblem
from keyaccount.io._quoting import key_path, quote
from keyaccount.io.converter import (
    _CONVERTER,
    _DATA_ERRORS,
    _QUICK,
    _UNQUOTED_RECORDS,
    _problems,
    unstructure,
)
from keyaccount.io.documents import Format, _parse, _Parsed, _read, _walked, dumps

__all__ = ["LoadResult", "structure_each"]

T = TypeVar("T")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)


@attrs.frozen
class LoadResult(Generic[T]):
    """The valid records of a file and the problems of the others.

    Attributes:
        items: every record that loaded, in file order.
        problems: one entry per problem, each with its path (`$[3].phone`).
        source: the file (or document) name, for messages.
    """

    items: tuple[T, ...]
    problems: tuple[DataProblem, ...]
    source: str = "document"

    @property
    def ok(self) -> bool:
        """Whether the file had no problems."""
        return not self.problems

    def strict(self) -> tuple[T, ...]:
        """The items, if the file had no problem at all: the strict way to load a file.

        Returns:
            Every record of the file.

        Raises:
            DataFileError: the file had problems; it lists every one with its path.
        """
        return _strict(self.items, self.problems, self.source)


V = TypeVar("V")


def _strict(value: V, problems: tuple[DataProblem, ...], source: str) -> V:
    """``value``, loaded from ``source``, if loading it met no problem at all.

    The one rule behind every loaded file's ``strict()`` (`LoadResult`, and the files
    that load into one value: receivables, budgets, a club).

    Raises:
        DataFileError: there were problems; it lists every one with its path.
    """
    if problems:
        raise DataFileError(source, problems)
    return value


def structure_each(
    items: object,
    cls: type[T],
    *,
    root: str = "$",
    source: str = "document",
    converter: cattrs.Converter | None = None,
) -> LoadResult[T]:
    """Build a `cls` from every item of a list, keeping the good ones.

    A malformed item is reported with its index (`$[3].phone`) and skipped; nothing of
    the valid items is lost.

    Args:
        items: a list of plain records.
        cls: the class to build.
        root: the path of the list in its document.
        source: the document's name, for messages.
        converter: a converter of your own (default: the library's strict one).

    Returns:
        The built items and the problems of the others.
    """
    conv = converter or _CONVERTER
    if not isinstance(items, list):
        problem = DataProblem(root, f"expected a list, got {type(items).__name__}")
        return LoadResult((), (problem,), source)
    built: list[T] = []
    problems: list[DataProblem] = []
    for index, item in enumerate(items):
        try:
            built.append(conv.structure(item, cls))
        except _DATA_ERRORS as error:
            problems.extend(_problems(error, f"{root}[{index}]", cls))
    return LoadResult(tuple(built), tuple(problems), source)


def _first_of_each_id(
    built: Iterable[tuple[int, R]], root: str, label: str = "id", *, quoted: bool = True
) -> LoadResult[R]:
    """The records whose id no earlier record has, and a problem at each later one.

    Args:
        built: each valid record with its index in the file.
        root: the path of the list.
        label: how messages name the id (`"id"`, `"complaint id"`).
        quoted: whether a message may quote the id (not a customer's).
    """
    seen: dict[str, int] = {}
    kept: list[R] = []
    problems: list[DataProblem] = []
    for index, record in built:
        first = seen.setdefault(record.id, index)
        if first != index:
            shown = f"{label} {quote(record.id)}" if quoted else f"the {label}"
            message = f"{shown} is already used by {root}[{first}]"
            problems.append(DataProblem(f"{root}[{index}].id", message))
        else:
            kept.append(record)
    return LoadResult(tuple(kept), tuple(problems))


@attrs.frozen
class _RecordList:
    """The list of records a document holds, its path, and the problems of its wrapper."""

    records: object
    root: str = "$"
    problems: tuple[DataProblem, ...] = ()


def _records_of(data: object, key: str) -> _RecordList:
    """The list of records in a document: a bare list or a `{key: [...]}` table."""
    if not isinstance(data, Mapping):
        return _RecordList(data)
    problems = [
        DataProblem(key_path("$", extra), f"unknown key; the file holds {key!r}")
        for extra in sorted(str(k) for k in data if k != key)
    ]
    if key not in data:
        problems.append(DataProblem(f"$.{key}", "missing: expected a list of records"))
        return _RecordList([], f"$.{key}", tuple(problems))
    return _RecordList(data[key], f"$.{key}", tuple(problems))


def _index_of(path: str, root: str) -> int:
    """The record index a problem's path starts with (`$[3].phone` -> 3), else -1."""
    if not path.startswith(f"{root}["):
        return -1
    rest = path[len(root) :]
    return int(rest[1 : rest.index("]")])


def _refused(faults: tuple[DataProblem, ...], root: str, source: str) -> set[int]:
    """The records holding a fault of shape (a key given twice, nesting too deep).

    Raises:
        DataFileError: a fault lies outside every record (`{"customers": [...],
            "customers": []}`): which records the file means cannot be known.
    """
    outside = [problem for problem in faults if _index_of(problem.path, root) < 0]
    if outside:
        raise DataFileError(source, outside)
    return {_index_of(problem.path, root) for problem in faults}


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, restoring its state afterwards.

    Parsing and building a large file create about two dozen small objects per record,
    none of them in a cycle; the collections their allocations trigger would otherwise
    take more than a third of the load. Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_records(parsed: _Parsed, cls: type[R], key: str) -> LoadResult[R]:
    """The records of class `cls` in a parsed document: the one loader of record files.

    The whole list is first built in one pass by the quick converter (the same hooks,
    without cattrs' bookkeeping of paths); only when that fails, or the document has a
    fault of shape (a key given twice, nesting too deep), is it walked again record by
    record by the detailed converter, which reports every problem with its path. A
    record holding a fault of shape is refused with it and not built. When the first
    pass builds every record, the record types bound the document's depth: it needs no
    walk for its depth.
    """
    source = parsed.source
    quoted = cls not in _UNQUOTED_RECORDS
    found = _records_of(parsed.data, key)
    records, root = found.records, found.root
    if found.problems:  # the wrapper holds more than the records: walk all of it
        parsed = _walked(parsed)
    if isinstance(records, list) and not parsed.faults:
        hook = _QUICK.get_structure_hook(cls)
        try:
            built = [hook(record, cls) for record in records]
        except Exception:  # any failure at all: the detailed pass below reports it
            pass
        else:
            unique = _first_of_each_id(enumerate(built), root, quoted=quoted)
            return LoadResult(unique.items, (*found.problems, *unique.problems), source)
    parsed = _walked(parsed)
    refused = _refused(parsed.faults, root, source)
    if not isinstance(records, list):
        each = structure_each(records, cls, root=root, source=source)
        return LoadResult((), (*found.problems, *each.problems), source)
    kept: list[tuple[int, R]] = []
    problems: list[DataProblem] = [*found.problems, *parsed.faults]
    for index, record in enumerate(records):
        if index in refused:
            continue
        try:
            kept.append((index, _CONVERTER.structure(record, cls)))
        except _DATA_ERRORS as error:
            problems.extend(_problems(error, f"{root}[{index}]", cls))
    unique = _first_of_each_id(kept, root, quoted=quoted)
    return LoadResult(unique.items, (*problems, *unique.problems), source)


def _loads_records(
    text: str | bytes, fmt: Format, cls: type[R], key: str, source: str
) -> LoadResult[R]:
    """`_load_records` of JSON or TOML text."""
    with _cycle_collection_paused():
        return _load_records(_parse(text, fmt, source), cls, key)


def _read_records(path: str | Path, fmt: Format | None, cls: type[R], key: str) -> LoadResult[R]:
    """`_load_records` of a file."""
    with _cycle_collection_paused():
        return _load_records(_read(path, fmt), cls, key)


def _dumps_records(records: Iterable[Any], key: str, fmt: Format) -> str:
    """Records as JSON (a list) or TOML (a `key` table array)."""
    data = [unstructure(record) for record in records]
    return dumps({key: data} if fmt == "toml" else data, fmt)
