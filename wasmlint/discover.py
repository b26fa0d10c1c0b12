"""Walk the given paths and classify every file (the first pipeline stage).

Respects ``.gitignore`` files (root and nested) and the ``exclude`` config.
Never follows a symlink out of the given roots: such a file is returned with
``problem`` set so a diagnostic can say so.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import classify
from .paths import link_target, read_regular, real, within

# VCS data, installed dependencies and package-manager state (yarn's .yarn/releases holds
# yarn itself, a bundle with a module embedded), caches: never the project's own files
ALWAYS_EXCLUDED = frozenset((".git", ".hg", ".svn", "node_modules", ".wasmlint_cache", "__pycache__",
                             ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache", ".hypothesis",
                             ".cache", ".yarn", ".pnpm-store", "bower_components"))
# files package managers generate: Yarn Plug'n'Play's loader (`yarn install` writes it; it
# embeds Yarn's own libzip module), never the project's code
GENERATED_FILES = frozenset((".pnp.cjs", ".pnp.js", ".pnp.loader.mjs"))
GITIGNORE_LIMIT = 1 << 20     # bytes of one .gitignore read; the rest is ignored
GITIGNORE_PATTERNS = 20_000   # lines of .gitignore files compiled in one walk; later ones check more files


@dataclass(frozen=True)
class FileEntry:
    path: str          # as shown to the user (relative to the working directory when inside it)
    abspath: str
    kind: str | None
    size: int
    problem: str | None = None
    root: str = ""     # the run's folder holding the file: what its readers may open (``runpaths.root_holding``)
    # (stat identity, SHA-256) of the file when the cache lookup hashed it (``cache.stat_identity``):
    # a module still of that identity when analysed is not hashed again
    hashed: tuple | None = None


def display_path(p: Path, cwd: Path) -> str:
    try:
        return p.relative_to(cwd).as_posix()
    except ValueError:
        return p.as_posix()


class _Ignores:
    """A stack of gitignore specs, each anchored at its folder."""

    def __init__(self, patterns: list[str], gitignore: bool = True):
        import pathspec
        self.gitignore = gitignore
        self.extra = pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None
        self.stack: list[tuple[str, object, object]] = []     # (folder, spec, prefilter)
        self.budget = GITIGNORE_PATTERNS

    def push_dir(self, rel_dir: str, abs_dir: str) -> int:
        if not self.gitignore:
            return 0
        gi = os.path.join(abs_dir, ".gitignore")
        try:   # like git, a symlinked .gitignore is not followed; a FIFO or device is never opened
            raw = read_regular(gi, GITIGNORE_LIMIT)
        except OSError:
            return 0
        if len(raw) > GITIGNORE_LIMIT:   # the line cut at the limit is not a pattern git has
            raw = raw[:raw.rfind(b"\n", 0, GITIGNORE_LIMIT) + 1]
        lines = raw.decode("utf-8", "replace").splitlines()
        if self.budget <= 0:
            return 0
        lines = lines[:self.budget]
        self.budget -= len(lines)
        self.stack.append((rel_dir, *_compiled_gitignore(tuple(lines))))
        return 1

    def ignored(self, rel: str, is_dir: bool) -> bool:
        probe = rel + "/" if is_dir else rel
        if self.extra is not None and self.extra.match_file(probe):
            return True
        for base, spec, fast in self.stack:
            sub = probe[len(base) + 1:] if base else probe
            if (fast is None or fast.match(sub) is not None) and spec.match_file(sub):
                return True
        return False


@lru_cache(maxsize=256)
def _compiled_gitignore(lines: tuple[str, ...]) -> tuple:
    """(pathspec spec, one-regex prefilter) of a .gitignore's lines; a monorepo repeats the same few.
    Like git, a line that is not a valid pattern is skipped; so is a pattern whose many
    ``*`` would make regular-expression matching take exponential time (git's wildmatch
    does not backtrack; Python's ``re`` does). Skipping a pattern only ever checks more files."""
    import pathspec
    kept = [line for line in lines if not _backtracks(line)]
    try:
        spec = pathspec.GitIgnoreSpec.from_lines(kept)
    except (ValueError, re.error):       # some line is not a pattern: keep the others
        kept = [line for line in kept if _valid_pattern(line)]
        spec = pathspec.GitIgnoreSpec.from_lines(kept)
    return spec, _one_regex(spec)


def _valid_pattern(line: str) -> bool:
    import pathspec
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except (ValueError, re.error):
        return False
    return True


def _backtracks(pattern: str) -> bool:
    """More than four single ``*`` wildcards in one path segment (``**`` does not count)."""
    if pattern.count("*") < 5:
        return False
    return any(seg.replace("**", "").count("*") > 4 for seg in pattern.split("/"))


def _one_regex(spec):
    """Every pattern of a .gitignore as one regular expression, matched in C: a path no
    pattern matches is not ignored, which settles most paths without asking pathspec
    (a 200-line .gitignore over thousands of files). None when that cannot be built."""
    parts = []
    for p in spec.patterns:
        regex = getattr(p, "regex", None)
        if p.include is not None and regex is not None:
            if not isinstance(regex.pattern, str):
                return None
            parts.append("(?:" + regex.pattern.replace("(?P<ps_d>", "(?:") + ")")
    try:
        return re.compile("|".join(parts) if parts else "(?!)")
    except re.error:
        return None


def discover(paths: list[str], exclude: list[str], cwd: Path | None = None,
             visited: list[str] | None = None, gitignore: bool = True) -> list[FileEntry]:
    """``visited`` (when given) receives every folder, ``.gitignore`` and file the
    walk looked at, ignored ones excepted: what decides the result. ``gitignore``:
    whether ``.gitignore`` files leave files out (``--no-respect-gitignore``)."""
    cwd = real(cwd or Path.cwd())
    given_paths = list(paths) or ["."]
    # What counts as inside: the working folder and the given paths that are not links
    # themselves. A given path that is a link counts only when it points inside those.
    roots = [cwd, *(real(p) for p in given_paths if not os.path.islink(p))]
    out: dict[str, FileEntry] = {}
    for given in given_paths:
        root = real(given)
        absolute = Path(os.path.abspath(given))
        if os.path.islink(given):
            target, why = link_target(given)
            if target is None or not within(target, roots):
                out[given] = FileEntry(given, str(absolute), classify.kind_by_name(given) or "unknown", 0,
                                       problem=(f"{why}; not followed" if target is None else
                                                f"{_link_text(given)} points outside the checked paths; not followed"))
                continue
        if not root.exists():
            out[given] = FileEntry(given, str(root), None, 0, problem="no such file or directory")
            continue
        if root.is_file():
            entry = _entry(absolute, display_path(absolute, cwd), roots, explicit=True, cwd=cwd)
            out[entry.abspath] = entry
            continue
        _walk(root, roots, cwd, exclude, out, visited if visited is not None else [], gitignore)
    return sorted(out.values(), key=lambda e: e.path)


def _walk(root: Path, roots: list[Path], cwd: Path, exclude: list[str], out: dict,
          visited: list[str], gitignore: bool = True) -> None:
    """Depth-first, in name order, without recursion (a committed tree may nest
    thousands of folders deep)."""
    ignores = _Ignores(exclude, gitignore)
    base_rel = display_path(root, cwd)
    seen_dirs: set[tuple[int, int]] = set()
    # each item: a folder to enter (abs, rel), or the marker that pops its .gitignore
    todo: list[tuple[str, str] | None] = [(str(root), "")]
    while todo:
        item = todo.pop()
        if item is None:
            ignores.stack.pop()
            continue
        abs_dir, rel_dir = item
        try:
            st = os.stat(abs_dir)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        visited.append(abs_dir)
        visited.append(os.path.join(abs_dir, ".gitignore"))
        try:
            entries = sorted(os.scandir(abs_dir), key=lambda e: e.name)
        except OSError as exc:
            shown = _shown(base_rel, rel_dir) or "."
            out[abs_dir] = FileEntry(shown, abs_dir, "unknown", 0,
                                     problem=f"cannot list folder: {exc.strerror or exc}; its files were not checked")
            continue
        if ignores.push_dir(rel_dir, abs_dir):
            todo.append(None)
        subdirs = []
        for de in entries:
            rel = f"{rel_dir}/{de.name}" if rel_dir else de.name
            try:
                is_dir = de.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if de.name not in ALWAYS_EXCLUDED and not ignores.ignored(rel, True):
                    subdirs.append((de.path, rel))
            elif de.name not in GENERATED_FILES and not ignores.ignored(rel, False):
                if de.is_symlink() and os.path.isdir(de.path):
                    continue  # symlinked folders are not walked
                visited.append(de.path)
                entry = _entry(Path(de.path), _shown(base_rel, rel), roots, explicit=False, cwd=cwd)
                if entry.kind is not None or entry.problem:
                    out.setdefault(entry.abspath, entry)   # reached from two given folders: the first names it
        todo.extend(reversed(subdirs))


def left_out(path: str, root: Path, exclude: list[str], gitignore: bool = True) -> str | None:
    """Why a walk of ``root`` would leave out ``path`` (``"gitignored"``, ``"excluded"``),
    or None: what ``check`` says of a path named on the command line that it reads anyway."""
    target, base = real(Path(path)), real(root)
    if target == base or base not in target.parents:
        return None
    parts = target.relative_to(base).parts
    for why, ignores in (("excluded", _Ignores(exclude, False)), ("gitignored", _Ignores([], gitignore))):
        rel, folder = "", base
        for i, part in enumerate(parts):
            ignores.push_dir(rel, str(folder))
            rel = f"{rel}/{part}" if rel else part
            folder = folder / part
            generated = i == len(parts) - 1 and part in GENERATED_FILES
            if part in ALWAYS_EXCLUDED or generated or ignores.ignored(rel, i < len(parts) - 1 or target.is_dir()):
                return "excluded" if part in ALWAYS_EXCLUDED or generated else why
    return None


def _link_text(p) -> str:
    """The link as committed (not where it resolves on this machine), shortened."""
    try:
        text = os.readlink(p)
    except OSError:
        return "symlink"
    return "symlink to " + (text if len(text) <= 120 else text[:60] + "…" + text[-40:])


def _shown(base_rel: str, rel: str) -> str:
    return f"{base_rel}/{rel}" if base_rel not in (".", "") and rel else (rel or base_rel)


def _entry(p: Path, shown: str, roots: list[Path], explicit: bool, cwd: Path) -> FileEntry:
    by_name = classify.kind_by_name(shown)
    if p.is_symlink():
        target, why = link_target(p)
        if target is None or not within(target, roots):
            # a dangling link is to a build output the checkout does not hold (git commits the
            # link, not the gitignored artifact): nothing to read, as for an ignored file
            if (by_name is None or why == "dangling symlink") and not explicit:
                return FileEntry(shown, str(p), None, 0)
            return FileEntry(shown, str(p), by_name or "unknown", 0,
                             problem=(f"{why}; not followed" if target is None else
                                      f"{_link_text(p)} points outside the checked paths; not followed"))
        # a file reached by two names is one file, read and reported under its real name
        p, shown = target, display_path(target, cwd)
        by_name = classify.kind_by_name(shown) or by_name
    try:
        st = p.stat()
    except OSError as exc:
        if by_name is None and not explicit:   # a dangling link to a picture, say: not ours to report
            return FileEntry(shown, str(p), None, 0)
        return FileEntry(shown, str(p), by_name or "unknown", 0, problem=f"cannot read: {exc.strerror}")
    if not stat.S_ISREG(st.st_mode):   # FIFOs, sockets, devices: opening one could block
        if by_name is None and not explicit:
            return FileEntry(shown, str(p), None, 0)
        return FileEntry(shown, str(p), by_name or "unknown", 0, problem="not a regular file; not read")
    size = st.st_size
    kind = by_name
    if classify.needs_sniff(shown, by_name):
        try:
            head = read_regular(p, 4096)
        except OSError as exc:
            return FileEntry(shown, str(p), by_name or "unknown", size, problem=f"cannot read: {exc.strerror}")
        kind = classify.kind_by_content(shown, head, by_name)
    return FileEntry(shown, str(p), kind, size)
