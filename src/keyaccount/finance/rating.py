"""Which credit rating (资信等级) does a customer's payment history earn: `credit_rating`.

The dealer CRM seed lists 客户信用调查、客户信用评估、客户资信等级划分、客户资信动态控制、
客户信用实施 among its duties (``004_4f02eb3a82d8f29a.txt``) and gives no thresholds; the
sales-management seed gives the one figure, a 货款信用额度 of 20,000 CNY the
销售管理部经理 approves (``003_c0a09330c12f3f2e.txt``). The rating here is dynamic
(动态控制): it is recomputed from the receivables ledger at ``as_of`` each time.

The history (`CreditHistory`) holds four facts, each with the ids behind it:

* **days overdue**: the most days overdue (延误天数) of the customer's open invoices;
* **write-offs**: bad debt written off (坏账核销) in the last ``lookback_months``;
* **relationship**: whole months from the first invoice to the ``as_of`` day;
* **volume**: what was invoiced in the last ``lookback_months``.

A `RatingPolicy` lists its rules (`RatingRule`) from the best rating to the worst; the customer
gets the first rating whose every condition holds, and the last rule holds for all.
The library's documented defaults (`DEFAULT_RATING`; an assumption, no seed states
them):

| rating | most days overdue | write-offs | months | volume (12 months) | limit |
|---|---|---|---|---|---|
| A 优 | 0 | none | 24 | 500,000 CNY | 200,000 CNY |
| B 良 | 30 | none | 12 | - | 100,000 CNY |
| C 中 | 60 | none | - | - | 20,000 CNY (the seed's 货款信用额度) |
| D 差 | - | - | - | - | 0 (款到发货, cash before delivery) |

and any open invoice more than 60 days overdue holds the customer's credit
(``hold_days_overdue``, see `keyaccount.finance.credit_check`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from keyaccount._fields import LabelledEnum, non_negative_money, optional_non_negative_money
from keyaccount.calendar import WorkCalendar
from keyaccount.errors import InvalidPolicyError
from keyaccount.finance._checks import expect
from keyaccount.finance.aging import local_day, open_items
from keyaccount.finance.receivables import Receivables
from keyaccount.money import Money

__all__ = [
    "DEFAULT_RATING",
    "CreditHistory",
    "CreditRating",
    "RatingPolicy",
    "RatingResult",
    "RatingRule",
    "credit_history",
    "credit_rating",
]


class CreditRating(LabelledEnum):
    """A credit rating (资信等级), from the best to the worst."""

    A = "A", "A级(优)"
    B = "B", "B级(良)"
    C = "C", "C级(中)"
    D = "D", "D级(差)"


def _count(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidPolicyError(f"{attribute.name} must be a whole number >= 0, got {value!r}")


def _optional_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _count(instance, attribute, value)


@attrs.frozen
class RatingRule:
    """What a customer needs for a rating, and the credit limit the rating gives.

    Attributes:
        rating: the rating (资信等级).
        limit: the credit limit (信用额度) it gives, zero or more.
        max_days_overdue: the most days any open invoice may be overdue; ``None``: any.
        min_months: the fewest whole months since the first invoice.
        min_volume: the least invoiced in the lookback window; ``None``: any.
        allows_write_offs: whether a write-off in the lookback window is allowed.
    """

    rating: CreditRating
    limit: Money = attrs.field(validator=non_negative_money)
    max_days_overdue: int | None = attrs.field(default=None, validator=_optional_count)
    min_months: int = attrs.field(default=0, validator=_count)
    min_volume: Money | None = attrs.field(default=None, validator=optional_non_negative_money)
    allows_write_offs: bool = True

    def misses(self, history: CreditHistory) -> tuple[str, ...]:
        """Each condition of the rule ``history`` fails, in words (empty: it holds)."""
        missed = []
        if self.max_days_overdue is not None and history.days_overdue > self.max_days_overdue:
            missed.append(f"{history.days_overdue} days overdue (at most {self.max_days_overdue})")
        if not self.allows_write_offs and history.write_off_ids:
            missed.append(f"written off {history.written_off} (none allowed)")
        if history.months < self.min_months:
            missed.append(f"{history.months} months of business (at least {self.min_months})")
        if self.min_volume is not None and history.volume.amount < self.min_volume.amount:
            missed.append(f"volume {history.volume} (at least {self.min_volume})")
        return tuple(missed)


def _rules(_instance: object, _attribute: object, value: tuple[RatingRule, ...]) -> None:
    if not value or not all(isinstance(rule, RatingRule) for rule in value):
        raise InvalidPolicyError("a rating policy needs at least one RatingRule")
    ratings = [rule.rating for rule in value]
    if len(set(ratings)) != len(ratings):
        raise InvalidPolicyError("a rating policy names a rating twice")
    last = value[-1]
    if (
        last.max_days_overdue is not None
        or last.min_months
        or last.min_volume is not None
        or not last.allows_write_offs
    ):
        raise InvalidPolicyError(
            f"the last rating rule ({last.rating.value}) must have no condition, "
            "so that every customer gets a rating"
        )
    currencies = {rule.limit.currency for rule in value}
    if len(currencies) > 1:
        raise InvalidPolicyError(f"rating limits are in several currencies: {sorted(currencies)}")


def _as_rules(value: Iterable[RatingRule]) -> tuple[RatingRule, ...]:
    return tuple(value)


def _default_rules() -> tuple[RatingRule, ...]:
    return (
        RatingRule(CreditRating.A, Money(200000), 0, 24, Money(500000), allows_write_offs=False),
        RatingRule(CreditRating.B, Money(100000), 30, 12, allows_write_offs=False),
        RatingRule(CreditRating.C, Money(20000), 60, allows_write_offs=False),
        RatingRule(CreditRating.D, Money(0)),
    )


@attrs.frozen
class RatingPolicy:
    """How a rating is earned and when credit is held (资信动态控制).

    Attributes:
        rules: the ratings from the best to the worst (`RatingRule`); the last has no
            condition. Default: the table of the module.
        hold_days_overdue: an open invoice more days overdue than this holds the
            customer whatever the limit (default 60: past the 31-60 aging bucket).
        lookback_months: the window, in months before the ``as_of`` day, that volume and
            write-offs are counted in (default 12).
    """

    rules: tuple[RatingRule, ...] = attrs.field(
        factory=_default_rules, converter=_as_rules, validator=_rules
    )
    hold_days_overdue: int = attrs.field(default=60, validator=_count)
    lookback_months: int = attrs.field(default=12, validator=_count)

    def rule(self, rating: CreditRating) -> RatingRule:
        """The rule of ``rating``.

        Raises:
            InvalidPolicyError: the policy has no such rating.
        """
        found = next((r for r in self.rules if r.rating is rating), None)
        if found is None:
            raise InvalidPolicyError(f"the rating policy has no rating {rating.value}")
        return found


#: The library's documented default rating policy (see the module's table).
DEFAULT_RATING: Final = RatingPolicy()


@attrs.frozen
class CreditHistory:
    """A customer's payment history at a day: the facts a rating is derived from.

    Attributes:
        customer_id: the customer.
        as_of_day: the day it is read at (the ``as_of`` local day).
        days_overdue: the most days overdue of its open invoices (0: none overdue).
        overdue_ids: the invoices overdue, most overdue first.
        written_off: what was written off in the lookback window.
        write_off_ids: those write-offs.
        first_invoice_id: its first invoice, if any; the relationship starts there.
        months: whole months from the first invoice's issue day to ``as_of_day``.
        volume: what was invoiced in the lookback window.
        volume_ids: those invoices.
    """

    customer_id: str
    as_of_day: dt.date
    days_overdue: int
    overdue_ids: tuple[str, ...]
    written_off: Money
    write_off_ids: tuple[str, ...]
    first_invoice_id: str | None
    months: int
    volume: Money
    volume_ids: tuple[str, ...]


def _whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def credit_history(
    customer_id: str,
    receivables: Receivables,
    policy: RatingPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> CreditHistory:
    """The customer's payment history at ``as_of``: what `credit_rating` reads.

    Only records dated on or before the ``as_of`` local day count. The lookback window
    holds the days after the same day ``lookback_months`` earlier, up to ``as_of``.

    Raises:
        NaiveDatetimeError: ``as_of`` has no time zone.
        InvalidArgumentTypeError: ``calendar`` is not a `WorkCalendar`.
    """
    expect(receivables, Receivables, "receivables")
    expect(policy, RatingPolicy, "policy")
    today = local_day(as_of, calendar)
    since = today - relativedelta(months=policy.lookback_months)
    items = [i for i in open_items(receivables, calendar, as_of) if i.customer_id == customer_id]
    overdue = sorted((i for i in items if i.days_overdue > 0), key=lambda i: -i.days_overdue)
    invoices = [
        i for i in receivables.invoices if i.customer_id == customer_id and i.issued_on <= today
    ]
    mine = {i.id for i in invoices}
    write_offs = [
        w for w in receivables.write_offs if w.invoice_id in mine and since < w.on <= today
    ]
    recent = [i for i in invoices if since < i.issued_on]
    first = min(invoices, key=lambda i: (i.issued_on, i.id), default=None)
    zero = Money.zero(receivables.currency)
    return CreditHistory(
        customer_id,
        today,
        overdue[0].days_overdue if overdue else 0,
        tuple(i.invoice_id for i in overdue),
        sum((receivables.in_currency(w.amount) for w in write_offs), zero),
        tuple(w.id for w in write_offs),
        None if first is None else first.id,
        0 if first is None else _whole_months(first.issued_on, today),
        sum((receivables.in_currency(i.amount) for i in recent), zero),
        tuple(i.id for i in recent),
    )


@attrs.frozen
class RatingResult:
    """The rating a payment history earns, and why not a better one.

    Attributes:
        history: the facts read.
        rating: the rating earned (资信等级).
        limit: the credit limit of that rating.
        missed: for each better rating, why it was not earned (``"A: 35 days overdue
            (at most 0)"``).
    """

    history: CreditHistory
    rating: CreditRating
    limit: Money
    missed: tuple[str, ...]

    def explain(self) -> str:
        """The rating, its limit and why no better one, in one line."""
        why = f" ({'; '.join(self.missed)})" if self.missed else ""
        return f"rating {self.rating.value} {self.rating.label}, limit {self.limit}{why}"


def credit_rating(
    customer_id: str,
    receivables: Receivables,
    policy: RatingPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> RatingResult:
    """The rating (资信等级) the customer's payment history earns at ``as_of``.

    The first rule of ``policy`` whose every condition holds gives the rating.

    Examples:
        >>> from keyaccount import WorkCalendar, parse_as_of
        >>> from keyaccount.finance import Invoice, PaymentTerms, Receivables
        >>> cal = WorkCalendar.china()
        >>> ledger = Receivables((Invoice("INV-1", "acme", Money(5000), dt.date(2026, 1, 5),
        ...     PaymentTerms(30), owner="wang"),))
        >>> result = credit_rating("acme", ledger, DEFAULT_RATING, cal,
        ...                        parse_as_of("2026-03-20", cal))
        >>> result.rating.value, str(result.limit), result.history.days_overdue
        ('C', '20000 CNY', 44)

    Args:
        customer_id: the customer.
        receivables: the ledger.
        policy: the rating rules (`DEFAULT_RATING`).
        calendar: the calendar whose zone gives the ``as_of`` local day.
        as_of: the instant the rating is made at.

    Returns:
        The `RatingResult`, with the history and the reasons behind it.

    Raises:
        NaiveDatetimeError: ``as_of`` has no time zone.
        InvalidArgumentTypeError: ``calendar`` is not a `WorkCalendar`.
    """
    history = credit_history(customer_id, receivables, policy, calendar, as_of)
    missed: list[str] = []
    for rule in policy.rules[:-1]:
        misses = rule.misses(history)
        if not misses:
            return RatingResult(history, rule.rating, rule.limit, tuple(missed))
        missed.append(f"{rule.rating.value}: {', '.join(misses)}")
    last = policy.rules[-1]  # it has no condition (the policy refuses one that has)
    return RatingResult(history, last.rating, last.limit, tuple(missed))
