#!/usr/bin/env python3
"""Set up the project's virtual environment and run its demo or its whole test suite.

Usage (from the repository root, with only Python 3.11+ installed):

    python3 tools/dev.py demo    # the demo on the built-in reference department
    python3 tools/dev.py test    # ruff, mypy --strict, pytest (+doctests, notebooks), docs

The environment lives in ``.venv`` and is installed from the hash-pinned lock files in
``requirements/``. It is reinstalled only when a lock file changes, so both commands
are idempotent and cheap to repeat. Only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
LOCKS = {
    "runtime": ROOT / "requirements" / "runtime.lock",
    "dev": ROOT / "requirements" / "dev.lock",
}


def _run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    printable = " ".join(str(a) for a in args)
    print(f"$ {printable}", flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if completed.returncode != 0:
        print(f"FAILED ({completed.returncode}): {printable}", file=sys.stderr, flush=True)
        sys.exit(completed.returncode)


def ensure_env(kind: str) -> None:
    """Create ``.venv`` and install the ``kind`` lock (and the project) if anything changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be run by an older python3
        sys.exit(f"keyaccount needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    lock = LOCKS[kind]
    project = (ROOT / "pyproject.toml").read_bytes()
    digest = hashlib.sha256(lock.read_bytes() + project).hexdigest()
    stamp = VENV / f".installed-{kind}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    pip = (PYTHON, "-m", "pip", "--disable-pip-version-check", "-q")
    _run(*pip, "install", "--require-hashes", "--no-deps", "-r", lock)
    _run(*pip, "install", "--no-deps", "-e", ROOT)
    stamp.write_text(digest)


def demo(args: list[str]) -> None:
    ensure_env("runtime")
    _run(BIN / "keyaccount", "demo", *args)


def ensure_java() -> None:
    """Install a Java runtime for the Spark tests when there is none and we may (root, Debian).

    Without one, tests/test_engines_spark.py is skipped with its reason in the summary.
    """
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("no java on PATH: installing default-jre-headless for the Spark tests", flush=True)
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ("install", "-y", "-q", "--no-install-recommends", "default-jre-headless")
        for step in (("apt-get", "update", "-q"), ("apt-get", *install)):
            print(f"$ {' '.join(step)}", flush=True)  # a failure only skips the Spark tests
            if subprocess.run(step, env=apt, check=False).returncode != 0:
                break
    if not shutil.which("java"):
        loud = "!!! NO JAVA RUNTIME: the Spark tests will be SKIPPED (see the pytest summary)"
        print(f"{'!' * 78}\n{loud}\n{'!' * 78}", file=sys.stderr, flush=True)


def test(args: list[str]) -> None:
    ensure_env("dev")
    ensure_java()
    env = dict(os.environ)
    env.setdefault("HYPOTHESIS_PROFILE", "ci" if env.get("CI") else "dev")
    env["PYTHONHASHSEED"] = env.get("PYTHONHASHSEED", "0")
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner is not a build problem
    tool = lambda name: BIN / name  # noqa: E731 - a one-line local helper reads best here
    _run(tool("ruff"), "check", "src", "tests", "benchmarks", "tools", "examples")
    _run(tool("ruff"), "format", "--check", "src", "tests", "benchmarks", "tools")
    _run(tool("mypy"), env=env)
    _run(
        tool("pytest"),
        "-p",
        "no:cacheprovider",
        "tests",  # tests/test_notebooks.py executes every notebook in examples/ once
        "src/keyaccount",
        *args,
        env=env,
    )
    # No --quiet: any docs warning (a broken link, a griffe complaint) fails the build.
    _run(tool("mkdocs"), "build", "--strict", "--site-dir", VENV / "site", env=env)
    print("all checks passed", flush=True)


def main() -> None:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python3 tools/dev.py {{{'|'.join(commands)}}} [args...]")
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
