"""The working calendar: rest days, statutory holidays, make-up working days and hours.

A `WorkCalendar` answers "is this a working day", "what is the n-th working day after
this one" and "how much working time lies between these two instants". Periods (`Days`,
`Workdays`, `Hours`, `WorkingHours`) turn a start instant into a `Deadline` through
`deadline`. `parse_as_of` reads the instant a rule is evaluated at from what a person
typed.

The Chinese statutory calendar (`WorkCalendar.china`) takes its holidays and make-up
working days (调休) from the `chinesecalendar` package, which transcribes the State
Council's yearly notices (国务院办公厅关于…部分节假日安排的通知), extended by year-table
files (`keyaccount.io.load_year_tables`). Years outside the data raise
`CalendarCoverageError` unless the caller opts into provisional years
(`WorkCalendar.china(provisional=True)`), whose results are marked provisional.

Where each question is answered:

- `periods`: the four kinds of period and `parse_period`;
- `working_hours`: the working-hour windows of a day;
- `year_tables`: one year's holidays and 调休 (`YearTable`, `HolidayBreak`) and the China data;
- `provisional`: the estimate of a year no notice covers yet, from the rules in force;
- `work_calendar`: `WorkCalendar`, the calendar and its questions;
- `_tables` (private): the prefix tables that answer them quickly;
- `deadlines`: `Deadline` and `deadline`;
- `as_of`: `parse_as_of`;
- `date_range`: the days a report or a visiting round covers, `DateRange`;
- `recurrence`: when a duty comes round, `Recurrence` (RFC 5545 rules via `dateutil`);
- `conventions`: where a rest day moves an occurrence, `BusinessDayConvention`, `adjust`;
- `month_grid`: a month as a wall calendar shows it, each day's kind (`month_grid`).
"""

from __future__ import annotations

from keyaccount._fields import CHINA_TIMEZONE, to_instant
from keyaccount.calendar.as_of import parse_as_of
from keyaccount.calendar.conventions import BusinessDayConvention, adjust
from keyaccount.calendar.date_range import DateRange
from keyaccount.calendar.deadlines import Deadline, deadline
from keyaccount.calendar.month_grid import DayKind, GridDay, MonthGrid, month_grid
from keyaccount.calendar.periods import Days, Hours, Period, Workdays, WorkingHours, parse_period
from keyaccount.calendar.recurrence import Frequency, Recurrence, Slot, TimeWindow
from keyaccount.calendar.work_calendar import WorkCalendar
from keyaccount.calendar.working_hours import WorkingWindow
from keyaccount.calendar.year_tables import CHINA_FIRST_YEAR, HolidayBreak, YearTable

__all__ = [
    "CHINA_FIRST_YEAR",
    "CHINA_TIMEZONE",
    "BusinessDayConvention",
    "DateRange",
    "DayKind",
    "Days",
    "Deadline",
    "Frequency",
    "GridDay",
    "HolidayBreak",
    "Hours",
    "MonthGrid",
    "Period",
    "Recurrence",
    "Slot",
    "TimeWindow",
    "WorkCalendar",
    "Workdays",
    "WorkingHours",
    "WorkingWindow",
    "YearTable",
    "adjust",
    "deadline",
    "month_grid",
    "parse_as_of",
    "parse_period",
    "to_instant",
]
