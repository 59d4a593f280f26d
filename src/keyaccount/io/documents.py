"""JSON and TOML documents: reading and writing text and files, before any converter runs.

Every failure to read or parse is a `DataFileError` naming the file and where in it the
failure is; floats are kept as floats, so that the converter can refuse them where money
is meant. What a document may not do, whatever its records say:

- be anything but UTF-8 text: other bytes are refused with the offset of the first bad
  byte;
- nest deeper than `MAX_DEPTH` (32) lists and objects: no keyaccount file needs more
  than 8, and a deeper document is refused with the path (or line) where it goes too
  deep, never with Python's `RecursionError`;
- give one key twice in an object: JSON would silently keep the last value, so each
  repetition is a problem at its path (`$[0].status`); TOML refuses it by itself;
- be of another type than JSON or TOML: a `.yaml` file or `fmt="yaml"` is refused with
  `UnsupportedFormatError`, never read as JSON.
"""

from __future__ import annotations

import collections
import json
import re
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final, Literal

import attrs
import tomli_w

from keyaccount.errors import (
    DataFileError,
    DataProblem,
    InvalidArgumentTypeError,
    UnsupportedFormatError,
)
from keyaccount.io._quoting import key_path, quote

__all__ = ["FORMATS", "MAX_DEPTH", "Format", "dumps", "loads", "read_document"]

#: The two file formats: JSON and TOML (the same structure in either).
Format = Literal["json", "toml"]

#: The formats files are read and written in.
FORMATS: Final[tuple[Format, ...]] = ("json", "toml")

#: The deepest nesting of lists and objects (tables) a document may have; the root is
#: level 1. The deepest keyaccount file (an org chart's authority limits) needs 6.
MAX_DEPTH: Final = 32

_SUFFIXES: Final[dict[str, Format]] = {".json": "json", ".toml": "toml"}


def _checked_format(fmt: object) -> Format:
    """`fmt` if it is `"json"` or `"toml"`; `UnsupportedFormatError` otherwise."""
    if fmt == "json":
        return "json"
    if fmt == "toml":
        return "toml"
    raise UnsupportedFormatError(
        f"unknown file format {quote(fmt)}; keyaccount reads and writes 'json' and 'toml'"
    )


def _format_of(path: Path, fmt: object | None) -> Format:
    """`fmt` if given, else the format the file's suffix names.

    Raises:
        UnsupportedFormatError: `fmt` is not `"json"` or `"toml"`, or (without `fmt`) the
            suffix is not `.json` or `.toml`.
    """
    if fmt is not None:
        return _checked_format(fmt)
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise UnsupportedFormatError(
            f"{path}: unknown file type {quote(path.suffix or '(no suffix)')}; "
            "use a .json or .toml file, or name the format (fmt='json' or 'toml')"
        )
    return found


class _RepeatedKeys(dict[str, Any]):
    """A JSON object that gave one or more keys more than once (JSON keeps the last value).

    Attributes:
        repeated: each repeated key with how many times the object gave it.
    """

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]], repeated: tuple[tuple[str, int], ...]):
        super().__init__(pairs)
        self.repeated = repeated


def _json_decoder() -> tuple[json.JSONDecoder, list[bool]]:
    """A JSON decoder that marks each object giving a key twice, and a flag of whether any did.

    The flag is a one-item list, set by the decoder: the document is walked for the
    repeated keys' paths only when it holds one.
    """
    found: list[bool] = []

    def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        built = dict(pairs)
        if len(built) == len(pairs):
            return built
        found[:] = [True]
        counts = collections.Counter(key for key, _ in pairs)
        return _RepeatedKeys(pairs, tuple((key, n) for key, n in counts.items() if n > 1))

    return json.JSONDecoder(object_pairs_hook=json_object), found


@attrs.frozen
class _Parsed:
    """A parsed document: its plain data, its name, and the faults found in its shape.

    Attributes:
        data: the plain data (an object given a key twice holds the last value; a list or
            object nested too deep for the parser is read as an empty list).
        source: the document's name, for messages.
        faults: one problem per key given twice and per list or object nested deeper
            than `MAX_DEPTH`, at its path; a loader of records refuses the records
            holding one, any other loader the document.
        walked: whether `faults` is complete (see `_walked`).
    """

    data: Any
    source: str
    faults: tuple[DataProblem, ...] = ()
    walked: bool = True


# A link of the walk below: the parent's link and the key or index of this value.
_Where = tuple["_Where | None", "str | int"] | None


def _path(where: _Where) -> str:
    """The path (`$.customers[3].contacts`) of the value at the end of `where`."""
    steps: list[str | int] = []
    while where is not None:
        where, step = where
        steps.append(step)
    path = "$"
    for step in reversed(steps):
        path = f"{path}[{step}]" if isinstance(step, int) else key_path(path, step)
    return path


_TOO_DEEP: Final = f"nested deeper than {MAX_DEPTH} lists and objects; no file needs that"


_NOT_TEXT: Final = (
    "holds a lone surrogate (an escape such as \\ud800 without its pair), which is no "
    "character and cannot be written back as UTF-8"
)
#: A lone surrogate's escape, or the surrogate itself: `_faults` then looks at the text.
_SURROGATE_HINT: Final = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")


def _faults(data: object, *, texts: bool = False) -> tuple[DataProblem, ...]:
    """Every list or object nested deeper than `MAX_DEPTH`, every key given twice and,
    with `texts`, every text holding a lone surrogate.

    One walk over the lists and objects, without recursion, in document order, keeping
    the path of each; it goes no deeper than a list or object found too deep.
    """
    stack: list[tuple[object, int, _Where]] = [(data, 1, None)]
    found: list[DataProblem] = []
    while stack:
        value, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            found.append(DataProblem(_path(where), _TOO_DEEP))
            continue
        if texts:
            found.extend(_lone_surrogates(value, where))
        children: list[tuple[object, int, _Where]] = []
        if isinstance(value, dict):
            if type(value) is _RepeatedKeys:
                at = _path(where)
                found.extend(
                    DataProblem(
                        key_path(at, key),
                        f"key {quote(key)} is given {count} times in one object; "
                        "give each key once",
                    )
                    for key, count in value.repeated
                )
            children = [
                (item, depth + 1, (where, key))
                for key, item in value.items()
                if isinstance(item, (dict, list))
            ]
        elif isinstance(value, list):
            children = [
                (item, depth + 1, (where, index))
                for index, item in enumerate(value)
                if isinstance(item, (dict, list))
            ]
        stack.extend(reversed(children))
    return tuple(found)


def _lone_surrogates(value: object, where: _Where) -> list[DataProblem]:
    """A problem at each key or text item of `value` (a list or object) holding a surrogate."""
    items: Iterable[tuple[str | int, object]] = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    found = []
    for key, item in items:
        if isinstance(key, str) and _SURROGATE.search(key):
            found.append(DataProblem(_path(where), f"a key {_NOT_TEXT}"))
        if isinstance(item, str) and _SURROGATE.search(item):
            found.append(DataProblem(_path((where, key)), f"text {_NOT_TEXT}"))
    return found


# The brackets of a document, strings and comments skipped: to cut what nests too deep
# for the parser, and to say where.
_JSON_BRACKETS: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|([\[\]{}])', re.DOTALL)
_TOML_BRACKETS: Final = re.compile(
    r"'''.*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*"
    r"|([\[\]{}])",
    re.DOTALL,
)


def _cut_too_deep(text: str, fmt: Format) -> str | None:
    """`text` with each list or object nested deeper than `MAX_DEPTH` replaced by `[]`.

    What the parser could not nest into is then read as an empty list at the same place,
    which `_faults` reports at its path. None when the brackets do not balance (the
    document is not valid anyway).
    """
    pattern = _TOML_BRACKETS if fmt == "toml" else _JSON_BRACKETS
    pieces: list[str] = []
    depth, kept, start = 0, 0, -1
    for match in pattern.finditer(text):
        bracket = match.group(1)
        if bracket is None:
            continue
        depth += 1 if bracket in "[{" else -1
        if depth == MAX_DEPTH + 1 and bracket in "[{":
            start = match.start()
        elif depth == MAX_DEPTH and bracket in "]}" and start >= 0:
            pieces += [text[kept:start], "[]"]
            kept, start = match.end(), -1
        elif depth < 0:
            return None
    if depth != 0:
        return None
    return "".join([*pieces, text[kept:]])


def _where_too_deep(text: str, fmt: Format) -> str:
    """The message for a document the parser could not nest into: where it goes too deep."""
    pattern = _TOML_BRACKETS if fmt == "toml" else _JSON_BRACKETS
    depth = 0
    for match in pattern.finditer(text):
        bracket = match.group(1)
        if bracket is None:
            continue
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            return (
                f"nested deeper than {MAX_DEPTH} lists and objects "
                f"(at line {line}, column {column}); no file needs that"
            )
    return _TOO_DEEP


def _text_of(text: object, source: str) -> str:
    """The document as text: UTF-8 bytes are decoded, anything else but text is refused."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        try:
            return bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise DataFileError(source, [_not_utf8(error)]) from None
    raise InvalidArgumentTypeError(
        f"a document is text (or UTF-8 bytes), got {type(text).__name__}"
    )


def _not_utf8(error: UnicodeDecodeError) -> DataProblem:
    return DataProblem("$", f"not UTF-8 text: {error.reason} at byte {error.start}")


def _decode(document: str, fmt: Format) -> tuple[Any, bool]:
    """The plain data of a document, and whether it may hold a fault to walk for.

    Raises:
        RecursionError: the document nests too deep for the parser.
        ValueError, OverflowError: the document is not valid JSON/TOML.
    """
    if fmt == "toml":
        return tomllib.loads(document), True
    decoder, repeated = _json_decoder()
    return decoder.decode(document), bool(repeated)


def _parse(text: str | bytes, fmt: object, source: str = "document") -> _Parsed:
    """Parse a document, keeping the faults of its shape (see `_Parsed`) as problems.

    A list or object nested too deep for the parser is cut (`_cut_too_deep`) and read
    again, so that the records beside it are kept. The depth of a JSON document without
    a repeated key or a cut is not walked here: a file of records whose every record
    builds needs no walk (its record types bound its depth); `_walked` walks it when
    that is not known.

    Raises:
        DataFileError: the text is not UTF-8 or not valid JSON/TOML.
        UnsupportedFormatError: `fmt` is neither `"json"` nor `"toml"`.
    """
    chosen = _checked_format(fmt)
    document = _text_of(text, source)
    try:
        try:
            data, to_walk = _decode(document, chosen)
        except RecursionError:
            cut = _cut_too_deep(document, chosen)
            if cut is None:
                raise
            data, to_walk = _decode(cut, chosen)[0], True
    except RecursionError:
        problem = DataProblem("$", _where_too_deep(document, chosen))
        raise DataFileError(source, [problem]) from None
    except (ValueError, OverflowError) as error:  # the decoders' errors are ValueErrors
        problem = DataProblem("$", f"not valid {chosen.upper()}: {error}")
        raise DataFileError(source, [problem]) from None
    surrogates = _SURROGATE_HINT.search(document) is not None
    if to_walk or surrogates:
        return _Parsed(data, source, _faults(data, texts=surrogates))
    return _Parsed(data, source, walked=False)


def _walked(parsed: _Parsed) -> _Parsed:
    """`parsed` with its faults found: its depth checked and its repeated keys (one walk)."""
    if parsed.walked:
        return parsed
    return _Parsed(parsed.data, parsed.source, _faults(parsed.data))


def _whole(parsed: _Parsed) -> Any:
    """The data of a document that loads as one value: a key given twice refuses it."""
    parsed = _walked(parsed)
    if parsed.faults:
        raise DataFileError(parsed.source, parsed.faults)
    return parsed.data


def loads(text: str | bytes, fmt: Format, *, source: str = "document") -> Any:
    """Parse JSON or TOML text into plain data.

    Args:
        text: the document (`bytes` are read as UTF-8).
        fmt: `"json"` or `"toml"`.
        source: the document's name, for messages.

    Returns:
        Plain data (dicts, lists, strings, numbers); floats stay floats.

    Raises:
        DataFileError: the text is not UTF-8, not valid JSON/TOML, nests deeper than
            `MAX_DEPTH`, or gives a key twice in one object (each at its path).
        UnsupportedFormatError: `fmt` is neither `"json"` nor `"toml"`.
        InvalidArgumentTypeError: `text` is neither text nor bytes.
    """
    return _whole(_parse(text, fmt, source))


def dumps(data: Any, fmt: Format) -> str:
    """Write plain data as JSON (indented, UTF-8 text kept readable) or TOML.

    Raises:
        UnsupportedFormatError: `fmt` is neither `"json"` nor `"toml"`.
    """
    if _checked_format(fmt) == "toml":
        return tomli_w.dumps(data)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _read(path: str | Path, fmt: object | None = None) -> _Parsed:
    """Read and parse a file, keeping the keys it gives twice as problems.

    Raises:
        DataFileError: the file cannot be read, is not UTF-8, or cannot be parsed.
        UnsupportedFormatError: the format is neither JSON nor TOML.
    """
    file = Path(path)
    chosen = _format_of(file, fmt)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(
            str(file), [DataProblem("$", f"cannot read: {error.strerror}")]
        ) from None
    except UnicodeDecodeError as error:
        raise DataFileError(str(file), [_not_utf8(error)]) from None
    return _parse(text, chosen, str(file))


def read_document(path: str | Path, fmt: Format | None = None) -> tuple[Any, str]:
    """Read and parse a file.

    Args:
        path: the file; its suffix gives the format unless `fmt` does.
        fmt: `"json"` or `"toml"`.

    Returns:
        The plain data and the source name for messages (the path).

    Raises:
        DataFileError: the file cannot be read, is not UTF-8 text (the message gives the
            offset of the first bad byte), cannot be parsed, nests deeper than
            `MAX_DEPTH` or gives a key twice in one object.
        UnsupportedFormatError: `fmt` or the file's suffix names neither JSON nor TOML.
    """
    parsed = _read(path, fmt)
    return _whole(parsed), parsed.source


def _write(path: str | Path, fmt: Format | None, render: Callable[[Format], str]) -> None:
    """Write `render(format)` to `path`, the format from the suffix unless given.

    Nothing is written when `render` raises.

    Raises:
        UnsupportedFormatError: the format is neither JSON nor TOML.
    """
    file = Path(path)
    text = render(_format_of(file, fmt))
    file.write_text(text, encoding="utf-8")
