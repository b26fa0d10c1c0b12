"""What the platform rules compute: a module's size as its platform counts it (WL601), the
modules of one deployment added up (WL601), and the features a target lacks (WL603)."""
from __future__ import annotations

import zlib

from .condition import _fmt_bytes as fmt

GZIP_LEVEL = 6       # gzip's default, what `gzip`, wrangler and Vercel's reporters use


def gzip_size(ctx, path: str) -> int | None:
    """The size of ``path`` after gzip (the deflate stream plus gzip's 18 bytes of header
    and trailer), None when the file cannot be read again. Remembered for the run."""
    project = ctx.project
    key = ("gzip-size", path)
    if key not in project.memo:
        from pathlib import Path
        from .paths import NotRegular, read_regular
        abspath, limit = project.abspaths.get(path), ctx.config.policy["max-binary-bytes"]
        try:
            data = read_regular(Path(abspath), limit) if abspath else None
        except (OSError, NotRegular):
            data = None
        if data is not None and len(data) > limit:
            data = None
        project.memo[key] = None if data is None else len(zlib.compress(bytes(data), GZIP_LEVEL)) - 2 - 4 + 18
    return project.memo[key]


def counted(ctx, target, path: str, size: int) -> int | None:
    """``size`` (raw bytes of ``path``) as ``target`` counts it: gzip where it compresses."""
    if target.profile.size_compression == "gzip":
        return gzip_size(ctx, path)
    return size


def _how(target) -> str:
    return "after gzip" if target.profile.size_compression == "gzip" else "uncompressed"


def _per(target) -> str:
    return "per module" if target.profile.size_counts == "module" else "for a whole bundle"


def _term(kind: str, what: str, n: int, path: str | None = None, files: int = 1) -> dict:
    return {"term": kind, "what": what, "bytes": n, "path": path, "files": files}


def _data(t, terms: list[dict], total: int, limit: int) -> dict:
    return {"target": t.name, "limit_bytes": limit, "total_bytes": total,
            "compression": t.profile.size_compression, "counts": t.profile.size_counts, "terms": terms}


def module_overruns(fact, ctx) -> list[dict]:
    """The targets of a ``.wasm`` file whose size limit it exceeds by itself."""
    if ctx.project is None or fact.embedded_in or fact.virtual_path:
        return []
    out = []
    for t in ctx.targets_for(fact):
        limit = t.limit("size_bytes")
        if not limit or fact.size <= limit:
            continue
        n = counted(ctx, t, fact.span.path, fact.size)
        if n is not None and n > limit:
            what = f"this module alone is {fmt(n)} {_how(t)}, before the rest of its bundle" \
                if t.profile.size_counts == "bundle" else f"this module is {fmt(n)} {_how(t)}"
            data = _data(t, [_term("module", fact.span.path, n, fact.span.path)], n, limit)
            out.append({"target": t.name, "what": what, "limit": fmt(limit), "per": _per(t),
                        "title": t.profile.title, "data": data})
    return out


TRANSPILED = (".ts", ".tsx", ".mts", ".cts", ".jsx")   # the bundler rewrites these: their size is not what ships


def bundle_overruns(deployment, ctx) -> list[dict]:
    """One deployment's bundle as its platform counts it: every module it ships plus the
    JavaScript files of the project it reaches (as written; TypeScript and JSX, which the
    bundler rewrites, and a bundle the deployment minifies leave the JavaScript out),
    each gzipped where the platform compresses; reported when the sum exceeds the limit
    and no module does alone (that one is reported at the module)."""
    project = ctx.project
    if project is None or not deployment.bundle:
        return []
    t = deployment.target(ctx.config)
    limit = t.limit("size_bytes")
    if not limit or t.profile.size_counts != "bundle":
        return []
    _d, reached = project.deployment_reach.get(deployment.span, (None, set()))
    modules = sorted(p for p in reached if project.files.get(p) == "wasm")
    sizes = {p: m.size for p in modules for m in project.at("wasm-module", p)[:1]}
    if not sizes:
        return []
    each = {p: counted(ctx, t, p, n) for p, n in sizes.items()}
    if None in each.values() or max(each.values()) > limit:
        return []
    scripts = [] if deployment.minify else sorted(
        p for p in reached if project.files.get(p) == "js" and not p.endswith(TRANSPILED))
    js = [gzip_size(ctx, p) if t.profile.size_compression == "gzip" else _file_size(project, p) for p in scripts]
    if None in js:
        return []
    terms = [_term("module", p, n, p) for p, n in each.items()]
    if scripts:
        terms.append(_term("javascript", f"{len(scripts)} JavaScript file{'s' if len(scripts) > 1 else ''}",
                           sum(js), None, len(scripts)))
    total = sum(x["bytes"] for x in terms)
    if total <= limit:
        return []
    parts = " + ".join(f"{fmt(x['bytes'])} {x['what']}" for x in terms)
    return [{"target": t.name, "what": f"this deployment's bundle is at least {fmt(total)} {_how(t)} ({parts})",
             "limit": fmt(limit), "per": _per(t), "title": t.profile.title, "data": _data(t, terms, total, limit)}]


def _file_size(project, path: str) -> int | None:
    import os
    try:
        return os.stat(project.abspaths[path]).st_size if path in project.abspaths else None
    except OSError:
        return None


SAFARI_MEMORY64 = "Safari (iOS and macOS) has no memory64 (as of Safari 26.5), so the module does not compile there"


def missing_features(memory, ctx) -> list[dict]:
    """The targets of a memory that cannot run it: memory64 where the engine has none
    (``ios``; a profile with ``memory64 = false``), a shared memory where the platform has no
    threads, or needs cross-origin isolation that the app never sets up (Electron)."""
    out = []
    if memory.feature_test:
        return out                # a probe of what the engine supports: it expects to fail there
    from .variants import has_variant_without
    # a build of the same module without the feature is what the loader picks where it is missing
    other64 = memory.memory64 and has_variant_without(memory, ctx, "memory64")
    other_unshared = memory.shared and has_variant_without(memory, ctx, "shared")
    for t in ctx.all_targets_for(memory):
        p = t.profile
        if memory.memory64 and (not t.loads_memory64) and not other64:
            why = (p.source("memory64").note if p and p.source("memory64") else SAFARI_MEMORY64)
            out.append({"target": t.name, "feature": "memory64", "why": why})
        if other_unshared:
            continue
        if memory.shared and p is not None and p.threads is False:
            out.append({"target": t.name, "feature": "a shared memory (threads)",
                        "why": p.source("threads").note if p.source("threads") else f"{p.title} has no threads"})
        elif memory.shared and p is not None and p.threads_need_isolation and not _isolated(memory, ctx):
            out.append({"target": t.name, "feature": "a shared memory (threads)",
                        "why": f"{p.title} gives SharedArrayBuffer only to a cross-origin isolated page, and no "
                               f"file of the app sets `Cross-Origin-Opener-Policy: same-origin` with "
                               f"`Cross-Origin-Embedder-Policy: require-corp`"})
    return out


def _isolated(memory, ctx) -> bool:
    """Some serving code of the deployments shipping this memory sets both isolation headers
    (``session.webRequest.onHeadersReceived`` in an Electron main process, a server)."""
    project = ctx.project
    path = memory.span.path.split("#", 1)[0]
    folders = [d.folder for d in project.deployments_reaching(path)]
    return any(not c.missing_isolation for c in project.of_kind("serving-config")
               if any(not f or c.span.path.startswith(f + "/") for f in folders))
