"""Property tests of the authority rules and the org file format, on generated charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from keyaccount import (
    Authority,
    AuthorityKind,
    Delegation,
    Department,
    Duty,
    FindingCode,
    JobDescription,
    Money,
    OrgChart,
    Position,
    Qualification,
    approval_route,
    can,
    check_org,
)
from keyaccount.errors import NoApproverError
from keyaccount.io import Format, dumps, dumps_org, loads, loads_org, structure, unstructure
from keyaccount.org import Experience
from keyaccount.testing import (
    ORG_SUBJECTS,
    authorities,
    delegations,
    departments,
    duties,
    job_descriptions,
    money,
    org_charts,
    positions,
    qualifications,
)

T = TypeVar("T")

#: Generated charts are larger than most inputs; this keeps the health check quiet on slow CI.
chart_settings = settings(suppress_health_check=[HealthCheck.too_slow])


@st.composite
def routed_requests(draw: st.DrawFn) -> tuple[OrgChart, str, str, tuple[Delegation, ...]]:
    """A chart, a requester in it, a subject and some delegations between its positions."""
    chart = draw(org_charts(min_positions=2))
    requester = draw(st.sampled_from([p.id for p in chart.positions]))
    subject = draw(st.sampled_from(ORG_SUBJECTS))
    lent = tuple(draw(st.lists(delegations(chart), max_size=3)))
    return chart, requester, subject, lent


def _active_at(lent: tuple[Delegation, ...]) -> pendulum.DateTime:
    """An instant inside the first delegation (so at least one may apply), else any."""
    return lent[0].valid_from if lent else pendulum.datetime(2026, 1, 5, tz="Asia/Shanghai")


# --------------------------------------------------------------------------- approval_route


@chart_settings
@given(routed_requests(), money(max_amount=150_000), st.booleans())
def test_a_generated_chart_never_routes_a_request_to_its_requester(
    request: tuple[OrgChart, str, str, tuple[Delegation, ...]],
    amount: Money,
    within_budget: bool,
) -> None:
    chart, requester, subject, lent = request
    try:
        route = approval_route(
            chart,
            requester,
            subject,
            amount,
            within_budget=within_budget,
            as_of=_active_at(lent),
            delegations=lent,
        )
    except NoApproverError:
        return
    above = tuple(p.id for p in chart.chain_of_command(requester))
    assert route.approver != requester
    assert requester not in route.chain
    assert route.chain == above[: len(route.chain)]
    assert route.chain[-1] == route.approver
    if route.delegation is not None:
        assert route.delegation.delegator != requester
    else:
        assert route.authority in chart.authorities(route.approver)


@chart_settings
@given(routed_requests(), money(max_amount=150_000), money(max_amount=150_000), st.booleans())
def test_raising_the_amount_never_lowers_the_approver(
    request: tuple[OrgChart, str, str, tuple[Delegation, ...]],
    first: Money,
    second: Money,
    within_budget: bool,
) -> None:
    chart, requester, subject, lent = request
    low, high = sorted((first, second), key=lambda m: m.amount)
    above = [p.id for p in chart.chain_of_command(requester)]

    def level(amount: Money) -> int | None:
        """Index of the approver in the chain of command; None when nobody may approve."""
        try:
            route = approval_route(
                chart,
                requester,
                subject,
                amount,
                within_budget=within_budget,
                as_of=_active_at(lent),
                delegations=lent,
            )
        except NoApproverError:
            return None
        return above.index(route.approver)

    low_level, high_level = level(low), level(high)
    if low_level is None:
        assert high_level is None  # once no limit covers an amount, none covers more
    elif high_level is not None:
        assert low_level <= high_level


@chart_settings
@given(routed_requests(), money(max_amount=150_000), st.booleans())
def test_the_approver_is_the_first_position_above_that_can_approve(
    request: tuple[OrgChart, str, str, tuple[Delegation, ...]],
    amount: Money,
    within_budget: bool,
) -> None:
    # The route walks the chart's index; `can` reads each position's own rights. Both must
    # name the same approver, and the route must explain one step per position passed.
    chart, requester, subject, _ = request
    able = [
        p.id
        for p in chart.chain_of_command(requester)
        if any(
            can(
                chart,
                p.id,
                kind,
                subject,
                target=requester,
                amount=amount,
                within_budget=within_budget,
            )
            for kind in (AuthorityKind.APPROVE, AuthorityKind.DECIDE)
        )
    ]
    try:
        route = approval_route(chart, requester, subject, amount, within_budget=within_budget)
    except NoApproverError:
        assert able == []
        return
    assert route.approver == able[0]
    assert len(route.steps) == len(route.chain)
    assert route.steps[-1].startswith(f"{route.approver}: approves under ")
    assert all(" cannot approve " in s or " holds no " in s for s in route.steps[:-1])


# --------------------------------------------------------------------------- round trips


def _round_trip(value: T, cls: type[T], fmt: Format) -> T:
    return structure(loads(dumps(unstructure(value), fmt), fmt), cls)


FORMATS: tuple[Format, ...] = ("toml", "json")

ROUND_TRIPS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Money, money(("CNY", "USD", "EUR"))),
    (Authority, authorities(currencies=("CNY", "USD"))),
    (Duty, duties()),
    (
        Experience,
        st.builds(Experience, st.text(), st.integers(0, 40), st.none() | st.text(), st.text()),
    ),
    (Qualification, qualifications()),
    (JobDescription, job_descriptions()),
    (Department, departments()),
    (Position, positions()),
    (Delegation, delegations()),
    (OrgChart, org_charts(max_positions=4, rich=True)),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("cls", "values"), ROUND_TRIPS, ids=[c.__name__ for c, _ in ROUND_TRIPS])
def test_dump_then_load_gives_an_equal_object(
    cls: type[Any], values: st.SearchStrategy[Any], fmt: Format
) -> None:
    @chart_settings
    @given(values)
    def check(value: object) -> None:
        assert _round_trip(value, cls, fmt) == value

    check()


@chart_settings
@given(org_charts(max_positions=5, rich=True), st.sampled_from(FORMATS))
def test_an_org_file_written_by_dumps_org_loads_back_equal(chart: OrgChart, fmt: Format) -> None:
    assert loads_org(dumps_org(chart, fmt), fmt) == chart


# --------------------------------------------------------------------------- check_org


@chart_settings
@given(org_charts())
def test_a_generated_sound_chart_has_no_structural_finding(chart: OrgChart) -> None:
    codes = {f.code for f in check_org(chart)}
    structural = {
        FindingCode.CYCLE,
        FindingCode.MISSING_SUPERIOR,
        FindingCode.NO_TOP,
        FindingCode.MULTIPLE_TOPS,
        FindingCode.DUTY_SHARES,
    }
    assert not codes & structural
    assert not codes & {FindingCode.UNKNOWN_SCOPE_POSITION, FindingCode.UNKNOWN_DEPARTMENT}


def _with_position(chart: OrgChart, position: Position) -> OrgChart:
    return attrs.evolve(
        chart, positions=tuple(position if p.id == position.id else p for p in chart.positions)
    )


@chart_settings
@given(org_charts(), st.data())
def test_check_org_finds_an_injected_cycle(chart: OrgChart, data: st.DataObject) -> None:
    # Make a position report to itself or to one of its own subordinates.
    victim = data.draw(st.sampled_from(chart.positions))
    below = [victim, *chart.subordinates(victim.id, direct=False)]
    new_superior = data.draw(st.sampled_from(below)).id
    broken = _with_position(chart, attrs.evolve(victim, superior=new_superior))
    cycles = [f for f in check_org(broken) if f.code is FindingCode.CYCLE]
    assert len(cycles) == 1
    assert victim.id in cycles[0].message
    assert new_superior in cycles[0].message


@chart_settings
@given(
    org_charts(),
    st.data(),
    st.decimals(Decimal("0.1"), Decimal(99), places=1, allow_nan=False, allow_infinity=False),
)
def test_check_org_finds_an_injected_duty_share_error(
    chart: OrgChart, data: st.DataObject, extra: Decimal
) -> None:
    # Add a duty to one position: its shares then no longer add up to exactly 100.
    victim = data.draw(st.sampled_from(chart.positions))
    job = attrs.evolve(victim.job, duties=(*victim.job.duties, Duty("新增职责", time_share=extra)))
    broken = _with_position(chart, attrs.evolve(victim, job=job))
    findings = check_org(broken)
    assert any(f.code is FindingCode.DUTY_SHARES and f.position == victim.id for f in findings)
    assert not any(f.code is FindingCode.DUTY_SHARES and f.position != victim.id for f in findings)


@chart_settings
@given(org_charts(max_positions=6), st.data())
def test_check_org_reports_every_problem_not_just_the_first(
    chart: OrgChart, data: st.DataObject
) -> None:
    assume(len(chart) >= 2)
    victim = data.draw(st.sampled_from(chart.positions[1:]))
    broken = _with_position(chart, attrs.evolve(victim, superior="nobody"))
    duty = Duty("多余职责", time_share=Decimal(150))
    top = chart.positions[0]
    broken = _with_position(broken, attrs.evolve(top, job=attrs.evolve(top.job, duties=(duty,))))
    codes = [f.code for f in check_org(broken)]
    assert FindingCode.MISSING_SUPERIOR in codes
    assert FindingCode.DUTY_SHARES in codes
