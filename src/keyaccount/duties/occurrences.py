"""When does each duty fall in a date range, on a working calendar: `occurrences`.

Each duty's `Recurrence` names days (via `dateutil.rrule`); its `BusinessDayConvention`
moves a day that is not worked on the given `WorkCalendar` (`adjust`); the calendar's
zone and working hours turn the days into instants. The readings:

- **A day duty** (``每周一审阅各类报表``) opens at the start of the calendar's working
  day and closes at its end; with a time window (``13:30-14:30``) it takes those hours.
- **A range of days** (``每月13~18日客户拜访``) is one occurrence from the first day to
  the last. The convention moves each end that falls on a rest day (顺延: a range whose
  13th is a Sunday starts on Monday the 14th); ``skip`` drops a range only when none of
  its days is worked.
- **"By day N"** (``每月3日前需向总监呈报月度工作报告``, ``X-DUE-BY``): the occurrence
  opens at the start of its period (the 1st of the month) and is due at the end of the
  working day of day N. When day N is a rest day, 顺延 moves the due day to the next
  working day: due "by the 3rd" of October 2026 (the 3rd is in the National Day break)
  means due at the end of 8 October. The opening never moves.
- **The calendar decides which days are worked.** A department that works Saturdays
  (the seed's Saturday 13:30 weekly meeting) passes a calendar that works them, e.g.
  ``attrs.evolve(WorkCalendar.china(), weekly_rest_days={7})``.
- An occurrence is returned when any of its days lies in the range (a report due on
  the 8th that opened on the 1st is in the range 2-5), so a long occurrence can be in
  two consecutive ranges.

Examples:
    >>> import datetime as dt
    >>> from keyaccount.calendar import Recurrence, WorkCalendar
    >>> from keyaccount.duties import DutyKind
    >>> meeting = RecurringDuty(
    ...     id="m/weekly-meeting", position="m", duty="每周六下午13:30~14:30召集部门人员召开周会",
    ...     seed="003_c0a09330c12f3f2e.txt:161", kind=DutyKind.MEETING,
    ...     recurrence=Recurrence.weekly(6, window="13:30-14:30"))
    >>> [o.start.isoformat() for o in occurrences(
    ...     [meeting], dt.date(2026, 10, 1), dt.date(2026, 10, 11), WorkCalendar.china())]
    ['2026-10-08T13:30:00+08:00', '2026-10-10T13:30:00+08:00']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import pendulum

from keyaccount._fields import instant_key
from keyaccount.calendar.conventions import BusinessDayConvention, adjust
from keyaccount.calendar.recurrence import Recurrence, Slot
from keyaccount.calendar.work_calendar import WorkCalendar
from keyaccount.duties.model import Occurrence, RecurringDuty
from keyaccount.errors import (
    CalendarCoverageError,
    DuplicateIdError,
    InvalidDateRangeError,
    NotADateError,
)

__all__ = ["occurrences"]

_SKIP: Final = BusinessDayConvention.SKIP
_NEVER_EARLIER: Final = frozenset(
    {BusinessDayConvention.FOLLOWING, BusinessDayConvention.SKIP, BusinessDayConvention.KEEP}
)
_NEVER_LATER: Final = frozenset(
    {BusinessDayConvention.PRECEDING, BusinessDayConvention.SKIP, BusinessDayConvention.KEEP}
)
#: The slack assumed beyond the calendar's years: longer than any run of rest days.
_FAR: Final = 31
_MINUTES_PER_DAY: Final = 1440

#: A rule's occurrences, shared by every duty with the same rule and convention:
#: (scheduled, start, end, moved).
_Timed = tuple[dt.date, pendulum.DateTime, pendulum.DateTime, bool]


def _a_date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise NotADateError(f"{what} must be a date, got {type(value).__name__}")
    return value


def _at(day: dt.date, minute: int, calendar: WorkCalendar) -> pendulum.DateTime:
    """The instant at ``minute`` (0-1440) of the local ``day`` in the calendar's zone."""
    if minute >= _MINUTES_PER_DAY:
        day, minute = day + dt.timedelta(days=1), minute - _MINUTES_PER_DAY
    return pendulum.datetime(
        day.year, day.month, day.day, minute // 60, minute % 60, tz=calendar.tz
    )


def _day_minutes(calendar: WorkCalendar) -> tuple[int, int]:
    """The working day's first and last minute (the whole day when it has no hours)."""
    if not calendar.hours:
        return 0, _MINUTES_PER_DAY
    return calendar.hours[0].start_minute, calendar.hours[-1].end_minute


def _placed(
    slot: Slot, rule: Recurrence, convention: BusinessDayConvention, calendar: WorkCalendar
) -> tuple[dt.date, dt.date, dt.date] | None:
    """(opening day, first working day, last day) after the convention; ``None``: skipped."""
    if rule.through is not None:  # a range of days: each end moves; skip needs no worked day
        if convention is _SKIP:
            if not calendar.working_days(slot.scheduled, slot.last):
                return None
            return slot.scheduled, slot.scheduled, slot.last
        first = adjust(slot.scheduled, convention, calendar) or slot.scheduled
        last = adjust(slot.last, convention, calendar) or slot.last  # only SKIP gives None
        return first, first, last
    day = adjust(slot.scheduled, convention, calendar)
    if day is None:
        return None
    opens = min(slot.opens, day) if slot.opens is not None else day
    return opens, day, day


def _cannot_reach(
    slot: Slot, convention: BusinessDayConvention, start: dt.date, end: dt.date
) -> bool:
    """Whether no working calendar can move ``slot`` into the days ``start`` to ``end``.

    A slot wholly after the range stays after it unless its convention moves days
    earlier (preceding, modified following); one wholly before it stays before unless
    its convention moves days later (following, modified following).
    """
    first = slot.opens if slot.opens is not None else slot.scheduled
    if first > end:
        return convention in _NEVER_EARLIER
    if slot.last < start:
        return convention in _NEVER_LATER
    return False


def _slack(calendar: WorkCalendar, start: dt.date, end: dt.date) -> tuple[int, int]:
    """How many days a rest day can move an occurrence across ``start`` and ``end``.

    At most the run of rest days just outside the range; where that lies beyond the
    calendar's years, `_FAR` days (each slot there that could still move into the range
    then raises `CalendarCoverageError`, see `_cannot_reach`).
    """
    try:
        before = start.toordinal() - calendar.add_workdays(start, -1).toordinal()
    except CalendarCoverageError:
        before = _FAR
    try:
        after = calendar.add_workdays(end, 1).toordinal() - end.toordinal()
    except CalendarCoverageError:
        after = _FAR
    return before, after


def _timed(
    rule: Recurrence,
    convention: BusinessDayConvention,
    start: dt.date,
    end: dt.date,
    slack: tuple[int, int],
    calendar: WorkCalendar,
) -> list[_Timed]:
    """The rule's occurrences with a day from ``start`` to ``end``.

    ``slack`` is how far a rest day can move a day across ``start`` and ``end``: only
    the slots that can reach the range are placed on the calendar.
    """
    day_start, day_end = _day_minutes(calendar)
    window = rule.window
    start_minute = window.start.hour * 60 + window.start.minute if window else day_start
    end_minute = window.end.hour * 60 + window.end.minute if window else day_end
    before, after = rule.reach
    low = start - dt.timedelta(days=slack[0] + after)
    high = end + dt.timedelta(days=slack[1] + before)
    timed: list[_Timed] = []
    for slot in rule.slots(low, high):
        if slot.opens is not None and slot.opens > end:
            continue  # a deadline that opens after the range
        if slot.opens is None and slot.scheduled > end + dt.timedelta(days=slack[1]):
            continue
        try:
            placed = _placed(slot, rule, convention, calendar)
        except CalendarCoverageError:
            if _cannot_reach(slot, convention, start, end):
                continue  # outside the calendar's years, and no rest day can bring it in
            raise
        if placed is None:
            continue
        opens, day, last_day = placed
        if opens > end or last_day < start:
            continue
        moved = (day, last_day) != (slot.scheduled, slot.last)
        if slot.opens is not None:  # a deadline: open since its period began
            begin = _at(opens, day_start, calendar)
        else:
            begin = _at(day, start_minute, calendar)
        due = _at(last_day, end_minute, calendar)
        timed.append((slot.scheduled, begin, due, moved))
    return timed


def occurrences(
    duties: Iterable[RecurringDuty], start: dt.date, end: dt.date, calendar: WorkCalendar
) -> tuple[Occurrence, ...]:
    """Every occurrence of ``duties`` that touches the days ``start`` to ``end``.

    Args:
        duties: the recurring duties (ids must be unique).
        start: the first day of the range (a local date of ``calendar``).
        end: the last day, included.
        calendar: the working calendar: which days are worked (a department's own
            week), its zone and working hours.

    Returns:
        The occurrences with a day in the range (see the module docstring for how a
        range, a deadline and a rest day are read), in time order (start, then end,
        then duty id); unique by `Occurrence.id`.

    Raises:
        NotADateError: ``start`` or ``end`` is not a date.
        InvalidDateRangeError: ``end`` is before ``start``.
        DuplicateIdError: two duties share an id.
        CalendarCoverageError: a day the answer needs lies outside the calendar's
            years: a day of the range, or one just outside it that a rest day could
            move into it (a range that ends on the calendar's last covered day is
            fine unless one of its occurrences needs the next year).
    """
    start, end = _a_date(start, "start"), _a_date(end, "end")
    if end < start:
        raise InvalidDateRangeError(f"the range {start} - {end} ends before it starts")
    duties = tuple(duties)
    seen: set[str] = set()
    for duty in duties:
        if duty.id in seen:
            raise DuplicateIdError(f"two duties have the id {duty.id!r}")
        seen.add(duty.id)
    # a rest day moves an occurrence across the range's bounds by at most the run of
    # rest days just outside them
    slack = _slack(calendar, start, end)
    shared: dict[tuple[Recurrence, BusinessDayConvention], list[_Timed]] = {}
    found: list[Occurrence] = []
    for duty in duties:
        key = (duty.recurrence, duty.convention)
        if key not in shared:
            shared[key] = _timed(duty.recurrence, duty.convention, start, end, slack, calendar)
        for scheduled, opens, due, moved in shared[key]:
            found.append(
                Occurrence(
                    duty_id=duty.id,
                    duty=duty.duty,
                    position=duty.position,
                    kind=duty.kind,
                    scheduled=scheduled,
                    start=opens,
                    end=due,
                    convention=duty.convention if moved else None,
                    moved_from=scheduled if moved else None,
                )
            )
    found.sort(key=lambda o: (instant_key(o.start), instant_key(o.end), o.duty_id))
    return tuple(found)
