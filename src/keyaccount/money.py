"""Money: an exact Decimal amount in one ISO 4217 currency, and explicit exchange rates.

Amounts are never floats, and nothing is rounded behind the caller's back:

* an amount is a finite decimal below ``10**18`` in magnitude with at most 8 decimal places
  (`MAX_INTEGER_DIGITS`, `MAX_DECIMAL_PLACES`), so every amount has at most 26 significant digits;
* arithmetic runs in the library's own decimal context of `PRECISION` (50) digits with
  the ``Inexact`` trap on, whatever context the caller has set: sums and differences of
  amounts are always exact, and a product that cannot be held exactly raises
  `InexactAmountError` instead of being rounded;
* rounding happens only where a method says so, to a number of places and with a named
  rounding mode (`ROUND_HALF_EVEN` by default): `Money.rounded`, `Money.times` and
  `Rates.convert`, which rounds to the target currency's minor unit (`minor_unit`).

Arithmetic and comparison across currencies are errors, not guesses; converting needs
`Rates` given explicitly by the caller.

Examples:
    >>> from decimal import Decimal
    >>> Money("20000") + Money(Decimal("0.01"))
    Money(amount=Decimal('20000.01'), currency='CNY')
    >>> sum([Money("0.10"), Money("0.20")])
    Money(amount=Decimal('0.30'), currency='CNY')
    >>> try:
    ...     Money("1", "USD") < Money("1")
    ... except CurrencyMismatchError as error:
    ...     print(error)
    cannot compare 1 USD with 1 CNY: different currencies; convert with explicit Rates first
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import (
    ROUND_HALF_EVEN,
    Decimal,
)
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from keyaccount._money_parse import (
    _EXACT,
    _LIMIT,
    _ROUNDING,
    MAX_DECIMAL_PLACES,
    MAX_INTEGER_DIGITS,
    PRECISION,
    _amount,
    _bounded,
    _check_currency,
    _shown,
    to_decimal,
)
from keyaccount.errors import (
    CurrencyMismatchError,
    FloatMoneyError,
    InexactAmountError,
    InvalidAmountError,
    InvalidCurrencyError,
    InvalidRoundingError,
    MissingRateError,
)

__all__ = [
    "DEFAULT_CURRENCY",
    "DEFAULT_MINOR_UNIT",
    "DEFAULT_ROUNDING",
    "MAX_DECIMAL_PLACES",
    "MAX_INTEGER_DIGITS",
    "MAX_RATE_DIGITS",
    "MINOR_UNITS",
    "PRECISION",
    "Money",
    "Rates",
    "minor_unit",
    "to_decimal",
]

DEFAULT_CURRENCY: Final = "CNY"
#: A rate has at most this many significant digits, and lies within 1e-12 and 1e12.
MAX_RATE_DIGITS: Final = 20
#: The rounding mode used when a method rounds and none is named (banker's rounding).
DEFAULT_ROUNDING: Final = ROUND_HALF_EVEN
#: The minor unit of the currencies not in `MINOR_UNITS`: two decimal places (CNY, USD...).
DEFAULT_MINOR_UNIT: Final = 2
#: Decimal places of the minor unit (ISO 4217) of the common currencies that do not have
#: `DEFAULT_MINOR_UNIT`: none for JPY, KRW, VND..., three for KWD, BHD...
MINOR_UNITS: Final[Mapping[str, int]] = MappingProxyType(
    dict.fromkeys(("CLP", "ISK", "JPY", "KRW", "PYG", "UGX", "VND"), 0)
    | dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3)
)

_ROUNDINGS: Final = frozenset(
    getattr(decimal, name) for name in dir(decimal) if name.startswith("ROUND_")
)
_MIN_RATE: Final = Decimal("1e-12")
_MAX_RATE: Final = Decimal("1e12")


def minor_unit(currency: str) -> int:
    """The decimal places of ``currency``'s minor unit: 2 for CNY and USD, 0 for JPY.

    Currencies not listed in `MINOR_UNITS` have `DEFAULT_MINOR_UNIT` (2).

    Examples:
        >>> minor_unit("CNY"), minor_unit("JPY"), minor_unit("KWD")
        (2, 0, 3)

    Raises:
        InvalidCurrencyError: ``currency`` is not an ISO 4217 alphabetic code.
    """
    _check_currency(None, None, currency)
    return MINOR_UNITS.get(currency, DEFAULT_MINOR_UNIT)


def _check_rounding(rounding: object) -> str:
    if not isinstance(rounding, str) or rounding not in _ROUNDINGS:
        raise InvalidRoundingError(
            f"rounding must be one of the decimal module's modes "
            f"({', '.join(sorted(_ROUNDINGS))}), got {_shown(rounding)}"
        )
    return rounding


def _places(places: int | None, currency: str) -> int:
    if places is None:
        return minor_unit(currency)
    if isinstance(places, bool) or not isinstance(places, int):
        raise InvalidRoundingError(f"places must be an int, got {type(places).__name__}")
    if not 0 <= places <= MAX_DECIMAL_PLACES:
        raise InvalidRoundingError(f"places must be 0-{MAX_DECIMAL_PLACES}, got {places}")
    return places


def _round_fraction(value: Fraction, places: int, rounding: str) -> Decimal:
    """``value`` rounded to ``places`` decimal places with ``rounding``, exactly.

    The quotient is taken to one digit more than kept, plus a sticky digit that is 1
    when anything is left over: that decimal rounds exactly as ``value`` does, in every
    mode, so no second rounding creeps in.
    """
    scaled = abs(value.numerator) * 10 ** (places + 1)
    quotient, remainder = divmod(scaled, value.denominator)
    digits = quotient * 10 + (1 if remainder else 0)
    sign = "-" if value < 0 else ""
    rough = Decimal(f"{sign}{digits}E-{places + 2}")
    return rough.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=_ROUNDING)


def _exact_factor(factor: object) -> Fraction:
    """``factor`` as an exact Fraction: an int, a Decimal or a Fraction.

    Raises:
        FloatMoneyError: a float, a bool or anything but an exact number.
        InvalidAmountError: a Decimal that is infinite, NaN or absurdly large or small.
    """
    if isinstance(factor, Fraction):
        return factor
    if isinstance(factor, Decimal):
        if not factor.is_finite():
            raise InvalidAmountError(f"a factor must be finite, got {factor}")
        if not factor.is_zero() and not -100 <= factor.adjusted() <= 100:
            raise InvalidAmountError(f"a factor must lie within 1e-100 and 1e100, got {factor}")
        return Fraction(factor)
    if isinstance(factor, int) and not isinstance(factor, bool):
        return Fraction(factor)
    raise FloatMoneyError(
        f"multiply Money by an int, Decimal or Fraction, not a {type(factor).__name__}"
    )


@attrs.frozen(order=False)
class Money:
    """An exact amount of money in one currency (default CNY).

    Equal amounts compare equal whatever their exponent: ``Money("1.0") == Money("1.00")``.
    An amount given with more than 8 decimal places that are all zero
    (``"1.0000000000"``) keeps its value with its exponent trimmed to 8 places.

    Arithmetic is exact (see the module): ``+`` and ``-`` between amounts in one currency, ``-m``,
    ``sum(monies)`` (which starts from the int ``0``: write ``sum(monies, Money.zero(currency))``
    when the list may be empty), and ``*`` by an ``int``, ``Decimal`` or ``Fraction`` whose exact
    product Money can hold (``Money(3) * Fraction(1, 3)`` is ``Money(1)``; ``Money(1) * Fraction(1,
    3)`` raises). To round a product on purpose use `Money.times`.

    Attributes:
        amount: a ``Decimal``, ``int`` or decimal string; floats raise ``FloatMoneyError``.
        currency: an ISO 4217 alphabetic code, upper case.

    Raises:
        FloatMoneyError: ``amount`` is a float, a bool or not a number.
        InvalidAmountError: ``amount`` is not a finite decimal, is ``10**18`` or more in
            magnitude, or has more than 8 decimal places.
        InvalidCurrencyError: ``currency`` is not an ISO 4217 alphabetic code.
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(default=DEFAULT_CURRENCY, validator=_check_currency)

    def _same(self, other: Money, verb: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatchError(
                f"cannot {verb} {self} with {other}: different currencies; "
                f"convert with explicit Rates first"
            )

    def _result(self, amount: Decimal, what: str) -> Money:
        """A result in this currency, refused (never rounded) when Money cannot hold it."""
        return Money(_bounded(amount, what, InexactAmountError), self.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return self._result(_EXACT.add(self.amount, other.amount), "the sum")

    def __radd__(self, other: object) -> Money:
        """``0 + money`` is ``money``, so that ``sum(monies)`` works; nothing else adds."""
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return self._result(_EXACT.subtract(self.amount, other.amount), "the difference")

    def __mul__(self, factor: int | Decimal | Fraction) -> Money:
        """The exact product; `InexactAmountError` if Money cannot hold it exactly."""
        if not isinstance(factor, int | Decimal | Fraction | float):
            return NotImplemented
        product = self._product(factor)
        places = next(
            (p for p in range(MAX_DECIMAL_PLACES + 1) if 10**p % product.denominator == 0), None
        )
        if places is None:
            raise InexactAmountError(
                f"{self} times {_shown(factor)} has no exact decimal form with at most "
                f"{MAX_DECIMAL_PLACES} decimal places; round it explicitly with "
                f"Money.times(factor, places=..., rounding=...)"
            )
        return self._result(_round_fraction(product, places, ROUND_HALF_EVEN), "the product")

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(self.amount.copy_negate(), self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        """Nothing, in ``currency``."""
        return cls(Decimal(0), currency)

    def rounded(self, places: int | None = None, *, rounding: str = DEFAULT_ROUNDING) -> Money:
        """This amount rounded on purpose to ``places`` decimal places.

        Examples:
            >>> print(Money("0.125").rounded(), Money("0.125").rounded(rounding="ROUND_HALF_UP"))
            0.12 CNY 0.13 CNY

        Args:
            places: 0-8; by default the currency's minor unit (`minor_unit`).
            rounding: a ``decimal`` rounding mode, banker's rounding by default.

        Raises:
            InvalidRoundingError: an unknown mode, or places outside 0-8.
        """
        return self.times(1, places=places, rounding=rounding)

    def times(
        self,
        factor: int | Decimal | Fraction,
        *,
        places: int | None = None,
        rounding: str = DEFAULT_ROUNDING,
    ) -> Money:
        """This amount times ``factor``, rounded on purpose to ``places`` decimal places.

        The product is computed exactly and rounded once: a share of a claim, a tax or a discount.

        Examples:
            >>> Money(100).times(Fraction(1, 3))
            Money(amount=Decimal('33.33'), currency='CNY')

        Args:
            factor: an exact number (``int``, ``Decimal``, ``Fraction``).
            places: 0-8; by default the currency's minor unit (`minor_unit`).
            rounding: a ``decimal`` rounding mode, banker's rounding by default.

        Raises:
            FloatMoneyError: ``factor`` is a float or not a number.
            InvalidRoundingError: an unknown mode, or places outside 0-8.
            InvalidAmountError: the result is ``10**18`` or more in magnitude.
        """
        mode = _check_rounding(rounding)
        digits = _places(places, self.currency)
        return Money(_round_fraction(self._product(factor), digits, mode), self.currency)

    def _product(self, factor: object) -> Fraction:
        """The exact product by ``factor``, refused when it is too large for Money."""
        product = Fraction(self.amount) * _exact_factor(factor)
        if abs(product) >= _LIMIT:
            raise InvalidAmountError(
                f"{self} times {_shown(factor)} is too large: Money holds amounts below "
                f"10**{MAX_INTEGER_DIGITS} in magnitude"
            )
        return product


def _to_rate(source: str, target: str, rate: object) -> Decimal:
    what = f"rate {source}->{target}"
    value = to_decimal(rate, what)
    if value <= 0:
        raise InvalidAmountError(f"{what} must be positive, got {_shown(value)}")
    if not _MIN_RATE <= value <= _MAX_RATE:
        raise InvalidAmountError(f"{what} must lie within 1e-12 and 1e12, got {_shown(value)}")
    if len(value.normalize(_EXACT).as_tuple().digits) > MAX_RATE_DIGITS:
        raise InvalidAmountError(
            f"{what} has more than {MAX_RATE_DIGITS} significant digits: {_shown(value)}"
        )
    return value


def _to_rate_table(value: Mapping[tuple[str, str], object]) -> dict[tuple[str, str], Decimal]:
    if not isinstance(value, Mapping):
        raise InvalidCurrencyError(
            f"rates must be a mapping {{(source, target): rate}}, got {type(value).__name__}"
        )
    table: dict[tuple[str, str], Decimal] = {}
    for pair, rate in value.items():
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidCurrencyError(
                f"a rate's key must be a (source, target) pair of currencies, got {_shown(pair)}"
            )
        source, target = pair
        _check_currency(None, None, source)
        _check_currency(None, None, target)
        if source == target:
            raise InvalidCurrencyError(f"a rate from {source} to itself is always 1; leave it out")
        table[(source, target)] = _to_rate(source, target, rate)
    return table


@attrs.frozen
class Rates:
    """Exchange rates the caller vouches for, as exact Decimals.

    ``Rates({("USD", "CNY"): "7.1"})`` converts USD into CNY at 7.1. Only the pairs given are known;
    the reverse of a pair is the exact ``1 / rate`` only when ``derive_inverse`` is true (the
    default), and nothing is chained through a third currency. A rate is positive, lies within 1e-12
    and 1e12 and has at most 20 significant digits (`MAX_RATE_DIGITS`).

    Comparing (`at_most`) is exact: the known rate is multiplied, never divided.
    Converting (`convert`) rounds the exact result once, to the target currency's
    minor unit with a named rounding mode, so a converted amount is an ordinary amount
    of that currency and sums of converted amounts are exact:

    Examples:
        >>> rates = Rates({("USD", "CNY"): "7.1"})
        >>> rates.convert(Money("100", "USD"), "CNY")
        Money(amount=Decimal('710.00'), currency='CNY')
        >>> rates.convert(Money("1", "CNY"), "USD")
        Money(amount=Decimal('0.14'), currency='USD')

    Raises:
        InvalidCurrencyError: the table is not a mapping of currency pairs.
        InvalidAmountError: a rate is not positive, or is out of range.
        FloatMoneyError: a rate is a float.
    """

    table: Mapping[tuple[str, str], Decimal] = attrs.field(converter=_to_rate_table)
    derive_inverse: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    def rate(self, source: str, target: str) -> Fraction:
        """The exact rate from ``source`` to ``target``: a given rate or the inverse of one.

        Examples:
            >>> Rates({("USD", "CNY"): "8"}).rate("CNY", "USD")
            Fraction(1, 8)

        Raises:
            MissingRateError: neither the pair nor (when allowed) its inverse is known.
        """
        if source == target:
            return Fraction(1)
        direct = self.table.get((source, target))
        if direct is not None:
            return Fraction(direct)
        if self.derive_inverse:
            inverse = self.table.get((target, source))
            if inverse is not None:
                return 1 / Fraction(inverse)
        raise MissingRateError(f"no exchange rate from {source} to {target} was given")

    def at_most(self, amount: Money, limit: Money) -> bool:
        """Whether ``amount`` is at most ``limit``, compared exactly.

        The known rate is always multiplied, never divided, so a limit of X covers an amount worth
        exactly X: with ``USD->CNY = 7``, 140000 CNY is at most 20000 USD. Amounts and rates are
        bounded so that the product is exact in `PRECISION` digits; nothing is rounded.

        Raises:
            MissingRateError: no rate between the two currencies was given.
        """
        if amount.currency == limit.currency:
            return amount.amount <= limit.amount
        forward = self.table.get((amount.currency, limit.currency))
        if forward is not None:
            return _EXACT.multiply(amount.amount, forward) <= limit.amount
        backward = self.table.get((limit.currency, amount.currency))
        if backward is not None and self.derive_inverse:
            return amount.amount <= _EXACT.multiply(limit.amount, backward)
        raise MissingRateError(
            f"no exchange rate between {amount.currency} and {limit.currency} was given"
        )

    def convert(
        self,
        money: Money,
        currency: str,
        *,
        places: int | None = None,
        rounding: str = DEFAULT_ROUNDING,
    ) -> Money:
        """``money`` expressed in ``currency``, rounded once to its minor unit.

        The exact product by the rate (or quotient by the inverse one) is rounded to
        ``places`` decimal places with ``rounding``: by default the target currency's
        minor unit (`minor_unit`: 2 for CNY and USD, 0 for JPY) and banker's rounding
        (``ROUND_HALF_EVEN``). An amount already in ``currency`` is returned unchanged.

        Args:
            money: the amount to convert.
            currency: the currency to express it in.
            places: 0-8 decimal places; by default the minor unit of ``currency``.
            rounding: a ``decimal`` rounding mode.

        Raises:
            MissingRateError: no rate between the two currencies was given.
            InvalidCurrencyError: ``currency`` is not an ISO 4217 code.
            InvalidRoundingError: an unknown mode, or places outside 0-8.
            InvalidAmountError: the converted amount is ``10**18`` or more.
        """
        _check_currency(None, None, currency)
        if money.currency == currency:
            return money
        mode = _check_rounding(rounding)
        digits = _places(places, currency)
        exact = Fraction(money.amount) * self.rate(money.currency, currency)
        if abs(exact) >= _LIMIT:
            raise InvalidAmountError(
                f"{money} in {currency} is too large: Money holds amounts below "
                f"10**{MAX_INTEGER_DIGITS} in magnitude"
            )
        return Money(_round_fraction(exact, digits, mode), currency)
