"""Is a complaint handled in time? Every target's deadline, state, time used and left.

`sla_status` evaluates the three targets of the closed loop (acceptance, resolution,
follow-up) of one complaint at ``as_of`` under a `ComplaintPolicy` and a calendar.
Nothing is stored: a changed policy, severity or calendar recomputes every figure from
the complaint's events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, add_duration, to_instant
from keyaccount.calendar import Days, Hours, Period, WorkCalendar, Workdays, WorkingHours
from keyaccount.complaints._sla_clock import CalendarClock, OutsideTable, SlaClock, TableClock
from keyaccount.complaints.complaint import Complaint
from keyaccount.complaints.events import ComplaintStatus
from keyaccount.complaints.lifecycle import StatusSpan
from keyaccount.complaints.policy import ComplaintPolicy, SlaTarget
from keyaccount.errors import KeyAccountError

__all__ = ["SlaState", "SlaStatus", "SlaTargetKind", "TargetStatus", "sla_status"]


class SlaTargetKind(LabelledEnum):
    """The three targets of the closed loop."""

    ACCEPTANCE = "acceptance", "受理"
    RESOLUTION = "resolution", "处理"
    FOLLOW_UP = "follow-up", "回访"


class SlaState(LabelledEnum):
    """How a target stands at ``as_of``."""

    MET = "met", "按时"
    BREACHED = "breached", "超时"
    RUNNING = "running", "进行中"
    PAUSED = "paused", "暂停"


@attrs.frozen
class TargetStatus:
    """One target of one complaint at ``as_of``.

    Time figures are on the target's own clock: working time for ``WorkingHours`` and
    ``Workdays`` targets, elapsed time for ``Hours`` and ``Days`` targets.

    Attributes:
        target: acceptance, resolution or follow-up.
        cycle: 0 for the first handling; ``n`` for the handling after the n-th reopening.
        period: the target period.
        start: when the clock started (receipt, reopening or resolution).
        deadline: when it falls due, pauses included: work done strictly before it is
            on time. A day period's unpaused deadline is the local midnight ending its
            due date (`keyaccount.calendar.deadline`); paused time ``P`` moves it
            to ``calendar.add_working_time(unpaused, P)`` for ``Workdays`` (``P`` of
            working time from the next working window on) and to ``unpaused + P`` for
            ``Days``. While paused it is the deadline if handling resumed at ``as_of``;
            it only moves later as the pause goes on.
        due_date: for day periods, the local date of ``deadline``: the last day on which
            work is on time (the day before when ``deadline`` is exactly a local
            midnight, as for an unpaused target); ``None`` for hour periods.
        state: met, breached, running or paused.
        done_at: when the target's work was done, if it was.
        time_used: clock time used up to ``done_at`` (or ``as_of``), paused time excluded.
        time_left: clock time from ``done_at`` (or ``as_of``) to the deadline; negative
            once overdue. ``time_used + time_left == allowed``. A ``Workdays`` target can
            have no working time left in the evening of its due date yet still be
            running (its deadline is midnight).
        allowed: the time the target allows on its clock, which pauses do not change:
            the period itself for hour periods; for day periods the clock time from
            ``start`` to the unpaused deadline (working time for ``Workdays``, elapsed
            time for ``Days``), since the pauses extend the deadline by exactly the
            paused time that ``time_used`` leaves out.
        paused: the paused clock time that extended the deadline.
        nearing_breach: running or paused with at most ``warn`` left.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("breached", "overdue")

    target: SlaTargetKind
    cycle: int
    period: Period
    start: pendulum.DateTime
    deadline: pendulum.DateTime
    due_date: pendulum.Date | None
    state: SlaState
    done_at: pendulum.DateTime | None
    time_used: dt.timedelta
    time_left: dt.timedelta
    allowed: dt.timedelta
    paused: dt.timedelta
    nearing_breach: bool

    @property
    def breached(self) -> bool:
        """Whether the target was (or is being) missed."""
        return self.state is SlaState.BREACHED

    @property
    def overdue(self) -> dt.timedelta:
        """How far past the deadline (zero when not)."""
        return max(dt.timedelta(0), -self.time_left)


@attrs.frozen
class SlaStatus:
    """Every target of one complaint at ``as_of``, oldest cycle first.

    Attributes:
        complaint_id: the complaint.
        as_of: the instant evaluated (events after it are left out).
        status: the complaint's status at ``as_of``; ``None`` if not yet received then.
        targets: acceptance, then per handling cycle its resolution and follow-up
            (a follow-up target exists once the cycle is resolved, unless the customer
            reopened before any follow-up).
    """

    complaint_id: str
    as_of: pendulum.DateTime
    status: ComplaintStatus | None
    targets: tuple[TargetStatus, ...]

    @property
    def current(self) -> tuple[TargetStatus, ...]:
        """The latest target of each kind (what is being worked on now)."""
        latest: dict[SlaTargetKind, TargetStatus] = {}
        for target in self.targets:
            latest[target.target] = target
        return tuple(latest.values())

    @property
    def breaches(self) -> tuple[TargetStatus, ...]:
        """Every breached target, past cycles included."""
        return tuple(t for t in self.targets if t.state is SlaState.BREACHED)

    @property
    def nearing(self) -> tuple[TargetStatus, ...]:
        """The targets nearing breach."""
        return tuple(t for t in self.targets if t.nearing_breach)


# --------------------------------------------------------------------------- the clock

_US: Final = dt.timedelta(microseconds=1)
_ZERO: Final = dt.timedelta(0)
_new = object.__new__
# Each slot's setter, beneath the frozen ``__setattr__``: building a target writes its
# thirteen slots in half the time of attrs' ``__init__``, the hottest step of a status.
_PUT: Final = {
    field.name: getattr(TargetStatus, field.name).__set__ for field in attrs.fields(TargetStatus)
}
_put_target, _put_cycle, _put_period = _PUT["target"], _PUT["cycle"], _PUT["period"]
_put_start, _put_deadline, _put_due_date = _PUT["start"], _PUT["deadline"], _PUT["due_date"]
_put_state, _put_done_at, _put_time_used = _PUT["state"], _PUT["done_at"], _PUT["time_used"]
_put_time_left, _put_allowed, _put_paused = _PUT["time_left"], _PUT["allowed"], _PUT["paused"]
_put_nearing_breach = _PUT["nearing_breach"]

#: How a period reads its clock: working time or elapsed time, hours or days.
_WORKING_HOURS, _HOURS, _WORKDAYS, _DAYS = range(4)

#: A target as the evaluation reads it: the target, its period, the period's kind,
#: whether its clock is working time, the time it allows (hour periods; 0 for day
#: periods) in microseconds and as a duration, and the warning's microseconds.
_Recipe = tuple[SlaTarget, Period, int, bool, int, dt.timedelta, int | None]
_RECIPES: dict[int, _Recipe] = {}
#: A pausing span as microseconds: begin, its UTC microseconds, end (None: still on), its.
_Span = tuple[pendulum.DateTime, int, pendulum.DateTime | None, int | None]
#: The cut pauses of a target without pausing spans (never appended to).
_NO_PAUSES: Final[list[tuple[pendulum.DateTime, int, pendulum.DateTime, int, bool]]] = []


def _recipe(target: SlaTarget) -> _Recipe:
    """What `_evaluate` reads of `target`, worked out once per target object."""
    recipe = _RECIPES.get(id(target))
    if recipe is not None and recipe[0] is target:
        return recipe
    period, warn = target.within, target.warn
    if isinstance(period, WorkingHours):
        kind, allowed = _WORKING_HOURS, period.duration
    elif isinstance(period, Hours):
        kind, allowed = _HOURS, period.duration
    else:
        kind, allowed = (_WORKDAYS if isinstance(period, Workdays) else _DAYS), _ZERO
    warn_us = warn.duration // _US if isinstance(warn, (WorkingHours, Hours)) else None
    working = kind in (_WORKING_HOURS, _WORKDAYS)
    recipe = (target, period, kind, working, allowed // _US, allowed, warn_us)
    if len(_RECIPES) >= 4096:  # a bound for programs that build many policies
        _RECIPES.clear()
    _RECIPES[id(target)] = recipe  # holds the target, so its id is not reused meanwhile
    return recipe


def _pausing(
    spans: tuple[StatusSpan, ...], pausing: frozenset[ComplaintStatus], clocks: SlaClock
) -> Sequence[_Span]:
    """The spans that stop the resolution clock, with spans that touch or overlap joined.

    Paused, then escalated at the same instant, is one pause: a pause that goes on across
    a deadline extends it however many statuses it passes through. Instants are compared
    as UTC microseconds: Python compares two datetimes that share a tzinfo on their wall
    clocks, wrong in a daylight-saving fold.
    """
    if not spans:
        return ()
    us = clocks.us
    joined: list[_Span] = []
    for span in spans:
        if span.status not in pausing:
            continue
        begin, end = span.start, span.end
        begin_us, end_us = us(begin), (None if end is None else us(end))
        if joined:
            first, first_us, last, last_us = joined[-1]
            if last_us is not None and begin_us <= last_us:
                if end_us is not None and end_us < last_us:
                    end, end_us = last, last_us
                joined[-1] = (first, first_us, end, end_us)
                continue
        joined.append((begin, begin_us, end, end_us))
    return joined


def _evaluate(  # noqa: PLR0912, PLR0915 - the rule in one pass, run per target
    which: SlaTargetKind,
    cycle: int,
    recipe: _Recipe,
    start: pendulum.DateTime,
    done: pendulum.DateTime | None,
    as_of: pendulum.DateTime,
    spans: Sequence[_Span],
    clocks: SlaClock,
) -> TargetStatus:
    """One target's figures (see `TargetStatus`), on integer microseconds of its clock.

    ``spans``: the pausing spans that stop this target's clock (a resolution target's;
    none for the others). The clock's time is working time for working periods (the
    difference of two working positions), else elapsed time (the difference of two UTC
    microsecond counts, exact across clock changes).
    """
    _, period, kind, on_working_time, allowed, allowed_time, warn = recipe
    end = as_of if done is None else done
    if on_working_time:
        read = clocks.read
        _, start_us, start_at = read(start)
        _, end_us, end_at = read(end)
    else:  # the clock is the UTC microseconds themselves
        read = None
        start_us = start_at = clocks.us(start)
        end_us = end_at = clocks.us(end)
    # The pausing spans that overlap the run from `start` to `end`, cut to it: a span
    # going on past the end is still paused if the work is not done.
    pauses: list[tuple[pendulum.DateTime, int, pendulum.DateTime, int, bool]] = (
        [] if spans else _NO_PAUSES  # (an empty loop appends nothing to the shared list)
    )
    for span_begin, span_begin_us, stop, stop_us in spans:
        if stop_us is not None and stop_us <= start_us:
            continue
        begin, begin_us = (
            (span_begin, span_begin_us) if span_begin_us >= start_us else (start, start_us)
        )
        if begin_us > end_us or (begin_us == end_us and done is not None):
            break
        if stop is not None and stop_us is not None and stop_us <= end_us:
            pauses.append((begin, begin_us, stop, stop_us, False))
        else:  # nothing after the end of the run counts
            pauses.append((begin, begin_us, end, end_us, done is None))
            break
    paused = 0
    paused_now = False
    due_at: pendulum.DateTime
    if kind <= _HOURS:
        # An hour target: its time on its clock, not counting pauses before it runs out.
        remaining = allowed
        cursor, cursor_at = start, start_at
        for begin, begin_us, stop, stop_us, still in pauses:
            begin_at = read(begin)[2] if read else begin_us
            if begin_at - cursor_at >= remaining:
                break  # the target ran out before this pause began
            remaining -= begin_at - cursor_at
            cursor, cursor_at = stop, (read(stop)[2] if read else stop_us)
            paused += cursor_at - begin_at
            paused_now = still
        if read:
            due_at, due_us = clocks.add_working(cursor, remaining)
        else:
            due_at = add_duration(cursor, remaining * _US, "the SLA deadline")
            due_us = clocks.us(due_at)
        used = end_at - start_at - paused
        left = allowed - used
        due_date = None
    else:
        # A day target: its unpaused deadline, moved on by exactly the paused time on its
        # clock (after the unpaused deadline); a pause after the deadline changes nothing.
        assert isinstance(period, (Days, Workdays))
        unpaused = due_at = clocks.day_deadline(start, period)
        if read:
            _, unpaused_us, unpaused_at = read(unpaused)
        else:
            unpaused_us = unpaused_at = clocks.us(unpaused)
        due_us = unpaused_us
        for begin, begin_us, stop, stop_us, still in pauses:
            if begin_us >= due_us:
                break
            if read:
                paused += read(stop)[2] - read(begin)[2]
                due_at, due_us = clocks.add_working(unpaused, paused)
            else:
                paused += stop_us - begin_us
                due_at = add_duration(unpaused, paused * _US, "the SLA deadline")
                due_us = clocks.us(due_at)
            paused_now = still
        due_at_clock = read(due_at)[2] if read else due_us
        used = end_at - start_at - paused
        left = due_at_clock - end_at
        allowed = unpaused_at - start_at
        allowed_time = allowed * _US
        due_date = clocks.last_day(due_at)
    if done is not None:
        state = SlaState.MET if end_us < due_us else SlaState.BREACHED
    elif paused_now:
        state = SlaState.PAUSED
    else:
        state = SlaState.BREACHED if end_us >= due_us else SlaState.RUNNING
    nearing = (
        warn is not None
        and left <= warn
        and (state is SlaState.RUNNING or state is SlaState.PAUSED)
    )
    # `TargetStatus` has no converters or validators: its slots are written as attrs'
    # ``__init__`` writes them (`tests/test_complaints_sla_clock.py` pins the equality).
    status: TargetStatus = _new(TargetStatus)
    _put_target(status, which)
    _put_cycle(status, cycle)
    _put_period(status, period)
    _put_start(status, start)
    _put_deadline(status, due_at)
    _put_due_date(status, due_date)
    _put_state(status, state)
    _put_done_at(status, done)
    _put_time_used(status, used * _US)
    _put_time_left(status, left * _US)
    _put_allowed(status, allowed_time)
    _put_paused(status, paused * _US if paused else _ZERO)
    _put_nearing_breach(status, nearing)
    return status


def _targets(
    complaint: Complaint, policy: ComplaintPolicy, as_of: pendulum.DateTime, clocks: SlaClock
) -> tuple[TargetStatus, ...]:
    """The targets of ``complaint``: acceptance, then each cycle's resolution and follow-up.

    Only resolution targets pause: the spans in the policy's pausing statuses.
    """
    state = complaint._state  # the fold's facts, read once (each property is a call)
    received = state.received
    rule = policy.rule_for(received.kind, received.severity)
    spans = _pausing(state.spans, policy.pausing_statuses, clocks)
    targets = [
        _evaluate(
            SlaTargetKind.ACCEPTANCE,
            0,
            _recipe(rule.acceptance),
            received.at,
            state.accepted_at,
            as_of,
            (),
            clocks,
        )
    ]
    resolution = _recipe(rule.resolution)
    for number, cycle in enumerate(state.cycles):
        resolved = cycle.resolved_at
        targets.append(
            _evaluate(
                SlaTargetKind.RESOLUTION,
                number,
                resolution,
                cycle.start,
                resolved,
                as_of,
                spans,
                clocks,
            )
        )
        if resolved is not None and not cycle.reopened_before_follow_up:
            targets.append(
                _evaluate(
                    SlaTargetKind.FOLLOW_UP,
                    number,
                    _recipe(rule.follow_up),
                    resolved,
                    cycle.followed_up_at,
                    as_of,
                    (),
                    clocks,
                )
            )
    return tuple(targets)


def sla_status(
    complaint: Complaint,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> SlaStatus:
    """Every target of ``complaint`` at ``as_of``: deadline, state, time used and left.

    Business meaning: is this complaint being handled in time? Acceptance runs from
    receipt; resolution from receipt, and again from each reopening; the follow-up visit
    from each resolution. Paused time (the policy's ``pausing_statuses``) is measured on
    the target's clock and extends the deadline by exactly that much: working time for
    ``WorkingHours`` and ``Workdays`` targets, elapsed time for ``Hours`` and ``Days``.
    A day target's paused time runs on from its unpaused deadline (the midnight ending
    its due date): a ``Workdays`` deadline moves to ``calendar.add_working_time(unpaused,
    paused)``, so one paused working hour makes it 10:00 on the next working day (with
    09:00 openings), and a ``Days`` deadline moves by the paused elapsed time. Adding a
    pause never moves a deadline earlier. A pause that starts at or after the (already
    extended) deadline changes nothing. Only resolution targets pause. Events after
    ``as_of`` are left out.

    Args:
        complaint: the complaint.
        policy: targets and pausing statuses.
        calendar: the working calendar.
        as_of: the instant to evaluate at (aware).

    Returns:
        The `SlaStatus`.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
        NotAnInstantError: ``as_of`` is not a datetime.
        CalendarCoverageError: a deadline falls outside the calendar's years.
    """
    return _sla_status(complaint, policy, calendar, as_of, fast=True)


def _sla_status(
    complaint: Complaint,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    fast: bool,
) -> SlaStatus:
    """`sla_status`, on the memo's clock when ``fast`` (else, or when the memo does not
    hold a figure, on the calendar's own clock: the reference the tests compare with)."""
    instant = to_instant(as_of, "as_of")
    known = complaint.as_of(instant)
    if known is None:
        return SlaStatus(complaint.id, instant, None, ())
    targets: tuple[TargetStatus, ...] | None = None
    if fast:
        try:
            targets = _targets(known, policy, instant, TableClock(calendar, instant))
        except (OutsideTable, KeyAccountError, OverflowError):
            targets = None  # the calendar's own clock answers, or raises its own error
    if targets is None:
        targets = _targets(known, policy, instant, CalendarClock(calendar))
    return SlaStatus(complaint.id, instant, known.status, targets)
