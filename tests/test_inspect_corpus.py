"""``wasmlint inspect --format json`` on real modules of five and more toolchains:
every memory equals what ``wasm-tools print`` shows."""
from __future__ import annotations

import json

from tests.fixture_harness import run_cli
from tests.test_wasm_reader_crosscheck import memories_from_print
from tests.wasmbuild import corpus, run_wasm_tools


def test_inspect_json_memories_equal_wasm_tools_print(tmp_path):
    modules = [m for m in corpus() if m.offset is None]
    toolchains = {m.toolchain for m in modules}
    assert {"emscripten", "rust", "go", "assemblyscript", "zig"} <= toolchains, toolchains
    paths = sorted({str(m.path) for m in modules})
    rc, out, err = run_cli(["inspect", "--format", "json", *paths], tmp_path)
    assert rc == 0, err
    entries = {e["path"]: e for e in json.loads(out)}
    for m in modules:
        entry = entries[str(m.path)]
        assert entry["kind"] == "wasm"
        got = [(f["origin"], (f["import"] or {}).get("module"), (f["import"] or {}).get("name"),
                f["initial_pages"], f["maximum_pages"], f["shared"], f["memory64"])
               for f in entry["facts"] if f["kind"] == "memory"]
        printed = run_wasm_tools("print", "--skeleton", str(m.path)).decode()
        expected = [row[:7] for row in memories_from_print(printed)]
        assert got == expected, f"{m.package} {m.label}"
