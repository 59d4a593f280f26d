"""Tier qualification: does a member qualify as a core (核心客户) or group customer (集团客户)?

The CRM director's department reviews and certifies core customers (核心客户的评审与资格
认定, ``004_4f02eb3a82d8f29a.txt``, 客户关系管理总监 (5)); the group-customer department
files a group customer only when it meets the group-customer standard (对于符合集团客户
标准集团客户应予建档, ``002_6377003afb662ca7.txt``), signs a group-customer service
agreement (与集团客户应签订"集团客户服务协议"), and watches the group's member scale and
revenue (拓展集团客户成员规模; 分析及监管所辖集团客户发展、收入). The seeds give no
thresholds: a `TierPolicy` is a list of `Criterion`s, and the defaults' figures are
stated assumptions.

The answer is reviewable: a `TierQualification` lists every criterion, passed or
failed, with the figure behind it and the ids it was computed from.

Examples:
    >>> CORE_CUSTOMER_POLICY.tier.label, [c.measure.value for c in CORE_CUSTOMER_POLICY.criteria]
    ('核心客户', ['spend', 'level', 'tenure-days'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Final

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, earlier, is_money, text, to_instant
from keyaccount.club.ledger import Ledger, member_points
from keyaccount.club.operations import Earn, Reverse
from keyaccount.money import Money, to_decimal

__all__ = [
    "CORE_CUSTOMER_POLICY",
    "GROUP_CUSTOMER_POLICY",
    "Criterion",
    "CriterionResult",
    "GroupFacts",
    "Measure",
    "TierKind",
    "TierPolicy",
    "TierQualification",
    "qualify",
]


class TierKind(LabelledEnum):
    """The tiers a review certifies."""

    CORE = "core", "核心客户"
    GROUP = "group", "集团客户"


class Measure(LabelledEnum):
    """What a criterion measures."""

    SPEND = "spend", "窗口内消费额"
    LEVEL = "level", "会员级别"
    TENURE_DAYS = "tenure-days", "入会天数"
    AGREEMENT = "agreement", "集团客户服务协议"
    GROUP_MEMBERS = "group-members", "集团成员规模"
    GROUP_REVENUE = "group-revenue", "集团收入"


def _minimum(value: object) -> Decimal:
    return to_decimal(value, "minimum")


@attrs.frozen
class Criterion:
    """One test of a tier: ``measure >= minimum``.

    Attributes:
        measure: what is measured.
        minimum: the least figure that passes (a level's rank for `Measure.LEVEL`,
            ``1`` for a signed agreement).
        label: the criterion in words, with the seed's.
    """

    measure: Measure
    minimum: Decimal = attrs.field(converter=_minimum)
    label: str = attrs.field(validator=text)


@attrs.frozen
class TierPolicy:
    """A tier's qualification rule: every criterion must pass.

    Attributes:
        tier: the tier certified.
        criteria: the tests, in review order.
        seed: the seed the tier comes from.
    """

    tier: TierKind
    criteria: tuple[Criterion, ...]
    seed: str = ""


@attrs.frozen
class GroupFacts:
    """What the group-customer file says about a customer (集团客户档案, ``002_…``).

    Attributes:
        customer_id: the customer.
        members: the group's member count (成员规模).
        revenue: the group's revenue over the review period (收入).
        agreement: the id of the signed group-customer service agreement, if any.
    """

    customer_id: str = attrs.field(validator=text)
    members: int = 0
    revenue: Money = attrs.field(default=Money(0), validator=is_money)
    agreement: str | None = None


@attrs.frozen
class CriterionResult:
    """A criterion's verdict with its figure and the ids behind it."""

    criterion: Criterion
    figure: Decimal
    passed: bool
    ids: tuple[str, ...]

    @property
    def reason(self) -> str:
        """One line: passed or failed, the figure against the minimum."""
        verdict = "passed" if self.passed else "failed"
        return f"{self.criterion.label}: {self.figure} against {self.criterion.minimum} ({verdict})"


@attrs.frozen
class TierQualification:
    """The review of one customer for one tier (资格认定).

    Attributes:
        customer_id: the customer reviewed.
        tier: the tier.
        as_of: the instant of the review.
        results: one verdict per criterion.
    """

    customer_id: str
    tier: TierKind
    as_of: pendulum.DateTime
    results: tuple[CriterionResult, ...]

    @property
    def qualifies(self) -> bool:
        """Whether every criterion passed."""
        return all(result.passed for result in self.results)

    @property
    def failed(self) -> tuple[CriterionResult, ...]:
        """The criteria that failed."""
        return tuple(result for result in self.results if not result.passed)

    def explain(self) -> str:
        """One line: the verdict and each criterion's figure."""
        verdict = "qualifies" if self.qualifies else "does not qualify"
        details = "; ".join(result.reason for result in self.results)
        return f"{self.customer_id} {verdict} as {self.tier.label}: {details}"


#: Core customers (``004_…``); the figures are assumptions: a year's spend, VIP卡 or
#: above, a year's membership.
CORE_CUSTOMER_POLICY: Final = TierPolicy(
    TierKind.CORE,
    (
        Criterion(Measure.SPEND, Decimal(50000), "spend in the level window >= 50000"),
        Criterion(Measure.LEVEL, Decimal(2), "level VIP卡 or above"),
        Criterion(Measure.TENURE_DAYS, Decimal(365), "member for at least 365 days"),
    ),
    "004_4f02eb3a82d8f29a.txt",
)

#: Group customers (``002_…``): a signed agreement; the member scale and revenue
#: minimums are assumptions.
GROUP_CUSTOMER_POLICY: Final = TierPolicy(
    TierKind.GROUP,
    (
        Criterion(Measure.AGREEMENT, Decimal(1), "signed 集团客户服务协议"),
        Criterion(Measure.GROUP_MEMBERS, Decimal(20), "成员规模 >= 20 members"),
        Criterion(Measure.GROUP_REVENUE, Decimal(100000), "收入 >= 100000"),
    ),
    "002_6377003afb662ca7.txt",
)


@attrs.frozen
class _Figure:
    """A measured figure and the ids it was computed from."""

    figure: Decimal
    ids: tuple[str, ...]


@attrs.frozen
class _Facts:
    """What a criterion is measured on."""

    ledger: Ledger
    member_id: str
    now: pendulum.DateTime
    group: GroupFacts | None


def _window_spend(facts: _Facts) -> _Figure:
    """The member's spend in the level window, refunded spends left out."""
    now = facts.now
    start = now.subtract(days=facts.ledger.policy.window_days)
    cards = facts.ledger.cards.by_number()
    spends: dict[str, Decimal] = {}
    for op in facts.ledger.operations:
        if cards[op.card].member_id != facts.member_id or earlier(now, op.at):
            continue
        if isinstance(op, Earn) and earlier(start, op.at):
            spends[op.id] = op.spend.amount
        elif isinstance(op, Reverse):
            spends.pop(op.earn_id, None)
    return _Figure(sum(spends.values(), Decimal(0)), tuple(spends))


def _level_rank(facts: _Facts) -> _Figure:
    """The rank of the member's level (0 = lowest)."""
    points = member_points(facts.ledger, facts.member_id, facts.now)
    return _Figure(Decimal(facts.ledger.policy.rank(points.level)), points.window_ids)


def _tenure(facts: _Facts) -> _Figure:
    """Whole days since the member's first card was issued."""
    own = [
        card
        for card in facts.ledger.cards.cards
        if card.member_id == facts.member_id and not earlier(facts.now, card.issued_at)
    ]
    if not own:
        return _Figure(Decimal(0), ())
    first = min(own, key=lambda card: card.issued_at)
    return _Figure(Decimal((facts.now - first.issued_at).days), tuple(c.number for c in own))


def _agreement(facts: _Facts) -> _Figure:
    """1 when the group-customer service agreement is signed, else 0."""
    group = facts.group
    if group is None or group.agreement is None:
        return _Figure(Decimal(0), ())
    return _Figure(Decimal(1), (group.agreement,))


def _group_members(facts: _Facts) -> _Figure:
    """The group's member count."""
    group = facts.group
    return (
        _Figure(Decimal(group.members), (group.customer_id,)) if group else _Figure(Decimal(0), ())
    )


def _group_revenue(facts: _Facts) -> _Figure:
    """The group's revenue."""
    group = facts.group
    return _Figure(group.revenue.amount, (group.customer_id,)) if group else _Figure(Decimal(0), ())


_MEASURES: Final[dict[Measure, Callable[[_Facts], _Figure]]] = {
    Measure.SPEND: _window_spend,
    Measure.LEVEL: _level_rank,
    Measure.TENURE_DAYS: _tenure,
    Measure.AGREEMENT: _agreement,
    Measure.GROUP_MEMBERS: _group_members,
    Measure.GROUP_REVENUE: _group_revenue,
}


def qualify(
    member_id: str,
    ledger: Ledger,
    policy: TierPolicy,
    as_of: dt.datetime,
    *,
    group: GroupFacts | None = None,
) -> TierQualification:
    """Review ``member_id`` for ``policy``'s tier at ``as_of``: every criterion, with figures.

    Spend, level and tenure come from the club's ledger and cards; the group measures
    from ``group`` (without it they fail with figure 0).

    Args:
        member_id: the member (a `Customer.id`).
        ledger: the club's ledger.
        policy: the tier's criteria.
        as_of: the instant of the review.
        group: the group-customer facts, for `Measure.AGREEMENT` and the group measures.

    Returns:
        The `TierQualification`; ``qualifies`` when every criterion passed.
    """
    now = to_instant(as_of, "as_of")
    facts = _Facts(ledger, member_id, now, group)
    results = []
    for criterion in policy.criteria:
        found = _MEASURES[criterion.measure](facts)
        results.append(
            CriterionResult(criterion, found.figure, found.figure >= criterion.minimum, found.ids)
        )
    return TierQualification(member_id, policy.tier, now, tuple(results))
