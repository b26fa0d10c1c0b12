"""Related locations that cross files: where a finding is reported and what it points at.
WL101 at the loader that creates a memory names the module import it feeds; WL303 at a call
names the loop it sizes; WL304 at a worker names the ignored `onerror` in another module."""
from __future__ import annotations

import json

from tests.fixture_harness import FIXTURES, materialise, run_cli


def _related(case: str, code: str, tmp_path) -> list[tuple]:
    work = materialise(FIXTURES / code / case, tmp_path)
    rc, out, err = run_cli(["check", "--select", code, "--output-format", "json", "--no-cache", "."], work)
    assert rc == 1, err
    return [(d["path"], d["line"], [(r["path"], r["line"], r["message"]) for r in d["related"]])
            for d in json.loads(out)]


def test_growable_creator_names_the_import_it_feeds(tmp_path):
    assert _related("loader-creates-growable", "WL101", tmp_path) == [
        ("load.js", 5, [("app.wasm", 1, "app.wasm imports this memory as `env.memory`")])]


def test_a_call_that_sizes_a_pool_names_the_loop(tmp_path):
    assert _related("caller-passes-constant", "WL303", tmp_path) == [
        ("src/server.js", 7, [("src/pool.js", 8, "`startPool` starts that many workers here")])]


def test_a_factory_worker_names_the_ignored_onerror(tmp_path):
    assert _related("onerror-through-factory", "WL304", tmp_path) == [
        ("src/worker/node/spawnWorker.js", 12,
         [("src/createWorker.js", 23, "`onerror` is assigned here; worker_threads never calls it")])]
