"""The CMake files of one evaluation: the file read, and the project files it depends on
(its parent ``CMakeLists.txt`` chain, ``include()``d ``*.cmake`` files), parsed once.

Files get disjoint offset ranges (``pstr.STRIDE``) so that a value assembled from several
files keeps, per character, where it was written; ``Files.tok`` turns it back into a
token of the file its first character comes from.

A ``CMakeLists.txt`` is read in its directory's context: the ``CMakeLists.txt`` above it
that adds it with a static ``add_subdirectory()`` (not in a loop or a function) is its
parent (``parent_chain``).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..facts import Span
from .cmake_values import read_arguments
from .pstr import STRIDE, LineIndex, PStr, Tok

MAX_CHAIN = 8             # parent CMakeLists.txt above a file
PRESET_FILES = ("CMakePresets.json", "CMakeUserPresets.json")      # cmake --preset NAME reads them


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from ..resources import grammar_text
    # no propagate_positions: it doubles the parse; a command's extent is its name and its CLOSE token
    return Lark(grammar_text("cmake.lark"), parser="lalr")


@dataclass
class Unit:
    """One parsed CMake file of the evaluation."""

    rel: str          # project-relative path ("" for a file read on its own)
    dir: str          # project-relative folder
    text: str
    index: LineIndex
    base: int
    cmds: list = field(default_factory=list)
    shape: tuple | None = None        # cmake_eval._shape: where each block ends, once


@dataclass
class Cmd:
    name: str
    args: tuple       # (terminal, text, offset) of each argument; ("paren", (…)) for ( … )
    start: int        # offsets of the file (without the base)
    end: int
    unit: Unit

    @cached_property
    def read_args(self) -> tuple:
        """Its arguments decoded (``cmake_values.read_arguments``), once for every run of it."""
        return read_arguments(self.args, self.unit.base)

    def label(self) -> str:
        """``if(COND)``: the variant label of a condition, as written."""
        inner = self.unit.text[self.start:self.end].split("(", 1)[1].rsplit(")", 1)[0].strip()
        return f"{self.name}({inner})"

    @property
    def span(self) -> Span:
        return self.unit.index.span(self.start, self.end)


# where a file is and the terminals of cmake.lark that lark's contextual lexer accepts there
_PLACES = {"between": ("IDENT", "_SEP"), "after-name": ("_SP", "LPAR"),
           "arguments": ("BRACKET_ARG", "QUOTED", "UNQUOTED", "_SEP", "LPAR", "CLOSE")}


@lru_cache(maxsize=1)
def _scanners() -> dict:
    """For each place of ``_PLACES``, its terminals as one pattern in the order lark's
    lexer tries them (priority, then longest possible match, then longest pattern, then
    name): a file is read by matching them, without a token or tree object per argument
    (lark's parse took most of the time of a long CMake file)."""
    import re
    terms = {t.name: t for t in _parser().terminals}
    out = {}
    for place, names in _PLACES.items():
        ordered = sorted((terms[n] for n in names),
                         key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        out[place] = re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in ordered)).match
    return out


def _scan(text: str) -> tuple | None:
    """The commands of ``_commands``, read by the grammar's terminals; None at the first
    thing the grammar does not allow (lark then parses the file and says what)."""
    places = _scanners()
    between, after_name, arguments = places["between"], places["after-name"], places["arguments"]
    out, pos, end = [], 0, len(text)
    while pos < end:
        m = between(text, pos)
        if m is None:
            return None
        pos = m.end()
        if m.lastgroup == "_SEP":
            continue
        name, start = m.group(), m.start()
        m = after_name(text, pos)
        if m is not None and m.lastgroup == "_SP":
            m = after_name(text, m.end())
        if m is None or m.lastgroup != "LPAR":
            return None
        pos, stack = m.end(), [[]]
        while True:
            m = arguments(text, pos)
            if m is None:
                return None
            pos, kind = m.end(), m.lastgroup
            if kind == "CLOSE":
                if len(stack) == 1:
                    break
                inner = tuple(stack.pop())
                stack[-1].append(("paren", inner))
            elif kind == "LPAR":
                stack.append([])
            elif kind != "_SEP":
                stack[-1].append((kind, m.group(), m.start()))
        out.append((name.lower(), tuple(stack[0]), start, pos))
    return tuple(out)


def _arguments_of(tree) -> tuple:
    """A lark ``args`` node as ``_scan`` gives its arguments."""
    return tuple(("paren", _arguments_of(n.children[0])) if n.data == "paren"
                 else (n.children[0].type, str(n.children[0]), n.children[0].start_pos)
                 for n in tree.children if getattr(n, "data", None) in ("paren", "argument"))


@lru_cache(maxsize=128)
def _commands(text: str) -> tuple:
    """(name, arguments, start, end) of each command; parent and included files are
    shared by many files of a project, so one process parses each text once."""
    scanned = _scan(text)
    if scanned is not None:
        return scanned
    tree = _parser().parse(text)        # raises the grammar's error; else reads what _scan could not
    return tuple((str(c.children[0]).lower(), _arguments_of(c.children[1]), c.children[0].start_pos,
                  c.children[-1].end_pos) for c in tree.children if getattr(c, "data", None) == "command")


def parse(text: str, unit: Unit) -> list[Cmd]:
    return [Cmd(name, args, start, end, unit) for name, args, start, end in _commands(text)]


class NotRead(Exception):
    """A frozen ``Files`` was asked for a file no run has read yet."""


class Files:
    """The main file and the project files the evaluation reads, each at its own base."""

    def __init__(self, text: str, path: str, project=None):
        self.project = project
        rel = posixpath.join(project.rel_dir, posixpath.basename(path)) if project is not None else ""
        main = Unit(rel, project.rel_dir if project is not None else "", text, LineIndex(text, path), 0)
        main.cmds = parse(text, main)      # a syntax error in the main file is the caller's to report
        self.units = [main]
        self.assigned: set[str] = assigned_names(main)
        self.by_rel: dict[str, Unit | None] = {rel: main} if rel else {}
        self.chain: list[tuple[Unit, int]] | None = None      # parent_chain(), once
        self._configured: tuple | None = None
        self._reach: dict[str, bool] | None = None
        self._off: tuple[int, set[str]] = (0, set())      # (units scanned, declared_off of them)
        self._signs: tuple[int, bool] | None = None       # (files read when decided, emscripten_signs)
        self.frozen = False     # a file not read yet is NotRead (a trunk of cmake_variants reads none)

    def reach(self, chain, known: set[str]) -> dict[str, bool]:
        """The switches the parents add this directory under (``cmake_reach``), once."""
        if self._reach is None:
            from .cmake_reach import reach_assumptions
            self._reach = reach_assumptions(chain, known | self.assigned, self.configured(), self.configured_off())
        return self._reach

    def declared_off(self) -> set[str]:
        """The switches the files read so far declare with an OFF ``option()`` (``cmake_reach``)."""
        from .cmake_reach import declared_off
        done, found = self._off
        if done < len(self.units):      # each file scanned once, as it is read
            found |= declared_off(u for u in self.units[done:] if u is not None)
            self._off = (len(self.units), found)
        return found

    def configured(self) -> frozenset[str]:
        """The cache entries the project's Emscripten configure lines set to a value that is
        not false (``cmake_runs``): a switch one of them turns on (mujoco's studio configure
        line turns ``MUJOCO_WITH_USD`` off, which adds no directory)."""
        lines = self._configure_lines()
        return lines.on if lines is not None else frozenset()

    def configured_off(self) -> frozenset[str]:
        """The switches every Emscripten configure line of the project turns off (``cmake_runs``)."""
        lines = self._configure_lines()
        return lines.off if lines is not None else frozenset()

    def build_type(self) -> Tok | None:
        """The ``CMAKE_BUILD_TYPE`` every Emscripten configure line of the project gives the file."""
        lines = self._configure_lines()
        return lines.build_type if lines is not None else None

    def preset(self) -> dict:
        """The cache entries every Emscripten configure line sets alike (``cmake_runs``)."""
        lines = self._configure_lines()
        return lines.preset() if lines is not None else {}

    def configure_lines(self) -> tuple:
        """Each Emscripten configure line's (build type, entries) (``cmake_runs``)."""
        lines = self._configure_lines()
        return lines.lines if lines is not None else ()

    def _configure_lines(self):
        if self._configured is None:
            from .cmake_runs import configured
            self._configured = (configured(self.project, self.units[0].rel),)
        return self._configured[0]

    def emscripten_signs(self) -> bool:
        """Whether anything shows this CMake build is made with Emscripten: a file the
        evaluation read names it (``if(EMSCRIPTEN)``, ``Emscripten.cmake``, ``emcc``, a wasm
        target), a configure preset of its folder or one above uses Emscripten's toolchain
        file (``CMakePresets.json``: ``"toolchainFile": ".../Emscripten.cmake"``), or an
        Emscripten configure line of the project reaches it. A file read on its own (no
        project) is taken as one."""
        if self.project is None or self.project.root is None:
            return True
        if self._signs is None or (not self._signs[1] and self._signs[0] < len(self.units)):
            # once per file; again only when a variant's run has read more files and none showed it
            words = ("emscripten", "emcc", "em++", "wasm")
            found = any(w in u.text.lower() for u in self.units for w in words) or self._presets() \
                or self._configure_lines() is not None
            self._signs = (len(self.units), found)
        return self._signs[1]

    def _presets(self) -> bool:
        from .project_files import folders_up
        texts = (self.project.read(posixpath.normpath(posixpath.join(d, name)))
                 for d in folders_up(self.main.dir) for name in PRESET_FILES)
        return any(text is not None and "emscripten.cmake" in text.lower() for text in texts)

    @property
    def main(self) -> Unit:
        return self.units[0]

    def load(self, rel: str) -> Unit | None:
        if rel in self.by_rel:
            return self.by_rel[rel]
        if self.frozen:
            raise NotRead(rel)
        unit = None
        text = self.project.read(rel) if self.project is not None else None
        if text is not None:
            unit = Unit(rel, posixpath.dirname(rel) or ".", text, LineIndex(text, self.project.shown(rel)),
                        len(self.units) * STRIDE)
            try:
                unit.cmds = parse(text, unit)
            except Exception:   # lark errors: a file that is not CMake is not read
                unit = None
            if unit is not None:
                self.units.append(unit)
                self.assigned |= assigned_names(unit)
        self.by_rel[rel] = unit
        return unit

    def abspath(self, rel_dir: str) -> str | None:
        if self.project is None or self.project.root is None:
            return None
        return posixpath.normpath(posixpath.join(str(self.project.root), rel_dir))

    def tok(self, p: PStr) -> Tok:
        """A token in the file that its first placed character comes from."""
        if p.starts and min(p.starts) >= 0 and max(p.starts) < STRIDE:
            return Tok(p, self.units[0].index)      # written in the main file, every character
        first = next((s for s in p.starts if s >= 0), -1)
        k = first // STRIDE if first >= 0 else 0
        unit = self.units[k] if k < len(self.units) else self.units[0]
        base = unit.base
        starts = tuple(s - base if s >= 0 and s // STRIDE == k else -1 for s in p.starts)
        ends = tuple(e - base if s >= 0 and s // STRIDE == k else -1 for s, e in zip(p.starts, p.ends))
        return Tok(PStr(p.text, starts, ends), unit.index)


def parent_chain(files: Files) -> list[tuple[Unit, int]]:
    """(parent CMakeLists.txt, index of its add_subdirectory() of the next one), from the
    top of the project down to the main file's parent."""
    if files.chain is not None:
        return files.chain
    chain: list[tuple[Unit, int]] = []
    main = files.main
    if files.project is not None and posixpath.basename(main.rel) == "CMakeLists.txt":
        child = main.dir
        for _ in range(MAX_CHAIN):
            found = _adder(files, child)
            if found is None:
                break
            chain.insert(0, found)
            child = found[0].dir
    files.chain = chain
    return chain


def _adder(files: Files, child: str) -> tuple[Unit, int] | None:
    d = child
    for _ in range(3):
        if d in (".", ""):
            return None
        d = posixpath.dirname(d) or "."
        rel = posixpath.normpath(posixpath.join(d, "CMakeLists.txt"))
        if not files.project.is_file(rel):
            continue
        unit = files.load(rel)
        if unit is None:
            continue
        k = _adds(files, unit, child)
        if k is not None:
            return unit, k
    return None


def _adds(files: Files, unit: Unit, child: str) -> int | None:
    """The index of a top-level (or if-nested) add_subdirectory() of ``child``."""
    loops = 0
    for k, c in enumerate(unit.cmds):
        if c.name in ("foreach", "while", "function", "macro"):
            loops += 1
        elif c.name in ("endforeach", "endwhile", "endfunction", "endmacro"):
            loops = max(0, loops - 1)
        elif c.name == "add_subdirectory" and loops == 0 and c.args:
            raw = unit.text[c.start:c.end].split("(", 1)[1].rsplit(")", 1)[0].strip().split()
            if not raw:
                continue
            path = raw[0].strip('"')
            for prefix in ("${CMAKE_CURRENT_SOURCE_DIR}/", "${CMAKE_CURRENT_LIST_DIR}/"):
                if path.startswith(prefix):
                    path = path[len(prefix):]
            if "${" in path or "$<" in path:
                continue
            if files.project.resolve(unit.dir, path) == child:
                return k
    return None


_SETTERS = ("set", "list", "string", "unset", "math", "separate_arguments")


def assigned_names(unit: Unit) -> set[str]:
    """Variable names a file assigns with a literal name (``set(NAME …)``, ``list(APPEND
    NAME …)`` …): undefined before that, they are the project's own, not the user's
    (``option()`` and cache entries are the user's to set)."""
    out = set()
    for c in unit.cmds:
        if c.name not in _SETTERS:
            continue
        words = unit.text[c.start:c.end].split("(", 1)[1].split()
        if "CACHE" in words:
            continue
        if c.name in ("list", "string") and len(words) >= 2:
            words = words[1:]
        name = words[0].rstrip(")") if words else ""
        if name and "$" not in name and '"' not in name:
            out.add(name)
    return out
