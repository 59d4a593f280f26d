"""The SLA's fast clock equals the calendar's: figure by figure and status by status.

`sla_status` reads its clocks from a memo of the calendar (`_sla_clock.TableClock`);
these tests pin it to the rule as written (`CalendarClock`, the calendar's own
methods), zones, folds and errors included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyaccount import (
    Complaint,
    ComplaintPolicy,
    Days,
    RequestKind,
    Severity,
    WorkCalendar,
    Workdays,
    WorkingHours,
    sla_status,
)
from keyaccount.complaints import _sla_clock
from keyaccount.complaints._sla_clock import CalendarClock, OutsideTable, TableClock
from keyaccount.complaints.sla import SlaStatus, TargetStatus, _sla_status
from keyaccount.errors import CalendarCoverageError
from keyaccount.testing import aware_datetimes, complaint_histories, complaint_policies
from keyaccount.testing.times import company_calendars

CHINA = WorkCalendar.china()
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
US = dt.timedelta(microseconds=1)
FIRST, LAST = CHINA.covered_years or (2006, 2026)


def _exact(value: Any) -> Any:
    """A value with every instant shown as it is: wall clock, offset, zone and fold."""
    if isinstance(value, tuple):
        return tuple(_exact(item) for item in value)
    if isinstance(value, dt.datetime):
        return (value.isoformat(), value.fold, str(value.tzinfo), type(value).__name__)
    if isinstance(value, dt.date):
        return (value.isoformat(), type(value).__name__)
    return value


def _figures(status: SlaStatus) -> list[tuple[Any, ...]]:
    return [
        tuple(_exact(getattr(target, field.name)) for field in attrs.fields(type(target)))
        for target in status.targets
    ]


def _working(clock: TableClock | CalendarClock, a: pendulum.DateTime, b: pendulum.DateTime) -> int:
    """Working microseconds from `a` to `b`: the difference of the clock's positions."""
    return clock.read(b)[2] - clock.read(a)[2]


def calendar_working(calendar: WorkCalendar, a: pendulum.DateTime, b: pendulum.DateTime) -> int:
    """The calendar's own working microseconds from `a` to `b`."""
    return calendar.working_time_between(a, b) // US


def _assert_same(fast: SlaStatus, reference: SlaStatus) -> None:
    assert fast == reference
    assert _exact(fast.as_of) == _exact(reference.as_of)
    assert _figures(fast) == _figures(reference)


calendars = st.one_of(st.just(CHINA), company_calendars())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    complaint_histories(),
    complaint_policies(),
    calendars,
    st.integers(-3 * 24 * 60, 40 * 24 * 60),
)
def test_sla_status_equals_the_calendar_clock(
    complaint: Complaint, policy: ComplaintPolicy, calendar: WorkCalendar, minutes: int
) -> None:
    as_of = complaint.last_at + dt.timedelta(minutes=minutes)
    _assert_same(
        sla_status(complaint, policy, calendar, as_of),
        _sla_status(complaint, policy, calendar, as_of, fast=False),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calendars,
    aware_datetimes(dt.date(2024, 1, 1), dt.date(2026, 6, 30)),
    aware_datetimes(dt.date(2024, 1, 1), dt.date(2026, 6, 30)),
    st.integers(0, 400 * 60),
    st.sampled_from([Workdays(0), Workdays(1), Workdays(5), Days(0), Days(3)]),
)
def test_each_figure_equals_the_calendar(
    calendar: WorkCalendar,
    a: pendulum.DateTime,
    b: pendulum.DateTime,
    minutes: int,
    period: Workdays | Days,
) -> None:
    fast, reference = TableClock(calendar), CalendarClock(calendar)
    duration = minutes * 60_000_000 + minutes % 7  # microseconds
    assert _working(fast, a, b) == _working(reference, a, b) == calendar_working(calendar, a, b)
    assert _working(fast, b, a) == _working(reference, b, a) == calendar_working(calendar, b, a)
    assert fast.us(a) == reference.us(a) == dt.datetime.__sub__(a.astimezone(dt.UTC), EPOCH) // US
    assert fast.us(b) == reference.us(b)
    assert _exact(fast.add_working(a, duration)) == _exact(reference.add_working(a, duration))
    due = reference.day_deadline(a, period)
    assert _exact(fast.day_deadline(a, period)) == _exact(due)
    assert _exact(fast.last_day(due)) == _exact(reference.last_day(due))
    assert _exact(fast.last_day(b)) == _exact(reference.last_day(b))


def test_a_window_that_closes_exactly_ends_there() -> None:
    friday = pendulum.datetime(2026, 2, 13, 17, 0, tz="Asia/Shanghai")
    fast, reference = TableClock(CHINA), CalendarClock(CHINA)
    hour = 3_600_000_000
    assert _exact(fast.add_working(friday, hour)) == _exact(reference.add_working(friday, hour))
    due, due_us = fast.add_working(friday, hour)
    assert due == pendulum.datetime(2026, 2, 13, 18, tz="Asia/Shanghai")
    assert due_us == fast.us(due) == reference.us(due)
    utc = friday.in_timezone("UTC")
    zero, _ = fast.add_working(utc, 0)  # the same instant, in the calendar's zone
    assert _exact(zero) == _exact(reference.add_working(utc, 0)[0])
    assert zero == friday
    assert zero.timezone_name == "Asia/Shanghai"


def test_a_deadline_beyond_the_covered_years_raises_the_calendars_error() -> None:
    late = pendulum.datetime(LAST, 12, 31, 17, tz="Asia/Shanghai")
    complaint = Complaint.receive(
        "C-1",
        at=late,
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer_id="acme",
        channel="电话",
        summary="late delivery",
    )
    with pytest.raises(CalendarCoverageError) as fast:
        sla_status(complaint, ComplaintPolicy.default(), CHINA, late)
    with pytest.raises(CalendarCoverageError) as reference:
        _sla_status(complaint, ComplaintPolicy.default(), CHINA, late, fast=False)
    assert str(fast.value) == str(reference.value)
    with pytest.raises(OutsideTable):
        TableClock(CHINA).add_working(late, 4 * 3_600_000_000)


def test_the_memo_grows_both_ways_and_positions_stay_valid() -> None:
    calendar = WorkCalendar(timezone="Europe/Berlin", holidays=[dt.date(2025, 12, 25)])
    clock = TableClock(calendar)
    reference = CalendarClock(calendar)
    zone = "Europe/Berlin"
    middle = pendulum.datetime(2025, 3, 30, 10, tz=zone)  # the day clocks go forward
    later = pendulum.datetime(2031, 10, 26, 11, tz=zone)  # grows forward
    earlier = pendulum.datetime(2019, 1, 2, 9, 30, tz=zone)  # grows backward
    assert _working(clock, middle, later) == calendar_working(calendar, middle, later)
    assert _working(clock, earlier, middle) == calendar_working(calendar, earlier, middle)
    assert _working(clock, earlier, later) == calendar_working(calendar, earlier, later)
    assert _working(reference, earlier, later) == calendar_working(calendar, earlier, later)
    week = 40 * 3_600_000_000
    assert _exact(clock.add_working(earlier, week)) == _exact(reference.add_working(earlier, week))


def test_a_year_too_far_from_the_memo_falls_back_to_the_calendar() -> None:
    calendar = WorkCalendar(timezone="Asia/Shanghai")
    clock = TableClock(calendar)
    near = pendulum.datetime(2025, 1, 2, 9, tz="Asia/Shanghai")
    far = pendulum.datetime(2025 + _sla_clock._MAX_YEARS, 1, 2, 9, tz="Asia/Shanghai")
    clock.read(near)
    with pytest.raises(OutsideTable):
        clock.read(far)
    complaint = Complaint.receive(
        "C-2",
        at=far,
        kind=RequestKind.INQUIRY,
        severity=Severity.NORMAL,
        customer_id="acme",
        channel="电话",
        summary="a question",
    )
    policy = ComplaintPolicy.default()
    as_of = far + dt.timedelta(hours=30)
    _assert_same(
        sla_status(complaint, policy, calendar, as_of),
        _sla_status(complaint, policy, calendar, as_of, fast=False),
    )
    assert sla_status(complaint, policy, calendar, as_of).targets[0].period == WorkingHours(2)


def test_the_memo_lives_with_its_calendar() -> None:
    calendar = WorkCalendar(timezone="Asia/Tokyo")
    table = _sla_clock.table_of(calendar)
    assert _sla_clock.table_of(calendar) is table
    key = id(calendar)
    del calendar
    import gc

    gc.collect()
    assert _sla_clock._TABLES.get(key) is not table


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complaint_histories(), complaint_policies(), st.integers(-3 * 24 * 60, 40 * 24 * 60))
def test_each_target_is_the_value_attrs_builds_and_stays_frozen(
    complaint: Complaint, policy: ComplaintPolicy, minutes: int
) -> None:
    as_of = complaint.last_at + dt.timedelta(minutes=minutes)
    for target in sla_status(complaint, policy, CHINA, as_of).targets:
        fields = {f.name: getattr(target, f.name) for f in attrs.fields(TargetStatus)}
        built = TargetStatus(**fields)
        assert target == built
        assert hash(target) == hash(built)
        assert not hasattr(target, "__dict__")  # slotted, as attrs builds it
        assert repr(target) == repr(built)
        assert attrs.asdict(target, recurse=False) == attrs.asdict(built, recurse=False)
        assert type(target.time_used) is type(target.paused) is dt.timedelta
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            target.cycle = 9  # type: ignore[misc]  # frozen on purpose
        assert attrs.evolve(target, cycle=9).cycle == 9
