"""How old is what customers owe: open items, days overdue (延误天数) and aging buckets.

The seeds measure 应收帐款坏账率及延误天数 (``001_5973d372c2cdd2f6.txt`` 考核指标) and ask
the manager to check the state of receivables (检查应收账款状况, ``000_e270730e1905b545.txt``).

* An **open item** (`OpenItem`) is an invoice issued by the ``as_of`` local day that
  still owes something after allocation (`keyaccount.finance.allocation`), counting only
  the records dated on or before that day.
* **Days overdue** (延误天数) are the calendar days from the due date to the ``as_of``
  local day: an invoice due 2026-03-01 is 1 day overdue on 2026-03-02, and 0 days on
  2026-03-01 and before (not overdue, whether not yet due or due that very day). The
  local day is ``as_of`` in the calendar's time zone.
* **Aging buckets** follow an `AgingPolicy`: by default 0-30, 31-60, 61-90, 91-180 and
  over 180 days overdue, and a separate **not yet due** (未到期) bucket in front holding
  every item with 0 days overdue, so the 0-30 bucket holds what is 1 to 30 days late.
  With ``separate_not_due=False`` not-yet-due items go to the first bucket instead.
  Every bucket figure lists the invoice ids behind it, and a row's buckets add up to
  its total outstanding.

Figures are grouped per customer, per owner (the invoice's salesperson) or per
department (the owner's department: from ``departments``, a mapping the caller gives,
or `departments_of` staff and a chart). Unapplied credit (what is left of payments) is
reported beside the buckets, never netted into them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

import attrs
import pendulum

from keyaccount._fields import LabelledEnum, to_instant
from keyaccount.calendar import WorkCalendar
from keyaccount.customers import Staff
from keyaccount.errors import InvalidArgumentTypeError, InvalidPolicyError, UnknownPositionError
from keyaccount.finance._checks import expect
from keyaccount.finance.allocation import UnappliedCredit, _fold
from keyaccount.finance.receivables import Receivables
from keyaccount.money import Money
from keyaccount.org import OrgChart

__all__ = [
    "DEFAULT_AGING",
    "Aging",
    "AgingBucket",
    "AgingGroup",
    "AgingPolicy",
    "AgingRow",
    "BucketFigure",
    "OpenItem",
    "aging",
    "departments_of",
    "local_day",
    "open_items",
]

_ZERO: Final = Decimal(0)


@attrs.frozen
class OpenItem:
    """An invoice that still owes something at ``as_of``.

    Attributes:
        invoice_id: the invoice.
        customer_id: the customer who owes it.
        owner: the salesperson's staff id, if the invoice names one.
        due_on: the due date.
        outstanding: what it still owes, in the ledger's currency (more than zero).
        days_overdue: calendar days from ``due_on`` to the ``as_of`` local day; 0 when
            not overdue (延误天数).
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("is_overdue",)

    invoice_id: str
    customer_id: str
    owner: str | None
    due_on: dt.date
    outstanding: Money
    days_overdue: int

    @property
    def is_overdue(self) -> bool:
        """Whether the due date has passed (逾期)."""
        return self.days_overdue > 0


def local_day(as_of: dt.datetime, calendar: WorkCalendar) -> dt.date:
    """The calendar day ``as_of`` falls on in the calendar's time zone.

    Raises:
        NaiveDatetimeError: ``as_of`` has no time zone.
        NotAnInstantError: ``as_of`` is not a datetime.
        InvalidArgumentTypeError: ``calendar`` is not a `WorkCalendar`.
    """
    if not isinstance(calendar, WorkCalendar):
        raise InvalidArgumentTypeError(
            f"calendar must be a WorkCalendar, got {type(calendar).__name__} "
            "(the order is facts, calendar, as_of)"
        )
    at: pendulum.DateTime = to_instant(as_of, "as_of")
    return at.in_timezone(calendar.tz).date()


def open_items(
    receivables: Receivables, calendar: WorkCalendar, as_of: dt.datetime
) -> tuple[OpenItem, ...]:
    """Every invoice still owing at ``as_of``, with its days overdue (延误天数).

    Only records dated on or before the ``as_of`` local day count; payments are
    allocated explicitly, then oldest due first (`keyaccount.finance.allocate`).

    Args:
        receivables: the ledger.
        calendar: the calendar whose time zone gives the ``as_of`` local day.
        as_of: the instant the items are looked at.

    Returns:
        The open items, in the ledger's invoice order.

    Raises:
        NaiveDatetimeError: ``as_of`` has no time zone.
        InvalidArgumentTypeError: ``calendar`` is not a `WorkCalendar`.
    """
    today = local_day(as_of, calendar)
    return _items(receivables, today, _fold(receivables, today, trace=False).remaining)


def _items(
    receivables: Receivables, today: dt.date, remaining: Mapping[str, Decimal]
) -> tuple[OpenItem, ...]:
    """The open items of ``today``, from the allocation's remaining amounts."""
    currency = receivables.currency
    items = []
    for invoice in receivables.invoices:
        owed = remaining.get(invoice.id)
        if owed is None or owed <= _ZERO:
            continue
        due = invoice.due_on
        late = (today - due).days
        items.append(
            OpenItem(
                invoice.id,
                invoice.customer_id,
                invoice.owner,
                due,
                Money(owed, currency),
                late if late > 0 else 0,
            )
        )
    return tuple(items)


@attrs.frozen
class AgingBucket:
    """One aging bucket: items ``low`` to ``high`` days overdue, both included.

    Attributes:
        label: how the bucket is shown (``31-60``).
        low: the fewest days overdue it holds.
        high: the most; ``None`` for the last, open-ended bucket.
    """

    label: str
    low: int
    high: int | None = None

    def holds(self, days_overdue: int) -> bool:
        """Whether an item that many days overdue falls in this bucket."""
        return self.low <= days_overdue and (self.high is None or days_overdue <= self.high)


def _as_buckets(value: Iterable[AgingBucket]) -> tuple[AgingBucket, ...]:
    """attrs converter: the buckets as a tuple; a non-iterable is refused."""
    if not isinstance(value, Iterable):  # text fails the validator: no AgingBucket in it
        raise InvalidPolicyError(f"buckets must be AgingBuckets, got {type(value).__name__}")
    return tuple(value)


def _buckets(_instance: object, _attribute: object, value: tuple[AgingBucket, ...]) -> None:
    if not value or not all(isinstance(b, AgingBucket) for b in value):
        raise InvalidPolicyError("an aging policy needs at least one AgingBucket")
    if value[0].low != 0:
        raise InvalidPolicyError(f"the first aging bucket must start at 0 days, not {value[0].low}")
    for before, after in itertools.pairwise(value):
        if before.high is None or after.low != before.high + 1:
            raise InvalidPolicyError(
                f"aging buckets must follow each other without gap or overlap: "
                f"{before.label} then {after.label}"
            )
    if value[-1].high is not None:
        raise InvalidPolicyError(
            f"the last aging bucket must be open-ended, not end at {value[-1].high}"
        )
    for bucket in value:
        if bucket.high is not None and bucket.high < bucket.low:
            raise InvalidPolicyError(f"aging bucket {bucket.label} ends before it starts")


@attrs.frozen
class AgingPolicy:
    """How open items are bucketed by days overdue.

    The default (0-30, 31-60, 61-90, 91-180, over 180) is the issue's; the seeds name
    the measure (延误天数) but no buckets.

    Attributes:
        buckets: contiguous buckets from 0 days, the last open-ended.
        separate_not_due: put items with 0 days overdue in a bucket of their own
            (``not_due_label``) in front of ``buckets``.
        not_due_label: the label of that bucket.

    Raises:
        InvalidPolicyError: the buckets leave a gap, overlap, do not start at 0 or do
            not end open.
    """

    buckets: tuple[AgingBucket, ...] = attrs.field(
        default=(
            AgingBucket("0-30", 0, 30),
            AgingBucket("31-60", 31, 60),
            AgingBucket("61-90", 61, 90),
            AgingBucket("91-180", 91, 180),
            AgingBucket("over 180", 181, None),
        ),
        converter=_as_buckets,
        validator=_buckets,
    )
    separate_not_due: bool = True
    not_due_label: str = "not yet due"

    @property
    def labels(self) -> tuple[str, ...]:
        """Every bucket's label in order, the not-yet-due one first when separate."""
        head = (self.not_due_label,) if self.separate_not_due else ()
        return (*head, *(b.label for b in self.buckets))

    def index_of(self, days_overdue: int) -> int:
        """The position in `labels` of the bucket an item that many days overdue goes to."""
        if self.separate_not_due:
            if days_overdue <= 0:
                return 0
            return 1 + next(i for i, b in enumerate(self.buckets) if b.holds(days_overdue))
        return next(i for i, b in enumerate(self.buckets) if b.holds(max(days_overdue, 0)))


#: The issue's buckets with not-yet-due items apart.
DEFAULT_AGING: Final = AgingPolicy()


class AgingGroup(LabelledEnum):
    """What an aging report is grouped by."""

    CUSTOMER = "customer", "客户"
    OWNER = "owner", "业务员"
    DEPARTMENT = "department", "部门"


@attrs.frozen
class BucketFigure:
    """One bucket of one row: the amount and the invoices behind it.

    Attributes:
        label: the bucket's label.
        amount: what the invoices in it still owe.
        invoice_ids: those invoices.
    """

    label: str
    amount: Money
    invoice_ids: tuple[str, ...]


@attrs.frozen
class AgingRow:
    """One customer's (owner's, department's) aging.

    Attributes:
        key: the customer id, owner staff id or department id; ``None`` for invoices
            with no owner (or an owner with no known department).
        buckets: one figure per bucket of the policy, in order.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("total",)

    key: str | None
    buckets: tuple[BucketFigure, ...]

    @property
    def total(self) -> Money:
        """What the row's invoices still owe: the sum of its buckets."""
        return sum((b.amount for b in self.buckets[1:]), self.buckets[0].amount)

    @property
    def invoice_ids(self) -> tuple[str, ...]:
        """Every invoice of the row, bucket by bucket."""
        return tuple(i for b in self.buckets for i in b.invoice_ids)


@attrs.frozen
class Aging:
    """An aging report (账龄分析): one row per group, and the total.

    Attributes:
        as_of_day: the local day the report is for.
        group: what the rows are grouped by.
        labels: the bucket labels, in order.
        rows: one row per group key, sorted by key (``None`` last).
        totals: the buckets over every row.
        unapplied: payments with money left over, beside the buckets (not netted).
        currency: the ledger's currency.
    """

    #: The derived facts its JSON carries besides the fields (`keyaccount.io.to_json`).
    __json_properties__ = ("total",)

    as_of_day: dt.date
    group: AgingGroup
    labels: tuple[str, ...]
    rows: tuple[AgingRow, ...]
    totals: AgingRow
    unapplied: tuple[UnappliedCredit, ...]
    currency: str

    @property
    def total(self) -> Money:
        """Everything still owed."""
        return self.totals.total

    def explain(self) -> str:
        """One line: the day, the total and the overdue share."""
        overdue = sum((b.amount for b in self.totals.buckets[1:]), Money.zero(self.currency))
        count = len(self.totals.invoice_ids)
        return (
            f"aging on {self.as_of_day} by {self.group.value}: {count} open invoices owe "
            f"{self.total}, of which {overdue} past the '{self.labels[0]}' bucket"
        )


def departments_of(staff: Iterable[Staff], chart: OrgChart) -> Mapping[str, str]:
    """Each staff member's department, through their position in the chart.

    Raises:
        UnknownPositionError: a staff member's position is not in the chart.
    """
    found: dict[str, str] = {}
    for person in staff:
        try:
            found[person.id] = chart.position(person.position).department
        except UnknownPositionError:
            raise UnknownPositionError(
                f"staff {person.id} holds position {person.position!r}, which the chart lacks"
            ) from None
    return found


def aging(
    receivables: Receivables,
    policy: AgingPolicy,
    calendar: WorkCalendar,
    as_of: dt.datetime,
    *,
    group: AgingGroup = AgingGroup.CUSTOMER,
    departments: Mapping[str, str] | None = None,
) -> Aging:
    """The aging report of ``receivables`` at ``as_of`` (see the module docstring).

    Args:
        receivables: the ledger.
        policy: the buckets (`DEFAULT_AGING`).
        calendar: the calendar whose time zone gives the ``as_of`` local day.
        as_of: the instant the report is for.
        group: per customer, owner or department.
        departments: owner staff id to department id, needed to group by department
            (`departments_of` builds it from staff and a chart).

    Returns:
        The `Aging` report; each row's buckets add up to its total.

    Raises:
        InvalidArgumentTypeError: grouping by department without ``departments``.
    """
    expect(receivables, Receivables, "receivables")
    expect(policy, AgingPolicy, "policy")
    if group is AgingGroup.DEPARTMENT and departments is None:
        raise InvalidArgumentTypeError(
            "aging by department needs departments= (owner staff id -> department id; "
            "see departments_of)"
        )
    today = local_day(as_of, calendar)
    fold = _fold(receivables, today, trace=False)
    items = _items(receivables, today, fold.remaining)
    labels = policy.labels
    width = len(labels)
    sums: dict[str | None, list[Decimal]] = {}
    ids: dict[str | None, list[list[str]]] = {}
    for item in items:
        if group is AgingGroup.CUSTOMER:
            key: str | None = item.customer_id
        elif group is AgingGroup.OWNER:
            key = item.owner
        else:
            key = None if item.owner is None else (departments or {}).get(item.owner)
        row = sums.get(key)
        if row is None:
            row = sums[key] = [_ZERO] * width
            ids[key] = [[] for _ in range(width)]
        index = policy.index_of(item.days_overdue)
        row[index] += item.outstanding.amount
        ids[key][index].append(item.invoice_id)
    currency = receivables.currency
    keys = sorted(sums, key=lambda k: (k is None, k or ""))
    rows = tuple(_row(k, labels, sums[k], ids[k], currency) for k in keys)
    total_sums = [sum((sums[k][i] for k in keys), _ZERO) for i in range(width)]
    total_ids = [[x for k in keys for x in ids[k][i]] for i in range(width)]
    totals = _row(None, labels, total_sums, total_ids, currency)
    unapplied = _unapplied(receivables, fold.left)
    return Aging(today, group, labels, rows, totals, unapplied, currency)


def _row(
    key: str | None,
    labels: tuple[str, ...],
    sums: list[Decimal],
    ids: list[list[str]],
    currency: str,
) -> AgingRow:
    return AgingRow(
        key,
        tuple(
            BucketFigure(label, Money(amount, currency), tuple(invoice_ids))
            for label, amount, invoice_ids in zip(labels, sums, ids, strict=True)
        ),
    )


def _unapplied(
    receivables: Receivables, left: Mapping[str, Decimal]
) -> tuple[UnappliedCredit, ...]:
    customers = {p.id: p.customer_id for p in receivables.payments}
    return tuple(
        UnappliedCredit(p, customers[p], Money(a, receivables.currency))
        for p, a in left.items()
        if a > _ZERO
    )
