"""What a static bash evaluation (``wasmlint.bash``) yields: the files it read, the
variables it bound, the commands with their words, and how positions map back to files:
the n-th file read is placed at ``n * STRIDE`` + its offset, above every position of the
given text (its own and its linked files', ``pstr.STRIDE`` apart)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Callable

from .bashwords import HERE, HERE_MARKS, known
from .toolchain import pstr
from .toolchain.pstr import UNKNOWN, PStr, join_words

STRIDE = pstr.STRIDE << 16     # the files a script reads, past the given text's linked files


@dataclass
class Loaded:
    """A project file a script sources or runs, as the reader found it."""

    path: str                  # display path
    key: str                   # its resolved path: one file reached by two names is one file
    text: str
    shell: bool = True         # a shell script (its ``#!`` line or name): what ``./x`` may run


# reader(name as written, the file that names it: None for the text given) -> the file, if in the project
Reader = Callable[[str, "Loaded | None"], "Loaded | None"]
# substitute(argument strings of a command in ``$(…)``) -> what it prints, when known
Substitute = Callable[[list[str]], "str | None"]


@dataclass(eq=False)
class Binding:
    """A variable set by an assignment, an ``export``, a command prefix, or the caller."""

    name: str
    value: PStr | list[PStr] | None        # None: exported, never set
    rng: tuple[int, int] | None = None     # input characters of the assignment (None: from the caller)
    value_rng: tuple[int, int] | None = None   # input characters of the value word
    exported: bool = False
    variant: str | None = None
    origin: object = None                  # the caller's own record of an environment entry (start, end)
    declared: bool = False                 # ``export NAME`` without a value
    exports: "Binding | None" = None       # then: the binding it exports, if NAME is set
    in_substitution: bool = False          # set inside ``$(…)``: the script's own variables do not see it
    file: int = 0                          # which of ``Run.files`` the assignment is in
    branch: tuple | None = None            # (file, statement start, branch) of the ``if``/``case`` branch it is in

    @property
    def known(self) -> bool:
        v = self.value
        return v is not None and not isinstance(v, list) and known(v)


@dataclass(eq=False)
class Word:
    """One argument node of a command and the fields bash makes of it."""

    rng: tuple[int, int]                   # input characters of the node
    bare: bool                             # ``$V``, ``${V…}``, ``"$@"``, ``"${A[@]}"`` alone: zero or many words
    fields: list[PStr]


@dataclass(eq=False)
class Command:
    words: list[Word]
    prefix: list[Binding]                  # ``VAR=x cmd``
    env: dict[str, Binding]                # exported variables in effect (prefix included)
    rng: tuple[int, int]
    in_substitution: bool = False
    variant: str | None = None
    file: int = 0                          # which of ``Run.files`` the command is in
    cwd: str | None = ""                   # folder it runs in, relative to where the text starts
    #                                        ("": there; None: unknown — an absolute or computed ``cd``)
    contests: frozenset = frozenset()      # keys of the ``if``/``case`` statements its words depend on
    #                                        whose other branches set them otherwise (``bashforks``)
    folder: str | None = ""                # ``cwd`` as the ``cd`` words say (``bashstate.written_folder``)

    @property
    def argv(self) -> list[PStr]:
        return [f for w in self.words for f in w.fields]


@dataclass
class Run:
    commands: list[Command] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)   # statement-level assignments and exports
    error: tuple[int, str, bool] | None = None   # first syntax error: input character, node type, missing
    unknown_text: dict[tuple[int, int], str] = field(default_factory=dict)
    files: list[Loaded | None] = field(default_factory=lambda: [None])   # 0: the text given
    # the same without ``variants`` and ``substitute``, and with ``forks`` that evaluate no other
    # branch (``bash._would_fork``): no ``${V:+…}`` switch, no ``$(cmd …)`` that a ``substitute``
    # may know, no ``${V-…}`` of a variable set only elsewhere, no branch evaluated by a fork
    plain: bool = False
    # the ``if``/``case`` statements whose branches set variables otherwise (``bashforks``: keys)
    contested: frozenset = frozenset()
    reads: bool = False          # a project file was asked for: another reader may find other files
    # the environment it started with (``bash.evaluate``'s ``env``): the caller's bindings, which
    # another caller giving the same values reads by name
    given: dict[str, Binding] = field(default_factory=dict)


def file_of(pos: int) -> int:
    """Which of ``Run.files`` a position is in (-1: none)."""
    return pos // STRIDE if pos >= 0 else -1


def localize(p: PStr, home: int, at: tuple[int, int], force: bool = False) -> tuple[PStr, int]:
    """``p`` in the positions of one file, and which file: the one every placed character
    comes from (unless ``force``), else ``home``, where characters from elsewhere are
    spread over ``at`` (a range of ``home``, in ``home``'s own positions)."""
    last = max(p.starts, default=-1)
    if last < STRIDE and (home == 0 or last >= 0 and not force):
        return p, 0              # all placed in the text's own positions already (a C scan)
    files = {file_of(x) for x in p.starts if x >= 0}
    f = next(iter(files)) if len(files) == 1 and not force else home
    if f == 0 and files <= {0}:
        return p, 0
    base = f * STRIDE
    starts = tuple(x - base if file_of(x) == f else (at[0] if x >= 0 else -1) for x in p.starts)
    ends = tuple(e - base if file_of(x) == f else (at[1] if x >= 0 else -1) for x, e in zip(p.starts, p.ends))
    return PStr(p.text, starts, ends), f


def folders(p: PStr, run: Run, home: int) -> PStr:
    """``p`` with each ``here`` mark written as the folder it stands for, relative to the
    folder of file ``home`` (``.`` for its own: ``"$(dirname "$0")/out"`` is ``./out``);
    unknown where the file has no path (the text of a package.json script)."""
    if HERE_MARKS.search(p.text) is None:
        return p
    marks = list(HERE_MARKS.finditer(p.text))
    parts, pos = [], 0
    for m in marks:
        k = m.start()
        parts.append(p[pos:k])
        f = ord(m.group()) - HERE
        if f < len(run.files) and run.files[f] is not None and run.files[home] is not None:
            rel = posixpath.relpath(posixpath.dirname(run.files[f].path) or ".",
                                    posixpath.dirname(run.files[home].path) or ".")
            parts.append(PStr.spread(rel, p.starts[k], p.ends[k]))
        else:
            parts.append(PStr.spread(UNKNOWN, p.starts[k], p.ends[k]))
        pos = k + 1
    parts.append(p[pos:])
    return PStr.join(parts)


def size(v) -> int:
    return sum(map(len, v)) if isinstance(v, list) else len(v)


def join(v: PStr | list[PStr]) -> PStr:
    """An array as one word: its elements joined by blanks."""
    return v if isinstance(v, PStr) else join_words(v)
