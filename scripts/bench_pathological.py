#!/usr/bin/env python3
"""The slowest pathological input of every source, and how its time grows.

    python scripts/bench_pathological.py [--kind KIND] [--input NAME] [--runs 3] [--all]

Each source's generators (``fuzz/pathological.py``: repeated tokens of the kind's own
syntax and of the syntaxes embedded in it) are read at 64, 128, 256 and 512 KB by a whole
``check`` of a project holding only that file. A figure is the CPU seconds of that check
alone, the least of --runs, each run in a new interpreter that has already checked a 2 KB
input of the same generator (``pathological.measure_fresh``): what one file's check costs
once the interpreter is up, with no work left in a reader's cache by an earlier run.
A row is marked when its 256 KB input takes over 1 s or its time grows faster than its
size (512 KB over 64 KB above 16, twice linear).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz.pathological import GENERATORS, SIZES_KB, measure_fresh  # noqa: E402

WARM = 2 * 1024      # bytes of the input checked before the one measured


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", action="append", help="only this source (repeatable)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--all", action="store_true", help="every generator, not only the slowest per source")
    ap.add_argument("--input", action="append", help="only the generator of this name (repeatable)")
    args = ap.parse_args()
    kinds = args.kind or list(GENERATORS)
    head = f"{'source':16} {'slowest input':20} " + " ".join(f"{s:>6}KB" for s in SIZES_KB) + "  512/64"
    print(head)
    print("-" * len(head))
    bad = 0
    for kind in kinds:
        rows = []
        for name, gen in GENERATORS[kind][1].items():
            if args.input and name not in args.input:
                continue
            times = [measure_fresh(kind, gen(kb * 1024), args.runs, gen(WARM)) for kb in SIZES_KB]
            rows.append((times[2], name, times))
        rows.sort(reverse=True)
        for _, name, times in rows if args.all else rows[:1]:
            growth = times[-1] / max(times[0], 1e-3)
            flag = "  SLOW" if times[2] > 1.0 else ""
            flag += "  SUPERLINEAR" if growth > 16 else ""
            bad += bool(flag)
            print(f"{kind:16} {name:20} " + " ".join(f"{t:7.3f}s" for t in times) + f"  {growth:5.1f}{flag}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
