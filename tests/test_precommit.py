"""The real ``pre-commit`` runs the hook from ``.pre-commit-hooks.yaml`` on a
throwaway repository (``pre-commit try-repo``): with ``--all-files`` and with
one staged file. The hook is installed the way users get it: pre-commit builds
a virtual environment and pip-installs this repository into it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.wasmbuild import build_wat

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GIT_ENV = {"GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
           "GIT_COMMITTER_NAME": "dev", "GIT_COMMITTER_EMAIL": "dev@example.com"}
NGINX = "# web build\nserver {\n    listen 80;\n    root /var/www/app;\n}\n"
ISOLATED = ("# web build\nserver {\n    listen 80;\n    root /var/www/app;\n"
            '    add_header Cross-Origin-Opener-Policy "same-origin" always;\n'
            '    add_header Cross-Origin-Embedder-Policy "require-corp" always;\n}\n')


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This repository as it is now (committed or not), as a git repository of its own."""
    dest = tmp_path_factory.mktemp("hook") / "wasmlint"
    files = git(ROOT, "ls-files", "-co", "--exclude-standard", "-z").split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(project: Path, hook_repo: Path, home: Path, *extra: str) -> tuple[int, str]:
    proc = subprocess.run([str(PRE_COMMIT), "try-repo", str(hook_repo), "wasmlint", "--ref", "HEAD", *extra],
                          cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"})
    return proc.returncode, proc.stdout + proc.stderr


def test_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "wasmlint" and hook["language"] == "python" and hook["entry"] == "wasmlint check"


def test_pre_commit_all_files_and_one_staged_file(tmp_path, hook_repo, home):
    project = tmp_path / "shop"
    (project / "dist").mkdir(parents=True)
    (project / "web").mkdir()
    (project / "dist" / "threads.wasm").write_bytes(
        build_wat('(module (memory 256 16384 shared))'))
    (project / "web" / "nginx.conf").write_text(NGINX)
    (project / "README.md").write_text("# shop\n")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "init")

    rc, out = try_repo(project, hook_repo, home, "--all-files")
    assert rc == 1, out
    assert "dist/threads.wasm:1:1: warning[WL103]" in out    # WL101 folded in (rootcause.py)
    assert "web/nginx.conf:2:1: warning[WL308]" in out

    # one staged file: reported alone, judged with the rest of the project (the threaded binary)
    (project / "web" / "nginx.conf").write_text(NGINX.replace("listen 80;", "listen 8080;"))
    git(project, "add", "web/nginx.conf")
    rc, out = try_repo(project, hook_repo, home)
    assert rc == 1, out
    assert "web/nginx.conf:2:1: warning[WL308]" in out
    assert "threads.wasm:1:1" not in out.replace("related: dist/threads.wasm:1:1", "")

    # the staged file fixed: the hook passes although the binary still has findings
    (project / "web" / "nginx.conf").write_text(ISOLATED)
    git(project, "add", "web/nginx.conf")
    rc, out = try_repo(project, hook_repo, home)
    assert rc == 0, out
    assert "Passed" in out

    # a staged file wasmlint does not read: the hook does not run
    (project / "README.md").write_text("# shop\n\nA web shop.\n")
    git(project, "reset", "-q")
    git(project, "add", "README.md")
    rc, out = try_repo(project, hook_repo, home)
    assert rc == 0 and "(no files to check)Skipped" in out, out
