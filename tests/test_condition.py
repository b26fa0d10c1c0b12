"""The rule condition language: grammar samples with their expected values."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from wasmlint.condition import ConditionError, compile_expr, compile_template

SAMPLES = Path(__file__).parent / "grammar_samples" / "condition.txt"


class _Names:
    names = {
        "initial_pages": 3000, "maximum_pages": None, "growable": True, "shared": False,
        "flags": ["--max-old-space-size=4096", "--no-liftoff"],
        "target": {"name": "ios", "budget_bytes": 128 << 20},
        "policy": {"workload-mb": 64},
    }

    def lookup(self, name):
        if name not in self.names:
            raise ConditionError(f"no {name}")
        return self.names[name]


def _samples():
    for line in SAMPLES.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            expr, _, expected = line.partition("=>")
            yield expr.strip(), json.loads(expected.strip())


@pytest.mark.parametrize("expr,expected", list(_samples()))
def test_sample(expr, expected):
    assert compile_expr(expr)(_Names()) == expected


@pytest.mark.parametrize("bad", ["initial_pages >", "foo(1)", "a ==== b", "'unclosed", "if x"])
def test_bad_expressions_are_clear_errors(bad):
    with pytest.raises(ConditionError):
        compile_expr(bad)


def test_template_with_expressions_formats_and_escapes():
    render = compile_template("{initial_pages:,} pages = {bytes(initial_pages * 65536)}; {{literal}}")
    assert render(_Names()) == "3,000 pages = 187.5 MiB; {literal}"


def test_unknown_name_is_an_error_not_a_silent_false():
    with pytest.raises(ConditionError):
        compile_expr("no_such_attribute > 1")(_Names())
