"""Every filesystem shape a committed tree can hold: each file gets a diagnostic or a
silent skip, the good module beside them is still linted, and nothing raises."""
from __future__ import annotations

import os
import socket
from pathlib import Path

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat

GOOD_LINE = "good.wasm:1:1: warning: memory 0 can grow: it declares no maximum [WL101]"


def _lint(tree: Path, *paths: str) -> str:
    rc, out, err = run_cli(["check", "--output-format", "concise", "--jobs", "1", "--no-cache", *paths], tree)
    assert "Traceback" not in err and "internal error" not in err and rc in (0, 1), err
    return out


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "good.wasm").write_bytes(build_wat("(module (memory 1))"))
    return tree


def test_every_link_and_special_file_shape(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.js").write_text("process.env.NODE_OPTIONS = '--no-liftoff' // SECRET\n")
    tree = _tree(tmp_path)
    os.symlink("self.js", tree / "self.js")                         # a link to itself
    os.symlink("b.js", tree / "a.js")                               # a loop of two
    os.symlink("a.js", tree / "b.js")
    os.symlink("loopdir", tree / "loopdir")                         # a folder link loop
    (tree / "sub").mkdir()
    os.symlink("..", tree / "sub" / "up")                           # a link back up
    os.symlink("missing.wasm", tree / "dangling.wasm")
    os.symlink(str(outside / "secret.js"), tree / "loader.js")      # out of the tree
    os.symlink(str(outside), tree / "outdir")                       # a folder out of the tree
    os.symlink("/dev/zero", tree / "zero.wasm")                     # a device
    os.mkfifo(tree / "pipe.js")
    os.symlink("pipe.js", tree / "to-pipe.js")                      # a link to a FIFO
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tree / "sock.js"))
    try:
        out = _lint(tree, ".")
    finally:
        sock.close()
    assert GOOD_LINE in out
    assert "SECRET" not in out
    assert "self.js:1:1: error: symlink loop; not followed [WL001]" in out
    assert "a.js:1:1: error: symlink loop; not followed [WL001]" in out
    assert "dangling.wasm" not in out          # a build output the checkout does not hold
    assert f"loader.js:1:1: error: symlink to {outside / 'secret.js'} points outside the checked paths" in out
    assert "zero.wasm:1:1: error: symlink to /dev/zero points outside the checked paths" in out
    assert "pipe.js:1:1: error: not a regular file; not read [WL001]" in out


def test_given_paths_that_are_links_out_of_the_tree_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "package.json").write_text('{"scripts": {"start": "NODE_OPTIONS=--no-liftoff node s.js"}}')
    tree = _tree(tmp_path)
    os.symlink(str(outside / "package.json"), tree / "package.json")
    os.symlink(str(outside), tree / "frontend")
    out = _lint(tree, "package.json", "frontend", "good.wasm")
    assert "package.json:1:1: error: symlink to" in out and "points outside the checked paths" in out
    assert "frontend:1:1: error: symlink to" in out
    assert "WL204" not in out                     # nothing was read out there
    assert GOOD_LINE in out


def test_folders_nested_deeper_than_the_recursion_limit(tmp_path):
    tree = _tree(tmp_path)
    deep = tree
    for _ in range(1100):                        # 2,200 characters of path: git can hold it
        deep = deep / "d"
        deep.mkdir()
    (deep / "app.wasm").write_bytes(build_wat("(module (memory 2))"))   # not a copy of good.wasm
    try:
        out = _lint(tree, ".")
    finally:   # shutil.rmtree recurses per level: take the folders down from the bottom
        (deep / "app.wasm").unlink()
        while deep != tree:
            deep.rmdir()
            deep = deep.parent
    assert GOOD_LINE in out
    assert "/d/app.wasm:1:1: warning: memory 0 can grow" in out


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    # As root, chmod 000 does not stop a listing; the failure the kernel gives a user is made here.
    import wasmlint.discover as discover
    tree = _tree(tmp_path)
    (tree / "private").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(discover.os, "scandir", scandir)
    entries = discover.discover([str(tree)], [])
    shown = {e.path: e.problem for e in entries}
    assert any(p.endswith("private") and problem == "cannot list folder: Permission denied; its files were not checked"
               for p, problem in shown.items())
    assert any(p.endswith("good.wasm") for p in shown)


def test_node_modules_bin_links_are_read_once_under_their_real_name(tmp_path):
    # npm's layout: node_modules/.bin/<cmd> -> ../<package>/bin/<cmd> (a node script without
    # an extension). Checking node_modules reads the script once, under its real name.
    tree = _tree(tmp_path)
    modules = tree / "node_modules"
    (modules / "wasm-tool" / "bin").mkdir(parents=True)
    (modules / "wasm-tool" / "bin" / "wasm-tool").write_text(
        "#!/usr/bin/env node\nconst memory = new WebAssembly.Memory({ initial: 256, maximum: 65536 });\n")
    (modules / ".bin").mkdir()
    os.symlink("../wasm-tool/bin/wasm-tool", modules / ".bin" / "wasm-tool")
    os.symlink("../wasm-tool/bin/wasm-tool", modules / ".bin" / "wasm-tool.js")
    out = _lint(tree, "node_modules")
    findings = [line for line in out.splitlines() if "[WL" in line]
    assert findings and all(line.startswith("node_modules/wasm-tool/bin/wasm-tool:2:") for line in findings), out
    assert len(findings) == len(set(findings))
    assert ".bin" not in out


def test_tree_named_by_absolute_path_with_unresolved_bundle_entry(tmp_path):
    """Checked from elsewhere (an editor, pre-commit), paths show absolute: the search for the
    folder a bundler runs in climbs to "/", whose parent is itself, and stops there (it
    looped forever on a rollup config whose entry is not in the tree)."""
    import subprocess
    import sys
    tree = _tree(tmp_path)
    (tree / "rollup.config.js").write_text('export default { input: "src/gone.js", output: { file: "dist/b.js" } };\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-m", "wasmlint", "check", "--output-format", "concise", "--no-cache",
                           "--jobs", "1", str(tree)], cwd=elsewhere, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert proc.returncode == 1, proc.stderr
    assert f"{tree}/{GOOD_LINE}" in proc.stdout.splitlines()
