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
