"""Deadlines for the many starts of one scan: `calendar.deadline`, asked once per local day.

Private to `keyaccount.visits.due`. A department's book holds a million customers, and
`keyaccount.calendar.deadline` costs microseconds (time-zone conversion, working-day
arithmetic). A day period (`Days`, `Workdays`) falls due at a moment that depends only
on the local date of its start, and many customers share a date, so `Deadlines` asks
`deadline` once per local start date and lends the answer to every start of that date.
The rules themselves stay in `keyaccount.calendar`; nothing here computes a due date of
its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs
import pendulum

from keyaccount.calendar import Days, Deadline, Period, WorkCalendar, Workdays, deadline
from keyaccount.errors import DateOutOfRangeError

__all__ = ["Deadlines", "LocalDays", "SharedDeadline"]

_SAME_DAY: Final = Days(0)


class LocalDays:
    """The calendar's local days of instants, and the deadline of a whole day.

    A workspace of one call (its memo lives as long as the call): not a value.
    """

    __slots__ = ("_whole_days", "calendar", "tz")

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.tz = calendar.tz
        self._whole_days: dict[int, Deadline] = {}

    def local(self, at: pendulum.DateTime) -> pendulum.DateTime:
        """``at`` in the calendar's time zone (the same instant)."""
        return at if at.tzinfo is self.tz else at.in_timezone(self.tz)

    def day_of(self, at: pendulum.DateTime) -> int:
        """The proleptic ordinal of ``at``'s date in the calendar's time zone.

        Raises:
            DateOutOfRangeError: that local date is before 0001-01-01 or after 9999-12-31
                (``0001-01-01T00:00+14:00`` is still 31 December of year 0 in Shanghai).
        """
        if at.tzinfo is self.tz:
            return dt.datetime.toordinal(at)
        try:
            return dt.datetime.toordinal(at.in_timezone(self.tz))
        except OverflowError:
            after = at.year > 1
            raise DateOutOfRangeError(
                f"the local date of {at.isoformat()} in {self.calendar.timezone}", after=after
            ) from None

    def whole_day(self, day: int) -> Deadline:
        """The deadline of something due on local day ``day`` (an ordinal), from its start.

        That is `deadline(midnight starting day, Days(0), calendar)`: it starts at the
        local midnight that begins the day and falls due at the one that ends it.
        """
        found = self._whole_days.get(day)
        if found is None:
            date = dt.date.fromordinal(day)
            midnight = pendulum.datetime(date.year, date.month, date.day, tz=self.tz)
            found = self._whole_days[day] = deadline(midnight, _SAME_DAY, self.calendar)
        return found


@attrs.frozen
class SharedDeadline:
    """The deadline of every start on one local day under one period.

    Attributes:
        deadline: `deadline(start, period, calendar)` for the first such start met; its
            ``at``, ``period`` and ``date`` hold for every start of that day, its
            ``start`` only for that first one (see `Deadlines.starting`).
        due_day: the proleptic ordinal of ``deadline.date``; ``None`` for hour periods.
    """

    deadline: Deadline
    due_day: int | None


class Deadlines:
    """`deadline(start, period, calendar)` for many starts and one period.

    A workspace of one call (its memo lives as long as the call): not a value.
    """

    __slots__ = ("_by_day", "days", "is_day_period", "period")

    def __init__(self, period: Period, days: LocalDays) -> None:
        self.period = period
        self.days = days
        self.is_day_period = isinstance(period, Days | Workdays)
        self._by_day: dict[int, SharedDeadline] = {}

    def shared(self, start: pendulum.DateTime) -> SharedDeadline:
        """The deadline of ``start``, shared by every start of its local day.

        Its ``at`` (and so `Deadline.is_breached`) is that of
        `deadline(start, period, calendar)`; give it to `starting` for the deadline
        of ``start`` itself.

        Raises:
            CalendarCoverageError: a working-day deadline is outside the calendar's years.
        """
        if not self.is_day_period:
            return SharedDeadline(deadline(start, self.period, self.days.calendar), None)
        day = self.days.day_of(start)
        found = self._by_day.get(day)
        if found is None:
            due = deadline(start, self.period, self.days.calendar)
            assert due.date is not None  # a day period always has a due date
            found = self._by_day[day] = SharedDeadline(due, due.date.toordinal())
        return found

    def starting(self, start: pendulum.DateTime, shared: SharedDeadline) -> Deadline:
        """`deadline(start, period, calendar)` from the deadline ``start``'s day shares."""
        if shared.deadline.start == start:
            return shared.deadline
        return attrs.evolve(shared.deadline, start=self.days.local(start))
