"""WL304's claim about `onerror`, checked against real node: a worker_threads Worker
ignores `worker.onerror = …` (it is an EventEmitter), so an uncaught error in the worker
ends the host with exit code 1 and the handler never runs; the same handler given with
`worker.on('error', …)` runs. The onerror-only fixture's own host and worker are run."""
from __future__ import annotations

import shutil
import subprocess

from tests.fixture_harness import FIXTURES, materialise

CASE = FIXTURES / "WL304" / "onerror-only"
ONERROR = "worker.onerror = (event) => {"
ON_ERROR = "worker.on(\"error\", (event) => {"


def _run(work):
    node = shutil.which("node")
    assert node, "node is required (it is on every machine of this project)"
    return subprocess.run([node, "resize.js", str(work / "no-such-image.png")], cwd=work,
                          capture_output=True, text=True, timeout=60)


def test_onerror_is_never_called_and_the_host_exits_1(tmp_path):
    work = materialise(CASE, tmp_path)
    assert ONERROR in (work / "resize.js").read_text()
    proc = _run(work)
    assert proc.returncode == 1, proc.stderr
    assert "ENOENT" in proc.stderr and "resize failed" not in proc.stderr + proc.stdout


def test_an_error_listener_is_called_and_the_host_survives(tmp_path):
    work = materialise(CASE, tmp_path)
    host = work / "resize.js"
    text = host.read_text()
    start = text.index(ONERROR)
    end = text.index("};", start)
    host.write_text(text[:start] + ON_ERROR + text[start + len(ONERROR):end] + "});" + text[end + 2:])
    proc = _run(work)
    assert proc.returncode == 2, proc.stderr
    assert "resize failed: ENOENT" in proc.stderr


# The awaits-before-handing-on case, in plain JS: the function awaits the worker's first
# message and only then returns it; the caller's try and late `on('error')` come too late.
AWAITING_HOST = """import { Worker } from 'node:worker_threads';
async function start() {
  const worker = new Worker(new URL('./plugin.mjs', import.meta.url));
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    LISTEN
  });
  return worker;
}
try {
  const worker = await start();
  worker.on('error', (e) => console.error('late listener:', e.message));
} catch (e) {
  console.error('start failed:', e.message);
  process.exitCode = 2;
}
"""


def _run_awaiting(tmp_path, listen: str):
    node = shutil.which("node")
    assert node, "node is required (it is on every machine of this project)"
    (tmp_path / "plugin.mjs").write_text("throw new Error('plugin failed to load');\n")
    (tmp_path / "host.mjs").write_text(AWAITING_HOST.replace("LISTEN", listen))
    return subprocess.run([node, "host.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60)


def test_an_error_while_the_host_awaits_ends_it_whatever_the_caller_attaches(tmp_path):
    proc = _run_awaiting(tmp_path, "")
    assert proc.returncode == 1, proc.stderr
    assert "Emitted 'error' event on Worker instance" in proc.stderr
    assert "late listener" not in proc.stderr and "start failed" not in proc.stderr


def test_a_listener_during_the_await_turns_the_error_into_a_rejection(tmp_path):
    proc = _run_awaiting(tmp_path, "worker.once('error', reject);")
    assert proc.returncode == 2, proc.stderr
    assert "start failed: plugin failed to load" in proc.stderr
