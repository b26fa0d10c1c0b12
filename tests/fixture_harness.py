"""Run wasmlint on a fixture case folder and compare with ``expected.txt``.

A case is ``tests/fixtures/<CODE>/<case>/``: input files of any kind, ``*.wat``
sources (built to ``.wasm`` beside them in a temporary copy; ``libx.so.1.wat`` to ``libx.so.1``), an optional
``.wasmlint.toml``, an optional ``env.txt`` (KEY=VALUE), an optional ``args.txt`` (extra CLI arguments, one per line;
default ``--select <CODE>``), and ``expected.txt``: the concise output, one
``path:line:col: severity: message [CODE]`` line per finding, paths relative to
the case folder. An empty ``expected.txt`` means the rule must stay quiet.
An optional ``after-fix/`` folder holds files as ``check --fix --unsafe-fixes``
(the case's arguments) must leave them; it is not part of the linted copy.
An optional ``related.txt`` lists the related locations of every finding that
has some (``path:line:col [CODE]``, then ``  = path:line:col: message`` lines),
as the JSON output gives them (projects too).
Set ``WASMLINT_UPDATE_EXPECTED=1`` to rewrite expectations after a reviewed change.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

from wasmlint.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
AFTER_FIX = "after-fix"      # a case's files as `--fix --unsafe-fixes` must leave them (test_fix_fixtures.py)
PROJECTS = Path(__file__).parent / "projects"


def all_cases(root: Path = FIXTURES) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/*/expected.txt"))


def materialise(case: Path, dest: Path) -> Path:
    """Copy a case to ``dest`` and build its ``.wat`` files to ``.wasm``."""
    from tests.wasmbuild import build_wat
    work = dest / case.name
    shutil.copytree(case, work, symlinks=True,
                    ignore=lambda folder, names: [AFTER_FIX] if Path(folder) == case else [])
    for wat in sorted(work.rglob("*.wat")):
        if wat.name.endswith(".keep.wat"):
            continue
        _built_name(wat).write_bytes(build_wat(wat.read_text(encoding="utf-8")))
        wat.unlink()
    return work


def _built_name(wat: Path) -> Path:
    """``x.wat`` is built to ``x.wasm``; a name that already says what binary it is (a
    shared library ``libpng16.so.16.39.0.wat``, an object ``x.o.wat``) is built to that name."""
    parts = wat.name.split(".")
    return wat.with_suffix("") if "so" in parts[1:-1] or parts[-2:-1] == ["o"] else wat.with_suffix(".wasm")


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def related_text(args: list[str], work: Path) -> str:
    """The related locations of each finding of ``check ARGS`` (JSON output), as in ``related.txt``."""
    rc, out, err = run_cli(["check", *args, "--output-format", "json", "--jobs", "1", "."], work)
    assert rc in (0, 1) and "Traceback" not in err, err
    lines = []
    for d in json.loads(out):
        if d["related"]:
            lines.append(f"{d['path']}:{d['line']}:{d['column']} [{d['code']}]")
            lines += [f"  = {r['path']}:{r['line']}:{r['column']}: {r['message']}" for r in d["related"]]
    return "".join(line + "\n" for line in lines)


def check_related(case: Path, args: list[str], work: Path) -> None:
    """When the case has a ``related.txt``, the related locations equal it."""
    exp_file = case / "related.txt"
    if not exp_file.exists():
        return
    got = related_text(args, work)
    if os.environ.get("WASMLINT_UPDATE_EXPECTED"):
        exp_file.write_text(got)
    assert got == exp_file.read_text()


def case_args(case: Path, code: str) -> list[str]:
    args_file = case / "args.txt"
    if args_file.exists():
        return [a for a in args_file.read_text().splitlines() if a.strip()]
    return ["--select", code]


@contextlib.contextmanager
def case_env(case: Path):
    """``env.txt`` (KEY=VALUE lines) is set while the case runs."""
    from wasmlint.tools import find_tool
    pairs = {}
    env_file = case / "env.txt"
    if env_file.exists():
        pairs = dict(l.split("=", 1) for l in env_file.read_text().splitlines() if "=" in l)
    saved = {k: os.environ.get(k) for k in pairs}
    os.environ.update(pairs)
    find_tool.cache_clear()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        find_tool.cache_clear()


def check_case(case: Path, tmp: Path) -> None:
    code = case.parent.name
    work = materialise(case, tmp)
    with case_env(case):
        rc, out, err = run_cli(["check", *case_args(case, code), "--output-format", "concise",
                                "--jobs", "1", "."], work)
    assert rc in (0, 1), f"exit {rc}: {err}"
    assert "Traceback" not in err
    got = sorted(l for l in out.splitlines() if l.strip())
    exp_file = case / "expected.txt"
    if os.environ.get("WASMLINT_UPDATE_EXPECTED"):
        exp_file.write_text("".join(l + "\n" for l in got))
    expected = sorted(l for l in exp_file.read_text().splitlines() if l.strip())
    assert got == expected, f"\n--- got\n" + "\n".join(got) + "\n--- expected\n" + "\n".join(expected)
    assert rc == (1 if any(": error:" in l or ": warning:" in l for l in got) else 0)
    with case_env(case):
        check_related(case, case_args(case, code), work)
