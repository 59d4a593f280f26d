"""What a file may not do: every loader refuses it with a located `DataFileError`, not a crash.

Issue 9, defects A1 (non-UTF-8 bytes), A2 (deep nesting), A3 (ids that are not text),
A4 (a key given twice), A6 (messages that echo long or confidential values) and A7 (an
unknown file type), for every loader and both formats.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount.cli import main
from keyaccount.customers import Customer
from keyaccount.errors import DataFileError, DataProblem, KeyAccountError, UnsupportedFormatError
from keyaccount.io import (
    MAX_DEPTH,
    dump_complaints,
    dump_customers,
    dumps_customers,
    load_complaint_policy,
    load_complaints,
    load_customers,
    load_org,
    load_visit_policy,
    load_visits,
    loads,
    loads_complaint_policy,
    loads_complaints,
    loads_customers,
    loads_org,
    loads_visit_policy,
    loads_visits,
)
from keyaccount.testing import customer_records

TextLoader = Callable[..., object]
FileLoader = Callable[..., object]

#: Every loader of text, with the formats it reads.
TEXT_LOADERS: dict[str, tuple[TextLoader, tuple[str, ...]]] = {
    "org": (loads_org, ("json", "toml")),
    "customers": (loads_customers, ("json", "toml")),
    "visits": (loads_visits, ("json", "toml")),
    "visit policy": (loads_visit_policy, ("json", "toml")),
    "complaint policy": (loads_complaint_policy, ("json", "toml")),
    "complaints": (lambda text, _fmt: loads_complaints(text), ("json",)),
}

#: Every loader of files, with the formats it reads.
FILE_LOADERS: dict[str, tuple[FileLoader, tuple[str, ...]]] = {
    "org": (load_org, ("json", "toml")),
    "customers": (load_customers, ("json", "toml")),
    "visits": (load_visits, ("json", "toml")),
    "visit policy": (load_visit_policy, ("json", "toml")),
    "complaint policy": (load_complaint_policy, ("json", "toml")),
    "complaints": (lambda path, _fmt: load_complaints(path), ("json",)),
}

TEXT_CASES = [(name, fmt) for name, (_, fmts) in TEXT_LOADERS.items() for fmt in fmts]
FILE_CASES = [(name, fmt) for name, (_, fmts) in FILE_LOADERS.items() for fmt in fmts]


def load_text(name: str, text: str | bytes, fmt: str) -> object:
    loader, _ = TEXT_LOADERS[name]
    return loader(text, fmt)


def problems_of_load(name: str, text: str | bytes, fmt: str) -> tuple[DataProblem, ...]:
    """The problems a loader reports, whether it raises them or returns them."""
    try:
        result = load_text(name, text, fmt)
    except DataFileError as error:
        return error.problems
    problems = getattr(result, "problems", ())
    assert isinstance(problems, tuple)
    return problems


def nested(depth: int, fmt: str) -> str:
    """A document whose value nests `depth` lists deep (in TOML, inside a key's value)."""
    lists = "[" * depth + "]" * depth
    return lists if fmt == "json" else f"x = {lists}\n"


# --------------------------------------------------------------------------- A1


@pytest.mark.parametrize(("name", "fmt"), FILE_CASES)
def test_a_file_that_is_not_utf8_is_a_data_file_error_naming_it_and_the_byte(
    tmp_path: Path, name: str, fmt: str
) -> None:
    file = tmp_path / f"data.{fmt}"
    file.write_bytes(b"\xff[]")
    loader, _ = FILE_LOADERS[name]
    with pytest.raises(DataFileError) as caught:
        loader(file, None)
    assert caught.value.source == str(file)
    assert "not UTF-8" in caught.value.problems[0].message
    assert "at byte 0" in caught.value.problems[0].message


@pytest.mark.parametrize(("name", "fmt"), TEXT_CASES)
def test_bytes_that_are_not_utf8_are_a_data_file_error_with_the_offset(name: str, fmt: str) -> None:
    with pytest.raises(DataFileError) as caught:
        load_text(name, b"[] \xe4\xb8", fmt)
    assert "at byte 3" in str(caught.value)


def test_utf8_bytes_are_read_as_text() -> None:
    text = json.dumps([{"id": "c1", "name": "某某"}], ensure_ascii=False)
    assert loads_customers(text.encode()).strict() == loads_customers(text).strict()


def test_the_cli_reports_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "customers.json"
    file.write_bytes(b"\xff[]")
    assert main(["customers", "check", str(file)]) == 1
    error = capsys.readouterr().err
    assert "not UTF-8 text" in error
    assert "at byte 0" in error
    assert "Traceback" not in error


# --------------------------------------------------------------------------- A2


@pytest.mark.parametrize(("name", "fmt"), TEXT_CASES)
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 5_000, 100_000])
def test_nesting_too_deep_is_a_problem_at_its_path(name: str, fmt: str, depth: int) -> None:
    problems = problems_of_load(name, nested(depth, fmt), fmt)
    deep = [p for p in problems if f"nested deeper than {MAX_DEPTH}" in p.message]
    assert len(deep) == 1
    # the root is level 1; in TOML the list is the value of `x`, in the root table
    assert deep[0].path == ("$" if fmt == "json" else "$.x") + "[0]" * (
        MAX_DEPTH if fmt == "json" else MAX_DEPTH - 1
    )


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_unbalanced_nesting_past_the_parser_is_refused_with_its_line(fmt: str) -> None:
    text = "[" * 100_000 if fmt == "json" else "x = " + "[" * 100_000
    with pytest.raises(DataFileError) as caught:
        loads_customers(text, fmt)  # type: ignore[arg-type] # fmt is a Format
    assert "line 1, column" in caught.value.problems[0].message
    assert "nested deeper" in caught.value.problems[0].message


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_nesting_up_to_the_limit_is_no_depth_problem(fmt: str) -> None:
    depth = MAX_DEPTH if fmt == "json" else MAX_DEPTH - 1  # a TOML value sits in the root table
    problems = problems_of_load("customers", nested(depth, fmt), fmt)
    assert not any("nested deeper" in p.message for p in problems)


@pytest.mark.parametrize("fmt", ["json", "toml"])
@pytest.mark.parametrize("depth", [40, 5_000, 100_000])
def test_a_deep_value_inside_one_record_refuses_that_record_only(fmt: str, depth: int) -> None:
    deep = "[" * depth + "]" * depth
    if fmt == "json":
        text = f'[{{"id": "c1", "name": "A"}}, {{"id": "c2", "name": "B", "opinions": {deep}}}]'
    else:
        text = (
            f'[[customers]]\nid = "c1"\nname = "A"\n[[customers]]\nid = "c2"\nopinions = {deep}\n'
        )
    result = loads_customers(text, fmt)  # type: ignore[arg-type] # fmt is a Format
    assert [c.id for c in result.items] == ["c1"]
    # levels above the opinions' list: the root list, the record (and in TOML the root table)
    root, above = ("$", 2) if fmt == "json" else ("$.customers", 3)
    expected = f"{root}[1].opinions" + "[0]" * (MAX_DEPTH - above)
    assert [p.path for p in result.problems] == [expected]


def test_a_deep_value_beside_the_records_of_a_wrapper_refuses_the_document() -> None:
    deep = "[" * 40 + "]" * 40
    with pytest.raises(DataFileError) as caught:
        loads_customers(f'{{"customers": [], "extra": {deep}}}')
    assert caught.value.problems[0].path.startswith("$.extra")


# --------------------------------------------------------------------------- A3


def _chart(**department: object) -> dict[str, Any]:
    return {
        "name": "n",
        "title": "t",
        "title_en": "t",
        "departments": [{"id": "d", "title": "部", "title_en": "d", **department}],
        "positions": [],
    }


@pytest.mark.parametrize("fmt", ["json"])
@pytest.mark.parametrize(
    ("document", "path"),
    [
        (_chart(id={}), "$.departments[0].id"),
        (_chart(id=["d"]), "$.departments[0].id"),
        ({**_chart(), "positions": [{"id": {}, "title": "t"}]}, "$.positions[0].id"),
        (
            {**_chart(), "positions": [{"id": "p", "title": "t", "superior": {"a": 1}}]},
            "$.positions[0].superior",
        ),
    ],
)
def test_an_org_id_that_is_not_text_is_a_located_problem(
    document: dict[str, Any], path: str, fmt: str
) -> None:
    with pytest.raises(DataFileError) as caught:
        loads_org(json.dumps(document), fmt)  # type: ignore[arg-type] # fmt is "json"
    assert path in [p.path for p in caught.value.problems]


def test_an_authority_scope_naming_a_non_text_position_is_a_located_problem() -> None:
    position = {
        "id": "p",
        "title": "t",
        "authorities": [{"kind": "approval", "subject": "x", "scope_positions": [{}, ["p"]]}],
    }
    problems = problems_of_load("org", json.dumps({**_chart(), "positions": [position]}), "json")
    assert problems
    assert all(p.path.startswith("$") for p in problems)
    assert any(p.path.startswith("$.positions[0].authorities[0]") for p in problems)


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("customers", {"id": {}, "name": "A"}),
        ("customers", {"id": ["c"], "name": "A"}),
        ("visits", {"id": {}, "customer_id": "c1", "at": "2026-03-02T10:00:00+08:00"}),
        ("visits", {"id": "v", "customer_id": {}, "at": "2026-03-02T10:00:00+08:00"}),
        ("complaints", {"id": {}, "events": [{"type": "received"}]}),
        ("complaints", {"id": "C-1", "events": [{"type": {}}]}),
    ],
)
def test_a_record_id_that_is_not_text_is_a_located_problem(
    name: str, record: dict[str, Any]
) -> None:
    problems = problems_of_load(name, json.dumps([record, record]), "json")
    assert problems
    assert all(p.path.startswith("$[") for p in problems)


# --------------------------------------------------------------------------- A4


def test_a_key_given_twice_refuses_its_record_and_keeps_the_others() -> None:
    text = (
        '[{"id":"p1","name":"机密","status":"prospect","status":"active"},'
        ' {"id":"p2","name":"公开"}]'
    )
    result = loads_customers(text)
    assert [c.id for c in result.items] == ["p2"]
    assert [p.path for p in result.problems] == ["$[0].status"]
    assert "given 2 times" in result.problems[0].message


def test_a_wrapper_key_given_twice_refuses_the_file() -> None:
    with pytest.raises(DataFileError) as caught:
        loads_customers('{"customers":[{"id":"c1","name":"A"}],"customers":[]}')
    assert [p.path for p in caught.value.problems] == ["$.customers"]


def test_a_key_given_twice_deep_in_a_record_is_reported_at_its_path() -> None:
    record = '{"id":"c1","name":"A","contacts":[{"phone":"13800138000","phone":"13900139000"}]}'
    result = loads_customers(f'{{"customers": [{{"id":"c0","name":"B"}}, {record}]}}')
    assert [c.id for c in result.items] == ["c0"]
    assert [p.path for p in result.problems] == ["$.customers[1].contacts[0].phone"]


def test_a_key_given_twice_in_a_complaint_refuses_that_complaint() -> None:
    event = {
        "type": "received",
        "at": "2026-02-13T17:30:00+08:00",
        "kind": "complaint",
        "severity": "normal",
        "customer_id": "acme",
        "channel": "电话",
        "summary": "上菜慢",
    }
    good = json.dumps({"id": "C-2", "events": [event]}, ensure_ascii=False)
    twice = good.replace('"id": "C-2"', '"id": "C-1", "id": "C-1"')
    result = loads_complaints(f"[{twice}, {good}]")
    assert [c.id for c in result.items] == ["C-2"]
    assert [p.path for p in result.problems] == ["$[0].id"]


@pytest.mark.parametrize(
    ("name", "text", "path"),
    [
        ("org", '{"name": "a", "name": "b"}', "$.name"),
        (
            "visit policy",
            '{"first_contact": "7 days", "first_contact": "3 days"}',
            "$.first_contact",
        ),
        ("complaint policy", '{"rules": [], "rules": []}', "$.rules"),
        ("visits", '[{"id": "v", "id": "w"}]', "$[0].id"),
    ],
)
def test_every_json_loader_reports_a_key_given_twice_at_its_path(
    name: str, text: str, path: str
) -> None:
    assert path in [p.path for p in problems_of_load(name, text, "json")]


@pytest.mark.parametrize(("name", "fmt"), [case for case in TEXT_CASES if case[1] == "toml"])
def test_toml_refuses_a_key_given_twice_with_its_line(name: str, fmt: str) -> None:
    with pytest.raises(DataFileError) as caught:
        load_text(name, 'a = "x"\na = "y"\n', fmt)
    assert "line 2" in caught.value.problems[0].message


def test_loads_refuses_a_key_given_twice() -> None:
    with pytest.raises(DataFileError) as caught:
        loads('{"a": {"b": 1, "b": 2}}', "json")
    assert [p.path for p in caught.value.problems] == ["$.a.b"]


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_a_lone_surrogate_refuses_its_record_and_keeps_the_others(fmt: str) -> None:
    if fmt == "json":
        text = r'[{"id": "c1", "name": "\ud800"}, {"id": "c2", "name": "\ud83d\ude00"}]'
    else:  # TOML refuses the escape itself; text handed over in Python may hold one
        text = '[[customers]]\nid = "c1"\nname = "\ud800"\n[[customers]]\nid = "c2"\nname = "B"\n'
    result = loads_customers(text, fmt)  # type: ignore[arg-type] # fmt is a Format
    assert [c.id for c in result.items] == ["c2"]
    root = "$" if fmt == "json" else "$.customers"
    assert [p.path for p in result.problems] == [f"{root}[0].name"]
    assert "lone surrogate" in result.problems[0].message


# --------------------------------------------------------------------------- A6


def test_a_long_value_is_quoted_briefly_with_its_length() -> None:
    visit = {"id": "v1", "customer_id": "c1", "at": "2026-03-02T10:00:00+08:00"}
    result = loads_visits(json.dumps([{**visit, "channel": "x" * 410_318}]))
    (problem,) = result.problems
    assert "410,318 characters" in problem.message
    assert len(problem.message) < 200


def test_a_long_repeated_id_and_a_long_unknown_key_are_quoted_briefly() -> None:
    long_id = "c" * 100_000
    document = {"customers": [{"id": long_id, "name": "A"}] * 2, "k" * 5000: 1}
    result = loads_customers(json.dumps(document))
    assert len(result.problems) == 2
    assert all(len(p.message) < 200 and len(p.path) < 200 for p in result.problems)


def test_a_data_problem_never_holds_a_whole_long_message() -> None:
    problem = DataProblem("$" + ".a" * 1000, "x" * 410_318)
    assert len(problem.message) < 600
    assert "410,318 characters" in problem.message
    assert len(problem.path) < 400


SECRET = "王总 私人手机 call after 5pm"

#: A confidential field of a record, wrongly filled with a value holding SECRET.
CONFIDENTIAL_LEAKS: dict[str, tuple[str, dict[str, Any]]] = {
    "a bad phone": ("customers", {"contacts": [{"phone": SECRET}]}),
    "a phone of another type": ("customers", {"contacts": [{"phone": [SECRET]}]}),
    "a name that is a list": ("customers", {"name": [SECRET]}),
    "opinions that are text": ("customers", {"opinions": SECRET}),
    "a card that is a list": ("customers", {"card": [SECRET]}),
    "a contact name that is a list": (
        "customers",
        {"contacts": [{"phone": "13800138000", "name": [SECRET]}]},
    ),
    "a credit rating that is a list": ("customers", {"credit_rating": [SECRET]}),
    "a spend kind that is a list": (
        "customers",
        {
            "spend": [
                {"at": "2026-01-05T19:30:00+08:00", "amount": {"amount": "1"}, "kind": [SECRET]}
            ]
        },
    ),
    "a birthday that is text": ("customers", {"birthday": SECRET}),
    "notes that are a list": ("visits", {"notes": [SECRET]}),
}


@pytest.mark.parametrize("case", sorted(CONFIDENTIAL_LEAKS))
def test_a_problem_never_quotes_a_confidential_field(case: str) -> None:
    name, fields = CONFIDENTIAL_LEAKS[case]
    base: dict[str, Any] = (
        {"id": "c1", "name": "某某", "status": "prospect"}
        if name == "customers"
        else {"id": "v1", "customer_id": "c1", "at": "2026-03-02T10:00:00+08:00"}
    )
    text = json.dumps([{**base, **fields}], ensure_ascii=False)
    problems = problems_of_load(name, text, "json")
    assert problems, case
    for problem in problems:
        assert "王总" not in problem.message
        assert "5pm" not in problem.message
        assert "王总" not in problem.path


def test_no_value_of_a_customer_record_is_quoted_whatever_its_field() -> None:
    record = {"id": "c1", "status": SECRET, "assigned_at": SECRET, "kind": [SECRET]}
    problems = loads_customers(json.dumps([record, record], ensure_ascii=False)).problems
    assert len(problems) >= 3
    assert not any("王总" in p.message for p in problems)


def test_a_repeated_customer_id_is_not_quoted() -> None:
    record = {"id": SECRET, "name": "A"}
    (problem,) = loads_customers(json.dumps([record, record], ensure_ascii=False)).problems
    assert problem.path == "$[1].id"
    assert "王总" not in problem.message


def test_a_record_that_is_not_an_object_is_not_quoted() -> None:
    result = loads_customers(json.dumps([SECRET], ensure_ascii=False))
    assert "王总" not in result.problems[0].message


def test_a_complaint_summary_is_never_quoted() -> None:
    event = {
        "type": "received",
        "at": "2026-02-13T17:30:00+08:00",
        "kind": "complaint",
        "severity": "normal",
        "customer_id": "acme",
        "channel": "电话",
        "summary": [SECRET],
    }
    result = loads_complaints(json.dumps([{"id": "C-1", "events": [event]}], ensure_ascii=False))
    assert [p.path for p in result.problems] == ["$[0].events[0].summary"]
    assert "王总" not in result.problems[0].message


def test_a_negative_credit_limit_says_what_is_wrong_without_the_amount() -> None:
    record = {"id": "c1", "name": "A", "credit_limit": {"amount": "-73519", "currency": "CNY"}}
    (problem,) = loads_customers(json.dumps([record])).problems
    assert problem.path.startswith("$[0].credit_limit")
    assert "73519" not in problem.message


def test_a_strict_load_does_not_chain_the_converters_words() -> None:
    with pytest.raises(DataFileError) as caught:
        loads_visit_policy('{"quiet_hours": ["' + SECRET + '"]}', "json")
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


# --------------------------------------------------------------------------- A7


@pytest.mark.parametrize("name", sorted(set(TEXT_LOADERS) - {"complaints"}))  # JSON only
def test_an_unknown_format_is_refused_naming_the_known_ones(name: str) -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        load_text(name, "[]", "yaml")
    assert "'json'" in str(caught.value)
    assert "'toml'" in str(caught.value)


@pytest.mark.parametrize("name", sorted(FILE_LOADERS))
@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".txt", ""])
def test_a_file_of_an_unknown_type_is_refused_not_read_as_json(
    tmp_path: Path, name: str, suffix: str
) -> None:
    file = tmp_path / f"data{suffix}"
    file.write_text("[]", encoding="utf-8")
    loader, _ = FILE_LOADERS[name]
    with pytest.raises(UnsupportedFormatError) as caught:
        loader(file, None)
    assert isinstance(caught.value, KeyAccountError)
    assert ".json" in str(caught.value)


def test_a_complaint_file_must_be_json(tmp_path: Path) -> None:
    file = tmp_path / "complaints.toml"
    file.write_text("", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError):
        load_complaints(file)
    with pytest.raises(UnsupportedFormatError):
        dump_complaints([], tmp_path / "complaints.yaml")


def test_nothing_is_written_in_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError):
        dump_customers([], tmp_path / "book.yaml")
    with pytest.raises(UnsupportedFormatError):
        dumps_customers([], "yaml")  # type: ignore[arg-type] # the refusal is the point
    assert not (tmp_path / "book.yaml").exists()


# --------------------------------------------------------------------------- kept records


#: Broken records, each as JSON text: the new kinds of issue 9.
BROKEN: dict[str, str] = {
    "a key given twice": '{"id": "b", "name": "机密", "status": "prospect", "status": "active"}',
    "a nested key given twice": '{"id": "b", "name": "A", "contacts": [{"phone": 1, "phone": 2}]}',
    "an id that is an object": '{"id": {}, "name": "A"}',
    "an id that is a list": '{"id": ["x"], "name": "A"}',
    "a huge unknown status": json.dumps({"id": "b", "name": "A", "status": "x" * 5000}),
    "a confidential bad phone": json.dumps(
        {"id": "b", "name": "A", "contacts": [{"phone": SECRET}]}
    ),
    "a record that is text": json.dumps(SECRET, ensure_ascii=False),
    "a record that is a list": '[["x"]]',
    "an empty object": "{}",
}


@given(
    st.lists(customer_records(), max_size=4, unique_by=lambda c: c.id),
    st.lists(st.sampled_from(sorted(BROKEN)), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_mixing_valid_and_broken_records_keeps_exactly_the_valid_ones(
    valid: list[Customer], broken: list[str], shuffle: Any, wrapped: bool
) -> None:
    texts = [
        json.dumps(record, ensure_ascii=False) for record in json.loads(dumps_customers(valid))
    ]
    entries = [(True, text) for text in texts] + [(False, BROKEN[kind]) for kind in broken]
    shuffle.shuffle(entries)
    listed = "[" + ", ".join(text for _, text in entries) + "]"
    document = f'{{"customers": {listed}}}' if wrapped else listed
    result = loads_customers(document)
    assert sorted(c.id for c in result.items) == sorted(c.id for c in valid)
    assert set(result.items) == set(valid)
    root = "$.customers" if wrapped else "$"
    bad = {f"{root}[{i}]" for i, (ok, _) in enumerate(entries) if not ok}
    assert {p.path[: p.path.index("]") + 1] for p in result.problems} == bad
    for problem in result.problems:
        assert "王总" not in problem.message
        assert len(problem.message) < 300


def test_a_file_amount_in_non_ascii_digits_is_refused_like_money_text() -> None:
    # one rule for decimal text: what Money("١٠٠") refuses, a file refuses too
    result = loads_customers(
        '[{"id": "c1", "name": "A", "credit_limit": {"amount": "١٠٠", "currency": "CNY"}},'
        ' {"id": "c2", "name": "B"}]'
    )
    assert [c.id for c in result.items] == ["c2"]
    assert [p.path for p in result.problems] == ["$[0].credit_limit.amount"]
    underscores = loads_customers(
        '[{"id": "c1", "name": "A", "credit_limit": {"amount": "1_000.50"}}]'
    )
    assert not underscores.items  # Python's Decimal reads "1_000.50"; money text does not
    assert [p.path for p in underscores.problems] == ["$[0].credit_limit.amount"]
