"""The constant evaluator and name resolution on forms real loaders and glue use."""
from __future__ import annotations

import pytest

from wasmlint.js.parse import Doc
from wasmlint.js.values import UNKNOWN, Big, Evaluator


def value_of_last(source: str, path: str = "loader.js"):
    """The value of the last expression statement of ``source``."""
    doc = Doc(path, source.encode())
    stmt = [n for n in doc.root.named_children if n.type == "expression_statement"][-1]
    return Evaluator(doc).value(stmt.named_children[0])


@pytest.mark.parametrize("source, expected", [
    ("16777216 / 65536;", 256),
    ("0x1000000 >> 16;", 256),
    ("1_048_576 * 200 / 65536;", 3200),
    ("Math.ceil((32 + 64) * 1.2 * 1024 * 1024 / 65536);", 1844),
    ("Math.pow(2, 16);", 65536),
    ("1 << 31;", -2147483648),
    ("(2 * 1024 * 1024 * 1024 - 64 * 1024) / 65536;", 32767),
    ("BigInt(16777216 / 65536);", 256),
    ("!0;", True),
    ("!1;", False),
    ("'--no-liftoff' + ' ' + '--no-wasm-tier-up';", "--no-liftoff --no-wasm-tier-up"),
    ("`--max-old-space-size=${4096}`;", UNKNOWN),
    ("Module['INITIAL_MEMORY'] || 16777216;", 16777216),
    ("options.maximum ?? 4096;", 4096),
    ("Math.max(256, pages);", UNKNOWN),
])
def test_expressions(source, expected):
    assert value_of_last(source) == expected


def test_bigint_literals_stay_bigint():
    v = value_of_last("16n * 1024n;")
    assert v == 16384 and isinstance(v, Big)


def test_consts_object_reads_and_single_assignment():
    src = """
const KB = 1024, MB = 1024 * KB;
const config = { heapMb: 200, threads: 4 };
let pages;
pages = config.heapMb * MB / 65536;
pages;
"""
    assert value_of_last(src) == 3200


def test_emscripten_pthreads_default_then_reassignment():
    # ffmpeg-core-mt style: the use sits between the declaration and a later write
    src = ('var Module = typeof Module != "undefined" ? Module : {};'
           'var INITIAL_MEMORY=Module["INITIAL_MEMORY"]||1073741824;'
           'if(!Module["wasmMemory"]){INITIAL_MEMORY/65536;}'
           'INITIAL_MEMORY=wasmMemory.buffer.byteLength;')
    doc = Doc("glue.js", src.encode())
    ev = Evaluator(doc)
    use = [n for n in doc.words("INITIAL_MEMORY", ("identifier",))][1]
    assert ev.value(use.parent) == 16384


def test_shadowed_minified_names_resolve_per_function():
    src = "var a=1;function f(){var a=256;return a}function g(a){return a}"
    doc = Doc("min.js", src.encode())
    ev = Evaluator(doc)
    uses = [n for n in doc.words("a", ("identifier",)) if n.parent.type == "return_statement"]
    assert [ev.value(u) for u in uses] == [256, UNKNOWN]


def test_names_written_in_a_loop_or_elsewhere_are_unknown():
    src = "let n = 4; for (const x of xs) { n = n * 2; } n;"
    assert value_of_last(src) is UNKNOWN
    src = "let n = 4; function more() { n = 64; } n;"
    assert value_of_last(src) is UNKNOWN


def test_typescript_wrappers_are_transparent():
    src = "const PAGES = (128 * 1024 * 1024) / 65536 as number;\nPAGES!;"
    assert value_of_last(src, "memory.ts") == 2048
