"""Customer and visit files: round trips, path-precise problems, redacted records refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    load_customers_strict,
    load_visit_policy,
    load_visits,
    load_visits_strict,
    loads_customers,
    loads_visits,
)
from keyaccount.testing import customer_records, visit_records
from keyaccount.visits import Outcome, VisitPolicy, VisitRecord

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
    assert "call me" in result.problems[0].message
    assert paths[1] == "$[2].credit_limit.amount"
    assert "float" in result.problems[1].message
    assert any(p.startswith("$[4]") for p in paths)
    with pytest.raises(DataFileError) as caught:
        load_customers_strict(file)
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
    assert load_customers_strict(tmp_path / "book.toml") == tuple(customers)


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
        load_visits_strict(tmp_path / "visits.json")


def test_instants_load_equal_on_the_fast_and_the_detailed_path() -> None:
    record = {**GOOD, "assigned_at": "2026-03-02T10:00:00+08:00"}
    fast = loads_customers(json.dumps([record])).items[0]
    # a bad second record sends the whole file through the detailed, per-record path
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
    hidden = redact(prospect, Staff("li", "李", "sales-representative"), chart)
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
    record = load_visits_strict(
        write(
            tmp_path,
            "in.json",
            [{"id": "v1", "customer_id": "c1", "at": "2026-03-02T10:00:00+08:00"}],
        )
    )
    dump_visits(record, tmp_path / "out.json")
    assert load_visits_strict(tmp_path / "out.json") == record


def test_files_load_without_msgspec_through_the_cattrs_path(tmp_path: Path) -> None:
    # msgspec is an optional extra (`fast`): with it blocked, keyaccount must import and
    # load (and report) the same. A fresh interpreter, so this process keeps its modules.
    file = write(tmp_path, "customers.json", [GOOD, {"id": "c2", "name": "x", "colour": 1}])
    script = f"""
import sys
sys.modules["msgspec"] = None  # makes `import msgspec` raise ImportError
import keyaccount
from keyaccount.io import fast_loading_available, load_customers
assert not fast_loading_available()
result = load_customers({str(file)!r})
print([c.id for c in result.items], [(p.path, "colour" in p.message) for p in result.problems])
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['c1'] [('$[1]', True)]"


def test_the_cattrs_path_can_be_forced(tmp_path: Path) -> None:
    file = write(tmp_path, "customers.json", [GOOD])
    forced = load_customers(file, fast=False)
    assert forced == load_customers(file)
    assert forced.items[0].contacts[0].phone == "13800138000"
    assert loads_customers(json.dumps([GOOD]), fast=False) == LoadResult(
        forced.items, (), "document"
    )
