"""The ledger is checked and keyed once, when it is built; its figures fold without re-checking.

Issue 12's benchmark asks the fold of a million members to stay within 3x of a hand
fold: `build_ledger`, `replay_ledger` and `Ledger.record` check every operation once and
keep it as a keyed step, and `member_points` / `all_member_points` fold those steps.
These tests pin that the figures are the same whichever way the ledger was made, that
the checks run once (at build, or on first use of a ledger made directly), and that a
bad operation is still refused.
"""

from __future__ import annotations

import copy
import gc
import pickle

import attrs
import pendulum
import pytest
from hypothesis import given

import keyaccount.club._fold as fold_module
import keyaccount.club.ledger as ledger_module
from keyaccount.club import (
    DEFAULT_CLUB_POLICY,
    Adjust,
    CardIssued,
    Earn,
    Ledger,
    MemberPoints,
    Operation,
    Redeem,
    Reverse,
    all_member_points,
    build_ledger,
    fold_cards,
    member_points,
    replay_ledger,
)
from keyaccount.errors import InsufficientPointsError, InvalidTransition, UnknownCardError
from keyaccount.money import Money
from keyaccount.testing import ClubHistory, club_histories

TZ = "Asia/Shanghai"
T0 = pendulum.datetime(2026, 1, 5, 10, tz=TZ)
CARDS = fold_cards(
    (CardIssued(T0, "C-1", "m1", T0.add(years=3)), CardIssued(T0, "C-2", "m2", T0.add(years=3)))
)
OPS = (
    Earn("E-1", T0.add(days=1), "C-1", Money(1000), "room"),
    Earn("E-2", T0.add(days=2), "C-2", Money(30000), "room"),
    Redeem("R-1", T0.add(days=3), "C-1", 400, "cup"),
    Reverse("V-1", T0.add(days=4), "C-2", "E-2"),
)


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the id of every operation the fold checks (`_MemberFold._check`)."""
    checked: list[str] = []
    check = fold_module._MemberFold._check

    def counting(self: fold_module._MemberFold, op: Operation) -> object:
        checked.append(op.id)
        return check(self, op)

    monkeypatch.setattr(fold_module._MemberFold, "_check", counting)
    return checked


def _figures(book: Ledger, at: pendulum.DateTime) -> tuple[MemberPoints, ...]:
    return all_member_points(book, at)


def test_a_built_ledger_checks_each_operation_once_and_its_figures_check_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked = _count_checks(monkeypatch)
    book = build_ledger(CARDS, OPS, DEFAULT_CLUB_POLICY)
    assert checked == [op.id for op in OPS]
    checked.clear()
    points = all_member_points(book, T0.add(days=5), trail=False)
    assert [(p.member_id, p.balance) for p in points] == [("m1", 600), ("m2", 0)]
    assert member_points(book, "m2", T0.add(days=3)).level == "vip"
    assert checked == []


def test_record_checks_only_the_new_operation(monkeypatch: pytest.MonkeyPatch) -> None:
    book = build_ledger(CARDS, OPS[:3], DEFAULT_CLUB_POLICY)
    expected = _figures(build_ledger(CARDS, OPS, DEFAULT_CLUB_POLICY), T0.add(days=9))
    checked = _count_checks(monkeypatch)
    grown = book.record(OPS[3])
    assert checked == ["V-1"]
    assert _figures(grown, T0.add(days=9)) == expected
    assert checked == ["V-1"]


def test_a_ledger_made_directly_is_checked_once_on_first_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    direct = Ledger(CARDS, DEFAULT_CLUB_POLICY, OPS)
    checked = _count_checks(monkeypatch)
    first = _figures(direct, T0.add(days=9))
    assert checked == [op.id for op in OPS]
    assert _figures(direct, T0.add(days=9)) == first
    assert member_points(direct, "m1", T0.add(days=9)) == first[0]
    assert checked == [op.id for op in OPS]
    assert first == _figures(build_ledger(CARDS, OPS, DEFAULT_CLUB_POLICY), T0.add(days=9))


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (Redeem("R-9", T0.add(days=3), "C-1", 5000, "tv"), InsufficientPointsError),
        (Reverse("V-9", T0.add(days=3), "C-1", "E-2"), InvalidTransition),
        (Earn("E-9", T0.add(days=3), "X-9", Money(1), "room"), UnknownCardError),
    ],
)
def test_a_ledger_made_directly_with_a_bad_operation_is_refused_when_folded(
    bad: object, error: type[Exception]
) -> None:
    direct = Ledger(CARDS, DEFAULT_CLUB_POLICY, (*OPS[:2], bad))  # type: ignore[arg-type]  # bad
    with pytest.raises(error):
        all_member_points(direct, T0.add(days=9))
    with pytest.raises(error):
        member_points(direct, "m1", T0.add(days=9))


def test_the_steps_of_a_ledger_go_with_it() -> None:
    book = build_ledger(CARDS, OPS, DEFAULT_CLUB_POLICY)
    key = id(book)
    assert key in ledger_module._STEPS
    del book
    gc.collect()
    assert key not in ledger_module._STEPS


@given(club_histories())
def test_built_recorded_and_direct_ledgers_give_the_same_figures(history: ClubHistory) -> None:
    built = replay_ledger(history.cards, history.operations, history.policy).ledger
    ops = built.operations
    # adjustments need a chart to be recorded: build up to the last one, record the rest
    start = max((i + 1 for i, op in enumerate(ops) if isinstance(op, Adjust)), default=0)
    recorded = build_ledger(history.cards, ops[:start], history.policy)
    for op in ops[start:]:
        recorded = recorded.record(op)
    direct = Ledger(history.cards, history.policy, built.operations)
    assert recorded.operations == built.operations
    instants = [op.at for op in built.operations[::2]]
    for at in [*instants, history.end, history.end.add(days=3000)]:
        expected = all_member_points(built, at)
        assert all_member_points(recorded, at) == expected
        assert all_member_points(direct, at) == expected
        assert tuple(member_points(built, p.member_id, at) for p in expected) == expected


@attrs.frozen
class _GiftRedeem(Redeem):
    """A caller's own kind of redemption (a subclass is still a `Redeem`)."""


@attrs.frozen
class _Correction(Adjust):
    """A caller's own kind of adjustment (a subclass is still an `Adjust`)."""


def test_a_subclass_of_an_operation_folds_as_its_kind() -> None:
    # the fold once dispatched on the exact type: a subclass of Redeem or Adjust was
    # taken for a Reverse and failed with AttributeError instead of being folded
    gift = _GiftRedeem("R-2", T0.add(days=4), "C-1", 100, "pen")
    fix = _Correction("A-1", T0.add(days=5), "C-1", -50, "typo", "spec", "manager")
    plain_gift = Redeem("R-2", T0.add(days=4), "C-1", 100, "pen")
    plain_fix = Adjust("A-1", T0.add(days=5), "C-1", -50, "typo", "spec", "manager")
    mine = build_ledger(CARDS, (*OPS[:3], gift, fix), DEFAULT_CLUB_POLICY)
    plain = build_ledger(CARDS, (*OPS[:3], plain_gift, plain_fix), DEFAULT_CLUB_POLICY)
    at = T0.add(days=9)
    assert member_points(mine, "m1", at).balance == 450
    assert member_points(mine, "m1", at) == member_points(plain, "m1", at)
    assert member_points(
        build_ledger(CARDS, OPS[:3], DEFAULT_CLUB_POLICY).record(gift), "m1", at
    ) == (
        member_points(
            build_ledger(CARDS, OPS[:3], DEFAULT_CLUB_POLICY).record(plain_gift), "m1", at
        )
    )
    direct = Ledger(CARDS, DEFAULT_CLUB_POLICY, (*OPS[:3], gift, fix))
    assert all_member_points(direct, at) == all_member_points(plain, at)


def test_a_ledger_whose_fields_are_swapped_by_force_is_checked_again() -> None:
    # the table is keyed by the ledger's identity; a frozen ledger's field replaced with
    # object.__setattr__ must not be answered from the steps of its old operations
    book = build_ledger(CARDS, OPS[:3], DEFAULT_CLUB_POLICY)
    assert member_points(book, "m1", T0.add(days=9)).balance == 600
    too_much = Redeem("R-9", T0.add(days=4), "C-1", 99_999, "tv")
    object.__setattr__(book, "operations", (*OPS[:3], too_much))
    with pytest.raises(InsufficientPointsError):
        member_points(book, "m1", T0.add(days=9))


def test_copies_and_equal_ledgers_never_share_a_wrong_table() -> None:
    book = build_ledger(CARDS, OPS, DEFAULT_CLUB_POLICY)
    at = T0.add(days=9)
    expected = all_member_points(book, at)
    assert all_member_points(pickle.loads(pickle.dumps(book)), at) == expected
    assert all_member_points(copy.deepcopy(book), at) == expected
    assert all_member_points(Ledger(CARDS, DEFAULT_CLUB_POLICY, OPS), at) == expected
    bad = attrs.evolve(book, operations=(*OPS, Redeem("R-9", T0.add(days=5), "C-1", 9_999, "tv")))
    assert bad == attrs.evolve(bad)  # equal by value, yet each is checked on its own
    with pytest.raises(InsufficientPointsError):
        all_member_points(bad, at)
    fewer = attrs.evolve(book, operations=OPS[:2])
    assert member_points(fewer, "m1", at).balance == 1000
    # a ledger garbage-collected and another made in its place (id reuse) is checked anew
    for round_ in range(200):
        ops = OPS if round_ % 2 else OPS[:2]
        made = Ledger(CARDS, DEFAULT_CLUB_POLICY, ops)
        assert member_points(made, "m1", at).balance == (600 if round_ % 2 else 1000)
        del made
    gc.collect()
    assert len(ledger_module._STEPS) < 50  # the table shrinks with its ledgers
