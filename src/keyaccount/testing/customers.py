"""Customers and visits for tests: phone and name spellings, staff, customers, visit records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
from hypothesis import strategies as st

from keyaccount.calendar import Days, Hours, Workdays
from keyaccount.customers import (
    Contact,
    Customer,
    CustomerKind,
    CustomerStatus,
    Spend,
    Staff,
    Tier,
)
from keyaccount.testing.amounts import money
from keyaccount.testing.times import aware_datetimes
from keyaccount.visits import Channel, Outcome, VisitPolicy, VisitRecord

__all__ = [
    "company_names",
    "customer_records",
    "mobile_numbers",
    "name_spellings",
    "phone_spellings",
    "staff_members",
    "visit_policies",
    "visit_records",
]

#: Syllables of made-up company names; none of them is part of a company suffix.
_NAME_PARTS = ("华", "新", "宏", "远", "达", "东", "方", "明", "泰", "恒", "信", "安", "瑞", "丰")
_LATIN_PARTS = ("ABC", "Star", "Nova", "Blue", "Sun", "Delta")
_SUFFIXES = ("", "公司", "有限公司", "有限责任公司", "股份有限公司", "集团", "集团有限公司")
_LATIN_SUFFIXES = ("", " Co., Ltd.", " Ltd", " Inc.", " Limited", " Corp.")


def mobile_numbers() -> st.SearchStrategy[str]:
    """Mainland mobile numbers in canonical form: 11 digits starting 13-19."""
    return st.builds(
        lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
    )


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def phone_spellings(draw: st.DrawFn, number: str) -> str:
    """One of the ways people write the mobile `number` (prefixes, separators, full width)."""
    prefix = draw(st.sampled_from(["", "+86 ", "+86", "0086 ", "0086-", "86"]))
    a, b, c = number[:3], number[3:7], number[7:]
    body = draw(
        st.sampled_from([number, f"{a}-{b}-{c}", f"{a} {b} {c}", f"({a}) {b}.{c}", f"{a}.{b}.{c}"])
    )
    text = prefix + body
    return _full_width(text) if draw(st.booleans()) else text


def company_names() -> st.SearchStrategy[str]:
    """Bare company names (no suffix), Chinese or with a Latin part."""
    chinese = st.lists(st.sampled_from(_NAME_PARTS), min_size=2, max_size=5).map("".join)
    latin = st.tuples(st.sampled_from(_LATIN_PARTS), chinese).map(lambda p: f"{p[0]} {p[1]}")
    return st.one_of(chinese, latin)


@st.composite
def name_spellings(draw: st.DrawFn, name: str) -> str:
    """`name` as someone might write it: a company suffix, spaces, full-width letters."""
    suffix = draw(st.sampled_from(_SUFFIXES + _LATIN_SUFFIXES))
    spaced = " ".join(name) if draw(st.booleans()) else name
    text = f" {spaced}{suffix} " if draw(st.booleans()) else spaced + suffix
    return _full_width(text) if draw(st.booleans()) else text


def staff_members(
    positions: tuple[str, ...] = ("sales-representative",), prefix: str = "s"
) -> st.SearchStrategy[Staff]:
    """Active staff with ids `prefix0`..`prefix99` in the given positions."""
    return st.builds(
        lambda i, position, ability: Staff(f"{prefix}{i}", f"员工{i}", position, ability),
        st.integers(0, 99),
        st.sampled_from(positions),
        st.integers(1, 30).map(lambda tenths: Decimal(tenths) / 10),
    )


def _instants() -> st.SearchStrategy[pendulum.DateTime]:
    return aware_datetimes(dt.date(2024, 1, 2), dt.date(2026, 12, 30))


@st.composite
def customer_records(draw: st.DrawFn, customer_id: str | None = None) -> Customer:
    """Customers with every field exercised (for round trips and rules)."""
    cid = customer_id or draw(st.from_regex(r"c[0-9]{1,4}", fullmatch=True))
    status = draw(st.sampled_from(CustomerStatus))
    spend = draw(
        st.lists(st.builds(Spend, _instants(), money(max_amount=100_000)), max_size=3).map(tuple)
    )
    contacts = draw(
        st.lists(st.builds(Contact, mobile_numbers(), st.sampled_from(["", "王经理"])), max_size=2)
    )
    return Customer(
        cid,
        draw(company_names()),
        kind=draw(st.sampled_from(CustomerKind)),
        tier=draw(st.sampled_from(Tier)),
        status=status,
        owner=draw(st.one_of(st.none(), st.sampled_from(["s1", "s2", "s3"]))),
        contacts=tuple(contacts),
        birthday=draw(st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)))),
        spend=spend,
        credit_rating=draw(st.one_of(st.none(), st.sampled_from(["AAA", "AA", "A", "B"]))),
        credit_limit=draw(st.one_of(st.none(), money(max_amount=1_000_000))),
        assigned_at=draw(st.one_of(st.none(), _instants())),
        registered_by=draw(st.one_of(st.none(), st.just("s1"))),
        registered_position=draw(st.one_of(st.none(), st.just("sales-representative"))),
        registered_at=draw(st.one_of(st.none(), _instants())),
        confidential=draw(st.booleans()),
    )


@st.composite
def visit_records(
    draw: st.DrawFn, customer_ids: tuple[str, ...] = ("c1", "c2", "c3")
) -> VisitRecord:
    """Visit records of the given customers, complete or not."""
    return VisitRecord(
        draw(st.from_regex(r"v[0-9]{1,5}", fullmatch=True)),
        draw(st.sampled_from(customer_ids)),
        draw(_instants()),
        draw(st.sampled_from(Channel)),
        draw(st.sampled_from(["", "s1", "s2"])),
        draw(st.one_of(st.none(), st.sampled_from(Outcome))),
        draw(st.sampled_from(["", "ok", "交付延迟"])),
        draw(st.booleans()),
    )


def visit_policies() -> st.SearchStrategy[VisitPolicy]:
    """Visit policies: day or working-day periods, assorted quiet hours and working-hours flag."""
    quiet = st.sampled_from(
        [
            ("12:00-14:00", "21:00-09:00"),
            ("22:00-08:00",),
            ("12:30-13:30", "20:00-10:00"),
            (),
        ]
    )
    return st.builds(
        VisitPolicy,
        first_contact=st.sampled_from([Days(7), Workdays(5), Days(3)]),
        return_visit=st.sampled_from([Days(3), Workdays(3), Hours(72)]),
        quiet_hours=quiet,
        working_hours_only=st.booleans(),
    )
