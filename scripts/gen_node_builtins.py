#!/usr/bin/env python3
"""Generate wasmlint/data/node-builtins.json from real node binaries.

Each binary given (default: the ``node`` on PATH) is asked for
``require('module').builtinModules``, the names ``require``/``import`` resolve
to node itself; the file holds their union with the versions asked.

Usage: python scripts/gen_node_builtins.py [NODE ...] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "wasmlint" / "data" / "node-builtins.json"
ASK = "JSON.stringify({version: process.version, modules: require('module').builtinModules})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("nodes", nargs="*", default=["node"])
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    versions, modules = [], set()
    for node in a.nodes:
        got = json.loads(subprocess.run([node, "-p", ASK], check=True, capture_output=True, text=True).stdout)
        versions.append(got["version"])
        modules |= set(got["modules"])
    a.out.write_text(json.dumps({"generated_by": "scripts/gen_node_builtins.py", "node": sorted(versions),
                                 "modules": sorted(modules)}, indent=1) + "\n")


if __name__ == "__main__":
    main()
