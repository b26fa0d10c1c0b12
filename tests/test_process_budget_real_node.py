"""The terms of WL120's process budget, checked against the machine's real node.

Checked here, with the local node (20 on this project's machines):
* the heap bound under ``--max-old-space-size=N``: exactly the data's
  ``heap_size_limit`` at a measured N, and at an N the data does not hold
  (1536) the term is a lower bound of node's real ``heap_size_limit``;
* the default heap bound under a cgroup v2 limit the data does not hold
  (1536 MiB, through the generator's emulated cgroup view, which needs root and
  ``unshare``): the term is a lower bound of what node picks;
* a Lambda function's heap term (node's default under its ``MemorySize``) is a
  lower bound of the heap bound node gets from the flags Lambda's node runtime
  passes (``--max-old-space-size`` = memory − memory/10, ``--max-semi-space-size``
  = memory/20, from the runtime's bootstrap script), at 512 and 1024 MiB;
* a Worker started without ``resourceLimits`` reports the data's
  ``stackSizeMb``;
* a Worker's instance of a module whose memory starts at 64 pages: ``byteLength``
  is 64 pages, and the worker's RSS grows by at least those pages once they are
  written (the budget counts a memory at its ceiling: what it holds when used).

Not checked here: the flags Lambda passes on runtimes after nodejs18.x (their
bootstrap was not read), other node majors (their numbers were measured by
``scripts/gen_process_budget.py`` from the npm binaries; this test re-checks only
the local major), RSS under a real cgroup (a container's OOM kill), the stacks of
the main thread and libuv's pool, and a Worker's own JS heap (neither is a term).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from wasmlint.nodeheap import MIB, HeapSizing
from wasmlint.process_budget import Limit, heap_term, measured, young_generation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import gen_node_flags as gen_flags  # noqa: E402
import gen_process_budget as gen  # noqa: E402

NODE = shutil.which("node")


def _node(*args: str) -> str:
    assert NODE, "node is required (it is on every machine of this project)"
    out = subprocess.run([NODE, *args], capture_output=True, text=True, timeout=120, check=True)
    return out.stdout


def _major() -> int:
    return int(_node("--version").strip().lstrip("v").split(".")[0])


def _heap_limit(*flags: str) -> int:
    return json.loads(_node(*flags, "-e", gen.HEAP_JS))[1]


def test_the_data_covers_the_local_major_and_every_major_of_the_flag_database():
    from wasmlint.nodeflags import available_majors
    assert set(measured()) >= set(available_majors()) and _major() in measured()


def test_heap_flag_term_matches_node_at_a_measured_size_and_bounds_it_between():
    major = _major()
    data = measured()[major]["heap_flag"]
    assert _heap_limit("--max-old-space-size=1024") == data["1024"]
    assert 1024 * MIB + young_generation(major, 1024) == data["1024"]
    real = _heap_limit("--max-old-space-size=1536")
    assert 1536 * MIB + young_generation(major, 1536) <= real


class _Launch:
    """The parts of a node-launch heap_term reads: no flags, the local major."""

    def __init__(self, major):
        self._major = major

    def effective(self, ctx):
        return []

    def major(self, ctx):
        return self._major

    def heap_flag(self, ctx):
        return None


def test_default_heap_term_is_a_lower_bound_of_what_node_picks_under_a_cgroup_limit():
    major = _major()
    term = heap_term(_Launch(major), None, Limit(1536 * MIB, "`mem_limit`"))
    assert term is not None and HeapSizing.of(major).sees_limits
    with tempfile.TemporaryDirectory() as scratch:
        how, real = gen_flags.heap_under(Path(NODE), "cgroup-v2", 1536, Path(scratch))
    assert how == "files" and term.each <= real


def test_worker_stack_and_an_instance_of_a_fixed_memory_match_the_data():
    pages = 64
    w = json.loads(_node("-e", gen.WORKER_JS, json.dumps(gen.module_bytes(pages))))
    assert w["limits"]["stackSizeMb"] == measured()[_major()]["worker"]["stack_size_mb"]
    assert w["byte_length"] == pages * 65536
    assert w["rss_written"] >= pages * 65536 * 9 // 10
    assert w["rss_instantiated"] < pages * 65536 // 2      # committed lazily: pages count once written


def test_a_lambda_functions_default_heap_term_stays_below_the_runtimes_own_heap_flags():
    major = _major()
    for memory in (512, 1024):
        term = heap_term(_Launch(major), None, Limit(memory * MIB, "`MemorySize`"))
        new = memory // 10
        real = _heap_limit(f"--max-old-space-size={memory - new}", f"--max-semi-space-size={new // 2}")
        assert term is not None and term.each <= real, (memory, term.each, real)
