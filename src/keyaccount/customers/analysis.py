"""Which customers matter most: the ABC analysis (客户ABC分析表) and frequent customers.

Both are monthly reports of the seeds (``003_…`` ABC analysis; ``000_…`` 常来顾客专属档案
from the booking records).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs

from keyaccount._fields import LabelledEnum, exact_fraction, is_money
from keyaccount.calendar import DateRange
from keyaccount.customers.identity import Phone, normalise_phone
from keyaccount.customers.model import Customer, Staff
from keyaccount.customers.visibility import can_view
from keyaccount.errors import InexactNumberError, InvalidAmountError, MissingChartError
from keyaccount.money import Money
from keyaccount.org import OrgChart

__all__ = [
    "AbcClass",
    "AbcRow",
    "Booking",
    "FrequentCustomer",
    "abc_classes",
    "frequent_customers",
]


class AbcClass(LabelledEnum):
    """A class of the customer ABC analysis (客户ABC分析表, ``003_…``).

    ``label`` is the table's word: ``A类客户`` ...
    """

    A = "A", "A类客户"
    B = "B", "B类客户"
    C = "C", "C类客户"


def _to_share(value: Fraction | Decimal | int | str, what: str) -> Fraction:
    """``value`` as an exact share in (0, 1]."""
    if isinstance(value, float) or not isinstance(value, Fraction | Decimal | int | str):
        raise InexactNumberError(
            f"{what} must be a Fraction, Decimal, int or string, got {type(value).__name__}"
        )
    try:
        share = Fraction(value)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise InvalidAmountError(f"{what} must be a share in (0, 1], got {value!r}") from None
    if not 0 < share <= 1:
        raise InvalidAmountError(f"{what} must be a share in (0, 1], got {share}")
    return share


@attrs.frozen
class AbcRow:
    """One row of the customer ABC analysis table (客户ABC分析表).

    Attributes:
        rank: 1 for the customer with the most revenue.
        customer_id: the customer.
        revenue: its revenue.
        share: its share of the total, exactly.
        cumulative: the cumulative share up to and including it.
        abc: its class.
    """

    rank: int
    customer_id: str
    revenue: Money = attrs.field(validator=is_money)
    share: Fraction = attrs.field(validator=exact_fraction)
    cumulative: Fraction = attrs.field(validator=exact_fraction)
    abc: AbcClass


def abc_classes(
    revenue_by_customer: Mapping[str, Money],
    *,
    a: Fraction | Decimal | int | str = Fraction(80, 100),
    b: Fraction | Decimal | int | str = Fraction(95, 100),
) -> tuple[AbcRow, ...]:
    """The ABC analysis of customers by cumulative share of revenue (``003_…``, monthly).

    Customers are ranked by revenue, highest first, ties by customer id. A customer is
    class A while the customers ranked before it hold less than ``a`` of the total (so
    the A class always reaches ``a``), B while they hold less than ``b``, else C. With
    no revenue at all every customer is C.

    Examples:
        >>> rows = abc_classes({"x": Money(70), "y": Money(20), "z": Money(6), "w": Money(4)})
        >>> tuple((r.customer_id, r.abc.value) for r in rows)
        (('x', 'A'), ('y', 'A'), ('z', 'B'), ('w', 'C'))

    Args:
        revenue_by_customer: each customer's revenue in the period.
        a: the A threshold as a share (default 80%).
        b: the B threshold (default 95%); ``a <= b``.

    Returns:
        One `AbcRow` per customer, by rank.

    Raises:
        InexactNumberError: a threshold is a float (or not a number at all).
        InvalidAmountError: a threshold outside (0, 1], ``a > b``, or a negative revenue.
        CurrencyMismatchError: revenues in different currencies.
    """
    share_a, share_b = _to_share(a, "a"), _to_share(b, "b")
    if share_a > share_b:
        raise InvalidAmountError(f"the A threshold {share_a} is above the B threshold {share_b}")
    items = sorted(revenue_by_customer.items(), key=lambda kv: (-kv[1].amount, kv[0]))
    for customer_id, revenue in items:
        if revenue.amount < 0:
            raise InvalidAmountError(f"revenue of {customer_id} is negative: {revenue}")
    if not items:
        return ()
    total = sum((r for _, r in items[1:]), items[0][1])
    rows: list[AbcRow] = []
    before = Fraction(0)
    for rank, (customer_id, revenue) in enumerate(items, start=1):
        share = Fraction(revenue.amount) / Fraction(total.amount) if total.amount else Fraction(0)
        if not total.amount:
            abc = AbcClass.C
        elif before < share_a:
            abc = AbcClass.A
        elif before < share_b:
            abc = AbcClass.B
        else:
            abc = AbcClass.C
        before += share
        rows.append(AbcRow(rank, customer_id, revenue, share, before, abc))
    return tuple(rows)


@attrs.frozen
class FrequentCustomer:
    """A phone number that recurs often: the seed's 常来顾客专属档案 (``000_…``).

    Attributes:
        phone: the normalised number.
        visits: how often it appears in the period (消费频率).
        spend: the total spent (消费金额).
        customer_id: the customer whose contacts hold the number, if known to the
            viewer (never a confidential prospect the viewer may not see).
        name: the name given on the latest booking.
    """

    phone: str
    visits: int
    spend: Money = attrs.field(validator=is_money)
    customer_id: str | None
    name: str


@attrs.frozen
class Booking:
    """A booking or consumption record (订厢记录) keyed by the guest's phone.

    The phone is normalised on creation, so spellings of one number count together.

    Attributes:
        phone: the guest's phone number.
        on: the day of the booking.
        spend: what was spent (消费金额), zero when not known.
        name: the name the guest gave, if any.
        kind: the spend type (消费类型), e.g. ``包厢``.
    """

    phone: Phone = attrs.field(converter=normalise_phone)
    on: dt.date
    spend: Money = attrs.field(factory=Money.zero, validator=is_money)
    name: str = ""
    kind: str = ""


def frequent_customers(
    bookings: Iterable[Booking],
    period: DateRange,
    *,
    min_visits: int = 3,
    customers: Iterable[Customer] = (),
    chart: OrgChart | None = None,
    viewer: Staff | None = None,
) -> tuple[FrequentCustomer, ...]:
    """The phone numbers that recur at least ``min_visits`` times in ``period``.

    The seed sorts the booking records by phone and picks the numbers that recur most
    (对于重复出现次数较多的客户,挑选出来,建立常来顾客专属档案,并注明消费频率及消费金额情况).

    Linking a number to a customer file tells the reader whose number it is. A
    confidential prospect (报备未成交的客户信息绝对保密) is linked only for a ``viewer``
    who may see it (`can_view` on ``chart``); without a viewer no prospect is linked,
    as if the number belonged to no known customer.

    Args:
        bookings: the booking records.
        period: the days counted, both ends included.
        min_visits: how often a number must recur.
        customers: the customer files, to name the customer a number belongs to (the
            lowest customer id holding it among those the viewer may see).
        chart: the org chart visibility is decided on; needed with ``viewer``.
        viewer: the person the result is shown to.

    Returns:
        The frequent numbers, by visits, then spend (highest first), then phone.

    Raises:
        InvalidAmountError: ``min_visits`` is below 1.
        CurrencyMismatchError: one number's bookings are in different currencies.
        MissingChartError: a ``viewer`` was given without the ``chart``.
        UnknownPositionError: a prospect's registrant position is not in ``chart``.
    """
    if min_visits < 1:
        raise InvalidAmountError(f"min_visits must be at least 1, got {min_visits}")
    if viewer is not None and chart is None:
        raise MissingChartError("frequent_customers: a viewer needs the org chart (chart=...)")
    owners: dict[str, str] = {}
    for customer in sorted(customers, key=lambda c: c.id):
        if customer.is_hidden_prospect and (
            viewer is None or chart is None or not can_view(chart, viewer, customer)
        ):
            continue
        for phone in customer.phones:
            owners.setdefault(phone, customer.id)
    counts: Counter[str] = Counter()
    spend: dict[str, Money] = {}
    named: dict[str, Booking] = {}  # the latest booking of each number that gives a name
    for booking in bookings:
        if booking.on not in period:
            continue
        phone = booking.phone
        counts[phone] += 1
        spend[phone] = spend[phone] + booking.spend if phone in spend else booking.spend
        if booking.name and (phone not in named or booking.on >= named[phone].on):
            named[phone] = booking
    rows = [
        FrequentCustomer(
            phone,
            n,
            spend[phone],
            owners.get(phone),
            named[phone].name if phone in named else "",
        )
        for phone, n in counts.items()
        if n >= min_visits
    ]
    return tuple(sorted(rows, key=lambda r: (-r.visits, -r.spend.amount, r.phone)))
