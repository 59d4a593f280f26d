"""``keyaccount complaints status`` and the demo section."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from keyaccount import (
    Complaint,
    ComplaintPolicy,
    RequestKind,
    Severity,
)
from keyaccount.cli import main
from keyaccount.cli.complaints import demo_section
from keyaccount.io import dump_complaint_policy, dump_complaints


def friday_complaint() -> Complaint:
    return Complaint.receive(
        "TS-1",
        at=pendulum.datetime(2026, 2, 13, 17, 30, tz="Asia/Shanghai"),
        kind=RequestKind.COMPLAINT,
        severity=Severity.MAJOR,
        customer_id="acme",
        channel="电话",
        summary="s",
    )


def test_status_prints_targets_deadlines_and_escalations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "complaints.json"
    dump_complaints([friday_complaint()], path)
    status = main(
        ["complaints", "status", "--complaints", str(path), "--as-of", "2026-02-14T09:00+08:00"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "1 open complaint(s) of 1" in out
    # a major complaint: 1 working hour from Fri 17:30 is Sat 09:30 (a 调休 working day)
    assert "due Sat 2026-02-14 09:30" in out
    assert "NEARING BREACH" in out
    assert "TS-1 -> crm-director with 一汽-大众: major (重大投诉)" in out


def test_status_reports_malformed_complaints_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "complaints.json"
    dump_complaints([friday_complaint()], path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data.append({"id": "bad", "events": [{"type": "received", "at": "soon"}]})
    path.write_text(json.dumps(data), encoding="utf-8")
    status = main(
        ["complaints", "status", "--complaints", str(path), "--as-of", "2026-02-24T09:00+08:00"]
    )
    captured = capsys.readouterr()
    assert status == 1
    assert "$[1].events[0].at" in captured.err
    assert "BREACHED" in captured.out


def test_status_uses_a_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    complaints = tmp_path / "complaints.json"
    dump_complaints([friday_complaint()], complaints)
    policy = tmp_path / "policy.toml"
    dump_complaint_policy(ComplaintPolicy.default(), policy)
    status = main(
        [
            "complaints",
            "status",
            "--complaints",
            str(complaints),
            "--as-of",
            "2026-02-14T09:00+08:00",
            "--policy",
            str(policy),
        ]
    )
    assert status == 0
    assert "policy seed-default" in capsys.readouterr().out


def test_a_plain_date_means_the_start_of_that_day_in_china(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "complaints.json"
    dump_complaints([friday_complaint()], path)
    status = main(["complaints", "status", "--complaints", str(path), "--as-of", "2026-02-14"])
    assert status == 0
    assert "at Sat 2026-02-14 00:00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("as_of", "words"), [("2026-02-14T09:00", "UTC offset"), ("tomorrow", "not a date")]
)
def test_a_bad_as_of_is_a_usage_error_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str, words: str
) -> None:
    path = tmp_path / "complaints.json"
    dump_complaints([friday_complaint()], path)
    status = main(["complaints", "status", "--complaints", str(path), "--as-of", as_of])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("keyaccount: error: argument --as-of:")
    assert words in line


def test_the_demo_section_tells_the_closed_loop_story(capsys: pytest.CaptureFixture[str]) -> None:
    demo_section()
    out = capsys.readouterr().out
    assert "调休" in out
    assert "before its follow-up is refused" in out
    assert "apology due: False" in out
