"""Every error keyaccount raises.

There is one base class, `KeyAccountError`. Each specific error also subclasses
the builtin exception that fits it, so a caller can catch either the library's own
class or the familiar builtin:

Examples:
    >>> from keyaccount.errors import CurrencyMismatchError, KeyAccountError
    >>> issubclass(CurrencyMismatchError, KeyAccountError)
    True
    >>> issubclass(CurrencyMismatchError, ValueError)
    True
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmbiguousTitleError",
    "BatchArgumentError",
    "CalendarCoverageError",
    "CardNotLiveError",
    "ConflictingOperationError",
    "CurrencyMismatchError",
    "CustomerMismatchError",
    "DataFileError",
    "DataProblem",
    "DateOutOfRangeError",
    "DuplicateIdError",
    "FloatMoneyError",
    "InexactAmountError",
    "InexactNumberError",
    "InsufficientPointsError",
    "InvalidAmountError",
    "InvalidArgumentTypeError",
    "InvalidCalendarError",
    "InvalidCurrencyError",
    "InvalidDataError",
    "InvalidDateRangeError",
    "InvalidGranularityError",
    "InvalidInstantError",
    "InvalidMileageError",
    "InvalidPaymentTermsError",
    "InvalidPercentileError",
    "InvalidPeriodError",
    "InvalidPhoneError",
    "InvalidPolicyError",
    "InvalidRecurrenceError",
    "InvalidRoundingError",
    "InvalidTableError",
    "InvalidTextError",
    "InvalidTimeWindowError",
    "InvalidTimezoneError",
    "InvalidTransition",
    "KeyAccountError",
    "MissingAsOfError",
    "MissingChartError",
    "MissingExtraError",
    "MissingRateError",
    "NaiveDatetimeError",
    "NoApproverError",
    "NoCandidateError",
    "NotADateError",
    "NotADurationError",
    "NotAPeriodError",
    "NotAnInstantError",
    "OrgStructureError",
    "OverAllocationError",
    "RedactedRecordError",
    "UnapprovedAdjustmentError",
    "UnknownCardError",
    "UnknownExpenseLineError",
    "UnknownInvoiceError",
    "UnknownPositionError",
    "UnknownReferenceError",
    "UnknownSpendKindError",
    "UnknownStaffError",
    "UnsupportedFormatError",
    "UnsupportedTypeError",
]


class KeyAccountError(Exception):
    """Base class of every error raised by keyaccount."""


class NaiveDatetimeError(KeyAccountError, ValueError):
    """A datetime without a timezone was given where an instant is required."""


class NotAnInstantError(KeyAccountError, TypeError):
    """Something other than a datetime (a bare date, a string...) was given as an instant."""


class NotADateError(KeyAccountError, TypeError):
    """Something other than a date was given where a calendar date is required."""


class NotAPeriodError(KeyAccountError, TypeError):
    """Something other than a period (``Days``, ``Workdays``, ``Hours``, ``WorkingHours``)
    was given where one is required, e.g. the text ``"7 days"`` (use ``parse_period``)."""


class NotADurationError(KeyAccountError, TypeError):
    """Something other than a duration (``timedelta``, pendulum ``Duration`` or
    ``Interval``) was given where a length of time is required."""


class InvalidArgumentTypeError(KeyAccountError, TypeError):
    """An argument is of the wrong type (a title where an `OrgChart` is expected, a
    `Position` where its id is expected, ``"no"`` for a bool); the message names it."""


class BatchArgumentError(KeyAccountError, ValueError):
    """An argument of a batch rule (`keyaccount.batch`) cannot be used: a column of a
    refused type (float days, a naive Arrow or Polars timestamp, text), columns of
    different lengths, or an `errors` choice other than ``"raise"`` and ``"null"``."""


class InvalidInstantError(KeyAccountError, ValueError):
    """Text given as an instant (e.g. ``--as-of``) is neither an RFC 3339 instant nor a date."""


class CalendarCoverageError(KeyAccountError, LookupError):
    """A date falls outside the years whose holidays the calendar knows.

    Attributes:
        year: the year that was asked for.
        covered: the first and last covered year.
    """

    def __init__(self, year: int, covered: tuple[int, int], what: str = "holiday data") -> None:
        self.year = year
        self.covered = covered
        super().__init__(
            f"{year} is outside the years covered by the {what} "
            f"({covered[0]}-{covered[1]}); extend the calendar with a year table "
            f"instead of guessing"
        )


class DateOutOfRangeError(CalendarCoverageError, OverflowError):
    """A calendar answer would fall before 0001-01-01 or after 9999-12-31.

    Those are the first and last dates Python (and every file of this library) can
    represent: `add_workdays(date(9999, 12, 31), 1)` or a deadline millions of days
    ahead has no answer. A `CalendarCoverageError` (the calendar covers years 1-9999)
    and an `OverflowError`, what the standard library raises for such dates.

    Attributes:
        year: ``0`` for an answer before year 1, ``10000`` for one after year 9999.
        covered: ``(1, 9999)``.
    """

    def __init__(self, what: str, *, after: bool) -> None:
        year, bound = (10000, "9999-12-31") if after else (0, "0001-01-01")
        KeyAccountError.__init__(
            self,
            f"{what} would fall {'after' if after else 'before'} {bound}, "
            f"the {'last' if after else 'first'} date that can be represented",
        )
        self.year = year
        self.covered = (1, 9999)


class InvalidPeriodError(KeyAccountError, ValueError):
    """A period or working-hours window is malformed (negative, overlapping, unordered...)."""


class InvalidPercentileError(KeyAccountError, ValueError):
    """A percentile was asked of no values at all, or for a percent outside 1-100."""


class InvalidGranularityError(KeyAccountError, ValueError):
    """A report was asked per a period it does not know (``"week"`` where the choices
    are ``"month"``, ``"quarter"`` and ``"year"``)."""


class InvalidCalendarError(KeyAccountError, ValueError):
    """A working calendar or year table contradicts itself.

    For example: no working weekday, a day both a holiday and a make-up working day, a
    date listed in another year's table, or year tables that leave a gap.
    """


class InexactNumberError(KeyAccountError, TypeError):
    """A float was given where an exact number is required (Decimal, Fraction, int)."""


class FloatMoneyError(InexactNumberError):
    """A float was given as an amount of money; use Decimal, int or a decimal string."""


class InvalidAmountError(KeyAccountError, ValueError):
    """An amount is not a finite decimal number, is out of Money's bounds (``10**18`` or
    more, more than 8 decimal places) or is negative where it cannot be; or a rate is
    not positive."""


class InexactAmountError(InvalidAmountError):
    """Arithmetic on money would have to round: the exact result has more decimal places
    than Money holds (``Money(1) * Fraction(1, 3)``). Round on purpose instead
    (`Money.times`, `Money.rounded`, `Rates.convert` name the places and the mode)."""


class InvalidRoundingError(KeyAccountError, ValueError):
    """A rounding mode is not one of the ``decimal`` module's, or the places are out of range."""


class InvalidDateRangeError(KeyAccountError, ValueError):
    """A date range ends before it starts, or is bounded by something other than dates."""


class InvalidTextError(KeyAccountError, ValueError):
    """An id, name or reason is blank or not text at all."""


class InvalidTimezoneError(KeyAccountError, ValueError):
    """A time zone is not a known IANA zone name (e.g. ``Asia/Shanghai``)."""


class InvalidTimeWindowError(KeyAccountError, ValueError):
    """A time-of-day window (quiet hours, a meeting's hours) is malformed or reversed."""


class InvalidMileageError(KeyAccountError, ValueError):
    """A car's odometer facts or a maintenance distance do not hold together (a negative
    distance, a reading below the last service's, a reading without its day)."""


class InvalidRecurrenceError(KeyAccountError, ValueError):
    """A recurrence rule's text cannot be read, or its parts do not make a schedule.

    Attributes:
        text: the text that was read (empty when the rule was built from values).
    """

    def __init__(self, message: str, text: str = "") -> None:
        super().__init__(message)
        self.text = text


class InvalidCurrencyError(KeyAccountError, ValueError):
    """A currency code is not three upper-case letters (ISO 4217 alphabetic form)."""


class CurrencyMismatchError(KeyAccountError, ValueError):
    """Two amounts in different currencies were combined or compared without rates."""


class CustomerMismatchError(KeyAccountError, ValueError):
    """A record given for one customer belongs to another (an order of customer B in the
    credit check of customer A)."""


class MissingRateError(KeyAccountError, LookupError):
    """An exchange rate needed for a conversion was not given."""


class InvalidPaymentTermsError(KeyAccountError, ValueError):
    """Payment terms (付款条件) cannot be read: neither ``30 days`` / ``net 30`` nor
    ``月结60天``, or a negative number of days."""


class UnknownExpenseLineError(KeyAccountError, LookupError):
    """An expense is charged to an expense line (费用科目) its department has no budget for."""


class UnknownInvoiceError(KeyAccountError, LookupError):
    """A payment allocation, credit note or write-off names an invoice the ledger does not
    hold (or one of another customer)."""


class OverAllocationError(KeyAccountError, ValueError):
    """More would be applied than there is: a payment's allocations exceed the payment, or
    the allocations, credit notes and write-offs of an invoice exceed the invoice."""


class UnknownPositionError(KeyAccountError, LookupError):
    """A position id or title does not exist in the org chart."""


class UnknownReferenceError(KeyAccountError, LookupError):
    """No reference chart (or other named built-in data) has that name."""


class AmbiguousTitleError(KeyAccountError, LookupError):
    """Several positions share the title asked for; look the position up by id."""


class OrgStructureError(KeyAccountError, ValueError):
    """The reporting lines cannot be followed (they form a cycle)."""


class MissingAsOfError(KeyAccountError, ValueError):
    """A rule needs the instant it is evaluated at (``as_of``) and none was given."""


class MissingExtraError(KeyAccountError, ImportError):
    """An optional package a feature needs is not installed; the message names the extra
    to install (``pip install 'keyaccount[ics]'`` for iCalendar files)."""


class MissingChartError(KeyAccountError, ValueError):
    """A viewer was given without the org chart that decides what the viewer may see."""


class DuplicateIdError(KeyAccountError, ValueError):
    """Two objects that must have distinct ids share one."""


class ConflictingOperationError(DuplicateIdError):
    """An operation reuses the id of a recorded one with different content.

    Applying the same operation twice changes nothing (a retrying client cannot
    double-spend); the same id with other content is refused, naming the id.
    """


class UnknownCardError(KeyAccountError, LookupError):
    """A member card number is not in the club's card records."""


class CardNotLiveError(KeyAccountError, ValueError):
    """A member card cannot be used at that instant: reported lost (挂失), replaced (补办),
    expired or not yet issued; or a member would hold two live cards."""


class InsufficientPointsError(KeyAccountError, ValueError):
    """A redemption (积分换礼) or a negative adjustment asks for more points than the balance."""


class UnknownSpendKindError(KeyAccountError, LookupError):
    """A spend's kind has no earning rule in the club policy."""


class UnapprovedAdjustmentError(KeyAccountError, ValueError):
    """A manual points adjustment is not approved by the position the chart routes it to."""


class NoApproverError(KeyAccountError, LookupError):
    """No position above the requester may approve the request.

    Attributes:
        highest_limit: the highest limit found on the way up, if any position held a
            limited right on the subject (as a display string such as ``"20000 CNY"``).
    """

    def __init__(self, message: str, highest_limit: str | None = None) -> None:
        self.highest_limit = highest_limit
        super().__init__(message)


class InvalidPhoneError(KeyAccountError, ValueError):
    """A phone number holds characters other than digits and the usual separators."""


class NoCandidateError(KeyAccountError, LookupError):
    """Nobody is available to take a customer (no active specialist, no interim owner)."""


class UnknownStaffError(KeyAccountError, LookupError):
    """A staff id is not among the staff given (e.g. a customer's owner to act for)."""


class RedactedRecordError(KeyAccountError, TypeError):
    """A redacted customer record was given where the full record is needed (e.g. to save).

    A redacted record hides the confidential fields; saving it would overwrite the
    original with blanks, so the type system and the savers refuse it.
    """


class InvalidPolicyError(KeyAccountError, ValueError):
    """A policy is incomplete or contradicts itself (e.g. a request kind without targets)."""


class InvalidTransition(KeyAccountError, ValueError):  # noqa: N818 - the domain's own word
    """A process (such as a complaint) was asked to make a move its state does not allow."""


class InvalidDataError(KeyAccountError, ValueError):
    """A field of a data file holds a value of the wrong kind (a float for money, a number
    for text, a string for a list ...); the loaders report it as a `DataProblem` at its path."""


class InvalidTableError(KeyAccountError, ValueError):
    """A table given to a batch rule (`keyaccount.batch.sla_table`, ...) lacks a column, has
    one of the wrong type, or holds a bad value; the message names the column and the first
    bad row."""


class UnsupportedFormatError(KeyAccountError, ValueError):
    """A file format other than JSON and TOML was asked for (a `.yaml` suffix, `fmt="yaml"`);
    the message names the formats that are read."""


class UnsupportedTypeError(KeyAccountError, TypeError):
    """A type that keyaccount's files cannot describe was asked for (e.g. by `json_schema`)."""


def _capped(text: str, limit: int) -> str:
    """`text`, or its first `limit` characters and its length: no problem echoes a huge field."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


class DataProblem:
    """One problem found in a data file: where it is and what is wrong.

    The loaders quote at most a short excerpt of a value (`keyaccount.io` cuts it at 60
    characters); as a last guard, a path longer than 300 characters or a message longer
    than 500 is cut here, so that no problem ever repeats a whole long field.
    """

    __slots__ = ("message", "path")

    def __init__(self, path: str, message: str) -> None:
        self.path = _capped(path, 300)
        self.message = _capped(message, 500)

    def __str__(self) -> str:
        return f"{self.message} @ {self.path}"

    def __repr__(self) -> str:
        return f"DataProblem({self.path!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataProblem):
            return NotImplemented
        return (self.path, self.message) == (other.path, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.message))


class DataFileError(KeyAccountError, ValueError):
    """A data file (or in-memory document) is invalid; lists every problem with its path.

    Attributes:
        source: the file or a description of the document.
        problems: every problem found, each naming the path of the bad field.
    """

    def __init__(self, source: str, problems: Sequence[DataProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{source}: {count} {noun}\n{lines}")
