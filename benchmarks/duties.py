"""The duty agendas of 10,000 staff for one month, against a hand-written dateutil loop.

Measures `keyaccount.duties.agenda` for each of 10,000 staff (100 positions of 100 people,
each position holding the sales-management manager's 20 recurring duties of the
reference chart: daily windows, weekly meetings and reports, monthly ranges, "by day N"
deadlines, quarterly reports) over October 2026 on a six-day-week Chinese calendar
(National Day break, make-up Saturday), against what a team would write by hand in the
same run: for each person and duty, a ``dateutil.rrule`` over the same rule, the same
rest-day rule (顺延 to the next working day; daily routines skipped on rest days), the
same opening of a deadline at the start of its period and the same working-day hours,
giving plain tuples. Both must give the same occurrences on a sample of staff. CPU time,
median of 3; goal: within 3x of the hand-written loop.

    .venv/bin/python -m benchmarks.duties [--quick]
"""

from __future__ import annotations

import argparse
import calendar as stdlib_calendar
import datetime as dt
import statistics
import time
import zoneinfo
from collections.abc import Callable, Sequence
from typing import Any, Literal

import attrs
from dateutil import rrule

from keyaccount import reference
from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.calendar.recurrence import Frequency
from keyaccount.customers import Staff
from keyaccount.duties import RecurringDuty, agenda, duties_of

GOAL = 3.0
MONTH = DateRange(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
CALENDAR = attrs.evolve(WorkCalendar.china(), weekly_rest_days={7})
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
_FREQ: dict[Frequency, Literal[0, 1, 2, 3]] = {
    Frequency.DAILY: rrule.DAILY,
    Frequency.WEEKLY: rrule.WEEKLY,
    Frequency.MONTHLY: rrule.MONTHLY,
    Frequency.YEARLY: rrule.MONTHLY,
}

#: (duty id, scheduled day, start, end) of one occurrence.
Row = tuple[str, dt.date, dt.datetime, dt.datetime]


def staff_and_duties(people: int) -> tuple[list[Staff], dict[str, tuple[RecurringDuty, ...]]]:
    """``people`` staff on 100 positions, each position with the manager's duties."""
    manager = duties_of(reference.load("sales-management"), "sales-management-manager")
    positions = [f"p{n:03d}" for n in range(100)]
    by_position = {
        p: tuple(attrs.evolve(d, id=f"{p}/{d.id.split('/')[1]}", position=p) for d in manager)
        for p in positions
    }
    staff = [Staff(f"s{n:05d}", f"staff {n}", positions[n % 100]) for n in range(people)]
    return staff, by_position


def library(staff: list[Staff], duties: dict[str, tuple[RecurringDuty, ...]]) -> list[list[Row]]:
    out: list[list[Row]] = []
    for person in staff:
        items = agenda(person, duties[person.position], (), MONTH, CALENDAR).items
        out.append([(i.id.split("@")[0], _day(i.id), i.start, i.end) for i in items])
    return out


def _day(item_id: str) -> dt.date:
    return dt.date.fromisoformat(item_id.rsplit("@", 1)[1])


# --------------------------------------------------------------------------- by hand


def hand(  # noqa: PLR0912, PLR0915 - one plain loop, written out on purpose
    staff: list[Staff], duties: dict[str, tuple[RecurringDuty, ...]]
) -> list[list[Row]]:
    """The same occurrences, written out with dateutil and plain dates."""
    first, last = MONTH.start, MONTH.end
    # a rest-day run (the National Day break) moves a day by at most ten days; a quarterly
    # deadline opens a quarter before its due day (the calendar's data ends in 2026)
    scan_from, near = first - dt.timedelta(days=10), last + dt.timedelta(days=10)
    scan_to = dt.date(2026, 12, 31)
    workdays = {
        scan_from + dt.timedelta(days=n)
        for n in range((scan_to - scan_from).days + 1)
        if CALENDAR.is_workday(scan_from + dt.timedelta(days=n))
    }
    day_start, day_end = CALENDAR.hours[0].start_minute, CALENDAR.hours[-1].end_minute

    def at(day: dt.date, minute: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=ZONE)

    def following(day: dt.date) -> dt.date:
        while day not in workdays:
            day += dt.timedelta(days=1)
        return day

    out = []
    for person in staff:
        rows: list[Row] = []
        for duty in duties[person.position]:
            rule = duty.recurrence
            days: Any = rule.month_days or None
            setpos = None
            if rule.due_by and rule.month_days and rule.month_days[0] > 28:
                days, setpos = range(28, rule.month_days[0] + 1), -1
            elif rule.through is not None:
                days, setpos = range(rule.month_days[0], rule.through + 1), 1
            dates = rrule.rrule(
                _FREQ[rule.frequency],
                dtstart=dt.datetime.combine(scan_from, dt.time()),
                until=dt.datetime.combine(
                    scan_to if rule.due_by and rule.months else near, dt.time()
                ),
                bymonth=rule.months or None,
                bymonthday=days,
                byweekday=[rrule.weekdays[d - 1] for d in rule.weekdays] or None,
                bysetpos=setpos,
                cache=False,
            )
            skip = duty.convention.value == "skip"
            window = rule.window
            for when in dates:
                scheduled = when.date()
                if skip and scheduled not in workdays:
                    continue
                if rule.through is not None:
                    length = stdlib_calendar.monthrange(scheduled.year, scheduled.month)[1]
                    begin = following(scheduled)
                    end_day = following(scheduled.replace(day=min(rule.through, length)))
                    start, end = at(begin, day_start), at(end_day, day_end)
                elif rule.due_by:
                    due = following(scheduled)
                    if rule.frequency is Frequency.WEEKLY:
                        opens = scheduled - dt.timedelta(days=scheduled.isoweekday() - 1)
                    elif rule.months:  # quarterly: the first day after the previous quarter
                        month = (scheduled.month - 3) % 12 + 1
                        year = scheduled.year - (month > scheduled.month)
                        opens = dt.date(year, month, 1)
                    else:
                        opens = scheduled.replace(day=1)
                    begin, end_day = min(opens, due), due
                    start, end = at(begin, day_start), at(due, day_end)
                else:
                    begin = end_day = following(scheduled)
                    if window is not None:
                        start = at(begin, window.start.hour * 60 + window.start.minute)
                        end = at(begin, window.end.hour * 60 + window.end.minute)
                    else:
                        start, end = at(begin, day_start), at(begin, day_end)
                if begin <= last and end_day >= first:
                    rows.append((duty.id, scheduled, start, end))
        rows.sort(key=lambda r: (r[2], r[3], r[0]))
        out.append(rows)
    return out


# --------------------------------------------------------------------------- measuring


def timed(function: Callable[[], list[list[Row]]]) -> tuple[float, list[list[Row]]]:
    times, result = [], []
    for _ in range(3):
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 staff instead of 10,000")
    args = parser.parse_args(argv)
    people = 1_000 if args.quick else 10_000
    staff, duties = staff_and_duties(people)
    ours, mine = timed(lambda: library(staff, duties))
    baseline, theirs = timed(lambda: hand(staff, duties))
    sample = range(0, people, max(1, people // 50))
    same = all(mine[n] == theirs[n] for n in sample)
    count = sum(len(rows) for rows in mine)
    ratio = ours / baseline
    print(f"duty agendas of {people:,} staff, October 2026 ({count:,} occurrences)")
    print(f"  keyaccount agenda()        {ours:8.3f} s CPU (median of 3)")
    print(f"  hand-written rrule loop    {baseline:8.3f} s CPU (median of 3)")
    print(f"  same occurrences (sample of {len(sample)}): {'yes' if same else 'NO'}")
    verdict = "PASS" if ratio <= GOAL and same else "MISS"
    print(f"  ratio {ratio:.2f}x, goal within {GOAL:g}x: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
