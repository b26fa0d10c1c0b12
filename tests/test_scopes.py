"""Production scope: conventions, what commands run, configuration, rule scopes,
``--scope``, and what ``check``, ``inspect`` and ``inspect --graph`` say on the
projects in tests/projects (the graph first, then conventions)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, PROJECTS, materialise, run_cli
from wasmlint.ruleset import RuleError, parse_rule
from wasmlint.scopes import DEFAULT_REPORTED, SCOPES
from wasmlint.scopes.commands import command_scope, unit_scope
from wasmlint.scopes.conventions import path_scope

CHECK = ["check", "--output-format", "concise", "--no-cache", "--jobs", "1"]
DEMO = Path(__file__).parent.parent / "examples" / "demo"


@pytest.mark.parametrize("rel,kind,scope,reason", [
    ("test/index.test.js", "js", "test", "a test file by its name (`index.test.js`)"),
    ("src/__tests__/codec.js", "js", "test", "under `src/__tests__/`"),
    ("pkg/codec_test.go", None, "test", "a test file by its name (`codec_test.go`)"),
    ("test/fixtures/truncated.wasm", "wasm", "fixture", "under `test/fixtures/`"),
    ("internal/testdata/a.wasm", "wasm", "fixture", "under `internal/testdata/`"),
    ("benches/decode.rs", None, "bench", "under `benches/`"),
    ("src/decode.bench.js", "js", "bench", "a benchmark by its name (`decode.bench.js`)"),
    ("packages/webp/examples/with-node/index.js", "js", "example", "under `packages/webp/examples/`"),
    ("examples/test/smoke.js", "js", "test", "under `examples/test/`"),
    ("website/src/main.js", "js", "docs", "under `website/`"),
    ("scripts/release.sh", "shell", "tooling", "under `scripts/`"),
    ("vite.config.ts", "js", "tooling", "a linter's or bundler's configuration (`vite.config.ts`)"),
    # a bundler config inside an example builds that example
    ("examples/markdown-editor/vite.config.js", "js", "example",
     "a linter's or bundler's configuration (`vite.config.js`), under `examples/`"),
    ("test/app/Dockerfile.dev", "dockerfile", "test", "named `Dockerfile.dev`, under `test/`"),
    ("Dockerfile.dev", "dockerfile", "tooling", "named `Dockerfile.dev`"),
    ("docker-compose.test.yml", "compose", "test", "a test file by its name (`docker-compose.test.yml`)"),
    ("Procfile.dev", "procfile", "tooling", "named `Procfile.dev`"),
    ("core/example-builds/core-0-3-7.wasm", "wasm", "example", "under `core/example-builds/`"),
    ("packages/e2e-tests/run.js", "js", "test", "under `packages/e2e-tests/`"),
    ("ext/wasm/sahpool-demo/worker.js", "js", "example", "under `ext/wasm/sahpool-demo/`"),
])
def test_path_conventions(rel, kind, scope, reason):
    said = path_scope(rel, kind)
    assert (said.scope, said.reason) == (scope, reason)


@pytest.mark.parametrize("rel,kind", [
    ("src/latest.js", "js"), ("src/debug.js", "js"), ("lib/contest.wasm", "wasm"), ("build.sh", "shell"),
    ("deploy/api.service", "systemd"), ("Dockerfile", "dockerfile"), ("dist/index.mjs", "js"),
    ("src/latest-build/a.js", "js"), ("build-tools/gen.js", "js"), ("contest-results/a.wasm", "wasm"),
])
def test_paths_no_convention_names(rel, kind):
    assert path_scope(rel, kind) is None


@pytest.mark.parametrize("command,scope,reason", [
    ("jest --coverage", "test", "runs `jest`, a test runner"),
    ("npx cross-env CI=1 vitest run", "test", "runs `vitest`, a test runner"),
    ("vitest bench", "bench", "runs `vitest bench`, a benchmark runner"),
    ("node --test test/", "test", "runs `node --test`"),
    ("node --watch src/server.js", "tooling", "runs `node --watch`"),
    ("NODE_ENV=test node bench/run.js", "bench", "runs `bench/run.js` (under `bench/`)"),
    ("vite --port 3000", "tooling", "runs `vite`, a dev server or watcher"),
    ("webpack serve --mode development", "tooling", "runs `webpack serve`, a dev server or watcher"),
    ("nodemon src/server.js", "tooling", "runs `nodemon`, a dev server or watcher"),
    ("eslint . --fix", "tooling", "runs `eslint`, a linter or type check"),
    ("typedoc src/index.ts", "docs", "runs `typedoc`, a docs generator"),
    ("pnpm exec playwright test", "test", "runs `playwright test`, a test runner"),
    ("cargo test --target wasm32-wasip1", "test", "runs `cargo test`, a test runner"),
    ("npm publish --access public", "production", "runs `npm publish`, a publish or deploy step"),
    ("./node_modules/.bin/mocha test/", "test", "runs `mocha`, a test runner"),
])
def test_what_a_command_runs(command, scope, reason):
    said = command_scope(command.split())
    assert (said.scope, said.reason) == (scope, reason)


@pytest.mark.parametrize("command", ["vite build", "rollup -c", "tsc -p .", "node src/server.js",
                                     "emcc -O3 hash.c -o dist/hash.js", "npm run build", "wasm-pack build",
                                     "./bin/serve dist/server.js", "scripts/watch --once"])
def test_builds_and_plain_launches_say_nothing(command):
    assert command_scope(command.split()) is None


def test_a_script_is_what_it_runs_before_what_it_is_called():
    assert unit_scope("script `start`", "start", [["vite"]], ("start",)).scope == "tooling"
    ci = unit_scope("script `ci`", "ci", [["eslint", "."], ["jest"], ["rollup", "-c"]])
    assert (ci.scope, ci.reason) == ("test", "script `ci` runs `jest`, a test runner")
    assert unit_scope("script `bench:x`", "bench:x", [["node", "x.js"]]).reason == "script `bench:x`, by its name"
    assert unit_scope("script `start`", "start", [["node", "server.js"]], ("start",)).scope == "production"
    assert unit_scope("script `serve`", "serve", [["node", "server.js"]], ("start",)) is None


def test_rule_scopes_are_validated():
    raw = {"code": "WL999", "name": "x", "severity": "info", "facts": ["memory"]}
    assert parse_rule(raw, "WL999.toml").scopes == DEFAULT_REPORTED
    assert parse_rule({**raw, "scopes": "all"}, "WL999.toml").scopes == SCOPES
    with pytest.raises(RuleError, match=r"WL999.toml: `scopes`: unknown scope `tests`"):
        parse_rule({**raw, "scopes": ["production", "tests"]}, "WL999.toml")


def _library(tmp_path: Path) -> Path:
    work = materialise(PROJECTS / "library-layout", tmp_path)
    (work / ".git").mkdir()      # the project's root, for `check FILE` and `inspect FILE`
    return work


def _lines(out: str) -> list[str]:
    return sorted(line for line in out.splitlines() if line.strip())


def test_scope_all_from_configuration_and_a_list_from_the_command_line(tmp_path):
    work = _library(tmp_path)
    everything = _lines((PROJECTS / "library-layout" / "expected.scope-all.txt").read_text())
    (work / ".wasmlint.toml").write_text('scope = "all"\n')
    assert _lines(run_cli([*CHECK, "."], work)[1]) == everything
    (work / ".wasmlint.toml").unlink()
    _, out, _ = run_cli([*CHECK, "--scope", "test,fixture", "."], work)
    assert [line.split(":")[0] for line in _lines(out)] == [
        "test/fixtures/truncated.wasm", "test/index.test.js", "test/index.test.js"]


def test_configuration_scopes_override_the_graph_and_conventions(tmp_path):
    work = _library(tmp_path)
    (work / ".wasmlint.toml").write_text('[scopes]\n"examples/browser/**" = "production"\n'
                                         '"examples/demo-server/**" = "example"\n')
    _, out, _ = run_cli([*CHECK, "."], work)
    paths = [line.split(":")[0] for line in _lines(out)]
    assert "examples/browser/main.js" in paths and "examples/demo-server/index.js" not in paths
    _, out, _ = run_cli(["inspect", "--format", "json", "examples/browser/main.js"], work)
    entry = json.loads(out)
    assert (entry["scope"], entry["scope_reason"]) == (
        "production", "configuration scopes glob `examples/browser/**`")


@pytest.mark.parametrize("config,message", [
    ('[scopes]\n"demo/**" = "examples"\n', '`scopes."demo/**"`: unknown scope `examples`'),
    ('scope = ["production", "benches"]\n', "`scope`: unknown scope `benches`"),
])
def test_unknown_scope_names_are_configuration_errors(tmp_path, config, message):
    work = _library(tmp_path)
    (work / ".wasmlint.toml").write_text(config)
    rc, _, err = run_cli([*CHECK, "."], work)
    assert rc == 2 and ".wasmlint.toml" in err and message in err


def test_unknown_scope_on_the_command_line(tmp_path):
    rc, _, err = run_cli([*CHECK, "--scope", "prod", "."], _library(tmp_path))
    assert rc == 2 and "`--scope`: unknown scope `prod`" in err


def test_json_diagnostics_carry_their_scope(tmp_path):
    _, out, _ = run_cli(["check", "--scope", "all", "--output-format", "json", "--no-cache", "."],
                        _library(tmp_path))
    scopes = {(d["path"], d["code"]): d["scope"] for d in json.loads(out)}
    assert scopes[("dist/hash.wasm", "WL101")] == "production"
    assert scopes[("examples/demo-server/index.js", "WL302")] == "production"
    assert scopes[("bench/index.js", "WL302")] == "bench"
    assert scopes[("package.json", "WL211")] == "bench"
    assert scopes[("examples/browser/main.js", "WL402")] == "example"
    assert scopes[("test/fixtures/truncated.wasm", "WL001")] == "fixture"


def test_a_file_given_alone_keeps_its_scope(tmp_path):
    work = _library(tmp_path)
    rc, out, _ = run_cli([*CHECK, "test/index.test.js"], work)
    assert rc == 0 and out == ""
    _, out, _ = run_cli([*CHECK, "--scope", "all", "test/index.test.js"], work)
    assert [line.split(": ")[-1][-7:] for line in _lines(out)] == ["[WL101]", "[WL107]"]


def test_inspect_shows_each_files_scope_and_why(tmp_path):
    work = _library(tmp_path)
    _, out, _ = run_cli(["inspect", "--format", "json", "bench/index.js", "dist/index.cjs", "package.json"], work)
    by_path = {e["path"]: e for e in json.loads(out)}
    assert (by_path["bench/index.js"]["scope"], by_path["bench/index.js"]["scope_reason"]) == (
        "bench", "under `bench/`")
    assert by_path["dist/index.cjs"]["scope"] == "production"
    scripts = {f["unit"]: (f["scope"], f["scope_reason"]) for f in by_path["package.json"]["facts"]
               if f["kind"] == "node-launch"}
    assert scripts["script demo"] == (
        "example", "script `demo` runs `examples/demo-server/index.js` (under `examples/`)")
    assert scripts["script bench:liftoff"] == ("bench", "script `bench:liftoff` runs `bench/index.js` (under `bench/`)")


def test_graph_wins_over_conventions(tmp_path):
    _, out, _ = run_cli(["inspect", "--graph", "--format", "json", "."], _library(tmp_path))
    nodes = {n["id"]: n for n in json.loads(out)["nodes"]}
    demo = nodes["examples/demo-server/index.js"]
    assert (demo["scope"], demo["scope_reason"]) == ("production", "reached from Procfile process `web` (Procfile:1)")
    assert nodes["examples/demo-server/hash-worker.js"]["scope"] == "production"
    assert (nodes["examples/browser/main.js"]["scope"], nodes["examples/browser/main.js"]["scope_reason"]) == (
        "example", "under `examples/`")
    assert nodes["dist/index.mjs"]["scope_reason"] == "reached from package.json `module`"
    bench = [n for n in nodes.values() if n["kind"] == "node-launch" and n["id"].startswith("launch:bench/")]
    assert [(n["scope"], n["scope_reason"]) for n in bench] == [("bench", "script `start`, under `bench/`")]


def test_monorepo_examples_of_a_package(tmp_path):
    work = materialise(PROJECTS / "monorepo-examples", tmp_path)
    _, out, _ = run_cli(["inspect", "--graph", "--format", "json", "."], work)
    nodes = {n["id"]: n for n in json.loads(out)["nodes"]}
    assert nodes["packages/webp/decode.ts"]["scope_reason"] == "reached from packages/webp/package.json `main`"
    assert nodes["packages/webp/codec/dec/webp_dec.wasm"]["scope"] == "production"
    assert nodes["packages/webp/examples/with-node/index.js"]["scope"] == "example"


def test_the_demo_checked_as_its_own_project_shows_its_findings(tmp_path):
    """``wasmlint check examples/demo`` from a repository's root judges the demo as a
    project (its findings are reported); ``check .`` sees an example and is quiet."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(DEMO, tmp_path / "examples" / "demo")
    rc, inside, _ = run_cli([*CHECK, "."], tmp_path / "examples" / "demo")
    rc_sub, sub, _ = run_cli([*CHECK, "examples/demo"], tmp_path)
    assert rc == rc_sub == 1 and len(_lines(inside)) >= 10

    def places(out: str, prefix: str = "") -> list[tuple[str, str]]:
        return sorted((prefix + line.split(": ")[0], line[-7:]) for line in _lines(out))

    assert places(sub) == places(inside, "examples/demo/")
    rc, root, _ = run_cli([*CHECK, "."], tmp_path)
    assert rc == 0 and root == ""


def test_what_a_hosting_config_publishes_is_production(tmp_path):
    work = materialise(PROJECTS / "static-site", tmp_path)
    (work / ".git").mkdir()
    _, out, _ = run_cli(["inspect", "--format", "json", "public/demo/solver-worker.js", "tests/e2e/solver.spec.js"],
                        work)
    by_path = {e["path"]: (e["scope"], e["scope_reason"]) for e in json.loads(out)}
    assert by_path == {"public/demo/solver-worker.js": ("production", "served by firebase.json (firebase)"),
                       "tests/e2e/solver.spec.js": ("test", "a test file by its name (`solver.spec.js`)")}


def test_modules_of_a_vendored_copy_with_its_own_build(tmp_path):
    """Only the module that the copy alone uses is vendored: one this project's build writes
    into the copy is this project's, and a copy without a build of its own is shipped as is."""
    work = materialise(FIXTURES / "WL101" / "vendored-copy-prebuilt-module", tmp_path)
    (work / ".git").mkdir()
    _, out, _ = run_cli(["inspect", "--format", "json", "external/basisu/python/basisu_py/wasm/transcoder_st.wasm",
                         "external/basisu/webgl/transcoder/build/basis_transcoder.wasm", "external/jbig2/jbig2.wasm"],
                        work)
    scopes = {e["path"].rsplit("/", 1)[-1]: e["scope"] for e in json.loads(out)}
    assert scopes == {"transcoder_st.wasm": "vendored", "basis_transcoder.wasm": "production",
                      "jbig2.wasm": "unknown"}


def test_modules_named_after_demo_sources_are_the_demos_builds(tmp_path):
    """A committed module named after a program's source in a demos folder beside it is that
    demo's build, also in a copy of the library inside another project; one named after the
    library's own source is not decided so."""
    copy = tmp_path / "app" / "src" / "gfx"
    copy.mkdir(parents=True)
    materialise(FIXTURES / "WL101" / "demo-modules-named-after-demo-sources", copy).rename(copy / "raster")
    work = tmp_path / "app"
    (work / ".git").mkdir()
    lib = "src/gfx/raster"
    _, out, _ = run_cli(["inspect", "--format", "json", f"{lib}/wasm/spin.wasm", f"{lib}/wasm/raster.wasm"], work)
    by_name = {e["path"].rsplit("/", 1)[-1]: (e["scope"], e["scope_reason"]) for e in json.loads(out)}
    assert by_name["spin.wasm"] == ("example", f"named after `{lib}/demos/spin.c`, the source of a program "
                                               f"under `{lib}/demos/` (its build)")
    assert by_name["raster.wasm"][0] == "unknown"


@pytest.mark.parametrize("spec, expanded", [
    ("build/**/*.{d.ts,js,wasm}", ["build/**/*.d.ts", "build/**/*.js", "build/**/*.wasm"]),
    ("{lib,dist}/*.{js,wasm}", ["lib/*.js", "lib/*.wasm", "dist/*.js", "dist/*.wasm"]),
    ("a{b,c{d,e}}f", ["abf", "acdf", "acef"]),
    ("x{y}z", ["x{y}z"]),             # no `,`: not alternatives (minimatch keeps it)
    ("dist{a,b", ["dist{a,b"]),       # unclosed
    ("dist", ["dist"]),
])
def test_npm_files_patterns_expand_braces(spec, expanded):
    from wasmlint.scopes.npm_files import braces
    assert braces(spec) == expanded
