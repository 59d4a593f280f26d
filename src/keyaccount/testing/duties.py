"""Hypothesis strategies for duties on the calendar: recurrences, duties, done records.

Examples:
    >>> from hypothesis import given
    >>> from keyaccount.calendar import Recurrence
    >>> @given(recurrences())
    ... def round_trips(rule):
    ...     assert Recurrence.parse(str(rule)) == rule
    >>> round_trips()
"""

from __future__ import annotations

import datetime as dt

import pendulum
from hypothesis import strategies as st

from keyaccount.calendar import BusinessDayConvention, Frequency, Recurrence, TimeWindow
from keyaccount.duties import DoneRecord, DutyKind, RecurringDuty

__all__ = [
    "business_day_conventions",
    "done_records",
    "recurrences",
    "recurring_duties",
    "time_windows",
]


def business_day_conventions() -> st.SearchStrategy[BusinessDayConvention]:
    """Every convention, following (顺延) first so it shrinks there."""
    return st.sampled_from(list(BusinessDayConvention))


@st.composite
def time_windows(draw: st.DrawFn) -> TimeWindow:
    """Windows of the day on the quarter hour, e.g. 13:30-14:30."""
    start = draw(st.integers(0, 94))
    end = draw(st.integers(start + 1, 95))
    return TimeWindow(dt.time(start // 4, start % 4 * 15), dt.time(end // 4, end % 4 * 15))


@st.composite
def recurrences(draw: st.DrawFn) -> Recurrence:  # noqa: PLR0911 - one shape per branch
    """Every shape of rule: daily, weekly, monthly days, ranges, deadlines, quarterly, yearly."""
    window = draw(st.none() | time_windows())
    shape = draw(
        st.sampled_from(["daily", "weekly", "monthly", "range", "by", "quarterly", "yearly"])
    )
    weekdays = st.lists(st.integers(1, 7), min_size=1, max_size=3, unique=True)
    if shape == "daily":
        return Recurrence(Frequency.DAILY, weekdays=draw(st.just(()) | weekdays), window=window)
    if shape == "weekly":
        due_by = draw(st.booleans())
        days = (draw(st.integers(1, 7)),) if due_by else draw(weekdays)
        return Recurrence(Frequency.WEEKLY, weekdays=days, due_by=due_by, window=window)
    if shape == "monthly":
        days = draw(
            st.lists(st.integers(1, 31) | st.integers(-31, -1), min_size=1, max_size=3, unique=True)
        )
        return Recurrence(Frequency.MONTHLY, month_days=days, window=window)
    if shape == "range":
        first = draw(st.integers(1, 30))
        return Recurrence.monthly(first, through=draw(st.integers(first + 1, 31)), window=window)
    if shape == "by":
        return Recurrence.monthly(draw(st.integers(1, 31)), due_by=True, window=window)
    if shape == "quarterly":
        months = draw(st.sampled_from([(1, 4, 7, 10), (3, 6, 9, 12)]))
        return Recurrence.quarterly(
            draw(st.integers(1, 31)), months=months, due_by=draw(st.booleans()), window=window
        )
    return Recurrence.yearly(
        draw(st.integers(1, 12)),
        draw(st.integers(1, 28)),
        due_by=draw(st.booleans()),
        window=window,
    )


@st.composite
def recurring_duties(
    draw: st.DrawFn, position: str = "p1", index: int | None = None
) -> RecurringDuty:
    """A duty of ``position`` with any rule and convention."""
    number = draw(st.integers(0, 999)) if index is None else index
    return RecurringDuty(
        id=f"{position}/duty-{number}",
        position=position,
        duty=draw(st.sampled_from(["周会", "月度工作报告", "客户拜访", "审阅各类报表"])),
        seed="003_c0a09330c12f3f2e.txt:161",
        kind=draw(st.sampled_from(list(DutyKind))),
        recurrence=draw(recurrences()),
        convention=draw(business_day_conventions()),
    )


@st.composite
def done_records(
    draw: st.DrawFn, duty_ids: tuple[str, ...] = ("p1/duty-0",), zone: str = "Asia/Shanghai"
) -> DoneRecord:
    """A record that one of ``duty_ids`` was done, at an instant of 2024-2026 in ``zone``."""
    day = draw(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
    minute = draw(st.integers(0, 1439))
    return DoneRecord(
        id=f"d{draw(st.integers(0, 10**6))}",
        duty_id=draw(st.sampled_from(duty_ids)),
        by=draw(st.sampled_from(["s1", "s2"])),
        at=pendulum.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tz=zone),
        note=draw(st.sampled_from(["", "已提交", "会议纪要"])),
        scheduled=draw(st.none() | st.just(day)),
    )
