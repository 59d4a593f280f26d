"""The JSON Schema of what `to_json` writes: results, for systems in other languages.

`json_schema` describes the files the library reads; `result_schema` describes the
JSON `to_jsonable` writes for a value or result, by the same rules, read off the attrs
class: an object of the public fields shown in the repr (every one always written, a
missing value as ``null``), plus ``"explanation"`` when the class has an
argument-less ``explain()`` and ``"type"`` for a complaint event; instants RFC 3339
with an offset, dates ``YYYY-MM-DD``, durations ISO 8601, money an object of two
strings, decimals and fractions strings, enums their wire values.

Examples:
    >>> from keyaccount import SlaStatus
    >>> schema = result_schema(SlaStatus)
    >>> schema["$defs"]["TargetStatus"]["properties"]["time_left"]["format"]
    'duration'
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from keyaccount.calendar import Days, Hours, Workdays, WorkingHours
from keyaccount.errors import DataProblem, UnsupportedTypeError
from keyaccount.io.jsonable import _EVENT_TAGS, explains, json_fields, json_properties
from keyaccount.money import Money, Rates

__all__ = ["DURATION_PATTERN", "RFC3339_PATTERN", "result_schema"]

#: An instant as `to_json` writes it: RFC 3339 with its own offset, no zone name.
RFC3339_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}:\d{2}$"
#: An ISO 8601 duration as `to_json` writes it (``PT30M``, ``P3DT4H``, ``-PT1H``, ``PT0S``).
DURATION_PATTERN: Final = (
    r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
_PERIOD_PATTERN: Final = r"^\d+ (days?|workdays?|hours?|working hours?)( \d+ minutes?)?$"
_DECIMAL: Final = {
    "type": "string",
    "pattern": r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$",
    "description": "an exact decimal number as text",
}
_SIMPLE: Final[dict[object, dict[str, Any]]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    type(None): {"type": "null"},
    Decimal: _DECIMAL,
    Fraction: {
        "type": "string",
        "pattern": r"^-?\d+(/\d+)?$",
        "description": "an exact fraction as text, such as 1/3",
    },
    dt.date: {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    dt.time: {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"},
    dt.timedelta: {
        "type": "string",
        "format": "duration",
        "pattern": DURATION_PATTERN,
        "description": "an ISO 8601 duration, such as PT30M or P3DT4H (-PT1H when overdue)",
    },
    Money: {
        "type": "object",
        "properties": {
            "amount": _DECIMAL,
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
        "required": ["amount", "currency"],
        "additionalProperties": False,
    },
    Rates: {
        "type": "object",
        "properties": {
            "table": {
                "type": "object",
                "propertyNames": {"pattern": "^[A-Z]{3}/[A-Z]{3}$"},
                "additionalProperties": _DECIMAL,
            },
            "derive_inverse": {"type": "boolean"},
        },
        "required": ["table", "derive_inverse"],
        "additionalProperties": False,
    },
    DataProblem: {
        "type": "object",
        "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
        "required": ["path", "message"],
        "additionalProperties": False,
    },
}
_INSTANT: Final = {
    "type": "string",
    "format": "date-time",
    "pattern": RFC3339_PATTERN,
    "description": "an instant: RFC 3339 with its own UTC offset, e.g. 2026-10-08T09:00:00+08:00",
}
_PERIOD: Final = {"type": "string", "pattern": _PERIOD_PATTERN, "description": "a period"}


def _named(type_: type) -> dict[str, Any] | None:
    """The schema of a class written by a rule of its own; ``None`` for the others."""
    if issubclass(type_, dt.datetime):
        return _INSTANT
    if issubclass(type_, (Days, Workdays, Hours, WorkingHours)):
        return _PERIOD
    if issubclass(type_, enum.Enum):
        return {"enum": [member.value for member in type_]}
    for known, schema in _SIMPLE.items():
        if isinstance(known, type) and issubclass(type_, known) and known is not int:
            return schema
    return None


def _object(
    type_: type, defs: dict[str, Any], names: dict[str, type], args: tuple[Any, ...] = ()
) -> dict[str, Any]:
    """A `$ref` to the definition of an attrs class, written once into ``defs``.

    ``args`` are the type arguments of a generic class (``LoadResult[VisitRecord]``).
    """
    bound = dict(zip(getattr(type_, "__parameters__", ()), args, strict=False))
    name = type_.__name__ + "".join(f"_{getattr(a, '__name__', a)}" for a in args)
    if names.get(name, type_) is not type_:  # two classes of one name: qualify the second
        name = f"{type_.__module__}.{type_.__qualname__}"
    if name not in defs:
        names[name] = type_
        defs[name] = {}  # a placeholder against recursion
        hints = typing.get_type_hints(type_)
        properties: dict[str, Any] = {}
        tag = _EVENT_TAGS.get(type_)
        if tag is not None:
            properties["type"] = {"const": tag}
        for field in json_fields(type_):
            hint = hints[field.name]
            if bound:
                hint = _bind(hint, bound)
            properties[field.name] = _schema_for(hint, defs, names)
        for prop in json_properties(type_):
            hint = typing.get_type_hints(getattr(type_, prop).fget)["return"]
            properties[prop] = _schema_for(_bind(hint, bound) if bound else hint, defs, names)
        if explains(type_):
            properties["explanation"] = {"type": "string", "description": "explain(), in words"}
        defs[name] = {
            "type": "object",
            "title": name,
            "description": (type_.__doc__ or "").strip().split("\n")[0],
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }
    return {"$ref": f"#/$defs/{name}"}


def _bind(hint: Any, bound: Mapping[Any, Any]) -> Any:
    """``hint`` with the type variables of ``bound`` replaced (``tuple[T, ...]``)."""
    if isinstance(hint, typing.TypeVar):
        return bound.get(hint, hint)
    args = typing.get_args(hint)
    if not args or not any(isinstance(a, typing.TypeVar) for a in args):
        return hint
    return hint[tuple(bound.get(a, a) for a in args if isinstance(a, typing.TypeVar))]


def _sequence(type_: Any, defs: dict[str, Any], names: dict[str, type]) -> dict[str, Any]:
    args = typing.get_args(type_)
    if not args:
        return {"type": "array"}
    if len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _schema_for(args[0], defs, names)}
    if typing.get_origin(type_) is tuple:
        return {
            "type": "array",
            "prefixItems": [_schema_for(a, defs, names) for a in args],
            "items": False,
            "minItems": len(args),
        }
    return {"type": "array", "items": _schema_for(args[0], defs, names)}


def _schema_for(type_: Any, defs: dict[str, Any], names: dict[str, type]) -> dict[str, Any]:  # noqa: PLR0911, PLR0912 - one branch per kind of type
    if type_ is Any:
        return {}
    supertype = getattr(type_, "__supertype__", None)  # a typing.NewType such as Phone
    if supertype is not None:
        return _schema_for(supertype, defs, names)
    origin = typing.get_origin(type_)
    args = typing.get_args(type_)
    if isinstance(type_, typing.TypeVar):  # a generic class's item, unbound: anything
        return {}
    if attrs.has(origin):
        return _object(origin, defs, names, args)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_schema_for(a, defs, names) for a in args]}
    if origin in (tuple, list, Sequence):
        return _sequence(type_, defs, names)
    if origin in (frozenset, set):
        return {"type": "array", "items": _schema_for(args[0], defs, names), "uniqueItems": True}
    if origin in (dict, Mapping) or type_ in (dict, Mapping):
        values = _schema_for(args[1], defs, names) if args else {}
        return {"type": "object", "additionalProperties": values}
    if isinstance(type_, type):
        if type_ in _SIMPLE:
            return _SIMPLE[type_]
        named = _named(type_)
        if named is not None:
            return named
        if attrs.has(type_):
            return _object(type_, defs, names)
        if issubclass(type_, tuple) and hasattr(type_, "_fields"):  # a named tuple
            hints = typing.get_type_hints(type_)
            return {
                "type": "object",
                "properties": {f: _schema_for(hints[f], defs, names) for f in type_._fields},
                "required": list(type_._fields),
                "additionalProperties": False,
            }
    raise UnsupportedTypeError(f"no JSON Schema for the JSON of {type_!r}")


def result_schema(cls: Any) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what `to_jsonable` writes for a ``cls`` value.

    Args:
        cls: a result or value class (`SlaStatus`, `CreditApproval`, `DueVisit` ...),
            or a type such as ``tuple[DueVisit, ...]`` for a rule answering a tuple.

    Returns:
        The schema as plain data, its definitions under ``$defs``.

    Raises:
        UnsupportedTypeError: a field of ``cls`` has a type `to_jsonable` cannot write.
    """
    defs: dict[str, Any] = {}
    root = _schema_for(cls, defs, {})
    name = getattr(cls, "__name__", None) or str(cls)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://keyaccount.invalid/schema/result/{name}.json",
        "title": f"keyaccount {name} (JSON of a result)",
        **root,
        "$defs": defs,
    }
