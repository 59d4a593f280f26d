"""The seed departments, shipped as validated data files.

Each chart was transcribed from one of the Chinese job-description handbooks the
library is built from; the file says which (`chart.source`) and marks every entry
that had to be assumed. `names()` lists them, `load(name)` returns one:

Examples:
    >>> from keyaccount import reference
    >>> reference.names()
    ('customer-service', 'dealer-crm', 'group-customer', 'key-account', 'sales-management')
    >>> reference.load("sales-management").by_title("营销总监").id
    'marketing-director'
"""

from __future__ import annotations

import functools
from importlib import resources

from keyaccount.errors import UnknownReferenceError
from keyaccount.io.org import loads_org
from keyaccount.org import OrgChart

__all__ = ["load", "names", "text"]

_DATA = resources.files(__package__) / "data"


def names() -> tuple[str, ...]:
    """The names of the shipped reference charts, sorted."""
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in _DATA.iterdir()
            if entry.name.endswith(".toml")
        )
    )


def text(name: str) -> str:
    """The TOML source of reference chart `name`.

    Raises:
        UnknownReferenceError: there is no such reference chart (a `LookupError`).
    """
    if name not in names():
        raise UnknownReferenceError(
            f"no reference chart {name!r}; the reference charts are {', '.join(names())}"
        )
    return (_DATA / f"{name}.toml").read_text(encoding="utf-8")


@functools.cache
def load(name: str) -> OrgChart:
    """The validated `OrgChart` of reference chart `name`.

    Charts are immutable, so the parsed chart is cached per name.

    Raises:
        UnknownReferenceError: there is no such reference chart (a `LookupError`).
    """
    return loads_org(text(name), "toml", source=f"keyaccount.reference:{name}.toml")
