"""keyaccount: the rules of a key-account and customer-service department, as a library.

This namespace holds the domain values and rules (calendar, money, org, customers,
visits, complaints, KPIs) and `KeyAccountError`, the base of every error the library
raises (each specific error is in `keyaccount.errors`). The namespaces of their own
are reachable as attributes after `import keyaccount` and loaded on first use:

- `keyaccount.batch`: the calendar's rules over numpy, pyarrow and Polars columns (needs
  numpy, the `arrow` extra);
- `keyaccount.io`: files, the converter and JSON Schema;
- `keyaccount.reference`: the seed departments as data;
- `keyaccount.testing`: Hypothesis strategies and a frozen clock (needs the `testing`
  extra).

Examples:
    >>> import keyaccount
    >>> keyaccount.reference.names()[0]
    'customer-service'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from keyaccount import complaints, customers, finance, kpi
from keyaccount.calendar import (
    CHINA_FIRST_YEAR,
    CHINA_TIMEZONE,
    BusinessDayConvention,
    DateRange,
    DayKind,
    Days,
    Deadline,
    GridDay,
    HolidayBreak,
    Hours,
    MonthGrid,
    Period,
    Recurrence,
    TimeWindow,
    WorkCalendar,
    Workdays,
    WorkingHours,
    WorkingWindow,
    YearTable,
    adjust,
    deadline,
    month_grid,
    parse_as_of,
    parse_period,
    to_instant,
)
from keyaccount.club import (
    DEFAULT_CLUB_POLICY,
    Adjust,
    CardIssued,
    CardRenewed,
    CardReplaced,
    CardReportedLost,
    Cards,
    CardStatus,
    ClubPolicy,
    ClubReport,
    Earn,
    Ledger,
    MemberPoints,
    Redeem,
    Referral,
    ReferralClose,
    RemarketingReport,
    Reverse,
    TierQualification,
    build_ledger,
    club_report,
    fold_cards,
    qualify,
    remarketing_report,
    renewal_reminders,
    track_referrals,
)
from keyaccount.complaints import *  # noqa: F403 - every public name of the package
from keyaccount.customers import *  # noqa: F403 - every public name of the package
from keyaccount.duties import (
    Agenda,
    AgendaItem,
    AgendaKind,
    ComplianceFigures,
    ComplianceStatus,
    ComplianceSummary,
    DoneRecord,
    Occurrence,
    OccurrenceCompliance,
    RecurringDuty,
    agenda,
    compliance,
    compliance_summary,
    duties_of,
    occurrences,
)
from keyaccount.errors import KeyAccountError
from keyaccount.finance import *  # noqa: F403 - every public name of the package
from keyaccount.kpi import *  # noqa: F403 - every public name of the package
from keyaccount.money import DEFAULT_CURRENCY, Money, Rates, minor_unit, to_decimal
from keyaccount.org import (
    ApprovalRoute,
    Authority,
    AuthorityKind,
    BudgetAnswer,
    Decision,
    Delegation,
    Department,
    Duty,
    DutyKind,
    Education,
    Experience,
    Finding,
    FindingCode,
    JobDescription,
    OrgChart,
    Position,
    Qualification,
    ScheduleItem,
    Scope,
    approval_route,
    can,
    check_org,
)
from keyaccount.visits import (
    DEFAULT_CADENCE,
    FIRST_CONTACT_WITHIN,
    RETURN_VISIT_WITHIN,
    Appointment,
    AppointmentResult,
    AppointmentStatus,
    Cadence,
    CardExpiry,
    Channel,
    Coverage,
    DueReminder,
    DueVisit,
    GreetingDay,
    IncompleteRecord,
    LatestContact,
    Outcome,
    ReminderKind,
    ReminderPolicy,
    ServiceFacts,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    VisitSummary,
    appointment_status,
    card_renewal_reminders,
    coverage,
    due_visits,
    is_quiet,
    latest_contact_before,
    maintenance_reminders,
    members_of,
    next_contact_time,
    next_maintenance,
    overdue_visits,
    reschedule,
    visit_summary,
)

if TYPE_CHECKING:  # reached lazily at run time, through __getattr__ below
    from keyaccount import batch as batch
    from keyaccount import io as io
    from keyaccount import reference as reference
    from keyaccount import testing as testing

#: The version of the library (the packaging metadata reads it from here).
__version__ = "0.2.0"

#: The namespaces reachable as attributes of `keyaccount`, imported when first used.
_LAZY = ("batch", "io", "reference", "testing")

__all__ = [
    "CHINA_FIRST_YEAR",
    "CHINA_TIMEZONE",
    "DEFAULT_CADENCE",
    "DEFAULT_CLUB_POLICY",
    "DEFAULT_CURRENCY",
    "FIRST_CONTACT_WITHIN",
    "RETURN_VISIT_WITHIN",
    "Adjust",
    "Agenda",
    "AgendaItem",
    "AgendaKind",
    "Appointment",
    "AppointmentResult",
    "AppointmentStatus",
    "ApprovalRoute",
    "Authority",
    "AuthorityKind",
    "BudgetAnswer",
    "BusinessDayConvention",
    "Cadence",
    "CardExpiry",
    "CardIssued",
    "CardRenewed",
    "CardReplaced",
    "CardReportedLost",
    "CardStatus",
    "Cards",
    "Channel",
    "ClubPolicy",
    "ClubReport",
    "ComplianceFigures",
    "ComplianceStatus",
    "ComplianceSummary",
    "Coverage",
    "DateRange",
    "DayKind",
    "Days",
    "Deadline",
    "Decision",
    "Delegation",
    "Department",
    "DoneRecord",
    "DueReminder",
    "DueVisit",
    "Duty",
    "DutyKind",
    "Earn",
    "Education",
    "Experience",
    "Finding",
    "FindingCode",
    "GreetingDay",
    "GridDay",
    "HolidayBreak",
    "Hours",
    "IncompleteRecord",
    "JobDescription",
    "KeyAccountError",
    "LatestContact",
    "Ledger",
    "MemberPoints",
    "Money",
    "MonthGrid",
    "Occurrence",
    "OccurrenceCompliance",
    "OrgChart",
    "Outcome",
    "Period",
    "Position",
    "Qualification",
    "Rates",
    "Recurrence",
    "RecurringDuty",
    "Redeem",
    "Referral",
    "ReferralClose",
    "RemarketingReport",
    "ReminderKind",
    "ReminderPolicy",
    "Reverse",
    "ScheduleItem",
    "Scope",
    "ServiceFacts",
    "TierQualification",
    "TimeWindow",
    "VisitPolicy",
    "VisitRecord",
    "VisitRule",
    "VisitSummary",
    "WorkCalendar",
    "Workdays",
    "WorkingHours",
    "WorkingWindow",
    "YearTable",
    "__version__",
    "adjust",
    "agenda",
    "appointment_status",
    "approval_route",
    "build_ledger",
    "can",
    "card_renewal_reminders",
    "check_org",
    "club_report",
    "compliance",
    "compliance_summary",
    "coverage",
    "deadline",
    "due_visits",
    "duties_of",
    "fold_cards",
    "is_quiet",
    "latest_contact_before",
    "maintenance_reminders",
    "members_of",
    "minor_unit",
    "month_grid",
    "next_contact_time",
    "next_maintenance",
    "occurrences",
    "overdue_visits",
    "parse_as_of",
    "parse_period",
    "qualify",
    "remarketing_report",
    "renewal_reminders",
    "reschedule",
    "to_decimal",
    "to_instant",
    "track_referrals",
    "visit_summary",
]
# The packages whose every public name is a top-level one (imported with * above).
__all__ += complaints.__all__
__all__ += customers.__all__
__all__ += finance.__all__
__all__ += kpi.__all__


def __getattr__(name: str) -> object:
    """`keyaccount.io`, `keyaccount.reference` and `keyaccount.testing`, imported on first use.

    They stay out of `import keyaccount`, so that a system using only the rules does not
    load the file machinery, and `keyaccount.testing` needs Hypothesis only when used.
    """
    if name in _LAZY:
        return importlib.import_module(f"keyaccount.{name}")
    # The module attribute protocol: getattr() and hasattr() expect an AttributeError.
    raise AttributeError(f"module 'keyaccount' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
