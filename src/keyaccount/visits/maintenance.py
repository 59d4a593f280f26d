"""When is a car due for maintenance: mileage or period, whichever comes first.

The dealer's service specialist reminds customers of the first maintenance (首保) and of
routine maintenance (日常保养) (首保/日常保养提醒, ``004_4f02eb3a82d8f29a.txt``, 客服专员(服务)
duty 1). A car is due after a distance or a time since its last service, **whichever
comes first**: `next_maintenance` reads the caller's facts (`ServiceFacts`: the last
service day and odometer, optionally a later reading and an estimate of km a day) under
a `ReminderPolicy` (the distances, the months, and how early reminders open). The
reminders themselves are placed on the calendar by `keyaccount.visits.reminders`.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pendulum

from keyaccount._fields import text
from keyaccount.calendar import Days
from keyaccount.errors import InexactNumberError, InvalidMileageError, InvalidPeriodError

__all__ = ["NextMaintenance", "ReminderPolicy", "ServiceFacts", "next_maintenance"]


def _positive_int(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidMileageError(f"{attribute.name} must be a whole number >= 1, got {value!r}")


def _day_lead(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Days):
        raise InvalidPeriodError(f"{attribute.name} must be a number of days (Days), got {value!r}")


@attrs.frozen
class ReminderPolicy:
    """When reminders fall due. The seeds give no numbers: the defaults are round figures
    a dealer replaces with the maker's maintenance schedule and the club's rules.

    Attributes:
        first_km: the first maintenance (首保) is due this many km after delivery ...
        first_months: ... or this many months after it, whichever comes first.
        routine_km: routine maintenance (日常保养) is due this many km after the last
            service ...
        routine_months: ... or this many months after it, whichever comes first.
        maintenance_lead: a maintenance reminder opens this many days before its day.
        card_lead: a card-renewal reminder opens this many days before the card expires.

    Raises:
        InvalidMileageError: a distance or a number of months is not a whole number >= 1.
        InvalidPeriodError: a lead is not `Days`.
    """

    first_km: int = attrs.field(default=5_000, validator=_positive_int)
    first_months: int = attrs.field(default=6, validator=_positive_int)
    routine_km: int = attrs.field(default=10_000, validator=_positive_int)
    routine_months: int = attrs.field(default=12, validator=_positive_int)
    maintenance_lead: Days = attrs.field(default=Days(7), validator=_day_lead)
    card_lead: Days = attrs.field(default=Days(30), validator=_day_lead)


def _km(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.name == "reading_km":
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidMileageError(
            f"{attribute.name} must be a whole number of km >= 0, got {value!r}"
        )


def _daily_km(value: Decimal | int | str | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InexactNumberError(
            f"daily_km must be a Decimal, int or decimal text, got {type(value).__name__}"
        )
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise InvalidMileageError(f"daily_km {value!r} is not a number") from None
    if not number.is_finite() or number <= 0:
        raise InvalidMileageError(f"daily_km must be a positive number of km, got {value!r}")
    return number


@attrs.frozen
class ServiceFacts:
    """What is known of a car's maintenance (the caller's facts, from its service records).

    Attributes:
        customer_id: the car's owner (a customer).
        last_service_on: the day of the last maintenance, or the delivery day when
            ``first`` (no maintenance yet).
        last_service_km: the odometer then (0 for a new car).
        first: the next maintenance is the first (首保).
        reading_km: a later odometer reading, if one is known ...
        read_on: ... and the day it was read (both or neither).
        daily_km: the caller's estimate of km driven a day; without it the rate is the
            reading's (km since the last service over the days since it).
        vehicle: the car (plate or VIN), for the reason line.

    Raises:
        InvalidTextError: a blank customer id.
        InvalidMileageError: a negative distance, a reading without its day (or the
            reverse), a reading below the last service's odometer or before its day, a
            ``daily_km`` that is not positive.
        InexactNumberError: ``daily_km`` is a float.
    """

    customer_id: str = attrs.field(validator=text)
    last_service_on: dt.date
    last_service_km: int = attrs.field(default=0, validator=_km)
    first: bool = False
    reading_km: int | None = attrs.field(default=None, validator=_km)
    read_on: dt.date | None = None
    daily_km: Decimal | None = attrs.field(default=None, converter=_daily_km)
    vehicle: str = ""

    def __attrs_post_init__(self) -> None:
        if (self.reading_km is None) != (self.read_on is None):
            raise InvalidMileageError("reading_km and read_on go together: give both or neither")
        if self.reading_km is not None and self.read_on is not None:
            if self.reading_km < self.last_service_km:
                raise InvalidMileageError(
                    f"the reading {self.reading_km} km is below the last service's "
                    f"{self.last_service_km} km"
                )
            if self.read_on < self.last_service_on:
                raise InvalidMileageError(
                    f"the reading of {self.read_on} is before the last service on "
                    f"{self.last_service_on}"
                )


@attrs.frozen
class NextMaintenance:
    """When a car's next maintenance is due, and why (`next_maintenance`).

    Attributes:
        due_on: the earlier of ``period_day`` and ``mileage_day``.
        period_day: the last service day plus the policy's months.
        mileage_day: the day the odometer is expected to reach ``target_km``; ``None``
            when no rate is known (no estimate, no reading after a day's driving).
        target_km: the last service's odometer plus the policy's distance.
        reason: in words.
    """

    due_on: dt.date
    period_day: dt.date
    mileage_day: dt.date | None
    target_km: int
    reason: str


def _rate(facts: ServiceFacts) -> Fraction | None:
    """Km a day: the caller's estimate, else the reading's average since the last service."""
    if facts.daily_km is not None:
        return Fraction(facts.daily_km)
    if facts.reading_km is None or facts.read_on is None:
        return None
    days = (facts.read_on - facts.last_service_on).days
    driven = facts.reading_km - facts.last_service_km
    return Fraction(driven, days) if days > 0 and driven > 0 else None


def _mileage_day(facts: ServiceFacts, target: int) -> dt.date | None:
    """The day the odometer reaches ``target`` km (see `next_maintenance`)."""
    reading, read_on = facts.reading_km, facts.read_on
    if reading is not None and read_on is not None and reading >= target:
        # passed by the reading: when, by the average between the service and the reading
        span = (read_on - facts.last_service_on).days
        share = Fraction(target - facts.last_service_km, reading - facts.last_service_km)
        return facts.last_service_on + dt.timedelta(days=math.ceil(span * share))
    rate = _rate(facts)
    if rate is None:
        return None
    since_km, since_on = facts.last_service_km, facts.last_service_on
    if reading is not None and read_on is not None:
        since_km, since_on = reading, read_on
    days = math.ceil((target - since_km) / rate)
    if days > dt.date.max.toordinal() - since_on.toordinal():
        return dt.date.max  # a rate so slow the target is never reached in the calendar
    return since_on + dt.timedelta(days=days)


def next_maintenance(facts: ServiceFacts, policy: ReminderPolicy) -> NextMaintenance:
    """When the car's next maintenance falls due: mileage or period, whichever comes first.

    * **period**: the last service day (the delivery day for the first maintenance)
      plus ``first_months`` / ``routine_months`` (pendulum's month arithmetic: 31
      August + 6 months is 28 February);
    * **mileage**: the target is the last service's odometer plus ``first_km`` /
      ``routine_km``. A reading at or past the target: the day it was passed, read on
      the straight line between the last service and the reading (rounded up to a
      whole day, never after the reading). Otherwise, from the latest known point (the
      reading, else the last service), the remaining km over the rate (``daily_km``,
      else the reading's km a day since the last service), rounded up to a whole day
      (a rate so slow that the day lies past the year 9999 gives `datetime.date.max`).
      No rate: the period alone decides.

    Examples:
        >>> import datetime as dt
        >>> facts = ServiceFacts("c1", dt.date(2026, 3, 1), 12_000, daily_km=100)
        >>> next_maintenance(facts, ReminderPolicy()).due_on   # 10,000 km in 100 days
        datetime.date(2026, 6, 9)
    """
    km = policy.first_km if facts.first else policy.routine_km
    months = policy.first_months if facts.first else policy.routine_months
    target = facts.last_service_km + km
    start = facts.last_service_on
    later = pendulum.date(start.year, start.month, start.day).add(months=months)
    period_day = dt.date(later.year, later.month, later.day)
    mileage_day = _mileage_day(facts, target)
    what = "first maintenance (首保)" if facts.first else "routine maintenance (日常保养)"
    by_period = f"{months} months after {start} ({period_day})"
    if mileage_day is None:
        return NextMaintenance(
            period_day,
            period_day,
            None,
            target,
            f"{what} due by {by_period}; no mileage estimate (no daily km, no reading)",
        )
    by_km = f"{target:,} km expected on {mileage_day}"
    if mileage_day < period_day:
        reason = f"{what} due at {by_km}, before {by_period}"
        return NextMaintenance(mileage_day, period_day, mileage_day, target, reason)
    reason = f"{what} due by {by_period}, before {by_km}"
    return NextMaintenance(period_day, period_day, mileage_day, target, reason)
