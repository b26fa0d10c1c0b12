"""Ecosystem conventions: the scope a path or a name says, when the project
graph does not decide.

Folders (any component of the project-relative path; the deepest one that says
something wins, so ``test/fixtures/x.wasm`` is a fixture, but dev tooling inside a
fixture or an example is still that fixture or example): npm/Jest/Mocha
``test``/``__tests__``/``spec``, ``testbeds``, ``harness``, Rust ``tests``/``benches``/``examples``, ``perf``, Go
``testdata``, docs sites, dev tooling folders; an npm scope folder by its name after ``@``
(``packages/@tests/``). File names: ``*.test.js``,
``*.spec.ts``, ``*_test.go``, ``*_tests.js``, ``*.bench.js``, linter/bundler/test-runner configs,
and launch files named for a purpose (``Dockerfile.dev``,
``docker-compose.test.yml``, ``Procfile.dev``, ``run-e2e.sh``). Unit names (package.json scripts,
compose services, CI jobs) are split into words: ``test:unit`` says test.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import QUIET, Scoped

FOLDERS: dict[str, str] = {
    # `testbed(s)/`: manual test projects run against the packages (vscode-wasm's testbeds/,
    # Box2D's Testbed/ app of test scenes)
    **dict.fromkeys(("test", "tests", "__tests__", "spec", "specs", "e2e", "__mocks__", "unittests",
                     "unit-tests", "integration-tests", "cypress", "testbed", "testbeds",
                     # `harness/`: a crate or folder of test drivers (tlsn's crates/harness, wabt's test/harness)
                     "harness",
                     # a fuzzer's targets: cargo-fuzz's and libFuzzer's `fuzz/`, oss-fuzz's `fuzzing/`
                     "fuzz", "fuzzing", "fuzzer", "fuzzers"), "test"),
    # `perf/`: performance benchmarks (turso's perf/latency/, lodestar's test/perf/), as the unit word `perf`
    **dict.fromkeys(("bench", "benches", "benchmark", "benchmarks", "__benchmarks__", "perf"), "bench"),
    **dict.fromkeys(("example", "examples", "demo", "demos", "sample", "samples", "playground"), "example"),
    **dict.fromkeys(("fixture", "fixtures", "__fixtures__", "testdata", "test-data", "test_data",
                     "__snapshots__", "corpus", "corpora"), "fixture"),
    **dict.fromkeys(("docs", "doc", "website", "documentation"), "docs"),
    **dict.fromkeys(("scripts", "tools", ".github", ".husky", ".circleci", ".devcontainer", ".vscode"),
                    "tooling"),
}

# file names, lower-cased; the first that matches wins
_FILE_NAMES: tuple[tuple[re.Pattern, str, str], ...] = tuple((re.compile(p), s, why) for p, s, why in (
    # and its numbered variants kept beside it (`test2.js`, `test3a.js`, `test_2.py`: reproduction
    # scripts run by hand, as wasm-worker-memory-test's beside its test.js)
    (r".+[._-](tests?|specs?)\.[^.]+$|^(tests?|specs?)([_-]?\d+[a-z]?)?\.[^.]+$", "test", "a test file by its name"),
    # what tests share: test-utils.ts, test_helpers.py, populate_test_data.ts, testSetup.js
    (r"(.*[._-])?test[._-]?(utils?|helpers?|data|setup|support|harness|fixtures?)([._-].*)?$",
     "test", "test support by its name"),
    (r"^(jest|vitest|playwright|cypress|karma|ava|wdio)\.conf(ig)?\.[^.]+$|^\.mocharc\.|^\.taprc$",
     "test", "a test runner's configuration"),
    # a fuzzer: binaryen's scripts/fuzz_opt.py, fuzz.sh, run-fuzzer.js (its seeds are fixtures, below)
    (r"^(.*[._-])?fuzz(er|ers|ing)?([._-].*)?\.[^.]+$", "test", "a fuzzer by its name"),
    (r".+[._-](bench|benchmark)\.[^.]+$|^(bench|benchmarks?)\.[^.]+$",
     "bench", "a benchmark by its name"),
    (r"^(example|demo)\.[cm]?[jt]sx?$|^(example|demo)[_-][^.]+\.[^.]+$", "example", "an example by its name"),
    (r"^(vite|webpack|rollup|esbuild|tsup|babel|eslint|prettier|commitlint|lint-staged|postcss|tailwind)"
     r"\.config\.[^.]+$|^\.(eslintrc|prettierrc|babelrc)(\.[^.]+)?$|^(gulpfile|gruntfile)\.[^.]+$",
     "tooling", "a linter's or bundler's configuration"),
))

# launch files named for a purpose: Dockerfile.dev, docker-compose.test.yml, Procfile.dev, run-e2e.sh
NAMED_KINDS = frozenset(("dockerfile", "compose", "procfile", "pm2", "systemd", "shell"))

NAME_WORDS: dict[str, str] = {
    # `make check` is autotools' test suite; a `check` job or script verifies, it ships nothing
    **dict.fromkeys(("test", "tests", "spec", "specs", "e2e", "coverage", "cov", "repro", "check", "checks",
                     "memcheck", "fuzz", "fuzzer", "fuzzing"), "test"),     # valgrind's leak check, a Makefile's `memcheck-*` target
    **dict.fromkeys(("bench", "benches", "benchmark", "benchmarks", "perf"), "bench"),
    **dict.fromkeys(("example", "examples", "demo", "demos", "sample", "samples", "playground"), "example"),
    **dict.fromkeys(("docs", "doc", "typedoc", "jsdoc", "website"), "docs"),
    **dict.fromkeys(("dev", "develop", "development", "debug", "watch", "lint", "format", "fmt",
                     "typecheck", "profile", "storybook", "codegen", "generate", "gen", "local"), "tooling"),
}
_WORD_SPLIT = re.compile(r"[\s:_./-]+")
_FOLDER_WORD_SPLIT = re.compile(r"[_.-]+")


# a fuzzer's seed inputs: libFuzzer's and cargo-fuzz's `corpus/` (a fixture folder above),
# AFL's `-i in/`, `seeds/`; named so inside a fuzz folder or with a fuzz word (`fuzz-in/`)
FUZZ_WORDS = frozenset(("fuzz", "fuzzing", "fuzzer", "fuzzers", "afl", "libfuzzer"))
FUZZ_INPUT_WORDS = frozenset(("in", "input", "inputs", "seed", "seeds", "testcases"))


def _fuzz_input_scope(parts: list[str], depth: int) -> str | None:
    """``fuzz-in/``, ``fuzz_seeds/``, ``fuzz/seeds/``, ``fuzzing/in/``: a fuzzer's seed corpus."""
    words = set(_FOLDER_WORD_SPLIT.split(parts[depth].lower()))
    if not words & FUZZ_INPUT_WORDS:
        return None
    around = words | (set(_FOLDER_WORD_SPLIT.split(parts[depth - 1].lower())) if depth else set())
    return "fixture" if around & FUZZ_WORDS else None


def _compound_folder_scope(name: str) -> str | None:
    """What a folder name made of words says when one of them names a test, bench,
    example, fixture or docs folder (``example-builds``, ``e2e-tests``, ``sahpool-demo``)."""
    words = _FOLDER_WORD_SPLIT.split(name.lower())
    return next((FOLDERS[w] for w in words if FOLDERS.get(w) in QUIET), None) if len(words) > 1 else None


def _unscoped(name: str) -> str:
    """A folder's name as a convention reads it: an npm scope folder of a monorepo
    (``packages/@tests/aqua``, js-client's private test packages) by the name after its ``@``."""
    return name.lower().removeprefix("@")


def folder_scope(rel: str) -> Scoped | None:
    """The deepest folder of ``rel`` (a project-relative file path) that a convention
    names; a tooling folder inside a test, fixture, bench, example or docs folder
    (``test/fixtures/app/.github/``, ``examples/x/scripts/``) is part of that one.
    A conventional name (``examples/``) says more than a name that holds such a word
    (``examples/demo-server/``, ``core/example-builds/``), which counts only without one."""
    folder = rel.split("#", 1)[0].rpartition("/")[0]
    return _folder_scope(folder) if folder else None


@lru_cache(maxsize=4096)
def _folder_scope(folder: str) -> Scoped | None:
    """``folder_scope`` of a file in ``folder``: a function of the folder alone, worked out
    once per folder (a run's thousands of files and build outputs sit in a few folders)."""
    parts = folder.split("/")
    tooling = None
    for named in (lambda p, d: FOLDERS.get(_unscoped(p[d])) or _fuzz_input_scope(p, d),
                  lambda p, d: _compound_folder_scope(p[d])):
        for depth in range(len(parts) - 1, -1, -1):
            scope = named(parts, depth)
            said = Scoped(scope, f"under `{'/'.join(parts[:depth + 1])}/`") if scope else None
            if said is not None and scope != "tooling":
                return said
            tooling = tooling or said
    return tooling


def file_scope(rel: str, kind: str | None = None) -> Scoped | None:
    """What the file's own name says (``*.test.js``, ``Dockerfile.dev``)."""
    name = rel.split("#", 1)[0].rsplit("/", 1)[-1]
    for pattern, scope, why in _FILE_NAMES:
        if pattern.match(name.lower()):
            return Scoped(scope, f"{why} (`{name}`)")
    return name_scope(name) if kind in NAMED_KINDS else None


# folders that hold copies of other projects (golangci-lint skips `vendor` and
# `third_party` by default; CMake projects keep theirs in `external/`, `extern/`)
VENDOR_FOLDERS = frozenset(("third_party", "third-party", "thirdparty", "3rdparty", "3rd-party", "3rd_party",
                            "vendor", "vendored", "external", "extern"))
# what a vendored copy ships into this project's build: read as the project's own
SHIPPED_KINDS = frozenset(("wasm", "js"))


def vendored_scope(rel: str, kind: str | None) -> Scoped | None:
    """A build or launch file of a vendored project (``external/basis_universal/webgl/
    CMakeLists.txt``): it builds that project, not this one, unless this project's own
    build reaches it (the graph decides first). Its modules and JavaScript may ship here."""
    path = rel.split("#", 1)[0]
    if kind in SHIPPED_KINDS or path.lower().endswith((".wasm", ".js", ".mjs", ".cjs")):
        return None
    parts = path.split("/")[:-1]
    at = next((i for i, p in enumerate(parts) if p.lower() in VENDOR_FOLDERS), None)
    if at is None or at + 1 >= len(parts):
        return None     # the folder's own files (`external/CMakeLists.txt`) are this project's glue
    return Scoped("vendored", f"under `{'/'.join(parts[:at + 2])}/`, a copy of another project")


def path_scope(rel: str, kind: str | None = None) -> Scoped | None:
    """A file's scope by convention: its name, else its folders. Dev tooling by its name
    (``vite.config.js``) inside a test, bench, example, fixture or docs folder is part of
    that folder's project (``examples/editor/vite.config.js`` builds an example)."""
    by_name, by_folder = file_scope(rel, kind), folder_scope(rel)
    if (by_folder is None or by_folder.scope == "tooling") and (by_name is None or by_name.scope == "tooling"):
        by_folder = vendored_scope(rel, kind) or by_folder
    if by_name is not None and by_name.scope == "tooling" and by_folder is not None and by_folder.scope in QUIET:
        return Scoped(by_folder.scope, f"{by_name.reason}, {by_folder.reason}")
    return by_name or by_folder


def name_scope(name: str) -> Scoped | None:
    """What a unit's name says: ``test:unit``, ``bench``, ``start:dev``, ``e2e-tests``.
    npm's ``pre``/``post`` scripts (``pretest``) belong with their script."""
    for word in words_of(name):
        for w in (word, word.removeprefix("pre"), word.removeprefix("post")):
            if w in NAME_WORDS:
                return Scoped(NAME_WORDS[w], f"named `{name}`")
        if word.endswith(("bench", "benchmark")) and word != "workbench":
            return Scoped("bench", f"named `{name}`")     # `codecbench`, `microbench`: one word
    return None


# where a CamelCase name's words meet: `CDemo` → C|Demo, `TestRunner` → Test|Runner
CAMEL_JOIN = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def artifact_name_scope(name: str) -> Scoped | None:
    """What a build output's name says: its words as ``name_scope`` reads them, also when
    written in CamelCase, as C and C++ targets are (solvespace's C API demo ``CDemo``,
    ``ExampleViewer``, ``TestRunner``)."""
    return name_scope(name) or name_scope(CAMEL_JOIN.sub("_", name))


def words_of(name: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(name.lower()) if w]


def named_role(label: str, name: str) -> Scoped:
    """A deployment unit (compose service, PM2 app, Procfile process, …): production,
    unless its name says otherwise (a compose service ``tests``, a Procfile ``dev``)."""
    said = name_scope(name)
    return Scoped(said.scope, f"{label}, by its name") if said else Scoped("production", label)
