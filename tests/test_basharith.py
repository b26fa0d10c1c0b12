"""Shell arithmetic as bash computes it (values checked against bash itself)."""
from __future__ import annotations

import subprocess

import pytest
import tree_sitter_bash
from tree_sitter import Language, Parser

from wasmlint.basharith import evaluate

CASES = ["$((1 << 27))", "$((1 << 31))", "$(( (X + 2) * 1024 ))", "$((7 / 2))", "$((-7 / 2))",
         "$((-7 % 3))", "$((X > 3 ? 1 : 2))", "$((0x10 + 010))", "$((2 ** 10))", "$((16#ff))",
         "$((~5 & 0xff))", "$((X * X - 1))"]


def _node(expr: str):
    tree = Parser(Language(tree_sitter_bash.language())).parse(f"echo {expr}".encode())
    return tree.root_node.children[0].children[1]


@pytest.mark.parametrize("expr", CASES)
def test_known_arithmetic_equals_bash(expr):
    want = subprocess.run(["bash", "-c", f"X=6; echo {expr}"], capture_output=True, text=True, check=True)
    assert evaluate(_node(expr), {"X": "6"}.get) == int(want.stdout)


@pytest.mark.parametrize("expr", ["$((Y + 1))", "$((i++))", "$((1 / 0))", "$((X = 3))"])
def test_unknown_terms_and_side_effects_make_it_unknown(expr):
    assert evaluate(_node(expr), {"X": "6"}.get) is None
