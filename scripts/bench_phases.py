#!/usr/bin/env python3
"""Where a cold check's CPU time goes, phase by phase, without a profiler.

    python scripts/bench_phases.py TREE [--top 15] [--per-file TSV]

Every file of TREE is analysed in turn in this process (``analyze_file``, as a
``--no-cache`` run's workers do), with ``time.process_time`` read around each
function of the table below; a phase's figure is its own time, the time of the
phases it calls taken out (cProfile inflates the Python parts several times over
and hides that tree-sitter is a large share). Then the --top slowest files with
their largest phases; ``--per-file`` writes every file's CPU s, size and phases (TSV).
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import os
import sys
import time
from collections import defaultdict

TIME = defaultdict(float)
CALLS = defaultdict(int)
_OPEN: list[float] = []     # time spent in nested phases, per open phase


def _timed(name: str, fn):
    @functools.wraps(fn)
    def phase(*args, **kwargs):
        start = time.process_time()
        _OPEN.append(0.0)
        try:
            return fn(*args, **kwargs)
        finally:
            spent, nested = time.process_time() - start, _OPEN.pop()
            TIME[name] += spent - nested
            CALLS[name] += 1
            if _OPEN:
                _OPEN[-1] += spent
    return phase


def _instrument() -> None:
    import wasmlint.cache as cache
    import wasmlint.pipeline as pipeline
    import wasmlint.sources.js as js_source
    import wasmlint.sources.wasm as wasm_source
    import wasmlint.wasm.reader as reader
    from wasmlint import budget
    from wasmlint.js import (embedded, glue_assertions, imports, lexer, loading, memories, sites, skeleton,
                             workers)

    class _Hashlib:           # pipeline.analyze_file hashes the bytes of a script in memory
        @staticmethod
        def sha256(data=b""):
            return _timed("hashing", hashlib.sha256)(data)

    pipeline.hashlib = _Hashlib
    phases = [
        (cache, "file_digest", "hashing"), (pipeline, "content_key", "content keys"), (pipeline, "_read", "reading"),
        (reader, "_fast_exports", "modules: export names"), (wasm_source, "facts_from_bytes", "modules: the rest"),
        (budget, "parse", "tree-sitter"), (lexer, "_scan", "lexer"), (lexer, "statement_starts", "statement scan"),
        (skeleton, "interest_offsets", "plan: interest offsets"), (skeleton, "make_plan", "plan: blocks left out"),
        (skeleton, "_included", "included ranges, their check"), (skeleton, "_agrees", "included ranges, their check"),
        (skeleton, "blank_text", "included ranges, their check"), (embedded, "find_embedded", "embedded literals"),
        (loading, "compiles", "builders"), (memories, "memories", "builders"), (memories, "grows", "builders"),
        (memories, "views", "builders"), (workers, "workers", "builders"), (js_source, "_builds", "builders"),
        (glue_assertions, "glue_assertions", "builders"), (imports, "module_fact", "builders"),
    ]
    for module, attr, name in phases:
        setattr(module, attr, _timed(name, getattr(module, attr)))
    sites.Sites.__init__ = _timed("Aho-Corasick scan", sites.Sites.__init__)
    extractors = {}
    load = pipeline.load_extractor

    def timed_extractor(kind):
        if kind not in extractors:
            found = load(kind)
            label = "JavaScript: the rest of extract" if kind == "js" else "modules: the rest" \
                if kind == "wasm" else "other kinds"
            extractors[kind] = _timed(label, found) if found else None
        return extractors[kind]
    pipeline.load_extractor = timed_extractor
    pipeline.analyze_file = _timed("analyze_file's own", pipeline.analyze_file)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tree")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--per-file", metavar="TSV", help="write each file's CPU s, size and phases here")
    args = ap.parse_args()
    _instrument()
    import wasmlint.pipeline as pipeline
    from wasmlint.config import Config
    from wasmlint.discover import discover
    policy = Config().policy
    os.chdir(args.tree)
    kinds, per_file = defaultdict(lambda: [0, 0, 0.0]), []
    for entry in discover(["."], []):
        before = dict(TIME)
        start = time.process_time()
        pipeline.analyze_file(entry, policy)
        spent = time.process_time() - start
        kind = kinds[entry.kind if entry.kind in ("js", "wasm") else "other"]
        kind[0], kind[1], kind[2] = kind[0] + 1, kind[1] + entry.size, kind[2] + spent
        per_file.append((spent, entry.path, entry.size, {k: v - before.get(k, 0.0) for k, v in TIME.items()}))
    print(f"load average {os.getloadavg()[0]:.1f}")
    for kind, (files, size, spent) in sorted(kinds.items()):
        print(f"{kind:<6} {files:>5} files {size / 2**20:>8.1f} MiB {spent:>8.3f} CPU s")
    print(f"\n{'phase':<34} {'CPU s':>8} {'calls':>8}")
    for name, spent in sorted(TIME.items(), key=lambda item: -item[1]):
        print(f"{name:<34} {spent:>8.3f} {CALLS[name]:>8}")
    print(f"{'all':<34} {sum(TIME.values()):>8.3f}")
    if args.per_file:
        with open(args.per_file, "w") as out:
            for spent, path, size, phases in sorted(per_file, reverse=True):
                shares = " ".join(f"{k}={v:.4f}" for k, v in sorted(phases.items(), key=lambda item: -item[1]) if v)
                out.write(f"{spent:.4f}\t{size}\t{path}\t{shares}\n")
    print(f"\nthe {args.top} slowest files (CPU s, MiB, largest phases)")
    for spent, path, size, phases in sorted(per_file, reverse=True)[:args.top]:
        big = ", ".join(f"{k} {v:.3f}" for k, v in sorted(phases.items(), key=lambda item: -item[1])[:4])
        print(f"{spent:6.3f} {size / 2**20:6.1f} {path}: {big}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
