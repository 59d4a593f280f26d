"""Schedules in chart files and done-record files (issue 10): round trips, located errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import keyaccount.io as kio
from keyaccount import reference
from keyaccount.duties import DoneRecord
from keyaccount.errors import DataFileError
from keyaccount.testing import done_records

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "data"


@settings(max_examples=50)
@given(
    st.lists(done_records(), max_size=5, unique_by=lambda r: r.id),
    st.sampled_from(["json", "toml"]),
)
def test_done_records_come_back_equal_after_dump_and_load(
    records: list[DoneRecord], fmt: str
) -> None:
    text = kio.dumps_done_records(records, fmt)  # type: ignore[arg-type]
    assert kio.loads_done_records(text, fmt).strict() == tuple(records)  # type: ignore[arg-type]


def test_the_example_done_records_load(tmp_path: Path) -> None:
    result = kio.load_done_records(EXAMPLES / "done-records.json")
    assert result.ok
    assert len(result.items) == 11
    copy = tmp_path / "done.toml"
    kio.dump_done_records(result.items, copy)
    assert kio.load_done_records(copy).strict() == result.items


def test_a_bad_done_record_is_reported_at_its_path_and_the_others_kept() -> None:
    data = json.loads((EXAMPLES / "done-records.json").read_text("utf-8"))
    data[1]["at"] = "2026-10-09"
    data[2]["by"] = 7
    data[4]["id"] = data[3]["id"]
    result = kio.loads_done_records(json.dumps(data), "json", source="done.json")
    paths = sorted(p.path for p in result.problems)
    assert paths == ["$[1].at", "$[2].by", "$[4].id"]
    assert len(result.items) == len(data) - 3
    with pytest.raises(DataFileError, match=r"done\.json"):
        result.strict()


def test_the_reference_schedules_survive_a_chart_round_trip() -> None:
    chart = reference.load("sales-management")
    manager = chart.position("sales-management-manager")
    assert len(manager.schedule) == 20
    for fmt in ("toml", "json"):
        assert kio.loads_org(kio.dumps_org(chart, fmt), fmt) == chart
    text = kio.dumps_org(chart, "toml")
    assert 'recurrence = "FREQ=MONTHLY;BYMONTHDAY=3;X-DUE-BY=TRUE"' in text


def test_an_unreadable_recurrence_in_a_chart_is_a_located_problem() -> None:
    chart = reference.load("sales-management")
    data = json.loads(kio.dumps_org(chart, "json"))
    manager = next(
        i for i, p in enumerate(data["positions"]) if p["id"] == "sales-management-manager"
    )
    data["positions"][manager]["schedule"][3]["recurrence"] = "FREQ=WEEKLY;BYDAY=XX"
    data["positions"][manager]["schedule"][5]["recurrence"] = 12
    with pytest.raises(DataFileError) as caught:
        kio.loads_org(json.dumps(data), "json", source="chart.json")
    problems = {p.path: p.message for p in caught.value.problems}
    assert set(problems) == {
        f"$.positions[{manager}].schedule[3].recurrence",
        f"$.positions[{manager}].schedule[5].recurrence",
    }
    assert "FREQ=WEEKLY;BYDAY=XX" in problems[f"$.positions[{manager}].schedule[3].recurrence"]


def test_the_schema_of_a_chart_describes_schedules_and_done_records() -> None:
    schema = kio.json_schema()
    item = schema["$defs"]["ScheduleItem"]
    assert item["properties"]["recurrence"]["type"] == "string"
    assert set(item["required"]) == {"id", "duty", "seed", "kind", "recurrence"}
    done = kio.json_schema(DoneRecord)
    assert set(done["$defs"]["DoneRecord"]["required"]) == {"id", "duty_id", "by", "at"}
    pattern = re.compile(item["properties"]["recurrence"]["pattern"])
    for position in reference.load("sales-management"):
        for scheduled in position.schedule:
            assert pattern.match(str(scheduled.recurrence))


def test_two_schedule_items_of_a_position_with_one_id_are_a_located_error() -> None:
    # regression (rev10): the chart loaded, and the duplicate only surfaced later as an
    # unlocated DuplicateIdError from `occurrences` ("two duties have the id ...")
    text = reference.text("sales-management").replace(
        'id = "weekly-meeting"', 'id = "approve-reports"'
    )
    with pytest.raises(DataFileError) as caught:
        kio.loads_org(text, "toml")
    assert "two schedule items have the id 'approve-reports' @ $.positions[1]" in str(caught.value)
