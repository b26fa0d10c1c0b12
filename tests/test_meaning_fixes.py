"""Fixes mean what the user meant (issue 16), run for real after ``--fix``: a
worker's heap flag becomes that Worker's ``resourceLimits`` and its other V8
flags go to the launches that run it (the worker then starts), a memory that the
loader grows keeps room for it (start-up does not throw), and where no launch
is known the worker fix is a suggestion that names none."""
from __future__ import annotations

import json
import subprocess

from tests.fixture_harness import FIXTURES, materialise, run_cli
from tests.test_launch_fixes import NODE, node_starts

FIX = ["check", "--no-cache", "--jobs", "1", "--output-format", "concise", "--fix", "--unsafe-fixes"]


def node(work, *args) -> subprocess.CompletedProcess:
    return subprocess.run([NODE, *args], cwd=work, capture_output=True, text=True, timeout=60)


def test_the_fixed_worker_starts_and_the_launches_carry_the_v8_flag(tmp_path):
    work = materialise(FIXTURES / "WL301" / "heap-flag-and-launches", tmp_path)
    start = "const w = require('./pool').startResizer(); w.on('message', () => process.exit(0));"
    assert "ERR_WORKER_INVALID_EXEC_ARGV" in node(work, "-e", start).stderr
    rc, _, err = run_cli([*FIX, "--select", "WL301", "."], work)
    assert "fixed 1 problem in 3 files" in err
    run = node(work, "-e", start)
    assert run.returncode == 0, run.stderr
    _, out, _ = run_cli(["inspect", "--format", "json", "package.json", "Dockerfile"], work)
    launches = [f for e in json.loads(out) for f in e["facts"] if f["kind"] == "node-launch"]
    assert [f["options_before_script"] for f in launches] == [["--no-wasm-tier-up"], ["--no-wasm-tier-up"]]
    for f in launches:
        assert node_starts(f["options_before_script"], None, work).returncode == 0


def test_without_a_known_launch_the_worker_fix_is_a_suggestion(tmp_path):
    work = materialise(FIXTURES / "WL301" / "heap-flag-and-launches", tmp_path)
    (work / "package.json").unlink()
    (work / "Dockerfile").unlink()
    _, out, _ = run_cli(["check", "--no-cache", "--select", "WL301", "--output-format", "json", "."], work)
    (d,) = json.loads(out)
    assert d["fix"] == {
        "applicability": "suggestion", "edits": [],
        "description": "Remove `--max-old-space-size=256`, `--no-wasm-tier-up` from `execArgv`; bound the "
                       "worker's heap with `resourceLimits: { maxOldGenerationSizeMb: 256 }`; start the process "
                       "that creates this worker with `--no-wasm-tier-up`: `node --no-wasm-tier-up <its entry "
                       "script>` (no node launch reaching pool.js was found in the project)"}


def test_a_memory_the_loader_grows_keeps_room_for_it_and_start_up_does_not_throw(tmp_path):
    work = materialise(FIXTURES / "WL101" / "js-grow-at-startup", tmp_path)
    _, out, _ = run_cli(["check", "--no-cache", "--select", "WL101", "--output-format", "json", "loader.js"], work)
    (d,) = [d for d in json.loads(out) if d["path"] == "loader.js"]
    assert d["fix"]["description"] == (
        "Bound the maximum at 11 pages: the initial 10 and the 1 that `memory.grow(1)` (loader.js:5) adds "
        "(a maximum equal to the initial size would make that `grow` throw)")
    run_cli([*FIX, "--select", "WL101", "."], work)
    run = node(work, "loader.js")
    assert run.returncode == 0, run.stderr
