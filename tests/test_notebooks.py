"""Every example notebook runs from the repository root and shows at least one picture.

Each notebook in `examples/` is executed once here (nbclient, kernel started in the
repository root), so the test command needs no `--nbmake examples`. The nbconvert test
runs one notebook the way the README tells a newcomer to, which starts the kernel in
`examples/`: together they cover both working directories the notebooks promise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
PICTURES = frozenset({"image/png", "image/svg+xml"})
#: What a result may be shown as besides its plain-text repr.
RICH = frozenset({"text/markdown", "text/html", "text/latex", *PICTURES})
#: The notebook the nbconvert test runs: it reads `examples/data`, so it proves the data
#: is found from `examples/` as well as from the root.
NBCONVERT_NOTEBOOK = EXAMPLES / "04-complaints.ipynb"


def read_notebook(text: str) -> Any:
    """A notebook from its JSON text (nbformat version 4)."""
    return nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]  # nbformat has no types


def outputs(notebook: Any) -> list[Any]:
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def pictures(notebook: Any) -> list[Any]:
    return [o for o in outputs(notebook) if PICTURES & set(o.get("data", {}))]


def test_there_are_example_notebooks() -> None:
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_is_saved_without_outputs(path: Path) -> None:
    notebook = read_notebook(path.read_text(encoding="utf-8"))
    stale = [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not stale, f"{path.name}: clear the outputs of cells {stale} before saving"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_runs_from_the_repository_root_and_shows_a_picture(path: Path) -> None:
    notebook = read_notebook(path.read_text(encoding="utf-8"))
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on failure
    assert pictures(notebook), f"{path.name} shows no picture (image/png or image/svg+xml)"
    stderr = [o.text for o in outputs(notebook) if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{path.name} writes warnings or errors: {stderr}"
    reprs = [
        o.data["text/plain"]
        for o in outputs(notebook)
        if o.output_type == "execute_result" and not RICH & set(o.data)
    ]
    assert not reprs, f"{path.name} shows results as reprs; show them as tables: {reprs}"


def test_jupyter_nbconvert_executes_a_notebook_as_the_readme_says() -> None:
    relative = NBCONVERT_NOTEBOOK.relative_to(ROOT)
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", "notebook"]
    completed = subprocess.run(
        [*command, "--stdout", str(relative)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    executed = read_notebook(completed.stdout)
    assert pictures(executed)
    assert not [o for o in outputs(executed) if o.output_type == "error"]
    json.loads(completed.stdout)  # the document on stdout is the whole notebook
