"""The JSON Schema of keyaccount's files, for systems in other languages.

The schema follows the converter: decimals are strings (or integers), instants RFC 3339
text with their zone name (RFC 9557), dates ISO 8601 text, periods text such as
`"3 workdays"`, and no unknown field is allowed.

The JSON the library *writes* for results (`to_json`) has its own schema, by the rules
of `to_jsonable`: `keyaccount.io.result_schema.result_schema`.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from keyaccount.calendar import Recurrence
from keyaccount.errors import UnsupportedTypeError
from keyaccount.finance import PaymentTerms
from keyaccount.io.club import CARD_EVENT_TYPES, OPERATION_TYPES
from keyaccount.io.complaints import EVENT_TYPES
from keyaccount.io.converter import _is_union_of_periods
from keyaccount.money import Money, Rates
from keyaccount.org import OrgChart

__all__ = ["json_schema"]

#: An instant as files hold it: RFC 3339 (`2026-03-02T09:00:00+08:00`, offset seconds where
#: a zone had them), optionally with RFC 9557's zone and elective or critical annotations.
_INSTANT_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)"
    r"(\[!?([A-Za-z._][A-Za-z0-9._+-]*(/[A-Za-z._][A-Za-z0-9._+-]*)*|[+-]\d{2}:\d{2})\])?"
    r"(\[!?[a-z_][a-z0-9_-]*=[A-Za-z0-9]+(-[A-Za-z0-9]+)*\])*$"
)


#: The `type` tag of each tagged record class: complaint events, club card events and
#: club ledger operations.
_EVENT_TAGS = {
    cls: tag
    for types_ in (EVENT_TYPES, CARD_EVENT_TYPES, OPERATION_TYPES)
    for tag, cls in types_.items()
}


def _schema_for(type_: Any, defs: dict[str, Any]) -> dict[str, Any]:  # noqa: PLR0911, PLR0912 - one branch per kind of type
    origin = typing.get_origin(type_)
    args = typing.get_args(type_)
    supertype = getattr(type_, "__supertype__", None)  # a typing.NewType such as Phone
    if supertype is not None:
        return {**_schema_for(supertype, defs), "description": f"{type_.__name__} (text)"}
    if type_ is str:
        return {"type": "string"}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is Decimal:
        return {
            "type": ["string", "integer"],
            "pattern": r"^-?\d+(\.\d+)?$",
            "description": "an exact decimal number, written as a string; floats are refused",
        }
    if type_ is pendulum.DateTime:
        return {
            "type": "string",
            "pattern": _INSTANT_PATTERN,
            "description": (
                "an instant: RFC 3339 with a UTC offset, followed by the IANA zone name "
                "(RFC 9557) where it has one, e.g. 2024-11-03T01:00:00-04:00[America/New_York]"
            ),
        }
    if type_ is dt.date:
        return {"type": "string", "format": "date"}
    if _is_union_of_periods(type_):
        return {
            "type": "string",
            "pattern": (
                r"^\s*\d+\s+(days?|workdays?|hours?|working hours?)(\s+\d+\s+minutes?)?\s*$"
            ),
        }
    if type_ is Recurrence:
        return {
            "type": "string",
            "pattern": r"^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z-]+=[^;]+)*$",
            "description": "an RFC 5545 RRULE subset, e.g. FREQ=MONTHLY;BYMONTHDAY=3;X-DUE-BY=TRUE",
        }
    if type_ is PaymentTerms:
        return {
            "type": "string",
            "description": "payment terms: '30 days', 'net 30', '月结60天' (month-end settlement)",
        }
    if type_ is Rates:
        return {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Z]{3}/[A-Z]{3}$"},
            "additionalProperties": _schema_for(Decimal, defs),
            "description": 'exchange rates by "SOURCE/TARGET", e.g. {"USD/CNY": "7.10"}',
        }
    if type_ is Money:
        return {
            "type": "object",
            "properties": {
                "amount": _schema_for(Decimal, defs),
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "default": "CNY"},
            },
            "required": ["amount"],
            "additionalProperties": False,
        }
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return {"enum": [member.value for member in type_]}
    if origin in (types.UnionType, typing.Union):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _schema_for(options[0], defs)
        return {"anyOf": [_schema_for(a, defs) for a in options]}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return {"type": "array", "items": _schema_for(args[0], defs)}
    if origin is frozenset:
        return {"type": "array", "items": _schema_for(args[0], defs), "uniqueItems": True}
    if origin in (dict, Mapping) or type_ is dict:
        return {
            "type": "object",
            "additionalProperties": _schema_for(args[1], defs) if args else {},
        }
    if attrs.has(type_):
        name = type_.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            hints = typing.get_type_hints(type_)
            properties: dict[str, Any] = {}
            required: list[str] = []
            tag = _EVENT_TAGS.get(type_)
            if tag is not None:  # a tagged record names its type, as files write it
                properties["type"] = {"const": tag}
                required.append("type")
            for field in attrs.fields(type_):
                if not field.init:
                    continue
                key = field.alias or field.name
                properties[key] = _schema_for(hints[field.name], defs)
                if field.default is attrs.NOTHING:
                    required.append(key)
            defs[name] = {
                "type": "object",
                "title": name,
                "description": (type_.__doc__ or "").strip().split("\n")[0],
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    raise UnsupportedTypeError(f"no JSON Schema for {type_!r}")


def json_schema(cls: type[Any] = OrgChart) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the files that load as `cls` (default: org charts).

    Systems in other languages can validate files with it before handing them over.
    TOML files have the same structure.

    Args:
        cls: the class a file loads as (`OrgChart`, `Customer`, `VisitPolicy` ...).

    Returns:
        The schema as plain data, its definitions under `$defs`.

    Raises:
        UnsupportedTypeError: a field of `cls` has a type files cannot hold.
    """
    defs: dict[str, Any] = {}
    root = _schema_for(cls, defs)
    name = root["$ref"].rsplit("/", 1)[-1] if "$ref" in root else cls.__name__
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://keyaccount.invalid/schema/{name}.json",
        "title": f"keyaccount {name} file",
        **root,
        "$defs": defs,
    }
