"""Every loader of the library, its dumper, and the valid documents a fuzzed file starts from.

Valid documents: the reference charts, the example files in `examples/data`, and values
drawn from `keyaccount.testing`'s strategies (a seed gives the same ones), written by
the library's own dumpers.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

import keyaccount.io as kio
from fuzzing.documents import parse
from keyaccount import reference
from keyaccount.complaints import ComplaintPolicy
from keyaccount.errors import DataProblem
from keyaccount.finance import DEFAULT_RATING
from keyaccount.io import Format
from keyaccount.testing import (
    budget_books,
    club_ledgers,
    complaint_histories,
    complaint_policies,
    customer_records,
    done_records,
    open_orders,
    org_charts,
    rating_policies,
    receivables_ledgers,
    sales_records,
    sales_targets,
    visit_policies,
    visit_records,
)
from keyaccount.visits import VisitPolicy

__all__ = ["LOADERS", "ROOT", "Loaded", "Loader", "donors", "generate", "pairs"]

#: The project's folder (the example files are in `examples/data`).
ROOT: Final = Path(__file__).resolve().parents[2]


@attrs.frozen
class Loaded:
    """What a file loaded into: a value (a record file: its items) and the problems."""

    value: Any
    problems: tuple[DataProblem, ...]


@attrs.frozen
class Loader:
    """One loader of the library, its dumper, and where its valid documents come from."""

    name: str
    formats: tuple[Format, ...]
    #: the key of the record list (a TOML table array; JSON may also be a bare list),
    #: or "" for a file holding one value.
    key: str
    read: Callable[[Path], Any]
    write: Callable[[Any, Format], str]
    bases: Callable[[Format, int, int], list[Any]]

    @property
    def records(self) -> bool:
        """Whether the file holds records (kept one by one) rather than one value."""
        return bool(self.key)

    def load(self, path: Path) -> Loaded:
        """Load the file with the library's file loader."""
        result = self.read(path)
        if isinstance(result, kio.LoadResult):
            return Loaded(result.items, result.problems)
        return Loaded(result, ())


def generate(strategy: st.SearchStrategy[Any], count: int, seed: int) -> list[Any]:
    """Up to `count` values of `strategy`, the same ones for the same seed."""
    found: list[Any] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


def _with_ids(records: Sequence[Any], prefix: str) -> list[Any]:
    return [attrs.evolve(r, id=f"{prefix}{i}") for i, r in enumerate(records)]


def _record_bases(
    examples: str, strategy: st.SearchStrategy[Any], prefix: str, loader_name: str
) -> Callable[[Format, int, int], list[Any]]:
    """Documents of 2 to 6 records: the example file, and generated records."""

    def bases(fmt: Format, count: int, seed: int) -> list[Any]:
        loader = LOADERS[loader_name]
        example = loader.load(ROOT / "examples" / "data" / examples).value
        drawn = generate(strategy, count * 3, seed)
        rng = random.Random(seed)
        documents: list[Any] = [tuple(example)]
        for _ in range(count):
            chosen = rng.sample(drawn, min(len(drawn), rng.randint(2, 6)))
            documents.append(tuple(_with_ids(chosen, prefix)))
        return [d for d in documents if fmt in loader.formats]

    return bases


def _org_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    charts: list[Any] = [reference.load(name) for name in reference.names()]
    return charts + generate(org_charts(rich=True, max_positions=6), count, seed)


def _visit_policy_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    return [VisitPolicy(), *generate(visit_policies(), count, seed)]


def _complaint_policy_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    return [ComplaintPolicy.default(), *generate(complaint_policies(), count, seed)]


LOADERS: Final[dict[str, Loader]] = {
    "org": Loader("org", ("toml", "json"), "", kio.load_org, kio.dumps_org, _org_bases),
    "customers": Loader(
        "customers",
        ("toml", "json"),
        "customers",
        kio.load_customers,
        kio.dumps_customers,
        _record_bases("customers.json", customer_records(), "c", "customers"),
    ),
    "visits": Loader(
        "visits",
        ("toml", "json"),
        "visits",
        kio.load_visits,
        kio.dumps_visits,
        _record_bases("visits.json", visit_records(), "v", "visits"),
    ),
    "complaints": Loader(
        "complaints",
        ("json",),
        "complaints",
        kio.load_complaints,
        lambda value, _fmt: kio.dumps_complaints(value),
        _record_bases("complaints.json", complaint_histories(max_events=8), "C-", "complaints"),
    ),
    "done-records": Loader(
        "done-records",
        ("toml", "json"),
        "done",
        kio.load_done_records,
        kio.dumps_done_records,
        _record_bases("done-records.json", done_records(), "d", "done-records"),
    ),
    "visit-policy": Loader(
        "visit-policy",
        ("toml", "json"),
        "",
        kio.load_visit_policy,
        kio.dumps_visit_policy,
        _visit_policy_bases,
    ),
    "complaint-policy": Loader(
        "complaint-policy",
        ("toml", "json"),
        "",
        kio.load_complaint_policy,
        kio.dumps_complaint_policy,
        _complaint_policy_bases,
    ),
}


def _read_receivables(path: Path) -> kio.LoadResult[Any]:
    """A receivables file as one value and its problems (its records are kept per list)."""
    loaded = kio.load_receivables(path)
    return kio.LoadResult((loaded.receivables,), loaded.problems, loaded.source)


def _receivables_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    example = kio.load_receivables(ROOT / "examples" / "data" / "receivables.json").strict()
    return [(example,), *((ledger,) for ledger in generate(receivables_ledgers(), count, seed))]


LOADERS["receivables"] = Loader(
    "receivables",
    ("toml", "json"),
    "",
    _read_receivables,
    lambda value, fmt: kio.dumps_receivables(value[0], fmt),
    _receivables_bases,
)


def _read_budgets(path: Path) -> kio.LoadResult[Any]:
    """A budget file as one value and its problems (its records are kept per list)."""
    loaded = kio.load_budgets(path)
    return kio.LoadResult((loaded.book,), loaded.problems, loaded.source)


def _budget_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    example = kio.load_budgets(ROOT / "examples" / "data" / "budgets.json").strict()
    return [(example,), *((book,) for book in generate(budget_books(), count, seed))]


def _rating_policy_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    return [DEFAULT_RATING, *generate(rating_policies(), count, seed)]


def _target_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    example = kio.load_sales_targets(ROOT / "examples" / "data" / "sales-targets.json").strict()
    drawn = generate(
        st.lists(sales_targets(), min_size=2, max_size=5, unique_by=lambda t: (t.owner, t.period)),
        count,
        seed,
    )
    return [example, *(tuple(targets) for targets in drawn)]


def _read_club(path: Path) -> kio.LoadResult[Any]:
    """A club file as one value (its ledger) and its problems (records kept per list)."""
    loaded = kio.load_club(path)
    return kio.LoadResult((loaded.ledger,), loaded.problems, loaded.source)


def _club_bases(fmt: Format, count: int, seed: int) -> list[Any]:
    del fmt
    example = kio.load_club(ROOT / "examples" / "data" / "club.json").strict()
    return [(example,), *((ledger,) for ledger in generate(club_ledgers(), count, seed))]


LOADERS["club"] = Loader(
    "club",
    ("toml", "json"),
    "",
    _read_club,
    lambda value, fmt: kio.dumps_club(value[0], fmt),
    _club_bases,
)


LOADERS["budgets"] = Loader(
    "budgets",
    ("toml", "json"),
    "",
    _read_budgets,
    lambda value, fmt: kio.dumps_budgets(value[0], fmt),
    _budget_bases,
)
LOADERS["rating-policy"] = Loader(
    "rating-policy",
    ("toml", "json"),
    "",
    kio.load_rating_policy,
    kio.dumps_rating_policy,
    _rating_policy_bases,
)
LOADERS["open-orders"] = Loader(
    "open-orders",
    ("toml", "json"),
    "orders",
    kio.load_open_orders,
    kio.dumps_open_orders,
    _record_bases("open-orders.json", open_orders(), "SO-", "open-orders"),
)
LOADERS["sales"] = Loader(
    "sales",
    ("toml", "json"),
    "sales",
    kio.load_sales_records,
    kio.dumps_sales_records,
    _record_bases("sales.json", sales_records(), "S-", "sales"),
)
LOADERS["sales-targets"] = Loader(
    "sales-targets",
    ("toml", "json"),
    "targets",
    kio.load_sales_targets,
    kio.dumps_sales_targets,
    _target_bases,
)


def _year_table_loader() -> Loader | None:
    """The year-table loader, once the library has one (`keyaccount.io.load_year_tables`)."""
    read = getattr(kio, "load_year_tables", None)
    write = getattr(kio, "dumps_year_tables", None)
    if read is None or write is None:
        return None

    def bases(fmt: Format, count: int, seed: int) -> list[Any]:
        del fmt, count, seed
        files = sorted((ROOT / "examples" / "data").glob("china-*.toml"))
        tables = [table for file in files for table in read(file)]
        return [(table,) for table in tables] + [tuple(tables)]

    return Loader("year-tables", ("toml", "json"), "", read, write, bases)


_YEAR_TABLES = _year_table_loader()
if _YEAR_TABLES is not None:
    LOADERS[_YEAR_TABLES.name] = _YEAR_TABLES


def pairs() -> list[tuple[str, Format]]:
    """Every loader and format."""
    return [(loader.name, fmt) for loader in LOADERS.values() for fmt in loader.formats]


def donors(loader_name: str) -> list[Any]:
    """Records and values of the other kinds, to put where this loader's ones go."""
    found: list[Any] = []
    for name in ("customers", "visits", "complaints"):
        if name != loader_name:
            data = json.loads((ROOT / "examples" / "data" / f"{name}.json").read_text("utf-8"))
            found.extend(data[:2])
    found.append(parse(kio.dumps_visit_policy(VisitPolicy(cadence=()), "json"), "json"))
    found.append(parse(kio.dumps_complaint_policy(ComplaintPolicy.default(), "json"), "json"))
    chart = parse(kio.dumps_org(reference.load("customer-service"), "json"), "json")
    found.extend(chart["positions"][:2])
    return found
