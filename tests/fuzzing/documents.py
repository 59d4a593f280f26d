"""The document tree a fuzzed file is written from, and exact comparison of loaded values.

The tree is plain data (what `json.loads` gives) plus two markers a parser never
returns: `Pairs`, an object whose keys may repeat, and `Raw`, text written verbatim
where a value goes (nesting too deep to build, a lone surrogate escape ...).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from typing import Any

import attrs
import tomli_w

from keyaccount.io import Format

__all__ = ["Pairs", "Raw", "difference", "parse", "render", "to_json", "to_toml"]


@attrs.define
class Pairs:
    """A JSON object written with its keys in order, repeats allowed."""

    items: list[tuple[str, Any]]


@attrs.frozen
class Raw:
    """Text written verbatim where a value goes (deep nesting, lone surrogates ...)."""

    text: str


def to_json(node: Any) -> str:
    """The tree as JSON text (compact; `Pairs` keep repeated keys, `Raw` goes verbatim)."""
    if isinstance(node, Raw):
        return node.text
    if isinstance(node, Pairs):
        inner = ",".join(f"{json.dumps(k, ensure_ascii=False)}:{to_json(v)}" for k, v in node.items)
        return "{" + inner + "}"
    if isinstance(node, dict):
        return to_json(Pairs(list(node.items())))
    if isinstance(node, list):
        return "[" + ",".join(to_json(item) for item in node) + "]"
    return json.dumps(node, ensure_ascii=False)


def to_toml(node: Any) -> str:
    """The tree as TOML text: a `null` is left out, repeated keys and `Raw` are spliced in."""
    marks: dict[str, str] = {}

    def mark(text: str) -> str:
        token = f"zzmark{len(marks)}zz"
        marks[token] = text
        return token

    def plain(value: Any) -> Any:
        if isinstance(value, Raw):
            return mark(value.text)
        if isinstance(value, Pairs):
            table: dict[str, Any] = {}
            for key, item in value.items:
                if item is None:
                    continue
                table[mark(key) if key in table else key] = plain(item)
            return table
        if isinstance(value, dict):
            return plain(Pairs(list(value.items())))
        if isinstance(value, list):
            return [{} if item is None else plain(item) for item in value]
        return value

    root = plain(node)
    text = tomli_w.dumps(root if isinstance(root, dict) else {"value": root})
    for token, raw in marks.items():
        text = text.replace(f'"{token}"', raw).replace(token, raw)
    return text


def render(node: Any, fmt: Format) -> bytes:
    """The tree as the bytes of a file (a lone surrogate stays a lone surrogate)."""
    text = to_json(node) if fmt == "json" else to_toml(node)
    return text.encode("utf-8", errors="surrogatepass")


def parse(text: str, fmt: Format) -> Any:
    """A valid document's tree (the library's own dumpers wrote it)."""
    return json.loads(text) if fmt == "json" else tomllib.loads(text)


def _zone_name(value: dt.datetime) -> str:
    zone = value.tzinfo
    return str(getattr(zone, "name", None) or getattr(zone, "key", None) or zone)


def _scalar_difference(a: Any, b: Any, path: str) -> str | None:
    if isinstance(a, dt.datetime):
        if a != b or _zone_name(a) != _zone_name(b) or a.isoformat() != b.isoformat():
            return (
                f"{path}: {a.isoformat()} [{_zone_name(a)}] "
                f"became {b.isoformat()} [{_zone_name(b)}]"
            )
        return None
    if isinstance(a, Decimal):
        return None if str(a) == str(b) else f"{path}: {a} became {b}"
    return None if a == b else f"{path}: {a!r} became {b!r}"


def _first(found: Any) -> str | None:
    return next((item for item in found if item is not None), None)


def difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where `a` and `b` differ, zone and decimal exponent included; None when exact."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} became {type(b).__name__}"
    if attrs.has(type(a)):
        return _first(
            difference(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
            for f in attrs.fields(type(a))
            if f.eq
        )
    if isinstance(a, (tuple, list)):
        if len(a) != len(b):
            return f"{path}: {len(a)} items became {len(b)}"
        return _first(
            difference(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True))
        )
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return f"{path}: keys {sorted(map(str, a))} became {sorted(map(str, b))}"
        return _first(difference(a[k], b[k], f"{path}.{k}") for k in a)
    return _scalar_difference(a, b, path)
