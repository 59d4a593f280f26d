"""The strict converter and the document plumbing every file format of keyaccount shares.

See :mod:`keyaccount.io` for what the converter refuses and how problems are reported.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import attrs
import cattrs
import pendulum
import tomli_w
from cattrs.cols import homogenous_tuple_structure_factory, is_frozenset
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception

from keyaccount.calendar import Days, Hours, Period, Workdays, WorkingHours, parse_period
from keyaccount.errors import DataFileError, DataProblem, KeyAccountError
from keyaccount.money import Money
from keyaccount.org import OrgChart

__all__ = [
    "Format",
    "LoadResult",
    "configure_converter",
    "dumps",
    "json_schema",
    "loads",
    "make_converter",
    "problems_of",
    "read_document",
    "structure",
    "structure_each",
    "unstructure",
]

T = TypeVar("T")
Format = Literal["json", "toml"]


# --------------------------------------------------------------------------- converter


def _fail(expected: str, value: object) -> typing.NoReturn:
    raise ValueError(f"expected {expected}, got {type(value).__name__} {value!r}")


def _structure_str(value: object, _type: object) -> str:
    if not isinstance(value, str):
        _fail("text", value)
    return value


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail("an integer", value)
    return value


def _structure_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        _fail("true or false", value)
    return value


def _structure_decimal(value: object, _type: object) -> Decimal:
    if isinstance(value, float):
        raise ValueError(
            f'expected a decimal string such as "20000", got float {value!r}; '
            f"floats cannot hold money or percentages exactly"
        )
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        _fail('a decimal string such as "20000"', value)
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"expected a decimal number, got {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"expected a finite decimal number, got {value!r}")
    return result


def _structure_datetime(value: object, _type: object) -> pendulum.DateTime:
    if isinstance(value, dt.datetime):
        parsed: dt.datetime = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected an ISO 8601 date-time, got {value!r}") from None
    else:
        _fail("an ISO 8601 date-time with a UTC offset", value)
    if parsed.tzinfo is None:
        raise ValueError(f"date-time {value!r} has no UTC offset; write e.g. +08:00")
    return pendulum.instance(parsed)


def _structure_date(value: object, _type: object) -> dt.date:
    if isinstance(value, dt.datetime):
        _fail("a date (YYYY-MM-DD)", value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date (YYYY-MM-DD), got {value!r}") from None
    _fail("a date (YYYY-MM-DD)", value)


def _structure_period(value: object, _type: object) -> Period:
    if not isinstance(value, str):
        _fail("a period such as '3 workdays'", value)
    try:
        return parse_period(value)
    except KeyAccountError as error:
        raise ValueError(str(error)) from None


def _is_union_of_periods(type_: object) -> bool:
    return isinstance(type_, types.UnionType) and set(typing.get_args(type_)) == {
        Days,
        Workdays,
        Hours,
        WorkingHours,
    }


def _is_tuple_seq(type_: object) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_factory(type_: Any, converter: cattrs.Converter) -> Callable[[object, object], object]:
    inner = homogenous_tuple_structure_factory(type_, converter)

    def structure_tuple(value: object, target: object) -> object:
        if not isinstance(value, (list, tuple)):
            _fail("a list", value)
        return inner(value, target)

    return structure_tuple


def _frozenset_factory(
    type_: Any, converter: cattrs.Converter
) -> Callable[[object, object], object]:
    (item,) = typing.get_args(type_)
    as_tuple: Any = tuple[item, ...]  # type: ignore[valid-type]  # a runtime-built alias
    inner = homogenous_tuple_structure_factory(as_tuple, converter)

    def structure_set(value: object, _target: object) -> object:
        if not isinstance(value, (list, tuple, set, frozenset)):
            _fail("a list", value)
        items = inner(list(value), as_tuple)
        result = frozenset(items)
        if len(result) != len(items):
            raise ValueError(f"the list {value!r} repeats an item")
        return result

    return structure_set


def _object_factory(type_: Any, converter: cattrs.Converter) -> Callable[[object, object], object]:
    """cattrs' own hook for an attrs class, refusing anything but a mapping first."""
    inner = make_dict_structure_fn(type_, converter)
    name = type_.__name__

    def structure_object(value: object, target: object) -> object:
        if not isinstance(value, Mapping):
            raise ValueError(  # cattrs reports ValueErrors with their path
                f"expected an object (a table of fields) for {name}, "
                f"got {type(value).__name__} {value!r}"
            )
        return inner(value, target)

    return structure_object


def _sort_key(item: object) -> str:
    return str(item.value) if isinstance(item, enum.Enum) else str(item)


def configure_converter(converter: cattrs.Converter) -> cattrs.Converter:
    """Register keyaccount's strict hooks on ``converter`` and return it.

    Mirrors ``cattrs.preconf.*.configure_converter``: use it to add keyaccount's types
    to a converter of your own.
    """
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(pendulum.DateTime, _structure_datetime)
    converter.register_unstructure_hook(pendulum.DateTime, lambda v: v.isoformat())
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, lambda v: v.isoformat())
    converter.register_structure_hook_func(_is_union_of_periods, _structure_period)
    for period_type in (Days, Workdays, Hours, WorkingHours):
        converter.register_unstructure_hook(period_type, str)
    converter.register_unstructure_hook(
        Money, lambda m: {"amount": str(m.amount), "currency": m.currency}
    )
    converter.register_structure_hook_factory(attrs.has, _object_factory)
    converter.register_structure_hook_factory(_is_tuple_seq, _tuple_factory)
    converter.register_structure_hook_factory(is_frozenset, _frozenset_factory)
    converter.register_unstructure_hook_func(
        is_frozenset,
        lambda value: [converter.unstructure(v) for v in sorted(value, key=_sort_key)],
    )
    return converter


def make_converter() -> cattrs.Converter:
    """A new strict converter for keyaccount's types (unknown fields are errors)."""
    return configure_converter(
        cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=True)
    )


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


# The library's own converter, private so that no importer can register a hook on it
# and change how every other system loads files; build your own with make_converter().
_CONVERTER = make_converter()


def _format_problem(error: BaseException, type_: type | None) -> str:
    """The words for one failure: our hooks' and errors' own message, else cattrs' default.

    cattrs' default turns every ``ValueError`` into "invalid value for type, expected X",
    which would hide why a value was refused (a float where money is meant, an unknown
    enum value ...); those messages already name the problem, so they are kept.
    """
    if isinstance(error, (ValueError, KeyAccountError)) and str(error):
        return str(error)
    return format_exception(error, type_)


def problems_of(error: BaseException, root: str = "$") -> list[DataProblem]:
    """Every failure inside a cattrs error as a :class:`DataProblem` with its path.

    Args:
        error: what the converter raised (a ``BaseValidationError`` or a plain error).
        root: the path of the structured value (``$``, ``$[3]`` ...).
    """
    problems = []
    for line in cattrs.transform_error(error, path=root, format_exception=_format_problem):
        message, _, path = line.rpartition(" @ ")
        problems.append(DataProblem(path or root, message or line))
    return problems


def structure(
    data: object,
    cls: type[T],
    *,
    source: str = "document",
    converter: cattrs.Converter | None = None,
) -> T:
    """Build a ``cls`` from plain data (parsed JSON or TOML).

    Raises:
        DataFileError: listing every problem with its path.
    """
    try:
        return (converter or _CONVERTER).structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyAccountError) as error:
        raise DataFileError(source, problems_of(error)) from error


def structure_each(
    items: object,
    cls: type[T],
    *,
    root: str = "$",
    converter: cattrs.Converter | None = None,
) -> tuple[list[T], list[DataProblem]]:
    """Build a ``cls`` from every item of a list, keeping the good ones.

    A malformed item is reported with its index (``$[3].phone``) and skipped; nothing of
    the valid items is lost. Returns the built items and the problems.
    """
    conv = converter or _CONVERTER
    if not isinstance(items, list):
        return [], [DataProblem(root, f"expected a list, got {type(items).__name__}")]
    built: list[T] = []
    problems: list[DataProblem] = []
    for index, item in enumerate(items):
        try:
            built.append(conv.structure(item, cls))
        except (cattrs.BaseValidationError, ValueError, TypeError, KeyAccountError) as error:
            problems.extend(problems_of(error, f"{root}[{index}]"))
    return built, problems


def unstructure(value: object, *, converter: cattrs.Converter | None = None) -> Any:
    """Plain data (dicts, lists, strings, numbers) for ``value``."""
    return (converter or _CONVERTER).unstructure(value)


def _format_of(path: Path, fmt: Format | None) -> Format:
    if fmt is not None:
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    raise DataFileError(str(path), [DataProblem("$", "unknown file type; use .toml or .json")])


def loads(text: str, fmt: Format, *, source: str = "document") -> Any:
    """Parse JSON or TOML text into plain data.

    Floats are kept as floats so that the converter can refuse them where money is meant.

    Raises:
        DataFileError: the text is not valid JSON/TOML.
    """
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        return json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(
            source, [DataProblem("$", f"not valid {fmt.upper()}: {error}")]
        ) from None


def dumps(data: Any, fmt: Format) -> str:
    """Write plain data as JSON (indented, UTF-8 text kept readable) or TOML."""
    if fmt == "toml":
        return tomli_w.dumps(data)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read_document(path: str | Path, fmt: Format | None = None) -> tuple[Any, str]:
    """Read and parse a file; returns the data and the source name for messages."""
    file = Path(path)
    fmt = _format_of(file, fmt)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(
            str(file), [DataProblem("$", f"cannot read: {error.strerror}")]
        ) from None
    return loads(text, fmt, source=str(file)), str(file)


# --------------------------------------------------------------------------- JSON Schema


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
        return {"type": "string", "format": "date-time"}
    if type_ is dt.date:
        return {"type": "string", "format": "date"}
    if _is_union_of_periods(type_):
        return {
            "type": "string",
            "pattern": (
                r"^\s*\d+\s+(days?|workdays?|hours?|working hours?)(\s+\d+\s+minutes?)?\s*$"
            ),
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
    raise TypeError(f"no JSON Schema for {type_!r}")


def json_schema(cls: type[Any] = OrgChart) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the files that load as ``cls`` (default: org charts).

    Systems in other languages can validate files with it before handing them over.
    TOML files have the same structure.
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
