"""Which days does a reporting period cover: `ReportPeriod` (``2026-03``, ``2026Q1``, ``2026``).

Budgets are approved per year or month (年度营销费用预算, ``003_c0a09330c12f3f2e.txt``),
the 销售目标及实绩达成分析表 is monthly (``003_…``) and churn is counted per period
(``004_4f02eb3a82d8f29a.txt``). A period is written as the reports write it: a month
``2026-03``, a quarter ``2026Q1`` or a year ``2026`` (the labels `claims_by_period` uses).

Examples:
    >>> q1 = ReportPeriod.parse("2026Q1")
    >>> q1.start, q1.end
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    >>> dt.date(2026, 3, 31) in q1, dt.date(2026, 4, 1) in q1
    (True, False)
"""

from __future__ import annotations

import calendar as _months
import datetime as dt
import re
from typing import Any, Final

import attrs

from keyaccount.calendar import DateRange
from keyaccount.errors import InvalidPeriodError

__all__ = ["ReportPeriod", "as_report_period"]

_LABEL: Final = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})|Q(?P<quarter>[1-4]))?")


def _bounds(label: object, what: str = "a reporting period") -> tuple[dt.date, dt.date]:
    """The first and last day of the period ``label`` names.

    Raises:
        InvalidPeriodError: ``label`` is not ``YYYY``, ``YYYY-MM`` or ``YYYYQn``.
    """
    found = _LABEL.fullmatch(label) if isinstance(label, str) else None
    year = int(found["year"]) if found else 0
    if found is None or year < 1:
        shown = repr(label) if isinstance(label, str) else type(label).__name__
        raise InvalidPeriodError(
            f"{what} must be 2026 (a year), 2026-03 (a month) or 2026Q1 (a quarter), "
            f"got {shown[:40]}"
        )
    if found["month"] is not None:
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise InvalidPeriodError(f"{what} must name a month 01-12, got {label!r}")
        first, last = month, month
    elif found["quarter"] is not None:
        first = 3 * int(found["quarter"]) - 2
        last = first + 2
    else:
        first, last = 1, 12
    return dt.date(year, first, 1), dt.date(year, last, _months.monthrange(year, last)[1])


def _label(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    _bounds(value)


@attrs.frozen
class ReportPeriod:
    """A month, quarter or year a report, a budget or a target is for.

    Attributes:
        label: ``2026-03`` (a month), ``2026Q1`` (a quarter) or ``2026`` (a year).

    Raises:
        InvalidPeriodError: the label is none of the three forms.
    """

    label: str = attrs.field(validator=_label)

    @classmethod
    def parse(cls, text: str) -> ReportPeriod:
        """The period a label names (``2026-03``, ``2026Q1``, ``2026``).

        Raises:
            InvalidPeriodError: the text is none of the three forms.
        """
        return cls(text.strip() if isinstance(text, str) else text)  # the validator refuses

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return _bounds(self.label)[0]

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return _bounds(self.label)[1]

    @property
    def range(self) -> DateRange:
        """The days of the period as a `DateRange`, both ends included."""
        return DateRange(*_bounds(self.label))

    def overlaps(self, other: ReportPeriod) -> bool:
        """Whether the two periods share a day (a year and one of its months do)."""
        mine, theirs = _bounds(self.label), _bounds(other.label)
        return mine[0] <= theirs[1] and theirs[0] <= mine[1]

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            return False
        first, last = _bounds(self.label)
        return first <= day <= last

    def __str__(self) -> str:
        return self.label


def as_report_period(value: ReportPeriod | str, what: str = "a reporting period") -> ReportPeriod:
    """``value`` as a `ReportPeriod`: a period, or its label (surrounding blanks ignored).

    Args:
        value: the period or its label.
        what: how an error names the value (a field's name, so files can locate it).

    Raises:
        InvalidPeriodError: a label none of the three forms, or neither a period nor text.
    """
    if isinstance(value, ReportPeriod):
        return value
    label = value.strip() if isinstance(value, str) else value
    _bounds(label, what)
    return ReportPeriod(label)
