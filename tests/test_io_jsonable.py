"""Every public value and result becomes JSON by one convention (`keyaccount.io.to_json`).

The walk discovers every attrs class the public namespaces export, builds one realistic
instance of each from `tests/jsonable_examples.py` and checks its JSON: it parses, no key
at any depth is private, and it matches the class's result schema. A new public class
without an example fails here, by name.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import keyaccount.io as kio
from jsonable_examples import EXAMPLES, ROOT, chart, customers, staff
from keyaccount import (
    Complaint,
    ComplaintStatus,
    CreditApproval,
    Money,
    Outcome,
    Rates,
    SlaStatus,
    Workdays,
    credit_approval,
)
from keyaccount.errors import KeyAccountError, UnsupportedTypeError
from keyaccount.io import result_schema, to_json, to_jsonable
from keyaccount.io.jsonable import iso_duration
from keyaccount.io.result_schema import DURATION_PATTERN, RFC3339_PATTERN
from keyaccount.testing import (
    aware_datetimes,
    complaint_histories,
    customer_records,
    org_charts,
    visit_records,
)

#: Where public classes are exported; the new areas count once they exist.
PUBLIC_NAMESPACES = (
    "keyaccount",
    "keyaccount.io",
    "keyaccount.calendar",
    "keyaccount.org",
    "keyaccount.customers",
    "keyaccount.visits",
    "keyaccount.complaints",
    "keyaccount.duties",
    "keyaccount.finance",
    "keyaccount.club",
    "keyaccount.kpi",
)


def _namespaces() -> Iterator[Any]:
    for name in PUBLIC_NAMESPACES:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # the package exists but is broken: say so
                raise


def public_attrs_classes() -> tuple[type, ...]:
    """Every attrs class in the `__all__` of a public namespace, each once, by name."""
    found: dict[type, None] = {}
    for module in _namespaces():
        for name in getattr(module, "__all__", ()):  # a package still being written
            value = getattr(module, name)
            if isinstance(value, type) and attrs.has(value):
                found[value] = None
    return tuple(sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__)))


PUBLIC = public_attrs_classes()


def private_keys(data: object, path: str = "$") -> list[str]:
    """The path of every key starting with ``_``, at any depth."""
    if isinstance(data, dict):
        own = [f"{path}.{key}" for key in data if key.startswith("_")]
        return own + [p for key, item in data.items() for p in private_keys(item, f"{path}.{key}")]
    if isinstance(data, list):
        return [p for i, item in enumerate(data) for p in private_keys(item, f"{path}[{i}]")]
    return []


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


# --------------------------------------------------------------------------- the walk


def test_the_walk_finds_the_results_of_every_area() -> None:
    names = {cls.__name__ for cls in PUBLIC}
    assert {"SlaStatus", "CreditApproval", "DueVisit", "Deadline", "ApprovalRoute"} <= names
    assert {"ClaimsByPeriod", "LoadResult", "OrgChart", "Money"} <= names
    assert len(PUBLIC) >= 80


def test_every_public_attrs_class_has_an_example() -> None:
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in PUBLIC if c not in EXAMPLES)
    assert not missing, (
        "no example in tests/jsonable_examples.py for these public classes (add a factory "
        f"to EXAMPLES, see its docstring): {', '.join(missing)}"
    )


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda cls: cls.__name__)
def test_every_public_value_becomes_json_without_private_keys(cls: type) -> None:
    if cls not in EXAMPLES:
        pytest.fail(f"no example for {cls.__module__}.{cls.__qualname__} in jsonable_examples.py")
    value = EXAMPLES[cls]()
    assert type(value) is cls, f"the example of {cls.__name__} built a {type(value).__name__}"
    text = to_json(value)
    data = json.loads(text)
    assert data == to_jsonable(value)
    assert not private_keys(data), f"{cls.__name__} writes private keys: {private_keys(data)}"
    assert isinstance(data, dict | str)  # an object, or a period's / money's text form


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda cls: cls.__name__)
def test_every_public_values_json_matches_its_result_schema(cls: type) -> None:
    if cls not in EXAMPLES:
        pytest.fail(f"no example for {cls.__module__}.{cls.__qualname__} in jsonable_examples.py")
    schema = result_schema(cls)
    errors = list(validator(schema).iter_errors(to_jsonable(EXAMPLES[cls]())))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]


def test_a_schema_refuses_json_that_breaks_it() -> None:
    data = to_jsonable(EXAMPLES[SlaStatus]())
    data["targets"][0]["time_left"] = 3600  # seconds, not an ISO duration
    assert list(validator(result_schema(SlaStatus)).iter_errors(data))
    data = to_jsonable(EXAMPLES[SlaStatus]())
    data["_state"] = {}
    assert list(validator(result_schema(SlaStatus)).iter_errors(data))


# --------------------------------------------------------------------------- the defects


def test_sla_status_durations_are_iso_8601_durations() -> None:
    data = to_jsonable(EXAMPLES[SlaStatus]())
    fields = ("time_used", "time_left", "allowed", "paused")
    written = [(target[f]) for target in data["targets"] for f in fields]
    assert written
    assert all(re.fullmatch(DURATION_PATTERN, text) for text in written), written
    resolution = data["targets"][1]
    assert (resolution["allowed"], resolution["paused"]) == ("PT8H", "PT2H")
    assert data["targets"][-1]["time_left"] == "-PT1H"  # overdue by an hour
    assert data["as_of"] == "2026-03-05T10:00:00+08:00"


def test_a_credit_approval_carries_its_route_explanation_and_not_the_chart() -> None:
    approval = EXAMPLES[CreditApproval]()
    text = to_json(approval)
    data = json.loads(text)
    assert "chart" not in data["route"]
    assert "_context" not in text
    assert "_index" not in text
    assert '"superior"' not in text  # no position of the org chart is written
    assert len(text.encode()) < 4000, len(text.encode())
    assert data["route"]["chain"] == ["marketing-director"]
    steps = approval.route.steps if approval.route else ()
    assert steps
    assert all(step in data["explanation"] for step in steps)
    assert data["explanation"].startswith(data["reason"])
    assert data["route"]["explanation"] == approval.route.explain()


def test_a_credit_approval_within_the_requesters_authority_explains_itself_in_one_line() -> None:
    approval = to_jsonable(credit_approval(chart(), customers()[0], Money(2000), staff()[0]))
    assert approval["route"] is None
    assert approval["explanation"] == approval["reason"]
    assert approval["own_authority"]["subject"] == "customer-credit"


def test_complaint_events_carry_their_file_type_tag() -> None:
    data = to_jsonable(EXAMPLES[Complaint]())
    assert [e["type"] for e in data["events"]] == [
        "received",
        "accepted",
        "paused",
        "resumed",
        "resolved",
        "reopened",
    ]


# --------------------------------------------------------------------------- the convention


def test_each_kind_of_value_is_written_by_the_convention() -> None:
    shanghai = pendulum.datetime(2026, 10, 8, 9, 0, tz="Asia/Shanghai")
    assert to_jsonable(shanghai) == "2026-10-08T09:00:00+08:00"
    assert to_jsonable(dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)) == "2026-01-01T08:00:00+00:00"
    assert to_jsonable(dt.date(2026, 10, 8)) == "2026-10-08"
    assert to_jsonable(dt.time(9, 30)) == "09:30:00"
    assert to_jsonable(dt.timedelta(minutes=30)) == "PT30M"
    assert to_jsonable(dt.timedelta(days=3, hours=4)) == "P3DT4H"
    assert to_jsonable(dt.timedelta(0)) == "PT0S"
    assert to_jsonable(pendulum.duration(years=1, months=2, days=3)) == "P1Y2M3D"
    assert to_jsonable(shanghai.add(days=2, hours=1) - shanghai) == "P2DT1H"  # an Interval
    assert to_jsonable(Money("20000.00")) == {"amount": "20000.00", "currency": "CNY"}
    assert to_jsonable(Decimal("0.10")) == "0.10"
    assert to_jsonable(Fraction(1, 3)) == "1/3"
    assert to_jsonable(Outcome.NOT_REACHED) == "not-reached"
    assert to_jsonable(Workdays(3)) == "3 workdays"
    assert to_jsonable(frozenset({"b", "a"})) == ["a", "b"]
    assert to_jsonable({ComplaintStatus.CLOSED: (1, 2)}) == {"closed": [1, 2]}
    assert to_jsonable({dt.date(2026, 1, 1): None, 3: True}) == {"2026-01-01": None, "3": True}
    assert to_jsonable(Rates({("USD", "CNY"): "7.1"})) == {
        "table": {"USD/CNY": "7.1"},
        "derive_inverse": True,
    }
    assert to_json({"title": "销售管理部经理"}, indent=None) == '{"title": "销售管理部经理"}'


@pytest.mark.parametrize(
    ("value", "kind", "path"),
    [
        ({"a": [1, object()]}, "object", "$.a[1]"),
        ((1, {"x y": b"bytes"}), "bytes", '$[1]["x y"]'),
        ({"at": dt.datetime(2026, 1, 1)}, "naive datetime", "$.at"),  # noqa: DTZ001 - naive on purpose
        ([float("nan")], "nan", "$[0]"),
        ({(1, 2): "pair"}, "tuple", "$"),
    ],
)
def test_an_unsupported_value_is_refused_naming_its_type_and_path(
    value: object, kind: str, path: str
) -> None:
    with pytest.raises(UnsupportedTypeError) as caught:
        to_jsonable(value)
    assert isinstance(caught.value, KeyAccountError)
    assert isinstance(caught.value, TypeError)
    assert kind in str(caught.value)
    assert str(caught.value).endswith(f"@ {path}")


def test_an_unsupported_value_inside_a_result_is_located_by_field() -> None:
    @attrs.frozen
    class Odd:
        label: str
        payload: object
        _hidden: object = None

    with pytest.raises(UnsupportedTypeError, match=r"type set_iterator .*@ \$\.payload$"):
        to_jsonable(Odd("x", iter({1})))
    assert to_jsonable(Odd("x", 1, object())) == {"label": "x", "payload": 1}


# --------------------------------------------------------------------------- properties

_ISO_DURATION = re.compile(
    r"(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,6}))?S)?)?"
)


def parse_iso_duration(text: str) -> dt.timedelta:
    match = _ISO_DURATION.fullmatch(text)
    assert match, text
    sign, days, hours, minutes, seconds, fraction = match.groups()
    value = dt.timedelta(
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
        microseconds=int((fraction or "0").ljust(6, "0")),
    )
    return -value if sign else value


@given(
    st.one_of(
        customer_records(),
        visit_records(),
        complaint_histories(),
        org_charts(),
        st.lists(aware_datetimes(), max_size=3).map(tuple),
        st.timedeltas(),
    )
)
def test_generated_values_become_strict_json(value: object) -> None:
    data = to_jsonable(value)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert not private_keys(data)


@given(aware_datetimes())
def test_an_instant_keeps_its_own_offset(instant: pendulum.DateTime) -> None:
    text = to_jsonable(instant)
    assert re.fullmatch(RFC3339_PATTERN, text), text
    back = dt.datetime.fromisoformat(text)
    assert back.timestamp() == instant.timestamp()  # (== is never true across zones at a fold)
    assert back.utcoffset() == instant.utcoffset()
    assert back.replace(tzinfo=None) == instant.replace(tzinfo=None)  # the same wall clock


@given(
    st.decimals(min_value=Decimal("-1e17"), max_value=Decimal("1e17"), places=8, allow_nan=False),
    st.sampled_from(["CNY", "USD", "JPY"]),
)
def test_money_amounts_round_trip_exactly(amount: Decimal, currency: str) -> None:
    money = Money(amount, currency)
    data = json.loads(to_json(money))
    assert data["currency"] == currency
    assert Decimal(data["amount"]).as_tuple() == money.amount.as_tuple()  # digits and places
    assert Money(data["amount"], data["currency"]) == money


@given(st.timedeltas())
def test_durations_round_trip_through_iso_8601(value: dt.timedelta) -> None:
    text = iso_duration(value)
    assert re.fullmatch(DURATION_PATTERN, text), text
    assert parse_iso_duration(text) == value


def test_the_complaint_file_schema_accepts_the_example_complaints_file() -> None:
    # the events' "type" tag was missing from json_schema(Complaint): every real file failed
    data = json.loads((ROOT / "examples" / "data" / "complaints.json").read_text("utf-8"))
    schema = kio.json_schema(Complaint)
    for complaint in data:
        jsonschema.validate(complaint, schema)
    data[0]["events"][1]["type"] = "received"  # an accepted event under another tag
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data[0], schema)


@pytest.mark.parametrize("cls", sorted((c for c in EXAMPLES if kio.json_properties(c)), key=repr))
def test_the_derived_facts_a_class_names_are_in_its_json(cls: type) -> None:
    # A compliance row's status, a credit check's approver: properties, not fields, so a
    # result cannot be built inconsistent, yet what a reader of the JSON needs first.
    value = EXAMPLES[cls]()
    written = json.loads(kio.to_json(value))
    for name in kio.json_properties(cls):
        assert written[name] == kio.to_jsonable(getattr(value, name))


def test_a_compliance_row_carries_its_status_and_lateness() -> None:
    from keyaccount.duties import OccurrenceCompliance

    written = kio.to_jsonable(EXAMPLES[OccurrenceCompliance]())
    assert {"status", "late_by", "done_by", "occurrence", "explanation"} <= set(written)
