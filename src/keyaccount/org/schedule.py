"""What a position must do, and how often: `ScheduleItem`, its work routine (工作规程) as data.

A position's job description says in words what it does; its schedule says when. Each
`ScheduleItem` is one recurring duty of the position: the seed's words, the seed line it
cites, what kind of duty it is, a `Recurrence` (when), a `BusinessDayConvention` (what
a rest day does to it) and, for reports, the position it is reported to.

The chart holds the schedule (this module, in the `org` layer); `keyaccount.duties`
turns each item into a `RecurringDuty` of its position and computes the occurrences on
a calendar. The item carries no position id: it sits on its `Position`.

Examples:
    >>> item = ScheduleItem(
    ...     id="monthly-report",
    ...     duty="每月3日前需向总监呈报月度工作报告",
    ...     seed="003_c0a09330c12f3f2e.txt:123",
    ...     kind=DutyKind.REPORT,
    ...     recurrence=Recurrence.parse("FREQ=MONTHLY;BYMONTHDAY=3;X-DUE-BY=TRUE"),
    ...     to="marketing-director",
    ... )
    >>> item.convention.label
    '顺延'
"""

from __future__ import annotations

from typing import Any

import attrs

from keyaccount._fields import LabelledEnum, optional_text, text
from keyaccount.calendar.conventions import BusinessDayConvention
from keyaccount.calendar.recurrence import Recurrence
from keyaccount.errors import DuplicateIdError

__all__ = ["DutyKind", "ScheduleItem", "unique_items"]


class DutyKind(LabelledEnum):
    """What kind of recurring duty an item is."""

    MEETING = "meeting", "会议"
    REPORT = "report", "报告"
    REVIEW = "review", "审阅/检查"
    VISIT_WINDOW = "visit-window", "拜访"
    DEADLINE = "deadline", "期限"
    ROUTINE = "routine", "日常工作"


def _recurrence(value: Recurrence | str) -> Recurrence:
    return Recurrence.parse(value) if isinstance(value, str) else value


@attrs.frozen
class ScheduleItem:
    """One recurring duty of a position, as the chart holds it.

    Attributes:
        id: unique among the position's items (``weekly-meeting``).
        duty: the seed's words (``每周六下午13:30~14:30召集部门人员召开周会``).
        seed: the seed file and line it cites (``003_c0a09330c12f3f2e.txt:161``).
        kind: meeting, report, review, visit window, deadline or routine.
        recurrence: when it comes round (text is read with `Recurrence.parse`).
        convention: what a rest day does to it; default 顺延 (following).
        duty_en: a short English rendering.
        to: the position a report goes to (its id), when there is one.
        assumption: set when the seed does not say everything the schedule needs (and
            what was assumed).

    Raises:
        InvalidTextError: a blank id, duty or seed.
        InvalidRecurrenceError: the recurrence text cannot be read.
    """

    id: str = attrs.field(validator=text)
    duty: str = attrs.field(validator=text)
    seed: str = attrs.field(validator=text)
    kind: DutyKind
    recurrence: Recurrence = attrs.field(converter=_recurrence)
    convention: BusinessDayConvention = BusinessDayConvention.FOLLOWING
    duty_en: str = ""
    to: str | None = attrs.field(default=None, validator=optional_text)
    assumption: str | None = None


def unique_items(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a position's schedule items have distinct ids.

    Each item becomes the duty ``"{position}/{item id}"``, and a duty names each day
    once, so two items with one id would make two duties that cannot be told apart.

    Raises:
        DuplicateIdError: two items share an id (the error names it).
    """
    seen: set[str] = set()
    for item in value if isinstance(value, tuple) else ():
        key = getattr(item, "id", None)
        if isinstance(key, str):
            if key in seen:
                raise DuplicateIdError(f"two schedule items have the id {key!r}")
            seen.add(key)
