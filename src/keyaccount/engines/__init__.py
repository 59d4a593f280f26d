"""The rules where the data lives: DuckDB, Polars and Spark adapters over `keyaccount.batch`.

Each adapter is a module of its own, imported explicitly, and needs its engine's extra:

- `keyaccount.engines.duckdb`: `register(connection, calendar)` makes the calendar's rules
  SQL functions of a DuckDB connection (`ka_add_workdays(d, 3)`), vectorised through Arrow
  (`pip install 'keyaccount[duckdb]'`);
- `keyaccount.engines.polars`: the same rules as Polars expressions, and the table rules on
  Polars frames (`pip install 'keyaccount[polars]'`);
- `keyaccount.engines.spark`: the table rules over Spark DataFrames through Arrow, the
  calendar and the policy shipped to the executors (`pip install 'keyaccount[spark]'`).

None of them computes a rule of its own: every answer is `keyaccount.batch`'s, which is the
scalar rule's, row by row. Importing this package imports no engine; importing an adapter
whose engine is missing raises `MissingExtraError` naming the extra to install.
"""

from __future__ import annotations

from keyaccount.errors import MissingExtraError

__all__ = ["missing_extra"]


def missing_extra(extra: str, error: ImportError) -> MissingExtraError:
    """The error an adapter raises when its engine's package failed to import.

    Args:
        extra: the `keyaccount` extra that installs the engine (``"duckdb"``).
        error: the `ImportError` the missing package raised.

    Returns:
        A `MissingExtraError` naming the package and ``pip install 'keyaccount[extra]'``.

    Examples:
        >>> print(missing_extra("polars", ModuleNotFoundError(name="polars")))
        keyaccount.engines.polars needs the polars package: pip install 'keyaccount[polars]'
    """
    needs = f"the {error.name} package" if error.name else f"a package ({error})"
    return MissingExtraError(
        f"keyaccount.engines.{extra} needs {needs}: pip install 'keyaccount[{extra}]'"
    )
