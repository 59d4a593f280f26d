"""Regressions found by review (rev11): each test failed before its fix."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

from keyaccount import Money, WorkCalendar
from keyaccount.cli import main
from keyaccount.errors import DataFileError
from keyaccount.finance import budget_status
from keyaccount.io import load_budgets, load_receivables

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
CAL = WorkCalendar.china()
MARCH_END = pendulum.datetime(2026, 3, 31, 18, tz="Asia/Shanghai")


# --------------------------------------------------- budget totals: assessed lines only


def test_budget_totals_add_only_the_assessed_lines_and_state_the_rest() -> None:
    # 2026Q1 on the example file: 差旅费 has a March budget (assessed); 营销费用 and 订货会
    # only yearly ones (not assessed). Before: actual 243,000.50 against plan 15,000 = 1620%.
    book = load_budgets(DATA / "budgets.json").strict()
    status = budget_status(book, "2026Q1", CAL, MARCH_END)
    assert [r.assessed for r in status.lines] == [True, False, False]
    assert status.plan == Money(15000)
    assert status.actual == Money("17000.50")
    assert status.usage == Decimal("1.1334")
    assert status.not_assessed == Money(226000)
    assert "226000 CNY spent on lines not assessed" in status.explain()


def test_budget_status_cli_total_is_not_inflated_by_lines_not_assessed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["budget", "status", str(DATA / "budgets.json"), "--period", "2026Q1"]
    assert main([*args, "--as-of", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert "1620.00%" not in out
    total = next(line for line in out.splitlines() if line.startswith("total"))
    assert "113.34%" in total
    assert "17,000.50" in total
    assert "not assessed (a longer budget period): 226,000 spent" in out
    assert main([*args, "--as-of", "2026-03-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["usage"] == "1.1334"
    assert data["not_assessed"] == {"amount": "226000", "currency": "CNY"}


# ------------------------------------------------------- wrong kind of file refused


def test_a_file_of_another_kind_is_refused_as_a_whole_not_read_as_empty() -> None:
    with pytest.raises(DataFileError) as budgets_as_receivables:
        load_receivables(DATA / "budgets.json")
    assert budgets_as_receivables.value.problems[0].path == "$"
    assert "not a receivables file" in str(budgets_as_receivables.value)
    with pytest.raises(DataFileError) as receivables_as_budgets:
        load_budgets(DATA / "receivables.json")
    assert "not a budget file" in str(receivables_as_budgets.value)


def test_the_cli_prints_no_empty_report_for_a_file_of_another_kind(
    capsys: pytest.CaptureFixture[str],
) -> None:
    wrong = ["receivables", "aging", str(DATA / "budgets.json"), "--as-of", "2026-03-31"]
    assert main(wrong) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not a receivables file" in captured.err
    assert "Traceback" not in captured.err
    other = ["budget", "status", str(DATA / "receivables.json"), "--period", "2026"]
    assert main([*other, "--as-of", "2026-03-31", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not a budget file" in captured.err


# ------------------------------------------------------------------- aging --limit


def test_aging_takes_limit_and_keeps_the_totals_of_every_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["receivables", "aging", str(DATA / "receivables.json"), "--as-of", "2026-03-31"]
    assert main([*args, "--json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert main([*args, "--json", "--limit", "1"]) == 0
    captured = capsys.readouterr()
    shown = json.loads(captured.out)
    assert len(shown["rows"]) == 1 < len(everything["rows"])
    assert shown["total"] == everything["total"]
    assert "left out (--limit 1)" in captured.err
    assert main([*args, "--limit", "0"]) == 2


# ------------------------------------------------------------------ layout rules


def _imports_from(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}


def test_the_finance_loaders_share_a_private_module_not_each_others_privates() -> None:
    io = ROOT / "src" / "keyaccount" / "io"
    assert "keyaccount.io.receivables" not in _imports_from(io / "budgets.py")
    assert "keyaccount.io.budgets" not in _imports_from(io / "receivables.py")
    assert "keyaccount.io._finance_common" in _imports_from(io / "budgets.py")


def test_every_finance_file_stays_under_the_size_rule() -> None:
    files = [
        *(ROOT / "src" / "keyaccount" / "finance").glob("*.py"),
        *(ROOT / "src" / "keyaccount" / "io" / f"{n}.py" for n in ("receivables", "budgets")),
    ]
    sizes = {
        f"{f.parent.name}/{f.name}": len(f.read_text(encoding="utf-8").splitlines()) for f in files
    }
    assert max(sizes.values()) <= 600, sizes  # the house rule: none over 600 lines


# ---------------------------------------------------- confidential prospects (pinned)


def test_credit_check_never_prints_a_confidential_prospects_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    customers = json.loads((DATA / "customers.json").read_text(encoding="utf-8"))
    prospect = next(c for c in customers if c["id"] == "p001")
    args = [
        "credit", "check", "--org", "sales-management", "--customers",
        str(DATA / "customers.json"), "--receivables", str(DATA / "receivables.json"),
        "--requester", "regional-manager", "--as-of", "2026-03-31", "--customer", "p001",
    ]  # fmt: skip
    for amount in ("1000", "50000", "99999999999"):
        for extra in ([], ["--json"]):
            main([*args, "--amount", amount, *extra])
            captured = capsys.readouterr()
            assert prospect["name"] not in captured.out + captured.err
    main([*args[:-1], "p00", "--amount", "1"])  # a typo: the hint names ids only
    captured = capsys.readouterr()
    assert prospect["name"] not in captured.out + captured.err


# ------------------------------------------- wrong argument types: typed errors, not crashes


def _checks() -> list[tuple[str, object]]:
    import datetime as dt

    from keyaccount import Customer, DateRange, reference
    from keyaccount.finance import (
        DEFAULT_AGING,
        DEFAULT_DUNNING,
        DEFAULT_RATING,
        OpenOrder,
        Receivables,
        aging,
        allocate,
        collections,
        credit_check,
        credit_rating,
        dunning,
        open_items,
        statement,
    )

    ledger = Receivables()
    days = DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    acme = Customer("acme", "Acme", owner="li")
    order = OpenOrder("o", "acme", Money(10))
    chart = reference.load("sales-management")

    def check(orders: object = (), policy: object = DEFAULT_RATING) -> object:
        return credit_check(
            acme, ledger, orders, order, policy, chart, CAL,  # type: ignore[arg-type]
            as_of=MARCH_END, requester="regional-manager",
        )  # fmt: skip

    return [
        ("receivables", lambda: allocate(None)),  # type: ignore[arg-type]
        ("receivables", lambda: open_items(None, CAL, MARCH_END)),  # type: ignore[arg-type]
        ("receivables", lambda: aging(None, DEFAULT_AGING, CAL, MARCH_END)),  # type: ignore[arg-type]
        ("policy", lambda: aging(ledger, None, CAL, MARCH_END)),  # type: ignore[arg-type]
        ("receivables", lambda: statement(None, "acme", days)),  # type: ignore[arg-type]
        ("receivables", lambda: collections(None, days)),  # type: ignore[arg-type]
        ("receivables", lambda: dunning(None, DEFAULT_DUNNING, CAL, MARCH_END)),  # type: ignore[arg-type]
        ("policy", lambda: dunning(ledger, None, CAL, MARCH_END)),  # type: ignore[arg-type]
        ("policy", lambda: credit_rating("acme", ledger, None, CAL, MARCH_END)),  # type: ignore[arg-type]
        ("open_orders", lambda: check(orders=None)),
        ("open_orders", lambda: check(orders=["SO-1"])),
        ("policy", lambda: check(policy=None)),
    ]


@pytest.mark.parametrize("index", range(12))
def test_a_wrong_argument_type_is_a_typed_error_naming_the_argument(index: int) -> None:
    from keyaccount.errors import InvalidArgumentTypeError

    name, call = _checks()[index]
    with pytest.raises(InvalidArgumentTypeError, match=name):
        call()  # type: ignore[operator]
