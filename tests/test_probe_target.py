"""``wasmlint probe --target NAME`` under the real node: the module instantiated on the
main thread and in workers, then grown, in one node process bounded by the target's
memory (RLIMIT_DATA and the heap node picks under that limit); WL905 names the first
step that fails. Results are compared by what fails and what does not, never by time."""
from __future__ import annotations

import json

from tests.fixture_harness import run_cli
from tests.probe_modules import write_module

# a 512-page (32 MiB) memory that may grow to 4096 pages (256 MiB)
GROWABLE = """(module
  (memory (export "memory") 512 4096)
  (func (export "run") (param i32) (result i32) local.get 0))"""
SMALL = """(module
  (memory (export "memory") 16 32)
  (func (export "run") (param i32) (result i32) local.get 0))"""
ARGS = ["--runs", "1", "--workers", "2", "--only-flags", "--format", "json"]


def _probe(tmp_path, name, wat, *args):
    wasm = write_module(tmp_path, name, wat)
    rc, out, err = run_cli(["probe", wasm.name, *ARGS, *args], tmp_path)
    assert rc in (0, 1), err
    return rc, json.loads(out)


def test_what_fails_under_a_small_target_and_fits_under_a_larger_one(tmp_path):
    rc, result = _probe(tmp_path, "growable", GROWABLE, "--target", "ios,desktop")
    ios, desktop = result["under_target"]["ios"], result["under_target"]["desktop"]
    assert ios["memory_bytes"] == 128 << 20 and desktop["memory_bytes"] == 512 << 20
    assert ios["node_flags"] == [f"--max-old-space-size={ios['heap_mib']}"] and ios["heap_mib"] > 0
    names = [s["name"] for s in desktop["steps"]]
    assert names == ["node started", "instantiate on the main thread", "instantiate in worker 1 of 2",
                     "instantiate in worker 2 of 2",
                     "grow the main thread's memory from 512 to its maximum of 4096 pages"]
    assert all(s["ok"] for s in desktop["steps"]) and desktop["ended"] is None
    # each instance maps its 32 MiB, growth the rest up to 256 MiB
    held = [s["vm_data"] for s in desktop["steps"]]
    assert held[1] - held[0] >= 32 << 20 and held[4] - held[1] >= (256 - 32) << 20
    bad = next(s for s in ios["steps"] if not s["ok"])
    assert bad["name"] != "node started" and "RangeError" in bad["error"]
    [d] = [d for d in result["diagnostics"] if d["code"] == "WL905"]
    assert rc == 1 and d["message"].startswith(
        f"under ios's memory (`ulimit -d` (RLIMIT_DATA) of 128 MiB and `--max-old-space-size={ios['heap_mib']}`, "
        f"the heap node picks under that limit) node {result['node']} fails to {bad['name']}: {bad['error']}")


def test_a_small_memory_fits_a_custom_target_and_a_target_without_memory_is_not_run(tmp_path):
    (tmp_path / ".wasmlint.toml").write_text('[custom-targets.edge]\nbudget-mb = 1024\n')
    rc, result = _probe(tmp_path, "small", SMALL, "--target", "edge,node")
    assert set(result["under_target"]) == {"edge"}
    edge = result["under_target"]["edge"]
    assert [s["ok"] for s in edge["steps"]] == [True] * 5 and edge["ended"] is None
    assert not [d for d in result["diagnostics"] if d["code"] == "WL905"]
    assert "target node states no memory: nothing to run under" in result["notes"]


def test_without_target_on_the_command_line_nothing_runs_bounded(tmp_path):
    _, result = _probe(tmp_path, "small", SMALL)
    assert "under_target" not in result
