"""Replays every input the fuzzers (fuzz/) found a crash with: each one now runs
through its target without an exception. Inputs live in
tests/fuzz_regressions/<target>/, one file each, named for the bug."""
from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.targets import SOURCES, TARGETS
from wasmlint.config import Config
from wasmlint.discover import FileEntry
from wasmlint.pipeline import analyze_file

HERE = Path(__file__).parent / "fuzz_regressions"
CASES = sorted(p for p in HERE.glob("*/*") if p.is_file())


def test_every_regression_folder_names_a_target():
    assert CASES
    assert {p.parent.name for p in CASES} <= set(TARGETS)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_crash_input_no_longer_crashes(case):
    TARGETS[case.parent.name](case.read_bytes())


@pytest.mark.parametrize("case", [c for c in CASES if c.parent.name.startswith("source_")],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_pipeline_reads_crash_inputs_without_an_internal_error(case, tmp_path):
    kind = case.parent.name[len("source_"):].replace("_", "-")
    path = tmp_path / SOURCES[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(case.read_bytes())
    res = analyze_file(FileEntry(SOURCES[kind], str(path), kind, path.stat().st_size), Config().policy)
    assert res.digest and not [f for f in res.facts if "internal error" in getattr(f, "message", "")]
