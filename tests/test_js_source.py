"""The JS source as a whole: prefilter, dialects, positions, and that each exact
fix, applied to the fixture, makes its rule quiet."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, run_cli
from wasmlint.sources import SourceFile
from wasmlint.sources.js import extract, wanted


def kinds(path: str, text: str) -> list[str]:
    return [f.kind for f in extract(SourceFile(path, "js", text.encode()))]


def test_prefilter_skips_files_that_cannot_matter():
    helper = "export function clamp(x, lo, hi) { return Math.min(hi, Math.max(lo, x)) }\n"
    assert not wanted(helper.encode())
    assert kinds("util.js", helper + "function broken( {") == []
    assert wanted(b"const w = new Worker('w.js')") and wanted(b'"AGFzbQEAAAAB"')


@pytest.mark.parametrize("path, text", [
    ("memory.ts", "export const memory: WebAssembly.Memory = new WebAssembly.Memory({ initial: 16 } as const);\n"),
    ("App.tsx", "export const App = () => <Canvas memory={new WebAssembly.Memory({ initial: 16 })} />;\n"),
    ("loader.cjs", "#!/usr/bin/env node\nconst memory = new WebAssembly.Memory({ initial: 16 });\n"),
])
def test_dialects(path, text):
    assert kinds(path, text) == ["js-memory"]


def test_columns_are_characters_and_offsets_bytes():
    text = "const é = 'π'; const m = new WebAssembly.Memory({ initial: 1 });\n"
    (mem,) = extract(SourceFile("a.js", "js", text.encode()))
    assert mem.span.column == text.index("new") + 1
    assert mem.span.offset == text.encode().index(b"new")


def apply_edits(text: str, edits: list[dict]) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e["line"], e["column"]), reverse=True):
        assert e["line"] == e["end_line"]
        line = lines[e["line"] - 1]
        lines[e["line"] - 1] = line[:e["column"] - 1] + e["content"] + line[e["end_column"] - 1:]
    return "\n".join(lines)


@pytest.mark.parametrize("case, code, expected_after", [
    ("WL101/js-no-maximum", "WL101", "{ initial: 17, maximum: 17 }"),
    ("WL111/number-initial", "WL111", "initial: 256n, maximum: 65536n"),
    ("WL301/execargv-v8-flags", "WL301", 'execArgv: ["--enable-source-maps"]'),
    ("WL301/env-node-options", "WL301", "NODE_OPTIONS: '--enable-source-maps'"),
])
def test_exact_fix_silences_the_rule(tmp_path, case, code, expected_after):
    work = tmp_path / "case"
    shutil.copytree(FIXTURES / case, work)
    args = ["check", "--select", code, "--output-format", "json", "."]
    _rc, out, _err = run_cli(args, work)
    diags = json.loads(out)
    assert diags and all(d["fix"]["applicability"] == "unsafe" and d["fix"]["edits"] for d in diags)
    by_file: dict[str, list] = {}
    for d in diags:
        for e in d["fix"]["edits"]:
            by_file.setdefault(e["path"], []).append(e)
    for rel, edits in by_file.items():
        p = work / rel
        p.write_text(apply_edits(p.read_text(), edits))
        if rel.endswith((".js", ".mjs", ".ts")):       # WL301 also edits the launch (package.json)
            assert expected_after in p.read_text()
    _rc, out, _err = run_cli(args, work)
    assert json.loads(out) == []


def test_generated_glue_gets_a_rebuild_suggestion_not_edits(tmp_path):
    _rc, out, _err = run_cli(["check", "--select", "WL101", "--output-format", "json", "."],
                             Path(FIXTURES / "WL101" / "bindgen-threaded-glue"))
    (diag,) = json.loads(out)
    assert diag["fix"]["applicability"] == "suggestion" and not diag["fix"]["edits"]
    assert "wasm-bindgen glue" in diag["fix"]["description"]


def test_a_pooled_run_sets_the_javascript_engine_up_before_its_workers_fork():
    # Workers forked after ``pipeline._prepare`` inherit the vocabulary's automaton and the
    # grammar instead of each building them at its first file; kinds without a source are passed over.
    from wasmlint import pipeline
    from wasmlint.js import parse, sites
    sites._automaton.cache_clear()
    parse.language.cache_clear()
    pipeline._prepare({"js", "no-such-kind", None})
    assert sites._automaton.cache_info().currsize == 1
    assert parse.language.cache_info().currsize == 1
