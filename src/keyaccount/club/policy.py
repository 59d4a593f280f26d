"""The club's charter as data: levels, earning rules, windows and the value of a point.

The club manager writes the club's charter and member handbook (制定俱乐部章程,编写会员
管理手册, ``004_4f02eb3a82d8f29a.txt``, 客户俱乐部经理 duty 2); the specialist manages
points and levels by them (根据俱乐部章程和会员管理手册,进行俱乐部会员积分及级别管理,
客户俱乐部专员 duty 2). The seeds give no numbers, so every figure here is a policy
knob; `DEFAULT_CLUB_POLICY` ships stated assumptions.

The default levels are the card classes of ``000_e270730e1905b545.txt`` (业务操作细则,
客户管理工作细则 4: VIP卡, 至尊卡, 欢唱卡, 普通顾客). The seed does not rank them; the
default ranks 普通 < 欢唱卡 < VIP卡 < 至尊卡 ("supreme" card on top) and its spend
thresholds and multipliers are assumptions a club replaces with its own charter.

Rounding (stated once): the points a spend earns are
``spend amount x points per unit of the spend's kind x the level's multiplier``, computed
exactly in `Decimal` and rounded **down to whole points** (`ROUND_FLOOR` on a
non-negative product): a member never earns a fraction of a point.

Examples:
    >>> from keyaccount.money import Money
    >>> policy = DEFAULT_CLUB_POLICY
    >>> policy.points_for(Money("199.99"), "room", "vip")  # 199.99 x 1 x 1.25 = 249.98...
    249
    >>> policy.level("zhizun").label
    '至尊卡'
"""

from __future__ import annotations

import itertools
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Final

import attrs

from keyaccount._fields import LabelledEnum, is_money, text
from keyaccount.errors import InvalidPolicyError, UnknownSpendKindError
from keyaccount.money import Money, to_decimal

__all__ = [
    "CARD_CLASS_SEED",
    "CLUB_SEED",
    "DEFAULT_CLUB_POLICY",
    "ClubPolicy",
    "EarnRule",
    "LevelBasis",
    "LevelRule",
    "earned_points",
]

#: The seed of the club's positions and duties (客户俱乐部经理, 客户俱乐部专员).
CLUB_SEED: Final = "004_4f02eb3a82d8f29a.txt"
#: The seed of the card classes (VIP卡, 至尊卡, 欢唱卡, 普通顾客) and of 续卡或升级.
CARD_CLASS_SEED: Final = "000_e270730e1905b545.txt"


def earned_points(amount: Decimal, points_per_unit: Decimal, multiplier: Decimal) -> int:
    """The rounding rule, stated once: the exact product rounded down to whole points."""
    exact = amount * points_per_unit * multiplier
    return int(exact.to_integral_value(rounding=ROUND_FLOOR))


def _decimal(value: object) -> Decimal:
    """An exact, non-negative decimal (a float is refused with `FloatMoneyError`)."""
    number = to_decimal(value, "rate")
    if number < 0:
        raise InvalidPolicyError(f"a rate must not be negative, got {number}")
    return number


#: The longest window, grace or expiry a policy may state: 100 years of days (a longer
#: period would run off the end of the time line, ``datetime.timedelta``'s range).
MAX_POLICY_DAYS: Final = 36_525


def _positive_days(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POLICY_DAYS:
        raise InvalidPolicyError(
            f"{attribute.name} must be a whole number of days from 1 to {MAX_POLICY_DAYS}, "
            f"got {value!r}"
        )


class LevelBasis(LabelledEnum):
    """What the rolling window of a level counts: spend (消费额) or points earned (积分)."""

    SPEND = "spend", "消费额"
    POINTS = "points", "积分"


@attrs.frozen
class EarnRule:
    """How many points one unit of currency of a kind of spend earns (before multipliers).

    Attributes:
        kind: the spend kind (消费类型, ``000_…`` 客户管理工作细则 1), e.g. ``room``.
        points_per_unit: points per currency unit (``1`` = a point per yuan).
        label: the seed's word for the kind.
    """

    kind: str = attrs.field(validator=text)
    points_per_unit: Decimal = attrs.field(converter=_decimal)
    label: str = ""


@attrs.frozen
class LevelRule:
    """One member level (会员级别) and what it takes and gives.

    Attributes:
        name: the wire id (``vip``).
        label: the card class as the seed writes it (``VIP卡``).
        threshold: the spend (in the point value's currency) or the points within the
            rolling window that qualify for the level (``0`` for the lowest level).
        multiplier: the earning multiplier of the level (``1.25``).
    """

    name: str = attrs.field(validator=text)
    label: str = attrs.field(validator=text)
    threshold: Decimal = attrs.field(converter=_decimal)
    multiplier: Decimal = attrs.field(converter=_decimal)


def _levels(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, tuple)
        or not value
        or not all(isinstance(v, LevelRule) for v in value)
    ):
        raise InvalidPolicyError("levels must be a non-empty tuple of LevelRule")
    if value[0].threshold != 0:
        raise InvalidPolicyError(f"the lowest level {value[0].name!r} must have threshold 0")
    for lower, higher in itertools.pairwise(value):
        if higher.threshold <= lower.threshold:
            raise InvalidPolicyError(
                f"level {higher.name!r} must need more than {lower.name!r} "
                f"({higher.threshold} <= {lower.threshold}); list levels lowest first"
            )
    names = [v.name for v in value]
    if len(set(names)) != len(names):
        raise InvalidPolicyError(f"level names must be distinct, got {names}")


def _rules(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, EarnRule) for v in value):
        raise InvalidPolicyError("earn_rules must be a tuple of EarnRule")
    kinds = [v.kind for v in value]
    if len(set(kinds)) != len(kinds):
        raise InvalidPolicyError(f"spend kinds must be distinct, got {kinds}")


@attrs.frozen
class ClubPolicy:
    """The club's charter (俱乐部章程) as the ledger and the levels read it.

    Attributes:
        levels: the member levels, lowest first; the lowest has threshold 0.
        earn_rules: points per unit of currency, per spend kind.
        basis: what the level window counts (spend or points earned).
        window_days: the rolling window of a level, in days: ``(as_of - window, as_of]``.
        grace_days: a member who no longer qualifies keeps the level this many days;
            if they still do not qualify at the end, they go down to the level they
            qualify for then.
        expiry_days: points of an earning (a lot) expire this many days after it;
            redemptions use the oldest lots first.
        point_value: what one point is worth to the company (the liability per point).
        adjustment_subject: the chart subject a manual adjustment is routed on
            (see `keyaccount.club.ledger`).
    """

    levels: tuple[LevelRule, ...] = attrs.field(validator=_levels)
    earn_rules: tuple[EarnRule, ...] = attrs.field(validator=_rules)
    basis: LevelBasis = attrs.field(
        default=LevelBasis.SPEND, validator=attrs.validators.instance_of(LevelBasis)
    )
    window_days: int = attrs.field(default=365, validator=_positive_days)
    grace_days: int = attrs.field(default=90, validator=_positive_days)
    expiry_days: int = attrs.field(default=730, validator=_positive_days)
    point_value: Money = attrs.field(default=Money("0.01"), validator=is_money)
    adjustment_subject: str = attrs.field(default="expense", validator=text)

    @property
    def currency(self) -> str:
        """The club's currency: that of the point value."""
        return self.point_value.currency

    def level(self, name: str) -> LevelRule:
        """The level named ``name``.

        Raises:
            InvalidPolicyError: no level has that name.
        """
        for rule in self.levels:
            if rule.name == name:
                return rule
        known = ", ".join(rule.name for rule in self.levels)
        raise InvalidPolicyError(f"no level {name!r} in the club policy; levels: {known}")

    def rank(self, name: str) -> int:
        """The level's place, 0 for the lowest."""
        return self.levels.index(self.level(name))

    def qualified(self, figure: Decimal) -> int:
        """The rank of the highest level whose threshold ``figure`` reaches."""
        for index in range(len(self.levels) - 1, 0, -1):
            if figure >= self.levels[index].threshold:
                return index
        return 0

    def earn_rule(self, kind: str) -> EarnRule:
        """The earning rule of a spend kind.

        Raises:
            UnknownSpendKindError: the policy has no rule for ``kind``.
        """
        for rule in self.earn_rules:
            if rule.kind == kind:
                return rule
        known = ", ".join(rule.kind for rule in self.earn_rules)
        raise UnknownSpendKindError(f"no earning rule for spend kind {kind!r}; kinds: {known}")

    def points_for(self, spend: Money, kind: str, level: str) -> int:
        """The whole points ``spend`` of ``kind`` earns at ``level`` (rounded down).

        Raises:
            UnknownSpendKindError: no rule for ``kind``.
            InvalidPolicyError: no level ``level``.
        """
        return earned_points(
            spend.amount, self.earn_rule(kind).points_per_unit, self.level(level).multiplier
        )


#: The default charter: the seed's card classes as levels, stated assumptions for figures.
DEFAULT_CLUB_POLICY: Final = ClubPolicy(
    levels=(
        LevelRule("ordinary", "普通会员", Decimal(0), Decimal(1)),
        LevelRule("huanchang", "欢唱卡", Decimal(5000), Decimal("1.1")),
        LevelRule("vip", "VIP卡", Decimal(20000), Decimal("1.25")),
        LevelRule("zhizun", "至尊卡", Decimal(50000), Decimal("1.5")),
    ),
    earn_rules=(
        EarnRule("room", Decimal(1), "包厢消费"),
        EarnRule("goods", Decimal(1), "商品"),
        EarnRule("service", Decimal(2), "维修保养"),
    ),
)
