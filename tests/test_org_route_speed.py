"""The approval route's fast paths change nothing: ladders, plain amounts, the answer's build.

`approval_route` starts its walk at the first rung of the requester's ladder that reaches
the amount (`keyaccount.org._ladders`), answers at once where `refusal` said, when the
ladder was built, that the rung's first right approves every amount it is asked for by
every requester the ladder serves (`Ladder.within`, `Ladder.over`), takes plain amounts
through Money's fast converter and builds its answer without attrs' call overhead. Each
is pinned here against the plain statement of the rule: a walk up the chain of command
asking `refusal` of every approving right, level by level.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyaccount import (
    ApprovalRoute,
    Authority,
    AuthorityKind,
    Money,
    OrgChart,
    Position,
    Rates,
    approval_route,
)
from keyaccount._money_parse import _bounded, to_decimal
from keyaccount.errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidCurrencyError,
    KeyAccountError,
    NoApproverError,
)
from keyaccount.org._ladders import ladders
from keyaccount.org.authority import refusal
from keyaccount.org.rights import APPROVING_KINDS, Scope
from keyaccount.testing import ORG_SUBJECTS, money, org_charts

chart_settings = settings(suppress_health_check=[HealthCheck.too_slow], max_examples=200)

RATES = Rates({("USD", "CNY"): "7.1", ("CNY", "USD"): "0.14"})

Outcome = tuple[str, ...] | tuple[str, tuple[str, ...], Authority]


def reference_route(
    chart: OrgChart,
    requester: str,
    subject: str,
    amount: Money,
    within_budget: bool,
    rates: Rates | None,
) -> Outcome:
    """The rule stated plainly: the first right on the way up that `refusal` lets through."""
    asking = chart.position(requester)
    chain: list[str] = []
    try:
        for holder in chart.chain_of_command(requester):
            chain.append(holder.id)
            for authority in holder.authorities:
                if authority.kind not in APPROVING_KINDS or authority.subject != subject:
                    continue
                if refusal(chart, holder, authority, asking, amount, within_budget, rates) is None:
                    return (holder.id, tuple(chain), authority)
    except KeyAccountError as error:
        return (type(error).__name__,)
    return ("NoApproverError",)


def library_route(
    chart: OrgChart,
    requester: str,
    subject: str,
    amount: Money | Decimal | int,
    within_budget: bool,
    rates: Rates | None,
) -> Outcome:
    try:
        route = approval_route(
            chart, requester, subject, amount, within_budget=within_budget, rates=rates
        )
    except KeyAccountError as error:
        return (type(error).__name__,)
    return (route.approver, route.chain, route.authority)


@st.composite
def dense_charts(draw: st.DrawFn) -> OrgChart:
    """Deep trees where positions hold approving rights on ``expense`` that mostly reach
    their subordinates, with limits in CNY or USD on few distinct values: routes meet
    many rights, and amounts often sit exactly on a limit."""
    count = draw(st.integers(2, 14))
    limit = st.none() | st.builds(
        Money, st.sampled_from([0, 10, 50, 71, 100, 355, 500]), st.sampled_from(["CNY", "USD"])
    )
    right = st.builds(
        Authority,
        kind=st.sampled_from(sorted(APPROVING_KINDS, key=str)),
        subject=st.just("expense"),
        scope=st.sampled_from(
            [Scope.COMPANY, Scope.ALL_SUBORDINATES, Scope.DEPARTMENT, Scope.DIRECT_SUBORDINATES]
        ),
        limit=limit,
        within_budget_only=st.booleans(),
        within_range_only=st.booleans(),
    )
    members = [
        Position(
            f"p{i}",
            f"p{i}",
            f"p{i}",
            draw(st.sampled_from(["d0", "d1"])),
            None if i == 0 else f"p{draw(st.integers(max(0, i - 2), i - 1))}",  # deep lines
            authorities=tuple(draw(st.lists(right, max_size=2))),
        )
        for i in range(count)
    ]
    return OrgChart("dense", "dense", "dense", tuple(members))


@st.composite
def requests(draw: st.DrawFn) -> tuple[OrgChart, str, str]:
    if draw(st.booleans()):
        chart = draw(dense_charts())
        return chart, chart.positions[-1].id, "expense"  # the deepest position asks
    chart = draw(org_charts(min_positions=2, currencies=("CNY", "USD")))
    subject = draw(st.sampled_from(ORG_SUBJECTS))
    return chart, draw(st.sampled_from([p.id for p in chart.positions])), subject


def amounts_near_limits(chart: OrgChart) -> list[Money]:
    """Every amount at, just above or just below a limit of the chart, in its own currency
    and converted into the other one: where the ladder's bisection could slip."""
    near: list[Money] = []
    for limit in {a.limit for p in chart for a in p.authorities if a.limit is not None}:
        for step in (Decimal(0), Decimal("0.01"), Decimal("-0.01")):
            value = max(limit.amount + step, Decimal(0))
            near.append(Money(value, limit.currency))
            if limit.currency == "USD":
                near.append(Money(value * Decimal("7.1"), "CNY"))
            else:
                near.append(Money(value * Decimal("0.14"), "USD"))
    return sorted(near, key=str)


@chart_settings
@given(requests(), money(("CNY", "USD"), max_amount=600), st.booleans(), st.booleans())
def test_the_route_is_the_first_right_refusal_lets_through_in_any_currency(
    request: tuple[OrgChart, str, str], amount: Money, within_budget: bool, with_rates: bool
) -> None:
    # Limits in two currencies, with and without rates: the ladder may skip only rights
    # that `refusal` refuses, and must stop wherever it would raise.
    chart, requester, subject = request
    rates = RATES if with_rates else None
    for asked in (amount, *amounts_near_limits(chart)):
        expected = reference_route(chart, requester, subject, asked, within_budget, rates)
        assert library_route(chart, requester, subject, asked, within_budget, rates) == expected


@chart_settings
@given(requests(), st.integers(0, 150_000), st.integers(0, 99), st.booleans())
def test_a_plain_amount_routes_as_the_same_amount_of_cny(
    request: tuple[OrgChart, str, str], units: int, cents: int, within_budget: bool
) -> None:
    chart, requester, subject = request
    exact = Decimal(units) + Decimal(cents).scaleb(-2)
    for plain, as_money in ((units, Money(units)), (exact, Money(exact))):
        expected = reference_route(chart, requester, subject, as_money, within_budget, None)
        assert library_route(chart, requester, subject, plain, within_budget, None) == expected
        assert library_route(chart, requester, subject, as_money, within_budget, None) == expected


@st.composite
def wide_charts(draw: st.DrawFn) -> OrgChart:
    """Trees where superiors have several subordinates in two departments, and rights of
    every scope (named positions too), often the only right of their holder: rungs whose
    first right approves some of the requesters a ladder serves and refuses others."""
    count = draw(st.integers(2, 12))
    ids = [f"p{i}" for i in range(count)]
    limit = st.none() | st.builds(
        Money, st.sampled_from([0, 10, 50, 71, 100, 500]), st.sampled_from(["CNY", "USD"])
    )
    right = st.builds(
        Authority,
        kind=st.sampled_from(sorted(APPROVING_KINDS, key=str)),
        subject=st.just("expense"),
        scope=st.sampled_from(list(Scope)),
        scope_positions=st.lists(st.sampled_from(ids), max_size=3).map(tuple),
        limit=limit,
        within_budget_only=st.booleans(),
        within_range_only=st.booleans(),
    )
    members = [
        Position(
            ids[i],
            ids[i],
            ids[i],
            draw(st.sampled_from(["d0", "d1"])),
            None if i == 0 else ids[draw(st.integers(0, i - 1))],  # any earlier: wide
            authorities=tuple(draw(st.lists(right, max_size=2))),
        )
        for i in range(count)
    ]
    return OrgChart("wide", "wide", "wide", tuple(members))


@chart_settings
@given(wide_charts(), st.booleans())
def test_every_requester_routes_as_the_plain_walk_at_every_limit(
    chart: OrgChart, with_rates: bool
) -> None:
    # Every requester a ladder serves, every amount at or beside a limit, within and
    # over budget: where the ladder answers at once, it answers what `refusal` says.
    rates = RATES if with_rates else None
    for position in chart.positions:
        for asked in (Money(0), Money(10**6), *amounts_near_limits(chart)):
            for within_budget in (True, False):
                expected = reference_route(
                    chart, position.id, "expense", asked, within_budget, rates
                )
                got = library_route(chart, position.id, "expense", asked, within_budget, rates)
                assert got == expected


@chart_settings
@given(st.one_of(wide_charts(), dense_charts()))
def test_a_rung_answers_at_once_only_where_refusal_approves_its_reach_for_each_requester(
    chart: OrgChart,
) -> None:
    # `Ladder.within` and `Ladder.over` are what `refusal` says about the rung's first right
    # and the highest amount the rung is asked for, for each requester the ladder serves.
    table = ladders(chart)
    assert ladders(chart) is table  # built once per chart
    for (subject, currency), served in table.items():
        for requester, ladder in served.items():
            asking = chart.position(requester)
            chain = tuple(p.id for p in chart.chain_of_command(requester))
            assert list(ladder.reaches) == sorted(set(ladder.reaches))  # growing
            assert len(ladder) == 4 * ladder.rungs + 1
            assert ladder.chain == chain
            facts = zip(ladder.reaches, ladder.depths, ladder.within, ladder.over, strict=True)
            for top, depth, within, over in facts:
                holder = chart.position(chain[depth])
                rights = [
                    a
                    for a in holder.authorities
                    if a.kind in APPROVING_KINDS and a.subject == subject
                ]
                first = rights[0]
                for within_budget, approver in ((True, within), (False, over)):
                    if approver is None:
                        continue
                    assert approver is first
                    assert first.limit is None or first.limit == Money(top, currency)
                    probe = Money(0 if first.limit is None else top, currency)
                    why = refusal(chart, holder, first, asking, probe, within_budget, None)
                    assert why is None


def test_the_chart_routes_with_ladders_built_once_and_unchanged_by_requests() -> None:
    chart = _line(8, None)
    before = approval_route(chart, "p7", "expense", 3)
    table = ladders(chart)
    ladder = table[("expense", "CNY")]["p7"]
    firsts = tuple(chart.position(ladder.chain[d]).authorities[0] for d in ladder.depths)
    assert ladder.rungs > 0
    assert ladder.within == ladder.over == firsts  # each right holds over its department
    for amount in (0, 1, 3, 6, 7, 10**9):
        approval_route(chart, "p7", "expense", amount)
        approval_route(chart, "p7", "expense", amount, within_budget=False)
    assert ladders(chart) is table
    assert approval_route(chart, "p7", "expense", 3) == before


def test_the_ladders_live_beside_the_chart_and_go_with_it() -> None:
    import gc
    import pickle

    from keyaccount.org._ladders import BUILT

    chart = _line(6, None)
    route = approval_route(chart, "p5", "expense", 3)
    key = id(chart)
    assert BUILT[key][1] is ladders(chart)
    assert "ladders" not in repr(chart._index)  # the chart's value holds no memo
    copy = pickle.loads(pickle.dumps(chart))  # a copy builds its own, with equal answers
    assert approval_route(copy, "p5", "expense", 3) == route
    assert ladders(copy) is not ladders(chart)
    del chart, route
    gc.collect()
    assert key not in BUILT  # dropped with its chart


def _line(length: int, top_limit: Money | None) -> OrgChart:
    """A single line of ``length`` positions, ``p0`` at the top; every other one holds a
    right on ``expense`` whose limit grows towards the top."""
    positions = []
    for i in range(length):
        rights: tuple[Authority, ...] = ()
        if i == 0:
            rights = (Authority(AuthorityKind.APPROVE, "expense", limit=top_limit),)
        elif i % 2 == 0:
            limit = Money(length - i)
            rights = (Authority(AuthorityKind.APPROVE, "expense", limit=limit),)
        superior = None if i == 0 else f"p{i - 1}"
        positions.append(Position(f"p{i}", f"p{i}", f"p{i}", "d", superior, authorities=rights))
    return OrgChart("line", "线", "Line", tuple(positions))


def test_a_deep_line_is_indexed_without_recursion_and_routed_to_the_right_level() -> None:
    length = 3_000  # deeper than Python's recursion limit
    chart = _line(length, None)
    bottom = f"p{length - 1}"
    route = approval_route(chart, bottom, "expense", length - 10)
    assert route.approver == "p10"  # the first position up from the bottom whose limit >= it
    assert len(route.chain) == length - 11
    assert approval_route(chart, bottom, "expense", 10**9).approver == "p0"
    assert approval_route(chart, bottom, "expense", 2).approver == f"p{length - 2}"


def test_no_approver_still_names_the_highest_limit_when_the_ladder_skips_everything() -> None:
    chart = _line(10, Money(500))
    with pytest.raises(NoApproverError, match="the highest limit found is 500 CNY") as raised:
        approval_route(chart, "p9", "expense", 501)
    assert raised.value.highest_limit == "500 CNY"


def test_a_limit_in_another_currency_without_rates_still_raises_where_the_walk_meets_it() -> None:
    # p1's limit is in USD: the ladder cannot know whether it covers CNY 50, so the walk
    # stops there and `refusal` raises, as it did before the ladder.
    chart = OrgChart(
        "c",
        "c",
        "c",
        (
            Position(
                "p0",
                "p0",
                "p0",
                "d",
                None,
                authorities=(Authority(AuthorityKind.APPROVE, "expense"),),
            ),
            Position(
                "p1",
                "p1",
                "p1",
                "d",
                "p0",
                authorities=(Authority(AuthorityKind.APPROVE, "expense", limit=Money(10, "USD")),),
            ),
            Position("p2", "p2", "p2", "d", "p1"),
        ),
    )
    with pytest.raises(CurrencyMismatchError):
        approval_route(chart, "p2", "expense", 50)
    usd = Rates({("USD", "CNY"): "7.1"})  # USD 10 = CNY 71
    assert approval_route(chart, "p2", "expense", 71, rates=usd).approver == "p1"
    assert approval_route(chart, "p2", "expense", Decimal("71.01"), rates=usd).approver == "p0"
    assert approval_route(chart, "p2", "expense", Money(10, "USD")).approver == "p1"


def test_a_right_out_of_scope_at_the_first_rung_sends_the_walk_on_up() -> None:
    # p1 reaches the amount but holds its right over its own matters only: the walk
    # asks `refusal`, which refuses, and goes on to p0.
    self_only = Authority(AuthorityKind.APPROVE, "expense", scope=Scope.SELF, limit=Money(100))
    chart = OrgChart(
        "c",
        "c",
        "c",
        (
            Position(
                "p0",
                "p0",
                "p0",
                "d",
                None,
                authorities=(Authority(AuthorityKind.APPROVE, "expense"),),
            ),
            Position("p1", "p1", "p1", "d", "p0", authorities=(self_only,)),
            Position("p2", "p2", "p2", "d", "p1"),
        ),
    )
    route = approval_route(chart, "p2", "expense", 50)
    assert (route.approver, route.chain) == ("p0", ("p1", "p0"))
    assert route.steps[0].startswith("p1: cannot approve (its right covers its own matters")


def test_the_answer_is_the_value_attrs_builds_and_stays_frozen() -> None:
    chart = _line(6, None)
    route = approval_route(chart, "p5", "expense", 3)
    fields = {f.name: getattr(route, f.name) for f in attrs.fields(ApprovalRoute)}
    built = ApprovalRoute(**fields)
    assert route == built
    assert attrs.asdict(route, recurse=False) == attrs.asdict(built, recurse=False)
    assert set(vars(route)) == {f.name for f in attrs.fields(ApprovalRoute)}
    assert repr(route) == repr(built)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        route.requester = "p0"  # type: ignore[misc]  # frozen on purpose
    assert attrs.evolve(route, requester="p4").requester == "p4"


# --------------------------------------------------------------------------- Money fast path


def _slow(value: object) -> Decimal:
    """What Money's converter returned before its fast paths: the checks in full."""
    return _bounded(to_decimal(value, "amount"), "amount", InvalidAmountError)


def _outcome(build: object, value: object) -> tuple[str, str]:
    try:
        result = build(value)  # type: ignore[operator]  # a callable
    except KeyAccountError as error:
        return ("error", type(error).__name__)
    amount = result.amount if isinstance(result, Money) else result
    return ("ok", repr(amount))  # the repr keeps the exponent: 5 and 5.00 differ


@given(
    st.one_of(
        st.integers(-(10**18) - 3, 10**18 + 3),
        st.integers(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.decimals(min_value=-(10**19), max_value=10**19, places=2),
        st.decimals(min_value=-(10**19), max_value=10**19, places=10),
        st.sampled_from(
            [
                Decimal("1E+3"),
                Decimal("0E+3"),
                Decimal("-0"),
                Decimal("1.000000000"),
                Decimal("1E+18"),
            ]
        ),
    )
)
def test_money_from_an_int_or_a_decimal_is_what_the_full_checks_make(value: object) -> None:
    assert _outcome(Money, value) == _outcome(_slow, value)


def test_a_currency_code_checked_once_is_still_the_only_kind_accepted() -> None:
    assert Money(1, "USD").currency == "USD"
    assert Money(1, "USD").currency == "USD"  # now from the checked codes
    for bad in ("usd", "US", "USDX", 840, None):
        with pytest.raises(InvalidCurrencyError):
            Money(1, bad)  # type: ignore[arg-type]  # refused on purpose

    class Code(str):
        __slots__ = ()

    assert Money(1, Code("EUR")).currency == "EUR"
