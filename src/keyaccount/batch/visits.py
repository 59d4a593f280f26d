"""Overdue visits of a whole book at once: customer and visit-record tables in, one row per
overdue visit out.

`overdue_visits_table(customers, visits, policy, calendar, as_of=...)` is
`keyaccount.visits.overdue_visits` over tables (pyarrow, or Polars DataFrames), answered
as a pyarrow table whose rows equal the scalar rule's `DueVisit` values one for one, in
the same order (customers in table order; per customer first contact, return visit,
cadence, birthday, then each of the policy's greeting days).

Customers table (one row per customer; other columns are ignored):

* ``id`` (text), ``status`` (``prospect``, ``active``, ``lost``), ``tier``
  (``key-account``, ``group``, ``vip``, ``member``, ``ordinary``), ``owner`` (text,
  may be null);
* ``assigned_at`` (timestamp with a zone, may be null), ``birthday`` (``date32``, may be
  null; optional when the policy greets no birthdays);
* ``spend_at`` (optional): a list of timestamps with a zone, the instants of the
  customer's services (`Spend.at`).

Visit records table (one row per `VisitRecord`): ``customer_id`` (text), ``at``
(timestamp with a zone), ``by`` (text; null or empty means no visitor), ``outcome``
(``satisfied``, ``neutral``, ``unsatisfied``, ``not-reached`` or null), ``notes`` (text,
may be null), ``follow_up`` (bool, may be null: false). Only the fields
`VisitRecord.counts_as_contact` reads are needed.

Output columns: `OUTPUT_SCHEMA`. The `DueVisit.reason` sentence is not carried (the
rule, start and deadline say it); appointments are not taken (use the scalar rule).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import numpy as np

try:
    import pyarrow as pa
except ImportError as _missing:  # pragma: no cover - pyarrow is installed wherever tests run
    from keyaccount.errors import MissingExtraError

    raise MissingExtraError(
        "the table rules need pyarrow: pip install 'keyaccount[arrow]'"
    ) from _missing
import pyarrow.compute as pc

from keyaccount._fields import to_instant
from keyaccount.batch import _table_columns as columns
from keyaccount.batch import calendar as kernels
from keyaccount.batch._visit_rows import customers_table, visit_records_table
from keyaccount.calendar import Days, Hours, Period, WorkCalendar, Workdays, WorkingHours
from keyaccount.customers import CustomerStatus, Tier
from keyaccount.errors import InvalidTableError
from keyaccount.visits import Outcome, VisitPolicy, VisitRule

__all__ = ["OUTPUT_SCHEMA", "customers_table", "overdue_visits_table", "visit_records_table"]

_CUSTOMERS: Final = "the customers table"
_VISITS: Final = "the visits table"
_NAT: Final = np.datetime64("NaT", "us")
_US: Final = np.timedelta64(1, "us")
_DAY: Final = np.timedelta64(86_400_000_000, "us")
_RULES: Final = tuple(VisitRule)

#: The columns of `overdue_visits_table`'s answer: a `DueVisit` without its reason.
OUTPUT_SCHEMA: Final = pa.schema(
    [
        ("customer_id", pa.string()),
        ("rule", pa.string()),
        ("start", pa.timestamp("us", tz="UTC")),
        ("period", pa.string()),
        ("deadline", pa.timestamp("us", tz="UTC")),
        ("due_date", pa.date32()),
        ("provisional", pa.bool_()),
        ("owner", pa.string()),
    ]
)


def _local_days(values: np.ndarray, calendar: WorkCalendar) -> np.ndarray:
    """The calendar-zone local date of ``datetime64[us]`` instants, as day numbers since
    1970-01-01 (NaT stays NaT)."""
    local = pc.local_timestamp(columns.utc_us(values, calendar.timezone))
    days = np.asarray(local.cast(pa.date32()).to_numpy(zero_copy_only=False))
    return days.astype("datetime64[D]")


def _midnight(days: np.ndarray, calendar: WorkCalendar) -> np.ndarray:
    """The instant each local day begins (as `pendulum.datetime(y, m, d, tz=...)`)."""
    naive = pa.array(
        days.astype("datetime64[us]").view("int64"), pa.int64(), mask=np.isnat(days)
    ).cast(pa.timestamp("us"))
    aware = pc.assume_timezone(naive, calendar.timezone, ambiguous="earliest", nonexistent="latest")
    return np.asarray(
        aware.cast(pa.int64()).fill_null(np.iinfo(np.int64).min).to_numpy(zero_copy_only=False)
    ).view("datetime64[us]")


def _contact_counts(visits: pa.Table, policy: VisitPolicy) -> np.ndarray:
    """`VisitRecord.counts_as_contact` of every record."""
    size = visits.num_rows
    by = columns.strings_of(visits, "by", _VISITS, required=np.zeros(size, bool), optional=True)
    outcomes = (
        columns.codes_of(
            visits, "outcome", [o.value for o in Outcome], _VISITS, required=np.zeros(size, bool)
        )
        if "outcome" in visits.column_names
        else np.full(size, -1)
    )
    has_by = (
        np.zeros(size, bool)
        if by is None
        else np.asarray(pc.fill_null(pc.greater(pc.utf8_length(by), 0), False))
    )
    outcome_of = list(Outcome)
    not_reached = outcomes == outcome_of.index(Outcome.NOT_REACHED)
    unsatisfied = outcomes == outcome_of.index(Outcome.UNSATISFIED)
    ok = has_by & ~not_reached
    required = policy.required_fields
    if "outcome" in required:
        ok &= outcomes >= 0
    if "notes" in required:
        notes = columns.strings_of(
            visits, "notes", _VISITS, required=np.zeros(size, bool), optional=True
        )
        if notes is None:
            ok &= False
        else:
            trimmed = pc.utf8_length(pc.utf8_trim_whitespace(notes))
            ok &= np.asarray(pc.fill_null(pc.greater(trimmed, 0), False))
    if policy.unsatisfied_needs_follow_up:
        if "follow_up" in visits.column_names:
            flag = visits.column("follow_up")
            if not pa.types.is_boolean(flag.type):
                raise InvalidTableError(
                    f"{_VISITS} column 'follow_up' must be bool, not {flag.type}"
                )
            marked = np.asarray(pc.fill_null(flag, False).to_numpy(zero_copy_only=False))
        else:
            marked = np.zeros(size, bool)
        ok &= ~(unsatisfied & ~marked)
    return np.asarray(ok, dtype=bool)


def _latest_contact(
    customers_ids: pa.Array, visits: pa.Table, policy: VisitPolicy, now: np.datetime64
) -> np.ndarray:
    """The latest counting contact of each customer at or before ``now`` (NaT if none)."""
    latest = np.full(len(customers_ids), _NAT)
    if visits.num_rows == 0:
        return latest
    ids = columns.strings_of(visits, "customer_id", _VISITS)
    at = columns.instants_of(visits, "at", _VISITS)
    assert ids is not None
    assert at is not None
    keep = _contact_counts(visits, policy) & (at <= now)
    index = np.asarray(
        pc.index_in(ids, value_set=customers_ids).fill_null(-1).to_numpy(zero_copy_only=False),
        dtype=np.int64,
    )
    keep &= index >= 0
    values = at[keep].view("int64")
    target = np.full(len(customers_ids), np.iinfo(np.int64).min)
    np.maximum.at(target, index[keep], values) if values.size < 50_000 else _max_into(
        target, index[keep], values
    )
    return target.view("datetime64[us]")


def _max_into(target: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    """``target[index] = max(target[index], values)`` for many rows: sort, then reduce."""
    order = np.lexsort((values, index))
    index, values = index[order], values[order]
    last = np.flatnonzero(np.append(index[1:] != index[:-1], True))
    target[index[last]] = np.maximum(target[index[last]], values[last])


class _Found:
    """The overdue visits found so far, rule by rule (columns, in no particular order)."""

    def __init__(self, calendar: WorkCalendar, slots: int) -> None:
        self.calendar = calendar
        self.slots = slots
        self.parts: list[dict[str, Any]] = []

    def add(
        self,
        customers: np.ndarray,
        slot: int,
        rule: VisitRule,
        start: np.ndarray,
        period: Period,
        due: np.ndarray,
        due_date: np.ndarray | None = None,
    ) -> None:
        """Keep the visits of ``customers`` (rule ``rule``, answer slot ``slot``)."""
        if due_date is None:
            if isinstance(period, (Days, Workdays)):
                due_date = _local_days(due - _US, self.calendar)
            else:
                due_date = np.full(due.size, np.datetime64("NaT", "D"))
        self.parts.append(
            {
                "key": customers * self.slots + slot,
                "customer": customers,
                "rule": np.full(customers.size, _RULES.index(rule)),
                "start": start,
                "period": str(period),
                "deadline": due,
                "due_date": due_date,
                "provisional": self._provisional(period, start, due, due_date),
            }
        )

    def _provisional(
        self, period: Period, start: np.ndarray, due: np.ndarray, due_date: np.ndarray
    ) -> np.ndarray:
        """`Deadline.provisional`: a working-day or working-time answer that touches a
        provisional year, from the start's local date to the due date (or instant)."""
        years = self.calendar.provisional_years
        flag = np.zeros(start.size, dtype=bool)
        if not years or not isinstance(period, (Workdays, WorkingHours)):
            return flag
        end = due_date if isinstance(period, Workdays) else _local_days(due, self.calendar)
        low = _local_days(start, self.calendar).astype("datetime64[Y]").astype(np.int64) + 1970
        high = end.astype("datetime64[Y]").astype(np.int64) + 1970
        for year in years:
            flag |= (low <= year) & (year <= high)
        return flag

    def table(self, ids: pa.Array, owner: pa.Array | None, instant: dt.datetime) -> pa.Table:
        """The answer: customers in table order, rules in the scalar rule's order."""
        if self.parts:
            merged = {
                k: np.concatenate([p[k] for p in self.parts])
                for k in self.parts[0]
                if k != "period"
            }
            periods = [p["period"] for p in self.parts]
            period_index = np.repeat(np.arange(len(periods)), [p["key"].size for p in self.parts])
        else:
            merged = {"key": np.zeros(0, np.int64)}
            periods, period_index = [], np.zeros(0, np.int64)
        order = np.argsort(merged["key"], kind="stable")
        size = order.size

        def pick(name: str, dtype: str) -> np.ndarray:
            return merged[name][order] if size else np.zeros(0, dtype)

        customer = pick("customer", "int64")
        owners = (
            owner.take(pa.array(customer, pa.int64()))
            if owner is not None
            else pa.nulls(size, pa.string())
        )
        built = {
            "customer_id": ids.cast(pa.string()).take(pa.array(customer, pa.int64())),
            "rule": pa.array([r.value for r in _RULES], pa.string()).take(
                pa.array(pick("rule", "int64"), pa.int64())
            ),
            "start": columns.utc_us(pick("start", "datetime64[us]"), "UTC"),
            "period": pa.array(periods, pa.string()).take(
                pa.array(period_index[order], pa.int64())
            ),
            "deadline": columns.utc_us(pick("deadline", "datetime64[us]"), "UTC"),
            "due_date": pa.array(pick("due_date", "datetime64[D]"), pa.date32(), from_pandas=True),
            "provisional": pa.array(pick("provisional", "bool"), pa.bool_()),
            "owner": owners.cast(pa.string()),
        }
        metadata = {"keyaccount.rule": "overdue_visits", "keyaccount.as_of": instant.isoformat()}
        return pa.table(built, schema=OUTPUT_SCHEMA.with_metadata(metadata))


def _us(instant: dt.datetime) -> np.datetime64:
    return np.datetime64(instant.astimezone(dt.UTC).replace(tzinfo=None), "us")


def _day_number(day: dt.date) -> np.datetime64:
    return np.datetime64(day, "D")


def _in_year(year: int, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The date of (month, day) in ``year``; 29 February in a common year is the 28th."""
    first = np.datetime64(f"{year:04d}-01", "M") + (month - 1).astype("timedelta64[M]")
    value = first.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    spilled = value.astype("datetime64[M]") != first
    return np.where(spilled, first.astype("datetime64[D]") + np.timedelta64(27, "D"), value)


def overdue_visits_table(
    customers: Any,
    visits: Any,
    policy: VisitPolicy,
    calendar: WorkCalendar,
    *,
    as_of: dt.datetime,
) -> pa.Table:
    """The visits past their deadline at ``as_of``, for a whole book of customers at once.

    Business meaning: `keyaccount.visits.overdue_visits` (without appointments) over
    tables; each output row equals one `DueVisit` of the scalar rule: its customer,
    rule, deadline start, period, due instant, due date, provisional flag and owner.

    Args:
        customers: the book (pyarrow ``Table`` or Polars ``DataFrame``; columns in the
            module docstring).
        visits: the visit records (same kinds).
        policy: the company's visit rules.
        calendar: the calendar deadlines and local days are computed on.
        as_of: the instant evaluated (aware).

    Returns:
        A pyarrow table with the columns of `OUTPUT_SCHEMA`.

    Raises:
        InvalidTableError: a column is missing, of the wrong type, null where needed, or
            holds an unknown value (the column and the first bad row are named).
        NaiveDatetimeError: a timestamp column has no time zone, or ``as_of`` has none.
        CalendarCoverageError: a working-day deadline is outside the calendar's years.
    """
    instant = to_instant(as_of, "as_of")
    now = _us(instant)
    book = columns.as_arrow_table(customers, _CUSTOMERS)
    records = columns.as_arrow_table(visits, _VISITS)
    size = book.num_rows
    ids = columns.strings_of(book, "id", _CUSTOMERS)
    assert ids is not None
    status = columns.codes_of(book, "status", [s.value for s in CustomerStatus], _CUSTOMERS)
    tiers = list(Tier)
    tier = columns.codes_of(book, "tier", [t.value for t in tiers], _CUSTOMERS)
    owner = columns.strings_of(
        book, "owner", _CUSTOMERS, required=np.zeros(size, bool), optional=True
    )
    assigned = columns.instants_of(book, "assigned_at", _CUSTOMERS, nullable=True, optional=True)
    if assigned is None:
        assigned = np.full(size, _NAT)
    last = _latest_contact(ids, records, policy, now)
    statuses = list(CustomerStatus)
    active = status == statuses.index(CustomerStatus.ACTIVE)
    prospect = status == statuses.index(CustomerStatus.PROSPECT)
    slots = 4 + len(policy.greetings)
    found = _Found(calendar, slots)
    has_last = ~np.isnat(last)
    # first contact: assigned by now and not contacted since
    assigned_now = ~np.isnat(assigned) & (assigned <= now)
    who = np.flatnonzero((active | prospect) & assigned_now & ~(has_last & (last >= assigned)))
    _deadline_rule(
        found, who, 0, VisitRule.FIRST_CONTACT, assigned[who], policy.first_contact, calendar, now
    )
    # return visit: the earliest service by now that no contact followed
    service = _earliest_service(book, last, now, size)
    who = np.flatnonzero(active & ~np.isnat(service))
    _deadline_rule(
        found, who, 1, VisitRule.RETURN_VISIT, service[who], policy.return_visit, calendar, now
    )
    # cadence: every period after the last contact (or the assignment)
    since = np.where(has_last, last, np.where(assigned_now, assigned, _NAT))
    every = {c.tier: c.every for c in policy.cadence}
    for its_tier, period in every.items():
        who = np.flatnonzero(active & (tier == tiers.index(its_tier)) & ~np.isnat(since))
        _deadline_rule(found, who, 2, VisitRule.CADENCE, since[who], period, calendar, now)
    # greetings
    today = _local_days(np.array([now]), calendar)[0]
    lead = np.timedelta64(
        policy.greeting_lead.n if isinstance(policy.greeting_lead, Days) else 0, "D"
    )
    last_day = _local_days(last, calendar)
    if policy.birthday_greeting and "birthday" in book.column_names:
        _birthdays(found, book, active, today, lead, last_day, calendar)
    for number, greeting in enumerate(policy.greetings):
        day = _day_number(greeting.on)
        if day - lead <= today <= day + lead and today > day:
            who = np.flatnonzero(active & ~(~np.isnat(last_day) & (last_day >= day - lead)))
            _whole_day(found, who, 4 + number, VisitRule.HOLIDAY, np.full(who.size, day), calendar)
    return found.table(ids, owner, instant)


def _deadline_rule(
    found: _Found,
    who: np.ndarray,
    slot: int,
    rule: VisitRule,
    start: np.ndarray,
    period: Period,
    calendar: WorkCalendar,
    now: np.datetime64,
) -> None:
    """Keep the visits of ``who`` whose ``period`` after ``start`` has run out at ``now``."""
    if not who.size:
        return
    if isinstance(period, Hours):
        due = start + np.timedelta64(period.duration, "us")
    else:
        due = np.asarray(kernels.deadline(start, period, calendar))
    late = now >= due
    found.add(who[late], slot, rule, start[late], period, due[late])


def _whole_day(
    found: _Found,
    who: np.ndarray,
    slot: int,
    rule: VisitRule,
    day: np.ndarray,
    calendar: WorkCalendar,
) -> None:
    """A greeting due on local ``day``: from its first instant to the next day's."""
    start = _midnight(day, calendar)
    due = _midnight(day + np.timedelta64(1, "D"), calendar)
    found.add(who, slot, rule, start, Days(0), due, day)


def _birthdays(
    found: _Found,
    book: pa.Table,
    active: np.ndarray,
    today: np.datetime64,
    lead: np.timedelta64,
    last_day: np.ndarray,
    calendar: WorkCalendar,
) -> None:
    """生日问候: the birthdays (this year's, or last year's) overdue today."""
    column = book.column("birthday")
    if not pa.types.is_date32(column.type):
        raise InvalidTableError(f"{_CUSTOMERS} column 'birthday' must be date32, not {column.type}")
    born = np.asarray(column.to_numpy(zero_copy_only=False)).astype("datetime64[D]")
    who = np.flatnonzero(active & ~np.isnat(born))
    month = born[who].astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of = (born[who] - born[who].astype("datetime64[M]").astype("datetime64[D]")).astype(
        np.int64
    ) + 1
    year = int(today.astype("datetime64[Y]").astype(np.int64)) + 1970
    day = _in_year(year, month, day_of)
    if year > 1:
        day = np.where(today < day - lead, _in_year(year - 1, month, day_of), day)
    due = (day - lead <= today) & (today <= day + lead) & (today > day)
    contacted = ~np.isnat(last_day[who]) & (last_day[who] >= day - lead)
    keep = due & ~contacted
    _whole_day(found, who[keep], 3, VisitRule.BIRTHDAY, day[keep], calendar)


def _earliest_service(
    book: pa.Table, last: np.ndarray, now: np.datetime64, size: int
) -> np.ndarray:
    """The earliest service of each customer by ``now`` after its last contact (or NaT)."""
    earliest = np.full(size, np.iinfo(np.int64).max)
    if "spend_at" not in book.column_names:
        return np.full(size, _NAT)
    column = book.column("spend_at")
    column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not (pa.types.is_list(column.type) or pa.types.is_large_list(column.type)):
        raise InvalidTableError(
            f"{_CUSTOMERS} column 'spend_at' must be a list of timestamps, not {column.type}"
        )
    parent = np.asarray(pc.list_parent_indices(column).to_numpy(zero_copy_only=False))
    values = pa.table({"spend_at": pc.list_flatten(column)})
    at = columns.instants_of(values, "spend_at", _CUSTOMERS + " (spend_at items)")
    assert at is not None
    before = last[parent]
    keep = (np.isnat(before) | (before < at)) & (at <= now)
    np.minimum.at(earliest, parent[keep], at[keep].view("int64"))
    return np.where(earliest == np.iinfo(np.int64).max, np.iinfo(np.int64).min, earliest).view(
        "datetime64[us]"
    )
