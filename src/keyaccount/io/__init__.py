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
its value or raises `DataFileError`. Dumping then loading gives back an equal value.

One module per kind of file: `keyaccount.io.org`, `.customers`, `.visits`,
`.complaints`; the shared parts are `.documents` (text and files), `.converter`,
`.records` (`LoadResult`) and `.schema`. Everything is re-exported here.
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
from keyaccount.io.documents import Format, dumps, loads, read_document
from keyaccount.io.org import dump_org, dumps_org, load_org, loads_org
from keyaccount.io.records import LoadResult, structure_each
from keyaccount.io.schema import json_schema
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

__all__ = [
    "Format",
    "LoadResult",
    "complaints_from_data",
    "complaints_to_data",
    "configure_converter",
    "dump_complaint_policy",
    "dump_complaints",
    "dump_customers",
    "dump_org",
    "dump_visit_policy",
    "dump_visits",
    "dumps",
    "dumps_complaint_policy",
    "dumps_complaints",
    "dumps_customers",
    "dumps_org",
    "dumps_visit_policy",
    "dumps_visits",
    "json_schema",
    "load_complaint_policy",
    "load_complaints",
    "load_customers",
    "load_org",
    "load_visit_policy",
    "load_visits",
    "loads",
    "loads_complaint_policy",
    "loads_complaints",
    "loads_customers",
    "loads_org",
    "loads_visit_policy",
    "loads_visits",
    "make_converter",
    "problems_of",
    "read_document",
    "structure",
    "structure_each",
    "unstructure",
]
