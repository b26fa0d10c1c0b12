"""Pathological inputs per source: repeated tokens of each input kind's own syntax and
of the syntaxes embedded in it (shell in a Dockerfile, YAML anchors in compose, make
variables, CMake arguments, TOML dotted keys, JSON nesting, emcc settings in build lines).

Each generator takes a size in bytes and returns a file of about that size, so the same
input can be read at 64, 128, 256 and 512 KB. ``measure`` reads one the way ``check``
does (discovery, the source, the project graph, every rule, root causes, the report's
ordering) and returns its CPU seconds. ``tests/test_linear_time.py`` checks that time grows
linearly; ``scripts/bench_pathological.py`` prints the slowest input of every source.
"""
from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from wasmlint.wasm.leb import encode_uleb

SIZES_KB = (64, 128, 256, 512)

Generator = Callable[[int], bytes]


def repeat(unit: Callable[[int], str], head: str = "", tail: str = "") -> Generator:
    """``head``, then ``unit(0)``, ``unit(1)``, … until the file reaches ``size`` bytes."""
    def make(size: int) -> bytes:
        parts, total, i = [head], len(head) + len(tail), 0
        while total < size:
            piece = unit(i)
            parts.append(piece)
            total += len(piece)
            i += 1
        parts.append(tail)
        return "".join(parts).encode()
    return make


def nested(open_: str, close: str, middle: str = "1", head: str = "", tail: str = "") -> Generator:
    """Nesting to the file's size: the depth grows with it (readers must bound it)."""
    def make(size: int) -> bytes:
        depth = max(1, -(-(size - len(head) - len(tail) - len(middle)) // (len(open_) + len(close))))
        return (head + open_ * depth + middle + close * depth + tail).encode()
    return make


def one_line(head: str, unit: Callable[[int], str], tail: str = "\n") -> Generator:
    """One logical line that grows with the file (a long argument list)."""
    return repeat(unit, head, tail)


def wasm_sections(size: int) -> bytes:
    """A module of many small custom sections (each a name and a payload)."""
    out = bytearray(b"\0asm\1\0\0\0")
    i = 0
    while len(out) < size:
        name = f"s{i}".encode()
        body = bytes([len(name)]) + name + b"x" * 16
        out += b"\0" + bytes([len(body)]) + body
        i += 1
    return bytes(out)


def wasm_memories(size: int) -> bytes:
    """A memory section that lists as many growable memories as fit."""
    count = max(1, (size - 12) // 2)
    body = encode_uleb(count) + b"\0\1" * count      # flags 0 (no maximum), minimum 1 page
    return b"\0asm\1\0\0\0" + b"\5" + encode_uleb(len(body)) + body


EMCC = "emcc -O3 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB -sPTHREAD_POOL_SIZE=4 -pthread"

# kind → (file name in the project, {generator name: generator})
GENERATORS: dict[str, tuple[str, dict[str, Generator]]] = {
    "dockerfile": ("Dockerfile", {
        "run-continuations": one_line("FROM node:20\nRUN " + EMCC, lambda i: f" \\\n  -sEXPORTED_FUNCTIONS=_f{i}",
                                      " -o out.js\n"),
        "env-chain": repeat(lambda i: f"ENV A{i}=${{A{i - 1}}}x\n", "FROM node:20\nENV A-1=a\n",
                            'CMD ["node", "--max-old-space-size=512", "server.js"]\n'),
        "stages": repeat(lambda i: f"FROM node:20 AS s{i}\nARG V{i}=1\nRUN node --stack-size=900 s{i}.js\n"),
        "exec-form": repeat(lambda i: f'CMD ["node", "--max-old-space-size={i}", "--expose-gc", "s.js"]\n',
                            "FROM node:20\n"),
        "heredoc": repeat(lambda i: f"NODE_OPTIONS=--max-old-space-size={i} node a{i}.js\n",
                          "FROM node:20\nRUN <<EOF\n", "EOF\n"),
    }),
    "compose": ("docker-compose.yml", {
        "services": repeat(lambda i: f"  s{i}:\n    image: node:20\n    command: node --max-old-space-size=512 "
                                     f"s{i}.js\n    environment:\n      NODE_OPTIONS: --stack-size=900\n"
                                     f"    mem_limit: 256m\n", "services:\n"),
        "anchors": repeat(lambda i: f"  s{i}:\n    <<: *base\n    command: node s{i}.js\n",
                          "x-base: &base\n  image: node:20\n  environment: {NODE_OPTIONS: --expose-gc}\n"
                          "services:\n"),
        "flow-nesting": nested("[", "]", "1", "services:\n  a:\n    command: "),
    }),
    "k8s": ("deploy.yaml", {
        "documents": repeat(lambda i: f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}}}\n"
                                      f"spec:\n  template:\n    spec:\n      containers:\n      - name: c\n"
                                      f"        command: [node, --max-old-space-size=900, s.js]\n"
                                      f"        resources: {{limits: {{memory: 512Mi}}}}\n"),
        "env": repeat(lambda i: f"        - {{name: NODE_OPTIONS, value: --expose-gc}}\n",
                      "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    image: node\n"
                      "    env:\n"),
    }),
    "systemd": ("app.service", {
        "environment": repeat(lambda i: f"Environment=NODE_OPTIONS=--max-old-space-size={i}\n",
                              "[Service]\nMemoryMax=512M\nExecStart=/usr/bin/node server.js\n"),
        "exec-continuations": one_line("[Service]\nExecStart=/usr/bin/node", lambda i: f" \\\n  --a{i}=1",
                                       " server.js\n"),
    }),
    "makefile": ("Makefile", {
        "variable-chain": repeat(lambda i: f"V{i} = $(V{i - 1}) -sX{i}=1\n", "V-1 = " + EMCC + "\n",
                                 "all:\n\t$(V100) -o a.js a.c\n"),
        "rules": repeat(lambda i: f"t{i}.js: t{i}.c\n\t{EMCC} -o $@ $<\n", "all: t0.js\n"),
        "continuation": one_line("LDFLAGS = " + EMCC, lambda i: f" \\\n  -sEXPORTED_FUNCTIONS=_f{i}",
                                 "\nall:\n\temcc $(LDFLAGS) -o a.js a.c\n"),
        "functions": repeat(lambda i: f"F{i} := $(foreach x,a b c,$(patsubst %,-s%=1,$(x)) $(F{i - 1}))\n",
                            "F-1 := -O3\n", "all:\n\temcc $(F10) -o a.js a.c\n"),
        "conditionals": repeat(lambda i: f"ifeq ($(P),w{i})\nLDFLAGS += -sX{i}=1\nelse\nLDFLAGS += -O{i % 4}\n"
                                         f"endif\n", "", "all:\n\temcc $(LDFLAGS) -o a.js a.c\n"),
    }),
    "cmake": ("CMakeLists.txt", {
        "set-chain": repeat(lambda i: f"set(V{i} ${{V{i - 1}}} -sX{i}=1)\n",
                            "project(p)\nset(V-1 -O3)\nadd_executable(a a.c)\n",
                            "target_link_options(a PRIVATE ${V50})\n"),
        "arguments": one_line("project(p)\nadd_executable(a a.c)\nset_target_properties(a PROPERTIES LINK_FLAGS \"",
                              lambda i: f" -sEXPORTED_FUNCTIONS=_f{i}", "\")\n"),
        "if-nesting": nested("if(EMSCRIPTEN)\n", "endif()\n", "add_executable(a a.c)\n", "project(p)\n"),
        "macro-calls": repeat(lambda i: f"m(a{i} -sX{i}=1)\n",
                              "project(p)\nmacro(m t f)\n  add_executable(${t} a.c)\n"
                              "  target_link_options(${t} PRIVATE ${f})\nendmacro()\n"),
        "list-append": repeat(lambda i: f"list(APPEND L -sX{i}=1 \"a;b;c\")\n", "project(p)\n",
                              "add_executable(a a.c)\ntarget_link_options(a PRIVATE ${L})\n"),
    }),
    "package-json": ("package.json", {
        "scripts": repeat(lambda i: f'"s{i}": "NODE_OPTIONS=--max-old-space-size={i} node --expose-gc s{i}.js '
                                    f'&& {EMCC} a.c",\n', '{"name": "p", "scripts": {\n', '"z": "x"}}\n'),
        "nesting": nested('{"a":', "}", "1"),
        "array-nesting": nested("[", "]", "1"),
        "long-script": one_line('{"scripts": {"build": "', lambda i: f"emcc -sX{i}=1 && ", 'true"}}\n'),
    }),
    "shell": ("build.sh", {
        "variable-growth": repeat(lambda i: f'FLAGS="$FLAGS -sX{i}=1"\n', "#!/bin/sh\nFLAGS=-O3\n",
                                  "emcc $FLAGS -o a.js a.c\n"),
        "doubling": repeat(lambda i: 'A="$A$A"\n', "#!/bin/sh\nA=x\n", "node $A s.js\n"),
        "substitutions": nested("$(echo ", ")", "x", "#!/bin/sh\nA=", "\n"),
        "functions": repeat(lambda i: f"f{i}() {{ f{max(i - 1, 0)} \"$@\" -sX{i}=1; }}\n",
                            "#!/bin/bash\nf0() { emcc \"$@\"; }\n", "f100 -o a.js a.c\n"),
        "pipelines": one_line("#!/bin/sh\nnode s.js", lambda i: f" | tee o{i}", "\n"),
        "heredocs": repeat(lambda i: f"cat <<EOF{i}\nnode --max-old-space-size={i} s.js\nEOF{i}\n", "#!/bin/sh\n"),
        "written-units": repeat(lambda i: f"sudo tee /etc/systemd/system/a{i}.service <<EOF\n[Service]\n"
                                          f"ExecStart=/usr/bin/node --max-old-space-size={i} s.js\nMemoryMax=1M\nEOF\n",
                                "#!/bin/sh\n"),
        "node-lines": repeat(lambda i: f"NODE_OPTIONS=--expose-gc node --stack-size={i} s{i}.js &\n", "#!/bin/sh\n"),
        "exports": repeat(lambda i: f"export V{i}=x{i}\nmake t{i}\n", "#!/bin/sh\n"),
        "branches": repeat(lambda i: f"export A{i}=1\ncase $X in a) B=1;; *) C=2;; esac\n", "#!/bin/sh\n"),
    }),
    "procfile": ("Procfile", {
        "processes": repeat(lambda i: f"p{i}: NODE_OPTIONS=--max-old-space-size={i} node --expose-gc s{i}.js\n"),
        "long-line": one_line("web: node", lambda i: f" --a{i}=1", " s.js\n"),
    }),
    "github-workflow": (".github/workflows/ci.yml", {
        "steps": repeat(lambda i: f"      - run: NODE_OPTIONS=--max-old-space-size={i} node s{i}.js && {EMCC} a.c\n",
                        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - uses: actions/setup-node@v4\n        with: {node-version: 20}\n"),
        "jobs": repeat(lambda i: f"  j{i}:\n    runs-on: ubuntu-latest\n    env: {{RUSTFLAGS: -Dwarnings}}\n"
                                 f"    steps:\n      - run: cargo build --target wasm32-unknown-unknown\n",
                       "on: push\njobs:\n"),
        "run-block": repeat(lambda i: f"          emcc -sX{i}=1 a.c \\\n",
                            "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n",
                            "          -o a.js\n"),
    }),
    "pm2": ("ecosystem.config.json", {
        "apps": repeat(lambda i: f'{{"name": "a{i}", "script": "s{i}.js", "node_args": "--max-old-space-size={i}",'
                                 f' "max_memory_restart": "300M", "instances": "max"}},\n',
                       '{"apps": [\n', '{"name": "z", "script": "z.js"}]}\n'),
    }),
    "js": ("loader.js", {
        "workers": repeat(lambda i: f"const w{i} = new Worker('w.js', {{execArgv: ['--expose-gc']}});\n"
                                    f"w{i}.postMessage(mod);\n",
                          "const {Worker} = require('worker_threads');\n"),
        "memories": repeat(lambda i: f"const m{i} = new WebAssembly.Memory({{initial: {i % 100}, maximum: 65536}});\n"
                                     f"m{i}.grow(1);\n"),
        "loops": repeat(lambda i: f"for (let i = 0; i < n{i}; i++) {{ new Worker('w.js'); }}\n"),
        # the Memory innermost: the prefilter lets the file through, and its facts walk up the whole nesting
        "call-nesting": nested("f(", ")", "new WebAssembly.Memory({initial: 1})", "", ";\n"),
        "concatenation": one_line("const s = 'a'", lambda i: f" + 'b{i}'", ";\n"),
        "instantiate": repeat(lambda i: f"WebAssembly.instantiate(await (await fetch('m{i}.wasm')).arrayBuffer());\n",
                              "async function main() {\n", "}\n"),
        "object-nesting": nested("{a:", "}", "new WebAssembly.Memory({initial: 1})", "const o = ", ";\n"),
    }),
    "meson": ("meson.build", {
        "link-args": one_line("project('p', 'c')\nexecutable('a', 'a.c', link_args: [",
                              lambda i: f"'-sX{i}=1', ", "'-O3'])\n"),
        "executables": repeat(lambda i: f"executable('a{i}', 'a.c', link_args: ['-sALLOW_MEMORY_GROWTH=1'])\n",
                              "project('p', 'c')\n"),
        "array-nesting": nested("[", "]", "1", "project('p', 'c')\nx = ", "\n"),
        "variable-chain": repeat(lambda i: f"v{i} = v{i - 1 if i else ''} + ['-sX{i}=1']\n",
                                 "project('p', 'c')\nv = []\n", "executable('a', 'a.c', link_args: v10)\n"),
    }),
    "meson-cross": ("emscripten.cross", {
        "keys": repeat(lambda i: f"k{i} = ['-sX{i}=1', '-O3']\n", "[binaries]\nc = 'emcc'\n[built-in options]\n"),
        "long-array": one_line("[built-in options]\nc_link_args = [", lambda i: f"'-sX{i}=1', ", "'-O3']\n"),
    }),
    "bazel-build": ("BUILD.bazel", {
        "linkopts": one_line('cc_binary(\n    name = "a.js",\n    linkopts = [', lambda i: f'"-s X{i}=1", ',
                             '"-sALLOW_MEMORY_GROWTH=1"],\n)\n'),
        "binaries": repeat(lambda i: f'cc_binary(\n    name = "a{i}.js",\n    linkopts = BASE + ["-s EXPORT_NAME=M{i}"],\n)\n',
                           'BASE = ["-s ALLOW_MEMORY_GROWTH=1", "-pthread"]\n'),
        "list-chain": repeat(lambda i: f"L{i} = L{i - 1 if i else ''} + ['-sX{i}=1']\n", "L = ['-sWASM=1']\n",
                             "cc_binary(name = 'a.js', linkopts = L100)\n"),
        "make-variables": one_line('cc_binary(name = "a.js", linkopts = ["-sWASM=1 ', lambda i: f"$(location :f{i}) $$x{i} ",
                                   '"])\n'),
        "list-nesting": nested("[", "]", "1", "x = ", "\ncc_binary(name = 'a.js', linkopts = ['-sWASM=1'])\n"),
    }),
    "autoconf": ("configure.ac", {
        "macro-calls": repeat(lambda i: f"AC_CHECK_LIB([m{i}], [sin], [LIBS=\"$LIBS -lm\"])\n"
                                        f"CFLAGS=\"$CFLAGS -sX{i}=1\"\n", "AC_INIT(p, 1.0)\n"),
        "quotes": one_line("AC_INIT(p, 1.0)\nEMFLAGS=\"", lambda i: f"[[-sX{i}=1]] ", "\"\nLDFLAGS=$EMFLAGS\n"),
    }),
    "wrangler": ("wrangler.toml", {
        "rules": repeat(lambda i: f'[[rules]]\ntype = "CompiledWasm"\nglobs = ["**/m{i}.wasm"]\n',
                        'name = "w"\nmain = "src/index.js"\n'),
        "dotted-keys": one_line("", lambda i: f"a{i}.", " = 1\n"),
    }),
    "serverless": ("serverless.yml", {
        "functions": repeat(lambda i: f"  f{i}:\n    handler: h{i}.main\n    memorySize: 128\n",
                            "service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n"),
    }),
    "sam-template": ("template.yaml", {
        "resources": repeat(lambda i: f"  F{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                                      f"      Handler: h{i}.main\n      MemorySize: 128\n",
                            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
                            "Resources:\n"),
    }),
    "fastly": ("fastly.toml", {
        "backends": repeat(lambda i: f'[local_server.backends.b{i}]\nurl = "http://127.0.0.1/{i}"\n',
                           'manifest_version = 3\nname = "f"\nlanguage = "rust"\n'),
    }),
    "shopify-extension": ("shopify.extension.toml", {
        "targeting": repeat(lambda i: f'[[extensions.targeting]]\ntarget = "t{i}"\nexport = "run{i}"\n',
                            'api_version = "2024-07"\n[[extensions]]\nname = "e"\nhandle = "e"\ntype = "function"\n'),
    }),
    "spin": ("spin.toml", {
        "components": repeat(lambda i: f'[component.c{i}]\nsource = "target/c{i}.wasm"\n'
                                       f'[[trigger.http]]\nroute = "/c{i}"\ncomponent = "c{i}"\n',
                             'spin_manifest_version = 2\n[application]\nname = "a"\n'),
    }),
    "cmake-presets": ("CMakePresets.json", {
        # each preset inherits the one before and adds an entry: what it inherits grows
        "inherits-chain": one_line('{"version": 6, "configurePresets": [{"name": "p0", "toolchainFile": "Emscripten.cmake"}',
                                   lambda i: f', {{"name": "p{i + 1}", "inherits": ["p{i}"], '
                                             f'"cacheVariables": {{"V{i}": "-s ALLOW_MEMORY_GROWTH=1"}}}}', ']}\n'),
        "emscripten-presets": one_line('{"version": 6, "configurePresets": [{"name": "t", "hidden": true, '
                                       '"toolchainFile": "Emscripten.cmake"}',
                                       lambda i: f', {{"name": "w{i}", "inherits": "t", "cacheVariables": '
                                                 f'{{"CMAKE_EXE_LINKER_FLAGS": "-pthread -s INITIAL_MEMORY={i + 1}MB '
                                                 f'-s ALLOW_MEMORY_GROWTH=1"}}}}', ']}\n'),
    }),
    "deno-json": ("deno.json", {
        "tasks": one_line('{"tasks": {', lambda i: f'"t{i}": "deno run --v8-flags=--max-old-space-size={i} m.ts", ',
                          '"x": "deno run m.ts"}}\n'),
        "nesting": nested('{"a": ', "}", "1"),
    }),
    "supabase-config": ("supabase/config.toml", {
        "functions": repeat(lambda i: f'[functions.f{i}]\nverify_jwt = false\nentrypoint = "./f{i}/index.ts"\n',
                            'project_id = "p"\n[edge_runtime]\nenabled = true\npolicy = "per_worker"\n'),
    }),
    "unity-settings": ("ProjectSettings/ProjectSettings.asset", {
        "keys": repeat(lambda i: f"  key{i}: {i}\n", "%YAML 1.1\n%TAG !u! tag:unity3d.com,2011:\n"
                                                      "--- !u!129 &1\nPlayerSettings:\n"
                                                      "  webGLMemoryGrowthMode: 1\n  webGLMaximumMemorySize: 2048\n"),
    }),
    "godot-presets": ("export_presets.cfg", {
        "presets": repeat(lambda i: f'[preset.{i}]\nname="Web {i}"\nplatform="Web"\n'
                                    f'[preset.{i}.options]\nvariant/thread_support=true\n', ""),
        "long-string": one_line('[preset.0]\nplatform="Web"\nname="', lambda i: f"line {i}\\n", '"\n'),
        "nesting": nested("[", "]", "1", "[preset.0]\nplatform=\"Web\"\nv=", "\n"),
    }),
    "nvmrc": (".nvmrc", {
        "long-line": one_line("", lambda i: f"{i % 10}", "\n"),
    }),
    "probe-result": ("app.probe.json", {
        "nesting": nested('{"a": ', "}", "1"),
        "entries": one_line('{"results": [', lambda i: f'{{"name": "r{i}", "ok": true}}, ', '{}]}\n'),
    }),
    "terraform": ("infra/lambda.tf", {
        "functions": repeat(lambda i: f'resource "aws_lambda_function" "f{i}" {{\n  filename = "f{i}.zip"\n'
                                      f'  handler = "index.handler"\n  runtime = "nodejs20.x"\n  memory_size = 128\n}}\n', ""),
        "nesting": nested("{ a = ", " }", "1", 'locals {\n  x = ', "\n}\n"),
        "long-list": one_line('resource "aws_lambda_function" "f" {\n  handler = "index.handler"\n  layers = [',
                              lambda i: f'"arn:{i}", ', '"x"]\n}\n'),
    }),
    "wadm": ("wadm.yaml", {
        "components": repeat(lambda i: f"    - name: c{i}\n      type: component\n      properties:\n"
                                       f"        image: file://./build/c{i}.wasm\n",
                             "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: a\n"
                             "spec:\n  components:\n"),
    }),
    "wasmcloud-toml": ("wasmcloud.toml", {
        "tables": repeat(lambda i: f"[t{i}]\nk = {i}\n", 'name = "c"\nlanguage = "rust"\ntype = "component"\n'),
    }),
    "cargo-toml": ("Cargo.toml", {
        "profiles": repeat(lambda i: f"[profile.p{i}]\ninherits = 'release'\nopt-level = 's'\n",
                           "[package]\nname = 'p'\nversion = '0.1.0'\n[lib]\ncrate-type = ['cdylib']\n"),
        "dotted-keys": repeat(lambda i: f"a{i}.b.c.d = {i}\n", "[package]\nname = 'p'\n[package.metadata]\n"),
        "array": one_line("[package]\nname = 'p'\nkeywords = [", lambda i: f"'k{i}', ", "'z']\n"),
    }),
    "cargo-config": (".cargo/config.toml", {
        "rustflags": one_line("[target.wasm32-unknown-unknown]\nrustflags = [",
                              lambda i: f"'-C', 'link-arg=--x{i}', ", "'-C', 'opt-level=3']\n"),
        "tables": repeat(lambda i: f"[target.t{i}]\nrustflags = ['-C', 'link-arg=--max-memory={i * 65536}']\n"),
    }),
    "build-rs": ("build.rs", {
        "link-args": repeat(lambda i: f'    println!("cargo:rustc-link-arg=-sX{i}=1");\n', "fn main() {\n", "}\n"),
        "nesting": nested("{", "}", "", "fn main() ", "\n"),
    }),
    "rust-source": ("src/lib.rs", {
        "includes": repeat(lambda i: f'const M{i}: &[u8] = include_bytes!("../wasm/m{i}.wasm");\n'),
        "test-modules": repeat(lambda i: f'#[cfg(test)]\nmod t{i} {{\n    #[test]\n    fn f() {{ '
                                         f'include_bytes!("../wasm/t{i}.wasm"); }}\n}}\n'),
        "nesting": nested("mod m { ", "}", 'const M: &[u8] = include_bytes!("a.wasm");', "", "\n"),
    }),
    "xtask": ("xtask/src/main.rs", {
        "commands": repeat(lambda i: f'    Command::new("cargo").args(["build", "--target", "wasm32-unknown-unknown"])'
                                     f'.env("RUSTFLAGS", "-C link-arg=--x{i}").status()?;\n',
                           "use std::process::Command;\nfn main() -> std::io::Result<()> {\n", "    Ok(())\n}\n"),
    }),
    "python": ("build.py", {
        "subprocess": repeat(lambda i: f"subprocess.run(['emcc', '-sX{i}=1', 'a.c', '-o', 'a{i}.js'], check=True)\n",
                             "import subprocess\n"),
        "list-growth": repeat(lambda i: f"flags += ['-sX{i}=1']\n", "import subprocess\nflags = ['emcc']\n",
                              "subprocess.run(flags + ['a.c'])\n"),
        "nesting": nested("(", ")", "1", "x = ", "\n"),
    }),
    "premake": ("premake5.lua", {
        "projects": repeat(lambda i: f'project "p{i}"\n  filter "system:emscripten"\n'
                                     f'  linkoptions {{ "-s ALLOW_MEMORY_GROWTH=1", "-s X{i}=1" }}\n',
                           'workspace "w"\n  linkoptions { "-pthread" }\n'),
        "long-table": one_line('project "p" -- emscripten\n  linkoptions { ', lambda i: f'"-s X{i}=1", ', '"-O3" }\n'),
        "nesting": nested("{", "}", '"-s X=1"', 'project "p" -- emscripten\n  linkoptions ', "\n"),
        "functions": repeat(lambda i: f'function testDefaults{i}()\n  linkoptions "-s X{i}=1"\nend\n',
                            '-- emscripten\nproject "p"\n  linkoptions "-O3"\n'),
    }),
    "zig-build": ("build.zig", {
        "add-args": repeat(lambda i: f'    emcc.addArgs(&.{{ "-sX{i}=1", "-O3" }});\n',
                           'const std = @import("std");\npub fn build(b: *std.Build) void {\n'
                           '    const emcc = b.addSystemCommand(&.{ "emcc", "a.c" });\n', "}\n"),
        "commands": repeat(lambda i: f'    const e{i} = b.addSystemCommand(&.{{ "emcc", "-sX{i}=1", "a.c" }});\n',
                           'const std = @import("std");\npub fn build(b: *std.Build) void {\n', "}\n"),
        "settings": repeat(lambda i: f'    s.put("X{i}", "1") catch unreachable;\n',
                           'const std = @import("std");\npub fn build(b: *std.Build) void {\n'
                           '    var s = zemscripten.emccDefaultSettings(b.allocator, .{});\n', "}\n"),
        "nesting": nested("(", ")", "1", 'pub fn build(b: *std.Build) void {\n'
                          '    const emcc = b.addSystemCommand(&.{ "emcc" });\n    _ = ', ";\n}\n"),
    }),
    "go-source": ("main.go", {
        "embeds": repeat(lambda i: f"//go:embed m{i}.wasm\nvar m{i} []byte\n",
                         'package p\n\nimport "github.com/tetratelabs/wazero"\n'),
        "long-directive": one_line('package p\n\nimport "github.com/tetratelabs/wazero"\n\n//go:embed',
                                   lambda i: f" m{i}.wasm", "\nvar fs embed.FS\n"),
        "imports": repeat(lambda i: f'import _ "example.com/p{i}"\n', "package p\n",
                          'import "github.com/tetratelabs/wazero"\n//go:embed a.wasm\nvar a []byte\n'),
    }),
    "libtool-archive": ("lib/libfoo.la", {
        "assignments": repeat(lambda i: f"v{i}='x{i}'\n", "# libfoo.la - a libtool library file\n",
                              "library_names='libfoo.so.1 libfoo.so'\nold_library='libfoo.a'\nshouldnotlink=no\n"),
        "long-names": one_line("library_names='", lambda i: f"lib{i}.so ", "'\nold_library='libfoo.a'\n"),
    }),
    "nginx": ("nginx.conf", {
        "locations": repeat(lambda i: f"    location /l{i} {{\n      add_header Cross-Origin-Opener-Policy same-origin;\n"
                                      f"      add_header Cross-Origin-Embedder-Policy require-corp;\n    }}\n",
                            "http {\n  server {\n", "  }\n}\n"),
        "nesting": nested("a {\n", "}\n", "b c;\n", "http {\n", "}\n"),
    }),
    "netlify": ("netlify.toml", {
        "headers": repeat(lambda i: f"[[headers]]\nfor = '/p{i}/*'\n[headers.values]\n"
                                    f"Cross-Origin-Opener-Policy = 'same-origin'\n"),
    }),
    "vercel": ("vercel.json", {
        "headers": repeat(lambda i: f'{{"source": "/p{i}", "headers": [{{"key": "Cross-Origin-Opener-Policy", '
                                    f'"value": "same-origin"}}]}},\n', '{"headers": [\n', '{"source": "/z"}]}\n'),
    }),
    "firebase": ("firebase.json", {
        "headers": repeat(lambda i: f'{{"source": "/p{i}", "headers": [{{"key": "Cross-Origin-Embedder-Policy", '
                                    f'"value": "require-corp"}}]}},\n', '{"hosting": {"headers": [\n',
                          '{"source": "/z"}]}}\n'),
    }),
    "headers-file": ("_headers", {
        "rules": repeat(lambda i: f"/p{i}/*\n  Cross-Origin-Opener-Policy: same-origin\n"
                                  f"  Cross-Origin-Embedder-Policy: require-corp\n"),
    }),
    "nodemon": ("nodemon.json", {
        "exec": one_line('{"exec": "node', lambda i: f" --a{i}=1", ' s.js"}\n'),
    }),
    "npmrc": (".npmrc", {
        "keys": repeat(lambda i: f"k{i}=node-options=--max-old-space-size={i}\n", "node-options=--expose-gc\n"),
    }),
    "rust-toolchain": ("rust-toolchain.toml", {
        "targets": one_line("[toolchain]\nchannel = 'stable'\ntargets = [", lambda i: f"'t{i}', ",
                            "'wasm32-unknown-unknown']\n"),
    }),
    "wasm": ("app.wasm", {
        "custom-sections": wasm_sections,
        "memories": wasm_memories,
    }),
}


def measure(kind: str, data: bytes, runs: int = 1) -> float:
    """The least CPU seconds of ``runs`` checks of a project holding only this file, in
    this process: what ``tests/test_linear_time.py`` compares (a later run may find the
    work of an earlier one in a reader's cache, so the figure is a floor)."""
    from wasmlint.config import Config
    from wasmlint.pipeline import run_check
    from wasmlint.ruleset import all_rules
    name = GENERATORS[kind][0]
    rules = all_rules()
    best = float("inf")
    with tempfile.TemporaryDirectory(prefix="wasmlint-pathological-") as tmp:
        path = Path(tmp, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        for _ in range(runs):
            gc.collect()
            start = time.process_time()
            run_check([tmp], Config(root=Path(tmp)), rules, jobs=1)
            best = min(best, time.process_time() - start)
    return best


def measure_fresh(kind: str, data: bytes, runs: int = 1, warm: bytes = b"") -> float:
    """The least CPU seconds of ``runs`` checks of this file, each in a new interpreter
    that has already checked ``warm`` (a small input of the same kind: imports, rules and
    the kind's grammars are loaded): what one file's check costs once the interpreter is
    up, with no reader's cache filled by an earlier run (``scripts/bench_pathological.py``)."""
    best = float("inf")
    with tempfile.TemporaryDirectory(prefix="wasmlint-pathological-") as tmp:
        Path(tmp, "input").write_bytes(data)
        Path(tmp, "warm").write_bytes(warm)
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-m", "fuzz.pathological", kind, tmp], check=True,
                                 capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
            best = min(best, float(out.stdout.split()[-1]))
    return best


def _measure_once(kind: str, folder: str) -> None:
    """``measure_fresh``'s side: check ``folder``/warm, then print the CPU seconds of a
    check of ``folder``/input."""
    warm, data = Path(folder, "warm").read_bytes(), Path(folder, "input").read_bytes()
    measure(kind, warm)
    print(f"{measure(kind, data):.4f}")


def cases():
    """Every (kind, generator name, generator)."""
    for kind, (_, gens) in GENERATORS.items():
        for name, gen in gens.items():
            yield kind, name, gen


if __name__ == "__main__":
    _measure_once(*sys.argv[1:3])
