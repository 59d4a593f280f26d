"""What does a month look like on the calendar? Its weeks, each day a working day or not, and why.

`month_grid(calendar, year, month)` lays a month out the way a wall calendar does:
weeks from Monday to Sunday, each day with its kind (a working day, a weekly rest day, a
holiday, or a make-up working day, 调休) and, where the calendar's data names it, the
holiday break the day belongs to. It is pure data, for a report, a web page or a
picture (the example notebooks draw it with matplotlib).

The kind follows the calendar's own rule (`WorkCalendar.is_workday`): a day the calendar
lists as a holiday is a holiday even on a weekend (the weekend days inside a break are
part of it), a weekend day it lists as an extra working day is a make-up day.

Holiday names: `WorkCalendar.china()` knows the breaks of every year it covers (from
the `chinesecalendar` data, and for a provisional year from its estimate); for any
calendar, the caller may pass the breaks it transcribed (`YearTable.breaks`).

Examples:
    >>> grid = month_grid(WorkCalendar.china(), 2026, 10)
    >>> grid.day(dt.date(2026, 10, 1)).kind, grid.day(dt.date(2026, 10, 1)).holiday
    (<DayKind.HOLIDAY: 'holiday'>, '国庆节')
    >>> grid.day(dt.date(2026, 10, 10)).kind.label
    '调休上班'
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from keyaccount._fields import LabelledEnum
from keyaccount.calendar.work_calendar import WorkCalendar
from keyaccount.calendar.year_tables import HolidayBreak
from keyaccount.errors import InvalidArgumentTypeError, InvalidCalendarError

__all__ = ["DayKind", "GridDay", "MonthGrid", "month_grid"]

#: English names of the festivals, by the names the State Council notices give them.
_ENGLISH: Final = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
    "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日": "Victory Day (70th anniversary)",
}
#: The notices' names of the festivals the `chinesecalendar` data names in English.
_NOTICE_NAMES: Final = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class DayKind(LabelledEnum):
    """What kind of day a day is on a calendar."""

    WORK = "work", "工作日"
    REST = "rest", "休息日"
    HOLIDAY = "holiday", "节假日"
    MAKE_UP = "make-up", "调休上班"

    @property
    def is_workday(self) -> bool:
        """Whether people work on a day of this kind (a working day or a make-up day)."""
        return self in (DayKind.WORK, DayKind.MAKE_UP)


@attrs.frozen
class GridDay:
    """One day of a month grid.

    Attributes:
        date: the day.
        kind: a working day, a weekly rest day, a holiday, or a make-up working day.
        holiday: the festival the day is off for, or worked for (a make-up day), by the
            notices' name (``国庆节``): in a shared break the China data names each day
            after its own festival, a break the caller passes names all its days
            (``国庆节、中秋节``); ``None`` for an ordinary day, or when nobody says.
        holiday_en: the English name of `holiday` where it is a festival the notices
            name (``National Day``); else ``None``.
    """

    date: dt.date
    kind: DayKind
    holiday: str | None = None
    holiday_en: str | None = None

    @property
    def is_workday(self) -> bool:
        """Whether the day is a working day (an ordinary one or a make-up day)."""
        return self.kind.is_workday


@attrs.frozen
class MonthGrid:
    """A month as weeks of days, Monday first, with what kind of day each is.

    Attributes:
        calendar: the name of the calendar the grid was read from (``china`` ...).
        year: the year.
        month: the month, 1-12.
        weeks: the weeks, each seven slots Monday to Sunday; a slot outside the month
            is ``None``.
        provisional: the month lies in a year whose holidays are an estimate (see
            `WorkCalendar.china(provisional=True)`).
    """

    calendar: str
    year: int
    month: int
    weeks: tuple[tuple[GridDay | None, ...], ...]
    provisional: bool = False

    @property
    def days(self) -> tuple[GridDay, ...]:
        """Every day of the month, in order."""
        return tuple(day for week in self.weeks for day in week if day is not None)

    def day(self, date: dt.date) -> GridDay:
        """The grid's entry for `date`.

        Raises:
            InvalidCalendarError: `date` is not in the grid's month.
        """
        for item in self.days:
            if item.date == date:
                return item
        raise InvalidCalendarError(f"{date} is not in {self.year}-{self.month:02d}")

    def count(self, kind: DayKind) -> int:
        """How many days of the month are of `kind`."""
        return sum(1 for day in self.days if day.kind is kind)

    def explain(self) -> str:
        """The month in one line: its working days, make-up days, holidays and rest days."""
        names = sorted({d.holiday for d in self.days if d.holiday is not None})
        breaks = f" ({', '.join(names)})" if names else ""
        estimate = "; holidays estimated (provisional)" if self.provisional else ""
        working = self.count(DayKind.WORK) + self.count(DayKind.MAKE_UP)
        return (
            f"{self.year}-{self.month:02d} on the {self.calendar} calendar: {working} working "
            f"days, of which {self.count(DayKind.MAKE_UP)} make-up (调休); "
            f"{self.count(DayKind.HOLIDAY)} holidays{breaks}; "
            f"{self.count(DayKind.REST)} rest days{estimate}"
        )


def _china_names(calendar: WorkCalendar, year: int) -> dict[dt.date, str]:
    """The break each holiday and make-up day of `year` belongs to, by the China data."""
    if year in calendar.provisional_years:
        from keyaccount.calendar.provisional import (  # noqa: PLC0415 - only for estimated years
            estimate_china_year,
        )

        return _break_names(estimate_china_year(year).breaks)
    import chinese_calendar  # noqa: PLC0415 - the holiday data loads on first use

    names: dict[dt.date, str] = {}
    for table in (chinese_calendar.holidays, chinese_calendar.workdays):
        for day, english in table.items():
            if day.year == year:
                names[day] = _NOTICE_NAMES.get(english, english)
    return names


def _break_names(breaks: Iterable[HolidayBreak]) -> dict[dt.date, str]:
    names: dict[dt.date, str] = {}
    for item in breaks:
        if not isinstance(item, HolidayBreak):
            raise InvalidArgumentTypeError(
                f"breaks are HolidayBreak values, got {type(item).__name__}"
            )
        for day in (*item.days, *item.make_up_days):
            names[day] = item.name
    return names


def _english(name: str) -> str | None:
    parts = [_ENGLISH.get(part) for part in name.split("、")]
    return None if None in parts else " and ".join(p for p in parts if p is not None)


def _kind(calendar: WorkCalendar, day: dt.date) -> DayKind:
    if calendar.is_workday(day):
        rest_day = day.isoweekday() in calendar.weekly_rest_days
        return DayKind.MAKE_UP if rest_day and day in calendar.extra_workdays else DayKind.WORK
    return DayKind.HOLIDAY if day in calendar.holidays else DayKind.REST


def _grid_day(calendar: WorkCalendar, day: dt.date, names: Mapping[dt.date, str]) -> GridDay:
    kind = _kind(calendar, day)
    name = names.get(day) if kind in (DayKind.HOLIDAY, DayKind.MAKE_UP) else None
    return GridDay(day, kind, name, None if name is None else _english(name))


def month_grid(
    calendar: WorkCalendar,
    year: int,
    month: int,
    *,
    breaks: Iterable[HolidayBreak] = (),
) -> MonthGrid:
    """A month of `calendar` as weeks of days, each a working, rest, holiday or make-up day.

    The kind of each day is the calendar's answer (`WorkCalendar.is_workday`), told
    apart by why: a make-up working day (调休) is one of the calendar's
    `extra_workdays`, a holiday one of its `holidays` (weekend days inside a break
    included), a rest day any other day off. Holiday names come from `breaks` when
    given, else, on `WorkCalendar.china()`, from the calendar's China data.

    Args:
        calendar: the calendar to read.
        year: the year (an `int`).
        month: the month, 1 to 12.
        breaks: named breaks the caller transcribed (e.g. `YearTable.breaks`); a day
            they name takes that name.

    Returns:
        The `MonthGrid`: Monday-first weeks, days outside the month as ``None``.

    Raises:
        InvalidArgumentTypeError: `calendar` is not a `WorkCalendar`, `year` or `month`
            not an `int`, or a break not a `HolidayBreak`.
        InvalidCalendarError: `month` is not 1-12, or `year` not 1-9999.
        CalendarCoverageError: the month lies outside the calendar's covered years.

    Examples:
        >>> grid = month_grid(WorkCalendar.china(), 2026, 2)
        >>> [d.date.day for d in grid.days if d.kind is DayKind.MAKE_UP]
        [14, 28]
    """
    if not isinstance(calendar, WorkCalendar):
        raise InvalidArgumentTypeError(
            f"calendar must be a WorkCalendar, got {type(calendar).__name__}"
        )
    for name, value in (("year", year), ("month", month)):
        if type(value) is not int:
            raise InvalidArgumentTypeError(f"{name} must be an int, got {type(value).__name__}")
    if not 1 <= month <= 12:
        raise InvalidCalendarError(f"a month is 1 to 12, got {month}")
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise InvalidCalendarError(f"a year lies in {dt.MINYEAR}-{dt.MAXYEAR}, got {year}")
    given = _break_names(breaks)
    calendar.is_workday(dt.date(year, month, 1))  # an uncovered month raises here, first
    names = _china_names(calendar, year) if calendar.name == "china" else {}
    names.update(given)
    weeks = tuple(
        tuple(
            None if number == 0 else _grid_day(calendar, dt.date(year, month, number), names)
            for number in week
        )
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
    )
    return MonthGrid(
        calendar.name,
        year,
        month,
        weeks,
        provisional=year in calendar.provisional_years,
    )
