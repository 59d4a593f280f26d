"""Club levels, tier reviews, referrals, the operations report and reminders (issue 12)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

import keyaccount.io as kio
from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.club import (
    CORE_CUSTOMER_POLICY,
    DEFAULT_CLUB_POLICY,
    GROUP_CUSTOMER_POLICY,
    CardIssued,
    Earn,
    GroupFacts,
    Ledger,
    Redeem,
    Referral,
    ReferralClose,
    ReferralStatus,
    Reverse,
    card_expiries,
    club_report,
    fold_cards,
    qualify,
    remarketing_report,
    renewal_reminders,
    track_referrals,
)
from keyaccount.customers import Customer, Registration, Staff
from keyaccount.money import Money
from keyaccount.visits import ReminderPolicy

TZ = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 1, 5, 10, tz=TZ)
DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
MARCH_END = pendulum.datetime(2026, 3, 31, 18, tz=TZ)
Q1 = DateRange(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
CALENDAR = WorkCalendar.china()


def book() -> Ledger:
    cards = fold_cards((CardIssued(T0, "C-1", "m1", T0.add(years=5)),))
    return Ledger(cards, DEFAULT_CLUB_POLICY)


def earn(op_id: str, days: int, amount: str) -> Earn:
    return Earn(op_id, T0.add(days=days), "C-1", Money(amount), "room")


# --------------------------------------------------------------------------- levels


def test_a_member_goes_up_at_once_when_the_window_reaches_a_threshold() -> None:
    ledger = book().record(earn("E-1", 0, "4999")).record(earn("E-2", 10, "1"))
    changes = ledger.points("m1", T0.add(days=10)).level_changes
    assert [(c.level, c.at) for c in changes] == [("ordinary", T0), ("huanchang", T0.add(days=10))]
    assert changes[-1].figure == Decimal(5000)


def test_a_member_keeps_the_level_for_the_grace_then_goes_down_to_what_the_window_holds() -> None:
    ledger = book().record(earn("E-1", 0, "25000")).record(earn("E-2", 300, "6000"))
    # E-1 leaves the window on day 365; 6000 qualifies for 欢唱卡 only; grace 90 days
    assert ledger.points("m1", T0.add(days=365 + 89)).level == "vip"
    down = ledger.points("m1", T0.add(days=365 + 90))
    assert down.level == "huanchang"
    assert "90-day grace" in down.level_changes[-1].reason


def test_spending_back_up_during_the_grace_keeps_the_level() -> None:
    ledger = book().record(earn("E-1", 0, "25000")).record(earn("E-2", 400, "20000"))
    assert ledger.points("m1", T0.add(days=700)).level == "vip"  # E-2 is in the window
    assert [c.level for c in ledger.points("m1", T0.add(days=500)).level_changes] == [
        "ordinary",
        "vip",
    ]


def test_a_refunded_spend_leaves_the_window_and_the_level_follows_after_the_grace() -> None:
    ledger = (
        book().record(earn("E-1", 0, "25000")).record(Reverse("V-1", T0.add(days=1), "C-1", "E-1"))
    )
    assert ledger.points("m1", T0.add(days=90)).level == "vip"
    assert ledger.points("m1", T0.add(days=91)).level == "ordinary"


# --------------------------------------------------------------------------- tiers


def test_a_core_customer_review_lists_every_criterion_with_its_figures() -> None:
    ledger = book().record(earn("E-1", 10, "30000")).record(earn("E-2", 200, "30000"))
    review = qualify("m1", ledger, CORE_CUSTOMER_POLICY, T0.add(days=300))
    assert not review.qualifies
    assert [(r.criterion.measure.value, r.passed) for r in review.results] == [
        ("spend", True),
        ("level", True),
        ("tenure-days", False),
    ]
    assert review.results[0].ids == ("E-1", "E-2")
    assert review.results[2].figure == Decimal(300)
    assert "does not qualify as 核心客户" in review.explain()
    assert qualify("m1", ledger, CORE_CUSTOMER_POLICY, T0.add(days=365)).qualifies


def test_a_group_customer_needs_a_signed_agreement_scale_and_revenue() -> None:
    facts = GroupFacts("m1", 35, Money(260000), "JT-2026-001")
    assert qualify("m1", book(), GROUP_CUSTOMER_POLICY, T0, group=facts).qualifies
    unsigned = qualify(
        "m1", book(), GROUP_CUSTOMER_POLICY, T0, group=GroupFacts("m1", 35, Money(1))
    )
    assert [r.criterion.measure.value for r in unsigned.failed] == ["agreement", "group-revenue"]
    assert not qualify("m1", book(), GROUP_CUSTOMER_POLICY, T0).qualifies


# --------------------------------------------------------------------------- referrals


ZHANG = Staff("zhang", "张伟", "regional-manager")
LI = Staff("li", "李娜", "regional-manager")
PROSPECT = Customer("p9", "杭州某某有限公司", contacts=())


def test_a_referral_is_registered_for_sales_and_a_later_claim_is_a_duplicate() -> None:
    first = Referral("RF-1", "m1", PROSPECT, T0, ZHANG)
    second = Referral("RF-2", "m2", Customer("p10", "杭州某某公司"), T0.add(days=1), LI)
    closes = (ReferralClose("D-1", "RF-1", T0.add(days=20), Money(88000)),)
    outcomes = track_referrals((second, first), closes, (), T0.add(days=30))
    assert [(o.referral.id, o.status) for o in outcomes] == [
        ("RF-1", ReferralStatus.CLOSED),
        ("RF-2", ReferralStatus.DUPLICATE),
    ]
    assert outcomes[1].duplicate is not None
    assert outcomes[1].duplicate.earlier.by == "zhang"


def test_a_prospect_registered_by_sales_before_the_referral_makes_it_a_duplicate() -> None:
    earlier = Registration(
        "p9", "杭州某某有限公司", (), "li", "regional-manager", T0.subtract(days=1)
    )
    outcome = track_referrals((Referral("RF-1", "m1", PROSPECT, T0, ZHANG),), (), (earlier,), T0)[0]
    assert outcome.status is ReferralStatus.DUPLICATE


def test_the_remarketing_report_counts_referrals_closes_and_revenue_per_member() -> None:
    referrals = (
        Referral("RF-1", "m1", PROSPECT, T0, ZHANG),
        Referral("RF-2", "m1", Customer("p11", "宁波某某"), T0.add(days=2), ZHANG),
    )
    closes = (ReferralClose("D-1", "RF-1", T0.add(days=20), Money(88000)),)
    january = DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    report = remarketing_report(referrals, closes, (), january, CALENDAR, T0.add(days=40))
    row = report.rows[0]
    assert (row.member_id, row.referrals, row.registered, row.closes) == ("m1", 2, 2, 1)
    assert row.revenue == Money(88000)
    assert (row.referral_ids, row.close_ids) == (("RF-1", "RF-2"), ("D-1",))
    assert "2 referral(s)" in report.explain()


# --------------------------------------------------------------------------- report


def test_the_club_report_of_the_example_club() -> None:
    ledger = kio.load_club(DATA / "club.json").strict()
    report = club_report(ledger, Q1, CALENDAR, MARCH_END)
    assert [(c.level, c.member_ids) for c in report.levels] == [
        ("ordinary", ()),
        ("huanchang", ("c001",)),
        ("vip", ("c002",)),
        ("zhizun", ("c003",)),
    ]
    assert report.lapsed_members == ("c004",)
    assert (report.points_issued, report.points_redeemed, report.points_reversed) == (
        4328,
        14000,
        1078,
    )
    assert report.outstanding == 92670
    assert report.liability == Money("926.70")
    assert report.redemption_rate == Decimal("3.2348")
    assert set(report.entry_ids) >= {"R-1002", "E-1009", "V-1001"}


def test_the_redemption_rate_is_none_when_nothing_was_issued() -> None:
    ledger = book().record(earn("E-1", 0, "100"))
    later = DateRange(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert club_report(ledger, later, CALENDAR, MARCH_END).redemption_rate is None


def test_expired_points_count_in_the_period_they_expired() -> None:
    ledger = (
        book().record(earn("E-1", 0, "100")).record(Redeem("R-1", T0.add(days=1), "C-1", 30, "cup"))
    )
    day = (T0.add(days=730)).date()
    report = club_report(ledger, DateRange(day, day), CALENDAR, T0.add(days=731))
    assert (report.points_expired, report.entry_ids) == (70, ("E-1:expired",))


# --------------------------------------------------------------------------- reminders


def test_renewal_reminders_come_from_the_club_cards_through_the_customer_reminder_rule() -> None:
    ledger = kio.load_club(DATA / "club.json").strict()
    customers = kio.load_customers(DATA / "customers.json").strict()
    calendar = WorkCalendar.china(provisional=True)
    expiries = {e.customer_id: e for e in card_expiries(ledger, calendar, MARCH_END)}
    assert expiries["c003"].expires_on == dt.date(2026, 4, 19)
    assert "ZZ-0002 (至尊卡)" in expiries["c003"].card
    assert "至尊卡 at 50000" in expiries["c002"].card  # the upgrade the member is told of
    reminders = renewal_reminders(customers, ledger, ReminderPolicy(), calendar, MARCH_END)
    assert {r.customer_id for r in reminders} == {"c003", "c004"}
    overdue = next(r for r in reminders if r.customer_id == "c004")
    assert overdue.is_overdue(MARCH_END)


@pytest.mark.parametrize("days", [0, 200, 800])
def test_level_evaluation_is_the_same_on_every_call(days: int) -> None:
    ledger = book().record(earn("E-1", 0, "25000")).record(earn("E-2", 300, "6000"))
    assert ledger.points("m1", T0.add(days=days)) == ledger.points("m1", T0.add(days=days))
