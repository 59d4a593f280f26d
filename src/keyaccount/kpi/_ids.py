"""The ids behind an indicator, in one order: sorted, as a tuple."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["sorted_ids"]


def sorted_ids(values: Iterable[str]) -> tuple[str, ...]:
    """The ids in sorted order, so a figure's ids compare equal however they were gathered."""
    return tuple(sorted(values))
