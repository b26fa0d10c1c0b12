"""Every source reads its pathological inputs in time linear in their size.

Each generator of ``fuzz/pathological.py`` (repeated tokens of a kind's own syntax and
of the syntaxes embedded in it) is read by a whole ``check`` at 12 and 48 KB. Four times
the input may take at most ``MAX_GROWTH`` times the CPU time: linear is 4, quadratic 16.
This compares ratios on one machine in one run, never absolute times; the slowest input
of every source at 64–512 KB is printed by ``scripts/bench_pathological.py``.
"""
from __future__ import annotations

import pytest

from fuzz.pathological import cases, measure

MAX_GROWTH = 8.0
FLOOR = 0.05     # CPU seconds below which a run is start-up cost and noise, not growth

CASES = list(cases())


@pytest.fixture(scope="module", autouse=True)
def _warm():
    measure("dockerfile", b"FROM node:20\n")      # imports and rule loading are not the input's


@pytest.mark.parametrize("kind,name,gen", CASES, ids=[f"{k}-{n}" for k, n, _ in CASES])
def test_time_grows_linearly(kind, name, gen):
    small = measure(kind, gen(12 * 1024), runs=2)
    big = measure(kind, gen(48 * 1024))
    if big > MAX_GROWTH * max(small, FLOOR):      # one more try: a busy machine's spike
        big = min(big, measure(kind, gen(48 * 1024)))
    assert big <= MAX_GROWTH * max(small, FLOOR), (
        f"{kind} {name}: 12 KB took {small:.3f}s, 48 KB {big:.3f}s ({big / max(small, FLOOR):.1f}x for 4x the input)")


def test_generators_make_inputs_of_the_size_asked():
    for kind, name, gen in CASES:
        data = gen(64 * 1024)
        assert 64 * 1024 <= len(data) <= 80 * 1024, (kind, name, len(data))


def test_every_source_has_pathological_inputs():
    import pkgutil
    import wasmlint.sources as sources
    from importlib import import_module
    from fuzz.pathological import GENERATORS
    kinds = {m.name.replace("_", "-") for m in pkgutil.iter_modules(sources.__path__)
             if hasattr(import_module(f"wasmlint.sources.{m.name}"), "extract")}
    assert kinds - set(GENERATORS) == set()
