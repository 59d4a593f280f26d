"""Where does a day that falls on a rest day go: `BusinessDayConvention` and `adjust`.

The common Chinese rule is 遇节假日顺延: a duty that falls on a rest day or a statutory
holiday moves to the next working day (`BusinessDayConvention.FOLLOWING`, the default).
The others are the usual business-day conventions: the working day before
(`PRECEDING`), the next working day unless that leaves the month, then the one before
(`MODIFIED_FOLLOWING`), drop the occurrence (`SKIP`), or keep the day as it is (`KEEP`).

Examples:
    >>> import datetime as dt
    >>> from keyaccount.calendar import WorkCalendar
    >>> cal = WorkCalendar()  # Monday to Friday
    >>> saturday = dt.date(2026, 10, 31)
    >>> adjust(saturday, BusinessDayConvention.FOLLOWING, cal)
    Date(2026, 11, 2)
    >>> adjust(saturday, BusinessDayConvention.MODIFIED_FOLLOWING, cal)
    Date(2026, 10, 30)
    >>> adjust(saturday, BusinessDayConvention.SKIP, cal) is None
    True
"""

from __future__ import annotations

import datetime as dt

from keyaccount._fields import LabelledEnum
from keyaccount.calendar.work_calendar import WorkCalendar

__all__ = ["BusinessDayConvention", "adjust"]


class BusinessDayConvention(LabelledEnum):
    """What happens to an occurrence that falls on a rest day or a holiday."""

    FOLLOWING = "following", "顺延"
    PRECEDING = "preceding", "提前"
    MODIFIED_FOLLOWING = "modified-following", "顺延(不跨月)"
    SKIP = "skip", "取消"
    KEEP = "keep", "照常"


def adjust(
    day: dt.date, convention: BusinessDayConvention, calendar: WorkCalendar
) -> dt.date | None:
    """The day an occurrence scheduled on ``day`` takes place on, under ``convention``.

    A working day is never moved. A rest day (weekly rest day or holiday of
    ``calendar``) moves to the next working day (``FOLLOWING``), the previous one
    (``PRECEDING``), the next one unless it lies in another month, then the previous one
    (``MODIFIED_FOLLOWING``; in a month without any working day, the next one), or
    stays (``KEEP``); ``SKIP`` drops it (``None``).

    Args:
        day: the scheduled day.
        convention: the duty's convention.
        calendar: the calendar that says which days are worked (a department that
            works Saturdays passes a calendar without Saturday as a rest day).

    Returns:
        The day it takes place on, or ``None`` when it is skipped.

    Raises:
        CalendarCoverageError: the day or its answer lies outside the calendar's years.
    """
    if convention is BusinessDayConvention.KEEP or calendar.is_workday(day):
        return day
    if convention is BusinessDayConvention.SKIP:
        return None
    if convention is BusinessDayConvention.PRECEDING:
        return calendar.add_workdays(day, -1)
    following = calendar.add_workdays(day, 1)
    if convention is BusinessDayConvention.MODIFIED_FOLLOWING and following.month != day.month:
        preceding = calendar.add_workdays(day, -1)
        if preceding.month == day.month:  # a month without a working day keeps FOLLOWING
            return preceding
    return following
