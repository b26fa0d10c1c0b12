"""Builds written in a programming language, layer by layer: the values each reader
gives a process (JS/TS, Python, Rust), the places those values keep in the file, and
the facts they become (the shell layer's own)."""
from __future__ import annotations

from wasmlint.sources import SourceFile
from wasmlint.sources.js import extract as js_extract
from wasmlint.toolchain.pstr import UNKNOWN


def _facts(extract, name: str, text: str, kind: str):
    return extract(SourceFile(name, kind, text.encode()))


def _kinds(facts, kind: str):
    return [f for f in facts if f.kind == kind]


def _at(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


# ---------------------------------------------------------------- JS / TS
def test_js_spawn_with_shell_true_joins_program_and_arguments_as_node_does():
    text = ("const { spawnSync } = require('child_process');\n"
            "const flags = ['-sALLOW_MEMORY_GROWTH=1', '-sEXPORTED_FUNCTIONS=\"[\\'_main\\']\"'];\n"
            "spawnSync('emcc', ['src/tracy.c', ...flags, '-o', 'src/tracy_c.js'], { stdio: 'inherit', shell: true });\n")
    inv = _kinds(_facts(js_extract, "build.js", text, "js"), "emcc-invocation")[0]
    # the shell removes the double quotes: emcc sees EXPORTED_FUNCTIONS=['_main']
    assert inv.settings["EXPORTED_FUNCTIONS"] == ["_main"] and inv.output == "src/tracy_c.js"
    assert (inv.growth_span.line, inv.growth_span.column) == _at(text, "-sALLOW")


def test_js_execa_template_with_options_and_promisified_exec():
    text = ("import { $ } from 'execa';\n"
            "import { exec } from 'node:child_process';\n"
            "import util from 'node:util';\n"
            "const run = util.promisify(exec);\n"
            "const out = 'dist';\n"
            "await $({ cwd: 'native' })`emcc -O3 -sINITIAL_MEMORY=32MB core.c -o ${out}/core.js`;\n"
            "await run(`emcc -O2 -sTOTAL_STACK=65536 aux.c -o ${out}/aux.js`);\n")
    invs = {f.output: f for f in _kinds(_facts(js_extract, "build.mjs", text, "js"), "emcc-invocation")}
    assert set(invs) == {"dist/core.js", "dist/aux.js"}
    assert invs["dist/core.js"].settings["INITIAL_MEMORY"] == 32 << 20
    assert invs["dist/aux.js"].settings["STACK_SIZE"] == 65536


def test_js_pushes_in_straight_line_code_are_read_and_one_under_a_condition_is_unknown():
    text = ("const cp = require('child_process');\n"
            "const args = ['-O3'];\n"
            "args.push('-sINITIAL_MEMORY=64MB', '-o', 'out.js');\n"
            "if (process.env.DEV) { args.push('-sASSERTIONS=2'); }\n"
            "cp.execFileSync('emcc', args);\n")
    inv = _kinds(_facts(js_extract, "build.js", text, "js"), "emcc-invocation")[0]
    assert inv.settings == {"INITIAL_MEMORY": 64 << 20} and inv.output == "out.js"
    assert inv.opt_level == "-O3"


def test_js_regexp_exec_and_unbound_names_start_nothing():
    text = ("const exec = (s) => s;\n"
            "exec('emcc -sALLOW_MEMORY_GROWTH=1 a.c');\n"
            "/x/.exec('emcc -sALLOW_MEMORY_GROWTH=1 b.c');\n"
            "require('child_process');\n")
    assert _kinds(_facts(js_extract, "build.js", text, "js"), "emcc-invocation") == []


def test_js_env_object_filled_before_the_call_sets_rustflags():
    text = ('import { spawnSync } from "node:child_process"\n'
            'const env = { ...process.env }\n'
            'const extra = "-C link-arg=--max-memory=67108864"\n'
            'env.RUSTFLAGS = env.RUSTFLAGS ? `${env.RUSTFLAGS} ${extra}` : extra\n'
            'env.CARGO_TERM_COLOR = "always"\n'
            'spawnSync("cargo", ["build", "--target", "wasm32-unknown-unknown"], { stdio: "inherit", env })\n')
    link = _kinds(_facts(js_extract, "compile.mjs", text, "js"), "rust-link")[0]
    # which branch runs is decided at run time: RUSTFLAGS is set, its value is not known
    assert link.origin == "RUSTFLAGS" and link.rustflags == [UNKNOWN] and link.maximum_memory is None


def test_js_process_env_written_before_the_call_is_inherited_unless_env_replaces_it():
    text = ("import { execSync } from 'node:child_process';\n"
            "process.env.RUSTFLAGS = '-C link-arg=--max-memory=67108864';\n"
            "execSync('cargo build --release --target wasm32-unknown-unknown');\n"
            "execSync('cargo build --release --target wasm32-unknown-unknown', { env: { PATH: '/bin' } });\n")
    links = _kinds(_facts(js_extract, "build.mjs", text, "js"), "rust-link")
    assert [(f.span.line, f.maximum_memory) for f in links] == [(2, 64 << 20)]
