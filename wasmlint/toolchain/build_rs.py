"""``build.rs`` → the wasm-ld link args it prints (``cargo:rustc-link-arg…=`` and the
``cargo::`` form of Cargo ≥ 1.77, for all artifacts or ``-cdylib``/``-bins``), and the
emcc / cargo commands it runs (``rust_commands``).

Read with tree-sitter-rust (``rust_values.Source``): a directive inside a comment,
or a string that merely contains ``println!``, is never taken; the printed text is
the ``format!`` of the macro (``{}`` replaced by a value the file fixes, else unknown
from there on).
"""
from __future__ import annotations

import re

from ..facts import Fact, Span
from .pstr import UNKNOWN, PStr, Tok
from .rust import MEMORY_OPTIONS, build_rust_link
from .rust_commands import command_facts
from .rust_values import FORMATTING, Source

_DIRECTIVE = re.compile(r"^cargo::?rustc-link-args?(-cdylib|-bins|-bin=[^=]+|-tests|-examples|-benches)?=")


def link_args(src: Source) -> list[Tok]:
    out: list[Tok] = []
    stack = [src.root]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.named_children))
        if node.type != "macro_invocation" or src.raw(node.child_by_field_name("macro")) not in FORMATTING:
            continue
        value = src.text(node)
        if UNKNOWN in value.text:
            value = value[:value.text.index(UNKNOWN)] + PStr.synth(UNKNOWN)
        m = _DIRECTIVE.match(value.text)
        if not m:
            continue
        arg = value[m.end():]
        if "link-args" in m.group(0):
            out += [Tok(p, src.index) for p in arg.split_ws()]
        else:
            out.append(Tok(arg, src.index))
    return out


def build_rs_facts(text: str, path: str) -> list[Fact]:
    src = Source(text, path)
    return _directive_facts(src) + command_facts(src)


def _directive_facts(src: Source) -> list[Fact]:
    if b"rustc-link-arg" not in src.data:
        return []
    args = link_args(src)
    memory = [a for a in args if a.value.startswith((*MEMORY_OPTIONS, "-zstack-size"))]
    if not memory:
        return []
    span = memory[0].span() or Span(src.index.path)
    return build_rust_link(span, "build.rs", [], extra_link_args=args)
