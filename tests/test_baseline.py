"""``--baseline`` / ``--update-baseline``: adopt wasmlint on a project with
findings, then see only new ones; fingerprints survive line shifts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat

# a threaded module that defines its shared memory (wasm-ld --shared-memory, no --import-memory)
THREADS = '(module (memory 256 16384 shared))'
NGINX = """\
server {
    listen 80;
    root /var/www/app;

    location ~* \\.wasm$ {
        types { application/wasm wasm; }
    }
}
"""
ARGS = ["check", "--select", "WL101,WL308", "--no-cache", "--jobs", "1", "--output-format", "concise"]


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "threads.wasm").write_bytes(build_wat(THREADS))
    (tmp_path / "dist" / "app.wasm").write_bytes(build_wat('(module (memory (export "memory") 17))'))
    (tmp_path / "nginx.conf").write_text(NGINX, encoding="utf-8")
    return tmp_path


def test_missing_baseline_is_an_error(project):
    rc, out, err = run_cli([*ARGS, "--baseline", "wasmlint-baseline.json", "."], project)
    assert rc == 2 and out == ""
    assert "wasmlint-baseline.json: baseline file not found (create it with --update-baseline)" in err
    rc, _, err = run_cli([*ARGS, "--update-baseline", "."], project)
    assert rc == 2 and "--update-baseline needs --baseline FILE" in err


def test_not_a_baseline_is_an_error(project):
    (project / "b.json").write_text('{"findings": []}', encoding="utf-8")
    rc, _, err = run_cli([*ARGS, "--baseline", "b.json", "."], project)
    assert rc == 2 and "not a wasmlint baseline" in err


def test_adopt_then_report_only_new_findings(project):
    rc, _, err = run_cli([*ARGS, "--baseline", "wasmlint-baseline.json", "--update-baseline", "."], project)
    assert rc == 0 and "wrote 3 findings to the baseline wasmlint-baseline.json" in err
    doc = json.loads((project / "wasmlint-baseline.json").read_text(encoding="utf-8"))
    assert doc["wasmlint-baseline"] == 1
    assert [(e["path"], e["code"], e["count"]) for e in doc["findings"]] == [
        ("dist/app.wasm", "WL101", 1), ("dist/threads.wasm", "WL101", 1), ("nginx.conf", "WL308", 1)]
    rc, out, _ = run_cli([*ARGS, "--baseline", "wasmlint-baseline.json", "."], project)
    assert rc == 0 and out == ""

    # lines shift: the accepted finding stays accepted
    conf = project / "nginx.conf"
    conf.write_text("# web build\n# served by the edge proxy\n" + NGINX, encoding="utf-8")
    rc, out, _ = run_cli([*ARGS, "--baseline", "wasmlint-baseline.json", "."], project)
    assert rc == 0 and out == ""

    # a new finding in a text file and a changed binary are reported
    (project / "_headers").write_text("/*\n  X-Frame-Options: DENY\n", encoding="utf-8")
    (project / "dist" / "app.wasm").write_bytes(build_wat('(module (memory (export "memory") 17 4096))'))
    rc, out, err = run_cli([*ARGS, "--baseline", "wasmlint-baseline.json", "."], project)
    assert rc == 1
    assert out.splitlines() == [
        "_headers:1:1: warning: this _headers config serves a threaded WebAssembly build without "
        "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp: "
        "SharedArrayBuffer is unavailable, so its threads never start [WL308]",
        "dist/app.wasm:1:1: warning: memory 0 can grow: its maximum (4096 pages) is above its initial size "
        "(17 pages) [WL101]"]
    assert "1 baseline entry no longer occur" in err


def test_baseline_paths_are_relative_to_the_baseline_file(project):
    run_cli([*ARGS, "--baseline", "ci/wasmlint-baseline.json", "--update-baseline", "."], project)
    doc = json.loads((project / "ci" / "wasmlint-baseline.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in doc["findings"]} == {"../dist/app.wasm", "../dist/threads.wasm", "../nginx.conf"}
    # run from another folder: the same findings are recognised
    rc, out, _ = run_cli([*ARGS, "--baseline", "wasmlint-baseline.json", ".."], project / "ci")
    assert rc == 0 and out == ""


def test_the_baseline_holds_the_reported_finding_of_a_root_cause(project):
    """Copies of one module are one finding (rootcause.py): the baseline records it
    where it is reported, a new copy adds nothing, a different module is new."""
    (project / "dist" / "copy.wasm").write_bytes((project / "dist" / "app.wasm").read_bytes())
    run_cli([*ARGS, "--baseline", "b.json", "--update-baseline", "dist"], project)
    doc = json.loads((project / "b.json").read_text())
    assert [(e["path"], e["code"]) for e in doc["findings"]] == [("dist/app.wasm", "WL101"),
                                                                  ("dist/threads.wasm", "WL101")]
    (project / "dist" / "copy2.wasm").write_bytes((project / "dist" / "app.wasm").read_bytes())
    rc, out, _ = run_cli([*ARGS, "--baseline", "b.json", "dist"], project)
    assert (rc, out) == (0, "")
    (project / "dist" / "other.wasm").write_bytes(build_wat('(module (memory (export "memory") 18))'))
    rc, out, _ = run_cli([*ARGS, "--baseline", "b.json", "dist"], project)
    assert (rc, out) == (1, "dist/other.wasm:1:1: warning: memory 0 can grow: it declares no maximum [WL101]\n")
