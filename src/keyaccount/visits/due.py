"""Which visits are due in a book, by when, and why.

`due_visits` runs every rule of `keyaccount.visits.rules` over each customer of a book,
given the latest visit record of each customer that counts as a contact;
`overdue_visits` keeps the visits past their deadline. Both take ``as_of`` and never
read the clock.

Examples:
    >>> import pendulum
    >>> from keyaccount.calendar import WorkCalendar
    >>> from keyaccount.customers import Customer
    >>> assigned = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> book = [Customer("c1", "客户", owner="s1", assigned_at=assigned)]
    >>> (item,) = due_visits(book, [], VisitPolicy(), WorkCalendar.china(), assigned.add(days=1))
    >>> item.rule, item.deadline.date
    (<VisitRule.FIRST_CONTACT: 'first-contact'>, Date(2026, 3, 9))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pendulum

from keyaccount._fields import earlier
from keyaccount.calendar import WorkCalendar
from keyaccount.customers import Customer, CustomerStatus
from keyaccount.visits.appointments import Appointment, reschedule
from keyaccount.visits.model import DueVisit, VisitRecord
from keyaccount.visits.policy import VisitPolicy
from keyaccount.visits.rules import PROSPECT_RULES, Scan, active_rules

__all__ = ["DueVisit", "due_visits", "overdue_visits"]


def _latest_contacts(
    records: Iterable[VisitRecord], policy: VisitPolicy, as_of: pendulum.DateTime
) -> dict[str, pendulum.DateTime]:
    """The latest record of each customer that counts as a contact, at or before ``as_of``.

    A record dated after ``as_of`` has not happened yet at ``as_of``: it is ignored.
    """
    latest: dict[str, pendulum.DateTime] = {}
    for record in records:
        at = record.at
        if earlier(as_of, at):
            continue
        previous = latest.get(record.customer_id)
        if (previous is None or earlier(previous, at)) and record.counts_as_contact(policy):
            latest[record.customer_id] = at
    return latest


def _scan(
    customers: Iterable[Customer],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    overdue_only: bool,
) -> tuple[DueVisit, ...]:
    scan = Scan.start(policy, calendar, as_of, overdue_only=overdue_only)
    latest = _latest_contacts(records, policy, scan.now)
    active, lost = CustomerStatus.ACTIVE, CustomerStatus.LOST
    rules = active_rules(policy)
    found: list[DueVisit] = []
    for customer in customers:
        status = customer.status
        if status is lost:
            continue
        last = latest.get(customer.id)
        for rule in rules if status is active else PROSPECT_RULES:
            found.extend(rule(customer, last, scan))
    return tuple(found)


def due_visits(
    customers: Iterable[Customer],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    appointments: Iterable[Appointment] = (),
) -> tuple[DueVisit, ...]:
    """Every visit that is due at ``as_of``, with its deadline and the rule behind it.

    A visit is due when its rule applies and no complete, reached visit
    (`VisitRecord.counts_as_contact`) has met it yet:

    * **first contact**: a customer assigned at ``assigned_at`` (not after ``as_of``)
      and not contacted since, due ``policy.first_contact`` after the assignment;
    * **return visit**: a service (a `keyaccount.customers.Spend`) with no contact
      after it, due ``policy.return_visit`` after the earliest such service;
    * **cadence**: a tier with a cadence, due ``every`` after the last contact (or the
      assignment); it becomes due ``policy.cadence_lead`` days before its deadline;
    * **birthday** and **holiday** greetings, due on the day, from
      ``policy.greeting_lead`` days before it until as many days after it.

    Prospects get the first-contact rule only; lost customers nothing. Records, services
    and assignments dated after ``as_of`` are ignored. Deadlines are
    `keyaccount.calendar.Deadline` values from the calendar (a ``Workdays`` policy skips
    rest days and holidays). The answer is in customer order, rules in the order above.

    Args:
        customers: the book.
        records: the visit records (of any customers; others are ignored).
        policy: the company's visit rules.
        calendar: the calendar deadlines and local days are computed on.
        as_of: the instant the rule is evaluated at.
        appointments: times agreed with customers (约定回访时间); each replaces the
            deadline of the due visit it was made for (`reschedule`).

    Returns:
        The due visits, overdue or not.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
        CalendarCoverageError: a working-day deadline is outside the calendar's years.
    """
    found = _scan(customers, records, policy, calendar, as_of, overdue_only=False)
    agreed = tuple(appointments)
    return reschedule(found, agreed, calendar, as_of) if agreed else found


def overdue_visits(
    customers: Iterable[Customer],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    appointments: Iterable[Appointment] = (),
) -> tuple[DueVisit, ...]:
    """The due visits whose deadline has passed at ``as_of`` (see `due_visits`).

    The same rules as `due_visits`, keeping only what `DueVisit.is_overdue` at
    ``as_of``; built for large books (deadlines of day periods are asked of the
    calendar once per local start day).

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
        CalendarCoverageError: a working-day deadline is outside the calendar's years.
    """
    agreed = tuple(appointments)
    if not agreed:
        return _scan(customers, records, policy, calendar, as_of, overdue_only=True)
    # an appointment may move a deadline either way: reschedule first, then keep the overdue
    due = due_visits(customers, records, policy, calendar, as_of, appointments=agreed)
    return tuple(item for item in due if item.is_overdue(as_of))
