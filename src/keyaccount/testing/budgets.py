"""Budgets, expenses and sales records for tests.

`budget_books` draws a consistent `BudgetBook`: yearly or monthly budgets of a few
departments and expense lines whose periods never overlap, and expenses charged only
to lines their department has a budget for. `sales_records` and `sales_targets` draw
the records of the 销售目标及实绩达成分析表.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from keyaccount.finance import Budget, BudgetBook, Expense, SalesKind, SalesRecord, SalesTarget
from keyaccount.money import Money

__all__ = ["budget_books", "expenses", "sales_records", "sales_targets"]

_DEPARTMENTS = ("sales", "crm")
_LINES = ("marketing", "travel", "营销费用")
_OWNERS = ("zhang", "li", "wang")
_START = dt.date(2025, 1, 1)


def _cents(max_cents: int) -> st.SearchStrategy[Money]:
    return st.integers(0, max_cents).map(lambda c: Money(Decimal(c).scaleb(-2)))


def _days() -> st.SearchStrategy[dt.date]:
    return st.integers(0, 729).map(lambda n: _START + dt.timedelta(days=n))


def expenses(
    departments: tuple[str, ...] = _DEPARTMENTS, lines: tuple[str, ...] = _LINES
) -> st.SearchStrategy[Expense]:
    """Single expenses of the given departments and lines, in CNY, in 2025-2026."""
    return st.builds(
        Expense,
        id=st.from_regex(r"E-[0-9]{1,4}", fullmatch=True),
        department=st.sampled_from(departments),
        line=st.sampled_from(lines),
        amount=_cents(2_000_000),
        on=_days(),
    )


@st.composite
def budget_books(draw: Any, *, max_expenses: int = 12) -> BudgetBook:
    """Consistent books: per department and line, either two yearly budgets or monthly ones."""
    budgets: list[Budget] = []
    for department in _DEPARTMENTS:
        for line in draw(st.lists(st.sampled_from(_LINES), min_size=1, max_size=3, unique=True)):
            if draw(st.booleans()):
                periods = ["2025", "2026"]
            else:
                months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
                periods = [f"2026-{m:02d}" for m in sorted(months)]
            for period in periods:
                budget_id = f"B-{len(budgets)}"
                budgets.append(Budget(budget_id, department, period, line, draw(_cents(5_000_000))))
    known = sorted({(b.department, b.line) for b in budgets})
    spent = []
    for index in range(draw(st.integers(0, max_expenses))):
        department, line = draw(st.sampled_from(known))
        spent.append(
            Expense(f"E-{index}", department, line, draw(_cents(2_000_000)), draw(_days()))
        )
    return BudgetBook(tuple(budgets), tuple(spent))


@st.composite
def sales_records(draw: Any) -> SalesRecord:
    """A bid, contract or revenue record (revenue with its cost), in CNY, in 2025-2026."""
    kind = draw(st.sampled_from(SalesKind))
    amount = draw(_cents(10_000_000))
    cost = draw(_cents(10_000_000)) if kind is SalesKind.REVENUE else None
    return SalesRecord(
        draw(st.from_regex(r"S-[0-9]{1,4}", fullmatch=True)),
        kind,
        draw(st.sampled_from(_OWNERS)),
        draw(st.sampled_from(("c1", "c2", "c3"))),
        amount,
        draw(_days()),
        cost,
    )


def sales_targets() -> st.SearchStrategy[SalesTarget]:
    """A salesperson's targets for a month of 2026, each set or left open."""
    return st.builds(
        SalesTarget,
        st.sampled_from(_OWNERS),
        st.integers(1, 12).map(lambda m: f"2026-{m:02d}"),
        st.none() | _cents(10_000_000),
        st.none() | _cents(10_000_000),
        st.none() | _cents(10_000_000),
        st.none() | st.integers(-100, 100).map(lambda p: Decimal(p).scaleb(-2)),
    )
