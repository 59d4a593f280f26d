"""Testing helpers shipped to users: Hypothesis strategies, profiles and a frozen clock.

Importing this module needs Hypothesis (``pip install keyaccount[testing]``); the rest
of the library does not.

>>> from keyaccount.testing import FrozenClock
>>> import pendulum
>>> clock = FrozenClock(pendulum.datetime(2026, 1, 5, 9, tz="Asia/Shanghai"))
>>> clock.advance(hours=2).now()
DateTime(2026, 1, 5, 11, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import attrs
import pendulum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from keyaccount.calendar import (
    CHINA_FIRST_YEAR,
    Days,
    Hours,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
)
from keyaccount.calendar import to_instant as _to_instant
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

__all__ = [
    "ORG_SUBJECTS",
    "FrozenClock",
    "authorities",
    "aware_datetimes",
    "china_dates",
    "company_calendars",
    "delegations",
    "departments",
    "duties",
    "duty_shares",
    "job_descriptions",
    "limits",
    "money",
    "org_charts",
    "org_texts",
    "periods",
    "positions",
    "qualifications",
    "register_profiles",
    "sound_duties",
    "timezones",
]

#: A few zones with different offsets (and one with daylight saving time).
_ZONES = ("Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


def register_profiles() -> None:
    """Register the ``dev`` (fast, local) and ``ci`` (thorough) Hypothesis profiles.

    Load one with ``settings.load_profile("ci")``; the project's test suite picks it
    from the ``HYPOTHESIS_PROFILE`` environment variable.
    """
    settings.register_profile("dev", max_examples=60, deadline=None)
    settings.register_profile(
        "ci",
        max_examples=300,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


def _to_clock_instant(value: dt.datetime) -> pendulum.DateTime:
    return _to_instant(value, "at")


@attrs.define
class FrozenClock:
    """A clock that only moves when told to, for code that asks "what time is it".

    The library's rules never read a clock (they take ``as_of``); this is for the
    systems around them, so their tests can pass ``clock.now()`` as ``as_of``.
    """

    at: pendulum.DateTime = attrs.field(converter=_to_clock_instant)

    def now(self) -> pendulum.DateTime:
        """The frozen instant."""
        return self.at

    def advance(self, **delta: float) -> FrozenClock:
        """Move the clock forward by ``datetime.timedelta(**delta)`` and return it."""
        self.at = self.at + dt.timedelta(**delta)
        return self


def timezones() -> st.SearchStrategy[str]:
    """IANA timezone names, Asia/Shanghai first so it shrinks there."""
    return st.sampled_from(_ZONES)


def _last_china_year() -> int:
    covered = WorkCalendar.china().covered_years
    return covered[1] if covered is not None else CHINA_FIRST_YEAR


def china_dates(
    first_year: int = CHINA_FIRST_YEAR, last_year: int | None = None
) -> st.SearchStrategy[dt.date]:
    """Dates inside the years covered by :meth:`WorkCalendar.china` (by default all of them)."""
    last = _last_china_year() if last_year is None else last_year
    return st.dates(dt.date(first_year, 1, 1), dt.date(last, 12, 31))


def aware_datetimes(
    first: dt.date = dt.date(CHINA_FIRST_YEAR, 1, 2), last: dt.date | None = None
) -> st.SearchStrategy[pendulum.DateTime]:
    """Timezone-aware instants between ``first`` and ``last`` (default: the end of the
    Chinese calendar's coverage less two days), in assorted zones."""
    end = dt.date(_last_china_year(), 12, 29) if last is None else last
    naive = st.datetimes(
        dt.datetime.combine(first, dt.time()), dt.datetime.combine(end, dt.time(23, 59))
    )
    return st.builds(
        lambda value, zone: pendulum.instance(value, tz=zone),
        naive.map(lambda v: v.replace(microsecond=0)),
        timezones(),
    )


def periods(max_n: int = 40) -> st.SearchStrategy[Period]:
    """Any of the four period kinds with ``0 <= n <= max_n``."""
    n = st.integers(0, max_n)
    minutes = st.integers(0, 59)
    return st.one_of(
        st.builds(Days, n),
        st.builds(Workdays, n),
        st.builds(Hours, n, minutes),
        st.builds(WorkingHours, n, minutes),
    )


@st.composite
def company_calendars(draw: st.DrawFn) -> WorkCalendar:
    """Custom company calendars: any rest days, one to three windows, some holidays."""
    rest = draw(st.frozensets(st.integers(1, 7), max_size=3))
    cuts = draw(st.lists(st.integers(6 * 4, 22 * 4), min_size=2, max_size=6, unique=True))
    cuts.sort()
    if len(cuts) % 2:
        cuts.pop()
    windows = [
        (f"{a // 4:02d}:{a % 4 * 15:02d}", f"{b // 4:02d}:{b % 4 * 15:02d}")
        for a, b in zip(cuts[::2], cuts[1::2], strict=True)
    ]
    holidays = draw(
        st.frozensets(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), max_size=20)
    )
    extra = draw(
        st.frozensets(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), max_size=5).map(
            lambda days: days - holidays
        )
    )
    zone = draw(timezones())
    return WorkCalendar(
        weekly_rest_days=rest,
        hours=windows,
        timezone=zone,
        holidays=holidays,
        extra_workdays=extra,
    )


def money(
    currencies: tuple[str, ...] = ("CNY",), max_amount: int = 10_000_000
) -> st.SearchStrategy[Money]:
    """Non-negative amounts with two decimal places in the given currencies."""
    cents = st.integers(0, max_amount * 100)
    return st.builds(
        lambda c, cur: Money(Decimal(c).scaleb(-2), cur), cents, st.sampled_from(currencies)
    )


# --- org charts

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
    """An authority's limit: ``None`` (no limit) or an amount in one of ``currencies``."""
    return st.none() | money(currencies, max_amount)


def authorities(
    subjects: tuple[str, ...] = ORG_SUBJECTS,
    position_ids: tuple[str, ...] = (),
    currencies: tuple[str, ...] = ("CNY",),
) -> st.SearchStrategy[Authority]:
    """Any right on one of ``subjects``; a ``positions`` scope names ``position_ids``.

    Without ``position_ids`` the named positions are arbitrary texts (for round trips).
    """
    named = (
        st.lists(st.sampled_from(position_ids), max_size=3, unique=True)
        if position_ids
        else st.lists(org_texts(), max_size=3)
    )

    @st.composite
    def build(draw: st.DrawFn) -> Authority:
        scope = draw(st.sampled_from(Scope))
        return Authority(
            kind=draw(st.sampled_from(AuthorityKind)),
            subject=draw(st.sampled_from(subjects)),
            label=draw(org_texts()),
            scope=scope,
            scope_positions=tuple(draw(named)) if scope is Scope.POSITIONS else (),
            limit=draw(limits(currencies)),
            within_budget_only=draw(st.booleans()),
            within_range_only=draw(st.booleans()),
            assumption=draw(st.none() | org_texts()),
        )

    return build()


@st.composite
def duty_shares(draw: st.DrawFn, max_duties: int = 6) -> tuple[Decimal, ...]:
    """Positive time shares, in tenths of a percent, that add up to exactly 100."""
    count = draw(st.integers(1, max_duties))
    cuts = draw(st.lists(st.integers(1, 999), min_size=count - 1, max_size=count - 1, unique=True))
    bounds = [0, *sorted(cuts), 1000]
    return tuple(Decimal(b - a).scaleb(-1) for a, b in itertools.pairwise(bounds))


def duties(time_share: st.SearchStrategy[Decimal | None] | None = None) -> st.SearchStrategy[Duty]:
    """One duty; its ``time_share`` from ``time_share`` (default: none or any share)."""
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
def sound_duties(draw: st.DrawFn) -> tuple[Duty, ...]:
    """A job's duties as ``check_org`` wants them: no shares at all, or shares adding to 100."""
    if draw(st.booleans()):
        return tuple(draw(st.lists(duties(st.none()), max_size=3)))
    return tuple(draw(duties(st.just(share))) for share in draw(duty_shares()))


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
    """A job description's text; duties from ``duty_lists`` (default: any duties)."""
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
    """One position; every part can be narrowed (``org_charts`` does, to build a tree)."""
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
) -> OrgChart:
    """A sound tree of positions: one top, no cycles, duty shares adding to 100.

    Position ids are ``p0`` (the top), ``p1`` ...; each later position reports to an
    earlier one. Rights, limits and scopes are arbitrary, so limits need not shrink
    down the tree (``check_org`` may report that) and routes may find no approver.
    """
    count = draw(st.integers(min_positions, max_positions))
    ids = tuple(f"p{i}" for i in range(count))
    chart_departments = tuple(
        Department(f"d{i}", f"部门{i}", f"Department {i}") for i in range(draw(st.integers(1, 3)))
    )
    rights = authorities(subjects, ids, currencies)
    members: list[Position] = []
    for index, pid in enumerate(ids):
        superior = None if index == 0 else ids[draw(st.integers(0, index - 1))]
        members.append(
            draw(
                positions(
                    position_id=st.just(pid),
                    superior=st.just(superior),
                    department=st.sampled_from([d.id for d in chart_departments]),
                    rights=rights,
                    jobs=job_descriptions(sound_duties()),
                )
            )
        )
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
    """A delegation (授权); between positions of ``chart`` when one is given.

    Its limit may exceed the delegator's (a case ``check_org`` reports and the rules
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
