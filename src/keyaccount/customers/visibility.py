"""Who may see a customer: unclosed prospects are confidential (报备未成交的客户信息绝对保密).

Visibility is about a person, not a position: two sales representatives share a
position, and neither may see the other's prospects, so the viewer is a `Staff` member.
"""

from __future__ import annotations

from keyaccount.customers.model import Customer, RedactedCustomer, Staff
from keyaccount.errors import UnknownPositionError
from keyaccount.org import OrgChart

__all__ = ["can_view", "redact"]


def can_view(chart: OrgChart, viewer: Staff, customer: Customer) -> bool:
    """Whether ``viewer`` may see ``customer``'s details.

    The seed (``001_…``) makes unclosed prospects strictly confidential (报备未成交的
    客户信息绝对保密). Such a record is visible only to

    * the person who holds the registration (``registered_by``) and the positions above
      that person's position (``registered_position``), and
    * its current ``owner`` (after a hand-over, `apply_assignments` also moves the
      registration to the new owner, so the new owner's chain sees it too),

    and only while the viewer is active: a person who has left (``Staff.active`` false)
    sees nothing confidential. Every other record is visible.

    It takes the viewer as `Staff`, not a bare position id, because the rule is
    about a person: two sales representatives hold the same position, and neither may
    see the other's prospects. A position id alone could not tell them apart.

    A confidential prospect whose registrant is not recorded is visible to its owner
    only (fail closed).

    Args:
        chart: the org chart the registrant's and the viewer's positions are in.
        viewer: the person the record would be shown to.
        customer: the record.

    Returns:
        Whether the viewer may see every field of the record.

    Raises:
        UnknownPositionError: the registrant's position is not in ``chart`` (the
            message names the customer id, not the position).
    """
    if not customer.is_hidden_prospect:
        return True
    if not viewer.active:
        return False
    if viewer.id in (customer.registered_by, customer.owner):
        return True
    if customer.registered_position is None:
        return False
    try:
        return chart.is_above(viewer.position, customer.registered_position)
    except UnknownPositionError:
        # The message must not name the registrant's position to an outside viewer.
        raise UnknownPositionError(
            f"customer {customer.id}: the registrant's recorded position is not in the "
            f"chart {chart.name!r}"
        ) from None


def redact(chart: OrgChart, viewer: Staff, customer: Customer) -> Customer | RedactedCustomer:
    """``customer`` itself when ``viewer`` may see it (`can_view`), else a `RedactedCustomer`.

    Takes its arguments in the order of `can_view`. Never mutates ``customer``.

    Args:
        chart: the org chart the registrant's and the viewer's positions are in.
        viewer: the person the record is shown to.
        customer: the record.

    Returns:
        The record itself, or the redacted copy holding only what is not confidential.

    Raises:
        UnknownPositionError: the registrant's position is not in ``chart``.
    """
    if can_view(chart, viewer, customer):
        return customer
    return RedactedCustomer(
        customer.id, customer.kind, customer.tier, customer.status, customer.registered_at
    )
