"""The variant runs of a CMake file, sharing what they have in common.

A variant run (``Run(files, label)``: the condition ``label`` taken) does exactly what a
run of the base does until it first compares a condition with its label: nothing else
in a run reads the label (a ``CONFIG`` variant reads its configuration everywhere, so it
runs whole). So each variant starts from a copy of a base run's state before the
top-level command (of the parent chain's files or of the main file) in which its label is
first compared, and runs the rest. (SDL's ``test/CMakeLists.txt`` has 24 variants, and each
run reads SDL's own 4,500-line ``CMakeLists.txt`` up to its ``add_subdirectory(test)`` first.)

The copies come from a *trunk*: a run of the base made after the base run, which keeps a
copy at each place a variant starts and stops after the last. The base run itself cannot
serve: what a run does depends on the files read before it (a variable some read file
sets is the project's own, not the user's: ``Files.assigned``), and the base run reads
its files as it goes, where a variant run made after it starts with all of them. So the
trunk reads no file that no run has read yet (``Files.frozen``: it stops there), and its
copies serve only while no variant run reads a new file; then a new trunk is made. Each
variant's facts are those of a whole run of it (``tests/test_cmake_variants.py``).
"""
from __future__ import annotations

import copy
from dataclasses import fields, replace

from .cmake_eval import Run
from .cmake_files import Files, NotRead


def variant_runs(files: Files, base: Run, labels: list[str], shared: bool = True):
    """Each label's run, in order, as ``Run(files, label, base.fatal).execute()`` makes it
    (``shared=False``: made so, whole)."""
    fatal = frozenset(base.fatal)
    trunk: _Trunk | None = None
    for n, label in enumerate(labels):
        if shared and not label.startswith("CONFIG ") and (trunk is None or trunk.read != len(files.by_rel)):
            trunk = _Trunk(files, base, labels[n:])
        start = trunk.start(label, fatal) if trunk is not None else None
        yield start.execute(at=start.at) if start is not None else Run(files, label, fatal).execute()


class _Trunk:
    def __init__(self, files: Files, base: Run, labels: list[str]):
        self.wanted = {base.reached[label] for label in labels if label in base.reached}
        self.kept: dict[tuple[int, int], Run] = {}
        self.read = len(files.by_rel)
        self.run = Run(files, None)
        if not self.wanted:
            return
        self.last = max(self.wanted)
        self.run.at_top = self._keep
        files.frozen = True
        try:
            self.run.execute()
        except (_Passed, NotRead):
            pass
        finally:
            files.frozen = False

    def _keep(self, run: Run) -> None:
        if run.at > self.last:
            raise _Passed
        if run.at in self.wanted:
            self.kept[run.at] = fork(run)

    def start(self, label: str, fatal: frozenset) -> Run | None:
        """A copy of the trunk's state where ``label``'s run leaves it, or None: the trunk
        did not get there, or a variant run would have stopped before (a ``FATAL_ERROR``
        the base run does not reach)."""
        kept = self.kept.get(self.run.reached.get(label))
        if kept is None or not kept.fatal <= fatal:
            return None
        run = fork(kept)
        run.on, run.base_fatal = label, fatal
        return run


class _Passed(Exception):
    """The trunk is past the last place a variant starts."""


def fork(run: Run) -> Run:
    """A copy of a run between two top-level commands (no macro or function is running)
    that runs on without changing the original."""
    new = copy.copy(run)
    for name, value in vars(run).items():
        if isinstance(value, (dict, list, set)):
            setattr(new, name, value.copy())
    new.targets = {name: replace(t, **{f.name: list(getattr(t, f.name)) for f in fields(t)
                                       if isinstance(getattr(t, f.name), list)})
                   for name, t in run.targets.items()}
    new.expansion = copy.copy(run.expansion)
    new.at_top = None
    return new
