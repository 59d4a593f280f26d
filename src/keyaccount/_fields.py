"""Shared field helpers: the instant converter, value validators and the labelled enum.

Private: every package of the library builds its attrs classes from these, so one rule
("an instant is timezone-aware", "money is Money", "an id is non-empty text") has one
implementation and one error message. Users see only the errors they raise.

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
    FloatMoneyError,
    InexactNumberError,
    InvalidTextError,
    NaiveDatetimeError,
    NotAnInstantError,
)
from keyaccount.money import Money

__all__ = [
    "CHINA_TIMEZONE",
    "LabelledEnum",
    "exact_fraction",
    "instant",
    "is_money",
    "optional_instant",
    "optional_money",
    "optional_text",
    "text",
    "to_instant",
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
    """Return ``value`` as an aware :class:`pendulum.DateTime`, keeping its zone.

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


def instant(value: dt.datetime) -> pendulum.DateTime:
    """attrs converter: an aware instant (see :func:`to_instant`)."""
    return to_instant(value, "instant")


def optional_instant(value: dt.datetime | None) -> pendulum.DateTime | None:
    """attrs converter: an aware instant or ``None``."""
    return None if value is None else to_instant(value, "instant")


# --------------------------------------------------------------------------- validators


def is_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: refuse anything but :class:`Money` (a float, a bare number)."""
    if not isinstance(value, Money):
        raise FloatMoneyError(
            f"{attribute.name} must be Money (e.g. Money('100.00', 'CNY')), "
            f"got {type(value).__name__}"
        )


def optional_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: :class:`Money` or ``None``."""
    if value is not None:
        is_money(_instance, attribute, value)


def exact_fraction(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: an exact :class:`~fractions.Fraction`, never a float."""
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
