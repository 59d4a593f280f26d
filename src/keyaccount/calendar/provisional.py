"""What will a year's statutory holidays probably be, before its notice is published?

Opt-in only (`WorkCalendar.china(provisional=True)`): an estimate of an uncovered year
from the rules in force, never used unless asked for, and every result computed from it
is marked provisional (`Deadline.provisional`).

The rules are those of 《全国年节及纪念日放假办法》 as revised by the State Council's
decision of November 2024 (国务院令第795号), in force since 1 January 2025:

| festival | days off |
|---|---|
| 元旦 New Year's Day | 1: 1 January |
| 春节 Spring Festival | 4: Chinese New Year's Eve (除夕) and 正月初一 to 初三 |
| 清明节 Qingming | 1: the day of the Qingming solar term |
| 劳动节 Labour Day | 2: 1 and 2 May |
| 端午节 Dragon Boat | 1: the 5th day of the 5th lunar month |
| 中秋节 Mid-Autumn | 1: the 15th day of the 8th lunar month |
| 国庆节 National Day | 3: 1 to 3 October |

and its article 6: a day off for every citizen that falls on a Saturday or Sunday is
given back on a working day (补假). The estimate gives it back on the first weekday after
the festival that is not already off, which is what every notice since 2008 has done.

What cannot be estimated is left out: the make-up working days (调休) and the weekdays
the State Council swaps for them to join a break to a weekend are decided each year, so
a provisional year has none. Its days off are therefore a subset of the real ones, and
the notice will differ from it by its swaps: each swapped weekday becomes a day off and
its make-up weekend day a working day, moving a working-day deadline that spans them
(in either direction) by up to a few days. That is why every result is marked.

The lunar and solar-term dates come from a table (`FESTIVAL_DATES`), not from an
astronomical computation: the dates of 正月初一, 清明, 端午 and 中秋 for 2025-2050 as
published in the Hong Kong Observatory's Gregorian-Lunar Calendar Conversion Tables
(https://www.hko.gov.hk/en/gts/time/conversion.htm), which follow the Purple Mountain
Observatory's calendar (GB/T 33661-2017 《农历的编算和颁行》). The test suite checks every
entry against two independent libraries and against the published notices of 2025 and
2026. A year outside the table is not estimated: `CalendarCoverageError`.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from keyaccount.calendar.year_tables import HolidayBreak, YearTable
from keyaccount.errors import CalendarCoverageError

__all__ = [
    "FESTIVAL_DATES",
    "PROVISIONAL_RULES",
    "PROVISIONAL_YEARS",
    "StatutoryDay",
    "estimate_china_year",
    "statutory_days",
]

#: The regulation the estimate follows.
PROVISIONAL_RULES: Final = "全国年节及纪念日放假办法 (国务院令第795号, in force since 2025-01-01)"

#: Per year: (正月初一 month, day), 清明 April day, (端午 month, day), (中秋 month, day).
#: Source: Hong Kong Observatory, Gregorian-Lunar Calendar Conversion Tables.
FESTIVAL_DATES: Final[dict[int, tuple[tuple[int, int], int, tuple[int, int], tuple[int, int]]]] = {
    2025: ((1, 29), 4, (5, 31), (10, 6)),
    2026: ((2, 17), 5, (6, 19), (9, 25)),
    2027: ((2, 6), 5, (6, 9), (9, 15)),
    2028: ((1, 26), 4, (5, 28), (10, 3)),
    2029: ((2, 13), 4, (6, 16), (9, 22)),
    2030: ((2, 3), 5, (6, 5), (9, 12)),
    2031: ((1, 23), 5, (6, 24), (10, 1)),
    2032: ((2, 11), 4, (6, 12), (9, 19)),
    2033: ((1, 31), 4, (6, 1), (9, 8)),
    2034: ((2, 19), 5, (6, 20), (9, 27)),
    2035: ((2, 8), 5, (6, 10), (9, 16)),
    2036: ((1, 28), 4, (5, 30), (10, 4)),
    2037: ((2, 15), 4, (6, 18), (9, 24)),
    2038: ((2, 4), 5, (6, 7), (9, 13)),
    2039: ((1, 24), 5, (5, 27), (10, 2)),
    2040: ((2, 12), 4, (6, 14), (9, 20)),
    2041: ((2, 1), 4, (6, 3), (9, 10)),
    2042: ((1, 22), 4, (6, 22), (9, 28)),
    2043: ((2, 10), 5, (6, 11), (9, 17)),
    2044: ((1, 30), 4, (5, 31), (10, 5)),
    2045: ((2, 17), 4, (6, 19), (9, 25)),
    2046: ((2, 6), 4, (6, 8), (9, 15)),
    2047: ((1, 26), 5, (5, 29), (10, 4)),
    2048: ((2, 14), 4, (6, 15), (9, 22)),
    2049: ((2, 2), 4, (6, 4), (9, 11)),
    2050: ((1, 23), 4, (6, 23), (9, 30)),
}

#: The first and last year an estimate can be made for: from the rules' entry into force
#: to the end of the festival table.
PROVISIONAL_YEARS: Final = (min(FESTIVAL_DATES), max(FESTIVAL_DATES))

_ONE_DAY: Final = dt.timedelta(days=1)
_WEEKEND: Final = frozenset({6, 7})


@attrs.frozen
class StatutoryDay:
    """One statutory day off of a year, as the regulation names it.

    Attributes:
        name: the festival (元旦, 春节 ...).
        date: the day.
    """

    name: str
    date: dt.date


def statutory_days(year: int) -> tuple[StatutoryDay, ...]:
    """The 13 statutory days off of `year` under the rules in force, in date order.

    These are the days the regulation itself names, before any day is given back for a
    weekend (补假) and before the State Council's arrangement (调休).

    Examples:
        >>> [d.date.isoformat() for d in statutory_days(2027) if d.name == "春节"]
        ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']

    Raises:
        CalendarCoverageError: `year` is outside `PROVISIONAL_YEARS`.
    """
    if isinstance(year, bool) or not isinstance(year, int) or year not in FESTIVAL_DATES:
        shown = year if isinstance(year, int) else 0
        raise CalendarCoverageError(shown, PROVISIONAL_YEARS, "provisional rules")
    new_year, qingming, duanwu, mid_autumn = FESTIVAL_DATES[year]
    first_lunar_day = dt.date(year, *new_year)
    days = [
        StatutoryDay("元旦", dt.date(year, 1, 1)),
        *(StatutoryDay("春节", first_lunar_day + k * _ONE_DAY) for k in range(-1, 3)),
        StatutoryDay("清明节", dt.date(year, 4, qingming)),
        StatutoryDay("劳动节", dt.date(year, 5, 1)),
        StatutoryDay("劳动节", dt.date(year, 5, 2)),
        StatutoryDay("端午节", dt.date(year, *duanwu)),
        StatutoryDay("中秋节", dt.date(year, *mid_autumn)),
        *(StatutoryDay("国庆节", dt.date(year, 10, k)) for k in (1, 2, 3)),
    ]
    return tuple(sorted(days, key=lambda d: d.date))


def _festival_days(year: int) -> dict[str, list[dt.date]]:
    """Each festival's days off: its statutory weekdays plus the days given back (补假)."""
    taken: set[dt.date] = set()
    result: dict[str, list[dt.date]] = {}
    for festival in dict.fromkeys(d.name for d in statutory_days(year)):
        dates = [d.date for d in statutory_days(year) if d.name == festival]
        days, owed = result.setdefault(festival, []), 0
        for day in dates:
            if day.isoweekday() in _WEEKEND or day in taken:
                owed += 1
            else:
                days.append(day)
                taken.add(day)
        day = dates[-1]
        while owed:
            day += _ONE_DAY
            if day.isoweekday() not in _WEEKEND and day not in taken:
                days.append(day)
                taken.add(day)
                owed -= 1
        days.extend(d for d in dates if d not in days)  # the weekend days, for the break
    return result


def _only_weekend_between(a: dt.date, b: dt.date) -> bool:
    day = a + _ONE_DAY
    while day < b:
        if day.isoweekday() not in _WEEKEND:
            return False
        day += _ONE_DAY
    return True


def estimate_china_year(year: int) -> YearTable:
    """A provisional table of `year`: the statutory days and the days given back for them.

    Each festival becomes a break from its first to its last day off; breaks that
    overlap or are separated only by a weekend are joined, as the notices join them
    ("国庆节、中秋节"). No make-up working days are estimated. (除夕 would fall in the
    previous year only if 正月初一 were 1 January, which it never is: 正月初一 lies
    between 21 January and 20 February.)

    Examples:
        >>> table = estimate_china_year(2027)
        >>> table.provisional, sorted(table.extra_workdays)
        (True, [])
        >>> [(b.name, b.first.isoformat(), b.last.isoformat()) for b in table.breaks][:2]
        [('元旦', '2027-01-01', '2027-01-01'), ('春节', '2027-02-05', '2027-02-10')]

    Raises:
        CalendarCoverageError: `year` is outside `PROVISIONAL_YEARS`.
    """
    spans = sorted((min(days), max(days), name) for name, days in _festival_days(year).items())
    merged: list[tuple[dt.date, dt.date, str]] = []
    for first, last, name in spans:
        if merged and (first <= merged[-1][1] or _only_weekend_between(merged[-1][1], first)):
            m_first, m_last, m_name = merged[-1]
            merged[-1] = (m_first, max(m_last, last), f"{m_name}、{name}")
        else:
            merged.append((first, last, name))
    return YearTable.from_breaks(
        year,
        [HolidayBreak(name, first, last) for first, last, name in merged],
        source=f"provisional estimate from {PROVISIONAL_RULES}; no make-up working days",
        provisional=True,
    )
