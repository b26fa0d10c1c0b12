"""WL106 agrees with real node: each fixture's loader is run (our own fixture
files, in a temporary copy) and instantiation fails with a LinkError exactly
where wasmlint reports the mismatch."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.fixture_harness import FIXTURES, materialise

CASES = sorted(p for p in (FIXTURES / "WL106").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_real_node_link_error_matches_the_verdict(case, tmp_path):
    node = shutil.which("node")
    assert node, "node is required (it is on every machine of this project)"
    work = materialise(case, tmp_path)
    proc = subprocess.run([node, "load.js"], cwd=work, capture_output=True, text=True, timeout=60)
    fires = bool((case / "expected.txt").read_text().strip())
    if fires:
        assert proc.returncode != 0 and "LinkError" in proc.stderr, proc.stderr
    else:
        assert proc.returncode == 0 and "instantiated" in proc.stdout, proc.stderr
