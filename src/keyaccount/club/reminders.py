"""Which members to remind to renew or upgrade their card (友情提醒客户续卡或升级).

Return visits remind customers to renew their card or upgrade to another card
(友情提醒客户续卡或升级为其他消费卡, ``000_e270730e1905b545.txt``, 回访内容 3). The rule of
when such a reminder opens and is due is the customer reminders' own
(`keyaccount.visits.card_renewal_reminders`); this module only produces its input, a
`CardExpiry` per member card, from the club's cards and ledger, so the rule is not
written twice:

* a card counts when it is live at ``as_of`` or has expired (not lost, not replaced)
  and its member holds no other live card in the club;
* its last valid day is the local day (in the calendar's zone) of the last instant
  before ``valid_until``;
* the card's text names the number, the member's level at ``as_of`` and, below the top
  level, the next level and the window figure it needs (the upgrade, 升级).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import pendulum

from keyaccount._fields import to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.club.cards import CardStatus
from keyaccount.club.ledger import Ledger, all_member_points
from keyaccount.customers import Customer
from keyaccount.visits import (
    CardExpiry,
    DueReminder,
    ReminderPolicy,
    VisitPolicy,
    VisitRecord,
    card_renewal_reminders,
)

__all__ = ["card_expiries", "renewal_reminders"]

_VISIT_POLICY: Final = VisitPolicy()


def card_expiries(
    ledger: Ledger, calendar: WorkCalendar, as_of: dt.datetime
) -> tuple[CardExpiry, ...]:
    """The `CardExpiry` of every member card a renewal reminder is about (see the module).

    Returns:
        One per card, in order of issue.
    """
    now = to_instant(as_of, "as_of")
    standing = {p.member_id: p for p in all_member_points(ledger, now)}
    live = {
        (card.member_id, card.club)
        for card in ledger.cards.cards
        if card.status(now) is CardStatus.LIVE
    }
    levels = ledger.policy.levels
    found = []
    for card in ledger.cards.cards:
        status = card.status(now)
        if status is CardStatus.EXPIRED and (card.member_id, card.club) in live:
            continue
        if status not in (CardStatus.LIVE, CardStatus.EXPIRED):
            continue
        last = card.valid_until(now).subtract(microseconds=1).in_timezone(calendar.tz)
        points = standing[card.member_id]
        rank = ledger.policy.rank(points.level)
        upgrade = ""
        if rank + 1 < len(levels):
            nxt = levels[rank + 1]
            basis = ledger.policy.basis.label
            upgrade = f"; {nxt.label} at {nxt.threshold} ({basis}), now {points.figure}"
        found.append(
            CardExpiry(
                card.member_id,
                dt.date(last.year, last.month, last.day),
                f"{card.number} ({points.level_label}{upgrade})",
            )
        )
    return tuple(found)


def renewal_reminders(
    customers: Iterable[Customer],
    ledger: Ledger,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    records: Iterable[VisitRecord] = (),
    visit_policy: VisitPolicy = _VISIT_POLICY,
    horizon: pendulum.DateTime | None = None,
) -> tuple[DueReminder, ...]:
    """The card renewal and upgrade reminders of the club's members at ``as_of``.

    `card_renewal_reminders` over `card_expiries`: the same placement, owners and
    meeting contacts as every customer reminder.
    """
    return card_renewal_reminders(
        customers,
        card_expiries(ledger, calendar, as_of),
        policy,
        calendar,
        as_of,
        records=records,
        visit_policy=visit_policy,
        horizon=horizon,
    )
