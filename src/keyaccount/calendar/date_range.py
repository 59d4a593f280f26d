"""Which days a report or a visiting round covers: `DateRange`.

Used by the frequent-customer analysis (`keyaccount.customers`) and by the visit reports
(coverage, the summary report).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from keyaccount.errors import InvalidDateRangeError

__all__ = ["DateRange"]


def _a_day(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a calendar date (a datetime is an instant, not a day)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidDateRangeError(
            f"a date range is bounded by dates; {attribute.name} is {type(value).__name__}"
        )


@attrs.frozen
class DateRange:
    """The days from ``start`` to ``end``, both included (a period of a report or a round).

    Examples:
        >>> march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        >>> dt.date(2026, 3, 31) in march, dt.date(2026, 4, 1) in march
        (True, False)

    Attributes:
        start: the first day.
        end: the last day, not before ``start``.

    Raises:
        InvalidDateRangeError: ``end`` is before ``start``, or a bound is not a date.
    """

    start: dt.date = attrs.field(validator=_a_day)
    end: dt.date = attrs.field(validator=_a_day)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidDateRangeError(
                f"the range {self.start} - {self.end} ends before it starts"
            )

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            return False
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start} - {self.end}"
