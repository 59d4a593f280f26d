"""Customers: the seed's rules as examples (000_… 客户管理工作细则, 001_… 孤儿客户 / 报备)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest

from keyaccount import reference
from keyaccount.calendar import DateRange
from keyaccount.customers import (
    AbcClass,
    AbcRow,
    Booking,
    Contact,
    CreditApproval,
    Customer,
    CustomerKind,
    CustomerStatus,
    DuplicateClaim,
    Registration,
    RivalClaim,
    Spend,
    Staff,
    Tier,
    abc_classes,
    apply_assignments,
    assign,
    can_view,
    company_key,
    credit_approval,
    frequent_customers,
    hand_over,
    normalise_phone,
    redact,
    register,
    resolve_claims,
    unowned,
)
from keyaccount.errors import (
    CurrencyMismatchError,
    DuplicateIdError,
    FloatMoneyError,
    InexactNumberError,
    InvalidAmountError,
    InvalidDateRangeError,
    InvalidPhoneError,
    NaiveDatetimeError,
    NoApproverError,
    NoCandidateError,
    UnknownStaffError,
)
from keyaccount.money import Money
from keyaccount.org import Authority, AuthorityKind, OrgChart, Position

SHANGHAI = "Asia/Shanghai"
MONDAY = pendulum.datetime(2026, 3, 2, 9, 30, tz=SHANGHAI)
ZHANG = Staff("zhang", "张伟", "sales-representative")
LI = Staff("li", "李娜", "sales-representative")
WANG = Staff("wang", "王芳", "sales-supervisor")
HEAD = Staff("chen", "陈刚", "key-account-manager")
ENGINEER = Staff("zhao", "赵敏", "presales-engineer")


def held(registration: Registration | RivalClaim) -> tuple[str, pendulum.DateTime]:
    """Who holds a registration and since when: all a rival may learn of it (issue 9, F1)."""
    return registration.by, registration.at


def prospect(by: Staff = ZHANG, **changes: object) -> Customer:
    fields: dict[str, object] = {
        "status": CustomerStatus.PROSPECT,
        "owner": by.id,
        "contacts": (Contact("138-0013-8000", "陈经理"),),
        "registered_by": by.id,
        "registered_position": by.position,
        "registered_at": MONDAY,
    }
    fields.update(changes)
    return Customer("p1", "上海某某贸易有限公司", **fields)  # type: ignore[arg-type]  # test helper passes typed values through a dict


# --------------------------------------------------------------------------- phones and names


@pytest.mark.parametrize(
    "spelling",
    [
        "138-0013-8000",
        "+86 13800138000",
        "0086 138 0013 8000",
        "(138)0013.8000",
        "１３８００１３８０００",
    ],
)
def test_every_spelling_of_a_mobile_number_is_the_same_person(spelling: str) -> None:
    assert normalise_phone(spelling) == "13800138000"


def test_a_landline_keeps_its_area_code() -> None:
    assert normalise_phone("021-6234 5678") == "02162345678"


def test_a_short_number_starting_with_86_is_not_mistaken_for_a_country_code() -> None:
    assert normalise_phone("8612345") == "8612345"


def test_a_phone_with_letters_is_refused_with_a_typed_error() -> None:
    with pytest.raises(InvalidPhoneError, match="call me"):
        normalise_phone("call me")
    with pytest.raises(ValueError, match="digits"):
        Contact("138-0013-800x")


@pytest.mark.parametrize(
    "spelling",
    [
        "上海某某贸易有限公司",
        "上海某某贸易",
        "上海 某某贸易 股份有限公司",
        "上海某某贸易集团有限公司",
    ],
)
def test_company_suffixes_and_spaces_do_not_make_a_different_customer(spelling: str) -> None:
    assert company_key(spelling) == company_key("上海某某贸易公司")


def test_a_suffix_written_with_spaces_inside_is_still_a_suffix() -> None:
    # Spaces go before the suffixes are stripped, so "有限 公司" is 有限公司.
    assert company_key("上海某某贸易 有限 公司") == company_key("上海某某贸易有限公司")
    assert company_key("上海某某贸易 有限 公司") == "上海某某贸易"
    assert company_key("上海某某贸易\u3000股份 有限公司") == "上海某某贸易"


@pytest.mark.parametrize(
    "spelling",
    [
        "上海某某贸易(集团)有限公司",
        "上海某某贸易（集团）有限公司",
        "上海某某贸易（集团）",
        "上海某某贸易【集团】股份有限公司",
        "上海某某贸易 ( 集团 ) 有限 公司",
    ],
)
def test_bracketed_group_forms_are_company_suffixes(spelling: str) -> None:
    assert company_key(spelling) == "上海某某贸易"


def test_an_english_suffix_after_a_chinese_name_needs_no_space() -> None:
    assert company_key("华新Ltd.") == company_key("华新 Co., Ltd.") == "华新"


def test_full_width_latin_names_and_english_suffixes_compare_equal() -> None:
    assert company_key("ＡＢＣ Trading Co., Ltd.") == company_key("abc trading")
    assert company_key("Acme Inc.") == company_key("ACME")


def test_a_latin_suffix_inside_a_word_is_not_stripped() -> None:
    assert company_key("Zinc") == "zinc"


def test_a_name_that_is_only_a_suffix_is_kept() -> None:
    assert company_key("有限公司") == "有限公司"


# --------------------------------------------------------------------------- visibility


def test_an_unclosed_prospect_is_hidden_from_a_peer_in_the_same_position() -> None:
    chart = reference.load("key-account")
    assert can_view(chart, ZHANG, prospect())
    assert not can_view(chart, LI, prospect())


def test_positions_above_the_registrant_see_the_prospect() -> None:
    chart = reference.load("key-account")
    assert can_view(chart, WANG, prospect())
    assert can_view(chart, HEAD, prospect())


def test_a_colleague_in_another_branch_does_not_see_the_prospect() -> None:
    chart = reference.load("key-account")
    assert not can_view(chart, ENGINEER, prospect())


def test_a_closed_customer_or_a_non_confidential_prospect_is_visible_to_all() -> None:
    chart = reference.load("key-account")
    assert can_view(chart, LI, prospect(status=CustomerStatus.ACTIVE))
    assert can_view(chart, LI, prospect(confidential=False))


def test_a_confidential_prospect_without_a_registrant_is_hidden_from_everybody() -> None:
    chart = reference.load("key-account")
    orphan = prospect(registered_by=None, registered_position=None)
    assert not can_view(chart, HEAD, orphan)


def test_redact_hides_the_details_and_leaves_the_original_untouched() -> None:
    chart = reference.load("key-account")
    original = prospect()
    hidden = redact(chart, LI, original)
    assert not isinstance(hidden, Customer)
    assert hidden.id == "p1"
    assert "13800138000" not in repr(hidden)
    assert "上海某某" not in repr(hidden)
    assert original == prospect()
    assert redact(chart, ZHANG, original) is original


# --------------------------------------------------------------------------- registration


def test_the_second_salesperson_to_register_a_customer_gets_a_duplicate_claim() -> None:
    first = register([], prospect(), ZHANG, MONDAY)
    assert isinstance(first, Registration)
    rival = Customer("p2", "上海 某某贸易 公司")
    claim = register([first], rival, LI, MONDAY.add(hours=1))
    assert isinstance(claim, DuplicateClaim)
    assert held(claim.earlier) == held(first)
    assert "name" in claim.matched_on
    assert "zhang" in claim.reason


def test_a_shared_phone_is_a_duplicate_even_under_another_name() -> None:
    first = register([], prospect(), ZHANG, MONDAY)
    assert isinstance(first, Registration)
    rival = Customer("p2", "完全不同的名字", contacts=(Contact("+86 138 0013 8000"),))
    claim = register([first], rival, LI, MONDAY.add(hours=1))
    assert isinstance(claim, DuplicateClaim)
    assert claim.matched_on == "phone 13800138000"


def test_registering_your_own_prospect_again_returns_the_earlier_registration() -> None:
    first = register([], prospect(), ZHANG, MONDAY)
    assert isinstance(first, Registration)
    again = register([first], prospect(), ZHANG, MONDAY.add(days=1))
    assert again == first


def test_different_customers_are_not_duplicates() -> None:
    first = register([], prospect(), ZHANG, MONDAY)
    assert isinstance(first, Registration)
    other = Customer("p2", "北京另一家有限公司", contacts=(Contact("13900139000"),))
    assert isinstance(register([first], other, LI, MONDAY.add(hours=1)), Registration)


def test_a_claim_with_spaces_inside_the_company_suffix_is_caught() -> None:
    first = register([], prospect(contacts=()), ZHANG, MONDAY)
    assert isinstance(first, Registration)
    rival = Customer("p2", "上海某某贸易 有限 公司")
    claim = register([first], rival, LI, MONDAY.add(hours=1))
    assert isinstance(claim, DuplicateClaim)
    assert held(claim.earlier) == held(first)


def test_two_nameless_prospects_are_not_the_same_customer() -> None:
    first = register([], Customer("p1", " "), ZHANG, MONDAY)
    assert isinstance(first, Registration)
    assert isinstance(register([first], Customer("p2", ""), LI, MONDAY.add(hours=1)), Registration)


def test_a_claim_at_the_same_instant_with_a_lower_id_displaces_the_existing_registration() -> None:
    existing = register([], Customer("p2", "某某有限公司"), ZHANG, MONDAY)
    assert isinstance(existing, Registration)
    new = register([existing], Customer("p1", "某某"), LI, MONDAY)
    # The tie goes to the lower customer id: p1 wins, and says whom it displaces.
    assert isinstance(new, Registration)
    assert new.customer_id == "p1"
    assert [held(d) for d in new.displaces] == [held(existing)]
    winners, claims = resolve_claims([existing, new])
    assert winners == (new,)
    assert [(c.claim, held(c.earlier)) for c in claims] == [(existing, held(new))]


def test_a_back_dated_claim_displaces_the_later_registration() -> None:
    later = register([], prospect(), ZHANG, MONDAY)
    assert isinstance(later, Registration)
    back_dated = register(
        [later],
        Customer("p9", "x", contacts=(Contact("13800138000"),)),
        LI,
        MONDAY.subtract(days=1),
    )
    assert isinstance(back_dated, Registration)
    assert [held(d) for d in back_dated.displaces] == [held(later)]
    assert "zhang" in later.by


def test_a_claim_that_comes_after_every_match_displaces_nobody() -> None:
    first = register([], prospect(), ZHANG, MONDAY)
    assert isinstance(first, Registration)
    other = register([first], Customer("p2", "北京另一家"), LI, MONDAY.add(hours=1))
    assert isinstance(other, Registration)
    assert other.displaces == ()
    assert other.reinstates == ()


def test_a_claim_matching_two_winners_names_the_earliest_in_register_and_resolve_alike() -> None:
    by_name = Registration("p1", "甲公司", ("13900139000",), "zhang", "sales", MONDAY)
    by_phone = Registration("p2", "乙公司", ("13800138000",), "wang", "sales", MONDAY.add(hours=1))
    rival = Customer("p3", "甲", contacts=(Contact("13800138000"),))
    claim = register([by_phone, by_name], rival, LI, MONDAY.add(hours=2))
    assert isinstance(claim, DuplicateClaim)
    assert held(claim.earlier) == held(by_name)
    _, settled = resolve_claims([by_name, by_phone, claim.claim])
    assert held(settled[0].earlier) == held(by_name)


def test_at_the_same_instant_the_lower_customer_id_wins() -> None:
    a = Registration("p1", "某某公司", (), "zhang", "sales-representative", MONDAY)
    b = Registration("p2", "某某", (), "li", "sales-representative", MONDAY)
    winners, claims = resolve_claims([b, a])
    assert winners == (a,)
    assert claims[0].claim == b
    assert held(claims[0].earlier) == held(a)


# --------------------------------------------------------------------------- assignment


def test_assignment_balances_load_weighted_by_ability() -> None:
    strong = Staff("s1", "强", "specialist", ability=Decimal(2))
    average = Staff("s2", "中", "specialist")
    customers = [Customer(f"c{i}", f"客户{i}") for i in range(6)]
    moves = assign(customers, [average, strong])
    owners = [m.owner for m in moves]
    # (load + 1) / ability: twice the ability takes twice the customers.
    assert owners.count("s1") == 4
    assert owners.count("s2") == 2
    assert all("负责客户数量均衡、兼顾业务能力" in m.reason for m in moves)


def test_assignment_counts_the_customers_already_owned() -> None:
    s1, s2 = Staff("s1", "甲", "specialist"), Staff("s2", "乙", "specialist")
    book = [Customer(f"old{i}", "旧", owner="s1") for i in range(3)]
    moves = assign([Customer("new", "新")], [s1, s2], book=book)
    assert moves[0].owner == "s2"


def test_assignment_skips_people_who_have_left_and_refuses_with_nobody_left() -> None:
    gone = Staff("s1", "甲", "specialist", active=False)
    with pytest.raises(NoCandidateError):
        assign([Customer("c1", "客户")], [gone])
    assert assign([], [gone]) == ()


def test_the_same_customer_twice_is_refused() -> None:
    with pytest.raises(DuplicateIdError):
        assign([Customer("c1", "a"), Customer("c1", "b")], [ZHANG])


def test_a_leaving_salespersons_customers_go_to_the_candidates() -> None:
    book = [Customer(f"c{i}", "客户", owner="li") for i in range(3)]
    book.append(Customer("c9", "客户", owner="zhang"))
    result = hand_over(LI, book, [ZHANG, WANG], interim=ENGINEER)
    assert {a.owner for a in result.assignments} <= {"zhang", "wang"}
    assert [a.owner for a in result.assignments].count("wang") == 2  # zhang already has one
    assert result.to_interim == ()
    assert all(a.previous_owner == "li" for a in result.assignments)


def test_without_a_candidate_orphan_customers_go_to_the_interim_specialist() -> None:
    book = [Customer("c1", "客户", owner="li")]
    service = Staff("sun", "孙丽", "customer-service-specialist")
    result = hand_over("li", book, [LI], interim=service)
    assert [a.owner for a in result.to_interim] == ["sun"]
    assert "孤儿客户" in result.assignments[0].reason
    after = apply_assignments(book, result.assignments, MONDAY)
    assert after[0].owner == "sun"
    assert after[0].assigned_at == MONDAY
    assert book[0].owner == "li"


def test_an_interim_owner_who_is_leaving_too_is_refused() -> None:
    with pytest.raises(NoCandidateError):
        hand_over(LI, [Customer("c1", "客户", owner="li")], [], interim=LI)


def test_unowned_lists_active_customers_without_an_owner() -> None:
    book = [
        Customer("c1", "a"),
        Customer("c2", "b", owner="s1"),
        Customer("c3", "c", status=CustomerStatus.LOST),
    ]
    assert [c.id for c in unowned(book)] == ["c1"]


# --------------------------------------------------------------------------- credit


def test_credit_within_the_managers_own_limit_needs_no_approval() -> None:
    chart = reference.load("sales-management")
    result = credit_approval(chart, Customer("c1", "x"), Money(20000), "sales-management-manager")
    # The requester never approves its own request: nobody approves, and the result says why.
    assert result.approver is None
    assert not result.needs_approval
    assert result.route is None
    assert result.reason.startswith("no approval needed: within 销售管理部经理's own authority")
    assert "货款信用额度20000元" in result.reason
    assert result.own_authority is not None
    assert result.own_authority.limit == Money(20000)


def test_the_customers_owner_asks_when_no_requester_is_named() -> None:
    chart = reference.load("sales-management")
    regional = Staff("zhou", "周", "regional-manager")
    customer = Customer("c1", "x", owner="zhou")
    result = credit_approval(chart, customer, Money(15000), staff=[LI, regional])
    assert result.requester == "regional-manager"
    assert result.requested_by == "zhou"
    assert result.approver == "sales-management-manager"


def test_a_staff_member_asks_through_their_position() -> None:
    chart = reference.load("sales-management")
    manager = Staff("wu", "吴", "sales-management-manager")
    result = credit_approval(chart, Customer("c1", "x"), Money(30000), manager)
    assert (result.requester, result.requested_by) == ("sales-management-manager", "wu")
    assert result.approver == "marketing-director"


def test_without_a_requester_an_owner_missing_from_staff_is_refused() -> None:
    chart = reference.load("sales-management")
    with pytest.raises(UnknownStaffError, match="zhou"):
        credit_approval(chart, Customer("c1", "x", owner="zhou"), Money(1), staff=[LI])
    with pytest.raises(LookupError, match="no owner"):
        credit_approval(chart, Customer("c1", "x"), Money(1))


def test_a_decide_right_within_its_limit_also_needs_no_approval() -> None:
    decide = Authority(
        AuthorityKind.DECIDE, "customer-credit", "信用额度决定权", limit=Money(50000)
    )
    approve = Authority(AuthorityKind.APPROVE, "customer-credit", limit=None)
    chart = OrgChart(
        "t",
        "测试",
        "test",
        (
            Position("boss", "总经理", "general manager", "d", authorities=(approve,)),
            Position("head", "部门经理", "head", "d", superior="boss", authorities=(decide,)),
            Position("rep", "销售代表", "rep", "d", superior="head"),
        ),
    )
    own = credit_approval(chart, Customer("c1", "x"), Money(50000), "head")
    assert own.approver is None
    assert own.reason == "no approval needed: within 部门经理's own authority (信用额度决定权)"
    # approval_route considers decide rights too: the head decides for the rep.
    assert credit_approval(chart, Customer("c1", "x"), Money(50000), "rep").approver == "head"
    assert credit_approval(chart, Customer("c1", "x"), Money(50001), "head").approver == "boss"


def test_credit_above_the_regional_managers_rights_goes_up_the_chart() -> None:
    chart = reference.load("sales-management")
    result = credit_approval(chart, Customer("c1", "x"), Money("20000.01"), "regional-manager")
    assert result.approver == "marketing-director"
    assert result.route is not None
    assert result.route.chain == ("sales-management-manager", "marketing-director")


def test_the_top_needs_no_approval_but_an_unknown_subject_has_no_approver() -> None:
    chart = reference.load("sales-management")
    top = credit_approval(chart, Customer("c1", "x"), Money(10**6), "marketing-director")
    assert top.approver is None
    assert top.approver != top.requester
    assert "营销总监's own authority" in top.reason
    with pytest.raises(NoApproverError):
        credit_approval(chart, Customer("c1", "x"), Money(1), "regional-manager", subject="none")


# --------------------------------------------------------------------------- analysis


def test_abc_classes_by_cumulative_share_with_the_default_80_95() -> None:
    revenue = {"a": Money(50), "b": Money(30), "c": Money(10), "d": Money(6), "e": Money(4)}
    rows = abc_classes(revenue)
    # a (0% before) A, b (50% before) A, c (80% before) B, d (90%) B, e (96%) C
    assert [r.abc for r in rows] == [AbcClass.A, AbcClass.A, AbcClass.B, AbcClass.B, AbcClass.C]
    assert rows[-1].cumulative == 1
    assert rows[1].share == Fraction(3, 10)


def test_abc_ties_are_broken_by_customer_id_and_thresholds_are_configurable() -> None:
    rows = abc_classes({"y": Money(10), "x": Money(10)}, a="1/2", b="1/2")
    assert [(r.customer_id, r.abc) for r in rows] == [("x", AbcClass.A), ("y", AbcClass.C)]


def test_abc_refuses_bad_thresholds_and_mixed_currencies() -> None:
    with pytest.raises(InvalidAmountError):
        abc_classes({"x": Money(1)}, a="0.9", b="0.8")
    with pytest.raises(CurrencyMismatchError):
        abc_classes({"x": Money(1), "y": Money(1, "USD")})


def test_no_revenue_at_all_puts_everybody_in_c() -> None:
    assert {r.abc for r in abc_classes({"x": Money(0), "y": Money(0)})} == {AbcClass.C}


def test_frequent_customers_are_phones_that_recur_in_the_period() -> None:
    march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    bookings = [
        Booking("138-0013-8000", dt.date(2026, 3, 1), Money(100), "陈先生"),
        Booking("+86 13800138000", dt.date(2026, 3, 8), Money(200)),
        Booking("13800138000", dt.date(2026, 3, 15), Money(300)),
        Booking("13800138000", dt.date(2026, 4, 1), Money(999)),  # outside the period
        Booking("13900139000", dt.date(2026, 3, 2), Money(5000)),
    ]
    known = [Customer("c1", "陈先生", contacts=(Contact("13800138000"),))]
    rows = frequent_customers(bookings, march, min_visits=3, customers=known)
    assert len(rows) == 1
    assert (rows[0].phone, rows[0].visits, rows[0].spend) == ("13800138000", 3, Money(600))
    assert rows[0].customer_id == "c1"
    assert rows[0].name == "陈先生"


def test_tiers_carry_the_seed_labels() -> None:
    assert Tier.KEY_ACCOUNT.label == "大客户"
    assert Tier.ORDINARY.label == "普通顾客"
    assert Tier.MEMBER.is_member
    assert not Tier.KEY_ACCOUNT.is_member


def test_money_fields_refuse_floats_and_bare_numbers() -> None:
    with pytest.raises(FloatMoneyError, match="credit_limit"):
        Customer("c1", "x", credit_limit=5000.5)  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(FloatMoneyError, match="amount"):
        Spend(MONDAY, 100)  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(FloatMoneyError):
        Booking("13800138000", dt.date(2026, 3, 1), 9.9)  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(TypeError):  # FloatMoneyError is a TypeError too
        Staff("s", "x", "p", ability=1.5)  # type: ignore[arg-type]  # the point of the test
    assert Customer("c1", "x", credit_limit=Money("5000.50")).credit_limit == Money("5000.5")
    assert Spend(MONDAY, Money(100)).amount == Money(100)


def test_credit_approval_refuses_a_bare_number_as_the_limit() -> None:
    chart = reference.load("sales-management")
    with pytest.raises(FloatMoneyError):
        credit_approval(chart, Customer("c1", "x"), 20000.0, "regional-manager")  # type: ignore[arg-type]  # the point of the test


def test_staff_ability_must_be_positive() -> None:
    with pytest.raises(InvalidAmountError):
        Staff("s", "x", "p", ability=Decimal(0))


# --------------------------------------------------------------------------- the house conventions


def test_redact_takes_its_arguments_in_the_order_of_can_view() -> None:
    chart = reference.load("key-account")
    for viewer in (ZHANG, LI, WANG, ENGINEER):
        shown = redact(chart, viewer, prospect())
        assert (shown == prospect()) == can_view(chart, viewer, prospect())


def test_register_and_apply_assignments_name_the_events_own_time() -> None:
    first = register([], prospect(), ZHANG, registered_at=MONDAY)
    assert isinstance(first, Registration)
    assert first.at == MONDAY
    moved = apply_assignments(
        [Customer("c1", "x")], assign([Customer("c1", "x")], [LI]), assigned_at=MONDAY
    )
    assert moved[0].assigned_at == MONDAY
    with pytest.raises(NaiveDatetimeError, match="assigned_at"):
        apply_assignments([], [], dt.datetime(2026, 3, 2, 9))  # noqa: DTZ001 - the point of the test


def test_the_credit_approver_is_the_routes_approver() -> None:
    chart = reference.load("sales-management")
    up = credit_approval(chart, Customer("c1", "x"), Money("20000.01"), "regional-manager")
    assert up.route is not None
    assert up.approver == up.route.approver == "marketing-director"
    assert up.needs_approval
    within = credit_approval(chart, Customer("c1", "x"), Money(1), "sales-management-manager")
    assert within.route is None
    assert within.approver is None
    assert not within.needs_approval
    # the approver is derived, so a result cannot name one beside a different route
    assert "approver" not in {field.name for field in CreditApproval.__attrs_attrs__}


def test_a_reversed_or_non_date_range_is_an_invalid_date_range() -> None:
    with pytest.raises(InvalidDateRangeError, match="ends before it starts"):
        DateRange(dt.date(2026, 3, 31), dt.date(2026, 3, 1))
    with pytest.raises(ValueError, match="ends before"):  # a ValueError too
        DateRange(dt.date(2026, 3, 31), dt.date(2026, 3, 1))
    with pytest.raises(InvalidDateRangeError, match="start"):
        DateRange(MONDAY, MONDAY)
    with pytest.raises(InvalidDateRangeError, match="end"):
        DateRange(dt.date(2026, 3, 1), "2026-03-31")  # type: ignore[arg-type]  # the point of the test
    assert dt.date(2026, 3, 1) in DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 1))


def test_shares_must_be_exact_numbers() -> None:
    with pytest.raises(InexactNumberError, match="share"):
        AbcRow(1, "c1", Money(1), 0.5, Fraction(1, 2), AbcClass.A)  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(InexactNumberError):
        abc_classes({"x": Money(1)}, a=0.8)  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(InvalidAmountError):
        abc_classes({"x": Money(1)}, a="eighty percent")


def test_the_customer_enums_carry_the_seed_labels_with_each_member() -> None:
    assert CustomerKind.GOVERNMENT.label == "政府机构客户"
    assert CustomerStatus.PROSPECT.label == "准客户(报备未成交)"
    assert CustomerStatus("lost") is CustomerStatus.LOST
    assert [c.label for c in AbcClass] == ["A类客户", "B类客户", "C类客户"]
    assert Tier("vip") is Tier.VIP
