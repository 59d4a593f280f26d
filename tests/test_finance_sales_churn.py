"""Sales results against target (销售目标及实绩达成分析表) and churn (客户流失率)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import Customer, CustomerStatus, Money, Rates, Spend, Tier, WorkCalendar
from keyaccount.errors import (
    CurrencyMismatchError,
    DuplicateIdError,
    InvalidAmountError,
    InvalidPeriodError,
    InvalidPolicyError,
)
from keyaccount.finance import (
    DEFAULT_CHURN,
    ChurnDefinition,
    ChurnPolicy,
    Invoice,
    PaymentTerms,
    Receivables,
    SalesKind,
    SalesRecord,
    SalesTarget,
    churn_rate,
    sales_results,
)
from keyaccount.testing import churn_policies, sales_records, sales_targets

CAL = WorkCalendar.china()
D = dt.date


def at(y: int, m: int, d: int) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, 9, tz="Asia/Shanghai")


def rec(
    id_: str,
    kind: SalesKind,
    amount: int | str,
    on: dt.date,
    owner: str = "wang",
    cost: int | str | None = None,
) -> SalesRecord:
    return SalesRecord(
        id_, kind, owner, "acme", Money(amount), on, None if cost is None else Money(cost)
    )


RECORDS = (
    rec("BID-1", SalesKind.BID, 300000, D(2026, 3, 2)),
    rec("HT-1", SalesKind.CONTRACT, 200000, D(2026, 3, 5)),
    rec("HT-2", SalesKind.CONTRACT, 50000, D(2026, 4, 1)),
    rec("INV-1", SalesKind.REVENUE, 90000, D(2026, 3, 20), cost=60000),
    rec("INV-2", SalesKind.REVENUE, 30000, D(2026, 3, 28), cost=25000),
    rec("HT-9", SalesKind.CONTRACT, 70000, D(2026, 3, 9), owner="li"),
)
TARGETS = (
    SalesTarget("wang", "2026-03", Money(250000), Money(300000), Money(100000), "0.3"),
    SalesTarget("zhao", "2026-03", revenue=Money(50000)),
    SalesTarget("wang", "2026-04", contracts=Money(1)),
)


# ------------------------------------------------------------------------- sales results


def test_each_salesperson_gets_a_row_of_figures_against_target_with_record_ids() -> None:
    report = sales_results(RECORDS, TARGETS, "2026-03", CAL, at(2026, 3, 31))
    assert [r.owner for r in report.rows] == ["li", "wang", "zhao"]
    wang = report.row("wang")
    assert wang is not None
    assert wang.bids.actual == Money(300000)
    assert wang.bids.rate == Decimal("1.2000")
    assert wang.contracts.ids == ("HT-1",)
    assert wang.contracts.rate == Decimal("0.6667")
    assert wang.revenue.actual == Money(120000)
    assert wang.revenue.ids == ("INV-1", "INV-2")
    assert wang.margin.profit == Money(35000)
    assert wang.margin.margin == Decimal("0.2917")  # 35,000 / 120,000 rounded half up
    assert wang.margin.target == Decimal("0.3")
    li = report.row("li")
    assert li is not None
    assert li.contracts.target is None
    assert li.contracts.rate is None
    zhao = report.row("zhao")
    assert zhao is not None
    assert zhao.revenue.actual == Money(0)
    assert zhao.revenue.rate == Decimal("0.0000")
    assert zhao.margin.margin is None
    text = report.explain()
    assert "销售目标及实绩达成分析表 2026-03" in text
    assert "合同金额 200000 CNY / target 300000 CNY = 66.67%" in text


def test_records_after_the_as_of_day_are_not_counted() -> None:
    wang = sales_results(RECORDS, TARGETS, "2026-03", CAL, at(2026, 3, 21)).row("wang")
    assert wang is not None
    assert wang.revenue.ids == ("INV-1",)


def test_a_revenue_record_needs_its_cost_and_only_revenue_has_one() -> None:
    with pytest.raises(InvalidAmountError, match="cost is needed"):
        rec("R", SalesKind.REVENUE, 1, D(2026, 1, 1))
    with pytest.raises(InvalidAmountError, match="only for revenue"):
        rec("C", SalesKind.CONTRACT, 1, D(2026, 1, 1), cost=1)
    with pytest.raises(InvalidAmountError):
        rec("N", SalesKind.BID, -1, D(2026, 1, 1))
    with pytest.raises(InvalidAmountError, match="between -1 and 1"):
        SalesTarget("wang", "2026-03", margin="1.5")
    with pytest.raises(InvalidPeriodError):
        SalesTarget("wang", "March")


def test_duplicates_and_foreign_currencies_are_refused_without_rates() -> None:
    with pytest.raises(DuplicateIdError):
        sales_results(RECORDS + RECORDS[:1], (), "2026-03", CAL, at(2026, 3, 31))
    with pytest.raises(DuplicateIdError, match="two targets"):
        sales_results((), TARGETS + TARGETS[:1], "2026-03", CAL, at(2026, 3, 31))
    usd = SalesRecord("U", SalesKind.BID, "wang", "acme", Money(100, "USD"), D(2026, 3, 3))
    with pytest.raises(CurrencyMismatchError, match="record U"):
        sales_results((usd,), (), "2026-03", CAL, at(2026, 3, 31))
    rates = Rates({("USD", "CNY"): "7.1"})
    row = sales_results((usd,), (), "2026-03", CAL, at(2026, 3, 31), rates=rates).rows[0]
    assert row.bids.actual == Money(710)


@given(
    st.lists(sales_records(), max_size=12, unique_by=lambda r: r.id),
    st.lists(sales_targets(), max_size=3, unique_by=lambda t: (t.owner, t.period)),
    st.integers(1, 12),
)
def test_every_figure_is_the_sum_of_the_records_it_names(
    records: list[SalesRecord], targets: list[SalesTarget], month: int
) -> None:
    period = f"2026-{month:02d}"
    report = sales_results(records, targets, period, CAL, at(2026, 12, 31))
    by_id = {r.id: r for r in records}
    for row in report.rows:
        for figure in (row.bids, row.contracts, row.revenue):
            named = [by_id[i] for i in figure.ids]
            assert all(r.kind is figure.kind and r.owner == row.owner for r in named)
            assert figure.actual == sum((r.amount for r in named), Money(0))
            if figure.rate is not None and figure.target is not None:
                exact = figure.actual.amount / figure.target.amount
                assert abs(figure.rate - exact) <= Decimal("0.00005")
        if row.margin.margin is not None:
            assert row.margin.margin <= 1
    counted = {
        i for row in report.rows for f in (row.bids, row.contracts, row.revenue) for i in f.ids
    }
    assert counted == {r.id for r in records if r.on.strftime("%Y-%m") == period}


# ------------------------------------------------------------------------- churn


def bought(*days: str) -> tuple[Spend, ...]:
    return tuple(Spend(pendulum.parse(d, tz="Asia/Shanghai"), Money(100)) for d in days)  # type: ignore[arg-type]


BOOK = (
    Customer("a", "甲", tier=Tier.KEY_ACCOUNT, spend=bought("2025-03-01")),
    Customer("b", "乙", tier=Tier.KEY_ACCOUNT, spend=bought("2025-06-01", "2026-02-01")),
    Customer("c", "丙", spend=bought("2025-12-01"), status=CustomerStatus.LOST),
    Customer("d", "丁", spend=bought("2026-02-10")),  # new in the period: not in the base
    Customer("e", "戊", status=CustomerStatus.PROSPECT, spend=bought("2025-05-01")),
    Customer("f", "己", spend=bought("2024-01-01")),  # already gone before the period
)


def test_churn_counts_the_customers_whose_n_months_ran_out_in_the_period() -> None:
    report = churn_rate(BOOK, "2026Q1", DEFAULT_CHURN, CAL, at(2026, 3, 31))
    assert report.all.base_ids == ("a", "b", "c")
    assert report.all.churned_ids == ("a",)
    assert report.all.rate == Decimal("0.3333")
    assert report.key_accounts.base_ids == ("a", "b")
    assert report.key_accounts.rate == Decimal("0.5000")
    assert "no purchase in 12 months" in report.explain()


def test_churn_by_lost_status_counts_the_lost_among_the_customers_of_the_periods_start() -> None:
    policy = ChurnPolicy(ChurnDefinition.LOST_STATUS)
    report = churn_rate(BOOK, "2026Q1", policy, CAL, at(2026, 3, 31))
    assert report.all.base_ids == ("a", "b", "c", "f")
    assert report.all.churned_ids == ("c",)
    assert report.all.rate == Decimal("0.2500")
    assert report.key_accounts.churned_ids == ()
    assert report.key_accounts.rate == Decimal("0.0000")


def test_invoices_count_as_purchases_when_a_ledger_is_given() -> None:
    ledger = Receivables((Invoice("INV-1", "a", Money(1), D(2026, 1, 15), PaymentTerms(30)),))
    report = churn_rate(BOOK, "2026Q1", DEFAULT_CHURN, CAL, at(2026, 3, 31), receivables=ledger)
    assert report.all.churned_ids == ()


def test_an_empty_base_has_no_rate_and_a_bad_policy_is_refused() -> None:
    assert churn_rate((), "2026", DEFAULT_CHURN, CAL, at(2026, 1, 1)).all.rate is None
    with pytest.raises(InvalidPolicyError):
        ChurnPolicy(months=0)
    with pytest.raises(InvalidPolicyError):
        ChurnPolicy(key_tiers=())


@given(churn_policies(), st.sampled_from(["2025", "2026Q1", "2026-02"]))
def test_churned_customers_are_always_in_the_base(policy: ChurnPolicy, period: str) -> None:
    report = churn_rate(BOOK, period, policy, CAL, at(2026, 6, 30))
    for figure in (report.all, report.key_accounts):
        assert set(figure.churned_ids) <= set(figure.base_ids)
    assert set(report.key_accounts.base_ids) <= set(report.all.base_ids)
    assert "e" not in report.all.base_ids  # prospects never count
