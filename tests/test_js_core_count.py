"""Whether a pool's size follows the core count (``Scan.mentions_cores``) is worked out
once per expression and depth. A fuzzed worker-pool file whose names are written from
one another (tests/fuzz_regressions/js_skeleton/) asked it 23,713 times (6 CPU s) when
every name's writes were followed again at each step; a test may count, never time."""
from __future__ import annotations

from pathlib import Path

from fuzz.targets import TARGETS
from wasmlint.js import scan

CASE = Path(__file__).parent / "fuzz_regressions" / "js_skeleton" / "core-count-names-asked-again.js"


def test_names_written_from_one_another_are_followed_once(monkeypatch):
    calls = []
    asked = scan.Scan.mentions_cores

    def counting(self, node, depth=0):
        calls.append((node.id if node is not None else None, depth))
        return asked(self, node, depth)
    monkeypatch.setattr(scan.Scan, "mentions_cores", counting)
    TARGETS["js_skeleton"](CASE.read_bytes())      # a skeleton parse and a whole one
    assert calls, "the pool's loop bound was asked about"
    assert len(calls) < 500, len(calls)
