"""A target's deadline, state and clock figures, for many targets at once.

Private to `keyaccount.batch.complaints`: the array form of `_pauses_in`,
`_hour_figures`, `_day_figures` and `_evaluate` of `keyaccount.complaints.sla`, step for
step. The loops over pauses run once per pause *position* (the first pause of every
target, then the second ...), each on the targets that still have one, so a table
without pauses costs one pass. Working time comes from the calendar kernels of
`keyaccount.batch.calendar`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from keyaccount.batch import calendar as kernels
from keyaccount.batch._complaint_shapes import Run
from keyaccount.calendar import Days, Hours, WorkCalendar, Workdays, WorkingHours
from keyaccount.complaints import ComplaintPolicy, SlaState

__all__ = ["Runs", "figures"]

_NAT: Final = np.datetime64("NaT", "us")
_ZERO: Final = np.timedelta64(0, "us")
_US: Final = np.timedelta64(1, "us")
_MET, _BREACHED, _RUNNING, _PAUSED = (
    tuple(SlaState).index(s)
    for s in (SlaState.MET, SlaState.BREACHED, SlaState.RUNNING, SlaState.PAUSED)
)

_Clock = Callable[[np.ndarray, np.ndarray], np.ndarray]


@attrs.frozen
class Runs:
    """The targets to evaluate, one row each (see `Run`), with their instants.

    ``pause_begin`` / ``pause_end``: one column per pause position (NaT where the
    target has no such pause, ``pause_end`` NaT also while a span goes on); ``has_pause``
    says which cells are pauses.
    """

    complaint: np.ndarray
    rank: np.ndarray
    which: np.ndarray
    cycle: np.ndarray
    rule: np.ndarray
    start: np.ndarray
    done: np.ndarray
    pause_begin: np.ndarray
    pause_end: np.ndarray
    has_pause: np.ndarray

    @classmethod
    def build(
        cls,
        blocks: Sequence[tuple[np.ndarray, Run, int]],
        first: np.ndarray,
        at: np.ndarray,
        rule_of: np.ndarray,
    ) -> Runs:
        """The runs of ``blocks`` (complaints, the run of their shape, its rank)."""
        sizes = [group.size for group, _, _ in blocks]
        total = sum(sizes)
        width = max((len(run.pauses) for _, run, _ in blocks), default=0)
        complaint = np.concatenate([g for g, _, _ in blocks]) if blocks else np.zeros(0, np.int64)
        rank = np.repeat([r for _, _, r in blocks], sizes).astype(np.int64)
        which = np.repeat([run.which for _, run, _ in blocks], sizes).astype(np.int64)
        cycle = np.repeat([run.cycle for _, run, _ in blocks], sizes).astype(np.int64)
        start = np.empty(total, "datetime64[us]")
        done = np.full(total, _NAT)
        begin = np.full((total, width), _NAT)
        end = np.full((total, width), _NAT)
        has = np.zeros((total, width), dtype=bool)
        offset = 0
        for (group, run, _), size in zip(blocks, sizes, strict=True):
            rows = slice(offset, offset + size)
            base = first[group]
            start[rows] = at[base + run.start]
            if run.done >= 0:
                done[rows] = at[base + run.done]
            for j, (b, e) in enumerate(run.pauses):
                begin[rows, j] = at[base + b]
                if e >= 0:
                    end[rows, j] = at[base + e]
                has[rows, j] = True
            offset += size
        return cls(complaint, rank, which, cycle, rule_of[complaint], start, done, begin, end, has)


def _elapsed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(b - a, dtype="timedelta64[us]")


def _clock(period: Any, calendar: WorkCalendar) -> _Clock:
    if isinstance(period, (WorkingHours, Workdays)):
        return lambda a, b: np.asarray(kernels.working_time_between(a, b, calendar))
    return _elapsed


@attrs.define
class _Pauses:
    """The pausing spans of one pause position cut to their runs (`_pauses_in`): for the
    runs ``rows`` (positions among the target's runs) that have a pause at all."""

    rows: np.ndarray
    valid: np.ndarray
    begin: np.ndarray
    stop: np.ndarray
    still: np.ndarray


def _cut(
    start: np.ndarray, end: np.ndarray, done: np.ndarray, runs: Runs, rows: np.ndarray
) -> list[_Pauses]:
    """`_pauses_in` of the runs ``rows``, one `_Pauses` per pause position; only the runs
    with a pause are looked at (most have none)."""
    if not runs.has_pause.shape[1]:
        return []
    local = np.flatnonzero(runs.has_pause[rows].any(axis=1))
    if not local.size:
        return []
    rows, start, end, done = rows[local], start[local], end[local], done[local]
    has_done = ~np.isnat(done)
    stopped = np.zeros(rows.size, dtype=bool)
    out = []
    for j in range(runs.has_pause.shape[1]):
        span_start = runs.pause_begin[rows, j]
        span_end = runs.pause_end[rows, j]
        ongoing = np.isnat(span_end)
        has = runs.has_pause[rows, j] & ~stopped
        safe_end = np.where(ongoing, end, span_end)
        skip = has & ~ongoing & (safe_end <= start)
        consider = has & ~skip
        begin = np.maximum(np.where(has, span_start, start), start)
        finished = consider & ((begin > end) | ((begin == end) & has_done))
        stopped |= finished
        consider &= ~finished
        complete = consider & ~ongoing & (safe_end <= end)
        last = consider & ~complete
        stopped |= last
        stop = np.where(complete, safe_end, end)
        out.append(_Pauses(local, consider, begin, stop, last & ~has_done))
    return out


def _hour(
    period: Any, start: np.ndarray, end: np.ndarray, cut: list[_Pauses], calendar: WorkCalendar
) -> tuple[np.ndarray, ...]:
    clock = _clock(period, calendar)
    allowed = np.timedelta64(period.duration, "us")
    remaining = np.full(start.size, allowed)
    cursor = start.copy()
    paused = np.zeros(start.size, "timedelta64[us]")
    paused_now = np.zeros(start.size, dtype=bool)
    broke = np.zeros(start.size, dtype=bool)
    for pause in cut:
        sel = np.flatnonzero(pause.valid & ~broke[pause.rows])
        if not sel.size:
            continue
        act = pause.rows[sel]
        before = clock(cursor[act], pause.begin[sel])
        over = before >= remaining[act]
        broke[act[over]] = True
        act, before, sel = act[~over], before[~over], sel[~over]
        remaining[act] -= before
        paused[act] += clock(pause.begin[sel], pause.stop[sel])
        cursor[act] = pause.stop[sel]
        paused_now[act] = pause.still[sel]
    if isinstance(period, WorkingHours):
        due = np.asarray(kernels.add_working_time(cursor, remaining, calendar))
    else:
        due = cursor + remaining
    used = clock(start, end) - paused
    left = allowed - used
    return (
        due,
        np.full(start.size, np.datetime64("NaT", "D")),
        used,
        left,
        np.full(start.size, allowed),
        paused,
        paused_now,
    )


def _day(
    period: Any, start: np.ndarray, end: np.ndarray, cut: list[_Pauses], calendar: WorkCalendar
) -> tuple[np.ndarray, ...]:
    clock = _clock(period, calendar)
    unpaused = np.asarray(kernels.deadline(start, period, calendar))
    due = unpaused.copy()
    paused = np.zeros(start.size, "timedelta64[us]")
    paused_now = np.zeros(start.size, dtype=bool)
    broke = np.zeros(start.size, dtype=bool)
    for pause in cut:
        sel = np.flatnonzero(pause.valid & ~broke[pause.rows])
        if not sel.size:
            continue
        act = pause.rows[sel]
        over = pause.begin[sel] >= due[act]
        broke[act[over]] = True
        act, sel = act[~over], sel[~over]
        paused[act] += clock(pause.begin[sel], pause.stop[sel])
        if isinstance(period, Workdays):
            due[act] = np.asarray(kernels.add_working_time(unpaused[act], paused[act], calendar))
        else:
            due[act] = unpaused[act] + paused[act]
        paused_now[act] = pause.still[sel]
    used = clock(start, end) - paused
    local = pc.local_timestamp(pa.array(due - _US, type=pa.timestamp("us", tz=calendar.timezone)))
    due_date = np.asarray(local.cast(pa.date32()).to_numpy(zero_copy_only=False))
    return (
        due,
        due_date.astype("datetime64[D]"),
        used,
        clock(end, due),
        clock(start, unpaused),
        paused,
        paused_now,
    )


def figures(
    runs: Runs,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: np.datetime64,
    rules: Sequence[tuple[Any, Any, Any]],
) -> dict[str, Any]:
    """The figures of every run (see `keyaccount.complaints.TargetStatus`) as columns."""
    del policy  # the targets come in ``rules``
    total = runs.start.size
    key = runs.rule * 3 + runs.which
    targets: list[Any] = []
    target_of = np.zeros(len(rules) * 3, dtype=np.int64)
    for index, rule in enumerate(rules):
        for which in range(3):
            target = rule[which]
            if target not in targets:
                targets.append(target)
            target_of[index * 3 + which] = targets.index(target)
    chosen = target_of[key]
    periods: list[str] = []
    period_index = np.zeros(total, dtype=np.int64)
    due = np.empty(total, "datetime64[us]")
    due_date = np.full(total, np.datetime64("NaT", "D"))
    used = np.empty(total, "timedelta64[us]")
    left = np.empty(total, "timedelta64[us]")
    allowed = np.empty(total, "timedelta64[us]")
    paused = np.empty(total, "timedelta64[us]")
    paused_now = np.zeros(total, dtype=bool)
    nearing = np.zeros(total, dtype=bool)
    state = np.empty(total, dtype=np.int64)
    end_all = np.where(np.isnat(runs.done), as_of, runs.done)
    for number, target in enumerate(targets):
        rows = np.flatnonzero(chosen == number)
        if not rows.size:
            continue
        period = target.within
        name = str(period)
        if name not in periods:
            periods.append(name)
        period_index[rows] = periods.index(name)
        start, end, done = runs.start[rows], end_all[rows], runs.done[rows]
        cut = _cut(start, end, done, runs, rows)
        compute = _hour if isinstance(period, (WorkingHours, Hours)) else _day
        assert isinstance(period, (WorkingHours, Hours, Days, Workdays))
        f_due, f_date, f_used, f_left, f_allowed, f_paused, f_now = compute(
            period, start, end, cut, calendar
        )
        due[rows], due_date[rows], used[rows], left[rows] = f_due, f_date, f_used, f_left
        allowed[rows], paused[rows], paused_now[rows] = f_allowed, f_paused, f_now
        has_done = ~np.isnat(done)
        its_state = np.where(
            has_done,
            np.where(done < f_due, _MET, _BREACHED),
            np.where(f_now, _PAUSED, np.where(as_of >= f_due, _BREACHED, _RUNNING)),
        )
        state[rows] = its_state
        warn = np.timedelta64(target.warn.duration, "us")
        nearing[rows] = ((its_state == _RUNNING) | (its_state == _PAUSED)) & (f_left <= warn)
    return {
        "complaint": runs.complaint,
        "rank": runs.rank,
        "which": runs.which,
        "cycle": runs.cycle,
        "period": period_index,
        "period_names": periods,
        "start": runs.start,
        "deadline": due,
        "due_date": due_date,
        "state": state,
        "done_at": runs.done,
        "time_used": used,
        "time_left": left,
        "allowed": allowed,
        "paused": paused,
        "nearing_breach": nearing,
    }
