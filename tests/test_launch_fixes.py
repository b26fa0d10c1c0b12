"""Fixes of the launch rules produce launches node accepts.

For each fixture case below: lint, apply every safe and unsafe fix of the rule
(round by round, as ``--fix`` would, until none is left), re-lint and expect
the rule quiet, then start the machine's real node (v20) with every fixed
launch's options and NODE_OPTIONS and a tiny ``-e 0`` program (never the
project's code) and expect it to start.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, case_args, materialise, run_cli

NODE = shutil.which("node") or "/usr/bin/node"
CASES = [
    ("WL201", "pm2-node-args-string"), ("WL201", "pm2-without-node-args"),
    ("WL201", "dockerfile-exec-form"), ("WL201", "k8s-block-list"),
    ("WL201", "systemd-and-procfile"), ("WL201", "drift-dockerfile-pm2"), ("WL201", "drift-container-path"),
    ("WL203", "dockerfile-and-package-json"), ("WL203", "entrypoint-flag-after-script"),
    ("WL204", "dockerfile-env"), ("WL204", "k8s-systemd-package-json"), ("WL204", "workflow-and-npmrc"),
    ("WL206", "removed-on-node-20"),
    ("WL208", "jitless-entrypoint"), ("WL211", "systemd-and-pm2"),
    ("WL213", "run-export"), ("WL110", "ulimit-in-ci-script"),
]
_MODULE_OPTS = {"-r", "--require", "--import", "--loader", "--experimental-loader"}


def lint(work: Path, code: str, unsafe: bool = True) -> list[dict]:
    args = ["check", *case_args(work, code), "--output-format", "json", "--jobs", "1", "."]
    _, out, _ = run_cli(args, work)
    return json.loads(out or "[]")


def apply_edits(text: str, edits: list[dict]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def off(line: int, col: int) -> int:
        return starts[line - 1] + col - 1

    for e in sorted(edits, key=lambda e: (off(e["line"], e["column"]), off(e["end_line"], e["end_column"])),
                    reverse=True):
        a, b = off(e["line"], e["column"]), off(e["end_line"], e["end_column"])
        text = text[:a] + e["content"] + text[b:]
    return text


def fix_until_stable(work: Path, code: str) -> set[str]:
    """Apply safe and unsafe fixes, non-overlapping ones together, until none is left."""
    touched: set[str] = set()
    for _ in range(10):
        diags = [d for d in lint(work, code) if d["fix"] and d["fix"]["applicability"] in ("safe", "unsafe")]
        if not diags:
            return touched
        chosen: dict[str, list[dict]] = {}
        taken: dict[str, list[tuple]] = {}
        for d in diags:
            edits = d["fix"]["edits"]
            ranges = [(e["path"], (e["line"], e["column"]), (e["end_line"], e["end_column"])) for e in edits]
            if any(p == q and not (b1 < a2 or b2 < a1 or (a1 == b1 == a2 == b2))
                   for p, a1, b1 in ranges for q, a2, b2 in taken.get(p, [])):
                continue
            for e, r in zip(edits, ranges):
                chosen.setdefault(e["path"], []).append(e)
                taken.setdefault(e["path"], []).append(r)
        for path, edits in chosen.items():
            p = work / path
            p.write_text(apply_edits(p.read_text(), edits))
            touched.add(path)
    raise AssertionError(f"{code}: fixes did not converge")


def node_starts(options: list[str], node_options: str | None, cwd: Path) -> subprocess.CompletedProcess:
    argv, skip = [], False
    for o in options:
        if skip:
            skip = False
            continue
        if o in _MODULE_OPTS:
            skip = True
            continue
        argv.append(o)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    if node_options is not None:
        env["NODE_OPTIONS"] = node_options
    return subprocess.run([NODE, *argv, "-e", "0"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def facts_of(work: Path, path: str) -> list[dict]:
    _, out, _ = run_cli(["inspect", path, "--format", "json"], work)
    data = json.loads(out)
    return (data if isinstance(data, list) else [data])[0]["facts"]


@pytest.mark.parametrize("code,name", CASES, ids=lambda x: x)
def test_fix_yields_a_launch_node_accepts(code, name, tmp_path):
    work = materialise(FIXTURES / code / name, tmp_path)
    before = lint(work, code)
    assert any(d["fix"] and d["fix"]["edits"] for d in before), "the case has no fix to verify"
    touched = fix_until_stable(work, code)
    after = [d for d in lint(work, code) if d["fix"] and d["fix"]["applicability"] != "suggestion"]
    assert after == [], f"{code} still fires after its fixes: {after}"
    checked = 0
    for path in sorted(touched):
        for f in facts_of(work, path):
            assert f["kind"] != "parse-error", f"fix broke {path}: {f['message']}"
            if f["kind"] == "node-launch":
                opts = " ".join(o["flag"] for o in f["node_options"]) if f["node_options"] else None
                run = node_starts(f["options_before_script"], opts, work)
            elif f["kind"] == "node-options":
                run = node_starts([], f["value"], work)
            else:
                continue
            assert run.returncode == 0, f"{path}: node refused the fixed launch: {run.stderr}"
            checked += 1
    assert checked, "no fixed launch was run"
