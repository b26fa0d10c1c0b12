"""A build script's builds of its dependencies: third-party sources it fetches, configures
as libraries and installs, before it builds its own program.

A script unpacks or clones a library's sources into a folder (``curl … | tar xzC
$DEPS/zlib``, ``tar -xf xz-5.2.5.tar.gz``, ``git clone URL dir``), configures it there for
static libraries or for an install prefix (``--disable-shared``, ``-DBUILD_SHARED_LIBS=OFF``,
``--prefix=$P``, ``-DCMAKE_INSTALL_PREFIX=$P``), and later configures or links something
in another folder: its own program, which links those libraries (wasm-vips' build.sh,
biowasm's htslib compile.sh). The links that the dependency's configure sets up
are the library's own (its CLI tools, its tests), never copied or deployed by the
script: the flags given to that configure are compile flags of the libraries, and the
exported LDFLAGS that reach the final link are read at that link. A fetched tree built
last (a port script that clones its upstream and builds it) is the shipped one.
"""
from __future__ import annotations

from ..bashstate import joined_folder
from ..bashwords import known_text
from ..launch.argv import basename

# a tarball's one top folder is its name (``make dist``: NAME-VERSION.tar.gz holds NAME-VERSION/)
_ARCHIVE_ENDS = (".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tar")
_CLONE_VALUE_OPTIONS = ("-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference",
                        "--filter", "-j", "--jobs", "--template", "--separate-git-dir", "--shallow-since",
                        "--shallow-exclude", "-u", "--upload-pack")
# what configures static libraries only, or an install into a prefix
_LIBRARY_WORDS = ("--disable-shared", "--enable-static", "--static", "--default-library=static")
_LIBRARY_STARTS = ("--prefix=", "-DCMAKE_INSTALL_PREFIX=", "-DCMAKE_INSTALL_PREFIX:PATH=")
_BUILD_TOOLS = ("emcc", "em++", "emconfigure", "emcmake", "emmake", "configure", "cmake", "meson")
_CONFIGURE_TOOLS = ("emconfigure", "emcmake", "configure", "cmake")


def dependency_commands(commands) -> set[int]:
    """The ids of the commands that run in a dependency's tree (``Command.folder``). "Later"
    is by place in the file (every evaluation variant, and a branch's copy of a command,
    runs the same lines)."""
    # a folder named by its own last part (``$DEPS/zlib``, not ``$DIR``): a fully unknown one
    # could be any folder of the script, its own too
    trees = {t for t in map(_fetched_into, commands) if t and known_text(t.rsplit("/", 1)[-1])}
    if not trees:
        return set()
    builds = [c for c in commands if c.folder is not None and _tool_in(c.words, _BUILD_TOOLS)]
    qualified = set()
    for cmd in builds:
        tree = next((t for t in trees if _inside(cmd.folder, t)), None)
        if tree is None or tree in qualified or not _tool_in(cmd.words, _CONFIGURE_TOOLS) \
                or not _library_configure(cmd.words):
            continue
        here = (cmd.span.path, cmd.span.line)
        if any(c.span.path == here[0] and c.span.line > here[1] and not _inside(c.folder, tree) for c in builds):
            qualified.add(tree)
    return {id(c) for c in commands if any(_inside(c.folder, t) for t in qualified)}


def _tool_in(words: list[str], tools: tuple) -> bool:
    return any(basename(w) in tools for w in words[:3])


def _library_configure(words: list[str]) -> bool:
    return any(w in _LIBRARY_WORDS or w.startswith(_LIBRARY_STARTS) or w.upper() in (
        "-DBUILD_SHARED_LIBS=OFF", "-DBUILD_SHARED_LIBS:BOOL=OFF") for w in words)


def _inside(folder: str | None, tree: str) -> bool:
    return folder is not None and (folder == tree or folder.startswith(tree + "/"))


def _fetched_into(cmd) -> str | None:
    """The folder a ``tar -x`` or ``git clone`` command puts sources in, as written."""
    words = cmd.words
    if not words or cmd.folder is None:
        return None
    head = basename(words[0])
    if head == "tar":
        dest = _tar_folder(words[1:])
    elif head == "git" and len(words) > 2 and words[1] == "clone":
        dest = _clone_folder(words[2:])
    else:
        return None
    if not dest or dest in (".", "./"):
        return None
    return joined_folder(cmd.folder, dest)


def _tar_folder(args: list[str]) -> str | None:
    """``tar -xf NAME.tar.gz`` → NAME; ``tar xzC DIR`` / ``-C DIR`` / ``--directory=DIR`` → DIR."""
    extract, archive, folder, strip, pending = False, None, None, False, []
    for k, a in enumerate(args):
        if pending:
            letter = pending.pop(0)
            archive, folder = (a, folder) if letter == "f" else (archive, a)
            continue
        if a in ("--extract", "--get"):
            extract = True
        elif a.startswith("--directory="):
            folder = a.split("=", 1)[1]
        elif a == "--directory":
            pending.append("C")
        elif a.startswith("--file="):
            archive = a.split("=", 1)[1]
        elif a.startswith("--strip-components"):
            strip = True
        elif a.startswith("--"):
            continue
        elif a.startswith("-") or k == 0:       # a bundle, old style as the first word
            letters = a.lstrip("-")
            extract = extract or "x" in letters
            pending += [c for c in letters if c in "fC"]
    if not extract:
        return None
    if folder is not None:
        return folder
    if archive is None or strip:
        return None
    name = basename(archive)
    end = next((e for e in _ARCHIVE_ENDS if name.endswith(e)), None)
    return name[:-len(end)] if end and len(name) > len(end) else None


def _clone_folder(args: list[str]) -> str | None:
    """``git clone [options] URL [DIR]``: DIR, else the URL's last part without ``.git``."""
    positional, k = [], 0
    while k < len(args):
        a = args[k]
        if a in _CLONE_VALUE_OPTIONS:
            k += 1
        elif not a.startswith("-"):
            positional.append(a)
        k += 1
    if not positional:
        return None
    if len(positional) > 1:
        return positional[1]
    name = positional[0].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return name[:-4] if name.endswith(".git") else name
