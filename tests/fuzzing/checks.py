"""The invariants every fuzzed file is checked against (see the package docstring)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Final

import attrs
import pendulum

from fuzzing.documents import difference
from fuzzing.loaders import Loader
from fuzzing.mutations import Case
from keyaccount.calendar import Days, Hours, WorkCalendar, Workdays, WorkingHours, deadline
from keyaccount.errors import DataFileError, DataProblem, KeyAccountError
from keyaccount.io import Format

__all__ = [
    "QUOTE_LIMIT",
    "TIME_LIMIT",
    "Finding",
    "Hang",
    "check",
    "problem_findings",
    "round_trip",
    "time_limit",
    "use",
]

#: A problem may quote at most this much of its input (checked in steps of this size).
QUOTE_LIMIT: Final = 300
#: Seconds one file may take to load or be used before it counts as a hang.
TIME_LIMIT: Final = 20.0


class Hang(BaseException):
    """A load that did not finish within `TIME_LIMIT` seconds (no `except Exception` hides it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the block after `seconds` (SIGALRM: Unix, main thread only)."""

    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@attrs.frozen
class Finding:
    """One failure of one file: its class, and what it was."""

    category: str
    detail: str


def _kind(error: BaseException) -> str:
    return type(error).__name__


def _quotes_too_much(text: str, source: str) -> bool:
    """Whether `text` quotes a run of `2 * QUOTE_LIMIT` characters of `source` (or more)."""
    return any(
        text[start : start + QUOTE_LIMIT] in source
        for start in range(0, len(text) - QUOTE_LIMIT + 1, QUOTE_LIMIT)
    )


def problem_findings(
    problems: Sequence[DataProblem], source: str, secrets: frozenset[str]
) -> list[Finding]:
    """Unlocated, too long or leaking problems."""
    findings: list[Finding] = []
    for problem in problems:
        if not isinstance(problem.path, str) or not problem.path.startswith("$"):
            findings.append(Finding("unlocated", f"no path: {str(problem)[:200]!r}"))
        text = str(problem)
        if len(text) > 4 * QUOTE_LIMIT or _quotes_too_much(text, source):
            findings.append(Finding("long", f"a {len(text)}-character problem: {text[:60]}"))
        for secret in secrets:
            if secret in text or (len(secret) > 40 and secret[:40] in text):
                findings.append(Finding("leak", f"quotes {secret[:40]!r} @ {problem.path[:100]}"))
                break
    return findings


_USE_AT: Final = pendulum.datetime(2026, 6, 1, 10, tz="Asia/Shanghai")
_PERIOD_TYPES: Final = (Days, Workdays, Hours, WorkingHours)


def _periods_in(value: Any) -> Iterator[Any]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _PERIOD_TYPES):
            yield item
        elif attrs.has(type(item)):
            stack.extend(getattr(item, f.name) for f in attrs.fields(type(item)))
        elif isinstance(item, (tuple, list, frozenset)):
            stack.extend(item)


def use(loader: Loader, value: Any) -> None:
    """Use a loaded policy: every period it holds gives a deadline (or a KeyAccountError)."""
    if loader.name not in ("visit-policy", "complaint-policy"):
        return
    calendar = WorkCalendar.china()
    for period in _periods_in(value):
        with contextlib.suppress(KeyAccountError):
            deadline(_USE_AT, period, calendar)


def check(loader: Loader, fmt: Format, case: Case, folder: Path) -> list[Finding]:
    """Every finding of one fuzzed file (see the module docstring for the classes)."""
    path = folder / f"{loader.name}.{fmt}"
    path.write_bytes(case.data)
    source = case.data.decode("utf-8", errors="replace")
    try:
        with time_limit(TIME_LIMIT):
            loaded = loader.load(path)
    except DataFileError as error:
        if not error.problems:
            return [Finding("unlocated", "a DataFileError without problems")]
        found = problem_findings(error.problems, source, case.secrets)
        if case.untouched is not None:
            expected = _load_bytes(loader, fmt, case.untouched, folder)
            if expected:
                first = error.problems[0].message[:120]
                found.append(
                    Finding("lost", f"all {len(expected)} untouched records: file refused: {first}")
                )
        return found
    except KeyAccountError as error:
        return [Finding("unlocated", f"{_kind(error)} is not a DataFileError: {str(error)[:200]}")]
    except (Exception, Hang, RecursionError, MemoryError) as error:
        return [Finding("crash", f"{_kind(error)}: {str(error)[:200]}")]
    findings = problem_findings(loaded.problems, source, case.secrets)
    if case.refused and not loaded.problems:
        findings.append(Finding("silent", f"loaded without a problem: {case.mutations}"))
    if case.untouched is not None:
        kept = loaded.value
        ids = {getattr(item, "id", None) for item in kept}
        lost = [
            item
            for item in _load_bytes(loader, fmt, case.untouched, folder)
            if item not in kept and getattr(item, "id", None) not in ids
        ]
        if lost:
            findings.append(Finding("lost", f"{len(lost)} untouched records, first {lost[0].id!r}"))
    try:
        with time_limit(TIME_LIMIT):
            use(loader, loaded.value)
    except (Exception, Hang) as error:
        findings.append(Finding("crash", f"in use: {_kind(error)}: {str(error)[:200]}"))
    inexact = round_trip(loader, fmt, loaded.value, folder)
    if inexact:
        findings.append(Finding("inexact", inexact))
    return findings


def _load_bytes(loader: Loader, fmt: Format, data: bytes, folder: Path) -> tuple[Any, ...]:
    path = folder / f"{loader.name}-untouched.{fmt}"
    path.write_bytes(data)
    value: tuple[Any, ...] = loader.load(path).value
    return value


def round_trip(loader: Loader, fmt: Format, value: Any, folder: Path) -> str | None:
    """How dump-then-load changed `value` (None when exact)."""
    path = folder / f"{loader.name}-round-trip.{fmt}"
    try:
        path.write_text(loader.write(value, fmt), encoding="utf-8")
        again = loader.load(path)
    except Exception as error:
        return f"dump then load raised {_kind(error)}: {str(error)[:300]}"
    if again.problems:
        return f"dump then load reported {again.problems[0]}"[:400]
    if loader.records:
        value = tuple(value)
    found = difference(value, again.value)
    return None if found is None else found[:400]
