"""Build-file fixes: apply the edits a rule proposes, re-lint, and check that the
rule no longer fires and the file still parses (the fix is in the file's own syntax)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, run_cli
from wasmlint.toolchain.edits import apply_edits
from wasmlint.diagnostics import Edit
from wasmlint.facts import Span


def _diags(work: Path, code: str) -> list[dict]:
    rc, out, err = run_cli(["check", "--select", f"{code},WL001", "--output-format", "json", "--jobs", "1", "."], work)
    assert rc in (0, 1), err
    return json.loads(out)


def _apply_all(work: Path, code: str, applicability: set[str]) -> list[dict]:
    diags = [d for d in _diags(work, code) if d["code"] == code]
    by_file: dict[str, list[Edit]] = {}
    for d in diags:
        fix = d["fix"]
        assert fix is not None and fix["applicability"] in applicability, d
        for e in fix["edits"]:
            span = Span(e["path"], e["line"], e["column"], e["end_line"], e["end_column"])
            by_file.setdefault(e["path"], []).append(Edit(span, e["content"]))
    for path, edits in by_file.items():
        target = work / path
        target.write_text(apply_edits(target.read_text(encoding="utf-8"), edits), encoding="utf-8")
    return diags


@pytest.mark.parametrize("case,code,applicability,expect", [
    ("WL501/sqljs-legacy-names", "WL501", {"safe"},
     {"Makefile": ["\t-s ALLOW_TABLE_GROWTH=64 \\",
                   "\t-s INITIAL_MEMORY=128MB -s MAXIMUM_MEMORY=1GB -s ALLOW_MEMORY_GROWTH=1"]}),
    ("WL508/max-without-growth", "WL508", {"safe"},
     {"Makefile": ["\temcc -O3 -s ENVIRONMENT=$(ENVIRONMENT) -s INITIAL_MEMORY=64MB $< -o $@"]}),
    ("WL104/emcc-fixed-too-small", "WL104", {"unsafe"},
     {"Makefile": [f"EMFLAGS = -O2 -s TOTAL_MEMORY={4455 * 65536} -s MODULARIZE=1"]}),
    ("WL305/ffmpeg-mt-growth", "WL305", {"unsafe"},
     {"Makefile": ["LDFLAGS_MT := $(PROD_MT_CFLAGS) -sPTHREAD_POOL_SIZE=32 -sINITIAL_MEMORY=16MB"]}),
])
def test_fix_applies_and_silences_the_rule(case, code, applicability, expect, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / case, work)
    first = _apply_all(work, code, applicability)
    assert first, "the case must fire before the fix"
    after = _diags(work, code)
    assert [d for d in after if d["code"] == code] == []
    assert [d for d in after if d["code"] == "WL001"] == []
    for name, lines in expect.items():
        text = (work / name).read_text(encoding="utf-8")
        for line in lines:
            assert line in text.splitlines(), text


def test_growth_fix_uses_the_planned_size_and_the_files_spelling(tmp_path):
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "WL101" / "emcc-makefile-growth", work)
    (work / ".wasmlint.toml").write_text("[policy]\nworkload-mb = 64\n")
    _apply_all(work, "WL101", {"unsafe"})
    text = (work / "Makefile").read_text()
    assert "\t-s INITIAL_MEMORY=1844" not in text          # 1844 pages are written in bytes or MB
    assert f"\t-s INITIAL_MEMORY={1844 * 65536}" in text.splitlines()
    assert [d for d in _diags(work, "WL101") if d["code"] == "WL101"] == []


def test_flags_not_written_verbatim_get_a_suggestion(tmp_path):
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "WL102" / "emcc-cmake-large-initial", work)
    (work / "CMakeLists.txt").write_text(
        'set(GROW "ALLOW_MEMORY_GROWTH=1")\nadd_executable(app main.cc)\n'
        'target_link_options(app PRIVATE "SHELL:-s ${GROW}" -sINITIAL_MEMORY=64MB)\n')
    diags = [d for d in _diags(work, "WL101") if d["code"] == "WL101"]
    assert len(diags) == 1
    fix = diags[0]["fix"]
    assert fix["applicability"] == "suggestion" or fix["edits"]


@pytest.mark.parametrize("case,path,home", [
    # a workflow-wide RUSTFLAGS reaches the native clippy and test jobs too
    ("WL101/rustflags-shared-env-wasm-pack", ".github/workflows/ci.yml",
     "in a `RUSTFLAGS` set on this wasm build's command alone: the `RUSTFLAGS` here is also read by "
     "every other cargo command of its environment, native ones included"),
    ("WL512/makefile-rustflags", "Makefile", "in this command's `RUSTFLAGS`"),
    ("WL512/makefile-rustflags", ".cargo/config.toml", "in `[target.wasm32-unknown-unknown] rustflags`"),
])
def test_rust_memory_fix_puts_wasm_ld_options_where_no_native_linker_reads_them(case, path, home, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / case, work)
    fixes = [d["fix"]["description"] for d in _diags(work, "WL101") if d["code"] == "WL101" and d["path"] == path]
    assert len(fixes) == 1 and "-C link-arg=--max-memory=N" in fixes[0]
    assert fixes[0].endswith(home), fixes[0]


def test_fix_removes_a_list_element_with_its_separator_and_never_empties_a_call(tmp_path):
    # JS array, Python list, Rust `.arg(…)`: the element goes with its comma (a line that
    # holds only it goes whole); a method call's only argument cannot go, so no fix there
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "WL508/script-list-elements", work)
    diags = _diags(work, "WL508")
    fixable = {d["path"]: d["fix"] for d in diags if d["code"] == "WL508"}
    assert set(fixable) == {"scripts/build-kernel.mjs", "tools/build_codec.py", "xtask/src/main.rs"}
    assert fixable["xtask/src/main.rs"] is None
    for path in ("scripts/build-kernel.mjs", "tools/build_codec.py"):
        edits = [Edit(Span(path, e["line"], e["column"], e["end_line"], e["end_column"]), e["content"])
                 for e in fixable[path]["edits"]]
        target = work / path
        target.write_text(apply_edits(target.read_text(encoding="utf-8"), edits), encoding="utf-8")
    assert "  '-s', 'MODULARIZE=1', '-s', 'INITIAL_MEMORY=64MB'," in \
        (work / "scripts/build-kernel.mjs").read_text().splitlines()
    assert '    "-sINITIAL_MEMORY=64MB",\n    "-sENVIRONMENT=node",\n]' in (work / "tools/build_codec.py").read_text()
    after = [d["path"] for d in _diags(work, "WL508") if d["code"] in ("WL508", "WL001")]
    assert after == ["xtask/src/main.rs"]
