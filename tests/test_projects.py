"""Whole small projects (cross-file rules, production scope): the default rule set's
concise output equals ``expected.txt`` beside each project (``expected.NAME.txt`` with
``args.NAME.txt``; related locations ``related.txt`` when there is one), and the graph
links what it should."""
from __future__ import annotations

import json
import os

import pytest

from tests.fixture_harness import FIXTURES, PROJECTS, check_related, materialise, run_cli


def _runs(project):
    """(args, expected file) of each run of a project: ``expected.txt`` with the
    default arguments, and ``expected.NAME.txt`` with the arguments of ``args.NAME.txt``
    (one per line), e.g. ``--scope all``."""
    out = [([], project / "expected.txt")]
    for exp in sorted(project.glob("expected.*.txt")):
        name = exp.name[len("expected."):-len(".txt")]
        out.append(((project / f"args.{name}.txt").read_text().split(), exp))
    return out


CASES = [(p.parent, *run) for p in sorted(PROJECTS.glob("*/expected.txt")) for run in _runs(p.parent)]


@pytest.mark.parametrize("project,args,exp_file", CASES,
                         ids=[f"{p.name}/{e.name}" for p, _, e in CASES])
def test_project(project, args, exp_file, tmp_path):
    work = materialise(project, tmp_path)
    rc, out, err = run_cli(["check", *args, "--output-format", "concise", "--no-cache", "--jobs", "1", "."], work)
    assert "Traceback" not in err and rc in (0, 1), err
    got = sorted(l for l in out.splitlines() if l.strip())
    if os.environ.get("WASMLINT_UPDATE_EXPECTED"):
        exp_file.write_text("".join(l + "\n" for l in got))
    assert got == sorted(l for l in exp_file.read_text().splitlines() if l.strip())
    if not args:
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
    # `require('http')` is node itself (the builtins real node lists), not an unresolved import
    assert not any(e["spec"] in ("http", "node:http") for e in g["edges"])


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


def test_a_loader_of_an_absent_build_output_meets_the_build_that_writes_it(tmp_path):
    """dist/ is gitignored: the module is not in the run, but the Makefile rule writes it."""
    work = materialise(FIXTURES / "WL103" / "loader-joins-dirname-to-build-output", tmp_path)
    rc, out, err = run_cli(["inspect", "--graph", "--format", "json", "."], work)
    assert rc == 0, err
    g = json.loads(out)
    assert ("src/solver.mjs", "dist/solver.wasm") in _edges(g, "loads-wasm")
    assert ("Makefile", "dist/solver.wasm") in _edges(g, "builds")
