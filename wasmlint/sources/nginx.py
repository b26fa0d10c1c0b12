"""nginx configs → ``serving-config`` facts: the ``add_header`` directives of a
file with a ``server`` block (findings point at that block)."""
from __future__ import annotations

from functools import lru_cache

from ..facts import Fact
from . import SourceFile
from .serving import ServingConfig


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from ..resources import grammar_text
    return Lark(grammar_text("nginx.lark"), parser="lalr", propagate_positions=True)


def extract(src: SourceFile) -> list[Fact]:
    from lark import Tree
    from lark.exceptions import UnexpectedInput

    text, errors = src.decode_or_error()
    if text is None:
        return errors
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        return [src.error(f"cannot parse nginx configuration: unexpected {exc.__class__.__name__.replace('Unexpected', '').lower()}",
                          line=getattr(exc, "line", 1) or 1, column=getattr(exc, "column", 1) or 1)]
    fact = ServingConfig(src.span(1, 1), server="nginx")
    anchor = None
    for node in tree.iter_subtrees_topdown():
        if not isinstance(node, Tree):
            continue
        words = [str(t) for t in node.children if not isinstance(t, Tree)]
        if node.data == "block" and words[0] == "server" and anchor is None:
            anchor = node   # findings point at the first server block …
        if node.data == "directive" and words[0] == "add_header" and len(words) >= 3:
            fact.add(words[1].strip("'\""), words[2])
    if anchor is None:
        return []   # a snippet without a server block serves nothing by itself
    fact.span = src.span(anchor.meta.line, anchor.meta.column, anchor.meta.line, anchor.meta.column + 6)
    return [fact]
