"""string(REGEX …) runs a linted tree's expression only when its backtracking is bounded."""
from __future__ import annotations

from wasmlint.toolchain.cmake_compiler import _compile


def test_expressions_whose_backtracking_explodes_are_not_run():
    assert _compile(r"(a+)+$", 10) is None           # repetition inside repetition
    assert _compile(r"(a|ab)*c", 10) is None         # alternation under repetition
    assert _compile(r"a*a*a*a*b", 500) is None       # a power of the input past the bound


def test_usual_configure_expressions_run():
    assert _compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)", 40) is not None
    assert _compile(r"^#define __EMSCRIPTEN__ ([0-9]+)", 2000) is not None
    assert _compile(r"__EMSCRIPTEN__", 100000) is not None
