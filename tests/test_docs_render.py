"""The documentation renders: no Sphinx roles, examples as code, attrs classes with defaults.

mkdocstrings renders Markdown, not reStructuredText: a ``:class:`Money``` role shows up
raw on the site, and a ``>>>`` line outside an ``Examples:`` section is Markdown for a
nested quote. These tests scan every docstring in ``src``, build the site once (about
seven seconds) and look at what a reader gets, and check the API pages' statements of
what is importable from where.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import keyaccount

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "keyaccount"
DOCS = ROOT / "docs"
#: Sphinx cross-reference roles; mkdocstrings renders none of them.
ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|data|exc|mod|obj|const|ref):`")
#: Packages with an API page of their own (``cli`` is documented as commands).
API_PACKAGES = (
    *("calendar", "money", "org", "customers", "visits", "complaints", "kpi"),
    *("errors", "io", "reference", "testing"),
)
OPTIONAL_PACKAGES = ("duties", "finance", "club", "batch")


def _docstrings() -> list[tuple[str, int, str]]:
    """(file, line, text) of every module, class and function docstring in ``src``."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                text = ast.get_docstring(node, clean=True)
                if text:
                    line = node.body[0].lineno
                    found.append((str(path.relative_to(ROOT)), line, text))
    return found


def test_no_docstring_uses_a_sphinx_role() -> None:
    offenders = [f"{file}:{line}" for file, line, text in _docstrings() if ROLE.search(text)]
    assert not offenders, (
        "Sphinx roles render raw on the docs site; write `Money` or [Money][keyaccount.Money] "
        f"instead: {offenders}"
    )


def test_the_role_scan_finds_a_role() -> None:
    assert ROLE.search("see :class:`Money` and :func:`~keyaccount.deadline`")
    assert not ROLE.search("see `Money` and [deadline][keyaccount.deadline]")


def _examples_outside_sections(text: str) -> list[str]:
    """The ``>>>`` lines of a Google docstring that are not in an ``Examples:`` section."""
    import griffe  # a dev dependency (mkdocstrings')

    docstring = griffe.Docstring(text, parser="google")
    outside = []
    for section in docstring.parse(warnings=False):
        if section.kind is griffe.DocstringSectionKind.examples:
            continue
        value = section.value if isinstance(section.value, str) else str(section.value)
        outside += [line for line in value.splitlines() if line.lstrip().startswith(">>>")]
    return outside


def test_doctest_examples_sit_under_an_examples_section() -> None:
    offenders = [
        f"{file}:{line}" for file, line, text in _docstrings() if _examples_outside_sections(text)
    ]
    assert not offenders, (
        "a >>> line outside an `Examples:` section renders as a nested quote; indent the "
        f"doctest under `Examples:`: {offenders}"
    )


def test_the_examples_scan_tells_text_from_a_section() -> None:
    bare = "Summary.\n\n>>> 1 + 1\n2\n"
    sectioned = "Summary.\n\nExamples:\n    >>> 1 + 1\n    2\n"
    assert _examples_outside_sections(bare) == [">>> 1 + 1"]
    assert _examples_outside_sections(sectioned) == []


# -- the attrs extension ------------------------------------------------------------------


def _public_attrs_classes() -> list[type]:
    classes: dict[type, None] = {}
    for package in ("keyaccount", *(f"keyaccount.{name}" for name in API_PACKAGES)):
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if isinstance(value, type) and attrs.has(value):
                classes[value] = None
    return list(classes)


def test_every_public_attrs_class_gets_its_init_with_types_and_defaults() -> None:
    griffe = pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location(
        "griffe_attrs", ROOT / "tools" / "griffe_attrs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    extension = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extension)
    loaded = griffe.load(
        "keyaccount",
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(extension.AttrsInitExtension),
        resolve_aliases=False,
    )
    classes = _public_attrs_classes()
    assert len(classes) > 40
    for cls in classes:
        documented = loaded[f"{cls.__module__}.{cls.__qualname__}".removeprefix("keyaccount.")]
        parameters = {
            p.name: p for p in documented.members["__init__"].parameters if p.name != "self"
        }
        fields = [f for f in attrs.fields(cls) if f.init]
        assert list(parameters) == [f.alias for f in fields if not f.kw_only] + [
            f.alias for f in fields if f.kw_only
        ], cls
        for field in fields:
            parameter = parameters[field.alias]
            assert parameter.annotation is not None, (cls, field.name)
            required = field.default is attrs.NOTHING
            assert (parameter.default is None) == required, (cls, field.name, parameter.default)
            kind = "keyword-only" if field.kw_only else "positional or keyword"
            assert parameter.kind.value == kind, (cls, field.name)


# -- the built site -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as ``mkdocs build --strict`` writes it, with its log checked for warnings."""
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    assert "WARNING" not in log, log
    return out


def _pages(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


def test_the_site_shows_no_sphinx_role(site: Path) -> None:
    raw = {name: ROLE.findall(html) for name, html in _pages(site).items() if ROLE.search(html)}
    assert not raw, raw


def test_the_site_shows_examples_as_code_not_as_nested_quotes(site: Path) -> None:
    nested = [name for name, html in _pages(site).items() if "<blockquote>\n<blockquote>" in html]
    assert not nested, nested
    money = (site / "api" / "money" / "index.html").read_text(encoding="utf-8")
    # The doctest of Money.times is a highlighted code block, prompt included.
    assert re.search(r'<code>.*?<span class="gp">&gt;&gt;&gt; </span>.*?times', money, re.DOTALL)


def test_the_site_shows_attrs_arguments_with_their_types_and_defaults(site: Path) -> None:
    page = (site / "api" / "calendar" / "index.html").read_text(encoding="utf-8")
    start = page.index('id="keyaccount.calendar.HolidayBreak"')
    block = page[start : page.index('id="keyaccount.calendar.HolidayBreak.days"')]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))
    assert "make_up_days : frozenset [ date ] = frozenset ()" in text
    assert "may be empty. frozenset ()" in text  # the Default column, not "required"
    assert "first date the first day off. required" in text


def test_the_site_has_no_placeholder_repository_link(site: Path) -> None:
    assert not [name for name, html in _pages(site).items() if "example.invalid" in html]


# -- what the pages say -------------------------------------------------------------------


def test_the_config_is_strict_and_the_test_command_hides_no_warning() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^strict: true$", config, re.MULTILINE)
    assert "example.invalid" not in config
    dev = (ROOT / "tools" / "dev.py").read_text(encoding="utf-8")
    mkdocs_line = next(line for line in dev.splitlines() if '"mkdocs"' in line)
    assert "--strict" in mkdocs_line
    assert "--quiet" not in mkdocs_line
    assert "site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_every_public_package_has_an_api_page_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    present = [name for name in OPTIONAL_PACKAGES if (SRC / name / "__init__.py").exists()]
    for name in (*API_PACKAGES, *present):
        page = DOCS / "api" / f"{name}.md"
        assert page.exists(), f"no API page for keyaccount.{name}"
        assert f"::: keyaccount.{name}" in page.read_text(encoding="utf-8")
        assert f"api/{name}.md" in config, f"api/{name}.md is not in the nav"


def _all(package: str) -> set[str]:
    return set(importlib.import_module(package).__all__)


@pytest.mark.parametrize("name", API_PACKAGES)
def test_each_api_page_tells_truly_what_keyaccount_itself_holds(name: str) -> None:
    text = (DOCS / "api" / f"{name}.md").read_text(encoding="utf-8")
    own, top = _all(f"keyaccount.{name}"), _all("keyaccount")
    if "Every name here is also in `keyaccount`" in text:
        assert own <= top, sorted(own - top)
    elif "none of these names is in `keyaccount` itself" in text:
        assert not own & top, sorted(own & top)
    elif "Only the base class, `KeyAccountError`, is in `keyaccount`" in text:
        assert own & top == {"KeyAccountError"}
    elif listed := re.search(r"((?:`\w+`(?:, | and ))*`\w+`) are also in `keyaccount`;", text):
        assert own & top == set(re.findall(r"`(\w+)`", listed.group(1)))
    elif "the main names are also in `keyaccount`" in text:
        assert own & top
        assert own - top
    else:
        example = re.search(r"`from keyaccount(?:\.\w+)? import \w+`", text)
        assert example, f"docs/api/{name}.md does not say where its names are importable from"
        exec(example.group(0).strip("`"), {})


def _python_blocks(page: Path) -> list[str]:
    blocks = re.findall(r"^```python\n(.*?)^```$", page.read_text("utf-8"), re.M | re.S)
    assert blocks, page
    return blocks


@pytest.mark.parametrize("page", ["index.md", "api.md"])
def test_the_import_examples_of_the_front_pages_run(page: str) -> None:
    for code in _python_blocks(DOCS / page):
        exec(compile(code, str(DOCS / page), "exec"), {})


def test_subpackages_are_reachable_after_a_plain_import() -> None:
    script = (
        "import keyaccount\n"
        "assert keyaccount.reference.names()[0] == 'customer-service'\n"
        "assert callable(keyaccount.io.load_customers)\n"
        "assert keyaccount.errors.KeyAccountError is keyaccount.KeyAccountError\n"
        "assert keyaccount.testing.FrozenClock\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, timeout=120)
    assert keyaccount.__version__
