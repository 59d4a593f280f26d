"""`to_jsonable` / `to_json` given what a careless caller or an attacker hands it.

Every refusal is the typed `UnsupportedTypeError` with the path of the bad value, never
a `RecursionError`, a `ValueError` from `json.dumps`, or JSON text that silently loses a
value or is not valid ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from decimal import Decimal

import pendulum
import pytest

from keyaccount.errors import UnsupportedTypeError
from keyaccount.io import to_json, to_jsonable
from keyaccount.io.jsonable import MAX_DEPTH, iso_duration
from keyaccount.io.result_schema import DURATION_PATTERN


def test_a_list_that_holds_itself_is_refused_at_the_cycle() -> None:
    cycle: list[object] = [1]
    cycle.append({"again": cycle})
    with pytest.raises(UnsupportedTypeError, match=r"cycle.*@ \$\[1\]\.again$"):
        to_json(cycle)


def test_a_mapping_that_holds_itself_is_refused() -> None:
    loop: dict[str, object] = {}
    loop["self"] = loop
    with pytest.raises(UnsupportedTypeError, match=r"cycle.*@ \$\.self$"):
        to_jsonable(loop)


def test_the_same_value_twice_is_not_a_cycle() -> None:
    shared = [1, 2]
    assert to_jsonable({"a": shared, "b": (shared, shared)}) == {
        "a": [1, 2],
        "b": [[1, 2], [1, 2]],
    }


def test_very_deep_nesting_is_refused_by_type_not_by_recursion_error() -> None:
    deep: list[object] = []
    inner = deep
    for _ in range(5000):
        nested: list[object] = []
        inner.append(nested)
        inner = nested
    with pytest.raises(UnsupportedTypeError, match="nested more than"):
        to_json(deep)


def test_reasonably_deep_nesting_is_written() -> None:
    deep: object = "leaf"
    for _ in range(MAX_DEPTH - 1):
        deep = [deep]
    assert json.loads(to_json(deep, indent=None)) == to_jsonable(deep)


def test_an_int_too_long_for_json_text_is_refused_with_its_path() -> None:
    with pytest.raises(UnsupportedTypeError, match=r"int of \d+ digits.*@ \$\.n$"):
        to_json({"n": 10**5000})
    assert to_json(10**30) == str(10**30)


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_decimal_that_is_not_a_number_is_refused_like_a_float(text: str) -> None:
    with pytest.raises(
        UnsupportedTypeError, match=rf"the Decimal {re.escape(text)} as JSON @ \$\[0\]$"
    ):
        to_jsonable([Decimal(text)])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (pendulum.duration(years=1, days=-400), "-P35D"),  # 365 - 400 days
        (pendulum.duration(months=1, days=-40), "-P10D"),
        (pendulum.duration(years=-1, days=5), "-P360D"),
        (pendulum.duration(years=1, months=-1), "P335D"),
        (pendulum.duration(years=-1, days=-5), "-P1Y5D"),
        (pendulum.duration(years=1, months=2, days=3), "P1Y2M3D"),
    ],
)
def test_a_duration_of_mixed_signs_is_valid_iso_8601(
    value: pendulum.Duration, expected: str
) -> None:
    # "P1Y-400D" and "P-1Y5D" are not ISO 8601: a duration has one sign
    text = iso_duration(value)
    assert text == expected
    assert re.fullmatch(DURATION_PATTERN, text)


class _Level(enum.Enum):
    LOW = 1
    HIGH = 2


def test_an_enum_key_is_written_by_its_wire_value_whatever_its_type() -> None:
    assert to_jsonable({_Level.LOW: "a", _Level.HIGH: "b"}) == {"1": "a", "2": "b"}


@pytest.mark.parametrize(
    "mapping",
    [{1: "int", "1": "text"}, {dt.date(2026, 1, 1): "date", "2026-01-01": "text"}],
)
def test_two_keys_that_write_the_same_text_are_refused_not_merged(
    mapping: dict[object, str],
) -> None:
    with pytest.raises(UnsupportedTypeError, match=r"key .* twice @ \$$"):
        to_jsonable(mapping)
