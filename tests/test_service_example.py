"""The service example (examples/service/app.py), tested as shipped with FastAPI's test client.

Each endpoint answers the library's result as `to_jsonable` writes it; bad input answers
4xx with the library's located problems, never 500; the OpenAPI document carries the
library's JSON Schemas, and every answer validates against the schema it declares.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.exceptions import StarletteDeprecationWarning

from keyaccount import ComplaintPolicy, WorkCalendar, deadline, parse_period, sla_status
from keyaccount.io import json_schema, load_complaints, parse_instant, result_schema

with warnings.catch_warnings():  # starlette asks for httpx2, which the dev environment lacks
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
APP_FILE = ROOT / "examples" / "service" / "app.py"
DATA = ROOT / "examples" / "data"


def load_service() -> ModuleType:
    """The example's module, imported from its file as a user would run it."""
    spec = importlib.util.spec_from_file_location("keyaccount_service_example", APP_FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs and typing resolve the module's annotations
    spec.loader.exec_module(module)
    return module


SERVICE = load_service()
CLIENT = TestClient(SERVICE.app, raise_server_exceptions=False)  # a crash shows as a 500


def post(path: str, body: object) -> Any:
    return CLIENT.post(path, content=json.dumps(body, ensure_ascii=False).encode())


def openapi() -> dict[str, Any]:
    document: dict[str, Any] = CLIENT.get("/openapi.json").json()
    return document


def answer_schema(path: str, status: str = "200") -> dict[str, Any]:
    """The response schema the OpenAPI document declares, resolvable on its own."""
    document = openapi()
    content = document["paths"][path]["post"]["responses"][status]["content"]
    return {**content["application/json"]["schema"], "components": document["components"]}


def request_schema(path: str) -> dict[str, Any]:
    document = openapi()
    content = document["paths"][path]["post"]["requestBody"]["content"]
    return {**content["application/json"]["schema"], "components": document["components"]}


def assert_matches(data: object, schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema).validate(data)


CUSTOMERS = json.loads((DATA / "customers.json").read_text("utf-8"))
VISITS = json.loads((DATA / "visits.json").read_text("utf-8"))
COMPLAINTS = json.loads((DATA / "complaints.json").read_text("utf-8"))


# --------------------------------------------------------------------------- happy paths


def test_deadline_answers_the_librarys_deadline() -> None:
    body = {"start": "2026-09-30T17:00:00+08:00", "period": "3 workdays"}
    response = post("/deadline", body)
    assert response.status_code == 200
    expected = deadline(
        parse_instant(body["start"]), parse_period(body["period"]), WorkCalendar.china()
    )
    assert response.json()["at"] == expected.at.isoformat()
    assert response.json()["period"] == "3 workdays"
    assert_matches(response.json(), answer_schema("/deadline"))
    assert_matches(body, request_schema("/deadline"))


def test_approval_route_answers_the_approver_and_its_explanation() -> None:
    body = {
        "chart": "sales-management",
        "requester": "regional-manager",
        "subject": "customer-credit",
        "amount": {"amount": "20000.01", "currency": "CNY"},
    }
    response = post("/approval-route", body)
    assert response.status_code == 200
    data = response.json()
    assert data["chain"][-1] == "marketing-director"
    assert "marketing-director: approves under" in data["explanation"]
    assert "chart" not in data
    assert_matches(data, answer_schema("/approval-route"))
    assert_matches(body, request_schema("/approval-route"))


def test_due_visits_answers_each_due_visit_with_its_owner_and_deadline() -> None:
    body = {"customers": CUSTOMERS, "visits": VISITS, "as_of": "2026-03-02"}
    response = post("/visits/due", body)
    assert response.status_code == 200
    due = response.json()
    assert due
    assert {"customer_id", "rule", "deadline", "reason", "owner"} <= set(due[0])
    assert all(d["deadline"]["at"].endswith("+08:00") for d in due)
    assert_matches(due, answer_schema("/visits/due"))
    assert_matches(body, request_schema("/visits/due"))


def test_complaints_sla_answers_iso_durations_for_each_complaint() -> None:
    body = {"complaints": COMPLAINTS, "as_of": "2026-03-02T10:00:00+08:00"}
    response = post("/complaints/sla", body)
    assert response.status_code == 200
    statuses = response.json()
    assert [s["complaint_id"] for s in statuses] == [c["id"] for c in COMPLAINTS]
    complaints = load_complaints(DATA / "complaints.json").strict()
    as_of = parse_instant(body["as_of"])
    first = sla_status(complaints[0], ComplaintPolicy.default(), WorkCalendar.china(), as_of)
    assert statuses[0]["targets"][0]["time_used"] == "PT20M"  # accepted 20 minutes after
    assert len(statuses[0]["targets"]) == len(first.targets)
    assert_matches(statuses, answer_schema("/complaints/sla"))
    assert_matches(body, request_schema("/complaints/sla"))


# --------------------------------------------------------------------------- bad input


def test_a_guessed_outcome_answers_422_with_the_located_problem_and_the_valid_words() -> None:
    visits = [dict(VISITS[0], outcome="unreached"), *VISITS[1:]]
    response = post(
        "/visits/due", {"customers": CUSTOMERS, "visits": visits, "as_of": "2026-03-02"}
    )
    assert response.status_code == 422
    (problem,) = response.json()["problems"]
    assert problem == {
        "path": "$.visits[0].outcome",
        "message": "not a valid outcome: 'unreached'; expected one of: "
        "satisfied, neutral, unsatisfied, not-reached",
    }
    assert "@ $.visits[0].outcome" in response.json()["error"]
    assert_matches(response.json(), answer_schema("/visits/due", "422"))


@pytest.mark.parametrize(
    ("path", "body", "located"),
    [
        ("/deadline", {"start": "2026-09-30T17:00:00", "period": "3 workdays"}, "$.start"),
        ("/deadline", {"start": "2026-09-30T17:00:00+08:00", "period": "3 weekdays"}, "$.period"),
        ("/deadline", {"start": "2026-09-30T17:00:00+08:00"}, "$.period"),
        ("/deadline", {"start": 1, "period": "1 day", "extra": 1}, "$.start"),
        ("/deadline", {"start": "2026-09-30T17:00:00+08:00", "period": "1 day", "x": 1}, "$"),
        (
            "/approval-route",
            {"chart": "nosuch", "requester": "x", "subject": "s", "amount": {"amount": "1"}},
            "$.chart",
        ),
        (
            "/approval-route",
            {
                "chart": "sales-management",
                "requester": "regional-manager",
                "subject": "customer-credit",
                "amount": {"amount": 20000.5},
            },
            "$.amount.amount",
        ),
        ("/visits/due", {"customers": [], "visits": [], "as_of": "next monday"}, "$.as_of"),
        (
            "/visits/due",
            {"customers": [{"id": "c1"}], "visits": [], "as_of": "2026-03-02"},
            "$.customers[0].name",
        ),
        ("/complaints/sla", {"complaints": COMPLAINTS, "as_of": "2026-03-02T10:00"}, "$.as_of"),
        (
            "/complaints/sla",
            {"complaints": [{"id": "C", "events": [{"type": "opened"}]}], "as_of": "2026-03-02"},
            "$.complaints[0].events[0].type",
        ),
        ("/complaints/sla", {"complaints": [], "as_of": "2026-03-02", "polcy": {}}, "$"),
        ("/complaints/sla", {"complaints": [], "as_of": "2026-03-02", "policy": 3}, "$.policy"),
    ],
)
def test_bad_input_answers_422_with_the_librarys_located_error(
    path: str, body: object, located: str
) -> None:
    response = post(path, body)
    assert response.status_code == 422, response.text
    data = response.json()
    assert any(p["path"] == located for p in data["problems"]), data
    assert f"@ {located}" in data["error"]


def test_a_route_nobody_may_approve_answers_422_naming_why() -> None:
    body = {
        "chart": "sales-management",
        "requester": "regional-manager",
        "subject": "no-such-subject",
        "amount": {"amount": "1"},
    }
    response = post("/approval-route", body)
    assert response.status_code == 422
    assert "no-such-subject" in response.json()["error"]


def test_an_instant_near_year_one_answers_422_not_500() -> None:
    # 0001-01-01T00:00+14:00 is in year 0 in Shanghai: the rules overflowed into a 500
    customers = json.loads(json.dumps(CUSTOMERS[:1]))
    customers[0]["assigned_at"] = "0001-01-01T00:00:00+14:00"
    body = {"customers": customers, "visits": [], "as_of": "0001-01-02"}
    response = post("/visits/due", body)
    assert response.status_code == 422, response.text
    assert "before 0001-01-01" in response.json()["error"]
    assert_matches(response.json(), answer_schema("/visits/due", "422"))


@pytest.mark.parametrize("raw", [b"{nope", b"", b"\xff\xfe", b'{"a": 1, "a": 2}', b"[" * 5000])
def test_a_body_that_is_not_json_answers_400(raw: bytes) -> None:
    response = CLIENT.post("/deadline", content=raw)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith("request body:")


# --------------------------------------------------------------------------- OpenAPI


def test_the_openapi_document_carries_the_librarys_schemas() -> None:
    document = openapi()
    schemas = document["components"]["schemas"]
    for name in ("Customer", "VisitRecord", "VisitPolicy", "ComplaintPolicy", "Received"):
        assert schemas[name]["properties"] == _moved_props(json_schema, name)
    for name in ("SlaStatus", "TargetStatus", "DueVisit", "Deadline", "ApprovalRoute"):
        assert f"{name}Result" in schemas
    assert schemas["TargetStatusResult"]["properties"]["time_left"]["format"] == "duration"
    for path in ("/deadline", "/approval-route", "/visits/due", "/complaints/sla"):
        operation = document["paths"][path]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"]
        assert {"200", "400", "422"} <= set(operation["responses"])
    text = json.dumps(document)
    assert "#/$defs/" not in text  # every reference resolves inside the document


def _moved_props(schema_of: Any, name: str) -> Any:
    """The properties of the library's own definition of ``name``, as the document holds them."""
    cls = getattr(__import__("keyaccount"), name)
    definition = schema_of(cls)["$defs"][name]
    return json.loads(
        json.dumps(definition["properties"]).replace("#/$defs/", "#/components/schemas/")
    )


def test_the_result_schemas_in_the_document_are_the_librarys() -> None:
    schemas = openapi()["components"]["schemas"]
    library = result_schema(__import__("keyaccount").SlaStatus)["$defs"]["TargetStatus"]
    assert schemas["TargetStatusResult"]["properties"] == json.loads(
        json.dumps(library["properties"]).replace("#/$defs/", "#/components/schemas/")
    )


# --------------------------------------------------------------------------- never 500

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_VALID = {
    "/deadline": {"start": "2026-09-30T17:00:00+08:00", "period": "3 workdays"},
    "/approval-route": {
        "chart": "sales-management",
        "requester": "regional-manager",
        "subject": "customer-credit",
        "amount": {"amount": "30000"},
    },
    "/visits/due": {"customers": CUSTOMERS[:2], "visits": VISITS[:3], "as_of": "2026-03-02"},
    "/complaints/sla": {"complaints": COMPLAINTS[:1], "as_of": "2026-03-02"},
}


@st.composite
def near_valid_bodies(draw: st.DrawFn, path: str) -> object:
    """A valid body with one field replaced by random JSON, or random JSON outright."""
    body = json.loads(json.dumps(_VALID[path]))
    if draw(st.booleans()):
        return draw(_JSON)
    key = draw(st.sampled_from(sorted(body)))
    body[key] = draw(_JSON)
    return body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_VALID)), st.data())
def test_random_json_bodies_never_answer_500(path: str, data: st.DataObject) -> None:
    body = data.draw(near_valid_bodies(path))
    response = post(path, body)
    assert response.status_code in (200, 400, 422), (path, body, response.text)
    if response.status_code != 200:
        assert response.json()["error"]
