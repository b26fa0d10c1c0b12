"""The warm path: an unchanged rerun of ``check`` is replayed, and any change to
what decided it (a file, a folder's entries, .gitignore, a configuration above the
tree, the environment, the arguments) runs the check again."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wasmlint import cli, pipeline, runmemo

PACKAGE = {"name": "svc", "scripts": {"start": "NODE_OPTIONS='--wasm-max-mem-pages=65536' node server.js"}}
SERVER = "const m = new WebAssembly.Memory({initial: 256});\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text(json.dumps(PACKAGE, indent=2))
    (root / "src" / "server.js").write_text(SERVER)
    (root / ".nvmrc").write_text("20\n")
    (root / ".wasmlint_cache").mkdir()   # made by the first run otherwise, which then is not stored
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "usercache"))
    monkeypatch.delenv("WASMLINT_OUTPUT_FORMAT", raising=False)
    monkeypatch.chdir(root)
    monkeypatch.setattr(runmemo, "RACY_NS", 0)   # these files were written a moment ago
    return root


def run(capsys, *argv):
    code = cli.main(["check", "--output-format", "concise", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def memos(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "usercache" / "wasmlint" / "runs").glob("*.json"))


def test_unchanged_rerun_is_replayed_exactly(project, capsys, monkeypatch, tmp_path):
    first = run(capsys, ".")
    assert first[0] == 1 and "[WL204]" in first[1] and "[WL101]" in first[1]
    assert len(memos(tmp_path)) == 1
    def refuse(*a, **k):
        raise AssertionError("the pipeline ran")
    monkeypatch.setattr(pipeline, "run_check", refuse)
    assert run(capsys, ".") == first


def test_changed_file_runs_again(project, capsys):
    run(capsys, ".")
    (project / "src" / "server.js").write_text(SERVER.replace("initial: 256", "initial: 256, maximum: 256"))
    code, out, _ = run(capsys, ".")
    assert "[WL101]" not in out and "[WL204]" in out


def test_new_file_in_a_folder_runs_again(project, capsys):
    run(capsys, ".")
    (project / "src" / "worker.js").write_text("const w = new WebAssembly.Memory({initial: 1});\n")
    _, out, _ = run(capsys, ".")
    assert "src/worker.js" in out


def test_gitignore_change_runs_again(project, capsys):
    _, before, _ = run(capsys, ".")
    assert "src/server.js" in before
    (project / ".gitignore").write_text("src/\n")
    _, out, _ = run(capsys, ".")
    assert "src/server.js" not in out


def test_configuration_above_the_tree_runs_again(project, capsys, tmp_path):
    _, before, _ = run(capsys, ".")
    assert "[WL101]" in before
    (tmp_path / ".wasmlint.toml").write_text('ignore = ["WL101"]\n')
    _, out, _ = run(capsys, ".")
    assert "[WL101]" not in out and "[WL204]" in out


def test_environment_change_runs_again(project, capsys, monkeypatch, tmp_path):
    run(capsys, ".")
    monkeypatch.setenv("WASMLINT_OUTPUT_FORMAT", "json")
    code = cli.main(["check", "."])
    out, _ = capsys.readouterr()
    assert code == 1 and json.loads(out)[0]["code"]
    assert len(memos(tmp_path)) == 2


def test_other_arguments_run_again(project, capsys):
    run(capsys, ".")
    _, out, _ = run(capsys, "--select", "WL101", ".")
    assert "[WL101]" in out and "[WL204]" not in out


def test_no_cache_neither_replays_nor_stores(project, capsys, tmp_path):
    run(capsys, "--no-cache", ".")
    assert memos(tmp_path) == []


def test_fix_runs_are_not_stored(project, capsys, tmp_path):
    run(capsys, "--fix", ".")
    assert memos(tmp_path) == []


def test_files_changed_just_before_the_run_are_not_trusted(project, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(runmemo, "RACY_NS", 2_000_000_000)
    run(capsys, ".")
    assert memos(tmp_path) == []


def test_corrupt_memo_runs_the_check(project, capsys, tmp_path):
    first = run(capsys, ".")
    [memo] = memos(tmp_path)
    memo.write_text("{not json")
    assert run(capsys, ".") == first
    doc = json.loads(memo.read_text())   # rewritten by the run
    assert doc["code"] == 1 and "[WL204]" in doc["stdout"]


def test_memo_of_another_key_is_not_replayed(project, capsys, tmp_path, monkeypatch):
    run(capsys, ".")
    [memo] = memos(tmp_path)
    doc = json.loads(memo.read_text())
    doc["material"] = doc["material"].replace('"."', '"elsewhere"')
    doc["stdout"] = "forged\n"
    memo.write_text(json.dumps(doc))
    _, out, _ = run(capsys, ".")
    assert "forged" not in out and "[WL204]" in out


def test_old_memos_are_pruned(project, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(runmemo, "KEEP", 2)
    for codes in ("WL101", "WL204", "WL201"):
        run(capsys, "--select", codes, ".")
    assert len(memos(tmp_path)) == 2


def test_unchanged_state_matches_and_removal_does_not(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x")
    sig = runmemo._signature(str(f))
    assert runmemo._signature(str(f)) == sig
    os.unlink(f)
    assert runmemo._signature(str(f)) is None
    assert runmemo._signature(str(tmp_path), runmemo.EXISTS) is True


def test_user_cache_files_of_old_installs_are_pruned(tmp_path):
    from wasmlint.usercache import prune
    for i in range(12):
        f = tmp_path / f"rules-{i:02d}.json"
        f.write_text("[]")
        os.utime(f, ns=(i * 10**9, i * 10**9))
    (tmp_path / "expressions-x.json").write_text("{}")
    prune(tmp_path, ".json", 8, prefix="rules-")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["expressions-x.json", *[f"rules-{i:02d}.json" for i in range(4, 12)]]
