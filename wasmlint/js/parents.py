"""Parents of tree-sitter nodes, found by one descent and kept (F6).

tree-sitter keeps no parent links: ``node.parent`` descends from the root of the tree
every time, so walking up from a node at depth d costs d², and a file nested 3,000
functions deep took tens of seconds. Here the path to a node is found by one descent
(``child_with_descendant``, the step ``node.parent`` itself takes), starting from the
deepest node of the last path found that still holds the node's bytes (ranges nest
along a path), and every node on the path keeps its parent. The answers are those of
``node.parent``: a descent that does not end at the node itself (a node of another
tree that shares the subtree after an incremental reparse) is not used.

A file's own parses are kept apart from those of its parts parsed alone (left-out
bodies, ``parse.Doc.blank_node``), which a big file has dozens of: they never push
the file's tree out, and the file's trees are searched first (most nodes are theirs).
"""
from __future__ import annotations

MAX_TREES = 8      # trees whose parents are kept, of each kind (a file's parses, its parts' own)


class _Tree:
    __slots__ = ("root", "owner", "parents", "path")

    def __init__(self, root, owner):
        self.root, self.owner = root, owner
        self.parents = {root: None}    # node → parent; node equality holds the tree
        self.path = [root]             # the last path found, root first


_files: list[_Tree] = []     # parses of the whole file, newest first
_parts: list[_Tree] = []     # parses of parts of it alone, newest first
_trees: list[_Tree] = []     # both, in the order they are searched


def register(root, owner: object, part: bool = False) -> None:
    """Keep the parents of nodes of the tree whose root is ``root``, a parse of
    ``owner`` (a file's bytes), or of a ``part`` of it alone. The trees of another
    file are let go (a file's tree holds memory the next file needs), and the oldest
    of a kind past ``MAX_TREES``."""
    if _trees and _trees[0].owner is not owner:
        _files.clear()
        _parts.clear()
    if any(t.root == root for t in _trees):
        return
    kind = _parts if part else _files
    kind.insert(0, _Tree(root, owner))
    del kind[MAX_TREES:]
    _trees[:] = _files + _parts


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
    if start < path[0].start_byte or end > path[0].end_byte:
        return False        # outside the root: of another tree (a part's offsets start at 0)
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
