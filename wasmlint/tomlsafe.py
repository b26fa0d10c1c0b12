"""TOML through tomli (the standard parser's TOML 1.1 release), with its super-linear inputs refused first.

``tomllib`` takes time and memory that grow with the square of a dotted key's length
(``a.a.a…= 1``: 80 KB take 18 s and 6 GiB) and recurses once per nested array or
table. A committed file may be any of these, so a linear scan bounds both before the
parser sees the text; real files are far below the bounds.
"""
from __future__ import annotations

# tomli 2.4+ reads TOML 1.1 (multi-line inline tables, trailing commas in them, `\e`,
# times without seconds), which recent cargo reads (biome's workspace); the standard tomllib reads 1.0 only
import tomli as tomllib

MAX_KEY_PARTS = 64      # dotted parts of one key or table header
MAX_NESTING = 64        # arrays and inline tables inside each other


class TomlError(ValueError):
    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def loads(text: str) -> dict:
    _bounds(text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(getattr(exc, "msg", None) or str(exc), getattr(exc, "lineno", None),
                        getattr(exc, "colno", None)) from None
    except RecursionError:
        raise TomlError("nested too deeply") from None


def _bounds(text: str) -> None:
    depth = 0
    for n, line in enumerate(text.splitlines(), 1):
        head = line.split("=", 1)[0] if "=" in line else line
        if head.count(".") >= MAX_KEY_PARTS and '"' not in head and "'" not in head:
            raise TomlError(f"a key of more than {MAX_KEY_PARTS} dotted parts; not read", n, 1)
        if "[" in line or "{" in line or "]" in line or "}" in line:
            for ch in line.split("#", 1)[0] if '"' not in line and "'" not in line else line:
                if ch in "[{":
                    depth += 1
                    if depth > MAX_NESTING:
                        raise TomlError(f"arrays or tables nested more than {MAX_NESTING} deep; not read", n, 1)
                elif ch in "]}":
                    depth = max(0, depth - 1)
