"""What a visit is: the visit record form (《回访记录表》), its words, and a due visit.

Each visit fills in one line of the visit record form: whom, when, how (`Channel`), by
whom, the customer's answer (`Outcome`) and what was said. Whether a line is complete
depends on the company's `VisitPolicy` (必须保证回访信息的完整记录); only a complete
line that reached the customer meets a `DueVisit`, which a `VisitRule` makes due.

Examples:
    >>> import pendulum
    >>> when = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> VisitRecord("v1", "c1", when, outcome=Outcome.SATISFIED).missing(VisitPolicy())
    ('by', 'notes')
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, instant, to_instant
from keyaccount.calendar import Deadline, WorkCalendar
from keyaccount.visits.contact_times import LatestContact, latest_contact_before, next_contact_time
from keyaccount.visits.policy import VisitPolicy

__all__ = ["Channel", "DueVisit", "Outcome", "VisitRecord", "VisitRule"]


class Channel(LabelledEnum):
    """How the customer was contacted (回访方式: 电话、电邮、短信 ...)."""

    PHONE = "phone", "电话沟通"
    EMAIL = "email", "电邮沟通"
    SMS = "sms", "短信"
    ON_SITE = "on-site", "上门拜访"


class Outcome(LabelledEnum):
    """The customer's answer; the seed's call script branches on it (满意 / 一般 / 不满意)."""

    SATISFIED = "satisfied", "满意"
    NEUTRAL = "neutral", "一般"
    UNSATISFIED = "unsatisfied", "不满意"
    NOT_REACHED = "not-reached", "未联系上"


# Looking a member up on its enum class costs more than the rest of a completeness check;
# the checks run for every record of a book, so they read these names instead.
_NOT_REACHED: Final = Outcome.NOT_REACHED
_UNSATISFIED: Final = Outcome.UNSATISFIED


class VisitRule(LabelledEnum):
    """The rule that makes a visit due; the label is the seed's words for it."""

    FIRST_CONTACT = "first-contact", "应在一周内与客户进行沟通"
    RETURN_VISIT = "return-visit", "必须保证在三天之内回访"
    CADENCE = "cadence", "定期拜访"
    BIRTHDAY = "birthday", "生日问候"
    HOLIDAY = "holiday", "节日特色回访"


@attrs.frozen
class VisitRecord:
    """One line of the visit record form (《回访记录表》).

    Attributes:
        id: stable identifier of the record.
        customer_id: the customer visited.
        at: when.
        channel: phone, e-mail, SMS or on site.
        by: the staff id of the visitor.
        outcome: the customer's answer; ``None`` when not recorded.
        notes: what was said (opinions, suggestions).
        follow_up: whether improvement follow-up is needed.

    Raises:
        NaiveDatetimeError: ``at`` has no timezone.
        NotAnInstantError: ``at`` is not a datetime.
    """

    id: str
    customer_id: str
    at: pendulum.DateTime = attrs.field(converter=instant)
    channel: Channel = Channel.PHONE
    by: str = ""
    outcome: Outcome | None = None
    notes: str = ""
    follow_up: bool = False

    def missing(self, policy: VisitPolicy) -> tuple[str, ...]:
        """The fields ``policy`` requires that this record lacks (empty when complete).

        A record always needs its visitor (``by``); the policy may require the outcome
        and the notes, and an unsatisfied answer marked for follow-up.
        """
        required = policy.required_fields
        no_by = not self.by
        no_outcome = self.outcome is None and "outcome" in required
        no_notes = "notes" in required and not self.notes.strip()
        no_follow_up = (
            self.outcome is _UNSATISFIED
            and not self.follow_up
            and policy.unsatisfied_needs_follow_up
        )
        if not (no_by or no_outcome or no_notes or no_follow_up):
            return ()  # the common case, asked for every record of a book: no tuple to build
        lacks = (
            ("by", no_by),
            ("outcome", no_outcome),
            ("notes", no_notes),
            ("follow_up", no_follow_up),
        )
        return tuple(name for name, lacking in lacks if lacking)

    def is_complete(self, policy: VisitPolicy) -> bool:
        """Whether the record holds everything ``policy`` requires."""
        return not self.missing(policy)

    def counts_as_contact(self, policy: VisitPolicy) -> bool:
        """Whether the record is a complete visit that reached the customer.

        Only such records meet a due visit; a call nobody answered (未联系上) or an
        incomplete record does not (incomplete ones are reported by `visit_summary`,
        never accepted silently).
        """
        return self.outcome is not _NOT_REACHED and not self.missing(policy)


@attrs.frozen
class DueVisit:
    """A visit that is due: whom, under which rule, by when, and why.

    Attributes:
        customer_id: the customer to contact.
        rule: the rule that makes it due.
        deadline: when it falls due (``deadline.start`` is the triggering event, or the
            start of the greeting day).
        reason: in words.
        owner: the staff id who owns the customer (who should make the contact).
    """

    customer_id: str
    rule: VisitRule
    deadline: Deadline
    reason: str
    owner: str | None = None

    def is_overdue(self, as_of: dt.datetime) -> bool:
        """Whether the deadline has passed at ``as_of``."""
        return self.deadline.is_breached(as_of)

    def contact_time(
        self, as_of: dt.datetime, policy: VisitPolicy, calendar: WorkCalendar
    ) -> pendulum.DateTime:
        """When to make the contact: the first allowed instant from ``as_of`` on.

        Never before the triggering event and never in quiet hours. It may be after the
        deadline (an overdue visit, or none left in time: see `latest_contact`).
        """
        start = max(to_instant(as_of, "as_of"), self.deadline.start)
        return next_contact_time(start, policy, calendar)

    def latest_contact(self, policy: VisitPolicy, calendar: WorkCalendar) -> LatestContact:
        """The last instant before the deadline at which the customer may be contacted.

        A deadline may fall in quiet hours: a day deadline is local midnight, and
        ``Hours(1)`` after a service at 22:30 is 23:30. Calling then would disturb the
        customer (避免在客户休息时打扰客户), so the visit must be made by the last
        allowed instant before the deadline: just before the deadline when that is
        allowed, else one microsecond before the quiet period (or, under
        ``policy.working_hours_only``, the non-working time) that the deadline falls
        in began. The answer is never in quiet hours, never before the triggering event
        (``deadline.start``) and always before ``deadline.at``; when no allowed instant
        lies between the trigger and the deadline, ``.at`` is ``None`` and ``.reason``
        says so.

        The earliest allowed instant is `contact_time`.

        Examples:
            >>> import pendulum
            >>> from keyaccount.calendar import Hours, WorkCalendar, deadline
            >>> cal = WorkCalendar.china()
            >>> served = pendulum.datetime(2026, 3, 2, 22, 30, tz="Asia/Shanghai")
            >>> item = DueVisit("c1", VisitRule.RETURN_VISIT, deadline(served, Hours(1), cal), "")
            >>> item.latest_contact(VisitPolicy(), cal).at is None
            True
            >>> served = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
            >>> item = DueVisit("c1", VisitRule.RETURN_VISIT, deadline(served, Hours(3), cal), "")
            >>> item.latest_contact(VisitPolicy(), cal).at.isoformat()   # quiet from 12:00
            '2026-03-02T11:59:59.999999+08:00'

        Raises:
            CalendarCoverageError: working hours only, and a day between the trigger
                and the deadline is outside the calendar's covered years.
        """
        return latest_contact_before(self.deadline.start, self.deadline.at, policy, calendar)
