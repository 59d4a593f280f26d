"""When a customer may be contacted: outside quiet hours, and in working hours if asked.

The seed asks to avoid disturbing customers while they rest (避免在客户休息时打扰客户).
`is_quiet` says whether an instant is such a time, `next_contact_time` gives the
first allowed instant from a moment on and `latest_contact_before` the last allowed
instant before a deadline. Times are the calendar's local times, compared exactly to
the microsecond with integers only.

Examples:
    >>> import pendulum
    >>> from keyaccount.calendar import WorkCalendar
    >>> at = pendulum.datetime(2026, 3, 2, 12, 30, tz="Asia/Shanghai")   # lunch time
    >>> next_contact_time(at, VisitPolicy(), WorkCalendar.china())
    DateTime(2026, 3, 2, 14, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs
import pendulum

from keyaccount._fields import to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.errors import InvalidTimeWindowError
from keyaccount.visits.policy import VisitPolicy
from keyaccount.visits.quiet_hours import WHOLE_DAY, MinuteSpan, without

__all__ = ["LatestContact", "is_quiet", "latest_contact_before", "next_contact_time"]

_US_PER_MINUTE: Final = 60_000_000
_US_PER_DAY: Final = 24 * 60 * _US_PER_MINUTE
_SEARCH_DAYS: Final = 370  # a year and a few days: every weekday and holiday comes round


def _allowed_minutes(
    day: dt.date, policy: VisitPolicy, calendar: WorkCalendar
) -> tuple[MinuteSpan, ...]:
    """The minutes of local ``day`` at which customers may be contacted, in order."""
    if not policy.working_hours_only:
        return without(WHOLE_DAY, policy.quiet_spans)
    if not calendar.is_workday(day):
        return ()
    hours = (MinuteSpan(w.start_minute, w.end_minute) for w in calendar.hours)
    return without(hours, policy.quiet_spans)


def _micro_of_day(local: dt.datetime) -> int:
    """Microseconds since local midnight, exactly (integers only)."""
    return ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond


def _wall(day: dt.date, micro: int, tz: pendulum.Timezone) -> pendulum.DateTime:
    """The local wall-clock instant ``micro`` microseconds into ``day`` (``micro`` < 24 h)."""
    seconds, microsecond = divmod(micro, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, second, microsecond, tz=tz)


def is_quiet(at: dt.datetime, policy: VisitPolicy, calendar: WorkCalendar) -> bool:
    """Whether ``at`` (in the calendar's local time) is not a time to contact customers.

    True inside quiet hours, and outside working hours when the policy contacts only
    during them. A window ``HH:MM-HH:MM`` holds from its start included to its end
    excluded, compared exactly to the microsecond: with quiet hours from 12:00,
    11:59:59.999999 is allowed and 12:00 is quiet.

    Examples:
        >>> import pendulum
        >>> from keyaccount.calendar import WorkCalendar
        >>> ten = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
        >>> is_quiet(ten.add(microseconds=500_000), VisitPolicy(), WorkCalendar.china())
        False

    Raises:
        NaiveDatetimeError: ``at`` has no timezone.
        CalendarCoverageError: working hours only, and ``at`` is outside the calendar's
            covered years.
    """
    local = to_instant(at, "at").in_timezone(calendar.tz)
    micro = _micro_of_day(local)
    return not any(
        span.start * _US_PER_MINUTE <= micro < span.end * _US_PER_MINUTE
        for span in _allowed_minutes(local.date(), policy, calendar)
    )


def next_contact_time(
    at: dt.datetime, policy: VisitPolicy, calendar: WorkCalendar
) -> pendulum.DateTime:
    """The first instant at or after ``at`` when a customer may be contacted.

    Outside the policy's quiet hours (local time of the calendar) and, when
    ``policy.working_hours_only``, inside the calendar's working hours on a working day.

    Examples:
        >>> import pendulum
        >>> from keyaccount.calendar import WorkCalendar
        >>> late = pendulum.datetime(2026, 3, 2, 22, 15, tz="Asia/Shanghai")
        >>> next_contact_time(late, VisitPolicy(), WorkCalendar.china())
        DateTime(2026, 3, 3, 9, 0, 0, tzinfo=Timezone('Asia/Shanghai'))

    Raises:
        NaiveDatetimeError: ``at`` has no timezone.
        InvalidTimeWindowError: the policy leaves no allowed time at all (working hours
            that lie wholly inside quiet hours), or none in the coming year.
        CalendarCoverageError: the search leaves the calendar's covered years.
    """
    tz = calendar.tz
    local = to_instant(at, "at").in_timezone(tz)
    if policy.working_hours_only and not without(
        (MinuteSpan(w.start_minute, w.end_minute) for w in calendar.hours), policy.quiet_spans
    ):
        raise InvalidTimeWindowError(
            f"the policy leaves no time to contact anybody: quiet hours "
            f"{', '.join(policy.quiet_hours)} cover the working hours "
            f"{', '.join(str(w) for w in calendar.hours)} of every working day"
        )
    day: dt.date = local.date()
    micro = _micro_of_day(local)
    for _ in range(_SEARCH_DAYS):
        for span in _allowed_minutes(day, policy, calendar):
            if micro < span.end * _US_PER_MINUTE:
                if micro >= span.start * _US_PER_MINUTE:
                    return local
                return _wall(day, span.start * _US_PER_MINUTE, tz)
        day = day + dt.timedelta(days=1)
        micro = 0
        local = pendulum.datetime(day.year, day.month, day.day, tz=tz)
    raise InvalidTimeWindowError(
        f"no time outside quiet hours {', '.join(policy.quiet_hours)} within working hours "
        f"{', '.join(str(w) for w in calendar.hours)} in the year after {at}"
    )


@attrs.frozen
class LatestContact:
    """The last allowed instant before a deadline (`DueVisit.latest_contact`).

    Attributes:
        at: the last instant before the deadline at which the customer may be
            contacted, in the calendar's timezone; ``None`` when there is none between
            the triggering event and the deadline.
        reason: why, in words.
    """

    at: pendulum.DateTime | None
    reason: str

    def __bool__(self) -> bool:
        return self.at is not None


def latest_contact_before(
    start: dt.datetime, end: dt.datetime, policy: VisitPolicy, calendar: WorkCalendar
) -> LatestContact:
    """The last instant in ``[start, end)`` at which customers may be contacted.

    Allowed means outside quiet hours (and inside working hours on a working day when
    ``policy.working_hours_only``), as `is_quiet` decides, to the microsecond.

    Raises:
        NaiveDatetimeError: ``start`` or ``end`` has no timezone.
        CalendarCoverageError: working hours only, and a day searched is outside the
            calendar's covered years.
    """
    tz = calendar.tz
    first = to_instant(start, "start").in_timezone(tz)
    limit = to_instant(end, "end").in_timezone(tz)
    quiet = ", ".join(policy.quiet_hours) or "none"
    where = f"outside quiet hours ({quiet})" + (
        " and inside working hours" if policy.working_hours_only else ""
    )
    if limit <= first:
        return LatestContact(None, f"the deadline {limit} is not after the trigger {first}")
    last = limit.subtract(microseconds=1)
    day: dt.date = last.date()
    bound = _micro_of_day(last) + 1  # allowed instants of `day` lie before this
    while day >= first.date():
        for span in reversed(_allowed_minutes(day, policy, calendar)):
            top = min(span.end * _US_PER_MINUTE, bound)
            if top <= span.start * _US_PER_MINUTE:
                continue
            found = _wall(day, top - 1, tz)
            if found < first:
                return _none_allowed(first, limit, where)
            if found == last:
                why = f"the deadline {limit} is {where}: contact before it"
            else:
                why = (
                    f"the deadline {limit} falls outside the allowed times ({where}); "
                    f"the last allowed moment before it is {found}"
                )
            return LatestContact(found, why)
        day -= dt.timedelta(days=1)
        bound = _US_PER_DAY
    return _none_allowed(first, limit, where)


def _none_allowed(first: pendulum.DateTime, limit: pendulum.DateTime, where: str) -> LatestContact:
    return LatestContact(
        None,
        f"no time {where} between the trigger {first} and the deadline {limit}: "
        "the contact cannot be made in time without disturbing the customer",
    )
