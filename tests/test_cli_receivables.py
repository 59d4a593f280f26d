"""``keyaccount receivables aging|statement`` on the example receivables file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keyaccount.cli import main

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
FILE = DATA / "receivables.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_aging_by_customer_shows_each_bucket_and_the_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "receivables", "aging", str(FILE), "--as-of", "2026-05-31")
    assert status == 0
    assert err == ""
    assert "5 open invoices owe 253100.00 CNY" in out
    c001 = next(line for line in out.splitlines() if line.startswith("c001"))
    assert "54,500.00" in c001
    assert "9,600.00" in c001
    assert c001.rstrip().endswith("64,100.00")
    assert "unapplied credit: c002 1500.00 CNY (RCV-0418)" in out


def test_aging_json_is_one_document_with_the_ids_behind_each_bucket(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        capsys,
        "receivables",
        "aging",
        str(FILE),
        "--as-of",
        "2026-05-31",
        "--by",
        "owner",
        "--json",
    )
    data = json.loads(out)
    assert status == 0
    assert data["group"] == "owner"
    rows = {r["key"]: r for r in data["rows"]}
    assert rows["zhang"]["total"] == {"amount": "67900.00", "currency": "CNY"}
    over = next(b for b in rows["zhang"]["buckets"] if b["label"] == "over 180")
    assert over["invoice_ids"] == ["INV-2025-090"]
    assert data["total"]["amount"] == "253100.00"
    assert "explanation" in data


def test_aging_by_department_needs_staff_and_a_chart(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys, "receivables", "aging", str(FILE), "--as-of", "2026-05-31", "--by", "department"
    )
    assert status == 2
    assert "--staff" in err
    assert "Traceback" not in err


def test_a_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "receivables", "aging", str(FILE), "--as-of", "next monday")
    assert status == 2
    assert out == ""
    assert "--as-of" in err


def test_the_statement_balances(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "receivables",
        "statement",
        str(FILE),
        "--customer",
        "c001",
        "--from",
        "2026-03-01",
        "--to",
        "2026-06-30",
    )
    assert status == 0
    assert "opening balance" in out
    assert "165,600.00" in out
    assert "write-off WO-0630 (INV-2025-090)" in out
    assert "= closing 54500.00 CNY" in out


def test_the_statement_json_has_the_totals(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "receivables",
        "statement",
        str(FILE),
        "--customer",
        "c001",
        "--from",
        "2026-03-01",
        "--to",
        "2026-06-30",
        "--json",
    )
    data = json.loads(out)
    assert status == 0
    assert data["closing"] == {"amount": "54500.00", "currency": "CNY"}
    assert data["opening"]["amount"] == "165600.00"
    assert [line["kind"] for line in data["lines"]] == ["payment", "credit-note", "write-off"]


def test_an_unknown_customer_is_a_usage_error_with_a_hint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(
        capsys,
        "receivables",
        "statement",
        str(FILE),
        "--customer",
        "c0011",
        "--from",
        "2026-03-01",
        "--to",
        "2026-06-30",
    )
    assert status == 2
    assert out == ""
    assert "c0011" in err
    assert "did you mean" in err


def test_a_reversed_period_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys,
        "receivables",
        "statement",
        str(FILE),
        "--customer",
        "c001",
        "--from",
        "2026-06-30",
        "--to",
        "2026-03-01",
    )
    assert status == 2
    assert "before" in err


def test_a_file_with_problems_is_reported_and_its_valid_records_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(FILE.read_text("utf-8"))
    data["payments"][3]["amount"]["currency"] = "EUR"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    status, out, err = run(capsys, "receivables", "aging", str(bad), "--as-of", "2026-05-31")
    assert status == 1
    assert "$.payments[3].amount.currency" in err
    assert "c002" in out  # without RCV-0418, INV-2026-005 is open


def test_aging_by_department_through_the_staff_and_the_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from keyaccount import Staff
    from keyaccount.io import dumps_staff

    staff = tmp_path / "staff.json"
    people = [
        Staff("zhang", "张", "regional-manager"),
        Staff("li", "李", "sales-management-manager"),
    ]
    staff.write_text(dumps_staff(people), "utf-8")
    status, out, err = run(
        capsys,
        "receivables",
        "aging",
        str(FILE),
        "--as-of",
        "2026-05-31",
        "--by",
        "department",
        "--staff",
        str(staff),
        "--org",
        "sales-management",
        "--json",
    )
    assert status == 0, err
    (row,) = json.loads(out)["rows"]
    assert row["total"]["amount"] == "253100.00"
