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

Speed: with the optional ``fast`` extra (msgspec) installed, a JSON file is decoded by
msgspec into Struct types derived from the attrs classes (:func:`fast_loading_available`
tells whether it is), then built through each class's own ``__init__`` and the cattrs
converter's hooks, so every converter runs and the results are equal. Otherwise, and
for TOML, the whole list is first built in one pass by a converter without detailed
validation (the same strict hooks, only without the bookkeeping of paths). At the first
problem either way the file is walked again record by record by the detailed cattrs
converter, which reports every problem with its path. ``fast=False`` forces the cattrs
path.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
import pendulum

from keyaccount.customers import Customer, Phone, normalise_phone
from keyaccount.errors import DataFileError, DataProblem, RedactedRecordError
from keyaccount.io._core import (
    _CONVERTER,
    Format,
    LoadResult,
    _format_of,
    _structure_date,
    _structure_decimal,
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


def _fast_datetime_hook() -> Callable[[object, object], pendulum.DateTime]:
    """A structure hook for instants that builds pendulum values without ``pendulum.instance``.

    It accepts and refuses exactly what the shared converter's hook does and returns
    equal values with the same fixed-offset timezone objects, about six times faster
    (``pendulum.instance`` dominates the cost of loading large files otherwise).
    """
    zones: dict[dt.timedelta, dt.tzinfo] = {}
    slow = _CONVERTER.get_structure_hook(pendulum.DateTime)

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


# --------------------------------------------------------------------------- msgspec fast path
#
# With the optional `fast` extra (msgspec) installed, JSON customer and visit files are
# decoded by msgspec into Struct types derived from the attrs classes, then built into
# the domain objects by generated code that calls each class's own ``__init__`` (so
# every attrs converter and validator runs: phone normalisation, Money's checks,
# aware instants) and the very hooks the cattrs converter uses for decimals, instants
# and dates. The wire types only let through what the cattrs path accepts (decimals as
# strings or integers, never floats; no unknown fields; arrays, not strings, for
# lists); anything msgspec or a hook refuses sends the whole document down the cattrs
# path, which reports every problem with its path and keeps the valid records.


@attrs.frozen
class _Wire:
    """The msgspec form of one attrs class and the function that builds the class from it."""

    struct: Any
    build: Callable[[Any], Any]


@attrs.frozen
class _FastLoader:
    """A msgspec decoder for a list (or a ``{key: [...]}`` wrapper) of one attrs class."""

    decoder: Any
    build: Callable[[Any], Any]
    wrapper: type


def _is_optional(hint: object) -> bool:
    args = typing.get_args(hint)
    return (
        typing.get_origin(hint) in (types.UnionType, typing.Union)
        and len(args) == 2
        and type(None) in args
    )


def _is_str_enum(hint: object) -> bool:
    return (
        isinstance(hint, type)
        and issubclass(hint, enum.Enum)
        and all(isinstance(member.value, str) for member in hint)
    )


def _wire_instant_hook() -> Callable[[str, object], pendulum.DateTime]:
    """The instant hook of the fast path: :func:`_fast_datetime_hook` with a cheaper hit.

    The timezone is looked up by the parsed offset's ``tzinfo`` (a ``datetime.timezone``
    compares by offset), and any miss, a naive value included, goes through the cattrs
    hook, which builds the value or raises; so the values are those of the cattrs path.
    """
    slow = _fast_datetime_hook()
    zones: dict[dt.tzinfo | None, dt.tzinfo] = {}
    parse = dt.datetime.fromisoformat
    new = pendulum.DateTime

    def instant(value: str, type_: object) -> pendulum.DateTime:
        parsed = parse(value)
        zone = zones.get(parsed.tzinfo)
        if zone is None:
            result = slow(value, type_)
            if isinstance(parsed.tzinfo, dt.timezone) and result.tzinfo is not None:
                zones[parsed.tzinfo] = result.tzinfo
            return result
        return new(
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
            parsed.second,
            parsed.microsecond,
            zone,
        )

    return instant


class _Deriver:
    """Derives msgspec Struct types and builder functions from attrs classes.

    Each supported type maps to a wire type (what msgspec decodes and checks) and an
    expression that turns a wire value into the domain value (``None`` when the wire
    value already is the domain value). An unsupported type raises ``TypeError``: the
    class then simply has no fast path.
    """

    def __init__(self) -> None:
        import msgspec  # noqa: PLC0415 - optional: only the fast path needs it

        self.msgspec = msgspec
        self.namespace: dict[str, Any] = {
            "_UNSET": msgspec.UNSET,
            "_decimal": _structure_decimal,
            "_date": _structure_date,
            "_instant": _wire_instant_hook(),
            "_phone": _structure_phone,
        }
        self.wires: dict[type, _Wire] = {}
        self.depth = 0

    def convert(  # noqa: PLR0911 - one branch per kind of type
        self, hint: Any, value: str, converter: object = None
    ) -> tuple[Any, str | None]:
        """The wire type of ``hint`` and the expression building its value from ``value``.

        ``converter`` is the attrs converter of the field, if any.
        """
        if hint in (str, bool) or _is_str_enum(hint):
            return hint, None  # msgspec checks these exactly as the cattrs hooks do
        if hint is Phone:
            if converter is normalise_phone:  # the class normalises (idempotently) itself
                return str, None
            return str, f"_phone({value}, None)"
        if hint is Decimal:
            return str | int, f"_decimal({value}, None)"  # never float: floats are refused
        if hint is pendulum.DateTime:
            return str, f"_instant({value}, None)"
        if hint is dt.date:
            return str, f"_date({value}, None)"
        if _is_optional(hint):
            (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
            wire, expr = self.convert(inner, value)
            if expr is None:
                return wire | None, None
            return wire | None, f"(None if {value} is None else {expr})"
        args = typing.get_args(hint)
        if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
            self.depth += 1
            item = f"_item{self.depth}"
            wire, expr = self.convert(args[0], item)
            self.depth -= 1
            if expr is None:
                return tuple[wire, ...], None  # type: ignore[valid-type]  # a runtime-built type
            call = expr.removesuffix(f"({item})")
            if call.isidentifier():  # a builder: map it, without a comprehension's frame
                return tuple[wire, ...], f"tuple(map({call}, {value}))"  # type: ignore[valid-type]  # a runtime-built type
            return tuple[wire, ...], f"tuple([{expr} for {item} in {value}])"  # type: ignore[valid-type]  # a runtime-built type
        if isinstance(hint, type) and attrs.has(hint):
            wire_class = self.wire(hint)
            name = f"_build_{hint.__name__}"
            self.namespace[name] = wire_class.build
            return wire_class.struct, f"{name}({value})"
        raise TypeError(f"no msgspec fast path for {hint!r}")

    def wire(self, cls: type) -> _Wire:
        """The Struct type and builder of the attrs class ``cls`` (cached)."""
        if cls in self.wires:
            return self.wires[cls]
        hints = typing.get_type_hints(cls)
        fields: list[tuple[Any, ...]] = []
        positional: list[str] = []
        keywords: list[str] = []
        for field in attrs.fields(cls):
            if not field.init:
                continue
            if field.name.startswith("_"):
                raise TypeError(f"no msgspec fast path for the private field {field.name!r}")
            value = f"s.{field.name}"
            wire, expr = self.convert(hints[field.name], value, field.converter)
            default = field.default
            if default is attrs.NOTHING:
                fields.append((field.name, wire))
            elif expr is None or (default is None and _is_optional(hints[field.name])):
                fields.append((field.name, wire, default))  # the builder passes it unchanged
            else:
                fields.append((field.name, wire | self.msgspec.UnsetType, self.msgspec.UNSET))
                if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs.Factory is a class at run time
                    if default.takes_self:
                        raise TypeError(f"no msgspec fast path for {cls.__name__}.{field.name}")
                    self.namespace[f"_default_{cls.__name__}_{field.name}"] = default.factory
                    fallback = f"_default_{cls.__name__}_{field.name}()"
                else:
                    self.namespace[f"_default_{cls.__name__}_{field.name}"] = default
                    fallback = f"_default_{cls.__name__}_{field.name}"
                expr = f"({fallback} if {value} is _UNSET else {expr})"
            argument = expr or value
            if field.kw_only:
                keywords.append(f"{field.alias}={argument}")
            else:
                positional.append(argument)
        struct = self.msgspec.defstruct(
            f"{cls.__name__}Wire",
            fields,
            kw_only=True,
            forbid_unknown_fields=True,
            gc=False,  # short-lived and acyclic: keep them out of the garbage collector
            module=__name__,
        )
        cls_name = f"_cls_{cls.__name__}"
        self.namespace[cls_name] = cls
        source = f"def build(s):\n    return {cls_name}({', '.join(positional + keywords)})\n"
        scope: dict[str, Any] = {}
        # Generated from the attrs fields above, as attrs and cattrs generate their code.
        exec(
            compile(source, f"<keyaccount fast path for {cls.__name__}>", "exec"),
            self.namespace,
            scope,
        )
        self.wires[cls] = _Wire(struct, scope["build"])
        return self.wires[cls]

    def loader(self, cls: type, key: str) -> _FastLoader:
        """A decoder of a bare list of ``cls`` records or a ``{key: [...]}`` document."""
        item = self.wire(cls)
        wrapper = self.msgspec.defstruct(
            f"{cls.__name__}FileWire",
            [(key, list[item.struct])],  # type: ignore[name-defined]  # a runtime-built type
            forbid_unknown_fields=True,
            gc=False,
            module=__name__,
        )
        decoder = self.msgspec.json.Decoder(list[item.struct] | wrapper)  # type: ignore[name-defined]  # a runtime-built type
        return _FastLoader(decoder, item.build, wrapper)


@functools.cache
def _deriver() -> _Deriver | None:
    """The shared deriver, or ``None`` when msgspec (the ``fast`` extra) is not installed."""
    try:
        return _Deriver()
    except ImportError:
        return None


#: The record class of each kind of file that has a fast path, by its wrapper key.
_RECORD_CLASSES: dict[str, type] = {"customers": Customer, "visits": VisitRecord}


@functools.cache
def _fast_loader(key: str) -> _FastLoader | None:
    """The msgspec loader of ``key`` files, or ``None`` when there is no fast path."""
    deriver = _deriver()
    if deriver is None:
        return None
    try:
        return deriver.loader(_RECORD_CLASSES[key], key)
    except TypeError:  # a field type the derivation does not cover: cattrs only
        return None


def fast_loading_available() -> bool:
    """Whether JSON customer and visit files load through msgspec (the ``fast`` extra).

    Without it every file loads through the cattrs converter, with the same results.
    """
    return _fast_loader("customers") is not None


def _load_fast(document: str | bytes, key: str, source: str) -> LoadResult[Any] | None:
    """The records of a JSON document through msgspec, or ``None`` at the first doubt.

    ``None`` means "use the cattrs path": msgspec is missing, or the document has a
    problem (which the cattrs path then reports with its path).
    """
    loader = _fast_loader(key)
    if loader is None:
        return None
    try:
        # Text is encoded here rather than handed over: msgspec would otherwise cache a
        # UTF-8 copy of it on the caller's string for as long as the string lives.
        data = document.encode() if isinstance(document, str) else document
        decoded = loader.decoder.decode(data)
        if isinstance(decoded, loader.wrapper):
            records, root = getattr(decoded, key), f"$.{key}"
        else:
            records, root = decoded, "$"
        items = list(map(loader.build, records))
    except Exception:  # any problem at all: the cattrs path reports it with its path
        return None
    kept, duplicates = _ids_problems(items, root, list(range(len(items))))
    return LoadResult(tuple(kept), tuple(duplicates), source)


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


def _loads_list(
    text: str, fmt: Format, cls: type[T], key: str, source: str, fast: bool
) -> LoadResult[T]:
    if fast and fmt == "json":
        result = _load_fast(text, key, source)
        if result is not None:
            return result
    return _load_list(loads(text, fmt, source=source), cls, key, source)


def _load_file(
    path: str | Path, fmt: Format | None, cls: type[T], key: str, fast: bool
) -> LoadResult[T]:
    file = Path(path)
    if fast and _format_of(file, fmt) == "json" and _fast_loader(key) is not None:
        try:
            data = file.read_bytes()
        except OSError as error:  # worded as read_document words it
            raise DataFileError(
                str(file), [DataProblem("$", f"cannot read: {error.strerror}")]
            ) from None
        result = _load_fast(data, key, str(file))
        if result is not None:
            return result
    data_, source = read_document(path, fmt)
    return _load_list(data_, cls, key, source)


def loads_customers(
    text: str, fmt: Format = "json", *, source: str = "document", fast: bool = True
) -> LoadResult[Customer]:
    """Customers from JSON or TOML text; bad records reported with their paths, good ones kept.

    Args:
        text: the document.
        fmt: ``"json"`` or ``"toml"``.
        source: the document's name, for messages.
        fast: use msgspec for JSON when the ``fast`` extra is installed (the default);
            ``False`` forces the cattrs path. Both give equal results and problems.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _loads_list(text, fmt, Customer, "customers", source, fast)


def load_customers(
    path: str | Path, fmt: Format | None = None, *, fast: bool = True
) -> LoadResult[Customer]:
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

    Args:
        path: the file; its suffix gives the format unless ``fmt`` does.
        fmt: ``"json"`` or ``"toml"``.
        fast: as in :func:`loads_customers`.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _load_file(path, fmt, Customer, "customers", fast)


def load_customers_strict(path: str | Path, fmt: Format | None = None) -> tuple[Customer, ...]:
    """Customers from a file, or ``DataFileError`` listing every problem with its path."""
    return load_customers(path, fmt).strict()


def loads_visits(
    text: str, fmt: Format = "json", *, source: str = "document", fast: bool = True
) -> LoadResult[VisitRecord]:
    """Visit records from JSON or TOML text; bad records reported, good ones kept.

    ``fast=False`` forces the cattrs path, as in :func:`loads_customers`.
    """
    return _loads_list(text, fmt, VisitRecord, "visits", source, fast)


def load_visits(
    path: str | Path, fmt: Format | None = None, *, fast: bool = True
) -> LoadResult[VisitRecord]:
    """Visit records (回访记录表) from a ``.json`` or ``.toml`` file, keeping every valid one.

    ``fast=False`` forces the cattrs path, as in :func:`loads_customers`.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _load_file(path, fmt, VisitRecord, "visits", fast)


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
