"""The scope of a command by what it runs: a test runner, a benchmark runner, a
dev server or watcher, a linter, a docs generator, a publish step; and of a
unit of commands (a package.json script, a CI job) by what its commands run,
then by its name.

Launchers that pass the rest of the line on (``npx``, ``cross-env A=1``,
``pnpm exec``, ``yarn <bin>``, ``dotenv -e .env --``) are looked through. Nothing is run.
"""
from __future__ import annotations

import posixpath

from ..launch.argv import ENV_LOADERS, env_loader_command
from . import Scoped
from .conventions import name_scope, named_role, path_scope, words_of

TEST_RUNNERS = frozenset((
    "jest", "vitest", "mocha", "ava", "tap", "tape", "karma", "jasmine", "uvu", "c8", "nyc", "cypress",
    "wtr", "web-test-runner", "qunit", "testem", "borp", "brittle", "zora", "mocha-headless-chrome",
    "ctest", "pytest", "node-qunit-puppeteer", "aegir",
))
DEV_SERVERS = frozenset((
    "nodemon", "ts-node-dev", "node-dev", "http-server", "serve", "live-server", "browser-sync",
    "lite-server", "five-server", "webpack-dev-server", "start-storybook", "storybook", "chokidar",
    "onchange", "watch",
))
LINTERS = frozenset(("eslint", "prettier", "biome", "stylelint", "xo", "standard", "lint-staged", "husky",
                     "markdownlint", "commitlint", "publint", "oxlint", "dprint"))
DOCS_TOOLS = frozenset(("typedoc", "jsdoc", "documentation", "docusaurus", "vitepress", "vuepress", "mkdocs",
                        "mdbook", "api-extractor", "api-documenter"))
# what a tool is: its scope and how a reason names it
KINDS = {"test": ("test", "a test runner"), "bench": ("bench", "a benchmark runner"),
         "publish": ("production", "a publish or deploy step"), "dev": ("tooling", "a dev server or watcher"),
         "lint": ("tooling", "a linter or type check"), "docs": ("docs", "a docs generator")}
# subcommand → kind, per tool; "" is the tool run with no subcommand of the table
# (``vite``, ``vite --port 3000``), None a subcommand that says nothing (``vite build``)
SUBCOMMANDS: dict[str, dict[str, str | None]] = {
    "vitest": {"bench": "bench"},
    "vite": {"": "dev", "build": None, "optimize": None},
    "parcel": {"": "dev", "build": None},
    "webpack": {"serve": "dev"},
    "next": {"dev": "dev"}, "nuxt": {"dev": "dev"}, "astro": {"dev": "dev"},
    "remix": {"dev": "dev"}, "wrangler": {"dev": "dev", "deploy": "publish", "publish": "publish"},
    "vercel": {"dev": "dev", "deploy": "publish"}, "netlify": {"dev": "dev", "deploy": "publish"},
    "firebase": {"deploy": "publish", "serve": "dev", "emulators:start": "dev"},
    "tsx": {"watch": "dev"}, "playwright": {"test": "test"},
    "cargo": {"test": "test", "nextest": "test", "bench": "bench", "clippy": "lint", "fmt": "lint",
              "publish": "publish"},
    "wasm-pack": {"test": "test", "publish": "publish"},
    "go": {"test": "test"}, "deno": {"test": "test", "bench": "bench"}, "bun": {"test": "test"},
    "npm": {"test": "test", "t": "test", "publish": "publish"},
    "yarn": {"test": "test", "publish": "publish", "npm": "publish"},
    "pnpm": {"test": "test", "t": "test", "publish": "publish"},
    "gh": {"release": "publish"}, "docker": {"push": "publish"}, "twine": {"upload": "publish"},
    "vsce": {"publish": "publish"},
}
WATCH_OPTIONS = frozenset(("-w", "--watch", "--serve", "--servedir"))
NODE_TEST_OPTIONS = {"--test": "test", "--watch": "tooling", "--watch-path": "tooling", "--inspect": "tooling",
                     "--inspect-brk": "tooling", "--prof": "tooling", "--cpu-prof": "tooling"}
_PASS = frozenset(("env", "cross-env", "cross-env-shell", "npx", "bunx", "pnpx", "time", "nice", "nohup",
                   "exec", "command"))
_EXEC = {"npm": ("exec", "x"), "pnpm": ("exec", "dlx"), "yarn": ("exec", "dlx"), "bun": ("x",)}
# the priority of scopes when a unit's commands say several things
PRIORITY = ("production", "test", "bench", "example", "docs", "fixture", "tooling")


def tool_words(words: list[str]) -> list[str]:
    """The words from the tool on: launchers and ``VAR=x`` words skipped."""
    i = 0
    while i < len(words):
        w = words[i]
        name = posixpath.basename(w)
        if "=" in w and w.split("=", 1)[0].isidentifier() or name in _PASS or (w.startswith("-") and i):
            i += 1
        elif name in ENV_LOADERS or name == "dotenvx":
            i = env_loader_command(words, i) or len(words)
        elif name in _EXEC and i + 1 < len(words) and words[i + 1] in _EXEC[name]:
            i += 2
        elif name in ("yarn", "pnpm") and i + 1 < len(words) and posixpath.basename(words[i + 1]) in (
                TEST_RUNNERS | DEV_SERVERS | LINTERS | DOCS_TOOLS | SUBCOMMANDS.keys()):
            i += 1      # ``yarn jest``: yarn runs the package's binary
        else:
            break
    return words[i:]


def _names_a_tool(word: str) -> bool:
    """A command word names an installed tool when the shell looks it up on PATH (a bare
    name; npm scripts put ``node_modules/.bin`` on it), or it is written as a path to one
    (``/usr/bin/…``, ``node_modules/.bin/…``). ``./bin/serve`` is a file of the project,
    not the ``serve`` package."""
    return "/" not in word or word.startswith("/") or "node_modules/.bin/" in word


def command_scope(words: list[str]) -> Scoped | None:
    """What one command (its words, as the shell splits them) runs."""
    words = tool_words(words)
    if not words or not _names_a_tool(words[0]):
        return None
    tool, rest = posixpath.basename(words[0]), words[1:]
    if tool in ("node", "nodejs"):
        return _node_scope(rest)
    table = SUBCOMMANDS.get(tool, {})
    sub = next((w for w in rest if not w.startswith("-")), "")
    shown = f"{tool} {sub}" if sub and sub in table else tool
    kind = table[sub] if sub in table else table.get("")
    if kind is None and sub not in table:
        if tool in TEST_RUNNERS:
            kind = "test"
        elif tool in DEV_SERVERS or tool in ("webpack", "rollup", "esbuild", "tsc") and WATCH_OPTIONS & set(rest):
            kind = "dev"
        elif tool in LINTERS or tool == "tsc" and "--noEmit" in rest:
            kind = "lint"
        elif tool in DOCS_TOOLS:
            kind = "docs"
    if kind is None:
        return None
    scope, what = KINDS[kind]
    return Scoped(scope, f"runs `{shown}`, {what}")


def node_option_scope(options: list[str]) -> Scoped | None:
    """What node's own options say: ``--test`` runs tests, ``--watch`` and the
    inspector are development."""
    for a in options:
        opt = a.split("=", 1)[0]
        if opt in NODE_TEST_OPTIONS:
            return Scoped(NODE_TEST_OPTIONS[opt], f"runs `node {opt}`")
    return None


def _node_scope(args: list[str]) -> Scoped | None:
    """``node [options] script``: the options, else the script's path."""
    k = next((i for i, a in enumerate(args) if not a.startswith("-")), len(args))
    own = node_option_scope(args[:k])
    if own is not None or k == len(args):
        return own
    said = path_scope(args[k])
    if said is None or said.scope not in PRIORITY:
        # a vendored copy of a tool (libpag's `node third_party/vendor_tools/ms-build`) says
        # whose code it is, not what the step it runs does
        return None
    return Scoped(said.scope, f"runs `{args[k]}` ({said.reason})")


def unit_scope(label: str, name: str, commands: list[list[str]],
               production_words: tuple[str, ...] = ()) -> Scoped | None:
    """A unit (package.json script, CI job; ``label`` as shown: "script `test`") by
    what its commands run (a publish step first, then tests, benchmarks, …), else by
    its name; a name with one of ``production_words`` (package.json: ``start``) is
    production when nothing else is said."""
    found = [s for s in (command_scope(c) for c in commands) if s is not None]
    if found:
        best = min(found, key=lambda s: PRIORITY.index(s.scope))
        return Scoped(best.scope, f"{label} {best.reason}")
    if name_scope(name) is None and not set(production_words) & set(words_of(name)):
        return None
    if _names_two_steps(name):
        return None
    return named_role(label, name)


# what a unit that builds or ships does, beside a test in a name joining two steps
SHIPPING_STEPS = frozenset(("build", "release", "deploy", "publish", "dist", "package", "bundle"))


def _names_two_steps(name: str) -> bool:
    """A name joining steps with "and" (a CI job ``build_and_test``, ``test-and-deploy``): the unit
    runs each, so one of them that builds or ships makes it more than its test. (``build_tests``
    builds the tests: one step, the test's.)"""
    words = words_of(name)
    return "and" in words and bool(SHIPPING_STEPS & set(words))
