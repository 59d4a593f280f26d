"""Member referrals: each becomes a prospect registration (报备), tracked to close (再营销成果).

The club specialist collects the prospects members refer and passes them to sales
(收集会员推荐的潜在客户信息,并传递给销售部, ``004_4f02eb3a82d8f29a.txt``, 客户俱乐部专员
duty 6); the club manager monitors their follow-up and reports the re-marketing results
regularly (对会员推荐的潜在客户跟进情况进行监控,定期统计并反馈客户再营销成果, 客户俱乐部经理
duty 6).

A referral is registered for the salesperson it is passed to by the library's one
registration rule, `keyaccount.customers.register`, at the referral's instant, in time
order after the registry given: a prospect someone else registered first is a duplicate
claim (撞单), told only who holds it and since when; so is a prospect the salesperson
registered before the referral (the lead was not the member's, and the salesperson's
registration stays confidential: 报备未成交的客户信息绝对保密, ``001_…``). A registered
referral closes when a
`ReferralClose` names it; a close of a duplicate claim does not count for the member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, earlier, instant, is_money, text, to_instant
from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.customers import (
    Customer,
    DuplicateClaim,
    Registration,
    RivalClaim,
    Staff,
    register,
)
from keyaccount.money import Money

__all__ = [
    "Referral",
    "ReferralClose",
    "ReferralOutcome",
    "ReferralStatus",
    "RemarketingReport",
    "RemarketingRow",
    "remarketing_report",
    "track_referrals",
]


@attrs.frozen
class Referral:
    """A prospect a member referred (会员推荐的潜在客户), passed to a salesperson.

    Attributes:
        id: the referral's id.
        member_id: the referring member.
        prospect: the prospect as collected (name, phone numbers).
        referred_at: when it was passed to sales.
        sales: the salesperson it was passed to (the registrant).
    """

    id: str = attrs.field(validator=text)
    member_id: str = attrs.field(validator=text)
    prospect: Customer
    referred_at: pendulum.DateTime = attrs.field(converter=instant)
    sales: Staff


@attrs.frozen
class ReferralClose:
    """A referred prospect bought (成交): the deal's id, when, and the revenue."""

    id: str = attrs.field(validator=text)
    referral_id: str = attrs.field(validator=text)
    closed_at: pendulum.DateTime = attrs.field(converter=instant)
    revenue: Money = attrs.field(validator=is_money)


class ReferralStatus(LabelledEnum):
    """Where a referral stands."""

    REGISTERED = "registered", "已报备"
    DUPLICATE = "duplicate", "撞单"
    CLOSED = "closed", "已成交"


@attrs.frozen
class ReferralOutcome:
    """What became of a referral at ``as_of``.

    Attributes:
        referral: the referral.
        status: registered, duplicate claim or closed.
        registration: the registration holding the prospect for the salesperson.
        duplicate: the duplicate claim, when someone else held the prospect first.
        close: the close, once there is one.
    """

    referral: Referral
    status: ReferralStatus
    registration: Registration | None = None
    duplicate: DuplicateClaim | None = None
    close: ReferralClose | None = None

    @property
    def reason(self) -> str:
        """One line: the referral's fate."""
        head = f"referral {self.referral.id} of member {self.referral.member_id}"
        if self.duplicate is not None:
            return f"{head}: {self.duplicate.reason}"
        if self.close is not None:
            return f"{head}: closed {self.close.id} for {self.close.revenue}"
        return f"{head}: registered (报备) for {self.referral.sales.id}, not closed yet"


def _held_already(referral: Referral, held: Registration) -> DuplicateClaim:
    """The referral as a claim on a prospect its salesperson registered before it.

    Only who holds the prospect and since when, and a value of the referral's own that
    matched, are told (a `RivalClaim`): never the held registration's contents.
    """
    prospect = referral.prospect
    own = Registration(
        prospect.id, prospect.name, prospect.phones, referral.sales.id,
        referral.sales.position, referral.referred_at,
    )  # fmt: skip
    shared = sorted(set(own.phones) & set(held.phones))
    if shared:
        matched = f"phone {shared[0]}"
    elif own.name_key and own.name_key == held.name_key:
        matched = f"name {own.name_key!r}"
    else:
        matched = "the same customer"
    return DuplicateClaim(own, RivalClaim(held.by, held.at, matched))


def track_referrals(
    referrals: Iterable[Referral],
    closes: Iterable[ReferralClose],
    registry: Iterable[Registration],
    as_of: dt.datetime,
) -> tuple[ReferralOutcome, ...]:
    """The fate of every referral made by ``as_of``: registered, duplicate or closed.

    Args:
        referrals: the referrals.
        closes: the closes of referred prospects.
        registry: the registrations made outside the club (the sales team's 报备).
        as_of: the instant evaluated at; later referrals and closes are not known yet.

    Returns:
        One outcome per referral made by ``as_of``, in order of time.
    """
    now = to_instant(as_of, "as_of")
    known = sorted(
        (r for r in referrals if not earlier(now, r.referred_at)),
        key=lambda r: (r.referred_at, r.id),
    )
    by_referral: dict[str, ReferralClose] = {}
    for done in sorted(closes, key=lambda c: (c.closed_at, c.id)):
        if not earlier(now, done.closed_at):
            by_referral.setdefault(done.referral_id, done)
    registrations = list(registry)
    outcomes = []
    for referral in known:
        answer = register(registrations, referral.prospect, referral.sales, referral.referred_at)
        if not isinstance(answer, DuplicateClaim) and any(r is answer for r in registrations):
            # the salesperson held the prospect already: not the member's lead, and that
            # registration is theirs (报备未成交的客户信息绝对保密), so the club learns only
            # who holds it and since when, as for any other duplicate claim
            answer = _held_already(referral, answer)
        if isinstance(answer, DuplicateClaim):
            outcomes.append(ReferralOutcome(referral, ReferralStatus.DUPLICATE, duplicate=answer))
            continue
        registrations.append(answer)
        close = by_referral.get(referral.id)
        status = ReferralStatus.CLOSED if close is not None else ReferralStatus.REGISTERED
        outcomes.append(ReferralOutcome(referral, status, registration=answer, close=close))
    return tuple(outcomes)


@attrs.frozen
class RemarketingRow:
    """One member's re-marketing results (再营销成果) in a period.

    Attributes:
        member_id: the referring member.
        referrals: referrals made in the period.
        registered: of them, registered for sales (not duplicates).
        duplicates: of them, duplicate claims (撞单).
        closes: closes in the period (of referrals made at any time).
        revenue: the revenue of those closes.
        referral_ids: the referrals counted.
        close_ids: the closes counted.
    """

    member_id: str
    referrals: int
    registered: int
    duplicates: int
    closes: int
    revenue: Money
    referral_ids: tuple[str, ...]
    close_ids: tuple[str, ...]


@attrs.frozen
class RemarketingReport:
    """The re-marketing results of a period, per member (客户再营销成果)."""

    period: DateRange
    as_of: pendulum.DateTime
    rows: tuple[RemarketingRow, ...]

    @property
    def revenue(self) -> Money:
        """The revenue of every close counted."""
        total = Money(0, self.rows[0].revenue.currency) if self.rows else Money(0)
        for row in self.rows:
            total = total + row.revenue
        return total

    def explain(self) -> str:
        """One line: referrals, closes and revenue of the period."""
        referrals = sum(row.referrals for row in self.rows)
        closes = sum(row.closes for row in self.rows)
        return (
            f"{self.period}: {referrals} referral(s) from {len(self.rows)} member(s), "
            f"{closes} close(s), revenue {self.revenue}"
        )


def remarketing_report(
    referrals: Iterable[Referral],
    closes: Iterable[ReferralClose],
    registry: Iterable[Registration],
    period: DateRange,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    currency: str = "CNY",
) -> RemarketingReport:
    """Referrals, closes and revenue per member in ``period`` (local days of ``calendar``).

    A referral counts in the period it was made; a close in the period it closed.

    Returns:
        The `RemarketingReport`, one row per member with a referral or close in it.
    """
    now = to_instant(as_of, "as_of")

    def day(at: pendulum.DateTime) -> dt.date:
        local = at.in_timezone(calendar.tz)
        return dt.date(local.year, local.month, local.day)

    rows: dict[str, dict[str, list[object]]] = {}
    for outcome in track_referrals(referrals, closes, registry, now):
        referral = outcome.referral
        row = rows.setdefault(referral.member_id, {"made": [], "closed": []})
        if day(referral.referred_at) in period:
            row["made"].append(outcome)
        if outcome.close is not None and day(outcome.close.closed_at) in period:
            row["closed"].append(outcome.close)
    built = []
    for member, found in rows.items():
        made = [o for o in found["made"] if isinstance(o, ReferralOutcome)]
        won = [c for c in found["closed"] if isinstance(c, ReferralClose)]
        if not made and not won:
            continue
        revenue = Money(0, currency)
        for close in won:
            revenue = revenue + close.revenue
        built.append(
            RemarketingRow(
                member,
                len(made),
                sum(o.status is not ReferralStatus.DUPLICATE for o in made),
                sum(o.status is ReferralStatus.DUPLICATE for o in made),
                len(won),
                revenue,
                tuple(o.referral.id for o in made),
                tuple(c.id for c in won),
            )
        )
    return RemarketingReport(period, now, tuple(sorted(built, key=lambda r: r.member_id)))
