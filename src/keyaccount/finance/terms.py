"""When is an invoice due: `PaymentTerms` (付款条件) read from text such as ``net 30``.

The seeds name no payment terms; they ask for the days overdue of receivables
(应收帐款坏账率及延误天数, ``001_5973d372c2cdd2f6.txt`` 考核指标), which needs a due date
for every invoice. The issue names two readings, and this module reads both:

* **Net days** (``30 days``, ``net 30``, ``N30``, ``30天``, ``30 天``): the invoice is due
  ``days`` calendar days after its issue date. ``immediate``, ``due on receipt``,
  ``现结`` and ``现款`` are net 0: due on the issue date.
* **Month-end settlement** (月结, ``月结60天``, ``月结 60 天``, ``EOM 60``, ``eom+60``):
  the invoice is due ``days`` calendar days after the **last day of its issue month**
  (an invoice of 2026-01-15 on 月结60天 is due 2026-01-31 + 60 days = 2026-04-01). A bare
  ``月结`` or ``EOM`` is due on the last day of the issue month.

Due dates are calendar dates, not working days: terms count calendar days in practice,
and a due date on a rest day stays on it (dunning counts working days after it; see
`keyaccount.finance.dunning`).

Examples:
    >>> import datetime as dt
    >>> PaymentTerms.parse("月结60天").due_on(dt.date(2026, 1, 15))
    datetime.date(2026, 4, 1)
    >>> PaymentTerms.parse("net 30").due_on(dt.date(2026, 1, 15))
    datetime.date(2026, 2, 14)
    >>> str(PaymentTerms.parse("30 days")), str(PaymentTerms(60, month_end=True))
    ('net 30', '月结60天')
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from typing import Any, Final

import attrs

from keyaccount.errors import InvalidPaymentTermsError

__all__ = ["PaymentTerms"]

#: The longest terms read (ten years): anything longer is a typing slip, not a term.
MAX_TERM_DAYS: Final = 3660

_NET: Final = re.compile(r"(?:net\s*|n)?(\d{1,6})\s*(?:days?|天|日)?", re.IGNORECASE)
_MONTH_END: Final = re.compile(
    r"(?:月结|eom|end\s+of\s+month)\s*(?:\+\s*)?(?:(\d{1,6})\s*(?:days?|天|日)?)?",
    re.IGNORECASE,
)
_IMMEDIATE: Final = frozenset({"immediate", "due on receipt", "cash", "现结", "现款", "货到付款"})


def _days(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a whole number of days, 0 to `MAX_TERM_DAYS`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPaymentTermsError(
            f"{attribute.name} must be a whole number of days, got {type(value).__name__}"
        )
    if not 0 <= value <= MAX_TERM_DAYS:
        raise InvalidPaymentTermsError(
            f"{attribute.name} must be 0 to {MAX_TERM_DAYS} days, got {value}"
        )


def _flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidPaymentTermsError(f"{attribute.name} must be a bool, got {value!r}")


@attrs.frozen
class PaymentTerms:
    """Payment terms (付款条件): how many days after the issue (or its month's end) an
    invoice is due.

    Attributes:
        days: calendar days to add, 0 to `MAX_TERM_DAYS`.
        month_end: month-end settlement (月结): count from the last day of the issue
            month instead of the issue date.

    Raises:
        InvalidPaymentTermsError: ``days`` is negative, too large or not a whole number.
    """

    days: int = attrs.field(validator=_days)
    month_end: bool = attrs.field(default=False, kw_only=True, validator=_flag)

    @classmethod
    def parse(cls, text: str) -> PaymentTerms:
        """Read terms such as ``30 days``, ``net 30``, ``月结60天`` or ``EOM 60``.

        Args:
            text: the terms as written on a contract or invoice.

        Returns:
            The `PaymentTerms` (see the module docstring for each reading).

        Raises:
            InvalidPaymentTermsError: the text is none of the readings.
        """
        if not isinstance(text, str):
            raise InvalidPaymentTermsError(
                f"payment terms must be text such as '30 days' or '月结60天', "
                f"got {type(text).__name__}"
            )
        cleaned = text.strip()
        if cleaned.lower() in _IMMEDIATE:
            return cls(0)
        net = _NET.fullmatch(cleaned)
        if net is not None:
            return cls(_bounded(int(net.group(1)), text))
        month_end = _MONTH_END.fullmatch(cleaned)
        if month_end is not None:
            days = month_end.group(1)
            return cls(0 if days is None else _bounded(int(days), text), month_end=True)
        raise InvalidPaymentTermsError(
            f"cannot read payment terms {cleaned[:40]!r}: write '30 days', 'net 30' or "
            "'月结60天' (month-end settlement)"
        )

    def due_on(self, issued_on: dt.date) -> dt.date:
        """The due date of an invoice issued on ``issued_on``.

        Raises:
            InvalidPaymentTermsError: the due date would fall after 9999-12-31.
        """
        start = issued_on
        if self.month_end:
            last = _calendar.monthrange(issued_on.year, issued_on.month)[1]
            start = issued_on.replace(day=last)
        try:
            return start + dt.timedelta(days=self.days)
        except OverflowError:
            raise InvalidPaymentTermsError(
                f"{self} from {issued_on} falls after 9999-12-31"
            ) from None

    def __str__(self) -> str:
        """The wire form files hold: ``net 30`` or ``月结60天``."""
        return f"月结{self.days}天" if self.month_end else f"net {self.days}"


def _bounded(days: int, text: str) -> int:
    if days > MAX_TERM_DAYS:
        raise InvalidPaymentTermsError(
            f"payment terms {text.strip()[:40]!r} exceed {MAX_TERM_DAYS} days"
        )
    return days
