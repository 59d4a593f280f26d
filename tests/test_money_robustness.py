"""Money under attack (issue 9, D1-D5): nothing silently rounded, bounded, sums exact."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import KeyAccountError, Money, Rates
from keyaccount.errors import (
    FloatMoneyError,
    InexactAmountError,
    InvalidAmountError,
    InvalidCurrencyError,
    InvalidRoundingError,
)
from keyaccount.money import MAX_DECIMAL_PLACES, MINOR_UNITS, minor_unit
from keyaccount.testing import money

cny = money(("CNY",))
# Any amount Money holds: up to 18 integer digits and 8 decimal places, either sign.
amounts = st.integers(-(10**26) + 1, 10**26 - 1).map(lambda n: Decimal(n).scaleb(-8))
factors = st.fractions(max_denominator=10**6).filter(lambda f: abs(f) < 10**6)

# ------------------------------------------------------------------ D1: no silent rounding


def test_d1_thirty_one_digits_are_refused_not_rounded_to_twenty_eight() -> None:
    # Issue 9 D1: Money("1" + "0" * 30) + Money("0.01") was rounded to 28 digits.
    with pytest.raises(InvalidAmountError, match=r"10\*\*18"):
        Money("1" + "0" * 30) + Money("0.01")


def test_d1_the_largest_amounts_add_exactly() -> None:
    big = Money("99999999999999999.99999999")  # 26 significant digits
    assert (big + Money("0.00000001")).amount == Decimal("100000000000000000.00000000")
    assert big - big == Money.zero()


def test_d1_arithmetic_ignores_the_callers_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 3
        assert (Money("123456.78") + Money("0.01")).amount == Decimal("123456.79")
        assert (-Money("123456.78")).amount == Decimal("-123456.78")
        assert (Money("123456.78") * 3).amount == Decimal("370370.34")


def test_d1_a_product_that_would_round_raises_inexact_amount_error() -> None:
    with pytest.raises(InexactAmountError, match="8 decimal places") as caught:
        Money("0.12345678") * Decimal("0.1")
    assert isinstance(caught.value, InvalidAmountError)
    assert isinstance(caught.value, ValueError)


# ------------------------------------------------------------------ D2: bounds


@pytest.mark.parametrize(
    "text",
    ["1e999999999", "-1e999999999", "1E+18", "1000000000000000000", "1e99999999999999999999"],
)
def test_d2_amounts_of_10_to_the_18_or_more_are_refused(text: str) -> None:
    # Issue 9 D2: Money("1e999999999") was accepted, and adding Money(1) raised
    # decimal.Overflow.
    with pytest.raises(InvalidAmountError) as caught:
        Money(text) + Money(1)
    assert isinstance(caught.value, KeyAccountError)


def test_d2_more_than_eight_decimal_places_are_refused_naming_the_bound() -> None:
    with pytest.raises(InvalidAmountError, match="8 decimal places"):
        Money("0.000000001")


def test_d2_trailing_zeros_beyond_eight_places_keep_the_value() -> None:
    assert Money("1.000000000000") == Money(1)
    assert Money("0E+20").amount == 0


def test_d2_a_sum_beyond_the_bound_is_refused() -> None:
    with pytest.raises(InvalidAmountError, match=r"10\*\*18"):
        Money("9e17") + Money("9e17")


@pytest.mark.parametrize("text", ["٣", "３", "1_000", "1 000", "0x10", "1e", ""])
def test_d2_only_plain_ascii_decimals_are_amounts(text: str) -> None:
    with pytest.raises(InvalidAmountError):
        Money(text)


def test_d2_an_error_does_not_quote_a_huge_field() -> None:
    with pytest.raises(InvalidAmountError) as caught:
        Money("x" * 400_000)
    assert len(str(caught.value)) < 200


def test_d2_the_cli_refuses_a_huge_amount(capsys: pytest.CaptureFixture[str]) -> None:
    from keyaccount.cli import main

    status = main(
        [
            "approve",
            "--org",
            "sales-management",
            "--from",
            "regional-manager",
            "--subject",
            "customer-credit",
            "--amount",
            "1e999999999",
        ]
    )
    assert status != 0
    assert "10**18" in capsys.readouterr().err


# ------------------------------------------------------------------ D3: conversion


def test_d3_an_inverse_rate_converts_to_the_minor_unit_and_sums_stay_exact() -> None:
    # Issue 9 D3: 1 CNY at USD->CNY 7.1 gave 0.1408450704225352112676056338 USD and 71
    # such claims totalled 10.00000000000000000000000001 USD.
    rates = Rates({("USD", "CNY"): "7.1"})
    one = rates.convert(Money(1, "CNY"), "USD")
    assert one == Money("0.14", "USD")
    assert sum([one] * 71) == Money("9.94", "USD")
    assert rates.convert(Money(71, "CNY"), "USD") == Money("10.00", "USD")


def test_d3_the_rounding_mode_and_places_are_named_parameters() -> None:
    rates = Rates({("USD", "CNY"): "8"})
    assert rates.convert(Money("0.20", "CNY"), "USD") == Money("0.02", "USD")  # 0.025 half-even
    half_up = rates.convert(Money("0.20", "CNY"), "USD", rounding=ROUND_HALF_UP)
    assert half_up == Money("0.03", "USD")
    assert rates.convert(Money("0.20", "CNY"), "USD", places=3) == Money("0.025", "USD")
    with pytest.raises(InvalidRoundingError):
        rates.convert(Money("1", "CNY"), "USD", rounding="up")
    with pytest.raises(InvalidRoundingError):
        rates.convert(Money("1", "CNY"), "USD", places=MAX_DECIMAL_PLACES + 1)


def test_d3_minor_units_follow_iso_4217_with_a_default_of_two() -> None:
    assert (minor_unit("CNY"), minor_unit("USD"), minor_unit("JPY"), minor_unit("KWD")) == (
        2,
        2,
        0,
        3,
    )
    assert minor_unit("XYZ") == 2  # not listed: the default
    assert Rates({("USD", "JPY"): "156.37"}).convert(Money("1.99", "USD"), "JPY") == Money(
        311, "JPY"
    )
    assert set(MINOR_UNITS.values()) <= {0, 3}
    with pytest.raises(InvalidCurrencyError):
        minor_unit("yen")


def test_d3_the_rate_of_an_inverse_pair_is_an_exact_fraction() -> None:
    assert Rates({("USD", "CNY"): "7.1"}).rate("CNY", "USD") == Fraction(10, 71)


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ({("USD", "CNY"): "1e13"}, InvalidAmountError),
        ({("USD", "CNY"): "1e-13"}, InvalidAmountError),
        ({("USD", "CNY"): "7.12345678901234567890123"}, InvalidAmountError),
        ({("USD", "USD"): "1"}, InvalidCurrencyError),
        ({"USD": "7.1"}, InvalidCurrencyError),
        ([("USD", "CNY", "7.1")], InvalidCurrencyError),
    ],
)
def test_d3_rates_out_of_range_or_malformed_are_refused(table: object, error: type) -> None:
    with pytest.raises(error):
        Rates(table)  # type: ignore[arg-type]  # malformed on purpose


# ------------------------------------------------------------------ D5: sum and Fraction


def test_d5_sum_over_money_works_and_starts_only_from_the_int_zero() -> None:
    # Issue 9 D5: sum() over Money raised TypeError (no __radd__ with 0).
    assert sum([Money("0.10"), Money("0.20")]) == Money("0.30")
    assert sum([], Money.zero("USD")) == Money.zero("USD")
    for start in (1, Decimal(0), 0.0, False):
        with pytest.raises(TypeError):
            start + Money(1)  # not the int 0 on purpose


def test_d5_money_times_a_fraction_is_exact_or_refused() -> None:
    # Issue 9 D5: Money * Fraction raised TypeError.
    assert Money(3) * Fraction(1, 3) == Money(1)
    assert Fraction(1, 4) * Money(1) == Money("0.25")
    with pytest.raises(InexactAmountError, match=r"Money\.times"):
        Money(1) * Fraction(1, 3)
    assert Money(1).times(Fraction(1, 3)) == Money("0.33")
    assert Money(2).times(Fraction(1, 3), places=4, rounding=ROUND_HALF_UP) == Money("0.6667")


@pytest.mark.parametrize("factor", [True, 1.5, Decimal("NaN"), Decimal("1e999999")])
def test_d5_a_factor_that_is_not_a_sane_exact_number_is_refused(factor: object) -> None:
    with pytest.raises((FloatMoneyError, InvalidAmountError)):
        Money(1) * factor  # type: ignore[operator]  # on purpose


# ------------------------------------------------------------------ properties


@given(st.lists(amounts, max_size=20))
def test_sum_is_the_exact_sum_of_the_amounts(values: list[Decimal]) -> None:
    monies = [Money(v) for v in values]
    partial = Fraction(0)
    partials = []
    for value in values:
        partial += Fraction(value)
        partials.append(partial)
    if any(abs(p) >= 10**18 for p in partials):  # every running total is Money too
        with pytest.raises(InvalidAmountError):
            sum(monies, Money.zero())
        return
    total = sum(monies, Money.zero())
    assert Fraction(total.amount) == partial


@given(amounts, factors)
def test_a_product_is_exact_or_raises_and_times_rounds_it_half_even(
    amount: Decimal, factor: Fraction
) -> None:
    exact = Fraction(amount) * factor
    if abs(exact) >= 10**18:
        return
    try:
        product = Money(amount) * factor
    except InexactAmountError:
        assert (exact * 10**MAX_DECIMAL_PLACES).denominator != 1
    else:
        assert Fraction(product.amount) == exact
    expected = Fraction(round(exact * 100), 100)  # round() is half-even
    if abs(expected) >= 10**18:  # rounding up can reach the bound: then it is refused
        with pytest.raises(InvalidAmountError):
            Money(amount).times(factor)
        return
    rounded = Money(amount).times(factor)
    assert Fraction(rounded.amount) == expected


@given(
    cny,
    st.integers(1, 10**8).map(lambda n: Decimal(n).scaleb(-4)),
    st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_conversion_is_within_half_a_minor_unit_and_sums_of_conversions_are_exact(
    amount: Money, rate: Decimal, target: str
) -> None:
    rates = Rates({(target, "CNY"): rate})
    converted = rates.convert(amount, target)
    exact = Fraction(amount.amount) / Fraction(rate)
    unit = Fraction(1, 10 ** minor_unit(target))
    assert abs(Fraction(converted.amount) - exact) <= unit / 2
    assert Fraction(converted.amount) % unit == 0
    assert Fraction((converted + converted).amount) == 2 * Fraction(converted.amount)


@given(cny, money(("USD",)), st.integers(1, 10**8).map(lambda n: Decimal(n).scaleb(-4)))
def test_at_most_compares_exactly_both_ways(cny_amount: Money, usd: Money, rate: Decimal) -> None:
    rates = Rates({("USD", "CNY"): rate})
    assert rates.at_most(cny_amount, usd) == (
        Fraction(cny_amount.amount) <= Fraction(usd.amount) * Fraction(rate)
    )
    assert rates.at_most(usd, cny_amount) == (
        Fraction(usd.amount) * Fraction(rate) <= Fraction(cny_amount.amount)
    )


def test_a_huge_factor_is_refused_with_a_library_error_not_a_printing_error() -> None:
    # repr() of an int past 4,300 digits raises ValueError; the message must not need it
    with pytest.raises(InvalidAmountError, match="more than 900 digits"):
        Money(1) * 10**5000
    with pytest.raises(InvalidAmountError, match="more than 900 digits"):
        Money(1).times(10**5000)
    with pytest.raises(InexactAmountError, match="more than 900 digits"):
        Money(1) * Fraction(1, 3**10000)
