"""Customer files, visit-record files and visit policies as JSON or TOML.

A customer or visit file is a list of records: in JSON either a bare list or an object
``{"customers": [...]}`` (``{"visits": [...]}``); in TOML the table form. Loading is
forgiving per record: a malformed record is reported with its index and the path of
the bad field (``$[3].contacts[0].phone``) and skipped, and nothing of the valid records
is lost::

    result = load_customers("customers.json")
    result.items       # every valid Customer
    result.problems    # DataProblem("$[3].contacts[0].phone", "phone number ... ")

``load_customers_strict`` raises :class:`~keyaccount.errors.DataFileError` listing every
problem instead. The savers take ``Customer`` only: a
:class:`~keyaccount.customers.RedactedCustomer` is refused (by mypy, and at run time with
:class:`~keyaccount.errors.RedactedRecordError`), so a redacted copy never overwrites a
full record.

Speed: the whole list is first built in one pass by a converter without detailed
validation (the same strict hooks, only without the bookkeeping of paths); only when
that fails is the file walked again record by record to report every problem with
its path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

import attrs
import cattrs
import pendulum

from keyaccount.customers import Customer, Phone, normalise_phone
from keyaccount.errors import DataFileError, DataProblem, RedactedRecordError
from keyaccount.io._core import (
    CONVERTER,
    Format,
    _format_of,
    configure_converter,
    dumps,
    loads,
    read_document,
    structure,
    structure_each,
    unstructure,
)
from keyaccount.visits import VisitPolicy, VisitRecord

__all__ = [
    "LoadResult",
    "dump_customers",
    "dump_visit_policy",
    "dump_visits",
    "dumps_customers",
    "dumps_visit_policy",
    "dumps_visits",
    "load_customers",
    "load_customers_strict",
    "load_visit_policy",
    "load_visits",
    "load_visits_strict",
    "loads_customers",
    "loads_visits",
]

T = TypeVar("T")


@attrs.frozen
class LoadResult(Generic[T]):
    """The valid records of a file and the problems of the others.

    Attributes:
        items: every record that loaded, in file order.
        problems: one entry per problem, each with its path (``$[3].phone``).
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
        """The items, or ``DataFileError`` listing every problem.

        Raises:
            DataFileError: the file had problems.
        """
        if self.problems:
            raise DataFileError(self.source, self.problems)
        return self.items


def _fast_datetime_hook() -> Callable[[object, object], pendulum.DateTime]:
    """A structure hook for instants that builds pendulum values without ``pendulum.instance``.

    It accepts and refuses exactly what the shared converter's hook does and returns
    equal values with the same fixed-offset timezone objects, about six times faster
    (``pendulum.instance`` dominates the cost of loading large files otherwise).
    """
    zones: dict[dt.timedelta, dt.tzinfo] = {}
    slow = CONVERTER.get_structure_hook(pendulum.DateTime)

    def hook(value: object, type_: object) -> pendulum.DateTime:
        if not isinstance(value, str):
            return slow(value, type_)  # type: ignore[no-any-return]  # cattrs hooks are untyped
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return slow(value, type_)  # type: ignore[no-any-return]  # it raises the message
        offset = parsed.utcoffset()
        if offset is None or not isinstance(parsed.tzinfo, dt.timezone):
            return slow(value, type_)  # type: ignore[no-any-return]  # naive: it raises
        zone = zones.get(offset)
        if zone is None:
            zone = zones[offset] = pendulum.instance(parsed).tzinfo  # type: ignore[assignment]  # always set for an aware value
        return pendulum.DateTime(
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
            parsed.second,
            parsed.microsecond,
            tzinfo=zone,
        )

    return hook


def _structure_phone(value: object, _type: object) -> Phone:
    """Normalise while structuring, so a bad number is reported at its own path."""
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__} {value!r}")
    return normalise_phone(value)


def _make(detailed: bool) -> cattrs.Converter:
    converter = configure_converter(
        cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=detailed)
    )
    converter.register_structure_hook(pendulum.DateTime, _fast_datetime_hook())
    converter.register_structure_hook(Phone, _structure_phone)
    return converter


_FAST = _make(detailed=False)
_DETAILED = _make(detailed=True)


def _records(data: object, key: str) -> tuple[object, str, list[DataProblem]]:
    """The list of records in a document, its path, and problems of the wrapper."""
    if isinstance(data, Mapping):
        extra = sorted(str(k) for k in data if k != key)
        problems = [DataProblem(f"$.{k}", f"unknown key; the file holds {key!r}") for k in extra]
        if key not in data:
            problems.append(DataProblem(f"$.{key}", "missing: expected a list of records"))
            return [], f"$.{key}", problems
        return data[key], f"$.{key}", problems
    return data, "$", []


def _ids_problems(
    items: list[Any], root: str, indexes: list[int]
) -> tuple[list[Any], list[DataProblem]]:
    seen: dict[str, int] = {}
    kept: list[Any] = []
    problems: list[DataProblem] = []
    for item, index in zip(items, indexes, strict=True):
        first = seen.get(item.id)
        if first is not None:
            problems.append(
                DataProblem(
                    f"{root}[{index}].id", f"id {item.id!r} is already used by {root}[{first}]"
                )
            )
            continue
        seen[item.id] = index
        kept.append(item)
    return kept, problems


def _load_list(data: object, cls: type[T], key: str, source: str) -> LoadResult[T]:
    records, root, problems = _records(data, key)
    if isinstance(records, list):
        hook = _FAST.get_structure_hook(cls)
        try:
            items = [hook(record, cls) for record in records]
        except Exception:  # any failure: the detailed pass below reports it with its path
            pass
        else:
            kept, duplicates = _ids_problems(items, root, list(range(len(items))))
            return LoadResult(tuple(kept), (*problems, *duplicates), source)
    built, item_problems = structure_each(records, cls, root=root, converter=_DETAILED)
    bad = {_index_of(p.path, root) for p in item_problems}
    indexes = [i for i in range(len(records) if isinstance(records, list) else 0) if i not in bad]
    kept, duplicates = _ids_problems(built, root, indexes)
    return LoadResult(tuple(kept), (*problems, *item_problems, *duplicates), source)


def _index_of(path: str, root: str) -> int:
    rest = path[len(root) :]
    if not rest.startswith("["):
        return -1
    return int(rest[1 : rest.index("]")])


def loads_customers(
    text: str, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[Customer]:
    """Customers from JSON or TOML text; bad records reported with their paths, good ones kept.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _load_list(loads(text, fmt, source=source), Customer, "customers", source)


def load_customers(path: str | Path, fmt: Format | None = None) -> LoadResult[Customer]:
    """Customers from a ``.json`` or ``.toml`` file, keeping every valid record.

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

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    data, source = read_document(path, fmt)
    return _load_list(data, Customer, "customers", source)


def load_customers_strict(path: str | Path, fmt: Format | None = None) -> tuple[Customer, ...]:
    """Customers from a file, or ``DataFileError`` listing every problem with its path."""
    return load_customers(path, fmt).strict()


def loads_visits(
    text: str, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[VisitRecord]:
    """Visit records from JSON or TOML text; bad records reported, good ones kept."""
    return _load_list(loads(text, fmt, source=source), VisitRecord, "visits", source)


def load_visits(path: str | Path, fmt: Format | None = None) -> LoadResult[VisitRecord]:
    """Visit records (回访记录表) from a ``.json`` or ``.toml`` file, keeping every valid one.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    data, source = read_document(path, fmt)
    return _load_list(data, VisitRecord, "visits", source)


def load_visits_strict(path: str | Path, fmt: Format | None = None) -> tuple[VisitRecord, ...]:
    """Visit records from a file, or ``DataFileError`` listing every problem."""
    return load_visits(path, fmt).strict()


def _checked(customers: Iterable[Customer]) -> list[Customer]:
    out: list[Customer] = []
    for index, customer in enumerate(customers):
        if not isinstance(customer, Customer):
            raise RedactedRecordError(
                f"record {index} is a {type(customer).__name__}, not a Customer; a redacted "
                "record cannot be saved (it would overwrite the full record with blanks)"
            )
        out.append(customer)
    return out


def _wrap(items: list[Any], key: str, fmt: Format) -> Any:
    return {key: items} if fmt == "toml" else items


def dumps_customers(customers: Iterable[Customer], fmt: Format = "json") -> str:
    """Customers as JSON (a list) or TOML (a ``customers`` table array).

    Raises:
        RedactedRecordError: a record is not a full :class:`Customer`.
    """
    data = [unstructure(c) for c in _checked(customers)]
    return dumps(_wrap(data, "customers", fmt), fmt)


def dump_customers(
    customers: Iterable[Customer], path: str | Path, fmt: Format | None = None
) -> None:
    """Write customers to ``path`` (format from the suffix unless given).

    Raises:
        RedactedRecordError: a record is not a full :class:`Customer`; nothing is written.
    """
    file = Path(path)
    text = dumps_customers(customers, _format_of(file, fmt))
    file.write_text(text, encoding="utf-8")


def dumps_visits(records: Iterable[VisitRecord], fmt: Format = "json") -> str:
    """Visit records as JSON (a list) or TOML (a ``visits`` table array)."""
    return dumps(_wrap([unstructure(r) for r in records], "visits", fmt), fmt)


def dump_visits(
    records: Iterable[VisitRecord], path: str | Path, fmt: Format | None = None
) -> None:
    """Write visit records to ``path`` (format from the suffix unless given)."""
    file = Path(path)
    file.write_text(dumps_visits(records, _format_of(file, fmt)), encoding="utf-8")


def load_visit_policy(path: str | Path, fmt: Format | None = None) -> VisitPolicy:
    """A :class:`~keyaccount.visits.VisitPolicy` from a file; absent fields keep the defaults.

    Raises:
        DataFileError: every problem with its path.
    """
    data, source = read_document(path, fmt)
    return structure(data, VisitPolicy, source=source)


def dumps_visit_policy(policy: VisitPolicy, fmt: Format = "toml") -> str:
    """The policy as TOML or JSON (fields equal to the defaults are left out)."""
    return dumps(unstructure(policy), fmt)


def dump_visit_policy(policy: VisitPolicy, path: str | Path, fmt: Format | None = None) -> None:
    """Write the policy to ``path``."""
    file = Path(path)
    file.write_text(dumps_visit_policy(policy, _format_of(file, fmt)), encoding="utf-8")
