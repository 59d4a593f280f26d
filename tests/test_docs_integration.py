"""docs/integration.md cannot rot: its code runs, prints what it shows, lists every enum."""

from __future__ import annotations

import contextlib
import importlib
import io
import re
from pathlib import Path

import pytest

from keyaccount._fields import LabelledEnum

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "integration.md"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
#: Where public enums are exported; the new areas count once they exist.
PUBLIC_NAMESPACES = (
    "keyaccount",
    "keyaccount.calendar",
    "keyaccount.org",
    "keyaccount.customers",
    "keyaccount.visits",
    "keyaccount.complaints",
    "keyaccount.duties",
    "keyaccount.finance",
    "keyaccount.club",
    "keyaccount.kpi",
    "keyaccount.io",
)


def blocks(language: str) -> list[str]:
    return [code for lang, code in _BLOCK.findall(PAGE.read_text("utf-8")) if lang == language]


def public_enums() -> tuple[type[LabelledEnum], ...]:
    found: dict[type[LabelledEnum], None] = {}
    for name in PUBLIC_NAMESPACES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for member in getattr(module, "__all__", ()):  # a package still being written
            value = getattr(module, member)
            if isinstance(value, type) and issubclass(value, LabelledEnum):
                found[value] = None
    return tuple(found)


@pytest.fixture(scope="module")
def printed() -> str:
    """Run every Python block of the page in order, in one namespace, from the root."""
    namespace: dict[str, object] = {"__name__": "integration_page"}
    out = io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out):
        for number, code in enumerate(blocks("python"), 1):
            try:
                exec(compile(code, f"{PAGE.name} block {number}", "exec"), namespace)
            except Exception as error:
                pytest.fail(f"block {number} of {PAGE.name} failed: {error!r}\n{code}")
    return out.getvalue()


def test_the_page_has_the_sqlite_example_and_the_json_example() -> None:
    code = "\n".join(blocks("python"))
    for needed in ("sqlite3", "structure_each", "to_json", "parse_as_of", "result_schema"):
        assert needed in code


def test_every_code_block_of_the_page_runs(printed: str) -> None:
    assert "visit(s) loaded" in printed


def test_every_output_the_page_shows_is_what_its_code_prints(printed: str) -> None:
    shown = blocks("text")
    assert shown
    for text in shown:
        assert text.strip() in printed, f"the page shows output its code does not print:\n{text}"


def test_the_page_lists_every_wire_value_of_every_public_enum() -> None:
    page = PAGE.read_text("utf-8")
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `(\w+)` \| (.*) \|$", page, re.MULTILINE)
    }
    missing = []
    for enum in public_enums():
        row = rows.get(enum.__name__, "")
        if any(f"`{member.value}` ({member.label})" not in row for member in enum):
            values = ", ".join(f"`{m.value}` ({m.label})" for m in enum)
            missing.append(f"| `{enum.__name__}` | {values} |")
    assert not missing, (
        "docs/integration.md's enum table lacks these public enums or values; put these "
        "rows in it:\n" + "\n".join(missing)
    )
