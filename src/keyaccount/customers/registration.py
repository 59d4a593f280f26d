"""Prospect registration (报备): who holds a prospect, and which claims are duplicates (撞单).

The service specialist files each salesperson's prospects and prevents two salespeople
closing the same customer (防止业务员撞单, ``001_…``). Two registrations are the same
customer when they share a normalised phone number or a non-empty `company_key`; the
earlier registration wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pendulum

from keyaccount._fields import instant
from keyaccount.customers.identity import company_key
from keyaccount.customers.model import Customer, Staff

__all__ = ["DuplicateClaim", "Registration", "register", "resolve_claims"]


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
        displaces: set by `register` when this registration wins against
            registrations already in the registry (it is dated earlier, or at the same
            instant with a lower customer id): those registrations, which now lose to it
            (each is a duplicate claim of it in `resolve_claims`). Empty otherwise.
        reinstates: set by `register` in the rare case where a registration this
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
    at: pendulum.DateTime = attrs.field(converter=instant)
    displaces: tuple[Registration, ...] = attrs.field(default=(), eq=False)
    reinstates: tuple[Registration, ...] = attrs.field(default=(), eq=False)

    @property
    def name_key(self) -> str:
        """The name as `company_key` compares it."""
        return company_key(self.name)

    @property
    def order(self) -> tuple[pendulum.DateTime, str, str]:
        """The precedence of registrations, as a sort key.

        Earlier first, then the lower customer id, then the lower registrant id; a
        smaller key wins.
        """
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
    """What makes ``a`` and ``b`` the same customer, in words, or ``None``."""
    shared = sorted(set(a.phones) & set(b.phones))
    if shared:
        return f"phone {shared[0]}"
    key = a.name_key
    if key and key == b.name_key:
        return f"name {key!r}"
    return None


def register(
    registry: Iterable[Registration],
    prospect: Customer,
    by: Staff,
    registered_at: dt.datetime,
) -> Registration | DuplicateClaim:
    """Register ``prospect`` for ``by`` at ``registered_at``, unless another person has it.

    Two registrations are the same customer when they share a normalised phone number
    or their names have the same non-empty `company_key` (full-width characters,
    spaces and company suffixes such as 有限公司 do not matter). The earlier
    registration wins; at the same instant the lower customer id, then the lower
    registrant id. The answer always agrees with `resolve_claims` run over the
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
            ever accepted: the registry is settled with `resolve_claims` first).
        prospect: the customer to register; its name and phone numbers are compared.
        by: the registrant.
        registered_at: when the registration is made: the event's own time, which
            becomes `Registration.at` (a back-dated registration is allowed, so this
            is not the instant the rule is evaluated at).

    Returns:
        * a `DuplicateClaim` naming the winning registration when someone
          else's registration of the same customer comes first;
        * the registrant's own earlier registration when they registered the same
          customer before;
        * otherwise the new `Registration`. When it comes before registrations
          of the same customer already in the registry (back-dated, or the same
          instant with a lower customer id), its ``displaces`` names them: they are
          duplicate claims of it from now on, never co-holders.

    Raises:
        NaiveDatetimeError: ``registered_at`` has no time zone.
        NotAnInstantError: ``registered_at`` is not a datetime.
    """
    new = Registration(
        prospect.id, prospect.name, prospect.phones, by.id, by.position, registered_at
    )
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

    Args:
        registrations: every registration made.

    Returns:
        The winners in order of precedence, and every duplicate claim.
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
