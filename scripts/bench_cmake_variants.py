"""CMake variant runs, shared (``cmake_variants``) against whole: for every CMake file of
each TREE, its facts both ways (they must be identical) and the CPU seconds of each.

    python scripts/bench_cmake_variants.py ~/.cache/wasmlint-realworld/libsdl-org+SDL@*/
"""
from __future__ import annotations

import json
import os
import sys
import time

from wasmlint.config import Config
from wasmlint.discover import discover
from wasmlint.pipeline import analyze_file
from wasmlint.toolchain import cmake, cmake_variants


def facts(entry, policy, shared: bool) -> tuple[float, str]:
    cmake.variant_runs = lambda files, base, labels, _shared=True: cmake_variants.variant_runs(files, base, labels,
                                                                                                shared)
    start = time.process_time()
    result = analyze_file(entry, policy)
    seconds = time.process_time() - start
    return seconds, json.dumps([f.to_json() for f in result.facts], sort_keys=True, default=str)


def main() -> int:
    policy = Config().policy
    whole = shared = 0.0
    files = differ = 0
    for tree in sys.argv[1:]:
        os.chdir(tree)
        for entry in discover(["."], []):
            if entry.kind != "cmake":
                continue
            t_whole, f_whole = facts(entry, policy, False)
            t_shared, f_shared = facts(entry, policy, True)
            files, whole, shared = files + 1, whole + t_whole, shared + t_shared
            if f_whole != f_shared:
                differ += 1
                print(f"DIFFERENT FACTS {tree} {entry.path}")
            if t_whole > 0.5:
                print(f"{os.path.basename(os.path.normpath(tree))} {entry.path}: whole {t_whole:.2f} shared {t_shared:.2f}")
    print(f"{files} CMake files, {differ} with different facts; CPU s whole {whole:.2f}, shared {shared:.2f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
