"""Parents of tree-sitter nodes, found by one descent and kept (F6).

tree-sitter keeps no parent links: ``node.parent`` descends from the root of the tree
every time, so walking up from a node at depth d costs d², and a file nested 3,000
functions deep took tens of seconds. Here the path to a node is found by one descent
(``child_with_descendant``, the step ``node.parent`` itself takes), starting from the
deepest node of the last path found that still holds the node's bytes (ranges nest
along a path), and every node on the path keeps its parent. The answers are those of
``node.parent``: a descent that does not end at the node itself (a node of another
tree that shares the subtree after an incremental reparse) is not used.
"""
from __future__ import annotations

MAX_TREES = 8      # trees whose parents are kept (a file's parses and its blanked ranges' own)


class _Tree:
    __slots__ = ("root", "owner", "parents", "path")

    def __init__(self, root, owner):
        self.root, self.owner = root, owner
        self.parents = {root: None}    # node → parent; node equality holds the tree
        self.path = [root]             # the last path found, root first


_trees: list[_Tree] = []     # newest first


def register(root, owner: object) -> None:
    """Keep the parents of nodes of the tree whose root is ``root``, a parse of
    ``owner`` (a file's bytes). The trees of another file are let go (a file's tree
    holds memory the next file needs), and the oldest past ``MAX_TREES``."""
    if _trees and _trees[0].owner is not owner:
        _trees.clear()
    if any(t.root == root for t in _trees):
        return
    _trees.insert(0, _Tree(root, owner))
    del _trees[MAX_TREES:]


def parent(node):
    """``node.parent``, in time proportional to the part of the path not yet known."""
    for t in _trees:
        known = t.parents.get(node, t)
        if known is not t:
            return known
    for t in _trees:
        if _descend(t, node):
            return t.parents[node]
    return node.parent       # a tree nobody registered


def _descend(t: _Tree, node) -> bool:
    """Find the path of ``t``'s tree to ``node`` and keep its parents; False when
    ``node`` is not in that tree."""
    path, start, end = t.path, node.start_byte, node.end_byte
    lo, hi = 0, len(path)
    while lo < hi:          # the deepest node of the last path whose range holds node's
        mid = (lo + hi) // 2
        if path[mid].start_byte <= start and end <= path[mid].end_byte:
            lo = mid + 1
        else:
            hi = mid
    for first in ((lo - 1, 0) if lo > 1 else (0,)):
        trail = path[:first + 1]
        cur = trail[-1]
        while cur.id != node.id:
            cur = cur.child_with_descendant(node)
            if cur is None:
                break
            trail.append(cur)
        if cur is not None and cur == node:
            parents = t.parents
            for up, down in zip(trail, trail[1:]):
                parents[down] = up
            t.path = trail
            return True
    return False
