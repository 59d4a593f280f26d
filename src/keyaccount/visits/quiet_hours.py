"""Which minutes of a day are quiet: quiet-hour windows as minute spans of a local day.

The seed asks to avoid disturbing customers while they rest (避免在客户休息时打扰客户).
A policy writes its quiet hours as ``"HH:MM-HH:MM"`` windows; a window may cross
midnight. Here they become `MinuteSpan` values inside one day (a window over midnight
is split in two), and `without` takes them out of the day's other spans.

Examples:
    >>> quiet_spans(("12:00-14:00", "21:00-09:00"))
    (MinuteSpan(start=0, end=540), MinuteSpan(start=720, end=840), MinuteSpan(start=1260, end=1440))
    >>> without(WHOLE_DAY, quiet_spans(("12:00-14:00",)))
    (MinuteSpan(start=0, end=720), MinuteSpan(start=840, end=1440))
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, NamedTuple

from keyaccount.errors import InvalidTimeWindowError

__all__ = ["WHOLE_DAY", "MinuteSpan", "quiet_spans", "without"]

_MINUTES_PER_DAY: Final = 24 * 60
_WINDOW = re.compile(r"\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)\s*")


class MinuteSpan(NamedTuple):
    """Minutes of a local day from ``start`` included to ``end`` excluded (0-1440)."""

    start: int
    end: int


#: The whole local day, midnight to midnight.
WHOLE_DAY: Final = (MinuteSpan(0, _MINUTES_PER_DAY),)


def _parse_window(text: str) -> MinuteSpan:
    """One ``"HH:MM-HH:MM"`` window; ``end`` is below ``start`` when it crosses midnight."""
    match = _WINDOW.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidTimeWindowError(f"quiet hours are written 'HH:MM-HH:MM', got {text!r}")
    start = int(match[1]) * 60 + int(match[2])
    end = int(match[3]) * 60 + int(match[4])
    if end > _MINUTES_PER_DAY or start == end % _MINUTES_PER_DAY:
        raise InvalidTimeWindowError(
            f"quiet hours {text!r} must have a start different from the end"
        )
    return MinuteSpan(start, end)


def quiet_spans(texts: Iterable[str]) -> tuple[MinuteSpan, ...]:
    """The quiet windows ``texts`` as sorted spans of one day, midnight-crossing ones split.

    Raises:
        InvalidTimeWindowError: a window is not ``"HH:MM-HH:MM"`` or starts where it ends.
    """
    spans: list[MinuteSpan] = []
    for text in texts:
        window = _parse_window(text)
        if window.start < window.end:
            spans.append(window)
        else:
            spans.extend([MinuteSpan(window.start, _MINUTES_PER_DAY), MinuteSpan(0, window.end)])
    return tuple(sorted(spans))


def without(spans: Iterable[MinuteSpan], taken: Iterable[MinuteSpan]) -> tuple[MinuteSpan, ...]:
    """The parts of ``spans`` outside every span of ``taken``, in order."""
    remaining = tuple(spans)
    for cut in taken:
        kept: list[MinuteSpan] = []
        for span in remaining:
            if cut.end <= span.start or cut.start >= span.end:
                kept.append(span)
                continue
            if span.start < cut.start:
                kept.append(MinuteSpan(span.start, cut.start))
            if cut.end < span.end:
                kept.append(MinuteSpan(cut.end, span.end))
        remaining = tuple(kept)
    return remaining
