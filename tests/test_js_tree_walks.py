"""The JS readers' two shortcuts give the answers of the slow ways they replace:
``parents.parent`` is ``node.parent`` (kept, instead of a walk from the root each time),
and ``WordSearch`` finds the whole words a byte scan finds, before and after it
indexes the file's identifiers."""
from __future__ import annotations

import random

from wasmlint.js import parents, word_search
from wasmlint.js.parse import _finds, parser

JS = b"""const {Worker} = require('worker_threads');
function outer(a, b = 2) {
  let m = new WebAssembly.Memory({initial: 1}); // a comment
  for (const x of [1, 2]) { if (x) { m.grow(x); } else { outer(m, `t${x}`); } }
  return () => { try { m = null; } catch (e) { throw e; } };
}
class C { #p = 1; get q() { return this.#p; } }
x = 1abc; \xc2\xa0y; "\\nNODE"; $ab$ = a$b;
"""


def _all_nodes(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def test_parent_is_node_parent_in_every_tree_of_a_reparse():
    p = parser("javascript")
    first = p.parse(JS)
    edited = JS.replace(b"initial: 1", b"initial: 22")
    first.edit(start_byte=JS.index(b"1}"), old_end_byte=JS.index(b"1}") + 1,
               new_end_byte=JS.index(b"1}") + 2, start_point=(2, 45), old_end_point=(2, 46), new_end_point=(2, 47))
    second = p.parse(edited, first)     # shares the subtrees the edit left alone
    for tree in (first, second):
        parents.register(tree.root_node, JS)
    nodes = [*_all_nodes(first.root_node), *_all_nodes(second.root_node)]
    random.Random(7).shuffle(nodes)
    for node in nodes:
        expected = node.parent
        got = parents.parent(node)
        assert (got is None and expected is None) or got == expected, (node, got, expected)


def test_a_files_parts_parsed_alone_never_push_its_own_tree_out():
    # a big file's left-out bodies are parsed alone by the dozen (parse.Doc.blank_node):
    # the file's tree stays kept, and parents in every tree are node.parent's
    p = parser("javascript")
    whole = p.parse(JS)
    parents.register(whole.root_node, JS)
    bodies = [JS[a + 1:JS.index(b"}", a)] for a in range(len(JS)) if JS[a:a + 1] == b"{"]
    parts = [p.parse(body) for body in bodies * 3]
    assert len(parts) > parents.MAX_TREES
    for tree in parts:
        parents.register(tree.root_node, JS, part=True)
    assert any(t.root == whole.root_node for t in parents._trees), "the file's tree is kept"
    nodes = [*_all_nodes(whole.root_node), *(n for t in parts[-3:] for n in _all_nodes(t.root_node))]
    random.Random(5).shuffle(nodes)
    for node in nodes:
        expected = node.parent
        got = parents.parent(node)
        assert (got is None and expected is None) or got == expected, (node, got, expected)


def test_parent_of_a_tree_nobody_registered_is_node_parent():
    tree = parser("javascript").parse(b"f(g(h(1)));")
    leaf = tree.root_node.descendant_for_byte_range(6, 7)
    assert parents.parent(leaf) == leaf.parent


def test_word_search_finds_what_a_scan_finds_before_and_after_indexing():
    rng = random.Random(3)
    words = [b"m", b"x", b"outer", b"NODE", b"ab", b"$ab$", b"a$b", b"y", b"abc", b"p", b"#p", b"e", b"C"]
    scanning, indexed = word_search.WordSearch(JS), word_search.WordSearch(JS)
    indexed._scanned = word_search.INDEX_AFTER * len(JS)      # the next search indexes the file
    scanning._scanned = -1 << 60                               # this one never does
    skip = (JS.index(b"class"), JS.index(b"x = 1"))           # a range searches leave out
    searched = [(0, skip[0]), (skip[1], len(JS))]
    for _ in range(400):
        lo = rng.randrange(len(JS))
        hi = rng.randrange(lo, len(JS) + 1)
        ranges = [(a, b) for a, b in ((max(lo, s), min(hi, e)) for s, e in searched) if a < b]
        for word in words:
            expected = [i for a, b in ranges for i in word_search._whole_words(JS, word, a, b)]
            assert scanning.within(word, ranges, searched) == expected
            assert indexed.within(word, ranges, searched) == expected, (word, ranges)
            inside = indexed.occurrences(word, ranges, searched)     # whole words or not
            if inside is not None:
                assert inside == [i for a, b in ranges for i in _finds(JS.find, word, a, b)], (word, ranges)
    assert indexed._index is not None and scanning._index is None
    assert indexed.occurrences(b"ute", searched[:1], searched) == [i for i in range(len(JS)) if JS.startswith(b"ute", i)]
