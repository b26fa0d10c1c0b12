"""Every fixture case, fixed: ``--fix`` (with ``--unsafe-fixes``) applied until
stable must leave no fixable finding, introduce no parse error (WL001), touch no
binary, and a second ``--fix`` must change nothing. Cases without fixes must
come out unchanged. A case's ``after-fix/`` files are what the fixes must leave,
and no fix may be left offered but unapplied."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_harness import AFTER_FIX, all_cases, case_args, materialise, run_cli


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".wasmlint_cache" not in p.parts}


@pytest.mark.parametrize("case", all_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixes_converge_and_keep_files_valid(case, tmp_path):
    work = materialise(case, tmp_path)
    args = [*case_args(case, case.parent.name), "--jobs", "1", "--output-format", "concise"]
    before = _files(work)
    rc, diff, err = run_cli(["check", *args, "--unsafe-fixes", "--diff", "."], work)
    assert rc in (0, 1) and "Traceback" not in err
    assert _files(work) == before                      # --diff writes nothing
    rc, out, err = run_cli(["check", *args, "--unsafe-fixes", "--fix", "."], work)
    assert rc in (0, 1) and "Traceback" not in err
    after = _files(work)
    changed = {p for p in after if after[p] != before.get(p)}
    assert not any(p.endswith(".wasm") for p in changed)
    assert changed == {line[len("+++ b/"):] for line in diff.splitlines() if line.startswith("+++ b/")}
    if not diff:
        assert after == before
    expect = case / AFTER_FIX
    for want in sorted(p for p in expect.rglob("*") if p.is_file()):
        rel = want.relative_to(expect).as_posix()
        assert after.get(rel, b"").decode() == want.read_text(), f"{rel} after --fix"
    assert "not applied" not in err
    rc2, _, err2 = run_cli(["check", *args, "--unsafe-fixes", "--diff", "."], work)
    assert rc2 == 0 and "no fixes to apply" in err2    # stable: nothing left to fix
    assert _files(work) == after
    _, remaining, _ = run_cli(["check", "--select", "WL001", "--no-cache", "--output-format", "concise", "."], work)
    _, originally, _ = run_cli(["check", "--select", "WL001", "--no-cache", "--output-format", "concise",
                                str(materialise(case, tmp_path / "orig"))], tmp_path / "orig")
    assert remaining.count("[WL001]") <= originally.count("[WL001]")
