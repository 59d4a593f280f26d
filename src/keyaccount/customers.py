"""Customers (客户): files, ownership, prospect registration, confidentiality and analysis.

The customer side of the department, as the seeds describe it (DOMAIN.md §3):

* a customer file (客户档案, ``000_…`` 客户管理工作细则): name, phone, birthday, spend,
  spend type, membership card class, main opinions;
* tiers: key accounts (大客户), group customers (集团客户), VIP and member card holders,
  ordinary customers (普通顾客);
* assignment by the supervisor "balancing the number of customers while taking ability
  into account" (负责客户数量均衡、兼顾业务能力, ``000_…`` 客户服务部工作职责及规范);
* orphan customers (孤儿客户, ``001_…``): when a salesperson leaves, the service
  specialist keeps their customers served until a suitable salesperson takes over, so
  no customer is ever without an owner;
* prospect registration (报备, ``001_…``): the specialist files each salesperson's
  prospects and prevents two salespeople closing the same customer (防止业务员撞单);
  unclosed prospects are strictly confidential (报备未成交的客户信息绝对保密).

Ownership is by person, not position: a :class:`Staff` member holds a position, and a
customer's ``owner`` and ``registered_by`` are staff ids. Two sales representatives
share a position but must not see each other's prospects, so visibility needs the
person (:func:`can_view`).

>>> normalise_phone("138-0013-8000") == normalise_phone("+86 13800138000")
True
>>> company_key("上海某某贸易有限公司") == company_key("上海 某某贸易 集团")
True
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, NewType

import attrs
import pendulum

from keyaccount.calendar import to_instant
from keyaccount.errors import (
    DuplicateIdError,
    FloatMoneyError,
    InvalidAmountError,
    InvalidPhoneError,
    NoCandidateError,
    UnknownStaffError,
)
from keyaccount.money import Money, Rates, to_decimal
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

__all__ = [
    "COMPANY_SUFFIXES",
    "CUSTOMER_CREDIT",
    "AbcClass",
    "AbcRow",
    "Assignment",
    "Booking",
    "Contact",
    "CreditApproval",
    "Customer",
    "CustomerKind",
    "CustomerStatus",
    "DateRange",
    "DuplicateClaim",
    "FrequentCustomer",
    "HandOver",
    "Phone",
    "RedactedCustomer",
    "Registration",
    "Spend",
    "Staff",
    "Tier",
    "abc_classes",
    "apply_assignments",
    "assign",
    "can_view",
    "company_key",
    "credit_approval",
    "frequent_customers",
    "hand_over",
    "normalise_phone",
    "redact",
    "register",
    "resolve_claims",
    "unowned",
]

#: The subject of customer credit rights in the reference charts (客户信用额).
CUSTOMER_CREDIT: Final = "customer-credit"


# --------------------------------------------------------------------------- enums


class CustomerKind(enum.Enum):
    """What kind of party the customer is."""

    ENTERPRISE = "enterprise"
    GOVERNMENT = "government"
    INDIVIDUAL = "individual"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``企业客户``."""
        return _KIND_LABELS[self]


_KIND_LABELS: Final = {
    CustomerKind.ENTERPRISE: "企业客户",
    CustomerKind.GOVERNMENT: "政府机构客户",
    CustomerKind.INDIVIDUAL: "个人客户",
}


class Tier(enum.Enum):
    """A customer's tier, from the most to the least served.

    The seeds name key accounts (大客户), group customers (集团客户, ``002_…``), VIP card
    holders (VIP卡), other member card holders (至尊卡 / 欢唱卡: 会员客户, ``000_…``) and
    ordinary customers (普通顾客). ``is_member`` marks the tiers the seed's "100% of
    member customers get a return visit" (必须保证会员客户的100%的回访) speaks of.
    """

    KEY_ACCOUNT = "key-account"
    GROUP = "group"
    VIP = "vip"
    MEMBER = "member"
    ORDINARY = "ordinary"

    @property
    def label(self) -> str:
        """The seed's name for the tier, e.g. ``大客户``."""
        return _TIER_LABELS[self]

    @property
    def is_member(self) -> bool:
        """Whether the tier holds a membership card (VIP or member)."""
        return self in (Tier.VIP, Tier.MEMBER)


_TIER_LABELS: Final = {
    Tier.KEY_ACCOUNT: "大客户",
    Tier.GROUP: "集团客户",
    Tier.VIP: "VIP卡客户",
    Tier.MEMBER: "会员客户",
    Tier.ORDINARY: "普通顾客",
}


class CustomerStatus(enum.Enum):
    """Where a customer stands: a registered prospect, an active customer, or lost."""

    PROSPECT = "prospect"
    ACTIVE = "active"
    LOST = "lost"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. ``准客户`` (a registered prospect not yet closed)."""
        return _STATUS_LABELS[self]


_STATUS_LABELS: Final = {
    CustomerStatus.PROSPECT: "准客户(报备未成交)",
    CustomerStatus.ACTIVE: "成交客户",
    CustomerStatus.LOST: "流失客户",
}


class AbcClass(enum.Enum):
    """A class of the customer ABC analysis (客户ABC分析表, ``003_…``)."""

    A = "A"
    B = "B"
    C = "C"

    @property
    def label(self) -> str:
        """``A类客户`` ..."""
        return f"{self.value}类客户"


# --------------------------------------------------------------------------- phones and names

#: A phone number in the form :func:`normalise_phone` gives.
Phone = NewType("Phone", str)

_PHONE_SEPARATORS: Final = re.compile(r"[\s\-.()/\u2010-\u2015\u2212]")
_MOBILE: Final = re.compile(r"1\d{10}")
_COUNTRY_PREFIXES: Final = ("+86", "0086", "86")


def normalise_phone(phone: str) -> Phone:
    """The canonical form of a phone number, so one person's number compares equal.

    Full-width characters become ASCII (NFKC), spaces, dashes, dots, slashes and
    parentheses are dropped, and the mainland country code (``+86``, ``0086``, ``86``)
    is removed in front of an 11-digit mobile number starting with 1. Other numbers
    (landlines with area codes, foreign numbers) keep their digits and a leading ``+``.

    >>> normalise_phone("+86 138-0013-8000")
    '13800138000'
    >>> normalise_phone("０２１－６２３４ ５６７８")
    '02162345678'

    Raises:
        InvalidPhoneError: the number is empty or holds letters or other symbols.
    """
    if not isinstance(phone, str):
        raise InvalidPhoneError(f"a phone number must be text, got {type(phone).__name__}")
    if phone.isascii() and phone.isdigit() and not phone.startswith(("86", "0086")):
        return Phone(phone)  # already canonical (the common case when loading saved files)
    text = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", phone))
    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits.isdigit() or not digits.isascii():
        raise InvalidPhoneError(
            f"phone number {phone!r} holds characters other than digits, spaces, dashes, "
            f"dots, parentheses and a leading +"
        )
    for prefix in _COUNTRY_PREFIXES:
        if text.startswith(prefix) and _MOBILE.fullmatch(text[len(prefix) :]):
            return Phone(text[len(prefix) :])
    return Phone(text)


#: Company-name suffixes dropped when comparing names for duplicate claims. The name is
#: first compacted (NFKC, lower case, brackets unified to ``()``, every space and
#: punctuation mark removed), then these are stripped from its end, longest first and
#: repeatedly, so "某某(集团)有限公司", "某某 集团 有限 公司" and "某某" compare equal. The
#: Chinese ones are stripped wherever the name ends with them; the Latin ones only when
#: they start a word (after a space, a punctuation mark or a non-Latin character), so
#: "Zinc" keeps its "inc". A name that is nothing but a suffix is kept.
COMPANY_SUFFIXES: Final = (
    "有限责任公司",
    "股份有限公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "(集团)",
    "集团",
    "公司",
    "company limited",
    "incorporated",
    "corporation",
    "co. limited",
    "limited",
    "co., ltd.",
    "group",
    "corp",
    "ltd",
    "inc",
)
_CHINESE_SUFFIXES: Final = tuple(
    sorted((s for s in COMPANY_SUFFIXES if not s.isascii()), key=len, reverse=True)
)
_LATIN_SUFFIXES: Final = tuple(
    sorted(
        {"".join(c for c in s if c.isalnum()) for s in COMPANY_SUFFIXES if s.isascii()},
        key=lambda s: (-len(s), s),
    )
)
_ALL_SUFFIXES: Final = frozenset(_CHINESE_SUFFIXES) | frozenset(_LATIN_SUFFIXES)
_BRACKETS: Final = str.maketrans(
    {"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"}
)


def _compact(name: str) -> tuple[str, tuple[bool, ...]]:
    """``name`` without spaces and punctuation, and where each kept character starts a word.

    Letters, digits, CJK characters and the brackets ``(`` ``)`` are kept; a kept
    character "starts a word" when it is the first or something was dropped before it.
    """
    text = unicodedata.normalize("NFKC", name).casefold().translate(_BRACKETS)
    kept: list[str] = []
    starts: list[bool] = []
    gap = True
    for char in text:
        if char.isalnum() or char in "()":
            kept.append(char)
            starts.append(gap)
            gap = False
        else:
            gap = True
    return "".join(kept), tuple(starts)


def _strip_suffix(key: str, starts: tuple[bool, ...]) -> str | None:
    """``key`` without one company suffix at its end, or ``None`` when it has none."""
    if key in _ALL_SUFFIXES:
        return None  # a name that is nothing but a suffix is kept
    for suffix in _CHINESE_SUFFIXES:
        rest = key[: -len(suffix)]
        if key.endswith(suffix) and rest.strip("()"):
            return rest
    for suffix in _LATIN_SUFFIXES:
        cut = len(key) - len(suffix)
        if cut > 0 and key.endswith(suffix) and key[:cut].strip("()"):
            before = key[cut - 1]
            if starts[cut] or not (before.isascii() and before.isalnum()):
                return key[:cut]
    return None


def company_key(name: str) -> str:
    """The form of a customer's name used to find duplicate claims (撞单).

    NFKC (full-width letters, digits, brackets and spaces become half-width), lower
    case, every space and punctuation mark removed, and only then the suffixes in
    :data:`COMPANY_SUFFIXES` stripped from the end, longest first and repeatedly.
    Removing spaces first means a suffix written with spaces inside ("有限 公司") is
    still a suffix. ``"上海 某某 有限 公司"``, ``"上海某某(集团)有限公司"``,
    ``"上海某某（集团）"`` and ``"上海某某"`` share a key.

    >>> company_key("ＡＢＣ Trading Co., Ltd.")
    'abctrading'
    >>> company_key("上海某某贸易 有限 公司") == company_key("上海某某贸易（集团）有限公司")
    True
    """
    compact, starts = _compact(name)
    key = compact
    while (shorter := _strip_suffix(key, starts)) is not None:
        key = shorter
    return key.replace("(", "").replace(")", "")


# --------------------------------------------------------------------------- values


def _optional_instant(value: dt.datetime | None) -> pendulum.DateTime | None:
    return None if value is None else to_instant(value, "instant")


def _instant(value: dt.datetime) -> pendulum.DateTime:
    return to_instant(value, "instant")


def _money(_instance: object, attribute: attrs.Attribute[Money], value: object) -> None:
    """Refuse anything but :class:`Money` (a float, or a bare number without a currency)."""
    if not isinstance(value, Money):
        raise FloatMoneyError(
            f"{attribute.name} must be Money (e.g. Money('100.00', 'CNY')), "
            f"got {type(value).__name__} {value!r}"
        )


def _optional_money(
    instance: object, attribute: attrs.Attribute[Money | None], value: object
) -> None:
    if value is not None:
        _money(instance, attribute, value)  # type: ignore[arg-type]  # same check, optional field


def _fraction(_instance: object, attribute: attrs.Attribute[Fraction], value: object) -> None:
    """Refuse anything but an exact :class:`~fractions.Fraction` (never a float)."""
    if not isinstance(value, Fraction):
        raise FloatMoneyError(
            f"{attribute.name} must be an exact Fraction, got {type(value).__name__} {value!r}"
        )


def _positive_ability(value: Decimal | int | str) -> Decimal:
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
        amount: the amount spent (消费金额).
        kind: the spend type (消费类型), e.g. ``包厢`` or ``维修``.
    """

    at: pendulum.DateTime = attrs.field(converter=_instant)
    amount: Money = attrs.field(validator=_money)
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
            must have one (see :func:`unowned`).
        contacts: phone numbers (normalised) and contact people.
        birthday: filed by month for birthday greetings (生日按月份分类).
        card: the membership card held, as the seed names it (``至尊卡`` ...).
        spend: consumption records (消费金额, 消费类型).
        opinions: the customer's main opinions (主要意见).
        credit_rating: the credit rating (资信等级), e.g. ``AA``.
        credit_limit: the approved credit limit (信用额度).
        assigned_at: when the current owner was assigned (starts the one-week
            first-contact deadline).
        registered_by: the staff id of the person who registered the prospect (报备).
        registered_position: that person's position id at registration.
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
    credit_limit: Money | None = attrs.field(default=None, validator=_optional_money)
    assigned_at: pendulum.DateTime | None = attrs.field(default=None, converter=_optional_instant)
    registered_by: str | None = None
    registered_position: str | None = None
    registered_at: pendulum.DateTime | None = attrs.field(default=None, converter=_optional_instant)
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

    A distinct type, not a :class:`Customer`: code typed to take a ``Customer`` (such
    as the savers in :mod:`keyaccount.io`) refuses it under mypy, and the savers also
    refuse it at run time (``RedactedRecordError``), so a redacted copy can never be
    saved over the full record.

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


# --------------------------------------------------------------------------- visibility


def can_view(chart: OrgChart, viewer: Staff, customer: Customer) -> bool:
    """Whether ``viewer`` may see ``customer``'s details.

    The seed (``001_…``) makes unclosed prospects strictly confidential (报备未成交的
    客户信息绝对保密): such a record is visible only to the person who registered it and
    to the positions above that person's position. Every other record is visible.

    It takes the viewer as :class:`Staff`, not a bare position id, because the rule is
    about a person: two sales representatives hold the same position, and neither may
    see the other's prospects. A position id alone could not tell them apart.

    A confidential prospect whose registrant is not recorded is visible to nobody
    (fail closed).

    Raises:
        UnknownPositionError: the registrant's position is not in ``chart``.
    """
    if not customer.is_hidden_prospect:
        return True
    if customer.registered_by is not None and viewer.id == customer.registered_by:
        return True
    if customer.registered_position is None:
        return False
    return chart.is_above(viewer.position, customer.registered_position)


def redact(customer: Customer, viewer: Staff, chart: OrgChart) -> Customer | RedactedCustomer:
    """``customer`` itself when ``viewer`` may see it, else its :class:`RedactedCustomer`.

    Never mutates ``customer``.
    """
    if can_view(chart, viewer, customer):
        return customer
    return RedactedCustomer(
        customer.id, customer.kind, customer.tier, customer.status, customer.registered_at
    )


# --------------------------------------------------------------------------- registration


@attrs.frozen
class Registration:
    """A prospect registration (报备).

    Attributes:
        customer_id: the prospect's customer id.
        name: the prospect's name as registered.
        phones: its normalised phone numbers.
        by: the staff id of the registrant.
        position: the registrant's position id.
        at: when it was registered.
        displaces: set by :func:`register` when this registration wins against
            registrations already in the registry (it is dated earlier, or at the same
            instant with a lower customer id): those registrations, which now lose to it
            (each is a duplicate claim of it in :func:`resolve_claims`). Empty otherwise.
        reinstates: set by :func:`register` in the rare case where a registration this
            one displaces had itself displaced others: the ones that win again.
            Empty otherwise.

    ``displaces`` and ``reinstates`` report what registering changed; they are not part
    of the registration's identity and take no part in equality.
    """

    customer_id: str
    name: str
    phones: tuple[str, ...]
    by: str
    position: str
    at: pendulum.DateTime = attrs.field(converter=_instant)
    displaces: tuple[Registration, ...] = attrs.field(default=(), eq=False)
    reinstates: tuple[Registration, ...] = attrs.field(default=(), eq=False)

    @property
    def name_key(self) -> str:
        """The name as :func:`company_key` compares it."""
        return company_key(self.name)

    @property
    def order(self) -> tuple[pendulum.DateTime, str, str]:
        """The precedence of registrations: earlier first, then customer id, then registrant."""
        return (self.at, self.customer_id, self.by)


@attrs.frozen
class DuplicateClaim:
    """A registration that loses because the same customer was registered before it (撞单).

    Attributes:
        claim: the losing registration.
        earlier: the registration that wins (the earliest matching winner).
        matched_on: what made them the same customer, in words.
    """

    claim: Registration
    earlier: Registration
    matched_on: str

    @property
    def reason(self) -> str:
        """A sentence for the registrant."""
        return (
            f"{self.claim.name!r} was already registered by {self.earlier.by} "
            f"at {self.earlier.at.isoformat()} (same {self.matched_on}); "
            "the earlier registration wins (防止撞单)"
        )


def _same_customer(a: Registration, b: Registration) -> str | None:
    shared = sorted(set(a.phones) & set(b.phones))
    if shared:
        return f"phone {shared[0]}"
    key = a.name_key
    if key and key == b.name_key:
        return f"name {key!r}"
    return None


def register(
    registry: Iterable[Registration], prospect: Customer, by: Staff, at: dt.datetime
) -> Registration | DuplicateClaim:
    """Register ``prospect`` for ``by`` at ``at``, unless another person has it already.

    Two registrations are the same customer when they share a normalised phone number
    or their names have the same non-empty :func:`company_key` (full-width characters,
    spaces and company suffixes such as 有限公司 do not matter). The earlier
    registration wins; at the same instant the lower customer id, then the lower
    registrant id. The answer always agrees with :func:`resolve_claims` run over the
    registry with the new registration added.

    >>> zhang, li = Staff("zhang", "张伟", "sales"), Staff("li", "李娜", "sales")
    >>> at = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> first = register([], Customer("p2", "某某有限公司"), zhang, at)
    >>> register([first], Customer("p3", "某某 公司"), li, at.add(hours=1)).earlier == first
    True
    >>> tie = register([first], Customer("p1", "某某"), li, at)   # same instant, lower id
    >>> tie.displaces == (first,)
    True

    Args:
        registry: the registrations made so far (the winners, or every registration
            ever accepted: the registry is settled with :func:`resolve_claims` first).
        prospect: the customer to register; its name and phone numbers are compared.
        by: the registrant.
        at: when.

    Returns:
        * a :class:`DuplicateClaim` naming the winning registration when someone
          else's registration of the same customer comes first;
        * the registrant's own earlier registration when they registered the same
          customer before;
        * otherwise the new :class:`Registration`. When it comes before registrations
          of the same customer already in the registry (back-dated, or the same
          instant with a lower customer id), its ``displaces`` names them: they are
          duplicate claims of it from now on, never co-holders.
    """
    new = Registration(prospect.id, prospect.name, prospect.phones, by.id, by.position, at)
    existing = tuple(registry)
    before, _ = resolve_claims(existing)
    after, claims = resolve_claims((*existing, new))
    claim = next((c for c in claims if c.claim is new), None)
    if claim is not None:
        if claim.earlier.by == by.id:
            return claim.earlier
        return claim
    kept = {id(w) for w in after}
    held = {id(w) for w in before}
    displaced = tuple(w for w in before if id(w) not in kept)
    reinstated = tuple(w for w in after if w is not new and id(w) not in held)
    if not displaced and not reinstated:
        return new
    return attrs.evolve(new, displaces=displaced, reinstates=reinstated)


def resolve_claims(
    registrations: Iterable[Registration],
) -> tuple[tuple[Registration, ...], tuple[DuplicateClaim, ...]]:
    """Settle a whole registry: the winning registrations and every duplicate claim.

    Registrations are taken in order of time, then customer id, then registrant, so
    the answer does not depend on the order they are given in. A registration is a
    duplicate when it matches (phone or name key) a registration that came before it
    and won; the duplicate names the earliest such winner.
    """
    winners: list[Registration] = []
    claims: list[DuplicateClaim] = []
    by_phone: dict[str, Registration] = {}
    by_name: dict[str, Registration] = {}
    for registration in sorted(registrations, key=lambda r: r.order):
        key = registration.name_key
        found = [by_phone[p] for p in registration.phones if p in by_phone]
        if key in by_name:
            found.append(by_name[key])
        if found:
            earlier = min(found, key=lambda r: r.order)
            matched = _same_customer(earlier, registration) or f"name {key!r}"
            claims.append(DuplicateClaim(registration, earlier, matched))
            continue
        winners.append(registration)
        for phone in registration.phones:
            by_phone.setdefault(phone, registration)
        if key:
            by_name.setdefault(key, registration)
    return tuple(winners), tuple(claims)


# --------------------------------------------------------------------------- assignment


@attrs.frozen
class Assignment:
    """One customer given to an owner, and why.

    Attributes:
        customer_id: the customer.
        owner: the staff id of the new owner.
        previous_owner: the staff id it came from, if any.
        interim: true when the owner is the interim service specialist keeping an
            orphan customer (孤儿客户) served until a salesperson takes over.
        reason: the choice in words.
    """

    customer_id: str
    owner: str
    previous_owner: str | None
    interim: bool
    reason: str


@attrs.frozen
class HandOver:
    """The result of :func:`hand_over`: every customer of the departing person, re-owned.

    Attributes:
        departing: the staff id of the person leaving.
        assignments: one per customer, in customer-id order.
    """

    departing: str
    assignments: tuple[Assignment, ...]

    @property
    def to_candidates(self) -> tuple[Assignment, ...]:
        """The customers taken over by a salesperson."""
        return tuple(a for a in self.assignments if not a.interim)

    @property
    def to_interim(self) -> tuple[Assignment, ...]:
        """The orphan customers the interim service specialist keeps served (孤儿客户)."""
        return tuple(a for a in self.assignments if a.interim)


def _loads(customers: Iterable[Customer], specialists: Sequence[Staff]) -> dict[str, int]:
    ids = {s.id for s in specialists}
    counts = Counter(c.owner for c in customers if c.owner in ids)
    return {s.id: counts.get(s.id, 0) for s in specialists}


def _balanced(
    customer_ids: Sequence[str],
    specialists: Sequence[Staff],
    load: dict[str, int],
    previous: Mapping[str, str | None],
    why: str,
) -> list[Assignment]:
    """Give each customer to the specialist with the lowest (load + 1) / ability."""
    out: list[Assignment] = []
    pool = sorted(specialists, key=lambda s: s.id)
    for customer_id in sorted(customer_ids):
        scores = [(Fraction(load[s.id] + 1) / Fraction(s.ability), s.id, s) for s in pool]
        score, _, chosen = min(scores, key=lambda item: (item[0], item[1]))
        runner = sorted(scores, key=lambda item: (item[0], item[1]))[1:2]
        versus = (
            f"; next best {runner[0][1]} at {runner[0][0]}"
            if runner
            else "; the only specialist available"
        )
        out.append(
            Assignment(
                customer_id,
                chosen.id,
                previous.get(customer_id),
                False,
                f"{why}: {chosen.id} has the lowest (customers + 1) / ability = "
                f"({load[chosen.id]} + 1) / {chosen.ability} = {score}{versus} "
                "(负责客户数量均衡、兼顾业务能力; ties go to the lower staff id)",
            )
        )
        load[chosen.id] += 1
    return out


def assign(
    customers: Iterable[Customer],
    specialists: Iterable[Staff],
    *,
    book: Iterable[Customer] = (),
) -> tuple[Assignment, ...]:
    """Distribute ``customers`` among ``specialists``, balancing load weighted by ability.

    The seed's supervisor assigns "balancing the number of customers while taking
    ability into account" (负责客户数量均衡、兼顾业务能力, ``000_…``). Customers are
    taken in id order; each goes to the active specialist with the lowest
    ``(customers already owned + 1) / ability``, ties to the lower staff id. The
    answer depends only on the facts, not on the order they are given in.

    >>> staff = [Staff("s1", "王", "specialist"), Staff("s2", "李", "specialist", ability=2)]
    >>> [a.owner for a in assign([Customer(f"c{i}", f"客户{i}") for i in range(3)], staff)]
    ['s2', 's1', 's2']

    Args:
        customers: the customers to (re)assign.
        specialists: the candidates; inactive ones are skipped.
        book: the customers already owned, counted as the specialists' current load
            (customers being assigned are not counted twice).

    Returns:
        one :class:`Assignment` per customer, in customer-id order.

    Raises:
        NoCandidateError: there are customers but no active specialist.
        DuplicateIdError: a customer id is given twice.
    """
    targets = list(customers)
    ids = [c.id for c in targets]
    if len(set(ids)) != len(ids):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        raise DuplicateIdError(f"customer ids given twice: {', '.join(repeated)}")
    pool = [s for s in specialists if s.active]
    if not targets:
        return ()
    if not pool:
        raise NoCandidateError("no active specialist to assign the customers to")
    moving = set(ids)
    load = _loads((c for c in book if c.id not in moving), pool)
    previous = {c.id: c.owner for c in targets}
    return tuple(_balanced(ids, pool, load, previous, "assigned"))


def hand_over(
    departing: Staff | str,
    customers: Iterable[Customer],
    candidates: Iterable[Staff],
    interim: Staff,
) -> HandOver:
    """Re-own every customer of a person who leaves (孤儿客户转接, ``001_…``).

    Each customer owned by ``departing`` goes to an active candidate, balanced as in
    :func:`assign` against the candidates' current customers in ``customers``. When no
    candidate is available, the customers go to ``interim``, the service specialist who
    "keeps the customers served until a suitable salesperson takes them over"
    (保证在无合适业务员接手的时间内客户的正常沟通及服务工作). No customer is left
    without an owner; the result says which went where.

    Args:
        departing: the person leaving (or their staff id).
        customers: the whole book (the departing person's customers are taken from it,
            everyone else's count as the candidates' load).
        candidates: salespeople who may take customers over; the departing person and
            inactive people are skipped.
        interim: the service specialist who keeps orphan customers served.

    Raises:
        NoCandidateError: the interim owner is the departing person or inactive, and
            there are customers to hand over with no candidate to take them.
    """
    leaving = departing if isinstance(departing, str) else departing.id
    book = list(customers)
    orphans = [c for c in book if c.owner == leaving]
    pool = [s for s in candidates if s.active and s.id != leaving]
    if pool:
        load = _loads((c for c in book if c.owner != leaving), pool)
        previous: dict[str, str | None] = {c.id: leaving for c in orphans}
        moves = _balanced(
            [c.id for c in orphans], pool, load, previous, f"taken over from {leaving}"
        )
        return HandOver(leaving, tuple(moves))
    if orphans and (not interim.active or interim.id == leaving):
        raise NoCandidateError(
            f"{len(orphans)} customer(s) of {leaving} need an owner, no candidate is "
            f"available and the interim owner {interim.id} cannot take them"
        )
    moves = [
        Assignment(
            c.id,
            interim.id,
            leaving,
            True,
            f"孤儿客户: no salesperson available to take over from {leaving}; "
            f"{interim.id} keeps the customer served until one does",
        )
        for c in sorted(orphans, key=lambda c: c.id)
    ]
    return HandOver(leaving, tuple(moves))


def apply_assignments(
    customers: Iterable[Customer], assignments: Iterable[Assignment], at: dt.datetime
) -> tuple[Customer, ...]:
    """New customer records with the owners (and ``assigned_at``) the assignments give.

    Never mutates; customers without an assignment come back unchanged.
    """
    when = to_instant(at, "at")
    by_id = {a.customer_id: a for a in assignments}
    return tuple(
        attrs.evolve(c, owner=by_id[c.id].owner, assigned_at=when) if c.id in by_id else c
        for c in customers
    )


def unowned(customers: Iterable[Customer]) -> tuple[Customer, ...]:
    """Active customers without an owner: always empty in a sound book."""
    return tuple(c for c in customers if c.status is CustomerStatus.ACTIVE and c.owner is None)


# --------------------------------------------------------------------------- credit


@attrs.frozen
class CreditApproval:
    """Who approves a customer's credit limit (客户信用额审批).

    The requester never approves its own request: when the requester's own approve or
    decide right covers the amount, no approval is needed (``approver`` is ``None``,
    ``own_authority`` names the right); otherwise ``approver`` is the position found by
    :func:`~keyaccount.org.approval_route`, above the requester.

    Attributes:
        customer_id: the customer.
        requested: the limit asked for.
        requester: the position asking.
        approver: the position that must approve; ``None`` when no approval is needed.
        route: the approval route when the request goes up; ``None`` otherwise.
        reason: in words.
        own_authority: the requester's own right that covers the amount, when no
            approval is needed; ``None`` otherwise.
        requested_by: the staff id of the person asking, when known.
    """

    customer_id: str
    requested: Money = attrs.field(validator=_money)
    requester: str
    approver: str | None
    route: ApprovalRoute | None
    reason: str
    own_authority: Authority | None = None
    requested_by: str | None = None

    @property
    def needs_approval(self) -> bool:
        """Whether someone above the requester must approve."""
        return self.approver is not None


def _requesting(
    customer: Customer, requester: Staff | str | None, staff: Iterable[Staff]
) -> tuple[str, str | None]:
    """The requesting position id and, when known, the requesting person's staff id."""
    if isinstance(requester, Staff):
        return requester.position, requester.id
    if requester is not None:
        return requester, None
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
    return owner.position, owner.id


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
    a position: ``requester`` as a :class:`Staff` member (their position asks), as a
    position id, or, when omitted, the customer's owner, looked up by staff id in
    ``staff`` (their position asks).

    The requester never approves its own request. When the requesting position's own
    approve or decide right on ``subject`` covers the amount (the seed's 销售管理部经理
    up to 20,000 CNY, ``003_…``), no approval is needed and the result says so with
    ``approver`` ``None``; above it, :func:`~keyaccount.org.approval_route` finds the
    approver above the requester (it considers approve and decide rights).

    >>> from keyaccount import reference
    >>> chart = reference.load("sales-management")
    >>> customer = Customer("c1", "某某商贸有限公司", owner="wu")
    >>> manager = Staff("wu", "吴", "sales-management-manager")
    >>> credit_approval(chart, customer, Money(30000), staff=[manager]).approver
    'marketing-director'
    >>> within = credit_approval(chart, customer, Money(20000), manager)
    >>> within.approver is None, within.reason.split(" (")[0]
    (True, "no approval needed: within 销售管理部经理's own authority")

    Raises:
        NoApproverError: nobody above may approve the amount.
        UnknownPositionError: the requesting position is not in the chart.
        UnknownStaffError: no requester was named and the customer's owner is missing
            or not in ``staff``.
    """
    position, person = _requesting(customer, requester, staff)
    limit = requested_limit
    if not isinstance(limit, Money):
        raise FloatMoneyError(
            f"requested_limit must be Money, got {type(limit).__name__} {limit!r}"
        )
    refusals: list[Decision] = []
    for kind in APPROVING_KINDS:
        own = can(
            chart,
            position,
            kind,
            subject,
            amount=limit,
            as_of=as_of,
            delegations=delegations,
            rates=rates,
        )
        if own:
            right = own.authority
            label = right.title() if right is not None else own.reason
            title = chart.position(position).title
            return CreditApproval(
                customer.id,
                limit,
                position,
                None,
                None,
                f"no approval needed: within {title}'s own authority ({label})",
                right,
                person,
            )
        refusals.append(own)
    # the refusal of a right the requester holds says most (its limit); else the first
    closest = next((d for d in refusals if d.authority is not None), refusals[0])
    route = approval_route(
        chart,
        position,
        subject,
        limit,
        as_of=as_of,
        delegations=delegations,
        rates=rates,
    )
    return CreditApproval(
        customer.id,
        limit,
        position,
        route.approver,
        route,
        f"above the requester's own authority ({closest.reason}); goes up to {route.approver}",
        None,
        person,
    )


# --------------------------------------------------------------------------- analysis


def _to_share(value: Fraction | Decimal | int | str, what: str) -> Fraction:
    if isinstance(value, float):
        raise InvalidAmountError(f"{what} must be a Fraction, Decimal or string, not a float")
    share = Fraction(value)
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
    revenue: Money = attrs.field(validator=_money)
    share: Fraction = attrs.field(validator=_fraction)
    cumulative: Fraction = attrs.field(validator=_fraction)
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

    >>> rows = abc_classes({"x": Money(70), "y": Money(20), "z": Money(6), "w": Money(4)})
    >>> [(r.customer_id, r.abc.value) for r in rows]
    [('x', 'A'), ('y', 'A'), ('z', 'B'), ('w', 'C')]

    Args:
        a: the A threshold as a share (default 80%).
        b: the B threshold (default 95%); ``a <= b``.

    Raises:
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
class DateRange:
    """The days from ``start`` to ``end``, both included (a period of a report or a round)."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidAmountError(f"the range {self.start} - {self.end} ends before it starts")

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            return False
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start} - {self.end}"


@attrs.frozen
class Booking:
    """A booking or consumption record (订厢记录) keyed by the guest's phone.

    The phone is normalised on creation, so spellings of one number count together.
    """

    phone: Phone = attrs.field(converter=normalise_phone)
    on: dt.date = attrs.field()
    spend: Money = attrs.field(factory=Money.zero, validator=_money)
    name: str = ""
    kind: str = ""


@attrs.frozen
class FrequentCustomer:
    """A phone number that recurs often: the seed's 常来顾客专属档案 (``000_…``).

    Attributes:
        phone: the normalised number.
        visits: how often it appears in the period (消费频率).
        spend: the total spent (消费金额).
        customer_id: the customer whose contacts hold the number, if known.
        name: the name given on the latest booking.
    """

    phone: str
    visits: int
    spend: Money = attrs.field(validator=_money)
    customer_id: str | None
    name: str


def frequent_customers(
    bookings: Iterable[Booking],
    period: DateRange,
    *,
    min_visits: int = 3,
    customers: Iterable[Customer] = (),
) -> tuple[FrequentCustomer, ...]:
    """The phone numbers that recur at least ``min_visits`` times in ``period``.

    The seed sorts the booking records by phone and picks the numbers that recur most
    (对于重复出现次数较多的客户,挑选出来,建立常来顾客专属档案,并注明消费频率及消费金额情况).
    Sorted by visits, then spend (highest first), then phone.

    Raises:
        InvalidAmountError: ``min_visits`` is below 1.
        CurrencyMismatchError: one number's bookings are in different currencies.
    """
    if min_visits < 1:
        raise InvalidAmountError(f"min_visits must be at least 1, got {min_visits}")
    owners: dict[str, str] = {}
    for customer in sorted(customers, key=lambda c: c.id):
        for phone in customer.phones:
            owners.setdefault(phone, customer.id)
    counts: Counter[str] = Counter()
    spend: dict[str, Money] = {}
    names: dict[str, tuple[dt.date, str]] = {}
    for booking in bookings:
        if booking.on not in period:
            continue
        counts[booking.phone] += 1
        spend[booking.phone] = (
            spend[booking.phone] + booking.spend if booking.phone in spend else booking.spend
        )
        if booking.name and (booking.phone not in names or booking.on >= names[booking.phone][0]):
            names[booking.phone] = (booking.on, booking.name)
    rows = [
        FrequentCustomer(
            phone, n, spend[phone], owners.get(phone), names.get(phone, (period.start, ""))[1]
        )
        for phone, n in counts.items()
        if n >= min_visits
    ]
    rows.sort(key=lambda r: (-r.visits, -r.spend.amount, r.phone))
    return tuple(rows)
