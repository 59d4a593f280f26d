"""What can happen to a member's points: the ledger's operations and the entries they make.

Points are managed by the club's charter (积分及级别管理) and exchanged for gifts (积分换礼,
``004_4f02eb3a82d8f29a.txt``, 客户俱乐部专员 duties 2-3). Each operation is a small frozen
record with an **id**: the ledger applies an id once, so a client that retries cannot
earn or spend twice (`keyaccount.club.ledger`).

* `Earn`: a spend on a card earns points by the policy's rules (kind, level multiplier);
* `Redeem` (积分换礼): points exchanged for a gift, never more than the balance;
* `Adjust`: a manual correction, signed, approved by a position of the chart;
* `Reverse`: a refunded spend takes its points back (and leaves the level window).

Expiry is not an operation: the fold expires each lot ``expiry_days`` after it was
earned, oldest first, and records an `EntryKind.EXPIRE` entry named after the lot.

Examples:
    >>> import pendulum
    >>> from keyaccount.money import Money
    >>> at = pendulum.datetime(2026, 1, 5, 20, tz="Asia/Shanghai")
    >>> Earn("E-1", at, "C-1", Money(880), "room").spend
    Money(amount=Decimal('880'), currency='CNY')
    >>> Redeem("R-1", at, "C-1", -5, "gift")
    Traceback (most recent call last):
    ...
    keyaccount.errors.InvalidAmountError: points must be a whole number >= 1, got -5
"""

from __future__ import annotations

from typing import Any, TypeAlias

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, instant, non_negative_money, text
from keyaccount.errors import InexactNumberError, InvalidAmountError
from keyaccount.money import Money

__all__ = [
    "Adjust",
    "Earn",
    "EntryKind",
    "LedgerEntry",
    "Operation",
    "Redeem",
    "Reverse",
]


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InexactNumberError(
            f"{what} must be a whole number of points, got {type(value).__name__} {value!r}"
        )
    return value


def _positive_points(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if _whole(value, attribute.name) < 1:
        raise InvalidAmountError(f"points must be a whole number >= 1, got {value!r}")


def _nonzero_points(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if _whole(value, attribute.name) == 0:
        raise InvalidAmountError("an adjustment must add or remove at least one point")


@attrs.frozen
class Earn:
    """A spend on a card, which earns points (消费积分).

    Attributes:
        id: the operation's id (applied once).
        at: when the spend was made.
        card: the card number used.
        spend: what was spent (a `Money`, never a float).
        kind: the spend kind, which the policy's earning rules name (``room``).
    """

    id: str = attrs.field(validator=text)
    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)
    spend: Money = attrs.field(validator=non_negative_money)
    kind: str = attrs.field(validator=text)


@attrs.frozen
class Redeem:
    """Points exchanged for a gift (积分换礼)."""

    id: str = attrs.field(validator=text)
    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)
    points: int = attrs.field(validator=_positive_points)
    gift: str = attrs.field(validator=text)


@attrs.frozen
class Adjust:
    """A manual adjustment of points (plus or minus), approved up the chart.

    Attributes:
        points: the points added (positive) or removed (negative).
        reason: why, in words.
        requested_by: the position asking (the club specialist, ``customer-club-specialist``).
        approved_by: the position that approved it; the ledger checks it is the one
            `approval_route` names for the adjustment's value.
    """

    id: str = attrs.field(validator=text)
    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)
    points: int = attrs.field(validator=_nonzero_points)
    reason: str = attrs.field(validator=text)
    requested_by: str = attrs.field(validator=text)
    approved_by: str = attrs.field(validator=text)


@attrs.frozen
class Reverse:
    """A refunded spend: the points of `Earn` ``earn_id`` are taken back."""

    id: str = attrs.field(validator=text)
    at: pendulum.DateTime = attrs.field(converter=instant)
    card: str = attrs.field(validator=text)
    earn_id: str = attrs.field(validator=text)
    reason: str = attrs.field(default="refund (退款)", validator=text)


Operation: TypeAlias = Earn | Redeem | Adjust | Reverse


class EntryKind(LabelledEnum):
    """What a ledger entry did to the balance."""

    EARN = "earn", "积分"
    REDEEM = "redeem", "积分换礼"
    EXPIRE = "expire", "积分过期"
    ADJUST = "adjust", "积分调整"
    REVERSE = "reverse", "退款扣回"


@attrs.frozen
class LedgerEntry:
    """One movement of a member's points, as the fold computed it.

    Attributes:
        id: the operation's id; an expiry's is ``<lot id>:expired``.
        at: when it took effect.
        kind: what it did.
        points: the points it moved, signed (expiry, redemption and reversal negative).
        balance: the balance after it.
        reason: in words (the earning rule and multiplier, the gift, the approver...).
    """

    id: str
    at: pendulum.DateTime = attrs.field(converter=instant)
    kind: EntryKind
    points: int
    balance: int
    reason: str
