"""A file's invalid enum value is refused with every valid wire value listed, at its path."""

from __future__ import annotations

import json

import pytest

from keyaccount import Channel, Outcome, Tier
from keyaccount.errors import DataFileError
from keyaccount.io import loads_complaints, loads_customers, loads_visits


def visit(**fields: object) -> dict[str, object]:
    return {
        "id": "v1",
        "customer_id": "c001",
        "at": "2026-03-02T10:00:00+08:00",
        "by": "zhang",
        "outcome": "satisfied",
        **fields,
    }


def test_a_guessed_outcome_lists_every_valid_outcome() -> None:
    # the case: "unreached" dropped 517 records until the right word was found
    result = loads_visits(json.dumps([visit(outcome="unreached"), visit(id="v2")]))
    assert [r.id for r in result.items] == ["v2"]  # the valid record is kept
    (problem,) = result.problems
    assert problem.path == "$[0].outcome"
    assert problem.message == (
        "not a valid outcome: 'unreached'; expected one of: "
        "satisfied, neutral, unsatisfied, not-reached"
    )
    assert all(o.value in problem.message for o in Outcome)


def test_a_chinese_label_is_refused_with_the_wire_values() -> None:
    (problem,) = loads_visits(json.dumps([visit(channel="上门")])).problems
    assert problem.message.endswith("expected one of: " + ", ".join(c.value for c in Channel))
    assert "on-site" in problem.message


def test_a_confidential_field_lists_the_values_without_quoting_the_bad_one() -> None:
    text = json.dumps([{"id": "c1", "name": "某某公司", "tier": "platinum-secret"}])
    (problem,) = loads_customers(text).problems
    assert "platinum-secret" not in problem.message
    assert problem.message.endswith("expected one of: " + ", ".join(t.value for t in Tier))


def test_the_strict_error_of_a_complaint_file_names_the_valid_kinds() -> None:
    event = {
        "type": "received",
        "at": "2026-03-02T10:00:00+08:00",
        "kind": "complain",
        "severity": "normal",
        "customer_id": "acme",
        "channel": "电话",
        "summary": "late",
    }
    with pytest.raises(DataFileError) as caught:
        loads_complaints(json.dumps([{"id": "C-1", "events": [event]}])).strict()
    assert "expected one of: complaint, inquiry, suggestion, query @ $[0].events[0].kind" in str(
        caught.value
    )
