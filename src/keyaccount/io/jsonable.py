"""Results as JSON: `to_jsonable` turns any keyaccount value into plain JSON data.

A system not written in Python reads the library's answers as JSON. `to_jsonable`
writes every value by one convention, and `to_json` gives the text:

* an attrs value (a result, a record, a policy) is an object of its public fields: a
  field whose name starts with ``_`` is never written, nor one the class hides from its
  repr (the chart an `ApprovalRoute` was found in); a value with an argument-less
  ``explain()`` also carries ``"explanation"``, its text; a complaint event starts with
  its ``"type"`` (``"received"``, ``"followed-up"``), as complaint files write it;
* an instant is an RFC 3339 string with its own offset, never converted to UTC
  (``2026-10-08T09:00:00+08:00``); a date is ``YYYY-MM-DD``, a time of day ``HH:MM:SS``;
* a duration (``timedelta``, pendulum's ``Duration`` and ``Interval``) is an ISO 8601
  duration (``PT30M``, ``P3DT4H``, ``-PT2H`` when negative, ``PT0S`` when zero);
* `Money` is ``{"amount": "20000.00", "currency": "CNY"}``; any other ``Decimal`` or
  ``Fraction`` is a string (``"0.25"``, ``"1/3"``): no figure goes through a float;
  `Rates` writes its table with ``"SOURCE/TARGET"`` keys (``{"USD/CNY": "7.1"}``);
* a period (`Days`, `Workdays`, `Hours`, `WorkingHours`) is the text files hold
  (``"3 workdays"``);
* an enum is its wire value (``"not-reached"``), never its Chinese label;
* a tuple, list or set is an array (a set sorted, so the text is stable), a named
  tuple an object of its fields, a mapping an object with string keys;
* ``None``, booleans, ints, strings and finite floats are themselves.

A value of any other type raises `UnsupportedTypeError`, naming the type and where it
sits inside the value (``@ $.targets[2].time_left``); so do a value that holds itself (a
cycle), nesting deeper than `MAX_DEPTH`, a ``Decimal`` that is not a number (``NaN``,
``Infinity``), an int too long to write as JSON text, and two mapping keys that write
the same text (``1`` and ``"1"``).

Examples:
    >>> from keyaccount import Money
    >>> to_jsonable({"limit": Money("20000.00"), "days": (1, 2)})
    {'limit': {'amount': '20000.00', 'currency': 'CNY'}, 'days': [1, 2]}
    >>> import datetime as dt
    >>> to_jsonable(dt.timedelta(days=3, hours=4, minutes=30))
    'P3DT4H30M'
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import json
import math
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs
import pendulum

from keyaccount.calendar import Days, Hours, Workdays, WorkingHours
from keyaccount.errors import DataProblem, UnsupportedTypeError
from keyaccount.io.complaints import EVENT_TYPES
from keyaccount.money import Money, Rates

__all__ = [
    "MAX_DEPTH",
    "explains",
    "iso_duration",
    "json_fields",
    "json_properties",
    "to_json",
    "to_jsonable",
]

#: The periods files write as text (``"3 workdays"``).
_PERIODS: Final = (Days, Workdays, Hours, WorkingHours)
#: A complaint event starts with its ``"type"``, as in complaint files (``"received"``).
_EVENT_TAGS: Final = {cls: tag for tag, cls in EVENT_TYPES.items()}
_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: pendulum counts a year as 365 days and a month as 30 inside a Duration's timedelta.
_DAYS_PER_YEAR: Final = 365
_DAYS_PER_MONTH: Final = 30
#: How deep containers may nest inside one value; a deeper one is refused (far deeper
#: than any result, and well inside Python's recursion limit).
MAX_DEPTH: Final = 100
#: The ids of the containers on the path being written, to find a cycle.
_OPEN: ContextVar[dict[int, None] | None] = ContextVar("_OPEN", default=None)


def json_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The fields of an attrs class that its JSON holds, in declaration order.

    A field is written unless its name starts with ``_`` (private) or the class hides
    it from its repr (``attrs.field(repr=False)``: a memo, or the chart a route was
    found in).

    Args:
        cls: an attrs class.

    Returns:
        The attrs fields written, in the class's order.
    """
    return tuple(f for f in attrs.fields(cls) if not f.name.startswith("_") and f.repr is not False)


def json_properties(cls: type) -> tuple[str, ...]:
    """The derived facts (properties) an attrs class's JSON holds besides its fields.

    A result keeps what can be derived from its fields as properties, so that it can
    never be built inconsistent (`docs/conventions.md`); the ones a reader of the JSON
    needs (a compliance row's ``status``, a check's ``approver``) are named by the class
    in ``__json_properties__``, and written after the fields.

    Args:
        cls: an attrs class.

    Returns:
        The property names, in the class's order (empty when it names none).
    """
    names: tuple[str, ...] = getattr(cls, "__json_properties__", ())
    return names


def explains(cls: type) -> bool:
    """Whether ``cls`` has an ``explain()`` callable without arguments.

    Args:
        cls: any class.

    Returns:
        ``True`` when its JSON carries an ``"explanation"``.
    """
    method = getattr(cls, "explain", None)
    if not callable(method):
        return False
    try:
        parameters = list(inspect.signature(method).parameters.values())[1:]  # after self
    except (TypeError, ValueError):  # a builtin without a signature
        return False
    return all(
        p.default is not inspect.Parameter.empty
        or p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        for p in parameters
    )


def iso_duration(value: dt.timedelta) -> str:
    """A duration as ISO 8601 text: ``PT30M``, ``P3DT4H``, ``PT0.5S``, ``-PT2H``.

    Days are whole days of 24 hours (a ``timedelta`` has no calendar); a pendulum
    ``Duration`` built with years or months writes them as ``Y`` and ``M`` (an
    ``Interval`` writes its exact length in days). A negative duration starts with
    ``-`` (the extension ISO 8601-2 and XML Schema use).

    Args:
        value: a ``timedelta``, a pendulum ``Duration`` or ``Interval``.

    Returns:
        The ISO 8601 duration.

    Examples:
        >>> iso_duration(dt.timedelta(minutes=30)), iso_duration(dt.timedelta(0))
        ('PT30M', 'PT0S')
        >>> iso_duration(-dt.timedelta(hours=2)), iso_duration(dt.timedelta(days=2))
        ('-PT2H', 'P2D')
    """
    years = months = 0
    exact = dt.timedelta(value.days, value.seconds, value.microseconds)
    if isinstance(value, pendulum.Duration) and not isinstance(value, pendulum.Interval):
        years, months = value.years, value.months
        exact -= dt.timedelta(days=years * _DAYS_PER_YEAR + months * _DAYS_PER_MONTH)
    signs = {(n > 0) - (n < 0) for n in (years, months, exact // dt.timedelta.resolution)} - {0}
    if len(signs) > 1:  # "P1Y-400D" is not ISO 8601: write the exact length instead
        years = months = 0
        exact = dt.timedelta(value.days, value.seconds, value.microseconds)
    sign = ""
    if exact < dt.timedelta(0) and years <= 0 and months <= 0:
        sign, exact, years, months = "-", -exact, -years, -months
    micros = (exact.days * 86_400 + exact.seconds) * 1_000_000 + exact.microseconds
    days, micros = divmod(micros, 86_400_000_000)
    hours, micros = divmod(micros, 3_600_000_000)
    minutes, micros = divmod(micros, 60_000_000)
    seconds, micros = divmod(micros, 1_000_000)
    date_part = "".join(f"{n}{unit}" for n, unit in ((years, "Y"), (months, "M"), (days, "D")) if n)
    time_part = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n)
    if micros:
        time_part += f"{seconds}.{micros:06d}".rstrip("0") + "S"
    elif seconds:
        time_part += f"{seconds}S"
    if not date_part and not time_part:
        return "PT0S"
    return f"{sign}P{date_part}" + (f"T{time_part}" if time_part else "")


def _instant(value: dt.datetime, path: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise UnsupportedTypeError(
            f"cannot write a naive datetime as JSON: an instant needs its offset @ {path}"
        )
    offset = value.utcoffset() or dt.timedelta(0)
    # RFC 3339 offsets are whole minutes; a zone's local mean time (+08:05:43) is not.
    if offset.seconds % 60 or offset.microseconds:
        raise UnsupportedTypeError(
            f"cannot write an instant whose UTC offset {offset} is not whole minutes as "
            f"RFC 3339 @ {path}"
        )
    plain = dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=dt.timezone(offset),
    )
    return plain.isoformat()


def _key(key: object, path: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, enum.Enum):
        return _key(key.value, path)
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (int, dt.date, Decimal)):
        written = to_jsonable(key)
        return written if isinstance(written, str) else str(written)
    raise UnsupportedTypeError(
        f"cannot write a mapping key of type {type(key).__name__} as JSON @ {path}"
    )


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if _IDENTIFIER.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _attrs_value(value: Any, path: str) -> dict[str, Any]:
    tag = _EVENT_TAGS.get(type(value))
    out: dict[str, Any] = {} if tag is None else {"type": tag}
    out |= {
        f.name: _walk(getattr(value, f.name), _child(path, f.name))
        for f in json_fields(type(value))
    }
    out |= {
        name: _walk(getattr(value, name), _child(path, name))
        for name in json_properties(type(value))
    }
    if explains(type(value)) and "explanation" not in out:
        out["explanation"] = value.explain()
    return out


def _float(value: float, path: str) -> float:
    if not math.isfinite(value):
        raise UnsupportedTypeError(f"cannot write the float {value} as JSON @ {path}")
    return value


def _time(value: dt.time, path: str) -> str:
    if value.tzinfo is not None:
        raise UnsupportedTypeError(f"cannot write a time of day with a zone as JSON @ {path}")
    return value.isoformat()


def _sequence(value: tuple[Any, ...] | list[Any], path: str) -> Any:
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        names: tuple[str, ...] = value._fields
        return {
            name: _walk(item, _child(path, name)) for name, item in zip(names, value, strict=True)
        }
    return [_walk(item, f"{path}[{i}]") for i, item in enumerate(value)]


def _set(value: set[Any] | frozenset[Any], path: str) -> list[Any]:
    return sorted((_walk(item, f"{path}[{i}]") for i, item in enumerate(value)), key=_sort_key)


def _mapping(value: Mapping[Any, Any], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        text = _key(key, path)
        if text in out:
            raise UnsupportedTypeError(
                f"cannot write a mapping whose keys write the key {text!r} twice @ {path}"
            )
        out[text] = _walk(item, _child(path, text))
    return out


def _rates(value: Rates, _path: str) -> dict[str, Any]:
    table = {f"{source}/{target}": str(rate) for (source, target), rate in value.table.items()}
    return {"table": table, "derive_inverse": value.derive_inverse}


def _as_is(value: Any, _path: str) -> Any:
    return value


def _int(value: int, path: str) -> int:
    try:
        str(value)  # json.dumps writes an int as text, within Python's digit limit
    except ValueError:
        digits = int(value.bit_length() * math.log10(2)) + 1
        raise UnsupportedTypeError(
            f"cannot write an int of {digits} digits as JSON text @ {path}"
        ) from None
    return int(value)


def _number_text(value: Decimal | Fraction, path: str) -> str:
    if isinstance(value, Decimal) and not value.is_finite():
        raise UnsupportedTypeError(f"cannot write the Decimal {value} as JSON @ {path}")
    return str(value)


def _text(value: Any, _path: str) -> str:
    return str(value)


#: How each kind of value is written, first match wins (bool before int, datetime
#: before date, Money and the periods before any attrs class).
_WRITERS: Final[tuple[tuple[type | tuple[type, ...], Callable[[Any, str], Any]], ...]] = (
    ((type(None), bool, str), _as_is),
    (enum.Enum, lambda v, path: _walk(v.value, path)),
    (int, _int),
    (float, _float),
    ((Decimal, Fraction), _number_text),
    (dt.datetime, _instant),
    (dt.date, lambda v, _path: v.isoformat()),
    (dt.time, _time),
    (dt.timedelta, lambda v, _path: iso_duration(v)),
    (Money, lambda v, _path: {"amount": str(v.amount), "currency": v.currency}),
    (Rates, _rates),
    (_PERIODS, _text),
    (DataProblem, lambda v, _path: {"path": v.path, "message": v.message}),
    ((tuple, list), _sequence),
    ((set, frozenset), _set),
    (Mapping, _mapping),
)


#: The values that hold others: each is marked open while it is written (`_walk`).
_CONTAINERS: Final = (tuple, list, set, frozenset, Mapping)
#: Values that hold no others, told apart quickly (most values are these).
_SCALARS: Final = (str, int, float, type(None), Decimal, dt.date, dt.time, dt.timedelta, enum.Enum)
#: Attrs values written as text or a fixed shape, never holding a caller's values.
_LEAVES: Final = (Money, Rates, DataProblem, *_PERIODS)


def _walk(value: Any, path: str) -> Any:
    """``value`` written; a container is marked open meanwhile, to refuse a cycle or depth."""
    if isinstance(value, _SCALARS) or not (
        isinstance(value, _CONTAINERS)
        or (attrs.has(type(value)) and not isinstance(value, _LEAVES))
    ):
        return _write(value, path)
    open_ = _OPEN.get()
    if open_ is None:  # a value written outside to_jsonable's own walk
        open_ = {}
        _OPEN.set(open_)
    key = id(value)
    if key in open_:
        raise UnsupportedTypeError(
            f"cannot write a value that holds itself (a cycle) as JSON @ {path}"
        )
    if len(open_) >= MAX_DEPTH:
        raise UnsupportedTypeError(
            f"cannot write a value nested more than {MAX_DEPTH} levels deep as JSON @ {path}"
        )
    open_[key] = None
    try:
        return _write(value, path)
    finally:
        del open_[key]


def _write(value: Any, path: str) -> Any:
    for types, write in _WRITERS:
        if isinstance(value, types):
            return write(value, path)
    if attrs.has(type(value)):
        return _attrs_value(value, path)
    raise UnsupportedTypeError(
        f"cannot write a value of type {type(value).__name__} as JSON @ {path}"
    )


def to_jsonable(value: object) -> Any:
    """``value`` as plain JSON data (dicts, lists, strings, numbers, booleans, ``None``).

    The convention is the module's: public fields plus ``"explanation"``, instants in
    their own offset, ISO 8601 durations, money and decimals as exact strings, enums as
    their wire values.

    Args:
        value: any keyaccount value or result, or plain data holding them.

    Returns:
        Data `json.dumps` writes as is.

    Raises:
        UnsupportedTypeError: a value inside is of a type the convention does not
            cover (the message names the type and its path), a naive datetime, or a
            float or Decimal that is not finite, a cycle or nesting deeper than
            `MAX_DEPTH`, an int too long for JSON text, or two keys of one mapping
            that write the same text.
    """
    token = _OPEN.set({})  # each call walks its own value (explain() may call it again)
    try:
        return _walk(value, "$")
    finally:
        _OPEN.reset(token)


def to_json(value: object, *, indent: int | None = 2) -> str:
    """``value`` as JSON text, by the convention of `to_jsonable`.

    Non-ASCII text (the seed's Chinese titles) is written as is, not escaped.

    Args:
        value: any keyaccount value or result.
        indent: spaces per level; ``None`` writes one line.

    Returns:
        The JSON document.

    Raises:
        UnsupportedTypeError: see `to_jsonable`.
    """
    return json.dumps(to_jsonable(value), indent=indent, ensure_ascii=False)
