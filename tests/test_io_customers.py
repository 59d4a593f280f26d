"""Customer and visit files: round trips, path-precise problems, redacted records refused."""

from __future__ import annotations

import copy
import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import reference
from keyaccount.calendar import Workdays
from keyaccount.customers import Contact, Customer, CustomerStatus, Staff, redact
from keyaccount.errors import DataFileError, RedactedRecordError
from keyaccount.io import (
    LoadResult,
    dump_customers,
    dump_visit_policy,
    dump_visits,
    dumps_customers,
    dumps_visits,
    load_customers,
    load_visit_policy,
    load_visits,
    loads_customers,
    loads_visits,
)
from keyaccount.testing import customer_records, visit_records
from keyaccount.visits import Outcome, VisitPolicy, VisitRecord

Record = dict[str, Any]

GOOD = {"id": "c1", "name": "某某有限公司", "contacts": [{"phone": "+86 138-0013-8000"}]}


def write(tmp_path: Path, name: str, data: object) -> Path:
    file = tmp_path / name
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return file


@given(
    st.lists(customer_records(), max_size=4, unique_by=lambda c: c.id),
    st.sampled_from(["json", "toml"]),
)
def test_customers_dumped_then_loaded_are_equal(customers: list[Customer], fmt: str) -> None:
    assert fmt in ("json", "toml")
    text = dumps_customers(customers, "json" if fmt == "json" else "toml")
    result = loads_customers(text, "json" if fmt == "json" else "toml")
    assert result.problems == ()
    assert result.items == tuple(customers)


@given(st.lists(visit_records(), max_size=5, unique_by=lambda r: r.id))
def test_visit_records_dumped_then_loaded_are_equal(records: list[VisitRecord]) -> None:
    text = dumps_visits(records, "toml")
    assert loads_visits(text, "toml").items == tuple(records)


def test_a_malformed_record_is_reported_with_its_index_and_the_valid_ones_are_kept(
    tmp_path: Path,
) -> None:
    file = write(
        tmp_path,
        "customers.json",
        [
            GOOD,
            {"id": "c2", "name": "坏", "contacts": [{"phone": "call me"}]},
            {"id": "c3", "name": "也坏", "credit_limit": {"amount": 20000.5}},
            {"id": "c4", "name": "好", "tier": "vip"},
            {"id": "c5", "name": "未知字段", "colour": "red"},
        ],
    )
    result = load_customers(file)
    assert [c.id for c in result.items] == ["c1", "c4"]
    paths = [p.path for p in result.problems]
    assert paths[0] == "$[1].contacts[0].phone"
    assert "call me" not in result.problems[0].message  # a phone number is never quoted
    assert "phone number" in result.problems[0].message
    assert paths[1] == "$[2].credit_limit.amount"
    assert "float" in result.problems[1].message
    assert any(p.startswith("$[4]") for p in paths)
    with pytest.raises(DataFileError) as caught:
        load_customers(file).strict()
    assert len(caught.value.problems) == len(result.problems)


def test_a_repeated_id_is_reported_and_the_first_record_kept(tmp_path: Path) -> None:
    file = write(tmp_path, "customers.json", [GOOD, {**GOOD, "name": "重复"}])
    result = load_customers(file)
    assert [c.name for c in result.items] == ["某某有限公司"]
    assert result.problems[0].path == "$[1].id"
    assert "$[0]" in result.problems[0].message


def test_toml_files_hold_a_customers_table(tmp_path: Path) -> None:
    customers = [Customer("c1", "某某", contacts=(Contact("13800138000"),))]
    dump_customers(customers, tmp_path / "book.toml")
    assert "[[customers]]" in (tmp_path / "book.toml").read_text(encoding="utf-8")
    assert load_customers(tmp_path / "book.toml").strict() == tuple(customers)


def test_a_wrapper_with_unknown_keys_is_reported(tmp_path: Path) -> None:
    file = write(tmp_path, "book.json", {"customers": [GOOD], "extra": 1})
    result = load_customers(file)
    assert [c.id for c in result.items] == ["c1"]
    assert [p.path for p in result.problems] == ["$.extra"]


def test_a_file_that_is_not_a_list_is_one_problem(tmp_path: Path) -> None:
    result = load_customers(write(tmp_path, "book.json", "nope"))
    assert result.items == ()
    assert result.problems[0].path == "$"


def test_visit_records_load_with_paths(tmp_path: Path) -> None:
    good = {
        "id": "v1",
        "customer_id": "c1",
        "at": "2026-03-02T10:00:00+08:00",
        "by": "s1",
        "outcome": "satisfied",
        "notes": "ok",
    }
    naive = {**good, "id": "v2", "at": "2026-03-02T10:00:00"}
    unknown = {**good, "id": "v3", "outcome": "delighted"}
    result = load_visits(write(tmp_path, "visits.json", [good, naive, unknown]))
    assert [r.id for r in result.items] == ["v1"]
    assert result.items[0].outcome is Outcome.SATISFIED
    assert [p.path for p in result.problems] == ["$[1].at", "$[2].outcome"]
    with pytest.raises(DataFileError):
        load_visits(tmp_path / "visits.json").strict()


def test_instants_load_equal_in_one_pass_and_record_by_record() -> None:
    record = {**GOOD, "assigned_at": "2026-03-02T10:00:00+08:00"}
    fast = loads_customers(json.dumps([record])).items[0]
    # a bad second record sends the whole file through the detailed, per-record pass
    slow_result = loads_customers(json.dumps([record, {"id": 1}]))
    assert slow_result.problems
    slow = slow_result.items[0]
    assert fast == slow
    assert fast.assigned_at == pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    assert repr(fast.assigned_at) == repr(slow.assigned_at)


def test_a_redacted_record_cannot_be_saved(tmp_path: Path) -> None:
    chart = reference.load("key-account")
    prospect = Customer(
        "p1",
        "某某",
        status=CustomerStatus.PROSPECT,
        contacts=(Contact("13800138000"),),
        registered_by="zhang",
        registered_position="sales-representative",
    )
    hidden = redact(chart, Staff("li", "李", "sales-representative"), prospect)
    target = tmp_path / "book.json"
    with pytest.raises(RedactedRecordError, match="redacted"):
        # mypy refuses this line too (a RedactedCustomer is not a Customer); the ignore
        # would be reported as unused (warn_unused_ignores) if it did not.
        dump_customers([hidden], target)  # type: ignore[list-item]
    assert not target.exists()


def test_a_visit_policy_round_trips_and_keeps_the_seed_defaults(tmp_path: Path) -> None:
    policy = VisitPolicy(return_visit=Workdays(3), quiet_hours=("22:00-08:00",))
    dump_visit_policy(policy, tmp_path / "policy.toml")
    assert load_visit_policy(tmp_path / "policy.toml") == policy
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    assert load_visit_policy(tmp_path / "empty.toml") == VisitPolicy()


def test_a_bad_visit_policy_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "policy.toml").write_text('return_visit = "three days"\n', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_visit_policy(tmp_path / "policy.toml")
    assert caught.value.problems[0].path == "$.return_visit"


def test_visits_dump_to_a_file(tmp_path: Path) -> None:
    record = load_visits(
        write(
            tmp_path,
            "in.json",
            [{"id": "v1", "customer_id": "c1", "at": "2026-03-02T10:00:00+08:00"}],
        )
    ).strict()
    dump_visits(record, tmp_path / "out.json")
    assert load_visits(tmp_path / "out.json").strict() == record


# --------------------------------------------------------------------------- unusual documents
# (moved here from the tests of the msgspec fast path, removed with it)

FULL: dict[str, Any] = {
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


@given(st.lists(customer_records(), max_size=5, unique_by=lambda c: c.id), st.booleans())
def test_a_json_book_loads_back_as_a_bare_list_or_wrapped(
    customers: list[Customer], wrapped: bool
) -> None:
    text = dumps_customers(customers)
    if wrapped:
        text = json.dumps({"customers": json.loads(text)})
    result = loads_customers(text)
    assert result.items == tuple(customers)
    assert result.problems == ()


def test_the_wrapper_form_of_a_visit_file_loads() -> None:
    result = loads_visits(
        json.dumps({"visits": [{"id": "v1", "customer_id": "c1", "at": "2026-03-02T10:00+08:00"}]})
    )
    assert [r.id for r in result.items] == ["v1"]


@pytest.mark.parametrize(
    ("field", "spelling"),
    [
        ("assigned_at", "2026-01-02T09:00:00.123456+05:45"),
        ("assigned_at", "2026-01-02 09:00+08:00"),
        ("assigned_at", "2026-01-02T09:00:00.1234567+08:00"),  # more than microseconds
        ("birthday", "19800517"),  # a basic-format date: fromisoformat takes it
        ("credit_limit", {"amount": " 20000 "}),
        ("credit_limit", {"amount": 999999999999999999}),  # beyond 32 bits, within Money's
    ],
)
def test_unusual_but_valid_spellings_load_without_problems(field: str, spelling: object) -> None:
    result = loads_customers(json.dumps([{**FULL, field: spelling}]))
    assert result.problems == ()
    assert [c.id for c in result.items] == ["c1"]


def test_a_repeated_key_refuses_its_record_at_its_path() -> None:
    result = loads_customers('[{"id": "c1", "name": "first", "name": "last"}]')
    assert result.items == ()
    assert [p.path for p in result.problems] == ["$[0].name"]


def _set(path: tuple[str | int, ...], value: object) -> Callable[[Record], Record]:
    def mutate(record: Record) -> Record:
        out = copy.deepcopy(record)
        target: Any = out
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return out

    return mutate


def _drop(key: str) -> Callable[[Record], Record]:
    return lambda record: {k: v for k, v in record.items() if k != key}


#: One thing wrong with a record, each a problem at the record's own path.
MUTATIONS: dict[str, Callable[[Record], Record]] = {
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


@given(st.sampled_from(sorted(MUTATIONS)), st.integers(0, 2), st.booleans())
def test_one_thing_wrong_is_reported_at_its_record_and_the_others_are_kept(
    mutation: str, bad: int, wrapped: bool
) -> None:
    records: list[Record] = [{**FULL, "id": f"c{i}"} for i in range(3)]
    records[bad] = MUTATIONS[mutation](records[bad])
    document: object = {"customers": records} if wrapped else records
    result = loads_customers(json.dumps(document, ensure_ascii=False))
    assert result.problems, mutation
    root = "$.customers" if wrapped else "$"
    assert all(p.path.startswith(f"{root}[{bad}]") for p in result.problems)
    assert len(result.items) == 2


@pytest.mark.parametrize(
    "text",
    [
        "[" + json.dumps(FULL) + ", " + json.dumps(FULL) + "]",  # a repeated id
        json.dumps({"customers": [FULL], "extra": 1}),  # a wrapper with an unknown key
        json.dumps({"clients": [FULL]}),  # a wrapper without its key
        json.dumps({"customers": FULL}),  # a record where a list is meant
        json.dumps(FULL),  # one record, not a list
        '"nope"',
        "null",
        '[{"id": "c1", "name": "n", "credit_limit": {"amount": NaN}}]',  # json.loads takes NaN
    ],
)
def test_odd_documents_are_problems_not_crashes(text: str) -> None:
    result = loads_customers(text)
    assert not result.ok
    assert all(isinstance(c, Customer) for c in result.items)


def test_an_empty_list_is_an_empty_book() -> None:
    assert loads_customers("[]") == LoadResult((), (), "document")


@pytest.mark.parametrize("text", ["[", "[1,]", "\ufeff[]", "[] []"])
def test_text_that_is_not_json_is_refused(text: str) -> None:
    with pytest.raises(DataFileError) as caught:
        loads_customers(text)
    assert caught.value.problems[0].path == "$"


def test_a_file_names_itself_as_the_source(tmp_path: Path) -> None:
    file = write(tmp_path, "customers.json", [FULL, MUTATIONS["a bad phone"]({**FULL, "id": "c2"})])
    result = load_customers(file)
    assert result.source == str(file)
    assert [p.path for p in result.problems] == ["$[1].contacts[0].phone"]


def test_a_missing_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        load_customers(tmp_path / "absent.json")


def test_a_file_that_is_not_utf8_is_a_data_file_error(tmp_path: Path) -> None:
    file = tmp_path / "customers.json"
    file.write_bytes(json.dumps([FULL], ensure_ascii=False).encode("gb18030"))
    with pytest.raises(DataFileError, match="UTF-8"):
        load_customers(file)


def test_loading_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    loads_customers(json.dumps([FULL]))
    with pytest.raises(DataFileError):
        loads_customers("[")
    assert gc.isenabled()
    gc.disable()
    try:
        loads_customers(json.dumps([FULL]))
        assert not gc.isenabled()
    finally:
        gc.enable()
