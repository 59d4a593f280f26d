"""Receivables files (JSON or TOML): invoices, payments, credit notes, write-offs, rates.

A receivables file is one object holding the ledger's records in four lists, its
currency and the exchange rates of records in another currency:

    {
      "currency": "CNY",
      "rates": {"USD/CNY": "7.10"},
      "invoices": [{"id": "INV-1", "customer_id": "acme", "amount": {"amount": "10000.00",
                    "currency": "CNY"}, "issued_on": "2026-01-15", "terms": "月结60天",
                    "contract": "HT-2026-01", "owner": "wang"}],
      "payments": [{"id": "P-1", "customer_id": "acme", "amount": {...},
                    "received_on": "2026-03-01",
                    "allocations": [{"invoice_id": "INV-1", "amount": {...}}]}],
      "credit_notes": [{"id": "CN-1", "customer_id": "acme", "invoice_id": "INV-1",
                        "amount": {...}, "issued_on": "2026-02-01"}],
      "write_offs": [{"id": "W-1", "invoice_id": "INV-1", "amount": {...},
                      "on": "2026-06-30", "requested_by": "sales-management-manager"}]
    }

`load_receivables` keeps every valid record and reports each bad one at the path of
its bad field (``$.invoices[3].amount``): a malformed field, a negative amount, a due
date before the issue date, an id used twice, a record in another currency than the
ledger's without a rate (``$.payments[0].amount.currency``), an allocation, credit note
or write-off naming an unknown invoice (``$.payments[2].allocations[0].invoice_id``),
and one that would apply more to an invoice than it holds (``$.credit_notes[1].amount``).
A record that depends on a refused invoice is refused with it. Its answer,
`LoadedReceivables`, holds the ledger of the valid records and the problems;
``strict()`` returns the ledger or raises `DataFileError` listing every problem.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs

from keyaccount.errors import DataFileError, DataProblem, KeyAccountError
from keyaccount.finance import CreditNote, Invoice, Payment, Receivables, WriteOff
from keyaccount.io._finance_common import (
    _an_object,
    _Build,
    _convertible,
    _currency,
    _no_nulls,
    _rates,
    _refused,
    _structured,
    _unique,
    _unknown_keys,
)
from keyaccount.io._quoting import quote
from keyaccount.io.converter import unstructure
from keyaccount.io.documents import Format, _parse, _Parsed, _read, _walked, _write, dumps
from keyaccount.io.records import _cycle_collection_paused, _strict
from keyaccount.money import Money

__all__ = [
    "LoadedReceivables",
    "dump_receivables",
    "dumps_receivables",
    "load_receivables",
    "loads_receivables",
]

_LISTS: Final = (
    ("invoices", Invoice),
    ("payments", Payment),
    ("credit_notes", CreditNote),
    ("write_offs", WriteOff),
)
_NAMES: Final = tuple(key for key, _ in _LISTS)
_KEYS: Final = frozenset({"currency", "rates", *_NAMES})


@attrs.frozen
class LoadedReceivables:
    """What a receivables file loaded into: the ledger of its valid records, and problems.

    Attributes:
        receivables: the ledger built from every valid record.
        problems: one entry per problem, each at its path (``$.invoices[3].amount``).
        source: the file (or document) name, for messages.
    """

    receivables: Receivables
    problems: tuple[DataProblem, ...]
    source: str = "document"

    @property
    def ok(self) -> bool:
        """Whether the file had no problems."""
        return not self.problems

    def strict(self) -> Receivables:
        """The ledger, if the file had no problem at all.

        Raises:
            DataFileError: the file had problems; it lists every one with its path.
        """
        return _strict(self.receivables, self.problems, self.source)


def _receivables(parsed: _Parsed) -> LoadedReceivables:
    """The one loader of receivables files (see the module docstring)."""
    build = _Build(parsed.source)
    parsed = _walked(parsed)
    data = _an_object(parsed.data, _NAMES, "a receivables", parsed.source)
    refused = _refused(parsed, _NAMES, build)
    _unknown_keys(
        data, _KEYS, "currency, rates, invoices, payments, credit_notes and write_offs", build
    )
    currency = _currency(data, parsed.source)
    rates = _rates(data, build)
    ok = _convertible
    invoices = _unique(_structured(data, "invoices", Invoice, build, refused), "invoices", build)
    kept_invoices: dict[str, Invoice] = {}
    for index, invoice in invoices:
        if not ok(currency, rates, invoice.amount):
            build.add(f"$.invoices[{index}].amount.currency", _no_rate(invoice.amount, currency))
        else:
            kept_invoices[invoice.id] = invoice
    ledger = Receivables(tuple(kept_invoices.values()), currency=currency, rates=rates)
    applied: dict[str, Decimal] = defaultdict(Decimal)
    payments = _checked_payments(data, build, refused, ledger, kept_invoices, applied)
    notes: list[CreditNote] = []
    for index, note in _unique(
        _structured(data, "credit_notes", CreditNote, build, refused), "credit_notes", build
    ):
        if _applies(
            build,
            f"$.credit_notes[{index}]",
            ledger,
            kept_invoices,
            applied,
            note.invoice_id,
            note.customer_id,
            note.amount,
        ):
            notes.append(note)
    write_offs: list[WriteOff] = []
    for index, write_off in _unique(
        _structured(data, "write_offs", WriteOff, build, refused), "write_offs", build
    ):
        if _applies(
            build,
            f"$.write_offs[{index}]",
            ledger,
            kept_invoices,
            applied,
            write_off.invoice_id,
            None,
            write_off.amount,
        ):
            write_offs.append(write_off)
    try:
        receivables = Receivables(
            ledger.invoices, payments, notes, write_offs, currency=currency, rates=rates
        )
    except KeyAccountError as error:  # every check above should have caught it
        raise DataFileError(
            parsed.source, [*build.problems, DataProblem("$", str(error)[:300])]
        ) from None
    return LoadedReceivables(receivables, tuple(build.problems), parsed.source)


def _no_rate(money: Money, currency: str) -> str:
    pair = f"{money.currency}/{currency}"
    return f"{money.currency} amount in a {currency} ledger without a {pair} rate in $.rates"


def _checked_payments(
    data: Mapping[str, Any],
    build: _Build,
    refused: set[str],
    ledger: Receivables,
    invoices: dict[str, Invoice],
    applied: dict[str, Decimal],
) -> list[Payment]:
    kept: list[Payment] = []
    for index, payment in _unique(
        _structured(data, "payments", Payment, build, refused), "payments", build
    ):
        root = f"$.payments[{index}]"
        if not _convertible(ledger.currency, ledger.rates, payment.amount):
            build.add(f"{root}.amount.currency", _no_rate(payment.amount, ledger.currency))
            continue
        trial = defaultdict(Decimal, applied)
        verdicts = [
            _applies(
                build,
                f"{root}.allocations[{j}]",
                ledger,
                invoices,
                trial,
                a.invoice_id,
                payment.customer_id,
                a.amount,
            )
            for j, a in enumerate(payment.allocations)
        ]
        good = all(verdicts)
        if good:
            applied.update(trial)
            kept.append(payment)
    return kept


def _applies(
    build: _Build,
    root: str,
    ledger: Receivables,
    invoices: dict[str, Invoice],
    applied: dict[str, Decimal],
    invoice_id: str,
    customer_id: str | None,
    money: Money,
) -> bool:
    """Whether an amount named to an invoice may apply; a problem at ``root`` if not."""
    invoice = invoices.get(invoice_id)
    if invoice is None:
        build.add(f"{root}.invoice_id", f"no valid invoice {quote(invoice_id)} in $.invoices")
        return False
    if customer_id is not None and invoice.customer_id != customer_id:
        build.add(
            f"{root}.invoice_id",
            f"invoice {quote(invoice_id)} is of another customer ({quote(invoice.customer_id)})",
        )
        return False
    if not _convertible(ledger.currency, ledger.rates, money):
        build.add(f"{root}.amount.currency", _no_rate(money, ledger.currency))
        return False
    amount = ledger.in_currency(money).amount
    billed = ledger.in_currency(invoice.amount).amount
    if applied[invoice_id] + amount > billed:
        left = Money(billed - applied[invoice_id], ledger.currency)
        build.add(
            f"{root}.amount",
            f"{money} is more than invoice {quote(invoice_id)} still holds ({left})",
        )
        return False
    applied[invoice_id] += amount
    return True


def loads_receivables(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadedReceivables:
    """A receivables ledger from JSON or TOML text, keeping every valid record.

    Raises:
        DataFileError: the text is not JSON/TOML, not an object, or its currency is bad.
    """
    with _cycle_collection_paused():
        return _receivables(_parse(text, fmt, source))


def load_receivables(path: str | Path, fmt: Format | None = None) -> LoadedReceivables:
    """A receivables ledger from a ``.json`` or ``.toml`` file, keeping every valid record.

    Examples:
        >>> import json, pathlib, tempfile
        >>> file = pathlib.Path(tempfile.mkdtemp()) / "receivables.json"
        >>> cny = lambda text: {"amount": text, "currency": "CNY"}
        >>> _ = file.write_text(json.dumps({"invoices": [
        ...     {"id": "A", "customer_id": "acme", "amount": cny("100"),
        ...      "issued_on": "2026-01-05", "terms": "net 30"},
        ...     {"id": "B", "customer_id": "acme", "amount": cny("-5"),
        ...      "issued_on": "2026-01-05", "terms": "net 30"}]}))
        >>> result = load_receivables(file)
        >>> [i.id for i in result.receivables.invoices], result.problems[0].path
        (['A'], '$.invoices[1].amount')

    Raises:
        DataFileError: the file cannot be read or parsed, is not an object, or its
            currency is bad.
    """
    with _cycle_collection_paused():
        return _receivables(_read(path, fmt))


def _plain(receivables: Receivables) -> dict[str, Any]:
    data: dict[str, Any] = {"currency": receivables.currency}
    if receivables.rates is not None:
        data["rates"] = {
            f"{s}/{t}": str(r) for (s, t), r in sorted(receivables.rates.table.items())
        }
    for key, _cls in _LISTS:
        data[key] = [_no_nulls(unstructure(r)) for r in getattr(receivables, key)]
    return data


def dumps_receivables(receivables: Receivables, fmt: Format = "json") -> str:
    """A ledger as JSON or TOML text, which `loads_receivables` reads back equal."""
    return dumps(_plain(receivables), fmt)


def dump_receivables(receivables: Receivables, path: str | Path, fmt: Format | None = None) -> None:
    """Write a ledger to ``path`` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_receivables(receivables, chosen))
