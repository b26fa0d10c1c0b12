"""JavaScript/TypeScript loaders and glue → JS facts and embedded modules.

A byte prefilter skips files that cannot matter; the rest is parsed with
tree-sitter (error-tolerant: what parsed is still read). Builders live in
``wasmlint.js``; embedded modules are read by the wasm source as virtual files
``loader.js#wasm@OFFSET`` whose diagnostics point at the JS literal.
"""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile

_EMBED_MARKS = (b"AGFzbQ", b"\0asm", b"\\0asm", b"\\x00asm", b"\\u0000asm", b"97,115,109",
                b"97, 115, 109", b"0x61,0x73,0x6d", b"0x61, 0x73, 0x6d", b"0x61, 0x73, 0x6D")
_OVERRIDE_MARKS = (b"INITIAL_MEMORY", b"TOTAL_MEMORY")
MAX_SKELETONS = 6     # skeleton parses of one big file before it is parsed whole


def wanted(data: bytes) -> bool:
    """The prefilter: does the file mention anything a JS fact is made of?"""
    from ..js import builds
    from ..js.parse import PREFILTER
    return any(m in data for m in PREFILTER) or any(m in data for m in _EMBED_MARKS) or \
        any(m in data for m in _OVERRIDE_MARKS) or builds.wanted(data)


def extract(src: SourceFile) -> list[Fact]:
    data = bytes(src.data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]      # keep byte offsets; a BOM is whitespace to the parser
    from ..js import bundles
    from ..js.parse import Doc
    built = bundles.bundles(Doc(src.path, data)) if bundles.wanted(src.path, data) else []
    return built + _extract(src, data)


def _extract(src: SourceFile, data: bytes) -> list[Fact]:
    from ..js.imports import IMPORT_MARKS, IMPORT_ONLY_MAX_BYTES, module_fact
    from ..js.parse import Doc
    from ..js import serving
    if serving.wanted(src.path, data) and not wanted(data):
        doc = Doc(src.path, data)
        found = [serving.serving_config(doc), module_fact(doc, None)]
        return [f for f in found if f is not None]
    if not wanted(data):
        # Only the module graph: small files that import something (app code between
        # a launch and the loader it reaches); bundles without WebAssembly are skipped.
        if len(data) > IMPORT_ONLY_MAX_BYTES or not any(m in data for m in IMPORT_MARKS):
            return []
        graph_node = module_fact(Doc(src.path, data), None)
        return [graph_node] if graph_node else []
    from ..js import skeleton
    interests, blocks = None, None
    if len(data) >= skeleton.MIN_FILE and src.path.lower().endswith((".js", ".mjs", ".cjs")):
        interests, blocks = skeleton.plan(data) or (None, None)
    for _ in range(MAX_SKELETONS):
        doc = Doc(src.path, data, interests, blocks)
        facts = _facts(src, doc)
        if not doc.touched:
            return facts
        interests = sorted({*interests, *doc.touched})   # parse those blocks too, and again
    return _facts(src, Doc(src.path, data))


def _facts(src: SourceFile, doc) -> list[Fact]:
    from ..js import flags, loading, memories, serving, workers
    from ..js.embedded import find_embedded
    from ..js.imports import module_fact
    from ..js.scan import Scan

    if doc.has_error_only():
        bad = next((c for c in doc.root.children if c.type == "ERROR"), doc.root)
        line, col = doc.position(bad.start_byte, bad.start_point)
        return [src.error("does not parse as JavaScript or TypeScript", line=line, column=col,
                          offset=bad.start_byte)]
    scan = Scan(doc)
    facts: list[Fact] = []
    facts.extend(_embedded(scan, find_embedded(doc, scan.ev)))
    compiles = loading.compiles(scan)
    memory_facts = memories.memories(scan)
    grow_facts = memories.grows(scan, {m.name for m in memory_facts if m.name})
    shadows = {m.name: m.sized_after for m in memory_facts if m.name and m.sized_after}
    for g in grow_facts:
        g.follows = shadows.get(g.receiver)
    facts.extend(memory_facts)
    facts.extend(grow_facts)
    facts.extend(memories.views(scan, grow_facts))
    facts.extend(compiles)
    facts.extend(workers.workers(scan))
    facts.extend(flags.node_options_writes(scan))
    facts.extend(flags.set_flags(scan, compiles))
    facts.extend(flags.child_processes(scan))
    facts.extend(flags.module_overrides(scan))
    facts.extend(_builds(src, scan))
    graph_node = module_fact(doc, scan.generator, scan)
    if graph_node is not None:
        facts.append(graph_node)
    if serving.wanted(src.path, doc.data):
        served = serving.serving_config(doc)
        if served is not None:
            facts.append(served)
    return facts


def _builds(src: SourceFile, scan) -> list[Fact]:
    """emcc / cargo facts of the processes a build script starts (``wasmlint.js.builds``)."""
    from ..js import builds
    if not builds.wanted(scan.doc.data):
        return []
    raw = bytes(src.data)
    shift = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    return builds.build_facts(scan, raw[shift:].decode("utf-8", "surrogateescape"), shift)


def _embedded(scan, found) -> list[Fact]:
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
        got = facts_from_bytes(emb.data, f"{scan.doc.path}#wasm@{emb.node.start_byte}", anchor=anchor)
        if len(emb.data) < PROBE_MAX_BYTES and not any(
                isinstance(f, MemoryFact) and (f.exported_as or f.origin == "imported") for f in got):
            continue  # a feature probe, or a fragment completed at run time
        scan.embedded[emb.node.start_byte] = emb
        out.extend(got)
    return out


def scan_error(anchor, message: str) -> Fact:
    from . import ParseError
    return ParseError(anchor, message=message)
