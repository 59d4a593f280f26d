"""`keyaccount batch sla|overdue-visits`: tables from Parquet or CSV, answers equal to the
table rules, errors as one line and an exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pcsv = pytest.importorskip("pyarrow.csv")

from keyaccount.batch.complaints import events_table, sla_table  # noqa: E402
from keyaccount.batch.visits import (  # noqa: E402
    customers_table,
    overdue_visits_table,
    visit_records_table,
)
from keyaccount.calendar import WorkCalendar  # noqa: E402
from keyaccount.cli import main  # noqa: E402
from keyaccount.complaints import Complaint, ComplaintPolicy, RequestKind, Severity  # noqa: E402
from keyaccount.customers import Customer, Spend, Tier  # noqa: E402
from keyaccount.money import Money  # noqa: E402
from keyaccount.visits import Outcome, VisitPolicy, VisitRecord  # noqa: E402

TZ = "Asia/Shanghai"
AT = pendulum.datetime(2026, 3, 2, 10, tz=TZ)


def _complaints() -> list[Complaint]:
    first = (
        Complaint.receive(
            "C-1",
            at=AT,
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer_id="acme",
            channel="电话",
            summary="late",
        )
        .accept(by="cs", at=AT.add(hours=1))
        .pause(at=AT.add(hours=2))
    )
    second = Complaint.receive(
        "C-2",
        at=AT.add(days=1),
        kind=RequestKind.INQUIRY,
        severity=Severity.URGENT,
        customer_id="acme",
        channel="电话",
        summary="late",
    )
    return [first, second]


@pytest.fixture
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.parquet"
    pq.write_table(events_table(_complaints(), zone=TZ), path)
    return path


def test_sla_prints_one_json_document_equal_to_the_table_rule(
    events: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["batch", "sla", str(events), "--as-of", "2026-03-10", "--json"])
    out = capsys.readouterr().out
    assert status == 0
    rows = json.loads(out)
    expected = sla_table(
        events_table(_complaints(), zone=TZ),
        ComplaintPolicy.default(),
        WorkCalendar.china(),
        as_of=pendulum.datetime(2026, 3, 10, tz=TZ),
    )
    assert [r["complaint_id"] for r in rows] == expected.column("complaint_id").to_pylist()
    assert [r["state"] for r in rows] == expected.column("state").to_pylist()
    assert rows[0]["deadline"] == "2026-03-02T07:00:00+00:00"  # 4 working hours, lunch out
    assert rows[0]["time_used"] == "PT1H"


def test_sla_writes_parquet_and_limits_what_it_prints(
    events: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "sla.parquet"
    status = main(
        [
            "batch",
            "sla",
            str(events),
            "--as-of",
            "2026-03-10",
            "--out",
            str(out_path),
            "--limit",
            "1",
        ]
    )
    captured = capsys.readouterr()
    assert status == 0
    written = pq.read_table(out_path)
    assert written.num_rows == 4  # C-1: acceptance, resolution; C-2: acceptance, resolution
    assert "showing 1 of 4 target(s); 3 left out (--limit 1)" in captured.err
    assert captured.out.count("complaint_id=") == 1
    assert f"written to {out_path}" in captured.out


def test_sla_reads_csv_with_offsets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "complaint_id,type,at,kind,severity,outcome\n"
        "C-1,received,2026-03-02T10:00:00+08:00,complaint,normal,\n"
        "C-1,accepted,2026-03-02T11:00:00+08:00,,,\n",
        encoding="utf-8",
    )
    assert main(["batch", "sla", str(path), "--as-of", "2026-03-10", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["target"], r["state"]) for r in rows] == [
        ("acceptance", "met"),
        ("resolution", "breached"),
    ]


def test_bad_tables_are_one_line_errors_with_the_column_and_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "complaint_id,type,at,kind,severity\n"
        "C-1,received,2026-03-02T10:00:00+08:00,complaint,normal\n"
        "C-1,archived,2026-03-02T11:00:00+08:00,,\n",
        encoding="utf-8",
    )
    assert main(["batch", "sla", str(path), "--as-of", "2026-03-10"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "'type' at row 1 holds 'archived'" in captured.err
    assert "Traceback" not in captured.err


def test_naive_csv_instants_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "complaint_id,type,at,kind,severity\nC-1,received,2026-03-02T10:00:00,complaint,normal\n",
        encoding="utf-8",
    )
    assert main(["batch", "sla", str(path), "--as-of", "2026-03-10"]) == 1
    assert "naive timestamps" in capsys.readouterr().err


def test_usage_errors_exit_2(events: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", "sla", str(events), "--as-of", "next monday"]) == 2
    assert main(["batch", "sla", str(events.with_suffix(".xlsx")), "--as-of", "2026-03-10"]) == 2
    err = capsys.readouterr().err
    assert "--as-of" in err
    assert ".parquet or .csv" in err


def test_overdue_visits_from_parquet_equal_the_table_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = [
        Customer(
            "c1",
            "甲",
            tier=Tier.KEY_ACCOUNT,
            owner="s1",
            assigned_at=AT,
            spend=(Spend(AT.add(days=1), Money("100.00", "CNY")),),
        ),
        Customer("c2", "乙", owner="s2", assigned_at=AT.add(days=20)),
    ]
    records = [VisitRecord("v1", "c2", AT.add(days=21), by="s2", outcome=Outcome.NOT_REACHED)]
    customers_path, visits_path = tmp_path / "c.parquet", tmp_path / "v.parquet"
    pq.write_table(customers_table(book), customers_path)
    pq.write_table(visit_records_table(records), visits_path)
    status = main(
        [
            "batch",
            "overdue-visits",
            str(customers_path),
            str(visits_path),
            "--as-of",
            "2026-04-10",
            "--json",
        ]
    )
    assert status == 0
    rows = json.loads(capsys.readouterr().out)
    expected = overdue_visits_table(
        customers_table(book),
        visit_records_table(records),
        VisitPolicy(),
        WorkCalendar.china(),
        as_of=pendulum.datetime(2026, 4, 10, tz=TZ),
    )
    assert [(r["customer_id"], r["rule"]) for r in rows] == list(
        zip(
            expected.column("customer_id").to_pylist(),
            expected.column("rule").to_pylist(),
            strict=True,
        )
    )
    assert ("c1", "first-contact") in [(r["customer_id"], r["rule"]) for r in rows]
    assert ("c1", "return-visit") in [(r["customer_id"], r["rule"]) for r in rows]
    assert ("c2", "first-contact") in [(r["customer_id"], r["rule"]) for r in rows]


def test_unreadable_csv_errors_never_show_the_file_s_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pyarrow quotes the bad row; a confidential prospect's name must not reach stderr."""
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "id,name,status,tier,owner\nc1,Acme,prospect,vip,alice\nc2,Secret Prospect Ltd,prospect\n",
        encoding="utf-8",
    )
    visits = tmp_path / "visits.csv"
    visits.write_text("customer_id,at,kind\n", encoding="utf-8")
    code = main(["batch", "overdue-visits", str(customers), str(visits), "--as-of", "2026-03-10"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "Expected 5 columns, got 3" in captured.err
    assert "Secret Prospect" not in captured.err
    assert "Traceback" not in captured.err
