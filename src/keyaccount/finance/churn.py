"""How many customers did we lose in a period: `churn_rate` (客户流失率).

The dealer CRM seed asks for 客户流失率统计、分析 (``004_4f02eb3a82d8f29a.txt``) without
defining it. The rate here is churned / base for a period, for all customers and for key
accounts, under one of two stated definitions (`ChurnPolicy`, the library's documented
assumption):

* ``no-purchase`` (the default, N = 12 months): the **base** (期初客户) is every customer,
  prospects excepted, with a purchase in the N months before the period's first day;
  a base customer has **churned** when it made no purchase in the N months up to the
  period's last day (or the ``as_of`` day, if earlier): its N months ran out inside the
  period.
* ``lost-status``: the base is every customer, prospects excepted, that was a customer
  when the period began (no purchase on record, or a first purchase before the first
  day); a base customer has churned when its status is ``lost`` (流失客户). A status
  has no date: this reads the file as it stands at ``as_of``.

A purchase is a consumption record of the customer file (`Customer.spend`, on its local
day in the calendar's zone) or, when a ledger is given, an invoice's issue day. Only
purchases on or before the ``as_of`` local day count. The rate is churned / base,
rounded to 4 places half up (四舍五入); ``None`` with an empty base. Every figure lists
the customer ids behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from keyaccount._fields import LabelledEnum
from keyaccount.calendar import WorkCalendar
from keyaccount.customers import Customer, CustomerStatus, Tier
from keyaccount.errors import InvalidPolicyError
from keyaccount.finance._ratios import ratio
from keyaccount.finance.aging import local_day
from keyaccount.finance.periods import ReportPeriod, as_report_period
from keyaccount.finance.receivables import Receivables

__all__ = [
    "DEFAULT_CHURN",
    "ChurnDefinition",
    "ChurnFigure",
    "ChurnPolicy",
    "ChurnReport",
    "churn_rate",
]


class ChurnDefinition(LabelledEnum):
    """What makes a customer churned (流失)."""

    NO_PURCHASE = "no-purchase", "N个月无购买"
    LOST_STATUS = "lost-status", "流失状态"


def _months(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidPolicyError(f"{attribute.name} must be a whole number >= 1, got {value!r}")


def _as_tiers(value: Iterable[Tier]) -> tuple[Tier, ...]:
    return tuple(value)


def _tiers(_instance: object, _attribute: object, value: tuple[Tier, ...]) -> None:
    if not value or not all(isinstance(t, Tier) for t in value):
        raise InvalidPolicyError("key_tiers must name at least one Tier")


@attrs.frozen
class ChurnPolicy:
    """How churn is defined (see the module).

    Attributes:
        definition: ``no-purchase`` (default) or ``lost-status``.
        months: N of ``no-purchase`` (default 12).
        key_tiers: the tiers counted as key accounts (default: 大客户 only).
    """

    definition: ChurnDefinition = ChurnDefinition.NO_PURCHASE
    months: int = attrs.field(default=12, validator=_months)
    key_tiers: tuple[Tier, ...] = attrs.field(
        default=(Tier.KEY_ACCOUNT,), converter=_as_tiers, validator=_tiers
    )


#: The library's documented default: no purchase in 12 months, key accounts = 大客户.
DEFAULT_CHURN: Final = ChurnPolicy()


@attrs.frozen
class ChurnFigure:
    """Churn of one group of customers.

    Attributes:
        base_ids: the customers of the base (期初客户).
        churned_ids: those that churned (流失客户).
        rate: ``len(churned_ids) / len(base_ids)``, 4 places half up; ``None`` with no base.
    """

    base_ids: tuple[str, ...]
    churned_ids: tuple[str, ...]
    rate: Decimal | None

    def explain(self) -> str:
        """The figure in words."""
        rate = "n/a" if self.rate is None else f"{self.rate * 100:.2f}%"
        churned = ", ".join(self.churned_ids) or "none"
        return f"{len(self.churned_ids)} of {len(self.base_ids)} churned ({churned}): {rate}"


@attrs.frozen
class ChurnReport:
    """客户流失率 of a period, for all customers and for key accounts.

    Attributes:
        period: the period label.
        as_of_day: the last day whose purchases count.
        policy: the definition used.
        all: every customer.
        key_accounts: the customers of the policy's key tiers.
    """

    period: str
    as_of_day: dt.date
    policy: ChurnPolicy
    all: ChurnFigure
    key_accounts: ChurnFigure

    def explain(self) -> str:
        """The definition, then the two figures."""
        p = self.policy
        rule = (
            f"no purchase in {p.months} months"
            if p.definition is ChurnDefinition.NO_PURCHASE
            else "status lost"
        )
        return (
            f"客户流失率 {self.period} ({rule}, as of {self.as_of_day})\n"
            f"  all customers: {self.all.explain()}\n"
            f"  key accounts: {self.key_accounts.explain()}"
        )


def _purchases(
    customers: list[Customer],
    receivables: Receivables | None,
    calendar: WorkCalendar,
    today: dt.date,
) -> dict[str, list[dt.date]]:
    days: dict[str, list[dt.date]] = {c.id: [] for c in customers}
    for customer in customers:
        for spend in customer.spend:
            day = spend.at.in_timezone(calendar.tz).date()
            if day <= today:
                days[customer.id].append(day)
    if receivables is not None:
        for invoice in receivables.invoices:
            if invoice.customer_id in days and invoice.issued_on <= today:
                days[invoice.customer_id].append(invoice.issued_on)
    return days


def _figure(ids: list[str], churned: set[str]) -> ChurnFigure:
    base = tuple(sorted(ids))
    lost = tuple(i for i in base if i in churned)
    return ChurnFigure(base, lost, ratio(len(lost), len(base)))


def churn_rate(
    customers: Iterable[Customer],
    period: ReportPeriod | str,
    policy: ChurnPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    receivables: Receivables | None = None,
) -> ChurnReport:
    """客户流失率 of ``period`` under ``policy`` (see the module for the definitions).

    Examples:
        >>> from keyaccount import WorkCalendar, parse_as_of, Spend, Money, Tier
        >>> cal = WorkCalendar.china()
        >>> def bought(*days):
        ...     return tuple(Spend(parse_as_of(d, cal), Money(100)) for d in days)
        >>> book = [Customer("a", "甲", tier=Tier.KEY_ACCOUNT, spend=bought("2025-03-01")),
        ...         Customer("b", "乙", spend=bought("2025-06-01", "2026-02-01"))]
        >>> report = churn_rate(book, "2026Q1", DEFAULT_CHURN, cal,
        ...                     parse_as_of("2026-03-31", cal))
        >>> report.all.churned_ids, report.all.rate, report.key_accounts.rate
        (('a',), Decimal('0.5000'), Decimal('1.0000'))

    Args:
        customers: the customer files.
        period: the period (a label or a `ReportPeriod`).
        policy: the definition (`DEFAULT_CHURN`).
        calendar: the calendar whose zone gives local days.
        as_of: the instant the rate is computed at.
        receivables: a ledger whose invoices also count as purchases.

    Returns:
        The `ChurnReport`.

    Raises:
        InvalidPeriodError: ``period`` is not a period label.
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    asked = as_report_period(period)
    today = local_day(as_of, calendar)
    book = [c for c in customers if c.status is not CustomerStatus.PROSPECT]
    days = _purchases(book, receivables, calendar, today)
    start, end = asked.start, min(asked.end, today)
    base: list[str] = []
    churned: set[str] = set()
    for customer in book:
        bought = days[customer.id]
        if policy.definition is ChurnDefinition.NO_PURCHASE:
            opened = start - relativedelta(months=policy.months)
            if not any(opened <= d < start for d in bought):
                continue
            closed = end - relativedelta(months=policy.months)
            if not any(closed < d <= end for d in bought):
                churned.add(customer.id)
        else:
            if bought and min(bought) >= start:
                continue
            if customer.status is CustomerStatus.LOST:
                churned.add(customer.id)
        base.append(customer.id)
    tiers = {c.id for c in book if c.tier in policy.key_tiers}
    return ChurnReport(
        asked.label,
        today,
        policy,
        _figure(base, churned),
        _figure([i for i in base if i in tiers], churned),
    )
