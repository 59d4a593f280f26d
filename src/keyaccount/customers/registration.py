"""Prospect registration (报备): who holds a prospect, and which claims are duplicates (撞单).

The service specialist files each salesperson's prospects and prevents two salespeople
closing the same customer (防止业务员撞单, ``001_…``). Two registrations are the same
customer when they share a normalised phone number or a non-empty `company_key`; the
earlier registration wins.

A prospect's details are strictly confidential (报备未成交的客户信息绝对保密): what
`register` and `resolve_claims` tell one salesperson about another person's registration
is a `RivalClaim`: who holds it (a staff id), since when, and which of the salesperson's
*own* values matched. Never the other registration's name, phone numbers, customer id or
position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pendulum

from keyaccount._fields import instant
from keyaccount.customers.identity import company_key
from keyaccount.customers.model import Customer, Staff

__all__ = ["DuplicateClaim", "Registration", "RivalClaim", "register", "resolve_claims"]


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
            (each is a duplicate claim of it in `resolve_claims`), as `RivalClaim`s:
            who held them and since when, nothing of their contents. Empty otherwise.
        reinstates: set by `register` in the rare case where a registration this
            one displaces had itself displaced others: the ones that win again, as
            `RivalClaim`s. Empty otherwise.

    ``displaces`` and ``reinstates`` report what registering changed; they are not part
    of the registration's identity and take no part in equality.
    """

    customer_id: str
    name: str
    phones: tuple[str, ...]
    by: str
    position: str
    at: pendulum.DateTime = attrs.field(converter=instant)
    displaces: tuple[RivalClaim, ...] = attrs.field(default=(), eq=False)
    reinstates: tuple[RivalClaim, ...] = attrs.field(default=(), eq=False)

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
class RivalClaim:
    """Another person's registration of the same customer, as far as a registrant may know it.

    The seed makes an unclosed prospect strictly confidential (报备未成交的客户信息绝对保密,
    ``001_…``), also towards the colleague whose registration collides with it. That
    colleague may learn *that* the customer is taken, by whom and since when, and nothing
    they did not supply themselves: not the other registration's name, phone numbers,
    customer id or the registrant's position.

    Attributes:
        by: the staff id of the other registrant.
        at: when the other registration was made.
        matched_on: what made them the same customer, in words, naming only a value of
            the registrant's *own* registration (``phone 13800138000``, ``name '某某'``).
    """

    by: str
    at: pendulum.DateTime = attrs.field(converter=instant)
    matched_on: str

    @classmethod
    def of(cls, other: Registration, matched_on: str) -> RivalClaim:
        """What a registrant whose registration matched ``other`` on ``matched_on`` may know."""
        return cls(other.by, other.at, matched_on)


@attrs.frozen
class DuplicateClaim:
    """A registration that loses because the same customer was registered before it (撞单).

    It is the claimant's answer, so it holds nothing of the winning registration but
    what the claimant may know (`RivalClaim`): the claimant learns that the customer is
    taken, by whom and since when. Its ``repr`` is safe to log or show to the claimant.

    Attributes:
        claim: the losing registration (the claimant's own).
        earlier: who holds the customer and since when (the earliest matching winner).
    """

    claim: Registration
    earlier: RivalClaim

    @property
    def matched_on(self) -> str:
        """What made them the same customer, naming only a value of the claimant's own."""
        return self.earlier.matched_on

    @property
    def reason(self) -> str:
        """A sentence for the registrant."""
        return (
            f"{self.claim.name!r} was already registered by {self.earlier.by} "
            f"at {self.earlier.at.isoformat()} (same {self.matched_on}); "
            "the earlier registration wins (防止撞单)"
        )


@attrs.frozen
class _Loss:
    """A losing registration and the full winning one: the registry's own view, never returned."""

    claim: Registration
    earlier: Registration
    matched_on: str

    def public(self) -> DuplicateClaim:
        """The claim as its claimant may see it."""
        return DuplicateClaim(self.claim, RivalClaim.of(self.earlier, self.matched_on))


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

    Examples:
        >>> zhang, li = Staff("zhang", "张伟", "sales"), Staff("li", "李娜", "sales")
        >>> at = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
        >>> first = register([], Customer("p2", "某某有限公司"), zhang, at)
        >>> claim = register([first], Customer("p3", "某某 公司"), li, at.add(hours=1))
        >>> claim.earlier.by, claim.earlier.at == at, claim.matched_on
        ('zhang', True, "name '某某'")
        >>> tie = register([first], Customer("p1", "某某"), li, at)   # same instant, lower id
        >>> tuple((d.by, d.matched_on) for d in tie.displaces)
        (('zhang', "name '某某'"),)

    Args:
        registry: the registrations made so far (the winners, or every registration
            ever accepted: the registry is settled with `resolve_claims` first).
        prospect: the customer to register; its name and phone numbers are compared.
        by: the registrant.
        registered_at: when the registration is made: the event's own time, which
            becomes `Registration.at` (a back-dated registration is allowed, so this
            is not the instant the rule is evaluated at).

    Returns:
        A `DuplicateClaim` when someone else's registration of the same customer
        comes first: who holds it and since when (a `RivalClaim`), nothing of its
        contents. The registrant's own earlier registration when they registered the
        same customer before. Otherwise the new `Registration`; when it comes before
        registrations of the same customer already in the registry (back-dated, or the
        same instant with a lower customer id), its ``displaces`` says whose they are
        and since when (`RivalClaim`s): they are duplicate claims of it from now on,
        never co-holders.

    Raises:
        NaiveDatetimeError: ``registered_at`` has no time zone.
        NotAnInstantError: ``registered_at`` is not a datetime.
    """
    new = Registration(
        prospect.id, prospect.name, prospect.phones, by.id, by.position, registered_at
    )
    existing = tuple(registry)
    before, _ = _settle(existing)
    after, losses = _settle((*existing, new))
    loss = next((c for c in losses if c.claim is new), None)
    if loss is not None:
        if loss.earlier.by == by.id:
            return loss.earlier
        return loss.public()
    kept = {id(w) for w in after}
    held = {id(w) for w in before}
    displaced = tuple(RivalClaim.of(w, _matched_on(w, new)) for w in before if id(w) not in kept)
    reinstated = tuple(
        RivalClaim.of(w, _matched_on(w, new) or "nothing of yours: it wins again")
        for w in after
        if w is not new and id(w) not in held
    )
    if not displaced and not reinstated:
        return new
    return attrs.evolve(new, displaces=displaced, reinstates=reinstated)


def _matched_on(other: Registration, own: Registration) -> str:
    """What of ``own`` matched ``other``, in words (empty when they do not match directly)."""
    return _same_customer(other, own) or ""


def resolve_claims(
    registrations: Iterable[Registration],
) -> tuple[tuple[Registration, ...], tuple[DuplicateClaim, ...]]:
    """Settle a whole registry: the winning registrations and every duplicate claim.

    Registrations are taken in order of time, then customer id, then registrant, so
    the answer does not depend on the order they are given in. A registration is a
    duplicate when it matches (phone or name key) a registration that came before it
    and won; the duplicate names the earliest such winner, as a `RivalClaim`.

    The winners are the registry itself, for whoever files the registrations (the
    service specialist, 负责业务员的客户报备); each `DuplicateClaim` is its claimant's
    answer and holds nothing of the winning registration but who holds it and since when.

    Args:
        registrations: every registration made.

    Returns:
        The winners in order of precedence, and every duplicate claim.
    """
    winners, losses = _settle(registrations)
    return winners, tuple(loss.public() for loss in losses)


def _settle(
    registrations: Iterable[Registration],
) -> tuple[tuple[Registration, ...], tuple[_Loss, ...]]:
    """`resolve_claims` with the full winning registration of each loss (internal)."""
    winners: list[Registration] = []
    losses: list[_Loss] = []
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
            losses.append(_Loss(registration, earlier, matched))
            continue
        winners.append(registration)
        for phone in registration.phones:
            by_phone.setdefault(phone, registration)
        if key:
            by_name.setdefault(key, registration)
    return tuple(winners), tuple(losses)
