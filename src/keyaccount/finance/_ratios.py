"""(private) How finance figures write a ratio: one exact rule, rounded once, stated.

A ratio (达成率, 利润率, 费用使用率, 客户流失率) is the exact quotient of two exact
amounts, rounded once to `RATIO_PLACES` decimal places (0.0001, i.e. a hundredth of a
percent) with ``ROUND_HALF_UP`` (四舍五入, the rounding of Chinese financial reports).
A ratio over nothing (a zero target, no revenue, no customers) is ``None``, never 0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final

__all__ = ["RATIO_PLACES", "RATIO_ROUNDING", "ratio"]

#: Ratios are rounded to four decimal places (0.0001 = 0.01%).
RATIO_PLACES: Final = 4
#: ... with 四舍五入 (half away from zero).
RATIO_ROUNDING: Final = ROUND_HALF_UP

_STEP: Final = Decimal(1).scaleb(-RATIO_PLACES)


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """``numerator / denominator`` rounded once to `RATIO_PLACES` places, half up.

    Examples:
        >>> ratio(Decimal(2), Decimal(3)), ratio(1, 8), ratio(5, 0)
        (Decimal('0.6667'), Decimal('0.1250'), None)
    """
    if not denominator:
        return None
    exact = Fraction(numerator) / Fraction(denominator)
    scaled = exact * 10**RATIO_PLACES
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    signed = -whole if scaled < 0 else whole
    return (Decimal(signed) * _STEP).quantize(_STEP, rounding=RATIO_ROUNDING)
