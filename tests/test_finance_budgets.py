"""Budgets (预算内的费用使用权): the 费用控制 status, whether a spend fits, the route it takes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import BudgetAnswer, Money, Rates, WorkCalendar, approval_route, reference
from keyaccount.errors import (
    CurrencyMismatchError,
    DuplicateIdError,
    InvalidAmountError,
    InvalidArgumentTypeError,
    InvalidPeriodError,
    InvalidPolicyError,
    NoApproverError,
    UnknownExpenseLineError,
)
from keyaccount.finance import (
    Budget,
    BudgetBook,
    Expense,
    ReportPeriod,
    budget_status,
    fits,
)
from keyaccount.testing import budget_books, expenses

CAL = WorkCalendar.china()
D = dt.date


def at(y: int, m: int, d: int) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, 9, tz="Asia/Shanghai")


def spend(id_: str, amount: int | str, on: dt.date, line: str = "marketing") -> Expense:
    return Expense(id_, "key-account", line, Money(amount), on)


BOOK = BudgetBook(
    (
        Budget("B-MKT", "key-account", "2026", "marketing", Money(100000)),
        Budget("B-TRV", "key-account", "2026", "travel", Money(20000)),
        Budget("B-TRV-25", "key-account", "2025", "travel", Money(10000)),
    ),
    (
        spend("E1", 30000, D(2026, 2, 3)),
        spend("E2", "12345.67", D(2026, 3, 9)),
        spend("E3", 25000, D(2026, 4, 1), "travel"),
        spend("E4", 5000, D(2026, 9, 1)),
        spend("E0", 9000, D(2025, 6, 1), "travel"),
    ),
)


# ------------------------------------------------------------------------- periods


def test_a_report_period_is_a_month_a_quarter_or_a_year() -> None:
    assert ReportPeriod.parse("2026-02").end == D(2026, 2, 28)
    assert ReportPeriod.parse(" 2024Q4 ").range.start == D(2024, 10, 1)
    assert ReportPeriod("2026").overlaps(ReportPeriod("2026-07"))
    assert not ReportPeriod("2025").overlaps(ReportPeriod("2026Q1"))
    for bad in ("2026-13", "26", "2026Q5", "2026-3", "0000"):
        with pytest.raises(InvalidPeriodError):
            ReportPeriod.parse(bad)


# ------------------------------------------------------------------------- status


def test_the_status_gives_plan_against_actual_per_line_with_the_expense_ids() -> None:
    status = budget_status(BOOK, "2026", CAL, at(2026, 6, 30))
    marketing, travel = status.lines
    assert (marketing.line, marketing.budget_ids) == ("marketing", ("B-MKT",))
    assert marketing.actual == Money("42345.67")
    assert marketing.expense_ids == ("E1", "E2")  # E4 is after the as_of day
    assert marketing.usage == Decimal("0.4235")  # 0.42345 67 rounded half up
    assert marketing.remaining == Money("57654.33")
    assert travel.over_plan
    assert travel.overspent == Money(5000)
    assert status.over_plan == (travel,)
    assert status.plan == Money(120000)
    assert status.actual == Money("67345.67")
    assert status.usage == Decimal("0.5612")
    assert "over plan by 5000 CNY" in status.explain()


def test_spending_on_a_line_without_a_budget_for_the_period_shows_with_a_zero_plan() -> None:
    book = BudgetBook(
        (
            Budget("B-M", "key-account", "2026-03", "marketing", Money(1000)),
            Budget("B-T", "key-account", "2026-03", "travel", Money(0)),
        ),
        (spend("E1", 500, D(2026, 4, 2)),),
    )
    status = budget_status(book, "2026-04", CAL, at(2026, 4, 30))
    (row,) = status.lines
    assert row.budget_ids == ()
    assert row.plan == Money(0)
    assert row.usage is None
    assert row.over_plan
    assert "no budget (plan zero)" in row.explain()


def test_monthly_budgets_add_up_in_a_quarter_and_a_yearly_one_is_named_not_split() -> None:
    book = BudgetBook(
        (
            Budget("B-01", "key-account", "2026-01", "travel", Money(1000)),
            Budget("B-02", "key-account", "2026-02", "travel", Money(2000)),
            Budget("B-04", "key-account", "2026-04", "travel", Money(4000)),
            Budget("B-Y", "key-account", "2026", "marketing", Money(12000)),
        ),
        (spend("E1", 500, D(2026, 2, 2), "travel"), spend("E2", 700, D(2026, 3, 3))),
    )
    status = budget_status(book, "2026Q1", CAL, at(2026, 12, 31))
    marketing, travel = status.lines
    assert travel.budget_ids == ("B-01", "B-02")
    assert travel.plan == Money(3000)
    assert marketing.plan == Money(0)
    assert marketing.wider_budget_ids == ("B-Y",)
    assert not marketing.assessed
    assert not marketing.over_plan
    assert "B-Y cover a longer period" in marketing.explain()
    assert "not assessed" in marketing.explain()
    yearly = budget_status(book, "2026", CAL, at(2026, 12, 31))
    assert [r.plan for r in yearly.lines] == [Money(12000), Money(7000)]


def test_the_status_of_one_department_leaves_the_others_out() -> None:
    book = BudgetBook(
        (Budget("B1", "a", "2026", "x", Money(10)), Budget("B2", "b", "2026", "x", Money(10)))
    )
    assert [
        r.department for r in budget_status(book, "2026", CAL, at(2026, 1, 1), department="b").lines
    ] == ["b"]


# ------------------------------------------------------------------------- fits


def test_a_spend_that_fits_what_is_left_of_its_line_is_within_budget() -> None:
    answer = fits(BOOK, spend("NEW", "57654.33", D(2026, 5, 1)), CAL, at(2026, 5, 1))
    assert answer.fits
    assert answer.within_budget
    assert answer.budget_id == "B-MKT"
    assert answer.period == "2026"
    assert answer.spent == Money("42345.67")
    assert answer.expense_ids == ("E1", "E2")
    assert isinstance(answer, BudgetAnswer)
    assert "fits (预算内)" in answer.explain()


def test_a_spend_one_cent_over_what_is_left_is_over_plan() -> None:
    answer = fits(BOOK, spend("NEW", "57654.34", D(2026, 5, 1)), CAL, at(2026, 5, 1))
    assert not answer.fits
    assert "over plan (超预算)" in answer.explain()


def test_a_spend_already_in_the_book_is_not_counted_twice() -> None:
    answer = fits(BOOK, spend("E2", "12345.67", D(2026, 3, 9)), CAL, at(2026, 5, 1))
    assert answer.expense_ids == ("E1",)
    assert answer.fits


def test_a_spend_on_a_day_no_budget_covers_does_not_fit() -> None:
    answer = fits(BOOK, spend("NEW", 1, D(2027, 1, 4)), CAL, at(2027, 1, 4))
    assert not answer.fits
    assert answer.budget_id is None
    assert "no budget covers its day" in answer.explain()


def test_a_spend_on_an_unknown_expense_line_is_refused() -> None:
    with pytest.raises(UnknownExpenseLineError, match=r"'gifts'.*marketing, travel"):
        fits(BOOK, spend("NEW", 1, D(2026, 5, 1), "gifts"), CAL, at(2026, 5, 1))
    with pytest.raises(UnknownExpenseLineError, match="expense E9"):
        BudgetBook(BOOK.budgets, (spend("E9", 1, D(2026, 1, 1), "gifts"),))


def test_a_spend_in_another_currency_needs_rates() -> None:
    usd = Expense("U1", "key-account", "marketing", Money(100, "USD"), D(2026, 5, 1))
    with pytest.raises(CurrencyMismatchError, match="expense U1 is in USD"):
        BudgetBook(BOOK.budgets, (usd,))
    with pytest.raises(CurrencyMismatchError, match="expense U1"):
        fits(BOOK, usd, CAL, at(2026, 5, 1))
    book = BudgetBook(BOOK.budgets, (usd,), rates=Rates({("USD", "CNY"): "7.1"}))
    assert budget_status(book, "2026", CAL, at(2026, 6, 1)).lines[0].actual == Money(710)


def test_a_negative_amount_and_overlapping_budgets_are_refused() -> None:
    with pytest.raises(InvalidAmountError):
        spend("E", -1, D(2026, 1, 1))
    with pytest.raises(InvalidAmountError):
        Budget("B", "d", "2026", "x", Money(-5))
    with pytest.raises(InvalidPolicyError, match="overlap"):
        BudgetBook(
            (Budget("B1", "d", "2026", "x", Money(1)), Budget("B2", "d", "2026-03", "x", Money(1)))
        )
    with pytest.raises(DuplicateIdError):
        BudgetBook(
            (Budget("B1", "d", "2025", "x", Money(1)), Budget("B1", "d", "2026", "x", Money(1)))
        )
    with pytest.raises(InvalidArgumentTypeError):
        fits(BOOK.budgets, spend("E", 1, D(2026, 1, 1)), CAL, at(2026, 1, 1))  # type: ignore[arg-type]


# ------------------------------------------------------------------------- approval route

KEY_ACCOUNT = reference.load("key-account")


def test_approval_route_takes_the_budget_answer_instead_of_a_boolean() -> None:
    inside = fits(BOOK, spend("NEW", 5000, D(2026, 5, 1)), CAL, at(2026, 5, 1))
    route = approval_route(
        KEY_ACCOUNT, "sales-representative", "expense", inside.amount, within_budget=inside
    )
    assert route.approver == "key-account-manager"  # 部门预算内的费用批准权 (000_…)
    assert route.within_budget is True
    over = fits(BOOK, spend("NEW", 90000, D(2026, 5, 1)), CAL, at(2026, 5, 1))
    with pytest.raises(NoApproverError):  # the seed's chart holds no over-budget right
        approval_route(
            KEY_ACCOUNT, "sales-representative", "expense", over.amount, within_budget=over
        )


def test_approval_route_still_takes_a_boolean_and_refuses_anything_else() -> None:
    assert (
        approval_route(
            KEY_ACCOUNT, "sales-representative", "expense", 1, within_budget=True
        ).approver
        == "key-account-manager"
    )
    with pytest.raises(NoApproverError):
        approval_route(KEY_ACCOUNT, "sales-representative", "expense", 1, within_budget=False)
    with pytest.raises(InvalidArgumentTypeError, match="within_budget"):
        approval_route(KEY_ACCOUNT, "sales-representative", "expense", 1, within_budget="no")  # type: ignore[arg-type]


def test_over_plan_crm_spending_goes_to_the_sales_director() -> None:
    chart = reference.load("dealer-crm")
    book = BudgetBook((Budget("B", "crm", "2026", "crm", Money(1000)),))
    over = fits(book, Expense("X", "crm", "crm", Money(2000), D(2026, 2, 2)), CAL, at(2026, 2, 2))
    assert (
        approval_route(chart, "crm-manager", "expense", over.amount, within_budget=over).approver
        == "sales-director"
    )


# ------------------------------------------------------------------------- properties

WHEN = st.integers(0, 729).map(lambda n: at(2025, 1, 1).add(days=n))


@given(budget_books(), WHEN, expenses())
def test_a_spend_fits_exactly_when_it_is_at_most_the_plan_minus_the_rest(
    book: BudgetBook, when: pendulum.DateTime, new: Expense
) -> None:
    if (new.department, new.line) not in {(b.department, b.line) for b in book.budgets}:
        with pytest.raises(UnknownExpenseLineError):
            fits(book, new, CAL, when)
        return
    answer = fits(book, new, CAL, when)
    assert answer.spent + answer.remaining >= answer.plan or answer.spent > answer.plan
    assert answer.fits == (
        answer.budget_id is not None and new.amount <= answer.plan - answer.spent
    )
    bigger = Expense(new.id, new.department, new.line, new.amount + Money(1), new.on)
    if fits(book, bigger, CAL, when).fits:
        assert answer.fits


@given(budget_books(), WHEN, st.sampled_from(["2025", "2026", "2026-03", "2026Q2"]))
def test_the_status_lines_add_up_and_name_every_expense_counted(
    book: BudgetBook, when: pendulum.DateTime, period: str
) -> None:
    status = budget_status(book, period, CAL, when)
    assessed = [r for r in status.lines if r.assessed]
    assert status.actual == sum((r.actual for r in assessed), Money(0))
    assert status.plan == sum((r.plan for r in assessed), Money(0))
    # every expense counted is either in the totals or in not_assessed, never both
    assert status.actual + status.not_assessed == sum((r.actual for r in status.lines), Money(0))
    by_id = {e.id: e for e in book.expenses}
    for row in status.lines:
        assert row.actual == sum((by_id[i].amount for i in row.expense_ids), Money(0))
        assert all(by_id[i].on in ReportPeriod(period) for i in row.expense_ids)
