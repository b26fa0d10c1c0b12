"""wasmlint's node 20 verdicts against what the machine's real node 20 does.

Not skippable: node 20 is on every machine (``/usr/bin/node``). Each verdict is
measured, not looked up: NODE_OPTIONS by exit code of ``node -e 0``, the command
line by ``node <flag> -e 0``, Worker ``execArgv`` by constructing Workers in one
node process. Processes run in parallel, so the whole file takes a few seconds.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from wasmlint.nodeflags import FlagDB

NODE = shutil.which("node") or "/usr/bin/node"
TIMEOUT = 30

# Every flag of this list is measured three ways. Values are valid ones, so only
# acceptance of the flag is at stake.
FLAGS = [
    # wasm tiering
    "--no-wasm-tier-up", "--wasm-tier-up", "--liftoff", "--no-liftoff", "--liftoff-only",
    "--no-liftoff-only", "--wasm-lazy-compilation", "--no-wasm-lazy-compilation",
    "--no-wasm-dynamic-tiering", "--wasm-dynamic-tiering", "--no_wasm_tier_up", "--no_liftoff",
    "--wasm_lazy_compilation", "--wasm-max-mem-pages=1000", "--wasm-tier-up-filter=1",
    "-no-liftoff", "-liftoff",
    # experimental wasm
    "--experimental-wasm-memory64", "--experimental-wasm-multi-memory", "--experimental-wasm-gc",
    "--experimental-wasm-stringref", "--experimental-wasm-threads", "--experimental-wasm-bigint",
    "--experimental-wasm-simd", "--experimental-wasm-eh", "--experimental_wasm_memory64",
    "--no-experimental-wasm-memory64",
    # heap and stack
    "--max-old-space-size=4096", "--max_old_space_size=4096", "--max-semi-space-size=16",
    "--max-heap-size=512", "--stack-size=2000", "-stack-size=2000", "--stack_size=2000",
    "--huge-max-old-generation-size", "--no-max-old-space-size", "--expose-gc", "--expose_gc",
    "--no-expose-gc", "--jitless", "--no-jitless", "--stack-trace-limit=20",
    "--max-old-space-size-percentage=50", "--expose-gc=1",
    # node's own options
    "--disable-wasm-trap-handler", "--no-disable-wasm-trap-handler", "--disable_wasm_trap_handler",
    "--experimental-wasm-modules", "--no-experimental-wasm-modules", "--v8-pool-size=4",
    "--v8_pool_size=4", "--enable-source-maps", "--enable_source_maps", "--no-enable-source-maps",
    "--inspect-port=0", "--title=x", "--no-title", "--no-deprecation", "--no_deprecation",
    "--deprecation", "--no-warnings", "--trace-warnings", "--unhandled-rejections=strict",
    "--conditions=x", "--experimental-vm-modules", "--preserve-symlinks", "--no-v8-pool-size",
    "--experimental-loader=data:text/javascript,", "--loader=data:text/javascript,",
    "--zero-fill-buffers", "--frozen-intrinsics", "--use-openssl-ca", "--tls-min-v1.2",
    # a value on a boolean: node's own options take it (and ignore it), V8's do not
    "--no-warnings=ExperimentalWarning", "--no-deprecation=1", "--warnings=0", "--trace-warnings=1",
    "--no-expose-gc=1", "--no-liftoff=1",
    # unknown, misspelt, mis-negated
    "--no-wasm-tierup", "--bogus-flag", "--no-bogus-flag", "--wasm-tierup", "--max-old-space=4096",
    "--experimental-wasm-modulez", "-title=x", "-r=x",
]


def _run(args: list[str], env: dict[str, str] | None = None, stdin: str | None = None,
         cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=TIMEOUT,
                          env=env, cwd=cwd, check=False, stdin=None if stdin else subprocess.DEVNULL)


@pytest.fixture(scope="module")
def node20() -> str:
    if not Path(NODE).exists():
        pytest.fail("node is not installed: these tests need the machine's node 20 (/usr/bin/node)")
    version = _run([NODE, "--version"]).stdout.strip()
    if not version.startswith("v20."):
        pytest.fail(f"{NODE} is {version}; these tests compare against node 20")
    return NODE


@pytest.fixture(scope="module")
def db() -> FlagDB:
    return FlagDB.for_major(20)


def _parallel(fn, items):
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(items, pool.map(fn, items)))


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"}
    env.update(extra)
    return env


def test_node_options_verdicts_match_node20(node20, db, tmp_path):
    def accepted(flag: str) -> bool:
        return _run([node20, "-e", "0"], env=_env(NODE_OPTIONS=flag), cwd=str(tmp_path)).returncode == 0

    real = _parallel(accepted, FLAGS)
    ours = {f: bool((info := db.lookup(f)) and info.allowed_in_node_options) for f in FLAGS}
    assert {f: v for f, v in ours.items() if v != real[f]} == {}
    assert real["--max_old_space_size=4096"] and not real["--no-liftoff"]  # the test measures


def test_command_line_verdicts_match_node20(node20, db, tmp_path):
    def accepted(flag: str) -> bool:
        return _run([node20, flag, "-e", "0"], env=_env(), cwd=str(tmp_path)).returncode == 0

    real = _parallel(accepted, FLAGS)
    ours = {f: db.lookup(f) is not None for f in FLAGS}
    assert {f: v for f, v in ours.items() if v != real[f]} == {}
    assert real["--no-liftoff"] and not real["--no-wasm-tierup"]


WORKER_JS = r"""
const { Worker } = require('worker_threads');
const out = {};
for (const arg of JSON.parse(require('fs').readFileSync(0, 'utf8'))) {
  try {
    const w = new Worker('0', { eval: true, execArgv: [arg], stdout: true, stderr: true });
    w.on('error', () => {});
    w.terminate();
    out[arg] = true;
  } catch (e) {
    if (e.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    out[arg] = false;
  }
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
"""


def test_worker_exec_argv_verdicts_match_node20(node20, db, tmp_path):
    res = _run([node20, "-e", WORKER_JS], env=_env(), stdin=json.dumps(FLAGS), cwd=str(tmp_path))
    assert res.returncode == 0, res.stderr
    real = json.loads(res.stdout)
    ours = {f: bool((info := db.lookup(f)) and info.allowed_in_worker) for f in FLAGS}
    assert {f: v for f, v in ours.items() if v != real[f]} == {}
    assert real["--enable-source-maps"] and not real["--max-old-space-size=4096"]


ARGV_JS = "process.stdout.write(JSON.stringify(process.execArgv))\n"


@pytest.mark.parametrize("flag,value", [
    ("--title", "x"), ("--v8-pool-size", "4"), ("--inspect-port", "0"), ("--conditions", "x"),
    ("-C", "x"), ("-r", "PRELOAD"), ("--require", "PRELOAD"), ("--import", "PRELOAD"),
    ("--unhandled-rejections", "strict"), ("--stack-size", "2000"), ("--max-old-space-size", "100"),
    ("--max_old_space_size", "100"), ("--stack-trace-limit", "5"), ("--wasm-max-mem-pages", "100"),
    ("--expose-gc", "x"), ("--no-liftoff", "x"), ("--inspect", "0"), ("--enable-source-maps", "x"),
])
def test_separate_value_words_match_node20(node20, db, tmp_path, flag, value):
    """``node FLAG VALUE script.js``: does node take VALUE as the flag's value?"""
    script = tmp_path / "script.js"
    script.write_text(ARGV_JS)
    preload = tmp_path / "preload.js"
    preload.write_text("")
    value = str(preload) if value == "PRELOAD" else value
    res = _run([node20, flag, value, str(script)], env=_env(), cwd=str(tmp_path))
    consumed = res.returncode == 0 and value in json.loads(res.stdout or "[]")
    assert db.takes_value(flag) == consumed, res.stderr[:300]


def test_every_builtin_module_of_real_node_is_a_builtin_to_the_graph():
    from wasmlint.graph import node_builtin
    names = json.loads(subprocess.run([NODE, "-p", "JSON.stringify(require('module').builtinModules)"],
                                      capture_output=True, text=True, timeout=TIMEOUT, check=True).stdout)
    assert [n for n in names if not node_builtin(n)] == []
    assert node_builtin("node:fs") and node_builtin("fs/promises") and node_builtin("worker_threads")
    assert not node_builtin("ws") and not node_builtin("./fs") and not node_builtin("fs-extra")
