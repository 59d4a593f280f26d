"""Receivables: payment terms, the records, the ledger's checks and the allocation rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given

from keyaccount import Money, Rates, reference
from keyaccount.errors import (
    CurrencyMismatchError,
    DuplicateIdError,
    InvalidAmountError,
    InvalidDateRangeError,
    InvalidPaymentTermsError,
    KeyAccountError,
    NoApproverError,
    OverAllocationError,
    UnknownInvoiceError,
)
from keyaccount.finance import (
    Allocation,
    CreditNote,
    Invoice,
    Payment,
    PaymentTerms,
    Receivables,
    WriteOff,
    allocate,
    write_off_route,
)
from keyaccount.testing import receivables_ledgers

D = dt.date
NET30 = PaymentTerms(30)


def bill(id_: str, amount: str, issued: dt.date, customer: str = "acme", **kw: object) -> Invoice:
    return Invoice(id_, customer, Money(amount), issued, kw.pop("terms", NET30), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "issued", "due"),
    [
        ("30 days", D(2026, 1, 15), D(2026, 2, 14)),
        ("net 30", D(2026, 1, 15), D(2026, 2, 14)),
        ("N45", D(2026, 1, 15), D(2026, 3, 1)),
        ("30天", D(2026, 1, 15), D(2026, 2, 14)),
        ("月结60天", D(2026, 1, 15), D(2026, 4, 1)),
        ("月结 30 天", D(2026, 2, 3), D(2026, 3, 30)),
        ("EOM 60", D(2024, 2, 10), D(2024, 4, 29)),
        ("月结", D(2026, 4, 2), D(2026, 4, 30)),
        ("immediate", D(2026, 4, 2), D(2026, 4, 2)),
    ],
)
def test_payment_terms_give_the_due_date(text: str, issued: dt.date, due: dt.date) -> None:
    assert PaymentTerms.parse(text).due_on(issued) == due


@pytest.mark.parametrize("text", ["", "soon", "-30 days", "net -5", "99999 days", "月结abc"])
def test_unreadable_payment_terms_are_refused(text: str) -> None:
    with pytest.raises(InvalidPaymentTermsError):
        PaymentTerms.parse(text)


def test_terms_print_in_their_wire_form_and_read_back() -> None:
    for terms in (PaymentTerms(0), PaymentTerms(30), PaymentTerms(60, month_end=True)):
        assert PaymentTerms.parse(str(terms)) == terms


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(InvalidAmountError):
        bill("A", "-1", D(2026, 1, 1))


def test_a_due_date_before_the_issue_date_is_refused() -> None:
    with pytest.raises(InvalidDateRangeError, match="due_date"):
        bill("A", "1", D(2026, 1, 10), due_date=D(2026, 1, 9))


def test_a_printed_due_date_overrides_the_terms() -> None:
    assert bill("A", "1", D(2026, 1, 10), due_date=D(2026, 1, 20)).due_on == D(2026, 1, 20)


def test_a_payment_cannot_allocate_more_than_it_holds() -> None:
    with pytest.raises(OverAllocationError):
        Payment("P", "acme", Money(100), D(2026, 2, 1), (Allocation("A", Money("100.01")),))


def test_an_allocation_in_another_currency_than_its_payment_is_refused() -> None:
    with pytest.raises(CurrencyMismatchError):
        Payment("P", "acme", Money(100), D(2026, 2, 1), (Allocation("A", Money(1, "USD")),))


def test_an_allocation_to_an_unknown_invoice_is_refused() -> None:
    pay = Payment("P", "acme", Money(100), D(2026, 2, 1), (Allocation("NOPE", Money(1)),))
    with pytest.raises(UnknownInvoiceError, match="NOPE"):
        Receivables((bill("A", "100", D(2026, 1, 1)),), (pay,))


def test_an_allocation_to_another_customers_invoice_is_refused() -> None:
    pay = Payment("P", "other", Money(100), D(2026, 2, 1), (Allocation("A", Money(1)),))
    with pytest.raises(UnknownInvoiceError, match=r"another|of customer"):
        Receivables((bill("A", "100", D(2026, 1, 1)),), (pay,))


def test_more_applied_to_an_invoice_than_it_holds_is_refused() -> None:
    pay = Payment("P", "acme", Money(80), D(2026, 2, 1), (Allocation("A", Money(80)),))
    note = CreditNote("CN", "acme", "A", Money(30), D(2026, 2, 2))
    with pytest.raises(OverAllocationError, match="A"):
        Receivables((bill("A", "100", D(2026, 1, 1)),), (pay,), (note,))


def test_a_record_in_another_currency_needs_rates() -> None:
    usd = Invoice("A", "acme", Money(100, "USD"), D(2026, 1, 1), NET30)
    with pytest.raises(CurrencyMismatchError, match="Rates"):
        Receivables((usd,))
    ledger = Receivables((usd,), rates=Rates({("USD", "CNY"): "7.1"}))
    assert allocate(ledger).outstanding_of("A") == Money("710.00")


def test_ids_are_unique_per_kind() -> None:
    with pytest.raises(DuplicateIdError):
        Receivables((bill("A", "1", D(2026, 1, 1)), bill("A", "2", D(2026, 1, 2))))


def test_payments_go_to_the_oldest_due_invoice_first() -> None:
    late_issue_early_due = bill("B", "50", D(2026, 1, 20), terms=PaymentTerms(0))
    early_issue_late_due = bill("A", "100", D(2026, 1, 5), terms=PaymentTerms(60))
    ledger = Receivables(
        (early_issue_late_due, late_issue_early_due),
        (Payment("P", "acme", Money(70), D(2026, 2, 1)),),
    )
    result = allocate(ledger)
    assert result.outstanding_of("B") == Money(0)
    assert result.outstanding_of("A") == Money(80)


def test_explicit_allocations_come_before_oldest_due_first() -> None:
    ledger = Receivables(
        (bill("A", "100", D(2026, 1, 1)), bill("B", "100", D(2026, 2, 1))),
        (
            Payment("P1", "acme", Money(100), D(2026, 3, 1)),
            Payment("P2", "acme", Money(60), D(2026, 3, 5), (Allocation("A", Money(60)),)),
        ),
    )
    result = allocate(ledger)
    assert result.outstanding_of("A") == Money(0)
    assert result.outstanding_of("B") == Money(40)  # P1 paid the 40 left of A, then 60 of B
    assert next(a.explicit for a in result.applications) is True


def test_an_overpayment_is_left_as_unapplied_credit() -> None:
    ledger = Receivables(
        (bill("A", "100", D(2026, 1, 1)),), (Payment("P", "acme", Money(150), D(2026, 2, 1)),)
    )
    result = allocate(ledger)
    assert result.unapplied_of("acme") == Money(50)
    assert [(u.payment_id, u.amount) for u in result.unapplied] == [("P", Money(50))]


def test_records_after_the_day_asked_for_do_not_count() -> None:
    ledger = Receivables(
        (bill("A", "100", D(2026, 1, 1)), bill("B", "100", D(2026, 3, 1))),
        (Payment("P", "acme", Money(150), D(2026, 2, 1)),),
    )
    before = allocate(ledger, up_to=D(2026, 2, 15))
    assert "B" not in before.outstanding
    assert before.unapplied_of("acme") == Money(50)
    after = allocate(ledger, up_to=D(2026, 3, 1))
    assert after.outstanding_of("B") == Money(50)  # the waiting credit paid it


@given(receivables_ledgers())
def test_allocation_never_allocates_more_than_a_payment_or_an_invoice_holds(
    ledger: Receivables,
) -> None:
    result = allocate(ledger)
    to_invoice: dict[str, Decimal] = {}
    from_source: dict[str, Decimal] = {}
    for applied in result.applications:
        assert applied.amount.amount > 0
        to_invoice[applied.invoice_id] = (
            to_invoice.get(applied.invoice_id, Decimal(0)) + applied.amount.amount
        )
        from_source[applied.source_id] = (
            from_source.get(applied.source_id, Decimal(0)) + applied.amount.amount
        )
    for invoice in ledger.invoices:
        applied_total = to_invoice.get(invoice.id, Decimal(0))
        assert applied_total <= invoice.amount.amount
        assert result.outstanding_of(invoice.id).amount == invoice.amount.amount - applied_total
    for payment in ledger.payments:
        used = from_source.get(payment.id, Decimal(0))
        left = sum(
            (u.amount.amount for u in result.unapplied if u.payment_id == payment.id), Decimal(0)
        )
        assert used + left == payment.amount.amount
    for note in ledger.credit_notes:
        assert from_source.get(note.id, Decimal(0)) <= note.amount.amount
    for write_off in ledger.write_offs:
        assert from_source.get(write_off.id, Decimal(0)) <= write_off.amount.amount


def test_a_small_write_off_is_approved_by_the_sales_management_manager() -> None:
    chart = reference.load("sales-management")
    regional = chart.by_title("区域经理").id
    route = write_off_route(chart, WriteOff("W", "A", Money(20000), D(2026, 6, 30), regional))
    assert route.approver == "sales-management-manager"
    assert "20000" in route.explain()


def test_a_write_off_above_20000_goes_to_the_marketing_director() -> None:
    chart = reference.load("sales-management")
    regional = chart.by_title("区域经理").id
    route = write_off_route(chart, WriteOff("W", "A", Money("20000.01"), D(2026, 6, 30), regional))
    assert route.approver == "marketing-director"


def test_a_write_off_asked_by_the_top_has_no_approver() -> None:
    chart = reference.load("sales-management")
    with pytest.raises(NoApproverError):
        write_off_route(chart, WriteOff("W", "A", Money(1), D(2026, 6, 30), "marketing-director"))


def test_every_refusal_is_a_keyaccount_error() -> None:
    with pytest.raises(KeyAccountError):
        Receivables("not records")  # type: ignore[arg-type]
