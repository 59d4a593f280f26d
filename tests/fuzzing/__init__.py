"""The adversarial pass over every loader: a seeded mutation fuzzer and its invariants.

Shared by `tests/test_fuzz_loaders.py` (a modest number of cases per run) and
`tools/fuzz_loaders.py` (10,000 files per loader and format, a table of figures and the
reproducers). Every case starts from a valid document: a reference chart, an example
file, or values drawn from `keyaccount.testing` and written by `keyaccount.io`'s dumpers.
One to three mutations are applied to its parsed tree (or to its bytes), the result is
written to a file and loaded by the library's file loader, and each file is checked for:

- `crash`: an exception that is not a `KeyAccountError` escaped (or the load hung, or a
  loaded policy's periods made `deadline` raise one);
- `unlocated`: a `DataProblem` without a path starting with `$`, a `DataFileError` with
  no problem, or another `KeyAccountError` where a file's problems are meant;
- `lost`: in a record file where exactly one record was mutated, a record that loads
  when the untouched records are loaded alone is missing;
- `inexact`: a value that loaded did not come back equal (zone and decimal exponent
  included) after dump-then-load; the generated base values are checked the same way;
- `long`: a problem that quotes more than a few hundred characters of the input;
- `leak`: a problem that quotes a confidential prospect's field value;
- `silent`: a file with a repeated key, or bytes that are not UTF-8, loaded without a
  problem (a repeated key is an error, never resolved last-wins).

Modules: `documents` (the document tree and exact comparison), `loaders` (every loader,
its dumper and its valid documents), `mutations` (how a file is broken), `checks` (the
invariants) and `campaign` (many files, the figures and the first file of each class).
"""

from fuzzing.campaign import CATEGORIES, Tally, failure_class, run
from fuzzing.checks import Finding, check, round_trip
from fuzzing.loaders import LOADERS, Loader, pairs
from fuzzing.mutations import Case, make_case

__all__ = [
    "CATEGORIES",
    "LOADERS",
    "Case",
    "Finding",
    "Loader",
    "Tally",
    "check",
    "failure_class",
    "make_case",
    "pairs",
    "round_trip",
    "run",
]
