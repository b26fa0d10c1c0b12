"""Skeleton parsing of big JS files (wasmlint/js/skeleton.py): the facts must be
exactly those of a whole parse. Every JS fixture and every real glue file is
extracted both ways with the skeleton forced on (any size, any block, any literal)
and compared."""
from __future__ import annotations

import pytest

from tests.test_js_glue_corpus import glue
from tests.wasmbuild import ROOT
from wasmlint import budget
from wasmlint.js import builds, bundles, lexer, parse, skeleton
from wasmlint.serial import encode
from wasmlint.sources import SourceFile
from wasmlint.sources import js as js_source

JS_SUFFIXES = (".js", ".mjs", ".cjs")


def _fixture_files() -> list:
    return sorted(p for base in ("tests/fixtures", "tests/projects") for p in (ROOT / base).rglob("*")
                  if p.suffix in JS_SUFFIXES and p.is_file() and
                  (js_source.wanted(p.read_bytes()) or bundles.wanted(p.name, p.read_bytes())))


@pytest.fixture
def forced(monkeypatch):
    """Skeleton parsing for every file, body block and literal; counts the parses."""
    force(monkeypatch.setattr)
    docs: list = []
    init = parse.Doc.__init__

    def counting(self, *a, **k):
        init(self, *a, **k)
        docs.append(self)
    monkeypatch.setattr(parse.Doc, "__init__", counting)
    return docs


def force(setattr) -> None:
    for name, value in skeleton.FORCED.items():
        setattr(skeleton, name, value)


def _both(name: str, data: bytes, monkeypatch) -> tuple:
    """Facts of a skeleton parse and of a whole parse, each within a file's budget as the
    pipeline reads a file (trees parsed from a callback, their node texts read through it)."""
    with budget.for_file(len(data)):
        skel = encode(js_source.extract(SourceFile(name, "js", data)))
    with monkeypatch.context() as m, budget.for_file(len(data)):
        m.setattr(skeleton, "MIN_FILE", 1 << 62)
        whole = encode(js_source.extract(SourceFile(name, "js", data)))
    return skel, whole


def _initial_pages(name: str, data: bytes):
    """The initial size of the one ``new WebAssembly.Memory`` of a file."""
    [mem] = [f for f in js_source.extract(SourceFile(name, "js", data)) if f.kind == "js-memory"]
    return mem.initial_pages


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_facts_are_those_of_a_whole_parse(path, forced, monkeypatch):
    skel, whole = _both(path.name, path.read_bytes(), monkeypatch)
    assert skel == whole


def test_real_glue_facts_are_those_of_a_whole_parse(forced, monkeypatch):
    files = {k: v for k, v in glue().items() if k.endswith(JS_SUFFIXES) and js_source.wanted(v)}
    assert len(files) >= 8
    for key, data in files.items():
        skel, whole = _both(key.rsplit("/", 1)[-1], data, monkeypatch)
        assert skel == whole, key
    assert any(d.blanked for d in forced), "no real file was parsed as a skeleton"


FILLER = "".join(f"function helper{i}(a, b) {{ var c = a * {i} + b; return c > 3 ? c : helper{i}(b, a); }}\n"
                 for i in range(40))


def test_a_write_inside_a_blanked_function_is_seen(forced, monkeypatch):
    # `pages` is written inside setup(), whose body holds no interesting word: the
    # skeleton blanks it, the evaluator's search finds the write there, and the file is
    # parsed again with that body kept — the memory's size is unknown, as in a whole parse.
    src = ("var pages = 16;\n" + FILLER +
           "function setup(n) { if (n > 2) { pages = n * 1024; } }\n"
           "var mem = new WebAssembly.Memory({ initial: pages });\n").encode()
    skel, whole = _both("loader.js", src, monkeypatch)
    assert skel == whole
    [mem] = [f for f in js_source.extract(SourceFile("loader.js", "js", src)) if f.kind == "js-memory"]
    assert mem.initial_pages is None
    first, second = forced[0], forced[1]
    assert first.blanked and first.touched, "the first parse blanked setup() and found the write there"
    assert second.blanked and not second.touched and len(second.blanked) < len(first.blanked)


def test_reads_and_local_writes_in_blanked_functions_cost_no_reparse(forced):
    src = ("var pages = 16;\n" + FILLER +
           "function useIt(x) { var pages = x; return pages + 1; }\n"
           "function readIt() { return pages.toString() + [pages][0]; }\n"
           "var mem = new WebAssembly.Memory({ initial: pages, maximum: pages });\n").encode()
    [mem] = [f for f in js_source.extract(SourceFile("loader.js", "js", src)) if f.kind == "js-memory"]
    assert mem.initial_pages == 16 and mem.maximum_pages == 16
    assert len(forced) == 1 and forced[0].blanked and not forced[0].touched


def test_labels_and_keys_in_a_body_parsed_in_place_cost_no_reparse(forced, monkeypatch):
    # wasm2js bodies (sql.js's asm.js builds, far over ALONE_MAX) label their blocks with
    # the short names the glue gives its variables: `Ja: { … break Ja; }`, `{ Ja: f }`,
    # `c ? Ja : 0` never write `Ja`, so the body stays left out; `break` then a new line
    # ends the statement, and the `Ja = 4` after it is a write the parse must see.
    from wasmlint.js import bindings
    monkeypatch.setattr(bindings, "ALONE_MAX", 0)
    src = ("var Ja = 16;\n" + FILLER +
           "function asm(a) { Ja: { if (a) { break Ja; } a = 2; } return { Ja: a, b: a ? Ja : 0 }; }\n"
           "var mem = new WebAssembly.Memory({ initial: Ja });\n").encode()
    skel, whole = _both("sql-asm.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    assert _initial_pages("sql-asm.js", src) == 16
    assert len(forced) == 1 and forced[0].blanked and not forced[0].touched
    written = src.replace(b"break Ja; }", b"for (;;) { break\nJa = 4; } }")
    skel, whole = _both("sql-asm.js", written, monkeypatch)
    assert skel == whole and _initial_pages("sql-asm.js", written) is None


def test_names_bound_by_functions_in_a_body_parsed_in_place_cost_no_reparse(forced, monkeypatch):
    # libsodium's wasm2js body (600 KB, far over ALONE_MAX) holds hundreds of functions whose
    # parameters and opening `var` lists (after asm.js's `b |= 0;` coercions, or in a `for
    # (var`) declare the one-letter names the glue outside uses too: a write there is bound
    # by the innermost function around it that declares the name, and reaches nothing outside
    from wasmlint.js import bindings
    monkeypatch.setattr(bindings, "ALONE_MAX", 0)
    src = ("var q = 16;\n" + FILLER +
           "function asm(a) {\n"
           "  function f1(b, q) { q = b + 1; return q; }\n"
           "  function f2(b) { b |= 0; var c = 0, q = 0; q = b + c; return q; }\n"
           "  function f3(b) { for (var i = 0, q = 0; i < b; i++) { if (b) { q = i; } } return q; }\n"
           "  var f4 = (b, q) => { q = b; return q; }, f5 = q => { q = 1; };\n"
           "  return f1(a, 1) + f2(a) + f3(a) + f4(a); }\n"
           "var mem = new WebAssembly.Memory({ initial: q });\n").encode()
    skel, whole = _both("libsodium.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    assert _initial_pages("libsodium.js", src) == 16
    assert len(forced) == 1 and forced[0].blanked and not forced[0].touched
    # writes that do reach out: in a function that declares `q` only after a call, in an
    # `if` block of asm's own body, from a function nested in one whose parameter it is not
    for outer in ("function g1(b) { var c = h(b), q = 0; } function g2(b) { q = b; }",
                  "if (a) { q = a; }",
                  "function g1(b) { function g2(c) { b = c; q = c; } }"):
        written = src.replace(b"  return f1", f"  {outer}\n  return f1".encode())
        skel, whole = _both("libsodium.js", written, monkeypatch)
        assert skel == whole and _initial_pages("libsodium.js", written) is None, outer


@pytest.mark.parametrize("call, names", [
    # onnxruntime-web's bundles hold protobuf.js writers (`w.uint32(18).fork()`, hundreds of
    # them) and name no process API: nothing searches them for a process start
    ("w.uint32({i}).fork()", "const cp = require('child_process'); cp.fork('worker.js');\n"),
    # `pool` is searched for only where the workerpool package is
    ("w.pool.size({i})", "const workerpool = require('workerpool'); workerpool.pool('w.js');\n"),
    # the word `require` (a bundle's `typeof require` tests) only where the requires before a
    # call are read: a process start's, a setFlagsFromString's
    ("typeof require == 'function' && w.size({i})", "require('v8').setFlagsFromString('--no-opt');\n"),
])
def test_words_searched_only_where_another_is_keep_no_block_elsewhere(call, names, forced, monkeypatch):
    src = (FILLER + "".join(f"function encode{i}(m, w) {{ {call.format(i=i)}; return w.ldelim(); }}\n"
                            for i in range(8)) +
           "var mem = new WebAssembly.Memory({ initial: 16 });\n")
    for head, kept in (("", False), (names, True)):
        data = (head + src).encode()
        skel, whole = _both("ort.all.js", data, monkeypatch)
        assert skel == whole
        forced.clear()
        js_source.extract(SourceFile("ort.all.js", "js", data))
        assert (forced[0].blank_index(data.index(call.format(i=0).encode())) < 0) == kept, head


# An Emscripten factory (duckdb-wasm's, pyodide's) names WebAssembly, so its body is kept;
# its hundreds of statements that name nothing of interest are left out in runs.
FACTORY = ("var Module = (() => { return async function (moduleArg = {}) {\n"
           "var Module = moduleArg, readyPromiseResolve;\n" +
           "".join(f"function _helper{i}(e, r) {{ return HEAP32[e + r * {i} >> 2]; }} _helper{i}.sig = 'iii';\n"
                   for i in range(30)) +
           "{PAGES}"
           "var wasmMemory = new WebAssembly.Memory({ initial: pages, maximum: 256 });\n"
           "return Module; }; })();\n")


def test_statements_of_a_kept_factory_without_interest_are_left_out(forced, monkeypatch):
    src = FACTORY.replace("{PAGES}", "var pages = 16, wasmTable;\n").replace("initial: pages", "initial: 16").encode()
    skel, whole = _both("duckdb.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    [mem] = [f for f in js_source.extract(SourceFile("duckdb.js", "js", src)) if f.kind == "js-memory"]
    assert mem.initial_pages == 16
    [doc] = forced
    assert any(b"_helper29.sig" in src[a:b] for a, b in doc.parsed.plan.statements)
    assert not doc.touched, "reads of Module and HEAP32 in them cost no second parse"


def test_the_glues_assertions_setting_costs_no_second_parse(forced, monkeypatch):
    # emcc glue declares `var STACK_SIZE = …, ASSERTIONS = 0` among the factory's statements;
    # glue_assertions reads that declaration, so its statement is kept from the start
    for value in ("0", "true"):
        src = FACTORY.replace("{PAGES}", f"var STACK_SIZE = 65536, ASSERTIONS = {value};\nvar HEAPU8;\n") \
            .replace("initial: pages", "initial: 16").encode()
        skel, whole = _both("duckdb.js", src, monkeypatch)
        assert skel == whole
        forced.clear()
        facts = js_source.extract(SourceFile("duckdb.js", "js", src))
        assert [f.marker for f in facts if f.kind == "emscripten-glue-assertions"] == \
            (["`var ASSERTIONS = true`"] if value == "true" else [])
        assert len(forced) == 1 and not forced[0].touched, [src[o:o + 20] for o in forced[0].touched]
        assert any(b"_helper29.sig" in src[a:b] for a, b in forced[0].parsed.plan.statements)


def test_names_in_a_left_out_statement_share_its_parse_alone(forced):
    # a left-out statement is parsed alone for a name with the blocks that do not hold the
    # name left out: names whose left-out blocks are the same share that parse (duckdb-wasm's
    # 64 KB `var` lists of arrows were parsed once for each glue name searched in them)
    src = FACTORY.replace("{PAGES}", "var helpers = [probe(Module), probe(wasmTable), (e) => { probe(e + 1); }];\n") \
        .replace("initial: pages", "initial: 16").encode()
    js_source.extract(SourceFile("duckdb.js", "js", src))
    doc = forced[0]
    roots = {}
    for word in (b"Module", b"wasmTable"):
        i = src.index(b"probe(" + word) + 6
        assert doc.cut_statements(doc.blank_index(i))
        node, roots[word], piece = doc.statement_node(i, len(word))
        assert node.text == word and src[piece[0]:piece[1]].strip().startswith(b"var helpers")
    assert roots[b"Module"].id == roots[b"wasmTable"].id
    assert not roots[b"Module"].has_error and b"probe(e" not in roots[b"Module"].text   # the arrow's body left out


def test_a_write_in_left_out_statements_is_seen(forced, monkeypatch):
    # `pages = 64` is a statement of the factory with no interest word: it is left out,
    # the evaluator's search for `pages` finds it there, parses that statement alone, sees
    # an assignment that reaches out, and the file is parsed again with it kept.
    src = FACTORY.replace("{PAGES}", "var pages = 16; pages = 64;\n").encode()
    skel, whole = _both("duckdb.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    [mem] = [f for f in js_source.extract(SourceFile("duckdb.js", "js", src)) if f.kind == "js-memory"]
    assert mem.initial_pages == 64        # the last write before the use, as a whole parse has it
    assert forced[0].touched and not forced[-1].touched
    # a write of a parameter of a function declared there reaches out of nothing
    local = FACTORY.replace("{PAGES}", "function other(pages) { pages = 64; } other.sig = 'vi';\nvar pages = 16;\n").encode()
    forced.clear()
    [mem] = [f for f in js_source.extract(SourceFile("duckdb.js", "js", local)) if f.kind == "js-memory"]
    assert mem.initial_pages == 16
    assert any(b"function other" in local[a:b] for a, b in forced[-1].parsed.plan.statements)


def test_a_member_write_in_left_out_statements_before_a_process_start_is_seen(forced, monkeypatch):
    # `process.env.EMCC_CFLAGS = …` names nothing of interest: its statement is left out,
    # yet it runs before the emcc call in the block around it, so the variable is the
    # process's (builds.py reads such writes); the search for it keeps the statement.
    src = (b'const { execFileSync } = require("child_process");\n'
           b'function build(out) {\n'
           b'  process.env.EMCC_CFLAGS = "-sSTACK_SIZE=1MB";\n'
           b'  console.log("building", out);\n'
           b'  execFileSync("emcc", ["main.c", "-o", out], { stdio: "inherit" });\n'
           b'}\nbuild("dist/app.js");\n')
    skel, whole = _both("build.js", src, monkeypatch)
    assert skel == whole and "EMCC_CFLAGS" in str(whole)
    assert any(d.parsed.plan is not None and d.parsed.plan.statements for d in forced)


@pytest.mark.parametrize("source, cuts", [
    ("a(); b(); c()", ["", "a();", "b();"]),
    ("if (x) a(); else b(); c();", ["", "if (x) a(); else b();", "c();"]),   # not before `else`
    ("do a(); while (x); b();", ["", "do a(); while (x);", "b();"]),         # nor `while`
    ("for (i = 0; i < n; i++) a(); b = `;${ {c: 1} };`; d(';', /;/);",
     ["", "for (i = 0; i < n; i++) a();", "b = `;${ {c: 1} };`;", "d(';', /;/);"]),
    ("x = { a: 1, b() { y(); } }; z(); /* ; */ // ;\n", ["", "x = { a: 1, b() { y(); } };", "z();"]),
    # a `for (` inside a nested body block (crossed whole) is not looked at: one in sql.js's
    # JSDoc example with unbalanced parentheses, one whose header holds a template with
    # substitutions (onnxruntime-web's minified bundles) left no cut in the whole block
    ("a(); f = function (s) { /** for (let t of db.iterate(s) { */ g(); }; h();",
     ["", "a();", "f = function (s) { /** for (let t of db.iterate(s) { */ g(); };", "h();"]),
    ("a(); f = (e) => { for (let l = 0; s = `n_${e.t()}_${l}`, !!e.has(s); l++); }; h();",
     ["", "a();", "f = (e) => { for (let l = 0; s = `n_${e.t()}_${l}`, !!e.has(s); l++); };", "h();"]),
])
def test_statement_cuts_know_the_lexical_grammar(source, cuts):
    data = source.encode()
    starts = lexer.statement_starts(data, 0, len(data), dict(skeleton.body_blocks(data)))
    assert [data[a:b].decode().strip() for a, b in zip([0] + starts, starts)] == cuts


def test_unsure_statement_scans_cut_nothing():
    assert lexer.statement_starts(b"a(); b = 'x; c();", 0, 17, {}) == []
    assert lexer.statement_starts(b"a(); b = {; c();", 0, 16, {}) == []
    assert lexer.statement_starts(b"a(); for (x; y; c();", 0, 20, {}) == []


def test_a_base64_module_is_decoded_once_for_every_parse_of_the_file(forced, monkeypatch):
    # A SINGLE_FILE build (tesseract.js-core, opencv.js) whose receiveInstance writes the
    # glue's variables is parsed twice; the module in its literal is decoded once.
    from wasmlint.js import embedded
    glue = (ROOT / "tests/fixtures/WL101/single-file-base64/app.js").read_bytes()
    src = glue + ("var wasmExports;\n" + FILLER +
                  "function receiveInstance(instance) { wasmExports = instance.exports; return wasmExports; }\n"
                  "var memory = new WebAssembly.Memory({ initial: wasmExports });\n").encode()
    decodes = []
    real = embedded.base64.b64decode
    monkeypatch.setattr(embedded.base64, "b64decode", lambda *a, **k: decodes.append(1) or real(*a, **k))
    facts = js_source.extract(SourceFile("app.js", "js", src))
    assert len(forced) == 2 and forced[0].touched, "receiveInstance's write reaches out: parsed again"
    assert len(decodes) == 1 and any(f.kind == "wasm-module" for f in facts)
    skel, whole = _both("app.js", src, monkeypatch)
    assert skel == whole


def test_words_whose_neighbours_rule_out_a_builders_node_cost_no_reparse(forced, monkeypatch):
    # Emscripten glue says ENVIRONMENT_IS_NODE, buffer and onmessage in many bodies that
    # neither declare the one, make a view of the other nor assign the handler
    # (js/shapes.py): those bodies stay left out, and the facts are a whole parse's.
    src = ("var Module = typeof Module != 'undefined' ? Module : {};\n"
           "var ENVIRONMENT_IS_NODE = typeof process == 'object';\n" + FILLER +
           "function warnOnce(text) { warnOnce.shown ||= {}; ENVIRONMENT_IS_NODE && (text = 'warning: ' + text);"
           " err(text); }\n"
           "function heapBytes() { return wasmMemory.buffer.byteLength; }\n"
           "function isHandler(f) { return self.onmessage === f; }\n"
           "var wasmMemory = new WebAssembly.Memory({ initial: 256, maximum: 512 });\n"
           "var HEAPU8 = new Uint8Array(wasmMemory.buffer);\n").encode()
    skel, whole = _both("glue.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    facts = js_source.extract(SourceFile("glue.js", "js", src))
    assert [f.view_type for f in facts if f.kind == "js-memory-view"] == ["Uint8Array"]
    assert len(forced) == 1 and forced[0].blanked and not forced[0].touched


def test_names_of_a_local_function_that_call_nothing_cost_no_reparse(forced, monkeypatch):
    # loading._local_param reads the calls of onigasm's initModule(bytes) (exports.in_file_calls):
    # bodies that only read a property of the function (a bundle's ``handle``, named hundreds
    # of times) stay left out (shapes.CALLEE), and the facts are a whole parse's
    src = ("async function initModule(bytes) {\n"
           "  const out = await WebAssembly.instantiate(bytes, {});\n  return out.instance;\n}\n"
           "function ready() { return initModule.done === true && initModule.count > 0; }\n"
           "function reset() { initModule.done = false; }\n"
           "fetch('/onig.wasm').then((r) => r.arrayBuffer()).then((buf) => initModule(buf));\n").encode()
    skel, whole = _both("onig.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    js_source.extract(SourceFile("onig.js", "js", src))
    assert len(forced) == 1 and len(forced[0].blanked) == 3 and not forced[0].touched


def test_a_builder_reading_inside_a_blanked_callback_reveals_it(forced, monkeypatch):
    # The `.then` callback's body (no interesting word in it) is read for what it returns.
    src = ("async function load(url, imports) {\n"
           "  return fetch(url).then(function (response) { if (!response.ok) { throw new Error(url); }"
           " return response.blob(); })\n"
           "    .then(function (bytes) { return WebAssembly.instantiate(bytes, imports); });\n}\n").encode()
    skel, whole = _both("loader.js", src, monkeypatch)
    assert skel == whole
    assert forced[0].blanked and forced[0].touched, "the callback was blanked, then revealed"


def test_a_call_whose_name_ends_in_import_is_kept(forced, monkeypatch):
    # Pyodide's glue calls `API.public_api.pyimport("functools")` inside a method body with
    # no word of interest; the module graph reads every `import(` it finds, inside a name
    # or not, so that body is parsed as in a whole parse.
    src = ("class Methods { sort(e) { let r = API.public_api.pyimport(\"functools\"), n = r.cmp_to_key;"
           " return n(e); } }\nnew WebAssembly.Memory({ initial: 1 });\n").encode()
    skel, whole = _both("pyodide.asm.mjs", src, monkeypatch)
    assert skel == whole
    [module] = [f for f in js_source.extract(SourceFile("pyodide.asm.mjs", "js", src)) if f.kind == "js-module"]
    assert module.imports == ["functools"]


@pytest.mark.parametrize("source, blocks", [
    ("function f(a) { return '}'; }", ["return '}';"]),
    ("var s = `${a ? { b: 1 } : 2}`; if (x) { y(); }", ["y();"]),
    ("var r = /[}{]/g; while (ok()) { go(); }", ["go();"]),
    ("var q = a / b; f(q) /* { */; g(() => { h(); })", ["h();"]),
    ("x = { a: 1 }; label: { y(); }", []),
    ("if (a) return /}/.test(s); else { t(); }", []),    # `else {` does not follow `)`
    ("f(x) { return \"{\" + '}' + \"\\\"}\"; }", ["return \"{\" + '}' + \"\\\"}\";"]),   # strings crossed in C
    ("var s = \"a\\\n{\"; if (b) { c(); }", ["c();"]),     # a line continuation: scanned exactly
])
def test_body_blocks_know_the_lexical_grammar(source, blocks):
    data = source.encode()
    assert [data[a:b].decode().strip() for a, b in skeleton.body_blocks(data)] == blocks


@pytest.mark.parametrize("literal_min", [1, 3, 4, 5, 1 << 62])
def test_strings_crossed_at_once_are_noted_from_their_length(literal_min):
    # the scan crosses a one-line string without escapes with one regular expression
    # (lexer._skipper) only when it is shorter than literal_min: longer ones are noted
    data = b'a = "abc"; b = \'abcd\'; c = "ab\\"cd"; f(x) { "}"; }'
    found = lexer.layout(data, literal_min).literals
    assert found == [(a, b) for a, b in ((5, 8), (16, 20), (28, 34), (45, 46)) if b - a >= literal_min]
    assert [data[a:b] for a, b in lexer.layout(data, literal_min).blocks] == [b' "}"; ']


def test_unsure_scans_leave_nothing_out():
    assert skeleton.body_blocks(b"function f() { var s = 'unterminated; }") == []
    assert skeleton.body_blocks(b"if (a) { b(); ") == []


def test_left_out_ranges_keep_lines_and_columns(monkeypatch):
    force(monkeypatch.setattr)
    data = ("f(function () {\n  a();\n  b();\n}); var s = 'é\\n\\\n';\n"
            "  var m = new WebAssembly.Memory({ initial: 1 });\n").encode()
    skel, whole = parse.Doc("x.js", data, skeleton.plan(data)), parse.Doc("x.js", data)
    assert skel.blanked and skel.literals, "the parse left out the body and the literal"
    [a], [b] = skel.words("Memory"), whole.words("Memory")
    assert skel.span(a) == whole.span(b) and skel.span(a).line == 6 and skel.span(a).column == 27


def test_long_literals_are_left_out_of_the_parse():
    data = b"var wasm = '" + b"A" * 100_000 + b"'; function f(x) { return x; }"
    plan = skeleton.plan(data)
    assert plan.literals == ((12, 100_012),) and not plan.blanked
    doc = parse.Doc("x.js", data, plan)
    [literal] = [n for n in _nodes(doc.root) if n.type == "string"]
    assert doc.literals and literal.named_child_count == 0, "the parser saw an empty literal"
    assert (literal.start_byte, literal.end_byte) == (11, 100_013) and parse.string_value(literal) == "A" * 100_000


def test_a_long_line_comment_is_left_out_of_the_parse():
    # onnxruntime-web's bundles end in an inline source map of up to 4 MB: tree-sitter
    # reads all but its last byte as a gap and still makes the one comment node.
    tail = b"//# sourceMappingURL=data:application/json;base64," + b"eyJ2ZXJzaW9uIjozfQ" * 8000
    head = b"var m = new WebAssembly.Memory({ initial: 2 });\n"
    data = head + tail + b"\n"
    plan = skeleton.plan(data)
    assert plan.comments == ((len(head) + 2, len(data) - 2),)
    doc, whole = parse.Doc("ort.mjs", data, plan), parse.Doc("ort.mjs", data)
    assert doc.parsed.plan is plan, "the parse agreed with the scan"
    assert str(doc.root) == str(whole.root)
    assert [(c.type, c.start_byte, c.end_byte) for c in doc.root.children] == \
        [(c.type, c.start_byte, c.end_byte) for c in whole.root.children]
    assert skeleton.plan(data.replace(b"base64,", b"base64,\xe2\x80\xa8")) is None   # U+2028 ends a line


def test_a_scan_the_parse_disagrees_with_is_not_trusted(monkeypatch):
    # after `)` the scan reads `/` as a division, so `"/.test(…); var q = "` is a string to
    # it and `{"; function k() {…} // "` another; tree-sitter sees a regular expression
    force(monkeypatch.setattr)
    data = b'if (x) /"/.test(s) && g(function () { h(); }); var q = "{"; function k() { return 1; } // "}\n'
    plan = skeleton.plan(data)
    assert plan.literals == ((9, 55), (58, 90))
    doc = parse.Doc("x.js", data, plan)
    assert not doc.blanked and not doc.literals and doc.root.type == "program" and not doc.root.has_error


def _nodes(node):
    yield node
    for c in node.children:
        yield from _nodes(c)


from hypothesis import given, settings, strategies as st  # noqa: E402

_JS_BITS = st.sampled_from(["{", "}", "(", ")", "=>", "'", '"', "`", "${", "/", "//", "/*", "*/", "\\",
                            "\n", " ", "a", "return", "x=1;", "f(", "/re/g", "WebAssembly"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_JS_BITS, max_size=60).map("".join))
def test_any_text_gives_nested_in_range_blocks(text):
    data = text.encode()
    blocks = skeleton.body_blocks(data)
    for a, b in blocks:
        assert 0 < a <= b < len(data) and data[a - 1:a] == b"{" and data[b:b + 1] == b"}"
    regions = skeleton.blank_regions(skeleton.interest_offsets(data), blocks)
    assert all(r in blocks for r in regions)
    lay = lexer.layout(data, 1, 1)
    for a, b in lay.literals:
        assert 0 < a <= b < len(data) and data[a - 1] in b"'\"`" and data[b] == data[a - 1]
    for a, b in lay.comments:
        assert 2 <= a < b < len(data) and data[a - 2:a] == b"//" and data[b + 1:b + 2] in (b"", b"\n", b"\r")


SCRIPT_SUFFIXES = (*JS_SUFFIXES, ".ts", ".mts", ".cts")


def _script_files() -> list:
    return sorted(p for base in ("tests/fixtures", "tests/projects") for p in (ROOT / base).rglob("*")
                  if p.suffix in SCRIPT_SUFFIXES and p.is_file())


def test_the_build_readers_trigger_words_admit_every_file_that_starts_a_process():
    # The build reader runs only on files holding one of its trigger words (in the one
    # Aho-Corasick vocabulary); a whole parse of every other file finds no process start.
    from wasmlint.js.pstrings import Texts
    from wasmlint.js.scan import Scan
    from wasmlint.js.sites import Sites
    starting = []
    for path in _script_files():
        data = path.read_bytes()
        scan = Scan(parse.Doc(path.name, data))
        if builds.runs(scan, Texts(scan.ev, data.decode("utf-8", "surrogateescape"), path.name)):
            starting.append(path)
            assert builds.names_a_process_api(data, Sites(data).has), path
    assert len(starting) >= 8


def _counting(monkeypatch, module, name: str) -> list:
    calls: list = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def test_a_builder_whose_searches_touched_nothing_runs_once_for_every_parse(forced, monkeypatch):
    # The memory's size is written in setup(), which the first parse left out: the memory
    # builder touched it and runs again on the wider parse; the builders that read nothing
    # left out (workers, child processes) keep what they made on the first parse.
    from wasmlint.js import flags, memories, workers
    src = ("var pages = 16;\n" + FILLER +
           "function setup(n) { if (n > 2) { pages = n * 1024; } }\n"
           "var mem = new WebAssembly.Memory({ initial: pages });\n"
           "const w = new Worker('./w.js');\n").encode()
    skel, whole = _both("loader.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    made = {name: _counting(monkeypatch, module, name) for module, name in (
        (memories, "memories"), (workers, "workers"), (flags, "child_processes"))}
    js_source.extract(SourceFile("loader.js", "js", src))
    assert len(forced) == 2 and forced[0].touched and not forced[1].touched
    assert [len(made[n]) for n in ("memories", "workers", "child_processes")] == [2, 1, 1]


def test_a_compile_traced_before_the_first_touch_is_not_traced_again(forced, monkeypatch):
    # Two compiles: the first one's bytes are a literal here; the second's name is written
    # in a function the first parse left out. Only the second is traced on both parses.
    from wasmlint.js import loading
    src = ("var bytes;\n" + FILLER +
           "WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));\n"
           "function load(b) { if (b) { bytes = b; } }\n"
           "WebAssembly.instantiate(bytes);\n").encode()
    skel, whole = _both("loader.js", src, monkeypatch)
    assert skel == whole
    forced.clear()
    traced = _counting(monkeypatch, loading, "compile_at")
    js_source.extract(SourceFile("loader.js", "js", src))
    assert len(forced) == 2 and forced[0].touched
    assert [call.start_byte for _scan, _api, call in traced] == sorted(
        [src.index(b"WebAssembly.instantiate(new"), *[src.index(b"WebAssembly.instantiate(bytes)")] * 2])


def test_an_embedded_module_is_read_once_for_every_parse_of_the_file(forced, monkeypatch):
    from wasmlint.sources import wasm
    glue = (ROOT / "tests/fixtures/WL101/single-file-base64/app.js").read_bytes()
    src = glue + ("var wasmExports;\n" + FILLER +
                  "function receiveInstance(instance) { wasmExports = instance.exports; return wasmExports; }\n"
                  "var memory = new WebAssembly.Memory({ initial: wasmExports });\n").encode()
    read = _counting(monkeypatch, wasm, "facts_from_bytes")
    facts = js_source.extract(SourceFile("app.js", "js", src))
    assert len(forced) == 2 and len(read) == 1 and any(f.kind == "wasm-module" for f in facts)


@pytest.mark.parametrize("block_min", [0, 1, 12, 13, 64])
def test_short_plain_blocks_are_crossed_at_once(block_min):
    # lexer._skipper crosses a block whose contents are shorter than block_min bytes and
    # hold no brace, quote or slash in one step, unnoted (no plan leaves out a block that
    # short); the others are noted, and the statement cuts of the text do not change
    data = (b"var f = function (a) { return a+1 };\nvar g = (b) => { return h(b, () => { x(); }) };\n"
            b"if (c) { s = 'a' };\nwhile (d) { e = 7 / 2; };\nfor (;;) {};\n")
    every = lexer.layout(data).blocks
    noted = lexer.layout(data, block_min=block_min).blocks
    short = {b" return a+1 ", b" x(); ", b""}
    assert [data[a:b] for a, b in noted] == [data[a:b] for a, b in every
                                             if not (data[a:b] in short and b - a < block_min)]
    assert len(every) == 6 and len(noted) == 6 - sum(len(s) < block_min for s in short)
    assert lexer.statement_starts(data, 0, len(data), dict(noted)) == \
        lexer.statement_starts(data, 0, len(data), dict(every)) == [0, 36, 84, 130, 143]
