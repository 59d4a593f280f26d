"""Budget, rating-policy, open-order and sales files: located errors, valid records, round trips."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from hypothesis import given
from hypothesis import strategies as st

import keyaccount.io as kio
from keyaccount.errors import DataFileError
from keyaccount.finance import (
    DEFAULT_RATING,
    BudgetBook,
    OpenOrder,
    RatingPolicy,
    SalesRecord,
    SalesTarget,
)
from keyaccount.io import Format
from keyaccount.testing import (
    budget_books,
    open_orders,
    rating_policies,
    sales_records,
    sales_targets,
)

DATA = Path(__file__).resolve().parents[1] / "examples" / "data"


def cny(text: str) -> dict[str, str]:
    return {"amount": text, "currency": "CNY"}


def budget(
    id_: str, period: str = "2026", line: str = "marketing", amount: str = "1000"
) -> dict[str, object]:
    return {"id": id_, "department": "sales", "period": period, "line": line, "amount": cny(amount)}


def expense(id_: str, amount: object = None, line: str = "marketing") -> dict[str, object]:
    return {
        "id": id_,
        "department": "sales",
        "line": line,
        "amount": amount if amount is not None else cny("100"),
        "on": "2026-03-01",
    }


def paths(result: object) -> list[str]:
    return [p.path for p in result.problems]  # type: ignore[attr-defined]


# ------------------------------------------------------------------------- budget files


def test_the_example_budget_file_loads_without_a_problem() -> None:
    book = kio.load_budgets(DATA / "budgets.json").strict()
    assert [b.id for b in book.budgets] == ["B-2026-MKT", "B-2026-FAIR", "B-2026-03-TRV"]
    assert len(book.expenses) == 5


def test_every_bad_record_is_reported_at_its_path_and_the_valid_ones_are_kept() -> None:
    document = {
        "budgets": [
            budget("B1"),
            budget("B2", period="2026-03"),  # overlaps B1 (same department and line)
            budget("B3", line="travel", amount="-5"),  # negative
            budget("B1", line="gifts"),  # id used twice
            budget("B4", period="2026-13", line="gifts"),
        ],
        "expenses": [
            expense("E1"),
            expense("E2", {"amount": "10", "currency": "USD"}),  # no rate
            expense("E3", line="gifts"),  # unknown expense line
            expense("E4", cny("-1")),  # negative
            expense("E1"),  # id used twice
        ],
    }
    result = kio.loads_budgets(json.dumps(document))
    assert [b.id for b in result.book.budgets] == ["B1"]
    assert [e.id for e in result.book.expenses] == ["E1"]
    assert paths(result) == [
        "$.budgets[2].amount",
        "$.budgets[4].period",
        "$.budgets[3].id",
        "$.budgets[1].period",
        "$.expenses[3].amount",
        "$.expenses[4].id",
        "$.expenses[1].amount.currency",
        "$.expenses[2].line",
    ]
    messages = {p.path: p.message for p in result.problems}
    assert "overlaps $.budgets[0]" in messages["$.budgets[1].period"]
    assert "unknown expense line 'gifts'" in messages["$.expenses[2].line"]
    assert "USD/CNY" in messages["$.expenses[1].amount.currency"]
    with pytest.raises(DataFileError, match="8 problems"):
        result.strict()


def test_a_rate_in_the_file_lets_an_expense_in_another_currency_in() -> None:
    document = {
        "rates": {"USD/CNY": "7.1"},
        "budgets": [budget("B1")],
        "expenses": [expense("E2", {"amount": "10", "currency": "USD"})],
    }
    assert kio.loads_budgets(json.dumps(document)).strict().expenses[0].id == "E2"


def test_a_file_that_is_not_an_object_or_has_a_bad_currency_is_refused_whole() -> None:
    with pytest.raises(DataFileError):
        kio.loads_budgets("[]")
    with pytest.raises(DataFileError, match=r"\$.currency"):
        kio.loads_budgets(json.dumps({"currency": "yuan", "budgets": []}))
    result = kio.loads_budgets(json.dumps({"budgets": [], "extra": 1}))
    assert paths(result) == ["$.extra"]


@given(budget_books(), st.sampled_from(["json", "toml"]))
def test_a_budget_book_round_trips(book: BudgetBook, fmt: Format) -> None:
    assert kio.loads_budgets(kio.dumps_budgets(book, fmt), fmt).strict() == book


# ------------------------------------------------------------------------- rating policies, orders


def test_the_example_rating_policy_is_the_documented_default() -> None:
    assert kio.load_rating_policy(DATA / "rating-policy.toml") == DEFAULT_RATING
    assert kio.loads_rating_policy("") == DEFAULT_RATING


def test_a_bad_rating_policy_names_the_bad_field() -> None:
    text = '[[rules]]\nrating = "Z"\nlimit = { amount = "1" }\n'
    with pytest.raises(DataFileError, match=r"\$.rules\[0\].rating"):
        kio.loads_rating_policy(text)
    with pytest.raises(DataFileError, match="hold_days_overdue"):
        kio.loads_rating_policy("hold_days_overdue = -3")


@given(rating_policies(), st.sampled_from(["json", "toml"]))
def test_a_rating_policy_round_trips(policy: RatingPolicy, fmt: Format) -> None:
    assert kio.loads_rating_policy(kio.dumps_rating_policy(policy, fmt), fmt) == policy


def test_open_orders_keep_the_valid_ones() -> None:
    document = [
        {"id": "SO-1", "customer_id": "c1", "amount": cny("10")},
        {"id": "SO-2", "customer_id": "c1", "amount": cny("-10")},
        {"id": "SO-3", "customer_id": "c1", "amount": {"amount": 1.5, "currency": "CNY"}},
    ]
    result = kio.loads_open_orders(json.dumps(document))
    assert [o.id for o in result.items] == ["SO-1"]
    assert paths(result) == ["$[1].amount", "$[2].amount.amount"]


@given(
    st.lists(open_orders(), max_size=5, unique_by=lambda o: o.id), st.sampled_from(["json", "toml"])
)
def test_open_orders_round_trip(orders: list[OpenOrder], fmt: Format) -> None:
    assert kio.loads_open_orders(kio.dumps_open_orders(orders, fmt), fmt).strict() == tuple(orders)


# ------------------------------------------------------------------------- sales files


def test_a_revenue_record_without_cost_is_reported_and_the_others_kept() -> None:
    records = json.loads((DATA / "sales.json").read_text(encoding="utf-8"))
    del records[3]["cost"]
    result = kio.loads_sales_records(json.dumps(records))
    assert len(result.items) == 4
    assert paths(result) == ["$[3].cost"]
    assert "cost is needed on revenue record" in result.problems[0].message


def test_a_second_target_of_a_salesperson_and_period_is_reported() -> None:
    targets = json.loads((DATA / "sales-targets.json").read_text(encoding="utf-8"))
    bad = {"owner": "wang", "period": "March"}
    result = kio.loads_sales_targets(json.dumps({"targets": [*targets, targets[0], bad]}))
    assert [t.owner for t in result.items] == ["zhang", "li"]
    assert paths(result) == ["$.targets[3].period", "$.targets[2].period"]


@given(
    st.lists(sales_records(), max_size=5, unique_by=lambda r: r.id),
    st.lists(sales_targets(), max_size=3, unique_by=lambda t: (t.owner, t.period)),
    st.sampled_from(["json", "toml"]),
)
def test_sales_files_round_trip(
    records: list[SalesRecord], targets: list[SalesTarget], fmt: Format
) -> None:
    assert kio.loads_sales_records(kio.dumps_sales_records(records, fmt), fmt).strict() == tuple(
        records
    )
    assert kio.loads_sales_targets(kio.dumps_sales_targets(targets, fmt), fmt).strict() == tuple(
        targets
    )


# ------------------------------------------------------------------------- JSON Schema


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (BudgetBook, "budgets.json"),
        (RatingPolicy, "rating-policy.toml"),
        (OpenOrder, "open-orders.json"),
        (SalesRecord, "sales.json"),
        (SalesTarget, "sales-targets.json"),
    ],
)
def test_the_example_files_match_their_json_schema(cls: type, name: str) -> None:
    schema = kio.json_schema(cls)
    text = (DATA / name).read_text(encoding="utf-8")
    data = tomllib.loads(text) if name.endswith(".toml") else json.loads(text)
    if isinstance(data, list):  # a record file: a list of the records
        schema = {"type": "array", "items": {"$ref": schema["$ref"]}, "$defs": schema["$defs"]}
    jsonschema.validate(data, schema)
    broken = dict(data[0]) if isinstance(data, list) else dict(data)
    broken["unknown"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([broken] if isinstance(data, list) else broken, schema)
