"""The scopes of a Python build script and what reaches a use: which assignment gives a
name its value, and the changes made in place to what it holds (``append``, ``+=`` …),
with whether each surely runs before the use (straight-line code, outside a loop around
it). ``python_argv`` evaluates values over this.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from ..facts import Span
from .pstr import LineIndex

MUTATORS = frozenset(("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse", "update",
                      "setdefault", "__setitem__"))
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# the nodes ``Script._note`` reads (names written, values changed in place, imports, calls)
_NOTED = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.comprehension, ast.With,
          ast.AsyncWith, ast.NamedExpr, ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
          ast.ClassDef, ast.arguments, ast.Global, ast.Nonlocal, ast.Delete, ast.Call)


@dataclass
class _Write:
    node: ast.AST            # the statement (or target) that writes
    value: ast.AST | None    # the value it gives, None when not known
    at: int                  # character offset of the write


@dataclass
class Change:
    """A change made in place to the value a name holds (or to ``os.environ``)."""

    stmt: ast.AST            # the statement that makes it
    op: str                  # "+=", "[]=" (``x[key] = value``), or the method called (``append`` …)
    value: ast.AST | None
    at: int
    key: str | None = None   # for "[]="


class Script:
    """One parsed script: positions, parents, scopes, the writes of each name and the
    changes made in place to the values they hold."""

    def __init__(self, text: str, path: str, tree: ast.Module):
        self.text, self.tree = text, tree
        self.index = LineIndex(text, path)
        self.lines = text.split("\n")
        self._ascii: dict[int, bool] = {}      # line → all ASCII (a byte column is its character column)
        self.parent: dict[int, ast.AST] = {}
        self.writes: dict[tuple[int, str], list[_Write]] = {}
        self.changes: dict[tuple[int, str], list[Change]] = {}   # (scope, name or dotted holder)
        self.calls: list[ast.Call] = []
        self.imports: dict[str, set[tuple[str, str | None]]] = {}   # local name → {(module, name or None)}
        self._walk(tree, tree)
        # the names changed in place somewhere: a call asks for those of `os.environ` and of
        # its env= name, which most scripts never change
        self.changed = frozenset(name for _, name in self.changes)

    # ------------------------------------------------------------ positions
    def char(self, line: int, col: int) -> int:
        """Character offset of an ``ast`` position (1-based line, UTF-8 byte column)."""
        text = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        ascii_ = self._ascii.get(line)
        if ascii_ is None:
            ascii_ = self._ascii[line] = text.isascii()
        if ascii_:       # no encoding per position: a long line made every position cost its length
            return self.index.starts[line - 1] + min(col, len(text))
        return self.index.starts[line - 1] + len(text.encode("utf-8", "surrogateescape")[:col]
                                                 .decode("utf-8", "surrogateescape"))

    def start(self, node) -> int:
        return self.char(node.lineno, node.col_offset)

    def end(self, node) -> int:
        return self.char(node.end_lineno, node.end_col_offset)

    def span(self, node) -> Span:
        return self.index.span(self.start(node), self.end(node))

    # ------------------------------------------------------------ scopes
    def _walk(self, root, scope) -> None:
        stack = [(root, scope)]
        while stack:                 # iterative: a deeply nested file cannot exhaust the stack
            node, scope = stack.pop()
            children = _children(node)
            for child in children:
                self.parent[id(child)] = node
                if isinstance(child, _NOTED):
                    self._note(child, scope)
            stack.extend((c, c if isinstance(c, _SCOPES) else scope) for c in reversed(children))

    def _note(self, node, scope) -> None:
        def write(name: str, value, at_node) -> None:
            self.writes.setdefault((id(scope), name), []).append(_Write(at_node, value, self.start(at_node)))

        def change(holder, op: str, value, key: str | None = None) -> None:
            name = dotted(holder)
            if name is not None:
                stmt = self._statement(node)
                self.changes.setdefault((id(scope), name), []).append(
                    Change(stmt, op, value, self.start(stmt), key))
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    write(target.id, node.value if len(targets) == 1 else None, node)
                elif isinstance(target, ast.Subscript):
                    key = target.slice
                    change(target.value, "[]=", node.value,
                           key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None)
                else:
                    for name in _names(target):
                        write(name, None, node)
        elif isinstance(node, ast.AugAssign):
            change(node.target, "+=" if isinstance(node.op, ast.Add) else "op=", node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            for name in _names(node.target):
                write(name, None, node.target)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                for name in _names(item.optional_vars) if item.optional_vars is not None else ():
                    write(name, None, node)
        elif isinstance(node, ast.NamedExpr):
            write(node.target.id, node.value, node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                write((alias.asname or alias.name).split(".")[0], None, node)
                self._import(node, alias)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            write(node.name, None, node)
        elif isinstance(node, ast.arguments):
            for a in node.posonlyargs + node.args + node.kwonlyargs + [node.vararg, node.kwarg]:
                if a is not None:
                    self.writes.setdefault((id(self.parent.get(id(node))), a.arg), []).append(
                        _Write(a, None, self.start(a)))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                write(name, None, node)
        elif isinstance(node, ast.Delete):
            for name in (n for t in node.targets for n in _names(t)):
                write(name, None, node)
        elif isinstance(node, ast.Call):
            self.calls.append(node)
            if isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                change(node.func.value, node.func.attr, node.args[0] if node.args else None)

    def _import(self, node, alias) -> None:
        if isinstance(node, ast.Import):
            local = alias.asname or alias.name.split(".")[0]
            self.imports.setdefault(local, set()).add((alias.name if alias.asname else local, None))
        elif node.module and not node.level:
            self.imports.setdefault(alias.asname or alias.name, set()).add((node.module, alias.name))

    def _statement(self, node):
        while not isinstance(node, ast.stmt) and id(node) in self.parent:
            node = self.parent[id(node)]
        return node

    def ancestors(self, node):
        while id(node) in self.parent:
            node = self.parent[id(node)]
            yield node

    def scopes(self, node) -> list:
        """The scopes whose names ``node`` sees, innermost first (class bodies are skipped
        by functions inside them, as Python does)."""
        out = []
        for a in self.ancestors(node):
            if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) or \
                    (isinstance(a, ast.ClassDef) and not out):
                out.append(a)
        return out + [self.tree]

    def straight(self, stmt, use) -> bool:
        """Whether statement ``stmt`` runs, every time, before ``use``: it comes earlier in
        the same statement list as ``use`` or one of its ancestors, outside any loop
        around ``use`` that it is in."""
        holder = self.parent.get(id(stmt))
        for a in [use, *self.ancestors(use)]:
            if self.parent.get(id(a)) is holder:
                return self.start(stmt) < self.start(a) and any(
                    id(stmt) in body and id(a) in body for body in self._body_ids(holder))
            if isinstance(a, _LOOPS) and self.start(a) <= self.start(stmt) < self.end(a):
                return False
        return False

    def _body_ids(self, holder) -> list[set[int]]:
        """The statement lists of ``holder`` as sets of node ids (a membership test per
        change in a list was quadratic in a long script)."""
        cache = self.__dict__.setdefault("_bodies_by_holder", {})
        if id(holder) not in cache:
            cache[id(holder)] = [{id(n) for n in body} for body in _bodies(holder)]
        return cache[id(holder)]

    def reaching(self, name_node: ast.Name):
        """The one assignment that reaches a use of a name, else None."""
        for scope in self.scopes(name_node):
            writes = self.writes.get((id(scope), name_node.id))
            if writes:
                return writes[0] if len(writes) == 1 else self._last_before(name_node, writes)
        return None

    def _last_before(self, use, writes: list[_Write]):
        at = self.start(use)
        before = [w for w in writes if w.at < at]
        if not before or not self.straight(self._statement(before[-1].node), use):
            return None                  # written under a condition, in a loop, in another function
        loops = [a for a in self.ancestors(use) if isinstance(a, _LOOPS)]
        if any(self.start(loop) <= w.at < self.end(loop) for loop in loops for w in writes):
            return None
        return before[-1]

    def changes_of(self, name: str, use, since: int) -> list[tuple[Change, bool]] | None:
        """The changes made in place to what ``name`` holds that reach ``use`` (made after
        offset ``since``), each with whether it surely ran; None when one may run again
        after ``use`` (in a loop around it)."""
        if name not in self.changed:
            return []
        loops = [a for a in self.ancestors(use) if isinstance(a, _LOOPS)]
        at, out = self.start(use), []
        for scope in self.scopes(use):
            for ch in self.changes.get((id(scope), name), ()):
                if ch.at < since:
                    continue
                if ch.at >= at:
                    if any(self.start(loop) <= ch.at < self.end(loop) for loop in loops):
                        return None
                    continue
                out.append((ch, self.straight(ch.stmt, use)))
        return sorted(out, key=lambda pair: pair[0].at)


def _bodies(node) -> list[list]:
    return [getattr(node, f) for f in ("body", "orelse", "finalbody", "handlers")
            if isinstance(getattr(node, f, None), list)]


def _names(target) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in _names(t)]
    if isinstance(target, ast.Starred):
        return _names(target.value)
    return []


def dotted(node) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def _children(node) -> list:
    """``list(ast.iter_child_nodes(node))``, without a generator and its two per field."""
    out = []
    for name in node._fields:
        v = getattr(node, name, None)
        if isinstance(v, ast.AST):
            out.append(v)
        elif isinstance(v, list):
            out += [x for x in v if isinstance(x, ast.AST)]
    return out
