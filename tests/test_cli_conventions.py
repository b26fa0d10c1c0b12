"""The command line a ruff user expects, through the installed ``wasmlint`` console
script in a subprocess: shared options on every subcommand, usage errors with a
"did you mean" and exit 2, warnings instead of a false "All checks passed!",
Ctrl-C exiting 130 with no worker left."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.wasmbuild import build_wat

WASMLINT = str(Path(sys.executable).with_name("wasmlint"))
GROWABLE = '(module (memory (export "memory") 17))'
BOUNDED = "(module (memory 16 16))"


def wasmlint(args: list[str], cwd: Path, stdin: bytes | None = None, env: dict | None = None):
    """(exit code, stdout, stderr) of the console script, with a private user cache."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "WASMLINT_OUTPUT_FORMAT")}
    full_env.update(XDG_CACHE_HOME=str(cwd.parent / "user-cache"), **(env or {}))
    proc = subprocess.run([WASMLINT, *args], cwd=cwd, input=stdin, capture_output=True, env=full_env, timeout=120)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


@pytest.fixture
def project(tmp_path):
    work = tmp_path / "proj"
    work.mkdir()
    (work / ".git").mkdir()
    (work / "app.wasm").write_bytes(build_wat(GROWABLE))
    (work / "fixed.wasm").write_bytes(build_wat(BOUNDED))
    return work


def test_an_unknown_subcommand_is_not_read_as_a_path(project):
    rc, out, err = wasmlint(["chek"], project)
    assert (rc, out) == (2, "")
    assert err == ("wasmlint: error: unrecognized subcommand `chek`; did you mean `check`? (commands: check, "
                   "clean, doctor, explain, inspect, probe, rule, server, targets; to check a missing path write ./chek)\n")
    rc, out, _ = wasmlint(["app.wasm", "--output-format", "concise"], project)   # a path still means check
    assert rc == 1 and out.startswith("app.wasm:1:")


@pytest.mark.parametrize("args, message", [
    (["check", "--outptu-format", "json"],
     "wasmlint check: error: unrecognized argument: --outptu-format; did you mean `--output-format`?"),
    (["check", "--output-format", "jsn"],
     "wasmlint check: error: --output-format/--format: invalid choice `jsn` (choose from text, concise, json, "
     "sarif, github, gitlab, junit, rdjson); did you mean `json`?"),
    (["check", "--select", "WL0101"], "wasmlint: error: unknown rule selector `WL0101`; did you mean `WL101`?"),
    (["check", "--ignore", "growable-memroy"],
     "wasmlint: error: unknown rule selector `growable-memroy`; did you mean `growable-memory`?"),
    (["check", "--jobs", "0"], "wasmlint check: error: argument --jobs: must be at least 1, not 0"),
    (["check", "--node-version", "banana"],
     'wasmlint: error: --node-version: `banana` is not a node version (write a major like "22", a version, '
     "a range or an LTS name)"),
    (["rule", "--color", "sometimes"],
     "wasmlint rule: error: --color: invalid choice `sometimes` (choose from auto, always, never)"),
])
def test_usage_errors_say_what_was_meant_and_exit_2(project, args, message):
    rc, out, err = wasmlint(args, project)
    assert (rc, out) == (2, "")
    assert err.splitlines()[0] == message


@pytest.mark.parametrize("config, message", [
    ("tragets = ['ios']\n", "unknown configuration key `tragets`; did you mean `targets`?"),
    ("[policy]\nworkload-mib = 3\n", "unknown configuration key `policy.workload-mib`; did you mean `workload-mb`?"),
    ('node-version = "banana"\n', '`node-version`: `banana` is not a node version (write a major like "22", '
                                  'a version, a range or an LTS name)'),
    ('targets = "ios"\n', '`targets` must be a list of target names (`targets = ["ios"]`) or a table of '
                          'glob = list, not str "ios"'),
    ('extend-rules = ["ci/rules"]\n', "`extend-rules`: no folder 'ci/rules'"),
])
def test_configuration_mistakes_are_usage_errors(project, config, message):
    (project / ".wasmlint.toml").write_text(config)
    rc, out, err = wasmlint(["check"], project)
    assert (rc, out) == (2, "")
    assert err.startswith(f"wasmlint: error: {project / '.wasmlint.toml'}: {message}")


def test_output_format_on_every_subcommand_and_format_as_its_alias(project):
    for args in (["rule", "WL101"], ["explain", "WL101"], ["inspect", "app.wasm"], ["doctor"]):
        _, long_form, _ = wasmlint([*args, "--output-format", "json"], project)
        _, alias, _ = wasmlint([*args, "--format", "json"], project)
        assert json.loads(long_form) == json.loads(alias)
    assert json.loads(wasmlint(["explain", "WL101", "--output-format", "json"], project)[1])["name"] == \
        "growable-memory"
    assert json.loads(wasmlint(["inspect", "app.wasm", "--output-format", "json"], project)[1])["kind"] == "wasm"


def test_an_empty_folder_warns_that_nothing_was_checked(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    rc, out, err = wasmlint(["check"], empty)
    assert (rc, out) == (0, "")
    assert err == ("wasmlint: warning: No files were checked (no file of a kind wasmlint reads under .; "
                   "see --show-files)\n")


def test_a_named_path_that_a_walk_leaves_out_is_checked_with_a_warning(project):
    (project / ".gitignore").write_text("build/\n")
    (project / "build").mkdir()
    (project / "build" / "out.wasm").write_bytes(build_wat('(module (memory (export "memory") 18))'))
    (project / "vendor").mkdir()
    (project / "vendor" / "lib.wasm").write_bytes(build_wat(BOUNDED))
    rc, out, err = wasmlint(["check", "--output-format", "concise", "build/out.wasm"], project)
    assert rc == 1 and out.startswith("build/out.wasm:1:")
    assert err == ("wasmlint: warning: build/out.wasm is ignored by a .gitignore; checked because it was named "
                   "(--no-respect-gitignore reads every such file)\n")
    rc, _, err = wasmlint(["check", "--extend-exclude", "vendor/", "vendor/lib.wasm"], project)
    assert rc == 0
    assert err == ("wasmlint: warning: vendor/lib.wasm is excluded by `exclude` (command line (--extend-exclude)); "
                   "checked because it was named\n")


def test_show_files_respect_gitignore_and_extend_exclude(project):
    (project / ".gitignore").write_text("build/\n")
    (project / "build").mkdir()
    (project / "build" / "out.wasm").write_bytes(build_wat(GROWABLE))
    assert wasmlint(["check", "--show-files"], project)[1] == "app.wasm\nfixed.wasm\n"
    assert wasmlint(["check", "--show-files", "--no-respect-gitignore"], project)[1] == \
        "app.wasm\nbuild/out.wasm\nfixed.wasm\n"
    assert wasmlint(["check", "--show-files", "--extend-exclude", "fixed.wasm"], project)[1] == "app.wasm\n"


def test_show_settings_names_where_each_value_came_from(project):
    (project / ".wasmlint.toml").write_text('node-version = "22"\n[policy]\nworkload-mb = 64\n')
    rc, out, _ = wasmlint(["check", "--show-settings", "--target", "ios", "--select", "WL1"], project)
    config = project / ".wasmlint.toml"
    rows = {line.split("=", 1)[0].strip(): line.split("=", 1)[1].strip() for line in out.splitlines()[2:]}
    assert rc == 0 and out.splitlines()[:2] == [f"configuration file: {config}", f"project root: {project}"]
    assert rows["node-version"] == f'"22"  # {config}'
    assert rows["policy.workload-mb"] == f"64  # {config}"
    assert rows["targets"] == '["ios"]  # command line (--target)'
    assert rows["select"] == '["WL1"]  # command line (--select)'
    assert rows["ignore"] == "[]  # default"


def test_stdin_is_linted_as_the_named_file(project):
    rc, out, _ = wasmlint(["check", "--output-format", "concise", "--stdin-filename", "fixed.wasm", "-"], project,
                          stdin=build_wat('(module (memory (export "memory") 18))'))
    assert rc == 1
    assert out == "fixed.wasm:1:1: warning: memory 0 can grow: it declares no maximum [WL101]\n"
    rc, _, err = wasmlint(["check", "-"], project, stdin=b"")
    assert rc == 2 and err == "wasmlint: error: read standard input with `--stdin-filename PATH -` (- as the only path)\n"


def test_output_file_quiet_and_color(project):
    rc, out, err = wasmlint(["check", "--output-format", "concise", "--output-file", "report.txt"], project)
    assert (rc, out) == (1, "")
    assert (project / "report.txt").read_text() == \
        "app.wasm:1:1: warning: memory 0 can grow: it declares no maximum [WL101]\n"
    rc, out, _ = wasmlint(["check", "-q", "fixed.wasm"], project)
    assert (rc, out) == (0, "")
    rc, out, _ = wasmlint(["check", "-q", "app.wasm"], project)
    assert rc == 1 and "can grow" in out and "Found" not in out
    _, coloured, _ = wasmlint(["check", "--color", "always", "app.wasm"], project)
    _, plain, _ = wasmlint(["check", "--color", "never", "app.wasm"], project, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured and "\x1b[" not in plain and "can grow" in plain


def test_statistics_as_json(project):
    rc, out, _ = wasmlint(["check", "--statistics", "--output-format", "json"], project)
    assert rc == 1
    assert json.loads(out) == [{"code": "WL101", "name": "growable-memory", "count": 1, "fixable": 0}]


def test_exit_non_zero_on_fix(tmp_path):
    work = tmp_path / "proj"
    work.mkdir()
    (work / ".git").mkdir()
    makefile = "app.js: app.c\n\temcc app.c -O2 -sTOTAL_MEMORY=16777216 -sALLOW_MEMORY_GROWTH=0 -o app.js\n"
    (work / "Makefile").write_text(makefile)
    assert wasmlint(["check", "--fix"], work)[0] == 0
    assert "-sINITIAL_MEMORY=16777216" in (work / "Makefile").read_text()
    (work / "Makefile").write_text(makefile)
    rc, out, err = wasmlint(["check", "--fix", "--exit-non-zero-on-fix"], work)
    assert (rc, err) == (1, "wasmlint: fixed 1 problem in 1 file\n") and "All checks passed!" in out


def test_clean_removes_the_caches(project):
    assert wasmlint(["check"], project)[0] == 1
    cache = project.parent / "user-cache" / "wasmlint"
    assert (cache / "files").is_dir()     # the per-file facts
    (project / ".wasmlint_cache").mkdir()
    rc, _, err = wasmlint(["clean"], project)
    assert rc == 0 and f"removed {cache / 'files'}\n" in err and "removed .wasmlint_cache\n" in err
    assert list(cache.iterdir()) == [] and not (project / ".wasmlint_cache").exists()


def _pool_started(children: list[str]) -> bool:
    """A worker of the pool (a Python process), not a short-lived tool probe (``wasm-tools``)."""
    for c in children:
        try:
            cmdline = Path(f"/proc/{c}/cmdline").read_bytes()
        except OSError:
            continue
        if b"python" in cmdline or b"wasmlint" in cmdline:
            return True
    return False


def test_ctrl_c_exits_130_and_leaves_no_worker(tmp_path):
    work = tmp_path / "big"
    work.mkdir()
    body = "".join(f"function f{i}(a) {{ return a * {i} + WebAssembly.validate; }}\n" for i in range(3000))
    for i in range(400):    # more than the pool can finish before the signal (the kill ends it early)
        (work / f"m{i}.js").write_text(body + f'WebAssembly.instantiate(require("fs").readFileSync("a{i}.wasm"));\n')
    # started as a shell starts it: SIGINT at its default (an earlier test of the suite may have
    # left this process ignoring it, and a program started with SIGINT ignored keeps ignoring it)
    proc = subprocess.Popen([WASMLINT, "check", "--no-cache", "--jobs", "2", "."], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    children: list[str] = []
    while not _pool_started(children) and proc.poll() is None:      # wait for the worker pool
        try:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        except OSError:
            pass
    assert children, "the check finished before its workers started"
    os.killpg(proc.pid, signal.SIGINT)                # what a terminal's Ctrl-C does
    _, err = proc.communicate(timeout=60)            # also waits for every holder of the stderr pipe
    assert (proc.returncode, err) == (130, b"wasmlint: interrupted\n")
    assert [c for c in children if Path(f"/proc/{c}").exists()] == []


def _server_project(tmp_path) -> Path:
    """A repository whose .nvmrc (node 18) sits above the service that launches node."""
    work = tmp_path / "repo"
    (work / ".git").mkdir(parents=True)
    (work / ".nvmrc").write_text("18\n")
    (work / "server").mkdir()
    (work / "server" / "package.json").write_text(
        '{\n  "name": "solver-server",\n  "private": true,\n  "scripts": {\n'
        '    "start": "NODE_OPTIONS=--no-wasm-tier-up node index.js"\n  }\n}\n')
    (work / "server" / "index.js").write_text(
        'const fs = require("fs");\nconst bytes = fs.readFileSync(__dirname + "/solver.wasm");\n'
        'WebAssembly.instantiate(bytes).then(() => console.log("ready"));\n')
    return work


NODE18 = ('error: `--no-wasm-tier-up` is not allowed in NODE_OPTIONS: node 18 exits at start '
          '("--no-wasm-tier-up is not allowed in NODE_OPTIONS", exit code 9) [WL204]\n')


@pytest.mark.parametrize("cwd, args, shown", [
    (".", ["."], "server/package.json"),
    (".", ["server"], "server/package.json"),
    (".", ["server/package.json"], "server/package.json"),
    ("server", [], "package.json"),
    ("server", ["package.json"], "package.json"),
])
def test_the_project_context_is_the_same_for_the_root_a_subfolder_or_a_file(tmp_path, cwd, args, shown):
    work = _server_project(tmp_path)
    rc, out, err = wasmlint(["check", "--output-format", "concise", *args], work / cwd)
    assert (rc, out, err) == (1, f"{shown}:5:28: {NODE18}", "")


def test_show_settings_from_a_subfolder_names_the_project_and_its_rule_folders(tmp_path):
    work = _server_project(tmp_path)
    (work / "ci" / "rules").mkdir(parents=True)
    (work / ".wasmlint.toml").write_text('extend-rules = ["ci/rules"]\n')
    for cwd in (work, work / "server"):
        rc, out, _ = wasmlint(["check", "--show-settings"], cwd)
        lines = out.splitlines()
        assert rc == 0 and lines[1] == f"project root: {work}"
        assert next(l for l in lines if l.startswith("extend-rules")).split("=", 1)[1].strip() == \
            f'["{work / "ci" / "rules"}"]  # {work / ".wasmlint.toml"}'


def test_tables_to_a_pipe_are_not_cut_at_80_columns(project):
    facts = json.loads(wasmlint(["inspect", "app.wasm", "--output-format", "json"], project)[1])["facts"]
    module = next(f for f in facts if f["kind"] == "wasm-module")
    values = ", ".join(f"{k}={json.dumps(v)}" for k, v in module.items() if k not in ("kind", "span"))
    assert len(values) > 200
    rc, out, _ = wasmlint(["inspect", "app.wasm"], project)
    assert rc == 0 and any(values in line for line in out.splitlines())
    tools = json.loads(wasmlint(["doctor", "--output-format", "json"], project)[1])["tools"]
    rc, out, _ = wasmlint(["doctor"], project)
    for tool in tools:
        if tool["path"]:
            assert any(tool["path"] in line and tool["tool"] in line for line in out.splitlines()), tool


def test_show_settings_on_the_other_subcommands(project):
    (project / ".wasmlint.toml").write_text('node-version = "22"\n')
    for args in (["inspect", "app.wasm"], ["doctor"], ["probe", "app.wasm"]):
        rc, out, _ = wasmlint([*args, "--show-settings"], project)
        assert rc == 0 and out.splitlines()[0] == f"configuration file: {project / '.wasmlint.toml'}", args
        assert f'"22"  # {project / ".wasmlint.toml"}' in out
