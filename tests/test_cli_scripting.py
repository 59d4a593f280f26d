"""The `keyaccount` command as a tool people script (issue 14).

`--version`; `--json` on every command (one document on stdout); `--limit`; exit status
0 / 1 (data) / 2 (usage) / 141 (closed pipe); one plain line per error and never a
traceback; no partial answer before an error; the nearest known names suggested; a file
of the wrong kind named; a progress bar on a terminal's stderr only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

import keyaccount
from keyaccount.cli import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL_ERROR,
    EXIT_INTERRUPTED,
    build_parser,
    main,
)
from keyaccount.cli import _progress as progress_module
from keyaccount.cli import org as org_commands
from keyaccount.cli._progress import Progress
from keyaccount.complaints import Complaint, RequestKind, Severity
from keyaccount.io import dump_complaints
from keyaccount.io.kinds import document_kind, file_kind

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
CUSTOMERS = str(DATA / "customers.json")
VISITS = str(DATA / "visits.json")
COMPLAINTS = str(DATA / "complaints.json")
YEARS = str(DATA / "china-2026.toml")
BATCH = ROOT / "tests" / "data"  # the tables of `keyaccount batch` (CSV)
KEYACCOUNT = Path(sys.executable).parent / "keyaccount"

#: A realistic argument set for every subcommand, on the example data and the reference
#: charts; `--json` is added by the test. EVERY SUBCOMMAND MUST HAVE A ROW: a helper who
#: adds a command module (and registers it in `keyaccount.cli.COMMAND_MODULES`) adds a
#: row for each of its subcommands here, or `test_every_command_prints_one_json_document`
#: fails naming the missing one.
ARGUMENTS: dict[tuple[str, ...], list[str]] = {
    ("demo",): [],
    ("org", "list"): [],
    ("org", "show"): ["sales-management"],
    ("org", "check"): ["key-account"],
    ("approve",): [
        "--org",
        "sales-management",
        "--from",
        "区域经理",
        "--subject",
        "customer-credit",
        "--amount",
        "30000",
    ],
    ("complaints", "status"): ["--complaints", COMPLAINTS, "--as-of", "2026-03-10"],
    ("visits", "due"): ["--customers", CUSTOMERS, "--visits", VISITS, "--as-of", "2026-03-02"],
    ("visits", "summary"): ["--visits", VISITS, "--from", "2026-01-01", "--to", "2026-03-01"],
    ("batch", "sla"): [str(BATCH / "batch-events.csv"), "--as-of", "2026-03-10"],
    ("batch", "overdue-visits"): [
        str(BATCH / "batch-customers.csv"),
        str(BATCH / "batch-visits.csv"),
        "--as-of",
        "2026-03-10",
    ],
    ("customers", "check"): [CUSTOMERS],
    ("calendar", "check"): [YEARS],
    ("calendar", "status"): ["--as-of", "2026-01-01"],
    ("calendar", "deadline"): ["2026-02-13T17:30:00+08:00", "4 working hours"],
    ("duties", "agenda"): [
        "--org",
        "sales-management",
        "--position",
        "销售管理部经理",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-11",
        "--rest-days",
        "7",
    ],
    ("duties", "compliance"): [
        "--org",
        "sales-management",
        "--records",
        str(DATA / "done-records.json"),
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        "--as-of",
        "2026-11-01",
        "--kind",
        "report,meeting",
    ],
    ("receivables", "aging"): [str(DATA / "receivables.json"), "--as-of", "2026-05-31"],
    ("receivables", "statement"): [
        str(DATA / "receivables.json"),
        "--customer",
        "c001",
        "--from",
        "2026-03-01",
        "--to",
        "2026-06-30",
    ],
    ("credit", "check"): [
        "--org",
        "sales-management",
        "--customers",
        CUSTOMERS,
        "--receivables",
        str(DATA / "receivables.json"),
        "--customer",
        "c002",
        "--amount",
        "15000",
        "--requester",
        "regional-manager",
        "--as-of",
        "2026-03-20",
    ],
    ("budget", "status"): [str(DATA / "budgets.json"), "--period", "2026", "--as-of", "2026-03-31"],
    ("club", "balance"): [str(DATA / "club.json"), "--member", "c002", "--as-of", "2026-03-31"],
    ("club", "report"): [
        str(DATA / "club.json"),
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--as-of",
        "2026-03-31",
    ],
}


def _leaves(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every runnable subcommand of `parser`, as the words that name it."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield prefix
        return
    for group in groups:
        for name, sub in group.choices.items():
            yield from _leaves(sub, (*prefix, name))


COMMANDS = tuple(_leaves(build_parser()))


def _keys(value: object) -> Iterator[str]:
    """Every key of every object inside a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _plain(err: str) -> None:
    """stderr holds keyaccount's own lines only: no traceback, no Python repr."""
    assert "Traceback" not in err
    for line in err.splitlines():
        assert line.startswith(("keyaccount: ", "  - ")), line


# ------------------------------------------------------------------ --version


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(["--version"], capsys)
    assert status == 0
    assert out == f"keyaccount {keyaccount.__version__}\n"
    assert keyaccount.__version__ == "0.2.0"
    assert err == ""


def test_the_installed_command_prints_its_version() -> None:
    done = subprocess.run(
        [str(KEYACCOUNT), "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "keyaccount 0.2.0\n", "")


# ------------------------------------------------------------------ --json everywhere


def test_the_table_of_commands_is_not_empty_and_has_no_stale_rows() -> None:
    assert ("visits", "due") in COMMANDS
    stale = set(ARGUMENTS) - set(COMMANDS)
    assert not stale, f"rows for commands that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_prints_one_json_document(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    if command not in ARGUMENTS:
        pytest.fail(
            f"'keyaccount {' '.join(command)}' has no row in ARGUMENTS of "
            f"tests/test_cli_scripting.py: add a realistic argument set for it"
        )
    status, out, err = _run([*command, *ARGUMENTS[command], "--json"], capsys)
    assert status == 0, err
    document = json.loads(out)  # the whole of stdout is one JSON document
    assert document is not None
    assert not [key for key in _keys(document) if key.startswith("_")]
    assert "Traceback" not in err


def test_json_errors_go_to_stderr_and_stdout_stays_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["approve", "--org", "sales-management", "--from", "区域经理", "--json"]
    status, out, err = _run([*argv, "--subject", "no-such-subject", "--amount", "1"], capsys)
    assert (status, out) == (1, "")
    assert err.startswith("keyaccount: error: ")


def test_approve_json_carries_the_routes_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["approve", *ARGUMENTS[("approve",)], "--json"], capsys)
    route = json.loads(out)
    assert status == 0
    assert route["chain"] == ["sales-management-manager", "marketing-director"]
    assert route["amount"] == {"amount": "30000", "currency": "CNY"}
    assert "its limit is 20000 CNY" in route["explanation"]
    assert "chart" not in route


def test_complaints_json_writes_durations_as_iso_8601(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(
        ["complaints", "status", *ARGUMENTS[("complaints", "status")], "--json"], capsys
    )
    report = json.loads(out)
    assert status == 0
    assert report["open"] == len(report["statuses"])
    target = report["statuses"][0]["sla"]["targets"][0]
    assert target["time_used"].startswith(("PT", "-PT", "P"))
    assert target["deadline"].endswith("+08:00")


def test_json_withholds_a_confidential_prospect_like_the_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(["visits", "due", *ARGUMENTS[("visits", "due")], "--json"], capsys)
    assert status == 0
    (prospect,) = [v for v in json.loads(out)["visits"] if v["due"]["customer_id"] == "p001"]
    assert prospect["customer_name"] == "(confidential prospect)"
    assert prospect["due"]["owner"] is None
    assert prospect["due"]["reason"] == "details withheld"


# ------------------------------------------------------------------ --limit


def test_limit_shortens_a_listing_and_says_how_many_were_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["visits", "due", *ARGUMENTS[("visits", "due")]]
    status, out, _ = _run([*argv, "--json"], capsys)
    everything = json.loads(out)
    assert status == 0
    assert everything["count"] > 2
    status, out, err = _run([*argv, "--json", "--limit", "2"], capsys)
    cut = json.loads(out)
    assert status == 0
    assert cut["visits"] == everything["visits"][:2]
    assert cut["count"] == everything["count"]  # the whole count is still told
    left = everything["count"] - 2
    assert f"showing 2 of {everything['count']} due visit(s); {left} left out" in err


def test_limit_on_the_text_of_a_listing(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["visits", "due", *ARGUMENTS[("visits", "due")], "--limit", "1"]
    status, out, err = _run(argv, capsys)
    assert status == 0
    header, *rows = out.splitlines()
    assert header.endswith(": 8")
    assert len(rows) == 1
    assert "left out (--limit 1)" in err


@pytest.mark.parametrize("bad", ["0", "-3", "ten", "1.5"])
def test_a_bad_limit_is_a_usage_error_on_one_line(
    bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(["org", "list", "--limit", bad], capsys)
    assert (status, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith("keyaccount: error: argument --limit:")


# ------------------------------------------------------------------ bad input, exit codes


def _complaint(complaint_id: str, year: int) -> Complaint:
    return Complaint.receive(
        complaint_id,
        at=pendulum.datetime(year, 3, 5, 9, tz="Asia/Shanghai"),
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer_id="acme",
        channel="电话",
        summary="late delivery",
    )


@pytest.fixture
def beyond_coverage(tmp_path: Path) -> str:
    """Complaints whose first is open in 2026 (printable) and second in 2035 (uncovered)."""
    path = tmp_path / "complaints.json"
    dump_complaints([_complaint("A-2026", 2026), _complaint("B-2035", 2035)], path)
    return str(path)


DUE = ["visits", "due", "--customers", CUSTOMERS, "--visits", VISITS]
STATUS = ["complaints", "status", "--complaints", COMPLAINTS]
APPROVE = ["approve", "--org", "sales-management", "--amount", "100"]

BAD_INPUTS: list[tuple[list[str], int, str]] = [
    ([*DUE, "--as-of", "next monday"], 2, "argument --as-of: as_of 'next monday' is not a date"),
    ([*DUE, "--as-of", "2026-03-02T09:00"], 2, "has no UTC offset"),
    ([*STATUS, "--as-of", "next monday"], 2, "argument --as-of"),
    ([*STATUS, "--as-of", "2026-03-02T09:00"], 2, "has no UTC offset"),
    ([*STATUS, "--as-of", "2026-02-30"], 2, "argument --as-of"),
    (["calendar", "deadline", "tomorrow", "3 days"], 2, "argument START"),
    (["calendar", "deadline", "2026-01-01", "soon"], 2, "argument PERIOD"),
    (["org", "show", "nosuch"], 1, "no reference chart or file named 'nosuch'; reference"),
    (["org", "show", "sales-managemnt"], 1, "did you mean 'sales-management'?"),
    ([*APPROVE, "--from", "区域经里", "--subject", "customer-credit"], 1, "'区域经理'"),
    ([*APPROVE, "--from", "regional-manger", "--subject", "customer-credit"], 1, "'regional-"),
    ([*APPROVE, "--from", "区域经理", "--subject", "customer-credt"], 1, "'customer-credit'"),
    ([*DUE, "--as-of", "2026-03-02", "--customer", "c01"], 2, "did you mean 'c001'"),
    ([*STATUS, "--as-of", "2026-03-02", "--customer", "acm"], 2, "did you mean 'acme'?"),
    (["complaints", "status", "--complaints", CUSTOMERS, "--as-of", "2026-03-02"], 1, "customers"),
    (["org", "show", CUSTOMERS], 1, "this looks like a customers file, not an org chart file"),
    (
        [
            *("duties", "compliance", "--org", "sales-management", "--records", CUSTOMERS),
            *("--from", "2026-10-01", "--to", "2026-10-31", "--as-of", "2026-11-01"),
        ],
        1,
        "this looks like a customers file, not a done records file",
    ),
    (["customers", "check", VISITS], 1, "this looks like a visits file, not a customers file"),
    (["calendar", "check", COMPLAINTS], 1, "a complaints file, not a year tables file"),
    (["customers", "check", "/nonexistent/customers.json"], 1, "cannot read"),
    (["customers", "check", str(DATA)], 1, "keyaccount: error:"),
    ([*DUE, "--as-of", "2026-03-02", "--policy", YEARS], 1, "a year tables file, not a visit"),
    (["calendar", "status", "--years", CUSTOMERS], 1, "a customers file, not a year tables"),
    ([*STATUS, "--as-of", "9999-12-31T23:59:59-12:00"], 2, "outside the dates that can be"),
    (["nosuch"], 2, "invalid choice: 'nosuch'"),
    (["visits", "due", "--as-of", "2026-03-02"], 2, "the following arguments are required"),
    # a mistyped path is "cannot read", not "unknown file type '(no suffix)'"
    ([*STATUS[:2], "--complaints", "nosuch", "--as-of", "2026-03-02"], 1, "nosuch: 1 problem"),
    ([*DUE, "--as-of", "2026-03-02", "--policy", "nosuch"], 1, "No such file or directory"),
    (["customers", "check", "nosuch"], 1, "cannot read: No such file or directory"),
    (["calendar", "check", "nosuch"], 1, "nosuch: cannot read: No such file"),
    (["calendar", "status", "--years", str(DATA)], 1, "cannot read: it is a folder"),
    (["org", "show", "."], 1, "no reference chart or file named '.'"),
    # swapped --from/--to and an unknown zone are the person's to correct: exit 2
    (["visits", "summary", "--visits", VISITS, "--from", "2026-03-31", "--to", "2026-01-01"],
     2, "argument --to: the range 2026-03-31 - 2026-01-01 ends before it starts"),
    (["visits", "summary", "--visits", VISITS, "--from", "2026-01-01", "--to", "2026-03-31",
      "--timezone", "Mars/Base"], 2, "argument --timezone: unknown time zone 'Mars/Base'"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "expected", "words"), BAD_INPUTS, ids=lambda v: str(v)[:40])
def test_bad_input_is_a_plain_error_never_a_traceback(
    argv: list[str], expected: int, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(argv, capsys)
    assert status == expected, err
    assert out == ""
    assert words in err
    _plain(err)
    if expected == 2:
        assert len(err.splitlines()) == 1  # a usage error is one line


def test_a_customers_file_given_as_complaints_is_named_not_listed_field_by_field(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["complaints", "status", "--complaints", CUSTOMERS, "--as-of", "2026-03-02"]
    status, out, err = _run(argv, capsys)
    assert (status, out) == (1, "")
    assert "this looks like a customers file, not a complaints file" in err
    assert "unknown field" not in err
    assert len(err.splitlines()) <= 2


def test_complaints_status_accepts_a_plain_date(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run([*STATUS, "--as-of", "2026-03-02"], capsys)
    assert status == 0
    assert "at Mon 2026-03-02 00:00" in out  # the start of that day in China


def test_an_as_of_outside_coverage_fails_before_any_output(
    beyond_coverage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["complaints", "status", "--complaints", beyond_coverage, "--as-of", "2035-03-06"]
    status, out, err = _run(argv, capsys)
    assert status == 1
    assert out == ""  # not the 2026 complaint's status, then the error
    (line,) = err.splitlines()
    assert line.startswith("keyaccount: error: 2035 is outside the years covered")
    status, out, err = _run([*argv, "--json"], capsys)
    assert (status, out) == (1, "")


def test_a_suggestion_for_an_unknown_staff_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = tmp_path / "staff.json"
    staff.write_text(
        json.dumps([{"id": "zhang", "name": "张伟", "position": "sales-representative"}]),
        encoding="utf-8",
    )
    argv = [*DUE, "--as-of", "2026-03-02", "--as", "zhnag", "--staff", str(staff)]
    status, _, err = _run([*argv, "--org", "key-account"], capsys)
    assert status == 2
    assert "no staff member 'zhnag'" in err
    assert "did you mean 'zhang'?" in err


def test_exit_status_zero_on_success_one_on_a_file_with_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["customers", "check", CUSTOMERS], capsys)[0] == 0
    records = json.loads(Path(CUSTOMERS).read_text(encoding="utf-8"))
    records.append({"id": "bad", "name": "坏", "tier": "platinum"})
    broken = tmp_path / "customers.json"
    broken.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    status, out, err = _run(["customers", "check", str(broken)], capsys)
    assert status == 1
    assert "loaded" in out  # the valid records are still reported
    assert "expected one of" in err or "tier" in err
    _plain(err)


def test_a_bug_is_one_line_with_status_70_unless_the_traceback_is_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("something keyaccount did not expect")

    monkeypatch.setattr(org_commands, "render_tree", broken)
    monkeypatch.delenv("KEYACCOUNT_TRACEBACK", raising=False)
    status, out, err = _run(["org", "show", "key-account"], capsys)
    assert (status, out) == (EXIT_INTERNAL_ERROR, "")
    (line,) = err.splitlines()
    assert line.startswith("keyaccount: internal error: RuntimeError: something keyaccount")
    monkeypatch.setenv("KEYACCOUNT_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        main(["org", "show", "key-account"])


def test_ctrl_c_is_one_line_with_status_130_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(org_commands, "render_tree", interrupted)
    status, out, err = _run(["org", "show", "key-account"], capsys)
    assert (status, out, err) == (EXIT_INTERRUPTED, "", "keyaccount: interrupted\n")
    assert EXIT_INTERRUPTED == 130


# ------------------------------------------------------------------ closed pipe


@pytest.mark.parametrize(
    "argv",
    [
        ["demo"],
        ["visits", "summary", *ARGUMENTS[("visits", "summary")]],
        ["org", "show", "dealer-crm", "--json"],
    ],
    ids=" ".join,
)
def test_a_closed_pipe_ends_quietly_with_status_141(argv: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line is written
    try:
        done = subprocess.run(
            [str(KEYACCOUNT), *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""  # no "[Errno 32] Broken pipe", no traceback
    assert done.returncode == EXIT_BROKEN_PIPE == 141


def test_piping_into_head_prints_no_broken_pipe_message() -> None:
    command = f"'{KEYACCOUNT}' org show sales-management | head -1"
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout.startswith("销售管理部")
    assert done.stderr == ""


# ------------------------------------------------------------------ kinds of file


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (CUSTOMERS, "customers"),
        (VISITS, "visits"),
        (COMPLAINTS, "complaints"),
        (YEARS, "year tables"),
        (str(ROOT / "src/keyaccount/reference/data/sales-management.toml"), "org chart"),
    ],
)
def test_each_example_file_is_recognised(path: str, kind: str) -> None:
    assert file_kind(path) == kind


def test_kinds_of_wrapped_records_and_unknown_documents() -> None:
    assert document_kind({"visits": [{"id": "v1", "customer_id": "c1", "at": "x"}]}) == "visits"
    assert document_kind({"staff": [{"id": "s", "name": "n", "position": "p"}]}) == "staff"
    assert document_kind([{"id": "x", "name": "y"}]) is None  # customers or staff: unsure
    assert document_kind([1, 2, 3]) is None
    assert document_kind("text") is None
    assert file_kind("/nonexistent.json") is None


# ------------------------------------------------------------------ progress bar


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_and_erases_itself_on_a_terminal() -> None:
    screen = FakeTerminal()
    with Progress(4, "loading", stream=screen, delay=0, ticking=False) as bar:
        for _ in range(4):
            bar.advance()
    text = screen.getvalue()
    assert "\rloading [" in text
    assert "100% 4/4" in text
    assert text.endswith("\r")  # erased: the line is blank and the cursor at its start
    assert text.rsplit("\r", 2)[-2].strip() == ""


def test_the_bar_keeps_moving_while_one_long_step_runs() -> None:
    screen = FakeTerminal()
    ticks = iter(range(1000))
    with Progress(3, "loading visits.json", stream=screen, delay=0, clock=lambda: next(ticks)):
        time.sleep(0.35)  # one long load: no step finishes, the thread redraws
    drawn = [part for part in screen.getvalue().split("\r") if part.strip()]
    assert len(drawn) >= 2
    assert all(part.startswith("loading visits.json [") for part in drawn)
    assert drawn[0] != drawn[1]  # the elapsed time moved


def test_no_progress_bar_when_stderr_is_not_a_terminal() -> None:
    log = io.StringIO()
    with Progress(4, "loading", stream=log, delay=0) as bar:
        bar.advance(4)
    assert log.getvalue() == ""


def test_no_progress_bar_for_a_quick_load() -> None:
    screen = FakeTerminal()
    with Progress(2, "loading", stream=screen, delay=60) as bar:
        bar.advance(2)
    assert screen.getvalue() == ""


def test_a_command_shows_its_progress_on_a_terminal_and_nothing_in_a_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert main([*STATUS, "--as-of", "2026-03-10"]) == 0
    drawn = screen.getvalue()
    assert "loading complaints.json [" in drawn
    assert "\r" in drawn
    out = capsys.readouterr().out
    assert "\r" not in out  # the answer is untouched
    assert "[#" not in out
    monkeypatch.undo()
    assert main([*STATUS, "--as-of", "2026-03-10"]) == 0
    assert "\r" not in capsys.readouterr().err
