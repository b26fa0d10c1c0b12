"""A CMake file's commands are read by matching ``grammars/cmake.lark``'s terminals
(``cmake_files._scan``); lark's parse of the grammar is the reference: both give the
same commands and arguments, and what lark rejects the scan leaves to lark."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wasmlint.toolchain import cmake_files

NAMES = st.sampled_from(["set", "if", "_x1", "Add_Executable"])
ARGS = st.sampled_from(["x", "-sX=1", "${A}", "$<C:d>", "\\;", "\\(", 'a"q"b', '"a;b"', '"x\\"y"',
                        '"line\nnext"', "[[br]]", "[=[a]]b]=]", "[x", "x]", "=="])
SEPS = st.sampled_from([" ", "\t", "\n", "\r\n", "#c\n", "#[[block\n]]", "#[=[x]=]"])
BROKEN = st.sampled_from(["(", ")", '"', "\\", "[==[", "#", "x", " ", "\n"])    # anything, anywhere


@st.composite
def files(draw):
    """Commands (nested parentheses, every kind of argument and separator), with now and
    then a piece that may break the grammar put anywhere."""
    def args(depth):
        out = []
        for _ in range(draw(st.integers(0, 4))):
            out.append(draw(SEPS) if draw(st.booleans()) else " ")
            out.append("(" + args(depth + 1) + ")" if depth < 2 and draw(st.integers(0, 5)) == 0 else draw(ARGS))
        return "".join(out)
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        parts += [draw(SEPS), draw(NAMES), draw(st.sampled_from(["", " ", "\t"])), "(", args(0), ")"]
    if draw(st.integers(0, 2)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(BROKEN))
    return "".join(parts)


FIXTURES = Path(__file__).parent / "fixtures"


def _by_lark(text: str):
    try:
        tree = cmake_files._parser().parse(text)
    except Exception:        # lark's error: the scan must not accept the file
        return None
    return tuple((str(c.children[0]).lower(), cmake_files._arguments_of(c.children[1]), c.children[0].start_pos,
                  c.children[-1].end_pos) for c in tree.children if getattr(c, "data", None) == "command")


@settings(max_examples=600, deadline=None)
@given(files())
def test_scan_reads_what_lark_parses_and_rejects_what_it_rejects(text):
    assert cmake_files._scan(text) == _by_lark(text)


def test_scan_reads_every_cmake_fixture_as_lark_does():
    paths = [p for p in FIXTURES.rglob("*") if p.name == "CMakeLists.txt" or p.suffix == ".cmake"]
    assert len(paths) > 20
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert cmake_files._scan(text) == _by_lark(text), path


def test_arguments_keep_their_terminal_text_and_offset():
    text = 'add_executable(a [[x]] "q" (b c) # note\n)'
    assert cmake_files._commands(text) == (("add_executable", (
        ("UNQUOTED", "a", 15), ("BRACKET_ARG", "[[x]]", 17), ("QUOTED", '"q"', 23),
        ("paren", (("UNQUOTED", "b", 28), ("UNQUOTED", "c", 30)))), 0, len(text)),)
