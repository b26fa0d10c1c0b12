"""A Rust source file → the files it compiles into its crate: ``include_bytes!("…")``.

Read with tree-sitter-rust (``rust_values.Source``): a path in a comment or a doc
example (``/// # include_bytes!(…)``) is no reference. The path is relative to the
file (rustc resolves it from the file's folder). A reference inside test code —
an item under ``#[cfg(test)]``, a ``#[test]``/``#[bench]`` function (any path
ending in ``test``: ``#[tokio::test]``), what follows ``#![cfg(test)]`` — is test code
wherever the file is.
Only files that mention ``include_bytes!`` are parsed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..facts import Fact
from . import SourceFile

_TEST_ATTRIBUTES = frozenset(("cfg(test)", "test", "bench"))


@dataclass
class RustInclude(Fact):
    """``include_bytes!("path")``: the crate carries that file's bytes."""

    kind: ClassVar[str] = "rust-include"
    spec: str = ""
    in_test: bool = False      # inside `#[cfg(test)]` code or a test/bench function

    def graph_refs(self) -> list:
        from ..graph import Ref
        return [Ref("includes", self.spec, self.span)]


def extract(src: SourceFile) -> list[Fact]:
    if b"include_bytes!" not in bytes(src.data):
        return []
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..toolchain.rust_values import Source
    rs = Source(text, src.path)
    out: list[Fact] = []
    stack = [(rs.root, False)]
    while stack:
        node, in_test = stack.pop()
        if node.type == "macro_invocation" and rs.raw(node.child_by_field_name("macro")) == "include_bytes":
            args = [c for c in node.named_children if c.type == "token_tree"]
            parts = args[0].named_children if args else []
            if len(parts) == 1 and parts[0].type in ("string_literal", "raw_string_literal"):
                spec = rs.text(parts[0]).text
                if spec and "\0" not in spec:
                    out.append(RustInclude(rs.span(node), spec=spec, in_test=in_test))
            continue
        stack.extend(reversed(_children(rs, node, in_test)))
    return out


def _children(rs, node, in_test: bool) -> list:
    """(child, in test code) of each named child: an item is test code after a test
    attribute (``attribute_item`` siblings before it), and so is all it holds."""
    out, marked = [], False
    for child in node.named_children:
        if child.type == "attribute_item":
            marked = marked or _test_attribute(rs.raw(child))
        elif child.type == "inner_attribute_item":      # `#![cfg(test)]`: all that follows
            in_test = in_test or _test_attribute(rs.raw(child))
        elif child.type not in ("line_comment", "block_comment"):
            out.append((child, in_test or marked))
            marked = False
    return out


def _test_attribute(text: str) -> bool:
    inner = "".join(text.removeprefix("#!").removeprefix("#").removeprefix("[").removesuffix("]").split())
    return inner in _TEST_ATTRIBUTES or inner.endswith("::test")
