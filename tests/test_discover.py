"""Discovery: .gitignore, exclude, classification by name and content, symlinks."""
from __future__ import annotations

import pytest

import os

from wasmlint.discover import discover

WASM_HEADER = b"\0asm\x01\0\0\0"


def _kinds(tmp_path, **kw):
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        return {e.path: (e.kind, e.problem) for e in discover(["."], kw.get("exclude", []))}
    finally:
        os.chdir(old)


def test_magic_wins_over_extension_and_names_classify(tmp_path):
    (tmp_path / "module.bin").write_bytes(WASM_HEADER)
    (tmp_path / "notes.txt").write_text("plain")
    (tmp_path / "Dockerfile.prod").write_text("FROM node:20\n")
    (tmp_path / "docker-compose.override.yml").write_text("services: {}\n")
    (tmp_path / "deploy.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\n")
    (tmp_path / "random.yaml").write_text("foo: bar\n")
    (tmp_path / "start").write_text("#!/usr/bin/env bash\nexec node app.js\n")
    (tmp_path / "cli").write_text("#!/usr/bin/env -S node --no-liftoff\nconsole.log(1)\n")
    wf = tmp_path / ".github" / "workflows"
    wf.mkdir(parents=True)
    (wf / "ci.yml").write_text("on: push\n")
    kinds = _kinds(tmp_path)
    assert kinds["module.bin"][0] == "wasm"
    assert "notes.txt" not in kinds
    assert kinds["Dockerfile.prod"][0] == "dockerfile"
    assert kinds["docker-compose.override.yml"][0] == "compose"
    assert kinds["deploy.yaml"][0] == "k8s"
    assert "random.yaml" not in kinds
    assert kinds["start"][0] == "shell"
    assert kinds["cli"][0] == "js"
    assert kinds[".github/workflows/ci.yml"][0] == "github-workflow"


@pytest.mark.parametrize("name,kind", [
    ("Dockerfile", "dockerfile"), ("Dockerfile.prod", "dockerfile"), ("prod.Dockerfile", "dockerfile"),
    ("Procfile", "procfile"), ("Procfile.dev", "procfile"),
    # the suffix names the variant, not a wasm module (RustPython's Dockerfile.wasm)
    ("Dockerfile.wasm", "dockerfile"), ("web/app.wasm", "wasm"),
    # a conventional name with another language's extension is that language's file
    ("honcho/procfile.py", "python"), ("docs/Dockerfile.md", None), ("man/Dockerfile.5.md", None),
    ("src/dockerfile.js", "js"), ("deploy/Dockerfile.j2", None), ("Procfile.sh", "shell"),
    # Makefile variants that `make -f` runs; with another language's extension, that language
    ("src/Makefile_js", "makefile"), ("Makefile-wasm", "makefile"), ("Makefile.emscripten", "makefile"),
    ("emscripten.mk", "makefile"), ("Makefile_js.in", "makefile"),
    ("src/Makefile_test.py", "python"), ("tools/makefile-gen.sh", "shell"), ("Makefile_notes.md", None),
    # Dockerfile variants that `docker build -f` builds (rdkit's docker/Dockerfile_3_rdkit_build,
    # biowasm's Dockerfile-dev); the ignore file docker reads beside one is not one
    ("docker/Dockerfile_3_build", "dockerfile"), ("Dockerfile-dev", "dockerfile"),
    ("ci/dockerfile_lint.py", "python"), ("api/Dockerfile_alerts.dockerignore", None),
    ("Dockerfile.prod.dockerignore", None),
    # `pm2 start` reads any `*.config.js` as its config: the ecosystem's variants are PM2's,
    # other tools' `*.config.js` and other files named for the ecosystem are not
    ("templates/ecosystem_3d.config.js", "pm2"), ("ecosystem.prod.config.cjs", "pm2"),
    ("ecosystem-worker.config.mjs", "pm2"), ("ecosystem.config.js", "pm2"),
    ("webpack.config.js", "js"), ("scripts/generate-ecosystem-config.js", "js"),
])
def test_conventional_names_and_their_suffix_forms(name, kind):
    from wasmlint.classify import kind_by_name
    assert kind_by_name(name) == kind


def test_gitignore_nested_and_exclude(tmp_path):
    (tmp_path / ".gitignore").write_text("build/\n*.tmp.wasm\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.wasm").write_bytes(WASM_HEADER)
    (tmp_path / "a.tmp.wasm").write_bytes(WASM_HEADER)
    sub = tmp_path / "pkg"
    sub.mkdir()
    (sub / ".gitignore").write_text("gen.wasm\n")
    (sub / "gen.wasm").write_bytes(WASM_HEADER)
    (sub / "keep.wasm").write_bytes(WASM_HEADER)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "v.wasm").write_bytes(WASM_HEADER)
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "dep.wasm").write_bytes(WASM_HEADER)
    (tmp_path / ".yarn" / "releases").mkdir(parents=True)    # yarn berry's own bundle
    (tmp_path / ".yarn" / "releases" / "yarn-3.8.5.cjs").write_text("new WebAssembly.Memory({initial: 256})\n")
    # Yarn Plug'n'Play's generated loader embeds yarn's libzip module (libauth, wasm-media-encoders)
    (tmp_path / ".pnp.cjs").write_text("const libzip = new WebAssembly.Memory({initial: 256});\n")
    (tmp_path / "pkg" / ".pnp.loader.mjs").write_text("new WebAssembly.Memory({initial: 256})\n")
    kinds = _kinds(tmp_path, exclude=["vendor/"])
    assert sorted(kinds) == ["pkg/keep.wasm"]


def test_symlink_out_of_tree_is_reported_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.wasm").write_bytes(WASM_HEADER)
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "link.wasm").symlink_to(outside / "secret.wasm")
    (proj / "loop").symlink_to(proj, target_is_directory=True)
    kinds = _kinds(proj)
    kind, problem = kinds["link.wasm"]
    assert "outside the checked paths" in problem
    assert not any(k.startswith("loop/") for k in kinds)


def test_configure_file_templates_named_dot_cmake_are_not_cmake(tmp_path):
    # bullet's bullet.pc.cmake (a pkg-config file with @VAR@ holes), zlib-style config.h.cmake
    (tmp_path / "bullet.pc.cmake").write_text("Name: bullet\nVersion: @BULLET_VERSION@\n")
    (tmp_path / "config.h.cmake").write_text("#cmakedefine HAVE_UNISTD_H\n")
    (tmp_path / "UseBullet.cmake").write_text("include_directories(${BULLET_INCLUDE_DIRS})\n")
    (tmp_path / "wasm.toolchain.cmake").write_text("set(CMAKE_SYSTEM_NAME Emscripten)\n")
    kinds = _kinds(tmp_path)
    assert "bullet.pc.cmake" not in kinds and "config.h.cmake" not in kinds
    assert kinds["UseBullet.cmake"][0] == "cmake" and kinds["wasm.toolchain.cmake"][0] == "cmake"


def test_dangling_links_are_build_outputs_the_checkout_does_not_hold(tmp_path):
    # sherpa-onnx and stockfish.js commit links to build outputs (`stockfish-part-0.wasm` →
    # the gitignored `stockfish-17-part-0.wasm`): nothing to read, as for an ignored file
    os.symlink("missing/k2-1024x1024.png", tmp_path / "icon.png")
    os.symlink("missing/aarch64-apple-darwin", tmp_path / "aarch64-apple-darwin")
    os.symlink("missing/app.wasm", tmp_path / "app.wasm")
    os.symlink("loop.wasm", tmp_path / "loop.wasm")
    kinds = _kinds(tmp_path)
    assert "icon.png" not in kinds and "aarch64-apple-darwin" not in kinds and "app.wasm" not in kinds
    assert kinds["loop.wasm"] == ("wasm", "symlink loop; not followed")


def test_gitignore_prefilter_keeps_negations_and_directory_patterns(tmp_path):
    # the one-regex prefilter only answers "no pattern matches"; pathspec decides the rest
    (tmp_path / ".gitignore").write_text("*.wasm\n!keep.wasm\nbuild/\n/dist\n**/gen/*.js\n")
    for rel in ("a.wasm", "keep.wasm", "build/x.wasm", "src/build/y.js", "dist/app.js", "src/dist/app.js",
                "src/gen/g.js", "src/main.js"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(WASM_HEADER if rel.endswith(".wasm") else b"new WebAssembly.Memory({})")
    assert sorted(_kinds(tmp_path)) == ["keep.wasm", "src/dist/app.js", "src/main.js"]


def test_f19_many_distinct_gitignore_files_compile_a_bounded_number_of_patterns(tmp_path, monkeypatch):
    """Audit F19: 51 distinct 1 MiB .gitignore files took over 600 s to compile. A walk
    compiles at most ``GITIGNORE_PATTERNS`` lines in all (here lowered, the shape kept):
    the folders walked first keep theirs, later ones ignore nothing (only more is checked)."""
    import wasmlint.discover as discover_mod
    compiled = []
    real = discover_mod._compiled_gitignore

    def counting(lines):
        compiled.append(len(lines))
        return real(lines)
    monkeypatch.setattr(discover_mod, "GITIGNORE_PATTERNS", 500)
    monkeypatch.setattr(discover_mod, "_compiled_gitignore", counting)
    for k in range(6):
        sub = tmp_path / f"p{k}"
        sub.mkdir()
        (sub / ".gitignore").write_text("".join(f"gen{k}_{i}/\n" for i in range(300)) + "gen.wasm\n")
        (sub / "gen.wasm").write_bytes(WASM_HEADER)
    kinds = _kinds(tmp_path)
    assert sum(compiled) == 500
    assert sorted(kinds) == [f"p{k}/gen.wasm" for k in range(1, 6)]     # p1 kept only 199 of its lines
