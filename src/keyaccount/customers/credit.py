"""Who approves a customer's credit limit (客户信用额审批).

Customer credit above the requester's own limit goes up the org chart through
`approval_route`; within it, no approval is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from keyaccount._fields import is_money
from keyaccount.customers.model import Customer, Staff
from keyaccount.errors import FloatMoneyError, UnknownStaffError
from keyaccount.money import Money, Rates
from keyaccount.org import (
    APPROVING_KINDS,
    ApprovalRoute,
    Authority,
    Decision,
    Delegation,
    OrgChart,
    approval_route,
    can,
)

__all__ = ["CUSTOMER_CREDIT", "CreditApproval", "credit_approval"]

#: The subject of customer credit rights in the reference charts (客户信用额).
CUSTOMER_CREDIT: Final = "customer-credit"


@attrs.frozen
class CreditApproval:
    """Who approves a customer's credit limit (客户信用额审批).

    The requester never approves its own request: when the requester's own approve or
    decide right covers the amount, no approval is needed (``route`` and ``approver``
    are ``None``, ``own_authority`` names the right); otherwise ``route`` is the
    `ApprovalRoute` found by `approval_route`, and ``approver`` the position above the
    requester at its end.

    Attributes:
        customer_id: the customer.
        requested: the limit asked for.
        requester: the position asking.
        route: the approval route when the request goes up; ``None`` otherwise.
        reason: in words.
        own_authority: the requester's own right that covers the amount, when no
            approval is needed; ``None`` otherwise.
        requested_by: the staff id of the person asking, when known.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("approver", "needs_approval")

    customer_id: str
    requested: Money = attrs.field(validator=is_money)
    requester: str
    route: ApprovalRoute | None
    reason: str
    own_authority: Authority | None = None
    requested_by: str | None = None

    @property
    def approver(self) -> str | None:
        """The position that must approve (the route's approver); ``None`` when none must."""
        return None if self.route is None else self.route.approver

    @property
    def needs_approval(self) -> bool:
        """Whether someone above the requester must approve."""
        return self.route is not None

    def explain(self) -> str:
        """The reason, then the route's step-by-step explanation when the request goes up."""
        if self.route is None:
            return self.reason
        return f"{self.reason}\n{self.route.explain()}"


@attrs.frozen
class _Requester:
    """Who asks for the credit: a position, and the person holding it when known."""

    position: str
    staff_id: str | None


def _requesting(
    customer: Customer, requester: Staff | str | None, staff: Iterable[Staff]
) -> _Requester:
    """The requesting position and person: named, or else the customer's owner."""
    if isinstance(requester, Staff):
        return _Requester(requester.position, requester.id)
    if requester is not None:
        return _Requester(requester, None)
    if customer.owner is None:
        raise UnknownStaffError(
            f"customer {customer.id} has no owner; name the requester of the credit limit"
        )
    owner = next((s for s in staff if s.id == customer.owner), None)
    if owner is None:
        raise UnknownStaffError(
            f"the owner {customer.owner} of customer {customer.id} is not among the staff "
            "given; pass staff=[...] holding them, or name the requester"
        )
    return _Requester(owner.position, owner.id)


def credit_approval(
    chart: OrgChart,
    customer: Customer,
    requested_limit: Money,
    requester: Staff | str | None = None,
    *,
    staff: Iterable[Staff] = (),
    subject: str = CUSTOMER_CREDIT,
    as_of: dt.datetime | None = None,
    delegations: Sequence[Delegation] = (),
    rates: Rates | None = None,
) -> CreditApproval:
    """Who approves ``requested_limit`` of credit for ``customer``.

    Customer credit above the owner's limit goes up the chart. The request is made by
    a position: ``requester`` as a `Staff` member (their position asks), as a
    position id, or, when omitted, the customer's owner, looked up by staff id in
    ``staff`` (their position asks).

    The requester never approves its own request. When the requesting position's own
    approve or decide right on ``subject`` covers the amount (the seed's 销售管理部经理
    up to 20,000 CNY, ``003_…``), no approval is needed and the result says so with
    ``approver`` ``None``; above it, `approval_route` finds the approver above the
    requester (it considers approve and decide rights).

    Examples:
        >>> from keyaccount import reference
        >>> chart = reference.load("sales-management")
        >>> customer = Customer("c1", "某某商贸有限公司", owner="wu")
        >>> manager = Staff("wu", "吴", "sales-management-manager")
        >>> credit_approval(chart, customer, Money(30000), staff=[manager]).approver
        'marketing-director'
        >>> within = credit_approval(chart, customer, Money(20000), manager)
        >>> within.approver is None, within.reason.split(" (")[0]
        (True, "no approval needed: within 销售管理部经理's own authority")

    Args:
        chart: the org chart the requester and the approvers are in.
        customer: the customer the credit is for.
        requested_limit: the credit limit asked for.
        requester: who asks: a person, a position id, or ``None`` for the customer's
            owner.
        staff: the people among whom the customer's owner is looked up.
        subject: the subject of the credit rights (`CUSTOMER_CREDIT`).
        as_of: the instant delegations are checked at.
        delegations: delegations of approving rights to consider.
        rates: exchange rates, when the limit and the rights are in other currencies.

    Returns:
        The `CreditApproval`, with its reason in words.

    Raises:
        FloatMoneyError: ``requested_limit`` is not `Money`.
        NoApproverError: nobody above may approve the amount.
        UnknownPositionError: the requesting position is not in the chart.
        UnknownStaffError: no requester was named and the customer's owner is missing
            or not in ``staff``.
    """
    asking = _requesting(customer, requester, staff)
    if not isinstance(requested_limit, Money):
        raise FloatMoneyError(
            f"requested_limit must be Money, got {type(requested_limit).__name__} "
            f"{requested_limit!r}"
        )
    refusals: list[Decision] = []
    for kind in APPROVING_KINDS:
        own = can(
            chart,
            asking.position,
            kind,
            subject,
            amount=requested_limit,
            as_of=as_of,
            delegations=delegations,
            rates=rates,
        )
        if own:
            right = own.authority
            label = right.title() if right is not None else own.reason
            title = chart.position(asking.position).title
            return CreditApproval(
                customer.id,
                requested_limit,
                asking.position,
                None,
                f"no approval needed: within {title}'s own authority ({label})",
                right,
                asking.staff_id,
            )
        refusals.append(own)
    # the refusal of a right the requester holds says most (its limit); else the first
    closest = next((d for d in refusals if d.authority is not None), refusals[0])
    route = approval_route(
        chart,
        asking.position,
        subject,
        requested_limit,
        as_of=as_of,
        delegations=delegations,
        rates=rates,
    )
    return CreditApproval(
        customer.id,
        requested_limit,
        asking.position,
        route,
        f"above the requester's own authority ({closest.reason}); goes up to {route.approver}",
        None,
        asking.staff_id,
    )
