"""Who must approve this amount? `approval_route` and the `ApprovalRoute` it answers with.

The route walks up from the requester's superior to the first position one of whose
approve or decide rights on the subject covers the amount (`refusal` is the rule), or
that approves for someone through an active delegation. The walk builds no text: a
route explains itself (`ApprovalRoute.steps`) only when asked, from the same rule.

The walk starts where the amount can first be approved: each position's ladder
(`keyaccount.org._ladders`, built once per chart) holds the reaches of the rights above
it that grow on the way up, and below the first rung that reaches the amount every
right is a limit in the amount's currency below it, which `refusal` refuses whatever
else holds. Where `refusal` said, when the ladder was built, that the rung's first
right approves every amount the rung is asked for by every requester it serves, the
route ends there; elsewhere `refusal` decides, level by level.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Protocol, runtime_checkable

import attrs

from keyaccount.errors import NoApproverError
from keyaccount.money import Money, Rates
from keyaccount.org._ladders import BUILT, Ladder, Ladders, ladders
from keyaccount.org.authority import (
    Asked,
    Refusal,
    active_delegations,
    as_money,
    check_request,
    delegated_right,
    refusal,
    refusal_words,
)
from keyaccount.org.chart import OrgChart
from keyaccount.org.model import Position
from keyaccount.org.rights import APPROVING_KINDS, Authority, Delegation

__all__ = ["ApprovalRoute", "BudgetAnswer", "approval_route"]


@runtime_checkable
class BudgetAnswer(Protocol):
    """An answer to "is this spending inside the approved budget?" (预算内).

    `approval_route` takes one in place of the ``within_budget`` boolean and reads its
    ``within_budget``; `keyaccount.finance.fits` answers with one (`BudgetFit`).
    """

    @property
    def within_budget(self) -> bool:
        """Whether the spending fits what is left of its approved budget."""
        ...


# A dict class, not slotted: every route builds one, and `_answer` writes its fields as
# one ``__dict__`` (attrs' own ``__init__`` for a dict class writes the same dict).
@attrs.frozen(slots=False)
class ApprovalRoute:
    """The answer of `approval_route`.

    Attributes:
        requester: the id of the position that asked.
        subject: what the request is about.
        amount: the amount requested.
        chain: the ids passed on the way up, from the requester's superior to the
            approver (the last element, never empty).
        authority: the right the approver approves under.
        delegation: the delegation it approves through, if any.
        within_budget: whether the request was inside the approved budget.
        rates: the exchange rates limits in another currency were compared with.
        chart: the chart the route was found in (not compared, not shown).
    """

    requester: str
    subject: str
    amount: Money
    chain: tuple[str, ...]
    authority: Authority
    delegation: Delegation | None = None
    within_budget: bool = attrs.field(default=True, kw_only=True)
    rates: Rates | None = attrs.field(default=None, kw_only=True)
    chart: OrgChart | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)

    @property
    def approver(self) -> str:
        """The id of the position that must approve: the last of the chain."""
        return self.chain[-1]

    @property
    def steps(self) -> tuple[str, ...]:
        """One line per position passed, saying why it did or did not approve.

        Worked out when read, from the chart and the rule the route was found with;
        empty for a route built without its chart.
        """
        chart = self.chart
        if chart is None:
            return ()
        request = Asked(chart.position(self.requester), self.amount, self.within_budget, self.rates)
        held = chart._index.approving.get(self.subject, {})
        passed = (
            _passed_step(chart, chart.position(p), held.get(p, ()), self.subject, request)
            for p in self.chain[:-1]
        )
        if self.delegation is None:
            last = f"approves under {self.authority.title()}"
        else:
            last = f"approves for {self.delegation.delegator} under a delegation (授权)"
        return (*passed, f"{self.approver}: {last}")

    def explain(self) -> str:
        """The route as readable lines."""
        head = f"{self.amount} of {self.subject} requested by {self.requester}:"
        return "\n".join([head, *(f"  {step}" for step in self.steps)])


def approval_route(
    chart: OrgChart,
    requester: str,
    subject: str,
    amount: Money | Decimal | int | str,
    *,
    within_budget: bool | BudgetAnswer = True,
    delegations: Sequence[Delegation] = (),
    rates: Rates | None = None,
    as_of: dt.datetime | None = None,
) -> ApprovalRoute:
    """Who must approve ``amount`` of ``subject`` requested by ``requester``.

    Walks up from the requester's superior (the requester never approves its own
    request) to the first position whose approve or decide right on ``subject`` covers
    ``amount``: a limit of X covers amounts up to and including X, no limit covers all.
    An over-budget request (``within_budget=False``) needs a right without the
    within-budget condition. A position also qualifies through a delegation to it that
    is active at ``as_of``, within the delegation's limit and the delegator's.

    Examples:
        >>> from keyaccount import reference
        >>> chart = reference.load("sales-management")
        >>> regional = chart.by_title("区域经理").id
        >>> approval_route(chart, regional, "customer-credit", 20000).approver
        'sales-management-manager'
        >>> approval_route(chart, regional, "customer-credit", "20000.01").approver
        'marketing-director'

    Args:
        chart: the org chart.
        requester: the id of the position asking.
        subject: what the request is about (``customer-credit``).
        amount: the amount requested; numbers are taken as CNY.
        within_budget: whether the spending is inside the approved budget: a bool, or
            a `BudgetAnswer` such as the `BudgetFit` of `keyaccount.finance.fits`,
            whose ``within_budget`` is read.
        delegations: delegations (授权) to take into account.
        rates: exchange rates for limits in another currency.
        as_of: the instant the rule is evaluated at, needed when ``delegations`` are given.

    Returns:
        The `ApprovalRoute`: the approver, the chain passed and the right used.

    Raises:
        UnknownPositionError: the requester (or a superior above it) is not in the chart.
        OrgStructureError: the reporting lines above the requester form a cycle.
        InvalidAmountError: the amount is negative.
        NoApproverError: nobody above qualifies; the message names the highest limit found.
        CurrencyMismatchError: a limit is in another currency and no ``rates`` were given.
        MissingAsOfError: delegations were given without ``as_of``.
        NaiveDatetimeError: ``as_of`` has no timezone (checked whenever it is given).
        InvalidArgumentTypeError: an argument is of the wrong type: ``chart`` not an
            `OrgChart`, a `Position` instead of its id, ``subject`` not text,
            ``within_budget`` not a bool, ``rates`` not `Rates`.
    """
    if within_budget is not True and within_budget is not False:
        if isinstance(within_budget, BudgetAnswer):
            within_budget = within_budget.within_budget
        check_request(chart, requester, "requester", subject, within_budget, rates)
    if (  # the common case in one expression; `check_request` explains (or allows subclasses)
        type(chart) is not OrgChart
        or type(requester) is not str
        or type(subject) is not str
        or (rates is not None and type(rates) is not Rates)
    ):
        check_request(chart, requester, "requester", subject, within_budget, rates)
    money = amount if type(amount) is Money and amount.amount >= _ZERO else as_money(amount)
    active = active_delegations(delegations, as_of) if delegations or as_of is not None else ()
    if not active:
        # `ladders(chart)`, inlined: the chart's ladders when built, else built now.
        built = BUILT.get(id(chart))
        table: Ladders = built[1] if built is not None and built[0]() is chart else ladders(chart)
        ladder = table.get((subject, money.currency), _NO_LADDERS).get(requester)
        if ladder is not None:
            # Below the first rung of the requester's ladder that reaches the amount,
            # every right is a limit in the amount's currency below it: refused whatever
            # else holds (`refusal` says so), so the walk starts at that rung. There the
            # answer is often known: `refusal` said it once for the chart (`Ladder.within`).
            rungs = len(ladder) // 4  # four runs (reaches, depths, within, over), the chain
            at = bisect_left(ladder, money.amount, 0, rungs)  # type: ignore[type-var]  # reaches
            chain: tuple[str, ...] = ladder[-1]  # type: ignore[assignment]  # `Ladder.chain`
            if at == rungs:  # nobody on the way up reaches the amount
                start = len(chain)
            else:
                start = ladder[rungs + at]  # type: ignore[assignment]  # `Ladder.depths`
                approver = ladder[(2 if within_budget else 3) * rungs + at]  # within, over
                if approver is not None:  # `_answer`, inlined: most routes end here
                    answer: ApprovalRoute = _new(ApprovalRoute)
                    _fill(
                        answer,
                        {
                            "requester": requester,
                            "subject": subject,
                            "amount": money,
                            "chain": chain[: start + 1],
                            "authority": approver,
                            "delegation": None,
                            "within_budget": within_budget,
                            "rates": rates,
                            "chart": chart,
                        },
                    )
                    return answer
            return _walk(  # `refusal` decides from the rung on
                chart,
                requester,
                subject,
                money,
                chain,
                within_budget=within_budget,
                rates=rates,
                start=start,
            )
    chain = chart._index.chain(requester)
    return _walk(
        chart,
        requester,
        subject,
        money,
        chain,
        within_budget=within_budget,
        rates=rates,
        active=active,
    )


def _walk(
    chart: OrgChart,
    requester: str,
    subject: str,
    money: Money,
    chain: tuple[str, ...],
    *,
    within_budget: bool,
    rates: Rates | None,
    active: tuple[Delegation, ...] = (),
    start: int = 0,
) -> ApprovalRoute:
    """The walk up ``chain`` from ``start``: `refusal` decides, level by level.

    Args:
        chart: the org chart.
        requester: the id of the position asking, whose ``chain`` is known.
        subject: what the request is about.
        money: the amount requested.
        chain: the requester's chain of command.
        within_budget: whether the request is inside the approved budget.
        rates: exchange rates for limits in another currency.
        active: the delegations active at the request's instant.
        start: the depth in ``chain`` the walk starts at.

    Returns:
        The `ApprovalRoute`.

    Raises:
        NoApproverError: nobody from there up qualifies.
        CurrencyMismatchError: a limit is in another currency and no rates were given.
    """
    index = chart._index
    by_id = index.by_id
    held = index.approving.get(subject, _HOLDS_NONE)
    asking = by_id[requester]
    value, currency = money.amount, money.currency
    depth = start
    while depth < len(chain):
        position_id = chain[depth]
        depth += 1
        holder: Position | None = None  # looked up when a right is asked about
        for authority in held.get(position_id, ()):
            # A limit below the amount in its own currency is refused whatever else holds
            # (`refusal` says so, or names an earlier reason): passed over without a call.
            limit = authority.limit
            if limit is not None and limit.currency == currency and value > limit.amount:
                continue
            if holder is None:
                holder = by_id[position_id]
            if refusal(chart, holder, authority, asking, money, within_budget, rates) is None:
                return _answer(
                    requester,
                    subject,
                    money,
                    chain[:depth],
                    authority,
                    None,
                    within_budget,
                    rates,
                    chart,
                )
        if active:
            asked = Asked(asking, money, within_budget, rates)
            granted = _delegated_approval(chart, active, position_id, subject, asked)
            if granted is not None:
                return _answer(
                    requester,
                    subject,
                    money,
                    chain[:depth],
                    granted.authority,
                    granted.delegation,
                    within_budget,
                    rates,
                    chart,
                )
    highest = _highest_limit(chart, chain, held, Asked(asking, money, within_budget, rates))
    above = f"; the highest limit found is {highest}" if highest else ""
    raise NoApproverError(
        f"no position above {requester} may approve {money} of {subject}{above}",
        highest_limit=str(highest.limit) if highest else None,
    )


_ZERO = Decimal(0)
_HOLDS_NONE: Mapping[str, tuple[Authority, ...]] = MappingProxyType({})
_NO_LADDERS: Mapping[str, Ladder] = MappingProxyType({})
_new = object.__new__
_fill = vars(ApprovalRoute)["__dict__"].__set__  # writes an instance's ``__dict__``


def _answer(
    requester: str,
    subject: str,
    amount: Money,
    chain: tuple[str, ...],
    authority: Authority,
    delegation: Delegation | None,
    within_budget: bool,
    rates: Rates | None,
    chart: OrgChart,
) -> ApprovalRoute:
    """The `ApprovalRoute` attrs' ``__init__`` would build from these fields.

    `ApprovalRoute` has no converters or validators: its ``__init__`` only writes each
    field into the instance's ``__dict__``. This writes the same dict at once, in about
    half the time of the call (`tests/test_org_route_speed.py` pins the equality).
    """
    route: ApprovalRoute = _new(ApprovalRoute)
    _fill(
        route,
        {
            "requester": requester,
            "subject": subject,
            "amount": amount,
            "chain": chain,
            "authority": authority,
            "delegation": delegation,
            "within_budget": within_budget,
            "rates": rates,
            "chart": chart,
        },
    )
    return route


@attrs.frozen
class _Delegated:
    """A right approved under through a delegation."""

    authority: Authority
    delegation: Delegation


def _delegated_approval(
    chart: OrgChart,
    active: tuple[Delegation, ...],
    position_id: str,
    subject: str,
    request: Asked,
) -> _Delegated | None:
    """The delegation through which ``position_id`` approves the request, if any.

    A right the requester delegated upward is still the requester's own right: it does
    not make its delegate an approver.
    """
    for delegation in active:
        if delegation.delegate != position_id or delegation.delegator == request.target_id:
            continue
        for kind in APPROVING_KINDS:
            if delegation.covers(kind, subject):
                granted = delegated_right(chart, delegation, kind, subject, request)
                if granted is not None:
                    return _Delegated(granted, delegation)
    return None


def _passed_step(
    chart: OrgChart,
    holder: Position,
    rights: Sequence[Authority],
    subject: str,
    request: Asked,
) -> str:
    """Why ``holder``, passed on the way up, did not approve the request."""
    if not rights:
        return f"{holder.id}: holds no approval right on {subject}"
    reasons = []
    for authority in rights:
        why = request.refusal(chart, holder, authority)
        words = "it approves" if why is None else refusal_words(why, authority, request.amount)
        if why is Refusal.OUT_OF_SCOPE:
            words += f", not {request.target_id}"
        reasons.append(words)
    return f"{holder.id}: cannot approve ({'; '.join(reasons)})"


@attrs.frozen
class _HeldLimit:
    """A limit held on the way up, and by whom (for `NoApproverError`)."""

    limit: Money
    position: str

    def __str__(self) -> str:
        return f"{self.limit} ({self.position})"


def _highest_limit(
    chart: OrgChart,
    chain: tuple[str, ...],
    held: Mapping[str, tuple[Authority, ...]],
    request: Asked,
) -> _HeldLimit | None:
    """The highest limit among the rights on the way up whose scope reached the requester.

    Limits in a currency other than the first one found are not compared.
    """
    highest: _HeldLimit | None = None
    for position_id in chain:
        holder = chart.position(position_id)
        for authority in held.get(position_id, ()):
            limit = authority.limit
            if limit is None or (
                highest is not None
                and (limit.currency != highest.limit.currency or limit <= highest.limit)
            ):
                continue
            if request.refusal(chart, holder, authority) is not Refusal.OUT_OF_SCOPE:
                highest = _HeldLimit(limit, position_id)
    return highest
