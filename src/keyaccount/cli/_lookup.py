"""Names and files a person got wrong: suggest the nearest known name, say what a file is.

* An unknown name (a reference chart, a position's title or id, an authority's subject, a
  customer id, a staff id) is answered with the nearest known ones
  (`difflib.get_close_matches`): ``did you mean '区域经理'?``.
* A file of the wrong kind (a customers file given as complaints) is answered with one
  sentence, ``this looks like a customers file, not a complaints file``, instead of one
  "unknown field" problem per field (`keyaccount.io.kinds`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from keyaccount import reference
from keyaccount.cli._progress import Progress
from keyaccount.errors import DataFileError, DataProblem, UnknownReferenceError
from keyaccount.io import LoadResult, load_org
from keyaccount.io.kinds import file_kind
from keyaccount.org import OrgChart

__all__ = [
    "check_kind",
    "did_you_mean",
    "load_chart",
    "load_records",
    "load_value",
    "nearest",
    "readable",
]

T = TypeVar("T")

#: How many suggestions at most, and how alike a name must be to be suggested.
_HOW_MANY = 3
_CUTOFF = 0.5


def nearest(name: str, known: Iterable[str]) -> tuple[str, ...]:
    """The known names closest to `name`, best first (none when nothing is alike).

    Examples:
        >>> nearest("sales-managemnt", ["key-account", "sales-management"])
        ('sales-management',)
    """
    return tuple(difflib.get_close_matches(name, sorted(set(known)), n=_HOW_MANY, cutoff=_CUTOFF))


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``" (did you mean 'x' or 'y'?)"`` for the nearest known names, or ``""``.

    Examples:
        >>> did_you_mean("区域经里", ["区域经理", "营销总监"])
        " (did you mean '区域经理'?)"
        >>> did_you_mean("zzz", ["区域经理"])
        ''
    """
    close = nearest(name, known)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def check_kind(path: str | Path, expected: str, source: str) -> None:
    """Refuse a file that looks like another kind of keyaccount file than `expected`.

    Called once a file has failed to load: a file that fits no kind, or fits `expected`,
    passes, and its own problems are reported as usual.

    Raises:
        DataFileError: with one problem at ``$``: ``this looks like a customers file,
            not a complaints file``.
    """
    found = file_kind(path)
    if found is not None and found != expected:
        problem = DataProblem("$", f"this looks like {_a(found)} file, not {_a(expected)} file")
        raise DataFileError(source, (problem,))


def readable(path: str | Path) -> Path:
    """``path``, once it names a file that exists (a missing file is not a format question).

    A loader judges a file by its suffix before it reads it, so ``--policy nosuch`` or
    a folder would be answered "unknown file type"; a person who mistyped a path is told
    that nothing is there.

    Raises:
        DataFileError: nothing at ``path``, or a folder, with one problem at ``$``.
    """
    path = Path(path)
    if path.is_dir():
        raise DataFileError(str(path), (DataProblem("$", "cannot read: it is a folder"),))
    if not path.exists():
        problem = DataProblem("$", "cannot read: No such file or directory")
        raise DataFileError(str(path), (problem,))
    return path


def load_value(loader: Callable[[Path], T], path: str | Path, kind: str) -> T:
    """Load a one-value file (a policy, year tables) with `loader`, naming a wrong kind.

    Raises:
        DataFileError: the file is missing or invalid; when it looks like another kind
            of file, its one problem says so (`check_kind`).
    """
    readable(path)
    try:
        return loader(Path(path))
    except DataFileError as error:
        check_kind(path, kind, error.source)
        raise


def _a(kind: str) -> str:
    """`kind` with its indefinite article: ``a customers``, ``an org chart``."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def load_records(
    loader: Callable[[Path], LoadResult[T]],
    path: Path,
    kind: str,
    progress: Progress | None = None,
) -> LoadResult[T]:
    """Load a record file with `loader`, refusing one of the wrong kind (`check_kind`).

    Args:
        loader: the library's loader (`load_customers`, `load_visits`...).
        path: the file.
        kind: the kind of file expected, as `keyaccount.io.kinds` names it.
        progress: the bar to tick once the file is loaded.

    Returns:
        The loader's result (valid records and problems).

    Raises:
        DataFileError: the file looks like another kind of file, is missing or cannot
            be read.
    """
    if progress is not None:
        progress.advance(0, label=f"loading {path.name}")
    result = loader(readable(path))
    if result.problems:
        check_kind(path, kind, result.source)
    if progress is not None:
        progress.advance()
    return result


def load_chart(name_or_file: str) -> OrgChart:
    """A reference chart by name, else a chart file by path.

    Raises:
        UnknownReferenceError: neither a reference chart nor an existing file; the
            message lists the reference charts and the nearest names.
        DataFileError: the file is not a valid chart (or looks like another kind of
            file: ``this looks like a customers file, not a org chart file``).
    """
    names = reference.names()
    if name_or_file in names:
        return reference.load(name_or_file)
    path = Path(name_or_file)
    if not path.is_file():
        raise UnknownReferenceError(
            f"no reference chart or file named {name_or_file!r}"
            f"{did_you_mean(name_or_file, names)}; reference charts: {', '.join(names)}"
        )
    try:
        return load_org(path)
    except DataFileError as error:
        check_kind(path, "org chart", error.source)
        raise
