"""``wasmlint check FILE…`` (pre-commit, editors) and ``check SUBFOLDER``: the
project is read for context, only the given files and folders are reported."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat
from wasmlint.runpaths import project_root, resolve_run_paths

NGINX = "server {\n    listen 80;\n    root /var/www/app;\n}\n"
ARGS = ["check", "--select", "WL101,WL308", "--no-cache", "--jobs", "1", "--output-format", "concise"]
WL308 = ("this nginx config serves a threaded WebAssembly build without Cross-Origin-Opener-Policy: "
         "same-origin and Cross-Origin-Embedder-Policy: require-corp: SharedArrayBuffer is unavailable, "
         "so its threads never start [WL308]")


def _project(root: Path, marker: str | None) -> Path:
    if marker == ".git":
        (root / ".git").mkdir()
    elif marker:
        (root / marker).write_text('targets = ["desktop"]\n')
    (root / "dist").mkdir()
    (root / "dist" / "threads.wasm").write_bytes(build_wat('(module (memory 256 16384 shared))'))
    (root / "web").mkdir()
    (root / "web" / "nginx.conf").write_text(NGINX)
    return root


@pytest.mark.parametrize("marker", [".git", ".wasmlint.toml"])
def test_a_given_file_is_reported_with_its_project_as_context(tmp_path, marker):
    root = _project(tmp_path, marker)
    rc, out, _ = run_cli([*ARGS, "web/nginx.conf"], root)
    assert rc == 1 and out.splitlines() == [f"web/nginx.conf:1:1: warning: {WL308}"]
    rc, out, _ = run_cli([*ARGS, "dist/threads.wasm"], root)
    assert [line.split(": ")[0] for line in out.splitlines()] == ["dist/threads.wasm:1:1"]


def test_from_a_subfolder(tmp_path):
    root = _project(tmp_path, ".git")
    rc, out, _ = run_cli([*ARGS, "nginx.conf"], root / "web")
    assert rc == 1 and out.splitlines() == [f"nginx.conf:1:1: warning: {WL308}"]


def test_without_a_project_root_only_the_given_file_is_read(tmp_path):
    root = _project(tmp_path, None)
    assert project_root(root / "web" / "nginx.conf") is None
    rc, out, _ = run_cli([*ARGS, "web/nginx.conf"], root)
    assert rc == 0 and out == ""


def test_a_subfolder_is_read_with_its_project_and_reported_alone(tmp_path):
    """The project context is one thing: ``check web`` sees what ``check web/nginx.conf`` sees."""
    root = _project(tmp_path, ".git")
    runpaths = resolve_run_paths([str(root / "web")])
    assert runpaths.read == [str(root / "web"), str(root.resolve())] and runpaths.filtered
    assert runpaths.contains(str(root / "web" / "nginx.conf"))
    assert not runpaths.contains(str(root / "dist" / "threads.wasm"))
    rc, out, _ = run_cli([*ARGS, "web"], root)
    assert rc == 1 and out.splitlines() == [f"web/nginx.conf:1:1: warning: {WL308}"]
    assert resolve_run_paths([str(root)]).read == [str(root)]     # the project itself: read as given
    runpaths = resolve_run_paths([str(root / "web"), str(root / "dist" / "threads.wasm")])
    assert runpaths.filtered and runpaths.root == root.resolve()
    assert runpaths.contains(str(root / "web" / "nginx.conf")) and not runpaths.contains(str(root / "other.conf"))
    rc, out, _ = run_cli([*ARGS, "web", "dist/threads.wasm"], root)
    assert [line.split(": ")[0] for line in out.splitlines()] == ["dist/threads.wasm:1:1", "web/nginx.conf:1:1"]
