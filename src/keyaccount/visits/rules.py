"""Why a visit is due: one function per rule of the seed, for one customer at a time.

The rules come from the seed's service standard (``000_…``, 客户服务部工作职责及规范):

* **first contact**: a customer assigned to a specialist must be contacted within one
  week (应在一周内与客户进行沟通): `_first_contact`;
* **return visit**: a service must get a return visit within three days
  (必须保证在三天之内回访): `_return_visit`;
* **cadence**: tiers with a visit frequency are visited regularly: `_cadence`;
* **greetings**: birthday greetings (生日问候) and special visits on holidays
  (节日特色回访): `_birthday` and `_holidays`, both through `_greeting`.

Each rule takes one customer, the latest contact that counts
(`VisitRecord.counts_as_contact`) and the `Scan` of the call, and answers with the
visits it makes due. Deadlines come from `keyaccount.calendar.deadline` (through the
per-day memo of `keyaccount.visits._deadlines`). `keyaccount.visits.due` runs the rules
over a book.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final, TypeAlias

import attrs
import pendulum

from keyaccount._fields import earlier, to_instant
from keyaccount.calendar import Days, Deadline, Period, WorkCalendar
from keyaccount.customers import Customer, Tier
from keyaccount.visits._deadlines import Deadlines, LocalDays
from keyaccount.visits.model import DueVisit, VisitRule
from keyaccount.visits.policy import VisitPolicy

__all__ = ["PROSPECT_RULES", "Rule", "Scan", "active_rules"]


@attrs.define
class Scan:
    """What every rule needs in one call of `keyaccount.visits.due_visits` or `overdue_visits`.

    A workspace, not a value: the memos of ``days``, the `Deadlines` and
    ``greeting_days`` fill up during the call and are dropped with it.

    Attributes:
        policy: the company's rules.
        now: ``as_of`` in the calendar's time zone.
        today: the proleptic ordinal of ``now``'s local date.
        overdue_only: whether only visits past their deadline are wanted.
        days: local days on the calendar.
        first_contact: deadlines after ``policy.first_contact``.
        return_visit: deadlines after ``policy.return_visit``.
        cadence: deadlines after the visit cadence of each tier that has one.
        cadence_lead: how many days before its deadline a cadence visit is due.
        greeting_lead: how many days before (and after) its day a greeting is due.
        greeting_days: the greeting day (an ordinal) of each birthday met so far.
    """

    policy: VisitPolicy
    now: pendulum.DateTime
    today: int
    overdue_only: bool
    days: LocalDays
    first_contact: Deadlines
    return_visit: Deadlines
    cadence: dict[Tier, Deadlines]
    cadence_lead: int
    greeting_lead: int
    greeting_days: dict[dt.date, int] = attrs.Factory(dict)

    @classmethod
    def start(
        cls, policy: VisitPolicy, calendar: WorkCalendar, as_of: dt.datetime, *, overdue_only: bool
    ) -> Scan:
        """The workspace of one call at ``as_of``."""
        days = LocalDays(calendar)
        now = days.local(to_instant(as_of, "as_of"))
        by_period: dict[Period, Deadlines] = {}

        def after(period: Period) -> Deadlines:
            found = by_period.get(period)
            if found is None:
                found = by_period[period] = Deadlines(period, days)
            return found

        return cls(
            policy,
            now,
            days.day_of(now),
            overdue_only,
            days,
            after(policy.first_contact),
            after(policy.return_visit),
            {c.tier: after(c.every) for c in policy.cadence},
            _days(policy.cadence_lead),
            _days(policy.greeting_lead),
        )

    def wants(self, due: Deadline) -> bool:
        """Whether a due visit with this deadline belongs in the answer."""
        return not self.overdue_only or due.is_breached(self.now)


_DueVisits: TypeAlias = tuple[DueVisit, ...]
Rule: TypeAlias = Callable[[Customer, "pendulum.DateTime | None", Scan], _DueVisits]
_NONE: Final[_DueVisits] = ()


def _days(period: Period) -> int:
    """The number of days of a lead (a policy's leads are always `Days`)."""
    return period.n if isinstance(period, Days) else 0


def _assigned(customer: Customer, scan: Scan) -> pendulum.DateTime | None:
    """When the customer was assigned, if that has happened by ``as_of``."""
    assigned = customer.assigned_at
    return assigned if assigned is not None and assigned <= scan.now else None


def _visit(customer: Customer, rule: VisitRule, due: Deadline, reason: str) -> _DueVisits:
    return (DueVisit(customer.id, rule, due, reason, customer.owner),)


# --------------------------------------------------------------------------- the rules


def _first_contact(customer: Customer, last: pendulum.DateTime | None, scan: Scan) -> _DueVisits:
    """应在一周内与客户进行沟通: contact within ``first_contact`` of the assignment."""
    assigned = _assigned(customer, scan)
    if assigned is None or (last is not None and last >= assigned):
        return _NONE
    shared = scan.first_contact.shared(assigned)
    if not scan.wants(shared.deadline):
        return _NONE
    due = scan.first_contact.starting(assigned, shared)
    if shared.due_day is None:
        reason = f"assigned at {assigned} and not contacted since; within {shared.deadline.period}"
    else:
        reason = (
            f"assigned to {customer.owner} on {assigned.date()} and not contacted since; "
            f"first contact within {shared.deadline.period} (应在一周内与客户进行沟通)"
        )
    return _visit(customer, VisitRule.FIRST_CONTACT, due, reason)


def _return_visit(customer: Customer, last: pendulum.DateTime | None, scan: Scan) -> _DueVisits:
    """必须保证在三天之内回访: a return visit within ``return_visit`` of the earliest
    service (by ``as_of``) that no contact has followed."""
    service: pendulum.DateTime | None = None
    for spend in customer.spend:
        at = spend.at
        if (
            (last is None or earlier(last, at))
            and not earlier(scan.now, at)
            and (service is None or earlier(at, service))
        ):
            service = at
    if service is None:
        return _NONE
    shared = scan.return_visit.shared(service)
    if not scan.wants(shared.deadline):
        return _NONE
    reason = (
        f"served on {service.date()} without a return visit since; "
        f"return visit within {shared.deadline.period} (必须保证在三天之内回访)"
    )
    due = scan.return_visit.starting(service, shared)
    return _visit(customer, VisitRule.RETURN_VISIT, due, reason)


def _cadence(customer: Customer, last: pendulum.DateTime | None, scan: Scan) -> _DueVisits:
    """A tier's visit frequency: due ``every`` after the last contact (or the assignment),
    from ``cadence_lead`` days before that deadline (from the start of that day for a
    day period)."""
    every = scan.cadence.get(customer.tier)
    since = last if last is not None else _assigned(customer, scan)
    if every is None or since is None:
        return _NONE
    shared = every.shared(since)
    lead = scan.cadence_lead
    if shared.due_day is None:
        opened = scan.now >= shared.deadline.at - dt.timedelta(days=lead)
    else:
        opened = scan.today >= shared.due_day - lead
    if not opened or not scan.wants(shared.deadline):
        return _NONE
    reason = (
        f"{customer.tier.label} visited every {every.period}; "
        f"last {'contact' if last is not None else 'assignment'} {since.date()}"
    )
    due = every.starting(since, shared)
    return _visit(customer, VisitRule.CADENCE, due, reason)


def _birthday(customer: Customer, last: pendulum.DateTime | None, scan: Scan) -> _DueVisits:
    """生日问候: a greeting on the customer's birthday in the year around ``as_of``."""
    birthday = customer.birthday
    if birthday is None:
        return _NONE
    day = scan.greeting_days.get(birthday)
    if day is None:
        year = dt.date.fromordinal(scan.today).year
        day = _birthday_in(year, birthday)
        # This year's is not near yet: last year's, unless year 1 has no year before it.
        if scan.today < day - scan.greeting_lead and year > dt.MINYEAR:
            day = _birthday_in(year - 1, birthday)
        scan.greeting_days[birthday] = day
    return _greeting(
        customer, last, scan, rule=VisitRule.BIRTHDAY, day=day, what="birthday (生日问候)"
    )


def _birthday_in(year: int, birthday: dt.date) -> int:
    try:
        return dt.date(year, birthday.month, birthday.day).toordinal()
    except ValueError:  # 29 February in a common year: greet on the 28th
        return dt.date(year, 2, 28).toordinal()


def _holidays(customer: Customer, last: pendulum.DateTime | None, scan: Scan) -> _DueVisits:
    """节日、店庆日、促销活动期: a special visit on each of the policy's greeting days."""
    return tuple(
        visit
        for greeting in scan.policy.greetings
        for visit in _greeting(
            customer,
            last,
            scan,
            rule=VisitRule.HOLIDAY,
            day=greeting.on.toordinal(),
            what=f"{greeting.label} greeting",
        )
    )


def _greeting(
    customer: Customer,
    last: pendulum.DateTime | None,
    scan: Scan,
    *,
    rule: VisitRule,
    day: int,
    what: str,
) -> _DueVisits:
    """A greeting on local ``day`` (an ordinal): due from ``greeting_lead`` days before
    it until as many days after it, unless a contact was made in that time."""
    lead = scan.greeting_lead
    if not day - lead <= scan.today <= day + lead:
        return _NONE
    if last is not None and scan.days.day_of(last) >= day - lead:
        return _NONE
    due = scan.days.whole_day(day)
    if not scan.wants(due):
        return _NONE
    reason = f"{what} on {dt.date.fromordinal(day)}; due from {lead} day(s) before"
    return _visit(customer, rule, due, reason)


#: Prospects get the first-contact rule only (lost customers none at all).
PROSPECT_RULES: Final[tuple[Rule, ...]] = (_first_contact,)


def active_rules(policy: VisitPolicy) -> tuple[Rule, ...]:
    """The rules for active customers, in the order of the answer: every rule the policy
    asks for (greetings only when it has any)."""
    birthday: tuple[Rule, ...] = (_birthday,) if policy.birthday_greeting else ()
    holidays: tuple[Rule, ...] = (_holidays,) if policy.greetings else ()
    return (_first_contact, _return_visit, _cadence, *birthday, *holidays)
