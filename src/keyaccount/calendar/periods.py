"""How long may something take? The four kinds of period a deadline is counted in.

`Days` and `Workdays` fall due at the end of a local day; `Hours` count around the
clock; `WorkingHours` count only the calendar's working time. `parse_period` reads a
period back from the text `str(period)` writes.

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


def _non_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPeriodError(f"{attribute.name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise InvalidPeriodError(f"{attribute.name} must not be negative, got {value}")


def _minutes(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    _non_negative(_instance, attribute, value)
    if value >= 60:
        raise InvalidPeriodError(f"{attribute.name} must be below 60, got {value}")


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


@attrs.frozen
class Days:
    """`n` calendar days: due before the end of the start's local date plus `n` days."""

    n: int = attrs.field(validator=_non_negative)

    def __str__(self) -> str:
        return _count(self.n, "day")


@attrs.frozen
class Workdays:
    """`n` working days: due before the end of `add_workdays(start's local date, n)`."""

    n: int = attrs.field(validator=_non_negative)

    def __str__(self) -> str:
        return _count(self.n, "workday")


@attrs.frozen
class _ClockPeriod:
    """Hours and minutes (the shared fields of `Hours` and `WorkingHours`)."""

    n: int = attrs.field(validator=_non_negative)
    minutes: int = attrs.field(default=0, validator=_minutes)

    unit: ClassVar[str]

    @property
    def duration(self) -> dt.timedelta:
        """The period as a `timedelta` (of working time for `WorkingHours`)."""
        return dt.timedelta(hours=self.n, minutes=self.minutes)

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

_PERIOD_TEXT: Final = re.compile(
    r"\s*(\d+)\s+(days?|workdays?|hours?|working hours?)(?:\s+(\d+)\s+minutes?)?\s*"
)


def parse_period(text: str) -> Period:
    """Read a period as `str(period)` writes it: `"3 workdays"`, `"1 working hour"`.

    Singular and plural units are both accepted; minutes only go with hours.

    >>> parse_period("4 working hours 30 minutes")
    WorkingHours(n=4, minutes=30)

    Args:
        text: the period as text.

    Returns:
        The period.

    Raises:
        InvalidPeriodError: the text is not one of the four forms.
    """
    match = _PERIOD_TEXT.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidPeriodError(
            f"{text!r} is not a period; write e.g. '7 days', '3 workdays', '24 hours', "
            f"'4 working hours' or '4 working hours 30 minutes'"
        )
    n, unit, minutes = int(match[1]), match[2].rstrip("s"), int(match[3] or 0)
    if unit in ("day", "workday") and match[3]:
        raise InvalidPeriodError(f"{text!r}: minutes only go with hours")
    if unit == "day":
        return Days(n)
    if unit == "workday":
        return Workdays(n)
    if unit == "hour":
        return Hours(n, minutes)
    return WorkingHours(n, minutes)
