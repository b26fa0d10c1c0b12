"""Build facts from shell text: emcc links, RUSTFLAGS builds, emsdk versions.

``extract_build_facts(src)`` reads a shell script (kind ``shell``; the shell
source calls it). ``facts_from_shell(text, index, …)`` reads any shell text
with positions: a Makefile recipe after expansion, a package.json script (a
JSON string decoded with positions), a workflow ``run:`` block, a Dockerfile
``RUN``. Flags hidden in ``CC="emcc …"`` arguments and an exported
``EMCC_CFLAGS`` (appended by emcc to every invocation) are followed, and so is its old
name ``EMMAKEN_CFLAGS``: emcc appended it the same way until 3.1.6, which removed it
(emcc now stops at once: "`EMMAKEN_CFLAGS` is no longer supported, please use
`EMCC_CFLAGS` instead"); its settings are what such a build asks for.
"""
from __future__ import annotations

import functools
import os
import re

from ..facts import Fact, Span
from ..shellfiles import project_reader, this_file
from ..sources import ParseError, SourceFile
from .cargo_commands import CARGO_TOOLS
from .cmake_configure import flag_variables_link
from .configured_make import Configured, configured_make_flags, joined_label
from .dependency_builds import dependency_commands
from ..launch.argv import looks_up, wrapped_command
from .containers import container_command
from .emcc import EMCC_NAMES, build_facts, is_emcc
from .emcc_args import carries_emcc_settings
from .emscripten_wrappers import (configure_flags, configure_script_flags, emscripten_cmake_at,
                                  emscripten_configure_at, link_variables)
from .emver import (DockerBuildArg, DockerImageBuild, EmscriptenVersion, image_pin, version_in_emsdk_args,
                    version_in_image)
from .output_copies import add_copies, copied_later
from .profile_use import NAPI, profile_uses
from .project_files import ProjectFiles
from .pstr import UNKNOWN, LineIndex, PStr, Tok, shell_split
from .response_files import response_reader
from .shell_cargo import bindgen_input_target, rustflags_facts
from .shell_eval import Command, evaluate

HIDDEN_CC = ("CC", "CXX", "LD", "EMCC", "CCLD")
EMCC_ENV_FLAGS = ("EMCC_CFLAGS", "EMMAKEN_CFLAGS")     # emcc appends their flags to every command
VERSION_VARS = ("EMSDK_VERSION", "EMSCRIPTEN_VERSION", "EMSCRIPTEN_VERSION_TAG", "EM_VERSION",
                "PYODIDE_EMSCRIPTEN_VERSION", "EMSDK_TAG")
_BUILD_WORDS = (*EMCC_NAMES, *CARGO_TOOLS, NAPI, *VERSION_VARS, "EMCC", "EMMAKEN_CFLAGS", "emsdk", "RUSTFLAGS",
                "emcmake", "--build-arg", "Emscripten.cmake", "emconfigure", "emmake", "wasm-bindgen", "trzeci/emscripten")


def extract_build_facts(src: SourceFile) -> list[Fact]:
    """Build facts of a shell script (``*.sh``)."""
    text = src.text_as_read
    index = LineIndex(text, src.path)
    return facts_from_shell(PStr.source(text, 0), index, reader=response_reader(src),
                            files=project_reader(src), root=this_file(src), substitute=node_printer(src),
                            documented=documented_release(text) if "emsdk" in text else None)


def documented_release(text: str) -> str | None:
    """The one release the script's own comments tell to install before running it
    (``# ./emsdk install 1.38.47`` / ``activate``): the script's links run with it when
    the script installs none itself."""
    from ..bashtree import parse_bytes
    found = set()
    stack = [parse_bytes(text.encode("utf-8", "surrogateescape")).root_node]
    while stack:
        node = stack.pop()
        if node.type == "comment":
            v = version_in_emsdk_args(node.text.decode("utf-8", "replace").lstrip("#").split())
            if v:
                found.add(v)
        elif node.type in ("program", "function_definition", "compound_statement", "if_statement",
                           "else_clause", "elif_clause", "for_statement", "while_statement", "do_group"):
            stack.extend(node.children)
    return found.pop() if len(found) == 1 else None


def _build_args(cmd) -> list[Fact]:
    """``docker build --build-arg NAME=VALUE`` (``buildx build``, ``image build``, podman):
    the value of a Dockerfile ``ARG``; None when not known (``--build-arg NAME`` reads the
    environment)."""
    argv = cmd.argv
    if not argv or argv[0].value.rsplit("/", 1)[-1] not in ("docker", "podman", "buildah") \
            or "build" not in [t.value for t in argv[1:3]]:
        return []
    out: list[Fact] = []
    for i, t in enumerate(argv):
        if t.value == "--build-arg" and i + 1 < len(argv):
            tok, text = argv[i + 1], argv[i + 1].value
        elif t.value.startswith("--build-arg="):
            tok, text = t, t.value[len("--build-arg="):]
        else:
            continue
        name, eq, value = text.partition("=")
        out.append(DockerBuildArg(tok.span() or cmd.span, name=name,
                                  value=value if eq and tok.text.known else None))
    return out


def _image_builds(commands, index: LineIndex) -> list[Fact]:
    """``docker build -t NAME -f FILE CONTEXT`` run in a known folder: NAME is FILE's image.
    The text's commands start in its file's folder (a make recipe line, a script run from
    there); a path that leaves the project or a word not known names nothing."""
    from .docker_contexts import build_command
    out: list[Fact] = []
    for cmd in commands:
        parsed = build_command(cmd.words)       # most commands are not: their folder is not asked
        if parsed is None or cmd.cwd is None or not all(t.text.known for t in cmd.argv):
            continue
        if not parsed[2] or (parsed[0] is None and len(parsed[1]) != 1):
            continue
        here = os.path.normpath(os.path.join(os.path.dirname((cmd.index or index).path), cmd.cwd))
        file = os.path.normpath(os.path.join(here, parsed[0] or os.path.join(parsed[1][0], "Dockerfile")))
        if file.startswith(("../", "/")) or file == "..":
            continue
        out += [DockerImageBuild(cmd.span, image=tag, dockerfile=file) for tag in parsed[2]]
    return out


def facts_from_shell(text: PStr, index: LineIndex, *, env: dict[str, PStr] | None = None,
                     reader=None, variant: str | None = None, version: str | None = None,
                     bindgen: str | None = None, own: bool = False, files=None, root=None,
                     substitute=None, documented: str | None = None, earlier_links=(),
                     configured: Configured | None = None) -> list[Fact]:
    """``documented``: the release the script's comments install (``documented_release``).
    ``earlier_links``: the links of a make recipe's earlier lines (this text's copies of their files count).
    ``configured``: the configure runs of the make file's other recipes (``Configured``).
    ``bindgen``: the triple a wasm-bindgen step beside this text reads (a Makefile recipe's other lines);
    ``files`` reads the project files it sources or runs (``root``: the file the text is).
    ``own``: ``env`` is set for the shell that runs this text alone (a build script's
    ``execSync(line, {env})``): when the text runs one command, they are that command's own.
    ``substitute``: the known output of a ``$(…)`` command (``node_printer``)."""
    result = evaluate(text, index, env, files, root, substitute, builds=may_build)
    for link in earlier_links:
        copied_later(link, "", result.commands)
    if own and env and len(result.commands) == 1:
        cmd = result.commands[0]
        cmd.prefix = {**{k: cmd.env[k] for k in cmd.inherited}, **cmd.prefix}
    builds = [cmd for cmd in result.commands if may_build(cmd.words) or _configure_with_emcc(cmd) is not None]
    bindgen = bindgen or bindgen_input_target(builds)
    facts: list[Fact] = []
    found_version = version
    for a in result.assignments_of(VERSION_VARS):
        if a.name in VERSION_VARS and isinstance(a.value, PStr) and a.value.known and a.value.text.strip():
            facts.append(EmscriptenVersion(a.span, version=a.value.text.strip(), source=a.name))
    facts += _image_builds(result.commands, index)
    for cmd in builds:
        facts += _build_args(cmd)
        words = cmd.words
        v = version_in_emsdk_args(words) or next((version_in_image(w) for w in words if version_in_image(w)), None)
        if v:
            facts.append(EmscriptenVersion(cmd.span, version=v, source="emsdk" if "emsdk" in " ".join(words)
                                           else "image"))
    versions = [f.version for f in facts if isinstance(f, EmscriptenVersion)]
    found_version = found_version or (versions[0] if versions else None) or documented
    linked = False
    problems: list = []
    made_by = []
    # a dependency's configure and make runs set up the library's links, not the script's own
    deps = dependency_commands(result.commands) if any(
        emscripten_configure_at(c.words) is not None or emscripten_cmake_at(c.words) is not None
        or _configure_with_emcc(c) is not None for c in builds) else set()
    for cmd in _collapse(builds):
        label = joined_label(variant, cmd.variant)
        for made in command_facts(cmd, cmd.index or index, reader=reader, variant=label, version=found_version,
                                  problems=problems, bindgen=bindgen, dependency=id(cmd) in deps):
            if made.kind == "emcc-invocation":
                linked = True
                made_by.append((cmd, made))
            facts.append(made)
    add_copies(made_by, result.commands)
    facts += configured_make_flags([c for c in builds if id(c) not in deps], index, variant, found_version,
                                    configured if configured is not None else Configured())
    if not linked:
        facts += _flag_only(result, index, variant, found_version)
    facts += [ParseError(tok.span() or Span(index.path), message=msg) for tok, msg in problems]
    return _dedupe(facts)


# what a command's words hold for a reader of this module to act on it: the programs (emcc,
# cargo and Rust's tools, napi, Emscripten's wrappers, emsdk, wasm-bindgen) and the values
# (``--build-arg``, an emsdk image) that ``command_facts``, ``_build_args``, the version
# readers, ``configured_make_flags`` and ``bindgen_input_target`` read a command by
_COMMAND_WORDS = re.compile("|".join(re.escape(w) for w in (
    *EMCC_NAMES, *CARGO_TOOLS, NAPI, "emcmake", "Emscripten.cmake", "emconfigure", "emmake", "emsdk",
    "trzeci/emscripten", "--build-arg", "wasm-bindgen")))


def may_build(words: list[str]) -> bool:
    """Whether a command with these words can give a build fact (one scan of its text):
    most commands of a script (``cd``, ``cp``, ``tee``, ``node``) are not read further."""
    return _COMMAND_WORDS.search("\n".join(words)) is not None


def command_facts(cmd: Command, index: LineIndex, *, reader=None, variant=None, version=None,
                  problems=None, bindgen=None, dependency: bool = False) -> list[Fact]:
    """``dependency``: the command runs in a dependency's tree (``dependency_builds``): a
    configure there sets up no link of the script's."""
    argv, words = cmd.argv, cmd.words
    out: list[Fact] = []
    if reader is not None and cmd.cwd != "":      # `@file` is read from where the command runs
        reader = functools.partial(reader, cwd=cmd.cwd)
    # emcc reads EMCC_CFLAGS from its environment on every call: each word placed where it was written
    extra = [t for name in EMCC_ENV_FLAGS for t in cmd.env_words(name, index) if t.value != UNKNOWN]
    # the command wrappers run (`xargs docker run … emcc`, `sudo -E emcc`), then the container's
    lead = (len(words) - len(inner)) if (inner := wrapped_command(words)) else 0
    if looks_up(words[lead:]):          # `which emcc`, `command -v emcc`: a name looked up, nothing run
        return out
    start = container_command(words[lead:]) or 0
    start = lead + start if start else lead
    if start > lead:       # the container's emcc: the release its image pins, not the host's
        pinned = image_pin(words[start - 1])
        version = version if pinned is None else pinned
    for k, w in enumerate(words[start:start + 6], start):
        if is_emcc(w):
            out += build_facts(argv[k + 1:], cmd.span, variant=variant, extra=extra, read_response=reader,
                               version=version, problems=problems)
            break
    for tok in argv:
        name, eq, _ = tok.value.partition("=")
        if eq and name in HIDDEN_CC:
            inner = [Tok(p, index) for p in shell_split(tok.text[len(name) + 1:])]
            if inner and is_emcc(inner[0].value):
                out += build_facts(inner[1:], tok.span() or cmd.span, variant=variant, extra=extra,
                                   read_response=reader, version=version, problems=problems)
    out += rustflags_facts(cmd, index, variant, bindgen)
    out += profile_uses(argv, cmd.env, bindgen)
    if dependency:
        return out
    at = emscripten_cmake_at(words)
    if at is not None:
        out += configure_facts(cmd, at, variant, version)
    at = emscripten_configure_at(words)
    at = at if at is not None else _configure_with_emcc(cmd)
    if at is not None:
        here = cmd.argv[0].index
        # each word is placed in the file it was written in (an exported LDFLAGS of a sourced common.sh)
        base = [t for n in ("CFLAGS", "LDFLAGS") for t in cmd.env_words(n, here)]
        base += configure_script_flags(cmd, at + 1)
        # a configure variable for some of the links (R's MAIN_LDFLAGS, SHLIB_LDFLAGS): a flag set each
        sets = [(name, base + [Tok(w, here) for w in shell_split(v)])
                for name, v in link_variables(cmd.prefix, argv[at + 1:])] or [(None, base)]
        for name, toks in sets:
            if carries_emcc_settings([t.value for t in toks]):
                out += build_facts(toks, cmd.span, variant=joined_label(variant, name), version=version, flag_set=True)
    return out


def _configure_with_emcc(cmd: Command) -> int | None:
    """``./configure`` run with ``CC=emcc`` in its environment: autoconf takes CC, CFLAGS and
    LDFLAGS from there, as emconfigure would set them (dosbox-x's build script exports
    ``CC=emcc LDFLAGS="-s …"`` before ``./configure && make``). The script's index, else None."""
    words = cmd.words
    k = 1 if words and os.path.basename(words[0]) in ("sh", "bash") else 0
    if k >= len(words) or os.path.basename(words[k]) != "configure":
        return None
    cc = cmd.prefix.get("CC", cmd.env.get("CC"))
    first = cc.text.split()[:1] if isinstance(cc, PStr) else []
    return k if first and is_emcc(first[0]) else None


CMAKE_ENV_FLAGS = (("CMAKE_C_FLAGS", "CFLAGS"), ("CMAKE_CXX_FLAGS", "CXXFLAGS"), ("CMAKE_EXE_LINKER_FLAGS", "LDFLAGS"))


def configure_facts(cmd: Command, at: int, variant: str | None, version: str | None) -> list[Fact]:
    """``emcmake cmake -DCMAKE_EXE_LINKER_FLAGS=…``: the flags every emcc link of the
    configured project gets (with ``CMAKE_C/CXX_FLAGS``, which CMake also passes to the
    link of an executable), read as one link when the linker flags carry emcc settings, or
    the compile flags carry what only a link uses (wasm-git's ``-DCMAKE_C_FLAGS="… --pre-js
    pre.js -s ALLOW_MEMORY_GROWTH=1"``). Compile flags with compile settings alone
    (``-sUSE_PTHREADS``, ``-sUSE_ZLIB``) configure libraries (a dependency build): no link."""
    names, values, build_type = configure_flags(cmd.argv[at + 1:])
    index = cmd.argv[0].index
    flags = [[Tok(w, index) for w in shell_split(v)] for v in values]
    given = bool(values)
    # cmake(1): on the first configure, the CFLAGS, CXXFLAGS and LDFLAGS of the environment
    # initialise CMAKE_C_FLAGS, CMAKE_CXX_FLAGS and CMAKE_EXE_LINKER_FLAGS when no -D sets them
    # (minetest-wasm exports LDFLAGS="… -sINITIAL_MEMORY=…" before `emcmake cmake`); each word is
    # placed where it was written (a sourced common.sh's part of an LDFLAGS the script extends)
    for cache, env in CMAKE_ENV_FLAGS:
        if cache not in names and env in cmd.env:
            names.append(cache)
            flags.append(cmd.env_words(env, index))
            # emcc settings this script writes itself (not zstd's local -D defines, not only a
            # sourced file's: every library's configure gets those)
            given = given or carries_emcc_settings([t.value for t in flags[-1] if t.index is index])
    return flag_variables_link(names, flags, build_type, given, cmd.span, variant, version)


def _collapse(commands: list[Command]) -> list[Command]:
    """A command that reads the same in every variant is kept once, without a variant."""
    groups: dict = {}
    for cmd in commands:
        groups.setdefault((cmd.span.line, cmd.span.column), []).append(cmd)
    out = []
    for group in groups.values():
        keys = {(tuple(c.words), tuple(sorted((k, v.text) for k, v in c.env.items())))
                for c in group} if len(group) > 1 else ()
        if len(group) > 1 and len(keys) == 1:
            group[0].variant = None
            out.append(group[0])
        else:
            out += group
    return out


def _flag_only(result, index: LineIndex, variant, version) -> list[Fact]:
    """An exported EMCC_CFLAGS (or EMMAKEN_CFLAGS) with no emcc command in the text: it
    still sets every emcc link that runs in this environment."""
    out: list[Fact] = []
    sets = []           # (assignment, its flag set)
    for a in result.assignments_of(EMCC_ENV_FLAGS):
        if a.name in EMCC_ENV_FLAGS and a.exported and isinstance(a.value, PStr):
            toks = _split_env(a.value, a.index or index)
            if any(t.value.startswith("-s") or t.value == "-pthread" for t in toks):
                facts = build_facts(toks, a.span, variant=joined_label(variant, a.variant) or a.name,
                                    version=version, flag_set=True)
                sets += [(a, facts[0])] if facts else []
                out += facts
    _debug_branches(sets)
    return out


def _debug_branches(sets: list) -> None:
    """``if [ "$BUILD_MODE" = release ]; then EMCC_CFLAGS="-O3 …"; else EMCC_CFLAGS="-g
    -sASSERTIONS=1 …"; fi`` (penpot's render-wasm ``_build_env``): one build of the two
    runs, and the branch flagged to debug beside a release branch of the same statement is
    the debug build, not what ships. Both sets' ``release_branch`` is the release one's line."""
    for a, inv in sets:
        if a.branch is None or inv.release or not inv.debug_settings:
            continue
        twin = next((g for b, g in sets if b.branch is not None and b.branch[:2] == a.branch[:2]
                     and b.branch[2] != a.branch[2] and g.release and not g.debug_settings), None)
        if twin is not None:
            inv.release_branch = twin.release_branch = twin.span.line


def _split_env(value: PStr | None, index: LineIndex) -> list[Tok]:
    if value is None or not value.text.strip():
        return []
    return [Tok(p, index) for p in shell_split(value) if p.text != UNKNOWN]


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """A setting read at one place by several links (or variants) is one fact. A link's is
    kept over a flag set's (a configure line's ``CFLAGS="$F"``, whose words are placed where
    ``F`` was written): ``flag_sets.settle`` drops a flag set whose every setting a link of
    the project reads at the same place, with its settings, so the link must hold the one."""
    flag_sets = {f.span for f in facts if f.kind == "emcc-invocation" and f.flag_set}
    seen: dict = {}
    out: list[Fact] = []
    for f in facts:
        key = (f.kind, f.span, getattr(f, "spelling", None), getattr(f, "raw", None),
               getattr(f, "variant", None) if f.kind != "emcc-setting" else None)
        if f.kind in ("emcc-setting", "wasm-ld-arg", "emscripten-version", "parse-error") and key in seen:
            k = seen[key]
            if f.kind == "emcc-setting" and out[k].link in flag_sets and f.link not in flag_sets:
                out[k] = f
            continue
        seen[key] = len(out)
        out.append(f)
    return out


def node_printer(src: SourceFile):
    """The output of ``node FILE.js`` in a ``$(…)`` of a script: FILE inside the project,
    relative to the script's folder or else to the project's (where scripts are run from),
    printing what ``wasmlint.js.printed`` reads without running it."""
    files = ProjectFiles(src)

    def run(argv: list[str]) -> str | None:
        if len(argv) != 2 or os.path.basename(argv[0]) not in ("node", "nodejs") \
                or not argv[1].endswith((".js", ".mjs", ".cjs")):
            return None
        for base in dict.fromkeys((files.rel_dir, ".")):
            rel = files.resolve(base, argv[1])
            if rel is not None and files.is_file(rel):
                text = files.read(rel)
                if text is None:
                    return None
                from ..js.printed import printed      # the JS layer builds on this one
                return printed(rel, text)
        return None
    return run


def facts_from_mapped(mapped, index: LineIndex, **kw) -> list[Fact]:
    """Shell text held in another layer's positioned string (a package.json script,
    a YAML ``run:`` block): any object with ``value`` and per-character ``starts``/``ends``."""
    text = PStr(mapped.value, tuple(mapped.starts), tuple(mapped.ends))
    return facts_from_shell(text, index, **kw)


def env_from_assigns(assigns: dict) -> dict[str, PStr]:
    """A launch ``Unit``'s environment (``shellparse.Assign`` values) as build env."""
    out = {}
    for name, a in (assigns or {}).items():
        value = getattr(a, "value", None)
        if value is not None and not getattr(a, "dynamic", False):   # a value only partly known is unknown
            out[name] = PStr(value.value, tuple(value.starts), tuple(value.ends))
    return out


def _may_build(text: str, env: dict | None) -> bool:
    """Whether shell text (with its environment) can hold an emcc or cargo build or an
    Emscripten version: a word some build fact needs appears in it."""
    values = [getattr(getattr(a, "value", None), "value", "") or "" for a in (env or {}).values()]
    return any(w in t for t in (text, *values, *(env or {})) for w in _BUILD_WORDS)


def build_facts_in(mapped, index: LineIndex, src: SourceFile, env: dict | None = None,
                   version: str | None = None, run_files: bool = True, start: str | None = None) -> list[Fact]:
    """emcc / cargo / RUSTFLAGS facts of a shell fragment held by another surface
    (a package.json script, a Dockerfile RUN, a workflow ``run:``); ``run_files``: the
    fragment runs in the project's folder, so the scripts it names are the project's
    (``start``: the folder it runs in, when not the file's own: ``shellfiles.project_reader``)."""
    if mapped is None or not mapped.value.strip():
        return []
    if not _may_build(mapped.value, env):
        return []      # most CI steps and npm scripts build nothing wasmlint reads: not evaluated
    return facts_from_mapped(mapped, index, env=env_from_assigns(env), reader=response_reader(src),
                             version=version, files=project_reader(src, start) if run_files else None)
