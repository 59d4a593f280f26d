"""The calendar under careless and hostile callers: durations of every kind, any n, the
edges of the representable dates, bounded periods, ASCII-only period text, strict types.

Regression tests of issue 9's defects B1-B4, A5 and the `parse_period` half of A7, and
properties of the closed-form counting a company calendar uses beyond its prefix table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import time
import zoneinfo

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyaccount import (
    Complaint,
    ComplaintPolicy,
    Customer,
    Days,
    Hours,
    Period,
    RequestKind,
    Severity,
    WorkCalendar,
    Workdays,
    WorkingHours,
    deadline,
    due_visits,
    parse_period,
    sla_status,
)
from keyaccount.calendar import WorkingWindow, YearTable
from keyaccount.calendar.deadlines import end_of_local_day
from keyaccount.errors import (
    CalendarCoverageError,
    DataFileError,
    DateOutOfRangeError,
    InvalidArgumentTypeError,
    InvalidCalendarError,
    InvalidPeriodError,
    InvalidTimezoneError,
    KeyAccountError,
    NotADurationError,
)
from keyaccount.io import dumps_complaint_policy, loads_complaint_policy, loads_visit_policy
from keyaccount.testing import company_calendars

SHANGHAI = "Asia/Shanghai"
MONDAY = pendulum.datetime(2025, 3, 3, 10, tz=SHANGHAI)
#: The longest periods there are: 0001-01-01 to 9999-12-31.
MAX_DAYS = 3_652_058
MAX_HOURS = MAX_DAYS * 24
#: Generous: each case below takes well under a second (see the changelog's figures);
#: this only catches a return of the minutes-long loops.
FAST = 5.0


def timed(call: object) -> float:
    """Seconds `call()` took, whatever it raised."""
    started = time.perf_counter()
    with contextlib.suppress(KeyAccountError):
        call()  # type: ignore[operator]  # every caller passes a zero-argument callable
    return time.perf_counter() - started


# --------------------------------------------------------------------------- B1 durations


def test_add_working_time_takes_a_pendulum_duration_like_a_timedelta() -> None:
    cal = WorkCalendar.china()
    hour = cal.add_working_time(MONDAY, pendulum.duration(hours=1))
    assert hour == cal.add_working_time(MONDAY, dt.timedelta(hours=1))
    assert hour == pendulum.datetime(2025, 3, 3, 11, tz=SHANGHAI)


def test_add_working_time_takes_the_interval_between_two_pendulum_instants() -> None:
    cal = WorkCalendar.china()
    interval = MONDAY.add(hours=30, microseconds=7) - MONDAY
    assert isinstance(interval, pendulum.Interval)
    assert cal.add_working_time(MONDAY, interval) == cal.add_working_time(
        MONDAY, dt.timedelta(hours=30, microseconds=7)
    )
    backwards = MONDAY - MONDAY.add(hours=1)  # a negative interval is still refused
    with pytest.raises(InvalidPeriodError, match="negative"):
        cal.add_working_time(MONDAY, backwards)


def test_a_duration_in_months_has_no_fixed_length_and_is_refused() -> None:
    with pytest.raises(InvalidPeriodError, match="months or years"):
        WorkCalendar().add_working_time(MONDAY, pendulum.duration(months=1))


@pytest.mark.parametrize("value", [3600, "1 hour", Hours(1), None, 1.5])
def test_something_that_is_not_a_duration_is_refused(value: object) -> None:
    with pytest.raises(NotADurationError, match="duration"):
        WorkCalendar().add_working_time(MONDAY, value)  # type: ignore[arg-type]  # deliberately wrong


@given(st.integers(0, 60 * 24 * 30), st.sampled_from(["timedelta", "duration", "interval"]))
def test_every_kind_of_duration_gives_the_same_deadline(minutes: int, kind: str) -> None:
    cal = WorkCalendar.china()
    plain = dt.timedelta(minutes=minutes)
    value: dt.timedelta = {
        "timedelta": plain,
        "duration": pendulum.duration(minutes=minutes),
        "interval": MONDAY.add(minutes=minutes) - MONDAY,
    }[kind]
    assert cal.add_working_time(MONDAY, value) == cal.add_working_time(MONDAY, plain)


# --------------------------------------------------------------------------- B2 any n, at once


@pytest.mark.parametrize(
    ("day", "n", "after"),
    [
        (dt.date(9999, 12, 31), 1, True),
        (dt.date(1, 1, 1), -1, False),
        (dt.date(2025, 1, 1), 3_000_000, True),
        (dt.date(2025, 1, 1), 10**18, True),
        (dt.date(2025, 1, 1), -(10**18), False),
    ],
)
def test_an_answer_beyond_the_representable_dates_is_refused_at_once(
    day: dt.date, n: int, after: bool
) -> None:
    cal = WorkCalendar()  # no covered years: its rules hold for every year
    started = time.perf_counter()
    with pytest.raises(DateOutOfRangeError, match="9999-12-31" if after else "0001-01-01"):
        cal.add_workdays(day, n)
    assert time.perf_counter() - started < FAST


def test_a_date_out_of_range_error_is_a_coverage_error_and_an_overflow_error() -> None:
    with pytest.raises(DateOutOfRangeError) as caught:
        WorkCalendar().add_workdays(dt.date(9999, 12, 31), 1)
    assert isinstance(caught.value, CalendarCoverageError)
    assert isinstance(caught.value, OverflowError)
    assert caught.value.covered == (1, 9999)


def test_a_large_valid_n_is_answered_at_once_and_exactly() -> None:
    cal = WorkCalendar()  # Monday to Friday
    start = dt.date(2025, 1, 1)  # a Wednesday
    started = time.perf_counter()
    due = cal.add_workdays(start, 2_000_000)
    assert time.perf_counter() - started < FAST
    # 2,000,000 working days are 400,000 weeks of five
    assert due == start + dt.timedelta(weeks=400_000)
    assert cal.workdays_between(start, due) == 2_000_000
    assert cal.add_workdays(due, -2_000_000) == start


def test_a_huge_working_time_is_refused_at_once() -> None:
    cal = WorkCalendar()
    assert timed(lambda: cal.add_working_time(MONDAY, dt.timedelta(days=10**6))) < FAST
    with pytest.raises(DateOutOfRangeError, match="add_working_time"):
        cal.add_working_time(MONDAY, dt.timedelta(days=10**6))


def test_working_time_across_the_whole_date_range_is_counted_at_once() -> None:
    cal = WorkCalendar(timezone="UTC", hours=[("09:00", "17:00")])
    first = pendulum.datetime(1, 1, 1, tz="UTC")  # a Monday
    last = pendulum.datetime(9999, 12, 31, 23, tz="UTC")  # a Friday
    started = time.perf_counter()
    total = cal.working_time_between(first, last)
    assert time.perf_counter() - started < FAST
    weekdays = cal.workdays_between(dt.date(1, 1, 1), dt.date(9999, 12, 31)) + 1
    assert total == weekdays * dt.timedelta(hours=8)


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe", "Asia/Shanghai"])
def test_working_time_across_the_whole_range_counts_every_clock_change(zone: str) -> None:
    cal = WorkCalendar(timezone=zone, hours=[("00:00", "24:00")], weekly_rest_days=[])
    first = pendulum.datetime(1, 1, 3, tz="UTC")
    last = pendulum.datetime(9999, 12, 29, tz="UTC")
    started = time.perf_counter()
    total = cal.working_time_between(first, last)
    assert time.perf_counter() - started < FAST
    # every minute is working time, so the working time is the elapsed time
    assert total == last - first


def test_a_company_calendar_far_from_its_holidays_keeps_its_weekly_pattern() -> None:
    cal = WorkCalendar(weekly_rest_days={2}, holidays={dt.date(2025, 5, 1)})
    assert cal.add_workdays(dt.date(2025, 4, 30), 1) == dt.date(2025, 5, 2)  # in its table
    # A Monday in 7777, then the Tuesday rest day
    assert dt.date(7777, 3, 3).isoweekday() == 1
    assert cal.add_workdays(dt.date(7777, 3, 3), 1) == dt.date(7777, 3, 5)
    assert not cal.is_workday(dt.date(7777, 3, 4))


# A calendar's answers must not depend on where its table happens to lie: `near` builds
# its table around the far year, `far` around its holidays, answering the far year in
# closed form.
far_years = st.sampled_from([1, 1850, 1950, 2200, 2600, 5000, 9990])


def _twins(cal: WorkCalendar, year: int) -> tuple[WorkCalendar, WorkCalendar]:
    near, far = attrs.evolve(cal), attrs.evolve(cal)
    near.is_workday(dt.date(year, 6, 1))
    far.is_workday(dt.date(2025, 1, 1))
    return near, far


@given(company_calendars(), far_years, st.integers(0, 900), st.integers(-400, 400))
def test_closed_form_working_days_agree_with_the_table(
    cal: WorkCalendar, year: int, offset: int, n: int
) -> None:
    near, far = _twins(cal, year)
    day = dt.date(year, 1, 1) + dt.timedelta(days=offset)
    try:
        expected = near.add_workdays(day, n)
    except DateOutOfRangeError:
        with pytest.raises(DateOutOfRangeError):
            far.add_workdays(day, n)
        return
    assert far.add_workdays(day, n) == expected
    end = day + dt.timedelta(days=abs(n))
    assert far.workdays_between(day, end) == near.workdays_between(day, end)
    assert far.is_workday(day) == near.is_workday(day)


@settings(max_examples=15)  # each calendar scans its zone's clock changes once
@given(
    company_calendars(),
    st.sampled_from([1850, 1950, 2200, 2600, 5000, 9990]),
    st.integers(0, 300),
    st.integers(0, 60 * 24 * 200),
    st.integers(0, 60 * 24 * 400),
)
def test_closed_form_working_time_agrees_with_the_table(
    cal: WorkCalendar, year: int, offset: int, minutes: int, span: int
) -> None:
    near, far = _twins(cal, year)
    start = pendulum.datetime(year, 1, 1, tz="UTC").add(days=offset, minutes=minutes % 1440)
    duration = dt.timedelta(minutes=minutes)
    try:
        expected = near.add_working_time(start, duration)
    except DateOutOfRangeError:  # a short working day near 9999 runs off the end
        with pytest.raises(DateOutOfRangeError):
            far.add_working_time(start, duration)
    else:
        assert far.add_working_time(start, duration) == expected
    end = start.add(minutes=span)
    assert far.working_time_between(start, end) == near.working_time_between(start, end)


big_ns = st.integers(1, 1_000_000)  # at most 1,750,000 days: from 2027 still before 9999
company_dates = st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31))


@given(company_calendars(), company_dates, big_ns)
def test_workdays_between_undoes_add_workdays_for_large_n(
    cal: WorkCalendar, day: dt.date, n: int
) -> None:
    due = cal.add_workdays(day, n)
    assert cal.workdays_between(day, due) == n
    assert cal.is_workday(due)
    back = cal.add_workdays(due, -n)
    assert cal.workdays_between(back, due) == n


@given(company_calendars(), company_dates, big_ns, st.integers(1, 1_000))
def test_add_workdays_is_strictly_increasing_in_n(
    cal: WorkCalendar, day: dt.date, n: int, more: int
) -> None:
    assert cal.add_workdays(day, n) < cal.add_workdays(day, n + more)
    back = n % 400_000 + 1  # back to year 1 lie over 420,000 working days (4 a week at least)
    assert cal.add_workdays(day, -back) > cal.add_workdays(day, -back - more)


def test_the_installed_time_zones_meet_the_closed_forms_assumptions() -> None:
    """What `_ClockChanges` relies on, checked for every zone of the tz database:
    one offset before 1800, no listed transition from 2200 on (then the rule string,
    which repeats every 400 years), and no two transitions that cancel out within
    the 2-day sampling step."""
    # The pure-Python twin of `zoneinfo` exposes a zone's transitions (tests only).
    twin = importlib.import_module("zoneinfo._zoneinfo")
    for key in sorted(zoneinfo.available_timezones()):
        zone = twin.ZoneInfo.no_cache(key)
        changes = zone._trans_utc  # the twin's transitions
        if not changes:
            continue
        assert dt.datetime.fromtimestamp(changes[0], dt.UTC).year >= 1800, key
        assert dt.datetime.fromtimestamp(changes[-1], dt.UTC).year < 2200, key
        offsets = [info.utcoff for info in zone._ttinfos]
        for i in range(1, len(changes) - 1):
            if offsets[i - 1] == offsets[i + 1] != offsets[i]:
                assert changes[i + 1] - changes[i] > 2 * 86_400, key


# --------------------------------------------------------------------------- B3 bounded periods


def test_the_longest_periods_are_accepted_and_one_more_is_refused() -> None:
    assert Days(MAX_DAYS).n == Workdays(MAX_DAYS).n == MAX_DAYS
    assert Hours(MAX_HOURS).duration == dt.timedelta(days=MAX_DAYS)
    for kind in (Days, Workdays):
        with pytest.raises(InvalidPeriodError, match="3,652,058 days"):
            kind(MAX_DAYS + 1)
    for clock in (Hours, WorkingHours):
        with pytest.raises(InvalidPeriodError, match="87,649,392 hours"):
            clock(MAX_HOURS + 1)
        with pytest.raises(InvalidPeriodError, match="87,649,392 hours"):
            clock(MAX_HOURS, 1)


def test_hours_of_a_billion_are_refused_when_built() -> None:
    with pytest.raises(InvalidPeriodError, match="at most"):
        Hours(10**9)
    with pytest.raises(InvalidPeriodError, match="about 5001 digits"):
        Days(10**5000)  # its digits are counted, not printed


@pytest.mark.parametrize(
    "period", [Days(3_000_000), Workdays(3_000_000), Hours(87_000_000), WorkingHours(87_000_000)]
)
def test_a_deadline_beyond_9999_is_a_clear_error_not_an_overflow(period: Period) -> None:
    with pytest.raises(DateOutOfRangeError, match="9999-12-31"):
        deadline(MONDAY, period, WorkCalendar())


def test_a_day_deadline_on_the_last_representable_day_cannot_end() -> None:
    last = pendulum.datetime(9999, 12, 30, 12, tz=SHANGHAI)
    with pytest.raises(DateOutOfRangeError, match="the end of 9999-12-31"):
        deadline(last, Days(1), WorkCalendar())
    with pytest.raises(DateOutOfRangeError):
        end_of_local_day(dt.date.max, WorkCalendar())


def test_a_start_the_calendars_zone_pushes_past_9999_is_a_clear_error() -> None:
    late = pendulum.datetime(9999, 12, 31, 20, tz="UTC")  # 10000-01-01 04:00 in Shanghai
    with pytest.raises(DateOutOfRangeError):
        deadline(late, Hours(1), WorkCalendar())


@pytest.mark.parametrize(
    "text", ["1" * 50 + " days", "9" * 5000 + " hours", "1 hour " + "7" * 40 + " minutes"]
)
def test_parse_period_refuses_a_number_of_many_digits(text: str) -> None:
    with pytest.raises(InvalidPeriodError, match="too long"):
        parse_period(text)


def test_parse_period_takes_the_bounds_and_refuses_beyond() -> None:
    assert parse_period("3652058 workdays") == Workdays(MAX_DAYS)
    assert parse_period("87649392 working hours") == WorkingHours(MAX_HOURS)
    with pytest.raises(InvalidPeriodError, match="at most"):
        parse_period("3652059 days")


# --------------------------------------------------------------------------- A5 policies


def test_a_visit_policy_with_a_period_too_long_to_use_is_refused_at_load_time() -> None:
    with pytest.raises(DataFileError) as caught:
        loads_visit_policy('first_contact = "99999999 days"')
    (problem,) = caught.value.problems
    assert problem.path == "$.first_contact"
    assert "3,652,058 days" in problem.message


def test_a_complaint_policy_with_a_period_too_long_to_use_is_refused_at_load_time() -> None:
    text = dumps_complaint_policy(ComplaintPolicy.default())
    assert 'within = "16 working hours"' in text
    bad = text.replace('within = "16 working hours"', 'within = "99999999999 hours"', 1)
    with pytest.raises(DataFileError) as caught:
        loads_complaint_policy(bad)
    (problem,) = caught.value.problems
    assert problem.path == "$.rules[0].resolution.within"
    assert "too long for a period" in problem.message


@pytest.mark.parametrize("period", ["3652058 days", "3652058 workdays"])
@pytest.mark.parametrize("cal", [WorkCalendar.china(), WorkCalendar()], ids=["china", "company"])
def test_due_visits_with_the_longest_first_contact_raises_only_keyaccount_errors(
    period: str, cal: WorkCalendar
) -> None:
    policy = loads_visit_policy(f'first_contact = "{period}"')
    customer = Customer("c1", "客户", owner="s1", assigned_at=MONDAY)
    with pytest.raises(KeyAccountError):  # beyond 9999, or beyond the China data
        due_visits([customer], [], policy, cal, MONDAY.add(days=1))


@pytest.mark.parametrize(
    "period", [Hours(MAX_HOURS), WorkingHours(MAX_HOURS), Days(MAX_DAYS), Workdays(MAX_DAYS)]
)
@pytest.mark.parametrize("cal", [WorkCalendar.china(), WorkCalendar()], ids=["china", "company"])
def test_sla_status_with_the_longest_targets_raises_only_keyaccount_errors(
    period: Period, cal: WorkCalendar
) -> None:
    default = ComplaintPolicy.default()
    rules = tuple(
        attrs.evolve(r, resolution=attrs.evolve(r.resolution, within=period)) for r in default.rules
    )
    policy = attrs.evolve(default, rules=rules)
    complaint = Complaint.receive(
        "C-1",
        at=MONDAY,
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer_id="acme",
        channel="电话",
        summary="late",
    )
    with pytest.raises(KeyAccountError):
        sla_status(complaint, policy, cal, MONDAY.add(days=1))


# --------------------------------------------------------------------------- A7 ASCII only


@pytest.mark.parametrize(
    "text",
    ["٣ days", "３ workdays", "3\u00a0days", "3 days\u3000", "3\tdays", "4 working\u00a0hours"],
)
def test_parse_period_takes_only_ascii_digits_and_spaces(text: str) -> None:
    with pytest.raises(InvalidPeriodError, match="ASCII"):
        parse_period(text)


def test_working_hours_take_only_ascii_digits() -> None:
    with pytest.raises(InvalidPeriodError, match="HH:MM"):
        WorkingWindow.parse(("٠٩:00", "12:00"))


def test_a_refused_period_text_is_quoted_only_in_part() -> None:
    with pytest.raises(InvalidPeriodError) as caught:
        parse_period("x" * 100_000)
    assert len(str(caught.value)) < 300


# --------------------------------------------------------------------------- B4 strict types


def test_a_time_zone_that_is_not_a_name_is_refused() -> None:
    with pytest.raises(InvalidTimezoneError, match="IANA"):
        WorkCalendar(timezone=123)  # type: ignore[arg-type]  # deliberately wrong


def test_a_year_table_of_a_text_year_is_refused_when_built() -> None:
    with pytest.raises(InvalidCalendarError, match="int"):
        YearTable("2027", holidays=(), extra_workdays=(), source="notice")
    with pytest.raises(InvalidCalendarError, match="int"):
        YearTable(True, holidays=(), extra_workdays=(), source="notice")


@pytest.mark.parametrize(
    "value",
    ["2020", 2020, (2020,), ("2020", "2021"), (True, 2021), (2021, 2020), (0, 5), (2020, 10_000)],
)
def test_covered_years_must_be_a_pair_of_int_years(value: object) -> None:
    with pytest.raises(InvalidCalendarError, match="covered_years"):
        WorkCalendar(covered_years=value)  # type: ignore[arg-type]  # deliberately wrong


def test_covered_years_as_a_list_is_taken_as_a_pair() -> None:
    assert WorkCalendar(covered_years=[2020, 2021]).covered_years == (2020, 2021)  # type: ignore[arg-type]  # a list is accepted


@pytest.mark.parametrize("n", [True, False, 1.0, "1", None])
def test_add_workdays_takes_only_an_int(n: object) -> None:
    for cal in (WorkCalendar(), WorkCalendar.china()):
        with pytest.raises(InvalidArgumentTypeError, match="n must be an int"):
            cal.add_workdays(dt.date(2025, 3, 3), n)  # type: ignore[arg-type]  # deliberately wrong


@pytest.mark.parametrize(("start", "end"), [(1, 0), ("9", 600), (0, 2000), (True, 5), (-1, 60)])
def test_a_working_window_is_checked_when_built_directly(start: object, end: object) -> None:
    with pytest.raises(InvalidPeriodError):
        WorkingWindow(start, end)  # type: ignore[arg-type]  # deliberately wrong
