"""Budget files (JSON or TOML): a department's approved budgets and the spending against them.

A budget file is one object holding the book's currency, its exchange rates and two
lists:

    {
      "currency": "CNY",
      "rates": {"USD/CNY": "7.10"},
      "budgets": [{"id": "B-2026-MKT", "department": "sales-management", "period": "2026",
                   "line": "营销费用", "amount": {"amount": "600000", "currency": "CNY"},
                   "approved_by": "marketing-director"}],
      "expenses": [{"id": "E-1", "department": "sales-management", "line": "营销费用",
                    "amount": {"amount": "18000", "currency": "CNY"}, "on": "2026-03-05",
                    "description": "订货会场地"}]
    }

`load_budgets` keeps every valid record and reports each bad one at the path of its bad
field: a malformed field or negative amount (``$.expenses[3].amount``), an id used
twice, a budget whose period overlaps another of its department and line
(``$.budgets[2].period``), an expense on a line its department has no budget for
(``$.expenses[0].line``, an unknown expense line), a record in another currency without a
rate (``$.expenses[1].amount.currency``). Its answer, `LoadedBudgets`, holds the
`BudgetBook` of the valid records and the problems; ``strict()`` returns the book or
raises `DataFileError` listing every problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import attrs

from keyaccount.errors import DataFileError, DataProblem, KeyAccountError
from keyaccount.finance import Budget, BudgetBook, Expense
from keyaccount.io._finance_common import (
    _an_object,
    _Build,
    _convertible,
    _currency,
    _no_nulls,
    _rates,
    _refused,
    _structured,
    _unique,
    _unknown_keys,
)
from keyaccount.io._quoting import quote
from keyaccount.io.converter import unstructure
from keyaccount.io.documents import Format, _parse, _Parsed, _read, _walked, _write, dumps
from keyaccount.io.records import _cycle_collection_paused, _strict
from keyaccount.money import Money

__all__ = ["LoadedBudgets", "dump_budgets", "dumps_budgets", "load_budgets", "loads_budgets"]

_LISTS: Final = ("budgets", "expenses")
_KEYS: Final = frozenset({"currency", "rates", *_LISTS})


@attrs.frozen
class LoadedBudgets:
    """What a budget file loaded into: the book of its valid records, and the problems.

    Attributes:
        book: the `BudgetBook` built from every valid record.
        problems: one entry per problem, each at its path (``$.expenses[3].line``).
        source: the file (or document) name, for messages.
    """

    book: BudgetBook
    problems: tuple[DataProblem, ...]
    source: str = "document"

    @property
    def ok(self) -> bool:
        """Whether the file had no problems."""
        return not self.problems

    def strict(self) -> BudgetBook:
        """The book, if the file had no problem at all.

        Raises:
            DataFileError: the file had problems; it lists every one with its path.
        """
        return _strict(self.book, self.problems, self.source)


def _budgets(parsed: _Parsed) -> LoadedBudgets:
    """The one loader of budget files (see the module docstring)."""
    build = _Build(parsed.source)
    parsed = _walked(parsed)
    data = _an_object(parsed.data, _LISTS, "a budget", parsed.source)
    refused = _refused(parsed, _LISTS, build)
    _unknown_keys(data, _KEYS, "currency, rates, budgets and expenses", build)
    currency = _currency(data, parsed.source)
    rates = _rates(data, build)
    budgets: list[tuple[int, Budget]] = []
    for index, budget in _unique(
        _structured(data, "budgets", Budget, build, refused), "budgets", build
    ):
        root = f"$.budgets[{index}]"
        if not _convertible(currency, rates, budget.amount):
            build.add(f"{root}.amount.currency", _no_rate(budget.amount, currency))
            continue
        clash = next(
            (
                (j, other)
                for j, other in budgets
                if (other.department, other.line) == (budget.department, budget.line)
                and other.report_period.overlaps(budget.report_period)
            ),
            None,
        )
        if clash is not None:
            build.add(
                f"{root}.period",
                f"period {quote(budget.period)} overlaps $.budgets[{clash[0]}] "
                f"({quote(clash[1].period)}) of the same department and line",
            )
            continue
        budgets.append((index, budget))
    lines = {(b.department, b.line) for _, b in budgets}
    expenses: list[Expense] = []
    for index, expense in _unique(
        _structured(data, "expenses", Expense, build, refused), "expenses", build
    ):
        root = f"$.expenses[{index}]"
        if (expense.department, expense.line) not in lines:
            known = ", ".join(
                sorted(quote(b.line) for _, b in budgets if b.department == expense.department)
            )
            build.add(
                f"{root}.line",
                f"unknown expense line {quote(expense.line)}: department "
                f"{quote(expense.department)} has no budget for it (its lines: {known or 'none'})",
            )
            continue
        if not _convertible(currency, rates, expense.amount):
            build.add(f"{root}.amount.currency", _no_rate(expense.amount, currency))
            continue
        expenses.append(expense)
    try:
        book = BudgetBook(
            tuple(b for _, b in budgets), tuple(expenses), currency=currency, rates=rates
        )
    except KeyAccountError as error:  # every check above should have caught it
        raise DataFileError(
            parsed.source, [*build.problems, DataProblem("$", str(error)[:300])]
        ) from None
    return LoadedBudgets(book, tuple(build.problems), parsed.source)


def _no_rate(money: Money, currency: str) -> str:
    pair = f"{money.currency}/{currency}"
    return f"{money.currency} amount in a {currency} budget book without a {pair} rate in $.rates"


def loads_budgets(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadedBudgets:
    """A budget book from JSON or TOML text, keeping every valid record.

    Raises:
        DataFileError: the text is not JSON/TOML, not an object, or its currency is bad.
    """
    with _cycle_collection_paused():
        return _budgets(_parse(text, fmt, source))


def load_budgets(path: str | Path, fmt: Format | None = None) -> LoadedBudgets:
    """A budget book from a ``.json`` or ``.toml`` file, keeping every valid record.

    Examples:
        >>> import json, pathlib, tempfile
        >>> file = pathlib.Path(tempfile.mkdtemp()) / "budgets.json"
        >>> cny = lambda text: {"amount": text, "currency": "CNY"}
        >>> _ = file.write_text(json.dumps({
        ...     "budgets": [{"id": "B1", "department": "sales", "period": "2026",
        ...                  "line": "marketing", "amount": cny("1000")}],
        ...     "expenses": [
        ...         {"id": "E1", "department": "sales", "line": "marketing",
        ...          "amount": cny("200"), "on": "2026-03-01"},
        ...         {"id": "E2", "department": "sales", "line": "gifts",
        ...          "amount": cny("50"), "on": "2026-03-02"}]}))
        >>> result = load_budgets(file)
        >>> [e.id for e in result.book.expenses], result.problems[0].path
        (['E1'], '$.expenses[1].line')

    Raises:
        DataFileError: the file cannot be read or parsed, is not an object, or its
            currency is bad.
    """
    with _cycle_collection_paused():
        return _budgets(_read(path, fmt))


def _plain(book: BudgetBook) -> dict[str, Any]:
    data: dict[str, Any] = {"currency": book.currency}
    if book.rates is not None:
        data["rates"] = {f"{s}/{t}": str(r) for (s, t), r in sorted(book.rates.table.items())}
    data["budgets"] = [_no_nulls(unstructure(b)) for b in book.budgets]
    data["expenses"] = [_no_nulls(unstructure(e)) for e in book.expenses]
    return data


def dumps_budgets(book: BudgetBook, fmt: Format = "json") -> str:
    """A budget book as JSON or TOML text, which `loads_budgets` reads back equal."""
    return dumps(_plain(book), fmt)


def dump_budgets(book: BudgetBook, path: str | Path, fmt: Format | None = None) -> None:
    """Write a budget book to ``path`` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_budgets(book, chosen))
