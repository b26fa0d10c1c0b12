"""One finding per root cause (wasmlint/rootcause.py) as a user meets it: the
summary counts findings, ``--fix`` applies the reported finding's fix,
suppressions apply where a finding is reported, a given file that is one of a
finding's places reports it."""
from __future__ import annotations

import json
from pathlib import Path

from tests.fixture_harness import FIXTURES, PROJECTS, materialise, run_cli

EMSCRIPTEN = PROJECTS / "emscripten-dist-copies"
CONCISE = ["check", "--no-cache", "--jobs", "1", "--output-format", "concise"]
GROWTH = "Makefile:11:2: warning: emcc link of `dist/sph.js` can grow: `ALLOW_MEMORY_GROWTH` is on, up to 32768 pages [WL101]"


def test_the_summary_and_statistics_count_findings_not_places(tmp_path):
    work = materialise(EMSCRIPTEN, tmp_path)
    rc, out, _ = run_cli(["check", "--no-cache", "--jobs", "1", "--output-format", "text", "."], work)
    assert rc == 1
    assert out.rstrip().splitlines()[-1] == ("Found 1 problem (1 warning). 1 hidden fix can be enabled with the "
                                             "`--unsafe-fixes` option.")
    assert "  = related: docs/sph.wasm:1:1: memory 0 may grow to 2 GiB (32768 pages), above the ios budget " \
           "of 128 MiB (an identical copy of the module)" in out
    rc, out, _ = run_cli(["check", "--no-cache", "--jobs", "1", "--statistics", "."], work)
    assert out == "    1  WL103  maximum-memory-over-budget\n"     # WL101's place folded in


def test_fix_edits_the_build_line_and_the_stale_binaries_are_then_their_own_finding(tmp_path):
    work = materialise(EMSCRIPTEN, tmp_path)
    wasm = (work / "dist" / "sph.wasm").read_bytes()
    rc, _, err = run_cli([*CONCISE, "--select", "WL101", "--fix", "--unsafe-fixes", "."], work)
    assert "fixed 1 problem in 1 file" in err
    assert (work / "Makefile").read_text().splitlines()[10] == "\t-sINITIAL_MEMORY=16842752"
    assert (work / "dist" / "sph.wasm").read_bytes() == wasm
    rc, out, _ = run_cli([*CONCISE, "--select", "WL101", "."], work)
    assert out == ("dist/sph.wasm:1:1: warning: memory 0 can grow: its maximum (32768 pages) is above its "
                   "initial size (256 pages) [WL101]\n")


def test_copies_of_a_text_file_are_one_finding_fixed_in_every_copy(tmp_path):
    work = materialise(FIXTURES / "WL213" / "identical-service-dockerfiles", tmp_path)
    rc, out, err = run_cli([*CONCISE, "--select", "WL213", "--diff", "."], work)
    assert [l for l in out.splitlines() if l.startswith("+++")] == [
        "+++ b/services/api/Dockerfile", "+++ b/services/indexer/Dockerfile", "+++ b/services/scheduler/Dockerfile"]
    run_cli([*CONCISE, "--select", "WL213", "--fix", "."], work)
    indexer = (work / "services" / "indexer" / "Dockerfile").read_bytes()
    assert b"ENV NODE_OPTIONS=--max-old-space-size=8192\r\n" in indexer and b"RUN export" not in indexer
    assert run_cli([*CONCISE, "--select", "WL213", "."], work)[1] == ""


def test_suppressing_the_build_line_removes_the_whole_finding(tmp_path):
    work = materialise(EMSCRIPTEN, tmp_path)
    make = work / "Makefile"
    make.write_text(make.read_text().replace("-sALLOW_MEMORY_GROWTH=1\n",
                                             "-sALLOW_MEMORY_GROWTH=1  # wasmlint: disable=WL101\n"))
    rc, out, _ = run_cli([*CONCISE, "--select", "WL101,WL004", "."], work)
    assert (rc, out) == (0, "")


def test_a_suppressed_copy_leaves_the_related_places_not_the_finding(tmp_path):
    work = materialise(EMSCRIPTEN, tmp_path)
    (work / ".wasmlint.toml").write_text('per-file-ignores = { "docs/**" = ["WL101"] }\n')
    rc, out, _ = run_cli(["check", "--no-cache", "--jobs", "1", "--output-format", "json",
                          "--select", "WL101,WL004", "."], work)
    (finding,) = json.loads(out)
    assert (finding["path"], finding["line"], finding["code"]) == ("Makefile", 11, "WL101")
    assert [r["path"] for r in finding["related"]] == ["dist/sph.single.js", "dist/sph.wasm"]


def test_without_a_build_the_next_copy_reports_what_a_suppressed_one_would(tmp_path):
    work = materialise(FIXTURES / "WL101" / "same-module-twice", tmp_path)
    (work / ".wasmlint.toml").write_text('per-file-ignores = { "javascript/draco_decoder.wasm" = ["WL101"] }\n')
    rc, out, _ = run_cli([*CONCISE, "--select", "WL101", "."], work)
    assert out.splitlines()[0] == ("javascript/npm/draco3d/draco_decoder.wasm:1:1: warning: memory 0 can grow: "
                                   "its maximum (32768 pages) is above its initial size (256 pages) [WL101]")


def test_a_given_file_reports_the_finding_it_is_a_place_of(tmp_path):
    work = materialise(EMSCRIPTEN, tmp_path)
    (work / ".git").mkdir()
    rc, out, _ = run_cli([*CONCISE, "--select", "WL101", "docs/sph.wasm"], work)
    assert (rc, out) == (1, GROWTH + "\n")
    rc, out, _ = run_cli([*CONCISE, "--select", "WL101", "docs/sph.js"], work)
    assert (rc, out) == (0, "")


def test_a_baseline_updated_for_one_place_holds_the_finding_once(tmp_path):
    work = materialise(EMSCRIPTEN, tmp_path)
    (work / ".git").mkdir()
    base = [*CONCISE, "--select", "WL101", "--baseline", "b.json"]
    run_cli([*base, "--update-baseline", "."], work)
    run_cli([*base, "--update-baseline", "docs/sph.wasm"], work)
    doc = json.loads((work / "b.json").read_text())
    assert [(e["path"], e["count"]) for e in doc["findings"]] == [("Makefile", 1)]
    assert run_cli([*base, "."], work)[:2] == (0, "")


def test_a_builds_rank_is_worked_out_once_per_link_however_many_findings_share_its_text(tmp_path, monkeypatch):
    """Links whose findings sit on one flag text (one variable of many recipes) are one group;
    ranking its members asks each link once whether it is a debug or a quiet build, not once
    per finding and again per comparison (a group of 3,000 links took a third of a second)."""
    from wasmlint import rootcause
    from wasmlint.config import Config
    from wasmlint.pipeline import run_check
    from wasmlint.ruleset import all_rules
    links = 40
    recipes = "".join(f"t{k}.js: t{k}.c\n\temcc -O3 $(FLAGS) -o $@ $<\n" for k in range(links))
    (tmp_path / "Makefile").write_text(
        "FLAGS = -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB -pthread\n"
        f"all: {' '.join(f't{k}.js' for k in range(links))}\n" + recipes)
    asked = []
    real = rootcause._debug_build
    monkeypatch.setattr(rootcause, "_debug_build", lambda fact: asked.append(id(fact)) or real(fact))
    result = run_check([str(tmp_path)], Config(root=tmp_path), all_rules(), jobs=1)
    shared = [d for d in result.diagnostics if d.code == "WL103"]     # WL101 folded in
    assert len(shared) == 1 and shared[0].span.line == 1      # one finding: the text all links share
    assert len(asked) == len(set(asked)) == links


def test_a_run_without_a_cache_hashes_only_the_modules_whose_size_another_module_has(tmp_path, monkeypatch):
    # a module's identity tells copies apart; a module no other one matches in size is no copy
    import wasmlint.cache
    from tests.wasmbuild import build_wat
    work = materialise(FIXTURES / "WL101" / "same-module-twice", tmp_path)
    wat = (FIXTURES / "WL101" / "same-module-twice" / "javascript" / "draco_decoder.wat").read_text()
    fork = work / "javascript" / "fork" / "draco_decoder.wasm"    # the same size, another export name
    fork.parent.mkdir()
    fork.write_bytes(build_wat(wat.replace('"decode"', '"encode"')))
    assert fork.stat().st_size == (work / "javascript" / "draco_decoder.wasm").stat().st_size
    hashed, digest = [], wasmlint.cache.file_digest
    monkeypatch.setattr(wasmlint.cache, "file_digest", lambda path: hashed.append(path) or digest(path))
    rc, out, _ = run_cli(["check", "--no-cache", "--jobs", "1", "--select", "WL101", "--output-format", "json",
                          "."], work)
    assert sorted(str(Path(p).relative_to(work)) for p in hashed) == [
        "javascript/draco_decoder.wasm", "javascript/fork/draco_decoder.wasm",
        "javascript/npm/draco3d/draco_decoder.wasm"]
    assert [(d["path"], [r["path"] for r in d["related"]]) for d in json.loads(out)] == [
        ("javascript/draco_decoder.wasm", ["javascript/npm/draco3d/draco_decoder.wasm"]),
        ("javascript/fork/draco_decoder.wasm", []),
        ("javascript/with_asserts/draco_decoder.wasm", [])]
