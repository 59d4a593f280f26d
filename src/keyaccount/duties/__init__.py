"""Duties on the calendar: the work routine (工作规程) of a position as schedules.

A position's recurring duties (``每周二需向总监呈报每周工作报告``, ``每月13~18日客户拜访``)
are data on the chart (`keyaccount.org.ScheduleItem`). This package answers "what must
this position do in this range, by when" (`occurrences`) and "what was done on time,
late, or missed" (`compliance`, `compliance_summary`).

| module | answers |
|---|---|
| `model` | what a duty and one occurrence are: `RecurringDuty`, `Occurrence`, `duties_of` |
| `occurrences` | when each duty falls in a range, on a working calendar: `occurrences` |
| `compliance` | was each done in time: `DoneRecord`, `compliance`, `compliance_summary` |
| `agenda` | what is on one person's plate in a range, duties and customer contacts: `agenda` |
| `ics` | the agenda as an iCalendar file: `to_ics` (the `keyaccount[ics]` extra) |

The recurrence rules (`Recurrence`) and the rest-day conventions
(`BusinessDayConvention`, `adjust`) live in `keyaccount.calendar`.
"""

from __future__ import annotations

from keyaccount.duties.agenda import Agenda, AgendaItem, AgendaKind, Unplaced, agenda
from keyaccount.duties.compliance import (
    ComplianceFigures,
    ComplianceStatus,
    ComplianceSummary,
    DoneRecord,
    OccurrenceCompliance,
    compliance,
    compliance_summary,
    record_problems,
)
from keyaccount.duties.ics import to_ics
from keyaccount.duties.model import DutyKind, Occurrence, RecurringDuty, duties_of
from keyaccount.duties.occurrences import occurrences

__all__ = [
    "Agenda",
    "AgendaItem",
    "AgendaKind",
    "ComplianceFigures",
    "ComplianceStatus",
    "ComplianceSummary",
    "DoneRecord",
    "DutyKind",
    "Occurrence",
    "OccurrenceCompliance",
    "RecurringDuty",
    "Unplaced",
    "agenda",
    "compliance",
    "compliance_summary",
    "duties_of",
    "occurrences",
    "record_problems",
    "to_ics",
]
