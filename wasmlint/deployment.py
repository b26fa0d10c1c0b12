"""Where a project deploys its WebAssembly: the ``deployment`` fact that the files of a
platform make (``wrangler.toml``, ``vercel.json``, ``export const runtime = 'edge'``,
``netlify.toml``, SAM ``template.yaml``, ``serverless.yml``, Terraform ``*.tf``, ``fastly.toml``,
``spin.toml``, ``shopify.extension.toml``, ``deno.json``, an Electron ``package.json``,
Unity's ``ProjectSettings.asset``, Godot's ``export_presets.cfg``), and what it ships.

A deployment names its entries as written (a script, a handler, a built module, a glob);
``Project.deployments_reaching`` follows them through the project graph (entry → imports →
loaders → ``.wasm``), and the modules reached take the platform as their target, with the
memory the deployment configures where the platform lets the user set it."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

from .facts import Fact, Span
from .scopes import Scoped

GLOB_CHARS = ("*", "?", "[")


def internal():
    return field(default=None, metadata={"internal": True})


@dataclass
class Deployment(Fact):
    kind: ClassVar[str] = "deployment"
    platform: str = ""                  # a profile of data/platforms/
    via: str = ""                       # what says so: "`main` of wrangler.toml"
    entries: list[str] = field(default_factory=list)   # relative to the file's folder; globs allowed
    whole_folder: bool = False          # ships every module under its folder (an app's manifest)
    bundle: bool = True                 # ships them in one bundle (a package's users pick a module)
    memory_bytes: int | None = None     # the memory it configures (vercel.json, MemorySize)
    memory_setting: str | None = None   # as written: "MemorySize: 512"
    threads: bool | None = None         # an engine export's thread support (Unity, Godot)
    runtime: str | None = None          # a function's runtime as written: "nodejs20.x", "python3.12"
    heap_options: bool = False          # its environment sets NODE_OPTIONS with a heap flag
    module_rules: list = field(default_factory=list)   # wrangler `[[rules]]`: {type, globs, fallthrough, span}
    minify: bool = False                # the platform's bundler minifies its JavaScript (wrangler `minify`)
    launched: bool = False              # a command runs it (`wasmtime run app.wasm`): entries as `runs` finds them
    role: Scoped | None = None          # the scope the launching surface gives it (a CI job, a service)
    archive: str | None = None          # Terraform: the `data "archive_file"` holding its code
    handler: str | None = None          # a function's handler as written: "index.handler"
    memory_span: Span | None = internal()

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.span.path)

    def target(self, config):
        """The platform target, with the configured memory when the deployment sets one."""
        target = config.target(self.platform)
        return target.with_budget(self.memory_bytes) if self.memory_bytes else target

    def size_overruns(self, ctx) -> list[dict]:
        """The modules it ships added up over its platform's bundle limit (WL601)."""
        from .platform_checks import bundle_overruns
        return bundle_overruns(self, ctx)

    def process_budget(self, ctx):
        """A function's node process against the memory it configures (WL120), or None."""
        from .process_budget import function_budget
        key = ("function-budget", id(self))
        cache = ctx.__dict__.setdefault("_launch_cache", {})
        if key not in cache:
            cache[key] = function_budget(self, ctx)
        return cache[key]

    @property
    def node_major(self) -> str | None:
        """The node major a ``nodejsNN.x`` runtime names ("20"); None for another runtime or none."""
        r = (self.runtime or "").lower()
        digits = r[len("nodejs"):].split(".", 1)[0] if r.startswith("nodejs") else ""
        return digits if digits.isdigit() else None

    @property
    def title(self) -> str:
        from .platforms import builtin_profiles
        profile = builtin_profiles().get(self.platform)
        return profile.title if profile else self.platform

    def graph_refs(self) -> list:
        from .graph import Ref
        return [Ref(self.ref_kind, e, self.span) for e in self.entries if not any(c in e for c in GLOB_CHARS)]

    @property
    def ref_kind(self) -> str:
        """``launches`` for a module a command names (found from the command's folder or
        one above, as ``runs``), else ``deploys`` (relative to the deployment's file)."""
        return "launches" if self.launched else "deploys"


def toml_key_line(text: str, table: str, key: str) -> int | None:
    """The 1-based line of ``key = …`` in the TOML table ``table`` (``""``: the top level;
    ``[[table]]`` items too), read line by line as TOML lays tables out; None if absent."""
    return _toml_lines(text)[0].get((table, key))


def toml_span(path: str, text: str, table: str, key: str) -> Span:
    """The span of ``key`` in ``table``, else of the table's header, else the file's first line."""
    keys, headers, lines = _toml_lines(text)
    line = keys.get((table, key))
    if line is None and table:
        line = headers.get(table)
    if line is None:
        return Span(path, 1, 1)
    raw = lines[line - 1]
    col = len(raw) - len(raw.lstrip()) + 1
    return Span(path, line, col, line, len(raw) + 1)


@lru_cache(maxsize=4)
def _toml_lines(text: str) -> tuple[dict, dict, list[str]]:
    """Where each (table, key) and each table header first stands, read once per text (a
    manifest of thousands of tables asks for each)."""
    keys: dict[tuple[str, str], int] = {}
    headers: dict[str, int] = {}
    lines = text.splitlines()
    current = ""
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("["):
            current = line.strip("[]").split("]", 1)[0].strip().replace('"', "").replace(" ", "")
            headers.setdefault(line.strip("[]").replace('"', "").replace(" ", ""), n)
            continue
        if "=" in line:
            keys.setdefault((current, line.split("=", 1)[0].strip().strip('"')), n)
    return keys, headers, lines


def module_stem(handler: str) -> str:
    """The file a Lambda ``Handler``/serverless ``handler`` names: ``src/app.handler`` → ``src/app``."""
    return handler.rsplit(".", 1)[0] if "." in handler.rsplit("/", 1)[-1] else handler


HEAP_FLAGS = ("--max-old-space-size", "--max-heap-size", "--max-semi-space-size")


def sets_heap(node_options: str | None) -> bool:
    """NODE_OPTIONS of a function's environment that bounds the JS heap itself."""
    return bool(node_options) and any(f in node_options.replace("_", "-") for f in HEAP_FLAGS)
