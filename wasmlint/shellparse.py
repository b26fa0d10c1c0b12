"""The launch view of shell text: what ``wasmlint.bash`` evaluates, as words
with exact spans for the node launch readers.

The input is a ``MappedText`` (a whole script file, a JSON-decoded package.json
script, a YAML ``run:`` block, a Dockerfile ``RUN``), so every word keeps a map
to the file it came from. Words are given after quote removal and expansion,
as bash would pass them. A word holding a part that cannot be known here
(``$1``, ``$(...)``, environment variables from outside) is ``dynamic`` and
reads as the text that made that part; an unquoted expansion standing alone
whose value is not fully known is one ``splat`` word (zero or many words to the
shell). Nothing is ever run.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from .lazy import cached_property

from . import bash, bashrun, budget
from .bashwords import known, known_text, plain
from .textpos import LineIndex, MappedText, TextBuilder, no_escape
from .toolchain.pstr import UNKNOWN, PStr


@dataclass
class Word:
    text: MappedText
    start: int                 # source range of the whole word (file offsets)
    end: int
    dynamic: bool = False      # holds an expansion not known in this script
    splat: bool = False        # an unquoted unknown expansion: may be zero or many words
    placed: bool = True        # start/end are this word's own text in the file (edits may go there)
    idx: LineIndex | None = None   # the file its text is written in, when not its command's

    @property
    def value(self) -> str:
        return self.text.value


@dataclass
class Assign:
    name: str
    value: MappedText | None   # None: not known statically
    start: int
    end: int
    exported: bool = False
    dynamic: bool = False
    idx: LineIndex | None = None   # the file it is written in, when not the script's own
    written: str | None = None   # a dynamic value as written, its unknown expansions verbatim (`$PWD/bin:$PATH`)


class Command:
    """A command of the script. Its ``words`` are mapped to the file when first read:
    ``values`` and ``head`` say what they are without that (most commands of a script,
    ``cd``, ``tee``, ``cp``, are looked at by their first word only)."""

    def __init__(self, view: "_View", run: bash.Command, prefix: list[Assign], env: Mapping[str, Assign],
                 start: int, end: int, in_substitution: bool = False, idx: LineIndex | None = None):
        self._view, self._run = view, run
        self.prefix = prefix                   # ``VAR=x cmd``
        self.env = env                         # exported variables in effect (prefix included)
        self.start, self.end = start, end
        self.in_substitution = in_substitution
        self.idx = idx                         # the file it is written in, when not the script's own

    @cached_property
    def words(self) -> list[Word]:
        return [w for bw in self._run.words for w in self._view.words(bw, self._run.file)]

    @cached_property
    def values(self) -> list[str]:
        """The words' text: the fields bash made of them when every one is known (the text
        of a known field's word is the field's), else the mapped words' text."""
        fields = [f.text for bw in self._run.words for f in bw.fields]
        if known_text("".join(fields)):
            self._plain = True
            return fields
        self._plain = False
        return [w.value for w in self.words]

    @property
    def head(self) -> tuple[str, bool] | None:
        """The first word's text and whether it is ``dynamic``; None for no word."""
        values = self.values
        if not values:
            return None
        if self._plain:             # every word known: none is dynamic
            return values[0], False
        return values[0], self.words[0].dynamic


@dataclass
class Script:
    commands: list[Command] = field(default_factory=list)
    error: tuple[str, int] | None = None                     # first syntax error: message, offset
    bindings: list[bash.Binding] = field(default_factory=list, repr=False)
    view: _View | None = field(default=None, repr=False)

    @property
    def assigns(self) -> list[Assign]:
        """Statement-level assignments and exports."""
        return self.assigns_of(None)

    def assigns_of(self, names: tuple[str, ...] | None) -> list[Assign]:
        """Those of the variables ``names`` (None: all); a value is mapped to its file only
        when asked for (a script of thousands of assignments maps none it need not)."""
        return [self.view.assign(b) for b in self.bindings if names is None or b.name in names]


def parse(script: MappedText, env: dict[str, Assign] | None = None, reader: bash.Reader | None = None,
          root: bash.Loaded | None = None, idx: LineIndex | None = None) -> Script:
    """Commands and assignments of ``script``; ``env`` is the exported environment
    it starts with (a Dockerfile's ENV, a compose service's environment), ``reader``
    reads the project files it sources or runs (``root``: the file ``script`` is, ``idx``
    its lines: what facts from other files point back to)."""
    given = {k: bash.Binding(k, None if a.value is None else _pstr(a.value), exported=True, origin=a)
             for k, a in (env or {}).items()}
    run = bash.evaluate(_pstr(script), given, reader=reader, root=root)
    memo = budget.file_memo("shellparse.parse")
    views = _recent if memo is None else memo.setdefault(id(run), [])
    for r, s, i, made in views:
        if r is run and s is script and i is idx:
            return made      # one evaluation read twice (package.json: for its roles, then its launches)
    view = _View(script, run, idx, env or {})
    out = Script(bindings=run.bindings, view=view)
    out.commands = [view.command(c) for c in run.commands]
    if run.error is not None:
        i, kind, missing = run.error
        what = f"missing `{kind}`" if missing else "unexpected text"
        out.error = f"shell syntax error: {what}", script.source_range(i, i + 1)[0]
    views.append((run, script, idx, out))
    del _recent[:-RECENT]
    return out


RECENT = 4
# views made (evaluation, text, line index, Script): the file's (``budget.file_memo``, by
# evaluation), else the last few
_recent: list[tuple] = []


def _pstr(m: MappedText) -> PStr:
    return PStr(m.value, tuple(m.starts), tuple(m.ends))


class _Env(Mapping):
    """A command's exported environment as ``Assign``s, each made when it is read."""

    def __init__(self, view: "_View", env: dict[str, bash.Binding]):
        self.view, self.env = view, env

    def __getitem__(self, name: str) -> Assign:
        return self.view.assign(self.env[name])

    def __iter__(self):
        return iter(self.env)

    def __len__(self) -> int:
        return len(self.env)


class _View:
    """``bash`` results as launch words: ``MappedText`` in the source of the file they
    are written in, where an unknown part reads as the text that made it (``$HOME``,
    ``$(nproc)``); a value from another file reads as written where it is used."""

    def __init__(self, script: MappedText, run: bash.Run, idx: LineIndex | None, given: Mapping[str, Assign]):
        self.s, self.run, self.given = script, run, given
        self.assigns: dict[int, Assign] = {}
        self.idx = [idx] + [LineIndex(f.text, f.path) for f in run.files[1:]]

    def src(self, file: int, rng: tuple[int, int]) -> tuple[int, int]:
        return self.s.source_range(*rng) if file == 0 else rng

    def exact(self, file: int, rng: tuple[int, int]) -> bool:
        return self.s.is_exact(*rng) if file == 0 else True

    def text(self, file: int, rng: tuple[int, int]) -> str:
        return (self.s.value if file == 0 else self.run.files[file].text)[rng[0]:rng[1]]

    def mapped(self, p: PStr, file: int, si: int, sj: int, whole: bool = True,
               force: bool = True) -> tuple[MappedText, int]:
        """``p`` in the source of ``file`` (unless ``force`` is off and it all comes from
        one other file), and which file; ``whole``: its range is ``[si, sj)``, else its own."""
        p = plain(bashrun.folders(p, self.run, file))
        q, f = bashrun.localize(p, file, (si, sj), force)
        exact = self.s.exact if f == 0 else True
        at = (si, sj)
        if (not whole or f != file) and q.source_range() is not None:
            at = q.source_range()
        escape = self.s.escape if f == 0 else no_escape
        if q.known and min(q.starts, default=0) >= 0:      # every character known and placed
            return MappedText(q.text, list(q.starts), list(q.ends), *at, exact, escape), f
        b = TextBuilder()
        for k, c in enumerate(q.text):
            s, e = q.starts[k], q.ends[k]
            if c == UNKNOWN:
                b.add(self.run.unknown_text.get((p.starts[k], p.ends[k]), c), s, e)
                b.exact = False
            elif s < 0:
                b.add(c, si, sj)
                b.exact = False
            else:
                b.chars.append(c)
                b.starts.append(s)
                b.ends.append(e)
        b.exact = b.exact and exact
        return b.build(*at, escape), f

    def assign(self, b: bash.Binding) -> Assign:
        if b.rng is None and b.name in self.given:
            return self.given[b.name]       # the caller's (the evaluation may be another caller's of the same values)
        if b.origin is not None:
            return b.origin
        got = self.assigns.get(id(b))
        if got is not None:
            return got
        i, j = self.src(b.file, b.rng)
        idx = self.idx[b.file]
        if b.declared:
            old = self.assign(b.exports) if b.exports is not None else None
            value = old.value if old is not None else None
            a = Assign(b.name, value, i, j, exported=True, dynamic=value is None, idx=idx,
                       written=old.written if old is not None else None)
        elif not b.known:
            written = None
            if isinstance(b.value, PStr) and b.value_rng is not None:
                written = self.mapped(b.value, b.file, *self.src(b.file, b.value_rng))[0].value
            a = Assign(b.name, None, i, j, b.exported, dynamic=True, idx=idx, written=written)
        else:
            a = Assign(b.name, self.mapped(b.value, b.file, *self.src(b.file, b.value_rng))[0], i, j, b.exported,
                       idx=idx)
        self.assigns[id(b)] = a
        return a

    def command(self, c: bash.Command) -> Command:
        env = _Env(self, c.env)
        i, j = self.src(c.file, c.rng)
        return Command(self, c, [self.assign(b) for b in c.prefix], env, i, j, c.in_substitution, self.idx[c.file])

    def words(self, w: bash.Word, file: int) -> list[Word]:
        si, sj = self.src(file, w.rng)
        placed = self.exact(file, w.rng)
        if file == 0 and not w.bare and len(w.fields) == 1:
            f = w.fields[0]
            if f.starts and min(f.starts) >= 0 and max(f.starts) < bashrun.STRIDE and known(f):
                # the usual word: known, all of it the text's own characters (``mapped`` as it is)
                return [Word(MappedText(f.text, list(f.starts), list(f.ends), si, sj, self.s.exact, self.s.escape),
                             si, sj, placed=placed)]
        fields = [plain(bashrun.folders(f, self.run, file)) for f in w.fields]
        if w.bare and fields and all(f.text == UNKNOWN for f in fields):
            return [Word(MappedText.opaque(self.text(file, w.rng), si, sj), si, sj, True, True, placed)]
        if len(fields) == 1 and not w.bare:
            f = fields[0]
            return [Word(self.mapped(f, file, si, sj)[0], si, sj, not f.known, placed=placed)]
        out = []
        for f in fields:
            m, home = self.mapped(f, file, si, sj, whole=False, force=False)
            # an unknown word of an expansion that splits may be zero or many words
            out.append(Word(m, m.src_start, m.src_end, not f.known, w.bare and f.text == UNKNOWN, placed=False,
                            idx=self.idx[home] if home != file else None))
        return out


def _split_ws(val: MappedText) -> list[MappedText]:
    out, i, n = [], 0, len(val.value)
    while i < n:
        while i < n and val.value[i] in " \t\n":
            i += 1
        j = i
        while j < n and val.value[j] not in " \t\n":
            j += 1
        if j > i:
            out.append(val.slice(i, j))
        i = j
    return out


def split_words(text: MappedText) -> list[Word]:
    """Whitespace-split words of a value that no shell reads (a systemd line, a
    PM2 ``node_args`` string)."""
    return [Word(p, p.src_start, p.src_end, placed=p.is_exact(0, len(p.value))) for p in _split_ws(text)]
