"""How a node major sizes its JS heap when no heap flag is given, from the
``heap`` section of its flag database (``scripts/gen_node_flags.py`` measured
``v8.getHeapStatistics().heap_size_limit`` under cgroup memory limits).

Node hands V8 the smaller of the machine's memory and the cgroup limit libuv
reports; V8 derives the heap bound from it. Between two measured limits the
bound is only known to lie between their bounds (it never falls as the limit
rises), so answers are ranges and an unknown answer is None: no guess.
"""
from __future__ import annotations

from dataclasses import dataclass

from .nodeflags import FlagDB

MIB = 1 << 20
# cgroup v2 first: how current distributions, Docker and Kubernetes show a limit
VIEWS = ("cgroup-v2", "cgroup-v1")


@dataclass(frozen=True)
class HeapSizing:
    major: int
    node: str
    unlimited: int                 # bytes, on the measuring machine
    machine_mib: int               # that machine's memory
    sees_limits: bool              # whether node reads a cgroup v2 limit (node 18 does not)
    derived: dict[int, int]        # memory MiB -> heap_size_limit bytes, where node reads it

    @classmethod
    def of(cls, major: int) -> HeapSizing | None:
        data = FlagDB.for_major(major).heap
        if not data:
            return None
        views = {v: {int(k): n for k, n in data[v].items()} for v in VIEWS if v in data}
        seen = [by for by in views.values() if len(set(by.values())) > 1]
        if not seen:
            return None
        sees = VIEWS[0] in views and len(set(views[VIEWS[0]].values())) > 1
        return cls(major, data["node"], data["unlimited"], data["machine_mib"], sees, seen[0])

    def _points(self) -> list[tuple[int, int]]:
        return sorted({**self.derived, self.machine_mib: self.unlimited}.items())

    @property
    def smallest(self) -> int:
        """The smallest bound measured under any memory: what node picks at least, wherever it runs."""
        return min(heap for _, heap in self._points())

    def bounds(self, memory_bytes: int) -> tuple[int | None, int | None]:
        """(lowest, highest) heap bound in bytes node derives from ``memory_bytes`` of
        memory: the bounds measured at the nearest memories below and above it."""
        low = high = None
        for mib, heap in self._points():
            if mib * MIB <= memory_bytes:
                low = heap
            if mib * MIB >= memory_bytes and high is None:
                high = heap
        return low, high

    def reaches(self, limit_bytes: int) -> tuple[int, int] | None:
        """The smallest measured memory (MiB) from which the derived heap bound is at
        or above ``limit_bytes``, and that bound; None when no measured memory does."""
        for mib, heap in self._points():
            if heap >= limit_bytes:
                return mib, heap
        return None
