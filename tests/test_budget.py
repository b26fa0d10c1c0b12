"""The per-file work budget (wasmlint/budget.py): a file past it is one WL001 and the
run goes on; a file within it is analysed as before."""
from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.pathological import GENERATORS
from wasmlint import budget
from wasmlint.config import Config
from wasmlint.pipeline import run_check
from wasmlint.ruleset import all_rules


def _messages(tmp_path: Path) -> list[str]:
    res = run_check([str(tmp_path)], Config(root=tmp_path), all_rules(), jobs=1)
    return sorted(f"{Path(d.span.path).relative_to(tmp_path)}:{d.span.line}: {d.code} {d.message}" for d in res.diagnostics)


def test_a_launch_of_more_words_than_the_item_budget_is_one_finding(tmp_path):
    """A Procfile line `web: node --a0=1 --a1=1 …` of 28,000 flags: each would be one
    WL206 and cost every flag rule; past ``MAX_ITEMS`` the file is not analysed, and the
    other files of the project still are."""
    long_line = GENERATORS["procfile"][1]["long-line"](256 << 10)
    assert long_line.count(b" --a") > budget.MAX_ITEMS
    (tmp_path / "Procfile").write_bytes(long_line)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Procfile").write_text("web: node --a0=1 server.js\n")
    assert _messages(tmp_path) == [
        f"Procfile:1: WL001 not analysed: over budget (more than {budget.MAX_ITEMS:,} node launches and "
        "their words and other items to check)",
        "api/Procfile:1: WL206 unknown node flag `--a0=1`: node 26 refuses to start (\"bad option\", "
        "exit code 9)",
    ]


def test_charges_past_the_bound_stop_the_file():
    try:
        with budget.for_file(100):
            budget.charge(budget.MAX_ITEMS, "node launches")
            budget.charge(1, "node launches")
    except budget.OverBudget as exc:
        assert str(exc) == f"more than {budget.MAX_ITEMS:,} node launches and other items to check"
    else:
        raise AssertionError("the item past the bound did not stop the file")


def test_a_shell_script_nested_past_what_tree_sitter_queries_read_is_one_finding(tmp_path):
    """``A=$(echo $(echo …))`` 40,000 deep: tree-sitter's queries miss nodes past some 32,767
    levels and slow down with the square of the depth (3 minutes at 512 KB); past
    ``bashtree.QUERY_DEPTH`` nodes the file is not analysed, and a script nested as real
    ones are still is."""
    from wasmlint.bashtree import QUERY_DEPTH, deeper_than, parser
    deep = GENERATORS["shell"][1]["substitutions"](320 << 10)
    assert deeper_than(parser().parse(deep).root_node, QUERY_DEPTH)
    (tmp_path / "build.sh").write_bytes(deep)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "build.sh").write_text("#!/bin/sh\nA=$(echo $(echo x))\nnode --a0=1 \"$A\".js\n")
    shallow = parser().parse(b"A=$(echo $(echo x))\n").root_node
    assert deeper_than(shallow, 4) and not deeper_than(shallow, 12)
    assert _messages(tmp_path) == [
        f"api/build.sh:3: WL206 unknown node flag `--a0=1`: node 26 refuses to start (\"bad option\", "
        "exit code 9)",
        f"build.sh:1: WL001 not analysed: over budget (shell nested more than {QUERY_DEPTH:,} deep)",
    ]


def test_a_compiler_command_of_more_settings_than_the_item_budget_is_one_finding(tmp_path):
    """A Meson cross file whose `c_link_args` holds 19,000 `-sX…=1`: each setting is a fact
    every setting rule reads (here each one WL511), so they count as items like a launch's
    words; past ``MAX_ITEMS`` the file is not analysed, and a real cross file still is."""
    cross = GENERATORS["meson-cross"][1]["long-array"](256 << 10)
    assert cross.count(b"'-sX") > budget.MAX_ITEMS
    (tmp_path / "emscripten.cross").write_bytes(cross)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "emscripten.cross").write_text(
        "[binaries]\nc = 'emcc'\n[built-in options]\nc_link_args = ['-sALLOW_MEMORY_GROWHT=1']\n")
    assert _messages(tmp_path) == [
        f"emscripten.cross:1: WL001 not analysed: over budget (more than {budget.MAX_ITEMS:,} "
        "emcc settings and other items to check)",
        "web/emscripten.cross:4: WL511 emcc rejects `-sALLOW_MEMORY_GROWHT`: Attempt to set a non-existent "
        "setting: 'ALLOW_MEMORY_GROWHT' - did you mean one of ALLOW_MEMORY_GROWTH, ALLOW_TABLE_GROWTH?",
    ]


def test_a_file_of_many_unknown_names_leaves_the_suggestions_of_later_files(tmp_path):
    """"Did you mean" is bounded per file (256 new names), not per process: after a file of
    thousands of made-up settings, a later file (another run of the language server, the
    next test) still gets emcc's suggestion, as it would in a fresh process."""
    (tmp_path / "emscripten.cross").write_bytes(GENERATORS["meson-cross"][1]["long-array"](64 << 10))
    run_check([str(tmp_path)], Config(root=tmp_path), all_rules(), jobs=1)
    (tmp_path / "emscripten.cross").write_text(
        "[binaries]\nc = 'emcc'\n[built-in options]\nc_link_args = ['-sALLOW_MEMORY_GROWH=1']\n")
    assert _messages(tmp_path) == [
        "emscripten.cross:4: WL511 emcc rejects `-sALLOW_MEMORY_GROWH`: Attempt to set a non-existent "
        "setting: 'ALLOW_MEMORY_GROWH' - did you mean one of ALLOW_MEMORY_GROWTH, ALLOW_TABLE_GROWTH?",
    ]


def test_a_long_node_text_is_read_in_few_pieces_after_a_bounded_parse():
    """A tree parsed within a file's budget reads from a callback, and ``node.text`` reads
    through it again: a 4 MB embedded module (opencv.js's SINGLE_FILE base64) read in
    pieces of a word's size was 16,000 calls whose joining copies all read so far (8 s).
    The pieces double while a read goes on from the last; a short node reads one."""
    import tree_sitter
    import tree_sitter_javascript

    class Counted(bytes):
        reads = 0

        def __getitem__(self, key):
            Counted.reads += 1
            return bytes.__getitem__(self, key)

    literal = b'"' + b"AGFzbQEAAAA" * (400 << 10) + b'"'
    data = Counted(b"var wasmBinaryFile = " + literal + b";\nvar Module = {};\n")
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))
    with budget.for_file(len(data)):
        tree = budget.parse(parser, data)
    declarators = [s.named_children[0] for s in tree.root_node.named_children]
    string, name = declarators[0].child_by_field_name("value"), declarators[1].child_by_field_name("name")
    Counted.reads = 0
    assert string.text == literal
    assert Counted.reads < 32
    Counted.reads = 0
    assert name.text == b"Module" and Counted.reads == 1


def test_a_long_node_text_read_through_the_callback_does_not_read_freed_pieces():
    """py-tree-sitter 0.26's ``node_get_text`` lets go of each piece the reader returns
    before it reads the piece again (for the points): a piece of a MB was unmapped when freed,
    and reading tesseract.js-core's 4.6 MB base64 literal crashed the process. With every
    allocation of 128 KiB and more mapped alone (glibc's ``MALLOC_MMAP_THRESHOLD_``), a
    piece read after it is freed faults at once."""
    import os
    import subprocess
    import sys
    code = ("from wasmlint import budget\n"
            "from wasmlint.js import parse\n"
            "literal = b'\"' + b'AGFzbQEAAAA' * (400 << 10) + b'\"'\n"
            "data = b'var f = 1;\\n' * 5000 + b'var wasmBinaryFile = ' + literal + b';\\n'\n"
            "with budget.for_file(len(data)):\n"
            "    tree = budget.parse(parse.parser('javascript'), data)\n"
            "node = tree.root_node.named_children[-1].named_children[0].child_by_field_name('value')\n"
            "print(node.text == literal)\n")
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert (run.returncode, run.stdout.strip()) == (0, "True"), run.stderr[-2000:]


def test_short_texts_parsed_at_once_are_still_charged():
    """A text of up to ``SHORT_TEXT`` bytes (a recipe, a script's line) is parsed from its
    bytes, not stopped midway: its time is charged all the same, and once the file's
    parse time is spent the next parse ends the file (F6's ``emcc ))))…`` in many lines)."""
    from wasmlint.bashtree import parser
    data = b"emcc " + b")" * (budget.SHORT_TEXT - 5)     # error recovery: milliseconds a parse
    parsed = 0
    with budget.for_file(0):
        budget.current().parse_seconds = 0.005
        with pytest.raises(budget.OverBudget):
            for _ in range(10_000):
                budget.parse(parser(), data)
                parsed += 1
    assert 1 <= parsed < 10_000


def test_a_link_over_the_bound_is_cut_before_its_settings_are_read(tmp_path, monkeypatch):
    """A meson ``link_args`` of 20,000 ``-s`` settings: the link's ``-s`` words are charged
    when it is found, so the file is cut before each setting is parsed."""
    from wasmlint.toolchain import emcc
    read = []
    real = emcc.parse_use
    monkeypatch.setattr(emcc, "parse_use", lambda *a: read.append(1) or real(*a))
    (tmp_path / "meson.build").write_bytes(GENERATORS["meson"][1]["link-args"](256 << 10))
    assert _messages(tmp_path) == [
        f"meson.build:1: WL001 not analysed: over budget (more than {budget.MAX_ITEMS:,} emcc settings "
        "and other items to check)"]
    assert read == []


def test_a_cmake_file_over_the_bound_is_cut_while_it_is_run(tmp_path, monkeypatch):
    """A CMakeLists calling a macro that adds a target with a link option 13,000 times: its
    targets and their ``-s`` options are charged as the run finds them, so the file is cut
    midway, before its links are built; a file within the bound charges each once."""
    from wasmlint.toolchain import cmake
    built = []
    real = cmake.build_facts
    monkeypatch.setattr(cmake, "build_facts", lambda *a, **k: built.append(1) or real(*a, **k))
    (tmp_path / "CMakeLists.txt").write_bytes(GENERATORS["cmake"][1]["macro-calls"](256 << 10))
    assert _messages(tmp_path) == [
        f"CMakeLists.txt:1: WL001 not analysed: over budget (more than {budget.MAX_ITEMS:,} compiler commands "
        "and other items to check)"]
    assert built == []
    (tmp_path / "CMakeLists.txt").write_bytes(GENERATORS["cmake"][1]["macro-calls"](48 << 10))
    with budget.for_file(48 << 10):
        facts = cmake.cmake_facts((tmp_path / "CMakeLists.txt").read_text(), "CMakeLists.txt")
        left = budget.current().items
    assert len(built) > 2000 and budget.MAX_ITEMS - left == len(facts)
