"""Org charts for tests: authorities, duties, job descriptions, positions, charts, delegations."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import strategies as st

from keyaccount.money import Money
from keyaccount.org import (
    Authority,
    AuthorityKind,
    Delegation,
    Department,
    Duty,
    Education,
    Experience,
    JobDescription,
    OrgChart,
    Position,
    Qualification,
    Scope,
)
from keyaccount.testing.amounts import money
from keyaccount.testing.times import aware_datetimes

__all__ = [
    "ORG_SUBJECTS",
    "authorities",
    "delegations",
    "departments",
    "duties",
    "duty_shares",
    "job_descriptions",
    "limits",
    "org_charts",
    "org_texts",
    "positions",
    "qualifications",
    "sound_duties",
]

#: Subjects the generated charts share, so that routes and proposals meet rights above.
ORG_SUBJECTS: tuple[str, ...] = ("customer-credit", "expense", "contract", "staff-appraisal")


def org_texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Short texts for titles and labels: Chinese, Latin, punctuation and control characters."""
    return st.one_of(
        st.sampled_from(("销售管理部经理", "营销总监", "区域经理", "客服专员", "Manager")),
        st.text(max_size=max_size),
    )


def limits(
    currencies: tuple[str, ...] = ("CNY",), max_amount: int = 100_000
) -> st.SearchStrategy[Money | None]:
    """An authority's limit: `None` (no limit) or an amount in one of `currencies`."""
    return st.none() | money(currencies, max_amount)


@st.composite
def authorities(
    draw: st.DrawFn,
    subjects: tuple[str, ...] = ORG_SUBJECTS,
    position_ids: tuple[str, ...] = (),
    currencies: tuple[str, ...] = ("CNY",),
    texts: st.SearchStrategy[str] | None = None,
) -> Authority:
    """Any right on one of `subjects`; a `positions` scope names some of `position_ids`.

    Without `position_ids` the named positions are arbitrary texts (for round trips).
    """
    text = texts if texts is not None else org_texts()
    scope = draw(st.sampled_from(Scope))
    named: tuple[str, ...] = ()
    if scope is Scope.POSITIONS:
        names = (
            st.lists(st.sampled_from(position_ids), min_size=1, max_size=3, unique=True)
            if position_ids
            else st.lists(text, max_size=3)
        )
        named = tuple(draw(names))
    return Authority(
        kind=draw(st.sampled_from(AuthorityKind)),
        subject=draw(st.sampled_from(subjects)),
        label=draw(text),
        scope=scope,
        scope_positions=named,
        limit=draw(limits(currencies)),
        within_budget_only=draw(st.booleans()),
        within_range_only=draw(st.booleans()),
        assumption=draw(st.none() | text),
    )


@st.composite
def duty_shares(draw: st.DrawFn, max_duties: int = 6) -> tuple[Decimal, ...]:
    """Positive time shares, in tenths of a percent, that add up to exactly 100."""
    count = draw(st.integers(1, max_duties))
    cuts = draw(st.lists(st.integers(1, 999), min_size=count - 1, max_size=count - 1, unique=True))
    bounds = [0, *sorted(cuts), 1000]
    return tuple(Decimal(b - a).scaleb(-1) for a, b in itertools.pairwise(bounds))


def duties(time_share: st.SearchStrategy[Decimal | None] | None = None) -> st.SearchStrategy[Duty]:
    """One duty; its `time_share` from `time_share` (default: none or any share)."""
    shares = (
        time_share
        if time_share is not None
        else st.none() | st.decimals(0, 100, places=1, allow_nan=False, allow_infinity=False)
    )
    return st.builds(
        Duty,
        statement=org_texts(),
        statement_en=org_texts(),
        tasks=st.lists(org_texts(), max_size=3).map(tuple),
        kpi_focus=st.lists(org_texts(), max_size=2).map(tuple),
        time_share=shares,
    )


@st.composite
def sound_duties(draw: st.DrawFn, rich: bool = True) -> tuple[Duty, ...]:
    """A job's duties as `check_org` wants them: no shares at all, or shares adding to 100.

    With `rich` false, duties carry only a statement and a share (much faster to draw).
    """
    shares: tuple[Decimal | None, ...] = (
        (None,) * draw(st.integers(0, 3)) if draw(st.booleans()) else draw(duty_shares())
    )
    if not rich:
        return tuple(Duty(f"职责{i}", time_share=share) for i, share in enumerate(shares))
    return tuple(draw(duties(st.just(share))) for share in shares)


def qualifications() -> st.SearchStrategy[Qualification]:
    """Qualifications with education, experience split by kind, training and competencies."""
    experience = st.builds(
        Experience,
        area=org_texts(),
        years=st.integers(0, 30),
        within=st.none() | org_texts(),
        label=org_texts(),
    )
    texts = st.lists(org_texts(), max_size=3).map(tuple)
    return st.builds(
        Qualification,
        education=st.none() | st.sampled_from(Education),
        education_label=org_texts(),
        majors=texts,
        experience=st.lists(experience, max_size=3).map(tuple),
        training=texts,
        competencies=texts,
        other=texts,
    )


def job_descriptions(
    duty_lists: st.SearchStrategy[tuple[Duty, ...]] | None = None,
) -> st.SearchStrategy[JobDescription]:
    """A job description's text; duties from `duty_lists` (default: any duties)."""
    texts = st.lists(org_texts(), max_size=2).map(tuple)
    return st.builds(
        JobDescription,
        summary=org_texts(),
        summary_en=org_texts(),
        duties=duty_lists if duty_lists is not None else st.lists(duties(), max_size=4).map(tuple),
        collaboration_internal=texts,
        collaboration_external=texts,
        qualification=qualifications(),
        environment=texts,
        tools=texts,
        records=texts,
        kpis=texts,
    )


def departments() -> st.SearchStrategy[Department]:
    """A department with any id and titles."""
    return st.builds(Department, id=org_texts(), title=org_texts(), title_en=org_texts())


def positions(
    position_id: st.SearchStrategy[str] | None = None,
    superior: st.SearchStrategy[str | None] | None = None,
    department: st.SearchStrategy[str] | None = None,
    rights: st.SearchStrategy[Authority] | None = None,
    jobs: st.SearchStrategy[JobDescription] | None = None,
) -> st.SearchStrategy[Position]:
    """One position; every part can be narrowed (`org_charts` does, to build a tree)."""
    held = rights if rights is not None else authorities()
    return st.builds(
        Position,
        id=position_id if position_id is not None else org_texts(),
        title=org_texts(),
        title_en=org_texts(),
        department=department if department is not None else org_texts(),
        superior=superior if superior is not None else st.none() | org_texts(),
        headcount=st.none() | st.integers(0, 50),
        grade_range=st.none() | org_texts(),
        code=st.none() | org_texts(),
        job=jobs if jobs is not None else job_descriptions(),
        authorities=st.lists(held, max_size=4).map(tuple),
        assumption=st.none() | org_texts(),
    )


@st.composite
def org_charts(
    draw: st.DrawFn,
    min_positions: int = 1,
    max_positions: int = 12,
    subjects: tuple[str, ...] = ORG_SUBJECTS,
    currencies: tuple[str, ...] = ("CNY",),
    rich: bool = False,
) -> OrgChart:
    """A sound tree of positions: one top, no cycles, duty shares adding to 100.

    Position ids are `p0` (the top), `p1` ...; each later position reports to an
    earlier one. Rights, limits and scopes are arbitrary, so limits need not shrink
    down the tree (`check_org` may report that) and routes may find no approver.
    With `rich` every text field is filled (slower; for round trips).
    """
    count = draw(st.integers(min_positions, max_positions))
    ids = tuple(f"p{i}" for i in range(count))
    chart_departments = tuple(
        Department(f"d{i}", f"部门{i}", f"Department {i}") for i in range(draw(st.integers(1, 3)))
    )
    if rich:
        rights = authorities(subjects, ids, currencies)
        jobs = job_descriptions(sound_duties())
    else:
        titles = st.sampled_from(("经理", "主管", "专员", "总监"))
        rights = authorities(subjects, ids, currencies, texts=titles)
        jobs = st.builds(JobDescription, duties=sound_duties(rich=False))
    members: list[Position] = []
    for index, pid in enumerate(ids):
        superior = None if index == 0 else ids[draw(st.integers(0, index - 1))]
        if rich:
            member = draw(
                positions(
                    position_id=st.just(pid),
                    superior=st.just(superior),
                    department=st.sampled_from([d.id for d in chart_departments]),
                    rights=rights,
                    jobs=jobs,
                )
            )
        else:
            member = Position(
                pid,
                draw(titles),
                pid,
                draw(st.sampled_from([d.id for d in chart_departments])),
                superior,
                job=draw(jobs),
                authorities=tuple(draw(st.lists(rights, max_size=3))),
            )
        members.append(member)
    return OrgChart(
        name=draw(org_texts()),
        title=draw(org_texts()),
        title_en=draw(org_texts()),
        positions=tuple(members),
        departments=chart_departments,
        source=draw(st.none() | org_texts()),
    )


@st.composite
def delegations(
    draw: st.DrawFn,
    chart: OrgChart | None = None,
    subjects: tuple[str, ...] = ORG_SUBJECTS,
    currencies: tuple[str, ...] = ("CNY",),
) -> Delegation:
    """A delegation (授权); between positions of `chart` when one is given.

    Its limit may exceed the delegator's (a case `check_org` reports and the rules
    must bound), and its interval is at least a minute long.
    """
    if chart is not None and len(chart) > 0:
        ends = st.sampled_from([p.id for p in chart.positions])
    else:
        ends = org_texts()
    start = draw(aware_datetimes())
    return Delegation(
        delegator=draw(ends),
        delegate=draw(ends),
        kinds=draw(st.frozensets(st.sampled_from(AuthorityKind), min_size=1, max_size=3)),
        subjects=draw(st.frozensets(st.sampled_from(subjects), min_size=1, max_size=2)),
        valid_from=start,
        valid_until=start + dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 90))),
        limit=draw(limits(currencies)),
        note=draw(org_texts()),
    )
