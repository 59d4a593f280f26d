"""The top-level namespace: domain values and rules; io, reference and testing on demand."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import keyaccount
import keyaccount.errors
import keyaccount.io


def test_the_version_is_a_release_number() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", keyaccount.__version__)


def test_io_names_and_specific_errors_are_not_top_level_names() -> None:
    top = set(keyaccount.__all__)
    assert not top & set(keyaccount.io.__all__)
    assert top & set(keyaccount.errors.__all__) == {"KeyAccountError"}
    assert all(hasattr(keyaccount, name) for name in top)


def test_io_reference_and_testing_are_attributes_after_a_plain_import() -> None:
    script = (
        "import keyaccount; "
        "print(keyaccount.reference.names()[0], keyaccount.io.LoadResult.__name__, "
        "keyaccount.testing.FrozenClock.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["customer-service", "LoadResult", "FrozenClock"]
    assert {"io", "reference", "testing"} <= set(dir(keyaccount))


def test_a_plain_import_loads_neither_files_nor_holiday_tables_nor_hypothesis() -> None:
    script = (
        "import sys, keyaccount; keyaccount.reference.load('key-account'); "
        "print(sorted(m for m in ('chinese_calendar', 'hypothesis', 'keyaccount.testing') "
        "if m in sys.modules)); "
        "print('keyaccount.io' in sys.modules)"
    )
    bare = subprocess.run(
        [sys.executable, "-c", "import sys, keyaccount; print('keyaccount.io' in sys.modules)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bare.stdout.strip() == "False", bare.stderr
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True"], done.stderr


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = keyaccount.no_such_name
    assert not hasattr(keyaccount, "load_customers")
