"""Complaint files (JSON event lists) and complaint policy files (TOML or JSON).

A complaints file is a JSON list; each item is one complaint with its events, each
event tagged with its ``type``::

    [
      {"id": "C-1", "events": [
        {"type": "received", "at": "2026-02-13T17:30:00+08:00", "kind": "complaint",
         "severity": "normal", "customer": "acme", "channel": "电话", "summary": "..."},
        {"type": "accepted", "at": "2026-02-13T17:40:00+08:00", "by": "cs-specialist"}
      ]}
    ]

:func:`load_complaints` keeps every valid complaint and reports each malformed one with
its index and the path of the bad field (``$[2].events[3].at``); an event its
complaint's status does not allow is reported at that event. The ``_strict`` variants
raise :class:`~keyaccount.errors.DataFileError` listing every problem instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import cattrs

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
from keyaccount.errors import DataFileError, DataProblem, InvalidTransition, KeyAccountError
from keyaccount.io._core import (
    _CONVERTER,
    Format,
    LoadResult,
    _format_of,
    dumps,
    loads,
    problems_of,
    read_document,
    structure,
    unstructure,
)

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
    "load_complaints_strict",
    "loads_complaint_policy",
    "loads_complaints",
    "loads_complaints_strict",
]

#: The ``type`` tag of each event class in files.
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
_ERRORS = (cattrs.BaseValidationError, ValueError, TypeError, KeyAccountError)


def _event_from_data(data: object, path: str) -> tuple[ComplaintEvent | None, list[DataProblem]]:
    if not isinstance(data, Mapping):
        return None, [DataProblem(path, f"expected an event object, got {type(data).__name__}")]
    tag = data.get("type")
    cls = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if cls is None:
        known = ", ".join(EVENT_TYPES)
        return None, [
            DataProblem(f"{path}.type", f"unknown event type {tag!r}; use one of {known}")
        ]
    fields = {key: value for key, value in data.items() if key != "type"}
    try:
        event: ComplaintEvent = _CONVERTER.structure(fields, cls)
    except _ERRORS as error:
        return None, problems_of(error, path)
    return event, []


def _complaint_from_data(data: object, path: str) -> tuple[Complaint | None, list[DataProblem]]:
    if not isinstance(data, Mapping):
        return None, [DataProblem(path, f"expected a complaint object, got {type(data).__name__}")]
    problems = [
        DataProblem(f"{path}.{key}", "unknown field; a complaint has 'id' and 'events'")
        for key in data
        if key not in ("id", "events")
    ]
    complaint_id = data.get("id")
    if not isinstance(complaint_id, str) or not complaint_id.strip():
        problems.append(DataProblem(f"{path}.id", f"expected a non-empty id, got {complaint_id!r}"))
    events = data.get("events")
    if not isinstance(events, list) or not events:
        problems.append(DataProblem(f"{path}.events", "expected a non-empty list of events"))
        return None, problems
    built: list[ComplaintEvent] = []
    for index, item in enumerate(events):
        event, event_problems = _event_from_data(item, f"{path}.events[{index}]")
        problems.extend(event_problems)
        if event is not None:
            built.append(event)
    if problems or not isinstance(complaint_id, str):
        return None, problems
    complaint: Complaint | None = None
    for index, event in enumerate(built):
        try:
            if complaint is None:
                complaint = Complaint(complaint_id, (event,))
            else:
                complaint = complaint.record(event)
        except InvalidTransition as error:
            return None, [DataProblem(f"{path}.events[{index}]", str(error))]
    return complaint, []


def complaints_from_data(
    data: object, *, root: str = "$"
) -> tuple[list[Complaint], list[DataProblem]]:
    """Complaints from parsed JSON: the valid ones and every problem of the others.

    A complaint id used twice is reported at the second one (``$[4].id``), which is left out.
    """
    if not isinstance(data, list):
        return [], [DataProblem(root, f"expected a list of complaints, got {type(data).__name__}")]
    complaints: list[Complaint] = []
    problems: list[DataProblem] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(data):
        path = f"{root}[{index}]"
        complaint, found = _complaint_from_data(item, path)
        problems.extend(found)
        if complaint is None:
            continue
        if complaint.id in seen:
            problems.append(
                DataProblem(
                    f"{path}.id",
                    f"complaint id {complaint.id!r} is already used by "
                    f"{root}[{seen[complaint.id]}]",
                )
            )
            continue
        seen[complaint.id] = index
        complaints.append(complaint)
    return complaints, problems


def _event_to_data(event: ComplaintEvent) -> dict[str, Any]:
    data: dict[str, Any] = {"type": _TAG_OF[type(event)]}
    data.update(unstructure(event))
    return data


def complaints_to_data(complaints: Iterable[Complaint]) -> list[dict[str, Any]]:
    """Plain data (for JSON) that :func:`complaints_from_data` reads back to equal complaints."""
    return [
        {"id": c.id, "events": [_event_to_data(event) for event in c.events]} for c in complaints
    ]


def loads_complaints(text: str, *, source: str = "document") -> LoadResult[Complaint]:
    """Complaints from JSON text, keeping the valid ones; problems carry paths.

    Raises:
        DataFileError: the text is not JSON at all.
    """
    complaints, problems = complaints_from_data(loads(text, "json", source=source))
    return LoadResult(tuple(complaints), tuple(problems), source)


def load_complaints(path: str | Path) -> LoadResult[Complaint]:
    """Complaints from a ``.json`` file, keeping the valid ones; problems carry paths.

    Raises:
        DataFileError: the file cannot be read or is not JSON.
    """
    data, source = read_document(path, "json")
    complaints, problems = complaints_from_data(data)
    return LoadResult(tuple(complaints), tuple(problems), source)


def loads_complaints_strict(text: str, *, source: str = "document") -> list[Complaint]:
    """Like :func:`loads_complaints`, but any problem fails the whole document.

    Raises:
        DataFileError: every problem of the document, each with its path.
    """
    return list(loads_complaints(text, source=source).strict())


def load_complaints_strict(path: str | Path) -> list[Complaint]:
    """Like :func:`load_complaints`, but any problem fails the whole file.

    Raises:
        DataFileError: every problem of the file, each with its path.
    """
    data, source = read_document(path, "json")
    complaints, problems = complaints_from_data(data)
    if problems:
        raise DataFileError(source, problems)
    return complaints


def dumps_complaints(complaints: Iterable[Complaint]) -> str:
    """The complaints as JSON text (event lists) that the loaders read back to equal ones."""
    return dumps(complaints_to_data(complaints), "json")


def dump_complaints(complaints: Iterable[Complaint], path: str | Path) -> None:
    """Write the complaints to a JSON file."""
    Path(path).write_text(dumps_complaints(complaints), encoding="utf-8")


def loads_complaint_policy(
    text: str, fmt: Format = "toml", *, source: str = "document"
) -> ComplaintPolicy:
    """A :class:`~keyaccount.complaints.ComplaintPolicy` from TOML or JSON text.

    Periods are written as text: ``within = "4 working hours"``, ``warn = "1 working hour"``.

    Raises:
        DataFileError: every problem of the document, each with its path.
    """
    return structure(loads(text, fmt, source=source), ComplaintPolicy, source=source)


def load_complaint_policy(path: str | Path, fmt: Format | None = None) -> ComplaintPolicy:
    """A complaint policy from a ``.toml`` or ``.json`` file.

    Raises:
        DataFileError: every problem of the file, each with its path.
    """
    data, source = read_document(path, fmt)
    return structure(data, ComplaintPolicy, source=source)


def dumps_complaint_policy(policy: ComplaintPolicy, fmt: Format = "toml") -> str:
    """The policy as TOML or JSON text that :func:`loads_complaint_policy` reads back equal."""
    return dumps(unstructure(policy), fmt)


def dump_complaint_policy(
    policy: ComplaintPolicy, path: str | Path, fmt: Format | None = None
) -> None:
    """Write the policy to ``path`` (format from the suffix unless given)."""
    file = Path(path)
    file.write_text(dumps_complaint_policy(policy, _format_of(file, fmt)), encoding="utf-8")
