"""emcc's verdict on argument lists (formats.md §0–2, §7): canonical settings, values,
errors, threads and memory64, for the forms real build files use. Each row is the
argument list after ``emcc`` as the shell delivers it (quotes removed by the
same POSIX splitting emcc applies to response files)."""
from __future__ import annotations

import pytest

from wasmlint.toolchain.emcc import build_facts
from wasmlint.toolchain.pstr import LineIndex, PStr, Tok, shell_split
from wasmlint.facts import Span

MB, GB = 1 << 20, 1 << 30

# (arguments, expected canonical settings (subset), expected errors {spelling: text in message})
CASES = [
    # -s forms
    ("-sINITIAL_MEMORY=64MB", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-s INITIAL_MEMORY=64MB", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-sALLOW_MEMORY_GROWTH", {"ALLOW_MEMORY_GROWTH": 1}, {}),
    ("-s ALLOW_MEMORY_GROWTH", {"ALLOW_MEMORY_GROWTH": 1}, {}),
    ("-sALLOW_MEMORY_GROWTH=1", {"ALLOW_MEMORY_GROWTH": 1}, {}),
    ("-sALLOW_MEMORY_GROWTH=0", {"ALLOW_MEMORY_GROWTH": 0}, {}),
    ("'-sINITIAL_MEMORY=32MB'", {"INITIAL_MEMORY": 32 * MB}, {}),
    ('"-s" "INITIAL_MEMORY=32MB"', {"INITIAL_MEMORY": 32 * MB}, {}),
    ("-s\"EXPORTED_FUNCTIONS=['_a']\"", {"EXPORTED_FUNCTIONS": ["_a"]}, {}),
    # memory sizes: suffixes ×1024, case-insensitive, blanks before the suffix
    ("-sINITIAL_MEMORY=64mb", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-sINITIAL_MEMORY=64Mb", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("'-sINITIAL_MEMORY=64 MB'", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-sINITIAL_MEMORY=65536kb", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-sMAXIMUM_MEMORY=4GB", {"MAXIMUM_MEMORY": 4 * GB}, {}),
    ("-sMAXIMUM_MEMORY=1tb", {"MAXIMUM_MEMORY": 1 << 40}, {}),
    ("-sINITIAL_MEMORY=16777216", {"INITIAL_MEMORY": 16 * MB}, {}),
    ("-sINITIAL_MEMORY=1024b", {"INITIAL_MEMORY": 1024}, {}),
    ("-sSTACK_SIZE=5MB", {"STACK_SIZE": 5 * MB}, {}),
    ("-sINITIAL_HEAP=32MB", {"INITIAL_HEAP": 32 * MB}, {}),
    ("-sMEMORY_GROWTH_GEOMETRIC_CAP=96MB", {"MEMORY_GROWTH_GEOMETRIC_CAP": 96 * MB}, {}),
    ("-sDEFAULT_PTHREAD_STACK_SIZE=2MB", {"DEFAULT_PTHREAD_STACK_SIZE": 2 * MB}, {}),
    ("-sINITIAL_MEMORY=64M", {}, {"INITIAL_MEMORY": "invalid byte size `64M`"}),
    ("-sINITIAL_MEMORY=0x4000000", {}, {"INITIAL_MEMORY": "invalid byte size `0x4000000`"}),
    ("-sINITIAL_MEMORY=-1", {}, {"INITIAL_MEMORY": "invalid byte size `-1`"}),
    ("\"-sINITIAL_MEMORY='64MB'\"", {}, {"INITIAL_MEMORY": "invalid byte size `'64MB'`"}),
    ("-sINITIAL_MEMORY=16*1024*1024", {}, {"INITIAL_MEMORY": "invalid byte size `16*1024*1024`"}),
    ("-sINITIAL_MEMORY=64KiB", {}, {"INITIAL_MEMORY": "Valid suffixes are: kb, mb, gb, tb"}),
    ("-sMAXIMUM_MEMORY=2G", {}, {"MAXIMUM_MEMORY": "invalid byte size `2G`"}),
    ("-sSTACK_SIZE=1.5MB", {}, {"STACK_SIZE": "invalid byte size"}),
    # aliases (mapped before the size rule, so suffixes work on them)
    ("-sTOTAL_MEMORY=64MB", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-s TOTAL_MEMORY=134217728", {"INITIAL_MEMORY": 128 * MB}, {}),
    ("-sWASM_MEM_MAX=1GB", {"MAXIMUM_MEMORY": GB}, {}),
    ("-sBINARYEN_MEM_MAX=512MB", {"MAXIMUM_MEMORY": 512 * MB}, {}),
    ("-sTOTAL_STACK=16mb", {"STACK_SIZE": 16 * MB}, {}),
    ("-sMEMORY_GROWTH_STEP=16MB", {"MEMORY_GROWTH_LINEAR_STEP": 16 * MB}, {}),
    ("-sBINARYEN=1", {"WASM": 1}, {}),
    ("-sBINARYEN_ASYNC_COMPILATION=0", {"WASM_ASYNC_COMPILATION": 0}, {}),
    ("-s RESERVED_FUNCTION_POINTERS=64", {"ALLOW_TABLE_GROWTH": 64}, {}),
    ("-sTOTAL_MEMORY=64M", {}, {"TOTAL_MEMORY": "invalid byte size `64M`"}),
    # NO_ flips, for 0 and 1 only
    ("-sNO_EXIT_RUNTIME=1", {"EXIT_RUNTIME": 0}, {}),
    ("-sNO_EXIT_RUNTIME=0", {"EXIT_RUNTIME": 1}, {}),
    ("-sNO_FILESYSTEM", {"FILESYSTEM": 0}, {}),
    ("-sNO_DISABLE_EXCEPTION_CATCHING", {"DISABLE_EXCEPTION_CATCHING": 0}, {}),
    ("-sNO_EXIT_RUNTIME=2", {}, {"NO_EXIT_RUNTIME": "non-existent setting"}),
    # booleans and ints
    ("-sEXIT_RUNTIME=true", {}, {"EXIT_RUNTIME": "use 1/0 to set boolean settings"}),
    ("-sALLOW_MEMORY_GROWTH=false", {}, {"ALLOW_MEMORY_GROWTH": "use 1/0 to set boolean settings"}),
    ("-sALLOW_MEMORY_GROWTH=2", {}, {"ALLOW_MEMORY_GROWTH": "expects `bool` but got `int`"}),
    ("-sASSERTIONS=2", {"ASSERTIONS": 2}, {}),
    ("-sSAFE_HEAP=1", {"SAFE_HEAP": 1}, {}),
    ("-sGLOBAL_BASE=1024", {"GLOBAL_BASE": 1024}, {}),
    ("-sWASM=0", {"WASM": 0}, {}),
    ("-sWASM=2", {"WASM": 2}, {}),
    ("-sMEMORY_GROWTH_GEOMETRIC_STEP=0.5", {"MEMORY_GROWTH_GEOMETRIC_STEP": 0.5}, {}),
    ("-sMEMORY_GROWTH_GEOMETRIC_STEP=1", {"MEMORY_GROWTH_GEOMETRIC_STEP": 1.0}, {}),
    ("-sPTHREAD_POOL_SIZE_STRICT=2", {"PTHREAD_POOL_SIZE_STRICT": 2}, {}),
    ("-sASSERTIONS=yes", {}, {"ASSERTIONS": "expects `int` but got `str`"}),
    # strings and untyped settings
    ("-sEXPORT_NAME=createModule", {"EXPORT_NAME": "createModule"}, {}),
    ("-s EXPORT_NAME=\"'_createPyodideModule'\"", {"EXPORT_NAME": "_createPyodideModule"}, {}),
    ("-s 'EXPORT_NAME=\"initZ3\"'", {"EXPORT_NAME": "initZ3"}, {}),
    ("-sEXPORT_NAME=\\\"'cv'\\\"", {}, {}),
    ("-sMALLOC=emmalloc", {"MALLOC": "emmalloc"}, {}),
    ("-sPTHREAD_POOL_SIZE=navigator.hardwareConcurrency", {"PTHREAD_POOL_SIZE": "navigator.hardwareConcurrency"}, {}),
    ("'-sPTHREAD_POOL_SIZE=Module[\"numThreads\"]-1'", {"PTHREAD_POOL_SIZE": 'Module["numThreads"]-1'}, {}),
    ("-sPTHREAD_POOL_SIZE=4", {"PTHREAD_POOL_SIZE": 4}, {}),
    ("-sMODULARIZE=instance", {"MODULARIZE": "instance"}, {}),
    ("-sMODULARIZE", {"MODULARIZE": 1}, {}),
    ("-sEXPORT_NAME=123", {}, {"EXPORT_NAME": "expects `str` but got `int`"}),
    # lists: JSON and relaxed forms are equivalent
    ("-sEXPORTED_FUNCTIONS=_foo,_bar", {"EXPORTED_FUNCTIONS": ["_foo", "_bar"]}, {}),
    ("-sEXPORTED_FUNCTIONS='\"_foo\",\"_bar\"'", {"EXPORTED_FUNCTIONS": ["_foo", "_bar"]}, {}),
    ("'-sEXPORTED_FUNCTIONS=[\"_foo\",\"_bar\"]'", {"EXPORTED_FUNCTIONS": ["_foo", "_bar"]}, {}),
    ("-sEXPORTED_FUNCTIONS=[_foo,_bar]", {"EXPORTED_FUNCTIONS": ["_foo", "_bar"]}, {}),
    ("-s EXPORTED_FUNCTIONS=\"[_sort, _malloc, _free]\"", {"EXPORTED_FUNCTIONS": ["_sort", "_malloc", "_free"]}, {}),
    ("-s EXPORTED_RUNTIME_METHODS='[\"ccall\", \"cwrap\"]'", {"EXPORTED_RUNTIME_METHODS": ["ccall", "cwrap"]}, {}),
    ("-sEXPORTED_RUNTIME_METHODS='wasmTable,ERRNO_CODES'", {"EXPORTED_RUNTIME_METHODS": ["wasmTable", "ERRNO_CODES"]}, {}),
    ("-sENVIRONMENT=web,webview,worker,node,shell", {"ENVIRONMENT": ["web", "webview", "worker", "node", "shell"]}, {}),
    ("-s ENVIRONMENT='web,node,worker'", {"ENVIRONMENT": ["web", "node", "worker"]}, {}),
    ("-sENVIRONMENT=node", {"ENVIRONMENT": ["node"]}, {}),
    ("-sEXPORTED_FUNCTIONS=", {"EXPORTED_FUNCTIONS": []}, {}),
    ("-sEXPORTED_FUNCTIONS=[]", {"EXPORTED_FUNCTIONS": []}, {}),
    ("-sEXPORTED_FUNCTIONS=_a,,_b", {}, {"EXPORTED_FUNCTIONS": "empty value in string list"}),
    ("-sEXPORTED_FUNCTIONS=[_a,_b", {}, {"EXPORTED_FUNCTIONS": "unterminated string list"}),
    ("-s EXPORTED_FUNCTIONS=@src/exported_functions.json", {"EXPORTED_FUNCTIONS": {"file": "src/exported_functions.json"}}, {}),
    ("-sINCOMING_MODULE_JS_API=[locateFile,instantiateWasm,wasmBinary]",
     {"INCOMING_MODULE_JS_API": ["locateFile", "instantiateWasm", "wasmBinary"]}, {}),
    # last occurrence wins
    ("-sINITIAL_MEMORY=32MB -sINITIAL_MEMORY=64MB", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-sTOTAL_MEMORY=32MB -sINITIAL_MEMORY=64MB", {"INITIAL_MEMORY": 64 * MB}, {}),
    ("-sINITIAL_MEMORY=64MB -sTOTAL_MEMORY=32MB", {"INITIAL_MEMORY": 32 * MB}, {}),
    ("-sALLOW_MEMORY_GROWTH=1 -sALLOW_MEMORY_GROWTH=0", {"ALLOW_MEMORY_GROWTH": 0}, {}),
    ("-sASSERTIONS=1 -O2 -sASSERTIONS=0", {"ASSERTIONS": 0}, {}),
    # names emcc does not know / internal settings
    ("-sALLOW_MEMORY_GROWH=1", {}, {"ALLOW_MEMORY_GROWH": "did you mean one of ALLOW_MEMORY_GROWTH"}),
    ("-sPTHREADS=1", {}, {"PTHREADS": "internal setting"}),
    ("-sUSE_PTHREADS=2", {}, {"USE_PTHREADS": "No longer needed. Use -pthread instead"}),
    ("-sNODEJS_CATCH_EXIT=1", {}, {"NODEJS_CATCH_EXIT": "invalid command line setting `-sNODEJS_CATCH_EXIT=1`"}),
    ("-sNODEJS_CATCH_EXIT=0", {}, {}),
]

# (arguments, pthreads, memory64, lld -s / lower-case spellings)
THREAD_CASES = [
    ("-pthread", True, False, []),
    ("-fopenmp", True, False, []),
    ("-fopenmp=libomp", True, False, []),
    ("-sUSE_PTHREADS=1", True, False, []),
    ("-sUSE_PTHREADS", True, False, []),
    ("-pthread -sUSE_PTHREADS=0", False, False, []),
    ("-sUSE_PTHREADS=0 -pthread", False, False, []),
    ("-fopenmp -sUSE_PTHREADS=0", False, False, []),
    ("-s WASM_BIGINT -s -pthread -s USE_PTHREADS=1", True, False, ["-pthread"]),
    ("-sallow_memory_growth", False, False, ["allow_memory_growth"]),
    ("-s allow_memory_growth=1", False, False, ["allow_memory_growth=1"]),
    ("-m64", False, True, []),
    ("--target=wasm64", False, True, []),
    ("-target wasm64-unknown-emscripten", False, True, []),
    ("-sMEMORY64=1", False, True, []),
    ("-m64 -m32", False, False, []),
]


def _argv(text: str) -> list[Tok]:
    index = LineIndex(text, "flags.txt")
    return [Tok(p, index) for p in shell_split(PStr.source(text, 0))]


def _facts(text: str):
    facts = build_facts(_argv(text), Span("flags.txt"))
    inv = next(f for f in facts if f.kind == "emcc-invocation")
    return inv, [f for f in facts if f.kind == "emcc-setting"]


def test_table_is_large_enough():
    assert len(CASES) + len(THREAD_CASES) >= 80


@pytest.mark.parametrize("args,settings,errors", CASES, ids=[c[0] for c in CASES])
def test_emcc_verdict(args, settings, errors):
    inv, uses = _facts(args)
    for name, value in settings.items():
        assert inv.settings.get(name) == value, (name, inv.settings)
        assert type(inv.settings.get(name)) is type(value)
    got = {u.spelling: u.error for u in uses if u.error}
    assert set(got) == set(errors), got
    for spelling, text in errors.items():
        assert text in got[spelling]
    if errors:
        assert not any(n in inv.settings for n in settings)


@pytest.mark.parametrize("args,pthreads,memory64,not_settings", THREAD_CASES, ids=[c[0] for c in THREAD_CASES])
def test_threads_and_memory64(args, pthreads, memory64, not_settings):
    inv, uses = _facts(args)
    assert inv.pthreads is pthreads
    assert inv.effective["shared_memory"] is pthreads
    assert inv.effective["memory64"] is memory64
    assert [u.spelling for u in uses if u.problem == "not-a-setting"] == not_settings


@pytest.mark.parametrize("args,name,value", [
    ("-s EXTRA_EXPORTED_RUNTIME_METHODS=\"['ccall','cwrap']\"", "EXTRA_EXPORTED_RUNTIME_METHODS", ["ccall", "cwrap"]),
    ("-s DEMANGLE_SUPPORT=1", "DEMANGLE_SUPPORT", 1),
    ("-s BINARYEN_TRAP_MODE=clamp", "BINARYEN_TRAP_MODE", "clamp"),
    ("-sUSE_ES6_IMPORT_META=0", "USE_ES6_IMPORT_META", 0),
])
def test_removed_setting_is_still_on_the_link(args, name, value):
    """A legacy setting newer emcc rejects (older releases took it) is an error on its
    use, and the link still shows what the command passes (stockfish.wasm's Makefile)."""
    inv, uses = _facts(args)
    assert [u.problem for u in uses] == ["invalid-value"]
    assert uses[0].error.startswith(f"invalid command line setting `-s{name}=")
    assert uses[0].value is None
    assert inv.settings[name] == value and inv.spellings[name] == name


def test_spellings_keep_the_name_as_written():
    inv, _ = _facts("-s TOTAL_MEMORY=64MB -sNO_EXIT_RUNTIME=1 -sWASM_MEM_MAX=1GB")
    assert inv.spellings == {"INITIAL_MEMORY": "TOTAL_MEMORY", "EXIT_RUNTIME": "NO_EXIT_RUNTIME",
                             "MAXIMUM_MEMORY": "WASM_MEM_MAX"}


def test_compile_only_is_not_a_link():
    assert build_facts(_argv("-c -sINITIAL_MEMORY=64MB src/a.c -o a.o"), Span("f")) == []


@pytest.mark.parametrize("args,version,initial,maximum", [
    ("", None, 16 * MB + 64 * 1024, 16 * MB + 64 * 1024),             # 3.1.55+: INITIAL_HEAP + stack
    ("", "3.1.18", 16 * MB, 16 * MB),
    ("-sALLOW_MEMORY_GROWTH", None, 16 * MB + 64 * 1024, 2 * GB),
    ("-sALLOW_MEMORY_GROWTH", "1.39.11", 16 * MB, None),               # no default maximum before 1.39.12
    ("-sALLOW_MEMORY_GROWTH -sMAXIMUM_MEMORY=512MB", None, 16 * MB, 512 * MB),
    ("-sALLOW_MEMORY_GROWTH -sINITIAL_MEMORY=3GB", None, 3 * GB, 4 * GB),
    ("-sINITIAL_MEMORY=64MB -sMAXIMUM_MEMORY=256MB", None, 64 * MB, 64 * MB),   # max ignored without growth
    ("-pthread", None, 16 * MB, 16 * MB),                              # imported memory: the 16 MiB default
    ("-sSTACK_SIZE=5MB", None, 16 * MB + 5 * MB, 16 * MB + 5 * MB),
])
def test_effective_layout(args, version, initial, maximum):
    facts = build_facts(_argv(args), Span("f"), version=version)
    eff = facts[0].effective
    assert (eff["initial_memory"], eff["maximum_memory"]) == (initial, maximum)


def test_emcc_cflags_are_appended_last():
    facts = build_facts(_argv("-sINITIAL_MEMORY=32MB"), Span("f"), extra=_argv("-sINITIAL_MEMORY=64MB"))
    assert facts[0].settings["INITIAL_MEMORY"] == 64 * MB


def test_response_file_expansion_and_refusal():
    rsp = _argv("-sINITIAL_MEMORY=48MB -pthread")

    def read(tok):
        return rsp if tok.value == "@flags.rsp" else "response file `@/etc/passwd` is outside the project; not read"
    problems: list = []
    facts = build_facts(_argv("@flags.rsp @/etc/passwd"), Span("f"), read_response=read, problems=problems)
    assert facts[0].settings["INITIAL_MEMORY"] == 48 * MB and facts[0].pthreads
    assert [msg for _tok, msg in problems] == ["response file `@/etc/passwd` is outside the project; not read"]


@pytest.mark.parametrize("args,release,dwarf", [
    # emcc.rst `-g<level>`: -g1 keeps JS whitespace, -g2 function names; DWARF from -g/-g3 on
    ("-O3 -g1", True, []),
    ("-O3 -g2", True, []),
    ("-O3 -g", True, ["-g"]),
    ("-O3 -g3", True, ["-g3"]),
    ("-O2 -gdwarf-5", True, ["-gdwarf-5"]),
    ("-O2 -g -g0", True, []),                                     # -g0 resets what came before
    ("-Oz -g -gseparate-dwarf", True, []),                        # DWARF goes to a side file
    # a debug flag set stays debug when -O3 is appended (ASYNCIFY needs it)
    ("-O0 -sASSERTIONS=2 -O3 -sASYNCIFY", False, []),
    ("-gsource-map -O3", False, []),
    ("-O3 --source-map-base http://localhost/", False, []),
    ("-O3 -sASSERTIONS=1", True, []),
    ("-O3 -o build/debug/app.js", False, []),
    ("-O3 -o dist/device.js", True, []),                          # a word of the name, not a part of one
])
def test_release_and_shipped_dwarf(args, release, dwarf):
    inv, _ = _facts(args)
    assert (inv.release, inv.dwarf_flags) == (release, dwarf)
