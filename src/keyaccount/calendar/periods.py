"""How long may something take? The four kinds of period a deadline is counted in.

`Days` and `Workdays` fall due at the end of a local day; `Hours` count around the
clock; `WorkingHours` count only the calendar's working time. `parse_period` reads a
period back from the text `str(period)` writes.

A period is at most as long as the dates Python can represent: 3,652,058 days (from
0001-01-01 to 9999-12-31). So `Days(n)` and `Workdays(n)` take `n <= 3_652_058`, and
`Hours` and `WorkingHours` at most 87,649,392 hours (`3_652_058 * 24`) with their
minutes. A longer period could never fall due, so it is refused when it is built (and
a file holding one is refused when it is loaded); a period within the bound whose due
date still lies beyond 9999-12-31 raises `DateOutOfRangeError` when it is computed.

Examples:
    >>> str(Workdays(3)), parse_period("4 working hours 30 minutes")
    ('3 workdays', WorkingHours(n=4, minutes=30))
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar, Final, TypeAlias

import attrs

from keyaccount.errors import InvalidPeriodError

__all__ = ["Days", "Hours", "Period", "Workdays", "WorkingHours", "parse_period"]

#: The most days a period may last: from the first representable date to the last.
MAX_DAYS: Final = dt.date.max.toordinal() - dt.date.min.toordinal()
#: The most hours an `Hours` or `WorkingHours` period may last (minutes included).
MAX_HOURS: Final = MAX_DAYS * 24
#: `parse_period` refuses longer digit runs before converting them (no huge ints).
_MAX_DIGITS: Final = len(str(MAX_HOURS))


def _non_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPeriodError(f"{attribute.name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise InvalidPeriodError(f"{attribute.name} must not be negative, got {value}")


def _day_count(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    _non_negative(instance, attribute, value)
    if value > MAX_DAYS:
        raise InvalidPeriodError(
            f"{type(instance).__name__} lasts at most {MAX_DAYS:,} days (0001-01-01 to "
            f"9999-12-31), got {_shown(value)}"
        )


def _hour_count(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    _non_negative(instance, attribute, value)
    if value > MAX_HOURS:
        raise InvalidPeriodError(
            f"{type(instance).__name__} lasts at most {MAX_HOURS:,} hours ({MAX_DAYS:,} "
            f"days, 0001-01-01 to 9999-12-31), got {_shown(value)}"
        )


def _shown(value: int) -> str:
    """`value` for a message; a huge one by its size (`str` refuses over 4,300 digits)."""
    if value.bit_length() <= 64:
        return str(value)
    return f"a number of about {value.bit_length() * 30103 // 100000 + 1} digits"


def _minutes(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    _non_negative(_instance, attribute, value)
    if value >= 60:
        raise InvalidPeriodError(f"{attribute.name} must be below 60, got {value}")


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


@attrs.frozen
class Days:
    """`n` calendar days: due before the end of the start's local date plus `n` days.

    `0 <= n <= 3_652_058` (see the module).
    """

    n: int = attrs.field(validator=_day_count)

    def __str__(self) -> str:
        return _count(self.n, "day")


@attrs.frozen
class Workdays:
    """`n` working days: due before the end of `add_workdays(start's local date, n)`.

    `0 <= n <= 3_652_058` (see the module).
    """

    n: int = attrs.field(validator=_day_count)

    def __str__(self) -> str:
        return _count(self.n, "workday")


@attrs.frozen
class _ClockPeriod:
    """Hours and minutes (the shared fields of `Hours` and `WorkingHours`).

    `0 <= n <= 87_649_392` hours and `0 <= minutes < 60`, at most 87,649,392 hours in
    all (see the module).
    """

    n: int = attrs.field(validator=_hour_count)
    minutes: int = attrs.field(default=0, validator=_minutes)

    unit: ClassVar[str]

    def __attrs_post_init__(self) -> None:
        if self.n == MAX_HOURS and self.minutes:
            raise InvalidPeriodError(
                f"{type(self).__name__} lasts at most {MAX_HOURS:,} hours, got {self}"
            )

    @property
    def duration(self) -> dt.timedelta:
        """The period as a `timedelta` (of working time for `WorkingHours`)."""
        return dt.timedelta(0, self.n * 3600 + self.minutes * 60)  # (days, seconds): no kwargs

    def __str__(self) -> str:
        hours = _count(self.n, self.unit)
        return hours + (f" {_count(self.minutes, 'minute')}" if self.minutes else "")


@attrs.frozen
class Hours(_ClockPeriod):
    """Elapsed time, around the clock: due at exactly `start + n hours (+ minutes)`."""

    unit: ClassVar[str] = "hour"


@attrs.frozen
class WorkingHours(_ClockPeriod):
    """Working time: only time inside the calendar's working-hour windows counts."""

    unit: ClassVar[str] = "working hour"


Period: TypeAlias = Days | Workdays | Hours | WorkingHours

#: Only ASCII digits and ASCII spaces: `\d` and `\s` would also take "٣" and "\u00a0".
_PERIOD_TEXT: Final = re.compile(
    r" *([0-9]+) +(days?|workdays?|hours?|working hours?)(?: +([0-9]+) +minutes?)? *"
)
#: How much of a refused text an error message quotes.
_QUOTED: Final = 60


def parse_period(text: str) -> Period:
    """Read a period as `str(period)` writes it: `"3 workdays"`, `"1 working hour"`.

    Singular and plural units are both accepted; minutes only go with hours. Numbers
    are ASCII digits and words are separated by ASCII spaces: "٣ days", "３ workdays"
    or a non-breaking space are refused, as is a number beyond the period's bound
    (see the module).

    Examples:
        >>> parse_period("4 working hours 30 minutes")
        WorkingHours(n=4, minutes=30)

    Args:
        text: the period as text.

    Returns:
        The period.

    Raises:
        InvalidPeriodError: the text is not one of the four forms, or its number is
            beyond the period's bound.
    """
    if not isinstance(text, str):
        raise InvalidPeriodError(f"a period is text such as '7 days', got {type(text).__name__}")
    match = _PERIOD_TEXT.fullmatch(text)
    if match is None:
        raise InvalidPeriodError(
            f"{_quoted(text)} is not a period; write e.g. '7 days', '3 workdays', "
            f"'24 hours', '4 working hours' or '4 working hours 30 minutes' "
            f"(ASCII digits and spaces)"
        )
    if max(len(match[1]), len(match[3] or "")) > _MAX_DIGITS:
        raise InvalidPeriodError(
            f"{_quoted(text)} is too long for a period: at most {MAX_DAYS:,} days or "
            f"workdays, or {MAX_HOURS:,} hours"
        )
    n, unit, minutes = int(match[1]), match[2].rstrip("s"), int(match[3] or 0)
    if unit in ("day", "workday") and match[3]:
        raise InvalidPeriodError(f"{_quoted(text)}: minutes only go with hours")
    if unit == "day":
        return Days(n)
    if unit == "workday":
        return Workdays(n)
    if unit == "hour":
        return Hours(n, minutes)
    return WorkingHours(n, minutes)


def _quoted(text: str) -> str:
    """`text` quoted for a message, cut after `_QUOTED` characters."""
    return repr(text[:_QUOTED]) + ("..." if len(text) > _QUOTED else "")
