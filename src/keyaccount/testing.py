"""Testing helpers shipped to users: Hypothesis strategies, profiles and a frozen clock.

Importing this module needs Hypothesis (``pip install keyaccount[testing]``); the rest
of the library does not.

>>> from keyaccount.testing import FrozenClock
>>> import pendulum
>>> clock = FrozenClock(pendulum.datetime(2026, 1, 5, 9, tz="Asia/Shanghai"))
>>> clock.advance(hours=2).now()
DateTime(2026, 1, 5, 11, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pendulum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from keyaccount.calendar import (
    CHINA_FIRST_YEAR,
    Days,
    Hours,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
)
from keyaccount.calendar import to_instant as _to_instant
from keyaccount.money import Money

__all__ = [
    "FrozenClock",
    "aware_datetimes",
    "china_dates",
    "company_calendars",
    "money",
    "periods",
    "register_profiles",
    "timezones",
]

#: A few zones with different offsets (and one with daylight saving time).
_ZONES = ("Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


def register_profiles() -> None:
    """Register the ``dev`` (fast, local) and ``ci`` (thorough) Hypothesis profiles.

    Load one with ``settings.load_profile("ci")``; the project's test suite picks it
    from the ``HYPOTHESIS_PROFILE`` environment variable.
    """
    settings.register_profile("dev", max_examples=60, deadline=None)
    settings.register_profile(
        "ci",
        max_examples=300,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


def _to_clock_instant(value: dt.datetime) -> pendulum.DateTime:
    return _to_instant(value, "at")


@attrs.define
class FrozenClock:
    """A clock that only moves when told to, for code that asks "what time is it".

    The library's rules never read a clock (they take ``as_of``); this is for the
    systems around them, so their tests can pass ``clock.now()`` as ``as_of``.
    """

    at: pendulum.DateTime = attrs.field(converter=_to_clock_instant)

    def now(self) -> pendulum.DateTime:
        """The frozen instant."""
        return self.at

    def advance(self, **delta: float) -> FrozenClock:
        """Move the clock forward by ``datetime.timedelta(**delta)`` and return it."""
        self.at = self.at + dt.timedelta(**delta)
        return self


def timezones() -> st.SearchStrategy[str]:
    """IANA timezone names, Asia/Shanghai first so it shrinks there."""
    return st.sampled_from(_ZONES)


def china_dates(
    first_year: int = CHINA_FIRST_YEAR, last_year: int = 2026
) -> st.SearchStrategy[dt.date]:
    """Dates inside the years covered by :meth:`WorkCalendar.china`."""
    return st.dates(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))


def aware_datetimes(
    first: dt.date = dt.date(CHINA_FIRST_YEAR, 1, 2), last: dt.date = dt.date(2026, 12, 30)
) -> st.SearchStrategy[pendulum.DateTime]:
    """Timezone-aware instants between ``first`` and ``last``, in assorted zones."""
    naive = st.datetimes(
        dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59))
    )
    return st.builds(
        lambda value, zone: pendulum.instance(value, tz=zone),
        naive.map(lambda v: v.replace(microsecond=0)),
        timezones(),
    )


def periods(max_n: int = 40) -> st.SearchStrategy[Period]:
    """Any of the four period kinds with ``0 <= n <= max_n``."""
    n = st.integers(0, max_n)
    minutes = st.integers(0, 59)
    return st.one_of(
        st.builds(Days, n),
        st.builds(Workdays, n),
        st.builds(Hours, n, minutes),
        st.builds(WorkingHours, n, minutes),
    )


@st.composite
def company_calendars(draw: st.DrawFn) -> WorkCalendar:
    """Custom company calendars: any rest days, one to three windows, some holidays."""
    rest = draw(st.frozensets(st.integers(1, 7), max_size=3))
    cuts = draw(st.lists(st.integers(6 * 4, 22 * 4), min_size=2, max_size=6, unique=True))
    cuts.sort()
    if len(cuts) % 2:
        cuts.pop()
    windows = [
        (f"{a // 4:02d}:{a % 4 * 15:02d}", f"{b // 4:02d}:{b % 4 * 15:02d}")
        for a, b in zip(cuts[::2], cuts[1::2], strict=True)
    ]
    holidays = draw(
        st.frozensets(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), max_size=20)
    )
    extra = draw(
        st.frozensets(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), max_size=5).map(
            lambda days: days - holidays
        )
    )
    zone = draw(timezones())
    return WorkCalendar(
        weekly_rest_days=rest,
        hours=windows,
        timezone=zone,
        holidays=holidays,
        extra_workdays=extra,
    )


def money(
    currencies: tuple[str, ...] = ("CNY",), max_amount: int = 10_000_000
) -> st.SearchStrategy[Money]:
    """Non-negative amounts with two decimal places in the given currencies."""
    cents = st.integers(0, max_amount * 100)
    return st.builds(
        lambda c, cur: Money(Decimal(c).scaleb(-2), cur), cents, st.sampled_from(currencies)
    )
