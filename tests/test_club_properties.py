"""Invariants of the club's ledger and cards over drawn histories (issue 12)."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount.club import (
    CardStatus,
    Earn,
    Ledger,
    Redeem,
    all_member_points,
    member_points,
    replay_ledger,
)
from keyaccount.errors import CardNotLiveError
from keyaccount.money import Money
from keyaccount.testing import ClubHistory, club_histories, club_ledgers


def _instants(ledger: Ledger, end: pendulum.DateTime) -> list[pendulum.DateTime]:
    """Every operation's instant, a moment after it, and far later instants."""
    found = [op.at for op in ledger.operations] + [op.at.add(days=400) for op in ledger.operations]
    return [*found, end, end.add(days=3000)]


@given(club_histories())
def test_the_balance_never_goes_negative(history: ClubHistory) -> None:
    ledger = replay_ledger(history.cards, history.operations, history.policy).ledger
    for at in _instants(ledger, history.end):
        for points in all_member_points(ledger, at):
            assert points.balance >= 0
            assert all(entry.balance >= 0 for entry in points.entries)


@given(club_histories())
def test_replaying_every_operation_twice_gives_the_same_balance(history: ClubHistory) -> None:
    once = replay_ledger(history.cards, history.operations, history.policy)
    doubled = tuple(op for op in history.operations for _ in range(2))
    twice = replay_ledger(history.cards, doubled, history.policy)
    assert twice.ledger.operations == once.ledger.operations
    assert all_member_points(twice.ledger, history.end) == all_member_points(
        once.ledger, history.end
    )


@given(club_histories(), st.data())
def test_earned_is_redeemed_plus_expired_plus_reversed_plus_balance(
    history: ClubHistory, data: st.DataObject
) -> None:
    ledger = replay_ledger(history.cards, history.operations, history.policy).ledger
    instants = _instants(ledger, history.end)
    for at in data.draw(st.lists(st.sampled_from(instants), min_size=1, max_size=6)):
        for p in all_member_points(ledger, at):
            assert p.earned == p.redeemed + p.expired + p.reversed + p.balance
            assert p.balance == sum(entry.points for entry in p.entries)


@given(club_histories())
def test_a_replaced_cards_old_number_is_never_accepted_again(history: ClubHistory) -> None:
    ledger = replay_ledger(history.cards, history.operations, history.policy).ledger
    for card in ledger.cards.cards:
        if card.replaced_at is None:
            continue
        assert not any(
            op.card == card.number and not op.at < card.replaced_at for op in ledger.operations
        )
        for later in (card.replaced_at, card.replaced_at.add(days=1), history.end.add(years=5)):
            assert card.status(later) is CardStatus.REPLACED
            for probe in (
                Earn("probe", later, card.number, Money(1), history.policy.earn_rules[0].kind),
                Redeem("probe", later, card.number, 1, "cup"),
            ):
                with pytest.raises(CardNotLiveError, match="replaced"):
                    ledger.record(probe)


@given(club_ledgers(), st.integers(0, 2000))
def test_level_evaluation_is_deterministic_for_a_ledger_and_as_of(
    ledger: Ledger, days: int
) -> None:
    at = pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai").add(days=days)
    for member in ledger.cards.members():
        first = member_points(ledger, member, at)
        assert first == member_points(ledger, member, at)
        assert first == next(p for p in all_member_points(ledger, at) if p.member_id == member)
        assert first.level == first.level_changes[-1].level if first.level_changes else True


@given(club_ledgers())
def test_a_valid_ledger_rebuilds_to_itself(ledger: Ledger) -> None:
    again = replay_ledger(ledger.cards, ledger.operations, ledger.policy)
    assert again.refusals == ()
    assert again.ledger == ledger
