"""JSON and TOML documents: reading and writing text and files, before any converter runs.

Every failure to read or parse is a `DataFileError` naming the file; floats are kept as
floats, so that the converter can refuse them where money is meant.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import tomli_w

from keyaccount.errors import DataFileError, DataProblem

__all__ = ["Format", "dumps", "loads", "read_document"]

#: The two file formats: JSON and TOML (the same structure in either).
Format = Literal["json", "toml"]


def _format_of(path: Path, fmt: Format | None) -> Format:
    """`fmt` if given, else the format the file's suffix names."""
    if fmt is not None:
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    raise DataFileError(str(path), [DataProblem("$", "unknown file type; use .toml or .json")])


def loads(text: str, fmt: Format, *, source: str = "document") -> Any:
    """Parse JSON or TOML text into plain data.

    Args:
        text: the document.
        fmt: `"json"` or `"toml"`.
        source: the document's name, for messages.

    Returns:
        Plain data (dicts, lists, strings, numbers); floats stay floats.

    Raises:
        DataFileError: the text is not valid JSON/TOML.
    """
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        return json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(
            source, [DataProblem("$", f"not valid {fmt.upper()}: {error}")]
        ) from None


def dumps(data: Any, fmt: Format) -> str:
    """Write plain data as JSON (indented, UTF-8 text kept readable) or TOML."""
    if fmt == "toml":
        return tomli_w.dumps(data)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read_document(path: str | Path, fmt: Format | None = None) -> tuple[Any, str]:
    """Read and parse a file.

    Args:
        path: the file; its suffix gives the format unless `fmt` does.
        fmt: `"json"` or `"toml"`.

    Returns:
        The plain data and the source name for messages (the path).

    Raises:
        DataFileError: the file cannot be read, is not UTF-8 text, or cannot be parsed.
    """
    file = Path(path)
    fmt = _format_of(file, fmt)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(
            str(file), [DataProblem("$", f"cannot read: {error.strerror}")]
        ) from None
    except UnicodeDecodeError as error:
        raise DataFileError(
            str(file), [DataProblem("$", f"not UTF-8 text: {error.reason} at byte {error.start}")]
        ) from None
    return loads(text, fmt, source=str(file)), str(file)


def _write(path: str | Path, fmt: Format | None, render: Callable[[Format], str]) -> None:
    """Write `render(format)` to `path`, the format from the suffix unless given.

    Nothing is written when `render` raises.
    """
    file = Path(path)
    text = render(_format_of(file, fmt))
    file.write_text(text, encoding="utf-8")
