"""JavaScript/TypeScript loaders and glue → JS facts and embedded modules.

A byte prefilter skips files that cannot matter; the rest is parsed with
tree-sitter (error-tolerant: what parsed is still read). Builders live in
``wasmlint.js``; embedded modules are read by the wasm source as virtual files
``loader.js#wasm@OFFSET`` whose diagnostics point at the JS literal.
"""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile

EMBED_MARKS = (b"AGFzbQ", b"\0asm", b"\\0asm", b"\\x00asm", b"\\u0000asm", b"97,115,109",
                b"97, 115, 109", b"0x61,0x73,0x6d", b"0x61, 0x73, 0x6d", b"0x61, 0x73, 0x6D")
OVERRIDE_MARKS = (b"INITIAL_MEMORY", b"TOTAL_MEMORY")
MAX_SKELETONS = 8     # skeleton parses of one big file before it is parsed whole


def wanted(data: bytes, sites=None) -> bool:
    """The prefilter: does the file mention anything a JS fact is made of?"""
    from ..js import builds, glue_bytes
    from ..js.parse import PREFILTER
    has = sites.has if sites is not None else data.__contains__
    return any(has(m) for m in (*PREFILTER, *EMBED_MARKS, *OVERRIDE_MARKS)) or builds.wanted(data, has) or \
        glue_bytes.wanted(has)


def prepare() -> None:
    """What every process that analyses JavaScript sets up at its first file: the builders'
    modules, the vocabulary's automaton and the grammar (about 0.2 CPU s). A run calls it
    once before its workers fork, so that they inherit it instead of each paying it."""
    from ..js import (embedded, flags, glue_assertions, imports, loading, memories, module_options, parse, scan,  # noqa: F401
                      serving, sites, workers)
    sites.vocabulary()
    sites._automaton()
    parse.language("javascript")


def extract(src: SourceFile) -> list[Fact]:
    """The file's facts, the deployment it is when it is an edge function (``edge_runtime``),
    the Lambda functions a CDK stack in it deploys (``cdk_lambda``) and the apps it starts
    through PM2's API (``pm2.api_launches``)."""
    from ..js import cdk_lambda, edge_runtime
    from ..js.parse import Doc
    facts = _extract(src) + _shebang(src)
    if edge_runtime.by_path(src.path):
        return facts + edge_runtime.deployments(src.path)
    from ..js.imports import IMPORT_ONLY_MAX_BYTES
    data = bytes(src.data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]
    if len(data) > IMPORT_ONLY_MAX_BYTES or any(f.kind == "parse-error" for f in facts):
        return facts
    if edge_runtime.wanted(src.path, data, data.__contains__):
        facts = facts + edge_runtime.deployments(src.path, Doc(src.path, data))
    if cdk_lambda.wanted(data):
        from ..js.scan import Scan
        facts = facts + cdk_lambda.deployments(Scan(Doc(src.path, data)))
    from .pm2 import API_MARKS, api_launches
    if any(m in data for m in API_MARKS) and b".start(" in data:
        facts = facts + api_launches(src.path, data.decode("utf-8", "replace"))
    return facts


def _shebang(src: SourceFile) -> list[Fact]:
    """The launch a ``#!/usr/bin/env -S node --flag`` line makes, or why it never starts."""
    if not bytes(src.data[:2]) == b"#!":
        return []
    from ..launch.shebang import shebang_facts
    from ..textpos import LineIndex
    head = bytes(src.data[:4096]).split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    return shebang_facts(head, src.path, LineIndex(head, src.path))


def _extract(src: SourceFile) -> list[Fact]:
    data = bytes(src.data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]      # keep byte offsets; a BOM is whitespace to the parser
    from ..js import bundles, module_options, serving
    from ..js.imports import IMPORT_MARKS, IMPORT_ONLY_MAX_BYTES, module_fact
    from ..js.parse import Doc
    from ..js.sites import Sites
    sites = Sites(data)       # one scan for every word a fact or a check looks for
    bundled = bundles.wanted(src.path, data, sites.has)
    if wanted(data, sites):
        return _parsed(src, data, sites, lambda doc, done: (_step(done, doc, "bundles", _bundles, doc) if bundled
                                                            else []) + _facts(src, doc, done))
    built = _parsed(src, data, sites, lambda doc, done: _step(done, doc, "bundles", _bundles, doc)) if bundled else []
    if serving.wanted(src.path, data, sites.has):
        doc = Doc(src.path, data, sites=sites)
        found = [serving.serving_config(doc), module_fact(doc, None)]
        return built + [f for f in found if f is not None]
    # Only the module graph: small files that import something (app code between
    # a launch and the loader it reaches), and the calls that pass Emscripten glue its
    # options (``module_options``); bundles without WebAssembly are skipped.
    calls = len(data) <= IMPORT_ONLY_MAX_BYTES and module_options.wanted(sites.has)
    if not calls and (len(data) > IMPORT_ONLY_MAX_BYTES or not any(sites.has(m) for m in IMPORT_MARKS)):
        return built
    doc = Doc(src.path, data, sites=sites)
    graph_node = module_fact(doc, None) if any(sites.has(m) for m in IMPORT_MARKS) else None
    return built + ([graph_node] if graph_node else []) + (module_options.calls(doc) if calls else [])


def _bundles(doc) -> list[Fact]:
    from ..js import bundles
    return list(bundles.bundles(doc))


def _parsed(src: SourceFile, data: bytes, sites, build) -> list[Fact]:
    """``build(doc, done)`` on a skeleton parse of a big file (whole for others), parsed again
    with the ranges its searches landed in until none does (see skeleton.py). ``done``
    keeps, from one parse to the next, what the builders that touched nothing made (``_step``)."""
    from ..js import skeleton
    from ..js.parse import Doc
    plan = None
    if len(data) >= skeleton.MIN_FILE and src.path.lower().endswith((".js", ".mjs", ".cjs")):
        plan = skeleton.plan(data, sites)
    doc = Doc(src.path, data, plan, sites=sites)
    done: dict = {}
    for _ in range(MAX_SKELETONS):
        facts = build(doc, done)
        if not doc.touched:
            return facts
        plan = plan.widened(doc.touched)        # parse those ranges too, and again
        doc = Doc(src.path, data, plan, previous=doc)
    return build(Doc(src.path, data, previous=doc), done)


def _step(done: dict, doc, name: str, builder, *args, alone: bool = False):
    """``builder(*args)``, or what it made on an earlier parse of the file. A builder whose
    searches of this parse landed in no left-out range (``doc.touched``) read only parsed
    code: its facts are a whole parse's, a wider parse would make the same, and it is not
    run again. That holds when the answers it reused from caches were made touching
    nothing too: when nothing touched before it on this parse, or when it is ``alone``
    (it shares no cache with the builders before it: a scan of its own)."""
    if name in done:
        return done[name]
    before, doc.touched = doc.touched, set()
    untouched = not before
    try:
        out = builder(*args)
    finally:
        mine, doc.touched = doc.touched, before
        before |= mine
    if not mine and (alone or untouched):
        done[name] = out
    return out


def _facts(src: SourceFile, doc, done: dict) -> list[Fact]:
    from ..js import flags, module_options, workers
    from ..js.embedded import find_embedded
    from ..js.imports import module_fact
    from ..js.scan import Scan

    if doc.has_error_only():
        from ..js.flow import flow_note
        from ..templates import infix_input
        note = infix_input(src.path) or flow_note(bytes(doc.data), src.path)
        if note is not None:
            return [note]
        bad = next((c for c in doc.root.children if c.type == "ERROR"), doc.root)
        line, col = doc.position(bad.start_byte, bad.start_point)
        return [src.error("does not parse as JavaScript or TypeScript", line=line, column=col,
                          offset=bad.start_byte)]
    scan = Scan(doc)
    # every parse finds the embedded modules (the searches skip them, loaders read their sizes)
    embedded = _embedded(scan, find_embedded(doc, scan.ev), done.setdefault("module bytes", {}))

    alone = not doc.touched      # the embedded modules were all found: a fresh scan starts from them

    def step(name, builder, *args):
        return _step(done, doc, name, builder, *args)

    def step_alone(name, builder):
        return _step(done, doc, name, builder, _scan_from(scan), alone=alone)
    # The builders that seldom touch a left-out range run first (``_step``), the others each
    # with a scan of its own; the facts keep their order.
    builds = step("builds", _builds, src, scan)
    option_writes = step("node options", flags.node_options_writes, scan)
    children = step("child processes", flags.child_processes, scan)
    overrides = step("module overrides", flags.module_overrides, scan)
    glue = step("glue assertions", _glue_assertions, scan)
    served = _step(done, doc, "serving", _serving, src, doc, alone=alone)
    graph_node = step_alone("module", lambda own: module_fact(doc, own.generator, own))
    started = step_alone("workers", workers.workers)
    compiles, set_flags = step_alone("compiles", lambda own: _compiles(own, done))
    memory_facts = step_alone("memories", _memories)
    calls = _step(done, doc, "module options", module_options.calls, doc, alone=alone) \
        if scan.generator != "emscripten" and module_options.wanted(doc.has) else []   # glue calls no factory
    return [*embedded, *memory_facts, *compiles, *started, *option_writes, *set_flags, *children, *overrides,
            *builds, *calls, *([graph_node] if graph_node is not None else []), *glue, *served]


def _scan_from(scan):
    """A new scan of ``scan``'s parse, with the embedded modules it found."""
    from ..js.scan import Scan
    own = Scan(scan.doc)
    own.embedded = scan.embedded
    return own


def _compiles(scan, done: dict) -> tuple[list[Fact], list[Fact]]:
    """The compile calls (``_step`` for each: those traced before this scan's first touch
    are not traced again), and the ``v8.setFlagsFromString`` calls (which read them)."""
    from ..js import flags, glue_bytes, loading
    compiles = [_step(done, scan.doc, ("compile", call.start_byte, prop), loading.compile_at, scan, prop, call)
                for prop, call in loading.compile_sites(scan)]
    compiles += glue_bytes.glue_compiles(scan)
    return compiles, flags.set_flags(scan, compiles)


def _memories(scan) -> list[Fact]:
    """The memories, their ``grow`` calls and their views (which read both)."""
    from ..js import memories
    memory_facts = memories.memories(scan)
    grow_calls = memories.grows(scan, {m.name for m in memory_facts if m.name})
    grow_facts = [g for _, g in grow_calls]
    shadows = {m.name: m.sized_after for m in memory_facts if m.name and m.sized_after}
    for g in grow_facts:
        g.follows = shadows.get(g.receiver)
    return [*memory_facts, *grow_facts, *memories.views(scan, grow_calls)]


def _glue_assertions(scan) -> list[Fact]:
    if scan.generator != "emscripten":
        return []
    from ..js.glue_assertions import glue_assertions
    return [g for g in (glue_assertions(scan.doc),) if g is not None]


def _serving(src: SourceFile, doc) -> list[Fact]:
    from ..js import serving
    if not serving.wanted(src.path, doc.data, doc.has):
        return []
    served = serving.serving_config(doc)
    return [served] if served is not None else []


def _builds(src: SourceFile, scan) -> list[Fact]:
    """emcc / cargo facts of the processes a build script starts (``wasmlint.js.builds``), and
    the Emscripten release it names (``js.emsdk_pin``)."""
    from ..js import builds
    from ..js.emsdk_pin import pinned_releases
    if not builds.wanted(scan.doc.data, scan.doc.has):
        return []
    raw = bytes(src.data)
    shift = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    return builds.build_facts(scan, raw[shift:].decode("utf-8", "surrogateescape"), shift) + pinned_releases(scan.doc)


def _embedded(scan, found, read: dict) -> list[Fact]:
    """The facts of the embedded modules ``found``; ``read``: their facts by literal, kept
    for every parse of the file (a module's bytes are read once)."""
    from ..js.embedded import PROBE_MAX_BYTES
    from .wasm import MemoryFact, facts_from_bytes

    out: list[Fact] = []
    scan.doc.skip = [(e.node.start_byte, e.node.end_byte) for e in found if e.node.end_byte - e.node.start_byte > 4096]
    for emb in found:
        anchor = scan.doc.span(emb.node)
        if emb.error:
            out.append(scan_error(anchor, emb.error))
            continue
        if emb.probe:
            continue
        key = (emb.node.start_byte, emb.node.end_byte)
        if key not in read:
            read[key] = facts_from_bytes(emb.data, f"{scan.doc.path}#wasm@{emb.node.start_byte}", anchor=anchor)
        got = read[key]
        if len(emb.data) < PROBE_MAX_BYTES and not any(
                isinstance(f, MemoryFact) and (f.exported_as or f.origin == "imported") for f in got):
            continue  # a feature probe, or a fragment completed at run time
        scan.embedded[emb.node.start_byte] = emb
        out.extend(got)
    return out


def scan_error(anchor, message: str) -> Fact:
    from . import ParseError
    return ParseError(anchor, message=message)
