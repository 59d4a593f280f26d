"""May this position do this? `can`, and the rule for whether one right covers a request.

A right covers a request when the target is in its scope, the budget condition holds,
and the amount is within its limit. `refusal` is that rule, the one place it is written:
`can` asks it of the position's own rights and of delegated ones, `approval_route` of
each right on the way up, and `check_org` uses `in_scope`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from decimal import Decimal

import attrs

from keyaccount._fields import to_instant
from keyaccount.errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidArgumentTypeError,
    MissingAsOfError,
)
from keyaccount.money import Money, Rates
from keyaccount.org.chart import OrgChart
from keyaccount.org.model import Position
from keyaccount.org.rights import Authority, AuthorityKind, Delegation, Scope

__all__ = ["Asked", "Decision", "can"]  # the rest serves the rules of this package


@attrs.frozen
class Decision:
    """The answer of `can`: truthy when allowed.

    Attributes:
        allowed: whether the position may do it.
        reason: why, in words a person can read.
        position: the id of the position asked about.
        authority: the authority that allows it (or the closest one that did not).
        delegation: the delegation it was exercised through, if any.
    """

    allowed: bool
    reason: str
    position: str
    kind: AuthorityKind
    subject: str
    authority: Authority | None = None
    delegation: Delegation | None = None

    def __bool__(self) -> bool:
        return self.allowed


def can(
    chart: OrgChart,
    position: str,
    kind: AuthorityKind,
    subject: str,
    *,
    target: str | None = None,
    amount: Money | Decimal | int | str | None = None,
    within_budget: bool = True,
    delegations: Sequence[Delegation] = (),
    rates: Rates | None = None,
    as_of: dt.datetime | None = None,
) -> Decision:
    """Whether ``position`` may exercise ``kind`` on ``subject``.

    The position's own authorities are tried first, then any delegation to it that is
    active at ``as_of``. Scopes are honoured: a right over direct subordinates
    (直接下级) allows nothing over anybody else, and needs a ``target``.

    Examples:
        >>> from keyaccount import reference
        >>> chart = reference.load("sales-management")
        >>> manager = chart.by_title("销售管理部经理").id
        >>> bool(can(chart, manager, AuthorityKind.APPROVE, "customer-credit", amount=20000))
        True
        >>> amount = "20000.01"
        >>> decision = can(chart, manager, AuthorityKind.APPROVE, "customer-credit", amount=amount)
        >>> bool(decision), decision.reason.split(": ", 1)[1]
        (False, '20000.01 CNY is not covered: its limit is 20000 CNY')

    Args:
        chart: the org chart.
        position: the id of the position asking.
        kind: the kind of right it would exercise.
        subject: what it is about (``customer-credit``).
        target: the position acted upon (for scoped rights such as appraisal).
        amount: the amount at stake; numbers are taken as CNY.
        within_budget: whether the spending is inside the approved budget.
        delegations: delegations (授权) to take into account.
        rates: exchange rates for limits in another currency.
        as_of: the instant the rule is evaluated at, needed when ``delegations`` are given.

    Returns:
        A `Decision`, truthy when allowed, with the right and the reason.

    Raises:
        UnknownPositionError: the position or target is not in the chart.
        InvalidAmountError: the amount is negative.
        CurrencyMismatchError: a limit is in another currency and no ``rates`` were given.
        MissingAsOfError: delegations were given without ``as_of``.
        NaiveDatetimeError: ``as_of`` has no timezone (checked whenever it is given).
        InvalidArgumentTypeError: an argument is of the wrong type: ``chart`` not an
            `OrgChart`, a `Position` instead of its id, ``kind`` not an `AuthorityKind`,
            ``subject`` not text, ``within_budget`` not a bool, ``rates`` not `Rates`.
    """
    check_request(chart, position, "position", subject, within_budget, rates)
    if not isinstance(kind, AuthorityKind):
        raise InvalidArgumentTypeError(
            f"kind must be an AuthorityKind (e.g. AuthorityKind.APPROVE), got {type(kind).__name__}"
        )
    if target is not None:
        _check_id(target, "target")
    holder = chart.position(position)
    acted_on = None if target is None else chart.position(target)
    money = None if amount is None else as_money(amount)
    asked = Asked(acted_on, money, within_budget, rates)
    own = _own_rights(chart, holder, kind, subject, asked)
    if own.allowing is not None:
        return Decision(
            True,
            f"{holder.id} holds {own.allowing.title()}",
            holder.id,
            kind,
            subject,
            own.allowing,
        )
    for delegation in active_delegations(delegations, as_of):
        if delegation.delegate != holder.id or not delegation.covers(kind, subject):
            continue
        granted = delegated_right(chart, delegation, kind, subject, asked)
        if granted is not None:
            return Decision(
                True,
                f"{holder.id} acts for {delegation.delegator} under a delegation (授权) "
                f"valid until {delegation.valid_until.to_iso8601_string()}",
                holder.id,
                kind,
                subject,
                granted,
                delegation,
            )
    reason = "; ".join(own.reasons) or _missing_right_reason(chart, holder, kind, subject)
    return Decision(
        False,
        f"{holder.id} may not {kind.value} {subject}: {reason}",
        holder.id,
        kind,
        subject,
        own.closest,
    )


# --------------------------------------------------------------------------- one right


class Refusal(enum.Enum):
    """Why a right does not cover a request (in the order they are checked)."""

    OUT_OF_SCOPE = "out-of-scope"
    OVER_BUDGET = "over-budget"
    NO_RANGE = "no-range"
    OVER_LIMIT = "over-limit"


def refusal(  # noqa: PLR0911, PLR0912 - one test per condition, in the order they are explained
    chart: OrgChart,
    holder: Position,
    authority: Authority,
    target: Position | None,
    amount: Money | None,
    within_budget: bool,
    rates: Rates | None,
) -> Refusal | None:
    """Why ``authority``, held by ``holder``, does not cover a request; ``None`` if it does.

    The request: ``target`` acted upon (the requester, on an approval route), the
    ``amount`` at stake, whether it is ``within_budget``, and the ``rates`` limits in
    another currency are compared with.

    The one statement of the rule, checked in this order:

    1. the scope: a right over the company covers every target; without a target only
       rights over the holder itself or its department apply; otherwise the target must
       be in the holder's department, report directly to it, be below it, be it, or be
       one of the named positions, as the scope says;
    2. the budget: a within-budget right (预算内) does not cover over-budget spending;
    3. the range: a right "在权限范围内" without a configured limit covers no amount;
    4. the limit: a limit of X covers amounts up to and including X; another currency is
       compared only through ``rates``.

    Every rule over rights calls this (`can`, `approval_route`, `check_org`), so it is
    written flat, without calls on the common path: the approval route runs it for every
    right on the way up.

    Raises:
        CurrencyMismatchError: the limit is in another currency and no ``rates`` were given.
    """
    scope = authority.scope
    if scope is Scope.COMPANY:
        pass
    elif target is None:
        if scope is not Scope.DEPARTMENT and scope is not Scope.SELF:
            return Refusal.OUT_OF_SCOPE
    elif scope is Scope.DEPARTMENT:
        if target.department != holder.department:
            return Refusal.OUT_OF_SCOPE
    elif scope is Scope.DIRECT_SUBORDINATES:
        if target.superior != holder.id:
            return Refusal.OUT_OF_SCOPE
    elif scope is Scope.ALL_SUBORDINATES:
        if not chart.is_above(holder.id, target.id):
            return Refusal.OUT_OF_SCOPE
    elif scope is Scope.SELF:
        if target.id != holder.id:
            return Refusal.OUT_OF_SCOPE
    elif target.id not in authority.scope_positions:
        return Refusal.OUT_OF_SCOPE
    if authority.within_budget_only and not within_budget:
        return Refusal.OVER_BUDGET
    if amount is None:
        return None
    limit = authority.limit
    if limit is None:
        return Refusal.NO_RANGE if authority.within_range_only else None
    if limit.currency == amount.currency:
        return None if amount.amount <= limit.amount else Refusal.OVER_LIMIT
    return None if within_limit(limit, amount, rates) else Refusal.OVER_LIMIT


def in_scope(
    chart: OrgChart, holder: Position, authority: Authority, target: Position | None
) -> bool:
    """Whether ``target`` is within the scope of ``authority`` held by ``holder``.

    The scope part of `refusal`: without a target only rights over the holder itself or
    its department apply.
    """
    return refusal(chart, holder, authority, target, None, True, None) is not Refusal.OUT_OF_SCOPE


def within_limit(limit: Money | None, amount: Money | None, rates: Rates | None) -> bool:
    """Whether ``limit`` covers ``amount``: a limit of X covers amounts <= X.

    Raises:
        CurrencyMismatchError: the currencies differ and no ``rates`` were given.
    """
    if amount is None or limit is None:
        return True
    if amount.currency == limit.currency:
        return amount.amount <= limit.amount
    if rates is None:
        raise CurrencyMismatchError(
            f"the limit is {limit} but the amount is {amount}; pass explicit rates to compare them"
        )
    return rates.at_most(amount, limit)


def refusal_words(why: Refusal, authority: Authority, amount: Money | None) -> str:
    """``why`` in words, e.g. ``its limit is 20000 CNY``."""
    if why is Refusal.OUT_OF_SCOPE:
        return f"its right covers {scope_words(authority)}"
    if why is Refusal.OVER_BUDGET:
        return "it holds only within the approved budget (预算内)"
    if why is Refusal.NO_RANGE:
        return "it holds only within a range (在权限范围内) that is not configured"
    limit = authority.limit
    if amount is not None and limit is not None and amount.currency != limit.currency:
        return f"its limit is {limit} ({amount} converted with the given rates exceeds it)"
    return f"its limit is {limit}"


def scope_words(authority: Authority) -> str:
    """Over whom ``authority`` holds, in words."""
    if authority.scope is Scope.POSITIONS:
        return f"the positions {', '.join(authority.scope_positions)}"
    return {
        Scope.SELF: "its own matters",
        Scope.DIRECT_SUBORDINATES: "its direct subordinates (直接下级)",
        Scope.ALL_SUBORDINATES: "the positions below it (所属下级)",
        Scope.DEPARTMENT: "its department (部门内)",
        Scope.COMPANY: "the company",
    }[authority.scope]


def _check_id(value: object, what: str) -> None:
    """Refuse a position id that is not text; a `Position` is named: pass its id."""
    if type(value) is not str and not isinstance(value, str):
        held = f"the Position {value.id!r}; pass its id" if isinstance(value, Position) else ""
        raise InvalidArgumentTypeError(
            f"{what} must be a position id (str), got {held or type(value).__name__}"
        )


def check_request(
    chart: object,
    position: object,
    what: str,
    subject: object,
    within_budget: object,
    rates: object,
) -> None:
    """Refuse arguments of a rule over rights that are of the wrong type.

    Cheap (``type(x) is`` first), so the approval route can afford it on every call: a
    title instead of a chart, a `Position` instead of its id, a number as the subject,
    ``"no"`` for ``within_budget`` would otherwise fail deep inside, or worse, be
    taken as true.

    Raises:
        InvalidArgumentTypeError: naming the argument and the type expected.
    """
    if type(chart) is not OrgChart and not isinstance(chart, OrgChart):
        raise InvalidArgumentTypeError(
            f"chart must be an OrgChart (e.g. reference.load(name)), got {type(chart).__name__}"
        )
    _check_id(position, what)
    if type(subject) is not str and not isinstance(subject, str):
        raise InvalidArgumentTypeError(
            f"subject must be text such as 'customer-credit', got {type(subject).__name__}"
        )
    if within_budget is not True and within_budget is not False:
        raise InvalidArgumentTypeError(
            f"within_budget must be True or False, got {type(within_budget).__name__}"
        )
    if rates is not None and not isinstance(rates, Rates):
        raise InvalidArgumentTypeError(
            f"rates must be Rates (e.g. Rates({{('USD', 'CNY'): '7.1'}})), "
            f"got {type(rates).__name__}"
        )


def as_money(amount: Money | Decimal | int | str) -> Money:
    """The amount at stake as `Money` (numbers are CNY).

    Raises:
        InvalidAmountError: the amount is negative.
    """
    money = amount if isinstance(amount, Money) else Money(amount)
    if money.amount < 0:
        raise InvalidAmountError(f"the amount at stake must not be negative, got {money}")
    return money


@attrs.frozen
class Asked:
    """A request as the rule over one right reads it: the target and what is at stake.

    Attributes:
        target: the position acted upon (the requester, on an approval route).
        amount: the amount at stake, if any.
        within_budget: whether the spending is inside the approved budget.
        rates: exchange rates for limits in another currency.

    The approval route's inner loop passes these facts to `refusal` one by one instead:
    it runs for every right on the way up, and building this value for every route
    would cost a tenth of it.
    """

    target: Position | None
    amount: Money | None
    within_budget: bool = True
    rates: Rates | None = None

    @property
    def target_id(self) -> str | None:
        """The id of the position acted upon, if any."""
        return None if self.target is None else self.target.id

    def refusal(self, chart: OrgChart, holder: Position, authority: Authority) -> Refusal | None:
        """Why ``authority``, held by ``holder``, does not cover this request (`refusal`)."""
        return refusal(
            chart, holder, authority, self.target, self.amount, self.within_budget, self.rates
        )


# --------------------------------------------------------------------------- delegations


def active_delegations(
    delegations: Sequence[Delegation], as_of: dt.datetime | None
) -> tuple[Delegation, ...]:
    """The delegations valid at ``as_of``; ``as_of`` is checked whenever it is given.

    Raises:
        MissingAsOfError: delegations were given without ``as_of``.
        NaiveDatetimeError: ``as_of`` has no timezone.
        NotAnInstantError: ``as_of`` is not a datetime.
        InvalidArgumentTypeError: ``delegations`` is not a sequence of `Delegation`.
    """
    instant = None if as_of is None else to_instant(as_of, "as_of")
    if not delegations:
        return ()
    if isinstance(delegations, Delegation) or not all(
        isinstance(d, Delegation) for d in delegations
    ):
        raise InvalidArgumentTypeError(
            "delegations must be a sequence of Delegation, e.g. [delegation]"
        )
    if instant is None:
        raise MissingAsOfError("delegations were given without as_of; pass the instant to check")
    return tuple(d for d in delegations if d.valid_from <= instant < d.valid_until)


def delegated_right(
    chart: OrgChart, delegation: Delegation, kind: AuthorityKind, subject: str, asked: Asked
) -> Authority | None:
    """The delegator's right exercised through ``delegation``, if it covers the request.

    Within the delegation's own limit and never beyond what the delegator holds.
    """
    if delegation.delegator not in chart:
        return None
    delegator = chart.position(delegation.delegator)
    own = _own_rights(chart, delegator, kind, subject, asked)
    if own.allowing is None or not within_limit(delegation.limit, asked.amount, asked.rates):
        return None
    return own.allowing


# --------------------------------------------------------------------------- own rights


@attrs.frozen
class _OwnRights:
    """What a position's own rights of one kind on one subject say about a request.

    Attributes:
        allowing: the first right that covers the request, if any.
        closest: the last right of that kind and subject (that did not cover it).
        reasons: why each right of that kind and subject did not cover it.
    """

    allowing: Authority | None
    closest: Authority | None
    reasons: tuple[str, ...]


def _own_rights(
    chart: OrgChart, holder: Position, kind: AuthorityKind, subject: str, asked: Asked
) -> _OwnRights:
    closest: Authority | None = None
    reasons: list[str] = []
    for authority in holder.authorities:
        if authority.kind is not kind or authority.subject != subject:
            continue
        why = asked.refusal(chart, holder, authority)
        if why is None:
            return _OwnRights(authority, authority, ())
        closest = authority
        if why is Refusal.OUT_OF_SCOPE:
            reasons.append(
                f"its {kind.label} on {subject} covers {scope_words(authority)}"
                + (f", not {asked.target.id}" if asked.target else "; name the target")
            )
        else:
            words = refusal_words(why, authority, asked.amount)
            reasons.append(f"{asked.amount} is not covered: {words}")
    return _OwnRights(None, closest, tuple(reasons))


def _missing_right_reason(
    chart: OrgChart, holder: Position, kind: AuthorityKind, subject: str
) -> str:
    """Why a position holding no covering right may not: it holds none, or only advises."""
    advisory = [a for a in holder.authorities if a.subject == subject and a.kind.advises]
    if advisory and kind.decides:
        deciders = [
            p.id
            for p in chart.chain_of_command(holder.id)
            if any(a.subject == subject and a.kind.decides for a in p.authorities)
        ]
        where = f"; the decision lies with {deciders[0]}" if deciders else ""
        return (
            f"it holds only a {advisory[0].kind.label} ({advisory[0].kind.value}), "
            f"which is not a decision{where}"
        )
    return f"it holds no {kind.label} ({kind.value}) on {subject}"
