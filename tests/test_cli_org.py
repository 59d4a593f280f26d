"""The ``keyaccount org ...``, ``keyaccount approve`` and ``keyaccount demo`` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from keyaccount import reference
from keyaccount.cli import main
from keyaccount.io import dump_org

APPROVE = ["approve", "--org", "sales-management", "--from", "区域经理", "--subject"]


def test_org_list_names_every_reference_chart(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["org", "list"]) == 0
    out = capsys.readouterr().out
    for name in reference.names():
        assert name in out
    assert "销售管理部" in out
    assert "大客户部" in out


def test_org_show_prints_the_chart_as_a_tree_with_authorities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["org", "show", "sales-management"]) == 0
    lines = capsys.readouterr().out.splitlines()
    director = next(i for i, line in enumerate(lines) if "营销总监" in line and "[" in line)
    manager = next(i for i, line in enumerate(lines) if "销售管理部经理 /" in line)
    regional = next(i for i, line in enumerate(lines) if "区域经理 /" in line)
    indent = [len(lines[i]) - len(lines[i].lstrip()) for i in (director, manager, regional)]
    assert indent[0] < indent[1] < indent[2]  # each level is indented under its superior
    assert director < manager < regional
    credit = [line for line in lines[manager:regional] if "customer-credit" in line]
    assert any("up to 20000 CNY" in line and "20000元" in line for line in credit)


def test_org_check_on_a_good_chart_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["org", "check", "key-account"]) == 0
    assert "0 finding(s)" in capsys.readouterr().out


def test_org_check_on_a_bad_chart_prints_every_finding_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = reference.load("sales-management")
    manager = chart.by_title("销售管理部经理")
    director = chart.by_title("营销总监")
    # The director now reports to the manager (a cycle, and no top) ...
    looped = attrs.evolve(director, superior=manager.id)
    positions = tuple(looped if p.id == director.id else p for p in chart.positions)
    file = tmp_path / "looped.toml"
    dump_org(attrs.evolve(chart, positions=positions), file)
    assert main(["org", "check", str(file)]) == 1
    out = capsys.readouterr().out
    assert "cycle" in out
    assert "no-top" in out
    assert f"finding(s) in {file}" in out


def test_approve_prints_the_route_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*APPROVE, "customer-credit", "--amount", "30000"]) == 0
    out = capsys.readouterr().out
    assert "approver: 营销总监" in out
    assert "sales-management-manager -> marketing-director" in out
    assert "its limit is 20000 CNY" in out  # why the manager passed it on


def test_approve_within_the_managers_limit_stops_at_the_manager(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*APPROVE, "customer-credit", "--amount", "20000"]) == 0
    assert "approver: 销售管理部经理" in capsys.readouterr().out


def test_a_request_nobody_may_approve_is_an_error_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*APPROVE, "no-such-subject", "--amount", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "keyaccount: error:" in captured.err
    assert "no-such-subject" in captured.err


def test_an_unknown_requester_is_an_error_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["approve", "--org", "sales-management", "--from", "大客户部经理"]
    assert main([*argv, "--subject", "customer-credit", "--amount", "1"]) == 1
    assert "大客户部经理" in capsys.readouterr().err


def test_an_amount_in_another_currency_without_rates_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [*APPROVE, "customer-credit", "--amount", "100", "--currency", "USD"]
    assert main(argv) == 1
    assert "rates" in capsys.readouterr().err


def test_a_missing_chart_file_is_an_error_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "show", str(tmp_path / "missing.toml")]) == 1
    captured = capsys.readouterr()
    assert "missing.toml" in captured.err
    assert captured.out == ""


def test_a_usage_error_exits_with_status_2_on_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["approve", "--org", "sales-management"]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith("keyaccount: error: the following arguments are required: --from")
    assert "keyaccount approve --help" in line
    assert captured.out == ""


def test_the_installed_command_runs_the_demo() -> None:
    command = Path(sys.executable).parent / "keyaccount"
    result = subprocess.run(
        [str(command), "demo"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "区域经理 asks 20000.01 CNY -> 营销总监" in result.stdout
    assert "check_org: 0 finding(s)" in result.stdout


def test_approve_compares_a_foreign_amount_only_through_an_explicit_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    request = ["approve", "--org", "sales-management", "--from", "区域经理"]
    request += ["--subject", "customer-credit", "--amount", "2817", "--currency", "USD"]

    assert main(request) == 1
    assert "pass explicit rates" in capsys.readouterr().err

    # 2817 USD * 7.1 = 20000.70 CNY: just over the manager's 20,000 CNY limit.
    assert main([*request, "--rate", "USD:CNY=7.1"]) == 0
    assert "approver: 营销总监" in capsys.readouterr().out
    assert main([*request, "--rate", "USD:CNY=7.0"]) == 0  # 19719 CNY: within it
    assert "approver: 销售管理部经理" in capsys.readouterr().out
