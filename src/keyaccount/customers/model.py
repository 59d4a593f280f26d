"""What a customer file holds: the people, the customer record and its redacted view.

The seeds' customer file (客户档案, ``000_…`` 客户管理工作细则): name, phone, birthday,
spend, spend type, membership card class, main opinions; the tiers key account (大客户),
group (集团客户), VIP and member card holders, ordinary customers (普通顾客).

Ownership is by person, not position: a `Staff` member holds a position, and a
customer's ``owner`` and ``registered_by`` are staff ids.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pendulum

from keyaccount._fields import (
    LabelledEnum,
    instant,
    non_negative_money,
    optional_instant,
    optional_non_negative_money,
)
from keyaccount.customers.identity import Phone, normalise_phone
from keyaccount.errors import InvalidAmountError
from keyaccount.money import Money, to_decimal

__all__ = [
    "Contact",
    "Customer",
    "CustomerKind",
    "CustomerStatus",
    "RedactedCustomer",
    "Spend",
    "Staff",
    "Tier",
]


class CustomerKind(LabelledEnum):
    """What kind of party the customer is (``label``: e.g. ``企业客户``)."""

    ENTERPRISE = "enterprise", "企业客户"
    GOVERNMENT = "government", "政府机构客户"
    INDIVIDUAL = "individual", "个人客户"


class Tier(LabelledEnum):
    """A customer's tier, from the most to the least served (``label``: e.g. ``大客户``).

    The seeds name key accounts (大客户), group customers (集团客户, ``002_…``), VIP card
    holders (VIP卡), other member card holders (至尊卡 / 欢唱卡: 会员客户, ``000_…``) and
    ordinary customers (普通顾客). ``is_member`` marks the tiers the seed's "100% of
    member customers get a return visit" (必须保证会员客户的100%的回访) speaks of.
    """

    KEY_ACCOUNT = "key-account", "大客户"
    GROUP = "group", "集团客户"
    VIP = "vip", "VIP卡客户"
    MEMBER = "member", "会员客户"
    ORDINARY = "ordinary", "普通顾客"

    @property
    def is_member(self) -> bool:
        """Whether the tier holds a membership card (VIP or member)."""
        return self in (Tier.VIP, Tier.MEMBER)


class CustomerStatus(LabelledEnum):
    """Where a customer stands: a registered prospect, an active customer, or lost.

    ``label`` is the Chinese name, e.g. ``准客户(报备未成交)`` for a registered prospect
    not yet closed.
    """

    PROSPECT = "prospect", "准客户(报备未成交)"
    ACTIVE = "active", "成交客户"
    LOST = "lost", "流失客户"


def _positive_ability(value: Decimal | int | str) -> Decimal:
    """attrs converter: a positive `Decimal` weight (a float is a `FloatMoneyError`)."""
    ability = to_decimal(value, "ability")
    if ability <= 0:
        raise InvalidAmountError(f"ability must be a positive weight, got {ability}")
    return ability


@attrs.frozen
class Staff:
    """A person in the department: ownership and visibility are by person.

    Attributes:
        id: stable identifier of the person.
        name: the person's name.
        position: the id of the position the person holds in the org chart.
        ability: a positive weight for assignment (1 = an average specialist; 2 takes
            twice the customers); the seed's 兼顾业务能力.
        active: false once the person has left (离职).
    """

    id: str
    name: str
    position: str
    ability: Decimal = attrs.field(default=Decimal(1), converter=_positive_ability)
    active: bool = True


@attrs.frozen
class Contact:
    """A contact person and phone number; the number is normalised on creation."""

    phone: Phone = attrs.field(converter=normalise_phone)
    name: str = ""
    role: str = ""


@attrs.frozen
class Spend:
    """One consumption (消费) of a customer: a service that calls for a return visit.

    Attributes:
        at: when it happened.
        amount: the amount spent (消费金额): zero (a free service, which still calls
            for a return visit) or more; a refund is not a spend.
        kind: the spend type (消费类型), e.g. ``包厢`` or ``维修``.
    """

    at: pendulum.DateTime = attrs.field(converter=instant)
    amount: Money = attrs.field(validator=non_negative_money)
    kind: str = ""


@attrs.frozen
class Customer:
    """A customer file (客户档案).

    Attributes:
        id: stable identifier.
        name: the customer's name (a company or a person).
        kind: enterprise, government or individual.
        tier: key account, group, VIP, member or ordinary (with the seed's labels).
        status: prospect (报备未成交), active or lost.
        owner: the staff id of the person who owns the customer; every active customer
            must have one (see `unowned`).
        contacts: phone numbers (normalised) and contact people.
        birthday: filed by month for birthday greetings (生日按月份分类).
        card: the membership card held, as the seed names it (``至尊卡`` ...).
        spend: consumption records (消费金额, 消费类型).
        opinions: the customer's main opinions (主要意见).
        credit_rating: the credit rating (资信等级), e.g. ``AA``.
        credit_limit: the approved credit limit (信用额度): zero (no credit, cash only) or
            more; a negative limit raises `InvalidAmountError`.
        assigned_at: when the current owner was assigned (starts the one-week
            first-contact deadline).
        registered_by: the staff id of the person who holds the prospect's registration
            (报备): its registrant, or whoever took the prospect over
            (`apply_assignments` moves the registration with the customer).
        registered_position: that person's position id.
        registered_at: when the prospect was registered.
        confidential: whether an unclosed prospect's details are confidential (the
            seed's default: 绝对保密). Only prospects are ever hidden.
    """

    id: str
    name: str
    kind: CustomerKind = CustomerKind.ENTERPRISE
    tier: Tier = Tier.ORDINARY
    status: CustomerStatus = CustomerStatus.ACTIVE
    owner: str | None = None
    contacts: tuple[Contact, ...] = ()
    birthday: dt.date | None = None
    card: str = ""
    spend: tuple[Spend, ...] = ()
    opinions: tuple[str, ...] = ()
    credit_rating: str | None = None
    credit_limit: Money | None = attrs.field(default=None, validator=optional_non_negative_money)
    assigned_at: pendulum.DateTime | None = attrs.field(default=None, converter=optional_instant)
    registered_by: str | None = None
    registered_position: str | None = None
    registered_at: pendulum.DateTime | None = attrs.field(default=None, converter=optional_instant)
    confidential: bool = True

    @property
    def phones(self) -> tuple[str, ...]:
        """The customer's normalised phone numbers."""
        return tuple(contact.phone for contact in self.contacts)

    @property
    def is_hidden_prospect(self) -> bool:
        """Whether the record is an unclosed, confidential prospect."""
        return self.status is CustomerStatus.PROSPECT and self.confidential


@attrs.frozen
class RedactedCustomer:
    """What a viewer outside the registrant's chain sees of a confidential prospect.

    A distinct type, not a `Customer`: code typed to take a ``Customer`` (such as the
    savers in `keyaccount.io`) refuses it under mypy, and the savers also refuse it at
    run time (``RedactedRecordError``), so a redacted copy can never be saved over the
    full record.

    Attributes:
        id: the customer id (so the record can be referred to).
        kind, tier, status: not confidential.
        registered_at: when the prospect was registered (so a colleague knows it is taken).
        hidden: the names of the fields withheld.
    """

    id: str
    kind: CustomerKind
    tier: Tier
    status: CustomerStatus
    registered_at: pendulum.DateTime | None
    hidden: tuple[str, ...] = (
        "name",
        "owner",
        "contacts",
        "birthday",
        "card",
        "spend",
        "opinions",
        "credit_rating",
        "credit_limit",
        "registered_by",
        "registered_position",
    )
