"""Processes a Python build script starts → ``script_runs.Run`` (then emcc/cargo facts).

Parsed with the standard library's ``ast``: CPython's own parser, exact for the
language and with start and end positions on every node, so it needs no grammar
package (tree-sitter-python would add a dependency and read nothing better). It has
no error recovery: a file that is not Python 3 is a WL001 line and nothing else.

Calls read, when the name comes from an ``import`` of the module:

* ``subprocess.run/call/check_call/check_output/Popen(args, shell=…, env=…)``: a
  list is the argument vector; with ``shell=True`` a string (or a list's first
  element) is the command line ``/bin/sh -c`` runs; a string without it is the
  program's name, as POSIX Python runs it;
* ``subprocess.getoutput/getstatusoutput(cmd)``, ``os.system(cmd)``, ``os.popen(cmd)``:
  a command line.

Values (``Values``): string literals (escapes decoded; each character keeps its
place), implicit concatenation, f-strings (``{name}`` replaced by its value),
``"…{0}…".format(x)`` (plain fields),
``+``, lists and tuples with ``*spread``, ``" ".join(…)``, ``s.split()``,
``shlex.split(s)``, ``str(x)``, ``xs[:]``, ``os.path.expandvars(s)`` (``s``: its ``$VAR``
are the ones the command's shell expands), ``os.environ.get(K, default)`` (the default: the
build as run with nothing set, as the JS evaluator reads ``process.env.K || d``)
and names with one reaching assignment. ``append``, ``extend`` and ``+=`` made in
straight-line code before the use add their values, and a loop over a literal
adds its values element by element (``python_loops``); one made under a condition
adds one unknown element; other changes (``insert``, ``pop`` …) make the list
unknown. Anything else is unknown.
``env={**os.environ, "RUSTFLAGS": …}`` or ``dict(os.environ, RUSTFLAGS=…)``, a
dict filled by ``env["K"] = …``, and ``os.environ["K"] = …`` written before the
call in straight-line code are the process's environment.
"""
from __future__ import annotations

import ast
import re
import unicodedata

from ..textpos import matching_brace
from .pstr import UNKNOWN, UNKNOWN_TEXT, PStr, guarded, joined, shell_split
from .python_loops import inside, loop_around, unrolled
from .python_script import Change, Script, dotted
from .script_runs import RelPath, Run

ARGS_APIS = frozenset(("run", "call", "check_call", "check_output", "Popen"))
SHELL_APIS = {"subprocess": frozenset(("getoutput", "getstatusoutput")), "os": frozenset(("system", "popen"))}
PROCESS_MARKS = (b"subprocess", b"os.system", b"os.popen", b"system(")
_ESCAPES = {"\n": "", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
            "t": "\t", "v": "\v"}


BLANK = PStr.synth(" ")


# a call of a function whose name says it runs something (``python_wrappers``)
_RUN_CALL = re.compile(rb"(?i)(run|exec|call|shell|system|spawn|cmd|command|invoke|popen)\w*\s*\(")


def wanted(data: bytes) -> bool:
    from .script_runs import names_a_tool
    return names_a_tool(data) and (any(m in data for m in PROCESS_MARKS) or _RUN_CALL.search(data) is not None)


class Values:
    """Positioned values of Python expressions (see the module docstring)."""

    def __init__(self, script: Script):
        self.s = script
        self._active: set[int] = set()
        # a parameter (its ``ast.arg``'s id) → the expression one call of its function passes
        # (``python_wrappers``: the command a wrapper runs, read at each call of it)
        self.bound: dict[int, ast.AST | None] = {}
        # conditional expressions (``"-g" if config == "debug" else "-O2"``) whose branches are
        # known and differ: id → the expression (``undecided``, met while reading one call), and
        # id → the branch a variant of the call takes (``chosen``: 0 the body, 1 the ``else``)
        self.undecided: dict[int, ast.IfExp] = {}
        self.chosen: dict[int, int] = {}
        # (a loop's target, a name in it) → the element one pass of the loop binds (``python_loops``)
        self.loop_bound: dict[tuple[int, str], ast.AST] = {}

    def reaching_value(self, name_node: ast.Name):
        """(the write that reaches a use of a name, the value it gives), a parameter's value
        the one bound for the call being read."""
        w = self.s.reaching(name_node)
        if w is None:
            return None, None
        if self.loop_bound and (id(w.node), name_node.id) in self.loop_bound:
            return w, self.loop_bound[(id(w.node), name_node.id)]
        return w, self.bound.get(id(w.node), w.value)

    @guarded(UNKNOWN_TEXT, key=id)
    def text(self, node, depth: int) -> PStr:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return self._literal(node, depth) or PStr.synth(node.value)
            number = _number(node)
            return PStr.synth(str(number)) if number is not None else UNKNOWN_TEXT
        if isinstance(node, ast.JoinedStr):
            return self._literal(node, depth) or UNKNOWN_TEXT
        if isinstance(node, ast.Name):
            w, value = self.reaching_value(node)
            out = self.text(value, depth)
            for ch, surely in self._changes(node, w):
                if ch.op != "+=":
                    return UNKNOWN_TEXT
                out = out + (self.text(ch.value, depth) if surely else self._maybe(ch.value, depth))
            return out
        if isinstance(node, (ast.BinOp, ast.UnaryOp)) and _number(node) is not None:
            return PStr.synth(str(_number(node)))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.text(node.left, depth) + self.text(node.right, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
                and isinstance(node.left.value, str):      # 'x-%s.js' % arg
            return self._percent(self.text(node.left, depth), node.right, depth)
        if isinstance(node, (ast.List, ast.Tuple)):     # f"-sEXPORTED_FUNCTIONS={names}": Python's str() of it
            items = [self.text(e, depth) for e in node.elts]
            if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts) \
                    and all(i.known for i in items):
                texts = [i.text for i in items]
                return PStr.synth(repr(texts if isinstance(node, ast.List) else tuple(texts)))
            return UNKNOWN_TEXT
        if isinstance(node, ast.IfExp):
            if id(node) in self.chosen:
                return self.text(node.orelse if self.chosen[id(node)] else node.body, depth)
            a, b = self.text(node.body, depth), self.text(node.orelse, depth)
            if a.known and a.text == b.text:
                return a
            if a.known and b.known:
                self.undecided.setdefault(id(node), node)
            return UNKNOWN_TEXT
        if isinstance(node, ast.Call):
            return self._call_text(node, depth)
        return UNKNOWN_TEXT

    def _maybe(self, node, depth: int) -> PStr:
        """Text that may or may not be appended (``if x: cmd += ' -o a.js'``): unknown; when it
        surely starts with a blank, the words before it are whole whether it is there or not."""
        text = self.text(node, depth)
        return (BLANK if text.text[:1] in (" ", "\t", "\n") else PStr.synth("")) + UNKNOWN_TEXT

    def _call_text(self, node: ast.Call, depth: int) -> PStr:
        func = node.func
        if self._env_lookup(func):      # os.environ.get("EMCC", "emcc"): the build as run with nothing set
            default = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg in ("default", "value")), None)
            return self.text(default, depth) if default is not None else UNKNOWN_TEXT
        if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1 and not node.keywords:
            return self.text(node.args[0], depth)
        if isinstance(func, ast.Attribute) and func.attr == "join" and len(node.args) == 1:
            items = self.items(node.args[0], depth)
            if items is None:
                return UNKNOWN_TEXT
            return joined(items, self.text(func.value, depth))
        if isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, (ast.Constant, ast.JoinedStr)):
            return self._format(self.text(func.value, depth), node, depth)
        if isinstance(func, ast.Attribute) and func.attr == "strip" and not node.args:
            return self.text(func.value, depth).strip()
        name = dotted(func)
        if len(node.args) == 1 and (name == "os.path.expandvars" or self._from_import(func, "os.path", "expandvars")
                                    or (name == "path.expandvars" and ("os", "path") in self.s.imports.get("path", ()))):
            # `$VAR` kept: the shell that runs the command expands it from the same environment
            return self.text(node.args[0], depth)
        return UNKNOWN_TEXT

    def _percent(self, template: PStr, right, depth: int) -> PStr:
        """``'x-%s.js' % arg``, ``'%s=%d' % (a, b)``: ``%s``/``%d``/``%i`` take the arguments
        in turn, ``%%`` is one ``%``; from any other conversion on the text is unknown."""
        args = list(right.elts) if isinstance(right, ast.Tuple) else [right]
        text, parts, i = template.text, [], 0
        while True:
            j = text.find("%", i)
            if j < 0:
                parts.append(template[i:])
                break
            parts.append(template[i:j])
            conv = text[j + 1:j + 2]
            if conv == "%":
                parts.append(template[j:j + 1])
            elif conv in ("s", "d", "i") and args and not isinstance(args[0], ast.Starred):
                parts.append(self.text(args.pop(0), depth))
            else:
                parts.append(UNKNOWN_TEXT)
                break
            i = j + 2
        return PStr.join(parts)

    def _format(self, template: PStr, call: ast.Call, depth: int) -> PStr:
        """``"-I{0}".format(d)``, ``"TOTAL_MEMORY={}".format(n)``, ``"{name}".format(name=…)``:
        a field with a conversion or a spec (``{:x}``, ``{0!r}``) is unknown."""
        text, parts, i, auto = template.text, [], 0, 0
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        while i < len(text):
            j = min((k for k in (text.find("{", i), text.find("}", i)) if k >= 0), default=len(text))
            parts.append(template[i:j])
            if j >= len(text):
                break
            if text[j + 1:j + 2] == text[j]:            # "{{" and "}}": one brace
                parts.append(template[j:j + 1])
                i = j + 2
                continue
            close = text.find("}", j)
            if text[j] == "}" or close < 0:
                return UNKNOWN_TEXT
            field = text[j + 1:close]
            if field == "":
                field, auto = str(auto), auto + 1
            arg = call.args[int(field)] if field.isdigit() and int(field) < len(call.args) else keywords.get(field)
            plain = (field.isdigit() or field.isidentifier()) and not any(isinstance(a, ast.Starred) for a in call.args)
            parts.append(self.text(arg, depth) if plain and arg is not None else UNKNOWN_TEXT)
            i = close + 1
        return PStr.join(parts) if parts else PStr.synth("")

    @guarded(None, key=id)
    def items(self, node, depth: int) -> list[PStr] | None:
        """The elements of a list or tuple value, None when they are not known."""
        if isinstance(node, (ast.List, ast.Tuple)):
            out: list[PStr] = []
            for el in node.elts:
                if isinstance(el, ast.Starred):
                    more = self.items(el.value, depth)
                    out += more if more is not None else [UNKNOWN_TEXT]
                else:
                    out.append(self.text(el, depth))
            return out
        if isinstance(node, ast.Name):
            w, value = self.reaching_value(node)
            out = self.items(value, depth) if value is not None else None
            done = None              # the loop whose additions are read (``python_loops``)
            for ch, surely in self._changes(node, w):
                if out is None:
                    return None
                if done is not None and inside(self.s, done, ch.stmt):
                    continue
                loop = None if surely else loop_around(self.s, ch.stmt, node)
                if loop is not None and not self.s.straight(loop, node):
                    loop = None      # a loop that may not run (under an `if`)
                more = unrolled(self, loop, node.id, depth) if loop is not None else None
                if more is not None:
                    out += more
                    done = loop
                    continue
                if ch.op not in ("+=", "extend", "append"):
                    return None
                more = ([self.text(ch.value, depth)] if ch.op == "append" else self.items(ch.value, depth)) \
                    if surely else None
                out += more if more is not None else [UNKNOWN_TEXT]    # in place: thousands of += stay linear
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.items(node.left, depth), self.items(node.right, depth)
            if a is None and b is None:
                return None
            return (a if a is not None else [UNKNOWN_TEXT]) + (b if b is not None else [UNKNOWN_TEXT])
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "split" and not node.args and not node.keywords:
                return self.text(func.value, depth).split_ws()
            if dotted(func) in ("shlex.split", "split") and len(node.args) == 1 and \
                    (dotted(func) == "shlex.split" or self._from_import(func, "shlex", "split")):
                return shell_split(self.text(node.args[0], depth))
            if isinstance(func, ast.Name) and func.id in ("list", "tuple") and len(node.args) == 1:
                return self.items(node.args[0], depth)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and \
                node.slice.lower is node.slice.upper is node.slice.step is None:
            return self.items(node.value, depth)      # `xs[:]`: a copy
        return None

    def _changes(self, name_node: ast.Name, write) -> list:
        """Changes in place to the value a name holds, after the write that gave it; a
        change that may run again after the use makes the value unknown (one bogus op)."""
        found = self.s.changes_of(name_node.id, name_node, write.at if write is not None else 0)
        return found if found is not None else [(Change(name_node, "unknown", None, 0), False)]

    def _env_lookup(self, func) -> bool:
        name = dotted(func)
        return name in ("os.environ.get", "os.getenv") or self._from_import(func, "os", "getenv") or (
            name == "environ.get" and ("os", "environ") in self.s.imports.get("environ", ()))

    def _from_import(self, func, module: str, name: str) -> bool:
        return isinstance(func, ast.Name) and (module, name) in self.s.imports.get(func.id, ())

    @guarded(None, key=id)
    def script_path(self, node, depth: int) -> RelPath | None:
        """A path the script builds from its own file (``Path(__file__).resolve().parent / "x"``,
        ``os.path.join(os.path.dirname(__file__), "..")``); None for any other (a relative
        string is relative to where Python starts)."""
        if isinstance(node, ast.Name):
            if node.id == "__file__" and not self.s.writes.get((id(self.s.tree), "__file__")):
                return RelPath((".",))
            w = self.s.reaching(node)
            return self.script_path(w.value, depth) if w is not None and w.value is not None else None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            inner = self.script_path(node.value, depth)
            return inner.parent() if inner is not None else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            inner = self.script_path(node.left, depth)
            return inner.join(self.text(node.right, depth).text) if inner is not None else None
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if isinstance(func, ast.Attribute) and name in ("resolve", "absolute", "expanduser") and not node.args:
            return self.script_path(node.func.value, depth)
        if name in ("Path", "PurePath", "abspath", "realpath", "normpath", "str", "fspath") and len(node.args) == 1:
            return self.script_path(node.args[0], depth)
        if name == "dirname" and len(node.args) == 1:
            inner = self.script_path(node.args[0], depth)
            return inner.parent() if inner is not None else None
        if name in ("join", "joinpath") and node.args:
            base, rest = (node.func.value, node.args) if name == "joinpath" else (node.args[0], node.args[1:])
            inner = self.script_path(base, depth)
            return inner.join(*(self.text(a, depth).text for a in rest)) if inner is not None else None
        return None

    # ------------------------------------------------------------ literals
    def _literal(self, node, depth: int) -> PStr | None:
        """A string literal node (maybe implicitly concatenated, maybe an f-string) decoded
        from its source text, or None when its source cannot be read back."""
        text, i, end = self.s.text, self.s.start(node), self.s.end(node)
        if isinstance(node, ast.Constant) and end - i >= 2 and text[i] in "'\"" and text[end - 1] == text[i] \
                and text[i + 1:end - 1] == node.value and "\\" not in node.value:
            return PStr.source(node.value, i + 1)   # one plain quoted string, as most are: its body as written
        formatted = [v for v in node.values if isinstance(v, ast.FormattedValue)] \
            if isinstance(node, ast.JoinedStr) else []
        parts: list[PStr] = []
        while i < end:
            c = text[i]
            if c.isspace() or c == "\\":
                i += 1
                continue
            if c == "#":
                while i < end and text[i] != "\n":
                    i += 1
                continue
            j = i
            while j < end and text[j].isalpha():
                j += 1
            prefix, quote = text[i:j].lower(), text[j:j + 3] if text[j:j + 3] in ('"""', "'''") else text[j:j + 1]
            if quote not in ('"', "'", '"""', "'''") or "b" in prefix:
                return None
            body, close = j + len(quote), _closing(text, j + len(quote), end, quote)
            if close is None:
                return None
            if "f" in prefix:
                piece = self._fstring(body, close, "r" in prefix, formatted, depth)
                if piece is None:
                    return None
                parts.append(piece)
            else:
                parts.append(_decode(text, body, close, "r" in prefix))
            i = close + len(quote)
        return PStr.join(parts) if parts else PStr.synth("")

    def _fstring(self, i: int, end: int, raw: bool, formatted: list, depth: int) -> PStr | None:
        text, parts = self.s.text, []
        while i < end:
            c = text[i]
            if c in "{}" and text[i + 1:i + 2] == c:
                parts.append(PStr.spread(c, i, i + 2))
                i += 2
            elif c == "{":
                close = matching_brace(text, i, end)
                if close is None or not formatted:
                    return None
                value = formatted.pop(0)
                plain = value.conversion == -1 and value.format_spec is None
                parts.append(self.text(value.value, depth) if plain else UNKNOWN_TEXT)
                i = close + 1
            else:
                j = i
                while j < end and text[j] not in "{}":
                    j += 1
                if j == i:          # a lone "}": not valid Python, the parser would have refused it
                    return None
                parts.append(_decode(text, i, j, raw))
                i = j
        return PStr.join(parts) if parts else PStr.synth("")


_ARITH = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
          ast.FloorDiv: lambda a, b: a // b if b else None, ast.LShift: lambda a, b: a << b if 0 <= b < 64 else None}


def _number(node) -> int | float | None:
    """The value of a numeric constant expression (``1024 * 1024``, ``64 << 20``)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, (int, float)) and not isinstance(node.value, bool) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = _number(node.operand)
        return -v if v is not None else None
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        a, b = _number(node.left), _number(node.right)
        return None if a is None or b is None else _ARITH[type(node.op)](a, b)
    return None


def _closing(text: str, i: int, end: int, quote: str) -> int | None:
    """Where the literal whose body starts at ``i`` closes (a backslash escapes the next
    character), found by searching, not character by character."""
    first = quote[0]
    while i < end:
        k = text.find(first, i, end)
        if k < 0:
            return None
        b = text.find("\\", i, k)
        if b >= 0:
            i = b + 2
            continue
        if text.startswith(quote, k):
            return k
        i = k + 1
    return None


def _decode(text: str, i: int, end: int, raw: bool) -> PStr:
    """A literal's body ``text[i:end]`` with its escapes decoded, positions kept."""
    if raw:
        return PStr.source(text[i:end], i)
    parts, start = [], i
    while i < end:
        i = text.find("\\", i, end)
        if i < 0 or i + 1 >= end:
            break
        parts.append(PStr.source(text[start:i], start))
        width, value = _escape(text, i, end)
        parts.append(PStr.spread(value, i, i + width) if value is not None else PStr.source(text[i:i + width], i))
        i = start = i + width
    parts.append(PStr.source(text[start:end], start))
    return PStr.join(parts)


def _escape(text: str, i: int, end: int) -> tuple[int, str | None]:
    """(width, value) of the escape at ``text[i]``; value None: kept as written (``\\q``)."""
    e = text[i + 1]
    if e in _ESCAPES:
        return 2, _ESCAPES[e]
    if e in "xuU":
        width = {"x": 4, "u": 6, "U": 10}[e]
        try:
            return width, chr(int(text[i + 2:i + width], 16))
        except ValueError:
            return 2, UNKNOWN
    if e in "01234567":
        width = 2
        while width < 4 and i + width < end and text[i + width] in "01234567":
            width += 1
        return width, chr(int(text[i + 1:i + width], 8))
    if e == "N" and text[i + 2:i + 3] == "{" and text.find("}", i, end) > 0:
        close = text.find("}", i, end)
        try:
            return close - i + 1, unicodedata.lookup(text[i + 3:close])
        except KeyError:
            return close - i + 1, UNKNOWN
    return 2, None


def _api(func, imports) -> tuple[str, str] | None:
    """(module, function) a call's function names, through the script's imports."""
    if isinstance(func, ast.Name):
        for module, name in imports.get(func.id, ()):
            if name is not None:
                return module, name
        return None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        for module, name in imports.get(func.value.id, ()):
            if name is None:
                return module, func.attr
    return None


def runs(script: Script) -> list[Run]:
    from .python_wrappers import wrapper_runs
    values = Values(script)
    out: list[Run] = []
    direct: list[tuple[ast.Call, str]] = []
    for node in script.calls:
        api = _api(node.func, script.imports)
        if api is not None and (api[0] == "subprocess" and api[1] in ARGS_APIS or api[1] in SHELL_APIS.get(api[0], ())):
            direct.append((node, "shell" if api[1] in SHELL_APIS.get(api[0], ()) else "args"))
    return out + wrapper_runs(script, values, direct)


def parse(text: str, path: str) -> tuple[Script | None, tuple[str, int, int] | None]:
    """The script, or (None, (message, line, column)) when it is not Python 3."""
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        return None, (f"does not parse as Python 3 ({exc.msg}); its build commands are not read",
                      exc.lineno or 1, exc.offset or 1)
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, (f"cannot be parsed as Python ({type(exc).__name__}); its build commands are not read", 1, 1)
    return Script(text, path, tree), None
