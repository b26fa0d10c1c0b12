"""The per-file results cache (in the private user cache): same findings warm and
cold, invalidated by content, tolerant of corrupt or planted entries, never read
from or written into the checked tree, safe under concurrent runs, bypassed by
``--no-cache``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat
from wasmlint import pipeline
from wasmlint.cache import FORMAT, Cache, settings_key
from wasmlint.config import Config
from wasmlint.serial import SerialError, decode, encode
from wasmlint.sources import SourceFile, load_extractor
from wasmlint.suppress import scan

ROOT = Path(__file__).resolve().parent.parent
NGINX = """\
server {  # wasmlint: disable=WL101
    listen 80;
    root /var/www/app;
    location ~* \\.wasm$ { types { application/wasm wasm; } }
}
"""
ARGS = ["check", "--select", "WL004,WL101,WL103,WL308", "--jobs", "1", "--output-format", "concise", "."]


@pytest.fixture
def usercache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "usercache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "wasmlint" / "files"


@pytest.fixture
def project(tmp_path, usercache) -> Path:
    tmp_path = tmp_path / "project"
    tmp_path.mkdir()
    (tmp_path / ".git").mkdir()       # the project root
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "threads.wasm").write_bytes(build_wat('(module (memory 256 16384 shared))'))
    (tmp_path / "dist" / "app.wasm").write_bytes(build_wat('(module (memory (export "memory") 17))'))
    (tmp_path / "nginx.conf").write_text(NGINX, encoding="utf-8")
    return tmp_path


def _entries(usercache: Path) -> list[Path]:
    return sorted(p for p in (usercache / f"v{FORMAT}").rglob("*.json") if p.is_file())


def _tree(project: Path) -> list[str]:
    return sorted(str(p.relative_to(project)) for p in project.rglob("*"))


def test_warm_run_reads_the_cache_and_reports_the_same(project, usercache, monkeypatch):
    before = _tree(project)
    rc0, uncached, _ = run_cli([*ARGS[:-1], "--no-cache", "."], project)
    assert not usercache.exists()
    rc1, cold, _ = run_cli(ARGS, project)
    assert (cold, rc1) == (uncached, rc0) and rc0 == 1
    assert _tree(project) == before                  # nothing is written into the checked tree
    assert (usercache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(_entries(usercache)) == 3
    calls = []
    real = pipeline.analyze_file
    monkeypatch.setattr(pipeline, "analyze_file", lambda e, *a: calls.append(e.path) or real(e, *a))
    rc2, warm, _ = run_cli(ARGS, project)
    assert (warm, rc2) == (cold, rc1) and calls == []
    # a changed file is analysed again; the others still come from the cache
    (project / "nginx.conf").write_text(NGINX.replace("  # wasmlint: disable=WL101", ""), encoding="utf-8")
    rc3, changed, _ = run_cli(ARGS, project)
    assert calls == ["nginx.conf"]
    assert "unused suppression" not in changed and "[WL308]" in changed


def test_cross_file_findings_are_recomputed_from_cached_facts(project):
    run_cli(ARGS, project)
    (project / "dist" / "threads.wasm").unlink()
    _, out, _ = run_cli(ARGS, project)
    assert "[WL308]" not in out          # the threaded build is gone: nginx.conf is fine now


def test_corrupt_truncated_and_planted_entries_are_misses(project, usercache):
    _, cold, _ = run_cli(ARGS, project)
    entries = _entries(usercache)
    entries[0].write_text("{not json")
    entries[1].write_bytes(entries[1].read_bytes()[:40])
    doc = json.loads(entries[2].read_text())
    doc["value"] = {"facts": [{"$dc": ["os", "system", {"command": "touch pwned"}]}], "directives": []}
    entries[2].write_text(json.dumps(doc))
    _, warm, _ = run_cli(ARGS, project)
    assert warm == cold
    assert not (project / "pwned").exists()


@pytest.mark.parametrize("value", [
    [], {"facts": []}, {"facts": ["hello"], "directives": []}, {"facts": 5, "directives": []},
    {"facts": [], "directives": 7}, {"facts": [{"$dc": ["wasmlint.__main__", "x", {}]}], "directives": []},
    {"facts": [{"$dc": ["wasmlint.nonexistent_mod", "X", {}]}], "directives": []},
    {"facts": [{"$dc": ["wasmlint.facts", "Span", {"path": 5}]}], "directives": []},
])
def test_entries_of_the_wrong_shape_are_misses(project, usercache, value):
    """The shapes of the audit's F20: each one ended the run with an internal error."""
    _, cold, _ = run_cli(ARGS, project)
    for entry in _entries(usercache):
        doc = json.loads(entry.read_text())
        doc["value"] = value
        entry.write_text(json.dumps(doc))
    rc, warm, err = run_cli(ARGS, project)
    assert (rc, warm) == (1, cold) and "internal error" not in err


def test_a_cache_committed_in_the_tree_hides_nothing(project, usercache):
    """What the audit measured: a pull request commits cache entries that say "no facts".
    A fresh machine (an empty user cache) must report every finding."""
    _, expected, _ = run_cli([*ARGS[:-1], "--no-cache", "."], project)
    run_cli(ARGS, project)                                         # a run that fills the user cache
    planted = project / ".wasmlint_cache" / f"v{FORMAT}"
    for entry in _entries(usercache):                              # commit forged copies of every entry
        doc = json.loads(entry.read_text())
        doc["value"] = {"facts": [], "directives": []}
        dest = planted / entry.relative_to(usercache / f"v{FORMAT}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(doc))
    import shutil
    shutil.rmtree(usercache)                                       # a fresh machine
    rc, out, _ = run_cli(ARGS, project)
    assert rc == 1 and out == expected and "[WL101]" in out


def test_a_user_cache_inside_the_checked_tree_is_never_used(project, monkeypatch):
    """CI jobs point XDG_CACHE_HOME into the checkout; what the pull request committed there
    (cache entries, lark's pickled grammar tables) must not be read, and nothing is written."""
    inside = project / ".cache"
    planted = inside / "wasmlint" / "condition-grammar.lark-cache"
    planted.parent.mkdir(parents=True, mode=0o700)
    os.chmod(inside, 0o700)
    planted.write_bytes(b"0" * 64 + b"\n" + b"not a pickle")
    monkeypatch.setenv("XDG_CACHE_HOME", str(inside))
    before = _tree(project)
    rc, out, err = run_cli(ARGS, project)
    assert rc == 1 and "[WL101]" in out and "Traceback" not in err
    assert _tree(project) == before


def test_the_decoder_builds_only_wasmlint_dataclasses():
    for planted in ({"$dc": ["os", "system", {}]}, {"$dc": ["wasmlint.cache", "Cache", {}]},
                    {"$dc": ["subprocess", "Popen", {"args": "id"}]}):
        with pytest.raises(SerialError):
            decode(planted)


def test_facts_and_directives_round_trip_exactly(project):
    for name, kind in (("dist/threads.wasm", "wasm"), ("nginx.conf", "nginx")):
        data = (project / name).read_bytes()
        facts = load_extractor(kind)(SourceFile(name, kind, data, abspath=str(project / name)))
        assert facts
        stored = json.loads(json.dumps(encode(facts)))
        assert decode(stored) == facts
        assert [type(f) for f in decode(stored)] == [type(f) for f in facts]
    directives = scan("nginx.conf", "nginx", NGINX)
    assert decode(json.loads(json.dumps(encode(directives)))) == directives
    odd = {"pairs": [("a", 1)], 3: b"\x00asm", "$t": "not a tag", "set": frozenset({"x"})}
    assert decode(json.loads(json.dumps(encode(odd)))) == odd


def test_key_depends_on_settings_path_kind_and_content(tmp_path):
    policy = Config().policy
    assert settings_key(policy, False) != settings_key(policy, True)
    assert settings_key(policy, False) != settings_key({**policy, "max-file-bytes": 1}, False)
    assert settings_key(policy, False, project=tmp_path / "a") != settings_key(policy, False, project=tmp_path / "b")
    c = Cache(tmp_path, settings_key(policy, False))
    keys = {c.key("a.conf", "nginx", "0" * 64), c.key("b.conf", "nginx", "0" * 64),
            c.key("a.conf", "headers-file", "0" * 64), c.key("a.conf", "nginx", "1" * 64)}
    assert len(keys) == 4


def test_large_files_are_hashed_once_per_stat(tmp_path, monkeypatch):
    import hashlib
    import time as real_time

    from wasmlint import cache as cache_mod
    big = tmp_path / "big.wasm"
    big.write_bytes(build_wat("(module (memory 1 1))") + b"\0" * (2 << 20))
    truth = hashlib.sha256(big.read_bytes()).hexdigest()
    c = Cache(tmp_path / "usercache", "k")
    assert c.digest(str(big)) == truth
    assert not list((tmp_path / "usercache").rglob("stat/*/*"))     # changed just now: not memoised
    now = real_time.time_ns()
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: now + 10_000_000_000)
    assert c.digest(str(big)) == truth
    (memo,) = (tmp_path / "usercache").rglob("stat/*/*")
    assert memo.read_text() == truth
    memo.write_text("f" * 64)                  # the memo is what a later run with the same stat reads
    assert c.digest(str(big)) == "f" * 64
    replaced = tmp_path / "big.new"            # how editors and --fix write: a new file renamed over it
    replaced.write_bytes(big.read_bytes()[:-1] + b"\1")
    os.replace(replaced, big)
    assert c.digest(str(big)) == hashlib.sha256(big.read_bytes()).hexdigest() != truth


def _hashing_counted(monkeypatch) -> list[str]:
    """Each file ``cache.file_digest`` hashes, in order; files look older than two seconds."""
    import time as real_time

    from wasmlint import cache as cache_mod
    hashed, real_digest, now = [], cache_mod.file_digest, real_time.time_ns()
    monkeypatch.setattr(cache_mod.time, "time_ns", lambda: now + 10_000_000_000)
    monkeypatch.setattr(cache_mod, "file_digest", lambda p: (hashed.append(os.path.basename(p)), real_digest(p))[1])
    return hashed


def _cold(project: Path, analyze=None):
    from wasmlint.cache import cached_analysis
    from wasmlint.discover import discover
    policy = Config().policy
    entries = [e for e in discover([str(project)], []) if e.kind == "wasm"]
    run = analyze or (lambda todo, contents: pipeline._analyze_uncached(todo, policy, False, 1, False,
                                                                       lambda: None, contents))
    return cached_analysis(entries, policy, False, False, {}, project, lambda: None,
                           lambda todo, contents: run(todo, contents))


def test_a_cold_run_hashes_each_module_once(project, usercache, monkeypatch):
    """The lookup's SHA-256 of a module is its analysis's while the file's stat is the same."""
    import hashlib
    hashed = _hashing_counted(monkeypatch)
    results = _cold(project)
    assert sorted(hashed) == ["app.wasm", "threads.wasm"]
    truth = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (project / "dist").iterdir()}
    assert {Path(r.path).name: r.digest for r in results} == truth


def test_a_module_replaced_after_its_lookup_is_hashed_again(project, usercache, monkeypatch):
    """A cache entry is keyed by the bytes analysed: a module replaced between the lookup and
    the analysis (a new inode, as editors and builds write) is hashed again."""
    import hashlib
    hashed = _hashing_counted(monkeypatch)
    policy = Config().policy
    app = project / "dist" / "app.wasm"

    def replace_then_analyse(todo, contents):
        new = project / "dist" / "app.new"
        new.write_bytes(build_wat('(module (memory (export "memory") 18))'))
        os.replace(new, app)
        return pipeline._analyze_uncached(todo, policy, False, 1, False, lambda: None, contents)

    results = _cold(project, replace_then_analyse)
    assert sorted(hashed) == ["app.wasm", "app.wasm", "threads.wasm"]
    (got,) = [r for r in results if r.path.endswith("app.wasm")]
    assert got.digest == hashlib.sha256(app.read_bytes()).hexdigest()


def test_a_cache_that_cannot_be_written_is_skipped(project, usercache):
    usercache.parent.mkdir(parents=True, mode=0o700)
    usercache.write_text("a file where the cache folder should be\n")
    rc, out, err = run_cli(ARGS, project)
    _, uncached, _ = run_cli([*ARGS[:-1], "--no-cache", "."], project)
    assert rc == 1 and out == uncached and "Traceback" not in err


def test_two_concurrent_runs_share_the_cache_safely(tmp_path, usercache):
    tmp_path = tmp_path / "project"
    (tmp_path / ".git").mkdir(parents=True)
    for i in range(60):
        folder = tmp_path / f"svc{i:02d}"
        folder.mkdir()
        pages = 16 + i
        (folder / "app.wasm").write_bytes(build_wat(f'(module (memory (export "memory") {pages}))'))
        (folder / "nginx.conf").write_text(f"server {{  # wasmlint: disable=WL10{1 + 2 * (i % 2)}\n"
                                           f"    listen {8000 + i};\n}}\n")   # no two alike (rootcause.py)
    cmd = [sys.executable, "-m", "wasmlint", *ARGS[:-1], "--no-cache", "."]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(usercache.parent.parent)}
    expected = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True).stdout
    assert expected.count("\n") == 120
    cached = [c for c in cmd if c != "--no-cache"]
    procs = [subprocess.Popen(cached, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate() for p in procs]
    assert [o for o, _ in outs] == [expected, expected], [e for _, e in outs]
    assert len(_entries(usercache)) == 120
    assert not list(usercache.rglob(".tmp-*"))
    warm = subprocess.run(cached, cwd=tmp_path, env=env, capture_output=True, text=True).stdout
    assert warm == expected


def test_build_facts_store_their_file_index_once():
    """emcc facts keep their arguments' line index (fixes edit the file through it): the
    cache stores it once per file and rebuilds one shared object, so such files are cached."""
    path = Path(__file__).parent / "build_inputs" / "squoosh.mk"
    facts = load_extractor("makefile")(SourceFile("squoosh.mk", "makefile", path.read_bytes(),
                                                  abspath=str(path)))
    body = json.dumps(encode(facts))
    assert body.count('"$sh"') == 1 and body.count('"$ref"') > 1
    back = decode(json.loads(body))
    assert back == facts
    toks = [t for f in back if f.kind == "emcc-setting" for t in f.use.toks]
    assert toks and all(t.index is toks[0].index for t in toks)


def test_shared_objects_are_built_only_from_wasmlint_classes_that_declare_them():
    for planted in ({"$sh": [0, "os", "system", ["id"]]}, {"$sh": [0, "wasmlint.cache", "Cache", [".", ""]]},
                    {"$sh": [0, "wasmlint.facts", "Span", ["a"]]}, {"$ref": 0}, [{"$sh": [1, "x", "y", []]}]):
        with pytest.raises(SerialError):
            decode(planted)
