"""The build view of shell text: what ``wasmlint.bash`` evaluates, as argument
lists (``Tok``) with spans for the emcc / cargo readers.

The text is a ``PStr``: a whole script, a Makefile recipe after Make expansion, a
package.json script; every argument keeps its position, in the file it was
written in (a sourced file, a function defined in one). The script is evaluated
once per ``${V:+…}`` variant (ffmpeg.wasm's ``FFMPEG_ST``/``FFMPEG_MT``); commands
inside ``$(…)`` build nothing and are left out, and a ``$(cmd …)`` whose output the
caller's ``substitute`` knows (``node file.js`` printing a constant) is that output,
trailing newlines removed, as the shell gives it. A value that cannot be known
(``$@``, a variable from outside) holds ``UNKNOWN``. ``cd DIR`` (and ``pushd``/``popd``)
moves the folder later commands run in (``Command.cwd``), until the end of a ``( … )``
subshell. Nothing is ever run.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ..lazy import cached_property

from .. import bash, bashrun
from ..bashwords import has_here, plain
from ..facts import Span
from .pstr import LineIndex, PStr, Tok, shell_split


@dataclass
class Command:
    argv: list[Tok]
    prefix: dict[str, PStr]           # VAR=value words before the command
    env: dict[str, PStr]              # exported variables at this point
    span: Span
    variant: str | None = None
    index: LineIndex | None = None    # of the file the command is written in
    env_index: dict[str, LineIndex] = field(default_factory=dict)   # of the files env values are written in
    inherited: frozenset[str] = frozenset()   # env entries the caller gave that the text left as they were
    cwd: str | None = ""              # folder it runs in, relative to where the text starts ("": there;
    #                                   None: unknown — an absolute or computed ``cd``)
    folder: str | None = ""           # that folder as the ``cd`` words say, unknown parts kept

    @cached_property
    def words(self) -> list[str]:
        """The arguments' text, made once for every build reader of the command."""
        return [t.value for t in self.argv]

    def env_words(self, name: str, index: LineIndex) -> list[Tok]:
        """The words a tool splits the variable ``name`` of the environment into (emcc its
        EMCC_CFLAGS, cmake and configure their CFLAGS/LDFLAGS), in the file it was written in
        (``index`` when not known)."""
        value = self.env.get(name)
        if not isinstance(value, PStr):
            return []
        at = self.env_index.get(name, index)
        return [Tok(w, at) for w in shell_split(value)]

    def value_words(self, k: int, skip: int, index: LineIndex | None = None) -> list[Tok]:
        """The words a tool splits argument ``k``'s text from ``skip`` on into (configure's
        ``CFLAGS="$F"``, which make passes on unquoted), each in the file its characters come
        from, as ``env_words`` (``index`` when the argument's file is not known)."""
        t = self.argv[k]
        return [Tok(w, t.index or index) for w in shell_split(t.text[skip:])]


@dataclass
class Assignment:
    name: str
    value: PStr | list[PStr]
    span: Span
    exported: bool
    variant: str | None = None
    index: LineIndex | None = None
    branch: tuple | None = None       # the ``if``/``case`` branch it is in (``bash.Binding.branch``)


@dataclass
class ShellResult:
    commands: list[Command] = field(default_factory=list)
    error_at: int | None = None       # char offset (in the source PStr) of the first syntax error
    bindings: list = field(default_factory=list, repr=False)
    view: "_View | None" = field(default=None, repr=False)

    @property
    def assignments(self) -> list[Assignment]:
        return self.assignments_of(None)

    def assignments_of(self, names: tuple[str, ...] | None) -> list[Assignment]:
        """Those of the variables ``names`` (None: all), placed only when asked for (a script
        of thousands of assignments places none a build fact does not read)."""
        return [self.view.assignment(b) for b in self.bindings
                if (names is None or b.name in names) and not (b.declared or b.in_substitution)]


def evaluate(source: PStr, index: LineIndex, env: dict[str, PStr] | None = None,
             files: bash.Reader | None = None, root: bash.Loaded | None = None,
             substitute: bash.Substitute | None = None, builds=None) -> ShellResult:
    """Every variant of ``source``: commands and assignments, in order; ``files`` reads the
    project files it sources or runs (``root``: the file ``source`` is), ``substitute``
    knows what some commands print (their argument strings -> output, or None); ``builds``
    (a command's words -> whether it may build): those commands also as each branch of an
    ``if``/``case`` whose test is not known makes them (``bashforks``)."""
    given = {k: bash.Binding(k, v, exported=True) for k, v in (env or {}).items()}
    run = bash.evaluate(source, given, variants=True, reader=files, root=root, substitute=substitute,
                        forks=builds)
    view = _View(source, index, run)
    out = ShellResult(error_at=run.error[0] if run.error else None)
    out.commands = [_Placed(view, c) for c in run.commands if not c.in_substitution]
    out.bindings, out.view = run.bindings, view
    return out


class _Placed(Command):
    """A command of an evaluation, placed in its file when first read: a reader that looks
    at a command's ``words`` only (most commands of a script build nothing) places none
    of its arguments, its environment or its span."""

    def __init__(self, view: "_View", c: bash.Command):
        self._view, self._c = view, c
        self.variant, self.index, self.cwd, self.folder = c.variant, view.indexes[c.file], c.cwd, c.folder

    @cached_property
    def words(self) -> list[str]:
        texts = [f.text for w in self._c.words for f in w.fields]
        return texts if not has_here("".join(texts)) else [t.value for t in self.argv]   # `tok` keeps the text

    @cached_property
    def argv(self) -> list[Tok]:
        c = self._c
        return [self._view.tok(f, c.file, w.rng) for w in c.words for f in w.fields]

    def value_words(self, k: int, skip: int, index: LineIndex | None = None) -> list[Tok]:
        """As ``Command.value_words``, each word placed by its own characters: in
        ``CFLAGS="$PCEJS_CFLAGS"`` of a variable another script exported, a word written wholly
        there is that script's (the argument mixes both files, so ``argv`` places it here)."""
        c, view = self._c, self._view
        rng, p = [(w.rng, f) for w in c.words for f in w.fields][k]
        at = view.place(c.file, rng)
        out = []
        for w in shell_split(plain(bashrun.folders(p[skip:], view.run, c.file))):
            q, f = bashrun.localize(w, c.file, at)
            out.append(Tok(q, view.indexes[f]))
        return out

    @cached_property
    def env(self) -> "_Env":
        c = self._c
        return _Env(self._view, c.env, c.file, c.rng)

    @cached_property
    def prefix(self) -> dict[str, PStr]:
        return {b.name: self.env[b.name] for b in self._c.prefix}

    @cached_property
    def span(self) -> Span:
        return self._view.span(self._c.file, self._c.rng)

    @cached_property
    def env_index(self) -> "_EnvIndex":
        return _EnvIndex(self.env)

    def env_words(self, name: str, index: LineIndex) -> list[Tok]:
        return self.env.words(name)

    @cached_property
    def inherited(self) -> frozenset[str]:
        given, env = self._view.run.given, self._c.env
        return frozenset(k for k, b in given.items() if env.get(k) is b and b.value is not None) \
            if given else frozenset()


class _Env(Mapping):
    """A command's exported environment, each value placed in its file when it is read:
    a script exporting thousands of variables reads a few of them per command. The
    command's own place (``rng``), where a value from elsewhere is put, is found when a
    value is first read: most commands' readers find no variable they ask for."""

    def __init__(self, view: "_View", env: dict[str, bash.Binding], file: int, rng: tuple[int, int]):
        self.view, self.env, self.file, self.rng = view, env, file, rng
        self.placed: dict[str, tuple[PStr, int]] = {}

    @cached_property
    def at(self) -> tuple[int, int]:
        return self.view.place(self.file, self.rng)

    def value(self, name: str) -> tuple[PStr, int]:
        """The value of ``name`` and which file its characters are in."""
        got = self.placed.get(name)
        if got is None:
            b = self.env[name]
            if b.value is None:
                raise KeyError(name)
            got = self.placed[name] = self.view.value(bashrun.join(b.value), self.file, self.at)
        return got

    def words(self, name: str) -> list[Tok]:
        """The value of ``name`` split into words, each in the file its characters come from:
        a value one script extends with its own flags (``export LDFLAGS="$LDFLAGS -s…"`` over
        a sourced common.sh's) holds words of both files, and a tool reading the environment
        (emcc, cmake, configure, make) gets each word as written there, so a setting in it is
        placed where it was written, not at the command. A word made of both files' characters
        (``-L$OUT/lib``) is the command's file's, as ``value`` places the whole."""
        b = self.env.get(name)
        if b is None or b.value is None:
            return []
        view = self.view
        out = []
        for w in shell_split(plain(bashrun.folders(bashrun.join(b.value), view.run, self.file))):
            q, f = bashrun.localize(w, self.file, self.at)
            out.append(Tok(q, view.indexes[f]))
        return out

    def __getitem__(self, name: str) -> PStr:
        return self.value(name)[0]

    def get(self, name: str, default=None):
        b = self.env.get(name)       # most commands have no such variable: no KeyError raised and caught
        return default if b is None or b.value is None else self.value(name)[0]

    def __contains__(self, name) -> bool:
        b = self.env.get(name)
        return b is not None and b.value is not None

    def __iter__(self):
        return (k for k, b in self.env.items() if b.value is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _EnvIndex(Mapping):
    """Of the files an ``_Env``'s values are written in."""

    def __init__(self, env: _Env):
        self.env = env

    def __getitem__(self, name: str) -> LineIndex:
        return self.env.view.indexes[self.env.value(name)[1]]

    def __iter__(self):
        return iter(self.env)

    def __len__(self) -> int:
        return len(self.env)


class _View:
    def __init__(self, source: PStr, index: LineIndex, run: bash.Run):
        self.source, self.run = source, run
        self.indexes = [index] + [LineIndex(f.text, f.path) for f in run.files[1:]]

    def assignment(self, b: bash.Binding) -> Assignment:
        at = self.place(b.file, b.value_rng)
        value = [self.local(v, b.file, at) for v in b.value] if isinstance(b.value, list) else \
            self.local(b.value, b.file, at)
        return Assignment(b.name, value, self.span(b.file, b.rng), b.exported, b.variant, self.indexes[b.file],
                          b.branch)

    def place(self, file: int, rng: tuple[int, int]) -> tuple[int, int]:
        """A range of input characters as positions of its file."""
        if file:
            return rng
        return self.source.source_range(*rng) or (-1, -1)

    def span(self, file: int, rng: tuple[int, int]) -> Span:
        r = self.place(file, rng)
        return self.indexes[file].span(*r) if r[0] >= 0 else Span(self.indexes[file].path)

    def local(self, p: PStr, file: int, at: tuple[int, int]) -> PStr:
        """A value read at ``at`` in ``file``: its characters from other files are placed there."""
        return bashrun.localize(plain(bashrun.folders(p, self.run, file)), file, at, force=True)[0]

    def value(self, p: PStr, file: int, at: tuple[int, int]) -> tuple[PStr, int]:
        """A value used in ``file``, in the file its characters come from (``file`` when they are
        mixed, those from elsewhere placed at ``at``), and which file."""
        return bashrun.localize(plain(bashrun.folders(p, self.run, file)), file, at)

    def tok(self, p: PStr, file: int, rng: tuple[int, int]) -> Tok:
        """An argument, in the file its characters come from (the command's when they are mixed)."""
        if file == 0 and max(p.starts, default=-1) < bashrun.STRIDE and not has_here(p.text):
            return Tok(p, self.indexes[0])      # the usual word: all the text's own (``value`` as it is)
        q, f = self.value(p, file, self.place(file, rng))
        return Tok(q, self.indexes[f])


def shell_words(value: PStr, index: LineIndex) -> list[PStr] | None:
    """The words a shell makes of ``value`` where a command line holds it (a Make flag
    variable expanded into a recipe): quotes removed, ``$(( … ))`` computed, unknown parts
    unknown. None when the text is not the arguments of one command."""
    result = evaluate(PStr.synth(": ") + value, index)
    if result.error_at is not None or len(result.commands) != 1:
        return None
    return [t.text for t in result.commands[0].argv[1:]]
