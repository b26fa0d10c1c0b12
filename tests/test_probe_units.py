"""The probe's pieces without node: import/export types, ``--call`` typing, the
recommendation, recorded results read back, and the progress bar."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.wasmbuild import build_wat
from wasmlint.probe.facts import facts_from_result
from wasmlint.probe.setup import UsageError, parse_call
from wasmlint.probe.signatures import FuncType, read_types
from wasmlint.probe.verdicts import recommend
from wasmlint.progress import Progress
from wasmlint.sources import SourceFile
from wasmlint.sources.probe_result import extract

FIXTURES = Path(__file__).parent / "fixtures"


def test_emscripten_imports_become_a_stub_plan():
    types = read_types(build_wat("probe_emscripten.wat"))
    plan = {(i.module, i.name): i.to_json() for i in types.imports}
    assert plan[("env", "memory")] == {"module": "env", "name": "memory", "kind": "memory", "initial": 256,
                                       "maximum": 32768, "shared": False, "memory64": False}
    assert plan[("env", "__indirect_function_table")]["element"] == "funcref"
    assert plan[("env", "__stack_pointer")] == {"module": "env", "name": "__stack_pointer", "kind": "global",
                                                "type": "i32", "mutable": True}
    assert plan[("wasi_snapshot_preview1", "fd_seek")]["params"] == ["i32", "i64", "i32", "i32"]
    assert plan[("env", "emscripten_date_now")]["results"] == ["f64"]
    assert plan[("env", "_abort_js")]["results"] == []
    assert types.exports["checksum"] == FuncType(("i64",), ("i64",))
    assert types.exports["sum"] == FuncType(("i32", "i32"), ("i32",))


def test_gc_and_tag_types_are_read():
    types = read_types(build_wat("tags.wat"))
    tags = [i for i in types.imports if i.kind == "tag"]
    assert all(isinstance(t.func, FuncType) for t in tags)
    gc = read_types(build_wat("gc_types.wat"))  # struct/array types are skipped, not misread
    assert gc.imports == [] and gc.exports == {}


def test_call_arguments_are_typed_by_the_signature():
    exports = read_types(build_wat("probe_emscripten.wat")).exports
    assert parse_call("checksum:0x10", exports) == {"name": "checksum", "args": [{"type": "i64", "value": "16"}]}
    assert parse_call("sum:1024, 4", exports)["args"] == [{"type": "i32", "value": "1024"},
                                                          {"type": "i32", "value": "4"}]
    assert parse_call("__wasm_call_ctors", exports) == {"name": "__wasm_call_ctors", "args": []}
    with pytest.raises(UsageError, match="not a valid i32"):
        parse_call("sum:5000000000,1", exports)
    with pytest.raises(UsageError, match="takes 2 argument"):
        parse_call("sum:1", exports)
    with pytest.raises(UsageError, match="not an exported function"):
        parse_call("memory", exports)


def _recorded(case: str) -> dict:
    return json.loads(next((FIXTURES / case).glob("*.probe.json")).read_text())


def test_recommendation_needs_ten_percent_over_the_defaults():
    kernel = _recorded("WL903/cores-bound")   # a real recording: --no-liftoff ends the workload first
    rec = recommend(kernel)
    assert rec["flags"] == ["--no-liftoff"] and "with default flags" in rec["why"]
    close = json.loads(json.dumps(kernel))
    for fs in close["flag_sets"]:
        fs.update(compile_ms={"median": 1.0, "min": 1.0, "max": 1.0}, instantiate_ms=0.1,
                  first_call_ms=10.0 if fs["flags"] else 10.5, call_ms=1.0)
    rec = recommend(close)
    assert rec["flags"] == [] and "no flag set was 10% faster" in rec["why"]


def test_recommendation_must_beat_the_defaults_by_more_than_their_spread():
    kernel = _recorded("WL902/sub-floor-spread")   # a real recording with whole-run times
    default = next(fs for fs in kernel["flag_sets"] if not fs["flags"])
    liftoffless = next(fs for fs in kernel["flag_sets"] if fs["flags"] == ["--no-liftoff"])
    saving = sum(default[k] - liftoffless[k] for k in ("instantiate_ms", "first_call_ms", "call_ms")) \
        + default["compile_ms"]["median"] - liftoffless["compile_ms"]["median"]
    spread = default["total_ms"]["max"] - default["total_ms"]["min"]
    assert 0.1 * 16 < saving < spread        # 10% faster, but within the defaults' own noise
    rec = recommend(kernel)
    assert rec["flags"] == [] and f"run-to-run spread ({spread:.1f} ms)" in rec["why"]
    steady = json.loads(json.dumps(kernel))
    next(fs for fs in steady["flag_sets"] if not fs["flags"])["total_ms"].update(min=16.0, max=17.0)
    assert recommend(steady)["flags"] == ["--no-liftoff"]


def test_recommendation_is_never_a_testing_only_flag():
    kernel = _recorded("WL903/cores-bound")
    fast = json.loads(json.dumps(kernel))
    next(fs for fs in fast["flag_sets"] if fs["flags"] == ["--liftoff-only"]).update(first_call_ms=0.5, call_ms=1.0)
    rec = recommend(fast)
    assert rec["flags"] == ["--no-liftoff"]
    assert "`--liftoff-only` (" in rec["why"] and "is a testing-only flag (WL211)" in rec["why"]
    only = json.loads(json.dumps(fast))
    only["flag_sets"] = [fs for fs in only["flag_sets"] if fs["flags"] in ([], ["--liftoff-only"])]
    assert recommend(only)["flags"] == []


def test_recorded_results_with_wrong_types_give_no_measurements():
    broken = {"module": "x.wasm", "flag_sets": [{"flags": ["--no-liftoff", 3], "compile_ms": "fast",
                                                  "workers": [1], "compile_variance": "9"}],
              "allocation": {"ios": {"pages": "2048", "ok": False}, "android": 7}}
    facts = facts_from_result(broken, "x.probe.json")
    result, alloc = facts
    assert result.flags == ["--no-liftoff"] and result.compile_median_ms is None
    assert result.compile_variance is None and result.ratio is None
    assert alloc.target_name == "ios" and alloc.pages == 0 and alloc.failed


def test_recorded_result_source_points_at_entries_and_reports_bad_files():
    path = next((FIXTURES / "WL903/compile-per-worker").glob("*.probe.json"))
    facts = extract(SourceFile("engine.probe.json", "probe-result", path.read_bytes()))
    lines = [f.span.line for f in facts if f.kind == "probe-result"]
    text = path.read_text().splitlines()
    assert all(text[ln - 1].strip() == "{" for ln in lines) and len(set(lines)) == len(lines)
    bad = extract(SourceFile("x.probe.json", "probe-result", b'{"flag_sets": [\n  {"flags": [}]}'))
    assert bad[0].kind == "parse-error" and bad[0].span.line == 2
    other = extract(SourceFile("x.probe.json", "probe-result", b'{"name": "app"}'))
    assert "not a recorded probe result" in other[0].message


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_after_the_delay():
    quiet = io.StringIO()
    with Progress("checking files", 3, delay=0.0, stream=quiet) as p:
        for _ in range(3):
            p.advance()
    assert quiet.getvalue() == "" and p.done == 3
    term = _Terminal()
    with Progress("checking files", 3, delay=3600.0, stream=term) as p:
        p.advance()
    assert term.getvalue() == ""      # a run shorter than the delay shows nothing
    term = _Terminal()
    with Progress("probe", 2, delay=0.0, stream=term) as p:
        p.begin("no-liftoff: compile, run 1/2")
        p.begin("no-liftoff: compile, run 2/2")
        assert p.done == 1
    assert "no-liftoff: compile, run 2/2" in term.getvalue()


# ------------------------------------------------------------------ --write-config


def _write(tmp_path, name: str, text: str | None, flags: list[str]) -> str:
    from wasmlint.probe.writeconfig import write_policy_flags
    (tmp_path / ".git").mkdir(exist_ok=True)
    cfg = None
    if text is not None:
        (tmp_path / name).write_text(text)
        cfg = str(tmp_path / name)
    module = tmp_path / "dist" / "app.wasm"
    module.parent.mkdir(exist_ok=True)
    module.write_bytes(b"\0asm\1\0\0\0")
    written = write_policy_flags(cfg, module, flags)
    assert written == tmp_path / name
    return written.read_text()


def test_write_config_edits_toml_in_place(tmp_path):
    text = ('[project]\nname = "svc"\n\n[tool.wasmlint]\ntargets = ["node"]  # server only\n\n'
            '[tool.wasmlint.policy]\nworkload-mb = 64\nrequired-node-flags = ["preset:common-advice"]\n')
    out = _write(tmp_path, "pyproject.toml", text, ["--no-liftoff"])
    assert out == text.replace('["preset:common-advice"]', '["--no-liftoff"]')
    out = _write(tmp_path, ".wasmlint.toml", 'targets = ["ios"]\n', [])
    assert out == 'targets = ["ios"]\n\n[policy]\nrequired-node-flags = []\n'


def test_write_config_creates_the_project_file_when_there_is_none(tmp_path):
    assert _write(tmp_path, ".wasmlint.toml", None, ["--no-liftoff", "--no-wasm-lazy-compilation"]) == \
        '[policy]\nrequired-node-flags = ["--no-liftoff", "--no-wasm-lazy-compilation"]\n'


@pytest.mark.parametrize("before,after", [
    ("targets: [ios]\npolicy:\n  workload-mb: 64\n  required-node-flags: [preset:common-advice]  # old\n",
     'targets: [ios]\npolicy:\n  workload-mb: 64\n  required-node-flags: ["--no-liftoff"]  # old\n'),
    ("policy:\n    workload-mb: 64\n", 'policy:\n    required-node-flags: ["--no-liftoff"]\n    workload-mb: 64\n'),
    ("targets: [ios]", 'targets: [ios]\npolicy:\n  required-node-flags: ["--no-liftoff"]\n'),
])
def test_write_config_edits_yaml_at_the_entry(tmp_path, before, after):
    assert _write(tmp_path, ".wasmlint.yaml", before, ["--no-liftoff"]) == after


def test_write_config_refuses_what_it_cannot_edit(tmp_path):
    from wasmlint.config import ConfigError
    with pytest.raises(ConfigError, match="not a block mapping"):
        _write(tmp_path, ".wasmlint.yaml", "policy: {workload-mb: 64}\n", ["--no-liftoff"])
    assert (tmp_path / ".wasmlint.yaml").read_text() == "policy: {workload-mb: 64}\n"
