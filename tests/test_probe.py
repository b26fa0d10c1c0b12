"""``wasmlint probe`` end to end under the real node: a small hot kernel, a
module with thousands of functions, and Emscripten-style modules importing from
``env`` and ``wasi_snapshot_preview1``. Few runs, two workers: each probe takes
seconds. Numbers are checked for sanity and against each other (ratios,
orderings), never against absolute times."""
from __future__ import annotations

import json

import pytest

from tests.fixture_harness import run_cli
from tests.probe_modules import many_functions_wat, write_module

SMALL = ["--runs", "2", "--workers", "2", "--only-flags", "--target", "ios", "--format", "json"]
ISSUE_SHAPE = {"module", "node", "v8", "cores", "flag_sets", "allocation", "diagnostics", "recommendation"}
FLAG_SET_SHAPE = {"flags", "compile_ms", "compile_variance", "instantiate_ms", "first_call_ms", "call_ms", "workers"}
WORKERS_SHAPE = {"count", "single_ms", "multi_ms", "ratio", "expected_ratio", "shared_module_ms"}


def probe(tmp_path, module, *args) -> tuple[int, dict]:
    rc, out, err = run_cli(["probe", module.name, *SMALL, *args], tmp_path)
    assert rc in (0, 1), err
    return rc, json.loads(out)


def by_flags(result: dict) -> dict:
    return {tuple(fs["flags"]): fs for fs in result["flag_sets"]}


def check_sane(result: dict) -> None:
    assert ISSUE_SHAPE <= set(result)
    assert result["cores"] >= 1 and result["node"].startswith("v")
    assert set(result["recommendation"]) == {"flags", "why"}
    for fs in result["flag_sets"]:
        assert FLAG_SET_SHAPE <= set(fs) and "error" not in fs, fs
        c = fs["compile_ms"]
        assert 0 < c["min"] <= c["median"] <= c["max"]
        assert fs["compile_variance"] == pytest.approx(c["max"] / c["min"], rel=0.01)
        w = fs["workers"]
        assert WORKERS_SHAPE <= set(w) and w["count"] == 2
        assert w["expected_ratio"] == max(1.0, 2 / result["cores"])
        assert w["ratio"] == pytest.approx(w["multi_ms"] / w["single_ms"], rel=0.01)
        assert 0.2 < w["ratio"] < 50       # 2 workers: neither free nor pathological
    for name, a in result["allocation"].items():
        assert a["ok"], a
        # a Memory of p pages reserves at least its p pages of address space
        assert a["reserved_bytes"] >= a["pages"] * 65536


def test_hot_kernel_first_call_stays_in_liftoff(tmp_path):
    wasm = write_module(tmp_path, "probe_kernel")
    _, result = probe(tmp_path, wasm, "--call", "run:3000000", "--calls", "4", "--flags=--no-liftoff")
    check_sane(result)
    sets = by_flags(result)
    default, turbofan = sets[()], sets[("--no-liftoff",)]
    for fs in (default, turbofan):
        assert fs["first_call_ms"] > 0 and fs["call_ms"] > 0
    # No on-stack replacement: the first long call runs Liftoff code to the end, later
    # calls run TurboFan code (facts.md §3); with --no-liftoff the first call is optimized.
    assert default["call_ms"] < default["first_call_ms"]
    assert turbofan["first_call_ms"] < default["first_call_ms"]
    assert result["compile_only"] is False


def test_thousands_of_functions_eager_compile_moves_work_up_front(tmp_path):
    wasm = write_module(tmp_path, "many", many_functions_wat(3000))
    _, result = probe(tmp_path, wasm, "--call", "run:1", "--flags=--no-wasm-lazy-compilation")
    check_sane(result)
    sets = by_flags(result)
    lazy, eager = sets[()], sets[("--no-wasm-lazy-compilation",)]
    # facts.md §1: lazy compile is cheap and the first call pays; eager is the reverse.
    assert eager["compile_ms"]["median"] > lazy["compile_ms"]["median"]
    assert eager["first_call_ms"] < lazy["first_call_ms"]


def test_emscripten_style_imports_are_stubbed(tmp_path):
    wasm = write_module(tmp_path, "probe_emscripten")
    rc, result = probe(tmp_path, wasm, "--call", "sum:1024,4")
    check_sane(result)
    assert result["compile_only"] is False and result["instantiate_error"] is None
    assert result["call_error"] is None
    fs = result["flag_sets"][0]
    assert fs["instantiate_ms"] > 0 and fs["first_call_ms"] is not None
    # the stubs instantiate under ios's memory too; its 16 MiB memory in two more workers
    # may not fit there (WL905, tests/test_probe_target.py), nothing else is reported
    ios = result["under_target"]["ios"]
    assert ios["steps"][1] == {**ios["steps"][1], "name": "instantiate on the main thread", "ok": True}
    assert {d["code"] for d in result["diagnostics"]} <= {"WL905"}
    assert rc == (1 if result["diagnostics"] else 0)


def test_module_that_aborts_with_stubs_is_measured_compile_only(tmp_path):
    wasm = write_module(tmp_path, "probe_emscripten_assert")
    _, result = probe(tmp_path, wasm, "--call", "main:0,0")
    assert result["compile_only"] is True
    assert "unreachable" in result["instantiate_error"]
    fs = result["flag_sets"][0]
    assert fs["compile_ms"]["median"] > 0
    assert fs["instantiate_ms"] is None and fs["first_call_ms"] is None
    assert "to compile" in result["recommendation"]["why"]


def test_allocation_under_an_address_space_limit(tmp_path):
    wasm = write_module(tmp_path, "probe_kernel")
    rc, result = probe(tmp_path, wasm, "--workers", "1", "--runs", "1", "--ulimit-v", "8000000")
    entry = result["allocation"]["ios"]
    assert entry["ok"] and entry["under_ulimit"]["ulimit_kb"] == 8000000
    major = int(result["node"].lstrip("v").split(".")[0])
    wl904 = [d for d in result["diagnostics"] if d["code"] == "WL904"]
    if major <= 22:
        # facts.md §1, §6: the trap handler reserves ~10 GiB per Memory; under 8 GB every Memory fails
        assert entry["reserved_bytes"] > 8_000_000 * 1024
        assert entry["under_ulimit"]["ok"] is False and rc == 1
        assert "ulimit -v 8000000" in wl904[0]["message"]
    else:
        # node 24.19+ disables the trap handler itself under such a limit
        assert entry["under_ulimit"]["ok"] is True and not wl904


def test_rejected_flag_set_is_reported_not_run(tmp_path):
    wasm = write_module(tmp_path, "probe_kernel")
    _, result = probe(tmp_path, wasm, "--workers", "1", "--runs", "1", "--flags=--no-such-v8-flag")
    assert [fs["flags"] for fs in result["flag_sets"]] == [[]]
    skipped = result["skipped_flag_sets"]
    assert skipped[0]["flags"] == ["--no-such-v8-flag"] and "bad option" in skipped[0]["reason"]


def test_table_output_and_usage_errors(tmp_path):
    wasm = write_module(tmp_path, "probe_kernel")
    rc, out, err = run_cli(["probe", wasm.name, "--runs", "1", "--workers", "1", "--only-flags",
                            "--target", "ios"], tmp_path)
    assert rc == 0, err
    assert "probe_kernel.wasm on node" in out and "recommended:" in out and "ios" in out
    rc, _, err = run_cli(["probe", wasm.name, "--call", "run:1,2"], tmp_path)
    assert rc == 2 and "takes 1 argument" in err
    rc, _, err = run_cli(["probe", wasm.name, "--call", "nope"], tmp_path)
    assert rc == 2 and "exported functions: run" in err
    (tmp_path / "broken.wasm").write_bytes(b"\0asm\x01\0\0\0\x01\x05")
    rc, _, err = run_cli(["probe", "broken.wasm"], tmp_path)
    assert rc == 2 and "not a module node can compile" in err
    rc, _, err = run_cli(["probe", wasm.name, "--node", str(tmp_path / "no-node")], tmp_path)
    assert rc == 2 and "node not found" in err


def test_write_config_stores_the_recommendation(tmp_path):
    from wasmlint.config import load_config
    (tmp_path / ".git").mkdir()
    (tmp_path / ".wasmlint.toml").write_text('targets = ["ios"]\n\n[policy]\nrequired-node-flags = "preset:common-advice"\n')
    module = write_module(tmp_path, "probe_kernel")
    _, result = probe(tmp_path, module, "--call", "run:100000", "--flags=--no-liftoff", "--write-config")
    assert load_config(tmp_path / ".wasmlint.toml").policy["required-node-flags"] == result["recommendation"]["flags"]
    assert (tmp_path / ".wasmlint.toml").read_text().startswith('targets = ["ios"]\n\n[policy]\nrequired-node-flags = [')
