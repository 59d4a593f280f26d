"""Customers and visit records as rows of the tables `overdue_visits_table` reads.

Private to `keyaccount.batch.visits`, which re-exports `customers_table` and
`visit_records_table`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from keyaccount.customers import Customer
from keyaccount.visits import VisitRecord

__all__ = ["customers_table", "visit_records_table"]


def customers_table(customers: Iterable[Customer], *, zone: str = "Asia/Shanghai") -> pa.Table:
    """The customers table of ``customers``, in the layout `overdue_visits_table` reads.

    Columns: ``id``, ``status``, ``tier``, ``owner``, ``assigned_at``, ``birthday``,
    ``spend_at`` (the instants of the customer's services); instants in ``zone``.
    """
    book = list(customers)
    stamp = pa.timestamp("us", tz=zone)
    return pa.table(
        {
            "id": pa.array([c.id for c in book], pa.string()),
            "status": pa.array([c.status.value for c in book], pa.string()),
            "tier": pa.array([c.tier.value for c in book], pa.string()),
            "owner": pa.array([c.owner for c in book], pa.string()),
            "assigned_at": pa.array([c.assigned_at for c in book], stamp),
            "birthday": pa.array([c.birthday for c in book], pa.date32()),
            "spend_at": pa.array([[s.at for s in c.spend] for c in book], pa.list_(stamp)),
        }
    )


def visit_records_table(records: Iterable[VisitRecord], *, zone: str = "Asia/Shanghai") -> pa.Table:
    """The visit records table of ``records``, in the layout `overdue_visits_table` reads.

    Columns: ``id``, ``customer_id``, ``at``, ``channel``, ``by``, ``outcome``, ``notes``,
    ``follow_up``; instants in ``zone``.
    """
    rows = list(records)
    return pa.table(
        {
            "id": pa.array([r.id for r in rows], pa.string()),
            "customer_id": pa.array([r.customer_id for r in rows], pa.string()),
            "at": pa.array([r.at for r in rows], pa.timestamp("us", tz=zone)),
            "channel": pa.array([r.channel.value for r in rows], pa.string()),
            "by": pa.array([r.by for r in rows], pa.string()),
            "outcome": pa.array(
                [r.outcome.value if r.outcome else None for r in rows], pa.string()
            ),
            "notes": pa.array([r.notes for r in rows], pa.string()),
            "follow_up": pa.array([r.follow_up for r in rows], pa.bool_()),
        }
    )
