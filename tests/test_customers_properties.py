"""Properties of ownership, duplicate claims and visibility, over generated facts."""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal

import pendulum
from hypothesis import assume, given
from hypothesis import strategies as st

from keyaccount import reference
from keyaccount.customers import (
    AbcClass,
    Contact,
    Customer,
    CustomerStatus,
    DuplicateClaim,
    Registration,
    RivalClaim,
    Staff,
    abc_classes,
    apply_assignments,
    assign,
    can_view,
    company_key,
    hand_over,
    normalise_phone,
    redact,
    register,
    resolve_claims,
    unowned,
)
from keyaccount.money import Money
from keyaccount.testing import (
    company_names,
    mobile_numbers,
    money,
    name_spellings,
    phone_spellings,
    staff_members,
)

MONDAY = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
KEY_ACCOUNT = reference.load("key-account")
POSITIONS = tuple(p.id for p in KEY_ACCOUNT.positions)


# --------------------------------------------------------------------------- ownership


@st.composite
def turnover(draw: st.DrawFn) -> tuple[list[Staff], list[tuple[str, int]]]:
    """Staff and a sequence of operations: ("leave", who) or ("new", how many customers)."""
    people = draw(st.lists(staff_members(), min_size=2, max_size=6, unique_by=lambda s: s.id))
    ops = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("leave"), st.integers(0, len(people) - 1)),
                st.tuples(st.just("new"), st.integers(1, 5)),
            ),
            max_size=12,
        )
    )
    return people, ops


@given(turnover())
def test_after_any_departures_and_assignments_no_active_customer_is_without_an_owner(
    facts: tuple[list[Staff], list[tuple[str, int]]],
) -> None:
    people, ops = facts
    book: list[Customer] = []
    counter = itertools.count()
    at = MONDAY
    for op, value in ops:
        at = at.add(days=1)
        active = [p for p in people if p.active]
        if op == "new":
            fresh = [Customer(f"c{next(counter):03d}", "客户") for _ in range(value)]
            moves = assign(fresh, active, book=book)
            book = [*book, *apply_assignments(fresh, moves, at)]
        else:
            leaving = people[value]
            others = [p for p in active if p.id != leaving.id]
            if not leaving.active or not others:
                continue
            interim = others[0]
            candidates = others[1:]  # sometimes nobody: the interim keeps them
            result = hand_over(leaving, book, candidates, interim)
            assert {a.customer_id for a in result.assignments} == {
                c.id for c in book if c.owner == leaving.id
            }
            book = list(apply_assignments(book, result.assignments, at))
            people[value] = Staff(
                leaving.id, leaving.name, leaving.position, leaving.ability, active=False
            )
        assert unowned(book) == ()
        gone = {p.id for p in people if not p.active}
        assert not any(c.owner in gone for c in book)


@given(
    st.lists(staff_members(), min_size=1, max_size=5, unique_by=lambda s: s.id),
    st.integers(0, 40),
)
def test_assignment_is_deterministic_and_ignores_the_order_of_its_inputs(
    people: list[Staff], n: int
) -> None:
    customers = [Customer(f"c{i:02d}", "客户") for i in range(n)]
    forward = assign(customers, people)
    backward = assign(list(reversed(customers)), list(reversed(people)))
    assert forward == backward


@given(st.lists(st.integers(0, 99), min_size=1, max_size=5, unique=True), st.integers(0, 60))
def test_with_equal_ability_loads_differ_by_at_most_one(ids: list[int], n: int) -> None:
    people = [Staff(f"s{i}", "x", "p") for i in ids]
    moves = assign([Customer(f"c{i}", "客户") for i in range(n)], people)
    counts = [sum(1 for m in moves if m.owner == p.id) for p in people]
    assert max(counts) - min(counts) <= 1


@given(
    st.lists(staff_members(), min_size=1, max_size=5, unique_by=lambda s: s.id),
    st.integers(1, 40),
)
def test_no_customer_could_have_gone_to_a_less_loaded_specialist(
    people: list[Staff], n: int
) -> None:
    moves = assign([Customer(f"c{i:02d}", "客户") for i in range(n)], people)
    load = {p.id: 0 for p in people}
    for move in moves:
        chosen = next(p for p in people if p.id == move.owner)
        score = Decimal(load[chosen.id] + 1) / chosen.ability
        for other in people:
            assert score <= Decimal(load[other.id] + 1) / other.ability
        load[chosen.id] += 1


# --------------------------------------------------------------------------- duplicate claims


@st.composite
def same_customer_twice(draw: st.DrawFn) -> tuple[Customer, Customer]:
    name = draw(company_names())
    number = draw(mobile_numbers())
    by_phone = draw(st.booleans())
    first = Customer("p1", draw(name_spellings(name)), contacts=(Contact(number),))
    if by_phone:
        second = Customer("p2", "完全不同", contacts=(Contact(draw(phone_spellings(number))),))
    else:
        second = Customer("p2", draw(name_spellings(name)))
    return first, second


@given(same_customer_twice())
def test_the_same_customer_in_any_spelling_is_caught(pair: tuple[Customer, Customer]) -> None:
    first, second = pair
    zhang = Staff("zhang", "张", "sales-representative")
    li = Staff("li", "李", "sales-representative")
    registration = register([], first, zhang, MONDAY)
    assert isinstance(registration, Registration)
    claim = register([registration], second, li, MONDAY.add(minutes=5))
    assert isinstance(claim, DuplicateClaim)
    assert (claim.earlier.by, claim.earlier.at) == (registration.by, registration.at)


@given(mobile_numbers().flatmap(lambda n: st.tuples(st.just(n), phone_spellings(n))))
def test_every_phone_spelling_normalises_to_the_same_number(pair: tuple[str, str]) -> None:
    number, spelling = pair
    assert normalise_phone(spelling) == number


@given(
    st.lists(st.tuples(company_names(), mobile_numbers()), min_size=2, max_size=6),
)
def test_different_customers_are_not_caught(pairs: list[tuple[str, str]]) -> None:
    keys = [company_key(name) for name, _ in pairs]
    phones = [phone for _, phone in pairs]
    assume(len(set(keys)) == len(keys) and len(set(phones)) == len(phones))
    registry: list[Registration] = []
    for index, (name, phone) in enumerate(pairs):
        person = Staff(f"s{index}", "x", "sales-representative")
        result = register(
            registry,
            Customer(f"p{index}", name, contacts=(Contact(phone),)),
            person,
            MONDAY.add(minutes=index),
        )
        assert isinstance(result, Registration)
        registry.append(result)


@given(st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙"]), st.integers(0, 3)), max_size=8))
def test_resolving_claims_does_not_depend_on_the_order_given(
    entries: list[tuple[str, int]],
) -> None:
    registrations = [
        Registration(f"p{i}", name, (), f"s{i % 3}", "sales-representative", MONDAY.add(hours=h))
        for i, (name, h) in enumerate(entries)
    ]
    forward = resolve_claims(registrations)
    backward = resolve_claims(list(reversed(registrations)))
    assert forward == backward
    winners, claims = forward
    assert len({company_key(w.name) for w in winners}) == len(winners)
    for claim in claims:
        assert claim.earlier.at <= claim.claim.at


#: Every way the seeds' companies write their legal form, Chinese and English.
SUFFIX_VARIANTS = (
    "",
    "公司",
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "集团",
    "集团公司",
    "集团有限公司",
    "(集团)",
    "（集团）",
    "(集团)有限公司",
    "（集团）股份有限公司",
    "【集团】有限公司",
    " Co., Ltd.",
    " Co. Ltd",
    " Ltd",
    " Ltd.",
    " Inc.",
    " Limited",
    " Corp.",
    " Group",
    " Company Limited",
)
SPACES = (" ", "  ", "\u3000", "\t")


@st.composite
def spelling_variants(draw: st.DrawFn, name: str) -> str:
    """``name`` with any suffix, spaces inserted anywhere (inside the suffix too), full width.

    A space is never inserted just before a Latin suffix's first letter is glued to a
    Latin letter: the bare names end in a Chinese character, and Latin suffixes start
    with a space of their own, which insertion only widens.
    """
    text = name + draw(st.sampled_from(SUFFIX_VARIANTS))
    cuts = draw(st.lists(st.integers(0, len(text)), max_size=6))
    for cut in sorted(cuts, reverse=True):
        text = text[:cut] + draw(st.sampled_from(SPACES)) + text[cut:]
    if draw(st.booleans()):
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    return text


@given(company_names().flatmap(lambda n: st.tuples(spelling_variants(n), spelling_variants(n))))
def test_every_spelling_of_one_company_has_the_same_key(pair: tuple[str, str]) -> None:
    first, second = pair
    assert company_key(first) == company_key(second)
    zhang = Staff("zhang", "张", "sales-representative")
    li = Staff("li", "李", "sales-representative")
    registration = register([], Customer("p1", first), zhang, MONDAY)
    assert isinstance(registration, Registration)
    claim = register([registration], Customer("p2", second), li, MONDAY.add(minutes=1))
    assert isinstance(claim, DuplicateClaim)
    assert (claim.earlier.by, claim.earlier.at) == (registration.by, registration.at)


@given(
    st.tuples(company_names(), company_names()).flatmap(
        lambda names: st.tuples(
            st.just(names), spelling_variants(names[0]), spelling_variants(names[1])
        )
    )
)
def test_spellings_of_different_companies_have_different_keys(
    drawn: tuple[tuple[str, str], str, str],
) -> None:
    (a, b), first, second = drawn
    assume(company_key(a) != company_key(b))  # two different companies
    assert company_key(first) != company_key(second)
    zhang = Staff("zhang", "张", "sales-representative")
    li = Staff("li", "李", "sales-representative")
    registration = register([], Customer("p1", first), zhang, MONDAY)
    assert isinstance(registration, Registration)
    assert isinstance(register([registration], Customer("p2", second), li, MONDAY), Registration)


@st.composite
def claim_sequences(draw: st.DrawFn) -> list[tuple[Customer, Staff, pendulum.DateTime]]:
    """Registrations of a few customers by a few people, in any order, ties and back-dating."""
    names = ("甲公司", "甲 有限公司", "乙", "乙（集团）", "丙")
    phones = ("13800000001", "13800000002", "13800000003")
    people = [Staff(f"s{i}", "x", "sales-representative") for i in range(3)]
    steps = draw(
        st.lists(
            st.tuples(
                st.integers(0, 4),  # customer id
                st.sampled_from(names),
                st.lists(st.sampled_from(phones), max_size=2, unique=True),
                st.integers(0, 2),  # registrant
                st.integers(0, 3),  # hours after MONDAY (ties and back-dating)
            ),
            max_size=10,
        )
    )
    return [
        (
            Customer(f"p{cid}", name, contacts=tuple(Contact(n) for n in numbers)),
            people[who],
            MONDAY.add(hours=hours),
        )
        for cid, name, numbers, who, hours in steps
    ]


@given(claim_sequences())
def test_register_agrees_with_resolve_claims_on_every_sequence(
    steps: list[tuple[Customer, Staff, pendulum.DateTime]],
) -> None:
    registry: list[Registration] = []
    # who holds a customer, as register reports it: (registrant, since when), all a rival
    # may learn of another person's registration (issue 9, F1 and F2); one person may hold
    # two customers registered at the same instant, so it is a multiset
    holders: Counter[tuple[str, pendulum.DateTime]] = Counter()

    def held(r: Registration | RivalClaim) -> tuple[str, pendulum.DateTime]:
        return r.by, r.at

    for prospect, person, at in steps:
        result = register(registry, prospect, person, at)
        if isinstance(result, DuplicateClaim):
            assert result.claim.by == person.id
            assert result.earlier.by != person.id
            assert holders[held(result.earlier)] > 0
            # resolve_claims says the same of the refused claim
            _, claims = resolve_claims([*registry, result.claim])
            assert any(c.claim == result.claim and c.earlier == result.earlier for c in claims)
        elif result in registry:  # the registrant's own earlier registration
            assert result.by == person.id
            assert holders[held(result)] > 0
        else:
            registry.append(result)
            displaced = Counter(held(d) for d in result.displaces)
            assert displaced <= holders
            holders -= displaced
            holders += Counter([held(result), *(held(r) for r in result.reinstates)])
        winners, claims = resolve_claims(registry)
        # never a silent co-holder: exactly resolve_claims' winners hold customers
        assert holders == Counter(held(w) for w in winners)
        for claim in claims:
            assert holders[held(claim.earlier)] > 0
            assert claim.earlier.at <= claim.claim.at


# --------------------------------------------------------------------------- visibility


@given(
    st.sampled_from(POSITIONS),
    st.sampled_from(POSITIONS),
    mobile_numbers(),
    st.booleans(),
)
def test_no_viewer_outside_the_chain_sees_a_prospects_phone(
    registrant_position: str, viewer_position: str, phone: str, same_person: bool
) -> None:
    registrant = Staff("r", "报备人", registrant_position)
    viewer = registrant if same_person else Staff("v", "他人", viewer_position)
    customer = Customer(
        "p1",
        "某某",
        status=CustomerStatus.PROSPECT,
        contacts=(Contact(phone),),
        registered_by=registrant.id,
        registered_position=registrant.position,
    )
    shown = redact(KEY_ACCOUNT, viewer, customer)
    allowed = same_person or KEY_ACCOUNT.is_above(viewer_position, registrant_position)
    assert can_view(KEY_ACCOUNT, viewer, customer) == allowed
    if allowed:
        assert shown is customer
    else:
        assert not isinstance(shown, Customer)
        assert phone not in repr(shown)
    assert customer.contacts[0].phone == phone  # never mutated


# --------------------------------------------------------------------------- ABC


@given(st.dictionaries(st.from_regex(r"c[0-9]{1,3}", fullmatch=True), money(), max_size=30))
def test_the_a_class_reaches_80_percent_and_classes_never_go_back_up(
    revenue: dict[str, Money],
) -> None:
    rows = abc_classes(revenue)
    assert [r.customer_id for r in rows] == sorted(revenue, key=lambda c: (-revenue[c].amount, c))
    order = [AbcClass.A, AbcClass.B, AbcClass.C]
    assert [order.index(r.abc) for r in rows] == sorted(order.index(r.abc) for r in rows)
    total = sum((m.amount for m in revenue.values()), Decimal(0))
    if total:
        a_share = sum((r.share for r in rows if r.abc is AbcClass.A), start=0)
        assert a_share >= Decimal("0.8")
        assert rows[-1].cumulative == 1
