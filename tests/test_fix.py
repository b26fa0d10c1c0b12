"""``--fix``, ``--diff`` and the fix loop, on real rules: WL004's safe fix
(removing unused suppressions) in nginx and Netlify ``_headers`` files, next to
binaries that must never be edited."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat
from wasmlint.config import Config
from wasmlint.diagnostics import Diagnostic, Edit, Fix
from wasmlint.facts import Span
from wasmlint.fix import run_fixes, write_changes
from wasmlint.pipeline import run_check
from wasmlint.ruleset import all_rules, select_rules

# a threaded module that defines its shared memory (wasm-ld --shared-memory, no --import-memory)
THREADS = '(module (memory 256 16384 shared))'
NGINX = """\
# Static hosting for the web build.
server {  # wasmlint: disable=WL101,WL308
    listen 80;
    root /var/www/app;
    add_header Cross-Origin-Opener-Policy "same-origin" always;
    add_header Cross-Origin-Embedder-Policy "require-corp" always;

    # wasmlint: disable-next-line=threads-without-isolation
    location ~* \\.wasm$ {
        types { application/wasm wasm; }
    }
}
"""
NGINX_FIXED = """\
# Static hosting for the web build.
server {
    listen 80;
    root /var/www/app;
    add_header Cross-Origin-Opener-Policy "same-origin" always;
    add_header Cross-Origin-Embedder-Policy "require-corp" always;

    location ~* \\.wasm$ {
        types { application/wasm wasm; }
    }
}
"""
HEADERS = """\
# Netlify headers for the app
# wasmlint: disable-file=WL308,WL004x
/*
  Cross-Origin-Opener-Policy: same-origin
  X-Frame-Options: DENY
"""
ARGS = ["check", "--select", "WL004,WL308,WL101", "--no-cache", "--jobs", "1", "--output-format", "concise"]


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "threads.wasm").write_bytes(build_wat(THREADS))
    (tmp_path / "nginx.conf").write_text(NGINX, encoding="utf-8")
    (tmp_path / "_headers").write_text(HEADERS, encoding="utf-8")
    return tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_diff_prints_the_fixes_and_changes_nothing(project):
    before = _snapshot(project)
    rc, out, err = run_cli([*ARGS, "--diff", "."], project)
    assert rc == 1
    assert "--- a/nginx.conf\n+++ b/nginx.conf\n" in out
    assert "-server {  # wasmlint: disable=WL101,WL308\n+server {\n" in out
    assert "-    # wasmlint: disable-next-line=threads-without-isolation\n" in out
    assert "-# wasmlint: disable-file=WL308,WL004x\n+# wasmlint: disable-file=WL308\n" in out
    assert "threads.wasm" not in out
    assert "3 fixes would change 2 files" in err
    assert _snapshot(project) == before


def test_fix_applies_merges_rewrites_and_reports_what_remains(project):
    os.chmod(project / "nginx.conf", 0o640)
    rc, out, err = run_cli([*ARGS, "--fix", "."], project)
    assert (project / "nginx.conf").read_text(encoding="utf-8") == NGINX_FIXED
    assert (project / "_headers").read_text(encoding="utf-8").splitlines()[1] == "# wasmlint: disable-file=WL308"
    assert stat.S_IMODE(os.stat(project / "nginx.conf").st_mode) == 0o640
    assert "fixed 3 problems in 2 files" in err
    # what remains is printed: the binary's finding, which has no edit
    assert out.splitlines() == [
        "dist/threads.wasm:1:1: warning: memory 0 can grow: its maximum (16384 pages) "
        "is above its initial size (256 pages) [WL101]"]
    assert rc == 1
    assert not [p for p in project.rglob("*.wasmlint-tmp")]


def test_fix_twice_changes_nothing_the_second_time(project):
    run_cli([*ARGS, "--fix", "."], project)
    after_first = _snapshot(project)
    rc, out, err = run_cli([*ARGS, "--fix", "."], project)
    assert _snapshot(project) == after_first
    assert "fixed" not in err
    rc, out, err = run_cli([*ARGS, "--diff", "."], project)
    assert rc == 0 and out == "" and "no fixes to apply" in err


def test_only_the_given_file_is_fixed_with_its_project_as_context(project):
    (project / ".git").mkdir()
    rc, out, _ = run_cli([*ARGS, "--fix", "_headers"], project)
    assert (project / "nginx.conf").read_text(encoding="utf-8") == NGINX
    # the threaded binary (context) makes WL308 fire in _headers, so its selector stays
    assert (project / "_headers").read_text(encoding="utf-8").splitlines()[1] == "# wasmlint: disable-file=WL308"
    assert rc == 0 and out == ""


def _check(project: Path):
    rules = select_rules(all_rules(), ["WL004", "WL308", "WL101"], [])
    cwd = os.getcwd()

    def check(overlay):
        os.chdir(project)
        try:
            return run_check(["."], Config(root=project), rules, jobs=1, overlay=overlay)
        finally:
            os.chdir(cwd)
    return check


def test_a_file_changed_on_disk_after_it_was_read_is_not_written(project):
    run = run_fixes(_check(project), lambda result, overlay: result.diagnostics)
    assert {c.path for c in run.changed} == {"nginx.conf", "_headers"}
    edited_meanwhile = NGINX.replace("listen 80;", "listen 8080;")
    (project / "nginx.conf").write_text(edited_meanwhile, encoding="utf-8")
    refused = write_changes(run)
    assert refused == [f"{project / 'nginx.conf'}: changed on disk since it was read; not written"]
    assert (project / "nginx.conf").read_text(encoding="utf-8") == edited_meanwhile
    assert "WL004x" not in (project / "_headers").read_text(encoding="utf-8")


def test_fixes_touching_binaries_embedded_modules_or_unread_files_are_skipped_whole(project):
    """The engine's guards, with hand-made fixes next to the real findings."""
    (project / "notes.txt").write_text("not a file wasmlint reads\n", encoding="utf-8")
    check = _check(project)
    nginx_edit = Edit(Span("nginx.conf", 1, 1, 1, 1), "# edited\n")
    bad = [Edit(Span("dist/threads.wasm", 1, 1, 1, 2), "x"),
           Edit(Span("nginx.conf#wasm@12", 1, 1, 1, 1), "x"),
           Edit(Span("notes.txt", 1, 1, 1, 1), "x")]

    def with_injected(overlay):
        result = check(overlay)
        for e in bad:   # each together with a valid edit: the whole fix must be skipped
            result.diagnostics.append(Diagnostic("WL101", "growable-memory", "warning", "injected",
                                                 e.span, fix=Fix("injected", "safe", (nginx_edit, e))))
        return result

    run = run_fixes(with_injected, lambda result, overlay: result.diagnostics)
    write_changes(run)
    assert (project / "nginx.conf").read_text(encoding="utf-8") == NGINX_FIXED
    assert (project / "dist" / "threads.wasm").read_bytes() == build_wat(THREADS)
    assert (project / "notes.txt").read_text(encoding="utf-8") == "not a file wasmlint reads\n"


def test_unsafe_fixes_need_the_flag_and_suggestions_never_apply(project):
    check = _check(project)
    edit = Edit(Span("nginx.conf", 1, 1, 1, 1), "# unsafe\n")

    def make(applicability):
        def inner(overlay):
            result = check(overlay)
            if not overlay:
                result.diagnostics = [Diagnostic("WL308", "threads-without-isolation", "warning", "x",
                                                 Span("nginx.conf", 1, 1), fix=Fix("t", applicability, (edit,)))]
            else:
                result.diagnostics = []
            return result
        return inner

    assert run_fixes(make("unsafe"), lambda r, o: r.diagnostics).changed == []
    assert run_fixes(make("suggestion"), lambda r, o: r.diagnostics, unsafe=True).changed == []
    run = run_fixes(make("unsafe"), lambda r, o: r.diagnostics, unsafe=True)
    assert [c.text.text.splitlines()[0] for c in run.changed] == ["# unsafe"]


def test_a_fix_that_never_converges_stops_after_the_bounded_rounds(project):
    check = _check(project)

    def always(overlay):
        result = check(overlay)
        result.diagnostics = [Diagnostic("WL308", "threads-without-isolation", "warning", "x",
                                         Span("nginx.conf", 1, 1),
                                         fix=Fix("t", "safe", (Edit(Span("nginx.conf", 1, 1, 1, 1), "#"),)))]
        return result

    run = run_fixes(always, lambda r, o: r.diagnostics, max_rounds=4)
    assert run.rounds == 4 and not run.stable
    assert run.changed[0].text.text.startswith("#####")
    assert "after 4 rounds" in run.notes[0]


def _inject(monkeypatch, *diags):
    """Findings added to every run of the real pipeline, as a rule would report them."""
    import wasmlint.pipeline as pipeline
    real = pipeline.run_check

    def run_check(*args, **kw):
        result = real(*args, **kw)
        text = (Path(os.getcwd()) / "nginx.conf").read_text(encoding="utf-8")
        overlay = kw.get("overlay") or {}
        text = next((v.decode() for k, v in overlay.items() if k.endswith("nginx.conf")), text)
        result.diagnostics += [d for d in diags if "listen 80;" in text]
        return result
    monkeypatch.setattr(pipeline, "run_check", run_check)


def _finding(*edits) -> Diagnostic:
    return Diagnostic("WL308", "threads-without-isolation", "warning", "injected", Span("nginx.conf", 3, 5),
                      fix=Fix("t", "safe", tuple(edits)))


def test_overlapping_edits_of_one_fix_are_one_edit(project, monkeypatch):
    # two removals that share the blank between them (as two flags removed each with its separator)
    _inject(monkeypatch, _finding(Edit(Span("nginx.conf", 3, 5, 3, 12), ""),
                                  Edit(Span("nginx.conf", 3, 11, 3, 15), "")))
    rc, _, err = run_cli([*ARGS, "--fix", "."], project)
    assert "not applied" not in err
    assert (project / "nginx.conf").read_text(encoding="utf-8").splitlines()[2] == "    "


def test_a_fix_that_cannot_be_applied_is_reported_not_dropped(project, monkeypatch):
    _inject(monkeypatch, _finding(Edit(Span("nginx.conf", 99, 1, 99, 2), "x")))
    rc, out, err = run_cli([*ARGS, "--fix", "."], project)
    assert "nginx.conf:3:5: fix of WL308 not applied: nginx.conf: position 99:1 is outside the file" in err
    assert "nginx.conf:3:5: warning: injected [WL308]" in out


def test_a_check_builds_the_fixes_of_the_findings_it_shows_when_they_are_read(tmp_path, monkeypatch):
    """A Makefile of 60 links with a renamed setting: the check builds no fix (a report,
    ``--fix`` or the root-cause grouping reads the fixes of the findings it shows); each fix
    read is the one its finding saw (its own link's rename), built once."""
    from wasmlint import evaluate
    built = []
    real = evaluate._fix
    monkeypatch.setattr(evaluate, "_fix", lambda *a: built.append(a[1]) or real(*a))
    (tmp_path / "Makefile").write_text("".join(
        f"t{i}.js: t{i}.c\n\temcc -sTOTAL_MEMORY=64MB -sEXPORT_NAME=M{i} -o $@ $<\n" for i in range(60)))
    res = run_check([str(tmp_path)], Config(root=tmp_path), all_rules(), jobs=1)
    renames = [d for d in res.diagnostics if d.code == "WL501"]
    assert len(renames) == 60 and built == []
    for d in renames:
        assert d.fix.edits[0].span.line == d.span.line and d.fix.edits[0].content == "INITIAL_MEMORY"
        assert d.fix is d.fix
    assert len(built) == 60 and {id(f) for f in built} == {id(d.fact) for d in renames}
