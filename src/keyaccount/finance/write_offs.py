"""Who must approve a bad-debt write-off (坏账核销): `write_off_route`.

Writing a receivable off gives up money the company was owed, so it needs an authority
from the chart, found by `approval_route` like every other amount. The seeds name no
write-off right of their own: the closest is the right over how much a customer may owe
on credit, 规定范围内客户信用额审批权 (货款信用额度20000元, ``003_c0a09330c12f3f2e.txt``),
whose subject is ``customer-credit`` in the reference charts. A write-off is the loss of
such credit, so by default it is routed on that subject: in the sales-management chart
the 销售管理部经理 approves up to 20,000 CNY and the 营销总监 above. A company whose chart
holds a right of its own (e.g. ``bad-debt``) passes ``subject=``; the library adds no
such subject to the reference charts, since no seed states one.

Examples:
    >>> import datetime as dt
    >>> from keyaccount import reference
    >>> from keyaccount.money import Money
    >>> from keyaccount.finance.receivables import WriteOff
    >>> chart = reference.load("sales-management")
    >>> regional = chart.by_title("区域经理").id
    >>> small = WriteOff("W-1", "INV-9", Money(8000), dt.date(2026, 6, 30), regional)
    >>> write_off_route(chart, small).approver
    'sales-management-manager'
    >>> large = WriteOff("W-2", "INV-9", Money(30000), dt.date(2026, 6, 30), regional)
    >>> write_off_route(chart, large).approver
    'marketing-director'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from keyaccount.customers import CUSTOMER_CREDIT
from keyaccount.errors import InvalidArgumentTypeError
from keyaccount.finance.receivables import WriteOff
from keyaccount.money import Rates
from keyaccount.org import ApprovalRoute, Delegation, OrgChart, approval_route

__all__ = ["WRITE_OFF_SUBJECT", "write_off_route"]

#: The subject a write-off is routed on by default: customer credit (see the module).
WRITE_OFF_SUBJECT: Final = CUSTOMER_CREDIT


def write_off_route(
    chart: OrgChart,
    write_off: WriteOff,
    *,
    subject: str = WRITE_OFF_SUBJECT,
    delegations: Sequence[Delegation] = (),
    rates: Rates | None = None,
    as_of: dt.datetime | None = None,
) -> ApprovalRoute:
    """Who must approve ``write_off``: the route up from its requesting position.

    The requester never approves its own write-off; the first position above it whose
    approve or decide right on ``subject`` covers the amount does.

    Args:
        chart: the org chart.
        write_off: the write-off asked for (``requested_by`` is a position id).
        subject: the subject of the approving rights (`WRITE_OFF_SUBJECT`).
        delegations: delegations (授权) to take into account.
        rates: exchange rates for limits in another currency.
        as_of: the instant delegations are checked at.

    Returns:
        The `ApprovalRoute`; its ``explain()`` names every position passed.

    Raises:
        InvalidArgumentTypeError: ``write_off`` is not a `WriteOff`.
        UnknownPositionError: the requesting position is not in the chart.
        NoApproverError: nobody above may approve the amount.
    """
    if not isinstance(write_off, WriteOff):
        raise InvalidArgumentTypeError(
            f"write_off must be a WriteOff, got {type(write_off).__name__}"
        )
    return approval_route(
        chart,
        write_off.requested_by,
        subject,
        write_off.amount,
        delegations=delegations,
        rates=rates,
        as_of=as_of,
    )
