"""Year-table files (TOML or JSON): the State Council's yearly holiday notices, transcribed.

A file holds one or more years; each year its source (the notice), and the notice's
named breaks with their make-up working days (调休)::

    [[years]]
    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"
    number = "国办发明电〔2026〕1号"      # optional: the notice's 文号
    published = 2026-11-01               # optional

    [[years.breaks]]
    name = "春节"
    first = 2027-02-05                   # first day off
    last = 2027-02-13                    # last day off
    days = 9                             # optional: the notice's 共N天, checked
    make_up_days = [2027-02-14]          # optional: weekend days worked (上班)

Dates are TOML dates or `"YYYY-MM-DD"` strings (JSON has only the strings). Every
problem of a file is reported together, each with its path: a key that is not one of
these, a date outside its year, a day both off and worked, a make-up day on a weekday, a
date or a year listed twice, a break that ends before it starts or whose `days` is not
its length. The file loads into `YearTable` values (`WorkCalendar.china(extra_years=...)`
takes them); dumping then loading gives back equal tables.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from keyaccount.calendar.year_tables import HolidayBreak, YearTable
from keyaccount.errors import DataFileError, DataProblem, InvalidCalendarError, KeyAccountError
from keyaccount.io._quoting import key_path, quote
from keyaccount.io.documents import Format, _write, dumps, loads, read_document

__all__ = ["dump_year_tables", "dumps_year_tables", "load_year_tables", "loads_year_tables"]

_TOP_KEYS: Final = frozenset({"years"})
_YEAR_KEYS: Final = frozenset({"year", "source", "number", "published", "provisional", "breaks"})
_BREAK_KEYS: Final = frozenset({"name", "first", "last", "days", "make_up_days"})
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKEND: Final = frozenset({6, 7})


def _shown(value: object) -> str:
    """`value` as a message may quote it (the shared, capped `quote`); tables and lists
    are named, not shown."""
    if isinstance(value, (Mapping, list)):
        return "a table" if isinstance(value, Mapping) else "a list"
    return quote(value)


class _Checker:
    """Collects the problems of one raw document while reading its values."""

    def __init__(self) -> None:
        self.problems: list[DataProblem] = []
        #: Where each date of the current year was listed first.
        self.listed: dict[dt.date, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append(DataProblem(path, message))

    def table(self, value: object, path: str, keys: frozenset[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a table, got {_shown(value)}")
            return None
        for key in value:
            if key not in keys:
                self.fail(key_path(path, key), f"unknown key (allowed: {', '.join(sorted(keys))})")
        return value

    def text(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected non-blank text, got {_shown(value)}")
            return None
        return value

    def year(self, value: object, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected a year such as 2027, got {_shown(value)}")
            return None
        if not dt.MINYEAR <= value <= dt.MAXYEAR:
            self.fail(path, f"a year lies in {dt.MINYEAR}-{dt.MAXYEAR}, got {_shown(value)}")
            return None
        return value

    def date(self, value: object, path: str, year: int | None = None) -> dt.date | None:
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            self.fail(path, f"expected a date, got a date-time {_shown(value.isoformat())}")
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                self.fail(path, f"no such date: {_shown(value)}")
        else:
            self.fail(path, f"expected a date YYYY-MM-DD, got {_shown(value)}")
        if day is not None and year is not None and day.year != year:
            self.fail(path, f"{day} is not in {year}")
            return None
        return day

    def claim(self, day: dt.date, path: str, *, off: bool) -> str | None:
        """Record that `day` is listed at `path` (as a day `off` or a make-up day).

        Returns:
            Why it cannot be, if `day` was listed before (`None` otherwise).
        """
        earlier = self.listed.get(day)
        if earlier is None:
            self.listed[day] = path
            return None
        if off == (".make_up_days[" in earlier):
            both = "a make-up working day" if off else "a day off"
            return f"{day} is both a day off and a make-up working day ({both} at {earlier})"
        return f"{day} is already listed at {earlier}"


def _break_days(
    check: _Checker, raw: Mapping[str, Any], path: str, first: dt.date, last: dt.date
) -> None:
    """Check a break's span: in order, as long as its `days` says, no day listed twice."""
    if last < first:
        check.fail(f"{path}.last", f"the break ends ({last}) before it starts ({first})")
        return
    length = (last - first).days + 1
    days = raw.get("days", length)
    if isinstance(days, bool) or days != length:
        check.fail(
            f"{path}.days", f"expected {length} (the days from first to last), got {_shown(days)}"
        )
    clashes = [
        why
        for i in range(length)
        if (why := check.claim(first + dt.timedelta(days=i), path, off=True)) is not None
    ]
    if clashes:
        extra = len(clashes) - 1
        more = f" (and {extra} more day{'s' * (extra > 1)})" if extra else ""
        check.fail(path, clashes[0] + more)


def _make_up_days(
    check: _Checker, raw: Mapping[str, Any], path: str, year: int | None
) -> list[dt.date]:
    """A break's make-up working days: weekend days of its year, not listed before."""
    make_up: list[dt.date] = []
    listed = raw.get("make_up_days", [])
    if not isinstance(listed, list):
        check.fail(f"{path}.make_up_days", f"expected a list of dates, got {_shown(listed)}")
        return make_up
    for index, item in enumerate(listed):
        item_path = f"{path}.make_up_days[{index}]"
        day = check.date(item, item_path, year)
        if day is None:
            continue
        why = check.claim(day, item_path, off=False)
        if day.isoweekday() not in _WEEKEND:
            check.fail(
                item_path, f"a make-up working day is a Saturday or Sunday; {day} is a {day:%A}"
            )
        elif why is not None:
            check.fail(item_path, why)
        else:
            make_up.append(day)
    return make_up


def _break(check: _Checker, value: object, path: str, year: int | None) -> HolidayBreak | None:
    raw = check.table(value, path, _BREAK_KEYS)
    if raw is None:
        return None
    count = len(check.problems)
    name = check.text(raw.get("name"), f"{path}.name")
    first = check.date(raw.get("first"), f"{path}.first", year)
    last = check.date(raw.get("last"), f"{path}.last", year)
    if first is not None and last is not None:
        _break_days(check, raw, path, first, last)
    make_up = _make_up_days(check, raw, path, year)
    if len(check.problems) > count or name is None or first is None or last is None:
        return None
    return HolidayBreak(name, first, last, frozenset(make_up))


def _year_table(check: _Checker, value: object, path: str) -> YearTable | None:
    raw = check.table(value, path, _YEAR_KEYS)
    if raw is None:
        return None
    count = len(check.problems)
    check.listed = {}
    year = check.year(raw.get("year"), f"{path}.year")
    source = check.text(raw.get("source"), f"{path}.source")
    number = None if raw.get("number") is None else check.text(raw["number"], f"{path}.number")
    published = None
    if raw.get("published") is not None:
        published = check.date(raw["published"], f"{path}.published")
    provisional = raw.get("provisional", False)
    if not isinstance(provisional, bool):
        check.fail(f"{path}.provisional", f"expected true or false, got {_shown(provisional)}")
    breaks_raw = raw.get("breaks", [])
    if not isinstance(breaks_raw, list):
        check.fail(f"{path}.breaks", f"expected a list of breaks, got {_shown(breaks_raw)}")
        breaks_raw = []
    breaks = [_break(check, item, f"{path}.breaks[{i}]", year) for i, item in enumerate(breaks_raw)]
    if len(check.problems) > count or year is None or source is None:
        return None
    try:
        return YearTable.from_breaks(
            year,
            [b for b in breaks if b is not None],
            source=source,
            number=number,
            published=published,
            provisional=bool(provisional),
        )
    except KeyAccountError as error:  # a rule the checks above missed: still located
        check.fail(path, str(error))
        return None


def _tables_from_data(data: object, source: str) -> tuple[YearTable, ...]:
    check = _Checker()
    raw = check.table(data, "$", _TOP_KEYS)
    tables: list[YearTable] = []
    if raw is not None:
        years = raw.get("years")
        if not isinstance(years, list):
            check.fail("$.years", f"expected a list of years ([[years]]), got {_shown(years)}")
            years = []
        first_listed: dict[object, int] = {}
        for index, item in enumerate(years):
            table = _year_table(check, item, f"$.years[{index}]")
            year = item.get("year") if isinstance(item, Mapping) else None
            if isinstance(year, int) and not isinstance(year, bool):
                if year in first_listed:
                    check.fail(
                        f"$.years[{index}].year",
                        f"{year} is already listed at $.years[{first_listed[year]}]",
                    )
                    continue
                first_listed[year] = index
            if table is not None:
                tables.append(table)
    if check.problems:
        raise DataFileError(source, check.problems)
    return tuple(tables)


def loads_year_tables(
    text: str, fmt: Format = "toml", *, source: str = "document"
) -> tuple[YearTable, ...]:
    """The year tables of a JSON or TOML document, in file order.

    Raises:
        DataFileError: every problem of the document, each with its path.
    """
    return _tables_from_data(loads(text, fmt, source=source), source)


def load_year_tables(path: str | Path, fmt: Format | None = None) -> tuple[YearTable, ...]:
    """The year tables of a `.toml` or `.json` file, in file order.

    Raises:
        DataFileError: every problem of the file (or of reading it), each with its path.
    """
    data, source = read_document(path, fmt)
    return _tables_from_data(data, source)


def _table_data(table: YearTable, fmt: Format) -> dict[str, Any]:
    if table.holidays and not table.breaks:
        raise InvalidCalendarError(
            f"the {table.year} table has no named breaks; build it with YearTable.from_breaks"
        )

    def day(value: dt.date) -> dt.date | str:
        return value if fmt == "toml" else value.isoformat()

    data: dict[str, Any] = {"year": table.year, "source": table.source}
    if table.number is not None:
        data["number"] = table.number
    if table.published is not None:
        data["published"] = day(table.published)
    if table.provisional:
        data["provisional"] = True
    data["breaks"] = [
        {
            "name": b.name,
            "first": day(b.first),
            "last": day(b.last),
            "days": len(b.days),
            "make_up_days": [day(d) for d in sorted(b.make_up_days)],
        }
        for b in table.breaks
    ]
    return data


def dumps_year_tables(tables: Iterable[YearTable], fmt: Format = "toml") -> str:
    """The tables as JSON or TOML text that `loads_year_tables` reads back to equal tables.

    Raises:
        InvalidCalendarError: a table lists holidays but no named breaks (the file format
            names every break).
    """
    return dumps({"years": [_table_data(t, fmt) for t in tables]}, fmt)


def dump_year_tables(
    tables: Iterable[YearTable], path: str | Path, fmt: Format | None = None
) -> None:
    """Write the tables to `path` (format from the suffix unless given)."""
    items = tuple(tables)
    _write(path, fmt, lambda chosen: dumps_year_tables(items, chosen))
