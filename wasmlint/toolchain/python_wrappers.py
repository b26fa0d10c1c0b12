"""The processes a Python build script starts (``call_run``: a ``subprocess``/``os.system``
call's argument vector or command line, its ``env=`` and ``cwd=``), also through a
function of its own or of a library.

Build scripts seldom call ``subprocess`` at every command: they define a helper
(``def run(cmd): print(cmd); subprocess.check_call(cmd)``, ``def emcc(*args):
subprocess.run(["emcc", *args])``) or import one (``from helper import shell_exec``,
pygemstones' ``runner.run(cmd, shell=True)``, invoke's ``c.run(cmd)``). Python binds
a call's arguments to the function's parameters, so:

* a function of the script whose ``subprocess``/``os.system`` call runs a command made
  from its parameters is a wrapper: each call of it runs that command with the
  call's arguments bound (positional, ``*args`` packed into a tuple, keywords,
  defaults); a wrapper nobody in the file calls (a helper other scripts import) is
  read alone, each parameter at its default (``cc="emcc"``), else unknown;
* a function the script does not define, whose name says it runs something (``run``,
  ``exec``, ``shell``, ``call``, ``system``, ``spawn`` … and not ``print``, ``log``,
  ``format`` …), called with a whole command whose first word is a build tool (a
  list starting with ``"emcc"``, its ``*`` spread, or a string), runs that command:
  a list is the argument vector, a string the command line.

Python evaluates one branch of ``a if cond else b``. A command holding such an expression
whose condition the script decides only when it runs (``"-g" if config == "debug" else
"-O2"``, ``config`` looping over the configurations) runs as one or the other: it is read
as two variants, as the shell reader reads an ``if`` it cannot decide (``variant_runs``).
"""
from __future__ import annotations

import ast
import itertools
import re
from dataclasses import replace

from ..launch.argv import basename
from .pstr import UNKNOWN, PStr
from .python_argv import Values
from .python_script import Script, dotted
from .script_runs import TOOL_WORDS, Run

RUN_WORDS = frozenset(("run", "exec", "execute", "call", "shell", "sh", "system", "spawn", "cmd", "command",
                       "invoke", "popen", "check"))
QUIET_WORDS = frozenset(("print", "log", "logger", "debug", "info", "warn", "warning", "error", "echo", "format",
                         "quote", "join", "str", "repr", "dump", "dumps", "write", "append", "extend", "insert"))
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
MAX_DEPTH = 6
MAX_CHOICES = 2         # conditional expressions of one call read as variants (at most 4 variants)


def wrapper_runs(script: Script, values: Values, direct: list[tuple[ast.Call, str]]) -> list[Run]:
    """The runs of the ``direct`` process calls (``(call, how)``, ``how`` as ``call_run``
    takes it), of the calls of the script's wrappers, and of run-named library calls."""
    out: list[Run] = []
    wrappers: dict[int, tuple[ast.AST, list[tuple[ast.Call, str]]]] = {}
    for call, how in direct:
        fn = _enclosing_function(script, call)
        if fn is not None and _from_parameters(script, call, fn):
            wrappers.setdefault(id(fn), (fn, []))[1].append((call, how))
            continue
        out += variant_runs(script, values, call, how)
    called: set[int] = set()
    direct_ids = {id(c) for c, _ in direct}
    for node in script.calls:
        if id(node) in direct_ids:
            continue
        fn = _defined_here(script, node.func)
        if fn is None:
            if _runs_by_name(node.func):
                out += [r for r in variant_runs(script, values, node, "any") if _starts_with_tool(r)]
            continue
        if id(fn) not in wrappers:
            continue
        called.add(id(fn))
        values.bound = _bind(fn, node)
        try:
            for inner, how in wrappers[id(fn)][1]:
                out += [replace(r, span=script.span(node)) for r in variant_runs(script, values, inner, how)]
        finally:
            values.bound = {}
    for key, (fn, inner_calls) in wrappers.items():
        if key in called:
            continue
        # a helper other scripts import: its command as run with nothing passed (the defaults)
        values.bound = _bind(fn, ast.Call(func=fn, args=[], keywords=[]))
        try:
            for inner, how in inner_calls:
                out += variant_runs(script, values, inner, how)
        finally:
            values.bound = {}
    return out


def variant_runs(script: Script, values: Values, node: ast.Call, how: str) -> list[Run]:
    """The process a call starts (``call_run``); once per branch of the first ``MAX_CHOICES``
    conditional expressions with known, different branches that its command holds."""
    values.undecided, values.chosen = {}, {}
    run = call_run(script, values, node, how)
    choices = list(values.undecided.values())[:MAX_CHOICES]
    if run is None or not choices:
        return [run] if run is not None else []
    out: list[Run] = []
    try:
        for picks in itertools.product((0, 1), repeat=len(choices)):
            values.chosen = {id(c): k for c, k in zip(choices, picks)}
            made = call_run(script, values, node, how)
            if made is not None:
                label = ", ".join(_branch_label(c, k) for c, k in zip(choices, picks))
                out.append(replace(made, variant=", ".join(x for x in (made.variant, label) if x)))
    finally:
        values.undecided, values.chosen = {}, {}
    return out


_NEGATED = {ast.NotEq: ast.Eq, ast.IsNot: ast.Is, ast.NotIn: ast.In}


def _branch_label(node: ast.IfExp, pick: int) -> str:
    """What a variant goes by: the condition, stated positively (``not debug`` → ``debug``),
    for the branch taken when it holds; the other branch by the line's number (a label
    holding the condition's words would name it for debug or release the wrong way)."""
    test, holds = node.test, 0           # the branch taken when ``test`` holds
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, holds = test.operand, 1
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _NEGATED:
        test, holds = ast.Compare(left=test.left, ops=[_NEGATED[type(test.ops[0])]()],
                                  comparators=test.comparators), 1
    if pick == holds:
        try:
            return ast.unparse(test)[:80]
        except (ValueError, TypeError, RecursionError):
            pass
    return f"line {node.lineno}'s other branch"


def _enclosing_function(script: Script, node):
    return next((a for a in script.ancestors(node) if isinstance(a, (*_FUNCTIONS, ast.Lambda, ast.ClassDef))), None) \
        if node is not None else None


def _params(fn) -> list[ast.arg]:
    a = fn.args
    return [p for p in (*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg) if p is not None]


def _from_parameters(script: Script, call: ast.Call, fn) -> bool:
    """Whether the command ``call`` runs is made from a parameter of ``fn`` (through the
    function's own names and the changes made to them)."""
    if not isinstance(fn, _FUNCTIONS):
        return False
    params = {id(p) for p in _params(fn)}
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    first = call.args if call.args and isinstance(call.args[0], ast.Starred) else \
        [call.args[0]] if call.args else [kw.get("args") or kw.get("command") or kw.get("cmd")]
    seen: set[int] = set()
    todo = [(n, 0) for n in first if n is not None]
    while todo:
        node, depth = todo.pop()
        for name in (n for n in _nodes(node) if isinstance(n, ast.Name) and id(n) not in seen):
            seen.add(id(name))
            w = script.reaching(name)
            if w is None or depth >= MAX_DEPTH:
                continue
            if id(w.node) in params:
                return True
            if w.value is not None and fn in script.ancestors(w.node):
                todo.append((w.value, depth + 1))
            for ch, _surely in script.changes_of(name.id, name, w.at) or ():
                if ch.value is not None:
                    todo.append((ch.value, depth + 1))
    return False


def _nodes(root) -> list:
    """``root`` and every node under it."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def _defined_here(script: Script, func):
    """The function of the script a call's name reaches (``run(cmd)`` after ``def run``)."""
    if not isinstance(func, ast.Name):
        return None
    w = script.reaching(func)
    return w.node if w is not None and isinstance(w.node, _FUNCTIONS) else None


def _bind(fn, call: ast.Call) -> dict[int, ast.AST | None]:
    """Each parameter of ``fn`` → the expression ``call`` gives it (None: not known)."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    bound: dict[int, ast.AST | None] = {id(p): None for p in _params(fn)}
    defaults = dict(zip((id(p) for p in positional[len(positional) - len(a.defaults):]), a.defaults))
    defaults.update((id(p), d) for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None)
    bound.update(defaults)
    given = list(call.args)
    star = next((i for i, g in enumerate(given) if isinstance(g, ast.Starred)), len(given))
    for i, p in enumerate(positional):
        if i < len(given):
            bound[id(p)] = given[i] if i < star else None
    if a.vararg is not None:
        bound[id(a.vararg)] = ast.Tuple(elts=given[len(positional):], ctx=ast.Load()) \
            if star >= len(positional) else None
    by_name = {p.arg: p for p in (*positional, *a.kwonlyargs)}
    for k in call.keywords:
        if k.arg in by_name:
            bound[id(by_name[k.arg])] = k.value
    return bound


def _runs_by_name(func) -> bool:
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)}
    return bool(words & RUN_WORDS) and not words & QUIET_WORDS


def _starts_with_tool(run: Run) -> bool:
    words = [run.argv[0].text] if run.argv else run.line.text.split(None, 1)[:1] if run.line is not None else []
    word = basename(words[0].strip("'\"")) if words else ""
    stem, dot, ext = word.rpartition(".")
    return (stem if dot and ext in ("py", "bat", "exe") else word) in TOOL_WORDS


def call_run(script: Script, values: Values, node: ast.Call, how: str) -> Run | None:
    """The process one call starts: ``how`` is "shell" (its first argument is a command line),
    "args" (``subprocess``'s: a list is the argument vector, a string with ``shell=True``
    the command line) or "any" (a library's runner: a list the vector, else the line);
    None when it names no command."""
    kw = {k.arg: k.value for k in node.keywords if k.arg}
    first = node.args[0] if node.args else kw.get("args") or kw.get("command") or kw.get("cmd")
    if first is None:
        return None
    env = _env(script, values, kw.get("env"), node)
    where = values.script_path(kw["cwd"]) if "cwd" in kw else None
    cwd = None if "cwd" not in kw else where.folder(script.index.path) if where is not None else UNKNOWN
    if how == "shell":
        return Run(script.span(node), line=values.text(first), env=env, cwd=cwd)
    if isinstance(first, ast.Starred):          # run(*cmd): the words are the positional arguments
        vector = values.items(ast.Tuple(elts=list(node.args), ctx=ast.Load()))
    else:
        vector = values.items(first)
    if how == "any" and vector is None:         # a library's run(str): the command line
        return Run(script.span(node), line=values.text(first), env=env, cwd=cwd)
    if _is_true(kw.get("shell")):
        line = vector[0] if vector else values.text(first) if vector is None else None
        return Run(script.span(node), line=line, env=env, cwd=cwd) if line is not None else None
    return Run(script.span(node), argv=vector if vector is not None else [values.text(first)], env=env, cwd=cwd)


def _is_true(node) -> bool:
    """``shell=True``. A value the script decides when it runs (``shell=IS_WINDOWS``) is
    read as off: the POSIX build, where the list is the argument vector."""
    return isinstance(node, ast.Constant) and node.value is True


def _env(script: Script, values: Values, node, call) -> dict[str, PStr]:
    """The variables a call sets for its process: ``env=`` (a dict, ``dict(os.environ,
    K=v)``, a name holding one, with ``env["K"] = v`` made to it), and ``os.environ["K"] = v``
    written before the call in straight-line code."""
    out: dict[str, PStr] = {}
    _set_items(script, values, "os.environ", call, 0, out)
    if node is None:
        return out
    write = script.reaching(node) if isinstance(node, ast.Name) else None
    target = write.value if write is not None else node
    if isinstance(target, ast.Dict):
        for k, v in zip(target.keys, target.values):
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                out[k.value] = values.text(v)
    elif isinstance(target, ast.Call) and dotted(target.func) == "dict":
        for k in target.keywords:
            if k.arg:
                out[k.arg] = values.text(k.value)
    if isinstance(node, ast.Name):
        _set_items(script, values, node.id, call, write.at if write is not None else 0, out)
    return out


def _set_items(script: Script, values: Values, holder: str, call, since: int, out: dict) -> None:
    """``holder["K"] = v`` made before ``call`` in straight-line code (a write that may not
    run is not read: the variable may or may not be set)."""
    for ch, surely in script.changes_of(holder, call, since) or ():
        if ch.op == "[]=" and ch.key is not None and surely:
            out[ch.key] = values.text(ch.value)
