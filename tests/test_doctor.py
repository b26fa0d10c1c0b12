"""``wasmlint doctor``: tools, flag database, project versions, exit codes."""
from __future__ import annotations

import json

import pytest

from tests.fixture_harness import run_cli
from wasmlint import tools


@pytest.fixture
def no_wasm_opt(monkeypatch, tmp_path):
    monkeypatch.setenv("WASMLINT_WASM_OPT", str(tmp_path / "missing" / "wasm-opt"))
    tools.find_tool.cache_clear()
    tools.tool_version.cache_clear()
    yield
    tools.find_tool.cache_clear()
    tools.tool_version.cache_clear()


def _project(tmp_path):
    (tmp_path / ".nvmrc").write_text("v20.11.1\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM emscripten/emsdk:3.1.61 AS build\nWORKDIR /src\nCOPY . .\nRUN emcc -O2 main.c -o app.js\n\n"
        "FROM node:22-slim\nCOPY --from=build /src/app.js /src/app.wasm ./\nCMD [\"node\", \"app.js\"]\n")
    return tmp_path


def test_doctor_reports_tools_database_and_project_versions(tmp_path):
    rc, out, err = run_cli(["doctor", "--format", "json"], _project(tmp_path))
    assert rc == 0, err
    report = json.loads(out)
    node = next(t for t in report["tools"] if t["tool"] == "node")
    assert node["path"] and node["version"].startswith("v")
    assert "20" in report["node_flag_database"]["majors"]
    assert report["project"]["node"] == {"version": "v20.11.1", "from": ".nvmrc"}
    assert report["project"]["emscripten"] == {"version": "3.1.61", "from": "Dockerfile FROM"}


def test_doctor_fails_when_a_selected_rule_needs_a_missing_tool(tmp_path, no_wasm_opt):
    rc, out, _ = run_cli(["doctor", "--format", "json"], tmp_path)
    report = json.loads(out)
    wasm_opt = next(t for t in report["tools"] if t["tool"] == "wasm-opt")
    assert rc == 0 and wasm_opt["path"] is None and "npm install -g binaryen" in wasm_opt["install"]
    rc, out, _ = run_cli(["doctor", "--deep"], tmp_path)
    assert rc == 1 and "missing: wasm-opt" in out
