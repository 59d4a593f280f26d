"""Every error keyaccount raises.

There is one base class, :class:`KeyAccountError`. Each specific error also subclasses
the builtin exception that fits it, so a caller can catch either the library's own
class or the familiar builtin:

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
    "CalendarCoverageError",
    "CurrencyMismatchError",
    "DataFileError",
    "DataProblem",
    "DuplicateIdError",
    "FloatMoneyError",
    "InexactNumberError",
    "InvalidAmountError",
    "InvalidCalendarError",
    "InvalidCurrencyError",
    "InvalidDataError",
    "InvalidDateRangeError",
    "InvalidInstantError",
    "InvalidPercentileError",
    "InvalidPeriodError",
    "InvalidPhoneError",
    "InvalidPolicyError",
    "InvalidTextError",
    "InvalidTimeWindowError",
    "InvalidTimezoneError",
    "InvalidTransition",
    "KeyAccountError",
    "MissingAsOfError",
    "MissingRateError",
    "NaiveDatetimeError",
    "NoApproverError",
    "NoCandidateError",
    "NotADateError",
    "NotAnInstantError",
    "OrgStructureError",
    "RedactedRecordError",
    "UnknownPositionError",
    "UnknownReferenceError",
    "UnknownStaffError",
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


class InvalidPeriodError(KeyAccountError, ValueError):
    """A period or working-hours window is malformed (negative, overlapping, unordered...)."""


class InvalidPercentileError(KeyAccountError, ValueError):
    """A percentile was asked of no values at all, or for a percent outside 0-100."""


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
    """An amount is not a finite decimal number (or a rate is not positive)."""


class InvalidDateRangeError(KeyAccountError, ValueError):
    """A date range ends before it starts, or is bounded by something other than dates."""


class InvalidTextError(KeyAccountError, ValueError):
    """An id, name or reason is blank or not text at all."""


class InvalidTimezoneError(KeyAccountError, ValueError):
    """A time zone is not a known IANA zone name (e.g. ``Asia/Shanghai``)."""


class InvalidTimeWindowError(KeyAccountError, ValueError):
    """A time-of-day window (quiet hours, a meeting's hours) is malformed or reversed."""


class InvalidCurrencyError(KeyAccountError, ValueError):
    """A currency code is not three upper-case letters (ISO 4217 alphabetic form)."""


class CurrencyMismatchError(KeyAccountError, ValueError):
    """Two amounts in different currencies were combined or compared without rates."""


class MissingRateError(KeyAccountError, LookupError):
    """An exchange rate needed for a conversion was not given."""


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


class DuplicateIdError(KeyAccountError, ValueError):
    """Two objects that must have distinct ids share one."""


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


class UnsupportedTypeError(KeyAccountError, TypeError):
    """A type that keyaccount's files cannot describe was asked for (e.g. by `json_schema`)."""


class DataProblem:
    """One problem found in a data file: where it is and what is wrong."""

    __slots__ = ("message", "path")

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message

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
