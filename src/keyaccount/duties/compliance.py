"""Was each duty done in time: `DoneRecord`, `compliance`, `compliance_summary`.

A `DoneRecord` says a duty was done (a report submitted, a meeting held, a visit
round made): which duty, by whom, when. `compliance` matches the records to the
occurrences and tells, at ``as_of``, whether each occurrence was done on time, done late
(and by how much), missed, or is still open. `compliance_summary` counts them per
position and per person for a period, each figure with the occurrence ids behind it.

How records meet occurrences (the stated rule):

1. A record made after ``as_of`` is not known yet and is ignored.
2. A record that names its occurrence (``scheduled``, the day the rule names) meets
   that occurrence of its duty.
3. Any other record meets the occurrence of its duty that was open when it was made:
   the latest one whose first day had begun by then (a meeting minuted at 13:00 for
   13:30 is that day's meeting; a report done on the 5th for a month whose
   report was due on the 3rd is the month's report, late); the next occurrence's start
   ends that chance (a report never made for September stays missed once October's
   is open). Each occurrence takes the first record that meets it.
4. Done at or before the due instant (`Occurrence.end`) is on time; after it, late by
   the difference. Not done: open before the due instant, missed from it on.

Examples:
    >>> import pendulum
    >>> from keyaccount.duties.model import DutyKind, Occurrence
    >>> tz = "Asia/Shanghai"
    >>> occ = Occurrence(
    ...     "m/report", "月度工作报告", "m", DutyKind.REPORT, pendulum.date(2026, 10, 3),
    ...     pendulum.datetime(2026, 10, 1, 9, tz=tz), pendulum.datetime(2026, 10, 8, 18, tz=tz))
    >>> done = DoneRecord("d1", "m/report", "s1", pendulum.datetime(2026, 10, 9, 10, tz=tz))
    >>> row, = compliance([occ], [done], pendulum.datetime(2026, 10, 31, tz=tz))
    >>> row.status.value, str(row.late_by)
    ('done-late', '16:00:00')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs
import pendulum

from keyaccount._fields import (
    LabelledEnum,
    instant,
    instant_key,
    optional_instant,
    text,
    to_instant,
)
from keyaccount.calendar.date_range import DateRange
from keyaccount.duties.model import Occurrence, RecurringDuty

__all__ = [
    "ComplianceFigures",
    "ComplianceStatus",
    "ComplianceSummary",
    "DoneRecord",
    "OccurrenceCompliance",
    "compliance",
    "compliance_summary",
    "record_problems",
]


class ComplianceStatus(LabelledEnum):
    """Where an occurrence stands at ``as_of``."""

    DONE_ON_TIME = "done-on-time", "按时完成"
    DONE_LATE = "done-late", "逾期完成"
    MISSED = "missed", "未完成"
    OPEN = "open", "未到期"


@attrs.frozen
class DoneRecord:
    """A record that a duty was done.

    Attributes:
        id: the record's own id, unique in its file.
        duty_id: the `RecurringDuty` id (``sales-manager/monthly-report``).
        by: the staff id of who did it.
        at: when it was done (aware).
        note: what was done (the report's title, the meeting's minutes...).
        scheduled: the day of the occurrence it was done for, when the record says so
            (otherwise the occurrence open when it was made).

    Raises:
        InvalidTextError: a blank id, duty id or staff id.
        NaiveDatetimeError: ``at`` has no timezone.
    """

    id: str = attrs.field(validator=text)
    duty_id: str = attrs.field(validator=text)
    by: str = attrs.field(validator=text)
    at: pendulum.DateTime = attrs.field(converter=instant)
    note: str = ""
    scheduled: dt.date | None = None


@attrs.frozen
class OccurrenceCompliance:
    """One occurrence, the record that met it (if any), seen at ``as_of``."""

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("status", "late_by", "done_by")

    occurrence: Occurrence
    record: DoneRecord | None
    as_of: pendulum.DateTime = attrs.field(converter=instant)

    @property
    def id(self) -> str:
        """The occurrence's id."""
        return self.occurrence.id

    @property
    def status(self) -> ComplianceStatus:
        """Done on time, done late, missed, or open (see the module docstring)."""
        if self.record is not None:
            if instant_key(self.record.at) <= instant_key(self.occurrence.end):
                return ComplianceStatus.DONE_ON_TIME
            return ComplianceStatus.DONE_LATE
        if instant_key(self.as_of) < instant_key(self.occurrence.end):
            return ComplianceStatus.OPEN
        return ComplianceStatus.MISSED

    @property
    def late_by(self) -> dt.timedelta | None:
        """How late it was done; ``None`` unless done late."""
        if self.record is None or self.status is not ComplianceStatus.DONE_LATE:
            return None
        return instant_key(self.record.at) - instant_key(self.occurrence.end)

    @property
    def done_by(self) -> str | None:
        """The staff id of who did it, if it was done."""
        return None if self.record is None else self.record.by

    def explain(self) -> str:
        """One line: the occurrence, its due instant and its status."""
        due = self.occurrence.end.isoformat()
        what = f"{self.occurrence.duty} ({self.id}), due {due}"
        status = self.status
        if self.record is not None:
            late = f", {self.late_by} late" if self.late_by is not None else ""
            done = f"done by {self.record.by} at {self.record.at.isoformat()}"
            return f"{what}: {status.label}, {done}{late}"
        return f"{what}: {status.label} at {self.as_of.isoformat()}"


def _matches(
    occurrences: tuple[Occurrence, ...], records: tuple[DoneRecord, ...], as_of: pendulum.DateTime
) -> dict[str, DoneRecord]:
    """Occurrence id -> the record that met it (see the module docstring)."""
    by_duty: dict[str, list[Occurrence]] = {}
    for occurrence in occurrences:
        by_duty.setdefault(occurrence.duty_id, []).append(occurrence)
    for group in by_duty.values():
        group.sort(key=lambda o: instant_key(o.start))
    opened = {o.id: instant_key(o.start.start_of("day")) for o in occurrences}
    named = {o.id: o for o in occurrences}
    met: dict[str, DoneRecord] = {}
    limit = instant_key(as_of)
    for record in sorted(records, key=lambda r: instant_key(r.at)):
        at = instant_key(record.at)
        if at > limit or record.duty_id not in by_duty:
            continue
        if record.scheduled is not None:
            target = named.get(f"{record.duty_id}@{record.scheduled.isoformat()}")
        else:
            started = [o for o in by_duty[record.duty_id] if opened[o.id] <= at]
            target = started[-1] if started else None
        if target is not None and target.id not in met:
            met[target.id] = record
    return met


def record_problems(
    records: Iterable[DoneRecord], duties: Iterable[RecurringDuty]
) -> tuple[str, ...]:
    """What is wrong with done records that can never meet an occurrence of ``duties``.

    `compliance` passes over such a record (it meets nothing); this says why, so a
    typo in a duty id or a wrong day does not silently turn a done duty into a missed
    one. A record is wrong when it names a duty that is not among ``duties``, or names
    an occurrence (``scheduled``) on a day its duty's rule does not name (the day
    before a rest day moved it is the one to give).

    Examples:
        >>> import pendulum
        >>> from keyaccount.calendar import Recurrence
        >>> from keyaccount.duties.model import DutyKind, RecurringDuty
        >>> duty = RecurringDuty("m/report", "m", "月度工作报告", "s", DutyKind.REPORT,
        ...                      Recurrence.monthly(3, due_by=True))
        >>> at = pendulum.datetime(2026, 10, 9, tz="Asia/Shanghai")
        >>> record_problems([DoneRecord("d1", "m/reprot", "s1", at)], [duty])
        ("record 'd1' names the duty 'm/reprot', which no position holds",)

    Returns:
        One line per wrong record, naming it; empty when every record can be matched.
    """
    rules = {duty.id: duty.recurrence for duty in duties}
    problems: list[str] = []
    for record in records:
        rule = rules.get(record.duty_id)
        if rule is None:
            problems.append(
                f"record {record.id!r} names the duty {record.duty_id!r}, which no position holds"
            )
        elif record.scheduled is not None and not rule.days(record.scheduled, record.scheduled):
            problems.append(
                f"record {record.id!r} names the occurrence of {record.scheduled} of "
                f"{record.duty_id!r}, a day its rule ({rule}) does not name"
            )
    return tuple(problems)


def compliance(
    occurrences: Iterable[Occurrence], records: Iterable[DoneRecord], as_of: dt.datetime
) -> tuple[OccurrenceCompliance, ...]:
    """Each occurrence with the record that met it, and its status at ``as_of``.

    Args:
        occurrences: the occurrences to check (from `occurrences`).
        records: what was done.
        as_of: the instant the check is made; later records are not known yet.

    Returns:
        One `OccurrenceCompliance` per occurrence, in the occurrences' order.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    as_of = to_instant(as_of, "as_of")
    occurrences = tuple(occurrences)
    met = _matches(occurrences, tuple(records), as_of)
    return tuple(OccurrenceCompliance(o, met.get(o.id), as_of) for o in occurrences)


@attrs.frozen
class ComplianceFigures:
    """The counts of one position or one person, each with the occurrence ids behind it.

    Attributes:
        subject: the position id or the staff id.
        on_time: ids of the occurrences done on time.
        late: ids of those done late.
        missed: ids of those missed.
        open: ids of those still open.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("due", "on_time_rate")

    subject: str
    on_time: tuple[str, ...] = ()
    late: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    open: tuple[str, ...] = ()

    @property
    def due(self) -> int:
        """Occurrences whose due instant has passed or that were done: on time, late, missed."""
        return len(self.on_time) + len(self.late) + len(self.missed)

    @property
    def on_time_rate(self) -> Fraction | None:
        """Share of the due occurrences done on time; ``None`` when none was due."""
        return Fraction(len(self.on_time), self.due) if self.due else None

    def explain(self) -> str:
        """One line: the counts."""
        return (
            f"{self.subject}: {len(self.on_time)} on time, {len(self.late)} late, "
            f"{len(self.missed)} missed, {len(self.open)} open"
        )


@attrs.frozen
class ComplianceSummary:
    """Compliance for a period, per position and per person.

    Attributes:
        period: the days whose scheduled occurrences are counted.
        as_of: the instant the statuses hold at (``None`` when there were no rows).
        positions: one `ComplianceFigures` per position, sorted by position id.
        people: one per person, sorted by staff id: the one who did each occurrence, or
            for an occurrence not done, the holder of its position (``holders``).
        unattributed: ids of the occurrences not done whose position has no holder.
    """

    period: DateRange
    as_of: pendulum.DateTime | None = attrs.field(converter=optional_instant)
    positions: tuple[ComplianceFigures, ...] = ()
    people: tuple[ComplianceFigures, ...] = ()
    unattributed: tuple[str, ...] = ()


_FIELD = {
    ComplianceStatus.DONE_ON_TIME: 0,
    ComplianceStatus.DONE_LATE: 1,
    ComplianceStatus.MISSED: 2,
    ComplianceStatus.OPEN: 3,
}


def _figures(groups: Mapping[str, list[list[str]]]) -> tuple[ComplianceFigures, ...]:
    return tuple(
        ComplianceFigures(key, *(tuple(ids) for ids in groups[key])) for key in sorted(groups)
    )


def compliance_summary(
    rows: Iterable[OccurrenceCompliance],
    period: DateRange,
    *,
    holders: Mapping[str, str] | None = None,
) -> ComplianceSummary:
    """Count `compliance` rows per position and per person for ``period``.

    An occurrence belongs to the period its scheduled day (`Occurrence.scheduled`) lies
    in. A done occurrence counts for the person who did it; one not done for the holder
    of its position, when ``holders`` names one.

    Args:
        rows: the result of `compliance` (one ``as_of`` for all).
        period: the days counted.
        holders: position id -> staff id of who holds it.

    Returns:
        The `ComplianceSummary`; every figure lists its occurrence ids.
    """
    rows = tuple(rows)
    holders = holders or {}
    positions: dict[str, list[list[str]]] = {}
    people: dict[str, list[list[str]]] = {}
    unattributed: list[str] = []
    as_of: pendulum.DateTime | None = None
    for row in rows:
        as_of = row.as_of if as_of is None else as_of
        if row.occurrence.scheduled not in period:
            continue
        slot = _FIELD[row.status]
        positions.setdefault(row.occurrence.position, [[], [], [], []])[slot].append(row.id)
        person = row.done_by or holders.get(row.occurrence.position)
        if person is None:
            unattributed.append(row.id)
        else:
            people.setdefault(person, [[], [], [], []])[slot].append(row.id)
    return ComplianceSummary(
        period=period,
        as_of=as_of,
        positions=_figures(positions),
        people=_figures(people),
        unattributed=tuple(unattributed),
    )
