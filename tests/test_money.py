"""Money and exchange rates: exact amounts, no floats, no silent currency mixing."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import (
    KeyAccountError,
    Money,
    Rates,
)
from keyaccount.errors import (
    CurrencyMismatchError,
    FloatMoneyError,
    InvalidAmountError,
    InvalidCurrencyError,
    MissingRateError,
)
from keyaccount.testing import money

cny = money(("CNY",))

# ------------------------------------------------------------------ construction


def test_an_amount_given_as_a_decimal_string_is_kept_exactly() -> None:
    assert Money("20000.01").amount == Decimal("20000.01")
    assert Money(20000).amount == Decimal(20000)
    assert Money("0.10") + Money("0.20") == Money("0.30")


def test_the_default_currency_is_cny() -> None:
    assert Money("1").currency == "CNY"


def test_a_float_amount_is_refused_with_float_money_error() -> None:
    with pytest.raises(FloatMoneyError, match="float") as caught:
        Money(0.1)  # a float on purpose
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, KeyAccountError)


def test_a_float_amount_can_also_be_caught_as_type_error() -> None:
    with pytest.raises(TypeError):
        Money(20000.0)  # a float on purpose


@pytest.mark.parametrize("factor", [1.5, 0.0])
def test_multiplying_money_by_a_float_is_refused(factor: float) -> None:
    with pytest.raises(FloatMoneyError):
        Money("10") * factor  # type: ignore[operator]  # a float on purpose


def test_a_bool_amount_is_refused() -> None:
    with pytest.raises(FloatMoneyError):
        Money(True)  # a bool on purpose


@pytest.mark.parametrize("text", ["abc", "1,000", "NaN", "Infinity", "-Infinity", ""])
def test_an_amount_that_is_not_a_finite_decimal_is_refused(text: str) -> None:
    with pytest.raises(InvalidAmountError):
        Money(text)


@pytest.mark.parametrize("currency", ["cny", "CN", "CNYY", "C1Y", "", "人民币"])
def test_a_currency_that_is_not_an_iso_4217_code_is_refused(currency: str) -> None:
    with pytest.raises(InvalidCurrencyError) as caught:
        Money("1", currency)
    assert isinstance(caught.value, ValueError)


def test_a_currency_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidCurrencyError):
        Money("1", 156)  # type: ignore[arg-type]  # the numeric ISO code on purpose


# ------------------------------------------------------------------ currencies


@pytest.mark.parametrize(
    "combine",
    [operator.add, operator.sub, operator.lt, operator.le, operator.gt, operator.ge],
    ids=["add", "sub", "lt", "le", "gt", "ge"],
)
def test_amounts_in_different_currencies_do_not_combine_or_compare(
    combine: Callable[[Money, Money], object],
) -> None:
    with pytest.raises(CurrencyMismatchError, match="Rates") as caught:
        combine(Money("1", "USD"), Money("1", "CNY"))
    assert isinstance(caught.value, ValueError)


def test_amounts_in_different_currencies_are_never_equal() -> None:
    assert Money("1", "USD") != Money("1", "CNY")


def test_equal_amounts_with_different_exponents_are_equal_and_hash_alike() -> None:
    assert Money("1.0") == Money("1.00") == Money(1)
    assert hash(Money("1.0")) == hash(Money("1.00"))
    assert len({Money("20000"), Money("20000.00"), Money(Decimal("2E+4"))}) == 1


def test_comparisons_follow_the_amount() -> None:
    assert Money("19999.99") < Money("20000")
    assert Money("20000") <= Money("20000.00")
    assert Money("20000.01") > Money("20000")
    assert Money("20000.00") >= Money("20000")


# ------------------------------------------------------------------ rates


def test_a_rate_converts_exactly_then_rounds_once_to_the_minor_unit() -> None:
    rates = Rates({("USD", "CNY"): "7.1234"})
    # 0.10 * 7.1234 is 0.712340 exactly (a float would give 0.7123400000000001); the
    # converted amount is rounded once, to the fen, half to even.
    assert rates.convert(Money("0.10", "USD"), "CNY") == Money("0.71", "CNY")
    assert rates.convert(Money("0.10", "USD"), "CNY", places=8) == Money("0.71234", "CNY")
    assert rates.convert(Money("100", "USD"), "CNY") == Money("712.34", "CNY")
    assert rates.convert(Money("100", "USD"), "CNY").currency == "CNY"


def test_the_inverse_of_a_rate_is_derived_only_when_allowed() -> None:
    rates = Rates({("USD", "CNY"): "8"})
    assert rates.convert(Money("100", "CNY"), "USD") == Money("12.5", "USD")
    strict = Rates({("USD", "CNY"): "8"}, derive_inverse=False)
    with pytest.raises(MissingRateError):
        strict.convert(Money("100", "CNY"), "USD")


def test_a_missing_rate_is_an_error_not_a_guess() -> None:
    rates = Rates({("USD", "CNY"): "7.1", ("CNY", "EUR"): "0.13"})
    with pytest.raises(MissingRateError, match="USD to JPY") as caught:
        rates.convert(Money("1", "USD"), "JPY")
    assert isinstance(caught.value, LookupError)
    # Nothing is chained through a third currency.
    with pytest.raises(MissingRateError):
        rates.rate("USD", "EUR")


def test_converting_to_the_same_currency_keeps_the_amount() -> None:
    assert Rates({}).convert(Money("5.55"), "CNY") == Money("5.55")


@pytest.mark.parametrize("rate", ["0", "-7.1"])
def test_a_rate_must_be_positive(rate: str) -> None:
    with pytest.raises(InvalidAmountError):
        Rates({("USD", "CNY"): rate})


def test_a_float_rate_is_refused() -> None:
    with pytest.raises(FloatMoneyError):
        Rates({("USD", "CNY"): 7.1})


def test_a_rate_with_a_bad_currency_is_refused() -> None:
    with pytest.raises(InvalidCurrencyError):
        Rates({("usd", "CNY"): "7.1"})


# ------------------------------------------------------------------ properties


@given(cny, cny)
def test_addition_is_commutative(a: Money, b: Money) -> None:
    assert a + b == b + a


@given(cny, cny, cny)
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)


@given(cny, cny)
def test_subtraction_undoes_addition(a: Money, b: Money) -> None:
    assert (a + b) - b == a


@given(cny)
def test_zero_is_the_identity_of_addition(a: Money) -> None:
    assert a + Money.zero() == a
    assert a + -a == Money.zero()


@given(cny, st.integers(0, 6))
def test_money_equals_itself_at_any_exponent(a: Money, extra_places: int) -> None:
    rescaled = Money(a.amount.quantize(Decimal(1).scaleb(-2 - extra_places)), a.currency)
    assert rescaled.amount.as_tuple().exponent == -2 - extra_places
    assert rescaled == a
    assert hash(rescaled) == hash(a)


@given(cny, cny)
def test_ordering_agrees_with_the_amounts(a: Money, b: Money) -> None:
    assert (a < b) == (a.amount < b.amount)
    assert (a <= b) == (a < b or a == b)


@given(money(("USD",)), st.integers(1, 10_000))
def test_conversion_is_the_exact_product_rounded_once_to_the_minor_unit(
    usd: Money, rate_in_ten_thousandths: int
) -> None:
    rate = Decimal(rate_in_ten_thousandths).scaleb(-4)
    converted = Rates({("USD", "CNY"): rate}).convert(usd, "CNY")
    assert converted.currency == "CNY"
    exact = Fraction(usd.amount) * Fraction(rate)
    assert abs(Fraction(converted.amount) - exact) <= Fraction(1, 200)
    assert converted.amount == converted.amount.quantize(Decimal("0.01"))
    at_eight_places = Rates({("USD", "CNY"): rate}).convert(usd, "CNY", places=8)
    assert Fraction(at_eight_places.amount) == exact  # 2 + 4 places: nothing to round
