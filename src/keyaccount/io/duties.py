"""Done-record files: what was done for which duty, by whom, when (JSON or TOML).

A done-record file is a list of `DoneRecord`s: in JSON a bare list or ``{"done": [...]}``,
in TOML a ``done`` table array. It loads like a visit file (`LoadResult`: every valid
record kept, every problem with its path, a repeated id reported at the later record).
The schedules themselves are part of the org chart (``[[positions.schedule]]``, read by
`load_org`); an unreadable recurrence there is a located problem of the chart
(``@ $.positions[3].schedule[0].recurrence``).

```toml
[[done]]
id = "d-2026-10-report"
duty_id = "sales-manager/monthly-report"
by = "s-wang"
at = "2026-10-09T10:00:00+08:00[Asia/Shanghai]"
note = "9月月度工作报告"
scheduled = "2026-10-03"   # optional: the occurrence it was done for
```
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from keyaccount.duties import DoneRecord
from keyaccount.io.documents import Format, _write
from keyaccount.io.records import LoadResult, _dumps_records, _loads_records, _read_records

__all__ = ["dump_done_records", "dumps_done_records", "load_done_records", "loads_done_records"]


def loads_done_records(
    text: str | bytes, fmt: Format = "json", *, source: str = "document"
) -> LoadResult[DoneRecord]:
    """Done records from JSON or TOML text, every valid one kept, every problem located.

    Raises:
        DataFileError: the text is not valid JSON or TOML at all.
    """
    return _loads_records(text, fmt, DoneRecord, "done", source)


def load_done_records(path: str | Path, fmt: Format | None = None) -> LoadResult[DoneRecord]:
    """Done records from a `.json` or `.toml` file (its suffix gives the format unless
    `fmt` does), every valid one kept and every problem reported with its path.

    Raises:
        DataFileError: the file cannot be read or parsed at all.
    """
    return _read_records(path, fmt, DoneRecord, "done")


def dumps_done_records(records: Iterable[DoneRecord], fmt: Format = "json") -> str:
    """Done records as JSON (a list) or TOML (a ``done`` table array)."""
    return _dumps_records(records, "done", fmt)


def dump_done_records(
    records: Iterable[DoneRecord], path: str | Path, fmt: Format | None = None
) -> None:
    """Write done records to `path` (format from the suffix unless given)."""
    _write(path, fmt, lambda chosen: dumps_done_records(records, chosen))
