"""Instants in files: zone names kept (RFC 9557), repeated hours exact, every type round-trips.

A file writes an instant in a named zone as `2024-11-03T01:00:00-04:00[America/New_York]`
and reads both that and plain RFC 3339. Dump then load gives back an `==` value for every
type `keyaccount.io` reads and writes, in both formats, with every instant in the same
zone, on the same side of a repeated hour, and with the same deadlines.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyaccount import (
    AuthorityKind,
    Complaint,
    ComplaintPolicy,
    Customer,
    Days,
    Delegation,
    Hours,
    OrgChart,
    RequestKind,
    Severity,
    Spend,
    Staff,
    VisitPolicy,
    VisitRecord,
    WorkCalendar,
    Workdays,
    deadline,
)
from keyaccount.complaints import ComplaintEvent
from keyaccount.errors import (
    DataFileError,
    InvalidDateRangeError,
    InvalidInstantError,
    InvalidTimezoneError,
    InvalidTransition,
    KeyAccountError,
)
from keyaccount.io import (
    Format,
    dumps,
    dumps_complaint_policy,
    dumps_complaints,
    dumps_customers,
    dumps_org,
    dumps_staff,
    dumps_visit_policy,
    dumps_visits,
    dumps_year_tables,
    format_instant,
    json_schema,
    load_year_tables,
    loads,
    loads_complaint_policy,
    loads_complaints,
    loads_customers,
    loads_org,
    loads_staff,
    loads_visit_policy,
    loads_visits,
    loads_year_tables,
    parse_instant,
    structure,
    unstructure,
)
from keyaccount.money import Money
from keyaccount.testing import (
    aware_datetimes,
    complaint_histories,
    complaint_policies,
    customer_records,
    delegations,
    org_charts,
    staff_members,
    visit_policies,
    visit_records,
)

T = TypeVar("T")

EXAMPLES = Path(__file__).parent.parent / "examples" / "data"

NEW_YORK = "America/New_York"
FORMATS: tuple[Format, ...] = ("json", "toml")
CHINA = WorkCalendar.china()
NEW_YORK_CALENDAR = WorkCalendar(timezone=NEW_YORK)
#: For strategies that build large values: fewer cases (the fuzz script runs many more).
slow = settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])


def new_york(
    year: int, month: int, day: int, hour: int, minute: int = 0, *, fold: int = 0
) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=NEW_YORK, fold=fold)


# --------------------------------------------------------------------------- comparing


def instants_of(value: object) -> Iterator[dt.datetime]:
    """Every instant inside `value` (attrs fields, tuples, lists, sets, dicts), in order."""
    cls = type(value)
    if isinstance(value, dt.datetime):
        yield value
    elif attrs.has(cls):
        for field in attrs.fields(cls):
            yield from instants_of(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from instants_of(item)
    elif isinstance(value, (frozenset, set)):
        for item in sorted(value, key=repr):
            yield from instants_of(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from instants_of(item)


def outcome(rule: Callable[..., object], *args: object) -> object:
    """What `rule(*args)` gives: its result, or the error it raises (as type and words)."""
    try:
        return rule(*args)
    except KeyAccountError as error:  # a deadline beyond the calendar's years
        return type(error), str(error)


def assert_zone_exact(before: object, after: object, *, deadlines: bool = True) -> None:
    """`after == before`, and each instant in the same zone, fold and (on the Chinese
    calendar, for instants inside its years) deadlines."""
    assert after == before
    pairs = list(zip(instants_of(before), instants_of(after), strict=True))
    for old, new in pairs:
        assert repr(new) == repr(old)  # pendulum's repr names the zone
        assert new.utcoffset() == old.utcoffset()  # which of a repeated hour's two readings
        assert new.timestamp() == old.timestamp()
        assert type(new.tzinfo) is type(old.tzinfo)
        # daylight-saving arithmetic in the instant's own zone
        assert pendulum.instance(new).add(days=1).isoformat() == (
            pendulum.instance(old).add(days=1).isoformat()
        )
        for period in (Hours(25), Days(1), Workdays(1)) if deadlines else ():
            assert outcome(deadline, new, period, CHINA) == outcome(deadline, old, period, CHINA)


# --------------------------------------------------------------------------- A8


def test_a_dumped_new_york_instant_reloads_in_new_york_not_at_a_fixed_offset() -> None:
    # A8: America/New_York used to reload as a fixed -04:00, so a day later was 01:00-04:00
    # instead of 01:00-05:00 (daylight-saving time had ended in the meantime).
    at = new_york(2024, 11, 2, 1, 0)
    record = VisitRecord("v1", "c1", at)
    text = dumps_visits([record])
    assert json.loads(text)[0]["at"] == "2024-11-02T01:00:00-04:00[America/New_York]"
    loaded = loads_visits(text).strict()[0]
    assert loaded == record
    assert repr(loaded.at) == "DateTime(2024, 11, 2, 1, 0, 0, tzinfo=Timezone('America/New_York'))"
    assert loaded.at.add(days=1).isoformat() == "2024-11-03T01:00:00-05:00"
    assert deadline(loaded.at, Days(1), NEW_YORK_CALENDAR) == deadline(
        at, Days(1), NEW_YORK_CALENDAR
    )


@pytest.mark.parametrize(("fold", "offset"), [(0, "-04:00"), (1, "-05:00")])
def test_the_offset_in_the_text_chooses_which_repeated_hour_is_meant(
    fold: int, offset: str
) -> None:
    at = new_york(2024, 11, 3, 1, 0, fold=fold)
    text = format_instant(at)
    assert text == f"2024-11-03T01:00:00{offset}[America/New_York]"
    loaded = parse_instant(text)
    assert loaded.fold == fold
    assert loaded.utcoffset() == at.utcoffset()
    assert loaded.in_timezone("UTC") == at.in_timezone("UTC")
    assert_zone_exact(at, loaded)


def test_the_two_readings_of_a_repeated_hour_stay_an_hour_apart_through_a_file() -> None:
    first, second = new_york(2024, 11, 3, 1, 30, fold=0), new_york(2024, 11, 3, 1, 30, fold=1)
    records = [VisitRecord("v1", "c1", first), VisitRecord("v2", "c1", second)]
    loaded = loads_visits(dumps_visits(records)).strict()
    assert loaded == tuple(records)
    assert loaded[1].at.timestamp() - loaded[0].at.timestamp() == 3600


def test_plain_rfc_3339_keeps_its_fixed_offset_and_is_written_plain() -> None:
    loaded = parse_instant("2026-03-02T09:00:00+08:00")
    assert repr(loaded.tzinfo) == 'FixedTimezone(28800, name="+08:00")'
    assert format_instant(loaded) == "2026-03-02T09:00:00+08:00"
    assert repr(parse_instant("2026-03-02T01:00:00+00:00").tzinfo) == (
        'FixedTimezone(0, name="+00:00")'
    )
    utc = pendulum.datetime(2026, 3, 2, 1, tz="UTC")
    assert format_instant(utc) == "2026-03-02T01:00:00+00:00[UTC]"
    assert_zone_exact(utc, parse_instant(format_instant(utc)))


def test_microseconds_and_whole_second_offsets_survive_a_file() -> None:
    at = pendulum.datetime(2026, 3, 2, 9, 0, 0, 123456, tz="Asia/Shanghai")
    assert format_instant(at) == "2026-03-02T09:00:00.123456+08:00[Asia/Shanghai]"
    assert_zone_exact(at, parse_instant(format_instant(at)))
    old = pendulum.DateTime(1900, 1, 1, tzinfo=pendulum.timezone("Asia/Shanghai"))
    assert format_instant(old) == "1900-01-01T00:00:00+08:05:43[Asia/Shanghai]"
    assert_zone_exact(old, parse_instant(format_instant(old)), deadlines=False)


def test_a_wall_time_the_clocks_skip_is_written_as_the_instant_it_names() -> None:
    # 02:30 does not exist in New York on 2024-03-10; a value built on it by hand is the
    # instant 07:30 UTC (its -05:00 offset), which New York shows as 03:30 EDT.
    skipped = pendulum.DateTime(2024, 3, 10, 2, 30, tzinfo=pendulum.timezone(NEW_YORK))
    text = format_instant(skipped)
    assert text == "2024-03-10T03:30:00-04:00[America/New_York]"
    assert parse_instant(text).timestamp() == skipped.timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-03T05:30:00Z[America/New_York]", "2024-11-03T01:30:00-04:00"),
        ("2024-11-03T06:30:00Z[America/New_York]", "2024-11-03T01:30:00-05:00"),
        ("2024-03-10T09:00:00+08:00[!Asia/Shanghai]", "2024-03-10T09:00:00+08:00"),
        ("2024-03-10T09:00:00+08:00[Asia/Shanghai][u-ca=gregory]", "2024-03-10T09:00:00+08:00"),
        ("2024-03-10T09:00:00+08:00[+08:00]", "2024-03-10T09:00:00+08:00"),
    ],
)
def test_other_rfc_9557_forms_are_read(text: str, expected: str) -> None:
    assert parse_instant(text).isoformat() == expected


# --------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        (
            "2024-07-01T12:00:00+08:00[America/New_York]",
            InvalidInstantError,
            ("+08:00", "America/New_York", "-04:00"),
        ),
        (
            "2024-11-03T01:30:00-06:00[America/New_York]",
            InvalidInstantError,
            ("-06:00", "-04:00 or -05:00"),
        ),
        (
            "2024-03-10T02:30:00-05:00[America/New_York]",
            InvalidInstantError,
            ("does not exist", "skip"),
        ),
        ("2024-03-10T09:00:00+08:00[Mars/Olympus_Mons]", InvalidTimezoneError, ("Mars",)),
        ("2024-03-10T09:00:00+08:00[America]", InvalidTimezoneError, ("America",)),
        ("2024-03-10T09:00:00+08:00[../../etc/passwd]", InvalidTimezoneError, ("unknown",)),
        ("2024-03-10T09:00:00+08:00[]", InvalidTimezoneError, ("IANA",)),
        ("2024-03-10T09:00:00+08:00[Asia/Shanghai", InvalidInstantError, ("RFC 3339",)),
        ("2024-03-10T09:00:00+08:00[Asia/Shanghai][!u-ca=x]", InvalidInstantError, ("critical",)),
        ("2024-03-10T09:00:00+08:00[+09:00]", InvalidInstantError, ("+09:00",)),
        ("2024-03-10T09:00:00[Asia/Shanghai]", InvalidInstantError, ("UTC offset",)),
        ("2024-03-10T09:00:00+08:00:00.5", InvalidInstantError, ("fractions",)),
    ],
)
def test_an_instant_that_contradicts_itself_or_names_no_zone_is_refused(
    text: str, error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as refused:
        parse_instant(text)
    for word in words:
        assert word in str(refused.value)


def test_a_long_refused_text_is_quoted_only_in_part() -> None:
    with pytest.raises(InvalidInstantError) as refused:
        parse_instant("2024" + "9" * 100_000)
    assert len(str(refused.value)) < 300


def test_an_inconsistent_offset_in_a_record_file_is_a_located_problem() -> None:
    data = json.loads(dumps_visits([VisitRecord("v1", "c1", new_york(2024, 7, 1, 12))]))
    good = data[0]
    bad = {**good, "id": "v2", "at": "2024-07-01T12:00:00+08:00[America/New_York]"}
    unknown = {**good, "id": "v3", "at": "2024-07-01T12:00:00-04:00[America/Nowhere]"}
    result = loads_visits(json.dumps([good, bad, unknown]))
    assert [r.id for r in result.items] == ["v1"]
    assert [p.path for p in result.problems] == ["$[1].at", "$[2].at"]
    assert "+08:00" in result.problems[0].message
    assert "America/New_York" in result.problems[0].message
    assert "America/Nowhere" in result.problems[1].message
    with pytest.raises(DataFileError) as error:
        result.strict()
    assert "$[1].at" in str(error.value)


def test_an_inconsistent_offset_in_a_complaint_file_is_a_located_problem() -> None:
    complaint = Complaint.receive(
        "C-1",
        at=new_york(2024, 11, 3, 1, 30, fold=1),
        kind=RequestKind.COMPLAINT,
        severity=Severity.MAJOR,
        customer_id="acme",
        channel="电话",
        summary="late",
    )
    data = json.loads(dumps_complaints([complaint]))
    assert data[0]["events"][0]["at"] == "2024-11-03T01:30:00-05:00[America/New_York]"
    data[0]["events"][0]["at"] = "2024-11-03T01:30:00+05:00[America/New_York]"
    result = loads_complaints(json.dumps(data))
    assert result.items == ()
    assert result.problems[0].path == "$[0].events[0].at"
    assert "-04:00 or -05:00" in result.problems[0].message


def test_an_inconsistent_offset_in_a_delegation_is_a_located_problem() -> None:
    data = {
        "delegator": "a",
        "delegate": "b",
        "kinds": ["approve"],
        "subjects": ["expense"],
        "valid_from": "2024-07-01T12:00:00+08:00[America/New_York]",
        "valid_until": "2024-08-01T12:00:00-04:00[America/New_York]",
        "limit": {"amount": "1000"},
    }
    with pytest.raises(DataFileError) as error:
        structure(data, Delegation)
    assert [p.path for p in error.value.problems] == ["$.valid_from"]


def test_a_toml_offset_date_time_keeps_its_fixed_offset() -> None:
    data = loads("at = 2026-03-02T09:00:00+08:00\nz = 2026-03-02T01:00:00Z\n", "toml")
    at = structure(data["at"], pendulum.DateTime)
    assert repr(at.tzinfo) == 'FixedTimezone(28800, name="+08:00")'
    assert repr(structure(data["z"], pendulum.DateTime).tzinfo) == 'FixedTimezone(0, name="+00:00")'


# --------------------------------------------------------------------------- JSON Schema


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2024-11-03T01:00:00-04:00[America/New_York]", True),
        ("2024-11-03T01:00:00-04:00", True),
        ("2024-11-03T05:00:00Z", True),
        ("2024-11-03T01:00:00.123456-05:00[America/New_York]", True),
        ("2024-11-03T05:00:00Z[America/New_York][u-ca=gregory]", True),
        ("1900-01-01T00:00:00+08:05:43[Asia/Shanghai]", True),
        ("2024-11-03T01:00:00", False),
        ("2024-11-03T01:00:00-04:00[America/New_York", False),
        ("2024-11-03", False),
    ],
)
def test_the_json_schema_accepts_both_instant_forms(text: str, valid: bool) -> None:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs shipped

    schema = json_schema(VisitRecord)
    validator = Draft202012Validator(schema)
    document = unstructure(VisitRecord("v1", "c1", new_york(2024, 11, 3, 1)))
    assert list(validator.iter_errors(document)) == []
    document["at"] = text
    assert (list(validator.iter_errors(document)) == []) is valid


# --------------------------------------------------------------------------- every type


def round_trip(value: T, cls: type[T], fmt: Format) -> T:
    """Through the generic converter and a document in `fmt` (for types with no loader)."""
    return structure(loads(dumps(unstructure(value), fmt), fmt), cls)


@given(st.lists(aware_datetimes(), max_size=6), st.sampled_from(FORMATS))
def test_every_instant_the_strategy_draws_survives_a_file_exactly(
    instants: list[pendulum.DateTime], fmt: Format
) -> None:
    spend = tuple(Spend(at, Money("1")) for at in instants)
    customer = Customer("c1", "某某", spend=spend)
    loaded = loads_customers(dumps_customers([customer], fmt), fmt).strict()
    assert_zone_exact(customer, loaded[0])


@slow
@given(st.lists(customer_records(), max_size=3, unique_by=lambda c: c.id), st.sampled_from(FORMATS))
def test_customers_round_trip_zone_exact(customers: list[Customer], fmt: Format) -> None:
    loaded = loads_customers(dumps_customers(customers, fmt), fmt).strict()
    assert_zone_exact(tuple(customers), loaded)


@given(st.lists(visit_records(), max_size=4, unique_by=lambda r: r.id), st.sampled_from(FORMATS))
def test_visit_records_round_trip_zone_exact(records: list[VisitRecord], fmt: Format) -> None:
    loaded = loads_visits(dumps_visits(records, fmt), fmt).strict()
    assert_zone_exact(tuple(records), loaded)


@slow
@given(st.lists(complaint_histories(), max_size=3, unique_by=lambda c: c.id))
def test_complaints_with_every_event_kind_round_trip_zone_exact(
    complaints: list[Complaint],
) -> None:
    # complaint files are JSON only
    loaded = loads_complaints(dumps_complaints(complaints)).strict()
    assert_zone_exact(tuple(complaints), loaded)


@slow
@given(delegations(), st.sampled_from(FORMATS))
def test_delegations_round_trip_zone_exact(delegation: Delegation, fmt: Format) -> None:
    assert_zone_exact(delegation, round_trip(delegation, Delegation, fmt))


@slow
@given(org_charts(max_positions=4, rich=True), st.sampled_from(FORMATS))
def test_org_charts_round_trip(chart: OrgChart, fmt: Format) -> None:
    assert_zone_exact(chart, loads_org(dumps_org(chart, fmt), fmt))


@given(visit_policies(), st.sampled_from(FORMATS))
def test_visit_policies_round_trip(policy: VisitPolicy, fmt: Format) -> None:
    assert_zone_exact(policy, loads_visit_policy(dumps_visit_policy(policy, fmt), fmt))


@given(complaint_policies(), st.sampled_from(FORMATS))
def test_complaint_policies_round_trip(policy: ComplaintPolicy, fmt: Format) -> None:
    assert_zone_exact(policy, loads_complaint_policy(dumps_complaint_policy(policy, fmt), fmt))


def test_complaint_histories_hold_every_kind_of_event() -> None:
    kinds: set[str] = set()

    @settings(
        max_examples=120,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(complaint_histories())
    def collect(complaint: Complaint) -> None:
        kinds.update(type(event).__name__ for event in complaint.events)

    collect()
    every_kind = {kind.__name__ for kind in typing.get_args(ComplaintEvent)}
    assert kinds == every_kind


def test_the_strategy_draws_both_readings_of_repeated_hours_and_fixed_offsets() -> None:
    seen: set[str] = set()

    @settings(max_examples=300, derandomize=True, database=None)
    @given(aware_datetimes())
    def collect(at: pendulum.DateTime) -> None:
        zone = at.tzinfo
        assert zone is not None
        early, late = zone.utcoffset(at.replace(fold=0)), zone.utcoffset(at.replace(fold=1))
        if early != late:  # a repeated hour
            seen.add(f"repeated fold={at.fold}")
        if "[" not in format_instant(at):
            seen.add("fixed offset")
        assert parse_instant(format_instant(at)).isoformat() == at.isoformat()  # real instants

    collect()
    assert {"repeated fold=0", "repeated fold=1", "fixed offset"} <= seen


@given(st.lists(staff_members(), max_size=4, unique_by=lambda s: s.id), st.sampled_from(FORMATS))
def test_staff_round_trip(staff: list[Staff], fmt: Format) -> None:
    assert_zone_exact(tuple(staff), loads_staff(dumps_staff(staff, fmt), fmt).strict())


@pytest.mark.parametrize("fmt", FORMATS)
def test_year_tables_round_trip(fmt: Format) -> None:
    tables = load_year_tables(EXAMPLES / "china-2027.toml")
    assert tables
    assert_zone_exact(tables, loads_year_tables(dumps_year_tables(tables, fmt), fmt))


# --------------------------------------------------------------------------- the edges


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+05:00[Asia/Shanghai]",
        "9999-12-31T23:59:59-05:00[America/New_York]",
        "9999-12-31T23:59:59Z[+05:00]",
    ],
)
def test_an_instant_whose_utc_time_is_beyond_the_calendar_is_refused_in_a_zone(
    text: str,
) -> None:
    data = json.loads(dumps_visits([VisitRecord("v1", "c1", new_york(2024, 7, 1, 12))]))
    data[0]["at"] = text
    problems = loads_visits(json.dumps(data)).problems
    assert [p.path for p in problems] == ["$[0].at"]
    assert "0001-01-01 to 9999-12-31" in problems[0].message


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_fixed_offset_instant_at_the_edge_of_the_calendar_loads_and_is_written_back(
    text: str,
) -> None:
    at = parse_instant(text)
    assert format_instant(at) == text
    complaint = Complaint.receive(
        "C-1",
        at=at,
        kind=RequestKind.COMPLAINT,
        severity=Severity.NORMAL,
        customer_id="acme",
        channel="电话",
        summary="late",
    ).accept(by="cs", at=at)
    assert loads_complaints(dumps_complaints([complaint])).strict() == (complaint,)


def test_events_across_the_repeated_hour_are_ordered_as_they_happened() -> None:
    # 01:40 EDT happens 30 minutes before 01:10 EST, though its wall clock reads later
    first, then = new_york(2024, 11, 3, 1, 40, fold=0), new_york(2024, 11, 3, 1, 10, fold=1)
    complaint = Complaint.receive(
        "C-1",
        at=first,
        kind=RequestKind.COMPLAINT,
        severity=Severity.MAJOR,
        customer_id="acme",
        channel="电话",
        summary="late",
    ).accept(by="cs", at=then)
    assert loads_complaints(dumps_complaints([complaint])).strict() == (complaint,)
    with pytest.raises(InvalidTransition, match="earlier"):
        Complaint.receive(
            "C-2",
            at=then,
            kind=RequestKind.COMPLAINT,
            severity=Severity.MAJOR,
            customer_id="acme",
            channel="电话",
            summary="late",
        ).accept(by="cs", at=first)
    grant = Delegation("a", "b", frozenset({AuthorityKind.APPROVE}), frozenset({"x"}), first, then)
    assert grant.is_active(new_york(2024, 11, 3, 1, 50, fold=0))
    assert not grant.is_active(new_york(2024, 11, 3, 1, 50, fold=1))
    assert_zone_exact(grant, round_trip(grant, Delegation, "toml"))
    with pytest.raises(InvalidDateRangeError):
        Delegation("a", "b", frozenset({AuthorityKind.APPROVE}), frozenset({"x"}), then, first)
