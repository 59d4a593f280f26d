"""Edge cases of the SLA's fast clock found in review: each pins a defect once fixed."""

from __future__ import annotations

import datetime as dt
import threading

import pendulum
import pytest

from keyaccount import (
    Complaint,
    ComplaintPolicy,
    ComplaintStatus,
    EscalationTarget,
    Hours,
    Period,
    RequestKind,
    Severity,
    SlaTarget,
    TargetRule,
    WorkCalendar,
    Workdays,
    WorkingHours,
    deadline,
    sla_status,
)
from keyaccount.complaints import Fault, FollowUpOutcome, _sla_clock, sla
from keyaccount.complaints._sla_clock import TableClock
from keyaccount.complaints.sla import _sla_status

US = dt.timedelta(microseconds=1)
BERLIN = "Europe/Berlin"


def _calendar_working(calendar: WorkCalendar, a: pendulum.DateTime, b: pendulum.DateTime) -> int:
    return calendar.working_time_between(a, b) // US


def test_two_threads_filling_a_new_memo_share_one_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    # Thread A starts the memo of a new calendar with 2025; while it builds that year,
    # thread B starts it with 2010. Each first build counts positions from its own year,
    # so the memo must be filled by one thread at a time: else the one stored last wins
    # and the other thread's later positions (grown from it) disagree with its earlier.
    calendar = WorkCalendar(timezone=BERLIN)
    a1 = pendulum.datetime(2025, 6, 2, 10, tz=BERLIN)
    a2 = pendulum.datetime(2026, 6, 2, 10, tz=BERLIN)
    b1 = pendulum.datetime(2010, 6, 2, 10, tz=BERLIN)
    b2 = pendulum.datetime(2011, 6, 2, 10, tz=BERLIN)
    original = _sla_clock._Table._build
    started, b_read, a_done = threading.Event(), threading.Event(), threading.Event()
    found: dict[str, int] = {}
    threads: list[threading.Thread] = []

    def thread_b() -> None:
        clock = TableClock(calendar)
        first = clock.read(b1)[2]
        b_read.set()
        a_done.wait(10)
        found["b"] = clock.read(b2)[2] - first

    def build(table: _sla_clock._Table, first: int, last: int) -> object:
        if not started.is_set():  # A's first build: let B run meanwhile (if it can)
            started.set()
            threads.append(threading.Thread(target=thread_b))
            threads[0].start()
            b_read.wait(0.5)
        return original(table, first, last)

    monkeypatch.setattr(_sla_clock._Table, "_build", build)
    clock = TableClock(calendar)
    found["a"] = clock.read(a2)[2] - clock.read(a1)[2]
    a_done.set()
    threads[0].join(10)
    assert found["a"] == _calendar_working(calendar, a1, a2)
    assert found["b"] == _calendar_working(calendar, b1, b2)


def _policy(acceptance: Period, resolution: Period) -> ComplaintPolicy:
    rules = tuple(
        TargetRule(
            kind,
            SlaTarget(acceptance, WorkingHours(0)),
            SlaTarget(resolution, Hours(1)),
            SlaTarget(Hours(1), Hours(1)),
        )
        for kind in RequestKind
    )
    return ComplaintPolicy(
        rules=rules,
        major_escalation=EscalationTarget("crm-director", "x"),
        breach_escalation=EscalationTarget("cmm"),
        pausing_statuses=frozenset({ComplaintStatus.PAUSED}),
        reopen_escalation_after=2,
    )


def test_a_skipped_wall_clock_with_the_later_offset_lies_on_the_day_before() -> None:
    # Beirut skips 00:00-01:00 on 31 March 2024. 00:30 with fold=1 (the later offset,
    # +03:00) is 21:30 UTC, i.e. 23:30 on the 30th: half an hour into that evening's
    # window. The calendar takes the wall clock's date (the 31st) for day periods, as
    # for any instant already in its zone, but counts working time on the real instants.
    calendar = WorkCalendar(
        timezone="Asia/Beirut",
        hours=[("00:00", "01:00"), ("02:00", "03:00"), ("23:00", "24:00")],
        weekly_rest_days=frozenset(),
    )
    at = pendulum.DateTime(2024, 3, 31, 0, 30, tzinfo=calendar.tz, fold=1)
    complaint = Complaint.receive(
        "C-1",
        at=at,
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer_id="acme",
        channel="电话",
        summary="late",
    )
    later = pendulum.datetime(2024, 3, 31, 0, 30, tz="UTC")  # 03:30 in Beirut
    assert _calendar_working(calendar, at, later) == 90 * 60_000_000
    clock = TableClock(calendar)
    assert clock.read(later)[2] - clock.read(at)[2] == 90 * 60_000_000
    policy = _policy(WorkingHours(1), Workdays(1))
    for as_of in (at, later):
        fast = sla_status(complaint, policy, calendar, as_of)
        assert fast == _sla_status(complaint, policy, calendar, as_of, fast=False)
        acceptance, resolution = fast.targets
        assert acceptance.deadline == pendulum.datetime(2024, 3, 31, 2, 30, tz="Asia/Beirut")
        assert resolution.deadline == deadline(at, Workdays(1), calendar).at
        assert resolution.due_date == dt.date(2024, 4, 1)
    assert fast.targets[0].time_used == dt.timedelta(minutes=90)


def test_many_fixed_offsets_do_not_grow_the_offset_memo_without_bound() -> None:
    # A service fed instants with arbitrary fixed offsets meets thousands of them.
    calendar = WorkCalendar.china()
    clock = TableClock(calendar)
    base = dt.datetime(2025, 3, 4, 10, tzinfo=dt.UTC)
    for seconds in range(1, 3000 * 7, 7):
        zone = pendulum.FixedTimezone(seconds)
        instant = pendulum.instance(base).in_timezone(zone)
        assert clock.us(instant) == (base - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // US
    assert len(_sla_clock._OFFSETS) <= _sla_clock._MAX_OFFSETS


def test_an_as_of_in_an_uncovered_year_keeps_the_fast_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Evaluated at a date past the China calendar's years, a complaint handled within them
    # needs no figure of the uncovered year (nor does an elapsed-time target): the answer
    # is the reference's, on the fast clock (the fallback made every complaint ~3x slower).
    china = WorkCalendar.china()
    last = (china.covered_years or (2006, 2026))[1]
    at = pendulum.datetime(last, 3, 3, 10, tz="Asia/Shanghai")
    as_of = pendulum.datetime(last + 1, 1, 5, 10, tz="Asia/Shanghai")
    received = Complaint.receive(
        "C-2",
        at=at,
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer_id="acme",
        channel="电话",
        summary="late",
    )
    handled = received.accept(by="cs", at=at.add(hours=1)).pause(at=at.add(hours=2))
    handled = handled.resume(at=at.add(hours=5))
    cases = [
        (
            handled.resolve(
                resolution="x", fault=Fault.OURS, root_cause="q", at=at.add(days=2)
            ).follow_up(outcome=FollowUpOutcome.SATISFIED, by="cs", at=at.add(days=3)),
            _policy(WorkingHours(4), Workdays(2)),
        ),
        (handled, _policy(Hours(4), Hours(48))),
    ]
    expected = [_sla_status(c, policy, china, as_of, fast=False) for c, policy in cases]

    def no_fallback(_calendar: WorkCalendar) -> None:
        raise AssertionError("the fast clock gave up")

    monkeypatch.setattr(sla, "CalendarClock", no_fallback)
    for (complaint, policy), reference in zip(cases, expected, strict=True):
        fast = sla_status(complaint, policy, china, as_of)
        assert fast == reference
        assert len(fast.targets) == (3 if complaint.resolution else 2)
