"""Bazel BUILD files: how linkopts reach the link (Make variables, shell tokenization,
shared lists, which cc_binary is emcc's)."""
from __future__ import annotations

from wasmlint.toolchain.bazel_build import bazel_facts


def _links(text: str) -> list:
    return [f for f in bazel_facts(text, "BUILD", lambda *a, **k: ("error", a, k)) if f.kind == "emcc-invocation"]


def test_make_variables_and_shell_words():
    text = ('BASE = ["-s ALLOW_MEMORY_GROWTH=1", "--pre-js $(location :pre.js)"]\n'
            'cc_binary(name = "app.js", linkopts = BASE + ["-s EXPORT_NAME=App$$1"])\n')
    (link,) = _links(text)
    assert link.variant == "app.js"
    assert link.settings["ALLOW_MEMORY_GROWTH"] == 1
    assert link.settings["EXPORT_NAME"] == "App$1"          # `$$` is one `$`


def test_native_link_and_macro_names_are_not_emcc_links():
    text = ('cc_binary(name = "tool", linkopts = ["-s", "-lm"])\n'
            'def m(name):\n'
            '    native.cc_binary(name = name + "_bin", linkopts = ["-lGL"])\n'
            '    wasm_cc_binary(name = name, cc_target = ":" + name + "_bin")\n')
    assert _links(text) == []


def test_wasm_cc_binary_threads_pass_pthread():
    text = ('cc_binary(name = "mt.js", linkopts = ["-s PTHREAD_POOL_SIZE=2"])\n'
            'wasm_cc_binary(name = "mt", cc_target = ":mt.js", threads = "emscripten")\n')
    (link,) = _links(text)
    assert link.pthreads and link.thread_flags == ["-pthread"]


def test_not_starlark_is_an_error():
    (err,) = bazel_facts('cc_binary(linkopts = [\n', "BUILD", lambda m, **k: (m, k))
    assert err[0].startswith("does not parse as Starlark")
