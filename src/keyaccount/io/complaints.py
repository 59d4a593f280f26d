"""Complaint files (JSON event lists) and complaint policy files (TOML or JSON).

A complaints file is a JSON list; each item is one complaint with its events, each
event tagged with its `type`:

    [
      {"id": "C-1", "events": [
        {"type": "received", "at": "2026-02-13T17:30:00+08:00", "kind": "complaint",
         "severity": "normal", "customer_id": "acme", "channel": "电话", "summary": "..."},
        {"type": "accepted", "at": "2026-02-13T17:40:00+08:00", "by": "cs-specialist"}
      ]}
    ]

`load_complaints` returns a `LoadResult`: every valid complaint, and each malformed one
reported with its index and the path of the bad field (`$[2].events[3].at`); an event
its complaint's status does not allow is reported at that event, and a key given twice
at its path (that complaint is left out). `result.strict()`
returns the complaints or raises `DataFileError` listing every problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from keyaccount.complaints import (
    Accepted,
    Assigned,
    Closed,
    Complaint,
    ComplaintEvent,
    ComplaintPolicy,
    Escalated,
    FollowedUp,
    Paused,
    Received,
    Reopened,
    Resolved,
    Resumed,
)
from keyaccount.errors import DataProblem, InvalidTransition, UnsupportedFormatError
from keyaccount.io._quoting import key_path, quote
from keyaccount.io.converter import (
    _CONVERTER,
    _DATA_ERRORS,
    _load_value,
    _loads_value,
    _problems,
    unstructure,
)
from keyaccount.io.documents import (
    Format,
    _format_of,
    _parse,
    _Parsed,
    _read,
    _walked,
    _write,
    dumps,
)
from keyaccount.io.records import LoadResult, _first_of_each_id, _refused

__all__ = [
    "EVENT_TYPES",
    "complaints_from_data",
    "complaints_to_data",
    "dump_complaint_policy",
    "dump_complaints",
    "dumps_complaint_policy",
    "dumps_complaints",
    "load_complaint_policy",
    "load_complaints",
    "loads_complaint_policy",
    "loads_complaints",
]

#: The `type` tag of each event class in files.
EVENT_TYPES: Final[dict[str, type]] = {
    "received": Received,
    "accepted": Accepted,
    "assigned": Assigned,
    "paused": Paused,
    "resumed": Resumed,
    "escalated": Escalated,
    "resolved": Resolved,
    "followed-up": FollowedUp,
    "reopened": Reopened,
    "closed": Closed,
}
_TAG_OF: Final = {cls: tag for tag, cls in EVENT_TYPES.items()}


def _event_from_data(data: object, path: str) -> LoadResult[ComplaintEvent]:
    """The event at `path` (one item), or its problems."""
    if not isinstance(data, Mapping):
        return LoadResult(
            (), (DataProblem(path, f"expected an event object, got {type(data).__name__}"),)
        )
    tag = data.get("type")
    cls = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if cls is None:
        known = ", ".join(EVENT_TYPES)
        return LoadResult(
            (),
            (DataProblem(f"{path}.type", f"unknown event type {quote(tag)}; use one of {known}"),),
        )
    fields = {key: value for key, value in data.items() if key != "type"}
    try:
        event: ComplaintEvent = _CONVERTER.structure(fields, cls)
    except _DATA_ERRORS as error:
        return LoadResult((), tuple(_problems(error, path, cls)))
    return LoadResult((event,), ())


def _complaint_from_data(data: object, path: str) -> LoadResult[Complaint]:
    """The complaint at `path` (one item), or every problem of it."""
    if not isinstance(data, Mapping):
        return LoadResult(
            (), (DataProblem(path, f"expected a complaint object, got {type(data).__name__}"),)
        )
    problems = [
        DataProblem(key_path(path, key), "unknown field; a complaint has 'id' and 'events'")
        for key in data
        if key not in ("id", "events")
    ]
    complaint_id = data.get("id")
    if not isinstance(complaint_id, str) or not complaint_id.strip():
        got = quote(complaint_id) if isinstance(complaint_id, str) else type(complaint_id).__name__
        problems.append(DataProblem(f"{path}.id", f"expected a non-empty id, got {got}"))
    events = data.get("events")
    if not isinstance(events, list) or not events:
        problems.append(DataProblem(f"{path}.events", "expected a non-empty list of events"))
        return LoadResult((), tuple(problems))
    built: list[ComplaintEvent] = []
    for index, item in enumerate(events):
        loaded = _event_from_data(item, f"{path}.events[{index}]")
        problems.extend(loaded.problems)
        built.extend(loaded.items)
    if problems or not isinstance(complaint_id, str):
        return LoadResult((), tuple(problems))
    complaint: Complaint | None = None
    for index, event in enumerate(built):
        try:
            if complaint is None:
                complaint = Complaint(complaint_id, (event,))
            else:
                complaint = complaint.record(event)
        except InvalidTransition as error:  # names statuses and events, never a value
            return LoadResult((), (DataProblem(f"{path}.events[{index}]", str(error)),))
    return LoadResult(() if complaint is None else (complaint,), ())


def complaints_from_data(
    data: object, *, root: str = "$", source: str = "document"
) -> LoadResult[Complaint]:
    """Complaints from parsed JSON: the valid ones and every problem of the others.

    A complaint id used twice is reported at the second one (`$[4].id`), which is left out.

    Args:
        data: a parsed complaints file (a list of complaints).
        root: the path of the list in its document.
        source: the document's name, for messages.

    Returns:
        The valid complaints and the problems of the others.
    """
    return _complaints_of(_Parsed(data, source), root)


def _complaints_of(parsed: _Parsed, root: str = "$") -> LoadResult[Complaint]:
    """The complaints of a parsed document; one holding a key given twice is left out."""
    parsed = _walked(parsed)
    data, source = parsed.data, parsed.source
    if not isinstance(data, list):
        problem = DataProblem(root, f"expected a list of complaints, got {type(data).__name__}")
        return LoadResult((), (*parsed.faults, problem), source)
    refused = _refused(parsed.faults, root, source)
    built: list[tuple[int, Complaint]] = []
    problems: list[DataProblem] = list(parsed.faults)
    for index, item in enumerate(data):
        if index in refused:  # a key given twice, or nesting too deep: not built
            continue
        found = _complaint_from_data(item, f"{root}[{index}]")
        problems.extend(found.problems)
        built.extend((index, complaint) for complaint in found.items)
    unique = _first_of_each_id(built, root, "complaint id")
    return LoadResult(unique.items, (*problems, *unique.problems), source)


def _event_to_data(event: ComplaintEvent) -> dict[str, Any]:
    data: dict[str, Any] = {"type": _TAG_OF[type(event)]}
    data.update(unstructure(event))
    return data


def complaints_to_data(complaints: Iterable[Complaint]) -> list[dict[str, Any]]:
    """Plain data (for JSON) that `complaints_from_data` reads back to equal complaints.

    A list, as `json.loads` gives it back: this is the file's own form, not a result.
    """
    return [
        {"id": c.id, "events": [_event_to_data(event) for event in c.events]} for c in complaints
    ]


def _json_file(path: str | Path) -> Path:
    """`path`, if it names a JSON file: complaint files are JSON only.

    Raises:
        UnsupportedFormatError: the suffix is not `.json`.
    """
    file = Path(path)
    if _format_of(file, None) != "json":
        raise UnsupportedFormatError(f"{file}: complaint files are JSON; use a .json file")
    return file


def loads_complaints(text: str | bytes, *, source: str = "document") -> LoadResult[Complaint]:
    """Complaints from JSON text (`bytes` are read as UTF-8), keeping the valid ones;
    problems carry paths.

    Raises:
        DataFileError: the text is not JSON at all, or gives a key twice outside every
            complaint.
    """
    return _complaints_of(_parse(text, "json", source))


def load_complaints(path: str | Path) -> LoadResult[Complaint]:
    """Complaints from a `.json` file, keeping the valid ones; problems carry paths.

    Raises:
        DataFileError: the file cannot be read or is not JSON.
        UnsupportedFormatError: the file's suffix is not `.json`.
    """
    return _complaints_of(_read(_json_file(path), "json"))


def dumps_complaints(complaints: Iterable[Complaint]) -> str:
    """The complaints as JSON text (event lists) that the loaders read back to equal ones."""
    return dumps(complaints_to_data(complaints), "json")


def dump_complaints(complaints: Iterable[Complaint], path: str | Path) -> None:
    """Write the complaints to a JSON file.

    Raises:
        UnsupportedFormatError: the file's suffix is not `.json`.
    """
    _write(_json_file(path), "json", lambda _json: dumps_complaints(complaints))


def loads_complaint_policy(
    text: str | bytes, fmt: Format = "toml", *, source: str = "document"
) -> ComplaintPolicy:
    """A `ComplaintPolicy` from TOML or JSON text.

    Periods are written as text: `within = "4 working hours"`, `warn = "1 working hour"`.

    Raises:
        DataFileError: every problem of the document, each with its path.
    """
    return _loads_value(text, fmt, ComplaintPolicy, source)


def load_complaint_policy(path: str | Path, fmt: Format | None = None) -> ComplaintPolicy:
    """A complaint policy from a `.toml` or `.json` file.

    Raises:
        DataFileError: every problem of the file, each with its path.
    """
    return _load_value(path, fmt, ComplaintPolicy)


def dumps_complaint_policy(policy: ComplaintPolicy, fmt: Format = "toml") -> str:
    """The policy as TOML or JSON text that `loads_complaint_policy` reads back equal."""
    return dumps(unstructure(policy), fmt)


def dump_complaint_policy(
    policy: ComplaintPolicy, path: str | Path, fmt: Format | None = None
) -> None:
    """Write the policy to `path` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_complaint_policy(policy, chosen))
