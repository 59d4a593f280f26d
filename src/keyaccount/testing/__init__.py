"""Testing helpers shipped to users: Hypothesis strategies, profiles and a frozen clock.

Importing this package needs Hypothesis (`pip install keyaccount[testing]`); the rest of
the library does not. One module per area: `times` (the frozen clock, zones, dates,
instants, periods, calendars), `amounts`, `org`, `customers` (customers and visits),
`complaints` and `profiles`; every name is re-exported here. For example:

    from hypothesis import given
    from keyaccount.io import dumps_customers, loads_customers
    from keyaccount.testing import customer_records

    @given(customer_records())
    def test_a_customer_file_gives_back_the_customer(customer):
        assert loads_customers(dumps_customers([customer])).items == (customer,)
"""

from keyaccount.testing.amounts import money
from keyaccount.testing.complaints import complaint_histories, complaint_policies
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
    "FrozenClock",
    "authorities",
    "aware_datetimes",
    "china_dates",
    "company_calendars",
    "company_names",
    "complaint_histories",
    "complaint_policies",
    "customer_records",
    "delegations",
    "departments",
    "duties",
    "duty_shares",
    "job_descriptions",
    "limits",
    "mobile_numbers",
    "money",
    "name_spellings",
    "org_charts",
    "org_texts",
    "periods",
    "phone_spellings",
    "positions",
    "qualifications",
    "register_profiles",
    "sound_duties",
    "staff_members",
    "timezones",
    "visit_policies",
    "visit_records",
]
