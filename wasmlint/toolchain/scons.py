"""SCons builds (``SConstruct``, ``SConscript``, a platform's ``detect.py``) → the emcc
links they make.

An SCons build file is Python run by SCons. A construction environment
(``env = Environment(…)``, ``env.Clone(…)``) holds the link's flags in ``LINKFLAGS``:
``env.Append(LINKFLAGS=[…])`` / ``AppendUnique`` add them at the end, ``Prepend`` at the
start, ``Replace(LINKFLAGS=…)``, ``env['LINKFLAGS'] = …`` and ``Environment(LINKFLAGS=…)``
set them, ``env['LINKFLAGS'] += …`` adds, ``Clone(LINKFLAGS=…)`` sets them on the copy.
An environment links with emcc when emscripten's SCons tool is loaded
(``env.Tool('emscripten')``, ``Environment(tools=['emscripten'])``: ``CC=emcc``,
``CXX=em++``, ``PROGSUFFIX=.js``) or ``CC``/``CXX``/``LINK`` name emcc. ``env.Program(target,
source)`` (``SharedLibrary``, ``LoadableModule``) links with ``$LINK -o $TARGET $LINKFLAGS
$SOURCES``: SCons joins the list with blanks (a word with a blank in double quotes)
and a shell runs the line, so ``'"EXPORTED_FUNCTIONS=[…]"'`` reaches emcc unquoted.

The emscripten build is the one read: flags added under the conditions that load the
tool (``if target_os == 'js':``) or make the link are passed; flags added under other
conditions (``if env['mode'] == 'debug':``) may or may not be, one unknown word. A file
that sets up an emscripten environment and links nothing (a ``def configure(env)``
that the build calls) gives its flags as a flag set that reaches links elsewhere.
"""
from __future__ import annotations

import ast

from ..facts import Fact
from ..launch.argv import basename
from .emcc import EMCC_NAMES, build_facts
from .pstr import UNKNOWN_TEXT, PStr, Tok, joined, shell_split
from .python_argv import Values
from .python_script import Script, dotted
from .script_runs import Run

LINKS = frozenset(("Program", "SharedLibrary", "LoadableModule"))
ADDS = {"Append": "append", "AppendUnique": "append", "Prepend": "prepend", "PrependUnique": "prepend",
        "Replace": "replace"}
_TOOL_KEYS = frozenset(("CC", "CXX", "LINK", "SHLINK"))
_GUARDS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try)
BLANK = PStr.synth(" ")


def wanted(data: bytes) -> bool:
    return b"LINKFLAGS" in data and (b"emscripten" in data or b"emcc" in data or b"em++" in data)


def scons_facts(script: Script, values: Values) -> tuple[list[Run], list[Fact]]:
    """(the emcc links of the file's environments, the flag sets of those it only sets up)."""
    reader = _Reader(script, values)
    reader.read()
    return reader.links(), reader.flag_sets()


class _Reader:
    def __init__(self, script: Script, values: Values):
        self.s, self.v = script, values
        self.ops: dict[str, list[tuple[str, ast.AST, ast.AST]]] = {}   # env → [(op, value, statement)]
        self.emscripten: dict[str, list[ast.AST]] = {}                 # env → statements that make it emcc
        self.parent: dict[str, str] = {}                               # a clone → what it was cloned from
        self.linked: list[tuple[str, ast.Call]] = []
        self.tool_loads: set[int] = set()       # statements loading emscripten's tool (PROGSUFFIX=.js)

    # ------------------------------------------------------------ reading
    def read(self) -> None:
        for node in sorted(self.s.calls, key=self.s.start):
            func = node.func
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            env = dotted(func.value) if isinstance(func, ast.Attribute) else None
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("Environment", "Clone"):
                target = self._assigned_to(node)
                if target is None:
                    continue
                self.ops[target] = []
                if name == "Clone" and env is not None:
                    self.parent[target] = env
                self._settings(target, node, kw, op="replace")
                if any("emscripten" in self.v.text(t).text for t in self.v.items(kw["tools"]) or ()) \
                        if "tools" in kw else False:
                    self.emscripten.setdefault(target, []).append(self._stmt(node))
                    self.tool_loads.add(id(self._stmt(node)))
            elif env is None:
                continue
            elif name in ADDS:
                self._settings(env, node, kw, op=ADDS[name])
            elif name == "Tool" and node.args and self.v.text(node.args[0]).text == "emscripten":
                self.emscripten.setdefault(env, []).append(self._stmt(node))
                self.tool_loads.add(id(self._stmt(node)))
            elif name in LINKS:
                self.linked.append((env, node))
        stmts = {id(n): n for n in self.s.parent.values() if isinstance(n, (ast.Assign, ast.AugAssign))}
        for stmt in sorted(stmts.values(), key=self.s.start):
            self._subscript(stmt)

    def _assigned_to(self, call) -> str | None:
        stmt = self.s.parent.get(id(call))
        if isinstance(stmt, ast.Assign) and stmt.value is call and len(stmt.targets) == 1:
            return dotted(stmt.targets[0])
        return None

    def _stmt(self, node):
        while not isinstance(node, ast.stmt) and id(node) in self.s.parent:
            node = self.s.parent[id(node)]
        return node

    def _settings(self, env: str, call, kw: dict, op: str) -> None:
        if "LINKFLAGS" in kw:
            self.ops.setdefault(env, []).append((op, kw["LINKFLAGS"], self._stmt(call)))
        if any(k in _TOOL_KEYS and _is_emcc(self.v.text(v).text) for k, v in kw.items()):
            self.emscripten.setdefault(env, []).append(self._stmt(call))

    def _subscript(self, stmt) -> None:
        """``env['LINKFLAGS'] = …``, ``env['LINKFLAGS'] += …``, ``env['CC'] = 'emcc'``."""
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for t in targets:
            if not isinstance(t, ast.Subscript) or not isinstance(t.slice, ast.Constant):
                continue
            env, key = dotted(t.value), t.slice.value
            if env is None:
                continue
            if key == "LINKFLAGS":
                op = "append" if isinstance(stmt, ast.AugAssign) else "replace"
                self.ops.setdefault(env, []).append((op, stmt.value, stmt))
                self.ops[env].sort(key=lambda o: self.s.start(o[2]))     # among the calls, in source order
            elif key in _TOOL_KEYS and _is_emcc(self.v.text(stmt.value).text):
                self.emscripten.setdefault(env, []).append(stmt)

    # ------------------------------------------------------------ what links
    def _evidence(self, env: str, seen=()) -> list[ast.AST]:
        out = list(self.emscripten.get(env, ()))
        parent = self.parent.get(env)
        return out + (self._evidence(parent, (*seen, env)) if parent and parent not in seen else [])

    def _flags(self, env: str, decided: set, seen=()) -> list[PStr]:
        """The words of ``env``'s LINKFLAGS (a clone's start from its parent's)."""
        parent = self.parent.get(env)
        words = self._flags(parent, decided, (*seen, env)) if parent and parent not in seen else []
        for op, value, stmt in self.ops.get(env, ()):
            known = _guards(self.s, stmt) <= decided
            items = self._words(value) if known else [UNKNOWN_TEXT]
            if op == "replace":
                words = items if known else words + items
            elif op == "prepend":
                words = items + words
            else:
                words = words + items
        return words

    def _words(self, value) -> list[PStr]:
        items = self.v.items(value)
        if items is None:               # a string: SCons splits it at blanks
            return self.v.text(value).split_ws()
        return items

    def links(self) -> list[Run]:
        out = []
        for env, call in self.linked:
            evidence = self._evidence(env)
            if not evidence:
                continue
            decided = set().union(*(_guards(self.s, e) for e in evidence)) | _guards(self.s, self._stmt(call))
            kw = {k.arg: k.value for k in call.keywords if k.arg}
            target = call.args[0] if call.args else kw.get("target")
            source = call.args[1] if len(call.args) > 1 else kw.get("source")
            out_name = self.v.text(target) if target is not None else UNKNOWN_TEXT
            if out_name.known and "." not in basename(out_name.text) and any(id(e) in self.tool_loads for e in evidence):
                out_name = out_name + PStr.synth(".js")          # the tool's PROGSUFFIX
            sources = self.v.items(source) if source is not None else None
            words = [PStr.synth("emcc"), PStr.synth("-o"), out_name, *self._flags(env, decided),
                     *(sources if sources else [UNKNOWN_TEXT])]
            out.append(Run(self.s.span(call), line=joined([_quoted(w) for w in words], BLANK)))
        return out

    def flag_sets(self) -> list[Fact]:
        linked = {env for env, _call in self.linked}
        out: list[Fact] = []
        for env, ops in self.ops.items():
            evidence = self._evidence(env)
            if env in linked or not evidence or not ops:
                continue
            decided = set().union(*(_guards(self.s, e) for e in evidence))
            line = joined([_quoted(w) for w in self._flags(env, decided)], BLANK)
            words = [Tok(w, self.s.index) for w in shell_split(line)]
            out += build_facts(words, self.s.span(ops[0][2]), flag_set=True, complete=False)
        return out


def _guards(script: Script, stmt) -> set[tuple[int, str]]:
    """The branches ``stmt`` runs in: (the ``if``/loop/``try`` holding it, which body)."""
    out, child = set(), stmt
    for a in script.ancestors(stmt):
        if isinstance(a, _GUARDS):
            field = next((f for f in ("body", "orelse", "handlers", "finalbody")
                          if any(c is child for c in getattr(a, f, ()) or ())), "")
            if not (isinstance(a, ast.Try) and field in ("body", "finalbody")):
                out.add((id(a), field))
        child = a
    return out


def _is_emcc(text: str) -> bool:
    return basename(text.strip()) in EMCC_NAMES


def _quoted(word: PStr) -> PStr:
    """A word as SCons writes it on the command line: in double quotes when it holds a blank."""
    if word.known and (" " in word.text or "\t" in word.text) and not word.text.startswith('"'):
        return PStr.synth('"') + word + PStr.synth('"')
    return word

