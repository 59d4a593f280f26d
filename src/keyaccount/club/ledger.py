"""The points ledger: every operation once, and a member's balance and level as a fold.

The ledger is event-sourced like a complaint: it stores the operations (`Earn`,
`Redeem`, `Adjust`, `Reverse`) and nothing else; a member's balance, lots, expiries and
level at any ``as_of`` are the fold of the operations of their cards up to ``as_of``
(`Ledger.points`). Rules (stated once):

* **Idempotent**: an operation whose id is recorded already changes nothing when it is
  the same operation; with other content it is refused (`ConflictingOperationError`).
* **Time order**: a member's operations are recorded in time order (same instant
  allowed); an earlier one is refused (`InvalidTransition`).
* **Cards**: every operation names a card that is live at its instant (not lost,
  replaced, expired: `CardNotLiveError`; unknown: `UnknownCardError`). Points belong to
  the member, so a replacement card carries balance and level over.
* **Earn**: the policy's points for the spend's kind at the level in force before the
  spend (rounded down to whole points); the spend enters the level window. A spend in
  another currency than the policy's (its point value's) is refused
  (`CurrencyMismatchError`): the level window adds spends up.
* **Lots and expiry**: each earning (and each positive adjustment) is a lot that
  expires ``expiry_days`` x 24 hours after it; redemptions, negative adjustments and reversals use
  the oldest lots first; the fold records each expiry as an entry ``<lot id>:expired``.
* **Redeem** (积分换礼) and negative **Adjust**: never more than the balance
  (`InsufficientPointsError`): the balance never goes below zero.
* **Reverse**: a refunded earning takes its points back, from its own lot first, then
  the oldest; points of it that expired are gone already and what cannot be covered by
  the balance is not taken (``unrecovered`` in the entry's reason), so the balance
  stays >= 0. The spend leaves the level window.
* **Adjust** needs an authority from the chart: `Ledger.record` asks `approval_route`
  who approves ``|points| x point_value`` on the policy's ``adjustment_subject`` for the
  requesting position, and refuses the adjustment unless ``approved_by`` is that
  position (`UnapprovedAdjustmentError`). The seeds name no points right; a manual
  credit of points gives away value the company owes (a liability at the point value),
  so the default subject is the spending right ``expense`` (the dealer CRM chart:
  客户俱乐部专员 -> ... -> 销售总监, who approves spending, ``004_…``). A club whose chart
  holds a right of its own sets ``adjustment_subject``.

The totals obey ``earned = redeemed + expired + reversed + balance`` at every ``as_of``,
where *earned* counts earnings and positive adjustments, and *reversed* counts what
reversals and negative adjustments took back.

**Checked once.** `build_ledger`, `replay_ledger` and `Ledger.record` check each
operation against these rules once and key its instant on the time line once; the
figures (`member_points`, `all_member_points`) fold what was checked without asking
again. A `Ledger` made directly from operations is checked the same way on first use
(the first operation refused raises then).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Mapping, Sequence

import attrs

from keyaccount._fields import instant_key, to_instant
from keyaccount.club._fold import MemberPoints, Step, _MemberFold, earn_rules
from keyaccount.club.cards import Cards, CardState, Refusal
from keyaccount.club.operations import Adjust, Earn, Operation, Redeem, Reverse
from keyaccount.club.policy import ClubPolicy
from keyaccount.errors import (
    ConflictingOperationError,
    InvalidArgumentTypeError,
    KeyAccountError,
    UnapprovedAdjustmentError,
    UnknownCardError,
)
from keyaccount.org import Delegation, OrgChart, approval_route

__all__ = [
    "Ledger",
    "MemberPoints",
    "Refusal",
    "Replayed",
    "all_member_points",
    "build_ledger",
    "check_adjustment",
    "member_points",
    "replay_ledger",
]

_OPERATIONS = (Earn, Redeem, Adjust, Reverse)


def _checked(op: object) -> Operation:
    if not isinstance(op, _OPERATIONS):
        raise InvalidArgumentTypeError(
            f"expected an Earn, Redeem, Adjust or Reverse, got {type(op).__name__}"
        )
    return op


def _card_of(cards: Mapping[str, CardState], op: Operation) -> CardState:
    card = cards.get(op.card)
    if card is None:
        raise UnknownCardError(f"operation {op.id!r}: no member card {op.card!r} in the club")
    return card


def check_adjustment(
    chart: OrgChart,
    adjustment: Adjust,
    policy: ClubPolicy,
    *,
    delegations: Sequence[Delegation] = (),
) -> str:
    """The position that must approve ``adjustment``; refused unless it is ``approved_by``.

    The value is ``|points| x policy.point_value`` on ``policy.adjustment_subject``,
    routed up from ``requested_by`` by `approval_route` (delegations checked at the
    adjustment's instant).

    Returns:
        The approver's position id.

    Raises:
        UnapprovedAdjustmentError: ``approved_by`` is not the route's approver.
        NoApproverError: nobody above the requester may approve that value.
        UnknownPositionError: the requester is not in the chart.
    """
    value = policy.point_value * abs(adjustment.points)
    route = approval_route(
        chart, adjustment.requested_by, policy.adjustment_subject, value,
        delegations=delegations, as_of=adjustment.at,
    )  # fmt: skip
    if route.approver != adjustment.approved_by:
        raise UnapprovedAdjustmentError(
            f"adjustment {adjustment.id!r} of {adjustment.points} points ({value}) is approved "
            f"by {route.approver!r} on {policy.adjustment_subject!r}, not "
            f"{adjustment.approved_by!r}: {route.explain()}"
        )
    return route.approver


@attrs.frozen
class Ledger:
    """The club's points ledger: the cards, the policy and every recorded operation.

    Attributes:
        cards: the club's cards (folded card events).
        policy: the club's charter.
        operations: every accepted operation, in the order recorded (no repeats).
    """

    cards: Cards
    policy: ClubPolicy
    operations: tuple[Operation, ...] = ()

    def member_of(self, card: str) -> str:
        """The member holding card number ``card`` (`UnknownCardError` if none)."""
        return self.cards.card(card).member_id

    def record(
        self,
        operation: Operation,
        *,
        chart: OrgChart | None = None,
        delegations: Sequence[Delegation] = (),
    ) -> Ledger:
        """The ledger with ``operation`` applied; itself when the same operation is a repeat.

        Args:
            operation: the operation.
            chart: the org chart; required for an `Adjust` (see `check_adjustment`).
            delegations: delegations for the adjustment's approval route.

        Raises:
            UnapprovedAdjustmentError: an adjustment without a chart, or approved by the
                wrong position.
            KeyAccountError: `ConflictingOperationError`, `InvalidTransition`,
                `UnknownCardError`, `CardNotLiveError`, `InsufficientPointsError` or
                `UnknownSpendKindError` or `CurrencyMismatchError` (see the module);
                the ledger is unchanged.
        """
        op = _checked(operation)
        cards = self.cards.by_number()
        card = _card_of(cards, op)
        if isinstance(op, Adjust):
            if chart is None:
                raise UnapprovedAdjustmentError(
                    f"adjustment {op.id!r} needs the org chart to check who approves it"
                )
            check_adjustment(chart, op, self.policy, delegations=delegations)
        for earlier_op in self.operations:
            if earlier_op.id == op.id:
                if earlier_op == op:
                    return self
                raise ConflictingOperationError(
                    f"operation id {op.id!r} is already recorded with other content; "
                    "an id is applied once"
                )
        steps = _steps(self)
        mine = steps.get(card.member_id, [])
        fold = _MemberFold(card.member_id, self.policy, trail=False)
        fold.run(mine)
        step = fold.apply(op, card)
        if step is None:  # a repeat (found above already)
            return self
        recorded = attrs.evolve(self, operations=(*self.operations, op))
        _remember(recorded, {**steps, card.member_id: [*mine, step]})
        return recorded

    def points(self, member_id: str, as_of: dt.datetime) -> MemberPoints:
        """The member's balance, totals, entries and level at ``as_of`` (a fold)."""
        return member_points(self, member_id, as_of)


#: The checked, keyed steps of each built ledger, by member (`_steps`), keyed by the
#: ledger's identity (never its value) with the very field objects they were checked
#: from; an entry lives as long as its ledger (a ledger is frozen, so its steps never
#: change; one whose fields were swapped by force is checked again).
_STEPS: dict[int, tuple[weakref.ref[Ledger], tuple[object, ...], dict[str, list[Step]]]] = {}


def _fields_of(ledger: Ledger) -> tuple[object, ...]:
    return (ledger.cards, ledger.policy, ledger.operations)


def _remember(ledger: Ledger, steps: dict[str, list[Step]]) -> None:
    key = id(ledger)
    _STEPS[key] = (weakref.ref(ledger), _fields_of(ledger), steps)
    weakref.finalize(ledger, _STEPS.pop, key, None)


def _steps(ledger: Ledger) -> dict[str, list[Step]]:
    """The ledger's operations by member, each checked and keyed once (on first use).

    `build_ledger`, `replay_ledger` and `Ledger.record` keep the steps of the ledger
    they build; a `Ledger` made directly is checked here once, as `build_ledger`
    checks it (`KeyAccountError` for the first operation refused).
    """
    found = _STEPS.get(id(ledger))
    if (
        found is not None
        and found[0]() is ledger
        and found[1][2] is ledger.operations
        and found[1][0] is ledger.cards
        and found[1][1] is ledger.policy
    ):
        return found[2]
    _, _, steps = _checked_steps(ledger.cards, ledger.operations, ledger.policy, None, (), True)
    _remember(ledger, steps)
    return steps


def member_points(
    ledger: Ledger, member_id: str, as_of: dt.datetime, *, trail: bool = True
) -> MemberPoints:
    """A member's `MemberPoints` at ``as_of``: the fold of their operations up to it.

    A member with no operation yet has zero points at the lowest level.

    Args:
        ledger: the ledger.
        member_id: the member.
        as_of: the instant evaluated at; later operations are not known yet.
        trail: record the entries and the level history (the audit trail); with
            ``False`` the same fold runs without them (``entries`` and ``level_changes``
            are empty), for figures over many members.
    """
    now = to_instant(as_of, "as_of")
    fold = _MemberFold(member_id, ledger.policy, trail=trail)
    fold.run(_steps(ledger).get(member_id, ()), instant_key(now))
    return fold.result(now)


def all_member_points(
    ledger: Ledger, as_of: dt.datetime, *, trail: bool = True
) -> tuple[MemberPoints, ...]:
    """Every member's `MemberPoints` at ``as_of`` (one pass), in order of first card.

    ``trail`` as in `member_points`.
    """
    now = to_instant(as_of, "as_of")
    until = instant_key(now)
    steps = _steps(ledger)
    policy = ledger.policy
    rules = earn_rules(policy)
    answers = []
    for member in ledger.cards.members():
        fold = _MemberFold(member, policy, trail=trail, rules=rules)
        fold.run(steps.get(member, ()), until)
        answers.append(fold.result(now))
    return tuple(answers)


@attrs.frozen
class Replayed:
    """A ledger replayed from operations: the ledger of the accepted ones, and the refusals."""

    ledger: Ledger
    refusals: tuple[Refusal, ...]


def _checked_steps(
    cards: Cards,
    operations: Iterable[Operation],
    policy: ClubPolicy,
    chart: OrgChart | None,
    delegations: Sequence[Delegation],
    strict: bool,
) -> tuple[list[Operation], list[Refusal], dict[str, list[Step]]]:
    """Check every operation once, in order: the kept ones, the refusals, the steps by member."""
    by_number = cards.by_number()
    rules = earn_rules(policy)
    folds: dict[str, _MemberFold] = {}
    ids: dict[str, str] = {}
    kept: list[Operation] = []
    refusals: list[Refusal] = []
    steps: dict[str, list[Step]] = {}
    for index, operation in enumerate(operations):
        try:
            op = _checked(operation)
            card = _card_of(by_number, op)
            member = card.member_id
            if chart is not None and isinstance(op, Adjust):
                check_adjustment(chart, op, policy, delegations=delegations)
            if ids.get(op.id, member) != member:
                raise ConflictingOperationError(
                    f"operation id {op.id!r} is already recorded with other content"
                )
            fold = folds.get(member)
            if fold is None:
                fold = folds[member] = _MemberFold(member, policy, rules=rules, trail=False)
                steps[member] = []
            step = fold.apply(op, card)
            if step is not None:
                ids[op.id] = member
                kept.append(op)
                steps[member].append(step)
        except KeyAccountError as error:
            if strict:
                raise
            op_id = getattr(operation, "id", "")
            refusals.append(Refusal(index, str(op_id), str(error), type(error).__name__))
    return kept, refusals, steps


def _replay(
    cards: Cards,
    operations: Iterable[Operation],
    policy: ClubPolicy,
    chart: OrgChart | None,
    delegations: Sequence[Delegation],
    *,
    strict: bool,
) -> Replayed:
    kept, refusals, steps = _checked_steps(cards, operations, policy, chart, delegations, strict)
    ledger = Ledger(cards, policy, tuple(kept))
    _remember(ledger, steps)
    return Replayed(ledger, tuple(refusals))


def replay_ledger(
    cards: Cards,
    operations: Iterable[Operation],
    policy: ClubPolicy,
    *,
    chart: OrgChart | None = None,
    delegations: Sequence[Delegation] = (),
) -> Replayed:
    """Replay ``operations`` in order, keeping each one `Ledger.record` would accept.

    A refused operation is left out and reported (`Refusal`); the rest go on as if it
    had never been given. Repeats (same id, same content) are dropped silently.
    Adjustments are checked against ``chart`` when one is given; without it they are
    taken as recorded (a stored ledger records approvals already given).
    """
    return _replay(cards, operations, policy, chart, delegations, strict=False)


def build_ledger(
    cards: Cards,
    operations: Iterable[Operation],
    policy: ClubPolicy,
    *,
    chart: OrgChart | None = None,
    delegations: Sequence[Delegation] = (),
) -> Ledger:
    """A ledger of ``operations``, each checked as `Ledger.record` checks it, in one pass.

    Repeats (same id, same content) are dropped. Adjustments are checked against
    ``chart`` when one is given (see `replay_ledger`).

    Raises:
        KeyAccountError: the errors of `Ledger.record` for the first operation refused.
    """
    return _replay(cards, operations, policy, chart, delegations, strict=True).ledger
