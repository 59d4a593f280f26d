"""Member levels (会员级别): upgrades and downgrades over a rolling window, with grace.

The club manages member levels by its charter (会员积分及级别管理, ``004_…``, 客户俱乐部
专员 duty 2) and the manager designs retention by level (根据会员级别…制定相应的会员维系
方案, 客户俱乐部经理 duty 4). The level is **derived**, never stored: it is the fold of
the member's ledger, evaluated at ``as_of``.

The rule (stated once):

* the **figure** at an instant ``t`` is the spend (or the points earned, by the
  policy's `LevelBasis`) of the operations in the window ``(t - window_days, t]``; a
  reversed (refunded) spend leaves the window from the reversal on;
* a member who qualifies for a higher level (the figure reaches its threshold) goes
  **up at once**, to the highest level reached;
* a member whose figure falls below their level's threshold keeps the level for
  ``grace_days``; if the figure is back up by then nothing happens, otherwise at the end
  of the grace they go **down to the level the figure qualifies for then**;
* the figure only changes when an operation enters or leaves the window, so the level
  history is a finite list of `LevelChange`s, each with the figure behind it;
* a day of a window or a grace is 24 hours of elapsed time, counted on the time line
  (the same in every zone, daylight saving included).

`LevelTrack` is the fold's accumulator; `keyaccount.club.ledger` drives it together
with the points, so the multiplier of an earning is the level in force when it is made.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from keyaccount.club.policy import ClubPolicy, LevelBasis

__all__ = ["LevelChange", "LevelTrack", "instant_at"]


@attrs.frozen
class LevelChange:
    """The member's level changed (or started) at ``at``.

    Attributes:
        at: when the level took effect.
        level: the level's name (``vip``).
        label: its card class (``VIP卡``).
        figure: the window figure (spend or points) behind the change.
        reason: in words.
    """

    at: pendulum.DateTime
    level: str
    label: str
    figure: Decimal
    reason: str


#: One operation's share of the window: ``[leaves, amount, op id]`` (a list, so that a
#: reversal can zero its amount in place; ``leaves`` is the key it drops out at).
_Contribution: TypeAlias = list[Any]
_LEAVES, _AMOUNT, _OP = 0, 1, 2


#: The origin of the time-line keys (`keyaccount._fields.instant_key`): a key is the UTC
#: time as a distance from it.
_ORIGIN: Final = dt.datetime.min.replace(tzinfo=dt.UTC)


def instant_at(key: dt.timedelta, zone: dt.tzinfo) -> pendulum.DateTime:
    """The instant a time-line key stands for, shown in ``zone``."""
    return pendulum.instance((_ORIGIN + key).astimezone(zone))


class LevelTrack:
    """The level fold in progress: a local accumulator, never shared or stored.

    Instants are handled as time-line keys (`instant_key`: exact UTC distances), so a
    window or a grace of ``n`` days is ``n x 24`` hours.
    """

    __slots__ = (
        "by_spend", "changes", "grace", "pending", "policy", "rank", "span", "started", "total",
        "trail", "window", "zone",
    )  # fmt: skip

    def __init__(self, policy: ClubPolicy, *, trail: bool = True) -> None:
        self.policy = policy
        self.trail = trail
        #: whether the figure is spend (else points earned), by the policy's basis
        self.by_spend = policy.basis is LevelBasis.SPEND
        self.started = False
        self.span = dt.timedelta(days=policy.window_days)
        self.grace = dt.timedelta(days=policy.grace_days)
        self.rank = 0
        self.pending: dt.timedelta | None = None  # since when below the level
        self.window: deque[_Contribution] = deque()
        self.total = Decimal(0)
        self.changes: list[LevelChange] = []
        self.zone: dt.tzinfo = dt.UTC

    @property
    def level(self) -> str:
        """The name of the level in force."""
        return self.policy.levels[self.rank].name

    def start(self, at: pendulum.DateTime) -> None:
        """The member joins at the lowest level (their first operation)."""
        if not self.started:
            self.started = True
            self.zone = at.tzinfo or dt.UTC
            if not self.trail:
                return
            lowest = self.policy.levels[0]
            self.changes.append(
                LevelChange(at, lowest.name, lowest.label, Decimal(0), "joined at the lowest level")
            )

    def due(self, until: dt.timedelta) -> bool:
        """Whether a drop-out or the end of a grace falls by the key ``until``."""
        window = self.window
        if window and window[0][_LEAVES] <= until:
            return True
        return self.pending is not None and self.pending + self.grace <= until

    def advance(self, until: dt.timedelta) -> None:
        """Let time pass up to the key ``until``: window drop-outs and grace ends, in order."""
        window = self.window
        while True:
            leaves = window[0][_LEAVES] if window else None
            ends = self.pending + self.grace if self.pending is not None else None
            if ends is not None and (leaves is None or ends < leaves):
                if until < ends:
                    return
                self._grace_over(ends)
            elif leaves is not None:
                if until < leaves:
                    return
                while window and window[0][_LEAVES] <= leaves:
                    self.total -= window.popleft()[_AMOUNT]
                self.evaluate(leaves)
            else:
                return

    def add(self, op_id: str, at: pendulum.DateTime, key: dt.timedelta, amount: Decimal) -> None:
        """An operation at ``at`` (time-line key ``key``) enters the window."""
        if amount:
            self.window.append([key + self.span, amount, op_id])
            self.total += amount
        self.evaluate(key, at)

    def remove(self, op_id: str, at: pendulum.DateTime, key: dt.timedelta) -> None:
        """A reversed operation leaves the window at ``at`` (if it is still in it)."""
        for item in self.window:
            if item[_OP] == op_id:
                self.total -= item[_AMOUNT]
                item[_AMOUNT] = Decimal(0)
        self.evaluate(key, at)

    def window_ids(self) -> tuple[str, ...]:
        """The operations behind the current figure."""
        return tuple(item[_OP] for item in self.window if item[_AMOUNT])

    def evaluate(self, key: dt.timedelta, at: pendulum.DateTime | None = None) -> None:
        """Compare the figure with the level at ``key``: up at once, down after grace."""
        qualified = self.policy.qualified(self.total)
        if qualified > self.rank:
            self._move(key, at, qualified, "reached the threshold")
            self.pending = None
        elif qualified < self.rank:
            if self.pending is None:
                self.pending = key
        else:
            self.pending = None

    def _grace_over(self, key: dt.timedelta) -> None:
        self.pending = None
        qualified = self.policy.qualified(self.total)
        if qualified < self.rank:
            why = f"below the threshold for the {self.policy.grace_days}-day grace"
            self._move(key, None, qualified, why)

    def _move(self, key: dt.timedelta, at: pendulum.DateTime | None, rank: int, why: str) -> None:
        before = self.policy.levels[self.rank]
        self.rank = rank
        if not self.trail:
            return
        rule = self.policy.levels[rank]
        basis = self.policy.basis
        self.changes.append(
            LevelChange(
                at if at is not None else instant_at(key, self.zone),
                rule.name,
                rule.label,
                self.total,
                f"{before.label} -> {rule.label}: {basis.label} {self.total} in the last "
                f"{self.policy.window_days} days; {why} (threshold {rule.threshold} for "
                f"{rule.label}, {before.threshold} for {before.label})",
            )
        )
