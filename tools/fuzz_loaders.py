"""The adversarial pass at scale: fuzz every loader and format, print the figures.

    .venv/bin/python tools/fuzz_loaders.py --files 10000

runs at least `--files` fuzzed files per loader and format (the mutation engine and the
invariants are `tests/fuzzing`, shared with `tests/test_fuzz_loaders.py`), prints one
row per loader and format (files, crashes, unlocated errors, lost records, inexact
round trips, long messages, leaks, silently accepted files), writes the first file of
each failure class, and a shrunk copy of it, to `--findings` (default
`/tmp/fuzz-findings`) with a `SUMMARY.md`, and exits with status 1 when any count is
not zero.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing import CATEGORIES, LOADERS, Case, Tally, check, failure_class, pairs, run  # noqa: E402
from fuzzing.campaign import Example, shrink  # noqa: E402
from keyaccount.io import Format  # noqa: E402

#: The table's column of each failure category.
HEADINGS = {
    "crash": "crashes",
    "unlocated": "unlocated errors",
    "lost": "lost records",
    "inexact": "inexact round trips",
    "long": "long messages",
    "leak": "leaks",
    "silent": "silently accepted",
}
#: Failure categories whose file can be shrunk alone (a lost record needs its pair).
SHRINKABLE = ("crash", "unlocated", "inexact", "long", "leak", "silent")
MARKER = ".fuzz-findings"
MEMORY_LIMIT = 6 * 2**30
#: Where the fuzzed files are written: memory when the system has it (tmpfs), not disk.
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None


def _limit_memory() -> None:
    """Keep a runaway load from taking the machine: MemoryError past `MEMORY_LIMIT`."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _chunk(job: tuple[str, Format, int, int]) -> Tally:
    """One worker's share: `files` files of one loader and format from its own seed."""
    name, fmt, files, seed = job
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        return run(name, fmt, files, seed, Path(folder))


def _merge(into: Tally, tally: Tally) -> None:
    into.files += tally.files
    for category, count in tally.counts.items():
        into.counts[category] += count
    for group, count in tally.seen.items():
        into.seen[group] = into.seen.get(group, 0) + count
    for group, example in tally.first.items():
        into.first.setdefault(group, example)


def _shrunk(job: tuple[str, Format, str, str, Example, int]) -> bytes:
    """The example's file made as small as it can be while it fails the same way."""
    name, fmt, category, group, example, budget = job
    loader = LOADERS[name]

    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:

        def still_fails(data: bytes) -> bool:
            case = Case(data, example.mutations, None, example.secrets, example.refused)
            findings = check(loader, fmt, case, Path(folder))
            return any(f.category == category and failure_class(f) == group for f in findings)

        if category not in SHRINKABLE or not still_fails(example.data):
            return example.data
        return shrink(example.data, still_fails, budget)


def _table(tallies: list[Tally]) -> str:
    columns = ["loader", "format", "files", *(HEADINGS[c] for c in CATEGORIES)]
    rows = [
        [t.loader, t.fmt, str(t.files), *(str(t.counts[c]) for c in CATEGORIES)] for t in tallies
    ]
    totals = ["total", "", str(sum(t.files for t in tallies))]
    totals += [str(sum(t.counts[c] for t in tallies)) for c in CATEGORIES]
    rows.append(totals)
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _preview(data: bytes, limit: int = 400) -> str:
    shown = repr(data[:limit])
    return shown + (f" ... ({len(data):,} bytes)" if len(data) > limit else "")


def _reset(folder: Path) -> None:
    """Empty the findings folder, if this script made it (a marker file says so)."""
    if folder.exists() and (folder / MARKER).exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("written by tools/fuzz_loaders.py\n", encoding="utf-8")


def _write_findings(
    folder: Path,
    tallies: list[Tally],
    shrunk: dict[tuple[str, Format, str, str], bytes],
    command: str,
) -> None:
    """One file per failure class (as found, and shrunk), and `SUMMARY.md` grouping them."""
    lines = [
        "# Fuzzing findings",
        "",
        f"Command: `{command}`",
        "",
        "```",
        _table(tallies),
        "```",
        "",
    ]
    for category in CATEGORIES:
        groups = sorted(
            {(g, t.loader, t.fmt) for t in tallies for (c, g) in t.first if c == category}
        )
        if not groups:
            continue
        lines += [f"## {HEADINGS[category]}", ""]
        by_class: dict[str, list[tuple[str, Format]]] = {}
        for group, loader, fmt in groups:
            by_class.setdefault(group, []).append((loader, fmt))
        for number, (group, where) in enumerate(sorted(by_class.items()), start=1):
            lines += [f"### {category} {number}: {group}", ""]
            for loader, fmt in where:
                tally = next(t for t in tallies if (t.loader, t.fmt) == (loader, fmt))
                example = tally.first[(category, group)]
                stem = f"{category}-{number:02d}-{loader}-{fmt}"
                (folder / f"{stem}.{fmt}").write_bytes(example.data)
                small = shrunk.get((loader, fmt, category, group), example.data)
                (folder / f"{stem}-min.{fmt}").write_bytes(small)
                if example.untouched is not None:
                    (folder / f"{stem}-untouched.{fmt}").write_bytes(example.untouched)
                lines += [
                    f"- **{loader} {fmt}**: {tally.seen[(category, group)]} files; made by "
                    f"`{example.mutations}`; `{stem}.{fmt}` (minimal: `{stem}-min.{fmt}`"
                    + (
                        f", untouched records: `{stem}-untouched.{fmt}`"
                        if example.untouched
                        else ""
                    )
                    + ")",
                    f"  - {example.detail[:300]}",
                    f"  - minimal file: `{_preview(small)}`",
                ]
            lines.append("")
    (folder / "SUMMARY.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the campaign; the exit status is 1 when any figure is not zero."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="files per loader and format")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk", type=int, default=2_500, help="files per worker task")
    parser.add_argument("--loader", action="append", choices=sorted(LOADERS), default=None)
    parser.add_argument("--findings", type=Path, default=Path("/tmp/fuzz-findings"))
    parser.add_argument("--shrink-budget", type=int, default=300, help="loads per shrink")
    args = parser.parse_args(argv)
    chosen = [(n, f) for n, f in pairs() if args.loader is None or n in args.loader]
    jobs = []
    for name, fmt in chosen:
        for index, start in enumerate(range(0, args.files, args.chunk)):
            files = min(args.chunk, args.files - start)
            jobs.append((name, fmt, files, args.seed * 1000 + index))
    started = time.perf_counter()
    tallies = {pair: Tally(*pair) for pair in chosen}
    with concurrent.futures.ProcessPoolExecutor(args.jobs, initializer=_limit_memory) as pool:
        for job, tally in zip(jobs, pool.map(_chunk, jobs), strict=True):
            _merge(tallies[(job[0], job[1])], tally)
        shrink_jobs = [
            (t.loader, t.fmt, category, group, example, args.shrink_budget)
            for t in tallies.values()
            for (category, group), example in t.first.items()
        ]
        shrunk = {
            job[:4]: data
            for job, data in zip(shrink_jobs, pool.map(_shrunk, shrink_jobs), strict=True)
        }
    ordered = list(tallies.values())
    print(_table(ordered))
    print(f"\n{sum(t.files for t in ordered):,} files in {time.perf_counter() - started:.0f} s")
    _reset(args.findings)
    command = " ".join(["tools/fuzz_loaders.py", *(argv if argv is not None else sys.argv[1:])])
    _write_findings(args.findings, ordered, shrunk, command)
    failed = any(t.counts[c] for t in ordered for c in CATEGORIES)
    if failed:
        print(f"failure classes and reproducers: {args.findings / 'SUMMARY.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
