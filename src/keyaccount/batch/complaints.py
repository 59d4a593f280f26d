"""SLA status of many complaints at once: an events table in, one row per target out.

`sla_table(events, policy, calendar, as_of=...)` is `keyaccount.complaints.sla_status`
over a whole events table (pyarrow, or a Polars DataFrame), answered as a pyarrow table,
row for row equal to the scalar rule. The fold of each complaint's events runs once per
*shape* (sequence of event kinds, `keyaccount.batch._complaint_shapes`), the working
time through the calendar kernels of `keyaccount.batch` (``calendar`` module), so a
million complaints take seconds.

Input columns (one row per event; other columns are ignored):

* ``complaint_id`` (text): events of one complaint are read in table order, which
  must be time order (the rows of different complaints may interleave);
* ``type`` (text): ``received``, ``accepted``, ``assigned``, ``paused``, ``resumed``,
  ``escalated``, ``resolved``, ``followed-up``, ``reopened``, ``closed`` (the tags of
  complaint files);
* ``at`` (``timestamp`` with a time zone, any unit that holds whole microseconds);
* ``kind`` and ``severity`` (text, on ``received`` rows): the request kind
  (``complaint`` ...) and severity (``normal``, ``urgent``, ``major``);
* ``outcome`` (text, on ``followed-up`` rows): ``satisfied``, ``neutral`` or
  ``unsatisfied`` (an unsatisfied follow-up reopens the complaint).

Output columns (one row per complaint and target, complaints in order of first
appearance, targets as `SlaStatus.targets` orders them): see `OUTPUT_SCHEMA`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np

try:
    import pyarrow as pa
except ImportError as _missing:  # pragma: no cover - pyarrow is installed wherever tests run
    from keyaccount.errors import MissingExtraError

    raise MissingExtraError(
        "the table rules need pyarrow: pip install 'keyaccount[arrow]'"
    ) from _missing
import pyarrow.compute as pc

from keyaccount._fields import to_instant
from keyaccount.batch import _complaint_rows as rows
from keyaccount.batch import _complaint_shapes as shapes
from keyaccount.batch import _table_columns as columns
from keyaccount.batch._sla_figures import Runs, figures
from keyaccount.batch._sla_output import (
    KINDS,
    OUTCOMES,
    OUTPUT_SCHEMA,
    SEVERITIES,
    STATUSES,
    assemble,
    scalar_columns,
    utc_instant,
)
from keyaccount.calendar import WorkCalendar
from keyaccount.complaints import (
    ComplaintPolicy,
)
from keyaccount.errors import InvalidTransition

__all__ = ["OUTPUT_SCHEMA", "events_table", "sla_table"]

events_table = rows.events_table

_WHAT: Final = "the events table"


def _group(ids: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray, bool]:
    """The distinct ids (first appearance order), each row's complaint number, the row
    order that groups the rows by complaint (table order within a complaint), and whether
    that order is the table's own (the rows are already grouped).

    Rows already grouped (the usual export order) are recognised without hashing every
    row: only the first id of each run of equal ids is checked for repeats.
    """
    size = len(ids)
    if size > 1:
        change = np.asarray(
            pc.not_equal(ids.slice(1), ids.slice(0, size - 1)).to_numpy(zero_copy_only=False)
        )
        heads = np.concatenate(([0], np.flatnonzero(change) + 1))
        names = ids.take(pa.array(heads))
        if _all_distinct(names):
            codes = np.cumsum(np.concatenate(([0], change.astype(np.int64))))
            return names, codes, np.arange(size), True
    encoded = ids.dictionary_encode()
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    return encoded.dictionary, codes, order, False


def _all_distinct(names: pa.Array) -> bool:
    """Whether no id repeats: at once when they are sorted (the usual export), else hashed.

    Sorted means strictly increasing as text, or by length and then as text (numbered
    ids: ``C-9`` before ``C-10``); either order being strict, no id can repeat.
    """
    size = len(names)
    if size < 2:
        return True
    less = pc.less(names.slice(0, size - 1), names.slice(1))
    if less.null_count == 0:
        increasing = np.asarray(less.to_numpy(zero_copy_only=False))
        if increasing.all():
            return True
        lengths = np.asarray(pc.binary_length(names).to_numpy(zero_copy_only=False))
        longer, same = lengths[1:] > lengths[:-1], lengths[1:] == lengths[:-1]
        if (longer | (same & increasing)).all():
            return True
    return len(pc.unique(names)) == size


def _refuse(complaint: str, row: int, reason: str) -> InvalidTransition:
    return InvalidTransition(f"{_WHAT}: complaint {complaint!r} at row {row}: {reason}")


def sla_table(
    events: Any,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    *,
    as_of: dt.datetime,
) -> pa.Table:
    """Every SLA target of every complaint of an events table at ``as_of``, as a table.

    Business meaning: `keyaccount.complaints.sla_status` for a warehouse of complaints
    at once; each output row equals one `TargetStatus` of the scalar rule on the same
    events (instants in UTC, durations in microseconds, the enums' wire values).
    Complaints not yet received at ``as_of`` have no targets, hence no rows; their
    number is the schema metadata ``keyaccount.not_yet_received``. Complaints of more
    than 15 events go through the scalar rule one by one (same answer, slower); their
    number is ``keyaccount.scalar_complaints``.

    Args:
        events: one row per event (pyarrow ``Table`` or Polars ``DataFrame``; columns in
            the module docstring).
        policy: targets and pausing statuses.
        calendar: the working calendar.
        as_of: the instant evaluated (aware); later events are left out.

    Returns:
        A pyarrow table with the columns of `OUTPUT_SCHEMA`.

    Raises:
        InvalidTableError: a column is missing, of the wrong type, null where needed, or
            holds an unknown value (the column and the first bad row are named).
        NaiveDatetimeError: ``at`` has no time zone, or ``as_of`` has none.
        InvalidTransition: a complaint's events are out of time order or not a valid
            history (the complaint and the row are named).
        CalendarCoverageError: a deadline falls outside the calendar's years.
    """
    instant = to_instant(as_of, "as_of")
    table = columns.as_arrow_table(events, _WHAT)
    ids, type_index, at, kinds, severities, outcomes, codes = _read(table)
    names, group_codes, order, grouped = _group(ids)
    n_complaints = len(names)
    # rows grouped by complaint (table order within a complaint)
    if grouped:
        g_codes, g_at, g_group = codes, at, group_codes
    else:
        g_codes, g_at, g_group = codes[order], at[order], group_codes[order]
    counts = np.bincount(g_group, minlength=n_complaints)
    first = np.zeros(n_complaints, dtype=np.int64)
    np.cumsum(counts[:-1], out=first[1:])
    position = np.arange(order.size) - first[g_group]
    _check_time_order(g_at, g_group, position, names, order)
    # event i's code in bits 4i..4i+3; rows past `MAX_PACKED` exist only in the long
    # histories, whose signature is never read (they go through the scalar rule)
    shift = np.minimum(position, shapes.MAX_PACKED - 1)
    shift <<= 2
    contribution = np.left_shift(g_codes, shift, out=shift)
    signature = _per_complaint(contribution, first)
    long_history = counts > shapes.MAX_PACKED
    _check_shapes(signature, long_history, first, names, order)
    # the rule of each complaint: kind and severity from its received row
    heads = order[first]
    rule_of = (kinds[heads] * len(SEVERITIES) + severities[heads]).astype(np.int64)
    known = _per_complaint((g_at <= utc_instant(instant)).view(np.int8), first)
    cut = np.where(known >= shapes.MAX_PACKED, -1, (1 << (4 * np.minimum(known, 14))) - 1)
    truncated = np.where(long_history, 0, signature & cut)
    vector = ~long_history & (known > 0)
    status = np.full(n_complaints, -1, dtype=np.int64)
    run_count = np.zeros(n_complaints, dtype=np.int64)
    zone = table.schema.field("at").type.tz
    scalar = np.flatnonzero(long_history & (known > 0))
    extra = scalar_columns(
        scalar,
        names,
        order,
        first,
        counts,
        type_index,
        at,
        kinds,
        severities,
        outcomes,
        zone,
        policy,
        calendar,
        instant,
        status,
        run_count,
    )
    rules = _rules(policy)
    parts = []
    for c0 in range(0, max(n_complaints, 1), _CHUNK):
        # a chunk at a time: the arrays of a chunk stay in the processor's caches
        c1 = min(c0 + _CHUNK, n_complaints)
        r0 = int(first[c0]) if c0 < n_complaints else 0
        here = slice(c0, c1)
        runs, its_count, its_status = _vector_runs(
            truncated[here], vector[here], first[here] - r0, g_at[r0:], rule_of[here], policy
        )
        run_count[here] = np.where(vector[here], its_count, run_count[here])
        status[here] = np.where(vector[here], its_status, status[here])
        result = figures(runs, policy, calendar, utc_instant(instant), rules)
        mine = (extra["complaint"] >= c0) & (extra["complaint"] < c1)
        its_extra = {
            k: (
                v[mine]
                if isinstance(v, np.ndarray)
                else [x for x, m in zip(v, mine, strict=True) if m]
            )
            for k, v in extra.items()
        }
        its_extra["complaint"] = np.asarray(its_extra["complaint"]) - c0
        parts.append(
            assemble(result, its_extra, names.slice(c0, c1 - c0), status[here], run_count[here])
        )
    not_yet = int(np.count_nonzero(known == 0))
    metadata = {
        "keyaccount.rule": "sla_status",
        "keyaccount.as_of": instant.isoformat(),
        "keyaccount.scalar_complaints": str(scalar.size),
        "keyaccount.not_yet_received": str(not_yet),
    }
    schema = OUTPUT_SCHEMA.with_metadata(metadata)
    return (
        pa.concat_tables([part.replace_schema_metadata(metadata) for part in parts]).cast(schema)
        if len(parts) > 1
        else parts[0].replace_schema_metadata(metadata)
    )


#: Complaints per chunk of work.
_CHUNK = 50_000


def _read(
    table: pa.Table,
) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The checked columns: ids, type indexes, instants, kind, severity and outcome codes,
    and each event's shape code."""
    ids = columns.strings_of(table, "complaint_id", _WHAT)
    assert ids is not None
    type_index = columns.codes_of(table, "type", shapes.EVENT_TYPES, _WHAT)
    at = columns.instants_of(table, "at", _WHAT)
    assert at is not None
    received = type_index == 0
    kinds = columns.codes_of(table, "kind", [k.value for k in KINDS], _WHAT, required=received)
    severities = columns.codes_of(
        table, "severity", [s.value for s in SEVERITIES], _WHAT, required=received
    )
    followed = type_index == 7
    outcome_column = "outcome"
    if followed.any() or outcome_column in table.column_names:
        outcomes = columns.codes_of(table, outcome_column, OUTCOMES, _WHAT, required=followed)
    else:
        outcomes = np.full(type_index.size, -1)
    codes = np.asarray(shapes.CODE_OF_TYPE, dtype=np.int64)[type_index]
    codes[followed & (outcomes == 2)] = shapes.UNSATISFIED
    return ids, type_index, at, kinds, severities, outcomes, codes


def _per_complaint(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """The sum of ``values`` over each complaint's rows (every complaint has one), added
    up in int64 whatever the type of ``values``."""
    if not first.size:
        return np.zeros(0, dtype=np.int64)
    return np.add.reduceat(values, first, dtype=np.int64)


def _check_time_order(
    g_at: np.ndarray, g_group: np.ndarray, position: np.ndarray, names: pa.Array, order: np.ndarray
) -> None:
    """Refuse an event earlier than the previous event of its complaint."""
    if g_at.size < 2:
        return
    back = (g_at[1:] < g_at[:-1]) & (position[1:] > 0)
    if back.any():
        row = columns.first_true(back) + 1
        raise _refuse(
            str(names[g_group[row]]),
            int(order[row]),
            "the event is earlier than the previous event of the complaint; events must be "
            "in time order",
        )


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (sorted) and each value's index among them.

    A table has few distinct shapes: they are found on a head sample and the rest is
    matched by binary search, so no full sort is needed.
    """
    distinct = np.unique(values[:4096])
    index = np.minimum(np.searchsorted(distinct, values), max(distinct.size - 1, 0))
    missed = distinct[index] != values if distinct.size else np.ones(values.size, dtype=bool)
    if missed.any():
        distinct = np.union1d(distinct, np.unique(values[missed]))
        index = np.searchsorted(distinct, values)
    return distinct, index


def _members(index: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The positions of ``index`` grouped by value, and each value's bounds among them."""
    small = index.astype(np.int16) if size < 2**15 else index
    members = np.argsort(small, kind="stable")  # a radix sort for int16
    bounds = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(index, minlength=size), out=bounds[1:])
    return members, bounds


def _check_shapes(
    signature: np.ndarray,
    long_history: np.ndarray,
    first: np.ndarray,
    names: pa.Array,
    order: np.ndarray,
) -> None:
    """Refuse an invalid history: each distinct shape is checked once."""
    packed = np.flatnonzero(~long_history)
    distinct, index = _factorize(signature[packed])
    for number, value in enumerate(distinct.tolist()):
        problem = shapes.check(shapes.decode(value))
        if problem is not None:
            complaint = int(packed[first_index(index, number)])
            position, reason = problem
            raise _refuse(str(names[complaint]), int(order[first[complaint] + position]), reason)


def first_index(index: np.ndarray, value: int) -> int:
    """The first position of ``value`` in ``index``."""
    return int(np.argmax(index == value))


def _rules(policy: ComplaintPolicy) -> list[tuple[Any, Any, Any]]:
    """The (acceptance, resolution, follow-up) targets of each kind x severity code."""
    return [
        (rule.acceptance, rule.resolution, rule.follow_up)
        for kind in KINDS
        for severity in SEVERITIES
        for rule in (policy.rule_for(kind, severity),)
    ]


def _vector_runs(
    truncated: np.ndarray,
    vector: np.ndarray,
    first: np.ndarray,
    g_at: np.ndarray,
    rule_of: np.ndarray,
    policy: ComplaintPolicy,
) -> tuple[Runs, np.ndarray, np.ndarray]:
    """Every target of the complaints of the vector path, one shape at a time; the status
    and the number of targets of each complaint."""
    status = np.full(truncated.size, -1, dtype=np.int64)
    run_count = np.zeros(truncated.size, dtype=np.int64)
    chosen = np.flatnonzero(vector)
    distinct, index = _factorize(truncated[chosen])
    members, bounds = _members(index, distinct.size)
    blocks: list[tuple[np.ndarray, shapes.Run, int]] = []
    for number, packed in enumerate(distinct.tolist()):
        group = chosen[members[bounds[number] : bounds[number + 1]]]
        shape = shapes.shape_of(shapes.decode(packed), policy.pausing_statuses)
        status[group] = STATUSES.index(shape.status)
        run_count[group] = len(shape.runs)
        blocks.extend((group, run, rank) for rank, run in enumerate(shape.runs))
    return Runs.build(blocks, first, g_at, rule_of), run_count, status
