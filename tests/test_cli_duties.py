"""``keyaccount duties agenda|compliance`` on the reference sales-management chart."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pendulum
import pytest

from keyaccount.cli import main
from keyaccount.duties import DoneRecord
from keyaccount.io import dumps_done_records

AGENDA = ["duties", "agenda", "--org", "sales-management"]
OCTOBER = ["--from", "2026-10-01", "--to", "2026-10-11"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_agenda_json_lists_each_duty_with_its_instants_and_convention(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(
        [*AGENDA, "--position", "销售管理部经理", *OCTOBER, "--rest-days", "7", "--json"], capsys
    )
    assert status == 0, err
    items = json.loads(out)
    assert isinstance(items, list)
    assert all({"duty", "start", "end", "convention"} <= set(item) for item in items)
    meetings = [i for i in items if i["duty"] == "每周六下午13:30~14:30召集部门人员召开周会"]
    # 3 October is in the National Day break: 顺延 to the 8th; 10 October is a Saturday
    assert [(m["start"], m["end"], m["convention"]) for m in meetings] == [
        ("2026-10-08T13:30:00+08:00", "2026-10-08T14:30:00+08:00", "following"),
        ("2026-10-10T13:30:00+08:00", "2026-10-10T14:30:00+08:00", None),
    ]
    report = next(i for i in items if i["duty"] == "每月3日前需向总监呈报月度工作报告")
    assert report["end"] == "2026-10-08T18:00:00+08:00"
    assert report["convention"] == "following"


def test_the_agenda_takes_a_position_id_and_prints_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run([*AGENDA, "--position", "sales-management-manager", *OCTOBER], capsys)
    assert status == 0
    assert out.startswith("销售管理部经理 (sales-management-manager)")
    assert "moved from 2026-10-03 by following 顺延" in out


def test_the_agenda_writes_an_ics_file_that_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "agenda.ics"
    argv = [*AGENDA, "--position", "销售管理部经理", *OCTOBER, "--rest-days", "7"]
    status, out, err = run([*argv, "--ics", str(target)], capsys)
    assert status == 0, err
    _, listed, _ = run([*argv, "--json"], capsys)
    events = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    items = json.loads(listed)
    assert len(events) == len(items)
    assert f"wrote {len(items)} event(s)" in out
    starts = sorted(e.decoded("dtstart").isoformat() for e in events)
    assert starts == sorted(i["start"] for i in items)


def test_an_unknown_position_is_a_usage_error_that_suggests_the_known_titles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run([*AGENDA, "--position", "销售管理部经里", *OCTOBER, "--json"], capsys)
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert "did you mean '销售管理部经理'" in err
    assert "known titles:" in err
    assert "区域经理" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "extra",
    [
        ["--from", "2026-10-11", "--to", "2026-10-01"],
        ["--from", "2026-13-01", "--to", "2026-10-01"],
        [*OCTOBER, "--rest-days", "8"],
        [*OCTOBER, "--json", "--ics", "x.ics"],
    ],
)
def test_bad_arguments_are_usage_errors(
    extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run([*AGENDA, "--position", "销售管理部经理", *extra], capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("keyaccount: error:")


def _records(tmp_path: Path) -> Path:
    tz = "Asia/Shanghai"
    done = [
        # October's monthly report, due by the 3rd, moved to 8 October 18:00: a day late
        DoneRecord(
            "d1",
            "sales-management-manager/monthly-report",
            "s-wang",
            pendulum.datetime(2026, 10, 9, 18, tz=tz),
        ),
        # the weekly report of Tuesday 13 October, on time
        DoneRecord(
            "d2",
            "sales-management-manager/weekly-report",
            "s-wang",
            pendulum.datetime(2026, 10, 13, 11, tz=tz),
        ),
    ]
    path = tmp_path / "done.json"
    path.write_text(dumps_done_records(done), encoding="utf-8")
    return path


def test_compliance_json_counts_on_time_late_and_missed_with_the_ids_behind_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "duties", "compliance", "--org", "sales-management", "--records", str(_records(tmp_path)),
        "--from", "2026-10-01", "--to", "2026-10-16", "--as-of", "2026-10-16T12:00:00+08:00",
        "--position", "销售管理部经理", "--kind", "report", "--rest-days", "7", "--json",
    ]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 0, err
    document = json.loads(out)
    (figures,) = document["summary"]["positions"]
    assert figures["late"] == ["sales-management-manager/monthly-report@2026-10-03"]
    assert figures["on_time"] == ["sales-management-manager/weekly-report@2026-10-13"]
    assert "sales-management-manager/weekly-report@2026-10-06" in figures["missed"]
    by_id = {row["occurrence"]["duty_id"] + "@" + row["occurrence"]["scheduled"]: row
             for row in document["occurrences"]}  # fmt: skip
    late = by_id["sales-management-manager/monthly-report@2026-10-03"]
    assert late["status"] == "done-late"


def test_compliance_text_and_a_bad_records_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    records = json.loads(_records(tmp_path).read_text(encoding="utf-8"))
    records[1]["at"] = "yesterday"
    bad.write_text(json.dumps(records), encoding="utf-8")
    argv = [
        "duties", "compliance", "--org", "sales-management", "--records", str(bad),
        "--from", "2026-10-01", "--to", "2026-10-16", "--as-of", "2026-10-16",
        "--kind", "report",
    ]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 1
    assert "$[1].at" in err
    assert "逾期完成" in out  # the valid record is still used


def test_compliance_reports_records_that_can_never_meet_an_occurrence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # regression (rev10): a record naming an unknown duty (a typo) or a day its rule
    # never names was silently passed over, and the duty it meant showed as missed
    records = json.loads(_records(tmp_path).read_text(encoding="utf-8"))
    records.append({**records[0], "id": "d3", "duty_id": "sales-management-manager/monthly-reprot"})
    records.append({**records[1], "id": "d4", "scheduled": "2026-10-14"})  # a Wednesday
    path = tmp_path / "stray.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    argv = [
        "duties", "compliance", "--org", "sales-management", "--records", str(path),
        "--from", "2026-10-01", "--to", "2026-10-16", "--as-of", "2026-10-16T12:00:00+08:00",
        "--kind", "report", "--json",
    ]  # fmt: skip
    status, out, err = run(argv, capsys)
    assert status == 1
    assert "record 'd3' names the duty 'sales-management-manager/monthly-reprot'" in err
    assert "record 'd4' names the occurrence of 2026-10-14" in err
    assert "Traceback" not in err
    rows = {row["id"]: row for row in json.loads(out)["occurrences"]}
    late = rows["sales-management-manager/monthly-report@2026-10-03"]
    # the derived fields (properties of OccurrenceCompliance) are in the CLI's JSON
    assert (late["status"], late["late_by"], late["done_by"]) == ("done-late", "P1D", "s-wang")


def test_a_range_needing_an_unpublished_year_names_provisional_and_works_with_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The weekly spot-check of 28 December 2026 is due on Friday 1 January 2027, a year
    # whose holidays are not in the statutory tables: refused, with the way out named.
    year_end = ["--position", "销售管理部经理", "--from", "2026-12-28", "--to", "2026-12-31"]
    status, out, err = run([*AGENDA, *year_end, "--json"], capsys)
    assert (status, out) == (1, "")
    assert "--provisional" in err
    assert "2027" in err
    status, out, err = run([*AGENDA, *year_end, "--json", "--provisional"], capsys)
    assert status == 0, err
    assert "provisional result" in err
    assert any(item["end"].startswith("2027-01-") for item in json.loads(out))
    status, _, err = run([*AGENDA, *year_end, "--calendar", "mon-fri", "--provisional"], capsys)
    assert status == 2
    assert "--provisional" in err
