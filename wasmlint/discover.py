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

# VCS data, installed dependencies and package-manager state (yarn's .yarn/releases holds
# yarn itself, a bundle with a module embedded), caches: never the project's own files
ALWAYS_EXCLUDED = frozenset((".git", ".hg", ".svn", "node_modules", ".wasmlint_cache", "__pycache__",
                             ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache", ".hypothesis",
                             ".cache", ".yarn", ".pnpm-store", "bower_components"))
GITIGNORE_LIMIT = 1 << 20     # bytes of one .gitignore read; the rest is ignored


@dataclass(frozen=True)
class FileEntry:
    path: str          # as shown to the user (relative to the working directory when inside it)
    abspath: str
    kind: str | None
    size: int
    problem: str | None = None


def display_path(p: Path, cwd: Path) -> str:
    try:
        return p.relative_to(cwd).as_posix()
    except ValueError:
        return p.as_posix()


class _Ignores:
    """A stack of gitignore specs, each anchored at its folder."""

    def __init__(self, patterns: list[str]):
        import pathspec
        self.extra = pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None
        self.stack: list[tuple[str, object, object]] = []     # (folder, spec, prefilter)

    def push_dir(self, rel_dir: str, abs_dir: str) -> int:
        gi = os.path.join(abs_dir, ".gitignore")
        try:   # like git, a symlinked .gitignore is not followed; a FIFO or device is never opened
            if not stat.S_ISREG(os.lstat(gi).st_mode):
                return 0
            with open(gi, "rb") as fh:
                text = fh.read(GITIGNORE_LIMIT).decode("utf-8", "replace")
        except OSError:
            return 0
        self.stack.append((rel_dir, *_compiled_gitignore(text)))
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
def _compiled_gitignore(text: str) -> tuple:
    """(pathspec spec, one-regex prefilter) of a .gitignore's text; a monorepo repeats the same few."""
    import pathspec
    spec = pathspec.GitIgnoreSpec.from_lines(text.splitlines())
    return spec, _one_regex(spec)


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
             visited: list[str] | None = None) -> list[FileEntry]:
    """``visited`` (when given) receives every folder, ``.gitignore`` and file the
    walk looked at, ignored ones excepted: what decides the result."""
    cwd = (cwd or Path.cwd()).resolve()
    roots = [Path(p).resolve() for p in paths] or [cwd]
    out: dict[str, FileEntry] = {}
    for given, root in zip(paths or ["."], roots):
        if not root.exists() and not os.path.islink(given):
            out[given] = FileEntry(given, str(root), None, 0, problem="no such file or directory")
            continue
        if root.is_file():
            entry = _entry(Path(given).absolute(), display_path(Path(given).absolute(), cwd),
                           roots, explicit=True)
            out[entry.abspath] = entry
            continue
        _walk(root, roots, cwd, exclude, out, visited if visited is not None else [])
    return sorted(out.values(), key=lambda e: e.path)


def _walk(root: Path, roots: list[Path], cwd: Path, exclude: list[str], out: dict,
          visited: list[str]) -> None:
    ignores = _Ignores(exclude)
    base_rel = display_path(root, cwd)
    seen_dirs: set[tuple[int, int]] = set()

    def visit(abs_dir: str, rel_dir: str) -> None:
        try:
            st = os.stat(abs_dir)
        except OSError:
            return
        if (st.st_dev, st.st_ino) in seen_dirs:
            return
        seen_dirs.add((st.st_dev, st.st_ino))
        visited.append(abs_dir)
        visited.append(os.path.join(abs_dir, ".gitignore"))
        pushed = ignores.push_dir(rel_dir, abs_dir)
        try:
            entries = sorted(os.scandir(abs_dir), key=lambda e: e.name)
        except OSError:
            entries = []
        for de in entries:
            rel = f"{rel_dir}/{de.name}" if rel_dir else de.name
            try:
                is_dir = de.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if de.name in ALWAYS_EXCLUDED or ignores.ignored(rel, True):
                    continue
                visit(de.path, rel)
            elif not ignores.ignored(rel, False):
                if de.is_symlink() and os.path.isdir(de.path):
                    continue  # symlinked folders are not walked
                shown = f"{base_rel}/{rel}" if base_rel not in (".", "") else rel
                visited.append(de.path)
                entry = _entry(Path(de.path), shown, roots, explicit=False)
                if entry.kind is not None or entry.problem:
                    out[entry.abspath] = entry
        if pushed:
            ignores.stack.pop()

    visit(str(root), "")


def _entry(p: Path, shown: str, roots: list[Path], explicit: bool) -> FileEntry:
    by_name = classify.kind_by_name(shown)
    if p.is_symlink():
        target = p.resolve()
        if not any(target == r or r in target.parents for r in roots):
            if by_name is None and not explicit:
                return FileEntry(shown, str(p), None, 0)
            return FileEntry(shown, str(p), by_name or "unknown", 0,
                             problem=f"symlink to {target} points outside the checked paths; not followed")
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
            with open(p, "rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            return FileEntry(shown, str(p), by_name or "unknown", size, problem=f"cannot read: {exc.strerror}")
        kind = classify.kind_by_content(shown, head, by_name)
    return FileEntry(shown, str(p), kind, size)
