"""Memory on big JavaScript: checking a 12 MB Emscripten glue file whose module is a
binary string (the shape of npm binaryen's 14.8 MB index.js, which took 768 MB when
every escape was a tree-sitter node) stays within the README's 256 MiB. A test may
check memory, never time."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from tests.wasmbuild import ROOT

BUDGET = 256 << 20


def _bench_js():
    spec = importlib.util.spec_from_file_location("bench_js", ROOT / "scripts" / "bench_js.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_binary_string_glue_is_checked_within_the_memory_budget(tmp_path):
    bench = _bench_js()
    project = tmp_path / "app"
    (project / ".git").mkdir(parents=True)
    glue = bench.binary_string_glue(bench.big_module(5_000_000))
    (project / "binaryen.js").write_text(glue, encoding="latin-1")
    assert (project / "binaryen.js").stat().st_size > 11 << 20
    out = tmp_path / "out.txt"
    with open(out, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "wasmlint", "check", "--no-cache", "--output-format",
                                 "concise", "binaryen.js"], cwd=project, stdout=sink, stderr=subprocess.DEVNULL,
                                env=dict(os.environ, PYTHONPATH=str(ROOT)))
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    report = out.read_text()
    # the module was decoded from the literal: its memory is read
    assert "binaryen.js:5:29: warning: memory 0 can grow: it declares no maximum [WL101]" in report, report
    assert usage.ru_maxrss * 1024 < BUDGET, f"peak RSS {usage.ru_maxrss / 1024:.0f} MiB"
