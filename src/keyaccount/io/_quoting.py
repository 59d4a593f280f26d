"""How a file's problems quote what they found: briefly, and never a confidential value.

One helper, `quote`, is how every message of `keyaccount.io` shows a value it refused:
text is cut after `QUOTE_LIMIT` characters and its full length given, a container is
shown only to a shallow depth, so that no message echoes a whole long field (a file once
held a 410,318-character name). `key_path` is how a path names a key of an object.

Which values a message may not show at all is decided by `keyaccount.io.converter`
(the fields a redacted customer withholds, a visit's notes, a complaint's summary).
"""

from __future__ import annotations

import json
import re
import reprlib
from typing import Final

__all__ = ["QUOTE_LIMIT", "key_path", "quote"]

#: The most characters of a value a message quotes.
QUOTE_LIMIT: Final = 60

#: A key a path can name after a dot (`$.customers`); any other is written `$["a b"]`.
_PLAIN_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")

_SHALLOW: Final = reprlib.Repr()
_SHALLOW.maxlevel = 2
_SHALLOW.maxlist = _SHALLOW.maxtuple = _SHALLOW.maxset = _SHALLOW.maxfrozenset = 4
_SHALLOW.maxdict = 4
_SHALLOW.maxstring = QUOTE_LIMIT
_SHALLOW.maxother = QUOTE_LIMIT
_SHALLOW.maxlong = QUOTE_LIMIT


def _cut(shown: str, length: int) -> str:
    """`shown` cut to `QUOTE_LIMIT` characters, saying how long the whole value is."""
    return f"{shown[:QUOTE_LIMIT]}... ({length:,} characters)"


def quote(value: object) -> str:
    """`value` as an error message shows it: quoted, and never more than a short excerpt.

    Text of up to `QUOTE_LIMIT` characters is shown whole (`'abc'`); longer text is cut
    and its length given (`'abcd...'... (410,318 characters)`). A list or an object is
    shown to a depth of two and four items; a number of more digits than Python will
    print is described, not shown.

    Examples:
        >>> quote("prospect")
        "'prospect'"
        >>> quote("x" * 100)
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 characters)"

    Args:
        value: what a message refers to.

    Returns:
        At most about 90 characters.
    """
    if isinstance(value, str):
        if len(value) <= QUOTE_LIMIT:
            return repr(value)
        return f"{value[:QUOTE_LIMIT]!r}... ({len(value):,} characters)"
    try:
        shown = _SHALLOW.repr(value)
    except (ValueError, RecursionError):  # an int of more digits than str() allows
        return f"a {type(value).__name__} too large to show"
    return shown if len(shown) <= QUOTE_LIMIT + 20 else _cut(shown, len(shown))


def key_path(root: str, key: object) -> str:
    """The path of `key` in the object at `root`: `$.name`, or `$["a b"]` for other keys.

    A long key is cut as `quote` cuts it, so that a path stays short.

    Examples:
        >>> key_path("$[0]", "status"), key_path("$", "a b")
        ('$[0].status', '$["a b"]')
    """
    if isinstance(key, str) and len(key) <= QUOTE_LIMIT and _PLAIN_KEY.fullmatch(key):
        return f"{root}.{key}"
    if isinstance(key, str) and len(key) <= QUOTE_LIMIT:
        return f"{root}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{root}[{quote(key)}]"
