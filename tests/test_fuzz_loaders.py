"""The adversarial pass in the suite: fuzzed files of every loader and format.

Every loader (org charts, customers, visits, complaints, visit and complaint policies,
year tables) in each of its formats loads `KEYACCOUNT_FUZZ_FILES` fuzzed files (default
80; CI may raise it, `tools/fuzz_loaders.py` runs 10,000), each made from a valid
document by one to three mutations (`tests/fuzzing`). Each invariant is its own test,
so that a failure names the invariant, the loader and the format, and shows the first
file that broke it.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path

import attrs
import pytest

from fuzzing import LOADERS, Case, Tally, check, pairs, run
from fuzzing.mutations import secrets_of
from keyaccount.io import Format

FILES = int(os.environ.get("KEYACCOUNT_FUZZ_FILES", "80"))
SEED = int(os.environ.get("KEYACCOUNT_FUZZ_SEED", "0"))

PAIRS = pairs()
RECORD_PAIRS = [(name, fmt) for name, fmt in PAIRS if LOADERS[name].records]
CUSTOMER_PAIRS = [(name, fmt) for name, fmt in PAIRS if name == "customers"]


def _ids(pair: tuple[str, Format]) -> str:
    return f"{pair[0]}-{pair[1]}"


@functools.cache
def campaign(loader: str, fmt: Format) -> Tally:
    """The fuzzed files of one loader and format (run once per test session)."""
    with tempfile.TemporaryDirectory() as folder:
        return run(loader, fmt, FILES, SEED, Path(folder))


def failures(loader: str, fmt: Format, category: str) -> str:
    """The count of files failing `category`, and the first file of each of its classes."""
    tally = campaign(loader, fmt)
    lines = [f"{tally.counts[category]} of {tally.files} files failed ({category}):"]
    for (kind, group), example in tally.first.items():
        if kind == category:
            lines.append(
                f"- {group} ({tally.seen[(kind, group)]} files), made by {example.mutations}:"
                f"\n  {example.detail[:300]}\n  file: {example.data[:300]!r}"
            )
    return "\n".join(lines)


@pytest.mark.parametrize(("loader", "fmt"), PAIRS, ids=map(_ids, PAIRS))
def test_only_keyaccount_errors_escape_a_loader(loader: str, fmt: Format) -> None:
    assert campaign(loader, fmt).counts["crash"] == 0, failures(loader, fmt, "crash")


@pytest.mark.parametrize(("loader", "fmt"), PAIRS, ids=map(_ids, PAIRS))
def test_every_problem_of_a_file_names_its_path(loader: str, fmt: Format) -> None:
    assert campaign(loader, fmt).counts["unlocated"] == 0, failures(loader, fmt, "unlocated")


@pytest.mark.parametrize(("loader", "fmt"), RECORD_PAIRS, ids=map(_ids, RECORD_PAIRS))
def test_a_bad_record_loses_no_valid_record(loader: str, fmt: Format) -> None:
    assert campaign(loader, fmt).counts["lost"] == 0, failures(loader, fmt, "lost")


@pytest.mark.parametrize(("loader", "fmt"), PAIRS, ids=map(_ids, PAIRS))
def test_what_loads_comes_back_equal_zone_included_after_dump_and_load(
    loader: str, fmt: Format
) -> None:
    assert campaign(loader, fmt).counts["inexact"] == 0, failures(loader, fmt, "inexact")


@pytest.mark.parametrize(("loader", "fmt"), PAIRS, ids=map(_ids, PAIRS))
def test_no_problem_quotes_more_than_a_few_hundred_characters(loader: str, fmt: Format) -> None:
    assert campaign(loader, fmt).counts["long"] == 0, failures(loader, fmt, "long")


@pytest.mark.parametrize(("loader", "fmt"), CUSTOMER_PAIRS, ids=map(_ids, CUSTOMER_PAIRS))
def test_no_problem_quotes_a_confidential_prospects_value(loader: str, fmt: Format) -> None:
    assert campaign(loader, fmt).counts["leak"] == 0, failures(loader, fmt, "leak")


_PROSPECT = '{"id":"p1","name":"机密有限公司","status":"prospect","contacts":[{"phone":"%s"}]}'
_ACTIVE = '{"id":"c2","name":"A","owner":"s1"}'
_CONTACT_TEXT = "王经理 138 0013 8000 晚上打" * 3


@attrs.frozen
class Known:
    """One of the issue's adversarial files, and what loading it must do."""

    loader: str
    fmt: Format
    data: bytes
    #: the file's untouched records alone (when one record was made bad).
    untouched: bytes | None = None
    #: whether loading must report a problem (refuse the file, or a record of it).
    refused: bool = True

    def case(self) -> Case:
        secrets: frozenset[str] = frozenset()
        if self.loader == "customers" and self.untouched is not None:
            secrets = secrets_of(json.loads(self.data))
        return Case(self.data, "known", self.untouched, secrets, self.refused)


KNOWN = [
    Known("customers", "json", b"\xff[]"),  # A1
    Known("customers", "toml", b"\xff"),
    Known("customers", "json", b"[" * 100_000 + b"]" * 100_000),  # A2
    Known("customers", "toml", b"x = " + b"[" * 100_000 + b"]" * 100_000),
    Known("org", "json", b'{"departments": [{"id": {}, "title": "t"}], "positions": []}'),  # A3
    Known(  # A4
        "customers",
        "json",
        b'[{"id":"p1","name":"x","status":"prospect","status":"active"},' + _ACTIVE.encode() + b"]",
        f"[{_ACTIVE}]".encode(),
    ),
    Known("customers", "json", b'{"customers":[{"id":"c1","name":"A"}],"customers":[]}'),
    Known("visit-policy", "toml", b'first_contact = "99999999 days"\n'),  # A5
    Known(
        "complaint-policy",
        "json",
        b'{"rules": [{"kind": "complaint", "resolution": {"within": "99999999999 hours"}}]}',
    ),
    Known("visit-policy", "toml", 'return_visit = "٣ days"\n'.encode()),  # A7
    Known("visit-policy", "json", '{"first_contact": "３ workdays"}'.encode()),
    Known("visit-policy", "json", '{"first_contact": "3\u00a0days"}'.encode()),
    Known(  # A6
        "customers",
        "json",
        ("[" + _PROSPECT % _CONTACT_TEXT + "," + _ACTIVE + "]").encode(),
        f"[{_ACTIVE}]".encode(),
    ),
    Known(
        "customers", "json", ('[{"id":"c1","name":"' + "x" * 410_318 + '","owner":[]}]').encode()
    ),
    Known("customers", "json", b'[{"id":"c1","name":"\\ud800"}]'),
]


@pytest.mark.parametrize("known", KNOWN, ids=lambda k: f"{k.loader}-{k.fmt}-{k.data[:30]!r}")
def test_the_issues_adversarial_files_break_no_invariant(known: Known, tmp_path: Path) -> None:
    assert check(LOADERS[known.loader], known.fmt, known.case(), tmp_path) == []


def test_the_fuzzer_starts_from_valid_documents_of_every_loader() -> None:
    for name, fmt in PAIRS:
        assert LOADERS[name].bases(fmt, 2, SEED), f"{name} has no {fmt} document to start from"
