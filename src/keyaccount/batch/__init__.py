"""The calendar's rules over arrays: numpy, pyarrow and Polars columns in, the same kind out.

Each function is exactly equal, row by row, to the scalar rule of the same name on
`WorkCalendar` (or to `keyaccount.deadline(...).due_at`); nulls stay null; a date the
calendar does not cover raises `CalendarCoverageError` naming the first offending row, or
gives null with `errors="null"`. Needs numpy (the `arrow` extra:
`pip install 'keyaccount[arrow]'`); pyarrow and Polars inputs are accepted when installed.
"""

try:
    import numpy as _numpy  # noqa: F401 - the one dependency every batch rule needs
except ImportError as _missing:  # pragma: no cover - numpy is installed wherever tests run
    from keyaccount.errors import MissingExtraError

    raise MissingExtraError(
        "keyaccount.batch needs numpy: pip install 'keyaccount[arrow]'"
    ) from _missing

from keyaccount.batch.calendar import (
    add_workdays,
    add_working_time,
    deadline,
    is_workday,
    workdays_between,
    working_time_between,
)

__all__ = [
    "add_workdays",
    "add_working_time",
    "customers_table",
    "deadline",
    "events_table",
    "is_workday",
    "overdue_visits_table",
    "sla_table",
    "visit_records_table",
    "workdays_between",
    "working_time_between",
]

#: The table rules (they need pyarrow too): imported when first asked for.
_TABLE_RULES = {
    "customers_table": "visits",
    "events_table": "complaints",
    "overdue_visits_table": "visits",
    "sla_table": "complaints",
    "visit_records_table": "visits",
}


def __getattr__(name: str) -> object:
    module = _TABLE_RULES.get(name)
    if module is None:
        raise AttributeError(f"module 'keyaccount.batch' has no attribute {name!r}")
    import importlib  # noqa: PLC0415 - the table rules load pyarrow only when asked for

    return getattr(importlib.import_module(f"keyaccount.batch.{module}"), name)
