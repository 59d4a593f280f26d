"""What is on one person's plate in a date range: `agenda`.

A person's agenda holds every occurrence of the recurring duties of the position they
hold (`occurrences`) and every customer contact they owe: due visits (`due_visits`,
with appointments applied by `reschedule`) and reminders (`maintenance_reminders`,
`card_renewal_reminders`), in time order.

How a customer contact is placed (the stated rule): at the first instant, from the
latest of the range's start, the contact's opening (a due visit's trigger, an
appointment's agreed time, a reminder's opening) and ``as_of``, at which the customer
may be contacted **inside the calendar's working hours and outside the policy's quiet
hours** (`next_contact_time` with ``working_hours_only``: 避免在客户休息时打扰客户). So an
agenda never proposes a contact in quiet hours; when that moved it, the item's ``note``
says from when. A contact whose first allowed instant lies after the range is not
placed: it is listed in `Agenda.unplaced` with the reason, never dropped silently. A
contact that opens after the range is not part of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, earlier, instant, instant_key, to_instant
from keyaccount.calendar.conventions import BusinessDayConvention
from keyaccount.calendar.date_range import DateRange
from keyaccount.calendar.work_calendar import WorkCalendar
from keyaccount.customers import Staff
from keyaccount.duties.model import Occurrence, RecurringDuty
from keyaccount.duties.occurrences import occurrences
from keyaccount.errors import CalendarCoverageError
from keyaccount.visits import DueReminder, DueVisit, VisitPolicy, next_contact_time

__all__ = ["Agenda", "AgendaItem", "AgendaKind", "Unplaced", "agenda"]

_MINUTE: Final = "YYYY-MM-DD HH:mm"
_DEFAULT_POLICY: Final = VisitPolicy()
#: How long a proposed customer contact is booked for, unless the caller says.
CONTACT_LENGTH: Final = dt.timedelta(minutes=15)


class AgendaKind(LabelledEnum):
    """What an agenda item is."""

    DUTY = "duty", "工作规程"
    VISIT = "visit", "回访"
    REMINDER = "reminder", "提醒"


@attrs.frozen
class AgendaItem:
    """One entry of an agenda: a duty's occurrence or a customer contact.

    Attributes:
        id: stable across runs: the occurrence id (``position/duty@2026-10-03``), or
            ``visit/{customer}/{rule}/{trigger}`` and ``reminder/{customer}/{kind}/{day}``.
        kind: duty, visit or reminder.
        what: the seed's words (the duty, or the rule's label).
        start: when it starts (a meeting's start, a proposed call).
        end: when it ends (a meeting's end, a report's due instant, the call booked
            for `CONTACT_LENGTH`).
        due: when it is due: a duty's ``end``, a contact's deadline.
        reason: why it is on the agenda, in words.
        customer_id: the customer of a contact; ``None`` for a duty.
        position: the position id of a duty; ``None`` for a contact.
        convention: how a rest day moved a duty (顺延 ...); ``None`` when not moved.
        note: how the contact was placed, when it was moved (quiet or non-working
            hours, opening before the range); empty otherwise.
    """

    id: str
    kind: AgendaKind
    what: str
    start: pendulum.DateTime = attrs.field(converter=instant)
    end: pendulum.DateTime = attrs.field(converter=instant)
    due: pendulum.DateTime = attrs.field(converter=instant)
    reason: str = ""
    customer_id: str | None = None
    position: str | None = None
    convention: BusinessDayConvention | None = None
    note: str = ""

    @property
    def is_contact(self) -> bool:
        """Whether the item is a customer contact (a visit or a reminder)."""
        return self.kind is not AgendaKind.DUTY

    @property
    def is_late(self) -> bool:
        """Whether a contact is proposed at or after its deadline (it will be late)."""
        return self.is_contact and not earlier(self.start, self.due)

    @classmethod
    def of_occurrence(cls, occurrence: Occurrence) -> AgendaItem:
        """The agenda item of a duty's occurrence; its reason names the duty and, when a
        rest day moved it, from which day and by which convention."""
        reason = occurrence.duty_id
        if occurrence.convention is not None and occurrence.moved_from is not None:
            convention = occurrence.convention
            reason = (
                f"{reason}: scheduled for {occurrence.moved_from.isoformat()}, moved off a "
                f"rest day by {convention.value} ({convention.label})"
            )
        return cls(
            occurrence.id,
            AgendaKind.DUTY,
            occurrence.duty,
            occurrence.start,
            occurrence.end,
            occurrence.end,
            reason,
            None,
            occurrence.position,
            occurrence.convention,
        )

    def explain(self) -> str:
        """One line: when, what, for whom, and how it was placed."""
        when = f"{self.start.format(_MINUTE)} - {self.end.format(_MINUTE)}"
        whom = f" with {self.customer_id}" if self.customer_id else ""
        late = f"; late: due {self.due.format(_MINUTE)}" if self.is_late else ""
        note = f"; {self.note}" if self.note else ""
        return f"{when} {self.what}{whom}{late}{note}"


@attrs.frozen
class Unplaced:
    """A contact due in the range that has no allowed time in it.

    Attributes:
        id: the item id it would have had.
        customer_id: the customer.
        what: the rule's label.
        reason: why it could not be placed.
    """

    id: str
    customer_id: str
    what: str
    reason: str


@attrs.frozen
class Agenda:
    """One person's agenda for a range of days.

    Attributes:
        person: the staff id.
        position: the position whose duties it holds.
        period: the days it covers.
        items: every duty occurrence and placed contact, in time order (start, end, id).
        unplaced: contacts due in the range with no allowed time in it.
    """

    person: str
    position: str
    period: DateRange
    items: tuple[AgendaItem, ...]
    unplaced: tuple[Unplaced, ...] = ()

    @property
    def duties(self) -> tuple[AgendaItem, ...]:
        """The duty occurrences, in time order."""
        return tuple(i for i in self.items if not i.is_contact)

    @property
    def contacts(self) -> tuple[AgendaItem, ...]:
        """The customer contacts, in time order."""
        return tuple(i for i in self.items if i.is_contact)


def _contact(
    item: DueVisit | DueReminder,
) -> tuple[str, AgendaKind, str, pendulum.DateTime, pendulum.DateTime, str]:
    """(id, kind, what, opens, due, reason) of a due visit or a reminder."""
    if isinstance(item, DueVisit):
        opens = item.deadline.start
        key = f"visit/{item.customer_id}/{item.rule.value}/{opens.format('YYYYMMDDTHHmmss')}"
        return key, AgendaKind.VISIT, item.rule.label, opens, item.deadline.at, item.reason
    key = f"reminder/{item.customer_id}/{item.kind.value}/{item.due_on.isoformat()}"
    return key, AgendaKind.REMINDER, item.kind.label, item.opens, item.due, item.reason


def _midnight(day: dt.date, calendar: WorkCalendar) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, tz=calendar.tz)


def _place(
    contacts: Iterable[DueVisit | DueReminder],
    period: DateRange,
    calendar: WorkCalendar,
    policy: VisitPolicy,
    floor: pendulum.DateTime,
    length: dt.timedelta,
) -> tuple[list[AgendaItem], list[Unplaced]]:
    working = attrs.evolve(policy, working_hours_only=True)
    after = _midnight(period.end + dt.timedelta(days=1), calendar)
    placed: list[AgendaItem] = []
    unplaced: list[Unplaced] = []
    for contact in contacts:
        key, kind, what, opens, due, reason = _contact(contact)
        if not earlier(opens, after):
            continue  # opens after the range: not part of it
        wanted = max(floor, opens, key=instant_key)
        try:
            at: pendulum.DateTime | None = next_contact_time(wanted, working, calendar)
        except CalendarCoverageError as error:  # no allowed time up to the calendar's end
            at, first = None, f"the calendar ends before one ({error})"
        if at is None or not earlier(at, after):
            first = f"the first is {at.format(_MINUTE)}" if at is not None else first
            unplaced.append(
                Unplaced(
                    key,
                    contact.customer_id,
                    what,
                    f"no time inside working hours and outside quiet hours "
                    f"({', '.join(policy.quiet_hours)}) from {wanted.format(_MINUTE)} to the "
                    f"end of {period.end}; {first}",
                )
            )
            continue
        notes = []
        if earlier(opens, wanted):
            notes.append(f"open since {opens.format(_MINUTE)}")
        if at != wanted:
            notes.append(f"moved from {wanted.format(_MINUTE)} (quiet or non-working hours)")
        note = "; ".join(notes)
        customer = contact.customer_id
        placed.append(
            AgendaItem(key, kind, what, at, at + length, due, reason, customer, None, None, note)
        )
    return placed, unplaced


def agenda(
    person: Staff,
    duties: Iterable[RecurringDuty],
    contacts: Iterable[DueVisit | DueReminder],
    period: DateRange,
    calendar: WorkCalendar,
    *,
    policy: VisitPolicy = _DEFAULT_POLICY,
    as_of: dt.datetime | None = None,
    contact_length: dt.timedelta = CONTACT_LENGTH,
) -> Agenda:
    """Everything ``person`` must do from ``period.start`` to ``period.end``, in time order.

    Args:
        person: the staff member; their position (``person.position``) selects the
            duties, their id (``owner``) the contacts.
        duties: recurring duties (e.g. `duties_of(chart)`); those of other positions are
            left out.
        contacts: due visits and reminders (e.g. `due_visits(...)` with appointments,
            `maintenance_reminders(...)`); those other staff own are left out.
        period: the days of the agenda.
        calendar: the department's working calendar (its week, holidays, hours, zone).
        policy: the quiet hours contacts avoid.
        as_of: no contact is proposed before it (default: the start of the range).
        contact_length: how long a proposed contact is booked for.

    Returns:
        The `Agenda`: items ordered by start, end and id; contacts never in quiet or
        non-working hours (see the module docstring); the contacts with no allowed
        time in the range in `Agenda.unplaced`.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
        DuplicateIdError: two duties share an id.
        CalendarCoverageError: the range lies outside the calendar's years.
        InvalidTimeWindowError: the quiet hours cover the working hours.
    """
    floor = _midnight(period.start, calendar)
    if as_of is not None:
        floor = max(floor, to_instant(as_of, "as_of"), key=instant_key)
    mine = tuple(d for d in duties if d.position == person.position)
    items = [
        AgendaItem.of_occurrence(o) for o in occurrences(mine, period.start, period.end, calendar)
    ]
    owed = (c for c in contacts if c.owner == person.id)
    placed, unplaced = _place(owed, period, calendar, policy, floor, contact_length)
    if placed:  # the occurrences come in time order already
        items.extend(placed)
        items.sort(key=lambda i: (instant_key(i.start), instant_key(i.end), i.id))
    return Agenda(person.id, person.position, period, tuple(items), tuple(unplaced))
