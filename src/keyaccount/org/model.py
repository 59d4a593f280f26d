"""Who is in the chart: departments, positions and their job descriptions (职位说明书).

A `Position` is a role, not a person: its title, department, direct superior and the
authorities it holds (see `keyaccount.org.rights`). Its `JobDescription` holds the text
of the seed's 职位说明书: duties with their time shares, qualifications, KPIs.

Examples:
    >>> Education.BACHELOR > Education.JUNIOR_COLLEGE, Education.BACHELOR.label
    (True, '大学本科')
"""

from __future__ import annotations

import functools
from decimal import Decimal

import attrs

from keyaccount._fields import LabelledEnum
from keyaccount.money import to_decimal
from keyaccount.org.rights import Authority
from keyaccount.org.schedule import ScheduleItem, unique_items

__all__ = [
    "Department",
    "Duty",
    "Education",
    "Experience",
    "JobDescription",
    "Position",
    "Qualification",
]


@functools.total_ordering
class Education(LabelledEnum):
    """Minimum education (最低学历), ordered: ``Education.BACHELOR > Education.JUNIOR_COLLEGE``."""

    HIGH_SCHOOL = "high-school", "高中/中专"
    JUNIOR_COLLEGE = "junior-college", "大学专科"
    BACHELOR = "bachelor", "大学本科"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"

    @property
    def rank(self) -> int:
        """Position in the order high school < junior college < bachelor < master < doctor."""
        return list(Education).index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Education):
            return NotImplemented
        return self.rank < other.rank


@attrs.frozen
class Department:
    """A department (所在部门)."""

    id: str
    title: str
    title_en: str


def _time_share(value: Decimal | int | str | None) -> Decimal | None:
    """attrs converter: an exact percentage (a float is refused), or ``None``."""
    return None if value is None else to_decimal(value, "time_share")


@attrs.frozen
class Duty:
    """One duty of a job description (职责与工作任务).

    Attributes:
        statement: the duty as the seed states it (职责表述).
        statement_en: a short English rendering.
        tasks: the work tasks (工作任务).
        kpi_focus: what appraisal looks at (考核重点).
        time_share: share of working time (工作时间百分比) as an exact percentage.

    Raises:
        FloatMoneyError: ``time_share`` is a float.
        InvalidAmountError: ``time_share`` is text that is not a decimal number.
    """

    statement: str
    statement_en: str = ""
    tasks: tuple[str, ...] = ()
    kpi_focus: tuple[str, ...] = ()
    time_share: Decimal | None = attrs.field(default=None, converter=_time_share)


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

    The authorities (相关权限) are held on the `Position` itself, so that rules can read
    them without going through the text.
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
class Position:
    """A position (岗位) in the chart: a role, not a person.

    Attributes:
        id: stable identifier, unique in the chart.
        title: the seed's title (``销售管理部经理``); ``title_en`` its English name.
        department: a `Department` id.
        superior: the direct superior's id (直接上级); ``None`` only for the top.
        headcount: 岗位定员, when stated.
        grade_range: 工资级别范围, as stated.
        job: the job description's text.
        authorities: the rights the position holds.
        schedule: its recurring duties (工作规程) as data, each citing its seed line
            (see `keyaccount.org.schedule` and `keyaccount.duties`).
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
    schedule: tuple[ScheduleItem, ...] = attrs.field(default=(), validator=unique_items)
