"""Visits and return visits (拜访 / 回访): what is due, by when, and how it went.

The rules come from the seed's service standard (``000_…``, 客户服务部工作职责及规范):

* a customer assigned to a specialist must be contacted within one week
  (应在一周内与客户进行沟通), with a detailed record;
* "one avoid, three musts" (一个避免,三个必保): avoid disturbing customers while they
  rest (避免在客户休息时打扰客户); return visits to 100% of member customers
  (必须保证会员客户的100%的回访); every visit completely recorded (必须保证回访信息的完整
  记录); the return visit within three days (必须保证在三天之内回访);
* each visit fills in a visit record form (《回访记录表》) and the round ends with a
  summary report (《回访总结报告》);
* special visits on holidays and birthday greetings.

Every number is a field of `VisitPolicy` with the seed's value as its default. The
rules take ``as_of`` and never read the clock.

One module per question:

* `policy`: the company's rules (`VisitPolicy`, `Cadence`, `GreetingDay`);
* `quiet_hours`: which minutes of a day are quiet (`MinuteSpan`);
* `contact_times`: when a customer may be contacted (`is_quiet`,
  `next_contact_time`, `latest_contact_before`);
* `model`: the visit record form and a due visit (`VisitRecord`, `Channel`, `Outcome`,
  `VisitRule`, `DueVisit`);
* `rules`: why a visit is due, one function per rule of the seed;
* `due`: which visits of a book are due (`due_visits`, `overdue_visits`);
* `appointments`: a time agreed with the customer (约定回访时间) replaces a visit's
  deadline, and missing it is a breach (`Appointment`, `reschedule`,
  `appointment_status`);
* `maintenance`: when a car is due for maintenance, by mileage or period
  (`ServiceFacts`, `next_maintenance`, `ReminderPolicy`);
* `reminders`: maintenance and card-renewal reminders (`maintenance_reminders`,
  `card_renewal_reminders`, `DueReminder`);
* `reports`: member coverage and the summary report (`coverage`, `visit_summary`).

Examples:
    >>> import pendulum
    >>> from keyaccount.calendar import WorkCalendar
    >>> at = pendulum.datetime(2026, 3, 2, 12, 30, tz="Asia/Shanghai")   # lunch time
    >>> next_contact_time(at, VisitPolicy(), WorkCalendar.china())
    DateTime(2026, 3, 2, 14, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

from keyaccount.visits.appointments import (
    APPOINTMENT_WINDOW,
    Appointment,
    AppointmentResult,
    AppointmentStatus,
    appointment_status,
    reschedule,
)
from keyaccount.visits.contact_times import (
    LatestContact,
    is_quiet,
    latest_contact_before,
    next_contact_time,
)
from keyaccount.visits.due import DueVisit, due_visits, overdue_visits
from keyaccount.visits.maintenance import (
    NextMaintenance,
    ReminderPolicy,
    ServiceFacts,
    next_maintenance,
)
from keyaccount.visits.model import Channel, Outcome, VisitRecord, VisitRule
from keyaccount.visits.policy import (
    DEFAULT_CADENCE,
    FIRST_CONTACT_WITHIN,
    RETURN_VISIT_WITHIN,
    Cadence,
    GreetingDay,
    VisitPolicy,
)
from keyaccount.visits.quiet_hours import MinuteSpan
from keyaccount.visits.reminders import (
    CardExpiry,
    DueReminder,
    ReminderKind,
    card_renewal_reminders,
    contact_window,
    maintenance_reminders,
)
from keyaccount.visits.reports import (
    Coverage,
    IncompleteRecord,
    VisitSummary,
    coverage,
    members_of,
    visit_summary,
)

__all__ = [
    "APPOINTMENT_WINDOW",
    "DEFAULT_CADENCE",
    "FIRST_CONTACT_WITHIN",
    "RETURN_VISIT_WITHIN",
    "Appointment",
    "AppointmentResult",
    "AppointmentStatus",
    "Cadence",
    "CardExpiry",
    "Channel",
    "Coverage",
    "DueReminder",
    "DueVisit",
    "GreetingDay",
    "IncompleteRecord",
    "LatestContact",
    "MinuteSpan",
    "NextMaintenance",
    "Outcome",
    "ReminderKind",
    "ReminderPolicy",
    "ServiceFacts",
    "VisitPolicy",
    "VisitRecord",
    "VisitRule",
    "VisitSummary",
    "appointment_status",
    "card_renewal_reminders",
    "contact_window",
    "coverage",
    "due_visits",
    "is_quiet",
    "latest_contact_before",
    "maintenance_reminders",
    "members_of",
    "next_contact_time",
    "next_maintenance",
    "overdue_visits",
    "reschedule",
    "visit_summary",
]
