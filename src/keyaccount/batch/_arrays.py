"""What is in this column, and how does an answer go back? numpy, pyarrow and Polars columns.

Private. `column(value, what)` reads a numpy array, a pyarrow `Array` / `ChunkedArray` or
a Polars `Series` into a `Column`: int64 values (days since 1970-01-01, microseconds
since the epoch in UTC, microseconds of duration, or counts), a null mask and what the
values are. `output(...)` builds the answer in the kind of the first argument. Units
other than microseconds are converted exactly (a nanosecond value that is not a whole
microsecond is refused); floats, naive Arrow / Polars timestamps and text are refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import numpy as np

from keyaccount.errors import BatchArgumentError

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Column", "Kind", "column", "numpy", "output", "scalar_column"]

Kind = Literal["date", "instant", "duration", "int", "bool"]
_UNIT_US: Final = {"s": 1_000_000, "ms": 1_000, "us": 1, "ns": None}


def numpy() -> Any:
    """The numpy module (`keyaccount.batch` refuses to load without it)."""
    return np


@attrs.frozen
class Column:
    """One argument read as int64 values and a null mask (internal).

    `source` is the library the column came from (`numpy`, `arrow`, `chunked`,
    `polars`); `name` the Polars series name; `tz` the zone of Arrow / Polars instants.
    """

    values: npt.NDArray[np.int64]
    nulls: npt.NDArray[np.bool_]
    kind: Kind
    source: str
    name: str = ""
    tz: str | None = None


#: Counts are capped here: any count this large already lands beyond 9999-12-31.
_COUNT_CAP: Final = 2**40


def _filled(raw: Any, nulls: Any) -> Any:
    """`raw` with 0 in its null rows (no copy when there is none)."""
    return np.where(nulls, 0, raw) if nulls.any() else raw


def _refuse(what: str, found: object, wanted: str) -> BatchArgumentError:
    return BatchArgumentError(f"{what} must be {wanted}, got {found}")


def _scaled(values: Any, factor: int | None, what: str, nulls: Any) -> Any:
    """int64 values in `unit` as microseconds, exactly, or an error naming the row."""
    values = values.astype(np.int64, copy=False)
    if factor is None:  # nanoseconds: whole microseconds only
        rest = (values % 1000 != 0) & ~nulls
        if rest.any():
            row = int(np.flatnonzero(rest)[0])
            raise BatchArgumentError(
                f"{what} row {row} is not a whole number of microseconds "
                f"({int(values[row])} ns); round it first"
            )
        return values // 1000
    if factor == 1:
        return values
    limit = np.iinfo(np.int64).max // factor
    if (np.abs(values) > limit).any():
        raise BatchArgumentError(f"{what} holds a value too large to convert to microseconds")
    return values * factor


def _from_numpy(value: Any, what: str) -> Column:
    dtype = value.dtype
    if value.ndim != 1:
        raise _refuse(what, f"a {value.ndim}-dimensional array", "one-dimensional")
    if dtype.kind in "mM":
        unit, count = np.datetime_data(dtype)
        nulls = np.isnat(value)
        raw = value.view(np.int64)
        if dtype.kind == "M" and unit == "D" and count == 1:
            return Column(_filled(raw, nulls), nulls, "date", "numpy")
        if unit not in _UNIT_US or count != 1:
            raise _refuse(
                what, f"numpy {dtype}", "datetime64[D], datetime64[us] or timedelta64[us]"
            )
        raw = _filled(raw, nulls)
        kind: Kind = "instant" if dtype.kind == "M" else "duration"
        return Column(_scaled(raw, _UNIT_US[unit], what, nulls), nulls, kind, "numpy")
    if dtype.kind in "iu":
        nulls = np.zeros(len(value), dtype=bool)
        if isinstance(value, np.ma.MaskedArray):
            nulls = np.ma.getmaskarray(value)
            value = value.filled(0)
        if dtype.kind == "u":  # beyond int64 it would wrap round to a negative count
            value = np.minimum(value, _COUNT_CAP)
        return Column(np.asarray(value).astype(np.int64, copy=False), nulls, "int", "numpy")
    raise _refuse(what, f"numpy {dtype}", "datetime64, timedelta64 or integers")


def _from_arrow(value: Any, what: str) -> Column:
    import pyarrow as pa  # noqa: PLC0415 - optional: only for Arrow columns
    import pyarrow.compute as pc  # noqa: PLC0415 - optional: only for Arrow columns

    source = "chunked" if isinstance(value, pa.ChunkedArray) else "arrow"
    if source == "chunked":
        value = value.combine_chunks() if value.num_chunks != 1 else value.chunk(0)
    typ = value.type
    if value.null_count:
        nulls = value.is_null().to_numpy(zero_copy_only=False).astype(bool)
    else:
        nulls = np.zeros(len(value), dtype=bool)

    def raw(as_type: Any) -> Any:
        if not value.null_count and value.type.bit_width == as_type.bit_width:
            # Fixed-width values without nulls: the data buffer itself, no cast, no copy.
            data = np.frombuffer(value.buffers()[1], dtype=f"<i{as_type.bit_width // 8}")
            data = data[value.offset : value.offset + len(value)]
            return data.astype(np.int64, copy=False)
        filled = pc.fill_null(value.cast(as_type), 0) if value.null_count else value.cast(as_type)
        return filled.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)

    if pa.types.is_date32(typ):
        return Column(raw(pa.int32()), nulls, "date", source)
    if pa.types.is_date64(typ):
        return Column(raw(pa.int64()) // 86_400_000, nulls, "date", source)
    if pa.types.is_timestamp(typ):
        if typ.tz is None:
            raise BatchArgumentError(
                f"{what} is a naive Arrow timestamp ({typ}): give it a zone, "
                f"e.g. pc.assume_timezone(column, 'Asia/Shanghai'); it is never guessed"
            )
        values = _scaled(raw(pa.int64()), _UNIT_US[typ.unit], what, nulls)
        return Column(values, nulls, "instant", source, tz=typ.tz)
    if pa.types.is_duration(typ):
        values = _scaled(raw(pa.int64()), _UNIT_US[typ.unit], what, nulls)
        return Column(values, nulls, "duration", source)
    if pa.types.is_integer(typ):
        if pa.types.is_unsigned_integer(typ):  # beyond int64: no wrap, no cast error
            value = pc.min_element_wise(value, pa.scalar(_COUNT_CAP, typ))
        return Column(raw(pa.int64()), nulls, "int", source)
    raise _refuse(what, f"Arrow {typ}", "date32, timestamp with a zone, duration or integers")


def _from_polars(value: Any, what: str) -> Column:
    import polars as pl  # noqa: PLC0415 - optional: only for Polars columns

    dtype = value.dtype
    nulls = value.is_null().to_numpy().astype(bool)
    name = value.name

    def raw() -> Any:
        physical = value.to_physical()
        if physical.dtype.is_unsigned_integer():  # beyond int64 it would wrap round
            physical = physical.clip(upper_bound=_COUNT_CAP)
        if value.null_count():
            physical = physical.fill_null(0)
        return physical.to_numpy().astype(np.int64, copy=False)

    if dtype == pl.Date:
        return Column(raw(), nulls, "date", "polars", name)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            raise BatchArgumentError(
                f"{what} is a naive Polars Datetime: give it a zone, e.g. "
                f"col.dt.replace_time_zone('Asia/Shanghai'); it is never guessed"
            )
        values = _scaled(raw(), _UNIT_US[dtype.time_unit], what, nulls)
        return Column(values, nulls, "instant", "polars", name, dtype.time_zone)
    if isinstance(dtype, pl.Duration):
        values = _scaled(raw(), _UNIT_US[dtype.time_unit], what, nulls)
        return Column(values, nulls, "duration", "polars", name)
    if dtype.is_integer():
        return Column(raw(), nulls, "int", "polars", name)
    raise _refuse(what, f"Polars {dtype}", "Date, Datetime with a zone, Duration or integers")


def column(value: object, what: str) -> Column:
    """`value` (a numpy array, pyarrow array or Polars Series) read as a `Column`.

    Raises:
        BatchArgumentError: not an array of a supported kind, or of a refused type.
    """
    module = type(value).__module__.split(".")[0]
    if isinstance(value, np.ndarray):
        return _from_numpy(value, what)
    if module == "pyarrow":
        import pyarrow as pa  # noqa: PLC0415 - optional: only for Arrow columns

        if isinstance(value, (pa.Array, pa.ChunkedArray)):
            return _from_arrow(value, what)
    if module == "polars":
        import polars as pl  # noqa: PLC0415 - optional: only for Polars columns

        if isinstance(value, pl.Series):
            return _from_polars(value, what)
    raise _refuse(
        what,
        type(value).__name__,
        "a numpy array, a pyarrow Array or ChunkedArray, or a Polars Series",
    )


def scalar_column(value: int, size: int, like: Column) -> Column:
    """A Python int broadcast to `size` rows."""
    return Column(
        np.full(size, value, dtype=np.int64), np.zeros(size, dtype=bool), "int", like.source
    )


def output(  # noqa: PLR0912 - one branch per kind and library
    values: npt.NDArray[Any], nulls: npt.NDArray[np.bool_], kind: Kind, like: Column, tz: str
) -> Any:
    """The answer in the kind of `like`: dates, instants (in zone `tz`), durations, ints, bools.

    numpy: dates `datetime64[D]`, instants `datetime64[us]` (UTC), durations
    `timedelta64[us]`, with NaT for nulls; ints and bools a `numpy.ma.MaskedArray`
    (numpy's integers and bools have no null).
    """
    if like.source == "numpy":
        if kind in ("int", "bool"):
            dtype = np.int64 if kind == "int" else bool
            return np.ma.MaskedArray(values.astype(dtype, copy=False), mask=nulls.copy())
        unit = {"date": "datetime64[D]", "instant": "datetime64[us]", "duration": "timedelta64[us]"}
        # The kernels hand over arrays of their own: no copy, NaT written in place.
        out = values.astype(np.int64, copy=False).view(unit[kind])
        if nulls.any():
            out[nulls] = np.datetime64("NaT") if kind != "duration" else np.timedelta64("NaT")
        return out
    if like.source in ("arrow", "chunked"):
        import pyarrow as pa  # noqa: PLC0415 - optional: only for Arrow columns

        types = {
            "date": pa.date32(),
            "instant": pa.timestamp("us", tz=tz),
            "duration": pa.duration("us"),
            "int": pa.int64(),
            "bool": pa.bool_(),
        }
        typ = types[kind]
        if kind == "date":
            data = values.astype(np.int32)
        elif kind == "bool":
            data = values.astype(bool)
        else:
            data = values.astype(np.int64, copy=False)
        if kind == "bool":
            array = pa.array(data, type=typ, mask=nulls if nulls.any() else None)
        else:  # fixed width: the numpy buffer and a validity bitmap, no cast, no copy
            validity = None
            if nulls.any():
                validity = pa.py_buffer(np.packbits(~nulls, bitorder="little"))
            array = pa.Array.from_buffers(
                typ, len(data), [validity, pa.py_buffer(np.ascontiguousarray(data))]
            )
        return pa.chunked_array([array]) if like.source == "chunked" else array
    import polars as pl  # noqa: PLC0415 - optional: only for Polars columns

    if kind == "date":
        series = pl.Series(like.name, values.astype(np.int32)).cast(pl.Date)
    elif kind == "instant":
        series = (
            pl.Series(like.name, values.astype(np.int64, copy=False))
            .cast(pl.Datetime("us", time_zone="UTC"))
            .dt.convert_time_zone(tz)
        )
    elif kind == "duration":
        series = pl.Series(like.name, values.astype(np.int64, copy=False)).cast(pl.Duration("us"))
    elif kind == "bool":
        series = pl.Series(like.name, values.astype(bool))
    else:
        series = pl.Series(like.name, values.astype(np.int64, copy=False))
    if nulls.any():
        series = pl.select(
            pl.when(pl.lit(pl.Series(nulls))).then(None).otherwise(pl.lit(series)).alias(like.name)
        ).to_series()
    return series
