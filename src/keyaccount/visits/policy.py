"""A company's visit rules: how soon, how often, how completely, and when not to call.

Every number of the seed's service standard (``000_…``, 客户服务部工作职责及规范) is a
field of `VisitPolicy` with the seed's value as its default:

* a customer assigned to a specialist must be contacted within one week
  (应在一周内与客户进行沟通);
* return visits within three days (必须保证在三天之内回访), to 100% of member customers
  (必须保证会员客户的100%的回访), every one completely recorded (必须保证回访信息的完整记录);
* no calls while customers rest (避免在客户休息时打扰客户);
* special visits on holidays and birthday greetings.

Examples:
    >>> VisitPolicy().cadence_for(Tier.KEY_ACCOUNT)
    Days(n=30)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from keyaccount.calendar import Days, Period
from keyaccount.customers import Tier
from keyaccount.errors import (
    InexactNumberError,
    InvalidAmountError,
    InvalidPeriodError,
    InvalidPolicyError,
    InvalidTimeWindowError,
    NotAPeriodError,
)
from keyaccount.money import to_decimal
from keyaccount.visits.quiet_hours import WHOLE_DAY, MinuteSpan, quiet_spans, without

__all__ = [
    "DEFAULT_CADENCE",
    "FIRST_CONTACT_WITHIN",
    "RETURN_VISIT_WITHIN",
    "Cadence",
    "GreetingDay",
    "VisitPolicy",
]

#: What a policy may add to the fields every record needs (customer, time, channel, visitor).
_REQUIRABLE: Final = frozenset({"outcome", "notes"})


def _is_period(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a `Period` value; text such as ``"7 days"`` goes through `parse_period`."""
    if not isinstance(value, Period):
        raise NotAPeriodError(
            f"{attribute.name} must be a period (Days, Workdays, Hours, WorkingHours), got "
            f"{type(value).__name__}; parse text such as '7 days' with parse_period"
        )


@attrs.frozen
class Cadence:
    """How often a tier must be visited: ``every`` after the last contact."""

    tier: Tier
    every: Period = attrs.field(validator=_is_period)


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
#: 必须保证在三天之内回访: the return visit within three days. The one reading of the seed's
#: 三天, used by visits and complaints alike (`ComplaintPolicy.default`): three calendar days,
#: weekends and holidays included. The seed says 三天, not 三个工作日, and its own service
#: department works through the weekend (Tuesday is its rest day); a company that means
#: working days sets ``Workdays(3)`` in both policies.
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


def _percent(value: Decimal | int | str | Fraction) -> Decimal:
    """attrs converter: a percentage as an exact Decimal.

    Raises:
        InexactNumberError: a float (or anything but a Decimal, int, decimal string or
            Fraction).
        InvalidAmountError: a Fraction without a finite decimal form, a string that is
            not a number, an infinity or NaN.
    """
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        if Fraction(exact) != value:
            raise InvalidAmountError(
                f"member_coverage {value} has no exact decimal form; give a Decimal"
            )
        return exact
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InexactNumberError(
            "member_coverage must be a Decimal, int, decimal string or Fraction, "
            f"got {type(value).__name__} {value!r}"
        )
    return to_decimal(value, "member_coverage")


def _check_percent(_instance: object, _attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not 0 <= value <= 100:
        raise InvalidAmountError(f"member_coverage is a percentage 0-100, got {value}")


def _check_required(
    _instance: object, _attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    unknown = sorted(set(value) - _REQUIRABLE)
    if unknown:
        raise InvalidPolicyError(
            f"required_fields may name {', '.join(sorted(_REQUIRABLE))}; got {', '.join(unknown)}"
        )


def _check_quiet(
    _instance: object, _attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    if not without(WHOLE_DAY, quiet_spans(value)):
        raise InvalidTimeWindowError(f"quiet hours {value!r} leave no time to contact anybody")


def _day_period(_instance: object, attribute: attrs.Attribute[Any], value: Period) -> None:
    _is_period(_instance, attribute, value)
    if not isinstance(value, Days):
        raise InvalidPeriodError(f"{attribute.name} must be a number of days, got {value}")


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
            a ``Fraction`` with a finite decimal form; a float raises
            ``InexactNumberError``.
        required_fields: what a complete record must hold besides customer, time,
            channel and visitor (完整记录): ``outcome`` and ``notes`` by default.
        unsatisfied_needs_follow_up: an unsatisfied answer must be marked for
            improvement follow-up, else the record is incomplete.
        quiet_hours: local times when customers must not be disturbed
            (避免在客户休息时打扰客户), as ``"HH:MM-HH:MM"``; a window may cross midnight.
            Default: lunch rest 12:00-14:00 and night 21:00-09:00.
        working_hours_only: contact only inside the calendar's working hours too.
        cadence: visit frequency by tier (see `DEFAULT_CADENCE`).
        cadence_lead: a cadence visit becomes due this many days before its deadline.
        birthday_greeting: whether birthdays are greeted (生日问候).
        greetings: holidays and other days with a special visit.
        greeting_lead: a greeting becomes due this many days before the day, and is
            reported as overdue for as many days after it (a later greeting is pointless).

    Raises:
        InexactNumberError: ``member_coverage`` is a float.
        InvalidAmountError: ``member_coverage`` is not an exact percentage 0-100.
        InvalidPolicyError: ``required_fields`` names a field a policy cannot require.
        InvalidTimeWindowError: a quiet-hours window is malformed, or together they
            leave no time to contact anybody.
        InvalidPeriodError: a lead is not a number of days.
        NotAPeriodError: a period field holds something else, such as the text
            ``"7 days"`` (the file loaders parse text; the constructor wants a `Period`).
    """

    first_contact: Period = attrs.field(default=FIRST_CONTACT_WITHIN, validator=_is_period)
    return_visit: Period = attrs.field(default=RETURN_VISIT_WITHIN, validator=_is_period)
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
    def quiet_spans(self) -> tuple[MinuteSpan, ...]:
        """The quiet hours as ``(start, end)`` minutes of the day, midnight-crossing split."""
        return quiet_spans(self.quiet_hours)

    def cadence_for(self, tier: Tier) -> Period | None:
        """The visit cadence of ``tier``, if it has one."""
        return next((c.every for c in self.cadence if c.tier is tier), None)
