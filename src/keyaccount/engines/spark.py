"""The table rules over Spark DataFrames: the batch rules on every executor, through Arrow.

For data that has outgrown one machine. `sla_table` and `overdue_visits_table` take Spark
DataFrames with the columns of `keyaccount.batch.sla_table` and
`keyaccount.batch.overdue_visits_table` and answer a Spark DataFrame with the same columns
as those rules' Arrow tables. The rows are spread over ``buckets`` groups by a hash of the
complaint (or customer) id, so every row of one complaint (or one customer and its visit
records) lands in one group; each group is one Arrow table handed to the batch rule on an
executor (`GroupedData.applyInArrow`, `PandasCogroupedOps.applyInArrow`). The calendar and
the policy travel to the executors with the function (pickled once per task): nothing is
read from the executors' own disks or clocks.

Every answer is therefore the single-machine rule's answer on the same rows; only the row
order differs (Spark keeps none: sort if you need one). The executors need `keyaccount`
with the `arrow` extra installed, like the driver. Needs the `spark` extra and a Java
runtime (`pip install 'keyaccount[spark]'`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

from keyaccount._fields import to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.complaints import ComplaintPolicy
from keyaccount.engines import missing_extra
from keyaccount.visits import VisitPolicy

try:
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F  # noqa: N812 - Spark's own convention
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema
    from pyspark.sql.types import StructType

    from keyaccount.batch.complaints import sla_table as _sla_table
    from keyaccount.batch.visits import overdue_visits_table as _overdue_visits_table
except ImportError as _error:
    raise missing_extra("spark", _error) from None

__all__ = ["overdue_visits_table", "sla_table"]

#: The column holding each row's group (dropped before the batch rule sees the rows).
_BUCKET: Final = "__keyaccount_bucket"
#: The column holding each event's place in the input, to keep ties in input order.
_SEQUENCE: Final = "__keyaccount_sequence"

_TableRule = Callable[..., pa.Table]


def sla_table(
    events: DataFrame,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    *,
    as_of: dt.datetime,
    buckets: int | None = None,
) -> DataFrame:
    """`keyaccount.batch.sla_table` over a Spark DataFrame of complaint events.

    Spark keeps no row order across a shuffle, so each group's events are put in time
    order (``at``, ties in the order Spark read them) before the rule folds them; a
    history must be in time order for the rule anyway.

    Args:
        events: one row per event, the columns of `keyaccount.batch.sla_table`.
        policy: the targets of each kind of request.
        calendar: the calendar working time is counted on.
        as_of: the instant the rule is evaluated at.
        buckets: how many groups to spread the complaints over (default: Spark's
            default parallelism).

    Returns:
        A DataFrame with the columns of `keyaccount.batch.sla_table`'s answer, one row per
        complaint and target (lazy, like every DataFrame: errors of the rule surface when
        an action runs it).

    Raises:
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    instant = to_instant(as_of, "as_of")
    output = _sla_table(_empty(events), policy, calendar, as_of=instant).schema
    rule = _group_rule(_sla_table, policy, calendar, instant, output, ordered=True)
    keyed = _bucketed(
        events.withColumn(_SEQUENCE, F.monotonically_increasing_id()), "complaint_id", buckets
    )
    return keyed.groupBy(_BUCKET).applyInArrow(rule, _spark_schema(output))


def overdue_visits_table(
    customers: DataFrame,
    visits: DataFrame,
    policy: VisitPolicy,
    calendar: WorkCalendar,
    *,
    as_of: dt.datetime,
    buckets: int | None = None,
) -> DataFrame:
    """`keyaccount.batch.overdue_visits_table` over Spark DataFrames of a book.

    Each customer and the visit records of that customer meet in one group (a cogroup on
    the hash of the customer id), so the rule sees every record it needs.

    Args:
        customers: the customers, the columns of `keyaccount.batch.overdue_visits_table`.
        visits: the visit records, the columns of that rule.
        policy: the company's visit rules.
        calendar: the calendar deadlines and local days are computed on.
        as_of: the instant the rule is evaluated at.
        buckets: how many groups to spread the customers over (default: Spark's default
            parallelism).

    Returns:
        A DataFrame with the columns of `keyaccount.batch.overdue_visits_table`'s answer
        (lazy: errors of the rule surface when an action runs it).

    Raises:
        NaiveDatetimeError: ``as_of`` has no time zone.
    """
    instant = to_instant(as_of, "as_of")
    rule = _overdue_visits_table
    output = rule(_empty(customers), _empty(visits), policy, calendar, as_of=instant).schema
    run = _cogroup_rule(rule, policy, calendar, instant, output)
    left = _bucketed(customers, _CUSTOMER_KEY, buckets).groupBy(_BUCKET)
    right = _bucketed(visits, "customer_id", buckets).groupBy(_BUCKET)
    return left.cogroup(right).applyInArrow(run, _spark_schema(output))


#: The id column of the customers table of `keyaccount.batch.overdue_visits_table`.
_CUSTOMER_KEY: Final = "id"


def _bucketed(frame: DataFrame, key: str, buckets: int | None) -> DataFrame:
    """``frame`` with the group of each row: a hash of ``key`` modulo ``buckets``."""
    count = buckets or frame.sparkSession.sparkContext.defaultParallelism
    return frame.withColumn(_BUCKET, F.pmod(F.xxhash64(F.col(key)), F.lit(max(1, count))))


def _empty(frame: DataFrame) -> pa.Table:
    """An empty Arrow table of ``frame``'s columns (to learn the rule's answer's schema)."""
    return to_arrow_schema(frame.schema, timezone="UTC").empty_table()


def _spark_schema(schema: pa.Schema) -> StructType:
    """The Spark schema of an Arrow schema (instants are Spark timestamps, in UTC)."""
    return from_arrow_schema(schema)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` in exactly the Arrow types Spark was promised."""
    return table if table.schema.equals(schema) else table.cast(schema)


def _group_rule(
    rule: _TableRule,
    policy: ComplaintPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    output: pa.Schema,
    *,
    ordered: bool,
) -> Callable[[pa.Table], pa.Table]:
    """The function each executor runs on one group's rows: the batch rule, as is."""

    def run(rows: pa.Table) -> pa.Table:
        if ordered:
            rows = rows.sort_by([("at", "ascending"), (_SEQUENCE, "ascending")])
        rows = rows.drop_columns([c for c in (_BUCKET, _SEQUENCE) if c in rows.column_names])
        return _conform(rule(rows, policy, calendar, as_of=as_of), output)

    return run


def _cogroup_rule(
    rule: _TableRule,
    policy: VisitPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    output: pa.Schema,
) -> Callable[[pa.Table, pa.Table], pa.Table]:
    """The function each executor runs on one group's customers and visit records."""

    def run(customers: pa.Table, visits: pa.Table) -> pa.Table:
        answer = rule(
            customers.drop_columns([_BUCKET]),
            visits.drop_columns([_BUCKET]),
            policy,
            calendar,
            as_of=as_of,
        )
        return _conform(answer, output)

    return run
