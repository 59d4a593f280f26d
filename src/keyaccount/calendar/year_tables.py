"""Which days are holidays and make-up working days (调休), year by year, and from where?

A `YearTable` is one year's exceptions to the weekly pattern with the notice it was
transcribed from. `china_years` gathers mainland China's statutory tables from the
`chinesecalendar` package (which transcribes the State Council's yearly notices,
国务院办公厅关于…部分节假日安排的通知) from `CHINA_FIRST_YEAR` on, extended by tables a
caller transcribed. Years outside the data are never estimated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs

from keyaccount.errors import InvalidCalendarError, NotADateError

__all__ = [
    "CHINA_FIRST_YEAR",
    "ChinaYears",
    "YearTable",
    "china_years",
    "date_set",
    "refuse_clashes",
]

#: The first year `WorkCalendar.china` covers. `chinesecalendar` and `holidays` agree on
#: every day from 2006 on (they differ on 2005-12-31), and the test suite checks that
#: agreement for every covered year.
CHINA_FIRST_YEAR: Final = 2006


def date_set(value: Iterable[dt.date]) -> frozenset[dt.date]:
    """attrs converter: a set of plain dates (holidays, make-up working days).

    Raises:
        NotADateError: an element is not a date (a datetime counts as not a date).
    """
    result = set()
    for day in value:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise NotADateError(f"holidays and extra working days are dates, got {day!r}")
        result.add(dt.date(day.year, day.month, day.day))
    return frozenset(result)


def refuse_clashes(holidays: frozenset[dt.date], extra_workdays: frozenset[dt.date]) -> None:
    """Refuse a day listed both as a holiday and as a make-up working day.

    Raises:
        InvalidCalendarError: such a day exists (the earliest is named).
    """
    both = holidays & extra_workdays
    if both:
        raise InvalidCalendarError(f"{min(both)} is both a holiday and a working day")


@attrs.frozen
class YearTable:
    """One year's exceptions to the weekly pattern, with where they come from.

    Use it to extend `WorkCalendar.china` to a year the shipped data does not cover
    yet, from that year's State Council notice.

    Args:
        year: the calendar year.
        holidays: days off that would otherwise be working days (the whole break may be listed).
        extra_workdays: make-up working days (调休) on what would otherwise be rest days.
        source: the notice the table was transcribed from.

    Raises:
        InvalidCalendarError: a date of another year, or a day both off and on.
        NotADateError: a holiday or working day that is not a date.
    """

    year: int
    holidays: frozenset[dt.date] = attrs.field(converter=date_set)
    extra_workdays: frozenset[dt.date] = attrs.field(converter=date_set)
    source: str

    def __attrs_post_init__(self) -> None:
        for day in self.holidays | self.extra_workdays:
            if day.year != self.year:
                raise InvalidCalendarError(f"{day} is listed in the table of {self.year}")
        refuse_clashes(self.holidays, self.extra_workdays)


@attrs.frozen
class ChinaYears:
    """The statutory exceptions of a contiguous run of years (what `china_years` returns)."""

    holidays: frozenset[dt.date]
    extra_workdays: frozenset[dt.date]
    covered_years: tuple[int, int]


def china_years(extra_years: Iterable[YearTable] = ()) -> ChinaYears:
    """Mainland China's holidays and make-up working days, with the years they cover.

    The shipped data runs from `CHINA_FIRST_YEAR` to the last year the installed
    `chinesecalendar` package knows (https://github.com/LKI/chinese-calendar);
    `extra_years` continue that run, each right before or after it.

    Args:
        extra_years: tables the caller transcribed for years the data lacks.

    Returns:
        The holidays, make-up working days and `(first, last)` covered years.

    Raises:
        InvalidCalendarError: an extra year is already covered or would leave a gap.
    """
    import chinese_calendar  # noqa: PLC0415 - holiday tables load on first use, not on import

    holidays = {d for d in chinese_calendar.holidays if d.year >= CHINA_FIRST_YEAR}
    workdays = {d for d in chinese_calendar.workdays if d.year >= CHINA_FIRST_YEAR}
    first, last = CHINA_FIRST_YEAR, max(d.year for d in chinese_calendar.holidays)
    for table in sorted(extra_years, key=lambda t: t.year):
        if first <= table.year <= last:
            raise InvalidCalendarError(
                f"{table.year} is already covered ({first}-{last}); extra years extend it"
            )
        if table.year not in (first - 1, last + 1):
            raise InvalidCalendarError(
                f"extra year {table.year} would leave a gap after the covered {first}-{last}"
            )
        first, last = min(first, table.year), max(last, table.year)
        holidays |= table.holidays
        workdays |= table.extra_workdays
    return ChinaYears(frozenset(holidays), frozenset(workdays), (first, last))
