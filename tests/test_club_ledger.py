"""The member club's cards and points ledger: rules stated as sentences (issue 12)."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest

from keyaccount import reference
from keyaccount.club import (
    DEFAULT_CLUB_POLICY,
    Adjust,
    CardIssued,
    CardRenewed,
    CardReplaced,
    CardReportedLost,
    CardStatus,
    Earn,
    EntryKind,
    Ledger,
    Redeem,
    Reverse,
    build_ledger,
    check_adjustment,
    fold_cards,
    replay_ledger,
)
from keyaccount.errors import (
    CardNotLiveError,
    ConflictingOperationError,
    FloatMoneyError,
    InexactNumberError,
    InsufficientPointsError,
    InvalidTransition,
    UnapprovedAdjustmentError,
    UnknownCardError,
    UnknownSpendKindError,
)
from keyaccount.money import Money

TZ = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 1, 5, 10, tz=TZ)
CHART = reference.load("dealer-crm")


def issued(card: str = "C-1", member: str = "m1", *, at: pendulum.DateTime = T0) -> CardIssued:
    return CardIssued(at, card, member, at.add(years=3))


def ledger(*events: object) -> Ledger:
    return Ledger(fold_cards(events or (issued(),)), DEFAULT_CLUB_POLICY)  # type: ignore[arg-type]  # test events


def earn(op_id: str, days: int, amount: str, card: str = "C-1", kind: str = "room") -> Earn:
    return Earn(op_id, T0.add(days=days), card, Money(amount), kind)


# --------------------------------------------------------------------------- cards


def test_a_card_reported_lost_is_blocked_from_the_report_on() -> None:
    cards = fold_cards((issued(), CardReportedLost(T0.add(days=3), "C-1")))
    assert cards.status("C-1", T0.add(days=3).subtract(seconds=1)) is CardStatus.LIVE
    assert cards.status("C-1", T0.add(days=3)) is CardStatus.LOST


def test_a_replacement_has_a_new_number_and_the_old_one_never_works_again() -> None:
    cards = fold_cards(
        (
            issued(),
            CardReportedLost(T0.add(days=3), "C-1"),
            CardReplaced(T0.add(days=4), "C-1", "C-2"),
        )
    )
    assert cards.live_card("m1", T0.add(days=5)).number == "C-2"  # type: ignore[union-attr]  # found
    assert cards.status("C-1", T0.add(years=2)) is CardStatus.REPLACED
    with pytest.raises(CardNotLiveError, match="replaced by 'C-2'"):
        fold_cards((*cards.events, CardRenewed(T0.add(days=6), "C-1", T0.add(years=9))))
    with pytest.raises(InvalidTransition, match="already issued"):
        fold_cards((*cards.events, CardIssued(T0.add(days=6), "C-1", "m9", T0.add(years=1))))


def test_a_card_expires_on_its_own_and_a_renewal_revives_it() -> None:
    short = CardIssued(T0, "C-1", "m1", T0.add(days=30))
    cards = fold_cards((short, CardRenewed(T0.add(days=40), "C-1", T0.add(days=400))))
    assert cards.status("C-1", T0.add(days=35)) is CardStatus.EXPIRED
    assert cards.status("C-1", T0.add(days=41)) is CardStatus.LIVE


def test_a_member_holds_at_most_one_live_card_per_club() -> None:
    with pytest.raises(CardNotLiveError, match="at most one live card"):
        fold_cards((issued("C-1"), issued("C-2", at=T0.add(days=1))))
    other_club = CardIssued(T0.add(days=1), "K-1", "m1", T0.add(years=1), club="ktv")
    assert len(fold_cards((issued("C-1"), other_club)).cards) == 2


# --------------------------------------------------------------------------- earning


def test_points_are_spend_times_rate_times_multiplier_rounded_down() -> None:
    book = ledger().record(earn("E-1", 0, "25000.00"))  # reaches VIP卡 (x1.25) after this spend
    book = book.record(earn("E-2", 1, "199.99"))  # 199.99 x 1 x 1.25 = 249.9875
    entries = book.points("m1", T0.add(days=2)).entries
    assert [e.points for e in entries] == [25000, 249]
    assert "x 1.25 (VIP卡)" in entries[1].reason


def test_a_service_spend_earns_at_its_own_rate() -> None:
    book = ledger().record(earn("E-1", 0, "100", kind="service"))
    assert book.points("m1", T0.add(days=1)).balance == 200


def test_an_unknown_spend_kind_is_refused() -> None:
    with pytest.raises(UnknownSpendKindError, match="'fuel'"):
        ledger().record(earn("E-1", 0, "100", kind="fuel"))


# --------------------------------------------------------------------------- redeem, expire


def test_redemptions_use_the_oldest_lot_first_and_lots_expire_after_the_period() -> None:
    book = ledger().record(earn("E-1", 0, "1000")).record(earn("E-2", 400, "1000"))
    book = book.record(Redeem("R-1", T0.add(days=500), "C-1", 600, "cup"))
    at_expiry = book.points("m1", T0.add(days=730))
    assert at_expiry.expired == 400  # what was left of the oldest lot
    assert at_expiry.entries[-1].id == "E-1:expired"
    assert at_expiry.entries[-1].kind is EntryKind.EXPIRE
    assert at_expiry.balance == 1000


def test_redeeming_more_than_the_balance_is_refused_and_the_ledger_is_unchanged() -> None:
    book = ledger().record(earn("E-1", 0, "100"))
    with pytest.raises(InsufficientPointsError, match="holds 100"):
        book.record(Redeem("R-1", T0.add(days=1), "C-1", 101, "cup"))
    assert book.operations == (earn("E-1", 0, "100"),)


def test_an_operation_on_a_blocked_card_is_refused() -> None:
    book = ledger(issued(), CardReportedLost(T0.add(days=1), "C-1")).record(earn("E-1", 0, "100"))
    with pytest.raises(CardNotLiveError, match="lost"):
        book.record(Redeem("R-1", T0.add(days=2), "C-1", 10, "cup"))
    assert len(book.operations) == 1


def test_an_unknown_card_is_refused() -> None:
    with pytest.raises(UnknownCardError, match="'X-9'"):
        ledger().record(earn("E-1", 0, "100", card="X-9"))


def test_a_float_amount_or_points_are_refused() -> None:
    with pytest.raises(FloatMoneyError):
        Earn("E-1", T0, "C-1", Money(99.5), "room")
    with pytest.raises(InexactNumberError):
        Redeem("R-1", T0, "C-1", 10.0, "cup")  # type: ignore[arg-type]  # the bad input


def test_balance_and_level_carry_over_to_the_replacement_card() -> None:
    events = (
        issued(),
        CardReportedLost(T0.add(days=3), "C-1"),
        CardReplaced(T0.add(days=4), "C-1", "C-2"),
    )
    book = ledger(*events).record(earn("E-1", 0, "30000"))
    book = book.record(Redeem("R-1", T0.add(days=5), "C-2", 1000, "cup"))
    points = book.points("m1", T0.add(days=6))
    assert (points.balance, points.level) == (29000, "vip")
    with pytest.raises(CardNotLiveError):
        book.record(Redeem("R-2", T0.add(days=7), "C-1", 1, "cup"))


# --------------------------------------------------------------------------- idempotency


def test_applying_the_same_operation_twice_changes_nothing() -> None:
    once = ledger().record(earn("E-1", 0, "100"))
    assert once.record(earn("E-1", 0, "100")) is once


def test_the_same_id_with_other_content_is_refused() -> None:
    once = ledger().record(earn("E-1", 0, "100"))
    with pytest.raises(ConflictingOperationError, match="'E-1'"):
        once.record(earn("E-1", 0, "999"))


def test_the_same_id_on_another_members_card_is_refused() -> None:
    two = ledger(issued(), issued("C-2", "m2"))
    once = two.record(earn("E-1", 0, "100"))
    with pytest.raises(ConflictingOperationError):
        once.record(earn("E-1", 0, "100", card="C-2"))
    with pytest.raises(ConflictingOperationError):
        build_ledger(two.cards, (earn("E-1", 0, "1"), earn("E-1", 0, "1", card="C-2")), two.policy)


def test_operations_of_a_member_are_recorded_in_time_order() -> None:
    book = ledger().record(earn("E-1", 5, "100"))
    with pytest.raises(InvalidTransition, match="time order"):
        book.record(earn("E-2", 1, "100"))


# --------------------------------------------------------------------------- reverse, adjust


def test_a_refund_takes_the_earnings_points_back_and_leaves_the_level_window() -> None:
    book = (
        ledger()
        .record(earn("E-1", 0, "25000"))
        .record(Reverse("V-1", T0.add(days=1), "C-1", "E-1"))
    )
    points = book.points("m1", T0.add(days=1))
    assert (points.balance, points.reversed, points.figure) == (0, 25000, Decimal(0))
    with pytest.raises(InvalidTransition, match="reversed already"):
        book.record(Reverse("V-2", T0.add(days=2), "C-1", "E-1"))


def test_a_refund_of_spent_points_takes_back_only_what_is_left() -> None:
    book = (
        ledger()
        .record(earn("E-1", 0, "1000"))
        .record(Redeem("R-1", T0.add(days=1), "C-1", 800, "cup"))
    )
    book = book.record(Reverse("V-1", T0.add(days=2), "C-1", "E-1"))
    points = book.points("m1", T0.add(days=2))
    assert (points.balance, points.reversed) == (0, 200)
    assert "800 already used, unrecovered" in points.entries[-1].reason


def test_a_manual_adjustment_is_routed_up_the_chart_to_the_position_that_may_approve_it() -> None:
    adjust = Adjust("A-1", T0, "C-1", 800, "补录", "customer-club-specialist", "sales-director")
    assert check_adjustment(CHART, adjust, DEFAULT_CLUB_POLICY) == "sales-director"
    assert ledger().record(adjust, chart=CHART).points("m1", T0).balance == 800


def test_an_adjustment_approved_by_the_wrong_position_or_without_a_chart_is_refused() -> None:
    wrong = Adjust(
        "A-1", T0, "C-1", 800, "补录", "customer-club-specialist", "customer-club-manager"
    )
    with pytest.raises(UnapprovedAdjustmentError, match="'sales-director'"):
        ledger().record(wrong, chart=CHART)
    with pytest.raises(UnapprovedAdjustmentError, match="org chart"):
        ledger().record(wrong)


def test_a_negative_adjustment_never_takes_the_balance_below_zero() -> None:
    take = Adjust(
        "A-1", T0.add(days=1), "C-1", -101, "fix", "customer-club-specialist", "sales-director"
    )
    with pytest.raises(InsufficientPointsError):
        ledger().record(earn("E-1", 0, "100")).record(take, chart=CHART)


def test_replay_keeps_the_accepted_operations_and_reports_the_refused() -> None:
    book = ledger()
    ops = (
        earn("E-1", 0, "100"),
        Redeem("R-1", T0.add(days=1), "C-1", 500, "tv"),
        earn("E-2", 2, "1"),
    )
    replayed = replay_ledger(book.cards, ops, book.policy)
    assert [op.id for op in replayed.ledger.operations] == ["E-1", "E-2"]
    assert [(r.index, r.id, r.error) for r in replayed.refusals] == [
        (1, "R-1", "InsufficientPointsError")
    ]
