"""Is a complaint handled in time? Every target's deadline, state, time used and left.

`sla_status` evaluates the three targets of the closed loop (acceptance, resolution,
follow-up) of one complaint at ``as_of`` under a `ComplaintPolicy` and a calendar.
Nothing is stored: a changed policy, severity or calendar recomputes every figure from
the complaint's events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Final, NamedTuple

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, add_duration, to_instant
from keyaccount._fields import utc_microseconds as _us
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

_ZERO: Final = dt.timedelta(0)
_Clock = Callable[[pendulum.DateTime, pendulum.DateTime], dt.timedelta]


def _clock_of(period: Period, clock: SlaClock) -> _Clock:
    """The target's clock: working time for working periods, else elapsed time."""
    if isinstance(period, (WorkingHours, Workdays)):
        return clock.working
    return clock.elapsed


class _Run(NamedTuple):
    """One target to evaluate: which, in which cycle, from when, when done, as of when.

    ``pauses``: the spans that stop this target's clock (the pausing spans of the
    complaint for a resolution target, none for the others). The private values of one
    evaluation are named tuples: cheap to build, never shown.
    """

    which: SlaTargetKind
    cycle: int
    target: SlaTarget
    start: pendulum.DateTime
    done: pendulum.DateTime | None
    as_of: pendulum.DateTime
    pauses: tuple[StatusSpan, ...] = ()

    @property
    def end(self) -> pendulum.DateTime:
        """Where the run's clock is read: when the work was done, else ``as_of``."""
        return self.done if self.done is not None else self.as_of


class _Pause(NamedTuple):
    """A pausing span cut to a target's run: from ``begin`` to ``stop``.

    ``still_paused``: the span goes on past ``as_of`` and the work is not done.
    """

    begin: pendulum.DateTime
    stop: pendulum.DateTime
    still_paused: bool


class _Figures(NamedTuple):
    """A target's deadline and clock figures once its pauses are counted."""

    due_at: pendulum.DateTime
    due_date: pendulum.Date | None
    used: dt.timedelta
    left: dt.timedelta
    allowed: dt.timedelta
    paused: dt.timedelta
    paused_now: bool


def _pauses_in(run: _Run) -> Iterator[_Pause]:
    """The pausing spans that overlap the run from ``run.start`` to ``run.end``, cut to it."""
    end = run.end
    for span in run.pauses:
        # Instants are compared as UTC microseconds: Python compares two datetimes that
        # share a tzinfo on their wall clocks, wrong in a daylight-saving fold.
        if span.end is not None and _us(span.end) <= _us(run.start):
            continue
        begin = span.start if _us(span.start) >= _us(run.start) else run.start
        if _us(begin) > _us(end) or (_us(begin) == _us(end) and run.done is not None):
            return
        if span.end is not None and _us(span.end) <= _us(end):
            yield _Pause(begin, span.end, False)
        else:  # the span goes on past the end of the run: nothing after it counts
            yield _Pause(begin, end, run.done is None)  # still paused if not done
            return


def _hour_figures(
    period: WorkingHours | Hours, run: _Run, pauses: Iterable[_Pause], clocks: SlaClock
) -> _Figures:
    """An hour target: the period's time on its clock, not counting pauses before it runs out."""
    clock = _clock_of(period, clocks)
    allowed = period.duration
    remaining = allowed
    cursor = run.start
    paused = _ZERO
    paused_now = False
    for pause in pauses:
        before = clock(cursor, pause.begin)
        if before >= remaining:
            break  # the target ran out before this pause began
        remaining -= before
        paused += clock(pause.begin, pause.stop)
        cursor = pause.stop
        paused_now = pause.still_paused
    if isinstance(period, WorkingHours):
        due_at = clocks.add_working(cursor, remaining)
    else:
        due_at = add_duration(cursor, remaining, "the SLA deadline")
    used = clock(run.start, run.end) - paused
    return _Figures(due_at, None, used, allowed - used, allowed, paused, paused_now)


def _day_figures(
    period: Days | Workdays, run: _Run, pauses: Iterable[_Pause], clocks: SlaClock
) -> _Figures:
    """A day target: its unpaused deadline, moved on by the paused time on its clock."""
    clock = _clock_of(period, clocks)
    unpaused = clocks.day_deadline(run.start, period)
    due_at = unpaused
    paused = _ZERO
    paused_now = False
    for pause in pauses:
        if _us(pause.begin) >= _us(due_at):
            break  # a pause after the (extended) deadline changes nothing
        paused += clock(pause.begin, pause.stop)
        # exactly the paused time after the unpaused deadline, on the target's clock
        if isinstance(period, Workdays):
            due_at = clocks.add_working(unpaused, paused)
        else:
            due_at = add_duration(unpaused, paused, "the SLA deadline")
        paused_now = pause.still_paused
    used = clock(run.start, run.end) - paused
    return _Figures(
        due_at,
        clocks.last_day(due_at),
        used,
        clock(run.end, due_at),
        clock(run.start, unpaused),
        paused,
        paused_now,
    )


def _evaluate(run: _Run, clocks: SlaClock) -> TargetStatus:
    """Figures of one target (see `TargetStatus`)."""
    period = run.target.within
    pauses = _pauses_in(run)
    if isinstance(period, (WorkingHours, Hours)):
        figures = _hour_figures(period, run, pauses, clocks)
    else:
        figures = _day_figures(period, run, pauses, clocks)
    if run.done is not None:
        # in UTC: a deadline and a done instant of one zone may lie in a daylight-saving fold
        state = SlaState.MET if _us(run.done) < _us(figures.due_at) else SlaState.BREACHED
    elif figures.paused_now:
        state = SlaState.PAUSED
    else:
        state = SlaState.BREACHED if _us(run.as_of) >= _us(figures.due_at) else SlaState.RUNNING
    warn = run.target.warn
    nearing = (
        state in (SlaState.RUNNING, SlaState.PAUSED)
        and isinstance(warn, (WorkingHours, Hours))
        and figures.left <= warn.duration
    )
    return TargetStatus(
        target=run.which,
        cycle=run.cycle,
        period=period,
        start=run.start,
        deadline=figures.due_at,
        due_date=figures.due_date,
        state=state,
        done_at=run.done,
        time_used=figures.used,
        time_left=figures.left,
        allowed=figures.allowed,
        paused=figures.paused,
        nearing_breach=nearing,
    )


def _joined(spans: Iterable[StatusSpan]) -> tuple[StatusSpan, ...]:
    """The pausing spans, with spans that touch or overlap joined into one.

    Paused, then escalated at the same instant, is one pause: a pause that goes on across a
    deadline extends it however many statuses it passes through.
    """
    joined: list[StatusSpan] = []
    for span in spans:
        last = joined[-1] if joined else None
        if last is not None and last.end is not None and _us(span.start) <= _us(last.end):
            end = None if span.end is None else max(span.end, last.end, key=_us)
            joined[-1] = StatusSpan(last.status, last.start, end)
        else:
            joined.append(span)
    return tuple(joined)


def _runs(
    complaint: Complaint, policy: ComplaintPolicy, as_of: pendulum.DateTime
) -> Iterator[_Run]:
    """The targets of ``complaint``: acceptance, then each cycle's resolution and follow-up.

    Only resolution targets pause: the spans in the policy's pausing statuses.
    """
    rule = policy.rule_for(complaint.kind, complaint.severity)
    pausing = policy.pausing_statuses
    pauses = _joined(span for span in complaint.status_spans() if span.status in pausing)
    yield _Run(
        SlaTargetKind.ACCEPTANCE,
        0,
        rule.acceptance,
        complaint.received_at,
        complaint.accepted_at,
        as_of,
    )
    for number, cycle in enumerate(complaint.cycles):
        yield _Run(
            SlaTargetKind.RESOLUTION,
            number,
            rule.resolution,
            cycle.start,
            cycle.resolved_at,
            as_of,
            pauses,
        )
        if cycle.resolved_at is not None and not cycle.reopened_before_follow_up:
            yield _Run(
                SlaTargetKind.FOLLOW_UP,
                number,
                rule.follow_up,
                cycle.resolved_at,
                cycle.followed_up_at,
                as_of,
            )


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
    runs = tuple(_runs(known, policy, instant))
    targets: tuple[TargetStatus, ...] | None = None
    if fast:
        try:
            clocks = TableClock(calendar, instant)
            targets = tuple(_evaluate(run, clocks) for run in runs)
        except (OutsideTable, KeyAccountError, OverflowError):
            targets = None  # the calendar's own clock answers, or raises its own error
    if targets is None:
        reference = CalendarClock(calendar)
        targets = tuple(_evaluate(run, reference) for run in runs)
    return SlaStatus(complaint.id, instant, known.status, targets)
