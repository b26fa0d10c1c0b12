"""What ``node FILE`` prints to stdout, read without running it.

Build scripts compute flags with small node programs: ffmpeg.wasm's
``-sEXPORTED_FUNCTIONS=$(node src/bind/ffmpeg/export.js)``, where the file holds a
constant list and prints ``list.join(",")``. Such a program's output is known when every
write to stdout is a ``console.log``/``console.info``/``process.stdout.write`` statement of
the program's top level (run once, in order) with one argument whose text ``pstrings``
knows. A program that imports or requires a module, exits, throws, or writes to stdout
anywhere else (a function, a branch, a loop) prints what only running it shows: None.
"""
from __future__ import annotations

from .parse import Doc, call_parts, path_of
from .pstrings import Texts
from .values import Evaluator

WRITERS = {"console.log": "\n", "console.info": "\n", "process.stdout.write": ""}
STOPS = frozenset(("require", "import", "process.exit", "process.abort"))
STOP_NODES = frozenset(("import_statement", "throw_statement", "import"))


def printed(path: str, text: str) -> str | None:
    """The stdout of ``node path`` (the file's text), or None when it is not known."""
    doc = Doc(path, text.encode("utf-8"))
    if doc.root.has_error:
        return None
    texts = Texts(Evaluator(doc), text, path)
    out: list[str] = []
    stack = [doc.root]
    while stack:
        node = stack.pop()
        if node.type in STOP_NODES:
            return None
        if node.type == "call_expression":
            callee, args = call_parts(node)
            name = path_of(callee)
            if name in STOPS:
                return None
            if name in WRITERS:
                statement = node.parent
                if (statement is None or statement.type != "expression_statement" or statement.parent is None
                        or statement.parent.type != "program" or len(args) != 1):
                    return None
                value = texts.text(args[0])
                if not value.known:
                    return None
                out.append((statement.start_byte, value.text + WRITERS[name]))
        stack.extend(node.children)
    return "".join(t for _, t in sorted(out))
