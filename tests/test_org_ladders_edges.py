"""Edges of the approval route's ladders (`keyaccount.org._ladders`), against the plain rule.

Each test routes through `approval_route` and compares the whole answer (approver,
chain, authority, delegation) or the error and its message with the plain walk from
the requester's superior, where `refusal` decides every right level by level.
"""

from __future__ import annotations

import copy
import datetime as dt
import gc
import pickle
import threading
from decimal import Decimal

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyaccount import Authority, AuthorityKind, Money, OrgChart, Position, Rates, approval_route
from keyaccount.errors import KeyAccountError
from keyaccount.org._ladders import BUILT, ladders
from keyaccount.org.rights import Delegation, Scope
from keyaccount.org.route import _walk

RATES = Rates({("USD", "CNY"): "7.1", ("CNY", "USD"): "0.14", ("EUR", "CNY"): "7.7"})

Answer = tuple[object, ...]


def _plain(
    chart: OrgChart,
    requester: str,
    subject: str,
    amount: Money,
    within_budget: bool,
    rates: Rates | None,
) -> Answer:
    """The walk from the bottom of the chain, `refusal` deciding every right."""
    try:
        chain = chart._index.chain(requester)
        route = _walk(
            chart, requester, subject, amount, chain, within_budget=within_budget, rates=rates
        )
    except KeyAccountError as error:
        return (type(error).__name__, str(error))
    return (route.chain, route.authority, route.delegation, route.amount, route.within_budget)


def _routed(
    chart: OrgChart,
    requester: str,
    subject: str,
    amount: Money,
    within_budget: bool,
    rates: Rates | None,
) -> Answer:
    try:
        route = approval_route(
            chart, requester, subject, amount, within_budget=within_budget, rates=rates
        )
    except KeyAccountError as error:
        return (type(error).__name__, str(error))
    return (route.chain, route.authority, route.delegation, route.amount, route.within_budget)


def _amounts(chart: OrgChart) -> list[Money]:
    """Zero, huge, the smallest step, and every limit, beside it, in every currency."""
    out = [Money(0), Money("999999999999999999.99999999"), Money("0.00000001")]
    for position in chart.positions:
        for authority in position.authorities:
            if authority.limit is None:
                continue
            for step in (Decimal(0), Decimal("0.01"), Decimal("-0.01"), Decimal("1E-8")):
                value = max(authority.limit.amount + step, Decimal(0))
                out.extend(Money(value, currency) for currency in ("CNY", "USD", "EUR"))
    return out


def _same_everywhere(chart: OrgChart, rates: Rates | None) -> None:
    for position in chart.positions:
        for subject in ("expense", "credit"):
            for amount in _amounts(chart):
                for within_budget in (True, False):
                    expected = _plain(chart, position.id, subject, amount, within_budget, rates)
                    got = _routed(chart, position.id, subject, amount, within_budget, rates)
                    assert got == expected, (position.id, subject, amount, within_budget)


@st.composite
def tangled_charts(draw: st.DrawFn) -> OrgChart:
    """Small charts with up to four rights a position (two subjects, three currencies,
    limits at 8 places, ``10**17``, or none), every scope, and now and then a position
    reporting to itself, to a later one (cycles) or to nobody in the chart."""
    count = draw(st.integers(2, 9))
    ids = [f"p{i}" for i in range(count)]
    # Mostly limits in CNY, so that rungs reach finite amounts and answer at once.
    some = st.builds(
        Money,
        st.sampled_from([0, "0.00000001", 10, "10.00", 71, "100.00000001", 500, 10**17]),
        st.sampled_from(["CNY", "CNY", "CNY", "CNY", "USD", "EUR"]),
    )
    limit = st.one_of(some, some, some, st.none())
    right = st.builds(
        Authority,
        kind=st.sampled_from(sorted(AuthorityKind, key=str)),
        subject=st.sampled_from(["expense", "expense", "expense", "credit"]),
        scope=st.sampled_from([*Scope, Scope.COMPANY, Scope.ALL_SUBORDINATES, Scope.COMPANY]),
        scope_positions=st.lists(st.sampled_from(ids), max_size=3).map(tuple),
        limit=limit,
        within_budget_only=st.booleans(),
        within_range_only=st.booleans(),
    )
    members = []
    for i in range(count):
        choices: list[str | None] = [None, *ids[:i]]
        if draw(st.integers(0, 7)) == 0:
            choices += [*ids[i:], "ghost"]  # itself, a later one, or nobody in the chart
        superior = draw(st.sampled_from(choices)) if i else None
        department = draw(st.sampled_from(["d0", "d1"]))
        rights = tuple(draw(st.lists(right, max_size=4)))
        members.append(Position(ids[i], ids[i], ids[i], department, superior, authorities=rights))
    return OrgChart("tangled", "tangled", "tangled", tuple(members))


@settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], max_examples=150
)
@given(tangled_charts(), st.booleans())
def test_tangled_charts_route_as_the_plain_walk_everywhere(
    chart: OrgChart, with_rates: bool
) -> None:
    _same_everywhere(chart, RATES if with_rates else None)


def _chart(top_limit: int, name: str = "c") -> OrgChart:
    """p0 (company, ``top_limit``) > p1 (department d1, 100) > p4 (d1), p2, p3 (d0).

    p1's right approves 100 for p4, not for p2 or p3: its rung on their ladder must not
    answer at once for all three from what it answers for the first of them.
    """
    company = Authority(
        AuthorityKind.APPROVE, "expense", scope=Scope.COMPANY, limit=Money(top_limit)
    )
    department = Authority(
        AuthorityKind.APPROVE, "expense", scope=Scope.DEPARTMENT, limit=Money(100)
    )
    return OrgChart(
        name,
        name,
        name,
        (
            Position("p0", "p0", "p0", "d0", None, authorities=(company,)),
            Position("p1", "p1", "p1", "d1", "p0", authorities=(department,)),
            Position("p4", "p4", "p4", "d1", "p1"),  # p1's first subordinate: in its department
            Position("p2", "p2", "p2", "d0", "p1"),
            Position("p3", "p3", "p3", "d0", "p1"),
        ),
    )


def test_charts_equal_by_value_or_reborn_at_a_reused_id_keep_their_own_answers() -> None:
    # Charts that differ only in the top's limit, built and dropped in turn (their ids
    # are reused), and copies equal by value routed alternately: each its own answer.
    for round_ in range(200):
        top = 50 + round_ % 3 * 100
        chart = _chart(top)
        for amount in (Money(100), Money(150), Money(250)):
            for requester in ("p2", "p4"):
                expected = _plain(chart, requester, "expense", amount, True, None)
                assert _routed(chart, requester, "expense", amount, True, None) == expected
        del chart
        if round_ % 10 == 0:
            gc.collect()
    chart = _chart(150)
    copies = [
        chart,
        pickle.loads(pickle.dumps(chart)),
        copy.copy(chart),
        copy.deepcopy(chart),
        attrs.evolve(chart),
    ]
    other = _chart(50)
    for _ in range(3):
        for each in (*copies, other):
            assert _routed(each, "p4", "expense", Money(120), True, None) == _plain(
                each, "p4", "expense", Money(120), True, None
            )
    assert all(BUILT[id(each)][1] is ladders(each) for each in copies)


def test_a_subclass_of_the_chart_routes_as_the_plain_walk() -> None:
    class Sub(OrgChart):
        pass

    base = _chart(150)
    chart = Sub(base.name, base.title, base.title_en, base.positions)
    for requester in ("p1", "p2", "p4"):
        for amount in (Money(0), Money(100), Money(101), Money(150), Money(151)):
            for within_budget in (True, False):
                expected = _plain(chart, requester, "expense", amount, within_budget, None)
                assert _routed(chart, requester, "expense", amount, within_budget, None) == expected


def test_threads_routing_a_fresh_chart_at_once_agree() -> None:
    for _ in range(20):
        chart = _chart(150)
        answers: list[Answer] = []

        def route(chart: OrgChart = chart, answers: list[Answer] = answers) -> None:
            answers.append(_routed(chart, "p2", "expense", Money(120), True, None))

        threads = [threading.Thread(target=route) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [_plain(chart, "p2", "expense", Money(120), True, None)] * 6


@attrs.frozen
class _Fit:
    within_budget: bool


def test_budget_answers_and_delegations_inactive_or_active_at_as_of() -> None:
    chart = _chart(150)
    as_of = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    later = Delegation(
        "p0",
        "p1",
        frozenset({AuthorityKind.APPROVE}),
        frozenset({"expense"}),
        dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2027, 2, 1, tzinfo=dt.UTC),
    )
    for fit in (_Fit(True), _Fit(False)):
        plain = approval_route(chart, "p2", "expense", 120, within_budget=fit.within_budget)
        for asked in (
            approval_route(chart, "p2", "expense", 120, within_budget=fit),
            approval_route(chart, "p2", "expense", 120, delegations=[later], as_of=as_of),
            approval_route(chart, "p2", "expense", 120, as_of=as_of),
        ):
            if asked.within_budget == plain.within_budget:
                assert asked == plain
    active = attrs.evolve(later, valid_from=as_of - dt.timedelta(days=1))
    route = approval_route(chart, "p4", "expense", 120, delegations=[active], as_of=as_of)
    assert (route.approver, route.delegation) == ("p1", active)
    assert approval_route(chart, "p4", "expense", 120).approver == "p0"


def test_a_rung_whose_rights_differ_answers_as_the_walk_at_each_of_them() -> None:
    # p1 holds, on one subject: a right below its highest (asked first), a within-budget
    # right up to its reach, and one in range only without a limit; p0 holds no limit.
    lower = Authority(AuthorityKind.APPROVE, "expense", scope=Scope.COMPANY, limit=Money(10))
    budget_only = Authority(
        AuthorityKind.DECIDE,
        "expense",
        scope=Scope.ALL_SUBORDINATES,
        limit=Money("100.00000001"),
        within_budget_only=True,
    )
    in_range = Authority(AuthorityKind.APPROVE, "expense", within_range_only=True)
    usd = Authority(AuthorityKind.APPROVE, "expense", scope=Scope.COMPANY, limit=Money(5, "USD"))
    top = Authority(AuthorityKind.APPROVE, "expense", scope=Scope.COMPANY)
    cases = [
        (lower, budget_only),
        (budget_only, lower),
        (budget_only,),
        (in_range, budget_only),
        (usd, budget_only),
        (lower, usd),
    ]
    for rights in cases:
        chart = OrgChart(
            "r",
            "r",
            "r",
            (
                Position("p0", "p0", "p0", "d", None, authorities=(top,)),
                Position("p1", "p1", "p1", "d", "p0", authorities=rights),
                Position("p2", "p2", "p2", "d", "p1", authorities=(lower,)),
                Position("p3", "p3", "p3", "d", "p2"),
            ),
        )
        for rates in (None, RATES):
            _same_everywhere(chart, rates)
