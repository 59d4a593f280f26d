"""By when is something due? A period added to a start on a calendar.

`deadline(start, period, calendar)` turns a start instant and a period (`Days`,
`Workdays`, `Hours`, `WorkingHours`) into a `Deadline`: the instant it falls due and,
for day periods, the local due date.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from keyaccount._fields import add_duration, earlier, instant, to_instant
from keyaccount.calendar.periods import Days, Hours, Period, Workdays, WorkingHours
from keyaccount.calendar.work_calendar import WorkCalendar
from keyaccount.errors import DateOutOfRangeError, InvalidPeriodError

__all__ = ["Deadline", "deadline", "end_of_local_day"]


@attrs.frozen
class Deadline:
    """When something falls due.

    Attributes:
        start: the instant the period started from, in the calendar's time zone.
        period: the period that was added.
        at: the instant it falls due: work done strictly before `at` is on time.
            For a day period this is the local midnight that ends the due date, in the
            calendar's time zone (see `end_of_local_day`).
        provisional: whether the computation used a provisional year's estimated
            holidays (`WorkCalendar.china(provisional=True)`): the deadline may move
            when that year's notice is published. Calendar-day and clock-hour periods
            use no holidays and are never provisional.
    """

    start: pendulum.DateTime = attrs.field(converter=instant)
    period: Period
    at: pendulum.DateTime = attrs.field(converter=instant)
    provisional: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )

    @property
    def date(self) -> pendulum.Date | None:
        """The local due date for `Days` and `Workdays`; `None` for hour periods.

        It is the day `at` ends: the local date of the last instant before `at`, in
        the time zone of `start` (the calendar's).
        """
        if not isinstance(self.period, (Days, Workdays)):
            return None
        zone = self.start.timezone  # always set: `instant` made `start` a pendulum instant
        local_at = self.at if zone is None else self.at.in_timezone(zone)
        return local_at.subtract(microseconds=1).date()

    def is_met_by(self, done: dt.datetime) -> bool:
        """Whether something done at `done` meets the deadline (`done < at`)."""
        return earlier(to_instant(done, "done"), self.at)

    def is_breached(self, as_of: dt.datetime) -> bool:
        """Whether the deadline has passed at `as_of` (`as_of >= at`)."""
        return not earlier(to_instant(as_of, "as_of"), self.at)


def end_of_local_day(day: dt.date, calendar: WorkCalendar) -> pendulum.DateTime:
    """The instant the local date `day` ends: the next day's first instant, local time.

    A day period falls due then. Where a clock change skips midnight it is the first
    instant that exists on the next day.

    Raises:
        DateOutOfRangeError: `day` is 9999-12-31, whose end cannot be represented.
    """
    if day >= dt.date.max:
        raise DateOutOfRangeError(f"the end of {day}", after=True)
    return calendar.start_of_day(dt.date.fromordinal(day.toordinal() + 1))


def deadline(start: dt.datetime, period: Period, calendar: WorkCalendar) -> Deadline:
    """When something started at `start` falls due after `period` under `calendar`.

    * `Days(n)`: `.date` is the start's local date plus `n` calendar days.
    * `Workdays(n)`: `.date` is `calendar.add_workdays(start's local date, n)`. A
      start on a rest day therefore gets the whole of the first working day after it
      as its first day (Saturday + 1 workday is Monday, like Friday + 1 workday).
    * Day periods fall due at the end of `.date` in the calendar's time zone (`.at`
      is the following local midnight).
    * `Hours(n)`: exactly `n` hours later, nights and holidays included.
    * `WorkingHours(n)`: `n` hours of working time; a start outside working hours
      starts counting at the next working window.

    The start is converted to the calendar's time zone before any date is taken, so a
    request sent at 23:30 UTC counts from the next morning's date in Shanghai.

    Examples:
        >>> import pendulum
        >>> cal = WorkCalendar.china()
        >>> d = deadline(pendulum.datetime(2025, 9, 30, 15, tz="Asia/Shanghai"), Workdays(3), cal)
        >>> d.date, d.at
        (Date(2025, 10, 11), DateTime(2025, 10, 12, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai')))

    Args:
        start: when the period starts (an aware instant).
        period: how long it may take.
        calendar: the calendar working days, working time and local dates come from.

    Returns:
        The deadline.

    Raises:
        NaiveDatetimeError: `start` has no time zone.
        InvalidPeriodError: `period` is not one of the four kinds.
        CalendarCoverageError: a working-day or working-time answer is outside the data.
        DateOutOfRangeError: the deadline (or the start, in the calendar's zone) would
            fall after 9999-12-31 or before 0001-01-01.
    """
    local = _local_start(to_instant(start, "start"), calendar)
    if isinstance(period, Days):
        if period.n > dt.date.max.toordinal() - local.toordinal():
            raise DateOutOfRangeError(f"{period} after {local.date()}", after=True)
        due = local.date().add(days=period.n)
        return Deadline(local, period, end_of_local_day(due, calendar))
    if isinstance(period, Workdays):
        day = dt.datetime.date(local)  # a plain date: pendulum's would cost more than the rule
        due = calendar.add_workdays(day, period.n)
        provisional = bool(calendar.provisional_years) and calendar.touches_provisional(day, due)
        return Deadline(local, period, end_of_local_day(due, calendar), provisional=provisional)
    if isinstance(period, Hours):
        return Deadline(local, period, _add_hours(local, period))
    if isinstance(period, WorkingHours):
        at = calendar.add_working_time(local, period.duration)
        provisional = bool(calendar.provisional_years) and calendar.touches_provisional(local, at)
        return Deadline(local, period, at, provisional=provisional)
    raise InvalidPeriodError(
        f"period must be Days, Workdays, Hours or WorkingHours, got {period!r}"
    )


def _local_start(start: pendulum.DateTime, calendar: WorkCalendar) -> pendulum.DateTime:
    """`start` in the calendar's zone (which may push it past the first or last date)."""
    return calendar.in_timezone(start)


def _add_hours(local: pendulum.DateTime, period: Hours) -> pendulum.DateTime:
    """`local + period`, around the clock."""
    return add_duration(local, period.duration, f"the deadline of {period} after")
