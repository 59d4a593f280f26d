"""Many fuzzed files of one loader and format: the figures, and the first file of each class."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

import attrs

from fuzzing.checks import Finding, check, round_trip
from fuzzing.loaders import LOADERS, donors
from fuzzing.mutations import Case, document_of, make_case
from keyaccount.io import Format

__all__ = ["CATEGORIES", "Example", "Tally", "failure_class", "run", "shrink"]

#: Every failure class, in the order the table shows them.
CATEGORIES: Final = ("crash", "unlocated", "lost", "inexact", "long", "leak", "silent")
_GENERATED: Final = "generated value: "


@attrs.frozen
class Example:
    """The first file of a failure class: how it was made, what went wrong, its bytes."""

    mutations: str
    detail: str
    data: bytes
    untouched: bytes | None = None
    secrets: frozenset[str] = frozenset()
    refused: bool = False


@attrs.define
class Tally:
    """The figures of one loader and format, and the first file of each failure class."""

    loader: str
    fmt: Format
    files: int = 0
    counts: dict[str, int] = attrs.Factory(lambda: dict.fromkeys(CATEGORIES, 0))
    #: (category, class) -> the first file that showed it, and how many files did
    first: dict[tuple[str, str], Example] = attrs.Factory(dict)
    seen: dict[tuple[str, str], int] = attrs.Factory(dict)

    def add(self, findings: Sequence[Finding], case: Case) -> None:
        """Count a file's findings (each category once per file); keep first examples."""
        for category in {f.category for f in findings}:
            self.counts[category] += 1
        for finding in findings:
            group = (finding.category, failure_class(finding))
            self.seen[group] = self.seen.get(group, 0) + 1
            if group not in self.first:
                example = Example(
                    case.mutations,
                    finding.detail,
                    case.data,
                    case.untouched,
                    case.secrets,
                    case.refused,
                )
                self.first[group] = example


def failure_class(finding: Finding) -> str:
    """A finding's class: its detail without quoted values, numbers and record indexes."""
    detail = finding.detail
    generated = detail.startswith(_GENERATED)
    detail = detail.removeprefix(_GENERATED)
    if finding.category == "inexact" and detail.startswith("$"):
        detail = detail.split(": ")[0] + ": " + ("generated value" if generated else "loaded")
    if finding.category == "long":  # one class per kind of message: up to "got <type>"
        detail = detail.partition(": ")[2]
        cut = re.match(r".*?\bgot \w+", detail)
        detail = "quotes too much: " + (cut.group(0) if cut else detail[:30])
    detail = re.sub(r"'[^']*'|\"[^\"]*\"", "…", detail)
    detail = re.sub(r"\d+", "N", detail)
    return detail[:70]


def run(loader_name: str, fmt: Format, files: int, seed: int, folder: Path) -> Tally:
    """Fuzz `files` files of one loader and format; also round-trip the base values."""
    loader = LOADERS[loader_name]
    rng = random.Random(f"{seed}-{loader_name}-{fmt}")
    bases = loader.bases(fmt, max(4, min(60, files // 50)), seed)
    tally = Tally(loader_name, fmt)
    for base in bases:
        inexact = round_trip(loader, fmt, base, folder)
        if inexact:
            written = loader.write(base, fmt).encode("utf-8")
            tally.add([Finding("inexact", _GENERATED + inexact)], Case(written, "generated"))
    others = donors(loader_name)
    documents = [document_of(loader, fmt, base) for base in bases]
    for _ in range(files):
        case = make_case(loader, fmt, rng.choice(documents), rng, others)
        tally.files += 1
        tally.add(check(loader, fmt, case, folder), case)
    return tally


def shrink(data: bytes, still_fails: Callable[[bytes], bool], budget: int = 300) -> bytes:
    """A smaller file that still fails (deleting chunks, `budget` tries at most: ddmin)."""
    parts = 2
    while len(data) > 1 and budget > 0:
        size = max(1, len(data) // parts)
        for start in range(0, len(data), size):
            candidate = data[:start] + data[start + size :]
            budget -= 1
            if still_fails(candidate):
                data = candidate
                parts = max(parts - 1, 2)
                break
            if budget <= 0:
                break
        else:
            if size == 1:
                break
            parts = min(len(data), parts * 2)
    return data
