"""Positions, job descriptions (职位说明书) and authorities (权限), and the rules over them.

An `OrgChart` holds a department's positions, their reporting lines and the authorities
each position holds. Three rules answer the questions other systems ask:

* `can`: may this position do this (approve, review, appraise ...) on this subject,
  for this target and amount? The answer says which authority allows it, or why not.
* `approval_route`: who must approve this amount? Walk up from the requester's
  superior to the first position whose approve/decide right on the subject covers it.
* `check_org`: every problem in a chart, not just the first.

A proposal right (建议权) is not a decision right (决定权): `AuthorityKind.decides`
tells them apart, and `approval_route` only stops at deciding rights.

| module | answers |
|---|---|
| `rights` | what a position may do: `AuthorityKind`, `Scope`, `Authority`, `Delegation` |
| `model` | who is in the chart: `Position`, `JobDescription`, `Duty`, `Department` ... |
| `schedule` | what a position must do, and how often: `ScheduleItem`, `DutyKind` |
| `chart` | the chart and its lookups: `OrgChart` |
| `authority` | may this position do this? `can`, `Decision`, and whether a right covers a request |
| `route` | who must approve this amount? `approval_route`, `ApprovalRoute`, `BudgetAnswer` |
| `check` | what is wrong with this chart? `check_org`, `Finding`, `FindingCode` |
"""

from __future__ import annotations

from keyaccount.org.authority import Decision, can
from keyaccount.org.chart import OrgChart
from keyaccount.org.check import Finding, FindingCode, check_org
from keyaccount.org.model import (
    Department,
    Duty,
    Education,
    Experience,
    JobDescription,
    Position,
    Qualification,
)
from keyaccount.org.rights import (
    APPROVING_KINDS,
    DECIDING_KINDS,
    Authority,
    AuthorityKind,
    Delegation,
    Scope,
)
from keyaccount.org.route import ApprovalRoute, BudgetAnswer, approval_route
from keyaccount.org.schedule import DutyKind, ScheduleItem

__all__ = [
    "APPROVING_KINDS",
    "DECIDING_KINDS",
    "ApprovalRoute",
    "Authority",
    "AuthorityKind",
    "BudgetAnswer",
    "Decision",
    "Delegation",
    "Department",
    "Duty",
    "DutyKind",
    "Education",
    "Experience",
    "Finding",
    "FindingCode",
    "JobDescription",
    "OrgChart",
    "Position",
    "Qualification",
    "ScheduleItem",
    "Scope",
    "approval_route",
    "can",
    "check_org",
]
