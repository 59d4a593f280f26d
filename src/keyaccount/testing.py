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
from keyaccount.complaints import (
    Complaint,
    ComplaintPolicy,
    ComplaintStatus,
    EscalationTarget,
    Fault,
    FollowUpOutcome,
    RequestKind,
    Severity,
    SlaTarget,
    TargetRule,
)
from keyaccount.customers import (
    Contact,
    Customer,
    CustomerKind,
    CustomerStatus,
    Spend,
    Staff,
    Tier,
)
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
from keyaccount.visits import Channel, Outcome, VisitPolicy, VisitRecord

__all__ = [
    "ORG_SUBJECTS",
    "FrozenClock",
    "authorities",
    "aware_datetimes",
    "china_dates",
    "company_calendars",
    "company_names",
    "complaint_histories",
    "complaint_policies",
    "customer_records",
    "delegations",
    "departments",
    "duties",
    "duty_shares",
    "job_descriptions",
    "limits",
    "mobile_numbers",
    "money",
    "name_spellings",
    "org_charts",
    "org_texts",
    "periods",
    "phone_spellings",
    "positions",
    "qualifications",
    "register_profiles",
    "sound_duties",
    "staff_members",
    "timezones",
    "visit_policies",
    "visit_records",
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


@st.composite
def authorities(
    draw: st.DrawFn,
    subjects: tuple[str, ...] = ORG_SUBJECTS,
    position_ids: tuple[str, ...] = (),
    currencies: tuple[str, ...] = ("CNY",),
    texts: st.SearchStrategy[str] | None = None,
) -> Authority:
    """Any right on one of ``subjects``; a ``positions`` scope names some of ``position_ids``.

    Without ``position_ids`` the named positions are arbitrary texts (for round trips).
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
def sound_duties(draw: st.DrawFn, rich: bool = True) -> tuple[Duty, ...]:
    """A job's duties as ``check_org`` wants them: no shares at all, or shares adding to 100.

    With ``rich`` false, duties carry only a statement and a share (much faster to draw).
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
    rich: bool = False,
) -> OrgChart:
    """A sound tree of positions: one top, no cycles, duty shares adding to 100.

    Position ids are ``p0`` (the top), ``p1`` ...; each later position reports to an
    earlier one. Rights, limits and scopes are arbitrary, so limits need not shrink
    down the tree (``check_org`` may report that) and routes may find no approver.
    With ``rich`` every text field is filled (slower; for round trips).
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


# --------------------------------------------------------------------------- complaints

_COMPLAINT_ACTORS = ("cs-specialist", "cs-supervisor", "customer-management-manager")


def _complaint_step(
    draw: st.DrawFn, complaint: Complaint, action: str, at: pendulum.DateTime
) -> Complaint:
    actor = st.sampled_from(_COMPLAINT_ACTORS)
    steps = {
        "accept": lambda: complaint.accept(by=draw(actor), at=at),
        "assign": lambda: complaint.assign(to=draw(actor), at=at),
        "pause": lambda: complaint.pause(at=at),
        "resume": lambda: complaint.resume(at=at),
        "escalate": lambda: complaint.escalate(
            to="crm-director",
            reason="重大投诉",
            at=at,
            outside_party=draw(st.sampled_from([None, "一汽-大众"])),
        ),
        "resolve": lambda: complaint.resolve(
            resolution="replaced the part",
            fault=draw(st.sampled_from(Fault)),
            root_cause=draw(st.sampled_from(["delivery", "quality", "billing", "misuse"])),
            claim_amount=draw(st.one_of(st.none(), money(max_amount=50_000))),
            at=at,
        ),
        "follow up": lambda: complaint.follow_up(
            outcome=draw(st.sampled_from(FollowUpOutcome)), by=draw(actor), at=at
        ),
        "reopen": lambda: complaint.reopen(reason="the customer called again", at=at),
        "close": lambda: complaint.close(by=draw(actor), at=at),
    }
    return steps[action]()


@st.composite
def complaint_histories(
    draw: st.DrawFn,
    max_events: int = 12,
    first: dt.date = dt.date(2024, 1, 2),
    last: dt.date = dt.date(2026, 6, 30),
    max_gap_minutes: int = 3 * 24 * 60,
    complaint_id: str | None = None,
) -> Complaint:
    """A complaint built by a random sequence of *valid* transitions.

    Events are ``0`` to ``max_gap_minutes`` apart (same-instant events included), so
    with the defaults every deadline stays inside :meth:`WorkCalendar.china`'s years.
    """
    at = draw(aware_datetimes(first, last))
    complaint = Complaint.receive(
        complaint_id or draw(st.from_regex(r"C-[0-9]{1,6}", fullmatch=True)),
        at=at,
        kind=draw(st.sampled_from(RequestKind)),
        severity=draw(st.sampled_from(Severity)),
        customer=draw(st.sampled_from(["acme", "华北物流", "bright-star"])),
        channel=draw(st.sampled_from(["电话", "电邮", "来访"])),
        summary="the delivery was late",
    )
    for _ in range(draw(st.integers(0, max_events - 1))):
        actions = complaint.allowed_actions()
        if not actions:
            break
        at = at + dt.timedelta(minutes=draw(st.integers(0, max_gap_minutes)))
        complaint = _complaint_step(draw, complaint, draw(st.sampled_from(actions)), at)
    return complaint


def _sla_targets(day_periods: bool) -> st.SearchStrategy[SlaTarget]:
    hours = st.builds(WorkingHours, st.integers(1, 40), st.sampled_from([0, 30]))
    kinds = [hours, st.builds(Hours, st.integers(1, 72))]
    if day_periods:
        kinds += [st.builds(Workdays, st.integers(1, 5)), st.builds(Days, st.integers(1, 7))]
    warn = st.one_of(
        st.builds(WorkingHours, st.integers(0, 4), st.sampled_from([0, 30])),
        st.builds(Hours, st.integers(0, 8)),
    )
    return st.builds(SlaTarget, st.one_of(kinds), warn)


@st.composite
def complaint_policies(draw: st.DrawFn, day_periods: bool = True) -> ComplaintPolicy:
    """Complaint policies with assorted targets (hour and, optionally, day periods)."""
    target = _sla_targets(day_periods)
    rules = [TargetRule(kind, draw(target), draw(target), draw(target)) for kind in RequestKind]
    rules.append(
        TargetRule(RequestKind.COMPLAINT, draw(target), draw(target), draw(target), Severity.MAJOR)
    )
    pausing = draw(
        st.sampled_from(
            [
                frozenset({ComplaintStatus.PAUSED}),
                frozenset({ComplaintStatus.PAUSED, ComplaintStatus.ESCALATED}),
                frozenset(),
            ]
        )
    )
    return ComplaintPolicy(
        rules=tuple(rules),
        major_escalation=EscalationTarget("crm-director", "一汽-大众"),
        breach_escalation=EscalationTarget("customer-management-manager"),
        pausing_statuses=pausing,
        reopen_escalation_after=draw(st.integers(1, 3)),
    )


# --------------------------------------------------------------------------- customers and visits

#: Syllables of made-up company names; none of them is part of a company suffix.
_NAME_PARTS = ("华", "新", "宏", "远", "达", "东", "方", "明", "泰", "恒", "信", "安", "瑞", "丰")
_LATIN_PARTS = ("ABC", "Star", "Nova", "Blue", "Sun", "Delta")
_SUFFIXES = ("", "公司", "有限公司", "有限责任公司", "股份有限公司", "集团", "集团有限公司")
_LATIN_SUFFIXES = ("", " Co., Ltd.", " Ltd", " Inc.", " Limited", " Corp.")


def mobile_numbers() -> st.SearchStrategy[str]:
    """Mainland mobile numbers in canonical form: 11 digits starting 13-19."""
    return st.builds(
        lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
    )


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def phone_spellings(draw: st.DrawFn, number: str) -> str:
    """One of the ways people write the mobile ``number`` (prefixes, separators, full width)."""
    prefix = draw(st.sampled_from(["", "+86 ", "+86", "0086 ", "0086-", "86"]))
    a, b, c = number[:3], number[3:7], number[7:]
    body = draw(
        st.sampled_from([number, f"{a}-{b}-{c}", f"{a} {b} {c}", f"({a}) {b}.{c}", f"{a}.{b}.{c}"])
    )
    text = prefix + body
    return _full_width(text) if draw(st.booleans()) else text


def company_names() -> st.SearchStrategy[str]:
    """Bare company names (no suffix), Chinese or with a Latin part."""
    chinese = st.lists(st.sampled_from(_NAME_PARTS), min_size=2, max_size=5).map("".join)
    latin = st.tuples(st.sampled_from(_LATIN_PARTS), chinese).map(lambda p: f"{p[0]} {p[1]}")
    return st.one_of(chinese, latin)


@st.composite
def name_spellings(draw: st.DrawFn, name: str) -> str:
    """``name`` as someone might write it: a company suffix, spaces, full-width letters."""
    suffix = draw(st.sampled_from(_SUFFIXES + _LATIN_SUFFIXES))
    spaced = " ".join(name) if draw(st.booleans()) else name
    text = f" {spaced}{suffix} " if draw(st.booleans()) else spaced + suffix
    return _full_width(text) if draw(st.booleans()) else text


def staff_members(
    positions: tuple[str, ...] = ("sales-representative",), prefix: str = "s"
) -> st.SearchStrategy[Staff]:
    """Active staff with ids ``prefix0``..``prefix99`` in the given positions."""
    return st.builds(
        lambda i, position, ability: Staff(f"{prefix}{i}", f"员工{i}", position, ability),
        st.integers(0, 99),
        st.sampled_from(positions),
        st.integers(1, 30).map(lambda tenths: Decimal(tenths) / 10),
    )


def _instants() -> st.SearchStrategy[pendulum.DateTime]:
    return aware_datetimes(dt.date(2024, 1, 2), dt.date(2026, 12, 30))


@st.composite
def customer_records(draw: st.DrawFn, customer_id: str | None = None) -> Customer:
    """Customers with every field exercised (for round trips and rules)."""
    cid = customer_id or draw(st.from_regex(r"c[0-9]{1,4}", fullmatch=True))
    status = draw(st.sampled_from(CustomerStatus))
    spend = draw(
        st.lists(st.builds(Spend, _instants(), money(max_amount=100_000)), max_size=3).map(tuple)
    )
    contacts = draw(
        st.lists(st.builds(Contact, mobile_numbers(), st.sampled_from(["", "王经理"])), max_size=2)
    )
    return Customer(
        cid,
        draw(company_names()),
        kind=draw(st.sampled_from(CustomerKind)),
        tier=draw(st.sampled_from(Tier)),
        status=status,
        owner=draw(st.one_of(st.none(), st.sampled_from(["s1", "s2", "s3"]))),
        contacts=tuple(contacts),
        birthday=draw(st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)))),
        spend=spend,
        credit_rating=draw(st.one_of(st.none(), st.sampled_from(["AAA", "AA", "A", "B"]))),
        credit_limit=draw(st.one_of(st.none(), money(max_amount=1_000_000))),
        assigned_at=draw(st.one_of(st.none(), _instants())),
        registered_by=draw(st.one_of(st.none(), st.just("s1"))),
        registered_position=draw(st.one_of(st.none(), st.just("sales-representative"))),
        registered_at=draw(st.one_of(st.none(), _instants())),
        confidential=draw(st.booleans()),
    )


@st.composite
def visit_records(
    draw: st.DrawFn, customer_ids: tuple[str, ...] = ("c1", "c2", "c3")
) -> VisitRecord:
    """Visit records of the given customers, complete or not."""
    return VisitRecord(
        draw(st.from_regex(r"v[0-9]{1,5}", fullmatch=True)),
        draw(st.sampled_from(customer_ids)),
        draw(_instants()),
        draw(st.sampled_from(Channel)),
        draw(st.sampled_from(["", "s1", "s2"])),
        draw(st.one_of(st.none(), st.sampled_from(Outcome))),
        draw(st.sampled_from(["", "ok", "交付延迟"])),
        draw(st.booleans()),
    )


def visit_policies() -> st.SearchStrategy[VisitPolicy]:
    """Visit policies: day or working-day periods, assorted quiet hours and working-hours flag."""
    quiet = st.sampled_from(
        [
            ("12:00-14:00", "21:00-09:00"),
            ("22:00-08:00",),
            ("12:30-13:30", "20:00-10:00"),
            (),
        ]
    )
    return st.builds(
        VisitPolicy,
        first_contact=st.sampled_from([Days(7), Workdays(5), Days(3)]),
        return_visit=st.sampled_from([Days(3), Workdays(3), Hours(72)]),
        quiet_hours=quiet,
        working_hours_only=st.booleans(),
    )
