"""(private) The fold of one member's operations: lots, expiry, balance and level.

`keyaccount.club.ledger` states the rules and is the public face; this module is the
one implementation of them: `_MemberFold` applies a member's operations one by one.
Building a ledger checks each operation (`_MemberFold.apply`) before it changes anything
but the passage of time, and keeps it as a `Step` with its time-line key; the figures
of a built ledger fold those steps (`_MemberFold.run`) without asking again what the
build checked. Both go through `_MemberFold.fold`, the one place the state changes.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeAlias

import attrs
import pendulum

from keyaccount._fields import earlier, instant_key
from keyaccount.club.cards import CardState, usable
from keyaccount.club.levels import LevelChange, LevelTrack, instant_at
from keyaccount.club.operations import (
    Adjust,
    Earn,
    EntryKind,
    LedgerEntry,
    Operation,
    Redeem,
    Reverse,
)
from keyaccount.club.policy import ClubPolicy, EarnRule, earned_points
from keyaccount.errors import (
    ConflictingOperationError,
    CurrencyMismatchError,
    InsufficientPointsError,
    InvalidTransition,
)

__all__ = ["MemberPoints", "Step"]


@attrs.frozen
class MemberPoints:
    """A member's points and level at ``as_of``: the fold of their ledger.

    Attributes:
        member_id: the member.
        as_of: the instant evaluated at.
        balance: the points that can be redeemed.
        earned: points from earnings and positive adjustments.
        redeemed: points exchanged for gifts (积分换礼).
        expired: points that expired unused.
        reversed: points taken back by reversals and negative adjustments.
        level: the level's name at ``as_of``.
        level_label: its card class (``VIP卡``).
        figure: the window figure (spend or points) behind the level.
        window_ids: the operations behind the figure.
        entries: every movement, in order (expiries included); empty when folded
            without the trail.
        level_changes: the level history up to ``as_of``, oldest first; empty when
            folded without the trail.
    """

    member_id: str
    as_of: pendulum.DateTime
    balance: int
    earned: int
    redeemed: int
    expired: int
    reversed: int
    level: str
    level_label: str
    figure: Decimal
    window_ids: tuple[str, ...]
    entries: tuple[LedgerEntry, ...]
    level_changes: tuple[LevelChange, ...]

    @property
    def operation_ids(self) -> tuple[str, ...]:
        """The ids of every entry behind the balance."""
        return tuple(entry.id for entry in self.entries)

    def explain(self) -> str:
        """One line: the balance, where the points went, the level and why."""
        return (
            f"{self.member_id} at {self.as_of.isoformat()}: {self.balance} points "
            f"(earned {self.earned}, redeemed {self.redeemed}, expired {self.expired}, "
            f"taken back {self.reversed}); level {self.level_label} on {self.figure} "
            f"from {len(self.window_ids)} operation(s) in the window"
        )


class _Lot:
    __slots__ = ("expired", "expires", "id", "left")

    def __init__(self, lot_id: str, left: int, expires: dt.timedelta) -> None:
        self.id = lot_id
        self.left = left
        self.expires = expires
        self.expired = 0


def _live_until(card: CardState, at: pendulum.DateTime) -> dt.timedelta:
    """The key of the first instant after ``at`` at which ``card``'s status may change.

    Its validity ends, it is reported lost or replaced, or a renewal starts: until then
    a card live at ``at`` stays live (`CardState.status` reads only these instants).
    """
    ends = [card.valid_until(at), *(v.since for v in card.validity if earlier(at, v.since))]
    ends.extend(x for x in (card.lost_at, card.replaced_at) if x is not None and earlier(at, x))
    return min(instant_key(end) for end in ends)


def earn_rules(policy: ClubPolicy) -> dict[str, EarnRule]:
    """The policy's earning rules by spend kind (looked up once per fold, not per spend)."""
    return {rule.kind: rule for rule in policy.earn_rules}


#: One checked operation, keyed once: ``(time-line key, operation, earning rate)``; the
#: rate (the policy's points per unit for the spend's kind) is ``None`` but for an `Earn`.
Step: TypeAlias = tuple[dt.timedelta, Operation, Decimal | None]


class _MemberFold:
    """A member's fold in progress: a local accumulator of the ledger, never stored.

    Two ways in, one fold: `apply` checks an operation against the member's state and
    then folds it (building a ledger); `run` folds steps `apply` has checked already
    (every figure of a built ledger). Both change the state only through `fold`.
    """

    __slots__ = (
        "balance", "earned", "earns", "entries", "expired", "expiry", "last_at", "last_key",
        "level", "live", "lots", "member_id", "policy", "redeemed", "reversed", "rules", "seen",
        "trail",
    )  # fmt: skip

    def __init__(
        self,
        member_id: str,
        policy: ClubPolicy,
        *,
        trail: bool = True,
        rules: dict[str, EarnRule] | None = None,
    ) -> None:
        self.member_id = member_id
        self.rules = rules if rules is not None else earn_rules(policy)
        self.trail = trail
        self.policy = policy
        self.lots: deque[_Lot] = deque()
        self.balance = self.earned = self.redeemed = self.expired = self.reversed = 0
        self.earns: dict[str, tuple[int, _Lot]] = {}
        self.entries: list[LedgerEntry] = []
        self.last_at: pendulum.DateTime | None = None
        self.last_key: dt.timedelta | None = None
        self.expiry = dt.timedelta(days=policy.expiry_days)
        self.level = LevelTrack(policy, trail=trail)
        self.seen: dict[str, Operation] = {}
        #: the card last found live, from which key, until which key (exclusive)
        self.live: tuple[CardState, dt.timedelta, dt.timedelta] | None = None

    def advance(self, until: dt.timedelta) -> None:
        """Expire every lot due by the time-line key ``until`` (oldest first); move the level on."""
        lots = self.lots
        while lots and lots[0].expires <= until:
            lot = lots.popleft()
            if lot.left:
                self.balance -= lot.left
                self.expired += lot.left
            if lot.left and self.trail:
                self.entries.append(
                    LedgerEntry(
                        f"{lot.id}:expired", instant_at(lot.expires, self.level.zone),
                        EntryKind.EXPIRE, -lot.left,
                        self.balance, f"lot {lot.id} expired after {self.policy.expiry_days} days",
                    )
                )  # fmt: skip
            if lot.left:
                lot.expired = lot.left
                lot.left = 0
        if self.level.due(until):
            self.level.advance(until)

    # ------------------------------------------------------------------ checked: build

    def apply(self, op: Operation, card: CardState, key: dt.timedelta | None = None) -> Step | None:
        """Check ``op`` and fold it in; its `Step`, or ``None`` for a repeat (nothing changes).

        Every rule of `keyaccount.club.ledger` is checked here, once, before anything
        but the passage of time changes; ``key`` is ``instant_key(op.at)`` when the
        caller has it already.

        Raises:
            ConflictingOperationError, InvalidTransition, CardNotLiveError,
            InsufficientPointsError, UnknownSpendKindError, CurrencyMismatchError: see
            `keyaccount.club.ledger`.
        """
        known = self.seen.get(op.id)
        if known is not None:
            if known == op:
                return None
            raise ConflictingOperationError(
                f"operation id {op.id!r} is already recorded with other content; "
                "an id is applied once"
            )
        at = op.at
        if key is None:
            key = instant_key(at)
        self._check_card(card, at, key)
        if self.last_key is not None and key < self.last_key:
            raise InvalidTransition(
                f"operation {op.id!r} at {at.isoformat()} is earlier than member "
                f"{self.member_id!r}'s last operation at {self.last_at}; "
                "record a member's operations in time order"
            )
        self.advance(key)
        step = (key, op, self._check(op))
        self.fold(step)
        self.seen[op.id] = op
        self.last_at = at
        self.last_key = key
        return step

    def _check_card(self, card: CardState, at: pendulum.DateTime, key: dt.timedelta) -> None:
        """`usable`, asked once per stretch of time a card stays live (the fold's own memo)."""
        live = self.live
        if live is not None and live[0] is card and live[1] <= key < live[2]:
            return
        usable(card, at)  # raises when the card is not live at ``at``
        self.live = (card, key, _live_until(card, at))

    def _check(self, op: Operation) -> Decimal | None:
        """The checks of ``op`` against the state it meets; an earning's rate."""
        match op:
            case Earn():
                policy = self.policy
                if op.spend.currency != policy.currency:
                    raise CurrencyMismatchError(
                        f"earning {op.id!r} spends {op.spend.currency} but the club counts "
                        f"{policy.currency} (its point value's currency); convert the spend first"
                    )
                return (self.rules.get(op.kind) or policy.earn_rule(op.kind)).points_per_unit
            case Redeem():
                self._affordable(op.points, op.id, "redeem")
            case Adjust() if op.points < 0:
                self._affordable(-op.points, op.id, "remove")
            case Reverse() if op.earn_id not in self.earns:
                raise InvalidTransition(
                    f"reversal {op.id!r} names {op.earn_id!r}, which is no earning of member "
                    f"{self.member_id!r} (or was reversed already)"
                )
        return None

    def _affordable(self, points: int, op_id: str, verb: str) -> None:
        if points > self.balance:
            raise InsufficientPointsError(
                f"{op_id!r} would {verb} {points} points but member {self.member_id!r} "
                f"holds {self.balance}; the balance never goes below zero"
            )

    # ------------------------------------------------------------------ the fold

    def run(self, steps: Sequence[Step], until: dt.timedelta | None = None) -> None:
        """Fold the checked ``steps`` (in time order) up to the key ``until``, then advance.

        Without ``until``, every step is folded and time stops at the last one.
        """
        last: Step | None = None
        for step in steps:
            if until is not None and until < step[0]:
                break
            self.fold(step)
            last = step
        if last is not None:
            self.last_key, self.last_at = last[0], last[1].at
        if until is not None:
            self.advance(until)

    def fold(self, step: Step) -> None:
        """Fold in one checked step: the one place the member's state changes."""
        key, op, rate = step
        lots = self.lots
        level = self.level
        if (lots and lots[0].expires <= key) or level.due(key):
            self.advance(key)
        if not level.started:
            level.start(op.at)
        if rate is not None:
            self._earn(op, key, rate)  # type: ignore[arg-type]  # a rate is an Earn's
        elif isinstance(op, Redeem):  # isinstance, not type: a caller's subclass is one too
            self._take(op.points)
            self.redeemed += op.points
            if self.trail:
                self._entry(op, EntryKind.REDEEM, -op.points, f"gift: {op.gift} (积分换礼)")
        elif isinstance(op, Adjust):
            self._adjust(op, key)
        else:
            self._reverse(op, key)  # type: ignore[arg-type]  # the last kind

    def _entry(self, op: Operation, kind: EntryKind, points: int, reason: str) -> None:
        self.entries.append(LedgerEntry(op.id, op.at, kind, points, self.balance, reason))

    def _lot(self, lot_id: str, points: int, key: dt.timedelta) -> _Lot:
        lot = _Lot(lot_id, points, key + self.expiry)
        self.lots.append(lot)
        self.balance += points
        self.earned += points
        return lot

    def _earn(self, op: Earn, key: dt.timedelta, rate: Decimal) -> None:
        level = self.level
        rule = self.policy.levels[level.rank]
        amount = op.spend.amount
        points = earned_points(amount, rate, rule.multiplier)
        self.earns[op.id] = (points, self._lot(op.id, points, key))
        if self.trail:
            self._entry(
                op, EntryKind.EARN, points,
                f"{op.spend} {op.kind} x {rate} x {rule.multiplier} ({rule.label}), rounded down",
            )  # fmt: skip
        level.add(op.id, op.at, key, amount if level.by_spend else Decimal(points))

    def _take(self, points: int, first: _Lot | None = None) -> int:
        """Take up to ``points`` from the lots (``first``, then oldest); how many were taken."""
        wanted = points
        order = ([first] if first is not None else []) + list(self.lots)
        for lot in order:
            if not wanted:
                break
            taken = min(lot.left, wanted)
            lot.left -= taken
            wanted -= taken
        taken = points - wanted
        self.balance -= taken
        return taken

    def _adjust(self, op: Adjust, key: dt.timedelta) -> None:
        if op.points > 0:
            self._lot(op.id, op.points, key)
        else:
            self.reversed += self._take(-op.points)
        if self.trail:
            self._entry(
                op, EntryKind.ADJUST, op.points,
                f"{op.reason}; requested by {op.requested_by}, approved by {op.approved_by}",
            )  # fmt: skip

    def _reverse(self, op: Reverse, key: dt.timedelta) -> None:
        points, lot = self.earns.pop(op.earn_id)
        # what expired unused is gone already; the rest comes back, own lot first
        taken = self._take(points - lot.expired, first=lot)
        self.reversed += taken
        unrecovered = points - taken
        note = f"; {unrecovered} already used, unrecovered" if unrecovered else ""
        if self.trail:
            self._entry(op, EntryKind.REVERSE, -taken, f"{op.reason}: earning {op.earn_id}{note}")
        self.level.remove(op.earn_id, op.at, key)

    def result(self, as_of: pendulum.DateTime) -> MemberPoints:
        level = self.policy.level(self.level.level)
        return MemberPoints(
            self.member_id, as_of, self.balance, self.earned, self.redeemed, self.expired,
            self.reversed, level.name, level.label, self.level.total, self.level.window_ids(),
            tuple(self.entries), tuple(self.level.changes),
        )  # fmt: skip
