"""Cross-check the reader against wasm-tools on every fixture and corpus module.

Memories come from ``wasm-tools print --skeleton`` (its ``(memory ...)`` and
``(import "m" "n" (memory ...))`` lines); section ranges and vector counts from
``wasm-tools objdump``.
"""
from __future__ import annotations

import re

import pytest
from tests.wasmbuild import WAT_DIR, build_wat, corpus, run_wasm_tools

from wasmlint.wasm.reader import WasmModule, parse_module

_TOKEN = re.compile(r'\(;.*?;\)|"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+')
_ESCAPE = re.compile(r'\\(u\{[0-9a-fA-F]+\}|[0-9a-fA-F]{2}|.)')
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}


def _wat_string(tok: str) -> str:
    def sub(m: re.Match) -> str:
        e = m.group(1)
        if e.startswith("u{"):
            return chr(int(e[2:-1], 16))
        if len(e) == 2:
            return chr(int(e, 16))  # byte escapes: names in the corpus are ASCII
        return _SIMPLE_ESCAPES[e]
    return _ESCAPE.sub(sub, tok[1:-1])


def sexpr(line: str) -> list:
    """Parse one printed line into nested lists; comments dropped, strings decoded."""
    stack: list[list] = [[]]
    for tok in _TOKEN.findall(line):
        if tok.startswith("(;"):
            continue
        if tok == "(":
            stack.append([])
        elif tok == ")":
            done = stack.pop()
            stack[-1].append(done)
        elif tok.startswith('"'):
            stack[-1].append(("str", _wat_string(tok)))
        else:
            stack[-1].append(tok)
    assert len(stack) == 1, line
    return stack[0][0]


def _memory_type(items: list) -> tuple:
    items = [x for x in items if not (isinstance(x, str) and x.startswith("$"))]
    mem64 = items[:1] == ["i64"]
    if items[:1] in (["i64"], ["i32"]):
        items = items[1:]
    nums = [int(x.replace("_", ""), 0) for x in items if isinstance(x, str) and x[0].isdigit()]
    page = [int(x[1], 0) for x in items if isinstance(x, list) and x[:1] == ["pagesize"]]
    return (nums[0], nums[1] if len(nums) > 1 else None, "shared" in items, mem64,
            page[0].bit_length() - 1 if page else None)


def memories_from_print(text: str) -> list[tuple]:
    """(origin, module, name, initial, maximum, shared, memory64, page_size_log2) per memory."""
    out = []
    for line in text.splitlines():
        if line.startswith("  (import "):
            expr = sexpr(line)
            item = expr[3]
            if item[0] == "memory":
                out.append(("imported", expr[1][1], expr[2][1], *_memory_type(item[1:])))
        elif line.startswith("  (memory "):
            out.append(("defined", None, None, *_memory_type(sexpr(line)[1:])))
    return out


def memories_from_reader(mod: WasmModule) -> list[tuple]:
    return [(m.origin, m.import_module, m.import_name, m.initial, m.maximum, m.shared,
             m.memory64, m.page_size_log2) for m in mod.memories]


_OBJDUMP = re.compile(r"^\s*(.+?)\s*\|\s*0x([0-9a-f]+) -\s*0x([0-9a-f]+) \|\s*(\d+) bytes \|\s*(\d+) count")
_KINDS = {"type": "types", "import": "imports", "function": "functions", "table": "tables",
          "memory": "memories", "tag": "tags", "global": "globals", "export": "exports",
          "start": "start", "element": "elements", "datacount": "data count", "code": "code",
          "data": "data"}


def sections_from_objdump(text: str) -> list[tuple]:
    out = []
    for line in text.splitlines():
        m = _OBJDUMP.match(line)
        assert m, f"unexpected objdump line: {line!r}"
        out.append((m.group(1), int(m.group(2), 16), int(m.group(3), 16), int(m.group(5))))
    return out


def sections_from_reader(mod: WasmModule) -> list[tuple]:
    customs = iter(mod.custom_sections)
    counts = {
        "imports": len(mod.imports), "exports": len(mod.exports),
        "memories": sum(m.origin == "defined" for m in mod.memories),
        "tables": sum(t.origin == "defined" for t in mod.tables),
        "functions": mod.code_function_count, "code": mod.code_function_count,
        "data": mod.data_count, "data count": 1, "elements": mod.element_count,
        "start": 1,
    }
    out = []
    for s in mod.sections:
        if s.id == 0:
            c = next(customs)
            out.append((f'custom "{c.name}"', c.payload_offset,
                        c.payload_offset + c.payload_size, 1))
        else:
            kind = _KINDS[s.name]
            out.append((kind, s.payload_offset, s.payload_offset + s.payload_size,
                        counts.get(kind)))
    return out


def _check(data: bytes, tmp_path) -> WasmModule:
    mod = parse_module(data)
    path = tmp_path / "m.wasm"
    path.write_bytes(data)
    printed = run_wasm_tools("print", "--skeleton", str(path)).decode()
    if mod.is_component:
        assert printed.startswith("(component")
        return mod
    assert printed.startswith("(module")
    assert memories_from_reader(mod) == memories_from_print(printed)
    dumped = sections_from_objdump(run_wasm_tools("objdump", str(path)).decode())
    ours = sections_from_reader(mod)
    assert [d[:3] for d in dumped] == [o[:3] for o in ours]
    for (kind, *_, n), (_, *_, mine) in zip(dumped, ours):
        if mine is not None:
            assert n == mine, kind
    return mod


def test_print_parser_on_known_lines():
    text = "\n".join([
        '  (import "env" "memory" (memory (;0;) 256 256 shared))',
        '  (import "a\\"b" "\\u{1f600}x" (memory $m (;1;) i64 1))',
        '  (memory (;2;) 17 16384 shared)',
        '  (memory $heap (;3;) 1 2 (pagesize 0x1))',
        '  (import "env" "f" (func (;0;) (type 0)))',
    ])
    assert memories_from_print(text) == [
        ("imported", "env", "memory", 256, 256, True, False, None),
        ("imported", 'a"b', "\U0001f600x", 1, None, False, True, None),
        ("defined", None, None, 17, 16384, True, False, None),
        ("defined", None, None, 1, 2, False, False, 0),
    ]


@pytest.mark.parametrize("wat", sorted(p.name for p in WAT_DIR.glob("*.wat")))
def test_fixture_matches_wasm_tools(wat, tmp_path):
    _check(build_wat(WAT_DIR / wat), tmp_path)


def test_corpus_matches_wasm_tools(tmp_path):
    modules = corpus()
    assert len(modules) >= 30
    for m in modules:
        try:
            _check(m.read(), tmp_path)
        except AssertionError as e:
            raise AssertionError(f"{m.package} {m.label}: {e}") from None
