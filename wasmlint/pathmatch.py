"""Glob matching of project-relative paths (gitignore-style, via pathspec)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]):
    import pathspec
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def match_any(path: str, patterns: list[str] | tuple[str, ...]) -> bool:
    if not patterns:
        return False
    return _spec(tuple(patterns)).match_file(path.split("#", 1)[0])
