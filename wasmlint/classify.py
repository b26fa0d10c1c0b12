"""Decide the input kind of a file from its name and, when the name is not
enough, its first bytes. The ``\\0asm`` magic wins over the extension.

A kind ``k`` is read by the module ``wasmlint.sources.<k with - as _>``.
"""
from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

WASM_MAGIC = b"\0asm"

JS_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")

# (glob on the file name, kind); first match wins. Lower-cased name is matched.
NAME_KINDS: tuple[tuple[str, str], ...] = (
    ("dockerfile.*", "dockerfile"),         # before *.wasm: `Dockerfile.wasm` builds the wasm image
    ("dockerfile-*", "dockerfile"), ("dockerfile_*", "dockerfile"),    # `Dockerfile-dev`, `Dockerfile_3_build`
    # before *.wasm too: `make -f makefile.WASM` reads a Makefile variant named for its target
    # (clapack-wasm's libf2c/makefile.WASM beside f2c's makefile.u and makefile.vc)
    ("makefile.*", "makefile"),
    ("*.wasm", "wasm"),
    ("*.probe.json", "probe-result"),
    ("package.json", "package-json"),
    # `pm2 start FILE` reads any name holding `.config.js`/`.config.cjs`/`.config.mjs` (or
    # `.json`/`.yml`) as a config: named for PM2's ecosystem, so are the variants a repository
    # keeps beside it (`ecosystem_3d.config.js`, `ecosystem.prod.config.cjs`)
    ("ecosystem.json", "pm2"),
    ("ecosystem*.config.js", "pm2"), ("ecosystem*.config.cjs", "pm2"), ("ecosystem*.config.mjs", "pm2"),
    ("ecosystem*.config.json", "pm2"), ("ecosystem*.config.yml", "pm2"), ("ecosystem*.config.yaml", "pm2"),
    ("pm2.json", "pm2"), ("pm2.config.js", "pm2"), ("process.json", "pm2"),
    ("dockerfile", "dockerfile"), ("*.dockerfile", "dockerfile"),
    ("containerfile", "dockerfile"),
    ("docker-compose*.yml", "compose"), ("docker-compose*.yaml", "compose"),
    ("compose.yml", "compose"), ("compose.yaml", "compose"),
    ("compose.*.yml", "compose"), ("compose.*.yaml", "compose"),
    ("*.service", "systemd"),
    ("procfile", "procfile"), ("procfile.*", "procfile"),
    ("nodemon.json", "nodemon"),
    (".npmrc", "npmrc"),
    (".nvmrc", "nvmrc"), (".node-version", "nvmrc"),
    ("makefile", "makefile"), ("gnumakefile", "makefile"), ("*.mk", "makefile"), ("*.mak", "makefile"), ("*.mk.in", "makefile"),
    ("*.make", "makefile"),
    ("*.makefile", "makefile"),          # helper.Makefile, run with `$(MAKE) -f helper.Makefile …`
    # variants run with `make -f` (Makefile_js, Makefile-wasm): not when another language's file
    ("makefile_*", "makefile"), ("makefile-*", "makefile"),
    ("makefile[a-z0-9]*", "makefile"),  # MakefileJS, Makefile2: `make -f MakefileJS` (meshlabjs)
    ("cmakelists.txt", "cmake"), ("*.cmake", "cmake"),
    ("cmakepresets.json", "cmake-presets"), ("cmakeuserpresets.json", "cmake-presets"),
    # configure templates of these kinds: classified so that `inspect` says why they are not read
    ("cmakelists.txt.in", "cmake"), ("*.cmake.in", "cmake"),
    ("meson.build", "meson"), ("*.cross", "meson-cross"),
    ("configure.ac", "autoconf"), ("configure.in", "autoconf"),
    ("cargo.toml", "cargo-toml"),
    ("build.rs", "build-rs"),
    ("build.zig", "zig-build"),
    ("build.bazel", "bazel-build"),     # and `BUILD`, in capitals only (kind_by_name)
    ("*.bzl", "bazel-build"),           # Starlark macros that call native.cc_binary
    ("module.bazel", "bazel-build"), ("workspace.bazel", "bazel-build"),   # emsdk's toolchain release
    ("*.rs", "rust-source"),
    ("*.go", "go-source"),           # `//go:embed` of the modules a Go WebAssembly runtime runs
    ("rust-toolchain", "rust-toolchain"), ("rust-toolchain.toml", "rust-toolchain"),
    ("*.sh", "shell"), ("*.bash", "shell"),
    ("*.la", "libtool-archive"),
    ("*.py", "python"),
    # SCons reads its build files as Python (`Environment`, `Import` are names it defines)
    ("sconstruct", "python"), ("sconscript", "python"), ("*.scons", "python"),
    # premake and GENie read a Lua script of these names (`premake5 gmake`, `genie gmake`)
    ("premake5.lua", "premake"), ("premake4.lua", "premake"), ("premake.lua", "premake"), ("genie.lua", "premake"),
    ("_headers", "headers-file"),
    ("netlify.toml", "netlify"),
    ("firebase.json", "firebase"),
    ("vercel.json", "vercel"),
    ("wrangler.toml", "wrangler"), ("wrangler.json", "wrangler"), ("wrangler.jsonc", "wrangler"),
    ("serverless.yml", "serverless"), ("serverless.yaml", "serverless"), ("*.tf", "terraform"),
    ("wadm.yaml", "wadm"), ("wadm.yml", "wadm"), ("*.wadm.yaml", "wadm"), ("*.wadm.yml", "wadm"),
    ("wasmcloud.toml", "wasmcloud-toml"),
    ("fastly.toml", "fastly"), ("shopify.extension.toml", "shopify-extension"), ("spin.toml", "spin"),
    ("deno.json", "deno-json"), ("deno.jsonc", "deno-json"),
    ("export_presets.cfg", "godot-presets"),
    ("nginx.conf", "nginx"), ("*.nginx", "nginx"), ("*.nginx.conf", "nginx"),
)

# Conventional names that also come with a suffix naming a variant (`Dockerfile.prod`,
# `Procfile.dev`): the suffix form is of that kind unless the suffix is the extension of
# another language or of a template (`procfile.py`, `Dockerfile.md`, `dockerfile.js`,
# `Dockerfile.j2` are source, docs and templates).
_SUFFIX_FORMS = frozenset(("dockerfile", "procfile"))
# `Makefile_test.py`, `makefile-gen.sh`, `dockerfile_lint.py`: a Makefile or Dockerfile variant
# name with another language's extension is that language (`Makefile.js` stays a Makefile:
# TinyEMU's emcc build is one)
_VARIANT_FORMS = ("makefile_", "makefile-", "dockerfile_", "dockerfile-")
_MAKEFILE_INPUTS = frozenset((".in", ".am"))   # configure and automake inputs of a Makefile
TEMPLATE_EXTENSIONS = frozenset((".j2", ".jinja", ".jinja2", ".liquid", ".tera", ".tmpl", ".tpl", ".template",
                                 ".mustache", ".hbs", ".handlebars", ".erb", ".ejs", ".njk"))

# Kinds decided by the folder they sit in: (glob on the relative path, kind).
PATH_KINDS: tuple[tuple[str, str], ...] = (
    (".github/workflows/*.yml", "github-workflow"), (".github/workflows/*.yaml", "github-workflow"),
    ("*/.github/workflows/*.yml", "github-workflow"), ("*/.github/workflows/*.yaml", "github-workflow"),
    ("xtask/*.rs", "xtask"), ("*/xtask/*.rs", "xtask"),
    (".cargo/config.toml", "cargo-config"), (".cargo/config", "cargo-config"),
    ("*/.cargo/config.toml", "cargo-config"), ("*/.cargo/config", "cargo-config"),
    ("*.service.d/*.conf", "systemd"),
    ("supabase/config.toml", "supabase-config"), ("*/supabase/config.toml", "supabase-config"),
    ("projectsettings/projectsettings.asset", "unity-settings"),
    ("*/projectsettings/projectsettings.asset", "unity-settings"),
    ("*nginx*/*.conf", "nginx"), ("*/sites-available/*", "nginx"), ("*/conf.d/*.conf", "nginx"),
)

# Extensions that are text of some other kind: never sniffed for the wasm magic.
TEXT_EXTENSIONS = frozenset((
    *JS_EXTENSIONS, ".json", ".yml", ".yaml", ".toml", ".md", ".txt", ".html", ".css", ".py",
    ".c", ".h", ".cc", ".cpp", ".hpp", ".rs", ".go", ".lock", ".map", ".d.ts", ".svg", ".xml",
    ".ini", ".cfg", ".conf", ".wat", ".wast", ".in", ".am",
))
# Extensions of other languages: a conventional name with one of these is not of its kind.
_OTHER_LANGUAGE = TEXT_EXTENSIONS | TEMPLATE_EXTENSIONS | frozenset((
    ".rst", ".adoc", ".markdown", ".sh", ".bash", ".ps1", ".bat", ".rb", ".java", ".kt", ".php", ".pl", ".swift",
    ".dockerignore"))     # `Dockerfile.prod.dockerignore`: the ignore file docker reads beside that Dockerfile
_NO_SNIFF_EXT = frozenset((".png", ".jpg", ".jpeg", ".gif", ".ico", ".pdf", ".zip", ".gz",
                           ".tgz", ".woff", ".woff2", ".ttf", ".mp4", ".webp"))

# a Meson machine file: ini sections only Meson uses (cross/native files named anything.ini, or
# anything.txt as Meson's own docs and cross/ folder name them: thorvg's wasm/wasm32.txt)
_MESON_MACHINE = re.compile(rb"^\[(host_machine|target_machine|built-in options|constants)\]", re.M)
_YAML_K8S = re.compile(rb"^apiVersion:\s*\S", re.M)
# a wasmCloud application (any name): an OAM Application with wasmCloud's scalers
_YAML_WADM = re.compile(rb"^apiVersion:\s*['\"]?core\.oam\.dev/", re.M)
_YAML_WADM_TRAIT = re.compile(rb"type:\s*['\"]?(spreadscaler|daemonscaler)\b")
_YAML_K8S_KIND = re.compile(rb"^kind:\s*\S", re.M)
# compose's `services` is a mapping of service names (Travis CI's is a list: `- docker`)
_YAML_COMPOSE = re.compile(rb"^services:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]+[^\s#-]", re.M)
_YAML_PM2 = re.compile(rb"^apps:\s*$", re.M)
# an AWS SAM / CloudFormation template (template.yaml, any name): its header keys
_YAML_CFN = re.compile(rb"^(AWSTemplateFormatVersion:|Transform:\s*['\"]?AWS::Serverless)", re.M)


@lru_cache(maxsize=None)
def _compiled(table) -> "re.Pattern":
    """A (glob, kind) table as one regular expression; alternatives are tried in order,
    so the first glob that matches wins, as in the table."""
    return re.compile("|".join(f"(?P<k{i}>{fnmatch.translate(glob)})" for i, (glob, _kind) in enumerate(table)))


def _match(name: str, table) -> str | None:
    m = _compiled(table).match(name)
    return table[int(m.lastgroup[1:])][1] if m else None


# ``config.h.cmake``, ``foo.pc.cmake``: configure_file() templates of another language, not CMake
_CMAKE_TEMPLATE = re.compile(r"\.(h|hh|hpp|hxx|c|cc|cpp|pc|in|json|xml|txt|py|rc|spec|plist|ini|conf|cfg|"
                             r"ya?ml|md|html?|js|sh|desktop|rb|java|cs|iss|nsi|wxs)\.cmake$")


_NAME_KINDS_BUT_SUFFIX_FORMS = tuple((glob, kind) for glob, kind in NAME_KINDS
                                     if glob.partition(".")[0] not in _SUFFIX_FORMS
                                     and not glob.startswith(_VARIANT_FORMS))


def _other_language_suffix(name: str) -> bool:
    """``procfile.py``, ``makefile_test.py``: a conventional name whose suffix is another
    language's extension."""
    stem, dot, ext = name.partition(".")
    last = "." + ext.rsplit(".", 1)[-1]
    if stem.startswith(_VARIANT_FORMS):
        return bool(dot) and last in _OTHER_LANGUAGE and last not in _MAKEFILE_INPUTS
    return bool(dot) and stem in _SUFFIX_FORMS and last in _OTHER_LANGUAGE


def kind_by_name(relpath: str) -> str | None:
    if relpath.rsplit("/", 1)[-1] in ("BUILD", "WORKSPACE"):
        return "bazel-build"        # Bazel's package / workspace file; `build` is often a shell script
    name = relpath.rsplit("/", 1)[-1].lower()
    if name.startswith("readme."):
        return None                 # a project's documentation whatever it ends with (freeglut's README.cmake)
    table = _NAME_KINDS_BUT_SUFFIX_FORMS if _other_language_suffix(name) else NAME_KINDS
    kind = _match(relpath.lower(), PATH_KINDS) or _match(name, table)
    kind = kind or ("js" if name.endswith(JS_EXTENSIONS) and not name.endswith(".d.ts") else None)
    return None if kind == "cmake" and _CMAKE_TEMPLATE.search(name) else kind


def needs_sniff(relpath: str, by_name: str | None) -> bool:
    """Whether the first bytes must be read to decide the kind."""
    name = relpath.rsplit("/", 1)[-1].lower()
    if by_name == "nginx" and not name.endswith(("nginx.conf", ".nginx")):
        return True     # by its folder only (`conf.d/*.conf`): fontconfig keeps XML there too
    if by_name == "shell":
        return True     # its shebang, not its name, says what runs it (`_shell_or_not`)
    if by_name is not None and by_name != "wasm":
        return False
    ext = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if ext in _NO_SNIFF_EXT or ext in TEMPLATE_EXTENSIONS:
        # a template (`build.sh.tera`, `start.sh.j2`) is rendered before it runs: its
        # shebang says what the rendered copy is, not what this text parses as
        return False
    return by_name == "wasm" or ext in ("", ".yml", ".yaml", ".bin", ".dat", ".so", ".o", ".ini", ".txt") \
        or ext not in TEXT_EXTENSIONS


def kind_by_content(relpath: str, head: bytes, by_name: str | None) -> str | None:
    """``head`` is the file's first bytes (up to 4 KiB)."""
    if head.startswith(WASM_MAGIC):
        return "wasm"
    if by_name == "nginx" and head.lstrip().startswith(b"<"):
        return None     # XML (fontconfig's `conf.d/*.conf`), not nginx's directives
    if by_name == "shell":
        return _shell_or_not(head)
    if by_name is not None:
        return by_name
    name = relpath.rsplit("/", 1)[-1].lower()
    if name.endswith((".yml", ".yaml")):
        if _YAML_WADM.search(head) and _YAML_WADM_TRAIT.search(head):
            return "wadm"
        if _YAML_K8S.search(head) and _YAML_K8S_KIND.search(head):
            return "k8s"
        if _YAML_COMPOSE.search(head):
            return "compose"
        if _YAML_PM2.search(head):
            return "pm2"
        if _YAML_CFN.search(head):
            return "sam-template"
        return None
    if name.endswith((".ini", ".txt")) and _MESON_MACHINE.search(head):
        return "meson-cross"
    if head.startswith(b"#!") and b"\0" not in head:
        # a shebang on binary data is no script (bun's `bun.lockb` starts with `#!/usr/bin/env bun`)
        return _by_shebang(head.split(b"\n", 1)[0])
    return None


def _by_shebang(first: bytes) -> str | None:
    if re.search(rb"\b(node|nodejs|ts-node|tsx|deno|bun)\b", first):
        return "js"
    if re.search(rb"\b(ba|da|k|z)?sh\b", first):
        return "shell"
    if re.search(rb"\bpython(\d+(\.\d+)?)?\b", first):
        return "python"       # an extensionless tool script (`#!/usr/bin/env python3`)
    return None


def _shell_or_not(head: bytes) -> str | None:
    """A ``.sh`` file as what runs it: the kernel runs a shebang's interpreter (mkxp-z's
    `#!/usr/bin/env ruby` tools named `.sh`; a `node` one is JavaScript); without one a
    shell reads it, unless it opens with a C comment (bgfx names its shader headers
    `.sh`: `/*` is no command a script starts with)."""
    if head.startswith(b"#!"):
        return _by_shebang(head.split(b"\n", 1)[0]) if b"\0" not in head else None
    return None if head.lstrip().startswith((b"/*", b"//")) else "shell"
