"""Money: an exact Decimal amount in one ISO 4217 currency, and explicit exchange rates.

Amounts are never floats. Arithmetic and comparison across currencies are errors,
not guesses; converting needs `Rates` given explicitly by the caller.

>>> from decimal import Decimal
>>> Money("20000") + Money(Decimal("0.01"))
Money(amount=Decimal('20000.01'), currency='CNY')
>>> try:
...     Money("1", "USD") < Money("1")
... except CurrencyMismatchError as error:
...     print(error)
cannot compare 1 USD with 1 CNY: different currencies; convert with explicit Rates first
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation, localcontext
from typing import Final

import attrs

from keyaccount.errors import (
    CurrencyMismatchError,
    FloatMoneyError,
    InvalidAmountError,
    InvalidCurrencyError,
    MissingRateError,
)

__all__ = ["DEFAULT_CURRENCY", "Money", "Rates", "to_decimal"]

DEFAULT_CURRENCY: Final = "CNY"
_CURRENCY = re.compile(r"[A-Z]{3}")


def to_decimal(value: object, what: str = "amount") -> Decimal:
    """Turn ``value`` into an exact, finite Decimal, refusing floats and non-numbers.

    Args:
        value: a ``Decimal``, an ``int`` or a decimal string such as ``"20000.00"``.
        what: what the value is, for the error message.

    Raises:
        FloatMoneyError: ``value`` is a float (binary floats cannot hold 0.1 exactly).
        InvalidAmountError: a string that is not a decimal number, or an infinity/NaN.
    """
    if isinstance(value, bool):
        raise FloatMoneyError(f"{what} must be a Decimal, int or decimal string, got bool")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise FloatMoneyError(
            f"{what} must be a Decimal, int or decimal string, got float {value!r}; "
            f"floats cannot hold decimal amounts exactly (write Decimal({str(value)!r}))"
        )
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidAmountError(f"{what} {value!r} is not a decimal number") from None
    else:
        raise FloatMoneyError(
            f"{what} must be a Decimal, int or decimal string, got {type(value).__name__}"
        )
    if not result.is_finite():
        raise InvalidAmountError(f"{what} must be finite, got {result}")
    return result


def _check_currency(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise InvalidCurrencyError(
            f"currency must be an ISO 4217 alphabetic code such as 'CNY', got {value!r}"
        )


@attrs.frozen(order=False)
class Money:
    """An exact amount of money in one currency (default CNY).

    Equal amounts compare equal whatever their exponent: ``Money("1.0") == Money("1.00")``.

    Args:
        amount: a ``Decimal``, ``int`` or decimal string; floats raise ``FloatMoneyError``.
        currency: an ISO 4217 alphabetic code, upper case.
    """

    amount: Decimal = attrs.field(converter=to_decimal)
    currency: str = attrs.field(default=DEFAULT_CURRENCY, validator=_check_currency)

    def _same(self, other: Money, verb: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatchError(
                f"cannot {verb} {self} with {other}: different currencies; "
                f"convert with explicit Rates first"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise FloatMoneyError("multiply Money by an int or Decimal, not a float")
        if not isinstance(factor, (int, Decimal)):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

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


def _to_rate_table(value: Mapping[tuple[str, str], object]) -> dict[tuple[str, str], Decimal]:
    table: dict[tuple[str, str], Decimal] = {}
    for (source, target), rate in value.items():
        _check_currency(None, None, source)
        _check_currency(None, None, target)
        decimal_rate = to_decimal(rate, f"rate {source}->{target}")
        if decimal_rate <= 0:
            raise InvalidAmountError(
                f"rate {source}->{target} must be positive, got {decimal_rate}"
            )
        table[(source, target)] = decimal_rate
    return table


@attrs.frozen
class Rates:
    """Exchange rates the caller vouches for, as exact Decimals.

    ``Rates({("USD", "CNY"): "7.1"})`` converts USD into CNY at 7.1. Only the pairs
    given are known; the reverse of a pair is derived exactly as ``1 / rate`` only when
    ``derive_inverse`` is true (the default), and nothing is chained through a third
    currency.

    >>> Rates({("USD", "CNY"): "7.1"}).convert(Money("100", "USD"), "CNY")
    Money(amount=Decimal('710.0'), currency='CNY')
    """

    table: Mapping[tuple[str, str], Decimal] = attrs.field(converter=_to_rate_table)
    derive_inverse: bool = True

    def rate(self, source: str, target: str) -> Decimal:
        """The rate from ``source`` to ``target``.

        Raises:
            MissingRateError: neither the pair nor (when allowed) its inverse is known.
        """
        if source == target:
            return Decimal(1)
        direct = self.table.get((source, target))
        if direct is not None:
            return direct
        if self.derive_inverse:
            inverse = self.table.get((target, source))
            if inverse is not None:
                return Decimal(1) / inverse
        raise MissingRateError(f"no exchange rate from {source} to {target} was given")

    def at_most(self, amount: Money, limit: Money) -> bool:
        """Whether ``amount`` is at most ``limit``, compared exactly.

        The known rate is always multiplied, never divided, so a limit of X covers an
        amount worth exactly X: with ``USD->CNY = 7``, 140000 CNY is at most 20000 USD.

        Raises:
            MissingRateError: no rate between the two currencies was given.
        """
        with localcontext() as exact:
            exact.prec = 80
            if amount.currency == limit.currency:
                return amount.amount <= limit.amount
            forward = self.table.get((amount.currency, limit.currency))
            if forward is not None:
                return amount.amount * forward <= limit.amount
            backward = self.table.get((limit.currency, amount.currency))
            if backward is not None and self.derive_inverse:
                return amount.amount <= limit.amount * backward
        raise MissingRateError(
            f"no exchange rate between {amount.currency} and {limit.currency} was given"
        )

    def convert(self, money: Money, currency: str) -> Money:
        """``money`` expressed in ``currency``."""
        return Money(money.amount * self.rate(money.currency, currency), currency)
