"""The security properties of SECURITY.md, enforced: a scan of wasmlint/ for calls
that would run code or a shell, and the behaviour on a hostile checkout (a pull
request linted in CI): nothing outside the checked paths is opened or shown,
project rules cannot reach Python internals, processes are bounded."""
from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

import pytest

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat
from wasmlint.condition import ConditionError, compile_expr, compile_template
from wasmlint.serial import SerialError, decode

PACKAGE = Path(__file__).resolve().parent.parent / "wasmlint"
MODULES = sorted(PACKAGE.rglob("*.py"))
PROCESS_MODULE = PACKAGE / "tools.py"      # the only module that starts processes


def _calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node, _dotted(node.func)


def _dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _where(path: Path, node) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"


def test_the_scan_sees_the_package():
    assert len(MODULES) > 50 and PROCESS_MODULE in MODULES


def test_no_shell_and_no_code_execution():
    bad = []
    for path in MODULES:
        for node, name in _calls(path):
            if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords):
                bad.append(f"{_where(path, node)}: shell=")
            if name in ("eval", "exec", "compile", "__import__", "breakpoint", "os.system", "os.popen",
                        "pickle.load", "pickle.loads", "marshal.load", "marshal.loads", "shelve.open") \
                    or name.startswith(("os.exec", "os.spawn", "os.posix_spawn", "pty.")):
                bad.append(f"{_where(path, node)}: {name}()")
    assert not bad, bad


def test_no_pickle_marshal_or_shelve_imports():
    bad = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            bad += [f"{_where(path, node)}: {n}" for n in names if n.split(".")[0] in ("pickle", "marshal", "shelve")]
    assert not bad, bad


def test_yaml_is_only_read_safely():
    bad = []
    for path in MODULES:
        for node, name in _calls(path):
            if not name.startswith("yaml."):
                continue
            fn = name.split(".", 1)[1]
            loader = next((_dotted(k.value) for k in node.keywords if k.arg == "Loader"), None)
            if fn in ("load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"):
                bad.append(f"{_where(path, node)}: {name}")
            elif fn in ("compose", "compose_all", "parse", "scan") and loader not in ("yaml.SafeLoader",
                                                                                    "yaml.CSafeLoader"):
                bad.append(f"{_where(path, node)}: {name} without Loader=yaml.SafeLoader")
    assert not bad, bad


def test_processes_start_in_one_module_with_a_timeout():
    bad = []
    for path in MODULES:
        for node, name in _calls(path):
            if name.startswith("subprocess.") or name in ("Popen", "os.fork", "os.forkpty"):
                if path != PROCESS_MODULE:
                    bad.append(f"{_where(path, node)}: {name} outside tools.py")
                elif not any(k.arg == "timeout" for k in node.keywords):
                    bad.append(f"{_where(path, node)}: {name} without a timeout")
                elif isinstance(node.args[0] if node.args else None, (ast.Constant, ast.JoinedStr)):
                    bad.append(f"{_where(path, node)}: {name} given a string, not an argument list")
    assert not bad, bad


FILE_CALLS = {"open", "read_text", "read_bytes", "fdopen", "mmap", "scandir", "listdir", "walk", "glob", "rglob",
              "iterdir", "stat", "lstat", "isfile", "isdir", "exists", "getsize", "realpath"}
# the places a source reaches another file, confined to the project: response files, and
# toolchain/project_files.py (CMake include()/parent directories, make's wrapper evidence),
# which reads and lists only through wasmlint/paths.py
FILE_ACCESS_ALLOWED = {("toolchain/response_files.py", "response_reader"), ("toolchain/emcc_settings.py", "data")}


def test_sources_open_no_other_files():
    """A source module is a function of its file's bytes: no ``EnvironmentFile=``,
    ``env_file:`` or ``envFrom`` is ever followed; build includes only through the
    project-confined helper."""
    bad = []
    for sub in ("sources", "toolchain", "launch", "js"):
        for path in sorted((PACKAGE / sub).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            top = [*tree.body, *(m for c in tree.body if isinstance(c, ast.ClassDef) for m in c.body)]
            rel = path.relative_to(PACKAGE).as_posix()
            for block in top:   # a top-level function or method, or a module-level statement
                owner = block.name if isinstance(block, (ast.FunctionDef, ast.AsyncFunctionDef)) else "<module>"
                if isinstance(block, ast.ClassDef):
                    continue
                for node in ast.walk(block):
                    if isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] in FILE_CALLS \
                            and (rel, owner) not in FILE_ACCESS_ALLOWED:
                        bad.append(f"{_where(path, node)}: {_dotted(node.func)} in {owner}")
    assert not bad, bad


def test_tool_output_is_bounded():
    from wasmlint.tools import MAX_OUTPUT, run_tool
    res = run_tool([sys.executable, "-c", "import sys\nfor _ in range(40): sys.stdout.write('x' * 65536)"],
                   timeout=60)
    assert res.returncode == 0 and len(res.stdout) == MAX_OUTPUT


# ---------------------------------------------------------------- rule expressions


@pytest.mark.parametrize("expr", ["ctx.__class__", "__class__", "rule._private", "x.y.__globals__"])
def test_rule_expressions_cannot_reach_underscore_names(expr):
    with pytest.raises(ConditionError, match="names starting with `_`"):
        compile_expr(expr)
    with pytest.raises(ConditionError):
        compile_template("value {" + expr + "}")


def test_a_project_rule_reading_the_environment_is_a_configuration_error(tmp_path):
    (tmp_path / "m.wasm").write_bytes(build_wat("(module (memory 1))"))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "WL950.toml").write_text(
        'code = "WL950"\nname = "leak"\nseverity = "warning"\nfacts = ["memory"]\n'
        "message = \"{ctx.config.__class__.__init__.__globals__['Path'].__new__.__globals__['os'].environ}\"\n")
    (tmp_path / ".wasmlint.toml").write_text('extend-rules = ["rules"]\n')
    rc, out, err = run_cli(["check", "--output-format", "concise", "."], tmp_path)
    assert rc == 2 and out == "" and "PATH" not in err
    assert "WL950.toml: `__class__`: names starting with `_` are not available to rules" in err


def test_the_cache_decoder_never_imports_private_modules():
    for planted in ({"$dc": ["wasmlint.__main__", "X", {}]}, {"$sh": [0, "wasmlint.__main__", "X", []]}):
        with pytest.raises(SerialError):
            decode(planted)


# ---------------------------------------------------------------- files outside the tree


@pytest.fixture
def outside(tmp_path):
    """A secret outside the checked folder, and the checked folder."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOPSECRET:/root:/bin/bash\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "good.wasm").write_bytes(build_wat("(module (memory 1))"))
    return secret, project


def test_a_symlink_out_of_the_tree_is_reported_but_never_shown(outside):
    secret, project = outside
    (project / "Dockerfile").symlink_to(secret)
    for fmt in ("text", "sarif", "gitlab"):
        rc, out, err = run_cli(["check", "--output-format", fmt, "."], project)
        assert rc == 1 and "Traceback" not in err
        assert "TOPSECRET" not in out, fmt
    rc, out, _ = run_cli(["check", "--output-format", "concise", "."], project)
    assert f"Dockerfile:1:1: error: symlink to {secret} points outside the checked paths; not followed [WL001]" in out


def test_a_symlink_out_of_the_tree_is_not_read_for_a_baseline(outside):
    secret, project = outside
    (project / "Dockerfile").symlink_to(secret)
    rc, _, err = run_cli(["check", "--baseline", "bl.json", "--update-baseline", "."], project)
    assert rc == 0, err
    assert "TOPSECRET" not in (project / "bl.json").read_text()


def test_a_symlinked_or_special_gitignore_is_not_followed(outside):
    secret, project = outside
    secret.write_text("*.wasm\n")
    (project / ".gitignore").symlink_to(secret)
    sub = project / "sub"
    sub.mkdir()
    (sub / "good.wasm").write_bytes(build_wat("(module (memory 2))"))   # not a copy of ../good.wasm
    os.mkfifo(sub / ".gitignore")
    rc, out, err = run_cli(["check", "--output-format", "concise", "."], project)
    assert "good.wasm:1:1: warning: memory 0 can grow" in out, err
    assert "sub/good.wasm:1:1: warning: memory 0 can grow" in out


def test_a_config_symlinked_out_of_its_folder_is_refused(outside):
    secret, project = outside
    (project / ".wasmlint.yaml").symlink_to(secret)
    rc, out, err = run_cli(["check", "."], project)
    assert rc == 2 and "TOPSECRET" not in out + err
    assert f".wasmlint.yaml: symlink to {secret} outside its folder; not read" in err


def test_config_yaml_errors_do_not_quote_the_file(tmp_path):
    (tmp_path / ".wasmlint.yaml").write_text("select: [WL1\npolicy: {TOPSECRET: 1\n")
    rc, _, err = run_cli(["check", "."], tmp_path)
    assert rc == 2 and "invalid YAML" in err and "(line " in err and "TOPSECRET" not in err


@pytest.mark.parametrize("text, message", [
    ("[policy]\nmax-file-bytes = \"big\"\n", "`policy.max-file-bytes` must be a finite number of at least 0"),
    ("[policy]\nheadroom = -1\n", "`policy.headroom` must be a finite number of at least 0"),
    ("node-version = [20]\n", "`node-version` must be a version"),
])
def test_config_values_are_type_checked(tmp_path, text, message):
    (tmp_path / ".wasmlint.toml").write_text(text)
    rc, _, err = run_cli(["check", "."], tmp_path)
    assert rc == 2 and message in err and "Traceback" not in err


# ---------------------------------------------------------------- the cache folder


def test_a_cache_folder_in_the_tree_is_neither_read_nor_written(outside):
    secret, project = outside
    elsewhere = secret.parent / "elsewhere"
    elsewhere.mkdir()
    (project / ".wasmlint_cache").symlink_to(elsewhere)
    rc, out, err = run_cli(["check", "--output-format", "concise", "."], project)
    assert rc == 1 and "good.wasm:1:1: warning: memory 0 can grow" in out, err
    assert list(elsewhere.iterdir()) == []


def test_facts_that_read_a_response_file_are_not_cached(tmp_path):
    (tmp_path / "link.rsp").write_text("-sALLOW_MEMORY_GROWTH=0\n")
    (tmp_path / "Makefile").write_text("app.js: main.c\n\temcc main.c -o app.js @link.rsp\n")
    args = ["check", "--output-format", "concise", "--select", "WL101", "."]
    assert run_cli(args, tmp_path)[0] == 0
    (tmp_path / "link.rsp").write_text("-sALLOW_MEMORY_GROWTH=1\n")
    rc, out, _ = run_cli(args, tmp_path)
    assert rc == 1 and "link.rsp:1:1: warning: emcc link of `app.js` can grow" in out
