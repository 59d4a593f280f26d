"""Club files (JSON or TOML): the charter, the card events and the points operations.

A club file is one object: an optional ``policy`` (the `ClubPolicy`; the default
charter when absent), the ``cards`` (card events, each tagged with its ``type``) and
the ``operations`` of the points ledger (tagged the same way):

    {
      "policy": {"levels": [...], "earn_rules": [...], "window_days": 365, ...},
      "cards": [
        {"type": "issued", "at": "2026-01-05T10:00:00+08:00", "card": "C-1",
         "member_id": "m1", "valid_until": "2027-01-05T00:00:00+08:00"},
        {"type": "lost", "at": "...", "card": "C-1"},
        {"type": "replaced", "at": "...", "card": "C-1", "new_card": "C-2"}
      ],
      "operations": [
        {"type": "earn", "id": "E-1", "at": "...", "card": "C-1",
         "spend": {"amount": "880.00", "currency": "CNY"}, "kind": "room"},
        {"type": "redeem", "id": "R-1", "at": "...", "card": "C-2", "points": 500,
         "gift": "保温杯"}
      ]
    }

`load_club` keeps every valid record and reports each bad one at its path: a malformed
field (``$.operations[3].spend.amount``: a float is refused), an unknown ``type``, a
card event the card's state does not allow (``$.cards[2]``: a replaced card reported
lost), an operation the ledger refuses (``$.operations[5]``: more points redeemed than
the balance, a blocked or unknown card, an id reused with other content). A record
refused is left out and the rest are folded as if it had not been there. A bad policy
makes the whole file unreadable (`DataFileError`), since no operation can be valued
without it. `LoadedClub.strict()` returns the ledger or raises `DataFileError` listing
every problem. Dump then load gives back an equal ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from keyaccount.club import (
    DEFAULT_CLUB_POLICY,
    Adjust,
    CardEvent,
    CardIssued,
    CardRenewed,
    CardReplaced,
    CardReportedLost,
    ClubPolicy,
    Earn,
    Ledger,
    Operation,
    Redeem,
    Reverse,
    replay_cards,
    replay_ledger,
)
from keyaccount.errors import DataFileError, DataProblem
from keyaccount.io._quoting import key_path, quote
from keyaccount.io.converter import _CONVERTER, _DATA_ERRORS, _problems, unstructure
from keyaccount.io.documents import Format, _parse, _Parsed, _read, _walked, _write, dumps
from keyaccount.io.records import _cycle_collection_paused, _index_of, _strict

__all__ = [
    "CARD_EVENT_TYPES",
    "OPERATION_TYPES",
    "ClubFile",
    "LoadedClub",
    "dump_club",
    "dumps_club",
    "load_club",
    "loads_club",
]

#: The ``type`` tag of each card event in club files.
CARD_EVENT_TYPES: Final[dict[str, type]] = {
    "issued": CardIssued,
    "lost": CardReportedLost,
    "replaced": CardReplaced,
    "renewed": CardRenewed,
}
#: The ``type`` tag of each ledger operation in club files.
OPERATION_TYPES: Final[dict[str, type]] = {
    "earn": Earn,
    "redeem": Redeem,
    "adjust": Adjust,
    "reverse": Reverse,
}
_TAG_OF: Final = {
    cls: tag for tags in (CARD_EVENT_TYPES, OPERATION_TYPES) for tag, cls in tags.items()
}
_KEYS: Final = ("policy", "cards", "operations")


@attrs.frozen
class ClubFile:
    """The shape of a club file, for its JSON Schema (`json_schema(ClubFile)`).

    Attributes:
        cards: the card events, oldest first, each with its ``type`` tag.
        operations: the ledger's operations, in the order recorded, each tagged.
        policy: the club's charter (the default charter when absent).
    """

    cards: tuple[CardIssued | CardReportedLost | CardReplaced | CardRenewed, ...]
    operations: tuple[Earn | Redeem | Adjust | Reverse, ...]
    policy: ClubPolicy = DEFAULT_CLUB_POLICY


@attrs.frozen
class LoadedClub:
    """What a club file loaded into: the ledger of its valid records, and the problems.

    Attributes:
        ledger: the ledger (cards, policy, operations) of every valid record.
        problems: one entry per problem, each at its path (``$.operations[3].points``).
        source: the file (or document) name, for messages.
    """

    ledger: Ledger
    problems: tuple[DataProblem, ...]
    source: str = "document"

    @property
    def ok(self) -> bool:
        """Whether the file had no problems."""
        return not self.problems

    def strict(self) -> Ledger:
        """The ledger, if the file had no problem at all.

        Raises:
            DataFileError: the file had problems; it lists every one with its path.
        """
        return _strict(self.ledger, self.problems, self.source)


def _tagged(data: object, path: str, types: Mapping[str, type], what: str) -> Any:
    """The record at ``path`` built by its ``type`` tag, or a list of its problems."""
    if not isinstance(data, Mapping):
        return [DataProblem(path, f"expected a {what} object, got {type(data).__name__}")]
    tag = data.get("type")
    cls = types.get(tag) if isinstance(tag, str) else None
    if cls is None:
        known = ", ".join(types)
        return [
            DataProblem(f"{path}.type", f"unknown {what} type {quote(tag)}; use one of {known}")
        ]
    fields = {key: value for key, value in data.items() if key != "type"}
    try:
        return _CONVERTER.structure(fields, cls)
    except _DATA_ERRORS as error:
        return list(_problems(error, path, cls))


def _records(
    data: Mapping[str, Any],
    key: str,
    types: Mapping[str, type],
    what: str,
    refused: set[int],
    problems: list[DataProblem],
) -> list[tuple[int, Any]]:
    """Every record of the list ``key`` that builds, with its index; the rest reported."""
    root = f"$.{key}"
    items = data.get(key, [])
    if not isinstance(items, list):
        problems.append(
            DataProblem(root, f"expected a list of {what}s, got {type(items).__name__}")
        )
        return []
    built = []
    for index, item in enumerate(items):
        if index in refused:
            continue
        found = _tagged(item, f"{root}[{index}]", types, what)
        if isinstance(found, list):
            problems.extend(found)
        else:
            built.append((index, found))
    return built


def _policy(data: Mapping[str, Any], source: str, problems: list[DataProblem]) -> ClubPolicy:
    if "policy" not in data:
        return DEFAULT_CLUB_POLICY
    try:
        policy: ClubPolicy = _CONVERTER.structure(data["policy"], ClubPolicy)
    except _DATA_ERRORS as error:
        raise DataFileError(
            source, [*problems, *_problems(error, "$.policy", ClubPolicy)]
        ) from None
    return policy


def _club(parsed: _Parsed) -> LoadedClub:
    """The one loader of club files (see the module docstring)."""
    parsed = _walked(parsed)
    data, source = parsed.data, parsed.source
    if not isinstance(data, Mapping):
        problem = DataProblem(
            "$", f"expected an object with cards and operations, got {type(data).__name__}"
        )
        raise DataFileError(source, [problem])
    refused: dict[str, set[int]] = {"cards": set(), "operations": set()}
    problems: list[DataProblem] = []
    for fault in parsed.faults:  # a key given twice: its record is refused, else the file
        owner = next((k for k in refused if _index_of(fault.path, f"$.{k}") >= 0), None)
        if owner is None:
            raise DataFileError(source, parsed.faults)
        refused[owner].add(_index_of(fault.path, f"$.{owner}"))
        problems.append(fault)
    problems.extend(
        DataProblem(
            key_path("$", extra), "unknown key; a club file holds policy, cards and operations"
        )
        for extra in sorted(str(k) for k in data if k not in _KEYS)
    )
    policy = _policy(data, source, problems)
    events = _records(data, "cards", CARD_EVENT_TYPES, "card event", refused["cards"], problems)
    cards = replay_cards(event for _, event in events)
    problems.extend(DataProblem(f"$.cards[{events[r.index][0]}]", r.reason) for r in cards.refusals)
    ops = _records(
        data, "operations", OPERATION_TYPES, "operation", refused["operations"], problems
    )
    replayed = replay_ledger(cards.cards, (op for _, op in ops), policy)
    problems.extend(
        DataProblem(f"$.operations[{ops[r.index][0]}]", r.reason) for r in replayed.refusals
    )
    return LoadedClub(replayed.ledger, tuple(problems), source)


def loads_club(text: str | bytes, fmt: Format = "json", *, source: str = "document") -> LoadedClub:
    """A club ledger from JSON or TOML text, keeping every valid record.

    Raises:
        DataFileError: the text is not JSON/TOML, not an object, or its policy is bad.
    """
    with _cycle_collection_paused():
        return _club(_parse(text, fmt, source))


def load_club(path: str | Path, fmt: Format | None = None) -> LoadedClub:
    """A club ledger from a ``.json`` or ``.toml`` file, keeping every valid record.

    Examples:
        >>> import json, pathlib, tempfile
        >>> file = pathlib.Path(tempfile.mkdtemp()) / "club.json"
        >>> at = "2026-01-05T10:00:00+08:00"
        >>> _ = file.write_text(json.dumps({
        ...     "cards": [{"type": "issued", "at": at, "card": "C-1", "member_id": "m1",
        ...                "valid_until": "2027-01-05T00:00:00+08:00"}],
        ...     "operations": [
        ...         {"type": "earn", "id": "E-1", "at": at, "card": "C-1",
        ...          "spend": {"amount": "880", "currency": "CNY"}, "kind": "room"},
        ...         {"type": "redeem", "id": "R-1", "at": at, "card": "C-1",
        ...          "points": 5000, "gift": "cup"}]}))
        >>> loaded = load_club(file)
        >>> [op.id for op in loaded.ledger.operations], loaded.problems[0].path
        (['E-1'], '$.operations[1]')

    Raises:
        DataFileError: the file cannot be read or parsed, is not an object, or its
            policy is bad.
    """
    with _cycle_collection_paused():
        return _club(_read(path, fmt))


def _tagged_data(record: CardEvent | Operation) -> dict[str, Any]:
    data: dict[str, Any] = {"type": _TAG_OF[type(record)]}
    data.update(unstructure(record))
    return data


def _plain(ledger: Ledger) -> dict[str, Any]:
    return {
        "policy": unstructure(ledger.policy),
        "cards": [_tagged_data(event) for event in ledger.cards.events],
        "operations": [_tagged_data(op) for op in ledger.operations],
    }


def dumps_club(ledger: Ledger, fmt: Format = "json") -> str:
    """``ledger`` as JSON or TOML text that `loads_club` reads back to an equal ledger."""
    return dumps(_plain(ledger), fmt)


def dump_club(ledger: Ledger, path: str | Path, fmt: Format | None = None) -> None:
    """Write ``ledger`` to a ``.json`` or ``.toml`` file."""
    _write(path, fmt, lambda chosen: dumps_club(ledger, chosen))
