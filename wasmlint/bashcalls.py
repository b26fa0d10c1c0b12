"""Functions, sourced files and project scripts run by ``wasmlint.bash``'s evaluator
(a mixin of ``bash._Eval``, as ``bashwords.Words`` holds its word expansion): a function
runs with its arguments and ``VAR=x f`` prefixes; ``. FILE`` runs in the caller's scope;
``./x.sh`` or ``bash x.sh`` runs a project script in a scope of its own. Files are read
through the evaluator's reader (project files only), at most ``MAX_DEPTH`` deep and
``MAX_CALLS`` times an evaluation, never inside themselves.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .bashwords import HERE, MAX_FILES, has_here, is_here
from .toolchain.pstr import UNKNOWN, PStr

if TYPE_CHECKING:
    from .bash import Binding

MAX_DEPTH = 8           # nested function calls, sourced and run files
MAX_CALLS = 256         # function calls and files run per evaluation
SHELLS = frozenset(("sh", "bash", "dash", "ash", "ksh", "zsh"))


class Calls:
    def define(self, node) -> None:
        name_node, body = node.child_by_field_name("name"), node.child_by_field_name("body")
        if name_node is None or body is None:
            return
        name = self.name(name_node)
        self.functions[name] = (self.f, body)
        if name not in self.called and not self.library:
            # never called by name: run once, arguments unknown. Not in a library: a sourced
            # file's functions are for its caller (`source tools/ci.sh && ci_unix_build`), and a
            # script run with known arguments runs the one they name (`tools/ci.sh unix_build`)
            self.call(self.f, body, None, [])

    def call(self, file, body, args: list[PStr] | None, prefix: list[Binding]) -> None:
        """Run a function body with its arguments; ``VAR=x f`` holds only during the call."""
        if self.calls >= MAX_CALLS or self.depth >= MAX_DEPTH:
            return
        self.calls += 1
        saved = self.f, self.args
        self.depth += 1
        self.frames.append({})
        for b in prefix:
            self.shadow(b.name)
            self.set(b)
        self.f, self.args = file, args
        self.statement(body)
        for name, (var, exp) in self.frames.pop().items():
            for table, old in ((self.vars, var), (self.exported, exp)):
                if old is None:
                    table.pop(name, None)
                else:
                    table[name] = old
        self.depth -= 1
        self.f, self.args = saved

    def source(self, path: PStr, args: list[PStr] | None) -> None:
        """``. FILE [ARGS]``: the file runs in this scope."""
        file = self.load(path)
        if file is None:
            return
        saved = self.f, self.args, self.library
        self.f, self.args, self.library = file, (args if args is not None else self.args), True
        self.enter(file)
        self.f, self.args, self.library = saved

    def run_script(self, argv: list[PStr], env: dict[str, Binding]) -> None:
        """``./x.sh ARGS`` or ``bash x.sh ARGS``: a project script runs in a scope of its own."""
        head = argv[0].text if argv and argv[0].known else ""
        if head.rsplit("/", 1)[-1] in SHELLS:
            k = 1
            while k < len(argv) and argv[k].text.startswith("-"):
                if not argv[k].text.startswith("--") and "c" in argv[k].text:
                    return                                # sh -c 'script text'
                k += 1
            if k >= len(argv):
                return
            path, args, as_shell = argv[k], argv[k + 1:], True
        elif "/" in head:
            path, args, as_shell = argv[0], argv[1:], False
        else:
            return
        file = self.load(path)
        if file is None or not (as_shell or file.loaded.shell):
            return
        saved = (self.f, self.args, self.vars, self.exported, self.functions, self.script, self.frames,
                 self.cwd, self.dirs, self.library, self.contests, self.where)
        self.library = bool(args) and all(a.known for a in args)   # a dispatcher: `ci.sh unix_build`
        self.vars, self.exported, self.functions = self.table(env), self.table(env), self.table()
        self.frames, self.dirs = [], []
        self.f, self.args, self.script = file, args, file.id
        self.enter(file)
        (self.f, self.args, self.vars, self.exported, self.functions, self.script, self.frames,
         self.cwd, self.dirs, self.library, self.contests, self.where) = saved

    def enter(self, file) -> None:
        """The statements of a file read by ``source`` or run as a script."""
        self.active.append(file.loaded.key)
        self.depth += 1
        self.called |= file.called
        self.statements(file.tree.root_node)
        self.depth -= 1
        self.active.pop()

    def load(self, path: PStr):
        """The project file ``path`` names (relative to the script's folder), once per key."""
        if self.calls >= MAX_CALLS or self.depth >= MAX_DEPTH:
            return None
        text, base = path.text, self.f.loaded
        if text and is_here(text[0]):
            k = ord(text[0]) - HERE
            base = self.files[k].loaded if k < len(self.files) else None
            text = text[1:].lstrip("/")
        if not text or UNKNOWN in text or has_here(text):
            return None
        self.reads = True          # from here on, what the evaluation finds depends on the reader
        if self.reader is None:
            return None
        self.calls += 1
        loaded = self.reader(text, base)
        if loaded is None or loaded.key in self.active:
            return None
        file = self.by_key.get(loaded.key)
        if file is None:
            if len(self.files) >= MAX_FILES:
                return None
            file = self.open_file(loaded)
            self.files.append(file)
            self.by_key[loaded.key] = file
        return file
