"""Which customers must be reminded, and by when: maintenance and card-renewal reminders.

Two reminder policies of the seeds yield due contacts, as `due_visits` yields due visits:

* **maintenance** (首保/日常保养提醒, ``004_4f02eb3a82d8f29a.txt``, 客服专员(服务) duty 1):
  a car is due for its first maintenance (首保) or its next routine maintenance
  (日常保养) after a mileage or a period from its last service, **whichever comes
  first** (`next_maintenance`);
* **card renewal** (友情提醒客户续卡或升级, ``000_e270730e1905b545.txt``, 回访内容 3): a
  member whose card expires is reminded to renew or upgrade it before it does.

Birthday and holiday greetings are due visits already (`VisitRule.BIRTHDAY`,
`VisitRule.HOLIDAY` in `due_visits`); they are not repeated here.

How a reminder is placed on the calendar (the stated rule): it **opens** at the first
instant, from the start of its first day, at which the customer may be contacted inside
the calendar's working hours (never in the policy's quiet hours, 避免在客户休息时打扰客户),
and it is **due** at the end of the last allowed stretch of its due day (the last
working day on or before it that is not before the opening; 顺延 to the opening's day
when there is none). The contact belongs in ``[opens, due)``: the last allowed instant
is just before ``due``. A reached, complete contact with the customer (a `VisitRecord`
that `counts_as_contact`) at or after the opening meets the reminder.

The facts the caller gives: a `ServiceFacts` per car (last service day and odometer,
optionally a later odometer reading and an estimate of kilometres a day) and a
`CardExpiry` per card (the club's card records are another module's; only the expiry
day matters here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, earlier, instant, text, to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.calendar.deadlines import end_of_local_day
from keyaccount.customers import Customer, CustomerStatus
from keyaccount.visits.contact_times import latest_contact_before, next_contact_time
from keyaccount.visits.maintenance import ReminderPolicy, ServiceFacts, next_maintenance
from keyaccount.visits.model import VisitRecord
from keyaccount.visits.policy import VisitPolicy

__all__ = [
    "CardExpiry",
    "DueReminder",
    "ReminderKind",
    "card_renewal_reminders",
    "contact_window",
    "maintenance_reminders",
]

_MAINTENANCE_SEED: Final = "004_4f02eb3a82d8f29a.txt:61"
_CARD_SEED: Final = "000_e270730e1905b545.txt:451"
_ONE_MICROSECOND: Final = dt.timedelta(microseconds=1)
_MINUTE: Final = "YYYY-MM-DD HH:mm"
_DEFAULT_VISIT_POLICY: Final = VisitPolicy()


class ReminderKind(LabelledEnum):
    """What a reminder is about; the label is the seed's words."""

    FIRST_MAINTENANCE = "first-maintenance", "首保提醒"
    MAINTENANCE = "maintenance", "日常保养提醒"
    CARD_RENEWAL = "card-renewal", "友情提醒客户续卡或升级"


@attrs.frozen
class CardExpiry:
    """A member card that expires (the fact a card-renewal reminder needs).

    Attributes:
        customer_id: the member.
        expires_on: the last day the card is valid.
        card: the card (number or kind: VIP卡, 至尊卡 ...), for the reason line.
    """

    customer_id: str = attrs.field(validator=text)
    expires_on: dt.date
    card: str = ""


@attrs.frozen
class DueReminder:
    """A customer to remind: whom, about what, from when, by when, and why.

    Attributes:
        customer_id: the customer to contact.
        kind: what about (the label is the seed's words).
        due_on: the day the rule names (the maintenance day, the card's last day).
        opens: the first allowed instant of the reminder (inside working hours, never
            in quiet hours).
        due: the end of the last allowed stretch of its due day: contact before it.
        reason: in words, with the seed's.
        owner: the staff id who owns the customer (who makes the contact).
        seed: the seed line the rule cites.
    """

    customer_id: str
    kind: ReminderKind
    due_on: dt.date
    opens: pendulum.DateTime = attrs.field(converter=instant)
    due: pendulum.DateTime = attrs.field(converter=instant)
    reason: str
    owner: str | None = None
    seed: str = ""

    def is_overdue(self, as_of: dt.datetime) -> bool:
        """Whether the reminder is past due at ``as_of`` (``as_of >= due``)."""
        return not earlier(to_instant(as_of, "as_of"), self.due)

    def explain(self) -> str:
        """One line: whom, what, the window and why."""
        return (
            f"{self.kind.label} for {self.customer_id} (owner {self.owner or '-'}): "
            f"from {self.opens.format(_MINUTE)} to {self.due.format(_MINUTE)}; {self.reason}"
        )


def contact_window(
    first_day: dt.date, last_day: dt.date, policy: VisitPolicy, calendar: WorkCalendar
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """When a contact due from ``first_day`` to ``last_day`` opens and is due.

    Inside the calendar's working hours and outside the policy's quiet hours (whatever
    ``policy.working_hours_only`` says): opens at the first allowed instant from the
    start of ``first_day``; due at the end of the last allowed stretch on or before
    ``last_day`` that is not before the opening (else the end of the opening day's).

    Raises:
        CalendarCoverageError: a day searched is outside the calendar's years.
        InvalidTimeWindowError: the quiet hours cover the working hours.
    """
    working = attrs.evolve(policy, working_hours_only=True)
    midnight = pendulum.datetime(first_day.year, first_day.month, first_day.day, tz=calendar.tz)
    opens = next_contact_time(midnight, working, calendar)
    last = latest_contact_before(
        opens, end_of_local_day(max(last_day, first_day), calendar), working, calendar
    ).at
    if last is None:  # nothing allowed by the due day: the end of the opening day's stretch
        last = latest_contact_before(
            opens, end_of_local_day(opens.date(), calendar), working, calendar
        ).at
    assert last is not None  # `opens` itself is allowed
    return opens, last + _ONE_MICROSECOND


def _met(
    records: Iterable[VisitRecord], policy: VisitPolicy, as_of: pendulum.DateTime
) -> dict[str, list[pendulum.DateTime]]:
    """The instants of every contact that counts, by customer, up to ``as_of``."""
    contacts: dict[str, list[pendulum.DateTime]] = {}
    for record in records:
        if not earlier(as_of, record.at) and record.counts_as_contact(policy):
            contacts.setdefault(record.customer_id, []).append(record.at)
    return contacts


@attrs.frozen
class _Ask:
    """One reminder to place: whom, what, its days and why."""

    customer: Customer
    kind: ReminderKind
    first_day: dt.date
    due_on: dt.date
    reason: str
    seed: str


def _placed(
    asks: Iterable[_Ask],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: pendulum.DateTime,
    horizon: pendulum.DateTime,
) -> tuple[DueReminder, ...]:
    contacts = _met(records, policy, as_of)
    last_day = _local_date(horizon, calendar)
    found: list[DueReminder] = []
    for ask in asks:
        # A reminder opens on its first day or later: one that starts after the horizon's
        # day is not placed at all, so a card expiring in a year the calendar does not
        # cover yet asks nothing of it until its reminder comes near.
        if ask.first_day > last_day:
            continue
        opens, due = contact_window(ask.first_day, ask.due_on, policy, calendar)
        if earlier(horizon, opens):
            continue
        if any(not earlier(at, opens) for at in contacts.get(ask.customer.id, ())):
            continue
        found.append(
            DueReminder(
                ask.customer.id,
                ask.kind,
                ask.due_on,
                opens,
                due,
                ask.reason,
                ask.customer.owner,
                ask.seed,
            )
        )
    return tuple(found)


def _book(customers: Iterable[Customer]) -> dict[str, Customer]:
    """The customers that may be reminded (lost ones are not), by id."""
    return {c.id: c for c in customers if c.status is not CustomerStatus.LOST}


def _local_date(at: pendulum.DateTime, calendar: WorkCalendar) -> dt.date:
    local = at.in_timezone(calendar.tz)
    return dt.date(local.year, local.month, local.day)


def maintenance_reminders(
    customers: Iterable[Customer],
    services: Iterable[ServiceFacts],
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    records: Iterable[VisitRecord] = (),
    visit_policy: VisitPolicy = _DEFAULT_VISIT_POLICY,
    horizon: dt.datetime | None = None,
) -> tuple[DueReminder, ...]:
    """Every maintenance reminder (首保/日常保养提醒) open at ``as_of`` and not yet made.

    Each car's next maintenance is `next_maintenance`; its reminder opens
    ``policy.maintenance_lead`` days before that day and is placed by `contact_window`.
    Facts dated after ``as_of``'s local day are not known yet: a service after it is
    skipped, a reading after it ignored. Lost customers and customers not in
    ``customers`` get no reminder.

    Args:
        customers: the book (owners come from it).
        services: the cars' maintenance facts.
        policy: the reminder rules.
        calendar: working days, hours and zone.
        as_of: the instant the rule is evaluated at.
        records: visit records; a contact that counts, made at or after a reminder
            opened, meets it.
        visit_policy: quiet hours and what a complete record is.
        horizon: also list the reminders that open by this instant (to plan ahead).

    Returns:
        The reminders, in the order of ``services``.

    Raises:
        NaiveDatetimeError: ``as_of`` or ``horizon`` has no timezone.
        CalendarCoverageError: a day searched is outside the calendar's years.
    """
    now = to_instant(as_of, "as_of")
    until = now if horizon is None else max(now, to_instant(horizon, "horizon"))
    today = _local_date(now, calendar)
    book = _book(customers)
    lead = dt.timedelta(days=policy.maintenance_lead.n)
    asks: list[_Ask] = []
    for given in services:
        customer = book.get(given.customer_id)
        if customer is None or given.last_service_on > today:
            continue
        facts = given
        if given.read_on is not None and given.read_on > today:  # not read yet at as_of
            facts = attrs.evolve(given, reading_km=None, read_on=None)
        due = next_maintenance(facts, policy)
        kind = ReminderKind.FIRST_MAINTENANCE if facts.first else ReminderKind.MAINTENANCE
        car = f"{facts.vehicle}: " if facts.vehicle else ""
        asks.append(
            _Ask(
                customer,
                kind,
                due.due_on - lead,
                due.due_on,
                f"{car}{due.reason} ({kind.label})",
                _MAINTENANCE_SEED,
            )
        )
    return _placed(asks, records, visit_policy, calendar, now, until)


def card_renewal_reminders(
    customers: Iterable[Customer],
    cards: Iterable[CardExpiry],
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    records: Iterable[VisitRecord] = (),
    visit_policy: VisitPolicy = _DEFAULT_VISIT_POLICY,
    horizon: dt.datetime | None = None,
) -> tuple[DueReminder, ...]:
    """Every card-renewal reminder (友情提醒客户续卡或升级) open at ``as_of`` and not yet made.

    A card's reminder opens ``policy.card_lead`` days before its last valid day and is
    due by that day (placed by `contact_window`); once the card has expired the
    reminder stays, overdue, until a contact meets it (a renewed card is a new
    `CardExpiry` with a later day).

    Args:
        customers: the book (owners come from it).
        cards: the member cards' expiry days.
        policy: the reminder rules (``card_lead``).
        calendar: working days, hours and zone.
        as_of: the instant the rule is evaluated at.
        records: visit records; a contact that counts, made at or after a reminder
            opened, meets it.
        visit_policy: quiet hours and what a complete record is.
        horizon: also list the reminders that open by this instant (to plan ahead).

    Returns:
        The reminders, in the order of ``cards``.

    Raises:
        NaiveDatetimeError: ``as_of`` or ``horizon`` has no timezone.
        CalendarCoverageError: a day searched is outside the calendar's years.
    """
    now = to_instant(as_of, "as_of")
    until = now if horizon is None else max(now, to_instant(horizon, "horizon"))
    book = _book(customers)
    lead = dt.timedelta(days=policy.card_lead.n)
    kind = ReminderKind.CARD_RENEWAL
    asks = [
        _Ask(
            customer,
            kind,
            card.expires_on - lead,
            card.expires_on,
            f"{card.card or 'member card'} valid through {card.expires_on}; "
            f"remind from {policy.card_lead} before ({kind.label})",
            _CARD_SEED,
        )
        for card in cards
        if (customer := book.get(card.customer_id)) is not None
    ]
    return _placed(asks, records, visit_policy, calendar, now, until)
