"""What instant does a person mean by the `as_of` they typed?

A rule is evaluated at an instant (`as_of`). People type either a full instant with its
UTC offset (`2026-02-14T12:30+08:00`) or just a day (`2026-02-14`); a day means the start
of that day in the calendar's time zone, so "as of the 14th" is the same instant for every
rule that uses that calendar.

Examples:
    >>> from keyaccount.calendar.work_calendar import WorkCalendar
    >>> cal = WorkCalendar.china()
    >>> parse_as_of("2026-02-14", cal)
    DateTime(2026, 2, 14, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
    >>> parse_as_of("2026-02-14T12:30:00+01:00", cal)
    DateTime(2026, 2, 14, 12, 30, 0, tzinfo=FixedTimezone(3600, name="+01:00"))
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Final

import pendulum

from keyaccount._fields import to_instant
from keyaccount.errors import InvalidInstantError, NaiveDatetimeError, NotAnInstantError

if TYPE_CHECKING:
    from keyaccount.calendar.work_calendar import WorkCalendar

__all__ = ["parse_as_of"]

_PLAIN_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORMS: Final = (
    "write a date (YYYY-MM-DD, the start of that day in the calendar's time zone) "
    "or an RFC 3339 instant with its offset (e.g. 2026-02-14T12:30:00+08:00)"
)


def parse_as_of(value: str | dt.date | dt.datetime, calendar: WorkCalendar) -> pendulum.DateTime:
    """The instant a rule is evaluated at, from what a person typed or passed.

    An instant with an offset keeps its offset; a plain date (a `date` or `"YYYY-MM-DD"`)
    means the start of that day in the calendar's time zone (the first instant of the
    day: midnight, or the end of a gap where a clock change skips midnight). A date-time
    without an offset is refused: it would mean a different instant in every zone.

    Args:
        value: RFC 3339 text, `"YYYY-MM-DD"` text, an aware datetime or a date.
        calendar: the calendar whose time zone a plain date is read in.

    Returns:
        An aware `pendulum.DateTime`.

    Raises:
        NaiveDatetimeError: a date-time (text or object) without a time zone.
        InvalidInstantError: text that is neither a date nor an RFC 3339 instant.
        NotAnInstantError: something other than text, a date or a datetime.
    """
    if isinstance(value, dt.datetime):
        return to_instant(value, "as_of")
    if isinstance(value, dt.date):
        return _start_of_day(value, calendar)
    if not isinstance(value, str):
        raise NotAnInstantError(
            f"as_of must be text, a date or an aware datetime, got {type(value).__name__}"
        )
    text = value.strip()
    try:
        if _PLAIN_DATE.fullmatch(text):
            return _start_of_day(dt.date.fromisoformat(text), calendar)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInstantError(
            f"as_of {value!r} is not a date or an instant; {_FORMS}"
        ) from None
    if moment.tzinfo is None:
        raise NaiveDatetimeError(f"as_of {value!r} has no UTC offset; {_FORMS}")
    return to_instant(moment, "as_of")


def _start_of_day(day: dt.date, calendar: WorkCalendar) -> pendulum.DateTime:
    """The first instant of the local date `day` in the calendar's time zone."""
    return pendulum.datetime(day.year, day.month, day.day, tz=calendar.tz)
