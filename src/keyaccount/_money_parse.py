"""How `keyaccount.money` reads and bounds an amount: the parsing half of Money.

`to_decimal` turns a value into an exact, finite ``Decimal`` (refusing floats and text
that is not a plain decimal); `Money`'s converter then holds it within Money's bounds
(below ``10**MAX_INTEGER_DIGITS``, at most `MAX_DECIMAL_PLACES` decimal places). The
decimal contexts every Money operation runs in live here too. Every public name is
importable from `keyaccount.money`; this module is internal.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from typing import Final

from keyaccount.errors import FloatMoneyError, InvalidAmountError, InvalidCurrencyError

__all__ = ["MAX_DECIMAL_PLACES", "MAX_INTEGER_DIGITS", "PRECISION", "to_decimal"]

#: An amount is below ``10**MAX_INTEGER_DIGITS`` in magnitude (a million trillion yuan).
MAX_INTEGER_DIGITS: Final = 18
#: An amount has at most this many decimal places (a hundred-millionth of a unit).
MAX_DECIMAL_PLACES: Final = 8

#: Digits of the decimal context arithmetic runs in. An amount has at most 26 significant
#: digits and a rate at most 20, so sums, differences and conversions are always exact
#: in it; a product by a longer factor that would need rounding raises instead.
PRECISION: Final = 50

_CURRENCY: Final = re.compile(r"[A-Z]{3}")
_DECIMAL_TEXT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

_LIMIT: Final = 10**MAX_INTEGER_DIGITS
_STEP: Final = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)
_ONE: Final = Decimal(1)
_CENT: Final = Decimal("0.01")

_SHOWN: Final = 40  # characters of a refused value an error message quotes

# The contexts are used only through their methods (never installed as the thread's
# context); their flags are never read, so sharing them is safe.
#: Exact arithmetic: an operation that would round raises `decimal.Inexact`.
_EXACT: Final = Context(
    prec=PRECISION,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact],
)
#: Rounding on purpose, where a method names the places and the mode.
_ROUNDING: Final = _EXACT.copy()
_ROUNDING.traps[Inexact] = False


def _shown(value: object) -> str:
    """``repr(value)``, cut short: an error never quotes a whole long field."""
    if isinstance(value, int | Fraction) and max(value.numerator, value.denominator) > 10**900:
        return "a number of more than 900 digits"  # repr would fail past 4,300 digits
    text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 5]}...{text[-4:]}"


def to_decimal(value: object, what: str = "amount") -> Decimal:
    """Turn ``value`` into an exact, finite Decimal, refusing floats and non-numbers.

    Text is a plain ASCII decimal: an optional sign, digits with an optional point, and
    an optional exponent (``"20000.00"``, ``"-1.5"``, ``"2E+4"``); surrounding spaces are
    ignored. Thousands separators, underscores and non-ASCII digits are refused.

    Args:
        value: a ``Decimal``, an ``int`` or a decimal string such as ``"20000.00"``.
        what: what the value is, for the error message.

    Raises:
        FloatMoneyError: ``value`` is a float (binary floats cannot hold 0.1 exactly),
            a bool or no number at all.
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
        stripped = value.strip()
        if not _DECIMAL_TEXT.fullmatch(stripped):
            raise InvalidAmountError(f"{what} {_shown(value)} is not a decimal number")
        try:
            result = Decimal(stripped)
        except InvalidOperation:
            raise InvalidAmountError(
                f"{what} {_shown(value)} has an exponent out of range"
            ) from None
    else:
        raise FloatMoneyError(
            f"{what} must be a Decimal, int or decimal string, got {type(value).__name__}"
        )
    if not result.is_finite():
        raise InvalidAmountError(f"{what} must be finite, got {result}")
    return result


def _bounded(value: Decimal, what: str, inexact: type[InvalidAmountError]) -> Decimal:
    """``value`` if Money can hold it exactly, with its exponent trimmed to 8 places.

    Raises:
        InvalidAmountError: ``value`` is ``10**18`` or more in magnitude.
        ``inexact``: ``value`` has more than 8 decimal places that are not all zero.
    """
    if value.is_zero():
        exponent = value.as_tuple().exponent
        return Decimal(0) if isinstance(exponent, int) and exponent > 0 else value
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise InvalidAmountError(
            f"{what} {_shown(value)} is too large: Money holds amounts below "
            f"10**{MAX_INTEGER_DIGITS} in magnitude"
        )
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        try:
            return value.quantize(_STEP, context=_EXACT)
        except Inexact:
            raise inexact(
                f"{what} {_shown(value)} has more than {MAX_DECIMAL_PLACES} decimal places, "
                f"the most Money holds; round on purpose (Money.times, Rates.convert)"
            ) from None
    return value


def _amount(value: object) -> Decimal:
    """attrs converter of `Money.amount`: an exact Decimal within Money's bounds.

    An ``int`` within bounds and a finite ``Decimal`` skip the checks they cannot fail
    (the result is the same): the approval route and the loaders build Money from
    plain amounts on every call.
    """
    if type(value) is int:
        if -_LIMIT < value < _LIMIT:
            return Decimal(value)
    elif type(value) is Decimal and value.is_finite():
        if value.adjusted() < MAX_INTEGER_DIGITS and (
            value.same_quantum(_ONE) or value.same_quantum(_CENT)
        ):
            return value  # whole units or cents, within bounds: kept as given
        return _bounded(value, "amount", InvalidAmountError)
    return _bounded(to_decimal(value, "amount"), "amount", InvalidAmountError)


#: Currency codes already checked (at most 26**3), so that a code is matched once.
_CHECKED_CODES: set[str] = set()


def _check_currency(_instance: object, _attribute: object, value: str) -> None:
    if type(value) is str and value in _CHECKED_CODES:
        return
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise InvalidCurrencyError(
            f"currency must be an ISO 4217 alphabetic code such as 'CNY', got {_shown(value)}"
        )
    if type(value) is str:
        _CHECKED_CODES.add(value)
