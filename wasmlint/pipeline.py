"""The check pipeline: discover → sources → link → evaluate → suppress.

Files are independent until link, so sources run in a process pool when the
run is large enough to pay for it.
"""
from __future__ import annotations

import errno
import gc
import hashlib
import mmap
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import budget
from .config import Config
from .diagnostics import SEVERITY_RANK, Diagnostic
from .discover import FileEntry, discover
from .evaluate import Context, evaluate
from .facts import Fact, Span
from .link import Project, link
from .paths import NotRegular, overlaid, read_regular, real
from .rootcause import content_key, one_per_root_cause
from .ruleset import Rule
from .runpaths import resolve_run_paths, root_holding, run_roots
from .scopes import reported
from .sources import ParseError, SourceFile, load_extractor
from .suppress import Directive, scan, suppress_all
from .unused import unused_suppressions

POOL_MIN_FILES = 48
POOL_MIN_BYTES = 64 << 20
GC_YOUNG_THRESHOLD = 50_000   # allocations between collections of the youngest generation (CPython: 700)


@dataclass
class FileResult:
    path: str
    kind: str | None
    facts: list[Fact] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    digest: str | None = None      # SHA-256 of the bytes analysed (None: not read)
    content_key: str | None = None  # identity up to line endings (small text files; rootcause.py)
    cacheable: bool = True         # False when the facts depend on other files too
    others: dict = field(default_factory=dict)   # other files its readers read: path → (abspath, SHA-256)
    unhashed: int | None = None    # a module's size when its SHA-256 is left to ``identify_modules``


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]
    files: list[FileEntry]
    project: Project
    ctx: Context
    used_directives: set = field(default_factory=set)
    directives: dict[str, list[Directive]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)   # display path -> content SHA-256 (identify_modules)
    visited: list[str] = field(default_factory=list)        # what the walk looked at (runmemo)
    cacheable: bool = True                                  # no file's facts depend on another file


def _read(entry: FileEntry, limit: int):
    """The file's bytes (a map for modules), or None when over ``limit``; and for a map,
    the SHA-256 the cache lookup took of the same file (``FileEntry.hashed``), if its stat
    is still the same, else None. The file is opened without following a link and must
    still be a regular file: the tree may have changed since discovery."""
    if entry.size > limit:
        return None, None
    if entry.kind == "wasm" and entry.size > 0:
        fd = os.open(entry.abspath, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise NotRegular(errno.EINVAL, "not a regular file")
            if st.st_size > limit:
                return None, None
            if not st.st_size:
                return b"", None
            known = None
            if entry.hashed is not None:
                from .cache import stat_identity
                identity, digest = entry.hashed
                known = digest if stat_identity(st) == identity else None
            return mmap.mmap(fd, 0, access=mmap.ACCESS_READ), known
        finally:
            os.close(fd)
    data = read_regular(entry.abspath, limit)
    return (None if len(data) > limit else data), None


def analyze_file(entry: FileEntry, policy: dict, validate: bool = False, deep: bool = False,
                 content: bytes | None = None, hash_modules: bool = True) -> FileResult:
    """One file → its facts. Pure in the file's bytes; never raises.

    ``content`` stands in for the file's bytes (``--fix`` re-lints edited text
    before anything is written); ``hash_modules`` False: a module's SHA-256, when the
    cache lookup did not take it, is left to ``identify_modules`` (a run without a cache)."""
    res = FileResult(entry.path, entry.kind)
    if entry.problem:
        res.facts.append(ParseError(Span(entry.path), message=entry.problem))
        return res
    extract = load_extractor(entry.kind) if entry.kind else None
    if extract is None:
        return res
    limit = policy["max-binary-bytes"] if entry.kind == "wasm" else policy["max-file-bytes"]
    size = entry.size if content is None else len(content)
    try:   # text standing for the file (an editor's buffer) is bound by the same limit
        data, hashed = _read(entry, limit) if content is None else (content if size <= limit else None, None)
    except OSError as exc:
        why = "a symlink now; not followed" if exc.errno == errno.ELOOP else exc.strerror
        res.facts.append(ParseError(Span(entry.path), message=f"cannot read file: {why}"))
        return res
    if data is None:
        from .condition import FUNCTIONS
        key = "max-binary-bytes" if entry.kind == "wasm" else "max-file-bytes"
        res.facts.append(ParseError(Span(entry.path), message=(
            f"file is {FUNCTIONS['bytes'](size)}, above the {FUNCTIONS['bytes'](limit)} limit "
            f"(policy `{key}`); not read")))
        return res
    if isinstance(data, mmap.mmap):   # hashing through the map would make every page resident
        if hashed or hash_modules:
            from .cache import file_digest
            res.digest = hashed or file_digest(entry.abspath)
        else:
            res.unhashed = len(data)
    else:
        res.digest = hashlib.sha256(data).hexdigest()
        res.content_key = content_key(data) if entry.kind != "wasm" else None
    src = SourceFile(entry.path, entry.kind, data, abspath=entry.abspath, root=entry.root)
    from .templates import not_analysed_template
    template = not_analysed_template(entry.path, entry.kind, data)
    if template is not None:      # the source of a file, not the file: never WL001
        res.facts.append(template)
        return res
    try:
        with budget.for_file(len(data)):
            res.facts.extend(extract(src))
        if entry.kind != "wasm" and b"wasmlint:" in data:
            try:
                res.directives = scan(entry.path, entry.kind, src.text)
            except UnicodeDecodeError:
                pass
    except RecursionError:
        res.facts.append(ParseError(Span(entry.path), message="input nested too deeply to analyse"))
    except budget.OverBudget as exc:
        res.facts = [ParseError(Span(entry.path), message=f"not analysed: over budget ({exc})")]
    except Exception as exc:  # a bug in a source must not end the run: report it where it happened
        res.facts.append(ParseError(Span(entry.path), message=(
            f"internal error while reading this file ({type(exc).__name__}: {exc}); "
            "please report it to wasmlint")))
    finally:
        if isinstance(data, mmap.mmap):
            data.close()
    res.cacheable = not src.read_others
    res.others = src.others
    if validate and entry.kind == "wasm" and not any(f.kind == "parse-error" for f in res.facts):
        from .validate import validate as run_validate
        res.facts.extend(run_validate(entry.path, entry.abspath))
    if deep and entry.kind == "wasm" and not any(f.kind == "parse-error" or getattr(f, "component", False)
                                                 for f in res.facts):
        from .deep import measure
        names = any("name" in getattr(f, "custom_sections", ()) for f in res.facts)
        res.facts.extend(measure(entry.path, entry.abspath, entry.size, keep_names=names))
    return res


def _analyze_all(entries: list[FileEntry], policy: dict, validate: bool, jobs: int | None,
                 deep: bool = False, progress=None, overlay: dict[str, bytes] | None = None,
                 cache_root: Path | None = None) -> list[FileResult]:
    tick = progress.advance if progress is not None else (lambda: None)
    if cache_root is None and not overlay:     # no cache key to take: modules are hashed only if need be
        return identify_modules(_analyze_uncached(entries, policy, validate, jobs, deep, tick, hash_modules=False),
                                entries)
    from .cache import cached_analysis
    return cached_analysis(entries, policy, validate, deep, overlay or {}, cache_root, tick,
                           lambda todo, contents: _analyze_uncached(todo, policy, validate, jobs, deep, tick,
                                                                    contents))


def _analyze_uncached(entries: list[FileEntry], policy: dict, validate: bool, jobs: int | None, deep: bool,
                      tick, contents: list[bytes | None] | None = None, hash_modules: bool = True) -> list[FileResult]:
    contents = contents or [None] * len(entries)
    total = sum(e.size for e in entries)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and (len(entries) >= POOL_MIN_FILES or total >= POOL_MIN_BYTES or validate or deep) \
            and len(entries) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        if ctx is not None:
            _prepare({e.kind for e in entries})
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            # the biggest files first, one at a time, so the workers finish together
            futures = {i: pool.submit(analyze_file, entries[i], policy, validate, deep, contents[i],
                                       hash_modules)
                       for i in sorted(range(len(entries)), key=lambda i: -entries[i].size)}
            return _counted((futures[i].result() for i in range(len(entries))), tick)
    return _counted((analyze_file(e, policy, validate, deep, c, hash_modules) for e, c in zip(entries, contents)),
                    tick)


def identify_modules(results: list[FileResult], entries: list[FileEntry]) -> list[FileResult]:
    """Each module left unhashed known by its SHA-256 if its size is another module's
    (a file's or one embedded in a script's), else by its path and size: a module's
    identity only tells copies of one module apart from other modules (``rootcause``),
    and two of different sizes are never copies. Hashing 345 MiB of modules took a
    third of a second of a cold run, for copies that are rare."""
    left = [r for r in results if r.unhashed is not None]
    if not left:
        return results
    from collections import Counter
    from .cache import file_digest
    sizes = Counter(r.unhashed for r in left)      # every module of a no-cache run but empty ones
    sizes.update(f.size for r in results for f in r.facts if f.kind == "wasm-module" and f.digest)
    abspath = {e.path: e.abspath for e in entries}
    for r in left:
        r.digest = file_digest(abspath[r.path]) if sizes[r.unhashed] > 1 else f"unhashed:{r.unhashed}:{r.path}"
    return results


def _prepare(kinds: set) -> None:
    """Each kind's source imported, and what it sets up at its first file (its ``prepare``),
    in this process before the workers fork: they inherit it instead of each paying it."""
    import importlib
    from .sources import module_name
    for kind in sorted(k for k in kinds if k):
        if load_extractor(kind) is not None:
            prepare = getattr(importlib.import_module(module_name(kind)), "prepare", None)
            if prepare is not None:
                prepare()


def _counted(results, tick) -> list[FileResult]:
    out = []
    for r in results:
        out.append(r)
        tick()
    return out


@contextmanager
def _fewer_collections():
    """A check builds large graphs that live until its end (parse trees, a fact per
    launch, a finding per fact): at CPython's default pace the collector walks them
    again every few hundred allocations, a quarter to a third of the time of a big
    file. Collections are made rarer for the run, then set back: most of what a
    check frees goes by reference counting, and cycles are still collected."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_YOUNG_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_check(paths: list[str], config: Config, rules: list[Rule], jobs: int | None = None,
              progress=None, *, overlay: dict[str, bytes] | None = None, cache_root: Path | None = None,
              all_rules: list[Rule] | None = None) -> CheckResult:
    """``overlay`` maps absolute paths to contents used instead of the files';
    ``cache_root`` is the folder holding ``.wasmlint_cache/`` (None: no cache);
    ``all_rules`` (the whole catalog) lets WL004 tell unknown selectors apart."""
    with _fewer_collections():
        return _run_check(paths, config, rules, jobs, progress, overlay, cache_root, all_rules)


def _run_check(paths, config, rules, jobs, progress, overlay, cache_root, all_rules) -> CheckResult:
    visited: list[str] = []
    entries = discover(paths, config.exclude, visited=visited, gitignore=config.respect_gitignore)
    roots = run_roots(paths)
    entries = [replace(e, root=root_holding(e.abspath, roots) or "") for e in entries]
    validate = any(r.code == "WL002" for r in rules)
    deep = any(r.code == "WL507" for r in rules)
    if progress is not None:
        progress.start(len(entries))
    with overlaid(overlay or {}):
        results = _analyze_all(entries, config.policy, validate, jobs, deep, progress, overlay, cache_root)
    facts = _once_per_tool([f for r in results for f in r.facts])
    project = link(facts, {r.path: r.kind or "" for r in results}, {e.path: e.abspath for e in entries},
                   run_roots(paths))
    ctx = Context(config=config, project=project)
    found = evaluate(rules, project.facts, ctx)
    directives = {r.path: r.directives for r in results if r.directives}
    diags, usage = suppress_all(found, directives, config.per_file_ignores)
    diags += unused_suppressions(rules, all_rules or rules, directives, usage, config, ctx,
                                 [e.path for e in entries], paths)
    diags = one_per_root_cause(found, diags, project, {r.path: r.content_key or r.digest for r in results if r.digest},
                               {r.code: r.refines for r in rules if r.refines})
    diags = reported(diags, all_rules or rules, config, project)
    diags.sort(key=Diagnostic.sort_key)
    digests = {r.path: r.digest for r in results if r.digest}
    files = list(entries)
    for r in results:       # response files: read as part of a file, reported and fixed where they are
        for path, (abspath, digest) in r.others.items():
            if path not in digests:
                digests[path] = digest
                files.append(FileEntry(path, abspath, None, 0))
    return CheckResult(diags, files, project, ctx, usage.directives, directives, digests, visited,
                       all(r.cacheable for r in results))


def _once_per_tool(facts: list[Fact]) -> list[Fact]:
    """A missing tool is said once per run (WL003), not once per file."""
    seen, out = set(), []
    for f in facts:
        if f.kind == "tool-missing":
            if f.tool in seen:  # type: ignore[attr-defined]
                continue
            seen.add(f.tool)  # type: ignore[attr-defined]
        out.append(f)
    return out


def fails(diags: list[Diagnostic], fail_on: str) -> bool:
    return any(SEVERITY_RANK[d.severity] >= SEVERITY_RANK[fail_on] for d in diags)


def inspect_paths(paths: list[str], config: Config) -> list[FileResult]:
    """The facts of the files named, each read within its project (the folder ``check FILE…``
    reads with it): a script sources, and a link reads response files, relative to that root."""
    roots = run_roots(resolve_run_paths(paths, config.root).read)
    entries = discover(paths, config.exclude, gitignore=config.respect_gitignore)
    return [analyze_file(replace(e, root=root_holding(e.abspath, roots) or ""), config.policy) for e in entries]


def resolve_root(paths: list[str]) -> Path:
    return real(paths[0] if paths else Path.cwd())
