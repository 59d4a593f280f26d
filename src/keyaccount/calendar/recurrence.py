"""When does a duty come round again: `Recurrence`, a recurrence rule as a value.

A `Recurrence` is a subset of an RFC 5545 ``RRULE`` (the recurrence rules of iCalendar)
plus three documented ``X-`` keywords for what an ``RRULE`` cannot say. The dates are
computed by `dateutil.rrule`, the well-kept implementation of RFC 5545; this module only
checks the rule and reads and writes its text.

The text form, as stored in data files (keys in this order, ``;``-separated):

| key | means |
|---|---|
| ``FREQ`` | ``DAILY``, ``WEEKLY``, ``MONTHLY`` or ``YEARLY`` |
| ``BYMONTH`` | months 1-12: required with ``YEARLY``, a filter with ``MONTHLY`` |
| ``BYMONTHDAY`` | days of the month, ``-1`` the last (``BYMONTHDAY=3``) |
| ``BYDAY`` | weekdays ``MO``...``SU``: required with ``WEEKLY``, a filter with ``DAILY`` |
| ``X-THROUGH`` | a range of days from ``BYMONTHDAY`` through this day (``X-THROUGH=18``) |
| ``X-DUE-BY`` | ``TRUE``: a deadline due by the end of the day, open since its period began |
| ``X-WINDOW`` | the hours of the day, local wall clock (``X-WINDOW=13:30-14:30``) |

Readings (each is a stated rule, tested in ``tests/test_calendar_recurrence.py``):

- **Impossible dates** follow RFC 5545: a day a month lacks is skipped (``BYMONTHDAY=31``
  has no February occurrence; a range ``29``-``31`` keeps the days the month has, and is
  skipped in a February that has none of them). A **deadline** (``X-DUE-BY``) is
  instead clamped to the month's last day: "by the 31st" is due on 28 or 29 February,
  since a monthly report is due every month. A rule that can never occur
  (``BYMONTH=2;BYMONTHDAY=30``) is refused with an `InvalidRecurrenceError`.
- **"By day N"** (``X-DUE-BY``): the occurrence opens at the start of its period and is
  due at the end of day N. The period begins on the day after the previous period: the
  Monday of the week (``WEEKLY``), the first of the month (``MONTHLY``), the first of
  the month after the previous listed month (``BYMONTH``: ``BYMONTH=3,6,9,12`` opens a
  quarter on 1 January, 1 April ...), the day itself (``DAILY``).
- Quarterly is ``FREQ=YEARLY`` (or ``MONTHLY``) with ``BYMONTH=1,4,7,10`` or
  ``3,6,9,12``; ``INTERVAL``, ``COUNT`` and ``UNTIL`` are not used (a duty's schedule
  holds no start date; a duty ends when it is removed from the chart).

`Recurrence.parse(text)` reads a text, `str(rule)` (or `rule.to_text()`) writes the
canonical text: ``Recurrence.parse(str(rule)) == rule`` for every rule, and a
canonical text is written back unchanged.

Examples:
    >>> rule = Recurrence.parse("FREQ=WEEKLY;BYDAY=SA;X-WINDOW=13:30-14:30")
    >>> [str(d) for d in rule.days(dt.date(2026, 10, 1), dt.date(2026, 10, 14))]
    ['2026-10-03', '2026-10-10']
    >>> str(Recurrence.monthly(3, due_by=True))
    'FREQ=MONTHLY;BYMONTHDAY=3;X-DUE-BY=TRUE'
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from typing import Final, Literal

import attrs
from dateutil import rrule

from keyaccount._fields import LabelledEnum
from keyaccount.errors import InvalidRecurrenceError

__all__ = ["Frequency", "Recurrence", "Slot", "TimeWindow"]


class Frequency(LabelledEnum):
    """How often a rule comes round (``FREQ``)."""

    DAILY = "DAILY", "每日"
    WEEKLY = "WEEKLY", "每周"
    MONTHLY = "MONTHLY", "每月"
    YEARLY = "YEARLY", "每年"


_WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # ISO 1..7
_RRULE_FREQ: Final[dict[Frequency, Literal[0, 1, 2, 3]]] = {
    Frequency.DAILY: rrule.DAILY,
    Frequency.WEEKLY: rrule.WEEKLY,
    Frequency.MONTHLY: rrule.MONTHLY,
    Frequency.YEARLY: rrule.YEARLY,
}
_HHMM: Final = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_KEYS: Final = ("FREQ", "BYMONTH", "BYMONTHDAY", "BYDAY", "X-THROUGH", "X-DUE-BY", "X-WINDOW")


@attrs.frozen(order=True)
class TimeWindow:
    """The hours of a day an occurrence takes, local wall clock: ``13:30-14:30``.

    Raises:
        InvalidRecurrenceError: ``end`` is not after ``start``, or a bound is not a time.
    """

    start: dt.time
    end: dt.time

    def __attrs_post_init__(self) -> None:
        for value in (self.start, self.end):
            if not isinstance(value, dt.time) or value.tzinfo is not None:
                raise InvalidRecurrenceError(
                    f"a time window is bounded by local times, got {value!r}"
                )
        if self.end <= self.start:
            raise InvalidRecurrenceError(f"the time window {self} does not start before it ends")

    @classmethod
    def parse(cls, text: str) -> TimeWindow:
        """Read ``HH:MM-HH:MM``.

        Raises:
            InvalidRecurrenceError: the text is not two ``HH:MM`` times, or is reversed.
        """
        parts = text.split("-") if isinstance(text, str) else []
        matches = [_HHMM.fullmatch(p.strip()) for p in parts]
        if len(parts) != 2 or not all(matches):
            raise InvalidRecurrenceError(f"a time window is 'HH:MM-HH:MM', got {text!r}", str(text))
        start, end = (dt.time(int(m[1]), int(m[2])) for m in matches if m)
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@attrs.frozen
class Slot:
    """One date-level occurrence of a rule, before any rest day moves it.

    Attributes:
        scheduled: the day the rule names (a range's first day, a deadline's due day).
        last: the last day of a range of days; ``scheduled`` otherwise.
        opens: a deadline's first day (the start of its period); ``None`` otherwise.
    """

    scheduled: dt.date
    last: dt.date
    opens: dt.date | None = None


def _ints(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(values)))


def _check_ints(values: tuple[int, ...], low: int, high: int, what: str) -> None:
    for value in values:
        if type(value) is not int or not low <= value <= high or value == 0:
            raise InvalidRecurrenceError(
                f"{what} must be whole numbers in {low}..{high}, got {value!r}"
            )


@attrs.frozen
class Recurrence:
    """A recurrence rule: which days a duty falls on, and the hours it takes.

    Build one with a constructor (`daily`, `weekly`, `monthly`, `quarterly`, `yearly`)
    or read its text with `parse`. See the module docstring for the text and readings.

    Attributes:
        frequency: how often (``FREQ``).
        months: ``BYMONTH``, sorted.
        month_days: ``BYMONTHDAY``, sorted (negative counts from the month's end).
        weekdays: ``BYDAY`` as ISO weekday numbers (Monday = 1), sorted.
        through: the last day of a monthly range (``X-THROUGH``).
        due_by: a deadline due by the end of the day (``X-DUE-BY``).
        window: the hours of the day (``X-WINDOW``), or ``None`` for the working day.

    Raises:
        InvalidRecurrenceError: the parts do not make a schedule (a weekly rule without
            weekdays, a range that ends before it starts, a deadline on two days...).
    """

    frequency: Frequency
    months: tuple[int, ...] = attrs.field(default=(), converter=_ints)
    month_days: tuple[int, ...] = attrs.field(default=(), converter=_ints)
    weekdays: tuple[int, ...] = attrs.field(default=(), converter=_ints)
    through: int | None = None
    due_by: bool = False
    window: TimeWindow | None = None

    def __attrs_post_init__(self) -> None:
        _check_ints(self.months, 1, 12, "months")
        _check_ints(self.month_days, -31, 31, "month days")
        _check_ints(self.weekdays, 1, 7, "weekdays")
        problem = self._shape_problem() or self._part_problem()
        if problem:
            raise InvalidRecurrenceError(f"{problem} (rule {self.to_text()})")

    def _shape_problem(self) -> str:  # noqa: PLR0911 - one line per rule of the shape
        """What is wrong with the frequency and its BY parts, or ``""``."""
        freq: object = self.frequency
        if not isinstance(freq, Frequency):
            return f"frequency must be a Frequency, got {freq!r}"
        if freq is Frequency.WEEKLY and not self.weekdays:
            return "a weekly rule names its weekdays (BYDAY)"
        if self.weekdays and freq not in (Frequency.DAILY, Frequency.WEEKLY):
            return "BYDAY is used with DAILY or WEEKLY rules only"
        if freq in (Frequency.DAILY, Frequency.WEEKLY) and (self.months or self.month_days):
            return "BYMONTH and BYMONTHDAY are used with MONTHLY or YEARLY rules only"
        if freq is Frequency.MONTHLY and not self.month_days:
            return "a monthly rule names its days (BYMONTHDAY)"
        if freq is Frequency.YEARLY and not (self.months and self.month_days):
            return "a yearly rule names its months and days (BYMONTH and BYMONTHDAY)"
        return ""

    def _part_problem(self) -> str:  # noqa: PLR0911 - one line per rule of the X- parts
        """What is wrong with the range, the deadline or the window, or ``""``."""
        freq = self.frequency
        through: object = self.through
        if through is not None:
            if not isinstance(through, int) or isinstance(through, bool):
                return f"X-THROUGH is a day of the month, got {through!r}"
            if len(self.month_days) != 1 or not 1 <= self.month_days[0] < through <= 31:
                return "a range of days has one first day (BYMONTHDAY) before X-THROUGH (up to 31)"
            if self.due_by:
                return "a range of days is not a deadline (X-THROUGH with X-DUE-BY)"
        due_by: object = self.due_by
        if type(due_by) is not bool:
            return f"X-DUE-BY is true or false, got {due_by!r}"
        if self.due_by and (
            (freq is Frequency.WEEKLY and len(self.weekdays) != 1)
            or (
                freq in (Frequency.MONTHLY, Frequency.YEARLY)
                and (len(self.month_days) != 1 or self.month_days[0] < 1)
            )
        ):
            return (
                "a deadline falls on one day of its period (one weekday, or one positive month day)"
            )
        window: object = self.window
        if window is not None and not isinstance(window, TimeWindow):
            return f"window must be a TimeWindow, got {type(window).__name__}"
        if self.month_days and not self.due_by and not self._can_occur():
            return "the rule never occurs: none of its months has any of its days"
        return ""

    def _can_occur(self) -> bool:
        """Whether some month of the rule has one of its days (February counted as 29)."""
        lengths = [calendar.monthrange(2024, m)[1] for m in self.months or range(1, 13)]
        return any(abs(day) <= length for day in self.month_days for length in lengths)

    # ------------------------------------------------------------------ constructors

    @classmethod
    def daily(
        cls, *, weekdays: Iterable[int] = (), window: TimeWindow | str | None = None
    ) -> Recurrence:
        """Every day (or every listed weekday), optionally in a time window."""
        return cls(Frequency.DAILY, weekdays=tuple(weekdays), window=_window(window))

    @classmethod
    def weekly(
        cls, *weekdays: int, due_by: bool = False, window: TimeWindow | str | None = None
    ) -> Recurrence:
        """Every week on the given ISO weekdays (Monday = 1)."""
        return cls(Frequency.WEEKLY, weekdays=weekdays, due_by=due_by, window=_window(window))

    @classmethod
    def monthly(
        cls,
        day: int,
        *,
        through: int | None = None,
        due_by: bool = False,
        window: TimeWindow | str | None = None,
    ) -> Recurrence:
        """Every month on ``day``, through ``through`` for a range, or due by ``day``."""
        return cls(
            Frequency.MONTHLY,
            month_days=(day,),
            through=through,
            due_by=due_by,
            window=_window(window),
        )

    @classmethod
    def quarterly(
        cls,
        day: int,
        *,
        months: Iterable[int] = (3, 6, 9, 12),
        due_by: bool = False,
        window: TimeWindow | str | None = None,
    ) -> Recurrence:
        """Every quarter on ``day`` of the given months (default each quarter's last month)."""
        return cls(
            Frequency.YEARLY,
            months=tuple(months),
            month_days=(day,),
            due_by=due_by,
            window=_window(window),
        )

    @classmethod
    def yearly(
        cls, month: int, day: int, *, due_by: bool = False, window: TimeWindow | str | None = None
    ) -> Recurrence:
        """Every year on ``month``/``day``."""
        return cls(
            Frequency.YEARLY,
            months=(month,),
            month_days=(day,),
            due_by=due_by,
            window=_window(window),
        )

    # ------------------------------------------------------------------ text

    @classmethod
    def parse(cls, text: str) -> Recurrence:
        """Read the text form (see the module docstring); keys may come in any order.

        Raises:
            InvalidRecurrenceError: the text is not a rule this module reads; the error
                names the text (``error.text``) and the part that is wrong.
        """
        if not isinstance(text, str):
            raise InvalidRecurrenceError(
                f"a recurrence rule is text, got {type(text).__name__}", repr(text)
            )
        try:
            return _parse(text)
        except InvalidRecurrenceError as error:
            raise InvalidRecurrenceError(
                f"cannot read the recurrence {text!r}: {error}", text
            ) from None

    def to_text(self) -> str:
        """The canonical text: keys in the documented order, values sorted."""
        parts = [f"FREQ={self.frequency.value}"]
        if self.months:
            parts.append("BYMONTH=" + ",".join(map(str, self.months)))
        if self.month_days:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.month_days)))
        if self.weekdays:
            parts.append("BYDAY=" + ",".join(_WEEKDAYS[d - 1] for d in self.weekdays))
        if self.through is not None:
            parts.append(f"X-THROUGH={self.through}")
        if self.due_by:
            parts.append("X-DUE-BY=TRUE")
        if self.window is not None:
            parts.append(f"X-WINDOW={self.window}")
        return ";".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    # ------------------------------------------------------------------ dates

    def _rule(
        self,
        start: dt.date,
        end: dt.date,
        *,
        days: Iterable[int] | None = None,
        setpos: int | None = None,
    ) -> rrule.rrule:
        freq = _RRULE_FREQ[self.frequency]
        if self.frequency is Frequency.YEARLY:
            freq = rrule.MONTHLY  # the same days; lets BYSETPOS pick within each month
        return rrule.rrule(
            freq,
            dtstart=dt.datetime.combine(start, dt.time()),
            until=dt.datetime.combine(end, dt.time()),
            bymonth=self.months or None,
            bymonthday=tuple(days) if days is not None else (self.month_days or None),
            byweekday=tuple(rrule.weekdays[d - 1] for d in self.weekdays) or None,
            bysetpos=setpos,
            cache=False,
        )

    def days(self, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
        """The scheduled days from ``start`` to ``end`` (both included), in order.

        A range's first day, a deadline's (clamped) due day, or the day itself.
        """
        if end < start:
            return ()
        if self.due_by and self.month_days and self.month_days[0] > 28:
            rule = self._rule(start, end, days=range(28, self.month_days[0] + 1), setpos=-1)
        elif self.through is not None:
            rule = self._rule(
                start, end, days=range(self.month_days[0], self.through + 1), setpos=1
            )
        else:
            rule = self._rule(start, end)
        return tuple(d.date() for d in rule)

    def slots(self, start: dt.date, end: dt.date) -> tuple[Slot, ...]:
        """The occurrences whose scheduled day lies from ``start`` to ``end``, as `Slot`s."""
        days = self.days(start, end)
        if self.through is not None:
            through = self.through
            return tuple(Slot(d, d.replace(day=min(through, _month_length(d)))) for d in days)
        if self.due_by:
            return tuple(Slot(d, d, self._opens(d)) for d in days)
        return tuple(Slot(d, d) for d in days)

    def _opens(self, due: dt.date) -> dt.date:
        """The first day of a deadline's period (see the module docstring)."""
        if self.frequency is Frequency.DAILY:
            return due
        if self.frequency is Frequency.WEEKLY:
            return due - dt.timedelta(days=due.isoweekday() - 1)
        if not self.months:
            return due.replace(day=1)
        earlier = [m for m in self.months if m < due.month]
        previous = earlier[-1] if earlier else self.months[-1]  # cyclic: December before January
        month = previous % 12 + 1
        year = due.year if month <= due.month else due.year - 1
        return dt.date(year, month, 1)

    @property
    def reach(self) -> tuple[int, int]:
        """How many days an occurrence reaches before and after its scheduled day, at most.

        A range of days runs up to 30 days after its first day; a deadline opens up to a
        period before its due day.
        """
        if self.through is not None:
            return 0, self.through - self.month_days[0]
        if not self.due_by or self.frequency is Frequency.DAILY:
            return 0, 0
        if self.frequency is Frequency.WEEKLY:
            return 6, 0
        return (366 if self.months else 31), 0


def _month_length(day: dt.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _window(value: TimeWindow | str | None) -> TimeWindow | None:
    return TimeWindow.parse(value) if isinstance(value, str) else value


def _numbers(key: str, value: str) -> tuple[int, ...]:
    items = value.split(",")
    if not all(re.fullmatch(r"[+-]?[0-9]{1,2}", item) for item in items):
        raise InvalidRecurrenceError(f"{key} holds comma-separated numbers, got {value!r}")
    return tuple(int(item) for item in items)


def _parse(text: str) -> Recurrence:
    fields: dict[str, str] = {}
    for part in text.strip().split(";"):
        key, sep, value = part.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise InvalidRecurrenceError(f"{part!r} is not KEY=VALUE")
        if key not in _KEYS:
            raise InvalidRecurrenceError(
                f"{key} is not a key this library reads ({', '.join(_KEYS)})"
            )
        if key in fields:
            raise InvalidRecurrenceError(f"{key} is given twice")
        fields[key] = value.strip()
    if "FREQ" not in fields:
        raise InvalidRecurrenceError("FREQ is missing")
    try:
        frequency = Frequency(fields["FREQ"].upper())
    except ValueError:
        raise InvalidRecurrenceError(
            f"FREQ is one of DAILY, WEEKLY, MONTHLY, YEARLY, got {fields['FREQ']!r}"
        ) from None
    weekdays = []
    for name in fields["BYDAY"].upper().split(",") if "BYDAY" in fields else ():
        if name not in _WEEKDAYS:
            raise InvalidRecurrenceError(f"BYDAY holds weekdays MO..SU, got {name!r}")
        weekdays.append(_WEEKDAYS.index(name) + 1)
    due_by = fields.get("X-DUE-BY", "FALSE").upper()
    if due_by not in ("TRUE", "FALSE"):
        raise InvalidRecurrenceError(f"X-DUE-BY is TRUE or FALSE, got {due_by!r}")
    through = _numbers("X-THROUGH", fields["X-THROUGH"]) if "X-THROUGH" in fields else None
    if through is not None and len(through) != 1:
        raise InvalidRecurrenceError("X-THROUGH is one day of the month")
    return Recurrence(
        frequency,
        months=_numbers("BYMONTH", fields["BYMONTH"]) if "BYMONTH" in fields else (),
        month_days=_numbers("BYMONTHDAY", fields["BYMONTHDAY"]) if "BYMONTHDAY" in fields else (),
        weekdays=weekdays,
        through=through[0] if through else None,
        due_by=due_by == "TRUE",
        window=TimeWindow.parse(fields["X-WINDOW"]) if "X-WINDOW" in fields else None,
    )
