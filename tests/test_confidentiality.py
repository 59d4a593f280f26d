"""Prospects' details are for the holder of the registration and their chain only (issue 9, F1-F5).

报备未成交的客户信息绝对保密 (``001_…``). The regression tests reproduce each leak the
adversarial pass found; the property test searches the repr (and the text) of every
public result a viewer outside the registrant's chain receives for every confidential
value of every prospect.

What is confidential: a prospect's name and its company key, its phone numbers, its
contacts' names and roles, its opinions, card and credit rating, and *which* record a
detail belongs to. A customer id on its own is an opaque handle, not confidential: a
`RedactedCustomer` keeps it so the record can be referred to, and visit and complaint
records point at it. What is confidential about an id is its link to a detail, so no
result ties a phone, a name or a colleague's registration to a prospect's id.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import reference
from keyaccount.calendar import DateRange, WorkCalendar
from keyaccount.cli import main
from keyaccount.customers import (
    Booking,
    Contact,
    Customer,
    CustomerStatus,
    DuplicateClaim,
    Registration,
    RivalClaim,
    Staff,
    apply_assignments,
    can_view,
    company_key,
    frequent_customers,
    hand_over,
    redact,
    register,
    resolve_claims,
)
from keyaccount.errors import MissingChartError, UnknownPositionError
from keyaccount.money import Money
from keyaccount.org import OrgChart
from keyaccount.testing import mobile_numbers, org_charts
from keyaccount.visits import VisitPolicy, due_visits

SHANGHAI = "Asia/Shanghai"
MONDAY = pendulum.datetime(2026, 3, 2, 9, 30, tz=SHANGHAI)
KEY_ACCOUNT = reference.load("key-account")
ZHANG = Staff("zhang", "张伟", "sales-representative")
LI = Staff("li", "李娜", "sales-representative")
WANG = Staff("wang", "王芳", "sales-supervisor")
ZHAO = Staff("zhao", "赵敏", "presales-engineer")
DATA = Path(__file__).resolve().parent.parent / "examples" / "data"


def secret_prospect(by: Staff = ZHANG, **changes: object) -> Customer:
    """Zhang's prospect, with two phone numbers and every confidential field filled."""
    fields: dict[str, object] = {
        "status": CustomerStatus.PROSPECT,
        "owner": by.id,
        "contacts": (Contact("13600136000", "陈经理", "采购"), Contact("13911112222")),
        "opinions": ("价格偏高",),
        "card": "至尊卡",
        "registered_by": by.id,
        "registered_position": by.position,
        "registered_at": MONDAY,
    }
    fields.update(changes)
    return Customer("p001", "杭州某某有限公司", **fields)  # type: ignore[arg-type]  # test helper


def shown(*values: object) -> str:
    """Everything a person is shown of ``values``: their repr and their text."""
    return "\n".join(f"{value!r}\n{value}" for value in values)


# --------------------------------------------------------------------------- F1


def test_a_duplicate_claim_tells_the_claimant_who_holds_it_and_since_when_nothing_else() -> None:
    winner = register([], secret_prospect(), ZHANG, MONDAY)
    assert isinstance(winner, Registration)
    # Li knows one of the two numbers and part of the name.
    rival = Customer("p777", "杭州 某某", contacts=(Contact("+86 136-0013-6000"),))
    claim = register([winner], rival, ZHAO, MONDAY.add(hours=2))

    assert isinstance(claim, DuplicateClaim)
    assert claim.earlier == RivalClaim("zhang", MONDAY, "phone 13600136000")
    text = shown(claim, claim.reason, claim.earlier)
    assert "13911112222" not in text  # the number li never gave
    assert "杭州某某有限公司" not in text  # the winner's name as registered
    assert "p001" not in text  # the winner's customer id
    assert "sales-representative" not in text  # the winner's position
    assert "zhang" in claim.reason
    assert MONDAY.isoformat() in claim.reason


def test_resolve_claims_gives_each_claimant_the_same_safe_answer() -> None:
    winner = register([], secret_prospect(), ZHANG, MONDAY)
    assert isinstance(winner, Registration)
    loser = Registration("p777", "杭州某某", ("13600136000",), "li", "sales-representative", MONDAY)
    late = attrs.evolve(loser, at=MONDAY.add(hours=1))
    winners, claims = resolve_claims([winner, late])
    assert winners == (winner,)  # the registry itself: the specialist who files it sees it
    (claim,) = claims
    assert claim.earlier == RivalClaim("zhang", MONDAY, "phone 13600136000")
    assert "13911112222" not in shown(claim, claim.reason)


# --------------------------------------------------------------------------- F2


def test_a_back_dated_registration_learns_whom_it_displaces_not_their_registration() -> None:
    later = register([], secret_prospect(), ZHANG, MONDAY)
    assert isinstance(later, Registration)
    back_dated = register(
        [later],
        Customer("p9", "另一个名字", contacts=(Contact("13600136000"),)),
        ZHAO,
        MONDAY.subtract(days=1),
    )
    assert isinstance(back_dated, Registration)
    assert back_dated.displaces == (RivalClaim("zhang", MONDAY, "phone 13600136000"),)
    text = shown(back_dated, *back_dated.displaces)
    for value in ("13911112222", "杭州某某", "p001", "sales-representative"):
        assert value not in text


# --------------------------------------------------------------------------- F3


def test_after_a_hand_over_the_new_owner_sees_the_prospect_and_the_leaver_does_not() -> None:
    gone = attrs.evolve(ZHANG, active=False)
    wu = Staff("wu", "吴", "sales-representative")
    book = [secret_prospect()]
    handed = hand_over(gone, book, [LI], interim=wu)
    (taken,) = apply_assignments(book, handed.assignments, MONDAY.add(days=1))

    assert taken.owner == "li"
    assert (taken.registered_by, taken.registered_position) == ("li", "sales-representative")
    assert taken.registered_at == MONDAY  # precedence (撞单) unchanged
    assert can_view(KEY_ACCOUNT, LI, taken)
    assert can_view(KEY_ACCOUNT, WANG, taken)  # the new owner's supervisor
    assert not can_view(KEY_ACCOUNT, gone, taken)
    assert not can_view(KEY_ACCOUNT, wu, taken)
    assert not can_view(KEY_ACCOUNT, ZHAO, taken)


def test_a_person_who_has_left_sees_nothing_confidential_even_of_their_own() -> None:
    gone = attrs.evolve(ZHANG, active=False)
    assert not can_view(KEY_ACCOUNT, gone, secret_prospect())
    assert not can_view(KEY_ACCOUNT, attrs.evolve(WANG, active=False), secret_prospect())
    assert can_view(KEY_ACCOUNT, gone, secret_prospect(status=CustomerStatus.ACTIVE))


def test_the_owner_sees_a_prospect_someone_else_registered() -> None:
    assert can_view(KEY_ACCOUNT, LI, secret_prospect(owner="li"))


def test_the_interim_owner_of_an_orphan_prospect_holds_its_registration() -> None:
    interim = Staff("sun", "孙丽", "presales-engineer")
    book = [secret_prospect()]
    handed = hand_over(ZHANG, book, [], interim=interim)
    (kept,) = apply_assignments(book, handed.assignments, MONDAY)
    assert (kept.owner, kept.registered_by) == ("sun", "sun")
    assert can_view(KEY_ACCOUNT, interim, kept)
    assert not can_view(KEY_ACCOUNT, LI, kept)


def test_an_unknown_registrant_position_is_an_error_that_does_not_name_it() -> None:
    hidden = secret_prospect(registered_position="secret-desk")
    with pytest.raises(UnknownPositionError) as caught:
        can_view(KEY_ACCOUNT, LI, hidden)
    assert "secret-desk" not in str(caught.value)
    assert "p001" in str(caught.value)


# --------------------------------------------------------------------------- F5


def _bookings(phone: str) -> list[Booking]:
    return [Booking(phone, dt.date(2026, 3, day), Money(100), "客人") for day in (2, 3, 4)]


def test_frequent_customers_never_links_a_number_to_a_prospect_for_an_unknown_caller() -> None:
    march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    secret = secret_prospect()
    (row,) = frequent_customers(_bookings("13600136000"), march, customers=[secret])
    assert row.customer_id is None
    (row,) = frequent_customers(
        _bookings("13600136000"), march, customers=[secret], chart=KEY_ACCOUNT, viewer=LI
    )
    assert row.customer_id is None
    (row,) = frequent_customers(
        _bookings("13600136000"), march, customers=[secret], chart=KEY_ACCOUNT, viewer=ZHANG
    )
    assert row.customer_id == "p001"
    closed = secret_prospect(status=CustomerStatus.ACTIVE)
    (row,) = frequent_customers(_bookings("13600136000"), march, customers=[closed])
    assert row.customer_id == "p001"  # a closed customer is no secret


def test_frequent_customers_with_a_viewer_needs_the_chart() -> None:
    march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with pytest.raises(MissingChartError):
        frequent_customers(_bookings("13600136000"), march, viewer=ZHANG)


# --------------------------------------------------------------------------- F4: the command line


@pytest.fixture
def staff_file(tmp_path: Path) -> Path:
    people = [
        {"id": "zhang", "name": "张伟", "position": "sales-representative"},
        {"id": "li", "name": "李娜", "position": "sales-representative"},
        {"id": "wang", "name": "王芳", "position": "sales-supervisor"},
        {"id": "gone", "name": "离职", "position": "sales-supervisor", "active": False},
    ]
    path = tmp_path / "staff.json"
    path.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    return path


DUE = [
    "visits",
    "due",
    "--customers",
    str(DATA / "customers.json"),
    "--visits",
    str(DATA / "visits.json"),
    "--as-of",
    "2026-03-02",
]


def test_visits_due_redacts_prospects_when_no_viewer_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(DUE) == 0
    out = capsys.readouterr().out
    assert "p001 (confidential prospect)" in out
    assert "杭州某某有限公司" not in out
    assert "13600136000" not in out
    assert "c001 上海某某贸易有限公司" in out  # closed customers are shown as before


@pytest.mark.parametrize(
    ("viewer", "sees"), [("zhang", True), ("wang", True), ("li", False), ("gone", False)]
)
def test_visits_due_shows_a_prospect_to_its_registrants_chain_only(
    capsys: pytest.CaptureFixture[str], staff_file: Path, viewer: str, sees: bool
) -> None:
    argv = [*DUE, "--as", viewer, "--staff", str(staff_file), "--org", "key-account"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert ("p001 杭州某某有限公司" in out) is sees
    assert ("p001 (confidential prospect)" in out) is not sees


def test_as_without_a_staff_file_and_chart_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], staff_file: Path
) -> None:
    assert main([*DUE, "--as", "zhang"]) == 2
    assert "--staff" in capsys.readouterr().err
    assert main([*DUE, "--as", "nobody", "--staff", str(staff_file), "--org", "key-account"]) == 2
    assert "nobody" in capsys.readouterr().err


def test_visits_summary_hides_a_prospects_records_from_other_viewers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], staff_file: Path
) -> None:
    visits = [
        {
            "id": "v1",
            "customer_id": "p001",
            "at": "2026-03-01T10:00:00+08:00",
            "channel": "phone",
            "by": "zhang",
            "outcome": "unsatisfied",
            "notes": "嫌贵",
            "follow_up": True,
        }
    ]
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(visits, ensure_ascii=False), encoding="utf-8")
    argv = [
        "visits",
        "summary",
        "--visits",
        str(path),
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
    ]
    customers = ["--customers", str(DATA / "customers.json")]
    viewer = ["--staff", str(staff_file), "--org", "key-account"]
    assert main([*argv, *customers]) == 0
    assert "needs follow-up: (confidential prospect)" in capsys.readouterr().out
    assert main([*argv, *customers, "--as", "li", *viewer]) == 0
    assert "p001" not in capsys.readouterr().out
    assert main([*argv, *customers, "--as", "zhang", *viewer]) == 0
    assert "needs follow-up: p001" in capsys.readouterr().out


def test_customers_check_takes_a_viewer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], staff_file: Path
) -> None:
    orphan = tmp_path / "orphan.json"
    orphan.write_text(json.dumps([{"id": "c1", "name": "无主"}]), encoding="utf-8")
    argv = ["customers", "check", str(orphan)]
    assert main([*argv, "--as", "li", "--staff", str(staff_file), "--org", "key-account"]) == 1
    assert "without an owner: c1 无主" in capsys.readouterr().out


def test_the_demo_tells_each_registrant_only_their_own_prospect(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    report = next(line for line in out.splitlines() if line.startswith("报备 (李娜)"))
    assert "上海某某贸易有限公司" not in report  # zhang's spelling, not li's
    assert "after the hand-over: 李娜 (took it over) sees it all" in out
    assert "after the hand-over: 张伟 (has left) sees only RedactedCustomer" in out


# --------------------------------------------------------------------------- the property


_TOKEN = st.text(alphabet="ΑΒΓΔΕΖΗΘΙΚΛΜ", min_size=6, max_size=6)


@attrs.frozen
class World:
    """A chart, its staff and a registry of prospects holding secret values."""

    chart: OrgChart
    staff: tuple[Staff, ...]
    attempts: tuple[tuple[Customer, Staff, pendulum.DateTime], ...]


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """Random charts, staff and registrations; names and numbers collide on purpose."""
    chart = draw(org_charts(max_positions=6))
    ids = [p.id for p in chart.positions]
    staff = tuple(
        Staff(f"s{i}", f"员工{i}", draw(st.sampled_from(ids)), active=draw(st.booleans()))
        for i in range(draw(st.integers(2, 5)))
    )
    names = draw(st.lists(_TOKEN, min_size=1, max_size=4, unique=True))
    phones = draw(st.lists(mobile_numbers(), min_size=1, max_size=4, unique=True))
    attempts = []
    for index in range(draw(st.integers(1, 8))):
        person = draw(st.sampled_from(staff))
        token = draw(st.sampled_from(names))
        numbers = draw(st.lists(st.sampled_from(phones), max_size=2, unique=True))
        prospect = Customer(
            f"k{index}",
            f"{token}有限公司",
            status=CustomerStatus.PROSPECT,
            owner=person.id if draw(st.booleans()) else None,
            contacts=tuple(Contact(n, f"联系人{token}", f"职务{token}") for n in numbers),
            opinions=(f"意见{token}{index}",),
            card=f"卡{token}{index}",
            credit_rating=f"评级{token}{index}",
            assigned_at=MONDAY.subtract(days=draw(st.integers(0, 20))),
            registered_by=person.id,
            registered_position=person.position,
            registered_at=MONDAY.add(hours=draw(st.integers(-3, 3))),
        )
        attempts.append((prospect, person, prospect.registered_at or MONDAY))
    return World(chart, staff, tuple(attempts))


def secrets_of(customer: Customer) -> set[str]:
    """Every confidential value of ``customer`` as text."""
    values = {customer.name, company_key(customer.name), customer.card}
    values |= set(customer.phones) | set(customer.opinions)
    values |= {c.name for c in customer.contacts} | {c.role for c in customer.contacts}
    values.add(customer.credit_rating or "")
    return {v for v in values if v}


def supplied(customer: Customer) -> set[str]:
    """What a registrant supplied themselves (they may be told it back)."""
    return {customer.name, company_key(customer.name), *customer.phones} - {""}


def inside(chart: OrgChart, viewer: Staff, customer: Customer) -> bool:
    """The rule's plain statement: an active holder, owner or someone above the holder."""
    if not viewer.active:
        return False
    if viewer.id in (customer.registered_by, customer.owner):
        return True
    chain = {p.id for p in chart.chain_of_command(customer.registered_position or "")}
    return viewer.position in chain


def assert_hidden(texts: Iterable[str], secrets: set[str]) -> None:
    for text in texts:
        leaked = sorted(s for s in secrets if s in text)
        assert not leaked, f"{leaked} reached an outside viewer in {text[:300]!r}"


@given(worlds())
def test_no_value_of_a_prospect_reaches_a_viewer_outside_the_registrants_chain(
    world: World,
) -> None:
    chart, staff = world.chart, world.staff
    prospects = [p for p, _, _ in world.attempts]

    # register: each registrant is told about other people's registrations only who and when.
    registry: list[Registration] = []
    for prospect, person, at in world.attempts:
        mine = supplied(prospect) | {
            v for p, who, _ in world.attempts if who.id == person.id for v in supplied(p)
        }
        others = set().union(*(secrets_of(p) for p, who, _ in world.attempts if who != person))
        result = register(registry, prospect, person, at)
        if isinstance(result, Registration) and result not in registry:
            registry.append(result)
        texts = [shown(result)]
        if isinstance(result, DuplicateClaim):
            texts.append(result.reason)
        assert_hidden(texts, others - mine)

    # resolve_claims: each claim is its claimant's answer.
    by_registration = {(p.id, who.id): p for p, who, _ in world.attempts}
    _, claims = resolve_claims(
        Registration(p.id, p.name, p.phones, who.id, who.position, at)
        for p, who, at in world.attempts
    )
    for claim in claims:
        own = by_registration[claim.claim.customer_id, claim.claim.by]
        others = set().union(
            *(secrets_of(p) for p, who, _ in world.attempts if who.id != claim.claim.by)
        )
        assert_hidden([shown(claim, claim.reason)], others - supplied(own))

    # redact, due visits shown through redact, and frequent customers, for every viewer.
    calendar = WorkCalendar(name="mon-fri")
    due = due_visits(prospects, (), VisitPolicy(), calendar, MONDAY.add(days=3))
    bookings = [b for p in prospects for n in p.phones for b in _bookings(n)]
    march = DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    for viewer in (*staff, None):
        outside = [p for p in prospects if viewer is None or not inside(chart, viewer, p)]
        if viewer is not None:
            for p in prospects:
                assert can_view(chart, viewer, p) is (p not in outside)
        secrets = set().union(*(secrets_of(p) for p in outside)) - {
            v for p in prospects if p not in outside for v in secrets_of(p)
        }
        shown_to = [
            shown(redact(chart, viewer, p), *(d for d in due if d.customer_id == p.id))
            for p in prospects
            if viewer is not None
        ]
        assert_hidden(shown_to, secrets)
        rows = frequent_customers(
            bookings, march, customers=prospects, chart=chart if viewer else None, viewer=viewer
        )
        hidden_ids = {p.id for p in outside} - {p.id for p in prospects if p not in outside}
        assert not [r for r in rows if r.customer_id in hidden_ids]
        phones = {n for p in prospects for n in p.phones}
        assert_hidden([shown(rows)], secrets - phones)  # the caller gave the numbers
