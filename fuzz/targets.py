"""Fuzz targets: one function per target, each taking the fuzzer's bytes.

A target returns normally for every input; the only exceptions it lets
through are bugs. Each parser's documented error type is caught here, so what
escapes is a crash. ``tests/test_fuzz_regressions.py`` replays the saved
crashing inputs through these same functions.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

# The source kinds the whole-source targets read, and the file name each input is given.
SOURCES = {
    "dockerfile": "Dockerfile",
    "compose": "docker-compose.yml",
    "k8s": "deploy.yaml",
    "systemd": "app.service",
    "makefile": "Makefile",
    "cmake": "CMakeLists.txt",
    "package-json": "package.json",
    "shell": "build.sh",
    "procfile": "Procfile",
    "github-workflow": ".github/workflows/ci.yml",
    "pm2": "ecosystem.config.json",
    "js": "loader.js",
    "meson": "meson.build",
    "meson-cross": "emscripten.ini",
}


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def emcc_settings(data: bytes) -> None:
    """The ``-s NAME=VALUE`` grammar, then a whole emcc argv built from the input's words."""
    from wasmlint.toolchain import emcc_settings as es
    from wasmlint.toolchain.emcc import build_facts
    from wasmlint.toolchain.pstr import LineIndex, PStr, Tok, shell_split
    from wasmlint.facts import Span
    text = _text(data)
    es.parse_setting(text)
    for line in text.splitlines()[:4]:
        es.parse_setting(line)
    index = LineIndex(text, "fuzz.sh")
    toks = [Tok(p, index) for p in shell_split(PStr.source(text, 0))]
    for fact in build_facts(toks, Span("fuzz.sh"), problems=[]):
        fact.to_json()


def node_options(data: bytes) -> None:
    """NODE_OPTIONS splitting and the node argv splitter behind a shell line."""
    from wasmlint import nodeoptions
    from wasmlint.launch.build import Unit
    from wasmlint.textpos import LineIndex, MappedText
    text = _text(data)
    toks, error = nodeoptions.split(MappedText.verbatim(text, 0))
    assert error is None or error.startswith("invalid value for NODE_OPTIONS"), error
    for t in toks:
        assert 0 <= t.src_start <= t.src_end <= len(text), (t.src_start, t.src_end)
    unit = Unit(LineIndex(text, "Procfile"), "procfile", name="web")
    unit.run_script(MappedText.verbatim(text, 0))
    for fact in unit.facts:
        fact.to_json()


def shell(data: bytes) -> None:
    """Both shell layers: the launch tokenizer and the build evaluator."""
    from wasmlint import shellparse
    from wasmlint.toolchain.pstr import LineIndex, PStr
    from wasmlint.toolchain.shell_argv import facts_from_shell
    from wasmlint.toolchain.shell_eval import evaluate
    from wasmlint.textpos import MappedText
    text = _text(data)
    shellparse.parse(MappedText.verbatim(text, 0))
    shellparse.split_words(MappedText.verbatim(text, 0))
    index = LineIndex(text, "build.sh")
    evaluate(PStr.source(text, 0), index)
    facts_from_shell(PStr.source(text, 0), index)


_MADE: dict[str, Path] = {}


def _scratch(prefix: str) -> Path:
    """A scratch folder made on first use (never at import) and removed by cleanup()."""
    if prefix not in _MADE:
        if not _MADE:
            atexit.register(cleanup)
        _MADE[prefix] = Path(tempfile.mkdtemp(prefix=prefix))
    return _MADE[prefix]


def cleanup() -> None:
    """Remove the scratch folders the targets made."""
    for folder in _MADE.values():
        shutil.rmtree(folder, ignore_errors=True)
    _MADE.clear()


def config(data: bytes) -> None:
    """A configuration file: the first byte picks TOML, YAML or pyproject.toml."""
    from wasmlint.config import Config, ConfigError, _read_raw, apply_table
    if not data:
        return
    name = (".wasmlint.toml", ".wasmlint.yaml", "pyproject.toml")[data[0] % 3]
    path = _scratch("wasmlint-fuzz-config-") / name
    path.write_bytes(data[1:])
    cfg = Config(path=str(path), root=path.parent)
    try:
        apply_table(cfg, _read_raw(path), str(path))
        cfg.fingerprint()
        for name in cfg.known_targets():
            cfg.target(name)
        cfg.workload_mb("a/b.wasm")
        cfg.planned_bytes("a/b.wasm")
    except ConfigError:
        pass


def jsonpos(data: bytes) -> None:
    from wasmlint import jsonpos as jp
    text = _text(data)
    try:
        node = jp.parse(text)
    except jp.JsonPosError as exc:
        assert 0 <= exc.offset <= len(text), exc.offset
        return
    assert repr(node.plain()) == repr(json.loads(text)), text
    _walk_json(node, text)


def _walk_json(node, text: str) -> None:
    assert 0 <= node.start <= node.end <= len(text), (node.start, node.end)
    if node.type == "string":
        t = node.text
        assert t.value == node.value
        assert all(0 <= s <= e <= len(text) for s, e in zip(t.starts, t.ends))
    for key, child in getattr(node, "pairs", ()) or ():
        _walk_json(key, text)
        _walk_json(child, text)
    for child in getattr(node, "items", ()) or ():
        _walk_json(child, text)


def yamlpos(data: bytes) -> None:
    from wasmlint import yamlpos as yp
    text = _text(data)
    try:
        docs = yp.documents(text)
    except yp.YamlPosError as exc:
        assert 0 <= exc.offset <= len(text), exc.offset
        return
    for doc in docs:
        try:
            yp.check_size(doc)
        except yp.YamlPosError:
            continue
        _walk_yaml(yp, doc, text, [0])


def _walk_yaml(yp, node, text: str, seen: list[int]) -> None:
    seen[0] += 1
    if seen[0] > 2000:
        return
    if yp.is_scalar(node):
        m = yp.scalar_text(node, text)
        assert 0 <= m.src_start <= m.src_end <= len(text), (m.src_start, m.src_end)
        return
    for k, v in yp.pairs(node):
        _walk_yaml(yp, k, text, seen)
        _walk_yaml(yp, v, text, seen)
    for v in yp.items(node):
        _walk_yaml(yp, v, text, seen)


def source(kind: str):
    """A whole-file target: extract, the cache's JSON round trip, link and every rule."""
    def run(data: bytes) -> None:
        from wasmlint import serial
        from wasmlint.config import Config
        from wasmlint.evaluate import Context, evaluate
        from wasmlint.link import link
        from wasmlint.ruleset import all_rules
        from wasmlint.sources import SourceFile, load_extractor
        name = SOURCES[kind]
        src = SourceFile(name, kind, data, abspath=os.path.join(_scratch("wasmlint-fuzz-src-"), name))
        try:
            facts = load_extractor(kind)(src)
        except RecursionError:   # the pipeline reports this as "nested too deeply" (WL001)
            return
        stored = serial.decode(json.loads(json.dumps(serial.encode(facts))))   # as the cache does
        assert [f.to_json() for f in stored] == [f.to_json() for f in facts]
        project = link(facts, {name: kind})
        evaluate(_rules(all_rules), facts, Context(config=Config(root=_scratch("wasmlint-fuzz-src-")), project=project))
    run.__name__ = f"source_{kind.replace('-', '_')}"
    return run


def js_skeleton(data: bytes) -> None:
    """Differential: the JS facts of a skeleton parse (forced on: every block, every
    literal left out, parsed again incrementally as searches land in them) equal those
    of a whole parse when the file parses without errors (otherwise error recovery in a
    range the skeleton leaves out may differ); the scan's ranges are well-formed."""
    from wasmlint import budget, serial
    from wasmlint.js import bindings, lexer, parse, skeleton
    from wasmlint.sources import SourceFile
    from wasmlint.sources import js
    lay = lexer.layout(data, 1, 1)
    assert all(data[a - 1:a] == b"{" and data[b:b + 1] == b"}" for a, b in lay.blocks)
    assert all(data[a - 1] in b"'\"`" and data[b] == data[a - 1] for a, b in lay.literals)
    assert all(data[a - 2:a] == b"//" and b"\n" not in data[a:b + 1] and data[b + 1:b + 2] in (b"", b"\n", b"\r")
               for a, b in lay.comments)
    # Most mutated inputs do not parse: their skeleton facts are made (no exception may
    # escape; a skeleton with errors falls back to a whole parse) but not compared, so
    # the whole extract is left out for them (it is the source_js target's).
    compared = not parse.Doc("loader.js", data).root.has_error
    saved = {k: getattr(skeleton, k) for k in skeleton.FORCED}
    alone = bindings.ALONE_MAX
    try:
        for k, v in skeleton.FORCED.items():
            setattr(skeleton, k, v)
        # inputs of odd length parse every left-out body in place, as a body over ALONE_MAX
        # is (an asm.js module's): its writes are told from the functions nested in it
        bindings.ALONE_MAX = 0 if len(data) % 2 else alone
        # each within a file's budget, as the pipeline reads a file (trees parsed from a
        # callback, node texts read through it; memos of one file's work)
        with budget.for_file(len(data)):
            skel = serial.encode(js.extract(SourceFile("loader.js", "js", data)))
        skeleton.MIN_FILE = 1 << 62
        with budget.for_file(len(data)):
            whole = serial.encode(js.extract(SourceFile("loader.js", "js", data))) if compared else skel
    except (RecursionError, budget.OverBudget):   # the pipeline reports these as WL001
        return
    finally:
        for k, v in saved.items():
            setattr(skeleton, k, v)
        bindings.ALONE_MAX = alone
    assert skel == whole


_RULES: list = []


def _rules(all_rules):
    if not _RULES:
        _RULES.extend(all_rules())
    return _RULES


TARGETS = {
    "emcc_settings": emcc_settings,
    "node_options": node_options,
    "shell": shell,
    "config": config,
    "jsonpos": jsonpos,
    "yamlpos": yamlpos,
    "js_skeleton": js_skeleton,
    **{f"source_{k.replace('-', '_')}": source(k) for k in SOURCES},
}
