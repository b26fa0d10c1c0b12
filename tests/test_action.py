"""The composite GitHub Action (``action.yml``): its run steps executed as the runner
executes them (bash -eo pipefail, inputs through ``env``, ``GITHUB_ACTION_PATH`` the
action's checkout), in a fresh virtual environment that the install step fills."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.wasmbuild import build_wat

ROOT = Path(__file__).resolve().parent.parent


def _action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _expand(value: str, inputs: dict) -> str:
    """``${{ inputs.x }}`` as the runner substitutes it."""
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], value)


def _checkout(dest: Path) -> Path:
    """The action's files as a workflow checks them out (tracked and new files, no caches)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split("\0")
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def test_the_action_installs_wasmlint_annotates_and_writes_sarif(tmp_path):
    action = _action()
    assert action["runs"]["using"] == "composite"
    inputs = {name: spec["default"] for name, spec in action["inputs"].items()}
    inputs["sarif"] = "true"
    venv = tmp_path / "runner-python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    work = tmp_path / "repo"
    work.mkdir()
    (work / ".git").mkdir()
    (work / "app.wasm").write_bytes(build_wat('(module (memory (export "memory") 17))'))
    env = {**os.environ, "GITHUB_ACTION_PATH": str(_checkout(tmp_path / "action")),
           "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("VIRTUAL_ENV", None)
    results = []
    for step in action["runs"]["steps"]:
        if "if" in step:
            assert step["if"] == "inputs.sarif == 'true'"
        if "uses" in step:       # code scanning's upload: given the file the SARIF step wrote
            assert step["uses"].startswith("github/codeql-action/upload-sarif@")
            assert _expand(step["with"]["sarif_file"], inputs) == "wasmlint.sarif"
            continue
        assert step["shell"] == "bash"
        step_env = {k: _expand(v, inputs) for k, v in step.get("env", {}).items()}
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=work,
                              env={**env, **step_env}, capture_output=True, text=True, timeout=900)
        results.append((step["name"], proc))
    (_, install_proc), (_, sarif_proc), (_, check_proc) = results
    assert install_proc.returncode == 0, install_proc.stderr[-2000:]
    assert (venv / "bin" / "wasmlint").exists()
    assert sarif_proc.returncode == 0 and '"ruleId": "WL101"' in (work / "wasmlint.sarif").read_text()
    assert check_proc.returncode == 1
    assert check_proc.stdout == ("::warning file=app.wasm,line=1,endLine=1,col=1,endColumn=1,title=WL101::"
                                 "memory 0 can grow: it declares no maximum\n")
