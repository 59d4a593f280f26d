"""Credit control files: the rating policy (资信等级划分) and open orders (在途订单).

A rating policy is one TOML or JSON document; fields left out keep the library's
documented defaults (`DEFAULT_RATING`):

    hold_days_overdue = 60
    lookback_months = 12

    [[rules]]
    rating = "A"
    limit = { amount = "200000", currency = "CNY" }
    max_days_overdue = 0
    min_months = 24
    min_volume = { amount = "500000", currency = "CNY" }
    allows_write_offs = false

An open-orders file is a list of records (JSON: a bare list or ``{"orders": [...]}``;
TOML: an ``orders`` table array), loaded like every record file: a `LoadResult` with
the valid orders and each problem at its path (``$.orders[2].amount``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from keyaccount.finance import OpenOrder, RatingPolicy
from keyaccount.io.converter import _load_value, _loads_value, unstructure
from keyaccount.io.documents import Format, _write, dumps
from keyaccount.io.records import LoadResult, _dumps_records, _loads_records, _read_records

__all__ = [
    "dump_open_orders",
    "dump_rating_policy",
    "dumps_open_orders",
    "dumps_rating_policy",
    "load_open_orders",
    "load_rating_policy",
    "loads_open_orders",
    "loads_rating_policy",
]


def loads_rating_policy(
    text: str | bytes, fmt: Format = "toml", *, source: str = "document"
) -> RatingPolicy:
    """A `RatingPolicy` from TOML or JSON text; fields left out keep the defaults.

    Raises:
        DataFileError: every problem of the document, each with its path.
    """
    return _loads_value(text, fmt, RatingPolicy, source)


def load_rating_policy(path: str | Path, fmt: Format | None = None) -> RatingPolicy:
    """A `RatingPolicy` from a ``.toml`` or ``.json`` file.

    Raises:
        DataFileError: the file cannot be read, or every problem of it with its path.
    """
    return _load_value(path, fmt, RatingPolicy)


def dumps_rating_policy(policy: RatingPolicy, fmt: Format = "toml") -> str:
    """The policy as TOML or JSON text that `loads_rating_policy` reads back equal."""
    return dumps(unstructure(policy), fmt)


def dump_rating_policy(policy: RatingPolicy, path: str | Path, fmt: Format | None = None) -> None:
    """Write the policy to ``path`` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_rating_policy(policy, chosen))


def loads_open_orders(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[OpenOrder]:
    """Open orders from JSON or TOML text, every valid one kept, every problem located.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _loads_records(text, fmt, OpenOrder, "orders", source)


def load_open_orders(path: str | Path, fmt: Format | None = None) -> LoadResult[OpenOrder]:
    """Open orders from a ``.json`` or ``.toml`` file, as `loads_open_orders` reads text.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _read_records(path, fmt, OpenOrder, "orders")


def dumps_open_orders(orders: Iterable[OpenOrder], fmt: Format = "json") -> str:
    """Open orders as JSON (a list) or TOML (an ``orders`` table array)."""
    return _dumps_records(orders, "orders", fmt)


def dump_open_orders(
    orders: Iterable[OpenOrder], path: str | Path, fmt: Format | None = None
) -> None:
    """Write open orders to ``path`` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_open_orders(orders, chosen))
