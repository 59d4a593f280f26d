"""How a valid document is broken: mutations of its tree (one record, or anywhere) and bytes.

A record-level case mutates exactly one record of a record file and keeps the file's
other records untouched, so that the checks can compare with loading those alone.
"""

from __future__ import annotations

import copy
import pickle
import random
from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

from fuzzing.documents import Pairs, Raw, parse, render
from fuzzing.loaders import Loader
from keyaccount.io import Format

__all__ = [
    "CONFIDENTIAL_FIELDS",
    "REFUSED",
    "Case",
    "document_of",
    "make_case",
    "mutate_bytes",
    "mutate_value",
    "record_list",
    "secrets_of",
]

#: Fields of a confidential prospect that only its registrant's chain may see.
CONFIDENTIAL_FIELDS: Final = frozenset(
    {
        "name",
        "owner",
        "contacts",
        "birthday",
        "card",
        "spend",
        "opinions",
        "credit_rating",
        "credit_limit",
        "registered_by",
        "registered_position",
    }
)

HUGE: Final = 100_000
_INSTANTS: Final = (
    "2024-11-03T01:30:00[America/New_York]",
    "2024-11-03T01:30:00-04:00[America/New_York]",
    "2024-11-03T01:30:00-05:00[America/New_York]",
    "2024-03-10T02:30:00-05:00[America/New_York]",
    "2024-07-01T12:00:00+08:00[America/New_York]",
    "2026-01-01T00:00:00+08:00[Not/AZone]",
    "2026-01-01T00:00:00+08:00[Asia/Shanghai][!u-ca=chinese]",
    "2026-01-01T00:00:00+08:00[Asia/Shanghai][u-ca=gregory]",
    "2026-01-01T00:00:00Z[Asia/Shanghai]",
    "2026-01-01T00:00:00+08:00[" + "A" * 5000 + "]",
    "2026-01-01T00:00:00+08:00[../../etc/passwd]",
    "2026-01-01T00:00:00",
    "2026-13-01T00:00:00+08:00",
    "２０２６-01-01T00:00:00+08:00",
    "2026-01-01T00:00:00+24:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "2026-01-01",
    "2026-01-01T00:00:00.123456789+08:00",
    "2026-01-01 00:00:00+08:00",
    "2026-01-01T00:00:00+08:00[]",
)
_PERIODS: Final = (
    "٣ days",
    "３ workdays",
    "3\u00a0days",
    "3\u2003hours",
    "99999999 days",
    "99999999 workdays",
    "99999999999 hours",
    "99999999999 working hours",
    "1" + "0" * 50 + " days",
    "-3 days",
    "3.5 days",
    "0 days",
    "3 days 3 days",
    "3 Days",
    "3 working hours 99999999 minutes",
    "",
    " ",
)
_AMOUNTS: Final = (
    "1e999999999",
    "-1e999999999",
    "1E+999999",
    "1" + "0" * 40,
    "0." + "0" * 40 + "1",
    "-1",
    "-0",
    "NaN",
    "sNaN",
    "Infinity",
    "１２",
    "٣",
    "1_000",
    " 1 ",
    "0x10",
)
_STRINGS: Final = (
    "",
    " ",
    "\u0000",
    "\u202e\u200b",
    "prospect",
    "ＰＲＯＳＰＥＣＴ",
    "call 王经理 at 13800138000 after 6pm",
    "2026-02-30",
    "25:00-26:00",
    "12:00-12:00",
    "00:00-23:59",
    "complaint",
    "1",
)


def _huge_string(rng: random.Random) -> str:
    return rng.choice("x机0 ") * HUGE


def _swap(value: Any, rng: random.Random, fmt: Format) -> Any:
    """A value of another type (or a pathological one of the same type)."""
    choices: list[Any] = [
        rng.choice(_STRINGS),
        rng.choice((0, -1, 1, 2**63, -(2**64), 10**400)),
        rng.choice((0.5, -0.0, 1e308, float("inf"), float("nan"), 20000.0)),
        [],
        [value],
        {},
        {"value": value},
        True,
        False,
        _huge_string(rng),
        [value] * (1000 if isinstance(value, (int, float, bool)) or value is None else 3),
    ]
    if fmt == "json":
        choices.append(None)
    return rng.choice(choices)


def _nested(depth: int, fmt: Format, as_table: bool) -> Raw:
    if fmt == "json" or not as_table:
        return Raw("[" * depth + "]" * depth)
    return Raw("{ a = " * depth + "1" + " }" * depth)


Slot = tuple[Any, Any]  # (container, key): a place that holds a value


def slots(node: Any) -> list[Slot]:
    """Every place in the tree below `node` that holds a value."""
    found: list[Slot] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            keys: Sequence[Any] = list(current)
            children = [current[k] for k in keys]
        elif isinstance(current, list):
            keys = range(len(current))
            children = list(current)
        else:
            continue
        for key, child in zip(keys, children, strict=True):
            found.append((current, key))
            stack.append(child)
    return found


def _looks_like_instant(_key: Any, value: str) -> bool:
    return len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T"


def _is_period(_key: Any, value: str) -> bool:
    words = value.split()
    return len(words) >= 2 and words[0].isdigit() and words[-1].rstrip("s") in _UNITS


_UNITS: Final = ("day", "workday", "hour", "minute")


def _is_amount(key: Any, value: str) -> bool:
    return key in ("amount", "member_coverage") or (value[:1].isdigit() and value.isdigit())


_TARGETED: Final[dict[str, tuple[Callable[[Any, str], bool], Sequence[str]]]] = {
    "bad-instant": (_looks_like_instant, _INSTANTS),
    "bad-period": (_is_period, _PERIODS),
    "bad-amount": (_is_amount, _AMOUNTS),
}


@attrs.frozen
class _Spot:
    """Where a mutation strikes, and what it may draw on."""

    node: Any
    places: list[Slot]
    container: Any
    key: Any
    rng: random.Random
    fmt: Format
    donors: Sequence[Any]
    #: the place holding `node` itself, so that a mutation may replace it whole.
    home: Slot | None = None

    @property
    def value(self) -> Any:
        return self.container[self.key]

    def put(self, value: Any) -> None:
        self.container[self.key] = value


def _delete_key(spot: _Spot) -> bool:
    del spot.container[spot.key]
    return True


def _duplicate_key(spot: _Spot) -> bool:
    tables = [c for c, _k in spot.places if isinstance(c, dict) and c]
    if not tables or spot.fmt == "toml":  # TOML refuses a repeated key as a whole
        return False
    table = spot.rng.choice(tables)
    name = spot.rng.choice(list(table))
    items = list(table.items())
    items.insert(spot.rng.randrange(len(items) + 1), (name, _swap(table[name], spot.rng, spot.fmt)))
    for container, key in slots(spot.node):
        if container[key] is table:
            container[key] = Pairs(items)
            return True
    if spot.home is not None and table is spot.node:
        container, key = spot.home
        container[key] = Pairs(items)
        return True
    return False


def _unknown_key(spot: _Spot) -> bool:
    tables = [c for c, _k in spot.places if isinstance(c, dict)]
    if not tables:
        spot.put({"unknown": spot.value})
        return True
    name = spot.rng.choice(("unknown", "ID", "id ", "类型", _huge_string(spot.rng)))
    spot.rng.choice(tables)[name] = 1
    return True


def _huge_number(spot: _Spot) -> bool:
    spot.put(spot.rng.choice((10**4300 - 1, 2**64, -(2**63) - 1, 1e308 * 10, 4.9e-324)))
    return True


def _deep_nesting(spot: _Spot) -> bool:
    depth = spot.rng.choice((50, 900, 5000, 100_000))
    spot.put(_nested(depth, spot.fmt, spot.rng.random() < 0.5))
    return True


def _unicode_digits(spot: _Spot) -> bool:
    if not isinstance(spot.value, str):
        return False
    digits = spot.rng.choice(("٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９"))
    spot.put(spot.value.translate(str.maketrans("0123456789", digits)).replace(" ", "\u00a0"))
    return True


def _copy_field(spot: _Spot) -> bool:
    texts = [c[k] for c, k in spot.places if isinstance(c[k], str)]
    if not texts:
        return False
    spot.put(spot.rng.choice(texts))
    return True


def _control_chars(spot: _Spot) -> bool:
    if not isinstance(spot.value, str):
        return False
    cut = spot.rng.randint(0, len(spot.value))
    inserted = spot.rng.choice(("\x00", "\x1b[2J", "\r\n", "\ufeff", "\u2028"))
    spot.put(spot.value[:cut] + inserted + spot.value[cut:])
    return True


def _lone_surrogate(spot: _Spot) -> bool:
    if spot.fmt != "json":
        return False
    spot.put(Raw('"\\ud800"'))
    return True


def _foreign_value(spot: _Spot) -> bool:
    if not spot.donors:
        return False
    spot.put(copy.deepcopy(spot.rng.choice(spot.donors)))
    return True


def _huge(spot: _Spot) -> bool:
    spot.put(_huge_string(spot.rng))
    return True


_OPERATIONS: Final[dict[str, Callable[[_Spot], bool]]] = {
    "delete-key": _delete_key,
    "duplicate-key": _duplicate_key,
    "unknown-key": _unknown_key,
    "huge-string": _huge,
    "huge-number": _huge_number,
    "deep-nesting": _deep_nesting,
    "unicode-digits": _unicode_digits,
    "copy-field": _copy_field,
    "control-chars": _control_chars,
    "lone-surrogate": _lone_surrogate,
    "foreign-value": _foreign_value,
}
_NAMES: Final = (*_OPERATIONS, *_TARGETED, "type-swap", "type-swap")


def mutate_value(
    node: Any,
    rng: random.Random,
    fmt: Format,
    donors: Sequence[Any],
    home: Slot | None = None,
) -> str:
    """One mutation somewhere below `node` (a dict or list), in place; returns its name.

    `home` is the place holding `node`: a repeated key may then be given at its top.
    """
    places = slots(node)
    if not places:
        return "none"
    name = rng.choice(_NAMES)
    if name in _TARGETED:
        test, pool = _TARGETED[name]
        matches = [(c, k) for c, k in places if isinstance(c[k], str) and test(k, c[k])]
        if matches:
            container, key = rng.choice(matches)
            container[key] = rng.choice(pool)
            return name
    container, key = rng.choice(places)
    spot = _Spot(node, places, container, key, rng, fmt, donors, home)
    operation = _OPERATIONS.get(name)
    if operation is not None and operation(spot):
        return name
    spot.put(_swap(spot.value, rng, fmt))
    return "type-swap"


def mutate_bytes(data: bytes, rng: random.Random, fmt: Format) -> tuple[bytes, str]:
    """One mutation of a file's bytes; returns the bytes and the mutation's name."""
    op = rng.choice(
        (
            "byte-flip",
            "truncate",
            "non-utf8",
            "insert-bytes",
            "deep-nesting-text",
            "bom",
            "utf16",
            "nul",
            "splice",
        )
    )
    position = rng.randrange(len(data) + 1) if data else 0
    if op == "byte-flip" and data:
        index = rng.randrange(len(data))
        return data[:index] + bytes([data[index] ^ (1 << rng.randrange(8))]) + data[index + 1 :], op
    if op == "truncate":
        return data[:position], op
    if op == "non-utf8":
        bad = rng.choice((b"\xff", b"\x80", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"))
        return data[:position] + bad + data[position:], op
    if op == "insert-bytes":
        noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        return data[:position] + noise + data[position:], op
    if op == "deep-nesting-text":
        depth = rng.choice((1000, 100_000))
        if fmt == "json":
            return b"[" * depth + b"]" * depth, op
        return b"x = " + b"[" * depth + b"]" * depth + b"\n", op
    if op == "bom":
        return b"\xef\xbb\xbf" + data, op
    if op == "utf16":
        return data.decode("utf-8", errors="surrogatepass").encode("utf-16"), op
    if op == "nul":
        return data[:position] + b"\x00" + data[position:], op
    other = rng.randrange(len(data) + 1) if data else 0
    low, high = sorted((position, other))
    return data[:low] + data[high:] + data[low:high], "splice"


@attrs.frozen
class Case:
    """One fuzzed file, and what the checks need to know about how it was made."""

    data: bytes
    mutations: str
    #: the bytes of the untouched records alone (one record was mutated), else None.
    untouched: bytes | None = None
    secrets: frozenset[str] = frozenset()
    #: whether any loader must report a problem (a repeated key, bytes that are not UTF-8).
    refused: bool = False


#: Mutations that leave a file no loader may take silently.
REFUSED: Final = frozenset({"duplicate-key", "duplicate-top-key", "non-utf8", "utf16", "nul"})


def _refused(names: Sequence[str], tree: Any = None) -> bool:
    """Whether the bytes mutations `names` or a repeated key left in `tree` must be refused."""
    if not REFUSED.isdisjoint(name for name in names if name != "duplicate-key"):
        return True
    return any(isinstance(container[key], Pairs) for container, key in slots(tree))


def record_list(tree: Any, key: str) -> list[Any] | None:
    """The list of records of a record document (a bare list, or under `key`)."""
    if isinstance(tree, list):
        return tree
    if isinstance(tree, dict) and isinstance(tree.get(key), list):
        found: list[Any] = tree[key]
        return found
    return None


def _texts(node: Any) -> set[str]:
    """Every text below `node` of 3 characters or more (keys left out)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and len(item.strip()) >= 3:
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _is_hidden_prospect(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and record.get("status") == "prospect"
        and record.get("confidential", True) is not False
    )


def secrets_of(records: Sequence[Any]) -> frozenset[str]:
    """What no problem may quote: the confidential field values of hidden prospects.

    Only text of 3 characters or more that no other record of the file (and no field
    a prospect shows) holds too: a message quoting that other record is no leak.
    """
    hidden: set[str] = set()
    shown: set[str] = set()
    for record in records:
        if not _is_hidden_prospect(record):
            shown |= _texts(record)
            continue
        for name, value in record.items():
            (hidden if name in CONFIDENTIAL_FIELDS else shown).update(_texts(value))
    return frozenset(hidden - shown)


def document_of(loader: Loader, fmt: Format, base: Any) -> bytes:
    """A valid value (a record file: a tuple of records) as the tree its file holds,
    pickled: `make_case` takes a fresh copy of it for every file."""
    return pickle.dumps(parse(loader.write(base, fmt), fmt))


def make_case(
    loader: Loader, fmt: Format, document: bytes, rng: random.Random, donors: Sequence[Any]
) -> Case:
    """One fuzzed file from a valid document (as `document_of` gives it)."""
    tree = pickle.loads(document)
    records = record_list(tree, loader.key) if loader.records else None
    secrets = secrets_of(records) if loader.name == "customers" and records else frozenset()
    roll = rng.random()
    if records is not None and len(records) >= 2 and roll < 0.6:
        index = rng.randrange(len(records))
        rest = copy.deepcopy(tree)  # the document less record `index`
        del record_list(rest, loader.key)[index]  # type: ignore[union-attr]  # same shape
        names = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            if rng.random() < 0.1:
                records[index] = copy.deepcopy(rng.choice(donors)) if donors else None
                names.append("foreign-record")
            elif isinstance(records[index], (dict, list)):
                home = (records, index)
                names.append(mutate_value(records[index], rng, fmt, donors, home))
            else:
                records[index] = _swap(records[index], rng, fmt)
                names.append("type-swap")
        return Case(
            render(tree, fmt),
            "record:" + "+".join(names),
            render(rest, fmt),
            secrets,
            _refused([], [tree]),
        )
    if roll < 0.8 or (not loader.records and roll < 0.85):
        if records is not None and fmt == "json" and rng.random() < 0.15:
            wrapped = Pairs([(loader.key, records), (loader.key, rng.choice(([], records[:1])))])
            return Case(render(wrapped, fmt), "document:duplicate-top-key", None, secrets, True)
        holder = [tree]
        names = [
            mutate_value(holder[0], rng, fmt, donors, (holder, 0))
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        return Case(
            render(holder[0], fmt),
            "document:" + "+".join(names),
            None,
            secrets,
            _refused([], holder),
        )
    data, name = mutate_bytes(render(tree, fmt), rng, fmt)
    return Case(data, "bytes:" + name, None, secrets, _refused([name]))
