"""Find the data folders shipped with wasmlint: ``rules/`` and ``grammars/``.

In a wheel they are force-included as ``wasmlint/_bundled/<name>``; in a
source checkout or an editable install they sit beside the package.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    for candidate in (_PKG / "_bundled" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"wasmlint is installed without its {name}/ folder")


def grammar_text(name: str) -> str:
    return (data_dir("grammars") / name).read_text(encoding="utf-8")


def library_grammar(package: str, name: str) -> str:
    """A lark grammar shipped by a library (python-hcl2's ``hcl2.lark``)."""
    from importlib.resources import files
    return files(package).joinpath(name).read_text(encoding="utf-8")


def package_data(*parts: str) -> Path:
    """A file inside ``wasmlint/data``."""
    return _PKG.joinpath("data", *parts)


def unexpected(exc) -> str:
    """What a lark ``UnexpectedInput`` met, for a message: `token` (clipped), end of file."""
    token = getattr(exc, "token", None)
    if token is not None:
        return "end of file" if token.type == "$END" else f"`{str(token)[:40]}`"
    char = getattr(exc, "char", None)
    return f"`{char}`" if char else "input"
