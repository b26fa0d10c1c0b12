"""Fixes compose (issue 16), through the real CLI: fixes of several rules that edit
one command line give one result with each flag once, the user's value wins over
a policy default, overlapping edits of one fix are one edit, and the summary says
what was fixed, what remains and what ``--unsafe-fixes`` would add. Every fixed
launch is started with the machine's real node."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fixture_harness import materialise, run_cli
from tests.test_launch_fixes import node_starts

DEMO = Path(__file__).parent.parent / "examples" / "demo"
CONCISE = ["check", "--no-cache", "--jobs", "1", "--output-format", "concise"]
SERVICE_JS = """\
const fs = require("node:fs");
const path = require("node:path");
const bytes = fs.readFileSync(path.join(__dirname, "app.wasm"));
module.exports = WebAssembly.instantiate(bytes);
"""
APP_WAT = '(module (memory (export "memory") 16 16))\n'


def flag_name(word: str) -> str:
    """A flag as V8 and node compare them: dashes and underscores alike, no value, no ``no-``."""
    name = word.split("=", 1)[0].lstrip("-").replace("_", "-")
    return name.removeprefix("no-")


def launches(work: Path, *paths: str) -> list[dict]:
    _, out, _ = run_cli(["inspect", "--format", "json", *paths], work)
    data = json.loads(out)
    return [f for e in (data if isinstance(data, list) else [data]) for f in e["facts"]
            if f["kind"] in ("node-launch", "node-options")]


def assert_each_flag_once_and_node_starts(work: Path, facts: list[dict]) -> None:
    started = 0
    for f in facts:
        if f["kind"] == "node-launch":
            words = [w for w in f["options_before_script"] if w.startswith("-")]
            env = " ".join(o["flag"] for o in f["node_options"]) if f["node_options"] else None
            run = node_starts(f["options_before_script"], env, work)
        else:
            words = f["value"].split()
            run = node_starts([], f["value"], work)
        names = [flag_name(w) for w in words]
        assert len(names) == len(set(names)), f"a flag twice: {f}"
        assert run.returncode == 0, f"node refused {f}: {run.stderr}"
        started += 1
    assert started


@pytest.mark.parametrize("config", ["", '[policy]\nrequired-node-flags = "preset:common-advice"\n'],
                         ids=["default", "common-advice"])
def test_demo_fix_then_unsafe_fixes_gives_launches_node_starts(config, tmp_path):
    work = tmp_path / "demo"
    shutil.copytree(DEMO, work)
    if config:
        (work / ".wasmlint.toml").write_text(config)
    rc, _, err = run_cli([*CONCISE, "--fix", "."], work)
    assert "not applied" not in err and "fixed " in err
    assert "hidden fixes can be enabled with the `--unsafe-fixes` option" in err
    rc, _, err = run_cli([*CONCISE, "--fix", "--unsafe-fixes", "."], work)
    assert "not applied" not in err and "fixed " in err
    facts = launches(work, "package.json", "Dockerfile")
    assert_each_flag_once_and_node_starts(work, facts)
    cmd = next(f for f in facts if f["kind"] == "node-launch" and f["span"]["path"] == "Dockerfile")
    assert sorted(cmd["options_before_script"]) == [
        "--max-old-space-size=4096", "--no-wasm-lazy-compilation", "--no-wasm-tier-up"]
    # the Makefile's advertised fix (two removals that touch) is applied, leaving no blank behind
    assert (work / "Makefile").read_text().splitlines()[3] == "LDFLAGS = -sINITIAL_MEMORY=64MB"
    # the worker keeps no execArgv, so it inherits the parent's options again
    assert "execArgv" not in (work / "loader.js").read_text()
    rc, _, err = run_cli([*CONCISE, "--unsafe-fixes", "--diff", "."], work)
    assert rc == 0 and "no fixes to apply" in err


def _service(tmp_path: Path, dockerfile: str, policy: str, package: str | None = None) -> Path:
    work = tmp_path / "svc"
    work.mkdir()
    (work / "Dockerfile").write_text(dockerfile)
    (work / "server.js").write_text(SERVICE_JS)
    (work / "app.wat").write_text(APP_WAT)
    (work / ".wasmlint.toml").write_text(f"[policy]\nrequired-node-flags = {policy}\n")
    if package:
        (work / "package.json").write_text(package)
    return materialise(work, tmp_path / "m")


DOCKERFILE = """\
FROM node:20-bookworm-slim
WORKDIR /srv
COPY . .
ENV NODE_ENV=production \\
    NODE_OPTIONS="--max-old-space-size=1536 --no-wasm-tier-up"
CMD ["node", "server.js"]
"""


@pytest.mark.parametrize("passes", [[["--unsafe-fixes"]], [[], ["--unsafe-fixes"]]], ids=["one-run", "safe-first"])
def test_a_policy_insert_and_a_move_from_node_options_write_the_flag_once(passes, tmp_path):
    work = _service(tmp_path, DOCKERFILE, '["--no-wasm-tier-up"]')
    for extra in passes:
        rc, _, err = run_cli([*CONCISE, "--fix", *extra, "."], work)
        assert "not applied" not in err
    text = (work / "Dockerfile").read_text()
    assert text.splitlines()[-1] == 'CMD ["node", "--no-wasm-tier-up", "server.js"]'
    assert '    NODE_OPTIONS="--max-old-space-size=1536"' in text.splitlines()
    assert_each_flag_once_and_node_starts(work, launches(work, "Dockerfile"))


def test_the_users_value_wins_over_a_policy_default(tmp_path):
    package = '{\n  "scripts": {\n    "start": "node server.js --max-old-space-size=2048"\n  }\n}\n'
    work = _service(tmp_path, "FROM node:20\nCMD [\"node\", \"--max-old-space-size=2048\", \"server.js\"]\n",
                    '["--max-old-space-size"]', package)
    rc, _, err = run_cli([*CONCISE, "--fix", "."], work)
    assert json.loads((work / "package.json").read_text())["scripts"]["start"] == \
        "node --max-old-space-size=2048 server.js"
    assert_each_flag_once_and_node_starts(work, launches(work, "package.json"))


def test_a_flag_after_the_script_that_is_also_before_it_is_only_removed(tmp_path):
    package = ('{\n  "scripts": {\n    "start": "node --max-old-space-size=2048 server.js '
               '--max-old-space-size=4096"\n  }\n}\n')
    work = _service(tmp_path, "FROM node:20\n", "[]", package)
    rc, out, _ = run_cli(["check", "--no-cache", "--select", "WL203", "--output-format", "json", "."], work)
    (d,) = json.loads(out)
    assert d["fix"]["description"] == ("Remove `--max-old-space-size=4096` after the script: "
                                       "`--max-old-space-size=2048` before it is the one node applies")
    run_cli([*CONCISE, "--fix", "."], work)
    assert json.loads((work / "package.json").read_text())["scripts"]["start"] == \
        "node --max-old-space-size=2048 server.js"


def test_the_summary_counts_hidden_unsafe_fixes(tmp_path):
    work = _service(tmp_path, DOCKERFILE, "[]")
    rc, out, _ = run_cli(["check", "--no-cache", "--jobs", "1", "."], work)
    assert out.rstrip().splitlines()[-1] == (
        "Found 1 problem (1 error). 1 hidden fix can be enabled with the `--unsafe-fixes` option.")
    rc, out, err = run_cli(["check", "--no-cache", "--jobs", "1", "--unsafe-fixes", "."], work)
    assert out.rstrip().splitlines()[-1] == "Found 1 problem (1 error)."
