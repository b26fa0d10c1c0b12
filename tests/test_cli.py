"""The command line end to end: commands, formats, exit codes, no tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, materialise, run_cli
from tests.wasmbuild import build_wat
from wasmlint import __version__

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    (tmp_path / "app.wasm").write_bytes(build_wat('(module (memory (export "memory") 17))'))
    (tmp_path / "fixed.wasm").write_bytes(build_wat("(module (memory 16 16))"))
    return tmp_path


def test_python_dash_m_and_version():
    proc = subprocess.run([sys.executable, "-m", "wasmlint", "--version"], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == f"wasmlint {__version__}"


def test_check_is_the_default_command_and_exit_1_on_findings(project):
    rc, out, _ = run_cli(["--output-format", "concise", "."], project)
    assert rc == 1
    assert out.splitlines() == ["app.wasm:1:1: warning: memory 0 can grow: it declares no maximum [WL101]"]


def test_exit_0_when_clean_and_exit_zero_flag(project):
    rc, out, _ = run_cli(["check", "fixed.wasm"], project)
    assert rc == 0 and "All checks passed" in out
    rc, _, _ = run_cli(["check", "--exit-zero", "."], project)
    assert rc == 0


def test_fail_on_error_ignores_warnings(project):
    rc, _, _ = run_cli(["check", "--fail-on", "error", "."], project)
    assert rc == 0


def test_json_shape(project):
    rc, out, _ = run_cli(["check", "--output-format", "json", "."], project)
    data = json.loads(out)
    assert rc == 1 and len(data) == 1
    d = data[0]
    assert set(d) == {"code", "name", "severity", "message", "path", "line", "column", "end_line",
                      "end_column", "offset", "target", "scope", "related", "fix", "url"}
    assert (d["code"], d["name"], d["severity"], d["path"]) == ("WL101", "growable-memory", "warning", "app.wasm")
    assert d["offset"] > 8 and d["target"] is None and d["scope"] == "unknown" and d["related"] == []
    assert d["fix"]["applicability"] == "suggestion" and d["fix"]["edits"] == []
    assert d["url"].endswith("WL101") or "WL101" in d["url"]


def test_text_format_shows_hex_frame_and_fix(project):
    rc, out, _ = run_cli(["check", "--output-format", "text", "app.wasm"], project)
    assert "warning[WL101]" in out
    assert "0x00000000" in out and "<--" in out
    assert "help: Pin maximum = initial" in out
    assert "Found 1 problem (1 warning)." in out


def test_output_format_from_environment(project, monkeypatch):
    monkeypatch.setenv("WASMLINT_OUTPUT_FORMAT", "json")
    rc, out, _ = run_cli(["check", "."], project)
    assert json.loads(out)[0]["code"] == "WL101"


def test_target_repeat_and_comma_list(tmp_path):
    (tmp_path / "big.wasm").write_bytes(build_wat("(module (memory 3000 3000))"))
    rc, out, _ = run_cli(["check", "--select", "WL102", "--target", "ios", "--target", "android,desktop",
                          "--output-format", "concise", "."], tmp_path)
    assert rc == 1
    assert out.splitlines() == [
        "big.wasm:1:1: error: memory 0 starts at 187.5 MiB (3000 pages), above the ios budget of "
        "128 MiB (2048 pages) [WL102]"]


def test_select_by_name_prefix_and_ignore(project):
    rc, out, _ = run_cli(["check", "--select", "growable-memory", "--output-format", "concise", "."], project)
    assert "[WL101]" in out
    rc, out, _ = run_cli(["check", "--select", "WL1", "--ignore", "WL101", "."], project)
    assert rc == 0


def test_inspect_json_memory_fact(project):
    rc, out, _ = run_cli(["inspect", "app.wasm", "--format", "json"], project)
    assert rc == 0
    data = json.loads(out)
    assert data["path"] == "app.wasm" and data["kind"] == "wasm"
    mem = [f for f in data["facts"] if f["kind"] == "memory"][0]
    assert {k: mem[k] for k in ("index", "origin", "import", "initial_pages", "maximum_pages", "shared",
                                "memory64", "exported_as")} == {
        "index": 0, "origin": "defined", "import": None, "initial_pages": 17, "maximum_pages": None,
        "shared": False, "memory64": False, "exported_as": ["memory"]}
    assert mem["span"]["offset"] is not None


def test_inspect_table_and_several_paths(project):
    rc, out, _ = run_cli(["inspect", "app.wasm", "fixed.wasm", "--format", "json"], project)
    assert [e["path"] for e in json.loads(out)] == ["app.wasm", "fixed.wasm"]
    rc, out, _ = run_cli(["inspect", "app.wasm"], project)
    assert rc == 0 and "memory" in out and "wasm-module" in out


def test_rule_command(project):
    rc, out, _ = run_cli(["rule", "growable-memory"], project)
    assert rc == 0 and out.startswith("# WL101 growable-memory") and "## Why it matters" in out
    rc, out, _ = run_cli(["rule", "--all"], project)
    assert rc == 0 and "WL101" in out and "WL002*" in out
    rc, _, err = run_cli(["rule", "WL000"], project)
    assert rc == 2 and "no rule" in err


def test_missing_path_is_reported_not_a_crash(project):
    rc, out, err = run_cli(["check", "--output-format", "concise", "nope.wasm"], project)
    assert "Traceback" not in err
    assert out.startswith("nope.wasm:1:1: error: no such file or directory [WL001]")


def test_broken_files_do_not_stop_the_run(tmp_path):
    (tmp_path / "a.wasm").write_bytes(b"\0asm\x01\0\0\0\x05\xff\xff\xff\xff\x0f")
    (tmp_path / "b.wasm").write_bytes(build_wat("(module (memory 1))"))
    rc, out, err = run_cli(["check", "--output-format", "concise", "."], tmp_path)
    lines = out.splitlines()
    assert any(l.startswith("a.wasm:1:1: error: malformed WebAssembly module") and "[WL001]" in l for l in lines)
    assert any(l.startswith("b.wasm:1:1: warning:") for l in lines)
    assert "Traceback" not in err


def test_inspect_says_a_configure_template_is_not_analysed():
    case = FIXTURES / "WL001" / "configure-templates"
    rc, out, _ = run_cli(["inspect", "cmake/tilemap-config.cmake", "cmake/tilemapTargets.cmake.in",
                          "web/Makefile.in", "--format", "json"], case)
    assert rc == 0
    notes = {e["path"]: [(f["kind"], f["reason"], f["detail"], f["span"]["line"]) for f in e["facts"]]
             for e in json.loads(out)}
    assert notes == {
        "cmake/tilemap-config.cmake": [("not-analysed", "template", "configure placeholder `@PACKAGE_INIT@`: "
                                        "the file is the input of `configure_file()`, not the file it writes", 1)],
        "cmake/tilemapTargets.cmake.in": [("not-analysed", "template", "configure template: `configure` or "
                                           "CMake's `configure_file()` writes `tilemapTargets.cmake` from it", 1)],
        "web/Makefile.in": [("not-analysed", "template", "configure template: `configure` or "
                             "CMake's `configure_file()` writes `Makefile` from it", 1)],
    }


def test_inspect_says_a_template_is_not_analysed():
    case = FIXTURES / "WL001" / "cargo-generate-template"
    rc, out, _ = run_cli(["inspect", "Cargo.toml", ".github/workflows/ci.yml", "--format", "json"], case)
    assert rc == 0
    notes = {e["path"]: [(f["kind"], f["reason"], f["detail"], f["span"]["line"]) for f in e["facts"]]
             for e in json.loads(out)}
    assert notes == {
        "Cargo.toml": [("not-analysed", "template",
                        "template tag `{{project-name}}`: the file is generated from it", 2)],
        ".github/workflows/ci.yml": [("not-analysed", "template",
                                      "template tag `{{project-name}}`: the file is generated from it", 1)],
    }


def test_inspect_says_a_python_2_build_script_is_not_read():
    """Python 2 is Python of another release (Broadway's Decoder/make.py): a note, not WL001."""
    case = FIXTURES / "WL001" / "python-2-build-script"
    rc, out, _ = run_cli(["inspect", "Decoder/make.py", "legacy_build.py", "--format", "json"], case)
    assert rc == 0
    notes = {e["path"]: [(f["kind"], f["reason"], f["detail"].split(",")[0], f["span"]["line"]) for f in e["facts"]]
             for e in json.loads(out)}
    assert notes == {
        "Decoder/make.py": [("not-analysed", "other-python", "a Python 2 `except E", 19)],
        "legacy_build.py": [("not-analysed", "other-python", "a Python 2 `print` statement", 5)],
    }


def test_inspect_says_a_flow_file_is_not_read():
    """A `// @flow` file that is not JavaScript as it stands (flow-typed stubs): a note, not WL001."""
    case = FIXTURES / "WL001" / "flow-annotated-js"
    rc, out, _ = run_cli(["inspect", "flow-typed/npm/wasm-codec_v1.x.x.js", "--format", "json"], case)
    assert rc == 0
    entry = json.loads(out)          # one file: one object
    assert [(f["kind"], f["reason"], f["detail"].split(":")[0]) for f in entry["facts"]] == [
        ("not-analysed", "flow", "Flow type annotations (`@flow`)")]


def test_inspect_reads_a_script_within_its_project(tmp_path):
    """A script run from the top folder sources `./buildscripts/…` relative to it: `inspect`
    of the script alone reads it within its project, as `check FILE` does."""
    case = materialise(FIXTURES / "WL501" / "sourced-options-from-project-root", tmp_path)
    (case / ".git").mkdir()                     # the project's root
    rc, out, _ = run_cli(["inspect", "buildscripts/compileDecoderMT.sh", "--format", "json"], case)
    assert rc == 0
    links = [f for f in json.loads(out)["facts"] if f["kind"] == "emcc-invocation"]
    assert [(f["output"], f["settings"]) for f in links] == [(
        "build/decoder-mt.js", {"MODULARIZE": 1, "INVOKE_RUN": 0, "FILESYSTEM": 0, "PTHREAD_POOL_SIZE": 2,
                                "MAXIMUM_MEMORY": 536870912, "EXPORT_NAME": "VideoDecoderMT"})]
