"""Regressions found by the adversarial review of the member club (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pendulum
import pytest

from keyaccount.club import (
    DEFAULT_CLUB_POLICY,
    CardIssued,
    Earn,
    Ledger,
    build_ledger,
    fold_cards,
    member_points,
    replay_ledger,
)
from keyaccount.errors import CurrencyMismatchError, DataFileError, InvalidPolicyError
from keyaccount.io import loads_club
from keyaccount.money import Money

_AT = pendulum.datetime(2026, 1, 5, 10, tz="Asia/Shanghai")
_CARDS = fold_cards((CardIssued(_AT, "C-1", "m1", _AT.add(years=3)),))
_EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data" / "club.json"


def test_a_spend_in_another_currency_is_refused_and_the_ledger_unchanged() -> None:
    ledger = Ledger(_CARDS, DEFAULT_CLUB_POLICY).record(Earn("E-1", _AT, "C-1", Money(100), "room"))
    usd = Earn("E-2", _AT.add(hours=1), "C-1", Money(100, "USD"), "room")
    with pytest.raises(CurrencyMismatchError, match=r"E-2.*USD.*CNY"):
        ledger.record(usd)
    with pytest.raises(CurrencyMismatchError):
        build_ledger(_CARDS, (usd,), DEFAULT_CLUB_POLICY)
    replayed = replay_ledger(_CARDS, (usd,), DEFAULT_CLUB_POLICY)
    assert replayed.ledger.operations == ()
    assert [r.error for r in replayed.refusals] == ["CurrencyMismatchError"]
    assert member_points(ledger, "m1", _AT.add(days=1)).balance == 100


@pytest.mark.parametrize("knob", ["window_days", "grace_days", "expiry_days"])
def test_a_period_beyond_the_time_line_is_a_policy_error_not_an_overflow(knob: str) -> None:
    with pytest.raises(InvalidPolicyError, match=knob):
        attrs.evolve(DEFAULT_CLUB_POLICY, **{knob: 999_999_999})  # type: ignore[arg-type]
    data = json.loads(_EXAMPLE.read_text(encoding="utf-8"))
    data["policy"][knob] = 10**9
    with pytest.raises(DataFileError, match=r"\$\.policy"):
        loads_club(json.dumps(data))


def test_a_prospect_its_salesperson_held_already_is_a_duplicate_and_does_not_leak() -> None:
    from keyaccount.club import Referral, ReferralClose, ReferralStatus, track_referrals
    from keyaccount.customers import Contact, Customer, Registration, Staff, register
    from keyaccount.io import to_json

    li = Staff("li", "李娜", "sales")
    secret = Customer("p9", "某某有限公司", contacts=(Contact("13900000009"),))
    held = register([], secret, li, _AT)
    assert isinstance(held, Registration)
    referral = Referral("R-1", "m1", Customer("r1", "某某公司"), _AT.add(days=1), li)
    close = ReferralClose("D-1", "R-1", _AT.add(days=2), Money(5000))
    (outcome,) = track_referrals([referral], [close], [held], _AT.add(days=3))
    assert outcome.status is ReferralStatus.DUPLICATE
    assert outcome.registration is None
    assert outcome.close is None
    assert outcome.duplicate is not None
    assert outcome.duplicate.earlier.by == "li"
    shown = to_json(outcome) + outcome.reason
    for secret_detail in ("13900000009", "p9", "某某有限公司"):
        assert secret_detail not in shown
