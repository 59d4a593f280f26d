"""Loading and storing keyaccount's objects as JSON and TOML, and the files' JSON Schema.

One cattrs converter (:func:`make_converter`) turns files into the library's frozen
objects and back. It is strict: a float where money is expected, a number where text
is expected, a string where a list is expected, an unknown field or an unknown enum
value is an error, never a guess. Every problem of a document is reported together,
each with the path of the bad field::

    DataFileError: org.toml: 2 problems
      - expected a decimal string such as "20000", got float 20000.5
        @ $.positions[2].authorities[0].limit.amount
      - superior 'nobody' is not a position in this file @ $.positions[4].superior

Dumping then loading gives back an equal object. Each kind of file has its own
module here (``keyaccount.io.org`` ...); everything is re-exported from this package.
"""

from keyaccount.io._core import (
    Format,
    LoadResult,
    configure_converter,
    dumps,
    json_schema,
    loads,
    make_converter,
    problems_of,
    read_document,
    structure,
    structure_each,
    unstructure,
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
    load_complaints_strict,
    loads_complaint_policy,
    loads_complaints,
    loads_complaints_strict,
)
from keyaccount.io.customers import (
    dump_customers,
    dump_visit_policy,
    dump_visits,
    dumps_customers,
    dumps_visit_policy,
    dumps_visits,
    fast_loading_available,
    load_customers,
    load_customers_strict,
    load_visit_policy,
    load_visits,
    load_visits_strict,
    loads_customers,
    loads_visits,
)
from keyaccount.io.org import dump_org, dumps_org, load_org, loads_org

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
    "fast_loading_available",
    "json_schema",
    "load_complaint_policy",
    "load_complaints",
    "load_complaints_strict",
    "load_customers",
    "load_customers_strict",
    "load_org",
    "load_visit_policy",
    "load_visits",
    "load_visits_strict",
    "loads",
    "loads_complaint_policy",
    "loads_complaints",
    "loads_complaints_strict",
    "loads_customers",
    "loads_org",
    "loads_visits",
    "make_converter",
    "problems_of",
    "read_document",
    "structure",
    "structure_each",
    "unstructure",
]
