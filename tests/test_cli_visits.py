"""``keyaccount visits ...`` and ``keyaccount customers check`` on the example files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keyaccount.cli import main
from keyaccount.cli.visits import demo_section

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
CUSTOMERS = DATA / "customers.json"
VISITS = DATA / "visits.json"


def test_visits_due_lists_every_due_visit_with_its_rule_and_deadline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(
        [
            "visits",
            "due",
            "--customers",
            str(CUSTOMERS),
            "--visits",
            str(VISITS),
            "--as-of",
            "2026-03-02",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    # c001 was served on 26 February and not called back: due by 1 March, overdue on the 2nd.
    assert "OVERDUE 2026-03-01 c001" in out
    assert "return-visit 必须保证在三天之内回访" in out
    # c002's only call reached nobody, so the first contact is still open (due 3 March).
    assert "2026-03-03 c002" in out
    assert "OVERDUE 2026-03-03" not in out


def test_visits_due_overdue_only_and_an_explicit_instant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["visits", "due", "--customers", str(CUSTOMERS), "--visits", str(VISITS)]
    status = main(
        [*argv, "--as-of", "2026-03-02T10:00:00+08:00", "--overdue", "--calendar", "mon-fri"]
    )
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()[1:]
    assert lines
    assert all(line.startswith("OVERDUE") for line in lines)


def test_a_bad_record_is_reported_and_the_rest_still_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = json.loads(CUSTOMERS.read_text(encoding="utf-8"))
    records.append({"id": "bad", "name": "坏", "tier": "platinum"})
    broken = tmp_path / "customers.json"
    broken.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    status = main(
        [
            "visits",
            "due",
            "--customers",
            str(broken),
            "--visits",
            str(VISITS),
            "--as-of",
            "2026-03-02",
        ]
    )
    captured = capsys.readouterr()
    assert status == 1
    assert f"$[{len(records) - 1}].tier" in captured.err
    assert "c001" in captured.out


def test_visits_summary_prints_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["visits", "summary", "--visits", str(VISITS), "--from", "2026-01-01", "--to", "2026-02-28"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "回访总结报告" in out
    assert "needs follow-up: c003" in out
    assert "v004 (c004): missing notes" in out


def test_customers_check_counts_and_flags_orphans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["customers", "check", str(CUSTOMERS)]) == 0
    assert "5 customer(s) loaded" in capsys.readouterr().out
    orphan = tmp_path / "orphan.json"
    orphan.write_text(json.dumps([{"id": "c1", "name": "无主"}]), encoding="utf-8")
    assert main(["customers", "check", str(orphan)]) == 1
    assert "without an owner: c1" in capsys.readouterr().out


def test_a_missing_file_is_an_error_not_a_crash(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["customers", "check", "/nonexistent/customers.json"])
    assert status == 1
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("as_of", ["2026-03-02T10:00", "March"])
def test_a_bad_as_of_is_a_usage_error_on_one_line(
    capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    argv = ["visits", "due", "--customers", str(CUSTOMERS), "--visits", str(VISITS)]
    assert main([*argv, "--as-of", as_of]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("keyaccount: error: argument --as-of:")
    assert as_of in line


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["visits", "summary", "--visits", str(VISITS), "--from", "March", "--to", "2026-03-01"]
    assert main(argv) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("keyaccount: error: argument --from: 'March' is not a date")


def test_the_demo_section_tells_the_visits_story(capsys: pytest.CaptureFixture[str]) -> None:
    demo_section()
    out = capsys.readouterr().out
    assert "防止撞单" in out
    assert "李娜 (销售代表) sees only RedactedCustomer" in out
    assert "孤儿客户" in out
    assert "回访总结报告" in out
