"""The measured heap bounds (``heap`` in the flag database) and how WL201 reads them."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.test_nodeflags import gen
from wasmlint.nodeflags import FlagDB, available_majors
from wasmlint.nodeheap import MIB, HeapSizing

NODE = shutil.which("node") or "/usr/bin/node"


@pytest.mark.parametrize("major", available_majors())
def test_every_major_is_measured_and_the_bound_never_falls_as_the_limit_rises(major):
    heap = FlagDB.for_major(major).heap
    assert heap["node"].startswith(f"{major}.") and set(heap["how"]) == set(gen.HEAP_VIEWS)
    for view in gen.HEAP_VIEWS:
        points = sorted((int(k), v) for k, v in heap[view].items())
        assert [k for k, _ in points] == list(gen.HEAP_LIMITS_MIB)
        bounds = [v for _, v in points]
        assert bounds == sorted(bounds), f"node {major} {view}: not monotone"


def test_node_18_does_not_read_a_cgroup_v2_limit_and_later_majors_do():
    v2 = {m: FlagDB.for_major(m).heap["cgroup-v2"] for m in available_majors()}
    assert len(set(v2[18].values())) == 1                       # 4144 MiB whatever the limit
    assert len(set(FlagDB.for_major(18).heap["cgroup-v1"].values())) > 1
    assert HeapSizing.of(18).sees_limits is False
    for m in (20, 22, 24, 26):
        assert HeapSizing.of(m).sees_limits is True
        assert v2[m]["256"] >= 256 * MIB > v2[m]["64"] - 64 * MIB   # the floor reaches a 256 MiB limit
        assert v2[m]["1024"] < 1024 * MIB                           # about half of a 1 GiB limit


def test_bounds_between_measured_limits_and_the_memory_a_bound_reaches():
    s = HeapSizing.of(20)
    assert s.bounds(256 * MIB) == (s.derived[256], s.derived[256]) and s.derived[256] >> 20 == 259
    low, high = s.bounds(900 * MIB)     # between the 768 and 1024 MiB measurements
    assert (low, high) == (s.derived[768], s.derived[1024])
    assert s.bounds(32 * MIB) == (None, s.derived[64])   # below every measurement: no lower bound
    assert s.reaches(500 * MIB) == (1024, s.derived[1024])
    assert s.reaches(64 << 30) is None


def test_node_20_heap_under_a_cgroup_v2_limit_is_what_the_data_says():
    """The generator's emulated cgroup v2 view, re-run with the machine's node 20."""
    data = FlagDB.for_major(20).heap["cgroup-v2"]
    with tempfile.TemporaryDirectory() as scratch:
        for mib in (256, 2048):
            how, heap = gen.heap_under(Path(NODE), "cgroup-v2", mib, Path(scratch))
            assert how == "files" and heap == data[str(mib)]
