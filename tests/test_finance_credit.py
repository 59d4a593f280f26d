"""Credit control (资信动态控制): ratings from payment history and the check of a new order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import Customer, Money, Rates, Staff, WorkCalendar, reference
from keyaccount.errors import (
    CurrencyMismatchError,
    CustomerMismatchError,
    InvalidArgumentTypeError,
    InvalidPolicyError,
    UnknownStaffError,
)
from keyaccount.finance import (
    DEFAULT_RATING,
    CreditCheck,
    CreditDecision,
    CreditRating,
    Invoice,
    OpenOrder,
    Payment,
    PaymentTerms,
    RatingPolicy,
    RatingRule,
    Receivables,
    WriteOff,
    credit_check,
    credit_rating,
    open_items,
)
from keyaccount.testing import open_orders, rating_policies, receivables_ledgers

CAL = WorkCalendar.china()
NET30 = PaymentTerms(30)
CHART = reference.load("sales-management")
ACME = Customer("acme", "某某商贸有限公司", owner="li")
LI = Staff("li", "李", "regional-manager")


def at(y: int, m: int, d: int) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, 9, tz="Asia/Shanghai")


def bill(id_: str, amount: int | str, issued: dt.date, customer: str = "acme") -> Invoice:
    return Invoice(id_, customer, Money(amount), issued, NET30, owner="li")


def order(amount: int | str, id_: str = "SO-NEW", customer: str = "acme") -> OpenOrder:
    return OpenOrder(id_, customer, Money(amount))


MARCH_20 = at(2026, 3, 20)


def check(
    ledger: Receivables,
    new: OpenOrder,
    *,
    orders: tuple[OpenOrder, ...] = (),
    customer: Customer = ACME,
    policy: RatingPolicy = DEFAULT_RATING,
    requester: Staff | str | None = "regional-manager",
    when: pendulum.DateTime = MARCH_20,
) -> CreditCheck:
    return credit_check(
        customer, ledger, orders, new, policy, CHART, CAL, as_of=when, requester=requester
    )


# ------------------------------------------------------------------------- ratings


def test_a_long_punctual_large_customer_is_rated_a() -> None:
    bills = [
        bill(f"INV-{m}", 50000, dt.date(2024 + (m > 12), (m - 1) % 12 + 1, 5)) for m in range(1, 25)
    ]
    pays = [
        Payment(f"P-{b.id}", "acme", b.amount, b.issued_on + dt.timedelta(days=20)) for b in bills
    ]
    result = credit_rating("acme", Receivables(bills, pays), DEFAULT_RATING, CAL, at(2026, 1, 20))
    assert result.rating is CreditRating.A
    assert result.limit == Money(200000)
    assert result.history.months == 24
    assert result.history.volume == Money(550000)  # Feb-Dec 2025: after 2025-01-20
    assert len(result.history.volume_ids) == 11


def test_a_new_customer_with_nothing_overdue_is_rated_c_and_says_why_not_better() -> None:
    result = credit_rating(
        "acme",
        Receivables((bill("INV-1", 5000, dt.date(2026, 3, 1)),)),
        DEFAULT_RATING,
        CAL,
        at(2026, 3, 20),
    )
    assert result.rating is CreditRating.C
    assert result.limit == Money(20000)  # the seed's 货款信用额度 (003_…)
    assert result.missed[0].startswith("A: 0 months of business (at least 24)")
    assert "B: 0 months of business (at least 12)" in result.missed[1]
    assert "rating C C级(中), limit 20000 CNY" in result.explain()


def test_a_write_off_in_the_last_year_rates_the_customer_d() -> None:
    ledger = Receivables(
        (bill("INV-1", 5000, dt.date(2025, 1, 5)),),
        write_offs=(
            WriteOff("W-1", "INV-1", Money(5000), dt.date(2025, 9, 1), "regional-manager"),
        ),
    )
    result = credit_rating("acme", ledger, DEFAULT_RATING, CAL, at(2026, 3, 20))
    assert result.rating is CreditRating.D
    assert result.history.write_off_ids == ("W-1",)
    assert result.limit == Money(0)
    later = credit_rating("acme", ledger, DEFAULT_RATING, CAL, at(2026, 9, 2))
    assert later.history.write_off_ids == ()  # out of the 12-month lookback


def test_a_rating_policy_must_end_with_a_rule_without_condition() -> None:
    with pytest.raises(InvalidPolicyError, match="no condition"):
        RatingPolicy((RatingRule(CreditRating.A, Money(1), max_days_overdue=0),))
    with pytest.raises(InvalidPolicyError, match="twice"):
        RatingPolicy((RatingRule(CreditRating.A, Money(1)), RatingRule(CreditRating.A, Money(1))))
    with pytest.raises(InvalidPolicyError, match=">= 0"):
        RatingPolicy(hold_days_overdue=-1)


# ------------------------------------------------------------------------- the check


def test_an_order_within_the_ratings_limit_passes_and_names_the_invoices_behind_it() -> None:
    ledger = Receivables(
        (bill("INV-1", 8000, dt.date(2026, 3, 2)), bill("INV-2", 2000, dt.date(2026, 3, 5)))
    )
    result = check(ledger, order(6000), orders=(order(1000, "SO-1"), order(99, "SO-X", "other")))
    assert result.decision is CreditDecision.WITHIN_LIMIT
    assert result.passes
    assert result.approver is None
    assert result.outstanding == Money(10000)
    assert result.outstanding_ids == ("INV-1", "INV-2")
    assert result.open_order_ids == ("SO-1",)
    assert result.exposure == Money(17000)
    assert result.limit == Money(20000)
    text = result.explain()
    assert "within-limit" in text
    assert "INV-1, INV-2" in text
    assert "SO-1" in text


def test_an_exposure_above_the_managers_20000_goes_to_the_marketing_director() -> None:
    ledger = Receivables((bill("INV-1", 15000, dt.date(2026, 3, 2)),))
    result = check(ledger, order(10000))
    assert result.decision is CreditDecision.NEEDS_APPROVAL
    assert result.exposure == Money(25000)
    assert result.over_limit == Money(5000)
    assert result.approver == "marketing-director"
    assert "marketing-director" in result.explain()


def test_an_exposure_above_a_lower_approved_limit_is_the_sales_managers_to_approve() -> None:
    customer = Customer("acme", "某某商贸有限公司", owner="li", credit_limit=Money(10000))
    ledger = Receivables((bill("INV-1", 9000, dt.date(2026, 3, 2)),))
    # the owner asks (li, a regional manager); 15,000 is within the manager's 20,000
    with pytest.raises(UnknownStaffError):
        check(ledger, order(6000), customer=customer, requester=None)
    result = credit_check(
        customer,
        ledger,
        (),
        order(6000),
        DEFAULT_RATING,
        CHART,
        CAL,
        as_of=at(2026, 3, 20),
        staff=[LI],
    )
    assert result.limit == Money(10000)
    assert result.approved_limit == Money(10000)
    assert result.decision is CreditDecision.NEEDS_APPROVAL
    assert result.approver == "sales-management-manager"
    assert result.approval is not None
    assert result.approval.requested == Money(15000)


def test_the_sales_manager_asking_within_their_own_authority_needs_nobody() -> None:
    customer = Customer("acme", "某某商贸有限公司", owner="li", credit_limit=Money(10000))
    ledger = Receivables((bill("INV-1", 9000, dt.date(2026, 3, 2)),))
    result = check(ledger, order(6000), customer=customer, requester="sales-management-manager")
    assert result.decision is CreditDecision.OWN_AUTHORITY
    assert result.passes
    assert result.approver is None


def test_an_invoice_overdue_beyond_the_policy_holds_the_customer_whatever_the_limit() -> None:
    generous = RatingPolicy((RatingRule(CreditRating.A, Money(10**9)),))
    ledger = Receivables(
        (bill("INV-OLD", 100, dt.date(2025, 12, 1)), bill("INV-2", 100, dt.date(2026, 3, 1)))
    )
    # INV-OLD is due 2025-12-31: 79 days overdue on 2026-03-20, more than 60
    result = check(ledger, order(1), policy=generous)
    assert result.decision is CreditDecision.HOLD
    assert result.held
    assert not result.passes
    assert result.hold_ids == ("INV-OLD",)
    assert result.approval is None
    assert "INV-OLD more than 60 days overdue" in result.explain()


def test_an_order_of_another_customer_is_refused() -> None:
    with pytest.raises(CustomerMismatchError, match="other"):
        check(Receivables(()), order(1, customer="other"))


def test_an_order_in_another_currency_needs_rates() -> None:
    with pytest.raises(CurrencyMismatchError, match="order SO-NEW"):
        check(Receivables(()), OpenOrder("SO-NEW", "acme", Money(100, "USD")))
    ledger = Receivables((), rates=Rates({("USD", "CNY"): "7.1"}))
    assert check(ledger, OpenOrder("SO-NEW", "acme", Money(100, "USD"))).order == Money(710)


def test_the_check_refuses_arguments_of_the_wrong_type() -> None:
    with pytest.raises(InvalidArgumentTypeError, match="receivables"):
        credit_check(ACME, [], (), order(1), DEFAULT_RATING, CHART, CAL, as_of=at(2026, 1, 1))  # type: ignore[arg-type]


# ------------------------------------------------------------------------- properties

CUSTOMER = Customer("c1", "甲公司", owner="zhang")
WHEN = st.integers(0, 720).map(lambda n: at(2025, 1, 1).add(days=n))
CENTS = st.integers(0, 5_000_000).map(lambda c: Money(Decimal(c).scaleb(-2)))


@given(
    receivables_ledgers(),
    st.lists(open_orders(), max_size=4, unique_by=lambda o: o.id),
    rating_policies(),
    WHEN,
    CENTS,
    CENTS,
)
def test_exposure_is_monotone_in_the_order_amount(
    ledger: Receivables,
    pending: list[OpenOrder],
    policy: RatingPolicy,
    when: pendulum.DateTime,
    a: Money,
    b: Money,
) -> None:
    small, large = sorted((a, b))

    def run(amount: Money) -> CreditCheck:
        return credit_check(
            CUSTOMER,
            ledger,
            pending,
            OpenOrder("SO-NEW", "c1", amount),
            policy,
            CHART,
            CAL,
            as_of=when,
            requester="sales-management-manager",
        )

    low, high = run(small), run(large)
    assert low.exposure <= high.exposure
    assert high.exposure - low.exposure == large - small
    assert low.exposure == low.outstanding + low.open_orders + low.order
    if high.decision is CreditDecision.WITHIN_LIMIT:
        assert low.decision is CreditDecision.WITHIN_LIMIT
    assert low.held == high.held


@given(receivables_ledgers(), rating_policies(), WHEN, CENTS)
def test_a_customer_over_the_overdue_threshold_is_always_held(
    ledger: Receivables, policy: RatingPolicy, when: pendulum.DateTime, amount: Money
) -> None:
    late = [
        i
        for i in open_items(ledger, CAL, when)
        if i.customer_id == "c1" and i.days_overdue > policy.hold_days_overdue
    ]
    result = credit_check(
        CUSTOMER,
        ledger,
        (),
        OpenOrder("SO-NEW", "c1", amount),
        policy,
        CHART,
        CAL,
        as_of=when,
        requester="regional-manager",
    )
    assert result.held == bool(late)
    assert result.hold_ids == tuple(i.invoice_id for i in late)
    if late:
        assert result.approval is None
        assert not result.passes


@given(receivables_ledgers(), WHEN)
def test_the_outstanding_figure_is_the_sum_of_the_open_items_it_names(
    ledger: Receivables, when: pendulum.DateTime
) -> None:
    result = credit_check(
        CUSTOMER,
        ledger,
        (),
        OpenOrder("SO-NEW", "c1", Money(0)),
        DEFAULT_RATING,
        CHART,
        CAL,
        as_of=when,
        requester="marketing-director",
    )
    items = {
        i.invoice_id: i.outstanding for i in open_items(ledger, CAL, when) if i.customer_id == "c1"
    }
    assert result.outstanding_ids == tuple(items)
    assert result.outstanding == sum(items.values(), Money(0))
