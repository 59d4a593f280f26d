"""What a recurring duty and one of its occurrences are: `RecurringDuty`, `Occurrence`.

A chart's positions hold their work routine (工作规程) as `ScheduleItem`s (in
`keyaccount.org`); `RecurringDuty` is one such item together with the position that
holds it, the unit every rule of this package reads. `duties_of(chart)` lists them.

An `Occurrence` is one time a duty comes round on a calendar: the day the rule names
(`scheduled`), the instants it starts and ends in the calendar's zone, and, when a rest
day moved it, the convention that did (`convention`, `moved_from`).

Examples:
    >>> from keyaccount.calendar import Recurrence
    >>> duty = RecurringDuty(
    ...     id="sales-manager/monthly-report",
    ...     position="sales-manager",
    ...     duty="每月3日前需向总监呈报月度工作报告",
    ...     seed="003_c0a09330c12f3f2e.txt:123",
    ...     kind=DutyKind.REPORT,
    ...     recurrence=Recurrence.monthly(3, due_by=True),
    ...     to="marketing-director",
    ... )
    >>> duty.convention.value
    'following'
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from keyaccount._fields import instant, optional_text, text
from keyaccount.calendar.conventions import BusinessDayConvention
from keyaccount.calendar.recurrence import Recurrence
from keyaccount.org import OrgChart
from keyaccount.org.schedule import DutyKind, ScheduleItem

__all__ = ["DutyKind", "Occurrence", "RecurringDuty", "duties_of"]


def _recurrence(value: Recurrence | str) -> Recurrence:
    return Recurrence.parse(value) if isinstance(value, str) else value


@attrs.frozen
class RecurringDuty:
    """One recurring duty of one position.

    Attributes:
        id: unique among all duties read together; `duties_of` uses
            ``"{position}/{item id}"``.
        position: the position id that holds the duty.
        duty: the seed's words (``每周六下午13:30~14:30召集部门人员召开周会``).
        seed: the seed file and line it cites (``003_c0a09330c12f3f2e.txt:161``).
        kind: meeting, report, review, visit window, deadline or routine.
        recurrence: when it comes round (text is read with `Recurrence.parse`).
        convention: what a rest day does to it; default 顺延 (following).
        duty_en: a short English rendering.
        to: the position a report goes to, when there is one.
        assumption: what was assumed where the seed is silent.

    Raises:
        InvalidTextError: a blank id, position, duty or seed.
        InvalidRecurrenceError: the recurrence text cannot be read.
    """

    id: str = attrs.field(validator=text)
    position: str = attrs.field(validator=text)
    duty: str = attrs.field(validator=text)
    seed: str = attrs.field(validator=text)
    kind: DutyKind
    recurrence: Recurrence = attrs.field(converter=_recurrence)
    convention: BusinessDayConvention = BusinessDayConvention.FOLLOWING
    duty_en: str = ""
    to: str | None = attrs.field(default=None, validator=optional_text)
    assumption: str | None = None

    @classmethod
    def from_item(cls, position: str, item: ScheduleItem) -> RecurringDuty:
        """The duty a position's `ScheduleItem` describes; its id is ``position/item.id``."""
        return cls(
            id=f"{position}/{item.id}",
            position=position,
            duty=item.duty,
            seed=item.seed,
            kind=item.kind,
            recurrence=item.recurrence,
            convention=item.convention,
            duty_en=item.duty_en,
            to=item.to,
            assumption=item.assumption,
        )


def duties_of(chart: OrgChart, position: str | None = None) -> tuple[RecurringDuty, ...]:
    """Every recurring duty of ``chart``'s positions (or of one position), in chart order.

    Args:
        chart: the org chart whose positions hold schedules.
        position: a position id or title; ``None`` for every position.

    Raises:
        UnknownPositionError: ``position`` is not in the chart.
        AmbiguousTitleError: ``position`` is a title several positions share.
    """
    positions = (chart.resolve(position),) if position is not None else tuple(chart)
    return tuple(RecurringDuty.from_item(p.id, item) for p in positions for item in p.schedule)


@attrs.frozen
class Occurrence:
    """One time a duty comes round, on a working calendar.

    Attributes:
        duty_id: the `RecurringDuty` id.
        duty: the seed's words.
        position: the position id that holds the duty.
        kind: the duty's kind.
        scheduled: the day the rule names, before any rest day moved it (a range's first
            day; a deadline's due day).
        start: when it opens: a meeting's start, a range's first day, a deadline's period
            start (aware, in the calendar's zone).
        end: when it closes: a meeting's end, a range's last day, the instant a deadline
            is due. Done after ``end`` is late.
        convention: the convention that moved it off a rest day; ``None`` when not moved.
        moved_from: the scheduled day when a rest day moved it; ``None`` when not moved.
    """

    duty_id: str
    duty: str
    position: str
    kind: DutyKind
    scheduled: dt.date
    start: pendulum.DateTime = attrs.field(converter=instant)
    end: pendulum.DateTime = attrs.field(converter=instant)
    convention: BusinessDayConvention | None = None
    moved_from: dt.date | None = None

    @property
    def id(self) -> str:
        """``"{duty_id}@{scheduled}"``: unique, since a duty names each day once."""
        return f"{self.duty_id}@{self.scheduled.isoformat()}"

    @property
    def due(self) -> pendulum.DateTime:
        """The instant it is due: its ``end``."""
        return self.end

    def explain(self) -> str:
        """One line: what, when, and how a rest day moved it."""
        when = f"{self.start.to_datetime_string()[:16]} - {self.end.to_datetime_string()[:16]}"
        moved = ""
        if self.convention is not None and self.moved_from is not None:
            moved = (
                f"; scheduled for {self.moved_from}, moved off a rest day by"
                f" {self.convention.value} ({self.convention.label})"
            )
        return f"{self.duty} ({self.duty_id}): {when}{moved}"
