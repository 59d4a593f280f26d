"""The strict cattrs converter: how plain data (parsed JSON or TOML) becomes keyaccount's values.

The converter refuses rather than guesses: a float where money is meant, a number where
text is meant, a string where a list is meant, an unknown field or an unknown enum
value is an error. `problems_of` turns whatever the converter raised into one
`DataProblem` per bad field, each with its path (`$.positions[2].authorities[0].limit`).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.cols import homogenous_tuple_structure_factory, is_frozenset
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception

from keyaccount.calendar import Days, Hours, Period, Workdays, WorkingHours, parse_period
from keyaccount.customers import Phone, normalise_phone
from keyaccount.errors import DataFileError, DataProblem, InvalidDataError, KeyAccountError
from keyaccount.io.documents import Format, loads, read_document
from keyaccount.money import Money

__all__ = [
    "configure_converter",
    "make_converter",
    "problems_of",
    "structure",
    "unstructure",
]

T = TypeVar("T")

#: What a structure hook or a value's own validation raises for bad data.
_DATA_ERRORS = (cattrs.BaseValidationError, ValueError, TypeError, KeyAccountError)


# A hook refuses a value by raising InvalidDataError (a ValueError, as cattrs expects): cattrs
# wraps it with the field's path, and its message becomes the problem's words.


def _fail(expected: str, value: object) -> typing.NoReturn:
    raise InvalidDataError(f"expected {expected}, got {type(value).__name__} {value!r}")


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
        raise InvalidDataError(
            f'expected a decimal string such as "20000", got float {value!r}; '
            f"floats cannot hold money or percentages exactly"
        )
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        _fail('a decimal string such as "20000"', value)
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise InvalidDataError(f"expected a decimal number, got {value!r}") from None
    if not result.is_finite():
        raise InvalidDataError(f"expected a finite decimal number, got {value!r}")
    return result


@functools.cache
def _fixed_zone(offset: dt.timedelta) -> dt.tzinfo:
    """pendulum's zone for a UTC offset, built once per offset (it dominates load time)."""
    zone = pendulum.instance(dt.datetime(2000, 1, 1, tzinfo=dt.timezone(offset))).tzinfo
    assert zone is not None  # an aware datetime keeps a zone
    return zone


def _structure_datetime(value: object, _type: object) -> pendulum.DateTime:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidDataError(f"expected an ISO 8601 date-time, got {value!r}") from None
    elif isinstance(value, dt.datetime):
        parsed = value
    else:
        _fail("an ISO 8601 date-time with a UTC offset", value)
    offset = parsed.utcoffset()
    if offset is None:
        raise InvalidDataError(f"date-time {value!r} has no UTC offset; write e.g. +08:00")
    if isinstance(value, str):  # a fixed offset, as files write them: the cheap way
        return pendulum.DateTime(
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
            parsed.second,
            parsed.microsecond,
            tzinfo=_fixed_zone(offset),
        )
    return pendulum.instance(parsed)


def _structure_date(value: object, _type: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        _fail("a date (YYYY-MM-DD)", value)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidDataError(f"expected a date (YYYY-MM-DD), got {value!r}") from None


def _structure_period(value: object, _type: object) -> Period:
    if not isinstance(value, str):
        _fail("a period such as '3 workdays'", value)
    return parse_period(value)  # its InvalidPeriodError says what is wrong


def _structure_phone(value: object, _type: object) -> Phone:
    """Normalise while structuring, so that a bad number is reported at its own path."""
    return normalise_phone(_structure_str(value, str))


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
    as_tuple: Any = types.GenericAlias(tuple, (item, Ellipsis))  # tuple[item, ...]
    inner = homogenous_tuple_structure_factory(as_tuple, converter)

    def structure_set(value: object, _target: object) -> object:
        if not isinstance(value, (list, tuple, set, frozenset)):
            _fail("a list", value)
        items = inner(list(value), as_tuple)
        result = frozenset(items)
        if len(result) != len(items):
            raise InvalidDataError(f"the list {value!r} repeats an item")
        return result

    return structure_set


def _object_factory(type_: Any, converter: cattrs.Converter) -> Callable[[object, object], object]:
    """cattrs' own hook for an attrs class, refusing anything but a mapping first."""
    inner = make_dict_structure_fn(type_, converter)
    name = type_.__name__

    def structure_object(value: object, target: object) -> object:
        if not isinstance(value, Mapping):
            _fail(f"an object (a table of fields) for {name}", value)
        return inner(value, target)

    return structure_object


def _sort_key(item: object) -> str:
    return str(item.value) if isinstance(item, enum.Enum) else str(item)


def configure_converter(converter: cattrs.Converter) -> cattrs.Converter:
    """Register keyaccount's strict hooks on `converter` and return it.

    Mirrors `cattrs.preconf.*.configure_converter`: use it to add keyaccount's types
    to a converter of your own.

    Args:
        converter: any cattrs converter.

    Returns:
        The same converter.
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
    converter.register_structure_hook(Phone, _structure_phone)
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


def _new_converter(*, detailed: bool) -> cattrs.Converter:
    return configure_converter(
        cattrs.Converter(omit_if_default=True, forbid_extra_keys=True, detailed_validation=detailed)
    )


def make_converter() -> cattrs.Converter:
    """A new strict converter for keyaccount's types (unknown fields are errors).

    Returns:
        A converter that reports every problem of a value with its path.
    """
    return _new_converter(detailed=True)


# The library's own converters, private so that no importer can register a hook on them
# and change how every other system loads files; build your own with make_converter().
# _QUICK has the very same hooks without cattrs' bookkeeping of paths: record files are
# built with it in one pass, and walked again with _CONVERTER only when that pass fails.
_CONVERTER = make_converter()
_QUICK = _new_converter(detailed=False)


def _format_problem(error: BaseException, type_: type | None) -> str:
    """The words for one failure: our hooks' and errors' own message, else cattrs' default.

    cattrs' default turns every `ValueError` into "invalid value for type, expected X",
    which would hide why a value was refused (a float where money is meant, an unknown
    enum value ...); those messages already name the problem, so they are kept.
    """
    if isinstance(error, (ValueError, KeyAccountError)) and str(error):
        return str(error)
    return format_exception(error, type_)


def problems_of(error: BaseException, root: str = "$") -> tuple[DataProblem, ...]:
    """Every failure inside a cattrs error as a `DataProblem` with its path.

    Args:
        error: what the converter raised (a `BaseValidationError` or a plain error).
        root: the path of the structured value (`$`, `$[3]` ...).

    Returns:
        One problem per failure, in the order cattrs reports them.
    """
    problems = []
    for line in cattrs.transform_error(error, path=root, format_exception=_format_problem):
        message, _, path = line.rpartition(" @ ")
        problems.append(DataProblem(path or root, message or line))
    return tuple(problems)


def structure(
    data: object,
    cls: type[T],
    *,
    source: str = "document",
    converter: cattrs.Converter | None = None,
) -> T:
    """Build a `cls` from plain data (parsed JSON or TOML).

    Args:
        data: the plain data.
        cls: the class to build.
        source: the document's name, for messages.
        converter: a converter of your own (default: the library's strict one).

    Returns:
        The value.

    Raises:
        DataFileError: listing every problem with its path.
    """
    try:
        return (converter or _CONVERTER).structure(data, cls)
    except _DATA_ERRORS as error:
        raise DataFileError(source, problems_of(error)) from error


def unstructure(value: object, *, converter: cattrs.Converter | None = None) -> Any:
    """Plain data (dicts, lists, strings, numbers) for `value`, as files hold it."""
    return (converter or _CONVERTER).unstructure(value)


def _loads_value(text: str, fmt: Format, cls: type[T], source: str) -> T:
    """A `cls` from JSON or TOML text (a policy, a chart ...); `DataFileError` otherwise."""
    return structure(loads(text, fmt, source=source), cls, source=source)


def _load_value(path: str | Path, fmt: Format | None, cls: type[T]) -> T:
    """A `cls` from a `.json` or `.toml` file; `DataFileError` otherwise."""
    data, source = read_document(path, fmt)
    return structure(data, cls, source=source)
