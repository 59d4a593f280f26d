"""keyaccount: the rules of a key-account and customer-service department, as a library.

Everything a user imports is re-exported here from the module that defines it.
"""

from keyaccount.calendar import (
    CHINA_FIRST_YEAR,
    Days,
    Deadline,
    Hours,
    Period,
    WorkCalendar,
    Workdays,
    WorkingHours,
    WorkingWindow,
    YearTable,
    deadline,
    parse_period,
    to_instant,
)
from keyaccount.errors import (
    CalendarCoverageError,
    CurrencyMismatchError,
    DataFileError,
    DataProblem,
    DuplicateIdError,
    FloatMoneyError,
    InvalidAmountError,
    InvalidCurrencyError,
    InvalidPeriodError,
    InvalidTransition,
    KeyAccountError,
    MissingRateError,
    NaiveDatetimeError,
    NoApproverError,
    UnknownPositionError,
)
from keyaccount.money import Money, Rates

__version__ = "0.1.0"

__all__ = [
    "CHINA_FIRST_YEAR",
    "CalendarCoverageError",
    "CurrencyMismatchError",
    "DataFileError",
    "DataProblem",
    "Days",
    "Deadline",
    "DuplicateIdError",
    "FloatMoneyError",
    "Hours",
    "InvalidAmountError",
    "InvalidCurrencyError",
    "InvalidPeriodError",
    "InvalidTransition",
    "KeyAccountError",
    "MissingRateError",
    "Money",
    "NaiveDatetimeError",
    "NoApproverError",
    "Period",
    "Rates",
    "UnknownPositionError",
    "WorkCalendar",
    "Workdays",
    "WorkingHours",
    "WorkingWindow",
    "YearTable",
    "__version__",
    "deadline",
    "parse_period",
    "to_instant",
]
