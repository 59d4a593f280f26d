"""How an instant is written in a file and read back, zone name included (RFC 9557).

A file writes an instant in a named zone with its UTC offset *and* the zone's IANA
name, the form RFC 9557 adds to RFC 3339:

    2024-11-03T01:00:00-04:00[America/New_York]

so that loading gives back the very same value: the same instant, the same zone, and
therefore the same daylight-saving arithmetic later (a fixed `-04:00` would move to
`-05:00` no more). An instant in a fixed offset (no zone name) is written as plain
RFC 3339, `2026-03-02T09:00:00+08:00`.

Reading accepts both forms. Plain RFC 3339 keeps its fixed offset. With a zone name:

* the offset chooses between the two readings of a repeated wall time (PEP 495's
  `fold`): `2024-11-03T01:00:00-04:00[America/New_York]` is the first 01:00 of that
  night, `...-05:00[...]` the second;
* an offset the zone does not have at that wall time
  (`2024-07-01T12:00:00+08:00[America/New_York]`), or a wall time the zone skips, is
  refused: RFC 9557 leaves an inconsistent offset to the reader, and a reader that
  guessed would lose the instant or the zone;
* `Z` (UTC known, local offset not stated) takes the instant and shows it in the zone;
* an unknown zone name is refused; elective annotations such as `[u-ca=gregory]` are
  ignored as RFC 9557 allows, critical ones (`[!u-ca=...]`) are refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

import pendulum

from keyaccount._fields import wall_clock, wall_instant
from keyaccount.errors import InvalidDataError, InvalidInstantError, InvalidTimezoneError
from keyaccount.io._quoting import quote

__all__ = ["format_instant", "parse_instant"]

# RFC 9557, section 4.1: a bracketed annotation is a time zone (a name or an offset)
# or a `key=value` suffix; `!` marks it critical.
_ANNOTATION = re.compile(r"\[(!?)([^\[\]]*)\]")
_ZONE_PART = r"[A-Za-z._][A-Za-z0-9._+\-]*"
_ZONE_NAME = re.compile(rf"{_ZONE_PART}(?:/{_ZONE_PART})*")
_ZONE_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")
_SUFFIX = re.compile(r"[a-z_][a-z0-9_\-]*=[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
#: Longer than any IANA zone name (the longest is 32 characters).
_ZONE_NAME_LIMIT = 64
_ONE_DAY = dt.timedelta(days=1)
#: The offset texts that state no local offset (RFC 9557 section 2: `Z`, RFC 3339's -00:00).
_UNKNOWN_LOCAL_OFFSET = ("Z", "z", "-00:00")


def _offset_text(offset: dt.timedelta) -> str:
    """An offset as RFC 3339 writes it, `+08:00` (with seconds where a zone has them)."""
    sign = "-" if offset < dt.timedelta(0) else "+"
    seconds = int(abs(offset).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


@functools.cache
def _fixed_zone(offset: dt.timedelta) -> dt.tzinfo:
    """pendulum's zone for a fixed UTC offset, built once per offset.

    `+00:00` too is a fixed offset, not the zone named UTC (`[UTC]` names that).
    """
    return pendulum.FixedTimezone(int(offset.total_seconds()))


@functools.cache
def _named_zone(name: str) -> zoneinfo.ZoneInfo:
    """pendulum's zone for an IANA name, looked up once per name (only known names stay)."""
    if len(name) > _ZONE_NAME_LIMIT or not _ZONE_NAME.fullmatch(name):
        raise InvalidTimezoneError(f"{quote(name)} is not an IANA time zone name")
    try:
        zone = pendulum.timezone(name)
    except (ValueError, OSError, LookupError):  # InvalidTimezone, a directory, a bad file
        raise InvalidTimezoneError(f"unknown time zone {quote(name)}") from None
    assert isinstance(zone, zoneinfo.ZoneInfo)  # a name always gives a pendulum.Timezone
    return zone


def _naive(value: dt.datetime) -> dt.datetime:
    """The wall time of `value` as a plain naive stdlib datetime (no pendulum arithmetic)."""
    return wall_clock(value)


def _in_zone(utc_wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant whose UTC wall time is `utc_wall` (naive), on `zone`'s clock, fold set."""
    return zone.fromutc(utc_wall.replace(tzinfo=zone))


def _offsets_at(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> list[dt.timedelta]:
    """The offsets `zone` really has at the naive wall time `wall`: one, two (a repeated
    hour) or none (a skipped hour)."""
    offsets = []
    for fold in (0, 1):
        offset = zone.utcoffset(wall.replace(tzinfo=zone, fold=fold))
        assert offset is not None  # a ZoneInfo always has an offset
        if _in_zone(wall - offset, zone).replace(tzinfo=None) == wall and offset not in offsets:
            offsets.append(offset)
    return offsets


def _inconsistent(
    wall: dt.datetime, offset: dt.timedelta, name: str, offsets: list[dt.timedelta]
) -> str:
    if not offsets:
        return (
            f"{wall.isoformat()}{_offset_text(offset)}[{name}] does not exist: the clocks "
            f"in {name} skip {wall.isoformat()}"
        )
    options = " or ".join(_offset_text(o) for o in offsets)
    return (
        f"offset {_offset_text(offset)} does not match time zone {name}: at "
        f"{wall.isoformat()} {name} is {options}; write the offset the zone has there"
    )


def _with_zone(parsed: dt.datetime, offset_text: str, zone_text: str) -> pendulum.DateTime:
    """The instant of RFC 3339 `parsed` in the zone `zone_text` names, checked against it."""
    offset = parsed.utcoffset()
    assert offset is not None  # checked by the caller
    numeric = _ZONE_OFFSET.fullmatch(zone_text) if zone_text[:1] in "+-" else None
    if numeric:  # `[+08:00]`: an offset zone, which must agree with the offset
        sign, hours, minutes = numeric.groups()
        zone_offset = dt.timedelta(hours=int(hours), minutes=int(minutes))
        zone_offset = -zone_offset if sign == "-" else zone_offset
        if abs(zone_offset) >= _ONE_DAY:
            raise InvalidInstantError(f"the zone offset {zone_text} is a day or more")
        if offset_text not in _UNKNOWN_LOCAL_OFFSET and zone_offset != offset:
            raise InvalidInstantError(
                f"offset {_offset_text(offset)} does not match the zone offset {zone_text}"
            )
        return wall_instant(_naive(parsed) - offset + zone_offset, _fixed_zone(zone_offset))
    zone = _named_zone(zone_text)
    local = zone.fromutc((parsed - offset).replace(tzinfo=zone))
    # the zone shows the same wall time exactly when it has the offset the text states
    if offset_text not in _UNKNOWN_LOCAL_OFFSET and local.utcoffset() != offset:
        wall = _naive(parsed)
        raise InvalidInstantError(_inconsistent(wall, offset, zone_text, _offsets_at(wall, zone)))
    return wall_instant(local, zone)


def _annotated_zone(annotations: str, text: str) -> str | None:
    """The zone an RFC 9557 annotation list names (`None`: none), its suffixes checked."""
    body = annotations[1:-1]
    if annotations[-1:] == "]" and "[" not in body and "]" not in body and "=" not in body:
        return body[1:] if body[:1] == "!" else body  # one zone, as files write it
    zone: str | None = None
    position = 0
    for index, match in enumerate(_ANNOTATION.finditer(annotations)):
        if match.start() != position:
            break
        position = match.end()
        critical, body = match.groups()
        if "=" in body:
            if not _SUFFIX.fullmatch(body):
                raise InvalidInstantError(f"{quote(text)} has a malformed annotation")
            if critical:
                raise InvalidInstantError(
                    f"{quote(text)} has a critical annotation keyaccount does not "
                    f"understand: {quote(body)}"
                )
            continue  # an elective annotation: RFC 9557 lets a reader ignore it
        if index != 0:
            raise InvalidInstantError(f"{quote(text)}: the time zone must be the first annotation")
        zone = body
    if position != len(annotations):
        raise InvalidInstantError(
            f"expected an RFC 3339 date-time, optionally followed by a [Zone/Name], "
            f"got {quote(text)}"
        )
    return zone


def parse_instant(text: str) -> pendulum.DateTime:
    """The instant a file's text names: RFC 3339, or RFC 9557 with a zone name.

    `"2026-03-02T09:00:00+08:00"` keeps its fixed offset;
    `"2024-11-03T01:00:00-05:00[America/New_York]"` is in that zone, the offset telling
    which of the two 01:00s of that night is meant.

    Examples:
        >>> parse_instant("2024-11-03T01:00:00-05:00[America/New_York]").in_timezone("UTC")
        DateTime(2024, 11, 3, 6, 0, 0, tzinfo=Timezone('UTC'))

    Args:
        text: the date-time text.

    Returns:
        The instant, in the named zone or at the fixed offset.

    Raises:
        InvalidInstantError: the text is no date-time, has no UTC offset, has an offset
            the named zone does not have at that wall time, or a critical annotation.
        InvalidTimezoneError: the zone name in brackets is not a known IANA zone.
    """
    base, bracket, annotations = text.partition("[")
    try:
        parsed = dt.datetime.fromisoformat(base)
    except ValueError:
        raise InvalidInstantError(
            f"expected an ISO 8601 date-time such as 2026-03-02T09:00:00+08:00, got {quote(text)}"
        ) from None
    offset = parsed.utcoffset()
    if offset is None:
        raise InvalidInstantError(f"date-time {quote(text)} has no UTC offset; write e.g. +08:00")
    if offset.microseconds:
        raise InvalidInstantError(f"date-time {quote(text)} has an offset in fractions of a second")
    zone_text = _annotated_zone(bracket + annotations, text) if bracket else None
    if zone_text is not None:
        try:
            return _with_zone(parsed, _offset_suffix(base), zone_text)
        except OverflowError:  # its UTC time is before year 1 or after 9999
            raise InvalidInstantError(
                f"{quote(base)} cannot be shown in {quote(zone_text)}: its UTC time falls "
                f"outside 0001-01-01 to 9999-12-31"
            ) from None
    return wall_instant(parsed, _fixed_zone(offset))


def _offset_suffix(base: str) -> str:
    """The offset as written at the end of an RFC 3339 text (`Z`, `-00:00`, `+08:00` ...)."""
    if base.endswith(("Z", "z")):
        return base[-1]
    return base[-6:]


def format_instant(value: dt.datetime) -> str:
    """An aware instant as a file writes it: RFC 9557 with its zone name, or RFC 3339.

    Examples:
        >>> format_instant(pendulum.datetime(2024, 11, 3, 1, tz="America/New_York", fold=0))
        '2024-11-03T01:00:00-04:00[America/New_York]'
        >>> format_instant(pendulum.parse("2026-03-02T09:00:00+08:00"))
        '2026-03-02T09:00:00+08:00'

    A wall time in a named zone is written as the zone shows that instant, so a value
    built on a wall time the zone skips is written as the instant its offset names.

    Args:
        value: an aware datetime.

    Returns:
        The text; `parse_instant` gives back an equal value in the same zone.

    Raises:
        InvalidInstantError: `value` has no UTC offset.
    """
    offset = value.utcoffset()
    if offset is None:
        raise InvalidInstantError(f"cannot write {value!r}: it has no UTC offset")
    zone = value.tzinfo
    if isinstance(zone, zoneinfo.ZoneInfo) and zone.key:
        try:
            local = _in_zone(_naive(value) - offset, zone)
        except OverflowError:  # its UTC time is beyond 9999 or before year 1: as it is
            return f"{dt.datetime.isoformat(value)}[{zone.key}]"
        return f"{local.isoformat()}[{zone.key}]"
    return dt.datetime.isoformat(value)


def _structure_instant(value: object, _type: object) -> pendulum.DateTime:
    """cattrs hook: an instant from file text (see `parse_instant`) or a TOML date-time."""
    if isinstance(value, str):
        return parse_instant(value)
    if not isinstance(value, dt.datetime):
        raise InvalidDataError(
            f"expected an ISO 8601 date-time with a UTC offset, got {type(value).__name__}"
        )
    offset = value.utcoffset()
    if offset is None:
        raise InvalidInstantError(
            f"date-time {value.isoformat()} has no UTC offset; write e.g. +08:00"
        )
    if isinstance(value.tzinfo, dt.timezone):  # a TOML offset date-time: a fixed offset
        return wall_instant(value, _fixed_zone(offset))
    return pendulum.instance(value)
