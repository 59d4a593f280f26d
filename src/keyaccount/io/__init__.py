"""Loading and storing keyaccount's values as JSON and TOML, and the files' JSON Schema.

One strict cattrs converter (`make_converter`) turns files into the library's frozen
values and back. It refuses rather than guesses: a float where money is meant, a number
where text is meant, a string where a list is meant, an unknown field or an unknown enum
value is an error. Every problem of a document is reported together, each with the path
of the bad field:

    DataFileError: org.toml: 2 problems
      - expected a decimal string such as "20000", got float 20000.5
        @ $.positions[2].authorities[0].limit.amount
      - superior 'nobody' is not a position in this file @ $.positions[4].superior

A file of records (customers, visits, complaints) loads into a `LoadResult`: the valid
records (`.items`) and every problem (`.problems`); `result.strict()` returns the
records or raises `DataFileError`. A single document (an org chart, a policy) loads into
its value or raises `DataFileError`. Dumping then loading gives back an equal value,
every instant in its own zone: files write `2024-11-03T01:00:00-04:00[America/New_York]`
(RFC 9557) and read that and plain RFC 3339.

One module per kind of file: `keyaccount.io.org`, `.customers`, `.staff`, `.visits`,
`.complaints`, `.year_tables` (the calendar's year tables); the shared parts are
`.documents` (text and files), `.instants` (instants as text), `.converter`, `.records`
(`LoadResult`) and `.schema`.
Everything is re-exported here.
"""

from keyaccount.io.complaints import (
    complaints_from_data,
    complaints_to_data,
    dump_complaint_policy,
    dump_complaints,
    dumps_complaint_policy,
    dumps_complaints,
    load_complaint_policy,
    load_complaints,
    loads_complaint_policy,
    loads_complaints,
)
from keyaccount.io.converter import (
    configure_converter,
    make_converter,
    problems_of,
    structure,
    unstructure,
)
from keyaccount.io.customers import (
    dump_customers,
    dumps_customers,
    load_customers,
    loads_customers,
)
from keyaccount.io.documents import FORMATS, MAX_DEPTH, Format, dumps, loads, read_document
from keyaccount.io.instants import format_instant, parse_instant
from keyaccount.io.org import dump_org, dumps_org, load_org, loads_org
from keyaccount.io.records import LoadResult, structure_each
from keyaccount.io.schema import json_schema
from keyaccount.io.staff import dump_staff, dumps_staff, load_staff, loads_staff
from keyaccount.io.visits import (
    dump_visit_policy,
    dump_visits,
    dumps_visit_policy,
    dumps_visits,
    load_visit_policy,
    load_visits,
    loads_visit_policy,
    loads_visits,
)
from keyaccount.io.year_tables import (
    dump_year_tables,
    dumps_year_tables,
    load_year_tables,
    loads_year_tables,
)

__all__ = [
    "FORMATS",
    "MAX_DEPTH",
    "Format",
    "LoadResult",
    "complaints_from_data",
    "complaints_to_data",
    "configure_converter",
    "dump_complaint_policy",
    "dump_complaints",
    "dump_customers",
    "dump_org",
    "dump_staff",
    "dump_visit_policy",
    "dump_visits",
    "dump_year_tables",
    "dumps",
    "dumps_complaint_policy",
    "dumps_complaints",
    "dumps_customers",
    "dumps_org",
    "dumps_staff",
    "dumps_visit_policy",
    "dumps_visits",
    "dumps_year_tables",
    "format_instant",
    "json_schema",
    "load_complaint_policy",
    "load_complaints",
    "load_customers",
    "load_org",
    "load_staff",
    "load_visit_policy",
    "load_visits",
    "load_year_tables",
    "loads",
    "loads_complaint_policy",
    "loads_complaints",
    "loads_customers",
    "loads_org",
    "loads_staff",
    "loads_visit_policy",
    "loads_visits",
    "loads_year_tables",
    "make_converter",
    "parse_instant",
    "problems_of",
    "read_document",
    "structure",
    "structure_each",
    "unstructure",
]
