"""Compliance with recurring duties (issue 10): on time, late by how much, missed, open;
the summary per position and per person, each figure with its occurrence ids."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyaccount import reference
from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.duties import (
    ComplianceStatus,
    DoneRecord,
    Occurrence,
    OccurrenceCompliance,
    RecurringDuty,
    compliance,
    compliance_summary,
    duties_of,
    occurrences,
)
from keyaccount.errors import InvalidTextError, NaiveDatetimeError
from keyaccount.testing import recurring_duties

D = dt.date
TZ = "Asia/Shanghai"
CHINA = WorkCalendar.china()
#: Years ahead estimated, so a deadline that opens in 2026 and falls due in 2027 has a day.
AHEAD = WorkCalendar.china(provisional=True)
MANAGER = "sales-management-manager"
REPORT = f"{MANAGER}/monthly-report"
WEEKLY = f"{MANAGER}/weekly-report"


def _at(month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=TZ)


@pytest.fixture(scope="module")
def reports() -> tuple[Occurrence, ...]:
    chart = reference.load("sales-management")
    duties = [d for d in duties_of(chart, MANAGER) if d.id in (REPORT, WEEKLY)]
    return occurrences(duties, D(2026, 10, 1), D(2026, 10, 31), CHINA)


def _status(
    rows: tuple[OccurrenceCompliance, ...], occurrence_id: str
) -> tuple[ComplianceStatus, dt.timedelta | None, str | None]:
    row = next(r for r in rows if r.id == occurrence_id)
    return row.status, row.late_by, row.done_by


def test_each_status_with_the_seed_reports_of_october_2026(reports: tuple[Occurrence, ...]) -> None:
    records = [
        # the monthly report is due at the end of 10-08 (the 3rd fell in the holidays)
        DoneRecord("r1", REPORT, "s-wang", _at(10, 8, 18)),  # exactly at the due instant
        # week of 10-12: due Tuesday 10-13 18:00, done Wednesday 10:30
        DoneRecord("r2", WEEKLY, "s-wang", _at(10, 14, 10, 30)),
        # week of 10-19: done on time by the deputy
        DoneRecord("r3", WEEKLY, "s-li", _at(10, 20, 9)),
        # a record after as_of is not known yet
        DoneRecord("r4", WEEKLY, "s-wang", _at(10, 28, 9)),
    ]
    rows = compliance(reports, records, _at(10, 27, 12))
    assert _status(rows, f"{REPORT}@2026-10-03") == (ComplianceStatus.DONE_ON_TIME, None, "s-wang")
    assert _status(rows, f"{WEEKLY}@2026-10-06") == (ComplianceStatus.MISSED, None, None)
    assert _status(rows, f"{WEEKLY}@2026-10-13") == (
        ComplianceStatus.DONE_LATE,
        dt.timedelta(hours=16, minutes=30),
        "s-wang",
    )
    assert _status(rows, f"{WEEKLY}@2026-10-20") == (ComplianceStatus.DONE_ON_TIME, None, "s-li")
    assert _status(rows, f"{WEEKLY}@2026-10-27") == (ComplianceStatus.OPEN, None, None)
    late = next(r for r in rows if r.id == f"{WEEKLY}@2026-10-13")
    assert "16:30:00 late" in late.explain()
    assert "逾期完成" in late.explain()


def test_a_record_naming_its_occurrence_meets_it_even_after_the_next_one_opened(
    reports: tuple[Occurrence, ...],
) -> None:
    late = DoneRecord("r1", WEEKLY, "s-wang", _at(10, 15, 9), scheduled=D(2026, 10, 6))
    rows = compliance(reports, [late], _at(10, 31, 0))
    assert _status(rows, f"{WEEKLY}@2026-10-06")[0] is ComplianceStatus.DONE_LATE
    assert _status(rows, f"{WEEKLY}@2026-10-13")[0] is ComplianceStatus.MISSED
    unnamed = DoneRecord("r2", WEEKLY, "s-wang", _at(10, 15, 9))
    rows = compliance(reports, [unnamed], _at(10, 31, 0))  # the week of the 12th was open then
    assert _status(rows, f"{WEEKLY}@2026-10-06")[0] is ComplianceStatus.MISSED
    assert _status(rows, f"{WEEKLY}@2026-10-13")[0] is ComplianceStatus.DONE_LATE


def test_the_summary_counts_per_position_and_person_with_the_ids_behind(
    reports: tuple[Occurrence, ...],
) -> None:
    records = [
        DoneRecord("r1", REPORT, "s-wang", _at(10, 9, 10)),
        DoneRecord("r2", WEEKLY, "s-li", _at(10, 13, 9)),
    ]
    rows = compliance(reports, records, _at(10, 31, 23))
    summary = compliance_summary(
        rows, DateRange(D(2026, 10, 1), D(2026, 10, 31)), holders={MANAGER: "s-wang"}
    )
    (position,) = summary.positions
    assert position.subject == MANAGER
    assert position.late == (f"{REPORT}@2026-10-03",)
    assert position.on_time == (f"{WEEKLY}@2026-10-13",)
    assert set(position.missed) == {f"{WEEKLY}@2026-10-{d}" for d in ("06", "20", "27")}
    assert position.on_time_rate == Fraction(1, 5)
    assert position.due == 5
    people = {p.subject: p for p in summary.people}
    assert people["s-li"].on_time == (f"{WEEKLY}@2026-10-13",)
    assert people["s-wang"].late == (f"{REPORT}@2026-10-03",)
    assert len(people["s-wang"].missed) == 3
    assert summary.unattributed == ()
    nobody = compliance_summary(rows, DateRange(D(2026, 10, 1), D(2026, 10, 31)))
    assert len(nobody.unattributed) == 3


def test_bad_records_are_refused() -> None:
    with pytest.raises(InvalidTextError):
        DoneRecord("r1", REPORT, " ", _at(10, 1, 9))
    with pytest.raises(NaiveDatetimeError):
        DoneRecord("r1", REPORT, "s", dt.datetime(2026, 10, 1, 9))  # noqa: DTZ001 - the point


@settings(max_examples=60)
@given(
    recurring_duties(),
    st.dates(D(2025, 1, 1), D(2026, 11, 30)),
    st.integers(-3 * 24 * 60, 3 * 24 * 60),
    st.integers(0, 60 * 24 * 40),
)
def test_a_duty_done_before_its_due_instant_is_never_late(
    duty: RecurringDuty, start: dt.date, offset_minutes: int, as_of_minutes: int
) -> None:
    found = occurrences([duty], start, start + dt.timedelta(days=30), AHEAD)
    if not found:
        return
    target = found[0]
    at = target.end + dt.timedelta(minutes=offset_minutes)
    as_of = target.start + dt.timedelta(minutes=as_of_minutes)
    row = next(
        r
        for r in compliance(
            found, [DoneRecord("r", duty.id, "s", at, scheduled=target.scheduled)], as_of
        )
        if r.id == target.id
    )
    if at > as_of:
        assert row.record is None
        assert row.status in (ComplianceStatus.OPEN, ComplianceStatus.MISSED)
        assert (row.status is ComplianceStatus.OPEN) == (as_of < target.end)
    elif at <= target.end:
        assert row.status is ComplianceStatus.DONE_ON_TIME
        assert row.late_by is None
    else:
        assert row.status is ComplianceStatus.DONE_LATE
        assert row.late_by == at - target.end > dt.timedelta(0)
