"""Time `wasmlint check --no-cache .` on a tree of many small files (issue #17: 100,000).

    python scripts/bench_many_files.py                  # 50,000 tiny .js and 50,000 .txt in 1,000 folders
    python scripts/bench_many_files.py --files 20000 --runs 3
    python scripts/bench_many_files.py --keep DIR       # make the tree in DIR and leave it there

The tree is a git work tree (a `.git` folder) of `--folders` folders, each holding as many
tiny CommonJS modules as text notes. Prints wall seconds, CPU seconds (user and system, of
the process and its workers), peak RSS and the last line of the report, per run.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_tree(root: Path, files: int, folders: int) -> None:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    per = max(1, files // folders // 2)
    for d in range(folders):
        folder = root / f"pkg{d:04d}" / "lib"
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(per):
            (folder / f"m{k}.js").write_text(
                f"'use strict';\nconst base = require('./base');\nmodule.exports = function f{k}(a) {{ return base(a) + {k}; }};\n")
            (folder / f"note{k}.txt").write_text(f"module {d}/{k}\n")


def timed(argv: list[str], cwd: Path) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MiB, last output line) of one process and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return wall, cpu, after.ru_maxrss / 1024, lines[-1] if lines else f"exit {done.returncode}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--folders", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="make the tree here and keep it")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="wasmlint-many-"))
    try:
        make_tree(root, args.files, args.folders)
        argv = [sys.executable, "-m", "wasmlint", "check", "--no-cache", "."]
        for _ in range(args.runs):
            wall, cpu, rss, last = timed(argv, root)
            print(f"wall {wall:.1f} s  CPU {cpu:.1f} s  peak RSS {rss:.0f} MiB  {last}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
