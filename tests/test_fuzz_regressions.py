"""Replays every input the fuzzers (fuzz/) found a crash with: each one now runs
through its target without an exception. Inputs live in
tests/fuzz_regressions/<target>/, one file each, named for the bug."""
from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.targets import TARGETS

HERE = Path(__file__).parent / "fuzz_regressions"
CASES = sorted(p for p in HERE.glob("*/*") if p.is_file())


def test_every_regression_folder_names_a_target():
    assert CASES
    assert {p.parent.name for p in CASES} <= set(TARGETS)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_crash_input_no_longer_crashes(case):
    TARGETS[case.parent.name](case.read_bytes())
