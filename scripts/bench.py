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
the run is not replayed and goes through the per-file cache; "largest JS file"
checks the tree's biggest JavaScript file on its own (a copy in an empty project).

Then, once: the time ``analyze_file`` takes per kind of file (one process, one
core, every file of the tree in turn) and the --top biggest JavaScript files, each
checked on its own (median wall time, peak RSS).
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


def timed(argv: list[str], cwd: Path | str | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system, with the workers it
    waited for) of one process. On a shared machine the CPU time is the steadier figure."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def timed_each(argvs: list[list[str]]) -> tuple[float, int, float]:
    total, peak, cpu = 0.0, 0, 0.0
    for argv in argvs:
        t, rss, c = timed(argv)
        total, peak, cpu = total + t, max(peak, rss), cpu + c
    return total, peak, cpu


JS_SUFFIXES = (".js", ".mjs", ".cjs")


def profile_files() -> None:
    """Print, as JSON lines, each file of the working folder: kind, size and the
    seconds ``analyze_file`` takes on it (the --profile-files mode, run in TREE)."""
    import json
    from wasmlint.config import Config
    from wasmlint.discover import discover
    from wasmlint.pipeline import analyze_file
    policy = Config().policy
    for entry in discover(["."], []):
        start = time.process_time()
        analyze_file(entry, policy)
        print(json.dumps({"path": entry.path, "kind": entry.kind, "size": entry.size,
                          "seconds": time.process_time() - start}), flush=True)


def alone(path: Path, scratch: Path) -> Path:
    """A copy of ``path`` in an empty project of its own (so ``check FILE`` reads nothing else)."""
    folder = scratch / f"alone-{len(list(scratch.iterdir()))}"
    (folder / ".git").mkdir(parents=True)
    shutil.copy(path, folder / path.name)
    return folder


def per_kind(tree: Path) -> None:
    import json
    out = subprocess.run([sys.executable, __file__, "--profile-files", str(tree)], cwd=tree,
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    groups: dict[str, list[dict]] = {}
    for r in rows:
        kind = r["kind"] if r["kind"] in ("wasm", "js") else "other"
        groups.setdefault(kind, []).append(r)
    print(f"\n{'kind':<8} {'files':>6} {'MiB':>8} {'CPU s':>8}   (analyze_file, one process, file by file)")
    for kind, rs in sorted(groups.items()):
        print(f"{kind:<8} {len(rs):>6} {sum(r['size'] for r in rs) / 2**20:>8.1f} "
              f"{sum(r['seconds'] for r in rs):>8.3f}")


def largest_js(files: list[Path], scratch: Path, runs: int) -> None:
    print(f"\n{'largest JavaScript files, each checked on its own':<60} {'MiB':>6} {'median s':>9} "
          f"{'CPU s':>7} {'peak RSS MiB':>13}")
    for f in files:
        folder = alone(f, scratch)
        argv = [sys.executable, "-m", "wasmlint", "check", "--exit-zero", "--no-cache", f.name]
        got = [timed(argv, cwd=folder) for _ in range(runs)]
        print(f"{str(f):<60} {f.stat().st_size / 2**20:>6.1f} {statistics.median(t for t, _, _ in got):>9.3f} "
              f"{statistics.median(c for _, _, c in got):>7.3f} {max(r for _, r, _ in got) / 1024:>13.1f}")


def main() -> int:
    if sys.argv[1:2] == ["--profile-files"]:
        profile_files()
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tree", nargs="?", default=str(ROOT / ".cache" / "corpus"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=5, help="how many of the biggest JS files to check alone")
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
    scripts = sorted((p for p in tree.rglob("*") if p.suffix in JS_SUFFIXES and p.is_file()
                      and ".git" not in p.relative_to(tree).parts), key=lambda p: -p.stat().st_size)
    biggest = alone(scripts[0], scratch) if scripts else None

    cases: dict[str, callable] = {
        "wasmlint check (cold)": lambda: timed([*wasmlint, *cold_flag, "."], cwd=tree),
        "wasmlint check (warm)": lambda: timed([*wasmlint, "."], cwd=tree),
        "wasmlint check one file": lambda: timed([*wasmlint, one_file], cwd=tree),
        "wasmlint check (1 file touched)": lambda: (os.utime(touched), timed([*wasmlint, "."], cwd=copy))[1],
        "python -c pass": lambda: timed([sys.executable, "-c", "pass"]),
        **({"wasmlint check largest JS file": lambda: timed(
            [*wasmlint, *cold_flag, scripts[0].name], cwd=biggest)} if biggest else {}),
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
    results: dict[str, list[tuple[float, int, float]]] = {k: [] for k in cases}
    load = os.getloadavg()[0]
    for _ in range(args.runs):
        for name, fn in cases.items():
            results[name].append(fn())
    load = max(load, os.getloadavg()[0])
    size = sum(m.stat().st_size for m in modules)
    js_size = sum(p.stat().st_size for p in scripts)
    print(f"tree: {tree} — {len(modules)} modules, {size / 2**20:.1f} MiB; {len(scripts)} JS files, "
          f"{js_size / 2**20:.1f} MiB; {args.runs} interleaved runs; {os.cpu_count()} cores, "
          f"load average up to {load:.1f}")
    med = {k: statistics.median(t for t, _, _ in v) for k, v in results.items()}
    cpu = {k: statistics.median(c for _, _, c in v) for k, v in results.items()}
    peak = {k: max(r for _, r, _ in v) for k, v in results.items()}
    ref, cpu_ref = med["wasm-tools validate (each module)"], cpu["wasm-tools validate (each module)"]
    print(f"{'command':<36} {'median s':>9} {'peak RSS MiB':>13} {'/ validate':>11} {'CPU s':>7} {'CPU / validate':>15}")
    for name in cases:
        print(f"{name:<36} {med[name]:>9.3f} {peak[name] / 1024:>13.1f} {med[name] / ref:>11.3f} "
              f"{cpu[name]:>7.3f} {cpu[name] / cpu_ref:>15.3f}")
    print(f"warm / cold: {med['wasmlint check (warm)'] / med['wasmlint check (cold)']:.3f}; "
          f"one file − python start-up: {med['wasmlint check one file'] - med['python -c pass']:.3f} s")
    per_kind(tree)
    if scripts:
        largest_js(scripts[:args.top], scratch, args.runs)
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
