"""The strict cattrs converter: how plain data (parsed JSON or TOML) becomes keyaccount's values.

The converter refuses rather than guesses: a float where money is meant, a number where
text is meant, a string where a list is meant, an unknown field or an unknown enum
value is an error. `problems_of` turns whatever the converter raised into one
`DataProblem` per bad field, each with its path (`$.positions[2].authorities[0].limit`).

A problem quotes at most a short excerpt of the value it refused (`quote`), and none at
all of a confidential one: no value of a customer record (a prospect's details are
confidential, and a bad record may hold them in any field), a visit's notes and a
complaint's summary. Their problems say what is wrong, not what was written.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.cols import homogenous_tuple_structure_factory, is_frozenset
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception

from keyaccount.calendar import (
    Days,
    Hours,
    Period,
    Recurrence,
    Workdays,
    WorkingHours,
    parse_period,
)
from keyaccount.complaints import Received
from keyaccount.customers import Customer, Phone, normalise_phone
from keyaccount.errors import DataFileError, DataProblem, InvalidDataError, KeyAccountError
from keyaccount.finance import PaymentTerms
from keyaccount.io._quoting import quote
from keyaccount.io.documents import Format, _parse, _read, _whole
from keyaccount.io.instants import _structure_instant, format_instant
from keyaccount.money import Money, to_decimal
from keyaccount.visits import VisitRecord

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


_UNQUOTED: Final = object()


class _RefusedValueError(InvalidDataError):
    """A hook's refusal, in two wordings: with a short quote of the value, and without.

    The value itself is not kept: only `quote`'s excerpt, in the message.

    Attributes:
        withheld: the words without the value, for a confidential field.
    """

    def __init__(self, problem: str, value: object = _UNQUOTED, then: str = "") -> None:
        if value is _UNQUOTED:
            self.withheld = f"{problem}{then}"
            super().__init__(f"{problem}{then}")
        else:
            self.withheld = f"{problem} (the value is confidential and not shown){then}"
            super().__init__(f"{problem}: {quote(value)}{then}")


def _fail(expected: str, value: object) -> typing.NoReturn:
    raise _RefusedValueError(f"expected {expected}, got {type(value).__name__}", value)


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
        raise _RefusedValueError(
            'expected a decimal string such as "20000", got float; '
            "floats cannot hold money or percentages exactly",
            value,
        )
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        _fail('a decimal string such as "20000"', value)
    try:  # the one rule for decimal text: plain ASCII, finite (`money.to_decimal`)
        return to_decimal(value)
    except (KeyAccountError, ValueError):  # ValueError: an int of too many digits
        raise _RefusedValueError("expected a finite decimal number", value) from None


def _structure_date(value: object, _type: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        _fail("a date (YYYY-MM-DD)", value)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _RefusedValueError("expected a date (YYYY-MM-DD)", value) from None


def _structure_period(value: object, _type: object) -> Period:
    if not isinstance(value, str):
        _fail("a period such as '3 workdays'", value)
    return parse_period(value)  # its InvalidPeriodError says what is wrong


def _structure_recurrence(value: object, _type: object) -> Recurrence:
    if not isinstance(value, str):
        _fail("a recurrence rule such as 'FREQ=MONTHLY;BYMONTHDAY=3'", value)
    return Recurrence.parse(value)  # its InvalidRecurrenceError names the text and the fault


def _structure_terms(value: object, _type: object) -> PaymentTerms:
    if not isinstance(value, str):
        _fail("payment terms such as '30 days' or '月结60天'", value)
    return PaymentTerms.parse(value)  # its InvalidPaymentTermsError names the text


def _structure_phone(value: object, _type: object) -> Phone:
    """Normalise while structuring, so that a bad number is reported at its own path.

    A phone number is personal: its problem never repeats it.
    """
    if not isinstance(value, str):
        raise _RefusedValueError(f"expected a phone number, got {type(value).__name__}", value)
    try:
        return normalise_phone(value)
    except KeyAccountError:
        raise _RefusedValueError(
            "not a phone number: only digits, spaces, dashes, dots, parentheses and a "
            "leading + are allowed (a number is never repeated in a message)"
        ) from None


def _is_enum(type_: object) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


def _structure_enum(value: object, type_: type[enum.Enum]) -> enum.Enum:
    """The member whose wire value is `value`; a refusal listing the wire values otherwise.

    `"unreached"` for an `Outcome` is refused with "not a valid outcome: 'unreached';
    expected one of: satisfied, neutral, unsatisfied, not-reached" (a Chinese label or
    a member's Python name is refused the same way: files hold the wire values).
    """
    try:
        return type_(value)
    except (ValueError, TypeError):
        known = ", ".join(str(member.value) for member in type_)
        words = re.sub(r"(?<!^)(?=[A-Z])", " ", type_.__name__).lower()
        raise _RefusedValueError(
            f"not a valid {words}", value, f"; expected one of: {known}"
        ) from None


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
            raise _RefusedValueError("the list repeats an item", value)
        return result

    return structure_set


def _object_factory(type_: Any, converter: cattrs.Converter) -> Callable[[object, object], object]:
    """cattrs' own hook for an attrs class, refusing anything but a mapping first."""
    inner = make_dict_structure_fn(type_, converter)
    name = type_.__name__

    def structure_object(value: object, target: object) -> object:
        if not isinstance(value, Mapping):  # a record's text may be anyone's: not quoted
            expected = f"expected an object (a table of fields) for {name}"
            raise _RefusedValueError(f"{expected}, got {type(value).__name__}")
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
    converter.register_structure_hook(pendulum.DateTime, _structure_instant)
    converter.register_unstructure_hook(pendulum.DateTime, format_instant)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, lambda v: v.isoformat())
    converter.register_structure_hook(Phone, _structure_phone)
    converter.register_structure_hook(PaymentTerms, _structure_terms)
    converter.register_unstructure_hook(PaymentTerms, str)
    converter.register_structure_hook(Recurrence, _structure_recurrence)
    converter.register_unstructure_hook(Recurrence, str)
    converter.register_structure_hook_func(_is_enum, _structure_enum)
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


#: The fields whose values no problem quotes, and everything inside them: every field of
#: a customer (what a redacted customer withholds, and the rest too, since a bad record
#: may hold a prospect's details in any field and its status is not known), a visit's
#: notes and a complaint's summary.
_CONFIDENTIAL: Final[dict[type, frozenset[str]]] = {
    Customer: frozenset(attrs.fields_dict(Customer)),
    VisitRecord: frozenset({"notes"}),
    Received: frozenset({"summary"}),
}
#: Records whose problems quote none of their values, not even an id.
_UNQUOTED_RECORDS: Final = frozenset(
    cls for cls, hidden in _CONFIDENTIAL.items() if hidden == frozenset(attrs.fields_dict(cls))
)


def _field_named(error: BaseException, cls: type | None) -> str | None:
    """The field of `cls` an attrs validator's message starts with (`credit_limit must ...`)."""
    if cls is None or not attrs.has(cls):
        return None
    head = str(error).split(" ", 1)[0]
    return head if head in attrs.fields_dict(cls) else None


def _withheld(error: BaseException) -> str:
    """Words for a failure inside a confidential field, without the value.

    A hook's refusal has its own; a rule's error keeps what it says before ", got" (the
    rules word their messages "credit_limit must not be negative, got ..."), else its
    class's own description.
    """
    if isinstance(error, _RefusedValueError):
        return error.withheld
    if isinstance(error, cattrs.ForbiddenExtraKeysError | KeyError):  # names keys only
        return format_exception(error, None)
    head, got, _ = str(error).partition(", got ")
    if got and "'" not in head and '"' not in head:
        return f"{head} (the value is confidential and not shown)"
    described = " ".join((type(error).__doc__ or "").split()).replace("``", "")
    summary = described.split(". ")[0].rstrip(".") or "invalid value"
    return f"{summary} (the value is confidential and not shown)"


def _message(error: BaseException, type_: object, confidential: bool) -> str:
    """The words for one failure: our hooks' and errors' own message, else cattrs' default.

    cattrs' default turns every `ValueError` into "invalid value for type, expected X",
    which would hide why a value was refused (a float where money is meant, an unknown
    enum value ...); those messages already name the problem, so they are kept.
    """
    if confidential:
        return _withheld(error)
    if isinstance(error, (ValueError, KeyAccountError)) and str(error):
        return str(error)
    return format_exception(error, type_ if isinstance(type_, type) else None)


def _problems(
    error: BaseException, path: str, cls: type | None, confidential: bool = False
) -> list[DataProblem]:
    """Every failure inside `error` (raised building a `cls` at `path`) with its path.

    The one walk of cattrs' nested errors (its `transform_error`, which cannot know
    which field is confidential): a class adds `.field` to the path, a list `[index]`.
    An error a class's own validators raised names no field; where its message starts
    with a field's name, it is put at that field.
    """
    if isinstance(error, cattrs.IterableValidationError):
        items, rest = error.group_exceptions()
        found = [
            problem
            for inner, item in items
            for problem in _problems(
                inner, f"{path}[{item.index!r}]", _cls(item.type), confidential
            )
        ]
        return found + [DataProblem(path, _message(e, None, confidential)) for e in rest]
    if isinstance(error, cattrs.ClassValidationError):
        hidden = _CONFIDENTIAL.get(error.cl, frozenset())
        fields, whole = error.group_exceptions()
        found = [
            problem
            for inner, note in fields
            for problem in _problems(
                inner, f"{path}.{note.name}", _cls(note.type), confidential or note.name in hidden
            )
        ]
        return found + [
            problem for inner in whole for problem in _problems(inner, path, error.cl, confidential)
        ]
    field = _field_named(error, cls)
    if field is not None:
        path = f"{path}.{field}"
        confidential = confidential or field in _CONFIDENTIAL.get(cls or object, frozenset())
    elif cls is not None and cls in _CONFIDENTIAL:
        confidential = True  # a rule of the whole record: it may quote any field
    return [DataProblem(path, _message(error, cls, confidential))]


def _cls(type_: object) -> type | None:
    return type_ if isinstance(type_, type) else None


def problems_of(error: BaseException, root: str = "$") -> tuple[DataProblem, ...]:
    """Every failure inside a cattrs error as a `DataProblem` with its path.

    A problem quotes at most a short excerpt of a value, and nothing of a confidential
    field's value (see the module's description).

    Args:
        error: what the converter raised (a `BaseValidationError` or a plain error).
        root: the path of the structured value (`$`, `$[3]` ...).

    Returns:
        One problem per failure, in the order cattrs reports them.
    """
    return tuple(_problems(error, root, None))


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
        # not chained: the cause's words may quote a confidential value
        raise DataFileError(source, _problems(error, "$", cls)) from None


def unstructure(value: object, *, converter: cattrs.Converter | None = None) -> Any:
    """Plain data (dicts, lists, strings, numbers) for `value`, as files hold it."""
    return (converter or _CONVERTER).unstructure(value)


def _loads_value(text: str | bytes, fmt: Format, cls: type[T], source: str) -> T:
    """A `cls` from JSON or TOML text (a policy, a chart ...); `DataFileError` otherwise."""
    return structure(_whole(_parse(text, fmt, source)), cls, source=source)


def _load_value(path: str | Path, fmt: Format | None, cls: type[T]) -> T:
    """A `cls` from a `.json` or `.toml` file; `DataFileError` otherwise."""
    parsed = _read(path, fmt)
    return structure(_whole(parsed), cls, source=parsed.source)
