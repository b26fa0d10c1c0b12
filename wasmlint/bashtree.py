"""tree-sitter-bash's reading of a shell text (``wasmlint.bash`` evaluates it): the parser,
one tree per text (its evaluation and its syntax check share it), the nodes a walk needs
found by one query, and the shape of ``if``/``case`` branches."""
from __future__ import annotations

import re
from functools import lru_cache

from . import budget
from .toolchain.pstr import PStr


@lru_cache(maxsize=1)
def parser():
    import tree_sitter_bash
    from tree_sitter import Language, Parser
    return Parser(Language(tree_sitter_bash.language()))


@lru_cache(maxsize=1)
def _nodes_query():
    """The nodes a file's walk needs, found by tree-sitter in one pass (no Python walk)."""
    from tree_sitter import Query
    return Query(parser().language, "(command_name) @name (command_substitution) @subst "
                                     "(variable_assignment name: (_) @assigned) (expansion) @expansion")


# bash expands `$` only before a name, a digit, a special parameter (`@*#?-$!`), `{`, `(`, `[`
# or a quote; before anything else (`"$(dirname "$0"$)/x"`, `a$}`) the `$` is a literal
# character of its word. tree-sitter-bash takes such a `$` for a broken expansion and loses
# the rest of the script, so it is read as the word character it is (`_`, same length)
_LITERAL_DOLLAR = re.compile(rb"\$(?=[)\]};|&<>/.,:=%+~^])")


# `` `# note` ``: a command substitution holding only a comment, which runs nothing and
# expands to nothing — the way to annotate each line of a long command (`emcc … \`,
# `` -O3 `# optimise` \ ``). tree-sitter-bash reads the `#` as a comment to the end of the
# line and loses the rest of the command, so it is read as the blanks it amounts to
_COMMENT_SUBSTITUTION = re.compile(rb"(?<=[ \t])`[ \t]*#[^`\n]*`")


def parse_bytes(raw: bytes):
    """tree-sitter-bash's tree of a script. A line continuation that ends the file
    (``-o out.js \\`` on the last line) joins the line to nothing in bash; tree-sitter
    rejects the whole command, so the backslash is read as the blank it amounts to.
    A literal ``$`` (see ``_LITERAL_DOLLAR``) is read as a word character, a comment in
    backquotes (``_COMMENT_SUBSTITUTION``) as blanks. Node
    positions are those of ``raw``; words are read from the script's own text."""
    body = raw.rstrip(b" \t\r\n")
    if body.endswith(b"\\") and (len(body) - len(body.rstrip(b"\\"))) % 2 and raw[len(body):].startswith(b"\n"):
        raw = body[:-1] + b" " + raw[len(body):]
    if b"$" in raw:
        raw = _LITERAL_DOLLAR.sub(b"_", raw)
    if b"`" in raw:
        raw = _COMMENT_SUBSTITUTION.sub(lambda m: b" " * len(m.group(0)), raw)
    global _last_tree
    last = _last_tree              # a script's evaluation and its syntax check read one tree
    if last[0] is budget.current() and last[1] == raw:
        return last[2]
    tree = budget.parse(parser(), raw)
    _last_tree = (budget.current(), raw, tree)
    return tree


_last_tree: tuple = (None, None, None)


# tree-sitter's queries read some 32,767 levels of nesting: past that they miss the deeper
# nodes, and their time grows with the square of the depth (``$(echo $(echo …))`` 64,000
# deep: 3 min). A tree deeper than this many nodes is not read (the evaluator, which recurses
# per level, could not read it either: "nested too deeply")
QUERY_DEPTH = 30_000


def deeper_than(root, limit: int) -> bool:
    """Whether a node lies more than ``limit`` below ``root``: a walk down the children
    whose descendants are enough to reach that depth (a real script's root has none)."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if node.descendant_count + depth > limit:
            stack.extend((ch, depth + 1) for ch in node.children if ch.descendant_count + depth >= limit)
    return False


class ParsedText:
    """One text the evaluation reads: its tree and byte → character map."""

    def __init__(self, fid: int, src: PStr, loaded):
        self.id, self.src, self.loaded = fid, src, loaded
        raw = src.text.encode("utf-8", "surrogateescape")   # a byte that was not UTF-8 stays that byte
        self.tree = parse_bytes(raw)
        if len(raw) == len(src.text):
            self.ch = None
        else:
            self.ch = [0] * (len(raw) + 1)
            pos = 0
            for k, c in enumerate(src.text):
                n = len(c.encode("utf-8", "surrogateescape"))
                for b in range(n):
                    self.ch[pos + b] = k
                pos += n
            self.ch[pos] = len(src.text)
        from tree_sitter import QueryCursor
        if deeper_than(self.tree.root_node, QUERY_DEPTH):
            raise budget.OverBudget(f"shell nested more than {QUERY_DEPTH:,} deep")
        found = QueryCursor(_nodes_query()).captures(self.tree.root_node)
        # every name a command of the file starts with (functions called by name)
        self.called = {raw[n.start_byte:n.end_byte].decode(errors="replace") for n in found.get("name", ())}
        # command substitutions in document order (an enclosing one before those inside it)
        self.substs = sorted(found.get("subst", ()), key=lambda n: (n.start_byte, -n.end_byte))
        self.subst_starts = [n.start_byte for n in self.substs]
        self.assigned_names = found.get("assigned", ())
        self.expansions = found.get("expansion", ())
        # positions that only ascend (a file's own text, a decoded JSON string): the range of
        # any stretch is its ends' (not so for a Makefile recipe holding a variable's value)
        self.ascending = min(src.starts, default=0) >= 0 and src.ends == tuple(sorted(src.ends))

    def c(self, byte: int) -> int:
        return byte if self.ch is None else self.ch[byte]

    def name(self, node) -> str:
        """The text of ``node`` (``node.text`` decoded, without reading it through the parser)."""
        ch = self.ch
        return self.src.text[node.start_byte:node.end_byte] if ch is None else \
            self.src.text[ch[node.start_byte]:ch[node.end_byte]]

    def source_range(self, i: int, j: int) -> tuple[int, int]:
        """The source range of characters ``[i, j)``; (-1, -1) when none is placed."""
        if self.ascending and i < j:
            return self.src.starts[i], self.src.ends[j - 1]
        return self.src.source_range(i, j) or (-1, -1)


def branches(node) -> tuple[list[list], list[list]]:
    """The tests of each clause of an ``if``/``elif`` chain (none for ``else``; for a
    ``case``, one clause: the word it matches) and the statements of each branch."""
    tests, bodies = [], []
    if node.type == "case_statement":
        value = node.child_by_field_name("value")
        tests.append([value] if value is not None else [])
        for item in node.named_children:
            if item.type == "case_item":
                bodies.append([c for k, c in enumerate(item.children) if c.is_named
                               and item.field_name_for_child(k) not in ("value", "termination")])
        return tests, bodies
    clauses = [node] + [c for c in node.named_children if c.type in ("elif_clause", "else_clause")]
    for clause in clauses:
        in_test = clause.type != "else_clause"
        test, body = [], []
        for c in clause.children:
            if c.type == "then":
                in_test = False
            elif c.is_named and c.type not in ("elif_clause", "else_clause"):
                (test if in_test else body).append(c)
        tests.append(test)
        bodies.append(body)
    return tests, bodies
