"""Whole small projects (cross-file rules): the default rule set's concise output
equals ``expected.txt`` beside each project (and related locations ``related.txt``
when there is one), and the graph links what it should."""
from __future__ import annotations

import json
import os

import pytest

from tests.fixture_harness import PROJECTS, check_related, materialise, run_cli

CASES = sorted(p.parent for p in PROJECTS.glob("*/expected.txt"))


@pytest.mark.parametrize("project", CASES, ids=lambda p: p.name)
def test_project(project, tmp_path):
    work = materialise(project, tmp_path)
    rc, out, err = run_cli(["check", "--output-format", "concise", "--no-cache", "--jobs", "1", "."], work)
    assert "Traceback" not in err and rc in (0, 1), err
    got = sorted(l for l in out.splitlines() if l.strip())
    exp_file = project / "expected.txt"
    if os.environ.get("WASMLINT_UPDATE_EXPECTED"):
        exp_file.write_text("".join(l + "\n" for l in got))
    assert got == sorted(l for l in exp_file.read_text().splitlines() if l.strip())
    check_related(project, ["--no-cache"], work)


def _graph(project, tmp_path) -> dict:
    work = materialise(PROJECTS / project, tmp_path)
    rc, out, err = run_cli(["inspect", "--graph", "--format", "json", "."], work)
    assert rc == 0, err
    return json.loads(out)


def _edges(graph, kind):
    return {(e["from"].split(":", 1)[-1].rsplit(":", 2)[0] if e["from"].startswith("launch:") else e["from"], e["to"])
            for e in graph["edges"] if e["kind"] == kind}


def test_node_service_chain_is_linked(tmp_path):
    g = _graph("node-service", tmp_path)
    assert ("Dockerfile", "src/server.js") in _edges(g, "runs")
    assert ("docker-compose.yml", "src/server.js") in _edges(g, "runs")
    assert ("package.json", "src/server.js") in _edges(g, "runs")
    imports = _edges(g, "imports")
    assert ("src/server.js", "src/pool.js") in imports and ("src/worker.js", "src/codec.js") in imports
    assert ("src/pool.js", "src/worker.js") in _edges(g, "spawns")
    assert ("src/codec.js", "src/codec.wasm") in _edges(g, "loads-wasm")
    assert any(e["to"] is None and e["spec"] == "http" for e in g["edges"])


def test_monorepo_only_the_wasm_app_needs_flags(tmp_path):
    g = _graph("monorepo", tmp_path)
    assert ("apps/api/index.js", "apps/api/hash.wasm") in _edges(g, "loads-wasm")
    assert ("apps/admin/server.js", "apps/admin/render.js") in _edges(g, "imports")
    lines = (PROJECTS / "monorepo" / "expected.txt").read_text().splitlines()
    assert [l for l in lines if "[WL201]" in l and "apps/api/" in l]
    assert not [l for l in lines if "[WL201]" in l and "apps/admin/" in l]


def test_pthreads_glue_memory_is_read_from_the_js(tmp_path):
    work = materialise(PROJECTS / "pthreads-glue", tmp_path)
    rc, out, _ = run_cli(["inspect", "--format", "json", "dist/solver.js"], work)
    mem = [f for f in json.loads(out)["facts"] if f["kind"] == "js-memory"][0]
    assert (mem["initial_pages"], mem["maximum_pages"], mem["shared"]) == (2048, 32768, True)


def test_an_emcc_link_writes_its_glue_and_a_single_file_build_only_its_output(tmp_path):
    builds = _edges(_graph("emscripten-dist-copies", tmp_path), "builds")
    assert builds == {("Makefile", "dist/sph.wasm"), ("Makefile", "dist/sph.js"), ("Makefile", "dist/sph.single.js")}
