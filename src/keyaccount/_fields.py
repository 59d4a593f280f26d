"""Shared field helpers: the instant converter, value validators and the labelled enum.

Private: every package of the library builds its attrs classes from these, so one rule
("an instant is timezone-aware", "money is Money", "an id is non-empty text") has one
implementation and one error message. Users see only the errors they raise.

Examples:
    >>> class Colour(LabelledEnum):
    ...     RED = "red", "红"
    ...     BLUE = "blue", "蓝"
    >>> Colour("red"), Colour.RED.value, Colour.RED.label
    (<Colour.RED: 'red'>, 'red', '红')
"""

from __future__ import annotations

import datetime as dt
import enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Self

import attrs
import pendulum

from keyaccount.errors import (
    DateOutOfRangeError,
    FloatMoneyError,
    InexactNumberError,
    InvalidAmountError,
    InvalidPeriodError,
    InvalidTextError,
    NaiveDatetimeError,
    NotADurationError,
    NotAnInstantError,
)
from keyaccount.money import Money

__all__ = [
    "CHINA_TIMEZONE",
    "UNIX_EPOCH",
    "LabelledEnum",
    "add_duration",
    "earlier",
    "exact_fraction",
    "instant",
    "instant_key",
    "is_money",
    "non_negative_money",
    "optional_instant",
    "optional_money",
    "optional_non_negative_money",
    "optional_text",
    "text",
    "to_instant",
    "to_timedelta",
    "utc_microseconds",
    "wall_clock",
    "wall_instant",
]

#: The zone of the Chinese statutory calendar and the default of every China-based rule.
CHINA_TIMEZONE: Final = "Asia/Shanghai"


class LabelledEnum(enum.Enum):
    """An enum whose members carry their wire value and their Chinese label together.

    Members are written ``NAME = "wire-value", "中文标签"``; ``.value`` is the wire value
    (what files hold), ``.label`` the seed's Chinese word. One definition replaces the
    "enum + label property + separate labels dict" pattern.
    """

    label: str

    # A member is a singleton equal only to itself, so its identity is its hash: dicts and
    # sets keyed by members (a policy's rules, its pausing statuses) hash in C, not
    # through `enum.Enum.__hash__`, a Python call on every lookup.
    __hash__ = object.__hash__

    if TYPE_CHECKING:  # how the members look to a type checker: a str value, built from it
        _value_: str

        @property
        def value(self) -> str: ...

        def __new__(cls, value: str) -> Self: ...

    else:

        def __new__(cls, value, label):
            member = object.__new__(cls)
            member._value_ = value
            member.label = label
            return member


# --------------------------------------------------------------------------- instants


def to_instant(value: dt.datetime, what: str = "instant") -> pendulum.DateTime:
    """Return ``value`` as an aware `pendulum.DateTime`, keeping its zone.

    Args:
        value: a timezone-aware ``pendulum.DateTime`` or stdlib ``datetime``.
        what: the name of the argument, for the error message.

    Raises:
        NaiveDatetimeError: ``value`` has no timezone.
        NotAnInstantError: ``value`` is not a datetime at all (a bare date, a string...).
    """
    if isinstance(value, pendulum.DateTime):
        if value.tzinfo is None:
            raise NaiveDatetimeError(f"{what} {value!r} has no timezone; give an aware datetime")
        return value
    if not isinstance(value, dt.datetime):
        raise NotAnInstantError(
            f"{what} must be a timezone-aware datetime, got {type(value).__name__}"
        )
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(f"{what} {value!r} has no timezone; give an aware datetime")
    return pendulum.instance(value)


#: The origin of `utc_microseconds`: 1970-01-01 00:00 UTC.
UNIX_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND: Final = dt.timedelta(microseconds=1)


def utc_microseconds(value: dt.datetime) -> int:
    """Where the aware instant `value` lies: microseconds from 1970-01-01 00:00 UTC.

    An exact integer for every aware datetime, whatever its zone (negative before
    1970, and no overflow where the UTC time would fall before year 1). It is the
    standard library's own subtraction, beneath pendulum's (which builds an
    `Interval`), so the calendar's arithmetic costs integer additions, not pendulum
    values. The caller has checked `value` is aware (`to_instant`).
    """
    return dt.datetime.__sub__(value, UNIX_EPOCH) // _MICROSECOND


def wall_instant(
    value: dt.datetime, zone: dt.tzinfo, microsecond: int | None = None
) -> pendulum.DateTime:
    """`value`'s wall clock and fold in `zone`, as a pendulum instant (no conversion).

    ``microsecond``, when given, replaces ``value``'s (a caller that read the wall clock
    to the second keeps the exact microseconds it holds).
    """
    return pendulum.DateTime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond if microsecond is None else microsecond,
        tzinfo=zone,
        fold=value.fold,
    )


def instant(value: dt.datetime) -> pendulum.DateTime:
    """attrs converter: an aware instant (see `to_instant`)."""
    return to_instant(value, "instant")


def optional_instant(value: dt.datetime | None) -> pendulum.DateTime | None:
    """attrs converter: an aware instant or ``None``."""
    return None if value is None else to_instant(value, "instant")


#: More than any two UTC offsets can differ (each lies strictly within a day).
_TWO_DAYS: Final = dt.timedelta(days=2)


def instant_key(value: dt.datetime) -> dt.timedelta:
    """Where an aware instant lies on the time line: the key to order instants by.

    Python compares two datetimes that share a zone by their wall clocks and ignores
    `fold` (PEP 495), so 01:40 EDT would sort after 01:10 EST on the night New York
    repeats an hour, though it happened first. This key is the instant's UTC time as a
    distance from `datetime.min`, so it orders instants as they happened, and never
    overflows (unlike converting 0001-01-01T00:00+05:00 to UTC).
    """
    offset = value.utcoffset()
    if offset is None:
        raise NaiveDatetimeError(f"{value!r} has no timezone; give an aware datetime")
    wall = wall_clock(value)
    return wall - dt.datetime.min - offset  # noqa: DTZ901 - the naive origin of a naive wall time


def earlier(first: dt.datetime, second: dt.datetime) -> bool:
    """Whether the aware instant `first` happened strictly before `second`.

    `first < second` is right unless both share one zone, differ in `fold` and lie
    within two days of each other on the wall clock (more than any two UTC offsets
    differ): only then can a repeated hour reorder them (Python compares the wall clocks
    of one zone), and only then is the slower `instant_key` asked, so rules that compare
    many instants stay fast.
    """
    if first.tzinfo is second.tzinfo and first.fold != second.fold:
        wall_gap = dt.datetime.__sub__(first, second)  # one zone: the wall clocks' gap
        if abs(wall_gap) < _TWO_DAYS:
            return instant_key(first) < instant_key(second)
    return first < second


# --------------------------------------------------------------------------- durations

#: The stdlib fields of a duration, read beneath pendulum's overrides (a pendulum
#: `Interval` keeps its own `days`, `seconds`... signs; the stored ones are normalised).
_TIMEDELTA_FIELDS: Final = (dt.timedelta.days, dt.timedelta.seconds, dt.timedelta.microseconds)


def to_timedelta(value: dt.timedelta, what: str = "duration") -> dt.timedelta:
    """Return the duration ``value`` as a plain stdlib ``timedelta``, exactly.

    Every public rule taking a length of time accepts a ``timedelta``, a pendulum
    ``Duration`` and a pendulum ``Interval`` (the difference of two pendulum instants)
    and normalises it here once, so the arithmetic behind it sees one type.

    Args:
        value: the duration.
        what: the name of the argument, for the error message.

    Raises:
        NotADurationError: ``value`` is not a duration (a number, a string, a period...).
        InvalidPeriodError: a pendulum ``Duration`` in months or years, which has no
            fixed length (pendulum counts a month as 30 days); an ``Interval`` is exact.
    """
    if type(value) is dt.timedelta:  # the common case, one check
        return value
    if not isinstance(value, dt.timedelta):
        raise NotADurationError(
            f"{what} must be a timedelta or a pendulum Duration, got {type(value).__name__}"
        )
    if (
        isinstance(value, pendulum.Duration)
        and not isinstance(value, pendulum.Interval)
        and (value.years or value.months)
    ):
        raise InvalidPeriodError(
            f"{what} {value!r} is in months or years, which have no fixed length; "
            f"give weeks, days, hours or minutes"
        )
    days, seconds, microseconds = (field.__get__(value) for field in _TIMEDELTA_FIELDS)
    return dt.timedelta(days=days, seconds=seconds, microseconds=microseconds)


def add_duration(
    value: pendulum.DateTime, duration: dt.timedelta, what: str = "instant"
) -> pendulum.DateTime:
    """``value + duration`` around the clock, refusing an answer no date can hold.

    Raises:
        DateOutOfRangeError: the sum lies before 0001-01-01 or after 9999-12-31.
    """
    try:
        return value + duration
    except OverflowError:
        raise DateOutOfRangeError(
            f"{what} {value} + {duration}", after=duration > dt.timedelta(0)
        ) from None


# --------------------------------------------------------------------------- validators


def is_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: refuse anything but `Money` (a float, a bare number)."""
    if not isinstance(value, Money):
        raise FloatMoneyError(
            f"{attribute.name} must be Money (e.g. Money('100.00', 'CNY')), "
            f"got {type(value).__name__}"
        )


def optional_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: `Money` or ``None``."""
    if value is not None:
        is_money(_instance, attribute, value)


def non_negative_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: `Money` of zero or more (a limit, a claim, a spend)."""
    if not isinstance(value, Money):
        is_money(_instance, attribute, value)
    elif value.amount < 0:
        raise InvalidAmountError(f"{attribute.name} must not be negative, got {value}")


def optional_non_negative_money(
    _instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """attrs validator: `Money` of zero or more, or ``None``."""
    if value is not None:
        non_negative_money(_instance, attribute, value)


def exact_fraction(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: an exact `Fraction`, never a float."""
    if not isinstance(value, Fraction):
        raise InexactNumberError(
            f"{attribute.name} must be an exact Fraction, got {type(value).__name__}"
        )


def text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a non-blank string (ids, names, reasons)."""
    if not isinstance(value, str) or not value.strip():
        shown = "blank text" if isinstance(value, str) else type(value).__name__
        raise InvalidTextError(f"{attribute.name} must be non-blank text, got {shown}")


def optional_text(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a non-blank string or ``None``."""
    if value is not None:
        text(_instance, attribute, value)


def wall_clock(value: dt.datetime, tzinfo: dt.tzinfo | None = None) -> dt.datetime:
    """``value``'s wall time as a plain stdlib datetime in ``tzinfo`` (naive by default).

    No conversion and no pendulum arithmetic: the same year-to-microsecond fields, read
    in another zone (or none).
    """
    return dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=tzinfo,
    )
