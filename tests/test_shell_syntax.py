"""WL001 on shell scripts agrees with `bash -n` (run here, in the tests only: `check`
itself never runs a shell) on every script that names something wasmlint reads
(``wasmlint.domain``) and that no tool generated (autoconf's ``configure``); one that names nothing of it,
or that a tool wrote, gets none. The scripts are every shell file of the test suite and of
scripts/ — fixtures, fuzz regressions, build inputs — each as written and as a Windows
checkout writes it (CRLF line endings)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from wasmlint.classify import kind_by_content, kind_by_name, needs_sniff
from wasmlint.domain import DOMAIN
from wasmlint.sources import SourceFile
from wasmlint.sources.shell import extract, generated

ROOT = Path(__file__).resolve().parent.parent


def _shell_files() -> list[Path]:
    out = []
    for top in (ROOT / "tests", ROOT / "scripts"):
        for p in sorted(top.rglob("*")):
            if not p.is_file():
                continue
            rel = str(p.relative_to(ROOT))
            by_name = kind_by_name(rel)      # as discovery classifies it
            kind = kind_by_content(rel, p.read_bytes()[:4096], by_name) if needs_sniff(rel, by_name) else by_name
            if kind == "shell":
                out.append(p)
    return out


SCRIPTS = _shell_files()
CASES = [(p, crlf) for p in SCRIPTS for crlf in (False, True)]


def test_the_corpus_has_scripts_bash_accepts_and_rejects(tmp_path):
    verdicts = {_bash_accepts(p.read_bytes(), tmp_path) for p in SCRIPTS}
    assert len(SCRIPTS) >= 15 and verdicts == {True, False}
    rejected = [p for p in SCRIPTS if not _bash_accepts(p.read_bytes(), tmp_path)]
    assert {bool(DOMAIN.search(p.read_text(encoding="utf-8", errors="replace"))) for p in rejected} == {True, False}


def _bash_accepts(data: bytes, tmp: Path) -> bool:
    script = tmp / "script.sh"
    script.write_bytes(data)
    return subprocess.run([shutil.which("bash") or "bash", "-n", str(script)], capture_output=True).returncode == 0


@pytest.mark.parametrize("path,crlf", CASES, ids=[f"{p.relative_to(ROOT)}{' crlf' if c else ''}" for p, c in CASES])
def test_wl001_exactly_when_bash_n_rejects(path, crlf, tmp_path):
    data = path.read_bytes()
    if crlf:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    facts = extract(SourceFile(path.name, "shell", data, abspath=str(path)))
    errors = [f.message for f in facts if f.kind == "parse-error"]
    text = data.decode("utf-8", "replace")
    relevant = bool(DOMAIN.search(text)) and not generated(text)
    assert bool(errors) == (relevant and not _bash_accepts(data, tmp_path)), errors
