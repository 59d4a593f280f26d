"""What was approved and what was spent: `Budget`, `Expense` and the `BudgetBook`.

The seeds give a department head 部门预算内的费用使用权、审核权或批准权
(``000_e270730e1905b545.txt``): spending inside the approved budget is theirs to
approve; the CRM manager approves planned spending and takes over-plan spending to the
销售总监 (有按计划审批……所需资金,并对超出计划资金提出方案,向销售总监报批的权力,
``004_4f02eb3a82d8f29a.txt``); the sales-management manager drafts the annual marketing
budget and controls marketing spending (制定辖区内年度营销费用预算; 控制营销费用,
``003_c0a09330c12f3f2e.txt``).

* A `Budget` is a department's approved plan for one expense line (费用科目) and one
  period (a month ``2026-03``, a quarter ``2026Q1`` or a year ``2026``).
* An `Expense` is money spent (费用支出) on a line on a day.
* A `BudgetBook` holds both and refuses what cannot be right: a repeated id, two budgets
  of one department and line whose periods overlap, an expense on a line its department
  has no budget for (`UnknownExpenseLineError`), an amount in another currency without
  `Rates`.

The rules that read a book, `budget_status` (费用控制, plan against actual) and `fits`
(does a new expense fit what is left of its line), live in
`keyaccount.finance.budget_control`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from keyaccount._fields import non_negative_money, optional_text, text
from keyaccount.errors import (
    CurrencyMismatchError,
    DuplicateIdError,
    InvalidArgumentTypeError,
    InvalidPeriodError,
    InvalidPolicyError,
    NotADateError,
    UnknownExpenseLineError,
)
from keyaccount.finance.periods import ReportPeriod, as_report_period
from keyaccount.money import DEFAULT_CURRENCY, Money, Rates

__all__ = ["Budget", "BudgetBook", "Expense"]


def _period_label(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidPeriodError(
            f"{attribute.name} must be a period label such as 2026 or 2026-03, "
            f"got {type(value).__name__}"
        )
    if value != value.strip():
        raise InvalidPeriodError(f"{attribute.name} must have no surrounding blanks")
    as_report_period(value, attribute.name)


def _a_date(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise NotADateError(f"{attribute.name} must be a date, got {type(value).__name__}")


@attrs.frozen
class Budget:
    """A department's approved plan for one expense line (费用科目) and period.

    Attributes:
        id: the budget's id.
        department: the department id (as in the org chart).
        period: ``2026`` (a year, 年度预算), ``2026Q1`` or ``2026-03``.
        line: the expense line (费用科目), e.g. ``marketing`` or ``营销费用``.
        amount: the approved amount, zero or more.
        approved_by: the position id that approved it, if recorded.

    Raises:
        InvalidTextError: a blank id, department or line.
        InvalidPeriodError: ``period`` is not a period label.
        FloatMoneyError / InvalidAmountError: ``amount`` is not non-negative `Money`.
    """

    id: str = attrs.field(validator=text)
    department: str = attrs.field(validator=text)
    period: str = attrs.field(validator=_period_label)
    line: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    approved_by: str | None = attrs.field(default=None, validator=optional_text)

    @property
    def report_period(self) -> ReportPeriod:
        """The period as a `ReportPeriod`."""
        return ReportPeriod(self.period)


@attrs.frozen
class Expense:
    """Money spent on an expense line (费用支出).

    Attributes:
        id: the expense's id (voucher number).
        department: the department that spent it.
        line: the expense line (费用科目) it is charged to.
        amount: how much, zero or more.
        on: the day it was spent.
        requested_by: the position id that asked for it, if recorded.
        description: what it was for.

    Raises:
        InvalidTextError: a blank id, department or line.
        FloatMoneyError / InvalidAmountError: ``amount`` is not non-negative `Money`.
        NotADateError: ``on`` is not a date.
    """

    id: str = attrs.field(validator=text)
    department: str = attrs.field(validator=text)
    line: str = attrs.field(validator=text)
    amount: Money = attrs.field(validator=non_negative_money)
    on: dt.date = attrs.field(validator=_a_date)
    requested_by: str | None = attrs.field(default=None, validator=optional_text)
    description: str = ""


def _unique(kind: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for record_id in ids:
        if record_id in seen:
            raise DuplicateIdError(f"{kind} id {record_id!r} is used twice")
        seen.add(record_id)


def _budgets(value: Iterable[Budget]) -> tuple[Budget, ...]:
    return tuple(value)


def _expenses(value: Iterable[Expense]) -> tuple[Expense, ...]:
    return tuple(value)


def _rates(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Rates):
        raise InvalidArgumentTypeError(
            f"{attribute.name} must be Rates or None, got {type(value).__name__}"
        )


@attrs.frozen
class BudgetBook:
    """The approved budgets of one or more departments and the spending against them.

    Attributes:
        budgets: the approved budgets.
        expenses: the money spent.
        currency: the currency every figure is given in.
        rates: exchange rates for records in another currency; ``None`` when every
            record is in ``currency``.

    Raises:
        DuplicateIdError: two budgets (or two expenses) share an id.
        InvalidPolicyError: two budgets of one department and line have overlapping
            periods (a year and one of its months), so an expense would count twice.
        UnknownExpenseLineError: an expense is charged to a line no budget of its
            department names.
        CurrencyMismatchError: a record is in another currency and no ``rates`` are given.
        MissingRateError: ``rates`` lack the rate a record needs.
    """

    budgets: tuple[Budget, ...] = attrs.field(converter=_budgets)
    expenses: tuple[Expense, ...] = attrs.field(default=(), converter=_expenses)
    currency: str = attrs.field(default=DEFAULT_CURRENCY, kw_only=True)
    rates: Rates | None = attrs.field(default=None, kw_only=True, validator=_rates)

    def __attrs_post_init__(self) -> None:
        Money.zero(self.currency)  # refuses a malformed currency code
        for kind, records, cls in (
            ("budgets", self.budgets, Budget),
            ("expenses", self.expenses, Expense),
        ):
            for record in records:
                if not isinstance(record, cls):
                    raise InvalidArgumentTypeError(
                        f"{kind} must hold {cls.__name__} records, got {type(record).__name__}"
                    )
        _unique("budget", (b.id for b in self.budgets))
        _unique("expense", (e.id for e in self.expenses))
        seen: dict[tuple[str, str], list[Budget]] = {}
        for budget in self.budgets:
            self.in_currency(budget.amount, f"budget {budget.id}")
            same = seen.setdefault((budget.department, budget.line), [])
            for other in same:
                if other.report_period.overlaps(budget.report_period):
                    raise InvalidPolicyError(
                        f"budgets {other.id} ({other.period}) and {budget.id} ({budget.period}) "
                        f"of {budget.department} / {budget.line} overlap"
                    )
            same.append(budget)
        for expense in self.expenses:
            self.check_line(expense.department, expense.line, f"expense {expense.id}")
            self.in_currency(expense.amount, f"expense {expense.id}")

    def in_currency(self, amount: Money, what: str = "amount") -> Money:
        """``amount`` in the book's currency (converted with ``rates``, to the minor unit).

        Raises:
            CurrencyMismatchError: another currency and no ``rates``.
            MissingRateError: ``rates`` lack the pair.
        """
        if amount.currency == self.currency:
            return amount
        if self.rates is None:
            raise CurrencyMismatchError(
                f"{what} is in {amount.currency}, the budget book in {self.currency}: "
                "give the book explicit Rates"
            )
        return self.rates.convert(amount, self.currency)

    def lines(self, department: str) -> tuple[str, ...]:
        """The expense lines (费用科目) a department has budgets for, sorted."""
        return tuple(sorted({b.line for b in self.budgets if b.department == department}))

    def check_line(self, department: str, line: str, what: str = "an expense") -> None:
        """Refuse a line the department has no budget for.

        Raises:
            UnknownExpenseLineError: naming the lines the department has.
        """
        if not any(b.department == department and b.line == line for b in self.budgets):
            known = ", ".join(self.lines(department)) or "none"
            raise UnknownExpenseLineError(
                f"{what} is charged to line {line!r} of {department}, which has no budget "
                f"for it (its lines: {known})"
            )

    def budget_for(self, department: str, line: str, day: dt.date) -> Budget | None:
        """The budget of ``department`` and ``line`` whose period holds ``day``, if any."""
        return next(
            (
                b
                for b in self.budgets
                if b.department == department and b.line == line and day in b.report_period
            ),
            None,
        )
