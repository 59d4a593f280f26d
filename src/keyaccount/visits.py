"""Visits and return visits (拜访 / 回访): what is due, by when, and how it went.

The rules come from the seed's service standard (``000_…``, 客户服务部工作职责及规范):

* a customer assigned to a specialist must be contacted within one week
  (应在一周内与客户进行沟通), with a detailed record;
* "one avoid, three musts" (一个避免,三个必保): avoid disturbing customers while they
  rest (避免在客户休息时打扰客户); return visits to 100% of member customers
  (必须保证会员客户的100%的回访); every visit completely recorded (必须保证回访信息的完整
  记录); the return visit within three days (必须保证在三天之内回访);
* each visit fills in a visit record form (《回访记录表》) and the round ends with a
  summary report (《回访总结报告》);
* special visits on holidays and birthday greetings.

Every number is a field of :class:`VisitPolicy` with the seed's value as its default.
The rules take ``as_of`` and never read the clock.

>>> import pendulum
>>> from keyaccount.calendar import WorkCalendar
>>> at = pendulum.datetime(2026, 3, 2, 12, 30, tz="Asia/Shanghai")   # lunch time
>>> next_contact_time(at, VisitPolicy(), WorkCalendar.china())
DateTime(2026, 3, 2, 14, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs
import pendulum

from keyaccount.calendar import (
    Days,
    Deadline,
    Period,
    WorkCalendar,
    Workdays,
    deadline,
    to_instant,
)
from keyaccount.customers import Customer, CustomerStatus, DateRange, Tier
from keyaccount.errors import FloatMoneyError, InvalidAmountError, InvalidPeriodError
from keyaccount.money import to_decimal

__all__ = [
    "DEFAULT_CADENCE",
    "FIRST_CONTACT_WITHIN",
    "RETURN_VISIT_WITHIN",
    "Cadence",
    "Channel",
    "Coverage",
    "DueVisit",
    "GreetingDay",
    "IncompleteRecord",
    "LatestContact",
    "Outcome",
    "VisitPolicy",
    "VisitRecord",
    "VisitRule",
    "VisitSummary",
    "coverage",
    "due_visits",
    "is_quiet",
    "latest_contact_before",
    "members_of",
    "next_contact_time",
    "overdue_visits",
    "visit_summary",
]


class Channel(enum.Enum):
    """How the customer was contacted (回访方式: 电话、电邮、短信 ...)."""

    PHONE = "phone"
    EMAIL = "email"
    SMS = "sms"
    ON_SITE = "on-site"

    @property
    def label(self) -> str:
        """The seed's word, e.g. ``电话沟通``."""
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS: Final = {
    Channel.PHONE: "电话沟通",
    Channel.EMAIL: "电邮沟通",
    Channel.SMS: "短信",
    Channel.ON_SITE: "上门拜访",
}


class Outcome(enum.Enum):
    """The customer's answer; the seed's call script branches on it (满意 / 一般 / 不满意)."""

    SATISFIED = "satisfied"
    NEUTRAL = "neutral"
    UNSATISFIED = "unsatisfied"
    NOT_REACHED = "not-reached"

    @property
    def label(self) -> str:
        """The seed's word, e.g. ``不满意``."""
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS: Final = {
    Outcome.SATISFIED: "满意",
    Outcome.NEUTRAL: "一般",
    Outcome.UNSATISFIED: "不满意",
    Outcome.NOT_REACHED: "未联系上",
}


class VisitRule(enum.Enum):
    """The rule that makes a visit due."""

    FIRST_CONTACT = "first-contact"
    RETURN_VISIT = "return-visit"
    CADENCE = "cadence"
    BIRTHDAY = "birthday"
    HOLIDAY = "holiday"

    @property
    def label(self) -> str:
        """The seed's words for the rule."""
        return _RULE_LABELS[self]


_RULE_LABELS: Final = {
    VisitRule.FIRST_CONTACT: "应在一周内与客户进行沟通",
    VisitRule.RETURN_VISIT: "必须保证在三天之内回访",
    VisitRule.CADENCE: "定期拜访",
    VisitRule.BIRTHDAY: "生日问候",
    VisitRule.HOLIDAY: "节日特色回访",
}


# --------------------------------------------------------------------------- policy

_QUIET = re.compile(r"\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)\s*")
_REQUIRABLE: Final = frozenset({"outcome", "notes"})


def _parse_quiet(text: str) -> tuple[int, int]:
    match = _QUIET.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidPeriodError(f"quiet hours are written 'HH:MM-HH:MM', got {text!r}")
    start = int(match[1]) * 60 + int(match[2])
    end = int(match[3]) * 60 + int(match[4])
    if end > 1440 or start == end % 1440:
        raise InvalidPeriodError(f"quiet hours {text!r} must have a start different from the end")
    return start, end


def _quiet_spans(texts: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Quiet windows as minute spans inside one day; a window over midnight is split."""
    spans: list[tuple[int, int]] = []
    for text in texts:
        start, end = _parse_quiet(text)
        if start < end:
            spans.append((start, end))
        else:
            spans.extend([(start, 1440), (0, end)])
    return tuple(sorted(spans))


def _subtract(
    intervals: list[tuple[int, int]], spans: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    for q_start, q_end in spans:
        remaining: list[tuple[int, int]] = []
        for start, end in intervals:
            if q_end <= start or q_start >= end:
                remaining.append((start, end))
                continue
            if start < q_start:
                remaining.append((start, q_start))
            if q_end < end:
                remaining.append((q_end, end))
        intervals = remaining
    return intervals


def _check_quiet(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    if not _subtract([(0, 1440)], _quiet_spans(value)):
        raise InvalidPeriodError(f"quiet hours {value!r} leave no time to contact anybody")


def _day_period(_instance: object, attribute: attrs.Attribute[Period], value: Period) -> None:
    if not isinstance(value, Days):
        raise InvalidPeriodError(f"{attribute.name} must be a number of days, got {value}")


def _check_required(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    unknown = sorted(set(value) - _REQUIRABLE)
    if unknown:
        raise InvalidPeriodError(
            f"required_fields may name {', '.join(sorted(_REQUIRABLE))}; got {', '.join(unknown)}"
        )


def _percent(value: Decimal | int | str | Fraction) -> Decimal:
    """A percentage as an exact Decimal; floats raise ``FloatMoneyError``."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        if Fraction(exact) != value:
            raise InvalidAmountError(
                f"member_coverage {value} has no exact decimal form; give a Decimal"
            )
        return exact
    return to_decimal(value, "member_coverage")


def _check_percent(_instance: object, _attribute: object, value: Decimal) -> None:
    if not 0 <= value <= 100:
        raise InvalidAmountError(f"member_coverage is a percentage 0-100, got {value}")


@attrs.frozen
class Cadence:
    """How often a tier must be visited: ``every`` after the last contact."""

    tier: Tier
    every: Period


@attrs.frozen
class GreetingDay:
    """A day on which customers get a special visit or greeting (节日、店庆日、促销活动期).

    Attributes:
        label: what the day is, e.g. ``春节``.
        on: the date (lunar holidays move, so dates are given per year).
    """

    label: str
    on: dt.date


#: 应在一周内与客户进行沟通: first contact within one week of assignment.
FIRST_CONTACT_WITHIN: Final = Days(7)
#: 必须保证在三天之内回访: the return visit within three days.
RETURN_VISIT_WITHIN: Final = Days(3)

_CADENCE_LEAD: Final[Period] = Days(7)
_GREETING_LEAD: Final[Period] = Days(3)

#: Visit cadence by tier. The seeds give no numbers: monthly for key accounts and group
#: customers, quarterly for card members; ordinary customers have no cadence.
DEFAULT_CADENCE: Final = (
    Cadence(Tier.KEY_ACCOUNT, Days(30)),
    Cadence(Tier.GROUP, Days(30)),
    Cadence(Tier.VIP, Days(90)),
    Cadence(Tier.MEMBER, Days(90)),
)


@attrs.frozen
class VisitPolicy:
    """A company's visit rules; the defaults are the seed's (``000_…``).

    Attributes:
        first_contact: a newly assigned customer must be contacted within this period
            (一周内: ``Days(7)``).
        return_visit: a service must get a return visit within this period
            (三天之内: ``Days(3)``; a company may choose ``Workdays(3)``).
        member_coverage: the percentage of member customers to visit in each round
            (会员客户的100%的回访: 100), exact: a ``Decimal``, ``int``, decimal string or
            a ``Fraction`` with a finite decimal form; a float raises ``FloatMoneyError``.
        required_fields: what a complete record must hold besides customer, time,
            channel and visitor (完整记录): ``outcome`` and ``notes`` by default.
        unsatisfied_needs_follow_up: an unsatisfied answer must be marked for
            improvement follow-up, else the record is incomplete.
        quiet_hours: local times when customers must not be disturbed
            (避免在客户休息时打扰客户), as ``"HH:MM-HH:MM"``; a window may cross midnight.
            Default: lunch rest 12:00-14:00 and night 21:00-09:00.
        working_hours_only: contact only inside the calendar's working hours too.
        cadence: visit frequency by tier (see :data:`DEFAULT_CADENCE`).
        cadence_lead: a cadence visit becomes due this many days before its deadline.
        birthday_greeting: whether birthdays are greeted (生日问候).
        greetings: holidays and other days with a special visit.
        greeting_lead: a greeting becomes due this many days before the day, and is
            reported as overdue for as many days after it (a later greeting is pointless).
    """

    first_contact: Period = FIRST_CONTACT_WITHIN
    return_visit: Period = RETURN_VISIT_WITHIN
    member_coverage: Decimal = attrs.field(
        default=Decimal(100), converter=_percent, validator=_check_percent
    )
    required_fields: tuple[str, ...] = attrs.field(
        default=("outcome", "notes"), validator=_check_required
    )
    unsatisfied_needs_follow_up: bool = True
    quiet_hours: tuple[str, ...] = attrs.field(
        default=("12:00-14:00", "21:00-09:00"), validator=_check_quiet
    )
    working_hours_only: bool = False
    cadence: tuple[Cadence, ...] = DEFAULT_CADENCE
    cadence_lead: Period = attrs.field(default=_CADENCE_LEAD, validator=_day_period)
    birthday_greeting: bool = True
    greetings: tuple[GreetingDay, ...] = ()
    greeting_lead: Period = attrs.field(default=_GREETING_LEAD, validator=_day_period)

    @property
    def quiet_spans(self) -> tuple[tuple[int, int], ...]:
        """The quiet hours as ``(start, end)`` minutes of the day, midnight-crossing split."""
        return _quiet_spans(self.quiet_hours)

    def cadence_for(self, tier: Tier) -> Period | None:
        """The visit cadence of ``tier``, if it has one."""
        return next((c.every for c in self.cadence if c.tier is tier), None)


# --------------------------------------------------------------------------- records


def _instant(value: dt.datetime) -> pendulum.DateTime:
    return to_instant(value, "at")


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
    """

    id: str
    customer_id: str
    at: pendulum.DateTime = attrs.field(converter=_instant)
    channel: Channel = Channel.PHONE
    by: str = ""
    outcome: Outcome | None = None
    notes: str = ""
    follow_up: bool = False

    def missing(self, policy: VisitPolicy) -> tuple[str, ...]:
        """The fields ``policy`` requires that this record lacks (empty when complete)."""
        missing: list[str] = []
        if not self.by:
            missing.append("by")
        required = policy.required_fields
        if "outcome" in required and self.outcome is None:
            missing.append("outcome")
        if "notes" in required and not self.notes.strip():
            missing.append("notes")
        if (
            policy.unsatisfied_needs_follow_up
            and self.outcome is Outcome.UNSATISFIED
            and not self.follow_up
        ):
            missing.append("follow_up")
        return tuple(missing)

    def is_complete(self, policy: VisitPolicy) -> bool:
        """Whether the record holds everything ``policy`` requires."""
        return not self.missing(policy)

    def counts_as_contact(self, policy: VisitPolicy) -> bool:
        """Whether the record is a complete visit that reached the customer.

        Only such records meet a due visit; a call nobody answered (未联系上) or an
        incomplete record does not (incomplete ones are reported by
        :func:`visit_summary`, never accepted silently).
        """
        return self.outcome is not Outcome.NOT_REACHED and not self.missing(policy)


# --------------------------------------------------------------------------- quiet hours


def _allowed_minutes(
    day: dt.date, policy: VisitPolicy, calendar: WorkCalendar
) -> list[tuple[int, int]]:
    if policy.working_hours_only:
        if not calendar.is_workday(day):
            return []
        base = [(w.start_minute, w.end_minute) for w in calendar.hours]
    else:
        base = [(0, 1440)]
    return _subtract(base, policy.quiet_spans)


_US_PER_MINUTE: Final = 60_000_000


def _micro_of_day(local: dt.datetime) -> int:
    """Microseconds since local midnight, exactly (integers only)."""
    return ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond


def _wall(day: dt.date, micro: int, tz: pendulum.Timezone) -> pendulum.DateTime:
    """The local wall-clock instant ``micro`` microseconds into ``day`` (``micro`` < 24 h)."""
    seconds, microsecond = divmod(micro, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, second, microsecond, tz=tz)


def is_quiet(at: dt.datetime, policy: VisitPolicy, calendar: WorkCalendar) -> bool:
    """Whether ``at`` (in the calendar's local time) is not a time to contact customers.

    True inside quiet hours, and outside working hours when the policy contacts only
    during them. A window ``HH:MM-HH:MM`` holds from its start included to its end
    excluded, compared exactly to the microsecond: with quiet hours from 12:00, 11:59:59.999999
    is allowed and 12:00 is quiet.

    >>> import pendulum
    >>> from keyaccount.calendar import WorkCalendar
    >>> ten = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> is_quiet(ten.add(microseconds=500_000), VisitPolicy(), WorkCalendar.china())
    False
    """
    local = to_instant(at, "at").in_timezone(calendar.tz)
    micro = _micro_of_day(local)
    return not any(
        start * _US_PER_MINUTE <= micro < end * _US_PER_MINUTE
        for start, end in _allowed_minutes(local.date(), policy, calendar)
    )


def next_contact_time(
    at: dt.datetime, policy: VisitPolicy, calendar: WorkCalendar
) -> pendulum.DateTime:
    """The first instant at or after ``at`` when a customer may be contacted.

    Outside the policy's quiet hours (local time of the calendar) and, when
    ``policy.working_hours_only``, inside the calendar's working hours on a working day.

    >>> import pendulum
    >>> from keyaccount.calendar import WorkCalendar
    >>> late = pendulum.datetime(2026, 3, 2, 22, 15, tz="Asia/Shanghai")
    >>> next_contact_time(late, VisitPolicy(), WorkCalendar.china())
    DateTime(2026, 3, 3, 9, 0, 0, tzinfo=Timezone('Asia/Shanghai'))

    Raises:
        NaiveDatetimeError: ``at`` has no timezone.
        InvalidPeriodError: no allowed time in the coming year (working hours that lie
            wholly inside quiet hours).
        CalendarCoverageError: the search leaves the calendar's covered years.
    """
    tz = calendar.tz
    local = to_instant(at, "at").in_timezone(tz)
    day: dt.date = local.date()
    micro = _micro_of_day(local)
    for _ in range(370):
        for start, end in _allowed_minutes(day, policy, calendar):
            if micro < end * _US_PER_MINUTE:
                if micro >= start * _US_PER_MINUTE:
                    return local
                midnight = pendulum.datetime(day.year, day.month, day.day, tz=tz)
                return midnight.add(minutes=start) if start else midnight
        day = day + dt.timedelta(days=1)
        micro = 0
        local = pendulum.datetime(day.year, day.month, day.day, tz=tz)
    raise InvalidPeriodError(
        f"no time outside quiet hours {', '.join(policy.quiet_hours)} within working hours "
        f"{', '.join(str(w) for w in calendar.hours)} in the year after {at}"
    )


# --------------------------------------------------------------------------- due visits


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
        deadline (an overdue visit, or none left in time: see :meth:`latest_contact`).
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

        The earliest allowed instant is :meth:`contact_time`.

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


@attrs.frozen
class LatestContact:
    """The answer of :meth:`DueVisit.latest_contact`.

    Attributes:
        at: the last instant before the deadline at which the customer may be
            contacted, in the calendar's timezone; ``None`` when there is none between
            the triggering event and the deadline.
        reason: why, in words.
    """

    at: pendulum.DateTime | None
    reason: str

    def __bool__(self) -> bool:
        return self.at is not None


def latest_contact_before(
    start: dt.datetime, end: dt.datetime, policy: VisitPolicy, calendar: WorkCalendar
) -> LatestContact:
    """The last instant in ``[start, end)`` at which customers may be contacted.

    Allowed means outside quiet hours (and inside working hours on a working day when
    ``policy.working_hours_only``), as :func:`is_quiet` decides, to the microsecond.

    Raises:
        NaiveDatetimeError: ``start`` or ``end`` has no timezone.
        CalendarCoverageError: working hours only, and a day searched is outside the
            calendar's covered years.
    """
    tz = calendar.tz
    first = to_instant(start, "start").in_timezone(tz)
    limit = to_instant(end, "end").in_timezone(tz)
    quiet = ", ".join(policy.quiet_hours) or "none"
    where = f"outside quiet hours ({quiet})" + (
        " and inside working hours" if policy.working_hours_only else ""
    )
    if limit <= first:
        return LatestContact(None, f"the deadline {limit} is not after the trigger {first}")
    last = limit.subtract(microseconds=1)
    day: dt.date = last.date()
    bound = _micro_of_day(last) + 1  # allowed instants of `day` lie before this
    while day >= first.date():
        for low, high in reversed(_allowed_minutes(day, policy, calendar)):
            top = min(high * _US_PER_MINUTE, bound)
            if top <= low * _US_PER_MINUTE:
                continue
            found = _wall(day, top - 1, tz)
            if found < first:
                return _none_allowed(first, limit, where)
            if found == last:
                why = f"the deadline {limit} is {where}: contact before it"
            else:
                why = (
                    f"the deadline {limit} falls outside the allowed times ({where}); "
                    f"the last allowed moment before it is {found}"
                )
            return LatestContact(found, why)
        day -= dt.timedelta(days=1)
        bound = 24 * 60 * _US_PER_MINUTE
    return _none_allowed(first, limit, where)


def _none_allowed(first: pendulum.DateTime, limit: pendulum.DateTime, where: str) -> LatestContact:
    return LatestContact(
        None,
        f"no time {where} between the trigger {first} and the deadline {limit}: "
        "the contact cannot be made in time without disturbing the customer",
    )


_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()
_EPOCH: Final = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local wall-clock arithmetic


class _Clock:
    """Fast local-date arithmetic for one scan (internal; memos live only for one call).

    Turning an instant into a calendar-local date through pendulum costs microseconds;
    over a million customers that dominates. Here the zone's UTC offset is looked up
    once per quarter hour of UTC time (zone transitions fall on quarter hours), and
    deadlines of day periods once per (start date, period): many customers share them.
    """

    __slots__ = ("calendar", "due", "ends", "offsets", "tz", "zone")

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.tz = calendar.tz
        self.zone = zoneinfo.ZoneInfo(calendar.timezone)
        self.offsets: dict[int, int] = {}
        self.due: dict[tuple[int, Period], int] = {}
        self.ends: dict[int, tuple[pendulum.DateTime, pendulum.Date]] = {}

    def ordinal(self, at: dt.datetime) -> int:
        """The proleptic ordinal of ``at``'s date in the calendar's timezone."""
        stamp = int(dt.datetime.timestamp(at))
        offset = self.offsets.get(stamp // 900)
        if offset is None:
            offset = self.offset(stamp)
        return (stamp + offset) // 86400 + _EPOCH_ORDINAL

    def due_ordinal(self, start: int, period: Period) -> int:
        """The due date's ordinal for a day period started on local day ``start``."""
        key = (start, period)
        found = self.due.get(key)
        if found is None:
            if isinstance(period, Workdays):
                found = self.calendar.add_workdays(dt.date.fromordinal(start), period.n).toordinal()
            else:
                assert isinstance(period, Days)
                found = start + period.n
            self.due[key] = found
        return found

    def end_of(self, ordinal: int) -> tuple[pendulum.DateTime, pendulum.Date]:
        """The local midnight that ends day ``ordinal``, and that day as a pendulum Date."""
        found = self.ends.get(ordinal)
        if found is None:
            day = pendulum.Date.fromordinal(ordinal)
            after = day + dt.timedelta(days=1)
            found = (pendulum.datetime(after.year, after.month, after.day, tz=self.tz), day)
            self.ends[ordinal] = found
        return found

    def offset(self, stamp: int) -> int:
        """The zone's UTC offset in seconds at POSIX time ``stamp``."""
        bucket = stamp // 900
        offset = self.offsets.get(bucket)
        if offset is None:
            utc = dt.datetime.fromtimestamp(bucket * 900, dt.UTC)
            delta = self.zone.utcoffset(utc.astimezone(self.zone))
            offset = int(delta.total_seconds()) if delta is not None else 0
            self.offsets[bucket] = offset
        return offset

    def local(self, at: dt.datetime) -> pendulum.DateTime:
        """``at`` as a pendulum DateTime in the calendar's timezone (same instant)."""
        stamp = int(dt.datetime.timestamp(at))
        offset = self.offset(stamp)
        wall = _EPOCH + dt.timedelta(seconds=stamp + offset)
        for fold in (0, 1):
            result = pendulum.DateTime(
                wall.year,
                wall.month,
                wall.day,
                wall.hour,
                wall.minute,
                wall.second,
                at.microsecond,
                tzinfo=self.tz,
                fold=fold,
            )
            found = result.utcoffset()
            if found is not None and int(found.total_seconds()) == offset:
                return result
        return pendulum.instance(at).in_timezone(self.tz)  # pragma: no cover - a zone gap

    def day_deadline(self, start: dt.datetime, period: Period) -> Deadline:
        """Like :func:`~keyaccount.calendar.deadline`, memoised for day periods."""
        if not isinstance(period, (Days, Workdays)):
            return deadline(start, period, self.calendar)
        due = self.due_ordinal(self.ordinal(start), period)
        at, day = self.end_of(due)
        return Deadline(self.local(start), period, at, day)

    def midnight(self, ordinal: int) -> pendulum.DateTime:
        """The local midnight that starts day ``ordinal``."""
        return self.end_of(ordinal - 1)[0]


def _birthday_in(year: int, birthday: dt.date) -> int:
    try:
        return dt.date(year, birthday.month, birthday.day).toordinal()
    except ValueError:  # 29 February in a common year: greet on the 28th
        return dt.date(year, 2, 28).toordinal()


def _latest_contacts(
    records: Iterable[VisitRecord], policy: VisitPolicy, as_of: pendulum.DateTime
) -> dict[str, pendulum.DateTime]:
    """The latest complete, reached visit of each customer, at or before ``as_of``.

    A record dated after ``as_of`` has not happened yet at ``as_of``: it is ignored.
    """
    need_outcome = "outcome" in policy.required_fields
    need_notes = "notes" in policy.required_fields
    need_follow_up = policy.unsatisfied_needs_follow_up
    not_reached, unsatisfied = Outcome.NOT_REACHED, Outcome.UNSATISFIED
    latest: dict[str, pendulum.DateTime] = {}
    get = latest.get
    for record in records:
        outcome = record.outcome
        if (
            outcome is not_reached
            or (outcome is None and need_outcome)
            or (need_notes and not record.notes.strip())
            or (need_follow_up and outcome is unsatisfied and not record.follow_up)
            or not record.by
        ):
            continue
        customer_id = record.customer_id
        previous = get(customer_id)
        at = record.at
        if (previous is None or at > previous) and at <= as_of:
            latest[customer_id] = at
    return latest


def _scan(  # noqa: PLR0912, PLR0915 - one pass over the customers, one branch per rule
    customers: Iterable[Customer],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    overdue_only: bool,
) -> list[DueVisit]:
    now = to_instant(as_of, "as_of")
    clock = _Clock(calendar)
    today = clock.ordinal(now)
    latest = _latest_contacts(records, policy, now)
    first_period, return_period = policy.first_contact, policy.return_visit
    day_first = isinstance(first_period, (Days, Workdays))
    day_return = isinstance(return_period, (Days, Workdays))
    first_text, return_text = str(first_period), str(return_period)
    cadence_text = {tier: str(every) for tier, every in ((c.tier, c.every) for c in policy.cadence)}
    cadences = {c.tier: c.every for c in policy.cadence}
    cadence_lead = policy.cadence_lead.n if isinstance(policy.cadence_lead, Days) else 0
    greeting_lead = policy.greeting_lead.n if isinstance(policy.greeting_lead, Days) else 0
    greetings = [(g, g.on.toordinal()) for g in policy.greetings]
    birthdays: dict[tuple[int, int], int] = {}
    active, lost = CustomerStatus.ACTIVE, CustomerStatus.LOST
    out: list[DueVisit] = []

    def emit(customer: Customer, rule: VisitRule, due: Deadline, reason: str) -> None:
        out.append(DueVisit(customer.id, rule, due, reason, customer.owner))

    def is_late(due_ordinal: int) -> bool:
        return today > due_ordinal

    for customer in customers:
        status = customer.status
        if status is lost:
            continue
        last = latest.get(customer.id)

        # 1. first contact within a week of assignment (应在一周内与客户进行沟通)
        assigned = customer.assigned_at
        if assigned is not None and assigned > now:
            assigned = None  # not assigned yet at as_of
        if assigned is not None and (last is None or last < assigned):
            if day_first:
                due_ord = clock.due_ordinal(clock.ordinal(assigned), first_period)
                if not overdue_only or is_late(due_ord):
                    emit(
                        customer,
                        VisitRule.FIRST_CONTACT,
                        clock.day_deadline(assigned, first_period),
                        f"assigned to {customer.owner} on {assigned.date()} and not contacted "
                        f"since; first contact within {first_text} (应在一周内与客户进行沟通)",
                    )
            else:
                due = deadline(assigned, first_period, calendar)
                if not overdue_only or due.is_breached(now):
                    emit(
                        customer,
                        VisitRule.FIRST_CONTACT,
                        due,
                        f"assigned at {assigned} and not contacted since; within {first_period}",
                    )
        if status is not active:
            continue

        # 2. return visit after a service (必须保证在三天之内回访)
        service: dt.datetime | None = None
        for spend in customer.spend:
            at = spend.at
            if (last is None or at > last) and at <= now and (service is None or at < service):
                service = at
        if service is not None:
            if day_return:
                due_ord = clock.due_ordinal(clock.ordinal(service), return_period)
                make = not overdue_only or is_late(due_ord)
            else:
                due = deadline(service, return_period, calendar)
                make = not overdue_only or due.is_breached(now)
            if make:
                emit(
                    customer,
                    VisitRule.RETURN_VISIT,
                    clock.day_deadline(service, return_period),
                    f"served on {service.date()} without a return visit since; "
                    f"return visit within {return_text} (必须保证在三天之内回访)",
                )

        # 3. visit cadence by tier
        every = cadences.get(customer.tier)
        since = last if last is not None else assigned
        if every is not None and since is not None:
            if isinstance(every, (Days, Workdays)):
                due_ord = clock.due_ordinal(clock.ordinal(since), every)
                opened = today >= due_ord - cadence_lead
                make = opened and (not overdue_only or is_late(due_ord))
            else:
                due = deadline(since, every, calendar)
                make = (not overdue_only and now >= due.at - dt.timedelta(days=cadence_lead)) or (
                    due.is_breached(now)
                )
            if make:
                emit(
                    customer,
                    VisitRule.CADENCE,
                    clock.day_deadline(since, every),
                    f"{customer.tier.label} visited every {cadence_text[customer.tier]}; "
                    f"last {'contact' if last is not None else 'assignment'} {since.date()}",
                )

        # 4. birthday greeting (生日问候)
        birthday = customer.birthday
        if policy.birthday_greeting and birthday is not None:
            key = (birthday.month, birthday.day)
            day_ord = birthdays.get(key)
            if day_ord is None:
                year = dt.date.fromordinal(today).year
                day_ord = _birthday_in(year, birthday)
                if today < day_ord - greeting_lead:
                    day_ord = _birthday_in(year - 1, birthday)
                birthdays[key] = day_ord
            _greet(
                customer,
                VisitRule.BIRTHDAY,
                "birthday (生日问候)",
                day_ord,
                today,
                last,
                greeting_lead,
                overdue_only,
                clock,
                emit,
            )

        # 5. holiday and special-day greetings (节日、店庆日、促销活动期)
        for greeting, day_ord in greetings:
            _greet(
                customer,
                VisitRule.HOLIDAY,
                f"{greeting.label} greeting",
                day_ord,
                today,
                last,
                greeting_lead,
                overdue_only,
                clock,
                emit,
            )
    return out


def _greet(
    customer: Customer,
    rule: VisitRule,
    what: str,
    day_ord: int,
    today: int,
    last: dt.datetime | None,
    lead: int,
    overdue_only: bool,
    clock: _Clock,
    emit: Callable[[Customer, VisitRule, Deadline, str], None],
) -> None:
    if not day_ord - lead <= today <= day_ord + lead:
        return
    if last is not None and clock.ordinal(last) >= day_ord - lead:
        return
    if overdue_only and today <= day_ord:
        return
    start = clock.midnight(day_ord)
    at, day = clock.end_of(day_ord)
    emit(
        customer,
        rule,
        Deadline(start, Days(0), at, day),
        f"{what} on {day}; due from {lead} day(s) before",
    )


def due_visits(
    customers: Iterable[Customer],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> list[DueVisit]:
    """Every visit that is due at ``as_of``, with its deadline and the rule behind it.

    A visit is due when its rule applies and no complete, reached visit
    (:meth:`VisitRecord.counts_as_contact`) has met it yet:

    * **first contact**: a customer assigned at ``assigned_at`` (not after ``as_of``)
      and not contacted since, due ``policy.first_contact`` after the assignment;
    * **return visit**: a service (a :class:`~keyaccount.customers.Spend`) with no
      contact after it, due ``policy.return_visit`` after the earliest such service;
    * **cadence**: a tier with a cadence, due ``every`` after the last contact (or the
      assignment); it becomes due ``policy.cadence_lead`` days before its deadline;
    * **birthday** and **holiday** greetings, due on the day, from
      ``policy.greeting_lead`` days before it until as many days after it.

    Prospects get the first-contact rule only; lost customers nothing. Deadlines are
    :class:`~keyaccount.calendar.Deadline` values from the calendar (a ``Workdays``
    policy skips rest days and holidays). The answer is in customer order, rules in the
    order above.

    Raises:
        NaiveDatetimeError: ``as_of`` has no timezone.
        CalendarCoverageError: a working-day deadline is outside the calendar's years.
    """
    return _scan(customers, records, policy, calendar, as_of, overdue_only=False)


def overdue_visits(
    customers: Iterable[Customer],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
) -> list[DueVisit]:
    """The due visits whose deadline has passed at ``as_of`` (see :func:`due_visits`).

    Built for large books: deadlines of day periods are computed once per (start
    date, period) and local dates without building pendulum objects per customer.
    """
    return _scan(customers, records, policy, calendar, as_of, overdue_only=True)


# --------------------------------------------------------------------------- coverage


def _exact_fraction(_instance: object, attribute: attrs.Attribute[Fraction], value: object) -> None:
    """Refuse anything but an exact :class:`~fractions.Fraction` (never a float)."""
    if not isinstance(value, Fraction):
        raise FloatMoneyError(
            f"{attribute.name} must be an exact Fraction, got {type(value).__name__} {value!r}"
        )


def _optional_fraction(
    instance: object, attribute: attrs.Attribute[Fraction | None], value: object
) -> None:
    if value is not None:
        _exact_fraction(instance, attribute, value)  # type: ignore[arg-type]  # same check, optional field


def members_of(customers: Iterable[Customer]) -> tuple[Customer, ...]:
    """The active member customers (VIP and member cards): those every round must reach."""
    return tuple(c for c in customers if c.status is CustomerStatus.ACTIVE and c.tier.is_member)


def _local_date(at: dt.datetime, tz: str) -> dt.date:
    return to_instant(at, "at").in_timezone(tz).date()


@attrs.frozen
class Coverage:
    """How much of a round's members were visited (会员客户的100%的回访).

    Attributes:
        round: the days of the round.
        rate: visited members / members, exactly (1 when there are no members).
        visited: ids of members with a complete, reached visit in the round.
        not_visited: ids of the members still to visit.
        target: the policy's required share.
    """

    round: DateRange
    rate: Fraction = attrs.field(validator=_exact_fraction)
    visited: tuple[str, ...]
    not_visited: tuple[str, ...]
    target: Fraction = attrs.field(validator=_exact_fraction)

    @property
    def met(self) -> bool:
        """Whether the round reached the policy's target."""
        return self.rate >= self.target


def coverage(
    members: Iterable[Customer | str],
    records: Iterable[VisitRecord],
    round: DateRange,  # noqa: A002 - the seed's word for a visiting round
    *,
    policy: VisitPolicy | None = None,
    timezone: str = "Asia/Shanghai",
    as_of: dt.datetime | None = None,
) -> Coverage:
    """The share of ``members`` visited in ``round``, as an exact fraction.

    A member counts as visited when a record in the round (by its local date in
    ``timezone``) reached them and is complete under ``policy``. With ``as_of``, the
    coverage as it stood at that instant: records dated after it are ignored.

    >>> import pendulum
    >>> when = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> done = VisitRecord("v1", "m1", when, by="s1", outcome=Outcome.SATISFIED, notes="ok")
    >>> result = coverage(["m1", "m2", "m3"], [done], DateRange(when.date(), when.date()))
    >>> result.rate, result.not_visited
    (Fraction(1, 3), ('m2', 'm3'))
    """
    rules = policy or VisitPolicy()
    until = None if as_of is None else to_instant(as_of, "as_of")
    ids = sorted({m if isinstance(m, str) else m.id for m in members})
    wanted = set(ids)
    visited = {
        r.customer_id
        for r in records
        if r.customer_id in wanted
        and (until is None or r.at <= until)
        and _local_date(r.at, timezone) in round
        and r.counts_as_contact(rules)
    }
    rate = Fraction(len(visited), len(ids)) if ids else Fraction(1)
    return Coverage(
        round,
        rate,
        tuple(i for i in ids if i in visited),
        tuple(i for i in ids if i not in visited),
        Fraction(rules.member_coverage) / 100,
    )


# --------------------------------------------------------------------------- summary


@attrs.frozen
class IncompleteRecord:
    """A record that lacks what the policy requires (必须保证回访信息的完整记录)."""

    record_id: str
    customer_id: str
    missing: tuple[str, ...]


@attrs.frozen
class VisitSummary:
    """The return-visit summary report (《回访总结报告》) of a period.

    Attributes:
        period: the days covered.
        total: records in the period.
        by_outcome: counts by outcome, ``None`` for records without one.
        by_channel: counts by channel.
        satisfaction_rate: satisfied / (satisfied + neutral + unsatisfied) among
            complete records, exactly; ``None`` when nobody answered.
        needs_follow_up: customers with an unsatisfied answer or a follow-up mark
            (不满意 → 改进), sorted.
        incomplete: records that lack required fields.
    """

    period: DateRange
    total: int
    by_outcome: tuple[tuple[Outcome | None, int], ...]
    by_channel: tuple[tuple[Channel, int], ...]
    satisfaction_rate: Fraction | None = attrs.field(validator=_optional_fraction)
    needs_follow_up: tuple[str, ...]
    incomplete: tuple[IncompleteRecord, ...]

    def count(self, key: Outcome | Channel | None) -> int:
        """The number of records with that outcome or channel."""
        table = self.by_channel if isinstance(key, Channel) else self.by_outcome
        return next((n for k, n in table if k is key), 0)

    def render(self) -> str:
        """The report as text."""
        lines = [f"回访总结报告 {self.period}: {self.total} record(s)"]
        lines.append(
            "by outcome: "
            + ", ".join(f"{k.label if k else '未记录'} {n}" for k, n in self.by_outcome)
        )
        lines.append("by channel: " + ", ".join(f"{k.label} {n}" for k, n in self.by_channel))
        rate = self.satisfaction_rate
        if rate is None:
            lines.append("satisfaction (complete answered records): n/a")
        else:
            percent = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
            lines.append(
                f"satisfaction (complete answered records): {rate} "
                f"({percent.quantize(Decimal('0.1'))}%)"
            )
        lines.append("needs follow-up: " + (", ".join(self.needs_follow_up) or "none"))
        lines.append(f"incomplete records: {len(self.incomplete)}")
        lines.extend(
            f"  - {i.record_id} ({i.customer_id}): missing {', '.join(i.missing)}"
            for i in self.incomplete
        )
        return "\n".join(lines)


def visit_summary(
    records: Iterable[VisitRecord],
    period: DateRange,
    *,
    policy: VisitPolicy | None = None,
    timezone: str = "Asia/Shanghai",
) -> VisitSummary:
    """The return-visit summary report of ``period`` (by each record's local date).

    Counts by outcome and channel, the satisfaction rate over complete answered
    records, the customers needing improvement follow-up, and every incomplete record
    (reported, not silently accepted).
    """
    rules = policy or VisitPolicy()
    chosen = sorted(
        (r for r in records if _local_date(r.at, timezone) in period), key=lambda r: (r.at, r.id)
    )
    outcomes = Counter(r.outcome for r in chosen)
    channels = Counter(r.channel for r in chosen)
    incomplete = tuple(
        IncompleteRecord(r.id, r.customer_id, r.missing(rules)) for r in chosen if r.missing(rules)
    )
    broken = {i.record_id for i in incomplete}
    answered = [
        r
        for r in chosen
        if r.id not in broken
        and r.outcome in (Outcome.SATISFIED, Outcome.NEUTRAL, Outcome.UNSATISFIED)
    ]
    satisfied = sum(1 for r in answered if r.outcome is Outcome.SATISFIED)
    follow = sorted(
        {r.customer_id for r in chosen if r.outcome is Outcome.UNSATISFIED or r.follow_up}
    )
    order: list[Outcome | None] = [*Outcome, None]
    return VisitSummary(
        period,
        len(chosen),
        tuple((k, outcomes[k]) for k in order if outcomes[k]),
        tuple((k, channels[k]) for k in Channel if channels[k]),
        Fraction(satisfied, len(answered)) if answered else None,
        tuple(follow),
        incomplete,
    )
