"""Does this spending fit the approved budget: `budget_status` (费用控制) and `fits`.

The seeds give a department head 部门预算内的费用使用权、审核权或批准权
(``000_e270730e1905b545.txt``): spending inside the approved budget is theirs to
approve, over-plan spending goes to the 销售总监 (``004_4f02eb3a82d8f29a.txt``); the
sales-management manager controls marketing spending against the annual budget
(控制营销费用, ``003_c0a09330c12f3f2e.txt``). Both rules read a `BudgetBook`
(`keyaccount.finance.budgets`).

* `budget_status` is the 费用控制 indicator: per line, plan against actual, with the
  usage ratio and the expense ids behind it. A line whose only budget covers a longer
  period than the one asked (a yearly budget, asked about a month) is **not assessed**:
  its spending is shown on its row but kept out of the report's totals, which add up
  only the assessed lines (so the total usage compares like with like); the spending
  left out is reported beside them (``BudgetStatus.not_assessed``).
* `fits` answers whether a new expense fits what is left of its line. Its answer has
  ``within_budget``, so it can be passed to `approval_route` in place of a boolean:
  within budget, the department's 预算内 right approves; over plan, the request goes up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from keyaccount._fields import is_money
from keyaccount.calendar import WorkCalendar
from keyaccount.errors import InvalidArgumentTypeError
from keyaccount.finance._ratios import ratio
from keyaccount.finance.aging import local_day
from keyaccount.finance.budgets import Budget, BudgetBook, Expense
from keyaccount.finance.periods import ReportPeriod, as_report_period
from keyaccount.money import Money

__all__ = [
    "BudgetFit",
    "BudgetLineStatus",
    "BudgetStatus",
    "budget_status",
    "fits",
]


@attrs.frozen
class BudgetLineStatus:
    """Plan against actual for one line and period: the 费用控制 figure.

    Attributes:
        department: the department.
        line: the expense line (费用科目).
        period: the period label.
        budget_ids: the budgets behind ``plan``: every budget of the line whose period
            lies within ``period`` (the months of a quarter add up); empty when there is
            none (unplanned spending: plan zero).
        plan: the approved amount.
        actual: what was spent in the period up to the ``as_of`` day.
        usage: ``actual / plan`` rounded to 4 places half up; ``None`` with a zero plan.
        expense_ids: the expenses in ``actual``.
        wider_budget_ids: budgets of the line whose period is longer than ``period`` and
            overlaps it (a yearly budget, asked about a month): not split into the
            period, so not in ``plan``; ask for their own period.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("remaining", "overspent", "assessed", "over_plan")

    department: str
    line: str
    period: str
    budget_ids: tuple[str, ...]
    plan: Money = attrs.field(validator=is_money)
    actual: Money = attrs.field(validator=is_money)
    usage: Decimal | None
    expense_ids: tuple[str, ...]
    wider_budget_ids: tuple[str, ...] = ()

    @property
    def remaining(self) -> Money:
        """What is left of the plan, never below zero."""
        left = self.plan - self.actual
        return left if left.amount > 0 else Money.zero(self.plan.currency)

    @property
    def overspent(self) -> Money:
        """How far the actual is over the plan (超支), zero when within it or not assessed."""
        over = self.actual - self.plan
        return over if self.over_plan else Money.zero(self.plan.currency)

    @property
    def assessed(self) -> bool:
        """False when the line's only budget covers a longer period (not split into this one)."""
        return bool(self.budget_ids) or not self.wider_budget_ids

    @property
    def over_plan(self) -> bool:
        """Whether more was spent than approved (never for a line not assessed)."""
        return self.assessed and self.actual > self.plan

    def explain(self) -> str:
        """The line's figures in one sentence."""
        ids = ", ".join(self.budget_ids)
        source = f"budgets {ids}" if self.budget_ids else "no budget (plan zero)"
        used = "n/a" if self.usage is None else f"{self.usage * 100:.2f}%"
        state = f"over plan by {self.overspent}" if self.over_plan else f"{self.remaining} left"
        if not self.assessed:
            state = "not assessed"
        spent = ", ".join(self.expense_ids) or "none"
        wider = (
            f"; {', '.join(self.wider_budget_ids)} cover a longer period (ask for it)"
            if self.wider_budget_ids
            else ""
        )
        return (
            f"{self.department} / {self.line} {self.period}: plan {self.plan} ({source}), "
            f"actual {self.actual} (expenses {spent}), usage {used}, {state}{wider}"
        )


@attrs.frozen
class BudgetStatus:
    """The 费用控制 report of one period: every line's plan against actual.

    Attributes:
        period: the period label.
        as_of_day: the last day whose expenses count (the ``as_of`` local day).
        lines: one row per department and line, sorted.
        plan: the total approved, over the assessed lines.
        actual: the total spent on the assessed lines: a line not assessed (its only
            budget covers a longer period) is left out, so ``usage`` compares spending
            with the plan it was approved against.
        usage: ``actual / plan`` rounded to 4 places half up; ``None`` with no plan.
        not_assessed: what was spent in the period on the lines not assessed (not in
            ``actual``); ask for their budgets' own period to assess it.
    """

    period: str
    as_of_day: dt.date
    lines: tuple[BudgetLineStatus, ...]
    plan: Money
    actual: Money
    usage: Decimal | None
    not_assessed: Money

    @property
    def over_plan(self) -> tuple[BudgetLineStatus, ...]:
        """The lines spent beyond their plan."""
        return tuple(row for row in self.lines if row.over_plan)

    def explain(self) -> str:
        """A line for the totals, then one per expense line."""
        used = "n/a" if self.usage is None else f"{self.usage * 100:.2f}%"
        head = (
            f"budget {self.period} as of {self.as_of_day}: plan {self.plan}, "
            f"actual {self.actual}, usage {used} (assessed lines)"
        )
        if self.not_assessed.amount or any(not row.assessed for row in self.lines):
            head += f"; {self.not_assessed} spent on lines not assessed, not in the totals"
        return "\n".join([head, *(f"  {row.explain()}" for row in self.lines)])


def _check_calendar(calendar: object) -> None:
    if not isinstance(calendar, WorkCalendar):
        raise InvalidArgumentTypeError(
            f"calendar must be a WorkCalendar, got {type(calendar).__name__}"
        )


def _check_book(book: object) -> None:
    if not isinstance(book, BudgetBook):
        raise InvalidArgumentTypeError(
            f"book must be a BudgetBook (budgets and expenses), got {type(book).__name__}"
        )


def budget_status(
    book: BudgetBook,
    period: ReportPeriod | str,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    department: str | None = None,
) -> BudgetStatus:
    """Plan against actual for every line of ``period`` (费用控制, ``003_…`` 控制营销费用).

    A row per department and line that has a budget whose period lies within ``period``
    (their plans add up: the three months of a quarter) or an expense in it; a line
    with expenses and no such budget shows a plan of zero. A longer budget overlapping
    the period (a yearly one, asked about a month) is not split: the row names it in
    ``wider_budget_ids`` and is not assessed: the totals add up only the assessed
    lines, and ``not_assessed`` gives what was spent on the others.
    An expense counts when its day lies in the period and on or before the ``as_of``
    local day (in the calendar's zone).

    Examples:
        >>> from keyaccount import WorkCalendar, parse_as_of
        >>> book = BudgetBook(
        ...     (Budget("B1", "sales", "2026", "marketing", Money(100000)),),
        ...     (Expense("E1", "sales", "marketing", Money(30000), dt.date(2026, 3, 2)),))
        >>> cal = WorkCalendar.china()
        >>> status = budget_status(book, "2026", cal, parse_as_of("2026-06-30", cal))
        >>> str(status.lines[0].actual), status.usage
        ('30000 CNY', Decimal('0.3000'))

    Args:
        book: the budgets and expenses.
        period: the period reported (its label or a `ReportPeriod`).
        calendar: the calendar whose zone gives the ``as_of`` local day.
        as_of: the instant the report is made at.
        department: only this department's lines, when given.

    Returns:
        The `BudgetStatus`, lines sorted by department and line.

    Raises:
        InvalidPeriodError: ``period`` is not a period label.
        InvalidArgumentTypeError: ``book`` or ``calendar`` of the wrong type.
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    _check_book(book)
    _check_calendar(calendar)
    asked = as_report_period(period)
    today = local_day(as_of, calendar)
    currency = book.currency
    within: dict[tuple[str, str], list[Budget]] = {}
    wider: dict[tuple[str, str], list[str]] = {}
    for budget in book.budgets:
        if department not in (None, budget.department):
            continue
        key = (budget.department, budget.line)
        mine = budget.report_period
        if asked.start <= mine.start and mine.end <= asked.end:
            within.setdefault(key, []).append(budget)
        elif mine.overlaps(asked):
            wider.setdefault(key, []).append(budget.id)
    spent: dict[tuple[str, str], list[Expense]] = {}
    for expense in book.expenses:
        if expense.on in asked and expense.on <= today and department in (None, expense.department):
            spent.setdefault((expense.department, expense.line), []).append(expense)
    rows = []
    for key in sorted(set(within) | set(spent)):
        planned = within.get(key, [])
        plan = sum((book.in_currency(b.amount) for b in planned), Money.zero(currency))
        mine_spent = spent.get(key, [])
        actual = sum((book.in_currency(e.amount) for e in mine_spent), Money.zero(currency))
        rows.append(
            BudgetLineStatus(
                key[0],
                key[1],
                asked.label,
                tuple(b.id for b in planned),
                plan,
                actual,
                ratio(actual.amount, plan.amount),
                tuple(e.id for e in mine_spent),
                tuple(wider.get(key, ())),
            )
        )
    zero = Money.zero(currency)
    assessed = [r for r in rows if r.assessed]
    plan = sum((r.plan for r in assessed), zero)
    actual = sum((r.actual for r in assessed), zero)
    left_out = sum((r.actual for r in rows if not r.assessed), zero)
    return BudgetStatus(
        asked.label, today, tuple(rows), plan, actual, ratio(actual.amount, plan.amount), left_out
    )


@attrs.frozen
class BudgetFit:
    """Whether a new expense fits what is left of its line: the 预算内 / 超预算 answer.

    Pass it to `approval_route` as ``within_budget``: a within-budget right (预算内)
    approves only when ``fits`` is true.

    Attributes:
        expense_id: the expense asked about.
        department: its department.
        line: its expense line (费用科目).
        amount: its amount in the book's currency.
        budget_id: the budget of its line and period; ``None`` when there is none.
        period: that budget's period label; ``None`` without a budget.
        plan: the approved amount (zero without a budget).
        spent: what its other expenses in the period already took, up to the ``as_of`` day.
        expense_ids: those expenses.
        fits: whether ``amount`` is at most what is left (``plan - spent``).
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("within_budget", "remaining")

    expense_id: str
    department: str
    line: str
    amount: Money
    budget_id: str | None
    period: str | None
    plan: Money
    spent: Money
    expense_ids: tuple[str, ...]
    fits: bool

    @property
    def within_budget(self) -> bool:
        """The same as ``fits``: what `approval_route` reads."""
        return self.fits

    @property
    def remaining(self) -> Money:
        """What was left of the plan before this expense (never below zero)."""
        left = self.plan - self.spent
        return left if left.amount > 0 else Money.zero(self.plan.currency)

    def explain(self) -> str:
        """Why the expense fits or not, with every figure."""
        if self.budget_id is None:
            return (
                f"expense {self.expense_id} of {self.amount} on {self.department} / {self.line}: "
                "no budget covers its day, so it is over plan (超预算)"
            )
        spent = ", ".join(self.expense_ids) or "none"
        verdict = "fits (预算内)" if self.fits else "does not fit: over plan (超预算)"
        return (
            f"expense {self.expense_id} of {self.amount} on {self.department} / {self.line} "
            f"{verdict}: plan {self.plan} (budget {self.budget_id}, {self.period}) - spent "
            f"{self.spent} (expenses {spent}) leaves {self.remaining}"
        )


def fits(
    book: BudgetBook, expense: Expense, calendar: WorkCalendar, as_of: dt.datetime
) -> BudgetFit:
    """Whether ``expense`` fits what is left of its line's budget (预算内 or 超预算).

    The budget is the one of the expense's department and line whose period holds the
    expense's day. What is left is its amount minus the other expenses charged to it up
    to the ``as_of`` local day (an expense already in the book under the same id is
    not counted twice). The expense fits when its amount is at most what is left; with
    no budget for its day it does not fit.

    Examples:
        >>> from keyaccount import WorkCalendar, parse_as_of
        >>> spent = Expense("E1", "sales", "marketing", Money(8000), dt.date(2026, 2, 1))
        >>> book = BudgetBook((Budget("B1", "sales", "2026", "marketing", Money(10000)),), (spent,))
        >>> cal = WorkCalendar.china()
        >>> new = Expense("E2", "sales", "marketing", Money(3000), dt.date(2026, 3, 1))
        >>> answer = fits(book, new, cal, parse_as_of("2026-03-01", cal))
        >>> answer.fits, str(answer.remaining)
        (False, '2000 CNY')

    Args:
        book: the budgets and the expenses so far.
        expense: the new expense.
        calendar: the calendar whose zone gives the ``as_of`` local day.
        as_of: the instant the question is asked at.

    Returns:
        The `BudgetFit`, with the figures behind it.

    Raises:
        UnknownExpenseLineError: the department has no budget for the expense's line.
        CurrencyMismatchError: the expense is in another currency and the book has no rates.
        InvalidArgumentTypeError: an argument of the wrong type.
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    _check_book(book)
    _check_calendar(calendar)
    if not isinstance(expense, Expense):
        raise InvalidArgumentTypeError(f"expense must be an Expense, got {type(expense).__name__}")
    today = local_day(as_of, calendar)
    book.check_line(expense.department, expense.line, f"expense {expense.id}")
    amount = book.in_currency(expense.amount, f"expense {expense.id}")
    currency = book.currency
    budget = book.budget_for(expense.department, expense.line, expense.on)
    if budget is None:
        zero = Money.zero(currency)
        return BudgetFit(
            expense.id, expense.department, expense.line, amount, None, None, zero, zero, (), False
        )
    others = [
        e
        for e in book.expenses
        if e.id != expense.id
        and e.department == expense.department
        and e.line == expense.line
        and e.on in budget.report_period
        and e.on <= today
    ]
    plan = book.in_currency(budget.amount)
    spent = sum((book.in_currency(e.amount) for e in others), Money.zero(currency))
    return BudgetFit(
        expense.id,
        expense.department,
        expense.line,
        amount,
        budget.id,
        budget.period,
        plan,
        spent,
        tuple(e.id for e in others),
        amount <= plan - spent,
    )
