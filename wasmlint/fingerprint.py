"""Fingerprints of findings that survive line shifts (baseline, SARIF
``partialFingerprints``, GitLab Code Quality).

Text files: code + path + target + the flagged span's text with whitespace
runs collapsed (the whole line when the span is empty). Binaries and modules
embedded in JS: code + path (without the ``@offset``) + target + message, since
a byte offset moves with every rebuild.
"""
from __future__ import annotations

import hashlib
import re

from .diagnostics import Diagnostic
from .edits import Positions, TextFile

_WS = re.compile(r"\s+")


class Fingerprinter:
    def __init__(self, abspaths: dict[str, str], kinds: dict[str, str | None] | None = None,
                 overlay: dict[str, bytes] | None = None):
        self.abspaths = abspaths          # display path -> absolute path
        self.kinds = kinds or {}
        self.overlay = overlay or {}      # absolute path -> contents not yet written (--fix)
        self._texts: dict[str, Positions | None] = {}

    def _positions(self, path: str) -> Positions | None:
        if path not in self._texts:
            pos = None
            ap = self.abspaths.get(path)
            if ap and self.kinds.get(path) != "wasm":
                try:
                    data = self.overlay.get(ap)
                    if data is None:
                        with open(ap, "rb") as fh:
                            data = fh.read()
                    pos = Positions(TextFile.decode(data).text)
                except (OSError, UnicodeDecodeError):
                    pos = None
            self._texts[path] = pos
        return self._texts[path]

    def flagged_text(self, d: Diagnostic) -> str | None:
        """The normalised text under the finding's span, or None (binary, unreadable)."""
        s = d.span
        if "#" in s.path or self.kinds.get(s.path) == "wasm":
            return None
        pos = self._positions(s.path)
        if pos is None:
            return None
        try:
            a = pos.offset(s.line, s.column)
            b = pos.offset(s.end_line or s.line, s.end_column or s.column)
        except ValueError:
            return None
        if b <= a:
            start = pos.starts[s.line - 1] if s.line <= len(pos.starts) else len(pos.text)
            end = pos.text.find("\n", start)
            a, b = start, (len(pos.text) if end == -1 else end)
        return _WS.sub(" ", pos.text[a:b]).strip()

    def key(self, d: Diagnostic, path: str | None = None) -> str:
        """The fingerprint; ``path`` overrides the path that goes into it."""
        shown = path if path is not None else d.span.path
        text = self.flagged_text(d)
        if text is None:
            shown, part = shown.split("#wasm@", 1)[0] + ("#wasm" if "#wasm@" in shown else ""), d.message
        else:
            part = text
        blob = "\0".join((d.code, shown, d.target or "", part))
        return hashlib.sha256(blob.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def unique_keys(fp: Fingerprinter, diags: list[Diagnostic]) -> list[str]:
    """One fingerprint per diagnostic, made unique by an occurrence number."""
    seen: dict[str, int] = {}
    out = []
    for d in diags:
        k = fp.key(d)
        n = seen.get(k, 0)
        seen[k] = n + 1
        out.append(k if n == 0 else hashlib.sha256(f"{k}:{n}".encode()).hexdigest()[:32])
    return out
