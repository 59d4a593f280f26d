"""An agenda as an iCalendar file (``.ics``), for the calendar clients people use: `to_ics`.

Each `AgendaItem` becomes one ``VEVENT`` (RFC 5545), written by the ``icalendar``
package (the ``keyaccount[ics]`` extra, imported only when a file is written):

* ``UID``: the item's id and ``@keyaccount``, so exporting the same agenda again
  updates the same events in a client instead of adding copies;
* ``DTSTART`` / ``DTEND``: the item's instants with their zone (``TZID=Asia/Shanghai``),
  each zone described by a ``VTIMEZONE``; an instant with a bare offset (``+05:30``,
  as read from a file) has no zone to name, and a local time a clock change repeats
  reads as its first occurrence: both are written in UTC, the same instant;
* ``SUMMARY``: the seed's words (``每周六下午13:30~14:30召集部门人员召开周会``), the
  customer added for a contact; ``DESCRIPTION``: the reason and how it was placed;
* ``DTSTAMP``: ``as_of`` in UTC, never the wall clock, so the same agenda gives the
  same bytes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from keyaccount._fields import to_instant
from keyaccount.duties.agenda import AgendaItem
from keyaccount.errors import MissingExtraError

__all__ = ["to_ics"]


def _icalendar() -> Any:
    """The ``icalendar`` module, or a `MissingExtraError` naming the extra."""
    try:
        import icalendar  # noqa: PLC0415 - an optional extra, imported only when needed
    except ImportError:
        raise MissingExtraError(
            "writing an .ics file needs the icalendar package: pip install 'keyaccount[ics]'"
        ) from None
    return icalendar


def _zoned(at: dt.datetime) -> dt.datetime:
    """``at`` with a stdlib `ZoneInfo` of its zone name (what icalendar writes as TZID)."""
    name = getattr(at.tzinfo, "name", None) or getattr(at.tzinfo, "key", None)
    try:
        zone = zoneinfo.ZoneInfo(name) if isinstance(name, str) and name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None  # a fixed offset such as pendulum's "+05:30" has no IANA name
    if zone is None:  # a fixed offset: written as UTC, the same instant
        return at.astimezone(dt.UTC)
    local = dt.datetime(
        at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond, tzinfo=zone
    )
    if local.utcoffset() != at.utcoffset():
        # the second of a repeated hour (a clock set back): RFC 5545 reads a local
        # time with a TZID as its first occurrence, so only UTC names this instant
        return at.astimezone(dt.UTC)
    return local


def to_ics(
    items: Iterable[AgendaItem],
    as_of: dt.datetime,
    *,
    name: str = "keyaccount agenda",
) -> bytes:
    """The agenda ``items`` as an iCalendar file (UTF-8 bytes).

    Examples:
        >>> import pendulum
        >>> from keyaccount.duties.agenda import AgendaKind
        >>> start = pendulum.datetime(2026, 10, 10, 13, 30, tz="Asia/Shanghai")
        >>> item = AgendaItem("m/weekly@2026-10-10", AgendaKind.DUTY, "周会",
        ...                   start, start.add(hours=1), start.add(hours=1))
        >>> b"DTSTART;TZID=Asia/Shanghai:20261010T133000" in to_ics([item], start)
        True

    Args:
        items: the agenda's items (`Agenda.items`).
        as_of: when the file is made (its ``DTSTAMP``).
        name: the calendar's name (``X-WR-CALNAME``).

    Returns:
        The ``.ics`` file's bytes.

    Raises:
        MissingExtraError: the ``icalendar`` package is not installed.
        NaiveDatetimeError: ``as_of`` has no timezone.
    """
    stamp = to_instant(as_of, "as_of").in_timezone("UTC")
    icalendar = _icalendar()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//keyaccount//duties agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for item in items:
        event = icalendar.Event()
        event.add("uid", f"{item.id}@keyaccount")
        event.add("dtstamp", dt.datetime(*stamp.timetuple()[:6], tzinfo=dt.UTC))
        event.add("dtstart", _zoned(item.start))
        event.add("dtend", _zoned(item.end))
        summary = f"{item.what} ({item.customer_id})" if item.customer_id else item.what
        event.add("summary", summary)
        description = "; ".join(part for part in (item.reason, item.note) if part)
        if description:
            event.add("description", description)
        event.add("categories", [item.kind.value])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    ics: bytes = calendar.to_ical()
    return ics
