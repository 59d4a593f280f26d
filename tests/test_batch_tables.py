"""The rules over tables: `sla_table` and `overdue_visits_table` equal the scalar rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")

from keyaccount.batch.complaints import events_table, sla_table  # noqa: E402
from keyaccount.calendar import WorkCalendar  # noqa: E402
from keyaccount.complaints import Complaint, ComplaintPolicy, sla_status  # noqa: E402
from keyaccount.errors import (  # noqa: E402
    InvalidTableError,
    InvalidTransition,
    NaiveDatetimeError,
)
from keyaccount.testing import (  # noqa: E402
    company_calendars,
    complaint_histories,
    complaint_policies,
)

CHINA = WorkCalendar.china()
TZ = "Asia/Shanghai"


def scalar_rows(
    complaints: list[Complaint], policy: ComplaintPolicy, calendar: WorkCalendar, as_of: Any
) -> list[dict[str, Any]]:
    """What `sla_table` must answer, row for row, from the scalar `sla_status`."""
    out = []
    for complaint in complaints:
        answer = sla_status(complaint, policy, calendar, as_of)
        for t in answer.targets:
            assert answer.status is not None
            out.append(
                {
                    "complaint_id": complaint.id,
                    "status": answer.status.value,
                    "target": t.target.value,
                    "cycle": t.cycle,
                    "period": str(t.period),
                    "start": t.start,
                    "deadline": t.deadline,
                    "due_date": t.due_date,
                    "state": t.state.value,
                    "done_at": t.done_at,
                    "time_used": t.time_used,
                    "time_left": t.time_left,
                    "allowed": t.allowed,
                    "paused": t.paused,
                    "nearing_breach": t.nearing_breach,
                    "breached": t.breached,
                    "overdue": t.overdue,
                }
            )
    return out


def _utc(row: dict[str, Any]) -> dict[str, Any]:
    """Instants in UTC: Python never finds two zones' fold-ambiguous instants equal."""
    return {k: v.astimezone(dt.UTC) if isinstance(v, dt.datetime) else v for k, v in row.items()}


def assert_same(table: Any, expected: list[dict[str, Any]]) -> None:
    got = table.to_pylist()
    assert len(got) == len(expected)
    for row, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
        assert _utc(mine) == _utc(theirs), f"row {row}"


def complaint_list(draw: st.DrawFn, n: int, **kwargs: Any) -> list[Complaint]:
    return [draw(complaint_histories(complaint_id=f"C-{i}", **kwargs)) for i in range(n)]


@st.composite
def cases(draw: st.DrawFn, max_events: int = 12) -> tuple[list[Complaint], ComplaintPolicy, Any]:
    complaints = complaint_list(draw, draw(st.integers(1, 6)), max_events=max_events)
    policy = draw(st.one_of(st.just(ComplaintPolicy.default()), complaint_policies()))
    starts = [c.received_at for c in complaints]
    lasts = [c.last_at for c in complaints]
    as_of = draw(
        st.sampled_from(
            [min(starts), max(lasts), min(lasts) + dt.timedelta(hours=5)]
            + [c.events[len(c.events) // 2].at for c in complaints]
        )
    )
    return complaints, policy, as_of


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_sla_table_equals_sla_status(case: tuple[list[Complaint], ComplaintPolicy, Any]) -> None:
    complaints, policy, as_of = case
    table = sla_table(events_table(complaints, zone=TZ), policy, CHINA, as_of=as_of)
    assert_same(table, scalar_rows(complaints, policy, CHINA, as_of))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_sla_table_equals_sla_status_on_company_calendars(data: st.DataObject) -> None:
    """Other zones (DST ones included), rest days and windows; events in a third zone."""
    calendar = data.draw(company_calendars())
    complaints, policy, as_of = data.draw(cases())
    zone = data.draw(st.sampled_from(["UTC", "America/New_York", "Europe/Berlin", TZ]))
    table = sla_table(events_table(complaints, zone=zone), policy, calendar, as_of=as_of)
    assert_same(table, scalar_rows(complaints, policy, calendar, as_of))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_events=30))
def test_long_histories_go_through_the_scalar_rule(
    case: tuple[list[Complaint], ComplaintPolicy, Any],
) -> None:
    complaints, policy, as_of = case
    table = sla_table(events_table(complaints, zone=TZ), policy, CHINA, as_of=as_of)
    assert_same(table, scalar_rows(complaints, policy, CHINA, as_of))
    long = sum(len(c.events) > 15 for c in complaints if c.received_at <= as_of)
    assert table.schema.metadata[b"keyaccount.scalar_complaints"] == str(long).encode()


def _two() -> list[Complaint]:
    at = pendulum.datetime(2026, 3, 2, 10, tz=TZ)
    from keyaccount.complaints import RequestKind, Severity

    first = (
        Complaint.receive(
            "C-1",
            at=at,
            kind=RequestKind.COMPLAINT,
            severity=Severity.NORMAL,
            customer_id="acme",
            channel="电话",
            summary="late",
        )
        .accept(by="cs", at=at.add(hours=1))
        .pause(at=at.add(hours=2))
    )
    second = Complaint.receive(
        "C-2",
        at=at.add(days=3),
        kind=RequestKind.INQUIRY,
        severity=Severity.URGENT,
        customer_id="acme",
        channel="电话",
        summary="late",
    )
    return [first, second]


def test_interleaved_rows_group_by_complaint_and_keep_first_appearance_order() -> None:
    table = events_table(_two(), zone=TZ)
    shuffled = table.take(pa.array([3, 0, 1, 2]))
    as_of = pendulum.datetime(2026, 3, 10, tz=TZ)
    got = sla_table(shuffled, ComplaintPolicy.default(), CHINA, as_of=as_of)
    expected = scalar_rows(list(reversed(_two())), ComplaintPolicy.default(), CHINA, as_of)
    assert_same(got, expected)


def test_not_yet_received_complaints_are_counted_not_dropped_silently() -> None:
    as_of = pendulum.datetime(2026, 3, 3, tz=TZ)
    got = sla_table(events_table(_two(), zone=TZ), ComplaintPolicy.default(), CHINA, as_of=as_of)
    assert set(got.column("complaint_id").to_pylist()) == {"C-1"}
    assert got.schema.metadata[b"keyaccount.not_yet_received"] == b"1"


def test_polars_frames_and_other_units_are_accepted() -> None:
    polars = pytest.importorskip("polars")
    table = events_table(_two(), zone=TZ)
    as_of = pendulum.datetime(2026, 3, 10, tz=TZ)
    expected = sla_table(table, ComplaintPolicy.default(), CHINA, as_of=as_of)
    frame = polars.from_arrow(table)
    assert sla_table(frame, ComplaintPolicy.default(), CHINA, as_of=as_of).equals(expected)
    ns = table.set_column(2, "at", table.column("at").cast(pa.timestamp("ns", tz="UTC")))
    assert sla_table(ns, ComplaintPolicy.default(), CHINA, as_of=as_of).equals(expected)


# --------------------------------------------------------------------------- bad input

AS_OF = pendulum.datetime(2026, 3, 10, tz=TZ)


def _run(table: Any) -> Any:
    return sla_table(table, ComplaintPolicy.default(), CHINA, as_of=AS_OF)


def test_a_missing_column_is_named() -> None:
    with pytest.raises(InvalidTableError, match="no column 'severity'"):
        _run(events_table(_two(), zone=TZ).drop_columns(["severity"]))


def test_a_column_of_the_wrong_type_is_named() -> None:
    table = events_table(_two(), zone=TZ)
    wrong = table.set_column(2, "at", pa.array(["2026-03-02"] * table.num_rows))
    with pytest.raises(InvalidTableError, match="column 'at' must be a timestamp"):
        _run(wrong)


def test_naive_timestamps_are_refused_never_guessed() -> None:
    table = events_table(_two(), zone=TZ)
    naive = table.set_column(2, "at", table.column("at").cast(pa.timestamp("us")))
    with pytest.raises(NaiveDatetimeError, match="'at' holds naive timestamps"):
        _run(naive)


def test_an_unknown_event_type_names_the_first_bad_row() -> None:
    table = events_table(_two(), zone=TZ)
    types = table.column("type").to_pylist()
    types[2] = "archived"
    with pytest.raises(InvalidTableError, match="'type' at row 2 holds 'archived'"):
        _run(table.set_column(1, "type", pa.array(types)))


def test_a_null_where_a_value_is_needed_names_the_row() -> None:
    table = events_table(_two(), zone=TZ)
    kinds = table.column("kind").to_pylist()
    kinds[3] = None
    with pytest.raises(InvalidTableError, match="'kind' is null at row 3"):
        _run(table.set_column(3, "kind", pa.array(kinds, type=pa.string())))


def test_events_out_of_time_order_name_the_complaint_and_row() -> None:
    table = events_table(_two(), zone=TZ)
    reordered = table.take(pa.array([0, 2, 1, 3]))
    with pytest.raises(InvalidTransition, match="complaint 'C-1' at row 2: the event is earlier"):
        _run(reordered)


def test_an_invalid_history_names_the_complaint_and_row() -> None:
    table = events_table(_two(), zone=TZ)
    types = table.column("type").to_pylist()
    types[1] = "resolved"  # resolved before accepted
    with pytest.raises(InvalidTransition, match="complaint 'C-1' at row 1: cannot resolve"):
        _run(table.set_column(1, "type", pa.array(types)))


def test_a_sub_microsecond_instant_is_refused() -> None:
    table = events_table(_two(), zone=TZ)
    ns = table.column("at").cast(pa.timestamp("ns", tz=TZ)).to_pylist()
    raw = pa.array([v.value if hasattr(v, "value") else v for v in ns])
    values = pa.compute.add(
        table.column("at").cast(pa.timestamp("ns", tz=TZ)).cast(pa.int64()), pa.array([0, 0, 7, 0])
    )
    del raw
    with pytest.raises(InvalidTableError, match="'at' at row 2 has a fraction of a microsecond"):
        _run(table.set_column(2, "at", values.cast(pa.timestamp("ns", tz=TZ))))


def test_not_a_table_is_refused() -> None:
    with pytest.raises(InvalidTableError, match="must be a pyarrow Table"):
        _run([{"complaint_id": "C-1"}])


# --------------------------------------------------------------------------- visits

from keyaccount.batch.visits import (  # noqa: E402
    customers_table,
    overdue_visits_table,
    visit_records_table,
)
from keyaccount.testing import customer_records, visit_policies, visit_records  # noqa: E402
from keyaccount.visits import GreetingDay, VisitPolicy, overdue_visits  # noqa: E402


def scalar_visits(customers: Any, records: Any, policy: Any, calendar: Any, as_of: Any) -> Any:
    return [
        {
            "customer_id": v.customer_id,
            "rule": v.rule.value,
            "start": v.deadline.start,
            "period": str(v.deadline.period),
            "deadline": v.deadline.at,
            "due_date": v.deadline.date,
            "provisional": v.deadline.provisional,
            "owner": v.owner,
        }
        for v in overdue_visits(customers, records, policy, calendar, as_of)
    ]


@st.composite
def books(draw: st.DrawFn) -> tuple[Any, Any, Any, Any]:
    n = draw(st.integers(1, 8))
    ids = tuple(f"c{i}" for i in range(n))
    customers = [draw(customer_records(customer_id=cid)) for cid in ids]
    records = draw(st.lists(visit_records(ids), max_size=12))
    policy = draw(visit_policies())
    if draw(st.booleans()):
        on = draw(st.dates(dt.date(2024, 1, 2), dt.date(2026, 12, 30)))
        policy = VisitPolicy(
            first_contact=policy.first_contact,
            return_visit=policy.return_visit,
            greetings=(GreetingDay("春节", on), GreetingDay("店庆日", on + dt.timedelta(days=2))),
            greeting_lead=draw(st.sampled_from([Days(0), Days(3), Days(10)])),
            birthday_greeting=draw(st.booleans()),
            cadence_lead=draw(st.sampled_from([Days(0), Days(7)])),
        )
    moments = [c.assigned_at for c in customers if c.assigned_at] + [r.at for r in records]
    moments += [s.at for c in customers for s in c.spend]
    as_of = draw(
        st.one_of(
            st.sampled_from(moments or [pendulum.datetime(2026, 1, 1, tz=TZ)]).map(
                lambda m: m + dt.timedelta(days=draw(st.integers(0, 40)))
            ),
            aware_instants(),
        )
    )
    return customers, records, policy, as_of


def aware_instants() -> Any:
    from keyaccount.testing import aware_datetimes

    return aware_datetimes(dt.date(2024, 1, 2), dt.date(2026, 12, 30))


from keyaccount.calendar import Days  # noqa: E402


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books(), st.sampled_from(["UTC", "America/New_York", TZ]))
def test_overdue_visits_table_equals_overdue_visits(case: Any, zone: str) -> None:
    customers, records, policy, as_of = case
    got = overdue_visits_table(
        customers_table(customers, zone=zone),
        visit_records_table(records, zone=zone),
        policy,
        CHINA,
        as_of=as_of,
    )
    assert_same(got, scalar_visits(customers, records, policy, CHINA, as_of))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_overdue_visits_table_on_company_calendars(data: st.DataObject) -> None:
    calendar = data.draw(company_calendars())
    customers, records, policy, as_of = data.draw(books())
    got = overdue_visits_table(
        customers_table(customers), visit_records_table(records), policy, calendar, as_of=as_of
    )
    assert_same(got, scalar_visits(customers, records, policy, calendar, as_of))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_events=20))
def test_chunked_work_gives_the_same_table(case: Any) -> None:
    """The rule works a chunk of complaints at a time; chunk edges change nothing."""
    import keyaccount.batch.complaints as module

    complaints, policy, as_of = case
    saved = module._CHUNK
    module._CHUNK = 2
    try:
        table = sla_table(events_table(complaints, zone=TZ), policy, CHINA, as_of=as_of)
    finally:
        module._CHUNK = saved
    assert_same(table, scalar_rows(complaints, policy, CHINA, as_of))


def test_a_deadline_in_a_daylight_saving_fold_is_compared_as_an_instant() -> None:
    """Found by the company-calendar property: Europe/Berlin, 2024-10-27, clocks back at 03:00.

    Accepted at 02:40 CEST (00:40 UTC), due at 02:10 CET (01:10 UTC): met, although the
    wall clock of the due instant reads earlier. Python compares two datetimes of one
    zone on their wall clocks; `sla_status` (and so `sla_table`) compare instants.
    """
    import attrs

    from keyaccount.calendar import Hours
    from keyaccount.complaints import RequestKind, Severity, SlaTarget

    zone = "Europe/Berlin"
    calendar = WorkCalendar(timezone=zone, weekly_rest_days=[], hours=[("00:00", "23:59")])
    at = pendulum.datetime(2024, 10, 27, 0, 10, tz="UTC").in_timezone(zone)
    complaint = Complaint.receive(
        "C-1",
        at=at,
        kind=RequestKind.COMPLAINT,
        severity=Severity.URGENT,
        customer_id="acme",
        channel="电话",
        summary="late",
    ).accept(by="cs", at=at.add(minutes=30))
    policy = ComplaintPolicy.default()
    rule = policy.rule_for(RequestKind.COMPLAINT, Severity.URGENT)
    one_hour = attrs.evolve(rule, acceptance=SlaTarget(within=Hours(1), warn=Hours(0)))
    policy = attrs.evolve(policy, rules=tuple(one_hour if r is rule else r for r in policy.rules))
    as_of = at.add(hours=5)
    answer = sla_status(complaint, policy, calendar, as_of)
    acceptance = answer.targets[0]
    assert acceptance.deadline.astimezone(dt.UTC) == dt.datetime(2024, 10, 27, 1, 10, tzinfo=dt.UTC)
    assert acceptance.state.value == "met"
    table = sla_table(events_table([complaint], zone=zone), policy, calendar, as_of=as_of)
    assert_same(table, scalar_rows([complaint], policy, calendar, as_of))
