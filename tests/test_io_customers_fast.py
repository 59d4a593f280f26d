"""The msgspec fast path of customer and visit files gives what the cattrs path gives.

Every test loads the same document twice, with ``fast=True`` (msgspec, when the ``fast``
extra is installed) and ``fast=False`` (the cattrs reference), and asserts equal items
and equal problems: on valid documents, and on documents with one thing wrong, where
the fast path must give up and let the cattrs path report it with its path.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount.customers import Contact, Customer, Spend, normalise_phone
from keyaccount.errors import DataFileError
from keyaccount.io import (
    LoadResult,
    dumps_customers,
    dumps_visits,
    fast_loading_available,
    load_customers,
    load_visits,
    loads_customers,
    loads_visits,
)
from keyaccount.io import customers as customers_io
from keyaccount.money import Money
from keyaccount.testing import customer_records, mobile_numbers, phone_spellings, visit_records
from keyaccount.visits import VisitRecord

msgspec = pytest.importorskip("msgspec")

Record = dict[str, Any]
Mutation = Callable[[Record], Record]

GOOD: Record = {
    "id": "c1",
    "name": "上海某某贸易有限公司",
    "tier": "vip",
    "contacts": [{"phone": "+86 138-0013-8000", "name": "王经理"}, {"phone": "021-62345678"}],
    "birthday": "1980-05-17",
    "spend": [{"at": "2026-01-05T19:30:00+08:00", "amount": {"amount": "888.80"}, "kind": "包厢"}],
    "opinions": ["上菜慢"],
    "credit_rating": "AA",
    "credit_limit": {"amount": 20000},
    "assigned_at": "2026-01-02T09:00:00Z",
}


def both(text: str) -> tuple[LoadResult[Customer], LoadResult[Customer]]:
    return loads_customers(text, fast=True), loads_customers(text, fast=False)


@pytest.fixture
def cattrs_path_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the cattrs path fail loudly, to show that a load did not need it."""

    def refuse(*_args: object) -> object:
        raise AssertionError("the cattrs path was used")

    monkeypatch.setattr(customers_io, "_load_list", refuse)


# --------------------------------------------------------------------------- the schema


def test_the_fast_path_is_there_when_msgspec_is_installed() -> None:
    assert fast_loading_available()
    assert customers_io._fast_loader("visits") is not None


@pytest.mark.parametrize("cls", [Customer, Contact, Spend, Money, VisitRecord])
def test_each_wire_struct_has_exactly_the_fields_of_its_attrs_class(cls: type) -> None:
    deriver = customers_io._deriver()
    assert deriver is not None
    struct = deriver.wire(cls).struct
    wire_fields = [field.name for field in msgspec.structs.fields(struct)]
    assert wire_fields == [field.name for field in attrs.fields(cls) if field.init]


@pytest.mark.usefixtures("cattrs_path_forbidden")
def test_a_valid_document_loads_without_the_cattrs_path() -> None:
    result = loads_customers(json.dumps([GOOD]))
    (customer,) = result.items
    assert customer.contacts[0].phone == "13800138000"  # normalised while loading
    assert customer.spend[0].amount == Money("888.80")
    assert customer.assigned_at is not None
    assert customer.assigned_at.utcoffset() is not None


@pytest.mark.usefixtures("cattrs_path_forbidden")
def test_the_wrapper_form_loads_without_the_cattrs_path() -> None:
    result = loads_visits(
        json.dumps({"visits": [{"id": "v1", "customer_id": "c1", "at": "2026-03-02T10:00+08:00"}]})
    )
    assert [r.id for r in result.items] == ["v1"]


# --------------------------------------------------------------------------- valid documents


@given(
    st.lists(customer_records(), max_size=5, unique_by=lambda c: c.id),
    st.booleans(),
)
def test_valid_customer_documents_load_equal_on_both_paths(
    customers: list[Customer], wrapped: bool
) -> None:
    text = dumps_customers(customers)
    if wrapped:
        text = json.dumps({"customers": json.loads(text)})
    fast, reference = both(text)
    assert fast == reference
    assert fast.items == tuple(customers)
    assert fast.problems == ()


@given(st.lists(visit_records(), max_size=5, unique_by=lambda r: r.id))
def test_valid_visit_documents_load_equal_on_both_paths(records: list[VisitRecord]) -> None:
    text = dumps_visits(records)
    assert loads_visits(text, fast=True) == loads_visits(text, fast=False)
    assert loads_visits(text).items == tuple(records)


@given(
    st.one_of(
        mobile_numbers().flatmap(phone_spellings),
        st.from_regex(r"(\+|00)?(86)?[0-9 ()-]{3,16}[0-9]", fullmatch=True),
    )
)
def test_normalising_a_phone_twice_changes_nothing(spelling: str) -> None:
    # The fast path normalises a contact's phone once (in Contact itself), the cattrs
    # path twice (its hook, then Contact): equal only because normalising is idempotent.
    once = normalise_phone(spelling)
    assert normalise_phone(once) == once


@pytest.mark.parametrize(
    ("field", "spelling"),
    [
        ("assigned_at", "2026-01-02T09:00:00.123456+05:45"),
        ("assigned_at", "2026-01-02 09:00+08:00"),
        ("assigned_at", "2026-01-02T09:00:00.1234567+08:00"),  # more than microseconds
        ("birthday", "19800517"),  # a basic-format date: json.loads' fromisoformat takes it
        ("credit_limit", {"amount": "1_000.50"}),
        ("credit_limit", {"amount": " 20000 "}),
        ("credit_limit", {"amount": 99999999999999999999999}),  # beyond 64 bits
        ("name", "\ud800 lone surrogate"),  # json.loads keeps it, msgspec refuses it
    ],
)
def test_unusual_but_valid_spellings_load_equal_on_both_paths(field: str, spelling: object) -> None:
    text = json.dumps([{**GOOD, field: spelling}])
    fast, reference = both(text)
    assert fast == reference
    assert fast.problems == ()


def test_a_repeated_key_keeps_its_last_value_on_both_paths() -> None:
    text = '[{"id": "c1", "name": "first", "name": "last"}]'
    fast, reference = both(text)
    assert fast == reference
    assert fast.items[0].name == "last"


# --------------------------------------------------------------------------- invalid documents


def _set(path: tuple[str | int, ...], value: object) -> Mutation:
    def mutate(record: Record) -> Record:
        out = copy.deepcopy(record)
        target: Any = out
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return out

    return mutate


def _drop(key: str) -> Mutation:
    return lambda record: {k: v for k, v in record.items() if k != key}


#: One thing wrong with a record, each a problem for the cattrs path.
MUTATIONS: dict[str, Mutation] = {
    "a float amount": _set(("credit_limit", "amount"), 20000.5),
    "a float spend amount": _set(("spend", 0, "amount", "amount"), 888.8),
    "an amount that is true": _set(("credit_limit", "amount"), True),
    "an amount that is not a number": _set(("credit_limit", "amount"), "lots"),
    "an infinite amount": _set(("credit_limit", "amount"), "Infinity"),
    "a lower-case currency": _set(("credit_limit", "currency"), "cny"),
    "an unknown field": _set(("colour",), "red"),
    "an unknown field in a contact": _set(("contacts", 0, "email"), "a@b.c"),
    "a naive datetime": _set(("assigned_at",), "2026-01-02T09:00:00"),
    "a naive spend time": _set(("spend", 0, "at"), "2026-01-05T19:30:00"),
    "a date for a datetime": _set(("registered_at",), "2026-01-02"),
    "a datetime for a date": _set(("birthday",), "1980-05-17T00:00:00+08:00"),
    "a bad phone": _set(("contacts", 0, "phone"), "call me"),
    "a phone that is a number": _set(("contacts", 0, "phone"), 13800138000),
    "a string for a list": _set(("opinions",), "上菜慢"),
    "a string for the contacts": _set(("contacts",), "13800138000"),
    "an unknown tier": _set(("tier",), "platinum"),
    "a null name": _set(("name",), None),
    "a number for text": _set(("card",), 7),
    "a string for a boolean": _set(("confidential",), "yes"),
    "a missing id": _drop("id"),
    "a missing spend time": _set(("spend", 0), {"amount": {"amount": "1"}}),
}


@given(
    st.sampled_from(sorted(MUTATIONS)),
    st.integers(min_value=0, max_value=2),
    st.booleans(),
)
def test_one_thing_wrong_gives_the_same_problems_and_keeps_the_same_records(
    mutation: str, bad: int, wrapped: bool
) -> None:
    records: list[Record] = [{**GOOD, "id": f"c{i}"} for i in range(3)]
    records[bad] = MUTATIONS[mutation](records[bad])
    document: object = {"customers": records} if wrapped else records
    fast, reference = both(json.dumps(document, ensure_ascii=False))
    assert fast == reference
    assert fast.problems, mutation
    root = "$.customers" if wrapped else "$"
    assert all(p.path.startswith(f"{root}[{bad}]") for p in fast.problems)
    assert len(fast.items) == 2


@pytest.mark.parametrize(
    "text",
    [
        "[" + json.dumps(GOOD) + ", " + json.dumps(GOOD) + "]",  # a repeated id
        json.dumps({"customers": [GOOD], "extra": 1}),  # a wrapper with an unknown key
        json.dumps({"clients": [GOOD]}),  # a wrapper without its key
        json.dumps({"customers": GOOD}),  # a record where a list is meant
        json.dumps(GOOD),  # one record, not a list
        '"nope"',
        "null",
        "[]",
        '[{"id": "c1", "name": "n", "credit_limit": {"amount": NaN}}]',  # json.loads takes NaN
    ],
)
def test_odd_documents_give_the_same_result_on_both_paths(text: str) -> None:
    fast, reference = both(text)
    assert fast == reference


@pytest.mark.parametrize("text", ["[", "[1,]", "\ufeff[]", "[] []"])
def test_text_that_is_not_json_is_refused_alike(text: str) -> None:
    with pytest.raises(DataFileError) as fast:
        loads_customers(text, fast=True)
    with pytest.raises(DataFileError) as reference:
        loads_customers(text, fast=False)
    assert fast.value.problems == reference.value.problems


# --------------------------------------------------------------------------- files


def test_files_load_equal_on_both_paths(tmp_path: Path) -> None:
    file = tmp_path / "customers.json"
    file.write_text(json.dumps([GOOD, MUTATIONS["a bad phone"]({**GOOD, "id": "c2"})]))
    fast, reference = load_customers(file), load_customers(file, fast=False)
    assert fast == reference
    assert fast.source == str(file)
    assert [p.path for p in fast.problems] == ["$[1].contacts[0].phone"]
    visits = tmp_path / "visits.json"
    visits.write_text('[{"id": "v1", "customer_id": "c1", "at": "2026-03-02T10:00:00+08:00"}]')
    assert load_visits(visits) == load_visits(visits, fast=False)


def test_a_missing_file_is_reported_alike(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as fast:
        load_customers(tmp_path / "absent.json")
    with pytest.raises(DataFileError) as reference:
        load_customers(tmp_path / "absent.json", fast=False)
    assert fast.value.problems == reference.value.problems
    assert str(fast.value) == str(reference.value)


def test_a_file_that_is_not_utf8_fails_alike(tmp_path: Path) -> None:
    file = tmp_path / "customers.json"
    file.write_bytes(json.dumps([GOOD], ensure_ascii=False).encode("gb18030"))
    with pytest.raises(UnicodeDecodeError):
        load_customers(file, fast=False)
    with pytest.raises(UnicodeDecodeError):
        load_customers(file)
