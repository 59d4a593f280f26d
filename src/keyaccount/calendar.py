"""The working calendar: rest days, statutory holidays, make-up working days and hours.

A :class:`WorkCalendar` answers "is this a working day", "what is the n-th working day
after this one" and "how much working time lies between these two instants". Periods
(:class:`Days`, :class:`Workdays`, :class:`Hours`, :class:`WorkingHours`) turn a start
instant into a :class:`Deadline` through :func:`deadline`.

The Chinese statutory calendar (:meth:`WorkCalendar.china`) takes its holidays and
make-up working days (调休) from the ``chinesecalendar`` package, which transcribes the
State Council's yearly notices (国务院办公厅关于…部分节假日安排的通知). Years outside the
data raise :class:`~keyaccount.errors.CalendarCoverageError`; they are never estimated.

>>> import datetime as dt
>>> cal = WorkCalendar.china()
>>> cal.is_workday(dt.date(2025, 9, 28))   # a Sunday made a working day (调休)
True
>>> cal.add_workdays(dt.date(2025, 9, 30), 1)   # across the National Day break
Date(2025, 10, 9)
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterable
from typing import Final, TypeAlias

import attrs
import pendulum

from keyaccount.errors import CalendarCoverageError, InvalidPeriodError, NaiveDatetimeError

__all__ = [
    "CHINA_FIRST_YEAR",
    "Days",
    "Deadline",
    "Hours",
    "Period",
    "WorkCalendar",
    "Workdays",
    "WorkingHours",
    "WorkingWindow",
    "YearTable",
    "deadline",
    "parse_period",
    "to_instant",
]

#: The first year :meth:`WorkCalendar.china` covers. ``chinesecalendar`` and
#: ``holidays`` agree on every day from 2006 on (they differ on 2005-12-31), and the
#: test suite checks that agreement for every covered year.
CHINA_FIRST_YEAR: Final = 2006

_UTC: Final = dt.UTC
_HHMM = re.compile(r"([01]\d|2[0-4]):([0-5]\d)")
_ONE_DAY: Final = dt.timedelta(days=1)


def to_instant(value: dt.datetime, what: str = "instant") -> pendulum.DateTime:
    """Return ``value`` as an aware :class:`pendulum.DateTime`.

    Args:
        value: a timezone-aware ``pendulum.DateTime`` or stdlib ``datetime``.
        what: the name of the argument, for the error message.

    Raises:
        NaiveDatetimeError: ``value`` has no timezone.
        TypeError: ``value`` is not a datetime at all (a bare date, a string...).
    """
    if isinstance(value, pendulum.DateTime):
        if value.tzinfo is None:
            raise NaiveDatetimeError(f"{what} {value!r} has no timezone; give an aware datetime")
        return value
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{what} must be a timezone-aware datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(f"{what} {value!r} has no timezone; give an aware datetime")
    return pendulum.instance(value)


# --------------------------------------------------------------------------- periods


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
    """``n`` calendar days: due before the end of the start's local date plus ``n`` days."""

    n: int = attrs.field(validator=_non_negative)

    def __str__(self) -> str:
        return _count(self.n, "day")


@attrs.frozen
class Workdays:
    """``n`` working days: due before the end of ``add_workdays(start's local date, n)``."""

    n: int = attrs.field(validator=_non_negative)

    def __str__(self) -> str:
        return _count(self.n, "workday")


@attrs.frozen
class Hours:
    """Elapsed time, around the clock: due at exactly ``start + n hours (+ minutes)``."""

    n: int = attrs.field(validator=_non_negative)
    minutes: int = attrs.field(default=0, validator=_minutes)

    @property
    def duration(self) -> dt.timedelta:
        """The period as a ``timedelta``."""
        return dt.timedelta(hours=self.n, minutes=self.minutes)

    def __str__(self) -> str:
        return _count(self.n, "hour") + (
            f" {_count(self.minutes, 'minute')}" if self.minutes else ""
        )


@attrs.frozen
class WorkingHours:
    """Working time: only time inside the calendar's working-hour windows counts."""

    n: int = attrs.field(validator=_non_negative)
    minutes: int = attrs.field(default=0, validator=_minutes)

    @property
    def duration(self) -> dt.timedelta:
        """The period as a ``timedelta`` of working time."""
        return dt.timedelta(hours=self.n, minutes=self.minutes)

    def __str__(self) -> str:
        return _count(self.n, "working hour") + (
            f" {_count(self.minutes, 'minute')}" if self.minutes else ""
        )


Period: TypeAlias = Days | Workdays | Hours | WorkingHours

_PERIOD_TEXT = re.compile(
    r"\s*(\d+)\s+(days?|workdays?|hours?|working hours?)(?:\s+(\d+)\s+minutes?)?\s*"
)


def parse_period(text: str) -> Period:
    """Read a period as ``str(period)`` writes it: ``"3 workdays"``, ``"1 working hour"``.

    Singular and plural units are both accepted.

    >>> parse_period("4 working hours 30 minutes")
    WorkingHours(n=4, minutes=30)

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


# --------------------------------------------------------------------------- calendar data


def _to_time(text: str | dt.time) -> dt.time:
    if isinstance(text, dt.time):
        return text
    match = _HHMM.fullmatch(text) if isinstance(text, str) else None
    if match is None or (match[1] == "24" and match[2] != "00"):
        raise InvalidPeriodError(f"working hours must be 'HH:MM' strings, got {text!r}")
    if match[1] == "24":
        return dt.time(0, 0)  # end of day; handled by WorkingWindow
    return dt.time(int(match[1]), int(match[2]))


@attrs.frozen(order=True)
class WorkingWindow:
    """One span of working hours in a day, in local wall-clock time, ``start < end``.

    ``end`` may be ``"24:00"`` to run to midnight; it is then stored as 1440 minutes.
    """

    start_minute: int
    end_minute: int

    @classmethod
    def parse(cls, pair: tuple[str, str] | WorkingWindow) -> WorkingWindow:
        """Make a window from a ``("HH:MM", "HH:MM")`` pair."""
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
        window = cls(start.hour * 60 + start.minute, end_minute)
        if window.start_minute >= window.end_minute:
            raise InvalidPeriodError(f"working-hours window {pair!r} must start before it ends")
        return window

    def __str__(self) -> str:
        def hhmm(minute: int) -> str:
            return f"{minute // 60:02d}:{minute % 60:02d}"

        return f"{hhmm(self.start_minute)}-{hhmm(self.end_minute)}"


def _to_windows(value: Iterable[tuple[str, str] | WorkingWindow]) -> tuple[WorkingWindow, ...]:
    windows = tuple(sorted(WorkingWindow.parse(pair) for pair in value))
    if not windows:
        raise InvalidPeriodError("a calendar needs at least one working-hours window")
    for before, after in itertools.pairwise(windows):
        if after.start_minute < before.end_minute:
            raise InvalidPeriodError(f"working-hours windows {before} and {after} overlap")
    return windows


def _to_rest_days(value: Iterable[int]) -> frozenset[int]:
    days = frozenset(value)
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise InvalidPeriodError(
                f"weekly rest days are ISO weekday numbers 1 (Monday) to 7 (Sunday), got {day!r}"
            )
    if len(days) == 7:
        raise InvalidPeriodError("a week needs at least one working day")
    return days


def _to_dates(value: Iterable[dt.date]) -> frozenset[dt.date]:
    result = set()
    for day in value:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise TypeError(f"holidays and extra working days are dates, got {day!r}")
        result.add(dt.date(day.year, day.month, day.day))
    return frozenset(result)


def _to_timezone(value: str) -> str:
    try:
        pendulum.timezone(value)
    except Exception as error:  # pendulum raises its own InvalidTimezone
        raise InvalidPeriodError(f"unknown timezone {value!r}") from error
    return value


@attrs.frozen
class YearTable:
    """One year's exceptions to the weekly pattern, with where they come from.

    Use it to extend :meth:`WorkCalendar.china` to a year the shipped data does not
    cover yet, from that year's State Council notice.

    Args:
        year: the calendar year.
        holidays: days off that would otherwise be working days (the whole break may be listed).
        extra_workdays: make-up working days (调休) on what would otherwise be rest days.
        source: the notice the table was transcribed from.
    """

    year: int
    holidays: frozenset[dt.date] = attrs.field(converter=_to_dates)
    extra_workdays: frozenset[dt.date] = attrs.field(converter=_to_dates)
    source: str

    def __attrs_post_init__(self) -> None:
        for day in self.holidays | self.extra_workdays:
            if day.year != self.year:
                raise InvalidPeriodError(f"{day} is listed in the table of {self.year}")
        both = self.holidays & self.extra_workdays
        if both:
            raise InvalidPeriodError(f"{sorted(both)[0]} is both a holiday and a working day")


class _Table:
    """Prefix counts of working days over a contiguous range of days (internal)."""

    __slots__ = ("base", "cum", "is_work", "size", "workdays")

    def __init__(
        self,
        first: dt.date,
        last: dt.date,
        rest_days: frozenset[int],
        holidays: frozenset[dt.date],
        extra: frozenset[dt.date],
    ) -> None:
        self.base = first.toordinal()
        self.size = last.toordinal() - self.base + 1
        self.is_work = bytearray(self.size)
        self.cum: list[int] = [0] * self.size  # cum[i]: working days in [first, first + i]
        self.workdays: list[pendulum.Date] = []
        count = 0
        weekday = first.isoweekday()
        for i in range(self.size):
            day = pendulum.Date.fromordinal(self.base + i)
            working = (weekday not in rest_days and day not in holidays) or day in extra
            if working:
                self.is_work[i] = 1
                self.workdays.append(day)
                count += 1
            self.cum[i] = count
            weekday = weekday % 7 + 1


class _Cache:
    """Mutable memo of derived tables; not part of a calendar's value (internal)."""

    __slots__ = ("table", "time_table", "time_table_of", "windows")

    def __init__(self) -> None:
        self.table: _Table | None = None
        self.windows: dict[int, tuple[tuple[dt.datetime, dt.datetime], ...]] = {}
        # time_table[i]: working microseconds in the days [first, first + i] of `table`.
        self.time_table: list[int] = []
        self.time_table_of: _Table | None = None


_DATE_TYPES: Final = frozenset({dt.date, pendulum.Date})
_MICROSECOND: Final = dt.timedelta(microseconds=1)


def _utc(value: dt.datetime) -> dt.datetime:
    """``value`` as a plain stdlib datetime in UTC (pendulum's own arithmetic not involved)."""
    offset = value.utcoffset()
    if offset is None:
        raise NaiveDatetimeError(f"{value!r} has no timezone")
    wall_as_utc = dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=_UTC,
    )
    return wall_as_utc - offset


def _from_utc(value: dt.datetime, tz: pendulum.Timezone) -> pendulum.DateTime:
    return pendulum.instance(value).in_timezone(tz)


@attrs.frozen
class WorkCalendar:
    """A company's working calendar.

    A day is a working day when its weekday is not a weekly rest day and it is not a
    holiday, or when it is listed as an extra working day (a make-up day, 调休).
    Working time is the time inside the ``hours`` windows of working days, in the
    calendar's ``timezone``.

    Args:
        weekly_rest_days: ISO weekday numbers (Monday = 1 ... Sunday = 7); default
            Saturday and Sunday. The seed company that rests on Tuesday uses ``{2}``.
        hours: working-hour windows as ``("HH:MM", "HH:MM")`` pairs, e.g.
            ``[("09:00", "12:00"), ("14:30", "18:00")]``; default 09:00-12:00, 13:00-18:00.
        timezone: an IANA timezone name; default ``Asia/Shanghai``.
        holidays: dates that are not working days despite their weekday.
        extra_workdays: dates that are working days despite their weekday.
        covered_years: ``(first, last)`` when the holiday lists are only known for
            those years: any date outside raises ``CalendarCoverageError``. ``None``
            means the lists are complete for every year (a custom company calendar).
        name: a label for messages and reports.

    Raises:
        InvalidPeriodError: bad rest days, windows or timezone.
    """

    weekly_rest_days: frozenset[int] = attrs.field(
        default=frozenset({6, 7}), converter=_to_rest_days
    )
    hours: tuple[WorkingWindow, ...] = attrs.field(
        default=(("09:00", "12:00"), ("13:00", "18:00")), converter=_to_windows
    )
    timezone: str = attrs.field(default="Asia/Shanghai", converter=_to_timezone)
    holidays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_to_dates)
    extra_workdays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_to_dates)
    covered_years: tuple[int, int] | None = None
    name: str = "custom"
    _cache: _Cache = attrs.field(factory=_Cache, init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        both = self.holidays & self.extra_workdays
        if both:
            raise InvalidPeriodError(f"{sorted(both)[0]} is both a holiday and a working day")
        if self.covered_years is not None:
            first, last = self.covered_years
            if first > last:
                raise InvalidPeriodError(f"covered_years {self.covered_years} is not a range")
            outside = sorted(
                d for d in self.holidays | self.extra_workdays if not first <= d.year <= last
            )
            if outside:
                raise InvalidPeriodError(
                    f"{outside[0]} lies outside the covered years {first}-{last}"
                )

    # ------------------------------------------------------------------ constructors

    @classmethod
    def china(
        cls,
        *,
        hours: Iterable[tuple[str, str] | WorkingWindow] = (("09:00", "12:00"), ("13:00", "18:00")),
        timezone: str = "Asia/Shanghai",
        extra_years: Iterable[YearTable] = (),
    ) -> WorkCalendar:
        """Mainland China's statutory calendar: Monday-Friday plus holidays and 调休.

        The holidays and make-up working days come from the ``chinesecalendar``
        package (https://github.com/LKI/chinese-calendar), transcribed from the State
        Council's yearly notices, for :data:`CHINA_FIRST_YEAR` to the last year the
        installed package ships. ``extra_years`` extends coverage with tables the caller
        transcribed; they must continue the covered range without a gap.

        Raises:
            InvalidPeriodError: an extra year overlaps the data or leaves a gap.
        """
        import chinese_calendar  # noqa: PLC0415 - holiday tables load on first use, not on import

        holidays = {d for d in chinese_calendar.holidays if d.year >= CHINA_FIRST_YEAR}
        workdays = {d for d in chinese_calendar.workdays if d.year >= CHINA_FIRST_YEAR}
        first, last = CHINA_FIRST_YEAR, max(d.year for d in chinese_calendar.holidays)
        for table in sorted(extra_years, key=lambda t: t.year):
            if first <= table.year <= last:
                raise InvalidPeriodError(
                    f"{table.year} is already covered ({first}-{last}); extra years extend it"
                )
            if table.year not in (first - 1, last + 1):
                raise InvalidPeriodError(
                    f"extra year {table.year} would leave a gap after the covered {first}-{last}"
                )
            first, last = min(first, table.year), max(last, table.year)
            holidays |= table.holidays
            workdays |= table.extra_workdays
        return cls(
            weekly_rest_days=frozenset({6, 7}),
            hours=tuple(hours),
            timezone=timezone,
            holidays=frozenset(holidays),
            extra_workdays=frozenset(workdays),
            covered_years=(first, last),
            name="china",
        )

    # ------------------------------------------------------------------ day arithmetic

    @property
    def tz(self) -> pendulum.Timezone:
        """The calendar's timezone as a pendulum ``Timezone``."""
        return pendulum.timezone(self.timezone)

    def _table_for(self, ordinal: int) -> _Table:
        table = self._cache.table
        if table is not None and 0 <= ordinal - table.base < table.size:
            return table
        return self._build(ordinal)

    def _build(self, ordinal: int) -> _Table:
        year = dt.date.fromordinal(ordinal).year if 1 <= ordinal <= 3652059 else 0
        if self.covered_years is not None:
            first, last = self.covered_years
            if not first <= year <= last:
                raise CalendarCoverageError(year, self.covered_years, f"{self.name} calendar")
        else:
            known = [d.year for d in self.holidays | self.extra_workdays] + [year]
            old = self._cache.table
            if old is not None:
                known += [
                    dt.date.fromordinal(old.base).year,
                    dt.date.fromordinal(old.base + old.size - 1).year,
                ]
            first = max(1, min(known) - 5)
            last = min(9999, max(known) + 5)
            if not 1 <= year <= 9999:
                raise CalendarCoverageError(year, (1, 9999), "Python date range")
        table = _Table(
            dt.date(first, 1, 1),
            dt.date(last, 12, 31),
            self.weekly_rest_days,
            self.holidays,
            self.extra_workdays,
        )
        self._cache.table = table
        return table

    def _local_date(self, day: dt.date, what: str = "date") -> dt.date:
        if isinstance(day, dt.datetime):
            return to_instant(day, what).in_timezone(self.tz).date()
        if not isinstance(day, dt.date):
            raise TypeError(f"{what} must be a date, got {type(day).__name__}")
        return day

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day.

        A datetime is first converted to the calendar's timezone and its local date used.

        Raises:
            CalendarCoverageError: ``day`` is outside the covered years.
        """
        day = self._local_date(day)
        ordinal = day.toordinal()
        table = self._table_for(ordinal)
        return table.is_work[ordinal - table.base] == 1

    def add_workdays(self, day: dt.date, n: int) -> pendulum.Date:
        """The working day ``n`` working days from ``day``.

        For ``n >= 1`` the n-th working day strictly after ``day``; for ``n = 0``, ``day``
        itself if it is a working day, else the next one; a negative ``n`` counts back
        (``-1`` is the last working day strictly before ``day``).

        Raises:
            CalendarCoverageError: the answer lies outside the covered years.
        """
        table = self._cache.table
        if n > 0 and table is not None and type(day) in _DATE_TYPES:
            # Fast path: one subtraction and two list lookups. A negative index cannot
            # occur (cum >= 0, n >= 1); an index past either table raises IndexError.
            i = day.toordinal() - table.base
            if i >= 0:
                try:
                    return table.workdays[table.cum[i] + n - 1]
                except IndexError:
                    pass
        return self._add_workdays(day, n)

    def _add_workdays(self, day: dt.date, n: int) -> pendulum.Date:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            day = self._local_date(day)
        ordinal = day.toordinal()
        table = self._table_for(ordinal)
        i = ordinal - table.base
        if not 0 <= i < table.size:
            table = self._build(ordinal)
            i = ordinal - table.base
        count = table.cum[i]
        if n > 0:
            k = count + n - 1
        elif n == 0:
            k = count - 1 if table.is_work[i] else count
        else:
            k = count - table.is_work[i] + n
        if 0 <= k < len(table.workdays):
            return table.workdays[k]
        return self._add_workdays_beyond(day, n)

    def _add_workdays_beyond(self, day: dt.date, n: int) -> pendulum.Date:
        """Slow path: the answer lies outside the current table."""
        if self.covered_years is not None:
            first, last = self.covered_years
            raise CalendarCoverageError(last + 1 if n >= 0 else first - 1, self.covered_years)
        table = self._cache.table
        if table is None:  # pragma: no cover - _add_workdays built it just before
            raise CalendarCoverageError(day.year, (1, 9999), "calendar table")
        per_year = max(1, len(table.workdays) // max(1, table.size // 366))
        years = abs(n) // per_year + 2
        step = dt.date(min(9999, max(1, day.year + (years if n >= 0 else -years))), 1, 1)
        self._build(step.toordinal())
        return self._add_workdays(day, n)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range ``(start, end]``; negative if ``end < start``.

        ``workdays_between(d, add_workdays(d, n)) == n`` for every ``n >= 1``.
        """
        start, end = self._local_date(start, "start"), self._local_date(end, "end")
        if end < start:
            return -self.workdays_between(end, start)
        a, b = start.toordinal(), end.toordinal()
        table = self._table_for(a)
        if not 0 <= b - table.base < table.size:
            table = self._table_for(b)
            if not 0 <= a - table.base < table.size:  # only custom calendars grow to span both
                self._build(a)
                table = self._table_for(b)
        return int(table.cum[b - table.base] - table.cum[a - table.base])

    def working_days(self, start: dt.date, end: dt.date) -> list[pendulum.Date]:
        """Every working day in the closed range ``[start, end]``, in order."""
        start, end = self._local_date(start, "start"), self._local_date(end, "end")
        return [
            pendulum.Date.fromordinal(o)
            for o in range(start.toordinal(), end.toordinal() + 1)
            if self.is_workday(dt.date.fromordinal(o))
        ]

    # ------------------------------------------------------------------ working time

    def _day_windows(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The UTC instants bounding each working window of ``day`` (empty on rest days)."""
        ordinal = day.toordinal()
        cached = self._cache.windows.get(ordinal)
        if cached is not None:
            return cached
        if not self.is_workday(day):
            result: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
        else:
            tz = self.tz
            # Same-tzinfo arithmetic is wall-clock arithmetic: 09:00 local on that day.
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
            spans = []
            for window in self.hours:
                start = midnight + dt.timedelta(minutes=window.start_minute)
                end = midnight + dt.timedelta(minutes=window.end_minute)
                spans.append((start.astimezone(_UTC), end.astimezone(_UTC)))
            result = tuple(spans)
        self._cache.windows[ordinal] = result
        return result

    def is_working_time(self, at: dt.datetime) -> bool:
        """Whether the instant ``at`` lies inside a working window (start in, end out)."""
        instant = to_instant(at, "at")
        utc = _utc(instant)
        day = instant.in_timezone(self.tz).date()
        return any(start <= utc < end for start, end in self._day_windows(day))

    def next_working_time(self, at: dt.datetime) -> pendulum.DateTime:
        """``at`` if it is working time, else the start of the next working window."""
        instant = to_instant(at, "at")
        utc = _utc(instant)
        day: dt.date = instant.in_timezone(self.tz).date()
        while True:
            for start, end in self._day_windows(day):
                if utc < end:
                    return _from_utc(max(start, utc), self.tz)
            day = self.add_workdays(day, 1)

    def add_working_time(self, at: dt.datetime, duration: dt.timedelta) -> pendulum.DateTime:
        """The instant when ``duration`` of working time has passed since ``at``.

        Time outside the working windows does not count. A start outside working hours
        begins counting at the next window; a duration that ends exactly at the close of
        a window ends there (not at the next opening). A zero duration returns ``at``.

        >>> import pendulum
        >>> cal = WorkCalendar.china()
        >>> friday = pendulum.datetime(2026, 2, 13, 17, 30, tz="Asia/Shanghai")
        >>> cal.add_working_time(friday, dt.timedelta(hours=4))  # Saturday 14th is a 调休 day
        DateTime(2026, 2, 14, 13, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
        >>> cal.add_working_time(friday, dt.timedelta(hours=9))  # then the break, to the 24th
        DateTime(2026, 2, 24, 9, 30, 0, tzinfo=Timezone('Asia/Shanghai'))

        Raises:
            InvalidPeriodError: ``duration`` is negative.
            CalendarCoverageError: the answer lies outside the covered years.
        """
        instant = to_instant(at, "at")
        if duration < dt.timedelta(0):
            raise InvalidPeriodError(f"duration must not be negative, got {duration}")
        tz = self.tz
        if not duration:
            return instant.in_timezone(tz)
        utc = _utc(instant)
        day = instant.in_timezone(tz).date()
        wanted = duration // _MICROSECOND
        while True:
            table, cumulative = self._time_table(day.toordinal())
            target = self._working_us(utc, day, table, cumulative) + wanted
            i = bisect.bisect_left(cumulative, target)
            if i < len(cumulative):
                break
            self._grow_past(table, target - cumulative[-1])
        due_day = dt.date.fromordinal(table.base + i)
        remaining = target - (cumulative[i - 1] if i else 0)
        for start, end in self._day_windows(due_day):
            length = (end - start) // _MICROSECOND
            if remaining <= length:
                return _from_utc(start + dt.timedelta(microseconds=remaining), tz)
            remaining -= length
        raise AssertionError("unreachable: the prefix table and the day's windows disagree")

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time inside ``[start, end]``; negative if ``end`` is before ``start``.

        ``working_time_between(a, add_working_time(a, d)) == d`` for every ``d >= 0``.
        Costs two table lookups whatever the distance between the instants.
        """
        a, b = to_instant(start, "start"), to_instant(end, "end")
        if b < a:
            return -self.working_time_between(b, a)
        tz = self.tz
        day_a, day_b = a.in_timezone(tz).date(), b.in_timezone(tz).date()
        self._table_for(day_a.toordinal())
        table, cumulative = self._time_table(day_b.toordinal())
        if not 0 <= day_a.toordinal() - table.base < table.size:  # custom calendars grow
            self._build(day_a.toordinal())
            table, cumulative = self._time_table(day_b.toordinal())
        used = self._working_us(_utc(b), day_b, table, cumulative) - self._working_us(
            _utc(a), day_a, table, cumulative
        )
        return dt.timedelta(microseconds=used)

    def _time_table(self, ordinal: int) -> tuple[_Table, list[int]]:
        """The day table covering ``ordinal`` and its prefix sums of working time."""
        table = self._table_for(ordinal)
        cache = self._cache
        if cache.time_table_of is not table:
            cumulative: list[int] = []
            total = 0
            for i in range(table.size):
                if table.is_work[i]:
                    for w_start, w_end in self._day_windows(dt.date.fromordinal(table.base + i)):
                        total += (w_end - w_start) // _MICROSECOND
                cumulative.append(total)
            cache.time_table, cache.time_table_of = cumulative, table
        return table, cache.time_table

    def _working_us(
        self, utc: dt.datetime, day: dt.date, table: _Table, cumulative: list[int]
    ) -> int:
        """Working microseconds from the start of ``table`` to the instant ``utc`` on ``day``."""
        i = day.toordinal() - table.base
        total = cumulative[i - 1] if i > 0 else 0
        for start, end in self._day_windows(day):
            if utc <= start:
                break
            total += (min(utc, end) - start) // _MICROSECOND
        return total

    def _grow_past(self, table: _Table, missing_us: int) -> None:
        """Extend a custom calendar's table far enough for ``missing_us`` more working time."""
        last_year = dt.date.fromordinal(table.base + table.size - 1).year
        if self.covered_years is not None:
            raise CalendarCoverageError(last_year + 1, self.covered_years, f"{self.name} calendar")
        per_day = max(1, self.working_time_per_day() // _MICROSECOND)
        per_year = per_day * max(1, 7 - len(self.weekly_rest_days)) * 50
        years = missing_us // per_year + 2
        self._build(dt.date(min(9999, last_year + years), 1, 1).toordinal())

    def working_time_per_day(self) -> dt.timedelta:
        """The nominal working time of a full working day (sum of the windows)."""
        return dt.timedelta(minutes=sum(w.end_minute - w.start_minute for w in self.hours))


# --------------------------------------------------------------------------- deadlines


@attrs.frozen
class Deadline:
    """When something falls due.

    Attributes:
        start: the instant the period started from, in the calendar's timezone.
        period: the period that was added.
        at: the instant it falls due: work done strictly before ``at`` is on time.
            For a day period this is the midnight that ends ``date`` in the calendar's
            timezone.
        date: the local due date for ``Days`` and ``Workdays``; ``None`` for hour periods.
    """

    start: pendulum.DateTime
    period: Period
    at: pendulum.DateTime
    date: pendulum.Date | None = None

    def is_met_by(self, done: dt.datetime) -> bool:
        """Whether something done at ``done`` meets the deadline (``done < at``)."""
        return to_instant(done, "done") < self.at

    def is_breached(self, as_of: dt.datetime) -> bool:
        """Whether the deadline has passed at ``as_of`` (``as_of >= at``)."""
        return to_instant(as_of, "as_of") >= self.at


def _end_of_local_day(day: dt.date, tz: pendulum.Timezone) -> pendulum.DateTime:
    following = day + _ONE_DAY
    return pendulum.datetime(following.year, following.month, following.day, tz=tz)


def deadline(start: dt.datetime, period: Period, calendar: WorkCalendar) -> Deadline:
    """When something started at ``start`` falls due after ``period`` under ``calendar``.

    * ``Days(n)``: ``.date`` is the start's local date plus ``n`` calendar days.
    * ``Workdays(n)``: ``.date`` is ``calendar.add_workdays(start's local date, n)``. A
      start on a rest day therefore gets the whole of the first working day after it
      as its first day (Saturday + 1 workday is Monday, like Friday + 1 workday).
    * Day periods fall due at the end of ``.date`` in the calendar's timezone (``.at``
      is the following local midnight).
    * ``Hours(n)``: exactly ``n`` hours later, nights and holidays included.
    * ``WorkingHours(n)``: ``n`` hours of working time; a start outside working hours
      starts counting at the next working window.

    The start is converted to the calendar's timezone before any date is taken, so a
    request sent at 23:30 UTC counts from the next morning's date in Shanghai.

    >>> import pendulum
    >>> cal = WorkCalendar.china()
    >>> d = deadline(pendulum.datetime(2025, 9, 30, 15, tz="Asia/Shanghai"), Workdays(3), cal)
    >>> d.date, d.at
    (Date(2025, 10, 11), DateTime(2025, 10, 12, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai')))

    Raises:
        NaiveDatetimeError: ``start`` has no timezone.
        CalendarCoverageError: a working-day or working-time answer is outside the data.
    """
    tz = calendar.tz
    local = to_instant(start, "start").in_timezone(tz)
    if isinstance(period, Days):
        due = local.date().add(days=period.n)
        return Deadline(local, period, _end_of_local_day(due, tz), due)
    if isinstance(period, Workdays):
        due = calendar.add_workdays(local.date(), period.n)
        return Deadline(local, period, _end_of_local_day(due, tz), due)
    if isinstance(period, Hours):
        return Deadline(local, period, local + period.duration)
    if isinstance(period, WorkingHours):
        return Deadline(local, period, calendar.add_working_time(local, period.duration))
    raise TypeError(f"period must be Days, Workdays, Hours or WorkingHours, got {period!r}")
