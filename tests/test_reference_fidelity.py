"""The reference charts answer the authority questions as the seeds say (issue 9, seed fidelity).

Each test quotes the seed line it checks. The encodings changed in issue 9 are:

* 对事业部其他成员的聘任或解聘有建议权和否决权 (``000_…``, ``002_…``): 其他成员 are the members
  other than those the manager appoints himself;
* 有对直接下级人员奖惩权 (``000_…``, ``002_…``): direct subordinates only;
* 遵循公司销售管理政策原则下,销售合同的签订权 (``003_…``): a policy condition, not a range;
* 有按照制度奖惩内部员工的权力 (``004_…`` 篇三): its own department, not 篇一's;
* 权限内的财务审批权 (``001_…``): no range in the seed, reported by `check_org`;
* 必须保证在三天之内回访 (``000_…``): one reading, ``Days(3)``, for visits and complaints.
"""

from __future__ import annotations

import os
from pathlib import Path

import pendulum
import pytest

from keyaccount import reference
from keyaccount.calendar import Days, WorkCalendar, deadline
from keyaccount.complaints import ComplaintPolicy, RequestKind, Severity
from keyaccount.errors import NoApproverError
from keyaccount.org import (
    AuthorityKind,
    FindingCode,
    ScheduleItem,
    approval_route,
    can,
    check_org,
)
from keyaccount.visits import RETURN_VISIT_WITHIN, VisitPolicy

HIRING = "hiring"
REWARD = "staff-reward"


# ------------------------------------------- 对事业部其他成员的聘任或解聘有建议权和否决权


@pytest.mark.parametrize(
    ("chart_name", "manager", "appointed", "others"),
    [
        # 000_…: 销售团队主管和技术团队主管的聘任权和解聘权
        (
            "key-account",
            "key-account-manager",
            ["sales-supervisor", "technical-supervisor"],
            ["sales-representative", "presales-engineer"],
        ),
        # 002_…: 负责销售团队主管和支持团队主管的聘任和解聘
        (
            "group-customer",
            "group-customer-manager",
            [
                "customer-development-supervisor",
                "product-support-supervisor",
                "after-sales-support-supervisor",
            ],
            [
                "customer-development-specialist",
                "product-support-specialist",
                "after-sales-support-specialist",
            ],
        ),
    ],
)
@pytest.mark.parametrize("kind", [AuthorityKind.VETO, AuthorityKind.PROPOSE])
def test_the_veto_over_other_members_excludes_those_the_manager_appoints_himself(
    chart_name: str,
    manager: str,
    appointed: list[str],
    others: list[str],
    kind: AuthorityKind,
) -> None:
    chart = reference.load(chart_name)
    for target in appointed:
        assert not can(chart, manager, kind, HIRING, target=target), target
    assert not can(chart, manager, kind, HIRING, target=manager)
    for target in others:
        assert can(chart, manager, kind, HIRING, target=target), target


def test_the_key_account_manager_appoints_the_supervisors_he_may_not_veto() -> None:
    chart = reference.load("key-account")
    manager = "key-account-manager"
    for target in ("sales-supervisor", "technical-supervisor"):
        assert can(chart, manager, AuthorityKind.APPOINT, HIRING, target=target)
        assert can(chart, manager, AuthorityKind.DISMISS, HIRING, target=target)


# ------------------------------------------------------------------- 有对直接下级人员奖惩权


@pytest.mark.parametrize(
    ("chart_name", "manager", "direct", "below"),
    [
        ("key-account", "key-account-manager", "sales-supervisor", "sales-representative"),
        (
            "group-customer",
            "group-customer-manager",
            "product-support-supervisor",
            "product-support-specialist",
        ),
    ],
)
def test_the_managers_reward_and_punishment_covers_direct_subordinates_only(
    chart_name: str, manager: str, direct: str, below: str
) -> None:
    chart = reference.load(chart_name)
    kind = AuthorityKind.REWARD_PUNISH
    assert can(chart, manager, kind, REWARD, target=direct)
    refused = can(chart, manager, kind, REWARD, target=below)
    assert not refused
    assert "直接下级" in refused.reason
    # The supervisor's 奖惩建议权 over its own staff still has a decider (check_org is clean).
    assert not [f for f in check_org(chart) if f.code is FindingCode.UNDECIDED_PROPOSAL]


# ------------------------------------------ 遵循公司销售管理政策原则下,销售合同的签订权


@pytest.mark.parametrize("amount", [1, "20000", "5000000"])
def test_the_sales_management_manager_signs_sales_contracts_under_the_policy_condition(
    amount: int | str,
) -> None:
    chart = reference.load("sales-management")
    manager = chart.by_title("销售管理部经理").id
    decision = can(chart, manager, AuthorityKind.SIGN, "contract", amount=amount)
    assert decision
    assert decision.authority is not None
    assert decision.authority.label.startswith("遵循公司销售管理政策原则下")  # the condition kept
    assert not decision.authority.within_range_only


# ------------------------------------------------------------------ dealer-crm, 篇一 and 篇三


def test_the_crm_manager_of_one_document_cannot_reward_the_crm_director_of_another() -> None:
    chart = reference.load("dealer-crm")
    manager = chart.position("crm-manager")
    assert manager.department != chart.position("crm-director").department
    for target in ("crm-director", "customer-management-manager", "customer-club-specialist"):
        decision = can(chart, "crm-manager", AuthorityKind.REWARD_PUNISH, REWARD, target=target)
        assert not decision, target


def test_the_crm_managers_reward_right_is_a_policy_condition_not_a_range() -> None:
    # 有按照制度奖惩内部员工的权力: 按照制度 is not 在权限范围内
    chart = reference.load("dealer-crm")
    (right,) = [a for a in chart.position("crm-manager").authorities if a.subject == REWARD]
    assert not right.within_range_only
    assert "按照制度" in right.label


# ------------------------------------------------------------------- 权限内的财务审批权


def test_the_unconfigured_financial_approval_is_reported_as_an_inert_right() -> None:
    chart = reference.load("customer-service")
    (finding,) = check_org(chart)
    assert finding.code is FindingCode.INERT_RIGHT
    assert finding.position == "customer-service-manager"
    assert "权限内的财务审批权" in finding.message
    with pytest.raises(NoApproverError):
        approval_route(chart, "customer-service-specialist", "expense", 1)


@pytest.mark.parametrize(
    "name", ["key-account", "group-customer", "sales-management", "dealer-crm"]
)
def test_the_other_reference_charts_have_no_finding(name: str) -> None:
    assert check_org(reference.load(name)) == ()


# ------------------------------------------------------------------ 必须保证在三天之内回访


def test_three_days_has_one_reading_for_visits_and_complaints() -> None:
    policy = ComplaintPolicy.default()
    assert Days(3) == RETURN_VISIT_WITHIN
    assert VisitPolicy().return_visit == RETURN_VISIT_WITHIN
    for kind in (RequestKind.COMPLAINT, RequestKind.INQUIRY, RequestKind.QUERY):
        assert policy.rule_for(kind, Severity.NORMAL).follow_up.within == RETURN_VISIT_WITHIN


def test_urgent_and_major_return_visits_are_never_later_than_a_normal_one() -> None:
    """Days for every severity: a stricter target can never end after the normal one."""
    policy = ComplaintPolicy.default()
    calendar = WorkCalendar.china()
    before_national_day = pendulum.datetime(2025, 9, 30, 15, tz="Asia/Shanghai")
    dues = [
        deadline(
            before_national_day,
            policy.rule_for(RequestKind.COMPLAINT, severity).follow_up.within,
            calendar,
        ).at
        for severity in (Severity.MAJOR, Severity.URGENT, Severity.NORMAL)
    ]
    assert dues == sorted(dues)
    assert dues[-1] == pendulum.datetime(2025, 10, 4, tz="Asia/Shanghai")


# ------------------------------------------- 工作规程 as schedule data (issue 10)

#: Where the seed texts are, when this checkout has them (they are not shipped).
_SEED_DIRS = [Path(p) for p in (os.environ.get("KEYACCOUNT_SEEDS", ""), "/work/shared/seeds") if p]


def _schedules() -> list[tuple[str, str, ScheduleItem]]:
    return [
        (name, position.id, item)
        for name in reference.names()
        for position in reference.load(name)
        for item in position.schedule
    ]


def test_the_sales_managers_work_routine_is_schedule_data() -> None:
    chart = reference.load("sales-management")
    items = {i.id: i for i in chart.position("sales-management-manager").schedule}
    assert str(items["weekly-meeting"].recurrence) == "FREQ=WEEKLY;BYDAY=SA;X-WINDOW=13:30-14:30"
    assert str(items["monthly-report"].recurrence) == "FREQ=MONTHLY;BYMONTHDAY=3;X-DUE-BY=TRUE"
    assert items["monthly-report"].to == "marketing-director"
    assert str(items["customer-visits"].recurrence) == "FREQ=MONTHLY;BYMONTHDAY=13;X-THROUGH=18"
    assert items["customer-visits"].seed == "003_c0a09330c12f3f2e.txt:169"


@pytest.mark.parametrize(
    ("chart_name", "position", "item"), _schedules(), ids=lambda v: getattr(v, "id", v)
)
def test_each_schedule_items_words_are_its_positions_encoded_seed_text(
    chart_name: str, position: str, item: ScheduleItem
) -> None:
    chart = reference.load(chart_name)
    job = chart.position(position).job
    texts = [d.statement for d in job.duties] + [t for d in job.duties for t in d.tasks]
    assert any(item.duty in text for text in texts), item.duty
    source, _, line = item.seed.partition(":")
    assert source == chart.source
    assert line.isdigit()
    if item.to is not None:
        assert item.to in chart


@pytest.mark.parametrize(
    ("chart_name", "position", "item"), _schedules(), ids=lambda v: getattr(v, "id", v)
)
def test_each_schedule_items_words_are_on_the_seed_line_it_cites(
    chart_name: str, position: str, item: ScheduleItem
) -> None:
    del chart_name, position
    source, _, line = item.seed.partition(":")
    found = [d / source for d in _SEED_DIRS if (d / source).is_file()]
    if not found:
        pytest.skip("the seed texts are not in this checkout (set KEYACCOUNT_SEEDS)")
    lines = found[0].read_text("utf-8").split("\n")
    assert item.duty in lines[int(line) - 1]
