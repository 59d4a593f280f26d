"""Is this a working day, and how much working time lies ahead? The company's calendar.

A `WorkCalendar` holds a company's weekly rest days, holidays, make-up working days
(调休), working-hour windows and time zone, and answers "is this a working day", "what is
the n-th working day after this one" and "how much working time lies between these two
instants". `WorkCalendar.china()` is mainland China's statutory calendar.

Examples:
    >>> import datetime as dt
    >>> cal = WorkCalendar.china()
    >>> cal.is_workday(dt.date(2025, 9, 28))   # a Sunday made a working day (调休)
    True
    >>> cal.add_workdays(dt.date(2025, 9, 30), 1)   # across the National Day break
    Date(2025, 10, 9)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs
import pendulum

from keyaccount._fields import CHINA_TIMEZONE, to_instant, to_timedelta
from keyaccount.calendar._tables import CalendarTables
from keyaccount.calendar.working_hours import WorkingWindow, working_windows
from keyaccount.calendar.year_tables import (
    YearTable,
    china_years,
    date_set,
    refuse_clashes,
    year_set,
)
from keyaccount.errors import (
    DateOutOfRangeError,
    InvalidArgumentTypeError,
    InvalidCalendarError,
    InvalidPeriodError,
    InvalidTimezoneError,
    NotADateError,
)

__all__ = ["WorkCalendar"]

_DEFAULT_HOURS: Final = (("09:00", "12:00"), ("13:00", "18:00"))
#: The date types taken as they are; anything else goes through `_local_date`.
_PLAIN_DATES: Final = frozenset({dt.date, pendulum.Date})
_ZERO: Final = dt.timedelta(0)


def _rest_days(value: Iterable[int]) -> frozenset[int]:
    days = frozenset(value)
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise InvalidCalendarError(
                f"weekly rest days are ISO weekday numbers 1 (Monday) to 7 (Sunday), got {day!r}"
            )
    if len(days) == 7:
        raise InvalidCalendarError("a week needs at least one working day")
    return days


def _timezone(value: str) -> str:
    if not isinstance(value, str):
        raise InvalidTimezoneError(
            f"a time zone is an IANA name such as {CHINA_TIMEZONE!r}, got {type(value).__name__}"
        )
    try:
        pendulum.timezone(value)
    except ValueError as error:  # pendulum's InvalidTimezone
        raise InvalidTimezoneError(f"unknown time zone {value!r}") from error
    return value


def _covered_years(value: tuple[int, int] | None) -> tuple[int, int] | None:
    """attrs converter: `None` or a `(first, last)` pair of int years in 1-9999."""
    if value is None:
        return None
    pair = tuple(value) if isinstance(value, (tuple, list)) else ()
    if len(pair) != 2 or any(isinstance(y, bool) or not isinstance(y, int) for y in pair):
        shown = ", ".join(type(y).__name__ for y in pair) if pair else type(value).__name__
        raise InvalidCalendarError(
            f"covered_years is None or a (first, last) pair of int years, got {shown}"
        )
    first, last = pair
    if not dt.MINYEAR <= first <= last <= dt.MAXYEAR:
        raise InvalidCalendarError(
            f"covered_years {pair} is not a range of years within {dt.MINYEAR}-{dt.MAXYEAR}"
        )
    return (first, last)


def _zone(calendar: WorkCalendar) -> pendulum.Timezone:
    return pendulum.timezone(calendar.timezone)


@attrs.frozen
class WorkCalendar:
    """A company's working calendar.

    A day is a working day when its weekday is not a weekly rest day and it is not a
    holiday, or when it is listed as an extra working day (a make-up day, 调休).
    Working time is the time inside the `hours` windows of working days, in the
    calendar's `timezone`.

    Attributes:
        weekly_rest_days: ISO weekday numbers (Monday = 1 ... Sunday = 7); default
            Saturday and Sunday. The seed company that rests on Tuesday uses `{2}`.
        hours: working-hour windows as `("HH:MM", "HH:MM")` pairs, e.g.
            `[("09:00", "12:00"), ("14:30", "18:00")]`; default 09:00-12:00, 13:00-18:00.
        timezone: an IANA time zone name; default `CHINA_TIMEZONE` (`Asia/Shanghai`).
        holidays: dates that are not working days despite their weekday.
        extra_workdays: dates that are working days despite their weekday.
        covered_years: `(first, last)` when the holiday lists are only known for
            those years: any date outside raises `CalendarCoverageError`. `None`
            means the lists are complete for every year (a custom company calendar).
        name: a label for messages and reports.
        provisional_years: covered years whose holidays are estimates, not a notice
            (see `WorkCalendar.china(provisional=True)`); a deadline that touches one is
            marked `provisional`.

    Raises:
        InvalidPeriodError: malformed or overlapping working-hour windows.
        InvalidCalendarError: bad rest days, a day both off and on, dates outside
            `covered_years`.
        InvalidTimezoneError: `timezone` is not a known IANA zone name.
        NotADateError: a holiday or extra working day that is not a date.
    """

    weekly_rest_days: frozenset[int] = attrs.field(default=frozenset({6, 7}), converter=_rest_days)
    hours: tuple[WorkingWindow, ...] = attrs.field(
        default=_DEFAULT_HOURS, converter=working_windows
    )
    timezone: str = attrs.field(default=CHINA_TIMEZONE, converter=_timezone)
    holidays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=date_set)
    extra_workdays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=date_set)
    covered_years: tuple[int, int] | None = attrs.field(default=None, converter=_covered_years)
    name: str = "custom"
    provisional_years: frozenset[int] = attrs.field(default=frozenset(), converter=year_set)
    _tz: pendulum.Timezone = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_zone, takes_self=True)
    )
    _tables: CalendarTables = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(CalendarTables, takes_self=True)
    )

    def __attrs_post_init__(self) -> None:
        refuse_clashes(self.holidays, self.extra_workdays)
        if self.covered_years is not None:
            first, last = self.covered_years
            if first > last:
                raise InvalidCalendarError(f"covered_years {self.covered_years} is not a range")
            outside = sorted(
                d for d in self.holidays | self.extra_workdays if not first <= d.year <= last
            )
            if outside:
                raise InvalidCalendarError(
                    f"{outside[0]} lies outside the covered years {first}-{last}"
                )
        first, last = self.covered_years or (1, 0)
        for year in sorted(self.provisional_years):
            if not first <= year <= last:
                raise InvalidCalendarError(
                    f"provisional year {year!r} is not among the covered years {first}-{last}"
                )

    @classmethod
    def china(
        cls,
        *,
        hours: Iterable[tuple[str, str] | WorkingWindow] = _DEFAULT_HOURS,
        timezone: str = CHINA_TIMEZONE,
        extra_years: Iterable[YearTable] = (),
        provisional: bool = False,
    ) -> WorkCalendar:
        """Mainland China's statutory calendar: Monday-Friday plus holidays and 调休.

        The holidays and make-up working days come from the `chinesecalendar` package
        (see `china_years`) for `CHINA_FIRST_YEAR` to the last year the installed
        package ships. `extra_years` extends coverage with tables the caller
        transcribed; they must continue the covered range without a gap (a table of a
        year the data covers must agree with it).

        `provisional=True` opts into estimates: every year after the last known one, up
        to the end of the provisional rules' table, gets the statutory holidays of the
        rules in force and no make-up working days (see
        `keyaccount.calendar.provisional`). Those years are `provisional_years`, and
        every deadline touching them is marked `provisional`. By default an uncovered
        year raises `CalendarCoverageError`.

        Raises:
            InvalidCalendarError: an extra year disagrees with the data or leaves a gap.
        """
        years = china_years(extra_years, provisional=provisional)
        return cls(
            weekly_rest_days=frozenset({6, 7}),
            hours=tuple(hours),
            timezone=timezone,
            holidays=years.holidays,
            extra_workdays=years.extra_workdays,
            covered_years=years.covered_years,
            name="china",
            provisional_years=years.provisional_years,
        )

    @property
    def tz(self) -> pendulum.Timezone:
        """The calendar's time zone as a pendulum `Timezone` (built once)."""
        return self._tz

    def in_timezone(self, at: dt.datetime) -> pendulum.DateTime:
        """The instant `at` as a pendulum instant in the calendar's time zone.

        The same instant, read on the calendar's clocks; like pendulum's own
        `in_timezone`, an instant already in the calendar's zone comes back as it is.
        The conversion is the standard library's, and one pendulum value is built.

        Examples:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> cal.in_timezone(pendulum.datetime(2026, 10, 8, 23, 30, tz="UTC"))
            DateTime(2026, 10, 9, 7, 30, 0, tzinfo=Timezone('Asia/Shanghai'))

        Raises:
            NaiveDatetimeError: `at` has no time zone.
            NotAnInstantError: `at` is not a datetime.
            DateOutOfRangeError: in the calendar's zone `at` falls before 0001-01-01 or
                after 9999-12-31.
        """
        instant = to_instant(at, "at")
        if instant.tzinfo is self._tz:
            return instant
        try:
            return self._tables.in_zone(instant)
        except DateOutOfRangeError as error:
            raise DateOutOfRangeError(
                f"{instant} in {self.timezone}", after=error.year > dt.MAXYEAR
            ) from None

    def start_of_day(self, day: dt.date) -> pendulum.DateTime:
        """The first instant of the local date `day` in the calendar's time zone.

        Local midnight; where a clock change skips midnight, the first instant that
        exists on that day. A datetime is first converted to the calendar's zone and
        its local date used.

        Examples:
            >>> import datetime as dt
            >>> WorkCalendar.china().start_of_day(dt.date(2026, 10, 9))
            DateTime(2026, 10, 9, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai'))

        Raises:
            NotADateError: `day` is not a date.
        """
        if type(day) not in _PLAIN_DATES:
            day = self._local_date(day, "day")
        return self._tables.day_start(day.toordinal())

    # ------------------------------------------------------------------ days

    def touches_provisional(self, start: dt.date, end: dt.date) -> bool:
        """Whether any day from `start` to `end` (either order) lies in a provisional year.

        A result computed over those days rests on an estimate, not on a notice.
        """
        a, b = self._local_date(start, "start").year, self._local_date(end, "end").year
        low, high = min(a, b), max(a, b)
        return any(low <= year <= high for year in self.provisional_years)

    def _local_date(self, day: dt.date, what: str = "date") -> dt.date:
        if isinstance(day, dt.datetime):
            return dt.datetime.date(self.in_timezone(to_instant(day, what)))
        if not isinstance(day, dt.date):
            raise NotADateError(f"{what} must be a date, got {type(day).__name__}")
        return day

    def is_workday(self, day: dt.date) -> bool:
        """Whether `day` is a working day.

        A datetime is first converted to the calendar's time zone and its local date used.

        Raises:
            CalendarCoverageError: `day` is outside the covered years.
        """
        return self._tables.is_workday(self._local_date(day))

    def add_workdays(self, day: dt.date, n: int) -> pendulum.Date:
        """The working day `n` working days from `day`.

        For `n >= 1` the n-th working day strictly after `day`; for `n = 0`, `day`
        itself if it is a working day, else the next one; a negative `n` counts back
        (`-1` is the last working day strictly before `day`).

        Any `n` is answered at once: beyond its prefix table a company calendar counts
        whole weeks in closed form.

        Raises:
            InvalidArgumentTypeError: `n` is not an `int` (a bool or a float is refused).
            CalendarCoverageError: the answer lies outside the covered years.
            DateOutOfRangeError: the answer lies before 0001-01-01 or after 9999-12-31.
        """
        if type(day) not in _PLAIN_DATES:  # one set lookup: this is the hot path of deadlines
            day = self._local_date(day)
        if type(n) is not int:  # one identity check: True and 1.0 are not counts
            raise InvalidArgumentTypeError(f"n must be an int, got {type(n).__name__}")
        table = self._tables.table  # an empty table until the first question
        i = day.toordinal() - table.base
        if i >= 0:
            try:
                # cum[i] working days lie up to `day` included, so in table.workdays the
                # first one after `day` has index cum[i] and `day` itself (if working)
                # cum[i] - 1; n = 0 means `day` itself if working, else the next one.
                k = table.cum[i] + n - (1 if n > 0 else table.is_work[i])
                if k >= 0:
                    return table.workdays[k]
            except IndexError:  # `day` or the answer lies beyond the table's last day
                pass
        return self._tables.add_workdays(day, n)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range `(start, end]`; negative if `end < start`.

        `workdays_between(d, add_workdays(d, n)) == n` for every `n >= 1`.
        """
        start, end = self._local_date(start, "start"), self._local_date(end, "end")
        if end < start:
            return -self._tables.workdays_between(end, start)
        return self._tables.workdays_between(start, end)

    def working_days(self, start: dt.date, end: dt.date) -> tuple[pendulum.Date, ...]:
        """Every working day in the closed range `[start, end]`, in order."""
        start, end = self._local_date(start, "start"), self._local_date(end, "end")
        return tuple(
            pendulum.Date.fromordinal(o)
            for o in range(start.toordinal(), end.toordinal() + 1)
            if self._tables.is_workday(dt.date.fromordinal(o))
        )

    # ------------------------------------------------------------------ working time

    def is_working_time(self, at: dt.datetime) -> bool:
        """Whether the instant `at` lies inside a working window (start in, end out)."""
        return self._tables.is_working_time(to_instant(at, "at"))

    def next_working_time(self, at: dt.datetime) -> pendulum.DateTime:
        """`at` if it is working time, else the start of the next working window."""
        return self._tables.next_working_time(to_instant(at, "at"))

    def add_working_time(self, at: dt.datetime, duration: dt.timedelta) -> pendulum.DateTime:
        """The instant when `duration` of working time has passed since `at`.

        Time outside the working windows does not count. A start outside working hours
        begins counting at the next window; a duration that ends exactly at the close of
        a window ends there (not at the next opening). A zero duration returns `at`.

        Examples:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> friday = pendulum.datetime(2026, 2, 13, 17, 30, tz="Asia/Shanghai")
            >>> cal.add_working_time(friday, dt.timedelta(hours=4))  # Saturday 14th is a 调休 day
            DateTime(2026, 2, 14, 13, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
            >>> cal.add_working_time(friday, dt.timedelta(hours=9))  # then the break, to the 24th
            DateTime(2026, 2, 24, 9, 30, 0, tzinfo=Timezone('Asia/Shanghai'))

        `duration` may be a `timedelta`, a pendulum `Duration` or a pendulum `Interval`
        (the difference of two instants). Any duration is answered at once: beyond its
        prefix table a company calendar counts whole working days in closed form.

        Raises:
            NotADurationError: `duration` is not a duration.
            InvalidPeriodError: `duration` is negative, or a pendulum `Duration` in
                months or years (which have no fixed length).
            CalendarCoverageError: the answer lies outside the covered years.
            DateOutOfRangeError: the answer lies after 9999-12-31.
        """
        instant = to_instant(at, "at")
        duration = to_timedelta(duration, "duration")
        if duration < _ZERO:
            raise InvalidPeriodError(f"duration must not be negative, got {duration}")
        if not duration:
            return self._tables.in_zone(instant)
        return self._tables.add_working_time(instant, duration)

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time inside `[start, end]`; negative if `end` is before `start`.

        `working_time_between(a, add_working_time(a, d)) == d` for every `d >= 0`.
        Costs two table lookups (or two closed-form counts) whatever the distance
        between the instants.

        Raises:
            CalendarCoverageError: either instant is outside the covered years.
            DateOutOfRangeError: a working window of the first or last day cannot be
                represented (it would fall before 0001-01-01 or after 9999-12-31 in UTC).
        """
        return self._tables.working_time_between(to_instant(start, "start"), to_instant(end, "end"))

    def working_time_per_day(self) -> dt.timedelta:
        """The nominal working time of a full working day (sum of the windows)."""
        return dt.timedelta(minutes=sum(w.minutes for w in self.hours))
