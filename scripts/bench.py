#!/usr/bin/env python3
"""Time ``wasmlint check`` against ``wasm-tools validate`` and ``wasm-objdump -h``
over the same tree, interleaved in one run, and print ratios.

    python scripts/bench.py [TREE] [--runs 5]

TREE defaults to the real-package corpus (``python scripts/fetch_testdata.py``
fetches it into .cache/corpus). Every figure is the median wall time of whole
processes over --runs interleaved rounds; peak RSS is the largest single process.
The reference tools run once per module, as a pre-commit or CI step would.
wasmlint runs from inside TREE (as a user runs it), with its package
byte-compiled first, as an installed wheel is. "warm" is a rerun over the
unchanged tree: its per-file cache is filled and the run itself is replayed
(``wasmlint.runmemo``); "1 file touched" gives one module a new mtime first, so
the run is not replayed and goes through the per-file cache.
"""
from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(argv: list[str], cwd: Path | str | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def timed_each(argvs: list[list[str]]) -> tuple[float, int]:
    total, peak = 0.0, 0
    for argv in argvs:
        t, rss = timed(argv)
        total, peak = total + t, max(peak, rss)
    return total, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tree", nargs="?", default=str(ROOT / ".cache" / "corpus"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tree = Path(args.tree).resolve()
    modules = sorted(p for p in tree.rglob("*.wasm") if p.is_file())
    if not modules:
        print(f"no .wasm files under {tree} (run scripts/fetch_testdata.py first)", file=sys.stderr)
        return 2
    wasmlint = [sys.executable, "-m", "wasmlint", "check", "--exit-zero", "--output-format", "json"]
    spec = importlib.util.find_spec("wasmlint")
    if spec is None or not spec.origin:
        print("wasmlint is not installed in this Python (pip install .)", file=sys.stderr)
        return 2
    package = Path(spec.origin).parent
    compileall.compile_dir(str(package), quiet=1)   # pip does this on install
    helptext = subprocess.run([*wasmlint[:4], "--help"], capture_output=True, text=True).stdout
    cold_flag = ["--no-cache"] if "--no-cache" in helptext else []
    wasm_tools = shutil.which("wasm-tools") or str(Path(sys.executable).parent / "wasm-tools")
    objdump = shutil.which("wasm-objdump")
    one_file = str(max(modules, key=lambda p: p.stat().st_size))
    # "1 file touched" runs in a copy of the tree, so the other runs' replay stays valid
    scratch = Path(tempfile.mkdtemp(prefix="wasmlint-bench-"))
    copy = scratch / tree.name
    shutil.copytree(tree, copy, symlinks=True)
    touched = str(copy / min(modules, key=lambda p: p.stat().st_size).relative_to(tree))

    cases: dict[str, callable] = {
        "wasmlint check (cold)": lambda: timed([*wasmlint, *cold_flag, "."], cwd=tree),
        "wasmlint check (warm)": lambda: timed([*wasmlint, "."], cwd=tree),
        "wasmlint check one file": lambda: timed([*wasmlint, one_file], cwd=tree),
        "wasmlint check (1 file touched)": lambda: (os.utime(touched), timed([*wasmlint, "."], cwd=copy))[1],
        "python -c pass": lambda: timed([sys.executable, "-c", "pass"]),
        "wasm-tools validate (each module)": lambda: timed_each(
            [[wasm_tools, "validate", "--features", "all", str(m)] for m in modules]),
    }
    if objdump:
        cases["wasm-objdump -h (each module)"] = lambda: timed_each([[objdump, "-h", str(m)] for m in modules])
    timed([*wasmlint, "."], cwd=copy)
    for argv in ([*wasmlint, "."], [*wasmlint, one_file]):   # fill the caches and the page cache;
        timed(argv, cwd=tree)                                 # a run right after the first one made
        time.sleep(2.1)                                       # .wasmlint_cache/ is not replayed
        timed(argv, cwd=tree)
    results: dict[str, list[tuple[float, int]]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for name, fn in cases.items():
            results[name].append(fn())
    shutil.rmtree(scratch, ignore_errors=True)
    size = sum(m.stat().st_size for m in modules)
    print(f"tree: {tree} — {len(modules)} modules, {size / 2**20:.1f} MiB; {args.runs} interleaved runs; "
          f"{os.cpu_count()} cores")
    med = {k: statistics.median(t for t, _ in v) for k, v in results.items()}
    peak = {k: max(r for _, r in v) for k, v in results.items()}
    ref = med["wasm-tools validate (each module)"]
    print(f"{'command':<36} {'median s':>9} {'peak RSS MiB':>13} {'/ validate':>11}")
    for name in cases:
        print(f"{name:<36} {med[name]:>9.3f} {peak[name] / 1024:>13.1f} {med[name] / ref:>11.3f}")
    print(f"warm / cold: {med['wasmlint check (warm)'] / med['wasmlint check (cold)']:.3f}; "
          f"one file − python start-up: {med['wasmlint check one file'] - med['python -c pass']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
