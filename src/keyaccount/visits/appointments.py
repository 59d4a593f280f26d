"""When a customer asked to be called back at a time: appointments (约定回访时间).

The seed's return-visit rule adds: 最好与客户在电话中再约一个方便的时间 (better, agree a
convenient time with the customer on the phone; ``000_e270730e1905b545.txt``, 回访规范).
An `Appointment` is that agreed time. The stated rules:

* **It replaces the deadline of the visit it was made for** (`reschedule`): a due visit
  of the same customer and rule (the return visit within three days, by default) whose
  trigger came at or before the appointment was made now falls due in the appointment's
  window, from ``agreed_at`` for ``window`` (half an hour by default), instead of its
  default deadline. The latest appointment made by ``as_of`` wins (a rescheduled call).
  `due_visits` and `overdue_visits` apply it when given ``appointments``.
* **Missing it is a breach** (`appointment_status`): a contact that counts
  (`VisitRecord.counts_as_contact`) after the appointment was made and before the end
  of its window keeps it, even when made before the agreed time; none by then is a
  breach: ``missed``, or ``late`` when the contact came after the window.

The call in which the time was agreed does not keep the appointment: record
``made_at`` no earlier than that call, or name the call in ``made_in``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, earlier, instant, optional_text, text, to_instant
from keyaccount.calendar import Hours, WorkCalendar, deadline
from keyaccount.errors import InvalidPeriodError, InvalidTimeWindowError
from keyaccount.visits.model import DueVisit, VisitRecord, VisitRule
from keyaccount.visits.policy import VisitPolicy

__all__ = [
    "APPOINTMENT_WINDOW",
    "Appointment",
    "AppointmentResult",
    "AppointmentStatus",
    "appointment_status",
    "reschedule",
]

#: How long after the agreed time a call is still on time, unless the appointment says.
APPOINTMENT_WINDOW: Final = Hours(0, 30)
_WORDS: Final = "最好与客户在电话中再约一个方便的时间"


def _hours(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Hours):
        raise InvalidPeriodError(f"{attribute.name} must be Hours, got {value!r}")


@attrs.frozen
class Appointment:
    """A time agreed with the customer for the next call (约定回访时间).

    Attributes:
        id: the appointment's id.
        customer_id: the customer.
        agreed_at: the time agreed.
        made_at: when it was agreed (the call it was agreed in ended then).
        rule: the due visit it was made for (the return visit by default).
        window: how long after ``agreed_at`` the call is still on time.
        by: the staff id who agreed it.
        made_in: the id of the visit record of the call it was agreed in, if any.

    Raises:
        InvalidTextError: a blank id or customer id.
        NaiveDatetimeError: an instant has no timezone.
        InvalidTimeWindowError: ``agreed_at`` is before ``made_at``.
        InvalidPeriodError: ``window`` is not `Hours`.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("due",)

    id: str = attrs.field(validator=text)
    customer_id: str = attrs.field(validator=text)
    agreed_at: pendulum.DateTime = attrs.field(converter=instant)
    made_at: pendulum.DateTime = attrs.field(converter=instant)
    rule: VisitRule = VisitRule.RETURN_VISIT
    window: Hours = attrs.field(default=APPOINTMENT_WINDOW, validator=_hours)
    by: str = ""
    made_in: str | None = attrs.field(default=None, validator=optional_text)

    def __attrs_post_init__(self) -> None:
        if earlier(self.agreed_at, self.made_at):
            raise InvalidTimeWindowError(
                f"appointment {self.id}: agreed for {self.agreed_at}, before it was made "
                f"at {self.made_at}"
            )

    @property
    def due(self) -> pendulum.DateTime:
        """The end of the window: a call from then on is late."""
        return self.agreed_at + self.window.duration


class AppointmentStatus(LabelledEnum):
    """Where an appointment stands at ``as_of``."""

    KEPT = "kept", "按约回访"
    PENDING = "pending", "未到约定时间"
    LATE = "late", "迟于约定时间回访"
    MISSED = "missed", "失约"


@attrs.frozen
class AppointmentResult:
    """An appointment seen at ``as_of``: kept, pending, late or missed.

    Attributes:
        appointment: the appointment.
        status: where it stands.
        contact: the visit record that kept it (or came late); ``None`` when none.
        as_of: the instant it was judged at.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("is_breach",)

    appointment: Appointment
    status: AppointmentStatus
    contact: VisitRecord | None
    as_of: pendulum.DateTime = attrs.field(converter=instant)

    @property
    def is_breach(self) -> bool:
        """Whether the appointment was not kept in its window (late or missed)."""
        return self.status in (AppointmentStatus.LATE, AppointmentStatus.MISSED)

    def explain(self) -> str:
        """One line: the appointment, what happened and whether it is a breach."""
        a = self.appointment
        head = (
            f"appointment {a.id} with {a.customer_id} agreed for "
            f"{a.agreed_at.format('YYYY-MM-DD HH:mm')} (window {a.window}, {_WORDS})"
        )
        if self.status is AppointmentStatus.KEPT and self.contact is not None:
            return f"{head}: kept by {self.contact.id} at {self.contact.at}"
        if self.status is AppointmentStatus.LATE and self.contact is not None:
            late = self.contact.at - a.due
            return f"{head}: breach, called {late} after the window closed ({self.contact.id})"
        if self.status is AppointmentStatus.MISSED:
            return f"{head}: breach, no call by {a.due} (as of {self.as_of})"
        return f"{head}: pending, the window closes at {a.due}"


def appointment_status(
    appointment: Appointment,
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    as_of: dt.datetime,
) -> AppointmentResult:
    """Whether ``appointment`` was kept, at ``as_of``.

    The first contact that counts (`VisitRecord.counts_as_contact` under ``policy``),
    of the same customer, strictly after ``made_at``, not the call ``made_in``, at or
    before ``as_of``: before `Appointment.due` it keeps the appointment (early is
    fine); after it the appointment was kept late. None: pending before
    `Appointment.due`, missed from it on.

    Examples:
        >>> import pendulum
        >>> made = pendulum.datetime(2026, 3, 3, 10, tz="Asia/Shanghai")
        >>> a = Appointment("a1", "c1", made.add(days=2, hours=5), made)
        >>> appointment_status(a, [], VisitPolicy(), made.add(days=3)).status.value
        'missed'

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    now = to_instant(as_of, "as_of")
    first: VisitRecord | None = None
    for record in records:
        at = record.at
        if (
            record.customer_id == appointment.customer_id
            and record.id != appointment.made_in
            and earlier(appointment.made_at, at)
            and not earlier(now, at)
            and (first is None or earlier(at, first.at))
            and record.counts_as_contact(policy)
        ):
            first = record
    if first is not None:
        kept = not earlier(appointment.due, first.at)
        status = AppointmentStatus.KEPT if kept else AppointmentStatus.LATE
        return AppointmentResult(appointment, status, first, now)
    if earlier(now, appointment.due):
        return AppointmentResult(appointment, AppointmentStatus.PENDING, None, now)
    return AppointmentResult(appointment, AppointmentStatus.MISSED, None, now)


def reschedule(
    visits: Iterable[DueVisit],
    appointments: Iterable[Appointment],
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> tuple[DueVisit, ...]:
    """``visits`` with each deadline an appointment replaced (see the module docstring).

    An appointment applies to a due visit of its customer and rule when it was made at
    or after the visit's trigger (``deadline.start``) and at or before ``as_of``; of
    several, the latest made wins. The visit's deadline becomes
    `deadline(agreed_at, window, calendar)`: it starts at the agreed time (the first
    moment `DueVisit.contact_time` proposes) and falls due at the window's end.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    now = to_instant(as_of, "as_of")
    latest: dict[tuple[str, VisitRule], list[Appointment]] = {}
    for appointment in appointments:
        if not earlier(now, appointment.made_at):
            latest.setdefault((appointment.customer_id, appointment.rule), []).append(appointment)
    out: list[DueVisit] = []
    for visit in visits:
        made = [
            a
            for a in latest.get((visit.customer_id, visit.rule), ())
            if not earlier(a.made_at, visit.deadline.start)
        ]
        if not made:
            out.append(visit)
            continue
        chosen = max(made, key=lambda a: (a.made_at, a.id))
        due = deadline(chosen.agreed_at, chosen.window, calendar)
        reason = (
            f"appointment {chosen.id} agreed on {chosen.made_at.format('YYYY-MM-DD HH:mm')} for "
            f"{due.start.format('YYYY-MM-DD HH:mm')} ({_WORDS}); replaces {visit.rule.label} "
            f"due {visit.deadline.at}"
        )
        out.append(attrs.evolve(visit, deadline=due, reason=reason))
    return tuple(out)
