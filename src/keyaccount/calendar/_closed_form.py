"""How does a company calendar count beyond its prefix table? In closed form.

Private, beside `keyaccount.calendar._tables`. A calendar without covered years holds
for every year, but its prefix table spans a few decades; beyond it, outside the listed
days every week repeats (`WeekCounts`: the n-th working day and the working days between
two dates are a division and a bisection over the listed days), and a day's working time
is its windows' length except on the days a clock change alters (`ClockChanges`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from typing import TYPE_CHECKING, Final

import pendulum

from keyaccount.errors import DateOutOfRangeError

if TYPE_CHECKING:
    from keyaccount.calendar._tables import CalendarTables

__all__ = ["ClockChanges", "WeekCounts", "checked_date"]

_LAST_ORDINAL: Final = dt.date.max.toordinal()


def checked_date(ordinal: int, what: str) -> pendulum.Date:
    """The date of `ordinal`, or `DateOutOfRangeError` naming `what`."""
    if not 1 <= ordinal <= _LAST_ORDINAL:
        raise DateOutOfRangeError(what, after=ordinal > _LAST_ORDINAL)
    return pendulum.Date.fromordinal(ordinal)


class WeekCounts:
    """Working days of a calendar without covered years, counted in closed form (internal).

    `count(o)` is the number of working days among the ordinals `1..o` (0001-01-01 is
    ordinal 1, a Monday): the weekly pattern's count, a division by 7, plus the
    corrections of the listed days up to `o` (a holiday on a working weekday -1, a
    make-up day on a rest day +1), a bisection. `first(t)` inverts it.
    """

    __slots__ = (
        "by_weekday",
        "days",
        "deltas",
        "listed",
        "listed_set",
        "per_week",
        "shifts",
        "totals",
        "works",
    )

    def __init__(
        self, rest: frozenset[int], holidays: frozenset[dt.date], extra: frozenset[dt.date]
    ) -> None:
        works = tuple(iso not in rest for iso in range(1, 8))  # index 0 is Monday
        self.works = works
        self.per_week = sum(works)
        #: by_weekday[r]: pattern working days among the first r days of a week.
        self.by_weekday = [sum(works[:r]) for r in range(8)]
        #: days[m]: the weekday (1-7) of a week's (m + 1)-th pattern working day.
        self.days = [r for r in range(1, 8) if works[r - 1]]
        changed = sorted(
            [(d.toordinal(), -1) for d in holidays if works[d.weekday()]]
            + [(d.toordinal(), 1) for d in extra if not works[d.weekday()]]
        )
        self.listed = [o for o, _ in changed]
        self.listed_set = frozenset(self.listed)
        self.deltas = [delta for _, delta in changed]
        #: shifts[j]: the corrections of the first j listed days.
        self.shifts = [0]
        for delta in self.deltas:
            self.shifts.append(self.shifts[-1] + delta)
        #: totals[j]: count(listed[j]), increasing (for `first`).
        self.totals = [self.pattern(o) + self.shifts[j + 1] for j, o in enumerate(self.listed)]

    def pattern(self, ordinal: int) -> int:
        """Working days of the weekly pattern among the ordinals `1..ordinal`."""
        weeks, rest = divmod(ordinal, 7)
        return weeks * self.per_week + self.by_weekday[rest]

    def count(self, ordinal: int) -> int:
        """Working days among the ordinals `1..ordinal`."""
        return self.pattern(ordinal) + self.shifts[bisect.bisect_right(self.listed, ordinal)]

    def is_work(self, ordinal: int) -> bool:
        """Whether the day `ordinal` is a working day (a listed day flips its weekday's)."""
        return self.works[(ordinal - 1) % 7] != (ordinal in self.listed_set)

    def first(self, t: int) -> int:
        """The first ordinal with `count(ordinal) >= t`, for `t >= 1` (the t-th working day).

        Between two listed days the count is the pattern's plus a constant, so the
        answer is the pattern's t-th working day shifted, or the listed day itself.
        """
        j = bisect.bisect_left(self.totals, t)
        weeks, m = divmod(t - self.shifts[j] - 1, self.per_week)
        candidate = weeks * 7 + self.days[m]
        return self.listed[j] if j < len(self.listed) and candidate >= self.listed[j] else candidate

    def add_workdays(self, ordinal: int, n: int) -> pendulum.Date:
        """`WorkCalendar.add_workdays` of the day `ordinal`."""
        k = self.count(ordinal) + n - (1 if n > 0 else self.is_work(ordinal))
        what = f"add_workdays({dt.date.fromordinal(ordinal)}, {n})"
        if k < 0:
            raise DateOutOfRangeError(what, after=False)
        return checked_date(self.first(k + 1), what)


class ClockChanges:
    """The days whose working time a clock change alters, over years 1-9999 (internal).

    A day's working time is its windows' length unless the zone's offset changes inside
    one of them. Offsets are sampled every `_SAMPLE` of wall time from `_SCAN_FROM` to
    `_SCAN_TO`; around each change the days nearby get their real windows. Before
    `_SCAN_FROM` every zone keeps one offset (its local mean time), and from
    `_PERIODIC_FROM` on every zone follows its rule string, which repeats every 400
    Gregorian years (146,097 days, a whole number of weeks): the test suite checks both
    facts and the sampling step against every zone of the installed tz database.
    """

    __slots__ = ("days", "deltas")

    # Wall-clock times, deliberately naive: `tz.utcoffset` reads them as local time.
    _SAMPLE: Final = dt.timedelta(days=2)
    _SCAN_FROM: Final = dt.datetime(1800, 1, 1)  # noqa: DTZ001 - a wall-clock time
    _PERIODIC_FROM: Final = dt.datetime(2200, 1, 1)  # noqa: DTZ001 - a wall-clock time
    _SCAN_TO: Final = dt.datetime(2600, 1, 1)  # noqa: DTZ001 - a wall-clock time
    _CYCLE: Final = 146_097

    def __init__(self, tables: CalendarTables) -> None:
        samples = (self._SCAN_TO - self._SCAN_FROM) // self._SAMPLE
        walls = [self._SCAN_FROM + i * self._SAMPLE for i in range(samples + 1)]
        offsets = list(map(tables.tz.utcoffset, walls))  # one C call per sample
        found: dict[int, int] = {}
        for i, (before, after) in enumerate(itertools.pairwise(offsets)):
            if before == after:
                continue
            # The offset changed between walls[i] and walls[i + 1]: measure the days
            # around, whose windows the change may cut or stretch.
            first, last = walls[i].toordinal() - 1, walls[i + 1].toordinal() + 1
            for ordinal in range(first, last + 1):
                delta = tables.day_length(dt.date.fromordinal(ordinal)) - tables.nominal_us
                if delta:
                    found[ordinal] = delta
        periodic = self._PERIODIC_FROM.toordinal()
        for ordinal, delta in list(found.items()):
            shifted = ordinal + self._CYCLE
            while ordinal >= periodic and shifted <= _LAST_ORDINAL:
                found[shifted] = delta
                shifted += self._CYCLE
        self.days = sorted(found)
        self.deltas = [found[o] for o in self.days]
