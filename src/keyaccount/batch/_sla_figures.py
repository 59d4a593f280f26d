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

from keyaccount.batch import calendar as kernels
from keyaccount.batch._complaint_shapes import Run
from keyaccount.batch._rows import local_epoch_days
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


def _clock(working: bool, calendar: WorkCalendar) -> _Clock:
    """The clock of a period: working time for `WorkingHours` and `Workdays`, else elapsed."""
    if working:
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
    start: np.ndarray,
    end: np.ndarray,
    done: np.ndarray,
    runs: Runs,
    rows: np.ndarray,
    any_pause: np.ndarray,
) -> list[_Pauses]:
    """`_pauses_in` of the runs ``rows``, one `_Pauses` per pause position; only the runs
    with a pause (``any_pause``, one flag per row of ``rows``) are looked at (most have
    none)."""
    if not runs.has_pause.shape[1]:
        return []
    local = np.flatnonzero(any_pause)
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
    working: bool,
    allowed: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    cut: list[_Pauses],
    calendar: WorkCalendar,
) -> tuple[np.ndarray, ...]:
    """``_hour_figures` of the targets of `WorkingHours` (``working``) or `Hours` periods, each
    row with its own ``allowed`` time: one pass of the kernels for every such target."""
    clock = _clock(working, calendar)
    remaining = allowed.copy()
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
    if working:
        due = np.asarray(kernels.add_working_time(cursor, remaining, calendar))
    else:
        due = cursor + remaining
    used = clock(start, end)
    used -= paused
    return due, used, allowed - used, allowed, paused, paused_now


def _day(
    period: Any, start: np.ndarray, end: np.ndarray, cut: list[_Pauses], calendar: WorkCalendar
) -> tuple[np.ndarray, ...]:
    working = isinstance(period, Workdays)
    clock = _clock(working, calendar)
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
        if working:
            due[act] = np.asarray(kernels.add_working_time(unpaused[act], paused[act], calendar))
        else:
            due[act] = unpaused[act] + paused[act]
        paused_now[act] = pause.still[sel]
    used = clock(start, end)
    used -= paused
    # the local date of the last instant before the deadline, in the calendar's zone
    last = (due - _US).view(np.int64)
    local = local_epoch_days(last, np.zeros(last.size, dtype=bool), calendar, anywhere=True)
    return (
        due,
        local.view("datetime64[D]"),
        used,
        clock(end, due),
        clock(start, unpaused),
        paused,
        paused_now,
    )


def _targets(
    rules: Sequence[tuple[Any, Any, Any]],
) -> tuple[list[Any], np.ndarray]:
    """The distinct targets of ``rules`` and the target of each rule x kind code."""
    targets: list[Any] = []
    target_of = np.zeros(len(rules) * 3, dtype=np.int64)
    for index, rule in enumerate(rules):
        for which in range(3):
            target = rule[which]
            if target not in targets:
                targets.append(target)
            target_of[index * 3 + which] = targets.index(target)
    return targets, target_of


@attrs.frozen
class _Plan:
    """What each target asks for, as lookup tables indexed by target number."""

    target_of: np.ndarray  # the target of each rule x kind code (rule * 3 + which)
    periods: list[str]  # the names of the periods
    period_of: np.ndarray  # the period name of each target
    groups: list[Any]  # kinds of clock: WorkingHours, Hours (the classes), day periods
    group_of: np.ndarray  # the kind of clock of each target
    allowed_of: np.ndarray  # the allowed time of each hour target
    warn_of: np.ndarray  # how early each target warns

    @classmethod
    def of(cls, rules: Sequence[tuple[Any, Any, Any]]) -> _Plan:
        targets, target_of = _targets(rules)
        periods: list[str] = []
        groups: list[Any] = []
        period_of = np.zeros(len(targets), dtype=np.int64)
        group_of = np.zeros(len(targets), dtype=np.int64)
        allowed_of = np.zeros(len(targets), "timedelta64[us]")
        warn_of = np.zeros(len(targets), "timedelta64[us]")
        for number, target in enumerate(targets):
            period = target.within
            assert isinstance(period, (WorkingHours, Hours, Days, Workdays))
            name = str(period)
            if name not in periods:
                periods.append(name)
            period_of[number] = periods.index(name)
            hour = isinstance(period, (WorkingHours, Hours))
            group = type(period) if hour else period
            if group not in groups:
                groups.append(group)
            group_of[number] = groups.index(group)
            if isinstance(period, (WorkingHours, Hours)):
                allowed_of[number] = np.timedelta64(period.duration, "us")
            warn_of[number] = np.timedelta64(target.warn.duration, "us")
        return cls(target_of, periods, period_of, groups, group_of, allowed_of, warn_of)


def figures(
    runs: Runs,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: np.datetime64,
    rules: Sequence[tuple[Any, Any, Any]],
) -> dict[str, Any]:
    """The figures of every run (see `keyaccount.complaints.TargetStatus`) as columns.

    The targets are evaluated a *kind of clock* at a time, not a target at a time: every
    target of `WorkingHours` periods in one pass of the kernels (each row with its own
    allowed time), likewise `Hours`; day periods one period at a time. The runs are put
    in that order once (the answer's columns come in it, with their ``complaint`` and
    ``rank``), so each kind works on contiguous slices.
    """
    del policy  # the targets come in ``rules``
    total = runs.start.size
    plan = _Plan.of(rules)
    chosen = plan.target_of[runs.rule * 3 + runs.which]
    groups = plan.groups
    row_group = plan.group_of[chosen]
    counts = np.bincount(row_group, minlength=len(groups))
    if np.count_nonzero(counts) > 1:
        order = np.argsort(row_group.astype(np.int8), kind="stable")
        chosen = chosen[order]
        complaint, rank = runs.complaint[order], runs.rank[order]
        which, cycle = runs.which[order], runs.cycle[order]
        start_all, done_all = runs.start[order], runs.done[order]
    else:
        order = np.arange(total)
        complaint, rank, which, cycle = runs.complaint, runs.rank, runs.which, runs.cycle
        start_all, done_all = runs.start, runs.done
    bounds = np.zeros(len(groups) + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    # a run's pauses fill the first columns: it has one iff it has a first one
    any_pause = runs.has_pause[order, 0] if runs.has_pause.shape[1] else np.zeros(total, bool)
    due = np.empty(total, "datetime64[us]")
    due_date = np.full(total, np.datetime64("NaT", "D"))
    used = np.empty(total, "timedelta64[us]")
    left = np.empty(total, "timedelta64[us]")
    allowed = np.empty(total, "timedelta64[us]")
    paused = np.empty(total, "timedelta64[us]")
    paused_now = np.empty(total, dtype=bool)
    has_done = ~np.isnat(done_all)
    end_all = np.where(has_done, done_all, as_of)
    for number, group in enumerate(groups):
        lo, hi = int(bounds[number]), int(bounds[number + 1])
        if lo == hi:
            continue
        here = slice(lo, hi)
        start, end = start_all[here], end_all[here]
        cut = _cut(start, end, done_all[here], runs, order[here], any_pause[here])
        if group is WorkingHours or group is Hours:
            f_due, f_used, f_left, f_allowed, f_paused, f_now = _hour(
                group is WorkingHours, plan.allowed_of[chosen[here]], start, end, cut, calendar
            )
        else:
            f_due, f_date, f_used, f_left, f_allowed, f_paused, f_now = _day(
                group, start, end, cut, calendar
            )
            due_date[here] = f_date
        due[here], used[here], left[here] = f_due, f_used, f_left
        allowed[here], paused[here], paused_now[here] = f_allowed, f_paused, f_now
    # the state codes as bytes: a quarter of the memory traffic of int64 codes
    met, breached, running, paused_ = (np.int8(c) for c in (_MET, _BREACHED, _RUNNING, _PAUSED))
    state = np.where(
        has_done,
        np.where(done_all < due, met, breached),
        np.where(paused_now, paused_, np.where(as_of >= due, breached, running)),
    )
    nearing = ((state == _RUNNING) | (state == _PAUSED)) & (left <= plan.warn_of[chosen])
    return {
        "complaint": complaint,
        "rank": rank,
        "which": which,
        "cycle": cycle,
        "period": plan.period_of[chosen],
        "period_names": plan.periods,
        "start": start_all,
        "deadline": due,
        "due_date": due_date,
        "state": state,
        "done_at": done_all,
        "time_used": used,
        "time_left": left,
        "allowed": allowed,
        "paused": paused,
        "nearing_breach": nearing,
    }
