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
    CONVERTER,
    Format,
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
from keyaccount.io.org import dump_org, dumps_org, load_org, loads_org

__all__ = [
    "CONVERTER",
    "Format",
    "configure_converter",
    "dump_org",
    "dumps",
    "dumps_org",
    "json_schema",
    "load_org",
    "loads",
    "loads_org",
    "make_converter",
    "problems_of",
    "read_document",
    "structure",
    "structure_each",
    "unstructure",
]
