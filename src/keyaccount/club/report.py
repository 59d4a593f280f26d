"""The club operations report (俱乐部运营报告): members, points, the liability, redemption.

The club manager writes the club's operations report (编写俱乐部运营报告,
``004_4f02eb3a82d8f29a.txt``, 客户俱乐部经理 duty 8). `club_report` computes it from
the ledger for a period of local days and an ``as_of``. Definitions (stated once):

* **members by level**: members holding a live card at ``as_of``, by their level then;
* **new**: members whose first card was issued in the period;
* **active**: members with at least one operation in the period;
* **lapsed**: members who hold no live card at ``as_of`` (expired, lost and not
  replaced);
* **points issued / redeemed / expired / taken back**: the ledger entries of each kind
  dated in the period (issued: earnings and positive adjustments; taken back:
  reversals and negative adjustments);
* **outstanding**: the sum of every member's balance at ``as_of``; the **liability** is
  outstanding x the policy's point value (`Money`), rounded once to the currency's
  minor unit (`Money.rounded`);
* **redemption rate**: points redeemed in the period / points issued in the period,
  rounded once to 4 places half up (the finance reports' rule); ``None`` when nothing
  was issued.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pendulum

from keyaccount._fields import earlier, to_instant
from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.club.cards import CardStatus
from keyaccount.club.ledger import Ledger, all_member_points
from keyaccount.club.operations import EntryKind
from keyaccount.finance._ratios import ratio
from keyaccount.money import Money

__all__ = ["ClubReport", "LevelCount", "club_report"]


@attrs.frozen
class LevelCount:
    """How many live members hold a level, and who."""

    level: str
    label: str
    members: int
    member_ids: tuple[str, ...]


@attrs.frozen
class ClubReport:
    """The club operations report of a period (俱乐部运营报告).

    Attributes:
        period: the local days reported on.
        as_of: the instant evaluated at.
        levels: live members per level, lowest level first.
        new_members: members whose first card was issued in the period.
        active_members: members with an operation in the period.
        lapsed_members: members without a live card at ``as_of``.
        points_issued: points earned or added in the period.
        points_redeemed: points exchanged for gifts in the period.
        points_expired: points expired in the period.
        points_reversed: points taken back in the period.
        outstanding: every balance at ``as_of``, summed.
        point_value: the value of a point (the policy's).
        entry_ids: the entries counted in the period's point figures.
    """

    period: DateRange
    as_of: pendulum.DateTime
    levels: tuple[LevelCount, ...]
    new_members: tuple[str, ...]
    active_members: tuple[str, ...]
    lapsed_members: tuple[str, ...]
    points_issued: int
    points_redeemed: int
    points_expired: int
    points_reversed: int
    outstanding: int
    point_value: Money
    entry_ids: tuple[str, ...]

    @property
    def liability(self) -> Money:
        """The outstanding points as money: ``outstanding x point_value``, rounded to the cent.

        Rounded once to the currency's minor unit with `Money.rounded`'s default rule.
        """
        return (self.point_value * self.outstanding).rounded()

    @property
    def redemption_rate(self) -> Decimal | None:
        """Points redeemed / issued in the period (4 places, half up); ``None`` if none issued."""
        return ratio(self.points_redeemed, self.points_issued)

    def explain(self) -> str:
        """One line: members, points and the liability."""
        levels = ", ".join(f"{count.label} {count.members}" for count in self.levels)
        rate = "n/a" if self.redemption_rate is None else f"{self.redemption_rate}"
        return (
            f"{self.period}: {levels}; new {len(self.new_members)}, active "
            f"{len(self.active_members)}, lapsed {len(self.lapsed_members)}; points issued "
            f"{self.points_issued}, redeemed {self.points_redeemed}, expired "
            f"{self.points_expired}; outstanding {self.outstanding} = {self.liability} at "
            f"{self.point_value} a point; redemption rate {rate}"
        )


def club_report(
    ledger: Ledger, period: DateRange, calendar: WorkCalendar, as_of: dt.datetime
) -> ClubReport:
    """The operations report of ``period`` at ``as_of`` (see the module for each figure).

    Args:
        ledger: the club's ledger (cards, policy, operations).
        period: the local days reported on.
        calendar: the calendar whose zone makes an instant a local day.
        as_of: the instant evaluated at; nothing after it is known.

    Returns:
        The `ClubReport`.
    """
    now = to_instant(as_of, "as_of")

    def day(at: pendulum.DateTime) -> dt.date:
        local = at.in_timezone(calendar.tz)
        return dt.date(local.year, local.month, local.day)

    everyone = all_member_points(ledger, now)
    live = {card.member_id for card in ledger.cards.cards if card.status(now) is CardStatus.LIVE}
    firsts: dict[str, pendulum.DateTime] = {}
    for card in ledger.cards.cards:
        first = firsts.get(card.member_id)
        if first is None or earlier(card.issued_at, first):
            firsts[card.member_id] = card.issued_at
    counts = []
    for rule in ledger.policy.levels:
        ids = tuple(p.member_id for p in everyone if p.member_id in live and p.level == rule.name)
        counts.append(LevelCount(rule.name, rule.label, len(ids), ids))
    totals = dict.fromkeys(EntryKind, 0)
    counted: list[str] = []
    active: list[str] = []
    for points in everyone:
        in_period = [e for e in points.entries if day(e.at) in period]
        if any(e.kind is not EntryKind.EXPIRE for e in in_period):
            active.append(points.member_id)
        for entry in in_period:
            kind = entry.kind
            if kind is EntryKind.ADJUST:
                kind = EntryKind.EARN if entry.points > 0 else EntryKind.REVERSE
            totals[kind] += abs(entry.points)
            counted.append(entry.id)
    return ClubReport(
        period,
        now,
        tuple(counts),
        tuple(m for m, at in firsts.items() if not earlier(now, at) and day(at) in period),
        tuple(active),
        tuple(m for m in firsts if m not in live and not earlier(now, firsts[m])),
        totals[EntryKind.EARN],
        totals[EntryKind.REDEEM],
        totals[EntryKind.EXPIRE],
        totals[EntryKind.REVERSE],
        sum(p.balance for p in everyone),
        ledger.policy.point_value,
        tuple(counted),
    )
