"""Testing helpers shipped to users: Hypothesis strategies, profiles and a frozen clock.

Importing this package needs Hypothesis (`pip install keyaccount[testing]`); the rest of
the library does not. One module per area: `times` (the frozen clock, zones, dates,
instants, periods, calendars), `amounts`, `org`, `customers` (customers and visits),
`duties` (recurrences, recurring duties, done records), `finance` (invoices, payments, ledgers),
`credit` (rating policies, open orders, churn policies), `budgets` (budget books, sales records),
`club` (club policies, card histories, points ledgers), `complaints`, `reminders`
(reminders, appointments, agenda contacts) and `profiles`;
every name is re-exported here. For example:

    from hypothesis import given
    from keyaccount.io import dumps_customers, loads_customers
    from keyaccount.testing import customer_records

    @given(customer_records())
    def test_a_customer_file_gives_back_the_customer(customer):
        assert loads_customers(dumps_customers([customer])).items == (customer,)
"""

from keyaccount.testing.amounts import money
from keyaccount.testing.budgets import budget_books, expenses, sales_records, sales_targets
from keyaccount.testing.club import (
    ClubHistory,
    club_histories,
    club_ledgers,
    club_policies,
)
from keyaccount.testing.complaints import complaint_histories, complaint_policies
from keyaccount.testing.credit import churn_policies, open_orders, rating_policies, rating_rules
from keyaccount.testing.customers import (
    company_names,
    customer_records,
    mobile_numbers,
    name_spellings,
    phone_spellings,
    staff_members,
    visit_policies,
    visit_records,
)
from keyaccount.testing.duties import (
    business_day_conventions,
    done_records,
    recurrences,
    recurring_duties,
    time_windows,
)
from keyaccount.testing.finance import (
    invoices,
    payment_terms,
    payments,
    receivables_ledgers,
)
from keyaccount.testing.org import (
    ORG_SUBJECTS,
    authorities,
    delegations,
    departments,
    duties,
    duty_shares,
    job_descriptions,
    limits,
    org_charts,
    org_texts,
    positions,
    qualifications,
    sound_duties,
)
from keyaccount.testing.profiles import register_profiles
from keyaccount.testing.reminders import (
    appointments,
    due_contacts,
    reminder_policies,
    service_facts,
    shanghai_instants,
)
from keyaccount.testing.times import (
    FrozenClock,
    aware_datetimes,
    china_dates,
    company_calendars,
    periods,
    timezones,
)

__all__ = [
    "ORG_SUBJECTS",
    "ClubHistory",
    "FrozenClock",
    "appointments",
    "authorities",
    "aware_datetimes",
    "budget_books",
    "business_day_conventions",
    "china_dates",
    "churn_policies",
    "club_histories",
    "club_ledgers",
    "club_policies",
    "company_calendars",
    "company_names",
    "complaint_histories",
    "complaint_policies",
    "customer_records",
    "delegations",
    "departments",
    "done_records",
    "due_contacts",
    "duties",
    "duty_shares",
    "expenses",
    "invoices",
    "job_descriptions",
    "limits",
    "mobile_numbers",
    "money",
    "name_spellings",
    "open_orders",
    "org_charts",
    "org_texts",
    "payment_terms",
    "payments",
    "periods",
    "phone_spellings",
    "positions",
    "qualifications",
    "rating_policies",
    "rating_rules",
    "receivables_ledgers",
    "recurrences",
    "recurring_duties",
    "register_profiles",
    "reminder_policies",
    "sales_records",
    "sales_targets",
    "service_facts",
    "shanghai_instants",
    "sound_duties",
    "staff_members",
    "time_windows",
    "timezones",
    "visit_policies",
    "visit_records",
]
