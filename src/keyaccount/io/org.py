"""Org chart files (TOML or JSON): one chart per file, every problem reported at once.

Beside what the converter checks, a chart file's cross-references are checked on the raw
document, so that each is reported at its own path: a repeated position or department
id, a superior or a scope naming no position of the file, an unlisted department. That
check looks only at text ids: an id of another kind (`{"id": {}}`) is the converter's
problem, reported at its path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from keyaccount.errors import DataFileError, DataProblem, DuplicateIdError
from keyaccount.io._quoting import quote
from keyaccount.io.converter import _CONVERTER, _DATA_ERRORS, _problems, unstructure
from keyaccount.io.documents import Format, _parse, _read, _whole, _write, dumps
from keyaccount.org import OrgChart

__all__ = ["dump_org", "dumps_org", "load_org", "loads_org"]


def _reference_problems(data: object) -> list[DataProblem]:  # noqa: PLR0912 - one check per reference kind
    """Problems of cross-references in a raw org document (tolerant of bad types)."""
    if not isinstance(data, Mapping):
        return []
    positions = data.get("positions")
    departments = data.get("departments")
    if not isinstance(positions, list):
        return []
    problems: list[DataProblem] = []
    ids: dict[str, int] = {}
    for index, position in enumerate(positions):
        if isinstance(position, Mapping) and isinstance(position.get("id"), str):
            pid = position["id"]
            if pid in ids:
                problems.append(
                    DataProblem(
                        f"$.positions[{index}].id",
                        f"position id {quote(pid)} is already used by $.positions[{ids[pid]}]",
                    )
                )
            else:
                ids[pid] = index
    department_ids: set[str] = set()
    if isinstance(departments, list):
        for index, department in enumerate(departments):
            if not isinstance(department, Mapping):
                continue
            did = department.get("id")
            if not isinstance(did, str):  # not an id at all: the converter reports it
                continue
            if did in department_ids:
                problems.append(
                    DataProblem(
                        f"$.departments[{index}].id", f"department id {quote(did)} is used twice"
                    )
                )
            department_ids.add(did)
    for index, position in enumerate(positions):
        if not isinstance(position, Mapping):
            continue
        superior = position.get("superior")
        if isinstance(superior, str) and superior not in ids:
            problems.append(
                DataProblem(
                    f"$.positions[{index}].superior",
                    f"superior {quote(superior)} is not a position in this file",
                )
            )
        department = position.get("department")
        if department_ids and isinstance(department, str) and department not in department_ids:
            problems.append(
                DataProblem(
                    f"$.positions[{index}].department",
                    f"department {quote(department)} is not listed in $.departments",
                )
            )
        authorities = position.get("authorities")
        if not isinstance(authorities, list):
            continue
        for a_index, authority in enumerate(authorities):
            if not isinstance(authority, Mapping):
                continue
            named = authority.get("scope_positions")
            if isinstance(named, list):
                for n_index, name in enumerate(named):
                    if isinstance(name, str) and name not in ids:
                        problems.append(
                            DataProblem(
                                f"$.positions[{index}].authorities[{a_index}]"
                                f".scope_positions[{n_index}]",
                                f"{quote(name)} is not a position in this file",
                            )
                        )
    return problems


def _only_duplicate_ids(error: BaseException) -> bool:
    """Whether `error` is (or cattrs wraps only) OrgChart's refusal of a duplicate id."""
    if isinstance(error, BaseExceptionGroup):
        return all(_only_duplicate_ids(inner) for inner in error.exceptions)
    return isinstance(error, DuplicateIdError)


def _org_from_data(data: object, source: str) -> OrgChart:
    problems = _reference_problems(data)
    try:
        chart = _CONVERTER.structure(data, OrgChart)
    except _DATA_ERRORS as error:
        # A duplicate id makes OrgChart itself refuse the data; the path-precise problem
        # found above says the same thing, so the pathless "@ $" copy is left out.
        duplicate = _only_duplicate_ids(error) and problems
        raise DataFileError(
            source, [*([] if duplicate else _problems(error, "$", OrgChart)), *problems]
        ) from None
    if problems:
        raise DataFileError(source, problems)
    return chart


def loads_org(text: str | bytes, fmt: Format = "toml", *, source: str = "document") -> OrgChart:
    """An `OrgChart` from JSON or TOML text (`bytes` are read as UTF-8).

    Raises:
        DataFileError: every problem of the document, each with its path.
        UnsupportedFormatError: `fmt` is neither `"json"` nor `"toml"`.
    """
    return _org_from_data(_whole(_parse(text, fmt, source)), source)


def load_org(path: str | Path, fmt: Format | None = None) -> OrgChart:
    """An `OrgChart` from a `.toml` or `.json` file.

    Raises:
        DataFileError: every problem of the file, each with its path.
        UnsupportedFormatError: `fmt` or the suffix names neither JSON nor TOML.
    """
    parsed = _read(path, fmt)
    return _org_from_data(_whole(parsed), parsed.source)


def dumps_org(chart: OrgChart, fmt: Format = "toml") -> str:
    """The chart as JSON or TOML text that `loads_org` reads back to an equal chart."""
    return dumps(unstructure(chart), fmt)


def dump_org(chart: OrgChart, path: str | Path, fmt: Format | None = None) -> None:
    """Write the chart to `path` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_org(chart, chosen))
