"""``check --deep`` (WL507) with the installed binaryen (scripts/install-binaryen.sh),
and how binaryen's failures are told apart, from its recorded real output."""
from __future__ import annotations

from pathlib import Path

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat
from wasmlint.config import Config
from wasmlint.deep import OptimizationSavings, _unsupported, classify_failure, measure
from wasmlint.evaluate import Context, evaluate
from wasmlint.ruleset import all_rules, find_rule

OUTPUT = Path(__file__).parent / "tool-output" / "binaryen"


def test_old_binaryen_cannot_read_newer_features():
    for name in ("108-relaxed-simd.stderr", "108-exnref.stderr"):
        what, detail = classify_failure((OUTPUT / name).read_text())
        assert what == "unreadable" and detail[0].startswith("[parse exception:")


def test_binaryen_names_the_features_a_module_needs():
    what, enables = classify_failure((OUTPUT / "132-relaxed-simd-features.stderr").read_text())
    assert what == "features" and enables == ["--enable-relaxed-simd", "--enable-simd"]


def test_unsupported_binaryen_is_a_wl003_info_not_a_finding():
    fact = _unsupported("engine.wasm", "binaryen 108", "binaryen 108 cannot read this module "
                        "([parse exception: invalid code after SIMD prefix: 261 (at 0:43)])")
    rules = [find_rule("WL003", all_rules()), find_rule("WL507", all_rules())]
    diags = evaluate(rules, [fact], Context(config=Config()))
    assert [(d.code, d.severity) for d in diags] == [("WL003", "info")]
    assert diags[0].message.startswith("binaryen 108 cannot read this module ([parse exception")
    assert "so WL507 (unoptimized-module) for this module was skipped; install it: npm install" in diags[0].message


def test_modules_with_newer_features_are_optimized_with_those_features(tmp_path):
    wasm = tmp_path / "simd.wasm"
    wasm.write_bytes(build_wat("relaxed_simd.wat"))
    before = wasm.read_bytes()
    facts = measure("simd.wasm", str(wasm), wasm.stat().st_size)
    assert wasm.read_bytes() == before          # never written in place
    [fact] = facts
    assert isinstance(fact, OptimizationSavings), fact
    assert fact.features == ["--enable-relaxed-simd", "--enable-simd"]
    assert fact.tool_version.startswith("binaryen ")
    assert fact.saved_percent == round(100 * (fact.size - fact.optimized_size) / fact.size, 1)
    assert fact.nodes_after <= fact.nodes_before   # --metrics before and after the passes


def test_check_deep_selects_wl507(tmp_path):
    unoptimized = Path(__file__).parent / "fixtures" / "WL507" / "unoptimized" / "module.wat"
    (tmp_path / "module.wasm").write_bytes(build_wat(unoptimized.read_text(encoding="utf-8")))
    rc, out, err = run_cli(["check", "--deep", "--output-format", "concise", "."], tmp_path)
    assert rc == 0, err                          # info only: not a failure at the default level
    assert "would shrink this module by" in out and out.rstrip().endswith("[WL507]")
    rc, out, _ = run_cli(["check", "--output-format", "concise", "."], tmp_path)
    assert "WL507" not in out                    # not selected by default


def test_features_named_inside_validator_messages_are_enabled():
    """binaryen 132 names a missing feature inside each validator error, not on a line of its own."""
    what, enables = classify_failure((OUTPUT / "132-inline-features.stderr").read_text())
    assert what == "features" and enables == ["--enable-bulk-memory-opt", "--enable-threads"]


def test_bulk_memory_and_atomics_modules_are_optimized_with_those_features(tmp_path):
    wasm = tmp_path / "threads.wasm"
    wasm.write_bytes(build_wat("bulk_atomics.wat"))
    [fact] = measure("threads.wasm", str(wasm), wasm.stat().st_size)
    assert isinstance(fact, OptimizationSavings), fact
    assert fact.features == ["--enable-bulk-memory-opt", "--enable-threads"]
