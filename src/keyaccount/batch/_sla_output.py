"""The rows of `sla_table`'s answer: its columns, the scalar rule's rows, and the assembly.

Private to `keyaccount.batch.complaints`: `OUTPUT_SCHEMA`, the few complaints the vector
path leaves to `sla_status` (`scalar_columns`), and `assemble`, which puts every row in
its place (complaint order, then target order) without sorting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np
import pyarrow as pa

from keyaccount.batch import _complaint_rows as rows
from keyaccount.batch import _table_columns as columns
from keyaccount.calendar import WorkCalendar
from keyaccount.complaints import (
    ComplaintPolicy,
    ComplaintStatus,
    RequestKind,
    Severity,
    SlaState,
    SlaTargetKind,
    sla_status,
)

__all__ = [
    "KINDS",
    "OUTCOMES",
    "OUTPUT_SCHEMA",
    "SEVERITIES",
    "STATUSES",
    "assemble",
    "scalar_columns",
    "utc_instant",
]

KINDS: Final = tuple(RequestKind)
SEVERITIES: Final = tuple(Severity)
STATUSES: Final = tuple(ComplaintStatus)
_TARGETS: Final = tuple(SlaTargetKind)
_STATES: Final = tuple(SlaState)
OUTCOMES: Final = ("satisfied", "neutral", "unsatisfied")
_ZERO: Final = np.timedelta64(0, "us")

#: The columns of `sla_table`'s answer; every field of `TargetStatus` (plus its
#: ``breached`` and ``overdue``), the complaint and its status at ``as_of``.
OUTPUT_SCHEMA: Final = pa.schema(
    [
        ("complaint_id", pa.string()),
        ("status", pa.string()),
        ("target", pa.string()),
        ("cycle", pa.int32()),
        ("period", pa.string()),
        ("start", pa.timestamp("us", tz="UTC")),
        ("deadline", pa.timestamp("us", tz="UTC")),
        ("due_date", pa.date32()),
        ("state", pa.string()),
        ("done_at", pa.timestamp("us", tz="UTC")),
        ("time_used", pa.duration("us")),
        ("time_left", pa.duration("us")),
        ("allowed", pa.duration("us")),
        ("paused", pa.duration("us")),
        ("nearing_breach", pa.bool_()),
        ("breached", pa.bool_()),
        ("overdue", pa.duration("us")),
    ]
)


def utc_instant(instant: dt.datetime) -> np.datetime64:
    utc = instant.astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64(utc, "us")


def scalar_columns(
    scalar: np.ndarray,
    names: pa.Array,
    order: np.ndarray,
    first: np.ndarray,
    counts: np.ndarray,
    type_index: np.ndarray,
    at: np.ndarray,
    kinds: np.ndarray,
    severities: np.ndarray,
    outcomes: np.ndarray,
    zone: str,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    instant: dt.datetime,
    status: np.ndarray,
    run_count: np.ndarray,
) -> dict[str, Any]:
    """The rows of the complaints the vector path does not take, from `sla_status`, in
    the form of `figures`' answer."""
    out: dict[str, list[Any]] = {name: [] for name in _FIGURES}
    for complaint in scalar.tolist():
        its = order[first[complaint] : first[complaint] + counts[complaint]]
        head = its[0]
        value = rows.complaint_from_rows(
            str(names[complaint]),
            type_index[its].tolist(),
            [rows.instant_of(v, zone) for v in at[its]],
            KINDS[kinds[head]].value,
            SEVERITIES[severities[head]].value,
            [OUTCOMES[o] if o >= 0 else None for o in outcomes[its].tolist()],
        )
        answer = sla_status(value, policy, calendar, instant)
        status[complaint] = STATUSES.index(answer.status) if answer.status else -1
        run_count[complaint] = len(answer.targets)
        for rank, t in enumerate(answer.targets):
            for name, item in (
                ("complaint", complaint),
                ("rank", rank),
                ("which", _TARGETS.index(t.target)),
                ("cycle", t.cycle),
                ("period", str(t.period)),
                ("start", _np_us(t.start)),
                ("deadline", _np_us(t.deadline)),
                ("due_date", _np_day(t.due_date)),
                ("state", _STATES.index(t.state)),
                ("done_at", _np_us(t.done_at)),
                ("time_used", t.time_used),
                ("time_left", t.time_left),
                ("allowed", t.allowed),
                ("paused", t.paused),
                ("nearing_breach", t.nearing_breach),
            ):
                out[name].append(item)
    return {
        name: np.array(values, dtype=_FIGURES[name]) if _FIGURES[name] else values
        for name, values in out.items()
    }


_FIGURES: Final[dict[str, Any]] = {
    "complaint": np.int64,
    "rank": np.int64,
    "which": np.int64,
    "cycle": np.int64,
    "period": None,
    "start": "datetime64[us]",
    "deadline": "datetime64[us]",
    "due_date": "datetime64[D]",
    "state": np.int64,
    "done_at": "datetime64[us]",
    "time_used": "timedelta64[us]",
    "time_left": "timedelta64[us]",
    "allowed": "timedelta64[us]",
    "paused": "timedelta64[us]",
    "nearing_breach": bool,
}


def _np_us(value: dt.datetime | None) -> np.datetime64:
    if value is None:
        return np.datetime64("NaT", "us")
    return utc_instant(value)


def _np_day(value: dt.date | None) -> np.datetime64:
    if value is None:
        return np.datetime64("NaT", "D")
    return np.datetime64(dt.date(value.year, value.month, value.day), "D")


#: The narrow type each code column is placed in (their values are small).
_NARROW: Final[dict[str, Any]] = {
    "which": np.int8,
    "cycle": np.int32,
    "period": np.int8,
    "state": np.int8,
}


def assemble(
    result: dict[str, Any],
    extra: dict[str, Any],
    names: pa.Array,
    status: np.ndarray,
    run_count: np.ndarray,
) -> pa.Table:
    """The answer table: vector and scalar rows in complaint and target order.

    Each row's place is known without sorting: its complaint's first row plus its rank.
    """
    offset = np.zeros(run_count.size + 1, dtype=np.int64)
    np.cumsum(run_count, out=offset[1:])
    total = int(offset[-1])
    periods = list(result["period_names"])
    for name in extra["period"]:
        if name not in periods:
            periods.append(name)
    extra_period = np.array([periods.index(p) for p in extra["period"]], dtype=np.int64)
    out: dict[str, np.ndarray] = {}
    place = offset[result["complaint"]] + result["rank"]
    if place.size == total and np.all(place[1:] > place[:-1]):
        place = None  # already in order (one shape): no scatter
    extra_place = offset[extra["complaint"]] + extra["rank"]
    for name, kind in _FIGURES.items():
        if name in ("complaint", "rank"):
            continue
        dtype = _NARROW.get(name, kind)
        if place is None:
            out[name] = np.asarray(result[name], dtype=dtype)
            continue
        column = np.empty(total, dtype=dtype)
        column[place] = result[name]
        if extra_place.size:
            column[extra_place] = extra_period if name == "period" else extra[name]
        out[name] = column
    complaint = np.repeat(np.arange(run_count.size), run_count)
    left = out["time_left"]
    strings = pa.string()

    def labels(values: list[str], codes: np.ndarray) -> pa.Array:
        return pa.array(values, strings).take(pa.array(codes.astype(np.int8, copy=False)))

    built = {
        "complaint_id": names.cast(strings).take(pa.array(complaint)),
        "status": labels([s.value for s in STATUSES], status.astype(np.int8)[complaint]),
        "target": labels([t.value for t in _TARGETS], out["which"]),
        "cycle": pa.array(out["cycle"].astype(np.int32, copy=False)),
        "period": labels(periods, out["period"]),
        "start": columns.utc_us(out["start"], "UTC"),
        "deadline": columns.utc_us(out["deadline"], "UTC"),
        "due_date": pa.array(out["due_date"], type=pa.date32(), from_pandas=True),
        "state": labels([s.value for s in _STATES], out["state"]),
        "done_at": columns.utc_us(out["done_at"], "UTC"),
        "time_used": pa.array(out["time_used"], type=pa.duration("us")),
        "time_left": pa.array(left, type=pa.duration("us")),
        "allowed": pa.array(out["allowed"], type=pa.duration("us")),
        "paused": pa.array(out["paused"], type=pa.duration("us")),
        "nearing_breach": pa.array(out["nearing_breach"], type=pa.bool_()),
        "breached": pa.array(out["state"] == _STATES.index(SlaState.BREACHED)),
        "overdue": pa.array(np.maximum(np.negative(left), _ZERO), type=pa.duration("us")),
    }
    return pa.table(built, schema=OUTPUT_SCHEMA)
