"""Rules under attack (issue 9, C, D4 and E): each careless call names its problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import (
    Authority,
    AuthorityKind,
    Cadence,
    Complaint,
    Customer,
    DateRange,
    Delegation,
    Fault,
    KeyAccountError,
    Money,
    Rates,
    RequestKind,
    Severity,
    Tier,
    VisitPolicy,
    WorkCalendar,
    approval_route,
    can,
    check_org,
    claims_by_period,
    nearest_rank,
    next_contact_time,
    reference,
)
from keyaccount.complaints import Resolved
from keyaccount.customers import Spend
from keyaccount.errors import (
    CalendarCoverageError,
    FloatMoneyError,
    InvalidAmountError,
    InvalidArgumentTypeError,
    InvalidDateRangeError,
    InvalidGranularityError,
    InvalidPercentileError,
    InvalidTextError,
    InvalidTimeWindowError,
    NaiveDatetimeError,
    NotAPeriodError,
)

CAL = WorkCalendar.china()
SALES = reference.load("sales-management")
REGIONAL = SALES.by_title("区域经理").id
AT = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")


def _delegation(**changes: object) -> Delegation:
    fields: dict[str, object] = {
        "delegator": "sales-management-manager",
        "delegate": REGIONAL,
        "kinds": frozenset({AuthorityKind.APPROVE}),
        "subjects": frozenset({"customer-credit"}),
        "valid_from": AT,
        "valid_until": AT.add(days=14),
    }
    fields.update(changes)
    return Delegation(**fields)  # type: ignore[arg-type]  # bad values on purpose


# ------------------------------------------------------------------ C: authority rules


def test_within_budget_must_be_a_bool() -> None:
    # Issue 9 C: approval_route(..., within_budget="no") raised KeyError.
    with pytest.raises(InvalidArgumentTypeError, match="within_budget") as caught:
        approval_route(SALES, REGIONAL, "customer-credit", 100, within_budget="no")  # type: ignore[arg-type]  # on purpose
    assert isinstance(caught.value, TypeError)
    with pytest.raises(InvalidArgumentTypeError, match="within_budget"):
        can(SALES, REGIONAL, AuthorityKind.APPROVE, "x", within_budget=1)  # type: ignore[arg-type]  # on purpose


@given(st.one_of(st.integers(), st.text(), st.none(), st.just(Decimal(1))))
def test_anything_but_true_or_false_is_refused_as_within_budget(flag: object) -> None:
    with pytest.raises(InvalidArgumentTypeError):
        approval_route(SALES, REGIONAL, "customer-credit", 100, within_budget=flag)  # type: ignore[arg-type]  # on purpose


def test_a_naive_as_of_is_refused_even_without_delegations() -> None:
    # Issue 9 C: a naive as_of was accepted when there were no delegations.
    naive = dt.datetime(2026, 3, 2, 10)  # noqa: DTZ001 - naive on purpose
    with pytest.raises(NaiveDatetimeError, match="as_of"):
        approval_route(SALES, REGIONAL, "customer-credit", 100, as_of=naive)
    with pytest.raises(NaiveDatetimeError, match="as_of"):
        can(SALES, REGIONAL, AuthorityKind.APPROVE, "customer-credit", as_of=naive)


def test_negative_limits_are_refused() -> None:
    # Issue 9 C: negative limits were accepted in Authority and Delegation.
    with pytest.raises(InvalidAmountError, match="limit must not be negative"):
        Authority(AuthorityKind.APPROVE, "expense", limit=Money(-1))
    with pytest.raises(InvalidAmountError, match="limit must not be negative"):
        _delegation(limit=Money("-0.01"))
    assert Authority(AuthorityKind.APPROVE, "expense", limit=Money(0)).limit == Money(0)


@pytest.mark.parametrize("days", [-1, 0])
def test_a_delegation_must_end_after_it_starts(days: int) -> None:
    # Issue 9 C: a Delegation could end before it starts.
    with pytest.raises(InvalidDateRangeError, match="end after it starts"):
        _delegation(valid_until=AT.add(days=days))


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"kinds": frozenset({"approve"})}, "kinds"),
        ({"subjects": {"customer-credit"}}, "subjects"),
        ({"delegate": 7}, "delegate"),
    ],
)
def test_a_delegation_of_the_wrong_types_is_refused(changes: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidArgumentTypeError, match=named):
        _delegation(**changes)


def test_an_authority_of_the_wrong_types_is_refused() -> None:
    with pytest.raises(InvalidArgumentTypeError, match="kind"):
        Authority("approve", "expense")  # type: ignore[arg-type]  # a str on purpose
    with pytest.raises(InvalidArgumentTypeError, match="scope"):
        Authority(AuthorityKind.APPROVE, "expense", scope="company")  # type: ignore[arg-type]  # on purpose


def test_wrong_argument_types_name_the_argument_instead_of_attribute_error() -> None:
    # Issue 9 C: a str for the chart, a Position for its id, a number for the subject
    # raised AttributeError (or were looked up as nonsense).
    position = SALES.position(REGIONAL)
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: approval_route("sales-management", REGIONAL, "x", 1), "chart"),  # type: ignore[arg-type]
        (lambda: approval_route(SALES, position, "x", 1), "requester"),  # type: ignore[arg-type]
        (lambda: approval_route(SALES, REGIONAL, 5, 1), "subject"),  # type: ignore[arg-type]
        (lambda: approval_route(SALES, REGIONAL, "x", 1, rates={}), "rates"),  # type: ignore[arg-type]
        (lambda: can("sales", REGIONAL, AuthorityKind.APPROVE, "x"), "chart"),  # type: ignore[arg-type]
        (lambda: can(SALES, position, AuthorityKind.APPROVE, "x"), "position"),  # type: ignore[arg-type]
        (lambda: can(SALES, REGIONAL, "approve", "x"), "kind"),  # type: ignore[arg-type]
        (lambda: can(SALES, REGIONAL, AuthorityKind.APPROVE, 5), "subject"),  # type: ignore[arg-type]
        (lambda: can(SALES, REGIONAL, AuthorityKind.APPRAISE, "x", target=position), "target"),  # type: ignore[arg-type]
        (lambda: check_org("sales-management"), "chart"),  # type: ignore[arg-type]
        (lambda: check_org(SALES, _delegation()), "delegations"),  # type: ignore[arg-type]
        (lambda: approval_route(SALES, REGIONAL, "x", 1, delegations=[1], as_of=AT), "delegations"),  # type: ignore[list-item]
    ]
    for call, named in cases:
        with pytest.raises(InvalidArgumentTypeError, match=named) as caught:
            call()
        assert isinstance(caught.value, TypeError)
        assert isinstance(caught.value, KeyAccountError)


def test_a_position_given_for_its_id_is_named_in_the_message() -> None:
    with pytest.raises(InvalidArgumentTypeError, match="pass its id"):
        approval_route(SALES, SALES.position(REGIONAL), "customer-credit", 1)  # type: ignore[arg-type]  # on purpose


def test_the_route_still_answers_well_typed_requests() -> None:
    assert approval_route(SALES, REGIONAL, "customer-credit", 20000, as_of=AT).approver == (
        "sales-management-manager"
    )
    rates = Rates({("USD", "CNY"): "7.1"})
    route = approval_route(SALES, REGIONAL, "customer-credit", Money(2000, "USD"), rates=rates)
    assert route.approver == "sales-management-manager"


# ------------------------------------------------------------------ D4: negative amounts


def test_negative_claims_credit_limits_and_spends_are_refused_and_zero_is_allowed() -> None:
    # Issue 9 D4: negative claim_amount, credit_limit and Spend amounts were accepted.
    with pytest.raises(InvalidAmountError, match="claim_amount"):
        Resolved(AT, "r", Fault.OURS, "rc", claim_amount=Money(-1))
    with pytest.raises(InvalidAmountError, match="credit_limit"):
        Customer("c1", "A", credit_limit=Money("-0.01"))
    with pytest.raises(InvalidAmountError, match="amount"):
        Spend(AT, Money(-5))
    assert Resolved(AT, "r", Fault.OURS, "rc", claim_amount=Money(0)).claim_amount == Money(0)
    assert Customer("c1", "A", credit_limit=Money(0)).credit_limit == Money(0)
    assert Spend(AT, Money(0)).amount == Money(0)


def test_a_float_claim_is_a_float_money_error() -> None:
    # Issue 9 E: Resolved(claim_amount=1.5) raised an attrs TypeError.
    with pytest.raises(FloatMoneyError):
        Resolved(AT, "r", Fault.OURS, "rc", claim_amount=1.5)  # type: ignore[arg-type]  # a float on purpose


# ------------------------------------------------------------------ E: KPIs, visits, complaints


@pytest.mark.parametrize(
    ("values", "percent"),
    [([], 90), ([dt.timedelta(1)], 150), ([dt.timedelta(1)], 0), ([dt.timedelta(1)], -10)],
)
def test_nearest_rank_refuses_no_values_and_percents_outside_1_to_100(
    values: list[dt.timedelta], percent: int
) -> None:
    # Issue 9 E: [] and 150 raised IndexError; 0 and -10 silently gave the minimum.
    with pytest.raises(InvalidPercentileError):
        nearest_rank(values, percent)


def _claimed(amount: Money) -> Complaint:
    return (
        Complaint.receive(
            "k1",
            at=AT,
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer_id="acme",
            channel="电话",
            summary="s",
        )
        .accept(by="cs", at=AT)
        .resolve(
            resolution="r",
            fault=Fault.OURS,
            root_cause="c",
            claim_amount=amount,
            at=AT.add(hours=2),
        )
    )


@pytest.mark.parametrize("complaints", [[], [_claimed(Money(100))]], ids=["none", "one"])
def test_an_unknown_granularity_is_refused_with_or_without_claims(
    complaints: list[Complaint],
) -> None:
    # Issue 9 E: granularity="week" raised KeyError, or returned nothing without claims.
    with pytest.raises(InvalidGranularityError, match="week"):
        claims_by_period(complaints, CAL, AT.add(days=1), granularity="week")  # type: ignore[arg-type]  # on purpose


def test_claims_in_another_currency_are_converted_to_the_minor_unit_and_summed_exactly() -> None:
    rates = Rates({("USD", "CNY"): "7.1"})
    one = _claimed(Money(1, "CNY"))
    claims = [Complaint(f"k{i}", one.events) for i in range(1, 72)]
    (period,) = claims_by_period(claims, CAL, AT.add(days=1), currency="USD", rates=rates).periods
    assert period.total == Money("9.94", "USD")  # 71 claims of 0.14 USD each
    assert len(period.ids) == 71


def test_a_visit_policy_refuses_text_where_a_period_is_needed() -> None:
    # Issue 9 E: VisitPolicy(first_contact="7 days") was accepted and failed later.
    with pytest.raises(NotAPeriodError, match="first_contact") as caught:
        VisitPolicy(first_contact="7 days")  # type: ignore[arg-type]  # text on purpose
    assert isinstance(caught.value, TypeError)
    with pytest.raises(NotAPeriodError, match="return_visit"):
        VisitPolicy(return_visit=3)  # type: ignore[arg-type]  # a number on purpose
    with pytest.raises(NotAPeriodError, match="every"):
        Cadence(Tier.VIP, "30 days")  # type: ignore[arg-type]  # text on purpose
    with pytest.raises(NotAPeriodError, match="cadence_lead"):
        VisitPolicy(cadence_lead="7 days")  # type: ignore[arg-type]  # text on purpose


def test_a_blank_complaint_id_is_an_invalid_text_error() -> None:
    # Issue 9 E: Complaint.receive("") raised a bare ValueError.
    with pytest.raises(InvalidTextError):
        Complaint.receive(
            "",
            at=AT,
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer_id="acme",
            channel="电话",
            summary="s",
        )


def test_a_policy_that_leaves_no_allowed_time_says_so_not_that_2027_is_uncovered() -> None:
    # Issue 9 E: next_contact_time reported a misleading "2027 is outside coverage".
    policy = VisitPolicy(working_hours_only=True, quiet_hours=("08:00-19:00",))
    with pytest.raises(InvalidTimeWindowError, match="no time to contact") as caught:
        next_contact_time(AT, policy, CAL)
    assert not isinstance(caught.value, CalendarCoverageError)
    assert "2027" not in str(caught.value)


def test_a_date_range_refuses_datetimes() -> None:
    # Issue 9 E: DateRange accepted datetimes.
    with pytest.raises(InvalidDateRangeError, match="dates"):
        DateRange(dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1))  # noqa: DTZ001 - on purpose
    with pytest.raises(InvalidDateRangeError, match="dates"):
        DateRange(dt.date(2026, 1, 1), AT)
