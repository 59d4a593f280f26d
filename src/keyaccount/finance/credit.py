"""May this order go out on credit: `credit_check` (资信动态控制, 客户信用实施).

The dealer CRM seed asks for 客户资信动态控制 and 客户信用实施 (``004_4f02eb3a82d8f29a.txt``);
the sales-management manager holds 规定范围内客户信用额审批权 (货款信用额度20000元,
``003_c0a09330c12f3f2e.txt``). The check for a new order:

1. **Exposure** (信用占用) = the customer's outstanding receivables (`open_items`) + its
   open orders (accepted, not yet invoiced) + the new order, all in the ledger's
   currency. Unapplied payments are not netted against it.
2. **Hold**: any open invoice more than the policy's ``hold_days_overdue`` days overdue
   holds the customer (信用冻结), whatever the limit.
3. **Limit**: the limit of the rating the payment history earns (`credit_rating`), or
   the customer's approved ``credit_limit`` when it is lower (a rating that worsens
   lowers the limit at once; a better rating never raises an approved limit without
   approval).
4. Within the limit the order passes; above it, the exposure goes up the chart through
   `credit_approval` (`approval_route` on the customer-credit subject): the requester's
   own right may cover it (the 销售管理部经理 up to 20,000 CNY), else the route names the
   approver above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from keyaccount._fields import LabelledEnum, non_negative_money, text
from keyaccount.calendar import WorkCalendar
from keyaccount.customers import CUSTOMER_CREDIT, CreditApproval, Customer, Staff, credit_approval
from keyaccount.errors import CustomerMismatchError, InvalidArgumentTypeError, NotADateError
from keyaccount.finance.aging import open_items
from keyaccount.finance.rating import RatingPolicy, RatingResult, credit_rating
from keyaccount.finance.receivables import Receivables
from keyaccount.money import Money
from keyaccount.org import Delegation, OrgChart

__all__ = ["CreditCheck", "CreditDecision", "OpenOrder", "credit_check"]


def _an_optional_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
        raise NotADateError(f"{attribute.name} must be a date, got {type(value).__name__}")


@attrs.frozen
class OpenOrder:
    """An order accepted from a customer and not yet invoiced (在途订单): it uses credit.

    Attributes:
        id: the order number.
        customer_id: the customer who ordered.
        amount: the order's value, zero or more.
        placed_on: the day it was placed, if recorded.

    Raises:
        InvalidTextError: a blank id or customer id.
        FloatMoneyError / InvalidAmountError: ``amount`` is not non-negative `Money`.
    """

    id: str = attrs.field(validator=text)
    customer_id: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    placed_on: dt.date | None = attrs.field(default=None, validator=_an_optional_date)


class CreditDecision(LabelledEnum):
    """What the credit check decides for an order."""

    WITHIN_LIMIT = "within-limit", "额度内通过"
    OWN_AUTHORITY = "own-authority", "权限内审批"
    NEEDS_APPROVAL = "needs-approval", "需上级审批"
    HOLD = "hold", "信用冻结"


@attrs.frozen
class CreditCheck:
    """The answer of `credit_check`: the decision and every figure behind it.

    Attributes:
        customer_id: the customer.
        order_id: the new order.
        decision: within the limit, within the requester's own authority, needs an
            approver above, or held.
        rating: the rating the payment history earns, with that history.
        limit: the limit applied: the rating's, or the approved one when lower.
        approved_limit: the customer's approved ``credit_limit`` in the ledger's
            currency, if on file.
        outstanding: the customer's open receivables.
        outstanding_ids: the invoices behind ``outstanding``.
        open_orders: the customer's other open orders.
        open_order_ids: the orders behind ``open_orders``.
        order: the new order's amount.
        hold_ids: the invoices overdue beyond the policy's days (non-empty: held).
        hold_days_overdue: the policy's days.
        approval: who approves the exposure above the limit; ``None`` within the limit
            or on hold.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("exposure", "over_limit", "passes", "held", "approver")

    customer_id: str
    order_id: str
    decision: CreditDecision
    rating: RatingResult
    limit: Money
    approved_limit: Money | None
    outstanding: Money
    outstanding_ids: tuple[str, ...]
    open_orders: Money
    open_order_ids: tuple[str, ...]
    order: Money
    hold_ids: tuple[str, ...]
    hold_days_overdue: int
    approval: CreditApproval | None

    @property
    def exposure(self) -> Money:
        """Outstanding receivables + open orders + the new order (信用占用)."""
        return self.outstanding + self.open_orders + self.order

    @property
    def over_limit(self) -> Money:
        """How far the exposure is above the limit; zero within it."""
        over = self.exposure - self.limit
        return over if over.amount > 0 else Money.zero(self.limit.currency)

    @property
    def passes(self) -> bool:
        """Whether the order may go out without anyone else's approval."""
        return self.decision in (CreditDecision.WITHIN_LIMIT, CreditDecision.OWN_AUTHORITY)

    @property
    def held(self) -> bool:
        """Whether the customer's credit is held (信用冻结)."""
        return self.decision is CreditDecision.HOLD

    @property
    def approver(self) -> str | None:
        """The position that must approve, if one above the requester must."""
        return None if self.approval is None else self.approval.approver

    def explain(self) -> str:
        """The decision, then every figure and where it comes from."""
        lines = [f"order {self.order_id} of {self.customer_id}: {self._verdict()}"]
        outstanding = ", ".join(self.outstanding_ids) or "none"
        orders = ", ".join(self.open_order_ids) or "none"
        lines.append(f"  outstanding receivables {self.outstanding} (invoices {outstanding})")
        lines.append(f"  open orders {self.open_orders} (orders {orders})")
        lines.append(f"  new order {self.order}")
        lines.append(f"  exposure {self.exposure}")
        approved = "" if self.approved_limit is None else f"; approved limit {self.approved_limit}"
        lines.append(f"  limit {self.limit}: {self.rating.explain()}{approved}")
        if self.approval is not None:
            lines.extend(f"  {line}" for line in self.approval.explain().splitlines())
        return "\n".join(lines)

    def _verdict(self) -> str:
        label = f"{self.decision.value} ({self.decision.label})"
        if self.decision is CreditDecision.HOLD:
            ids = ", ".join(self.hold_ids)
            return f"{label}: invoices {ids} more than {self.hold_days_overdue} days overdue"
        if self.decision is CreditDecision.WITHIN_LIMIT:
            return f"{label}: exposure {self.exposure} within limit {self.limit}"
        return f"{label}: exposure {self.exposure} over limit {self.limit} by {self.over_limit}"


def _checked(
    customer: object, receivables: object, order: object, policy: object, calendar: object
) -> None:
    for name, value, cls in (
        ("customer", customer, Customer),
        ("receivables", receivables, Receivables),
        ("order", order, OpenOrder),
        ("policy", policy, RatingPolicy),
        ("calendar", calendar, WorkCalendar),
    ):
        if not isinstance(value, cls):
            raise InvalidArgumentTypeError(
                f"{name} must be a {cls.__name__}, got {type(value).__name__}"
            )


def _orders(open_orders: object) -> tuple[OpenOrder, ...]:
    """The open orders as a tuple; anything but an iterable of `OpenOrder` refused."""
    if isinstance(open_orders, str | bytes) or not isinstance(open_orders, Iterable):
        raise InvalidArgumentTypeError(
            f"open_orders must be an iterable of OpenOrder, got {type(open_orders).__name__}"
        )
    orders = tuple(open_orders)
    for item in orders:
        if not isinstance(item, OpenOrder):
            raise InvalidArgumentTypeError(
                f"open_orders must hold OpenOrder records, got {type(item).__name__}"
            )
    return orders


def credit_check(
    customer: Customer,
    receivables: Receivables,
    open_orders: Iterable[OpenOrder],
    order: OpenOrder,
    policy: RatingPolicy,
    chart: OrgChart,
    calendar: WorkCalendar,
    *,
    as_of: dt.datetime,
    requester: Staff | str | None = None,
    staff: Iterable[Staff] = (),
    delegations: Sequence[Delegation] = (),
    subject: str = CUSTOMER_CREDIT,
) -> CreditCheck:
    """Whether ``order`` may go out on credit for ``customer`` (资信动态控制).

    See the module for the rule. Open orders of other customers, and one with the new
    order's id, are not counted. The approval, when the exposure is above the limit,
    is asked of the chart for the whole exposure, by ``requester`` (a person, a
    position id, or the customer's owner looked up in ``staff``).

    Examples:
        >>> from keyaccount import WorkCalendar, parse_as_of, reference
        >>> from keyaccount.finance import DEFAULT_RATING, Invoice, PaymentTerms, Receivables
        >>> cal = WorkCalendar.china()
        >>> chart = reference.load("sales-management")
        >>> acme = Customer("acme", "某某商贸有限公司", owner="li")
        >>> ledger = Receivables((Invoice("INV-1", "acme", Money(15000), dt.date(2026, 3, 2),
        ...     PaymentTerms(30), owner="li"),))
        >>> check = credit_check(acme, ledger, (), OpenOrder("SO-9", "acme", Money(10000)),
        ...     DEFAULT_RATING, chart, cal, as_of=parse_as_of("2026-03-20", cal),
        ...     requester="regional-manager")
        >>> check.decision.value, str(check.exposure), check.approver
        ('needs-approval', '25000 CNY', 'marketing-director')

    Args:
        customer: the customer (its approved ``credit_limit`` is used when lower).
        receivables: the ledger the outstanding invoices and the history come from.
        open_orders: orders accepted and not yet invoiced.
        order: the new order.
        policy: the rating policy (`DEFAULT_RATING`).
        chart: the org chart the approval goes up.
        calendar: the calendar whose zone gives the ``as_of`` local day.
        as_of: the instant the check is made at.
        requester: who asks for the credit: a person, a position id, or ``None`` for
            the customer's owner (looked up in ``staff``).
        staff: the people the owner is looked up among.
        delegations: delegations of approving rights to consider.
        subject: the subject of the credit rights (``customer-credit``).

    Returns:
        The `CreditCheck`, with its explanation.

    Raises:
        CustomerMismatchError: the order is another customer's.
        CurrencyMismatchError: an order or limit in another currency and the ledger has
            no rates.
        NoApproverError: the exposure is above every limit on the way up.
        UnknownStaffError: approval is needed, no requester was named and the owner is
            not among ``staff``.
        InvalidArgumentTypeError: an argument of the wrong type.
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    _checked(customer, receivables, order, policy, calendar)
    orders = _orders(open_orders)
    if order.customer_id != customer.id:
        raise CustomerMismatchError(
            f"order {order.id} is customer {order.customer_id}'s, not {customer.id}'s"
        )
    rating = credit_rating(customer.id, receivables, policy, calendar, as_of)
    items = [i for i in open_items(receivables, calendar, as_of) if i.customer_id == customer.id]
    zero = Money.zero(receivables.currency)
    outstanding = sum((i.outstanding for i in items), zero)
    others = [o for o in orders if o.customer_id == customer.id and o.id != order.id]
    pending = sum((receivables.in_currency(o.amount, f"order {o.id}") for o in others), zero)
    amount = receivables.in_currency(order.amount, f"order {order.id}")
    approved = (
        None
        if customer.credit_limit is None
        else receivables.in_currency(customer.credit_limit, f"credit limit of {customer.id}")
    )
    limit = receivables.in_currency(rating.limit, "the rating's limit")
    if approved is not None and approved < limit:
        limit = approved
    held = tuple(i.invoice_id for i in items if i.days_overdue > policy.hold_days_overdue)
    exposure = outstanding + pending + amount
    approval = None
    if held:
        decision = CreditDecision.HOLD
    elif exposure <= limit:
        decision = CreditDecision.WITHIN_LIMIT
    else:
        approval = credit_approval(
            chart,
            customer,
            exposure,
            requester,
            staff=staff,
            subject=subject,
            as_of=as_of,
            delegations=delegations,
            rates=receivables.rates,
        )
        needs = approval.needs_approval
        decision = CreditDecision.NEEDS_APPROVAL if needs else CreditDecision.OWN_AUTHORITY
    return CreditCheck(
        customer.id,
        order.id,
        decision,
        rating,
        limit,
        approved,
        outstanding,
        tuple(i.invoice_id for i in items),
        pending,
        tuple(o.id for o in others),
        amount,
        held,
        policy.hold_days_overdue,
        approval,
    )
