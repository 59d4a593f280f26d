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
`.complaints`, `.duties` (done records), `.year_tables` (the calendar's year tables),
`.receivables`, `.budgets` (budget books), `.credit` (rating policies, open orders), `.sales`
(sales records and targets);
the shared parts are
`.documents` (text and files), `.instants` (instants as text), `.converter`, `.records`
(`LoadResult`), `.schema` and `.kinds` (what kind of file a document looks like:
`file_kind`, `document_kind`). `.jsonable` writes any value or result as JSON for other
systems: `to_jsonable` (plain data) and `to_json` (text); `.result_schema` gives the
JSON Schema of that output (`result_schema`), as `.schema` gives the files' (`json_schema`).
Everything is re-exported here.
"""

from keyaccount.io.budgets import (
    LoadedBudgets,
    dump_budgets,
    dumps_budgets,
    load_budgets,
    loads_budgets,
)
from keyaccount.io.club import (
    ClubFile,
    LoadedClub,
    dump_club,
    dumps_club,
    load_club,
    loads_club,
)
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
from keyaccount.io.credit import (
    dump_open_orders,
    dump_rating_policy,
    dumps_open_orders,
    dumps_rating_policy,
    load_open_orders,
    load_rating_policy,
    loads_open_orders,
    loads_rating_policy,
)
from keyaccount.io.customers import (
    dump_customers,
    dumps_customers,
    load_customers,
    loads_customers,
)
from keyaccount.io.documents import FORMATS, MAX_DEPTH, Format, dumps, loads, read_document
from keyaccount.io.duties import (
    dump_done_records,
    dumps_done_records,
    load_done_records,
    loads_done_records,
)
from keyaccount.io.instants import format_instant, parse_instant
from keyaccount.io.jsonable import json_properties, to_json, to_jsonable
from keyaccount.io.kinds import document_kind, file_kind
from keyaccount.io.org import dump_org, dumps_org, load_org, loads_org
from keyaccount.io.receivables import (
    LoadedReceivables,
    dump_receivables,
    dumps_receivables,
    load_receivables,
    loads_receivables,
)
from keyaccount.io.records import LoadResult, structure_each
from keyaccount.io.result_schema import result_schema
from keyaccount.io.sales import (
    dump_sales_records,
    dump_sales_targets,
    dumps_sales_records,
    dumps_sales_targets,
    load_sales_records,
    load_sales_targets,
    loads_sales_records,
    loads_sales_targets,
)
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
    "ClubFile",
    "Format",
    "LoadResult",
    "LoadedBudgets",
    "LoadedClub",
    "LoadedReceivables",
    "complaints_from_data",
    "complaints_to_data",
    "configure_converter",
    "document_kind",
    "dump_budgets",
    "dump_club",
    "dump_complaint_policy",
    "dump_complaints",
    "dump_customers",
    "dump_done_records",
    "dump_open_orders",
    "dump_org",
    "dump_rating_policy",
    "dump_receivables",
    "dump_sales_records",
    "dump_sales_targets",
    "dump_staff",
    "dump_visit_policy",
    "dump_visits",
    "dump_year_tables",
    "dumps",
    "dumps_budgets",
    "dumps_club",
    "dumps_complaint_policy",
    "dumps_complaints",
    "dumps_customers",
    "dumps_done_records",
    "dumps_open_orders",
    "dumps_org",
    "dumps_rating_policy",
    "dumps_receivables",
    "dumps_sales_records",
    "dumps_sales_targets",
    "dumps_staff",
    "dumps_visit_policy",
    "dumps_visits",
    "dumps_year_tables",
    "file_kind",
    "format_instant",
    "json_properties",
    "json_schema",
    "load_budgets",
    "load_club",
    "load_complaint_policy",
    "load_complaints",
    "load_customers",
    "load_done_records",
    "load_open_orders",
    "load_org",
    "load_rating_policy",
    "load_receivables",
    "load_sales_records",
    "load_sales_targets",
    "load_staff",
    "load_visit_policy",
    "load_visits",
    "load_year_tables",
    "loads",
    "loads_budgets",
    "loads_club",
    "loads_complaint_policy",
    "loads_complaints",
    "loads_customers",
    "loads_done_records",
    "loads_open_orders",
    "loads_org",
    "loads_rating_policy",
    "loads_receivables",
    "loads_sales_records",
    "loads_sales_targets",
    "loads_staff",
    "loads_visit_policy",
    "loads_visits",
    "loads_year_tables",
    "make_converter",
    "parse_instant",
    "problems_of",
    "read_document",
    "result_schema",
    "structure",
    "structure_each",
    "to_json",
    "to_jsonable",
    "unstructure",
]
