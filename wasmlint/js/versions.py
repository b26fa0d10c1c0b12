"""Node-version-aware verdicts for JS facts, all read from the flag database
(``wasmlint.nodeflags``) and facts.md §6; no flag list is typed here."""
from __future__ import annotations

import posixpath

_JS_EXTS = ("", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", "/index.js", "/index.mjs", "/index.ts")


def node_major(ctx, path: str = "") -> int:
    """The node major that runs files at ``path``: config ``node-version``, else the
    nearest .nvmrc / engines / Dockerfile / setup-node (as for launches), else the
    newest LTS; the fallback is noted once."""
    return _resolved(ctx, path)[0]


def _db(ctx, path: str = ""):
    return _resolved(ctx, path)[1]


def _resolved(ctx, path: str):
    """(major, its flag database) for ``path``, found once per run: every flag of every
    fact asks."""
    cache = ctx.__dict__.setdefault("_js_node_majors", {})
    key = (path, id(ctx.project))
    if key not in cache:
        from ..launch.version import resolve
        from ..nodeflags import FlagDB
        major = resolve(ctx, None, path)[0]
        cache[key] = (major, FlagDB.for_major(major))
    return cache[key]


def worker_rejects(ctx, flags, path: str = "") -> list[str]:
    """Flags a Worker's ``execArgv`` / ``env.NODE_OPTIONS`` rejects (ERR_WORKER_INVALID_EXEC_ARGV)."""
    db = _db(ctx, path)
    out = []
    for flag in flags:
        if not flag.startswith("-"):
            continue
        info = db.lookup(flag)
        if info is None or not info.allowed_in_worker:
            out.append(flag)
    return out


def node_options_rejects(ctx, flags, path: str = "") -> list[str]:
    """Flags node refuses in NODE_OPTIONS (exit 9 at start)."""
    db = _db(ctx, path)
    return [f for f in flags if f.startswith("-") and not ((i := db.lookup(f)) and i.allowed_in_node_options)]


def wasm_flag(flag: str) -> bool:
    name = flag.split("=", 1)[0].lstrip("-").replace("_", "-")
    name = name[3:] if name.startswith("no-") else name
    return "wasm" in name or "liftoff" in name


def _has(flags, name: str) -> bool:
    return any(f.split("=", 1)[0].replace("_", "-") == name for f in flags)


def set_flags_fatal(ctx, flags, path: str = "") -> bool:
    """``--no-liftoff`` without ``--no-wasm-deopt`` crashes node ≥ 26 on the first wasm call."""
    return node_major(ctx, path) >= 26 and _has(flags, "--no-liftoff") and not _has(flags, "--no-wasm-deopt")


def set_flags_problem(ctx, flags, late: str | None, path: str = "") -> str | None:
    major = node_major(ctx, path)
    problems = []
    if set_flags_fatal(ctx, flags, path):
        problems.append(f"`--no-liftoff` without `--no-wasm-deopt` crashes node {major} "
                        "on the first WebAssembly call (exit 133)")
    if major >= 24 and _has(flags, "--liftoff-only"):
        problems.append(f"`--liftoff-only` is silently ignored by node {major}")
    if late:
        problems.append(f"it runs {late}: modules already compiled keep their code")
    return "; ".join(problems) if problems else None


def resolve_import(importer: str, spec: str, files: dict) -> str | None:
    """The project file a relative ``import``/``require`` names, else None."""
    if not spec.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    for ext in _JS_EXTS:
        if base + ext in files:
            return base + ext
    return None
