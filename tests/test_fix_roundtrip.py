"""``scripts/realworld.py --fix-roundtrip`` (issue 16): on the demo project, laid out
as the harness's cache holds a pinned project, every fix is applied until stable
and the counts are all zero; and each check of the round trip does catch what it
is for (a broken file of each kind, a flag twice, a launch node refuses)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import fix_roundtrip  # noqa: E402


def test_the_demo_round_trips_with_all_counts_zero(tmp_path):
    """The demo as shipped, and with the circulating three-flag policy (more fixes meet on one line)."""
    cache, commit, projects = tmp_path / "cache", "0" * 40, []
    for name, config in (("demo", None), ("demo-advice", '[policy]\nrequired-node-flags = "preset:common-advice"\n')):
        tree = cache / f"wasmlint+{name}@{commit[:12]}"
        shutil.copytree(ROOT / "examples" / "demo", tree)
        if config:
            (tree / ".wasmlint.toml").write_text(config)
        subprocess.run(["git", "init", "-q", str(tree)], check=True)
        (cache / f"wasmlint+{name}@{commit[:12]}.complete").write_text("")
        projects.append({"repo": f"wasmlint/{name}", "commit": commit})
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"projects": projects}))
    run = subprocess.run([sys.executable, "scripts/realworld.py", "--fix-roundtrip", "--labels", str(labels),
                          "--cache", str(cache), "--mirror", str(tmp_path / "none")],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    for line in lines[:2]:
        assert "changed   4" in line and "launches   5" in line, line
    assert lines[-1] == ("broken files 0  duplicate flags 0  rejected launches 0  advertised-but-unapplied fixes 0  "
                         "fixed findings reported again 0")


def test_each_check_catches_what_it_is_for(tmp_path):
    broken = {
        "package.json": '{"scripts": {"start": "node server.js",}}\n',
        "compose.yaml": "services:\n  api:\n    command: [node, server.js\n",
        "Cargo.toml": '[package]\nname = "x"\nname = "y"\n',
        "deploy.sh": "#!/bin/sh\nif true; then\n  node server.js\n",
        "loader.js": "const memory = new WebAssembly.Memory({ initial: 1,, });\n",
        "meson.build": "link_args = [\n    '-O3',\n,\n]\n",
        "Dockerfile": 'FROM node:20\nCMD ["node", "server.js",]\nENV NODE_OPTIONS="--x" # note\n',
    }
    for name, text in broken.items():
        (tmp_path / name).write_text(text)
        assert fix_roundtrip._problems(tmp_path / name) >= 1, name
    assert fix_roundtrip._dockerfile_problems(broken["Dockerfile"], "Dockerfile") == 2
    link = [("Makefile", {"kind": "emcc-invocation"})] + [
        ("Makefile", {"kind": "emcc-setting", "name": "INITIAL_MEMORY", "spelling": "INITIAL_MEMORY",
                      "span": {"line": n}}) for n in (3, 4)]
    assert fix_roundtrip._emcc_twice(link) == {"Makefile": ["INITIAL_MEMORY at line 4"]}
    assert fix_roundtrip._emcc_twice(link[:2] + link[:2]) == {}     # two links, once each
    assert fix_roundtrip._twice(["--max-old-space-size=4096", "--max_old_space_size=2048"])
    assert fix_roundtrip._twice(["--no-wasm-tier-up", "--wasm-tier-up"])
    assert not fix_roundtrip._twice(["--no-wasm-tier-up", "--max-old-space-size=4096"])
    assert "bad option" in fix_roundtrip._node_refuses(["--no-such-flag"], None)
    assert "not allowed in NODE_OPTIONS" in fix_roundtrip._node_refuses([], "--no-liftoff")
    assert fix_roundtrip._node_refuses(["--no-liftoff", "-r", "./not-here.js"], "--max-old-space-size=64") is None
