"""What kind of keyaccount file is this? A guess from a document's top-level keys.

Given the wrong file, a loader reports every field it does not know, one problem per
field (a customers file read as complaints gives dozens of "unknown field" lines). A
person needs one sentence instead: "this looks like a customers file, not a complaints
file". `document_kind` guesses the kind of a parsed document from its keys alone:

* a record file (customers, visits, staff, complaints, done duties) is a list of objects, or an
  object with one wrapper key holding the list (``{"visits": [...]}``); its kind is the
  one whose record fields cover the most of the keys its records use;
* a one-value file (an org chart, a visit or complaint policy, year tables) is an
  object whose keys are that value's fields.

The guess is only ever used to explain a file that failed to load: it never decides
how a file is read.

Examples:
    >>> document_kind([{"id": "c1", "name": "某某集团", "tier": "key-account"}])
    'customers'
    >>> document_kind({"name": "x", "title": "部", "title_en": "Dept", "positions": []})
    'org chart'
    >>> document_kind({"anything": 1}) is None
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import attrs

from keyaccount.complaints import ComplaintPolicy
from keyaccount.customers import Customer, Staff
from keyaccount.duties import DoneRecord
from keyaccount.errors import KeyAccountError
from keyaccount.io.documents import Format, read_document
from keyaccount.org import OrgChart
from keyaccount.visits import VisitPolicy, VisitRecord

__all__ = ["KINDS", "FileKind", "document_kind", "file_kind"]

#: How many records of a list are looked at: enough to see the keys a file uses.
_SAMPLE: Final = 50
#: The least share of a document's keys a kind must know to be named.
_LEAST_SHARE: Final = 0.6


def _fields(cls: type) -> frozenset[str]:
    """The public field names of an attrs class: the keys its files write."""
    return frozenset(a.name for a in attrs.fields(cls) if not a.name.startswith("_"))


@attrs.frozen
class FileKind:
    """A kind of keyaccount file and the keys that give it away.

    Attributes:
        name: how messages name it (``"customers"``, ``"org chart"``).
        keys: the keys of one record (a record file) or of the document (a one-value
            file).
        wrapper: the key a record file may wrap its list in (``"customers"``), or
            ``None`` for a one-value file.
    """

    name: str
    keys: frozenset[str]
    wrapper: str | None = None


#: Every kind `document_kind` can name. A new kind of file adds its row here.
KINDS: Final = (
    FileKind("customers", _fields(Customer), "customers"),
    FileKind("visits", _fields(VisitRecord), "visits"),
    FileKind("staff", _fields(Staff), "staff"),
    FileKind("complaints", frozenset({"id", "events"}), "complaints"),
    FileKind("done records", _fields(DoneRecord), "done"),
    FileKind("org chart", _fields(OrgChart)),
    FileKind("visit policy", _fields(VisitPolicy)),
    FileKind("complaint policy", _fields(ComplaintPolicy)),
    FileKind("year tables", frozenset({"years"})),
    FileKind("club", frozenset({"policy", "cards", "operations"})),
)


def _best(keys: frozenset[str], kinds: tuple[FileKind, ...]) -> str | None:
    """The kind whose keys cover the largest share of `keys`, if one clearly does."""
    if not keys:
        return None
    scored = sorted(
        ((len(keys & kind.keys) / len(keys), len(keys & kind.keys), kind.name) for kind in kinds),
        reverse=True,
    )
    (share, hits, name), runner_up = scored[0], scored[1]
    if share < _LEAST_SHARE or (share, hits) == runner_up[:2]:
        return None  # too few keys known, or two kinds fit equally well
    return name


def _record_keys(records: list[object]) -> frozenset[str]:
    """The keys the first records of a list use."""
    keys: set[str] = set()
    for record in records[:_SAMPLE]:
        if isinstance(record, Mapping):
            keys.update(str(key) for key in record)
    return frozenset(keys)


def document_kind(data: object) -> str | None:
    """The kind of keyaccount file a parsed document looks like, from its keys.

    Args:
        data: a parsed JSON or TOML document (plain lists, dicts, values).

    Returns:
        A name from `KINDS` (``"customers"``, ``"org chart"``...), or ``None`` when the
        keys fit no kind, or two kinds equally.
    """
    records = tuple(kind for kind in KINDS if kind.wrapper is not None)
    if isinstance(data, list):
        return _best(_record_keys(data), records)
    if not isinstance(data, Mapping):
        return None
    keys = frozenset(str(key) for key in data)
    for kind in records:
        if keys == {kind.wrapper} and isinstance(data[kind.wrapper], list):
            return _best(_record_keys(data[kind.wrapper]), records) or kind.name
    return _best(keys, tuple(kind for kind in KINDS if kind.wrapper is None))


def file_kind(path: str | Path, fmt: Format | None = None) -> str | None:
    """The kind of keyaccount file `path` looks like (`document_kind`), or ``None``.

    A file that cannot be read or parsed has no kind: its loader reports why.

    Args:
        path: the file; its suffix gives the format unless `fmt` does.
        fmt: ``"json"`` or ``"toml"``.

    Returns:
        A name from `KINDS`, or ``None``.
    """
    try:
        data, _source = read_document(path, fmt)
    except (KeyAccountError, OSError):
        return None
    return document_kind(data)
