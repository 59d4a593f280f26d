"""Positions, job descriptions (职位说明书) and authorities (权限), and the rules over them.

An :class:`OrgChart` holds a department's positions, their reporting lines and the
authorities each position holds. Three rules answer the questions other systems ask:

* :func:`can`: may this position do this (approve, review, appraise ...) on this subject,
  for this target and amount? The answer says which authority allows it, or why not.
* :func:`approval_route`: who must approve this amount? Walk up from the requester's
  superior to the first position whose approve/decide right on the subject covers it.
* :func:`check_org`: every problem in a chart, not just the first.

A proposal right (建议权) is not a decision right (决定权): :attr:`AuthorityKind.decides`
tells them apart, and :func:`approval_route` only stops at deciding rights.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Final

import attrs
import pendulum

from keyaccount.calendar import to_instant
from keyaccount.errors import (
    AmbiguousTitleError,
    CurrencyMismatchError,
    DuplicateIdError,
    FloatMoneyError,
    InvalidAmountError,
    KeyAccountError,
    MissingAsOfError,
    NoApproverError,
    OrgStructureError,
    UnknownPositionError,
)
from keyaccount.money import Money, Rates, to_decimal

__all__ = [
    "ApprovalRoute",
    "Authority",
    "AuthorityKind",
    "Decision",
    "Delegation",
    "Department",
    "Duty",
    "Education",
    "Experience",
    "Finding",
    "JobDescription",
    "OrgChart",
    "Position",
    "Qualification",
    "Scope",
    "approval_route",
    "can",
    "check_org",
]


class AuthorityKind(enum.Enum):
    """The kinds of right a position can hold, with their Chinese labels (DOMAIN.md §2)."""

    FORMULATE = "formulate"
    DRAFT = "draft"
    PARTICIPATE = "participate"
    PROPOSE = "propose"
    NOMINATE = "nominate"
    REVIEW = "review"
    APPROVE = "approve"
    DECIDE = "decide"
    VETO = "veto"
    APPOINT = "appoint"
    DISMISS = "dismiss"
    APPRAISE = "appraise"
    REWARD_PUNISH = "reward-punish"
    ASSIGN = "assign"
    ARBITRATE = "arbitrate"
    DIRECT = "direct"
    SUPERVISE = "supervise"
    SIGN = "sign"
    REPRESENT = "represent"
    BE_INFORMED = "be-informed"
    USE = "use"

    @property
    def label(self) -> str:
        """The Chinese name of the right, e.g. ``审批权``."""
        return _KIND_LABELS[self]

    @property
    def decides(self) -> bool:
        """Whether the right settles a matter (approve, decide, appoint, dismiss, reward/punish).

        A proposal or nomination only asks someone who holds such a right.
        """
        return self in DECIDING_KINDS

    @property
    def advises(self) -> bool:
        """Whether the right only puts something forward (propose, nominate)."""
        return self in (AuthorityKind.PROPOSE, AuthorityKind.NOMINATE)


_KIND_LABELS: Final = {
    AuthorityKind.FORMULATE: "制定权",
    AuthorityKind.DRAFT: "拟定权",
    AuthorityKind.PARTICIPATE: "参与权",
    AuthorityKind.PROPOSE: "建议权",
    AuthorityKind.NOMINATE: "提名权",
    AuthorityKind.REVIEW: "审核权",
    AuthorityKind.APPROVE: "审批权",
    AuthorityKind.DECIDE: "决定权",
    AuthorityKind.VETO: "否决权",
    AuthorityKind.APPOINT: "聘任权",
    AuthorityKind.DISMISS: "解聘权",
    AuthorityKind.APPRAISE: "考核权",
    AuthorityKind.REWARD_PUNISH: "奖惩权",
    AuthorityKind.ASSIGN: "分配权",
    AuthorityKind.ARBITRATE: "裁决权",
    AuthorityKind.DIRECT: "指挥权",
    AuthorityKind.SUPERVISE: "监督权",
    AuthorityKind.SIGN: "签订权",
    AuthorityKind.REPRESENT: "对外联络权",
    AuthorityKind.BE_INFORMED: "知情权",
    AuthorityKind.USE: "使用权",
}

#: Rights that settle a matter; a proposal or nomination needs one of these above it.
DECIDING_KINDS: Final = frozenset(
    {
        AuthorityKind.APPROVE,
        AuthorityKind.DECIDE,
        AuthorityKind.APPOINT,
        AuthorityKind.DISMISS,
        AuthorityKind.REWARD_PUNISH,
    }
)
#: Rights that approve a request with an amount; what :func:`approval_route` looks for.
APPROVING_KINDS: Final = (AuthorityKind.APPROVE, AuthorityKind.DECIDE)


class Scope(enum.Enum):
    """Over whom (or what) a right holds."""

    SELF = "self"
    DIRECT_SUBORDINATES = "direct-subordinates"
    ALL_SUBORDINATES = "all-subordinates"
    DEPARTMENT = "department"
    COMPANY = "company"
    POSITIONS = "positions"

    @property
    def label(self) -> str:
        """The Chinese wording the seeds use for the scope."""
        return _SCOPE_LABELS[self]


_SCOPE_LABELS: Final = {
    Scope.SELF: "本人",
    Scope.DIRECT_SUBORDINATES: "直接下级",
    Scope.ALL_SUBORDINATES: "所属下级",
    Scope.DEPARTMENT: "部门内",
    Scope.COMPANY: "公司范围",
    Scope.POSITIONS: "指定岗位",
}


@functools.total_ordering
class Education(enum.Enum):
    """Minimum education (最低学历), ordered: ``Education.BACHELOR > Education.JUNIOR_COLLEGE``."""

    HIGH_SCHOOL = "high-school"
    JUNIOR_COLLEGE = "junior-college"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTOR = "doctor"

    @property
    def rank(self) -> int:
        """Position in the order high school < junior college < bachelor < master < doctor."""
        return _EDUCATION_ORDER.index(self)

    @property
    def label(self) -> str:
        """The Chinese name of the level."""
        return _EDUCATION_LABELS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Education):
            return NotImplemented
        return self.rank < other.rank


_EDUCATION_ORDER: Final = tuple(Education)
_EDUCATION_LABELS: Final = {
    Education.HIGH_SCHOOL: "高中/中专",
    Education.JUNIOR_COLLEGE: "大学专科",
    Education.BACHELOR: "大学本科",
    Education.MASTER: "硕士",
    Education.DOCTOR: "博士",
}


# --------------------------------------------------------------------------- values


def _optional_money(
    _instance: object, attribute: attrs.Attribute[Money | None], value: Money | None
) -> None:
    if value is not None and not isinstance(value, Money):
        raise FloatMoneyError(
            f"{attribute.name} must be Money (e.g. Money('20000', 'CNY')) or None, "
            f"got {type(value).__name__} {value!r}"
        )


def _optional_share(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else to_decimal(value, "time_share")


@attrs.frozen
class Department:
    """A department (所在部门)."""

    id: str
    title: str
    title_en: str


@attrs.frozen
class Duty:
    """One duty of a job description (职责与工作任务).

    Attributes:
        statement: the duty as the seed states it (职责表述).
        statement_en: a short English rendering.
        tasks: the work tasks (工作任务).
        kpi_focus: what appraisal looks at (考核重点).
        time_share: share of working time (工作时间百分比) as an exact percentage.
    """

    statement: str
    statement_en: str = ""
    tasks: tuple[str, ...] = ()
    kpi_focus: tuple[str, ...] = ()
    time_share: Decimal | None = attrs.field(default=None, converter=_optional_share)


@attrs.frozen
class Experience:
    """Years of experience of a kind, e.g. 6 in "IT industry", 3 in "sales" within it."""

    area: str
    years: int
    within: str | None = None
    label: str = ""


@attrs.frozen
class Qualification:
    """Qualifications (任职资格)."""

    education: Education | None = None
    education_label: str = ""
    majors: tuple[str, ...] = ()
    experience: tuple[Experience, ...] = ()
    training: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    other: tuple[str, ...] = ()


@attrs.frozen
class JobDescription:
    """The text of a job description (职位说明书) besides its authorities.

    The authorities (相关权限) are held on the :class:`Position` itself, so that rules
    can read them without going through the text.
    """

    summary: str = ""
    summary_en: str = ""
    duties: tuple[Duty, ...] = ()
    collaboration_internal: tuple[str, ...] = ()
    collaboration_external: tuple[str, ...] = ()
    qualification: Qualification = Qualification()
    environment: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()


@attrs.frozen
class Authority:
    """A right held by a position over a subject (权限).

    Attributes:
        kind: what the holder may do (approve, propose, veto ...).
        subject: what it is about, a slug shared across the chart (``customer-credit``).
        label: the seed's words for the right (``客户信用额审批权(货款信用额度20000元)``).
        scope: over whom it holds; ``POSITIONS`` lists them in ``scope_positions``.
        limit: the highest amount covered (inclusive); ``None`` covers every amount.
        within_budget_only: holds only for spending inside the approved budget (预算内).
        within_range_only: the seed says "在权限范围内": without a configured ``limit``
            the right covers no amount at all.
        assumption: set when the right is not in the source but was assumed (and why).
    """

    kind: AuthorityKind
    subject: str
    label: str = ""
    scope: Scope = Scope.DEPARTMENT
    scope_positions: tuple[str, ...] = ()
    limit: Money | None = attrs.field(default=None, validator=_optional_money)
    within_budget_only: bool = False
    within_range_only: bool = False
    assumption: str | None = None

    def title(self) -> str:
        """The seed's words for the right if it has them, else its description.

        An assumed right (one the source does not state) says so: ``... (assumed)``.
        """
        text = self.label or self.describe()
        return f"{text} (assumed)" if self.assumption else text

    def describe(self) -> str:
        """A one-line English description, e.g. ``approve customer-credit up to 20000 CNY``."""
        text = f"{self.kind.value} {self.subject}"
        if self.limit is not None:
            text += f" up to {self.limit}"
        elif self.within_range_only:
            text += " within a configured range"
        if self.within_budget_only:
            text += " (within budget only)"
        if self.scope is Scope.POSITIONS:
            text += f" over {', '.join(self.scope_positions)}"
        elif self.scope is not Scope.DEPARTMENT:
            text += f" ({self.scope.value})"
        return text


@attrs.frozen
class Position:
    """A position (岗位) in the chart: a role, not a person.

    Attributes:
        id: stable identifier, unique in the chart.
        title: the seed's title (``销售管理部经理``); ``title_en`` its English name.
        department: a :class:`Department` id.
        superior: the direct superior's id (直接上级); ``None`` only for the top.
        headcount: 岗位定员, when stated.
        grade_range: 工资级别范围, as stated.
        job: the job description's text.
        authorities: the rights the position holds.
        assumption: set when the position is not described by the source (and why).
    """

    id: str
    title: str
    title_en: str
    department: str
    superior: str | None = None
    headcount: int | None = None
    grade_range: str | None = None
    code: str | None = None
    job: JobDescription = JobDescription()
    authorities: tuple[Authority, ...] = ()
    assumption: str | None = None


def _to_instant_field(value: dt.datetime) -> pendulum.DateTime:
    return to_instant(value, "delegation validity")


@attrs.frozen
class Delegation:
    """A temporary grant (授权) of some of one position's rights to another.

    The delegate may exercise the listed ``kinds`` on the listed ``subjects`` within
    ``[valid_from, valid_until)``, up to ``limit`` and never beyond what the delegator
    itself holds.
    """

    delegator: str
    delegate: str
    kinds: frozenset[AuthorityKind]
    subjects: frozenset[str]
    valid_from: pendulum.DateTime = attrs.field(converter=_to_instant_field)
    valid_until: pendulum.DateTime = attrs.field(converter=_to_instant_field)
    limit: Money | None = attrs.field(default=None, validator=_optional_money)
    note: str = ""

    def is_active(self, as_of: dt.datetime) -> bool:
        """Whether ``as_of`` lies in ``[valid_from, valid_until)``."""
        instant = to_instant(as_of, "as_of")
        return self.valid_from <= instant < self.valid_until

    def covers(self, kind: AuthorityKind, subject: str) -> bool:
        """Whether the grant names this kind and subject."""
        return kind in self.kinds and subject in self.subjects


# --------------------------------------------------------------------------- the chart


@attrs.frozen
class OrgChart:
    """A department's positions and reporting lines.

    Building a chart checks only that ids are unique (lookups need that); everything
    else a chart can get wrong (cycles, missing superiors, shares, limits ...) is
    reported by :func:`check_org`, all at once.

    Raises:
        DuplicateIdError: two positions or two departments share an id.
    """

    name: str
    title: str
    title_en: str
    positions: tuple[Position, ...]
    departments: tuple[Department, ...] = ()
    source: str | None = None
    _index: _ChartIndex = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", _ChartIndex(self))

    # --- lookups

    def position(self, position_id: str) -> Position:
        """The position with ``position_id``.

        Raises:
            UnknownPositionError: no such position.
        """
        try:
            return self._index.by_id[position_id]
        except KeyError:
            raise UnknownPositionError(
                f"no position {position_id!r} in the {self.name} chart"
            ) from None

    def __contains__(self, position_id: object) -> bool:
        return position_id in self._index.by_id

    def by_title(self, title: str) -> Position:
        """The position whose seed ``title`` (or ``title_en``) is ``title``.

        >>> from keyaccount import reference
        >>> reference.load("sales-management").by_title("销售管理部经理").title_en
        'Sales management manager'

        Raises:
            UnknownPositionError: no position has that title.
            AmbiguousTitleError: several do; use the id.
        """
        found = self._index.by_title.get(title, ())
        if not found:
            raise UnknownPositionError(f"no position titled {title!r} in the {self.name} chart")
        if len(found) > 1:
            raise AmbiguousTitleError(
                f"{len(found)} positions are titled {title!r}: {', '.join(found)}; use an id"
            )
        return self.position(found[0])

    def resolve(self, id_or_title: str) -> Position:
        """A position by id, else by title."""
        if id_or_title in self._index.by_id:
            return self._index.by_id[id_or_title]
        return self.by_title(id_or_title)

    def superior(self, position_id: str) -> Position | None:
        """The direct superior, or ``None`` for the top.

        Raises:
            UnknownPositionError: no such position, or its superior is not in the chart.
        """
        superior_id = self.position(position_id).superior
        return None if superior_id is None else self.position(superior_id)

    def chain_of_command(self, position_id: str) -> tuple[Position, ...]:
        """Every position above ``position_id``, from its direct superior to the top.

        Raises:
            UnknownPositionError: a superior on the way is missing.
            OrgStructureError: the reporting lines form a cycle.
        """
        return tuple(self.position(p) for p in self._index.chain(position_id))

    def subordinates(self, position_id: str, *, direct: bool = True) -> tuple[Position, ...]:
        """The positions reporting to ``position_id``: directly, or at any depth."""
        self.position(position_id)
        if direct:
            return tuple(self.position(c) for c in self._index.children.get(position_id, ()))
        out: list[Position] = []
        seen = {position_id}
        stack = list(reversed(self._index.children.get(position_id, ())))
        while stack:
            child = stack.pop()
            if child in seen:
                continue
            seen.add(child)
            out.append(self.position(child))
            stack.extend(reversed(self._index.children.get(child, ())))
        return tuple(out)

    def is_above(self, upper: str, lower: str) -> bool:
        """Whether ``upper`` is in ``lower``'s chain of command."""
        return upper in self._index.chain(lower)

    def authorities(self, position_id: str) -> tuple[Authority, ...]:
        """The rights ``position_id`` holds."""
        return self.position(position_id).authorities

    def job_description(self, position_id: str) -> JobDescription:
        """The job description text of ``position_id``."""
        return self.position(position_id).job

    def tops(self) -> tuple[Position, ...]:
        """Positions without a superior (a sound chart has exactly one)."""
        return tuple(p for p in self.positions if p.superior is None)

    def department(self, department_id: str) -> Department | None:
        """The department with that id, if the chart lists it."""
        return next((d for d in self.departments if d.id == department_id), None)

    def __iter__(self) -> Iterator[Position]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)


class _ChartIndex:
    """Lookup tables derived from a chart (internal)."""

    __slots__ = (
        "approving",
        "approving_by_subject",
        "by_id",
        "by_title",
        "chains",
        "children",
        "route_contexts",
    )

    def __init__(self, chart: OrgChart) -> None:
        by_id: dict[str, Position] = {}
        for position in chart.positions:
            if position.id in by_id:
                raise DuplicateIdError(f"position id {position.id!r} is used twice")
            by_id[position.id] = position
        department_ids = [d.id for d in chart.departments]
        if len(set(department_ids)) != len(department_ids):
            raise DuplicateIdError("a department id is used twice")
        self.by_id = by_id
        self.by_title: dict[str, tuple[str, ...]] = {}
        self.children: dict[str, tuple[str, ...]] = {}
        self.approving: dict[tuple[str, str], tuple[Authority, ...]] = {}
        self.chains: dict[str, tuple[str, ...]] = {}
        titles: dict[str, list[str]] = {}
        children: dict[str, list[str]] = {}
        approving: dict[tuple[str, str], list[Authority]] = {}
        for position in chart.positions:
            for title in {position.title, position.title_en}:
                titles.setdefault(title, []).append(position.id)
            if position.superior is not None:
                children.setdefault(position.superior, []).append(position.id)
            for authority in position.authorities:
                if authority.kind in APPROVING_KINDS:
                    approving.setdefault((position.id, authority.subject), []).append(authority)
        self.by_title = {k: tuple(v) for k, v in titles.items()}
        self.children = {k: tuple(v) for k, v in children.items()}
        self.approving = {k: tuple(v) for k, v in approving.items()}
        # subject -> position -> rights: one lookup per level on the approval route.
        self.approving_by_subject: dict[str, dict[str, tuple[Authority, ...]]] = {}
        for (position_id, subject), held in self.approving.items():
            self.approving_by_subject.setdefault(subject, {})[position_id] = held
        # What a fast-path route needs to explain itself later, by within_budget.
        self.route_contexts = {
            budget: _RouteContext(chart, budget, None, ()) for budget in (False, True)
        }

    def chain(self, position_id: str) -> tuple[str, ...]:
        cached = self.chains.get(position_id)
        if cached is not None:
            return cached
        if position_id not in self.by_id:
            raise UnknownPositionError(f"no position {position_id!r} in the chart")
        path: list[str] = []
        seen = {position_id}
        current = self.by_id[position_id].superior
        while current is not None:
            if current in seen:
                raise OrgStructureError(
                    f"the reporting lines above {position_id!r} form a cycle through {current!r}"
                )
            known = self.chains.get(current)
            if known is not None:
                if seen.intersection(known):
                    raise OrgStructureError(
                        f"the reporting lines above {position_id!r} form a cycle"
                    )
                path.append(current)
                path.extend(known)
                break
            superior = self.by_id.get(current)
            if superior is None:
                raise UnknownPositionError(
                    f"{path[-1] if path else position_id!r} reports to {current!r}, "
                    f"which is not in the chart"
                )
            seen.add(current)
            path.append(current)
            current = superior.superior
        result = tuple(path)
        self.chains[position_id] = result
        return result


# --------------------------------------------------------------------------- rules


@attrs.frozen
class Decision:
    """The answer of :func:`can`: truthy when allowed.

    Attributes:
        allowed: whether the position may do it.
        reason: why, in words a person can read.
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


def _as_money(amount: Money | Decimal | int | str) -> Money:
    money = amount if isinstance(amount, Money) else Money(amount)
    if money.amount < 0:
        raise InvalidAmountError(f"the amount at stake must not be negative, got {money}")
    return money


def _within_limit(
    limit: Money | None, amount: Money | None, rates: Rates | None
) -> tuple[bool, str]:
    """Whether ``amount`` is covered by ``limit`` (a limit of X covers amounts <= X)."""
    if amount is None or limit is None:
        return True, ""
    if amount.currency != limit.currency:
        if rates is None:
            raise CurrencyMismatchError(
                f"the limit is {limit} but the amount is {amount}; pass explicit rates to "
                f"compare them"
            )
        if rates.at_most(amount, limit):
            return True, ""
        return False, f"its limit is {limit} ({amount} converted with the given rates exceeds it)"
    if amount <= limit:
        return True, ""
    return False, f"its limit is {limit}"


def _covers(
    authority: Authority,
    amount: Money | None,
    within_budget: bool,
    rates: Rates | None,
) -> tuple[bool, str]:
    """Whether ``authority`` covers an amount under the budget condition; else why not."""
    if authority.within_budget_only and not within_budget:
        return False, "it holds only within the approved budget (预算内)"
    if amount is not None and authority.limit is None and authority.within_range_only:
        return False, "it holds only within a range (在权限范围内) that is not configured"
    return _within_limit(authority.limit, amount, rates)


def _in_scope(  # noqa: PLR0911 - one return per scope reads clearest
    chart: OrgChart, holder: Position, authority: Authority, target: str | None
) -> bool:
    scope = authority.scope
    if scope is Scope.COMPANY:
        return True
    if target is None:
        return scope in (Scope.SELF, Scope.DEPARTMENT)
    chart.position(target)
    if scope is Scope.SELF:
        return target == holder.id
    if scope is Scope.DIRECT_SUBORDINATES:
        return chart.position(target).superior == holder.id
    if scope is Scope.ALL_SUBORDINATES:
        return chart.is_above(holder.id, target)
    if scope is Scope.DEPARTMENT:
        return chart.position(target).department == holder.department
    return target in authority.scope_positions


def _scope_words(authority: Authority) -> str:
    if authority.scope is Scope.POSITIONS:
        return f"the positions {', '.join(authority.scope_positions)}"
    return {
        Scope.SELF: "its own matters",
        Scope.DIRECT_SUBORDINATES: "its direct subordinates (直接下级)",
        Scope.ALL_SUBORDINATES: "the positions below it (所属下级)",
        Scope.DEPARTMENT: "its department (部门内)",
        Scope.COMPANY: "the company",
    }[authority.scope]


def _active_delegations(
    delegations: Sequence[Delegation], as_of: dt.datetime | None
) -> list[Delegation]:
    if not delegations:
        return []
    if as_of is None:
        raise MissingAsOfError("delegations were given without as_of; pass the instant to check")
    instant = to_instant(as_of, "as_of")
    return [d for d in delegations if d.valid_from <= instant < d.valid_until]


def _own_decision(
    chart: OrgChart,
    holder: Position,
    kind: AuthorityKind,
    subject: str,
    target: str | None,
    amount: Money | None,
    within_budget: bool,
    rates: Rates | None,
) -> tuple[Authority | None, str]:
    """The holder's own authority that allows it, else ``(closest, reason)``."""
    closest: Authority | None = None
    reasons: list[str] = []
    for authority in holder.authorities:
        if authority.kind is not kind or authority.subject != subject:
            continue
        closest = authority
        if not _in_scope(chart, holder, authority, target):
            reasons.append(
                f"its {kind.label} on {subject} covers {_scope_words(authority)}"
                + (f", not {target}" if target else "; name the target")
            )
            continue
        ok, why = _covers(authority, amount, within_budget, rates)
        if ok:
            return authority, ""
        reasons.append(f"{amount} is not covered: {why}")
    return closest, "; ".join(reasons)


def can(
    chart: OrgChart,
    position_id: str,
    kind: AuthorityKind,
    subject: str,
    *,
    target: str | None = None,
    amount: Money | Decimal | int | str | None = None,
    within_budget: bool = True,
    as_of: dt.datetime | None = None,
    delegations: Sequence[Delegation] = (),
    rates: Rates | None = None,
) -> Decision:
    """Whether ``position_id`` may exercise ``kind`` on ``subject``.

    The position's own authorities are tried first, then any delegation to it that is
    active at ``as_of``. Scopes are honoured: a right over direct subordinates
    (直接下级) allows nothing over anybody else, and needs a ``target``.

    >>> from keyaccount import reference
    >>> chart = reference.load("sales-management")
    >>> manager = chart.by_title("销售管理部经理").id
    >>> bool(can(chart, manager, AuthorityKind.APPROVE, "customer-credit", amount=20000))
    True
    >>> decision = can(chart, manager, AuthorityKind.APPROVE, "customer-credit", amount="20000.01")
    >>> bool(decision), decision.reason.split(": ", 1)[1]
    (False, '20000.01 CNY is not covered: its limit is 20000 CNY')

    Args:
        target: the position acted upon (for scoped rights such as appraisal).
        amount: the amount at stake; numbers are taken as CNY.
        within_budget: whether the spending is inside the approved budget.
        as_of: the instant, needed when ``delegations`` are given.
        delegations: delegations (授权) to take into account.
        rates: exchange rates for limits in another currency.

    Raises:
        UnknownPositionError: the position or target is not in the chart.
        CurrencyMismatchError: a limit is in another currency and no ``rates`` were given.
        MissingAsOfError: delegations were given without ``as_of``.
    """
    holder = chart.position(position_id)
    money = None if amount is None else _as_money(amount)
    authority, reason = _own_decision(
        chart, holder, kind, subject, target, money, within_budget, rates
    )
    if authority is not None and not reason:
        return Decision(
            True,
            f"{holder.id} holds {authority.title()}",
            holder.id,
            kind,
            subject,
            authority,
        )
    for delegation in _active_delegations(delegations, as_of):
        if delegation.delegate != holder.id or not delegation.covers(kind, subject):
            continue
        granted = _delegated(chart, delegation, kind, subject, target, money, within_budget, rates)
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
    if not reason:
        reason = _missing_right_reason(chart, holder, kind, subject)
    return Decision(
        False,
        f"{holder.id} may not {kind.value} {subject}: {reason}",
        holder.id,
        kind,
        subject,
        authority,
    )


def _missing_right_reason(
    chart: OrgChart, holder: Position, kind: AuthorityKind, subject: str
) -> str:
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


def _delegated(
    chart: OrgChart,
    delegation: Delegation,
    kind: AuthorityKind,
    subject: str,
    target: str | None,
    amount: Money | None,
    within_budget: bool,
    rates: Rates | None,
) -> Authority | None:
    """The delegator's authority exercised through ``delegation``, if it covers the request."""
    if delegation.delegator not in chart:
        return None
    delegator = chart.position(delegation.delegator)
    authority, reason = _own_decision(
        chart, delegator, kind, subject, target, amount, within_budget, rates
    )
    if authority is None or reason:
        return None
    ok, _ = _within_limit(delegation.limit, amount, rates)
    return authority if ok else None


@attrs.frozen
class ApprovalRoute:
    """The answer of :func:`approval_route`.

    Attributes:
        approver: the id of the position that must approve.
        chain: the ids passed on the way up, from the requester's superior to the
            approver (the approver is the last element).
        authority: the right the approver approves under.
        delegation: the delegation it approves through, if any.
        steps: one line per position passed, saying why it did or did not approve.
    """

    requester: str
    subject: str
    amount: Money
    approver: str
    chain: tuple[str, ...]
    authority: Authority
    delegation: Delegation | None = None
    # The steps are derived from the facts above; the fast path of approval_route leaves
    # them to be worked out from the stored context the first time they are read.
    _steps: tuple[str, ...] | None = attrs.field(default=None, alias="steps", eq=False, repr=False)
    _context: _RouteContext | None = attrs.field(
        default=None, alias="context", kw_only=True, eq=False, repr=False
    )

    @property
    def steps(self) -> tuple[str, ...]:
        """One line per position passed, saying why it did or did not approve."""
        if self._steps is None:
            context = self._context
            steps: tuple[str, ...] = ()
            if context is not None:
                steps = _walk_route(
                    context.chart,
                    self.requester,
                    self.subject,
                    self.amount,
                    context.within_budget,
                    context.rates,
                    context.delegations,
                ).steps
            object.__setattr__(self, "_steps", steps)
            return steps
        return self._steps

    def explain(self) -> str:
        """The route as readable lines."""
        head = f"{self.amount} of {self.subject} requested by {self.requester}:"
        return "\n".join([head, *(f"  {step}" for step in self.steps)])


def approval_route(
    chart: OrgChart,
    requester_id: str,
    subject: str,
    amount: Money | Decimal | int | str,
    *,
    within_budget: bool = True,
    as_of: dt.datetime | None = None,
    delegations: Sequence[Delegation] = (),
    rates: Rates | None = None,
) -> ApprovalRoute:
    """Who must approve ``amount`` of ``subject`` requested by ``requester_id``.

    Walks up from the requester's superior (the requester never approves its own
    request) to the first position whose approve or decide right on ``subject`` covers
    ``amount``: a limit of X covers amounts up to and including X, no limit covers all.
    An over-budget request (``within_budget=False``) needs a right without the
    within-budget condition. A position also qualifies through a delegation to it that
    is active at ``as_of``, within the delegation's limit and the delegator's.

    >>> from keyaccount import reference
    >>> chart = reference.load("sales-management")
    >>> regional = chart.by_title("区域经理").id
    >>> approval_route(chart, regional, "customer-credit", 20000).approver
    'sales-management-manager'
    >>> approval_route(chart, regional, "customer-credit", "20000.01").approver
    'marketing-director'

    Raises:
        NoApproverError: nobody above qualifies; the message names the highest limit found.
        CurrencyMismatchError: a limit is in another currency and no ``rates`` were given.
        MissingAsOfError: delegations were given without ``as_of``.
    """
    money = _as_money(amount)
    active = _active_delegations(delegations, as_of)
    if not active and rates is None:
        found = _fast_route(chart, requester_id, subject, money, within_budget)
        if found is not None:
            return found
    return _walk_route(chart, requester_id, subject, money, within_budget, rates, tuple(active))


@attrs.frozen
class _RouteContext:
    """What :attr:`ApprovalRoute.steps` needs to explain a route found by the fast path."""

    chart: OrgChart
    within_budget: bool
    rates: Rates | None
    delegations: tuple[Delegation, ...]


def _fast_route(
    chart: OrgChart, requester_id: str, subject: str, money: Money, within_budget: bool
) -> ApprovalRoute | None:
    """The route when no delegations or rates are involved, without building any text.

    Same decision as :func:`_walk_route`; returns ``None`` (leaving the walk to explain
    or raise) when nobody qualifies or a limit is in another currency.
    """
    chain = chart._index.chain(requester_id)
    holders = chart._index.approving_by_subject.get(subject)
    if holders is None:
        return None
    amount = money.amount
    currency = money.currency
    by_id = chart._index.by_id
    requester = by_id[requester_id]
    for depth, position_id in enumerate(chain):
        held = holders.get(position_id)
        if held is None:
            continue
        for authority in held:
            # Cheapest test first: most candidates fall to their limit.
            limit = authority.limit
            if limit is None:
                if authority.within_range_only:
                    continue
            elif limit.currency != currency:
                return None
            elif amount > limit.amount:
                continue
            if authority.within_budget_only and not within_budget:
                continue
            scope = authority.scope
            if (
                scope is not Scope.COMPANY
                and scope is not Scope.ALL_SUBORDINATES
                and not _route_in_scope(authority, depth, by_id[position_id], requester)
            ):
                continue
            return ApprovalRoute(
                requester_id,
                subject,
                money,
                position_id,
                chain[: depth + 1],
                authority,
                context=chart._index.route_contexts[within_budget],
            )
    return None


def _route_in_scope(
    authority: Authority, depth: int, holder: Position, requester: Position
) -> bool:
    """:func:`_in_scope` for a holder ``depth + 1`` levels above the requester.

    On the route every holder is above the requester, so the scopes reduce to
    comparisons: no lookups on the hot path.
    """
    scope = authority.scope
    if scope is Scope.COMPANY or scope is Scope.ALL_SUBORDINATES:
        return True
    if scope is Scope.DEPARTMENT:
        return holder.department == requester.department
    if scope is Scope.DIRECT_SUBORDINATES:
        return depth == 0
    if scope is Scope.POSITIONS:
        return requester.id in authority.scope_positions
    return False  # SELF: a holder above the requester is never the requester


def _walk_route(
    chart: OrgChart,
    requester_id: str,
    subject: str,
    money: Money,
    within_budget: bool,
    rates: Rates | None,
    active: tuple[Delegation, ...],
) -> ApprovalRoute:
    """:func:`approval_route`'s walk, explaining each step (``active``: live delegations)."""
    index = chart._index
    chain: list[str] = []
    steps: list[str] = []
    highest: tuple[Money, str] | None = None
    for position_id in index.chain(requester_id):
        chain.append(position_id)
        reasons: list[str] = []
        for authority in index.approving.get((position_id, subject), ()):
            if not _in_scope(chart, index.by_id[position_id], authority, requester_id):
                reasons.append(f"its right covers {_scope_words(authority)}, not {requester_id}")
                continue
            ok, why = _covers(authority, money, within_budget, rates)
            if ok:
                steps.append(f"{position_id}: approves under {authority.title()}")
                return ApprovalRoute(
                    requester_id,
                    subject,
                    money,
                    position_id,
                    tuple(chain),
                    authority,
                    None,
                    tuple(steps),
                )
            reasons.append(why)
            if authority.limit is not None and (
                highest is None
                or (
                    authority.limit.currency == highest[0].currency and authority.limit > highest[0]
                )
            ):
                highest = (authority.limit, position_id)
        for delegation in active:
            # A right the requester delegated upward is still the requester's own right.
            if delegation.delegate != position_id or delegation.delegator == requester_id:
                continue
            for kind in APPROVING_KINDS:
                if not delegation.covers(kind, subject):
                    continue
                granted = _delegated(
                    chart, delegation, kind, subject, requester_id, money, within_budget, rates
                )
                if granted is not None:
                    steps.append(
                        f"{position_id}: approves for {delegation.delegator} "
                        "under a delegation (授权)"
                    )
                    return ApprovalRoute(
                        requester_id,
                        subject,
                        money,
                        position_id,
                        tuple(chain),
                        granted,
                        delegation,
                        tuple(steps),
                    )
        steps.append(
            f"{position_id}: cannot approve ({'; '.join(reasons)})"
            if reasons
            else f"{position_id}: holds no approval right on {subject}"
        )
    found = f"; the highest limit found is {highest[0]} ({highest[1]})" if highest else ""
    raise NoApproverError(
        f"no position above {requester_id} may approve {money} of {subject}{found}",
        highest_limit=str(highest[0]) if highest else None,
    )


# --------------------------------------------------------------------------- check_org


@attrs.frozen
class Finding:
    """One problem found by :func:`check_org`.

    Attributes:
        code: a stable identifier of the kind of problem (``cycle``, ``duty-shares`` ...).
        message: what is wrong, in words.
        position: the position it concerns, if any.
    """

    code: str
    message: str
    position: str | None = None

    def __str__(self) -> str:
        where = f" [{self.position}]" if self.position else ""
        return f"{self.code}{where}: {self.message}"


def _limit_value(limit: Money | None) -> tuple[int, Decimal]:
    """Sort key: no limit is above every limit."""
    return (1, Decimal(0)) if limit is None else (0, limit.amount)


def _safe_chain(chart: OrgChart, position_id: str) -> tuple[str, ...]:
    try:
        return chart._index.chain(position_id)
    except KeyAccountError:
        return ()


def check_org(chart: OrgChart, delegations: Iterable[Delegation] = ()) -> list[Finding]:
    """Every problem in ``chart`` (and the given delegations), not just the first.

    Findings, each with a stable ``code``:

    * ``missing-superior``: a position reports to a position not in the chart.
    * ``unknown-department``: a position names a department the chart does not list.
    * ``cycle``: reporting lines that loop.
    * ``no-top`` / ``multiple-tops``: the chart does not have exactly one top position.
    * ``duty-shares``: a position's duty time shares do not add up to 100 (or only some
      duties have one).
    * ``limit-exceeds-superior``: a limited right whose nearest holder above has a lower limit.
    * ``limit-without-backstop``: a limited right nobody above holds, so larger amounts
      have no approver.
    * ``undecided-proposal``: a proposal or nomination right on a subject nobody above decides.
    * ``unknown-scope-position``: a scope names a position not in the chart.
    * ``delegation-too-wide``: a delegation grants more than its delegator holds, or is
      otherwise malformed.
    """
    findings: list[Finding] = []
    ids = {p.id for p in chart.positions}
    department_ids = {d.id for d in chart.departments}
    for position in chart.positions:
        if position.superior is not None and position.superior not in ids:
            findings.append(
                Finding(
                    "missing-superior",
                    f"{position.id} reports to {position.superior!r}, which is not in the chart",
                    position.id,
                )
            )
        if department_ids and position.department not in department_ids:
            findings.append(
                Finding(
                    "unknown-department",
                    f"{position.id} names department {position.department!r}, which is not listed",
                    position.id,
                )
            )
    findings.extend(_cycle_findings(chart))
    tops = chart.tops()
    if not tops:
        findings.append(
            Finding("no-top", "no position is at the top (every position has a superior)")
        )
    elif len(tops) > 1:
        findings.append(
            Finding(
                "multiple-tops",
                f"{len(tops)} positions have no superior: {', '.join(p.id for p in tops)}",
            )
        )
    for position in chart.positions:
        findings.extend(_share_findings(position))
        findings.extend(_authority_findings(chart, position, ids))
    for delegation in delegations:
        findings.extend(_delegation_findings(chart, delegation))
    return findings


def _cycle_findings(chart: OrgChart) -> list[Finding]:
    by_id = {p.id: p for p in chart.positions}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    findings: list[Finding] = []
    for start in by_id:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in by_id and state.get(current) is None:
            state[current] = 1
            path.append(current)
            current = by_id[current].superior
        if current is not None and state.get(current) == 1:
            loop = path[path.index(current) :]
            findings.append(
                Finding(
                    "cycle",
                    "reporting lines loop: " + " -> ".join([*loop, current]),
                    min(loop),
                )
            )
        for member in path:
            state[member] = 2
    return findings


def _share_findings(position: Position) -> list[Finding]:
    shares = [d.time_share for d in position.job.duties]
    given = [s for s in shares if s is not None]
    if not given:
        return []
    if len(given) != len(shares):
        return [
            Finding(
                "duty-shares",
                f"{len(shares) - len(given)} of {len(shares)} duties have no time share",
                position.id,
            )
        ]
    findings = []
    if any(s <= 0 for s in given):
        findings.append(Finding("duty-shares", "a duty's time share is not positive", position.id))
    total = sum(given, Decimal(0))
    if total != 100:
        findings.append(
            Finding(
                "duty-shares",
                "duty time shares add up to "
                f"{' + '.join(str(s) for s in given)} = {total}, not 100",
                position.id,
            )
        )
    return findings


def _authority_findings(chart: OrgChart, position: Position, ids: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    chain = _safe_chain(chart, position.id)
    above = [chart.position(p) for p in chain]
    for authority in position.authorities:
        unknown = [p for p in authority.scope_positions if p not in ids]
        if unknown:
            findings.append(
                Finding(
                    "unknown-scope-position",
                    f"{authority.title()} names unknown position(s) {', '.join(unknown)}",
                    position.id,
                )
            )
        if authority.scope is Scope.POSITIONS and not authority.scope_positions:
            findings.append(
                Finding(
                    "unknown-scope-position",
                    f"{authority.describe()} has scope 'positions' but names none",
                    position.id,
                )
            )
        if authority.kind.advises:
            findings.extend(_proposal_findings(chart, position, authority, above))
        if authority.limit is not None:
            findings.extend(_limit_findings(position, authority, above))
    return findings


def _proposal_targets(chart: OrgChart, position: Position, authority: Authority) -> list[str]:
    """The positions a person-scoped proposal is about (empty for subject-level rights)."""
    if authority.scope is Scope.DIRECT_SUBORDINATES:
        return [p.id for p in chart.subordinates(position.id)]
    if authority.scope is Scope.ALL_SUBORDINATES:
        return [p.id for p in chart.subordinates(position.id, direct=False)]
    if authority.scope is Scope.POSITIONS:
        return [p for p in authority.scope_positions if p in chart]
    return []


def _proposal_findings(
    chart: OrgChart, position: Position, authority: Authority, above: list[Position]
) -> list[Finding]:
    """A proposal or nomination needs a decider above whose scope reaches what it is about.

    For a right over people (subordinates, named positions) every such person must be
    within the scope of some deciding right above: a supervisor's reward proposal for
    its staff is not decided by a manager whose 奖惩权 covers only its direct subordinates.
    """
    deciders = [
        (upper, a)
        for upper in above
        for a in upper.authorities
        if a.subject == authority.subject and a.kind.decides
    ]
    if not deciders:
        return [
            Finding(
                "undecided-proposal",
                f"{authority.title()}: nobody above {position.id} decides {authority.subject!r}",
                position.id,
            )
        ]
    try:
        targets = _proposal_targets(chart, position, authority)
        unreached = [
            target
            for target in targets
            if not any(_in_scope(chart, upper, a, target) for upper, a in deciders)
        ]
    except KeyAccountError:  # broken reporting lines are reported as such elsewhere
        return []
    if not unreached:
        return []
    return [
        Finding(
            "undecided-proposal",
            f"{authority.title()}: no deciding right above {position.id} on "
            f"{authority.subject!r} reaches {', '.join(unreached)}",
            position.id,
        )
    ]


def _same_right(a: AuthorityKind, b: AuthorityKind) -> bool:
    """Approve and decide both settle an amount; otherwise a right is only its own kind."""
    return a is b or (a in APPROVING_KINDS and b in APPROVING_KINDS)


def _limit_findings(
    position: Position, authority: Authority, above: list[Position]
) -> list[Finding]:
    for upper in above:
        same = [
            a
            for a in upper.authorities
            if a.subject == authority.subject and _same_right(a.kind, authority.kind)
        ]
        if not same:
            continue
        best = max(same, key=lambda a: _limit_value(a.limit))
        if best.limit is None or authority.limit is None:
            return []
        if best.limit.currency != authority.limit.currency:
            return [
                Finding(
                    "limit-exceeds-superior",
                    f"{authority.describe()} is in {authority.limit.currency} but {upper.id}'s "
                    f"limit is in {best.limit.currency}; they cannot be compared without rates",
                    position.id,
                )
            ]
        if best.limit < authority.limit:
            return [
                Finding(
                    "limit-exceeds-superior",
                    f"{position.id} may {authority.kind.value} {authority.subject} up to "
                    f"{authority.limit}, more than {upper.id} above it ({best.limit})",
                    position.id,
                )
            ]
        return []
    return [
        Finding(
            "limit-without-backstop",
            f"{position.id} may {authority.kind.value} {authority.subject} up to "
            f"{authority.limit}, and nobody above holds that right for larger amounts",
            position.id,
        )
    ]


def _delegation_findings(chart: OrgChart, delegation: Delegation) -> list[Finding]:
    where = delegation.delegate
    findings = [
        Finding("delegation-too-wide", f"delegation names unknown position {end!r}", where)
        for end in (delegation.delegator, delegation.delegate)
        if end not in chart
    ]
    if findings:
        return findings
    if delegation.delegator == delegation.delegate:
        findings.append(Finding("delegation-too-wide", "a position delegates to itself", where))
    if delegation.valid_until <= delegation.valid_from:
        findings.append(
            Finding("delegation-too-wide", "the delegation ends before it starts", where)
        )
    held = chart.position(delegation.delegator).authorities
    for kind in sorted(delegation.kinds, key=lambda k: k.value):
        for subject in sorted(delegation.subjects):
            mine = [a for a in held if a.kind is kind and a.subject == subject]
            if not mine:
                findings.append(
                    Finding(
                        "delegation-too-wide",
                        f"{delegation.delegator} delegates {kind.value} {subject}, "
                        f"which it does not hold",
                        where,
                    )
                )
                continue
            best = max(mine, key=lambda a: _limit_value(a.limit))
            if best.limit is None:
                continue
            if delegation.limit is None or (
                delegation.limit.currency == best.limit.currency and delegation.limit > best.limit
            ):
                findings.append(
                    Finding(
                        "delegation-too-wide",
                        f"the delegation's limit on {kind.value} {subject} "
                        f"({delegation.limit or 'none'}) exceeds {delegation.delegator}'s "
                        f"own ({best.limit})",
                        where,
                    )
                )
    return findings
