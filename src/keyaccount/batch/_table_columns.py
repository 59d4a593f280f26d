"""Reading the columns of the table rules' input tables: checked, with the first bad row named.

Private to `keyaccount.batch.complaints` and `keyaccount.batch.visits`. Every reader
takes a pyarrow table (a Polars DataFrame is turned into one first, `as_arrow_table`)
and a column name, and answers with a numpy array; a missing column, a column of the
wrong type, a naive timestamp or a bad value raises a typed `KeyAccountError` naming the
column and the first offending row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from keyaccount.errors import InvalidTableError, NaiveDatetimeError

__all__ = [
    "as_arrow_table",
    "codes_of",
    "first_true",
    "instants_of",
    "strings_of",
    "utc_us",
]

_US = np.timedelta64(1, "us")


def as_arrow_table(table: Any, what: str) -> pa.Table:
    """``table`` as a pyarrow table: a pyarrow table as is, a Polars DataFrame converted.

    Raises:
        InvalidTableError: ``table`` is neither.
    """
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    to_arrow = getattr(table, "to_arrow", None)
    if callable(to_arrow):  # a Polars DataFrame
        converted = to_arrow()
        if isinstance(converted, pa.Table):
            return converted
    raise InvalidTableError(
        f"{what} must be a pyarrow Table (or a Polars DataFrame), got {type(table).__name__}"
    )


def first_true(mask: np.ndarray) -> int:
    """The index of the first true value of ``mask`` (which has one)."""
    return int(np.argmax(mask))


def _column(table: pa.Table, name: str, what: str) -> pa.Array:
    if name not in table.column_names:
        raise InvalidTableError(
            f"{what} has no column {name!r}; its columns: {', '.join(table.column_names) or 'none'}"
        )
    column = table.column(name)
    return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)


def _valid(array: pa.Array) -> np.ndarray:
    """Which rows of ``array`` hold a value, read from its validity bitmap (no copy of
    the values)."""
    size = len(array)
    if array.null_count == 0:
        return np.ones(size, dtype=bool)
    bitmap = array.buffers()[0]
    if bitmap is None or array.null_count == size:
        return np.zeros(size, dtype=bool)
    bits = np.unpackbits(
        np.frombuffer(bitmap, dtype=np.uint8), count=array.offset + size, bitorder="little"
    )
    return bits[array.offset :].view(bool)


def _refuse_nulls(array: pa.Array, name: str, what: str, required: np.ndarray | None) -> None:
    """Refuse a null where the value is needed (every row, or the rows of ``required``)."""
    if array.null_count == 0:
        return
    nulls = ~_valid(array)
    if required is not None:
        nulls &= required
    if nulls.any():
        row = first_true(nulls)
        raise InvalidTableError(f"{what} column {name!r} is null at row {row}; a value is needed")


def strings_of(
    table: pa.Table,
    name: str,
    what: str,
    *,
    required: np.ndarray | None = None,
    optional: bool = False,
) -> pa.Array | None:
    """The string column ``name`` (dictionary-encoded and large strings accepted).

    ``required``: the rows that must have a value (default: every row); ``optional``:
    a missing column gives ``None``.

    Raises:
        InvalidTableError: the column is missing, not text, or null where needed.
    """
    if optional and name not in table.column_names:
        return None
    array = _column(table, name, what)
    kind = array.type
    if pa.types.is_dictionary(kind) or pa.types.is_null(kind):  # all-null: a CSV's empty column
        array = array.cast(kind.value_type if pa.types.is_dictionary(kind) else pa.string())
        kind = array.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise InvalidTableError(f"{what} column {name!r} must hold text (string), not {kind}")
    _refuse_nulls(array, name, what, required)
    return array


def codes_of(
    table: pa.Table,
    name: str,
    names: Sequence[str],
    what: str,
    *,
    required: np.ndarray | None = None,
) -> np.ndarray:
    """The index of each row's value of text column ``name`` in ``names`` (-1 where null).

    The indexes are int32, read-only when the column has no null (a view of Arrow's
    answer, not a copy).

    Raises:
        InvalidTableError: the column is missing or not text, null where needed, or holds
            a value not in ``names`` (the first such row and value are named).
    """
    array = strings_of(table, name, what, required=required)
    assert array is not None
    found = pc.index_in(array, value_set=pa.array(list(names), type=array.type))
    data = found.buffers()[1]
    if data is None or found.null_count == len(found):
        raw = np.full(len(found), -1, dtype=np.int32)  # every row null (or none at all)
    else:  # the int32 indexes as they are, no copy
        raw = np.frombuffer(data, dtype=np.int32, count=len(found), offset=4 * found.offset)
    if found.null_count == 0:
        return raw
    known = _valid(found)
    codes = np.where(known, raw, np.int32(-1))
    unknown = ~known & _valid(array)
    if unknown.any():
        row = first_true(unknown)
        raise InvalidTableError(
            f"{what} column {name!r} at row {row} holds {array[row].as_py()!r}; "
            f"expected one of: {', '.join(names)}"
        )
    return codes


def instants_of(
    table: pa.Table,
    name: str,
    what: str,
    *,
    nullable: bool = False,
    optional: bool = False,
) -> np.ndarray | None:
    """The timestamp column ``name`` as numpy ``datetime64[us]`` (UTC; NaT where null).

    Any unit is read exactly (nanoseconds only when they are whole microseconds).

    Raises:
        InvalidTableError: the column is missing, not a timestamp, null where not
            ``nullable``, or has sub-microsecond values.
        NaiveDatetimeError: the timestamps have no time zone (never guessed).
    """
    if optional and name not in table.column_names:
        return None
    array = _column(table, name, what)
    kind = array.type
    if not pa.types.is_timestamp(kind):
        raise InvalidTableError(
            f"{what} column {name!r} must be a timestamp with a time zone, not {kind}"
        )
    if kind.tz is None:
        raise NaiveDatetimeError(
            f"{what} column {name!r} holds naive timestamps ({kind}); give them a time zone "
            f"(e.g. timestamp('us', tz='Asia/Shanghai')): an instant is never guessed"
        )
    if not nullable:
        _refuse_nulls(array, name, what, None)
    if kind.unit != "us":
        try:
            array = array.cast(pa.timestamp("us", tz=kind.tz))
        except pa.ArrowInvalid:
            raw = np.asarray(array.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False))
            row = first_true(raw % 1000 != 0)
            raise InvalidTableError(
                f"{what} column {name!r} at row {row} has a fraction of a microsecond; "
                f"the rules count whole microseconds"
            ) from None
    values = array.cast(pa.int64())
    if values.null_count:
        values = values.fill_null(np.iinfo(np.int64).min)
    return np.asarray(values.to_numpy(zero_copy_only=False)).view("datetime64[us]")


def utc_us(values: np.ndarray, zone: str) -> pa.Array:
    """``datetime64[us]`` values (UTC) as a pyarrow ``timestamp('us', tz=zone)`` array."""
    return pa.array(values.view("int64"), type=pa.int64(), mask=np.isnat(values)).cast(
        pa.timestamp("us", tz=zone)
    )
