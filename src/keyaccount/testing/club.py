"""Club policies, card histories and points ledgers for tests.

`club_histories` draws what a club's clerks might type: cards issued, lost, replaced
and renewed, and a stream of operations that includes bad ones (redeeming more than
the balance, a reversal of a reversed earning, a repeated id, an operation on the old
number of a replaced card). `club_ledgers` replays such a history and keeps what the
ledger accepts, so every ledger it draws is valid.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pendulum
from hypothesis import strategies as st

from keyaccount.club import (
    Adjust,
    CardEvent,
    CardIssued,
    CardRenewed,
    CardReplaced,
    CardReportedLost,
    Cards,
    ClubPolicy,
    Earn,
    EarnRule,
    Ledger,
    LevelBasis,
    LevelRule,
    Operation,
    Redeem,
    Reverse,
    replay_cards,
    replay_ledger,
)
from keyaccount.money import Money

__all__ = ["ClubHistory", "club_histories", "club_ledgers", "club_policies"]

_START = pendulum.datetime(2026, 1, 1, 9, tz="Asia/Shanghai")
_KINDS = ("room", "goods", "service")


@st.composite
def club_policies(draw: st.DrawFn) -> ClubPolicy:
    """Charters of 1 to 4 levels, 1 to 3 spend kinds, short or long windows and expiries."""
    count: int = draw(st.integers(1, 4))
    steps: list[int] = draw(
        st.lists(st.integers(1, 30_000), min_size=count - 1, max_size=count - 1)
    )
    thresholds = [0]
    for step in steps:
        thresholds.append(thresholds[-1] + step)
    levels = tuple(
        LevelRule(f"l{i}", f"级别{i}", Decimal(t), Decimal(100 + 25 * i).scaleb(-2))
        for i, t in enumerate(thresholds)
    )
    kinds: list[str] = draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=3, unique=True))
    rates = st.integers(1, 300).map(lambda n: Decimal(n).scaleb(-2))
    rules = tuple(EarnRule(kind, draw(rates)) for kind in kinds)
    return ClubPolicy(
        levels,
        rules,
        basis=draw(st.sampled_from(LevelBasis)),
        window_days=draw(st.integers(1, 400)),
        grace_days=draw(st.integers(1, 120)),
        expiry_days=draw(st.integers(1, 800)),
        point_value=Money("0.01"),
    )


@attrs.frozen
class ClubHistory:
    """A drawn club: the cards, the operations as typed (bad ones included), the policy."""

    cards: Cards
    operations: tuple[Operation, ...]
    policy: ClubPolicy

    @property
    def end(self) -> pendulum.DateTime:
        """An instant after every event and every expiry of the history."""
        return _START.add(days=2000)


_ACTIONS = ("earn", "earn", "earn", "redeem", "adjust", "reverse", "replace", "renew", "repeat")


@st.composite
def club_histories(draw: st.DrawFn, *, max_members: int = 3, max_actions: int = 25) -> ClubHistory:
    """A club's cards and a stream of operations, some of which the ledger must refuse."""
    policy: ClubPolicy = draw(club_policies())
    members = [f"m{i}" for i in range(draw(st.integers(1, max_members)))]
    events: list[CardEvent] = []
    current: dict[str, str] = {}
    for index, member in enumerate(members):
        number = f"{member}-c0"
        events.append(CardIssued(_START.add(minutes=index), number, member, _START.add(days=900)))
        current[member] = number
    operations: list[Operation] = []
    earns: dict[str, list[str]] = {m: [] for m in members}
    now = _START.add(hours=1)
    count: int = draw(st.integers(0, max_actions))
    for step in range(count):
        now = now.add(hours=draw(st.integers(0, 24 * 120)))
        member = draw(st.sampled_from(members))
        action = draw(st.sampled_from(_ACTIONS))
        card = current[member]
        op_id = f"op{step}"
        if action == "earn":
            cents: int = draw(st.integers(0, 3_000_000))
            kind = draw(st.sampled_from([r.kind for r in policy.earn_rules]))
            operations.append(Earn(op_id, now, card, Money(Decimal(cents).scaleb(-2)), kind))
            earns[member].append(op_id)
        elif action == "redeem":
            points: int = draw(st.integers(1, 40_000))
            operations.append(Redeem(op_id, now, card, points, "gift"))
        elif action == "adjust":
            points = draw(st.integers(-5_000, 5_000).filter(bool))
            operations.append(Adjust(op_id, now, card, points, "fix", "spec", "manager"))
        elif action == "reverse" and earns[member]:
            earn_id: str = draw(st.sampled_from(earns[member]))
            operations.append(Reverse(op_id, now, card, earn_id))
        elif action == "replace":
            events.append(CardReportedLost(now, card))
            new = f"{member}-c{step + 1}"
            events.append(CardReplaced(now.add(minutes=1), card, new))
            current[member] = new
            # a clerk who keeps using the old number: refused
            operations.append(
                Earn(f"{op_id}-old", now.add(minutes=2), card, Money(10), _kind(policy))
            )
            now = now.add(minutes=2)
        elif action == "renew":
            events.append(CardRenewed(now, card, now.add(days=900)))
        elif action == "repeat" and operations:
            operations.append(draw(st.sampled_from(operations)))
    return ClubHistory(replay_cards(events).cards, tuple(operations), policy)


def _kind(policy: ClubPolicy) -> str:
    return policy.earn_rules[0].kind


def club_ledgers(*, max_members: int = 3, max_actions: int = 25) -> st.SearchStrategy[Ledger]:
    """Valid ledgers: a drawn history replayed, keeping what the ledger accepts."""
    return club_histories(max_members=max_members, max_actions=max_actions).map(
        lambda h: replay_ledger(h.cards, h.operations, h.policy).ledger
    )
