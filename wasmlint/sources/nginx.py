"""nginx configs → ``serving-config`` facts: the response headers of a file with a
``server`` block (findings point at that block).

nginx's own rules decide which ``add_header`` lines reach a response:

- ``include FILE`` (or a glob) stands for the file's text at that place. A file nginx
  ships (``mime.types``, ``fastcgi_params``, …) sets no header; another one is read from
  the project (relative paths from the config's folder, which nginx's configuration
  folder holds — or from its parent for a file under ``conf.d/``, ``sites-*/``); one that
  is absent, outside the project (``/etc/nginx/…``, generated at build time) or a glob
  matching nothing sets headers wasmlint cannot know, so none is reported missing.
- ``add_header`` is inherited from the enclosing level (http → server → location → if)
  only when a level has none of its own: a location with its own ``add_header`` drops
  the server's.

The config sends a header when some context that answers requests (each location,
``if`` block, and the server itself unless a ``location /`` takes every request) sends it.
"""
from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field

from ..facts import Fact
from . import SourceFile
from .nginx_lua import blank_lua_blocks
from .nginx_syntax import Item, NginxSyntaxError, line_col, parse
from .serving import UNKNOWN, ServingConfig

# files the nginx distribution installs beside nginx.conf: types, upstream parameters, charsets
SHIPPED = frozenset(("mime.types", "fastcgi_params", "fastcgi.conf", "scgi_params", "uwsgi_params",
                     "proxy_params", "koi-utf", "koi-win", "win-utf"))
# folders of included server configs: their relative includes resolve against the folder above
CONF_FOLDERS = frozenset(("conf.d", "sites-available", "sites-enabled", "http.d", "vhosts.d"))
CONTEXTS = frozenset(("http", "server", "location", "if"))
MAX_DEPTH = 8


def _parse(text: str) -> list[Item] | None:
    try:
        return parse(blank_lua_blocks(text))
    except NginxSyntaxError:
        return None


@dataclass
class _Level:
    """One configuration level: its own headers, whether an include may have set more."""

    name: str
    parent: "_Level | None" = None
    own: list[tuple[str, str]] = field(default_factory=list)
    unknown: bool = False
    children: list["_Level"] = field(default_factory=list)
    args: list[str] = field(default_factory=list)

    def effective(self) -> list[tuple[str, str]]:
        """The headers its responses carry: its own, else (or also, when an include may have
        set none) the enclosing level's."""
        inherited = self.parent.effective() if self.parent is not None else []
        if self.unknown:
            return self.own + inherited + [(name, UNKNOWN) for name in ("cross-origin-opener-policy",
                                                                        "cross-origin-embedder-policy")]
        return self.own if self.own else inherited

    def answering(self):
        """The levels that answer requests, this one included when no location takes them all."""
        takes_all = any(c.name == "location" and c.args == ["/"] for c in self.children)
        if self.name in ("server", "location", "if") and not takes_all:
            yield self
        for child in self.children:
            yield from child.answering()


class _Includes:
    """Resolves ``include`` arguments to parsed trees of project files (None: unknown)."""

    def __init__(self, src: SourceFile):
        from ..toolchain.project_files import ProjectFiles
        self.src = src
        self.files = ProjectFiles(src)
        here = self.files.rel_dir
        self.bases = [here]
        if posixpath.basename(here) in CONF_FOLDERS:
            self.bases.append(posixpath.dirname(here) or ".")

    def trees(self, arg: str) -> list | None:
        arg = arg.strip("'\"")
        if posixpath.basename(arg) in SHIPPED:
            return []
        self.src.read_others = True
        if arg.startswith("/") or "$" in arg:
            return None
        folder, name = posixpath.split(arg)
        for base in self.bases:
            rel_dir = self.files.resolve(base, folder or ".")
            if rel_dir is None:
                continue
            if any(ch in name for ch in "*?["):
                names = sorted(n for n in self.files.list(rel_dir) if fnmatch.fnmatchcase(n, name))
            else:
                names = [name] if self.files.is_file(posixpath.join(rel_dir, name)) else []
            if names:
                texts = [self.files.read(posixpath.join(rel_dir, n)) for n in names]
                trees = [_parse(t) if t is not None else None for t in texts]
                return None if any(t is None for t in trees) else trees
        return None


def _walk(items: list[Item], level: _Level, includes: _Includes, depth: int, anchors: list) -> None:
    for node in items:
        words = list(node.words)
        if node.quoted:                         # nginx reads `"include" f;` as `include f;`
            words[0] = words[0][1:-1]
        if not node.block and words[0] == "add_header" and len(words) >= 3:
            level.own.append((words[1].strip("'\""), words[2]))
        elif not node.block and words[0] == "include" and len(words) >= 2:
            trees = includes.trees(words[1]) if depth < MAX_DEPTH else None
            if trees is None:
                level.unknown = True
            for tree in trees or ():
                _walk(tree, level, includes, depth + 1, anchors)
        elif node.block and words[0] in CONTEXTS:
            child = _Level(words[0], level, args=words[1:])
            level.children.append(child)
            if words[0] == "server" and depth == 0:
                anchors.append(node)   # findings point at the first server block …
            _walk(node.children, child, includes, depth, anchors)


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    text = blank_lua_blocks(text)      # positions kept
    try:
        items = parse(text)
    except NginxSyntaxError as exc:
        return [src.error(f"cannot parse nginx configuration: unexpected {exc.what}", line=exc.line, column=exc.column)]
    top, anchors = _Level("main"), []
    _walk(items, top, _Includes(src), 0, anchors)
    if not anchors:
        return []   # a snippet without a server block serves nothing by itself
    line, column = line_col(text, anchors[0].offset)      # the block's name, `server`
    fact = ServingConfig(src.span(line, column, line, column + 6), server="nginx")
    for name, value in dict.fromkeys(h for level in top.answering() for h in level.effective()):
        fact.add(name, value)
    return [fact]
