"""Aging, collections, statements and dunning over a receivables ledger."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import DateRange, Money, Staff, WorkCalendar, reference
from keyaccount.errors import InvalidArgumentTypeError, InvalidPolicyError
from keyaccount.finance import (
    DEFAULT_AGING,
    DEFAULT_DUNNING,
    AgingBucket,
    AgingGroup,
    AgingPolicy,
    CreditNote,
    DunningAction,
    Invoice,
    Payment,
    PaymentTerms,
    Receivables,
    WriteOff,
    aging,
    bad_debt_rate,
    collections,
    departments_of,
    dunning,
    managers_of,
    open_items,
    statement,
)
from keyaccount.testing import receivables_ledgers

D = dt.date
CAL = WorkCalendar.china()
NET30 = PaymentTerms(30)


def at(y: int, m: int, d: int, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, hour, tz="Asia/Shanghai")


def bill(
    id_: str, amount: str, issued: dt.date, customer: str = "acme", owner: str | None = "wang"
) -> Invoice:
    return Invoice(id_, customer, Money(amount), issued, NET30, owner=owner)


def test_days_overdue_count_calendar_days_after_the_due_date_on_the_local_day() -> None:
    ledger = Receivables((bill("A", "100", D(2026, 1, 1)),))  # due 2026-01-31
    assert open_items(ledger, CAL, at(2026, 1, 31, 23))[0].days_overdue == 0
    assert open_items(ledger, CAL, at(2026, 2, 1, 0))[0].days_overdue == 1
    # 2026-01-31 17:00 UTC is already 2026-02-01 in Shanghai
    utc = pendulum.datetime(2026, 1, 31, 17, tz="UTC")
    assert open_items(ledger, CAL, utc)[0].days_overdue == 1


def test_open_items_take_the_calendar_before_as_of() -> None:
    ledger = Receivables((bill("A", "100", D(2026, 1, 1)),))
    with pytest.raises(InvalidArgumentTypeError, match="calendar"):
        open_items(ledger, at(2026, 2, 1), CAL)  # type: ignore[arg-type]


def test_a_paid_invoice_is_not_open() -> None:
    ledger = Receivables(
        (bill("A", "100", D(2026, 1, 1)),), (Payment("P", "acme", Money(100), D(2026, 1, 5)),)
    )
    assert open_items(ledger, CAL, at(2026, 3, 1)) == ()
    assert open_items(ledger, CAL, at(2026, 1, 4))[0].outstanding == Money(100)


def test_not_yet_due_items_have_a_bucket_of_their_own() -> None:
    ledger = Receivables(
        (
            bill("A", "100", D(2026, 3, 1)),
            bill("B", "40", D(2026, 1, 1)),
            bill("C", "7", D(2025, 6, 1)),
        )
    )
    report = aging(ledger, DEFAULT_AGING, CAL, at(2026, 3, 10))
    assert report.labels == ("not yet due", "0-30", "31-60", "61-90", "91-180", "over 180")
    (row,) = report.rows
    figures = {b.label: (b.amount, b.invoice_ids) for b in row.buckets}
    assert figures["not yet due"] == (Money(100), ("A",))
    assert figures["31-60"] == (Money(40), ("B",))  # due 01-31, 38 days late
    assert figures["over 180"] == (Money(7), ("C",))
    assert row.total == Money(147)


def test_without_a_separate_bucket_not_yet_due_items_go_to_the_first() -> None:
    policy = AgingPolicy(separate_not_due=False)
    ledger = Receivables((bill("A", "100", D(2026, 3, 1)),))
    report = aging(ledger, policy, CAL, at(2026, 3, 10))
    assert report.rows[0].buckets[0].label == "0-30"
    assert report.rows[0].buckets[0].invoice_ids == ("A",)


@pytest.mark.parametrize(
    "buckets",
    [
        (),
        (AgingBucket("1-30", 1, 30), AgingBucket("31+", 31)),
        (AgingBucket("0-30", 0, 30), AgingBucket("40+", 40)),
        (AgingBucket("0-30", 0, 30), AgingBucket("31-60", 31, 60)),
    ],
)
def test_an_aging_policy_with_gaps_or_no_open_end_is_refused(
    buckets: tuple[AgingBucket, ...],
) -> None:
    with pytest.raises(InvalidPolicyError):
        AgingPolicy(buckets)


def test_aging_by_owner_and_by_department() -> None:
    ledger = Receivables(
        (
            bill("A", "100", D(2026, 1, 1), owner="wang"),
            bill("B", "50", D(2026, 1, 1), customer="b", owner="li"),
            bill("C", "5", D(2026, 1, 1), customer="c", owner=None),
        )
    )
    by_owner = aging(ledger, DEFAULT_AGING, CAL, at(2026, 3, 1), group=AgingGroup.OWNER)
    assert [(r.key, r.total) for r in by_owner.rows] == [
        ("li", Money(50)),
        ("wang", Money(100)),
        (None, Money(5)),
    ]
    chart = reference.load("sales-management")
    staff = [
        Staff("wang", "王", "sales-management-manager"),
        Staff("li", "李", chart.by_title("区域经理").id),
    ]
    departments = departments_of(staff, chart)
    by_dept = aging(
        ledger,
        DEFAULT_AGING,
        CAL,
        at(2026, 3, 1),
        group=AgingGroup.DEPARTMENT,
        departments=departments,
    )
    assert by_dept.rows[0].total == Money(150)
    assert set(by_dept.rows[0].invoice_ids) == {"A", "B"}
    with pytest.raises(InvalidArgumentTypeError):
        aging(ledger, DEFAULT_AGING, CAL, at(2026, 3, 1), group=AgingGroup.DEPARTMENT)


def test_unapplied_credit_is_reported_beside_the_buckets() -> None:
    ledger = Receivables(
        (bill("A", "100", D(2026, 1, 1)),), (Payment("P", "acme", Money(130), D(2026, 1, 5)),)
    )
    report = aging(ledger, DEFAULT_AGING, CAL, at(2026, 3, 1))
    assert report.total == Money(0)
    assert report.rows == ()
    assert report.unapplied[0].amount == Money(30)


@given(receivables_ledgers(), st.integers(0, 800), st.sampled_from(list(AgingGroup)))
def test_the_buckets_add_up_to_the_total_outstanding(
    ledger: Receivables, day: int, group: AgingGroup
) -> None:
    as_of = at(2025, 1, 1).add(days=day)
    items = open_items(ledger, CAL, as_of)
    report = aging(
        ledger, DEFAULT_AGING, CAL, as_of, group=group, departments={"zhang": "d1", "li": "d2"}
    )
    outstanding = sum((i.outstanding for i in items), Money(0))
    assert report.total == outstanding
    assert sum((r.total for r in report.rows), Money(0)) == outstanding
    for row in report.rows:
        assert sum((b.amount for b in row.buckets), Money(0)) == row.total
    assert sorted(report.totals.invoice_ids) == sorted(i.invoice_id for i in items)
    for item in items:
        assert item.outstanding.amount > 0
        assert item.days_overdue >= 0


def test_collections_count_payments_in_the_period_per_salesperson() -> None:
    ledger = Receivables(
        (
            bill("A", "300", D(2026, 1, 5), owner="wang"),
            bill("B", "100", D(2026, 1, 6), customer="b", owner="li"),
        ),
        (
            Payment("P1", "acme", Money(500), D(2026, 2, 1)),
            Payment("P2", "b", Money(100), D(2026, 2, 3)),
            Payment("P3", "b", Money(999), D(2026, 3, 1)),
        ),
    )
    result = collections(ledger, DateRange(D(2026, 2, 1), D(2026, 2, 28)))
    assert result.total == Money(600)
    assert result.payment_ids == ("P1", "P2")
    rows = {r.owner: (r.amount, r.payment_ids, r.invoice_ids) for r in result.by_owner}
    assert rows == {
        "wang": (Money(300), ("P1",), ("A",)),
        "li": (Money(100), ("P2",), ("B",)),
        None: (Money(200), ("P1",), ()),
    }
    assert sum((r.amount for r in result.by_owner), Money(0)) == result.total


def test_the_bad_debt_rate_is_written_off_over_invoiced_in_the_period() -> None:
    ledger = Receivables(
        (bill("A", "4000", D(2026, 1, 5)), bill("B", "1000", D(2025, 12, 1))),
        write_offs=(WriteOff("W", "B", Money(500), D(2026, 1, 20), "mgr"),),
    )
    rate = bad_debt_rate(ledger, DateRange(D(2026, 1, 1), D(2026, 1, 31)))
    assert rate.rate == Fraction(1, 8)
    assert rate.write_off_ids == ("W",)
    assert rate.invoice_ids == ("A",)
    empty = bad_debt_rate(ledger, DateRange(D(2027, 1, 1), D(2027, 1, 31)))
    assert empty.rate is None
    assert "undefined" in empty.explain()


def test_a_statement_lists_the_period_and_balances() -> None:
    ledger = Receivables(
        (
            bill("A", "300", D(2026, 1, 5)),
            bill("B", "200", D(2026, 2, 5)),
            bill("X", "9", D(2026, 2, 5), customer="x"),
        ),
        (Payment("P", "acme", Money(250), D(2026, 2, 10)),),
        (CreditNote("CN", "acme", "B", Money(20), D(2026, 2, 11)),),
        (WriteOff("W", "A", Money(30), D(2026, 2, 28), "mgr"),),
    )
    feb = statement(ledger, "acme", DateRange(D(2026, 2, 1), D(2026, 2, 28)))
    assert feb.opening == Money(300)
    assert [(x.kind.value, x.record_id) for x in feb.lines] == [
        ("invoice", "B"),
        ("payment", "P"),
        ("credit-note", "CN"),
        ("write-off", "W"),
    ]
    assert feb.closing == Money(300 + 200 - 250 - 20 - 30)
    assert "closing 200 CNY" in feb.explain()


@given(
    receivables_ledgers(),
    st.integers(0, 700),
    st.integers(0, 200),
    st.sampled_from(["c1", "c2", "c3"]),
)
def test_the_closing_balance_is_opening_plus_invoices_less_the_rest(
    ledger: Receivables, start: int, length: int, customer: str
) -> None:
    first = D(2025, 1, 1) + dt.timedelta(days=start)
    period = DateRange(first, first + dt.timedelta(days=length))
    result = statement(ledger, customer, period)
    assert (
        result.closing
        == result.opening
        + result.invoices
        - result.payments
        - result.credit_notes
        - result.write_offs
    )
    after = statement(
        ledger,
        customer,
        DateRange(period.end + dt.timedelta(days=1), period.end + dt.timedelta(days=1)),
    )
    assert after.opening == result.closing  # the next period opens where this one closed


def test_dunning_steps_fall_on_working_days_after_the_due_date() -> None:
    ledger = Receivables((bill("A", "300", D(2026, 3, 2), owner="wang"),))  # due 2026-04-01
    assert dunning(ledger, DEFAULT_DUNNING, CAL, at(2026, 4, 1)) == ()
    (reminder,) = dunning(ledger, DEFAULT_DUNNING, CAL, at(2026, 4, 2))
    assert (reminder.action, reminder.owner, reminder.due_on) == (
        DunningAction.REMINDER,
        "wang",
        D(2026, 4, 2),
    )
    # 清明 2026-04-04..06 are rest days: the fifth working day after 04-01 is 04-09
    (notice,) = dunning(ledger, DEFAULT_DUNNING, CAL, at(2026, 4, 9))
    assert (notice.action, notice.due_on) == (DunningAction.NOTICE, D(2026, 4, 9))


def test_the_manager_steps_go_to_the_owners_manager() -> None:
    chart = reference.load("sales-management")
    regional = chart.by_title("区域经理").id
    staff = [Staff("wang", "王", regional), Staff("boss", "吴", "sales-management-manager")]
    managers = managers_of(staff, chart)
    assert managers == {"wang": "boss"}
    ledger = Receivables(
        (
            bill("A", "300", D(2026, 3, 2), owner="wang"),
            bill("B", "1", D(2026, 3, 2), customer="b", owner=None),
        )
    )
    steps = dunning(ledger, DEFAULT_DUNNING, CAL, at(2026, 6, 30), managers=managers)
    assert [(s.invoice_id, s.action, s.owner) for s in steps] == [
        ("A", DunningAction.CREDIT_HOLD, "boss"),
        ("B", DunningAction.CREDIT_HOLD, None),
    ]
    assert "nobody known" in steps[1].reason
