"""Complaint and complaint-policy files: round trips and path-precise errors."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import Complaint, ComplaintPolicy, Fault, Money, RequestKind, Severity
from keyaccount.errors import DataFileError, DataProblem
from keyaccount.io import (
    dump_complaint_policy,
    dump_complaints,
    dumps_complaint_policy,
    dumps_complaints,
    load_complaint_policy,
    load_complaints,
    loads_complaint_policy,
    loads_complaints,
)
from keyaccount.testing import complaint_histories, complaint_policies


def sh(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, minute, tz="Asia/Shanghai")


def sample(cid: str) -> Complaint:
    return (
        Complaint.receive(
            cid,
            at=sh(2, 9),
            kind=RequestKind.COMPLAINT,
            severity=Severity.MAJOR,
            customer_id="华北物流",
            channel="电话",
            summary="gearbox",
        )
        .accept(by="cs", at=sh(2, 9, 10))
        .escalate(to="crm-director", reason="重大投诉", at=sh(2, 9, 20), outside_party="一汽-大众")
        .resolve(
            resolution="replaced",
            fault=Fault.NOT_OURS,
            root_cause="misuse",
            claim_amount=Money("12000.50"),
            at=sh(3, 15),
        )
    )


def test_complaints_round_trip_through_json(tmp_path: Path) -> None:
    complaints = [sample("C-1"), sample("C-2")]
    path = tmp_path / "complaints.json"
    dump_complaints(complaints, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data[0]["events"][0]["type"] == "received"
    assert data[0]["events"][3]["claim_amount"] == {"amount": "12000.50", "currency": "CNY"}
    assert "outside_party" not in data[0]["events"][1]
    loaded = load_complaints(path)
    assert (loaded.items, loaded.problems) == (tuple(complaints), ())
    assert loaded.ok
    assert load_complaints(path).strict() == tuple(complaints)


def test_a_malformed_complaint_is_reported_with_its_path_and_the_valid_ones_kept() -> None:
    data = json.loads(dumps_complaints([sample("C-1"), sample("C-2"), sample("C-3")]))
    data[2]["events"][3]["at"] = "next Tuesday"
    data[1]["events"][3]["claim_amount"]["amount"] = 12000.5
    loaded = loads_complaints(json.dumps(data))
    complaints, problems = loaded.items, loaded.problems
    assert [c.id for c in complaints] == ["C-1"]
    assert [p.path for p in problems] == [
        "$[1].events[3].claim_amount.amount",
        "$[2].events[3].at",
    ]
    assert "float" in problems[0].message


def test_an_illegal_event_is_reported_at_that_event() -> None:
    data = json.loads(dumps_complaints([sample("C-1")]))
    data[0]["events"].append({"type": "closed", "at": "2026-03-04T09:00:00+08:00", "by": "x"})
    problems = loads_complaints(json.dumps(data)).problems
    (problem,) = problems
    assert problem.path == "$[0].events[4]"
    assert "follow-up" in problem.message
    with pytest.raises(DataFileError, match=r"@ \$\[0\]\.events\[4\]"):
        loads_complaints(json.dumps(data), source="complaints.json").strict()


def test_unknown_event_types_fields_and_duplicate_ids_are_reported() -> None:
    data = json.loads(dumps_complaints([sample("C-1"), sample("C-1")]))
    data[0]["events"][1]["type"] = "accpeted"
    data[0]["colour"] = "red"
    data[1]["events"][2]["extra"] = 1
    loaded = loads_complaints(json.dumps(data))
    complaints, problems = loaded.items, loaded.problems
    assert complaints == ()
    paths = [p.path for p in problems]
    assert "$[0].colour" in paths
    assert "$[0].events[1].type" in paths
    assert any(p.startswith("$[1].events[2]") for p in paths)
    data = json.loads(dumps_complaints([sample("C-1"), sample("C-1")]))
    problems = loads_complaints(json.dumps(data)).problems
    assert problems == (DataProblem("$[1].id", "complaint id 'C-1' is already used by $[0]"),)


def test_a_naive_timestamp_is_refused_with_its_path() -> None:
    data = json.loads(dumps_complaints([sample("C-1")]))
    data[0]["events"][0]["at"] = "2026-03-02T09:00:00"
    problems = loads_complaints(json.dumps(data)).problems
    assert problems[0].path == "$[0].events[0].at"
    assert "UTC offset" in problems[0].message


def test_the_default_policy_round_trips_through_toml_and_json(tmp_path: Path) -> None:
    policy = ComplaintPolicy.default()
    text = dumps_complaint_policy(policy)
    assert 'within = "4 working hours"' in text
    assert loads_complaint_policy(text) == policy
    path = tmp_path / "policy.json"
    dump_complaint_policy(policy, path)
    assert load_complaint_policy(path) == policy


def test_a_bad_period_in_a_policy_file_is_reported_with_its_path() -> None:
    text = dumps_complaint_policy(ComplaintPolicy.default()).replace(
        'within = "16 working hours"', 'within = "16 hrs"', 1
    )
    with pytest.raises(DataFileError) as error:
        loads_complaint_policy(text, source="policy.toml")
    assert error.value.problems[0].path == "$.rules[0].resolution.within"


@given(st.lists(complaint_histories(), max_size=4))
def test_dump_then_load_gives_back_equal_complaints(complaints: list[Complaint]) -> None:
    unique = list({c.id: c for c in complaints}.values())
    text = dumps_complaints(unique)
    loaded = loads_complaints(text)
    assert loaded.problems == ()
    # a file keeps each instant's zone name and, in a repeated hour, which of the two
    # readings it was (RFC 9557), so the complaints come back equal
    assert loaded.items == tuple(unique)
    assert dumps_complaints(loaded.items) == text


@given(complaint_policies(), st.sampled_from(["toml", "json"]))
def test_dump_then_load_gives_back_an_equal_policy(policy: ComplaintPolicy, fmt: str) -> None:
    assert fmt in ("toml", "json")
    text = dumps_complaint_policy(policy, "toml" if fmt == "toml" else "json")
    assert loads_complaint_policy(text, "toml" if fmt == "toml" else "json") == policy
