"""Org chart files: every problem of a bad file reported at once, and the JSON Schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs shipped

import keyaccount
from keyaccount import KeyAccountError, OrgChart, reference
from keyaccount.errors import DataFileError
from keyaccount.io import dump_org, json_schema, load_org, loads_org, unstructure

#: One file with six different mistakes; each comment says which.
BAD_ORG = """
name = "bad"
title = "坏的组织"
title_en = "A bad chart"

[[positions]]
id = "director"
title = "营销总监"
title_en = "Marketing director"
department = "sales"

[[positions]]
id = "manager"
title = "销售管理部经理"
title_en = "Sales management manager"
department = "sales"
superior = "nobody"            # a superior that is not in the file
colour = "blue"                # an unknown field

[[positions]]
id = "regional"
title = "区域经理"
title_en = "Regional manager"
department = "sales"
superior = "manager"

[[positions.authorities]]
kind = "approve"
subject = "customer-credit"
limit = { amount = 20000.5, currency = "CNY" }   # a float where money is meant

[[positions.authorities]]
kind = "rubber-stamp"          # an unknown authority kind
subject = "customer-credit"

[[positions]]
id = "director"                # a duplicate id
title = "营销总监"
title_en = "Marketing director again"
department = "sales"

[positions.job]
kpis = "合同额"                 # a string where a list is expected
"""


def _problems(error: DataFileError) -> dict[str, str]:
    return {problem.path: problem.message for problem in error.problems}


def test_a_bad_file_reports_every_problem_in_one_error_with_its_path(tmp_path: Path) -> None:
    file = tmp_path / "bad.toml"
    file.write_text(BAD_ORG, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_org(file)
    error = caught.value
    assert isinstance(error, KeyAccountError)
    assert isinstance(error, ValueError)
    assert error.source == str(file)
    problems = _problems(error)
    assert set(problems) == {
        "$.positions[2].authorities[0].limit.amount",
        "$.positions[1]",
        "$.positions[2].authorities[1].kind",
        "$.positions[1].superior",
        "$.positions[3].job.kpis",
        "$.positions[3].id",
    }
    assert len(error.problems) == 6
    assert "float" in problems["$.positions[2].authorities[0].limit.amount"]
    assert "colour" in problems["$.positions[1]"]
    assert "rubber-stamp" in problems["$.positions[2].authorities[1].kind"]
    assert "nobody" in problems["$.positions[1].superior"]
    assert "list" in problems["$.positions[3].job.kpis"]
    assert "$.positions[0]" in problems["$.positions[3].id"]
    # The message lists them all, one per line, each with its path.
    text = str(error)
    assert text.startswith(f"{file}: 6 problems")
    assert "@ $.positions[2].authorities[0].limit.amount" in text


def test_a_file_whose_only_mistake_is_a_duplicate_id_reports_it_once_with_its_path() -> None:
    text = reference.text("sales-management") + (
        '\n[[positions]]\nid = "regional-manager"\ntitle = "区域经理"\n'
        'title_en = "Regional manager"\ndepartment = "sales-management"\n'
        'superior = "sales-management-manager"\n'
    )
    with pytest.raises(DataFileError) as caught:
        loads_org(text)
    assert [p.path for p in caught.value.problems] == ["$.positions[6].id"]


def test_a_json_file_with_invalid_syntax_is_a_data_file_error(tmp_path: Path) -> None:
    file = tmp_path / "broken.json"
    file.write_text("{", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid JSON"):
        load_org(file)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_reference_chart_written_to_a_file_loads_back_equal(tmp_path: Path, suffix: str) -> None:
    chart = reference.load("key-account")
    file = tmp_path / f"key-account{suffix}"
    dump_org(chart, file)
    assert load_org(file) == chart


# --------------------------------------------------------------------------- JSON Schema


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json_schema(OrgChart)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_org_chart_schema_is_valid_draft_2020_12() -> None:
    schema = json_schema(OrgChart)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["$defs"]) >= {"OrgChart", "Position", "Authority", "Duty"}


@pytest.mark.parametrize("name", reference.names())
def test_every_reference_chart_validates_against_the_schema(
    validator: Draft202012Validator, name: str
) -> None:
    document = json.loads(json.dumps(unstructure(reference.load(name))))
    errors = list(validator.iter_errors(document))
    assert errors == []


def _sales_document() -> dict[str, Any]:
    document: dict[str, Any] = unstructure(reference.load("sales-management"))
    return copy.deepcopy(document)


def test_the_schema_refuses_a_float_amount(validator: Draft202012Validator) -> None:
    document = _sales_document()
    manager = document["positions"][1]
    credit = next(a for a in manager["authorities"] if "limit" in a)
    credit["limit"]["amount"] = 20000.5
    errors = list(validator.iter_errors(document))
    assert errors
    assert any(list(e.absolute_path)[-1] == "amount" for e in errors)
    with pytest.raises(DataFileError, match="float"):
        loads_org(json.dumps(document), "json")


def test_the_schema_refuses_an_unknown_field(validator: Draft202012Validator) -> None:
    document = _sales_document()
    document["positions"][0]["colour"] = "blue"
    assert not validator.is_valid(document)
    with pytest.raises(DataFileError, match="colour"):
        loads_org(json.dumps(document), "json")


def test_the_schema_refuses_an_unknown_authority_kind(validator: Draft202012Validator) -> None:
    document = _sales_document()
    document["positions"][0]["authorities"][0]["kind"] = "rubber-stamp"
    assert not validator.is_valid(document)


def test_text_where_an_object_is_expected_is_reported_as_such_with_its_path() -> None:
    document = """
name = "x"
title = "测试部"
title_en = "Test"
[[positions]]
id = "a"
title = "经理"
title_en = "Manager"
department = "d"
[[positions.authorities]]
kind = "approve"
subject = "customer-credit"
limit = "20000"
"""
    with pytest.raises(DataFileError) as caught:
        loads_org(document, "toml")

    (problem,) = caught.value.problems
    assert problem.path == "$.positions[0].authorities[0].limit"
    assert "expected an object" in problem.message
    assert "Money" in problem.message


@pytest.mark.parametrize(
    "cls",
    [
        keyaccount.OrgChart,
        keyaccount.Customer,
        keyaccount.VisitRecord,
        keyaccount.VisitPolicy,
        keyaccount.Complaint,
        keyaccount.ComplaintPolicy,
        keyaccount.Delegation,
    ],
)
def test_every_file_format_has_a_valid_json_schema(cls: type[object]) -> None:
    schema = json_schema(cls)

    Draft202012Validator.check_schema(schema)
    assert schema["$ref"] == f"#/$defs/{cls.__name__}"


def test_json_schema_without_a_type_describes_org_chart_files() -> None:
    assert json_schema() == json_schema(OrgChart)
    assert json_schema()["$ref"] == "#/$defs/OrgChart"
