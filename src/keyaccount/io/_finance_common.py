"""What the receivables and budget loaders share: one load's problems, the currency, rates.

Private to `keyaccount.io.receivables` and `keyaccount.io.budgets`: both files are one
object holding a currency, exchange rates and lists of records, so both read those the
same way, report each bad record at its path and keep the valid ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import attrs

from keyaccount.errors import DataFileError, DataProblem, KeyAccountError
from keyaccount.io._quoting import key_path, quote
from keyaccount.io.converter import _CONVERTER, _DATA_ERRORS, _problems
from keyaccount.io.documents import _Parsed
from keyaccount.io.records import _index_of
from keyaccount.money import DEFAULT_CURRENCY, Money, Rates

__all__: list[str] = []


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)


@attrs.define
class _Build:
    """The state of one load: the problems found and the records kept so far."""

    source: str
    problems: list[DataProblem] = attrs.field(factory=list)

    def add(self, path: str, message: str) -> None:
        self.problems.append(DataProblem(path, message))


def _an_object(data: object, lists: tuple[str, ...], kind: str, source: str) -> Mapping[str, Any]:
    """The document as an object of the expected kind, or the whole file refused.

    A document that is not an object, or an object holding none of ``lists`` but other
    keys (a file of another kind: a budget file given where receivables are read), is
    refused as a whole, so a command never prints an empty report for the wrong file.

    Raises:
        DataFileError: at ``$``, naming what the file should hold.
    """
    wanted = ", ".join(lists)
    if not isinstance(data, Mapping):
        problem = DataProblem(
            "$", f"expected {kind} object with {wanted}; got {type(data).__name__}"
        )
        raise DataFileError(source, [problem])
    others = sorted(str(k) for k in data if k not in (*lists, "currency", "rates"))
    if others and not any(key in data for key in lists):
        shown = ", ".join(others[:5])
        problem = DataProblem("$", f"not {kind} file: it holds none of {wanted} but {shown}")
        raise DataFileError(source, [problem])
    return data


def _unknown_keys(data: Mapping[str, Any], known: Iterable[str], holds: str, build: _Build) -> None:
    """Report every top-level key the file kind does not have."""
    allowed = set(known)
    for extra in sorted(str(k) for k in data if k not in allowed):
        build.add(key_path("$", extra), f"unknown key; the file holds {holds}")


def _refused(parsed: _Parsed, lists: Iterable[str], build: _Build) -> set[str]:
    """The records holding a key given twice (refused); a fault elsewhere refuses the file.

    Raises:
        DataFileError: a key given twice outside any record.
    """
    refused: set[str] = set()
    for fault in parsed.faults:
        record = next(
            (
                f"$.{key}[{_index_of(fault.path, f'$.{key}')}]"
                for key in lists
                if _index_of(fault.path, f"$.{key}") >= 0
            ),
            None,
        )
        if record is None:
            raise DataFileError(parsed.source, parsed.faults)
        refused.add(record)
        build.problems.append(fault)
    return refused


def _currency(data: Mapping[str, Any], source: str) -> str:
    """The file's currency (``CNY`` when absent); without it no amount can be read.

    Raises:
        DataFileError: at ``$.currency``.
    """
    value = data.get("currency", DEFAULT_CURRENCY)
    try:
        if not isinstance(value, str):
            raise TypeError
        return Money.zero(value).currency
    except (KeyAccountError, TypeError):
        problem = DataProblem(
            "$.currency", f"expected a currency code such as 'CNY', got {quote(value)}"
        )
        raise DataFileError(source, [problem]) from None


def _rates(data: Mapping[str, Any], build: _Build) -> Rates | None:
    """The file's rates: ``{"USD/CNY": "7.10"}``; a bad entry is reported and left out."""
    if "rates" not in data:
        return None
    raw = data["rates"]
    if not isinstance(raw, Mapping):
        build.add("$.rates", f'expected an object such as {{"USD/CNY": "7.10"}}, got {quote(raw)}')
        return None
    table: dict[tuple[str, str], Decimal] = {}
    for key, value in raw.items():
        path = key_path("$.rates", key)
        pair = str(key).split("/")
        try:
            if len(pair) != 2 or isinstance(value, bool) or not isinstance(value, str | int):
                raise ValueError("expected 'SOURCE/TARGET' and a decimal string")
            decimal = _CONVERTER.structure(value, Decimal)
            Rates({(pair[0], pair[1]): decimal})  # the rate's own checks
        except _DATA_ERRORS as error:
            build.add(path, f"not a rate: {error}"[:300])
            continue
        table[(pair[0], pair[1])] = decimal
    return Rates(table) if table else None


def _structured(
    data: Mapping[str, Any], key: str, cls: type[R], build: _Build, refused: set[str]
) -> list[tuple[int, R]]:
    """Every record of the list ``key`` that builds, with its index; the rest reported."""
    root = f"$.{key}"
    items = data.get(key, [])
    if not isinstance(items, list):
        build.add(root, f"expected a list of records, got {type(items).__name__}")
        return []
    kept: list[tuple[int, R]] = []
    for index, item in enumerate(items):
        if f"{root}[{index}]" in refused:
            continue
        try:
            kept.append((index, _CONVERTER.structure(item, cls)))
        except _DATA_ERRORS as error:
            build.problems.extend(_problems(error, f"{root}[{index}]", cls))
    return kept


def _unique(records: list[tuple[int, R]], key: str, build: _Build) -> list[tuple[int, R]]:
    """The records whose id is not already used by an earlier one; the rest reported."""
    seen: dict[str, int] = {}
    kept = []
    for index, record in records:
        first = seen.setdefault(record.id, index)
        if first != index:
            build.add(
                f"$.{key}[{index}].id", f"id {quote(record.id)} is already used by $.{key}[{first}]"
            )
        else:
            kept.append((index, record))
    return kept


def _convertible(currency: str, rates: Rates | None, money: Money) -> bool:
    """Whether ``money`` can be given in ``currency`` (the same one, or a rate for it)."""
    if money.currency == currency:
        return True
    if rates is None:
        return False
    try:
        rates.rate(money.currency, currency)
    except KeyAccountError:
        return False
    return True


def _no_nulls(value: Any) -> Any:
    """A record without its ``None`` fields (TOML has no null; absent means ``None``)."""
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value]
    return value
