"""Receivables files: located errors, the valid records kept, round trips, the schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from hypothesis import given

from keyaccount.errors import DataFileError
from keyaccount.finance import Receivables
from keyaccount.io import (
    dump_receivables,
    dumps_receivables,
    json_schema,
    load_receivables,
    loads_receivables,
)
from keyaccount.testing import receivables_ledgers

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "data" / "receivables.json"


def cny(text: str, currency: str = "CNY") -> dict[str, str]:
    return {"amount": text, "currency": currency}


def document() -> dict[str, Any]:
    return {
        "currency": "CNY",
        "invoices": [
            {
                "id": "A",
                "customer_id": "acme",
                "amount": cny("100"),
                "issued_on": "2026-01-05",
                "terms": "net 30",
            },
            {
                "id": "B",
                "customer_id": "acme",
                "amount": cny("200"),
                "issued_on": "2026-01-06",
                "terms": "月结60天",
            },
        ],
        "payments": [
            {
                "id": "P1",
                "customer_id": "acme",
                "amount": cny("50"),
                "received_on": "2026-02-01",
                "allocations": [{"invoice_id": "A", "amount": cny("50")}],
            },
            {"id": "P2", "customer_id": "acme", "amount": cny("10"), "received_on": "2026-02-02"},
        ],
        "credit_notes": [
            {
                "id": "CN",
                "customer_id": "acme",
                "invoice_id": "B",
                "amount": cny("20"),
                "issued_on": "2026-02-03",
            },
        ],
        "write_offs": [
            {
                "id": "W",
                "invoice_id": "B",
                "amount": cny("30"),
                "on": "2026-06-30",
                "requested_by": "mgr",
            },
        ],
    }


def load(data: dict[str, Any]) -> Any:
    return loads_receivables(json.dumps(data, ensure_ascii=False))


def test_a_valid_file_loads_whole() -> None:
    result = load(document())
    assert result.ok
    ledger = result.strict()
    assert [i.id for i in ledger.invoices] == ["A", "B"]
    assert ledger.invoices[1].terms.month_end


def test_the_example_file_loads_and_round_trips(tmp_path: Path) -> None:
    ledger = load_receivables(EXAMPLE).strict()
    assert ledger.rates is not None
    for suffix in ("json", "toml"):
        path = tmp_path / f"r.{suffix}"
        dump_receivables(ledger, path)
        assert load_receivables(path).strict() == ledger


@given(receivables_ledgers())
def test_dump_then_load_gives_back_the_ledger(ledger: Receivables) -> None:
    for fmt in ("json", "toml"):
        again = loads_receivables(dumps_receivables(ledger, fmt), fmt)
        assert again.problems == ()
        assert again.receivables == ledger


def bad(mutate: Any) -> Any:
    data = document()
    mutate(data)
    return load(data)


def test_a_negative_amount_is_located_and_the_rest_kept() -> None:
    result = bad(lambda d: d["invoices"][1]["amount"].update(amount="-5"))
    assert next(p.path for p in result.problems) == "$.invoices[1].amount"
    assert [i.id for i in result.receivables.invoices] == ["A"]
    # the credit note and write-off on the refused invoice are refused with it
    paths = [p.path for p in result.problems]
    assert "$.credit_notes[0].invoice_id" in paths
    assert "$.write_offs[0].invoice_id" in paths
    assert [p.id for p in result.receivables.payments] == ["P1", "P2"]


def test_a_due_date_before_the_issue_date_is_located() -> None:
    result = bad(lambda d: d["invoices"][0].update(due_date="2026-01-01"))
    assert result.problems[0].path == "$.invoices[0].due_date"
    assert [i.id for i in result.receivables.invoices] == ["B"]


def test_an_allocation_to_an_unknown_invoice_is_located() -> None:
    result = bad(lambda d: d["payments"][0]["allocations"][0].update(invoice_id="NOPE"))
    assert [p.path for p in result.problems] == ["$.payments[0].allocations[0].invoice_id"]
    assert [p.id for p in result.receivables.payments] == ["P2"]
    assert len(result.receivables.invoices) == 2


def test_a_payment_in_another_currency_without_rates_is_located() -> None:
    def usd(d: dict[str, Any]) -> None:
        d["payments"][1]["amount"] = cny("10", "USD")

    result = bad(usd)
    assert [p.path for p in result.problems] == ["$.payments[1].amount.currency"]
    assert [p.id for p in result.receivables.payments] == ["P1"]
    with_rates = copy.deepcopy(document())
    usd(with_rates)
    with_rates["rates"] = {"USD/CNY": "7.10"}
    assert load(with_rates).ok


def test_more_applied_than_an_invoice_holds_is_located() -> None:
    result = bad(lambda d: d["write_offs"][0]["amount"].update(amount="181"))
    assert [p.path for p in result.problems] == ["$.write_offs[0].amount"]
    assert "still holds (180 CNY)" in result.problems[0].message
    assert result.receivables.write_offs == ()


def test_bad_terms_a_repeated_id_and_an_unknown_key_are_all_reported() -> None:
    def several(d: dict[str, Any]) -> None:
        d["invoices"][0]["terms"] = "whenever"
        d["payments"][1]["id"] = "P1"
        d["extra"] = 1
        d["rates"] = {"USD": "7"}

    result = bad(several)
    paths = sorted(p.path for p in result.problems)
    assert paths == sorted(
        [
            "$.invoices[0].terms",
            "$.payments[1].id",
            "$.extra",
            "$.rates.USD",
            "$.payments[0].allocations[0].invoice_id",
        ]
    )
    with pytest.raises(DataFileError) as caught:
        result.strict()
    assert len(caught.value.problems) == 5


def test_a_bad_currency_or_shape_refuses_the_file() -> None:
    with pytest.raises(DataFileError, match=r"\$\.currency"):
        bad(lambda d: d.update(currency="yuan"))
    with pytest.raises(DataFileError):
        loads_receivables("[1, 2]")


def test_a_key_given_twice_refuses_only_its_record() -> None:
    text = json.dumps(document())
    text = text.replace('"id": "P2",', '"id": "P2", "id": "P3",', 1)
    result = loads_receivables(text)
    assert [p.path for p in result.problems] == ["$.payments[1].id"]
    assert [p.id for p in result.receivables.payments] == ["P1"]


def test_the_json_schema_accepts_the_example_and_refuses_a_float() -> None:
    schema = json_schema(Receivables)
    data = json.loads(EXAMPLE.read_text("utf-8"))
    jsonschema.validate(data, schema)
    data["invoices"][0]["amount"]["amount"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
