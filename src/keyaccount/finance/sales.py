"""How did each salesperson do against target: `sales_results` (销售目标及实绩达成分析表).

The sales-management manager opens every month with the 销售目标及实绩达成分析表
(每月1-2日召开月度工作总结会议, ``003_c0a09330c12f3f2e.txt``); the 考核指标 of the seeds
are 中标额、合同金额、销售收入、利润率 (``001_5973d372c2cdd2f6.txt``). Per salesperson
(``owner``, a staff id) and period:

* **中标额** (bids won), **合同金额** (contracts signed), **销售收入** (revenue): the sums of
  the `SalesRecord` of each kind dated in the period, against the `SalesTarget`; the
  达成率 (achievement) is actual / target.
* **利润率** (margin) = (revenue - cost of sales) / revenue, from the revenue records and
  their costs, against a target margin.

Every ratio is the exact quotient rounded once to 4 decimal places with ROUND_HALF_UP
(四舍五入); a ratio over zero is ``None``. Every figure lists the record ids behind it.
Records dated after the ``as_of`` local day are not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from keyaccount._fields import LabelledEnum, non_negative_money, optional_non_negative_money, text
from keyaccount.calendar import WorkCalendar
from keyaccount.errors import (
    CurrencyMismatchError,
    DuplicateIdError,
    InvalidAmountError,
    InvalidArgumentTypeError,
    InvalidPeriodError,
    NotADateError,
)
from keyaccount.finance._ratios import ratio
from keyaccount.finance.aging import local_day
from keyaccount.finance.periods import ReportPeriod, as_report_period
from keyaccount.money import DEFAULT_CURRENCY, Money, Rates, to_decimal

__all__ = [
    "Achievement",
    "MarginFigure",
    "SalesKind",
    "SalesRecord",
    "SalesResults",
    "SalesRow",
    "SalesTarget",
    "sales_results",
]


class SalesKind(LabelledEnum):
    """What a sales record counts towards."""

    BID = "bid", "中标额"
    CONTRACT = "contract", "合同金额"
    REVENUE = "revenue", "销售收入"


def _a_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise NotADateError(f"{attribute.name} must be a date, got {type(value).__name__}")


@attrs.frozen
class SalesRecord:
    """A bid won, a contract signed or revenue recognised, credited to a salesperson.

    Attributes:
        id: the record's id (bid, contract or invoice number).
        kind: bid (中标额), contract (合同金额) or revenue (销售收入).
        owner: the staff id of the salesperson credited.
        customer_id: the customer.
        amount: the amount, zero or more.
        on: the day it counts on (won, signed, recognised).
        cost: the cost of sales behind a revenue record (for 利润率); required for
            revenue, refused for the other kinds.

    Raises:
        InvalidTextError: a blank id, owner or customer id.
        FloatMoneyError / InvalidAmountError: an amount that is not non-negative `Money`,
            a revenue without its cost, or a cost on a bid or contract.
        CurrencyMismatchError: the cost is in another currency than the amount.
    """

    id: str = attrs.field(validator=text)
    kind: SalesKind = attrs.field(validator=attrs.validators.instance_of(SalesKind))
    owner: str = attrs.field(validator=text)
    customer_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    on: dt.date = attrs.field(validator=_a_date)
    cost: Money | None = attrs.field(default=None, validator=optional_non_negative_money)

    def __attrs_post_init__(self) -> None:
        if self.kind is SalesKind.REVENUE and self.cost is None:
            raise InvalidAmountError(f"cost is needed on revenue record {self.id} (for 利润率)")
        if self.kind is not SalesKind.REVENUE and self.cost is not None:
            raise InvalidAmountError(
                f"cost is only for revenue, not on {self.kind.value} record {self.id}"
            )
        if self.cost is not None and self.cost.currency != self.amount.currency:
            raise CurrencyMismatchError(
                f"cost of record {self.id} is in {self.cost.currency}, "
                f"its amount in {self.amount.currency}"
            )


def _label(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidPeriodError(f"{attribute.name} must be a period label such as 2026-03")
    if value != value.strip():
        raise InvalidPeriodError(f"{attribute.name} must have no surrounding blanks")
    as_report_period(value, attribute.name)


def _margin(value: Decimal | int | str | None) -> Decimal | None:
    if value is None:
        return None
    margin = to_decimal(value, "margin")
    if not -1 <= margin <= 1:
        raise InvalidAmountError(f"a target margin is a ratio between -1 and 1, got {margin}")
    return margin


@attrs.frozen
class SalesTarget:
    """A salesperson's targets (销售目标) for a period.

    Attributes:
        owner: the staff id of the salesperson.
        period: ``2026-03``, ``2026Q1`` or ``2026``.
        bids: the 中标额 target, if set.
        contracts: the 合同金额 target, if set.
        revenue: the 销售收入 target, if set.
        margin: the 利润率 target as a ratio (``"0.25"`` for 25%), if set.
    """

    owner: str = attrs.field(validator=text)
    period: str = attrs.field(validator=_label)
    bids: Money | None = attrs.field(default=None, validator=optional_non_negative_money)
    contracts: Money | None = attrs.field(default=None, validator=optional_non_negative_money)
    revenue: Money | None = attrs.field(default=None, validator=optional_non_negative_money)
    margin: Decimal | None = attrs.field(default=None, converter=_margin)


@attrs.frozen
class Achievement:
    """One indicator of one salesperson against its target (达成率).

    Attributes:
        kind: the indicator.
        actual: the sum of its records.
        target: the target, if set.
        rate: ``actual / target`` (4 places, half up); ``None`` without a non-zero target.
        ids: the records in ``actual``.
    """

    kind: SalesKind
    actual: Money
    target: Money | None
    rate: Decimal | None
    ids: tuple[str, ...]


@attrs.frozen
class MarginFigure:
    """利润率 of one salesperson: (revenue - cost) / revenue, against a target margin.

    Attributes:
        revenue: the revenue.
        cost: the cost of sales of that revenue.
        margin: ``(revenue - cost) / revenue`` (4 places, half up); ``None`` without revenue.
        target: the target margin, if set.
        ids: the revenue records behind it.
    """

    revenue: Money
    cost: Money
    margin: Decimal | None
    target: Decimal | None
    ids: tuple[str, ...]

    @property
    def profit(self) -> Money:
        """Revenue minus cost (毛利)."""
        return self.revenue - self.cost


@attrs.frozen
class SalesRow:
    """One line of the 销售目标及实绩达成分析表: a salesperson's figures for the period."""

    owner: str
    bids: Achievement
    contracts: Achievement
    revenue: Achievement
    margin: MarginFigure

    def explain(self) -> str:
        """The row in one line: each figure, its target and its rate."""
        parts = [_shown(a) for a in (self.bids, self.contracts, self.revenue)]
        m = self.margin
        target = "" if m.target is None else f" / target {_percent(m.target)}"
        parts.append(f"利润率 {_percent(m.margin)}{target} ({', '.join(m.ids) or 'no revenue'})")
        return f"{self.owner}: " + "; ".join(parts)


def _percent(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value * 100:.2f}%"


def _shown(a: Achievement) -> str:
    target = "" if a.target is None else f" / target {a.target} = {_percent(a.rate)}"
    return f"{a.kind.label} {a.actual}{target} ({', '.join(a.ids) or 'none'})"


@attrs.frozen
class SalesResults:
    """The 销售目标及实绩达成分析表 of a period.

    Attributes:
        period: the period label.
        as_of_day: the last day whose records count.
        rows: one per salesperson with a record or a target in the period, by staff id.
    """

    period: str
    as_of_day: dt.date
    rows: tuple[SalesRow, ...]

    def row(self, owner: str) -> SalesRow | None:
        """The row of ``owner``, if any."""
        return next((r for r in self.rows if r.owner == owner), None)

    def explain(self) -> str:
        """A heading, then one line per salesperson."""
        head = f"销售目标及实绩达成分析表 {self.period} (as of {self.as_of_day})"
        return "\n".join([head, *(f"  {row.explain()}" for row in self.rows)])


def _converted(money: Money, currency: str, rates: Rates | None, what: str) -> Money:
    if money.currency == currency:
        return money
    if rates is None:
        raise CurrencyMismatchError(
            f"{what} is in {money.currency}, the report in {currency}: give explicit Rates"
        )
    return rates.convert(money, currency)


def _achievement(
    kind: SalesKind,
    records: list[SalesRecord],
    target: Money | None,
    currency: str,
    rates: Rates | None,
) -> Achievement:
    mine = [r for r in records if r.kind is kind]
    actual = sum(
        (_converted(r.amount, currency, rates, f"record {r.id}") for r in mine),
        Money.zero(currency),
    )
    goal = None if target is None else _converted(target, currency, rates, f"{kind.value} target")
    rate = None if goal is None else ratio(actual.amount, goal.amount)
    return Achievement(kind, actual, goal, rate, tuple(r.id for r in mine))


def sales_results(
    records: Iterable[SalesRecord],
    targets: Iterable[SalesTarget],
    period: ReportPeriod | str,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    currency: str = DEFAULT_CURRENCY,
    rates: Rates | None = None,
) -> SalesResults:
    """Each salesperson's 中标额, 合同金额, 销售收入 and 利润率 against target for ``period``.

    Examples:
        >>> from keyaccount import WorkCalendar, parse_as_of
        >>> cal = WorkCalendar.china()
        >>> records = [
        ...     SalesRecord("HT-1", SalesKind.CONTRACT, "wang", "acme", Money(80000),
        ...                 dt.date(2026, 3, 3)),
        ...     SalesRecord("INV-1", SalesKind.REVENUE, "wang", "acme", Money(60000),
        ...                 dt.date(2026, 3, 9), cost=Money(45000))]
        >>> targets = [SalesTarget("wang", "2026-03", contracts=Money(100000), margin="0.3")]
        >>> row = sales_results(records, targets, "2026-03", cal,
        ...                     parse_as_of("2026-03-31", cal)).rows[0]
        >>> row.contracts.rate, row.margin.margin
        (Decimal('0.8000'), Decimal('0.2500'))

    Args:
        records: bids, contracts and revenue records.
        targets: the salespeople's targets; targets of other periods are ignored.
        period: the period (a label or a `ReportPeriod`).
        calendar: the calendar whose zone gives the ``as_of`` local day.
        as_of: the instant the report is made at.
        currency: the currency of the report.
        rates: exchange rates for records or targets in another currency.

    Returns:
        The `SalesResults`, one row per salesperson.

    Raises:
        DuplicateIdError: two records share an id, or a salesperson has two targets for
            the period.
        CurrencyMismatchError: a record or target in another currency without ``rates``.
        InvalidPeriodError: ``period`` is not a period label.
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    asked = as_report_period(period)
    today = local_day(as_of, calendar)
    Money.zero(currency)  # refuses a malformed currency code
    if rates is not None and not isinstance(rates, Rates):
        raise InvalidArgumentTypeError(f"rates must be Rates, got {type(rates).__name__}")
    seen: set[str] = set()
    by_owner: dict[str, list[SalesRecord]] = {}
    for record in records:
        if record.id in seen:
            raise DuplicateIdError(f"sales record id {record.id!r} is used twice")
        seen.add(record.id)
        if record.on in asked and record.on <= today:
            by_owner.setdefault(record.owner, []).append(record)
    goals: dict[str, SalesTarget] = {}
    for target in targets:
        if target.period != asked.label:
            continue
        if target.owner in goals:
            raise DuplicateIdError(f"{target.owner} has two targets for {asked.label}")
        goals[target.owner] = target
    rows = []
    for owner in sorted(set(by_owner) | set(goals)):
        mine = by_owner.get(owner, [])
        goal = goals.get(owner) or SalesTarget(owner, asked.label)
        revenue = [r for r in mine if r.kind is SalesKind.REVENUE]
        income = sum(
            (_converted(r.amount, currency, rates, f"record {r.id}") for r in revenue),
            Money.zero(currency),
        )
        cost = sum(
            (
                _converted(r.cost, currency, rates, f"record {r.id}")
                for r in revenue
                if r.cost is not None
            ),
            Money.zero(currency),
        )
        rows.append(
            SalesRow(
                owner,
                _achievement(SalesKind.BID, mine, goal.bids, currency, rates),
                _achievement(SalesKind.CONTRACT, mine, goal.contracts, currency, rates),
                _achievement(SalesKind.REVENUE, mine, goal.revenue, currency, rates),
                MarginFigure(
                    income,
                    cost,
                    ratio((income - cost).amount, income.amount),
                    goal.margin,
                    tuple(r.id for r in revenue),
                ),
            )
        )
    return SalesResults(asked.label, today, tuple(rows))
