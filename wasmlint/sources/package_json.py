"""package.json → launch facts from ``scripts`` (JSON-decoded, then shell-parsed
with exact spans), ``node-version`` facts from ``engines.node`` and
``volta.node``, and nodemon's ``nodemonConfig``.

``npm run x`` (``npm start``, ``yarn x``, ``pnpm run x``, …) is followed into
script ``x`` with the caller's environment, so ``NODE_OPTIONS=… npm run serve``
reaches the node launch inside ``serve``.

Each script gets a scope from what it runs, else its name (``wasmlint.scopes``):
``test`` runs jest, ``dev`` runs vite, ``start`` is production. A launch takes the
scope of the script holding it, else of the script that ran that one. The
published surface (``main``, ``module``, ``browser``, ``exports``, ``bin``,
``files``) becomes ``package-entry`` facts: production entry points, each saying whether
only node loads it (``node_only``, see ``_node_only``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .. import jsonpos, shellparse
from ..domain import names_domain
from ..facts import Fact
from ..launch.build import NODE_OPTIONS_VARS, Unit
from ..launch.version import NodeVersionFact, major_of
from ..scopes import QUIET, Scoped
from ..scopes.commands import unit_scope
from ..shellfiles import project_reader
from ..shellparse import Assign, Command
from ..textpos import LineIndex
from ..toolchain.shell_argv import build_facts_in
from . import SourceFile, load_json
from .napi_wasm import browser_memory
from .nodemon import from_config

_NPM_LIFECYCLE = {"start", "test", "stop", "restart"}
_RUNNERS = {"npm", "yarn", "pnpm", "bun"}
MAX_INDIRECTION = 8
PRODUCTION_SCRIPTS = ("start", "prod", "production")
# scripts that something outside the file runs by name: npm's lifecycle scripts, and
# `build`, which CI, publish steps and hosting platforms (Vercel, Netlify, Pages) run
RUN_DIRECTLY = frozenset(("build", "prepare", "prepublish", "prepublishOnly", "prepack", "postpack", "preinstall",
                          "install", "postinstall", "publish", "postpublish", "version", "dist", "release"))
ENTRY_FIELDS = ("main", "module", "browser", "exports", "bin", "files")


@dataclass
class PackageEntry(Fact):
    """A file or pattern the package publishes or runs as its entry point."""

    kind: ClassVar[str] = "package-entry"
    field: str = ""          # main | module | browser | exports | bin | files
    spec: str = ""           # as written: "./dist/index.js", "dist", "./lib/*.js"
    subpath: str = ""        # the `exports` subpath it is published as: "./testing" ("" for the others)
    node_only: bool = False  # only node loads it: a `bin`, a `node` export, a `main` the `browser` field replaces

    @property
    def pattern(self) -> bool:
        """A folder or glob of ``files``, or an ``exports`` subpath pattern."""
        return self.field == "files" or "*" in self.spec

    def graph_refs(self) -> list:
        from ..graph import Ref
        return [] if self.pattern else [Ref("publishes", self.spec, self.span)]


DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


@dataclass
class PackageDependencies(Fact):
    """The package's name and the packages its dependency fields list (``scopes.dependency_copies``
    tells a copy of a dependency's files kept in the project by them), and its ``type``: how
    node loads the ``.js`` files of the package (``module``: as ES modules)."""

    kind: ClassVar[str] = "package-dependencies"
    name: str | None = None
    dependencies: list = field(default_factory=list)
    repository: str | None = None     # where its source lives, as ``repository_of`` reads it
    # (name, folder) of each dependency installed from a folder of the project (`file:`, `link:`)
    local: list = field(default_factory=list)
    module_type: str | None = None    # `type`: "module" or "commonjs" (node's default)
    private: bool = False    # `"private": true`: npm refuses to publish it (``scopes.example_packages``)


# npm's specs of a dependency installed from a folder: npm links it into node_modules
LOCAL_SPECS = ("file:", "link:")


def _dependencies(idx, root) -> list[Fact]:
    name = root.get("name")
    tables = [t for key in DEPENDENCY_FIELDS for t in (root.get(key),) if t is not None and t.type == "object"]
    listed = [k.value for t in tables for k, _ in t.pairs]
    kind = root.get("type")
    module_type = kind.str_value() if kind is not None else None
    if (name is None or name.type != "string") and not listed and module_type is None:
        return []
    local = [(k.value, spec.split(":", 1)[1].removeprefix("//")) for t in tables for k, v in t.pairs
             for spec in (v.str_value() or "",) if spec.startswith(LOCAL_SPECS)]
    at = name if name is not None and name.type == "string" else root
    private = root.get("private")
    return [PackageDependencies(idx.span(at.start, at.end if at is name else at.start + 1),
                                name=name.value if at is name else None, dependencies=listed,
                                repository=repository_of(root.get("repository")), local=local,
                                module_type=module_type,
                                private=private is not None and private.type == "bool" and private.value is True)]


# npm's shorthands of a repository (`github:user/repo`, `user/repo`) and the hosts they name
_HOST_SHORTHANDS = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}


def repository_of(node) -> str | None:
    """The repository a package.json's ``repository`` names (a URL string or ``{"url": …}``),
    as ``host/owner/name`` in lower case, whatever its form (``git+https://…/x.git``,
    ``git@host:owner/x``, npm's ``github:owner/x`` and ``owner/x``); None when it names none."""
    if node is not None and node.type == "object":
        node = node.get("url")
    url = (node.str_value() or "").strip() if node is not None else ""
    head, sep, rest = url.partition(":")
    if sep and head in _HOST_SHORTHANDS:
        url = f"{_HOST_SHORTHANDS[head]}/{rest}"
    elif "://" in url:
        url = url.split("://", 1)[1].split("@", 1)[-1]
    elif sep and "@" in head:                       # git@github.com:owner/x.git
        url = f"{head.split('@', 1)[1]}/{rest}"
    elif url.count("/") == 1 and not url.startswith((".", "/")):
        url = f"github.com/{url}"                   # npm's shorthand: a GitHub repository
    parts = [p for p in url.split("#", 1)[0].split("?", 1)[0].split("/") if p]
    if len(parts) < 3:
        return None
    return "/".join([parts[0].split(":", 1)[0], parts[1], parts[2].removesuffix(".git")]).lower()


def extract(src: SourceFile) -> list[Fact]:
    idx, root = load_json(src)
    if idx is None:
        # a manifest that names nothing wasmlint reads (an NW.js window manifest with `//`
        # comments, no scripts) hides no fact behind its syntax error (``domain``)
        text, _ = src.decode_or_error()
        return root if text is None or names_domain(text) else []
    if root.type != "object":
        return []
    facts: list[Fact] = []
    for key, sub, source in (("engines", "node", "engines"), ("volta", "node", "volta")):
        parent = root.get(key)
        node = parent.get(sub) if parent is not None and parent.type == "object" else None
        if node is not None and node.type == "string":
            facts.append(NodeVersionFact(idx.span(node.start, node.end), spec=node.value, source=source,
                                         major=major_of(node.value)))
    facts.extend(_entries(idx, root))
    facts.extend(_dependencies(idx, root))
    scripts = root.get("scripts")
    if scripts is not None and scripts.type == "object":
        table = {k.value: v for k, v in scripts.pairs if v.type == "string"}
        roles = _roles(table, idx)
        for name, value in table.items():
            unit = Unit(idx, "package.json", name=f"script {name}", reader=project_reader(src))
            _run(unit, table, name, value, None, 0, roles)
            facts.extend(unit.facts)
            facts.extend(build_facts_in(value.text, idx, src))
            unit.role = roles[name]
            hint = unit.hint(value.start, value.end)
            if hint is not None:
                facts.append(hint)
    nodemon = root.get("nodemonConfig")
    if nodemon is not None:
        facts.extend(from_config(idx, nodemon))
    facts.extend(_electron_app(idx, root))
    facts.extend(_runtime_conditions(idx, root))
    facts.extend(browser_memory(idx, root))
    return facts


# export conditions that name a server runtime with a platform profile (the WinterCG runtime
# keys: runtime-keys.proposal.wintercg.org); `browser`, `worker` and `react-native` name clients
RUNTIME_CONDITIONS = {"workerd": "cloudflare-workers", "edge-light": "vercel-edge", "netlify": "netlify-edge",
                      "deno": "deno-deploy", "fastly": "fastly-compute"}
CLIENT_CONDITIONS = frozenset(("browser", "worker", "react-native", "electron"))


def _runtime_conditions(idx, root) -> list[Fact]:
    """A package whose ``exports`` conditions name server runtimes (``workerd``,
    ``edge-light``) and no client (no ``browser`` field or condition) is made for those
    runtimes: a ``deployment`` on each one's platform of every module in its folder, so
    they are judged against the runtime's limits, not a phone's."""
    from ..deployment import Deployment
    exports = root.get("exports")
    if exports is None or exports.type != "object" or root.get("browser") is not None:
        return []
    found: dict[str, jsonpos.JNode] = {}
    stack = [exports]
    while stack and len(found) < 64:
        n = stack.pop()
        for k, v in n.pairs if n.type == "object" else ():
            if k.value in CLIENT_CONDITIONS:
                return []
            if k.value in RUNTIME_CONDITIONS:
                found.setdefault(k.value, k)
            if v.type == "object":
                stack.append(v)
    return [Deployment(idx.span(k.start, k.end), platform=RUNTIME_CONDITIONS[name],
                       via=f"export condition `{name}` of package.json", whole_folder=True, bundle=False)
            for name, k in sorted(found.items(), key=lambda kv: kv[1].start)]


ELECTRON_RUNNERS = ("electron", "electron-forge", "electron-builder", "electron-vite", "electron-packager")


def _electron_app(idx, root) -> list[Fact]:
    """An Electron app (``electron`` among its dependencies, a script that runs or packs it,
    and a ``main``) → a ``deployment``
    on Electron: the main process script and every module the app packs (its folder)."""
    from ..deployment import Deployment
    deps = [root.get(k) for k in ("dependencies", "devDependencies")]
    main = root.get("main")
    scripts = root.get("scripts")
    runs = [v.value.split()[0] for _k, v in (scripts.pairs if scripts is not None and scripts.type == "object" else ())
            if v.type == "string" and v.value.split()]
    if main is None or not main.str_value() or not any(d is not None and d.type == "object" and d.get("electron")
                                                       is not None for d in deps) \
            or not any(r in ELECTRON_RUNNERS for r in runs):
        return []
    key = root.key_node("main")
    return [Deployment(idx.span(key.start, main.end), platform="electron", via="Electron app of package.json",
                       entries=[main.str_value()], whole_folder=True)]


def _entries(idx: LineIndex, root: jsonpos.JNode) -> list[PackageEntry]:
    out = []
    for key in ENTRY_FIELDS:
        node = root.get(key)
        if node is None:
            continue
        stack: list[tuple[jsonpos.JNode, str, tuple[str, ...]]] = [(node, "", ())]
        if key == "exports" and node.type == "object" and any(str(k.value).startswith(".") for k, _ in node.pairs):
            # subpaths ("./testing"), each with its conditions
            stack = [(v, str(k.value), ()) for k, v in reversed(node.pairs)]
        while stack:       # exports conditions and bin/browser maps nest; their strings are entries
            n, subpath, conditions = stack.pop()
            if n.type == "string" and n.value.strip():
                spec = n.value.strip()
                out.append(PackageEntry(idx.span(n.start, n.end), field=key, spec=spec, subpath=subpath,
                                        node_only=_node_only(key, spec, conditions, root)))
            elif n.type in ("object", "array") and len(out) < 4096:
                inner = [(str(k.value), v) for k, v in n.pairs] if n.type == "object" else [("", v) for v in n.items]
                stack.extend((v, subpath, conditions + (c,) if key == "exports" and c else conditions)
                             for c, v in reversed(inner))
    return out + _browser_replaced(idx, root)


def _browser_replaced(idx: LineIndex, root: jsonpos.JNode) -> list[PackageEntry]:
    """The package's own files that a ``browser`` map replaces for bundlers
    (``"./lib/node-loader.js": "./lib/web-loader.js"``, or ``false``: left out): node
    loads them, the browser never (package.json ``browser`` field spec)."""
    browser = root.get("browser")
    if browser is None or browser.type != "object":
        return []
    return [PackageEntry(idx.span(k.start, k.end), field="browser", spec=str(k.value), node_only=True)
            for k, v in browser.pairs[:4096]
            if str(k.value).startswith(".") and not (v.type == "string" and _same_file(v.value, str(k.value)))]


def _node_only(key: str, spec: str, conditions: tuple[str, ...], root: jsonpos.JNode) -> bool:
    """Only node loads this entry: a ``bin`` script (npm links it as a command, run by node),
    an ``exports`` target under the ``node`` condition and no client's (node resolves
    ``node``; bundlers for the web resolve ``browser``, ``import``, ``default``, never
    ``node``: Node docs, Conditional exports), a ``main`` that the ``browser`` field
    replaces for bundlers (a string, or a map naming the main file: the package.json
    ``browser`` field spec, which webpack, browserify, esbuild and Rollup's node-resolve
    read; the other files a map replaces are ``_browser_replaced``).
    A file some other entry names too is not node-only (``node_entries``)."""
    if key == "bin":
        return True
    if key == "exports":
        return "node" in conditions and not CLIENT_CONDITIONS.intersection(conditions)
    native = root.get("react-native")      # Metro (React Native) reads it before `browser`
    if key != "main" or (native is not None and native.type == "string" and _same_file(native.value, spec)):
        return False
    browser = root.get("browser")
    if browser is not None and browser.type == "string":
        return _same_file(browser.value, spec) is False
    if browser is not None and browser.type == "object":
        return any(_same_file(str(k.value), spec) and not (v.type == "string" and _same_file(v.value, spec))
                   for k, v in browser.pairs)
    return False


def _same_file(a: str, b: str) -> bool | None:
    """Whether two package-relative specs name one file (``./index`` is ``index.js``);
    None for an empty one."""
    import posixpath

    def norm(s: str) -> str:
        s = posixpath.normpath(s.strip())
        return s[:-3] if s.endswith(".js") else s
    return None if not a.strip() or not b.strip() else norm(a) == norm(b)


def _roles(table: dict[str, jsonpos.JNode], idx: LineIndex) -> dict[str, Scoped | None]:
    """Each script's scope by what it runs (the scripts it runs with ``npm run``
    included), else by its name."""
    own: dict[str, list[list[str]]] = {}
    for name, value in table.items():
        parsed = shellparse.parse(value.text, idx=idx)     # its launches read the same, unless it reads files
        own[name] = [[w.value for w in c.words] for c in parsed.commands if c.words and not c.in_substitution]

    def closure(name: str, seen: set[str]) -> list[list[str]]:
        out = []
        for words in own[name]:
            out.append(words)
            target = _target(_without_env(words))
            if target in own and target not in seen and len(seen) < MAX_INDIRECTION:
                out += closure(target, seen | {target})
        return out

    roles = {name: unit_scope(f"script `{name}`", name, closure(name, {name}), PRODUCTION_SCRIPTS)
             for name in table}
    return _called_only_quietly(roles, own)


def _called_only_quietly(roles: dict[str, Scoped | None], own: dict[str, list[list[str]]]) -> dict[str, Scoped | None]:
    """A script that says nothing itself and that only test, bench … scripts run
    (``"test": "yarn wasm:build:node && jest"``) takes their scope: nothing that ships
    runs it. Scripts run by other files (a workflow's ``npm run x``) get the scope of
    those files' own launches there."""
    callers: dict[str, set[str]] = {}
    for name, commands in own.items():
        for words in commands:
            target = _target(_without_env(words))
            if target in roles and target != name:
                callers.setdefault(target, set()).add(name)
    out = dict(roles)
    for name, by in callers.items():
        said = [roles[c] for c in sorted(by)]
        if out[name] is None and name not in RUN_DIRECTLY and all(r is not None and r.scope in QUIET for r in said) \
                and len({r.scope for r in said}) == 1:
            out[name] = Scoped(said[0].scope, f"script `{name}` is run only by {', '.join(f'`{c}`' for c in sorted(by))}"
                                              f" ({said[0].reason})")
    return out


def _run(unit: Unit, table: dict, name: str, value: jsonpos.JNode, env, depth: int,
         roles: dict[str, Scoped | None], caller: Scoped | None = None) -> None:
    role = roles.get(name) or caller

    def follow(cmd: Command) -> bool:
        words, extra = _env_prefix(unit, cmd)
        target = _target(words)
        if target is None:
            return False
        if target in table and depth < MAX_INDIRECTION and target != name:
            _run(unit, table, target, table[target], {**cmd.env, **extra}, depth + 1, roles, role)
            unit.role = role
        return True

    unit.role = role
    unit.run_script(value.text, env, on_command=follow)


def _without_env(words: list[str]) -> list[str]:
    """Words after ``cross-env A=1``/``env A=1`` (see ``_env_prefix``)."""
    i = 0
    while i < len(words) and (words[i] in ("cross-env", "cross-env-shell", "env")
                              or "=" in words[i] and words[i].split("=", 1)[0].isidentifier()):
        i += 1
    return words[i:]


def _env_prefix(unit: Unit, cmd: Command) -> tuple[list[str], dict[str, Assign]]:
    """Words after ``cross-env A=1``/``env A=1``, and those assignments."""
    extra: dict[str, Assign] = {}
    i = 0
    while i < len(cmd.words):
        w = cmd.words[i]
        k, eq, _ = w.value.partition("=")
        if w.value in ("cross-env", "cross-env-shell", "env"):
            i += 1
            continue
        if not eq or not k.isidentifier():
            break
        extra[k] = Assign(k, w.text.slice(len(k) + 1, len(w.value)), w.start, w.end, exported=True)
        if k in NODE_OPTIONS_VARS:
            unit.node_options(extra[k])
        i += 1
    return [w.value for w in cmd.words[i:]], extra


def _target(words: list[str]) -> str | None:
    """The script ``npm run x`` / ``yarn x`` / ``npm start`` runs, or None."""
    if not words or words[0] not in _RUNNERS:
        return None
    rest = [w for w in words[1:] if not w.startswith("-")]
    if not rest:
        return None
    if rest[0] in ("run", "run-script") and len(rest) > 1:
        return rest[1]
    if rest[0] in _NPM_LIFECYCLE:
        return rest[0]
    if words[0] != "npm" and rest[0] not in ("install", "add", "exec", "dlx", "x", "ci", "build"):
        return rest[0]
    return None
