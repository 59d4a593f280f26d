"""When in a working day may people work? The windows of working hours.

A working day holds one or more `WorkingWindow`s in local wall-clock time, written as
`("HH:MM", "HH:MM")` pairs: `[("09:00", "12:00"), ("13:00", "18:00")]` is the usual
day with a lunch break. A window may run to `"24:00"` (midnight).

Examples:
    >>> str(WorkingWindow.parse(("09:00", "12:00")))
    '09:00-12:00'
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from typing import Final

import attrs

from keyaccount.errors import InvalidPeriodError

__all__ = ["WorkingWindow", "working_windows"]

_HHMM: Final = re.compile(r"([01][0-9]|2[0-4]):([0-5][0-9])")
_MINUTES_PER_DAY: Final = 1440


def _to_time(text: str | dt.time) -> dt.time:
    if isinstance(text, dt.time):
        return text
    match = _HHMM.fullmatch(text) if isinstance(text, str) else None
    if match is None or (match[1] == "24" and match[2] != "00"):
        raise InvalidPeriodError(f"working hours must be 'HH:MM' strings, got {text!r}")
    if match[1] == "24":
        return dt.time(0, 0)  # end of day; handled by WorkingWindow
    return dt.time(int(match[1]), int(match[2]))


def _minute_of_day(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int:
        raise InvalidPeriodError(f"{attribute.name} must be an int, got {type(value).__name__}")
    if not 0 <= value <= _MINUTES_PER_DAY:
        raise InvalidPeriodError(
            f"{attribute.name} is a minute of the day, 0-{_MINUTES_PER_DAY}, got {value}"
        )


@attrs.frozen(order=True)
class WorkingWindow:
    """One span of working hours in a day, in local wall-clock time, `start < end`.

    `end` may be `"24:00"` to run to midnight; it is then stored as 1440 minutes.

    Raises:
        InvalidPeriodError: a minute that is not an int in 0-1440, or a window that
            does not start before it ends.
    """

    start_minute: int = attrs.field(validator=_minute_of_day)
    end_minute: int = attrs.field(validator=_minute_of_day)

    def __attrs_post_init__(self) -> None:
        if self.start_minute >= self.end_minute:
            raise InvalidPeriodError(f"working-hours window {self} must start before it ends")

    @classmethod
    def parse(cls, pair: tuple[str, str] | WorkingWindow) -> WorkingWindow:
        """Make a window from a `("HH:MM", "HH:MM")` pair.

        Args:
            pair: the start and end as text, or a window (returned as is).

        Returns:
            The window.

        Raises:
            InvalidPeriodError: not a pair of `HH:MM` times, or not starting before it ends.
        """
        if isinstance(pair, WorkingWindow):
            return pair
        try:
            start_text, end_text = pair
        except (TypeError, ValueError):
            raise InvalidPeriodError(
                f"a working-hours window is a ('HH:MM', 'HH:MM') pair, got {pair!r}"
            ) from None
        if start_text == "24:00":
            raise InvalidPeriodError(f"working-hours window {pair!r} cannot start at 24:00")
        start, end = _to_time(start_text), _to_time(end_text)
        end_minute = 1440 if end_text == "24:00" else end.hour * 60 + end.minute
        start_minute = start.hour * 60 + start.minute
        if start_minute >= end_minute:
            raise InvalidPeriodError(f"working-hours window {pair!r} must start before it ends")
        return cls(start_minute, end_minute)

    @property
    def minutes(self) -> int:
        """The window's length in minutes of wall-clock time."""
        return self.end_minute - self.start_minute

    def __str__(self) -> str:
        def hhmm(minute: int) -> str:
            return f"{minute // 60:02d}:{minute % 60:02d}"

        return f"{hhmm(self.start_minute)}-{hhmm(self.end_minute)}"


def working_windows(
    value: Iterable[tuple[str, str] | WorkingWindow],
) -> tuple[WorkingWindow, ...]:
    """attrs converter: a day's windows, sorted, at least one, none overlapping.

    Raises:
        InvalidPeriodError: no window, a malformed one, or two that overlap.
    """
    windows = tuple(sorted(WorkingWindow.parse(pair) for pair in value))
    if not windows:
        raise InvalidPeriodError("a calendar needs at least one working-hours window")
    for before, after in itertools.pairwise(windows):
        if after.start_minute < before.end_minute:
            raise InvalidPeriodError(f"working-hours windows {before} and {after} overlap")
    return windows
