"""Which days are holidays and make-up working days (调休), year by year, and from where?

A `YearTable` is one year's exceptions to the weekly pattern with the notice it was
transcribed from, optionally as the notice's named breaks (`HolidayBreak`: 元旦, 春节 ...,
each with its make-up working days). `china_years` gathers mainland China's statutory
tables from the `chinesecalendar` package (which transcribes the State Council's yearly
notices, 国务院办公厅关于…部分节假日安排的通知) from `CHINA_FIRST_YEAR` on, extended by
tables a caller transcribed and, only when asked, by provisional estimates of later years
(`keyaccount.calendar.provisional`). Nothing is ever estimated silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs

from keyaccount._fields import optional_text, text
from keyaccount.errors import InvalidArgumentTypeError, InvalidCalendarError, NotADateError

__all__ = [
    "CHINA_FIRST_YEAR",
    "ChinaYears",
    "HolidayBreak",
    "YearTable",
    "china_years",
    "date_set",
    "refuse_clashes",
    "year_set",
]

#: The first year `WorkCalendar.china` covers. `chinesecalendar` and `holidays` agree on
#: every day from 2006 on (they differ on 2005-12-31), and the test suite checks that
#: agreement for every covered year.
CHINA_FIRST_YEAR: Final = 2006
#: ISO weekdays of the Chinese weekend: the only days a make-up working day can fall on.
_WEEKEND: Final = frozenset({6, 7})
_ONE_DAY: Final = dt.timedelta(days=1)


def date_set(value: Iterable[dt.date]) -> frozenset[dt.date]:
    """attrs converter: a set of plain dates (holidays, make-up working days).

    Raises:
        NotADateError: an element is not a date (a datetime counts as not a date), or
            `value` is not a collection of dates at all.
    """
    if isinstance(value, (str, bytes, dt.date)) or not isinstance(value, Iterable):
        raise NotADateError(f"expected a collection of dates, got {type(value).__name__}")
    result = set()
    for day in value:
        result.add(_plain_date(day))
    return frozenset(result)


def year_set(value: Iterable[int]) -> frozenset[int]:
    """attrs converter: a set of calendar years (ints, not bools).

    Raises:
        InvalidCalendarError: an element is not an int year, or `value` is no collection.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidCalendarError(f"expected a collection of years, got {type(value).__name__}")
    return frozenset(_year(year) for year in value)


def _plain_date(day: object) -> dt.date:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise NotADateError(f"holidays and extra working days are dates, got {day!r}")
    return dt.date(day.year, day.month, day.day)


def refuse_clashes(holidays: frozenset[dt.date], extra_workdays: frozenset[dt.date]) -> None:
    """Refuse a day listed both as a holiday and as a make-up working day.

    Raises:
        InvalidCalendarError: such a day exists (the earliest is named).
    """
    both = holidays & extra_workdays
    if both:
        raise InvalidCalendarError(f"{min(both)} is both a holiday and a working day")


def _year(value: object) -> int:
    """attrs converter: a calendar year, an `int` from 1 to 9999 (not a bool, not text)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidCalendarError(f"a year is an int such as 2027, got {type(value).__name__}")
    if not dt.MINYEAR <= value <= dt.MAXYEAR:
        raise InvalidCalendarError(f"a year lies in {dt.MINYEAR}-{dt.MAXYEAR}, got {value}")
    return value


@attrs.frozen
class HolidayBreak:
    """One item of a State Council notice: a named break and its make-up working days.

    "二、春节：2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班。" is
    `HolidayBreak("春节", date(2026, 2, 15), date(2026, 2, 23), {date(2026, 2, 14),
    date(2026, 2, 28)})`. Every notice states each break as one run of days.

    Args:
        name: the festival(s), as the notice names them: 元旦, 春节, 清明节, 劳动节,
            端午节, 中秋节, 国庆节 (or "国庆节、中秋节" when they share a break).
        first: the first day off.
        last: the last day off (the break is every day from `first` to `last`).
        make_up_days: the weekend days worked instead (调休上班); may be empty.

    Raises:
        InvalidTextError: a blank name.
        NotADateError: a day that is not a date.
        InvalidCalendarError: `last` before `first`.
    """

    name: str = attrs.field(validator=text)
    first: dt.date = attrs.field(converter=_plain_date)
    last: dt.date = attrs.field(converter=_plain_date)
    make_up_days: frozenset[dt.date] = attrs.field(default=frozenset(), converter=date_set)

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidCalendarError(
                f"{self.name}: the break ends ({self.last}) before it starts"
            )

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every day of the break, `first` to `last`, in order."""
        count = (self.last - self.first).days + 1
        return tuple(self.first + i * _ONE_DAY for i in range(count))


def _breaks(value: Iterable[HolidayBreak]) -> tuple[HolidayBreak, ...]:
    result = tuple(value)
    for item in result:
        if not isinstance(item, HolidayBreak):
            raise InvalidCalendarError(f"breaks are HolidayBreak values, got {type(item).__name__}")
    return tuple(sorted(result, key=lambda b: (b.first, b.last, b.name)))


@attrs.frozen
class YearTable:
    """One year's exceptions to the weekly pattern, with where they come from.

    Use it to extend `WorkCalendar.china` to a year the shipped data does not cover
    yet, from that year's State Council notice: build it with `YearTable.from_breaks`
    (the notice's named breaks), or list the days directly, or load a year-table file
    (`keyaccount.io.load_year_tables`).

    Args:
        year: the calendar year (an `int`).
        holidays: days off that would otherwise be working days (the whole break may be
            listed).
        extra_workdays: make-up working days (调休) on what would otherwise be rest days:
            each is a Saturday or a Sunday.
        source: the notice the table was transcribed from, e.g.
            "国务院办公厅关于2027年部分节假日安排的通知".
        number: the notice's document number (文号), e.g. "国办发明电〔2026〕7号".
        published: the day the notice was published.
        breaks: the notice's named breaks; when given, `holidays` and `extra_workdays`
            are exactly their days (`from_breaks` fills them in).
        provisional: the table is an estimate, not a transcribed notice; every result a
            calendar computes from it is marked provisional.

    Raises:
        InvalidCalendarError: a year that is not an int in 1-9999, a date of another
            year, a day both off and on, a make-up day on a weekday, breaks that overlap
            or disagree with the day lists.
        InvalidTextError: a blank source or document number.
        NotADateError: a holiday or working day that is not a date.
    """

    year: int = attrs.field(converter=_year)
    holidays: frozenset[dt.date] = attrs.field(converter=date_set)
    extra_workdays: frozenset[dt.date] = attrs.field(converter=date_set)
    source: str = attrs.field(validator=text)
    number: str | None = attrs.field(default=None, kw_only=True, validator=optional_text)
    published: dt.date | None = attrs.field(default=None, kw_only=True)
    breaks: tuple[HolidayBreak, ...] = attrs.field(default=(), kw_only=True, converter=_breaks)
    provisional: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )

    def __attrs_post_init__(self) -> None:
        for day in sorted(self.holidays | self.extra_workdays):
            if day.year != self.year:
                raise InvalidCalendarError(f"{day} is listed in the table of {self.year}")
        refuse_clashes(self.holidays, self.extra_workdays)
        for day in sorted(self.extra_workdays):
            if day.isoweekday() not in _WEEKEND:
                raise InvalidCalendarError(
                    f"make-up working day {day} is a {day:%A}, not a Saturday or Sunday"
                )
        if self.published is not None and (
            isinstance(self.published, dt.datetime) or not isinstance(self.published, dt.date)
        ):
            raise NotADateError(f"published must be a date, got {self.published!r}")
        if self.breaks:
            self._check_breaks()

    def _check_breaks(self) -> None:
        seen: dict[dt.date, str] = {}
        for item in self.breaks:
            for day in (*item.days, *sorted(item.make_up_days)):
                if day in seen:
                    raise InvalidCalendarError(
                        f"{day} is listed by both {seen[day]} and {item.name}"
                    )
                seen[day] = item.name
        off = frozenset(d for b in self.breaks for d in b.days)
        on = frozenset(d for b in self.breaks for d in b.make_up_days)
        if (off, on) != (self.holidays, self.extra_workdays):
            raise InvalidCalendarError(
                f"the {self.year} table's days disagree with its breaks; use YearTable.from_breaks"
            )

    @classmethod
    def from_breaks(
        cls,
        year: int,
        breaks: Iterable[HolidayBreak],
        *,
        source: str,
        number: str | None = None,
        published: dt.date | None = None,
        provisional: bool = False,
    ) -> YearTable:
        """The table of a notice given as its named breaks (holidays and 调休 filled in).

        Raises:
            InvalidCalendarError: as `YearTable` (a break in another year, overlapping
                breaks, a make-up day on a weekday or inside a break ...).
        """
        items = _breaks(breaks)
        return cls(
            year,
            holidays=frozenset(d for b in items for d in b.days),
            extra_workdays=frozenset(d for b in items for d in b.make_up_days),
            source=source,
            number=number,
            published=published,
            breaks=items,
            provisional=provisional,
        )


@attrs.frozen
class ChinaYears:
    """The statutory exceptions of a contiguous run of years (what `china_years` returns).

    `provisional_years` are the years inside `covered_years` that are estimates.
    """

    holidays: frozenset[dt.date]
    extra_workdays: frozenset[dt.date]
    covered_years: tuple[int, int]
    provisional_years: frozenset[int] = frozenset()


def _is_off(day: dt.date, holidays: frozenset[dt.date], workdays: frozenset[dt.date]) -> bool:
    return (day.isoweekday() in _WEEKEND or day in holidays) and day not in workdays


def _first_disagreement(
    table: YearTable, holidays: frozenset[dt.date], workdays: frozenset[dt.date]
) -> dt.date | None:
    """The first day of `table.year` the table and the data disagree on, if any."""
    day = dt.date(table.year, 1, 1)
    while day.year == table.year:
        if _is_off(day, table.holidays, table.extra_workdays) != _is_off(day, holidays, workdays):
            return day
        day += _ONE_DAY
    return None


def china_years(extra_years: Iterable[YearTable] = (), *, provisional: bool = False) -> ChinaYears:
    """Mainland China's holidays and make-up working days, with the years they cover.

    The shipped data runs from `CHINA_FIRST_YEAR` to the last year the installed
    `chinesecalendar` package knows (https://github.com/LKI/chinese-calendar);
    `extra_years` continue that run, each right before or after it. A table for a year
    the data already covers is accepted only when it agrees with the data on every day
    (so a company's transcription keeps working after the package catches up).
    With `provisional=True`, every later year the provisional rules know is estimated
    (see `keyaccount.calendar.provisional`) and listed in `provisional_years`; so is
    every extra table marked `provisional`.

    Args:
        extra_years: tables the caller transcribed for years the data lacks.
        provisional: estimate the years after the last known one.

    Returns:
        The holidays, make-up working days, `(first, last)` covered years and the
        provisional years among them.

    Raises:
        InvalidCalendarError: an extra year disagrees with the data, would leave a gap, or
            two extra tables share a year.
        InvalidArgumentTypeError: `provisional` is not a bool.
    """
    import chinese_calendar  # noqa: PLC0415 - holiday tables load on first use, not on import

    if not isinstance(provisional, bool):
        raise InvalidArgumentTypeError(f"provisional is True or False, got {provisional!r}")

    data_holidays = frozenset(d for d in chinese_calendar.holidays if d.year >= CHINA_FIRST_YEAR)
    data_workdays = frozenset(d for d in chinese_calendar.workdays if d.year >= CHINA_FIRST_YEAR)
    holidays, workdays = set(data_holidays), set(data_workdays)
    first, last = CHINA_FIRST_YEAR, max(d.year for d in chinese_calendar.holidays)
    data_last = last
    estimated: set[int] = set()
    seen: set[int] = set()
    for table in sorted(extra_years, key=lambda t: t.year):
        if not isinstance(table, YearTable):
            raise InvalidCalendarError(f"extra years are YearTable values, got {table!r}")
        if table.year in seen:
            raise InvalidCalendarError(f"{table.year} is already covered by another extra table")
        seen.add(table.year)
        if CHINA_FIRST_YEAR <= table.year <= data_last:
            differs = _first_disagreement(table, data_holidays, data_workdays)
            if differs is not None:
                raise InvalidCalendarError(
                    f"{table.year} is already covered ({CHINA_FIRST_YEAR}-{data_last}) and "
                    f"the table disagrees with the data on {differs}"
                )
            continue
        if table.year not in (first - 1, last + 1):
            raise InvalidCalendarError(
                f"extra year {table.year} would leave a gap after the covered {first}-{last}"
            )
        first, last = min(first, table.year), max(last, table.year)
        holidays |= table.holidays
        workdays |= table.extra_workdays
        if table.provisional:
            estimated.add(table.year)
    if provisional:
        from keyaccount.calendar.provisional import (  # noqa: PLC0415 - a layer below, on demand
            PROVISIONAL_YEARS,
            estimate_china_year,
        )

        for year in range(last + 1, PROVISIONAL_YEARS[1] + 1):
            table = estimate_china_year(year)
            holidays |= table.holidays
            estimated.add(year)
            last = year
    return ChinaYears(frozenset(holidays), frozenset(workdays), (first, last), frozenset(estimated))
