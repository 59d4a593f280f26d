"""``keyaccount credit check`` and ``keyaccount budget status`` on the example files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keyaccount.cli import main

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
CHECK = [
    "credit",
    "check",
    "--org",
    "sales-management",
    "--customers",
    str(DATA / "customers.json"),
    "--receivables",
    str(DATA / "receivables.json"),
    "--requester",
    "regional-manager",
    "--as-of",
    "2026-03-20",
]


def test_credit_check_above_the_limit_prints_the_figures_and_the_route(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main([*CHECK, "--customer", "c002", "--amount", "15000"])
    out = capsys.readouterr().out
    assert status == 0
    assert "needs-approval (需上级审批): exposure 33500.00 CNY over limit 20000 CNY" in out
    assert "outstanding receivables 18500.00 CNY (invoices INV-2026-005)" in out
    # 33,500 is above the sales-management manager's 20,000 (003_…): the director approves
    assert "sales-management-manager: cannot approve" in out
    assert "marketing-director: approves" in out


def test_credit_check_json_is_one_document_with_exposure_and_route(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main([*CHECK, "--customer", "c002", "--amount", "15000", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["decision"] == "needs-approval"
    assert data["exposure"] == {"amount": "33500.00", "currency": "CNY"}
    assert data["outstanding_ids"] == ["INV-2026-005"]
    assert data["approver"] == "marketing-director"
    assert data["route"] == ["sales-management-manager", "marketing-director"]
    assert data["rating"]["rating"] == "C"


def test_credit_check_holds_a_customer_with_an_old_overdue_invoice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    orders = ["--orders", str(DATA / "open-orders.json")]
    status = main([*CHECK, "--customer", "c001", "--amount", "1", *orders, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["decision"] == "hold"
    assert data["held"] is True
    assert data["hold_ids"] == ["INV-2025-090"]
    assert data["open_order_ids"] == ["SO-2026-031"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--customer", "c999", "--amount", "1"], "argument --customer: no customer 'c999'"),
        (["--customer", "c002", "--amount", "-5"], "must not be negative"),
        (["--customer", "c002", "--amount", "lots"], "is not"),
    ],
)
def test_credit_check_usage_errors_are_one_line_and_exit_2(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([*CHECK, *extra])
    captured = capsys.readouterr()
    assert status == 2
    assert message in captured.err
    assert captured.out == ""


def test_budget_status_prints_plan_against_actual(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["budget", "status", str(DATA / "budgets.json"), "--period", "2026"]
    status = main([*argv, "--as-of", "2026-03-31"])
    out = capsys.readouterr().out
    assert status == 0
    assert "费用控制 budget 2026 as of 2026-03-31" in out
    assert "21.33%" in out  # 营销费用: 128,000 of 600,000
    assert "E-0101, E-0320" in out


def test_budget_status_json_names_the_budgets_and_expenses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["budget", "status", str(DATA / "budgets.json"), "--period", "2026-03", "--json"]
    status = main([*argv, "--as-of", "2026-03-31"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    travel = next(line for line in data["lines"] if line["line"] == "差旅费")
    assert travel["budget_ids"] == ["B-2026-03-TRV"]
    assert travel["over_plan"] is True
    assert travel["overspent"] == {"amount": "2000.50", "currency": "CNY"}


def test_budget_status_reports_bad_records_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads((DATA / "budgets.json").read_text(encoding="utf-8"))
    document["expenses"][0]["line"] = "礼品"
    document["expenses"][1]["amount"] = {"amount": "10", "currency": "USD"}
    file = tmp_path / "budgets.json"
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    status = main(["budget", "status", str(file), "--period", "2026", "--as-of", "2026-12-31"])
    captured = capsys.readouterr()
    assert status == 1
    assert "@ $.expenses[0].line" in captured.err
    assert "@ $.expenses[1].amount.currency" in captured.err
    assert "E-0305" in captured.out  # the valid expenses are still counted


def test_budget_status_refuses_a_bad_period(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["budget", "status", str(DATA / "budgets.json"), "--period", "Q1"]
    assert main([*argv, "--as-of", "2026-01-01"]) == 2
    assert "argument --period: the period must be 2026" in capsys.readouterr().err
