"""Reminders, appointments and agenda contacts for tests: cars' service facts, reminder
policies, appointments and due contacts on the Chinese calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
from hypothesis import strategies as st

from keyaccount.calendar import CHINA_TIMEZONE, Days, Hours, deadline
from keyaccount.calendar.work_calendar import WorkCalendar
from keyaccount.visits import (
    Appointment,
    DueReminder,
    DueVisit,
    ReminderKind,
    ReminderPolicy,
    ServiceFacts,
    VisitRule,
)

__all__ = [
    "appointments",
    "due_contacts",
    "reminder_policies",
    "service_facts",
    "shanghai_instants",
]

_FIRST: dt.date = dt.date(2025, 1, 1)
_LAST: dt.date = dt.date(2026, 12, 31)


def shanghai_instants(
    first: dt.date = _FIRST, last: dt.date = _LAST
) -> st.SearchStrategy[pendulum.DateTime]:
    """Instants in Asia/Shanghai, to the minute, between ``first`` and ``last``."""
    minutes = (last - first).days * 24 * 60
    origin = pendulum.datetime(first.year, first.month, first.day, tz=CHINA_TIMEZONE)
    return st.integers(0, minutes).map(lambda m: origin.add(minutes=m))


def reminder_policies() -> st.SearchStrategy[ReminderPolicy]:
    """Reminder policies: any distances and months, leads of up to 60 days."""
    return st.builds(
        ReminderPolicy,
        first_km=st.integers(1_000, 10_000),
        first_months=st.integers(1, 12),
        routine_km=st.integers(1_000, 30_000),
        routine_months=st.integers(1, 24),
        maintenance_lead=st.integers(0, 60).map(Days),
        card_lead=st.integers(0, 60).map(Days),
    )


@st.composite
def service_facts(draw: st.DrawFn, customer_id: str = "c1") -> ServiceFacts:
    """A car's service facts: a last service in 2025, maybe a reading, maybe a daily
    estimate (exact decimals), in every combination."""
    last_on = _FIRST + dt.timedelta(days=draw(st.integers(0, 364)))
    last_km = draw(st.integers(0, 200_000))
    reading = draw(st.booleans())
    reading_km = read_on = None
    if reading:
        reading_km = last_km + draw(st.integers(0, 40_000))
        read_on = last_on + dt.timedelta(days=draw(st.integers(0, 300)))
    daily = draw(
        st.none()
        | st.decimals(min_value=Decimal("0.5"), max_value=Decimal(400), places=1).filter(
            lambda d: d > 0
        )
    )
    return ServiceFacts(
        customer_id,
        last_on,
        last_km,
        first=draw(st.booleans()),
        reading_km=reading_km,
        read_on=read_on,
        daily_km=daily,
    )


@st.composite
def appointments(
    draw: st.DrawFn, customer_id: str = "c1", made_at: pendulum.DateTime | None = None
) -> Appointment:
    """An appointment for ``customer_id``'s return visit, agreed up to a week after it was
    made (at ``made_at`` when given)."""
    made = made_at if made_at is not None else draw(shanghai_instants())
    agreed = made.add(minutes=draw(st.integers(0, 7 * 24 * 60)))
    return Appointment(
        draw(st.sampled_from(["a1", "a2", "a3"])),
        customer_id,
        agreed,
        made,
        window=draw(st.sampled_from([Hours(0, 30), Hours(1), Hours(0)])),
    )


@st.composite
def due_contacts(
    draw: st.DrawFn, calendar: WorkCalendar, owner: str = "s1"
) -> DueVisit | DueReminder:
    """A due visit or a reminder owed by ``owner``, opening at any minute of 2026
    (quiet hours, nights, holidays included)."""
    opens = draw(shanghai_instants(dt.date(2026, 1, 1), dt.date(2026, 12, 20)))
    customer = draw(st.sampled_from(["c1", "c2", "c3", "c4"]))
    if draw(st.booleans()):
        rule = draw(st.sampled_from(list(VisitRule)))
        due = deadline(opens, Days(draw(st.integers(0, 7))), calendar)
        return DueVisit(customer, rule, due, "drawn", owner)
    kind = draw(st.sampled_from(list(ReminderKind)))
    days = draw(st.integers(0, 30))
    return DueReminder(
        customer,
        kind,
        opens.date() + dt.timedelta(days=days),
        opens,
        opens.add(days=days),
        "drawn",
        owner,
    )
