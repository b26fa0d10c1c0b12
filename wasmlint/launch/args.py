"""Arguments of a launch as plain data, with what a fix needs to edit each one
in its own surface's syntax.

An ``Arg`` is one word of a command line or of a NODE_OPTIONS value. Words of one
run of text (a shell line, a JSON string, a YAML scalar) share the ``words``
style; elements of a JSON array or a YAML list use a list style. Each arg keeps
precomputed spans: its own, what to delete to remove it (with one separator),
and the zero-width points where new words go before or after it. Facts hold
only data (they are cached and cross process boundaries), so rendering an
insertion is a function of the style here.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..diagnostics import Edit
from ..facts import Span
from ..textpos import LineIndex, MappedText, js_sq_escape, json_escape, yaml_dq_escape, yaml_sq_escape

WORDS, JSON_LIST, FLOW_LIST, BLOCK_LIST = "words", "json-list", "flow-list", "block-list"
# An insertion point with no word to attach to (an empty string or list, a missing
# property): ``prefix`` is the text to insert, ``{}`` standing for the words.
TEMPLATE, TEMPLATE_LIST = "template", "template-list"
_ESCAPES = {"none": lambda s: s, "json": json_escape, "yaml-dq": yaml_dq_escape,
            "yaml-sq": yaml_sq_escape, "js-sq": js_sq_escape}


# Ranks of inserted words: when two fixes insert the same flag at one place, the
# higher wins — the user's own word (moved), a value another launch carries, a default.
DEFAULT, COPIED, USER = 0, 1, 2


def escape_name(fn) -> str:
    for name, f in _ESCAPES.items():
        if f is fn:
            return name
    return "none"


@dataclass
class Arg:
    value: str
    span: Span
    editable: bool = False
    style: str = WORDS
    escape: str = "none"
    del_span: Span | None = None
    before: Span | None = None
    after: Span | None = None
    prefix: str = ""            # block lists: the text before an item on its line ("  - ")
    dynamic: bool = False
    splat: bool = False
    raw: str = ""               # the source text (words style: quotes and expansions as written)

    def move_to(self, anchor: "Arg", where: str) -> list[Edit]:
        """Delete this arg and write it at ``anchor`` (its source text when both are
        words of the same kind of text, so ``${X}`` and quoting survive)."""
        dele = self.delete()
        raw = None
        if anchor.style == WORDS and self.style == WORDS and anchor.escape == self.escape and self.raw:
            raw = [self.raw]
        ins = anchor.insert([self.value], where, rank=USER, texts=raw)
        return dele + ins if dele and ins else []

    def delete(self) -> list[Edit]:
        return [Edit(self.del_span, "")] if self.editable and self.del_span else []

    def insert(self, words: list[str], where: str = "before", rank: int = DEFAULT,
               texts: list[str] | None = None) -> list[Edit]:
        """Edits that put ``words`` before (or after) this arg, in its syntax. The
        insertion merges with others at the same place of the same command line
        (``FlagWords``): each flag once, the highest ``rank`` winning. ``texts``:
        the words' source text, written as is (words style only)."""
        at = self.before if where == "before" or self.style in (TEMPLATE, TEMPLATE_LIST) else self.after
        if not self.editable or at is None or not words:
            return []
        if self.style in (TEMPLATE, TEMPLATE_LIST):
            return [Edit(at, render(words, self.style, self.escape, self.prefix))]
        shown = texts if texts is not None and self.style == WORDS else [
            _item_text(w, self.style, self.escape, self.prefix) for w in words]
        merge = FlagWords((at.path, at.line, at.column, where, self.style), self.style, where,
                          tuple(_items(words, shown, self.style)), rank)
        return [Edit(at, merge.combine([merge]), merge)]


def flag_identity(word: str) -> str:
    """What makes two words the same node or V8 flag: the name without dashes,
    ``no-`` or value, ``_`` read as ``-`` (as V8 reads it)."""
    name = word.split("=", 1)[0].lstrip("-").replace("_", "-")
    return name[3:] if name.startswith("no-") else name


def _items(words: list[str], shown: list[str], style: str) -> list[tuple[str, str]]:
    """(identity, text) per flag; a word without a dash is the value of the flag before it."""
    out: list[tuple[str, str]] = []
    for w, t in zip(words, shown):
        if out and not w.startswith("-"):
            ident, text = out[-1]
            out[-1] = (ident, text + _JOIN[style] + t)
        else:
            out.append((flag_identity(w) if w.startswith("-") else "", t))
    return out


_JOIN = {WORDS: " ", JSON_LIST: ", ", FLOW_LIST: ", ", BLOCK_LIST: ""}


@dataclass(frozen=True)
class FlagWords:
    """Flags inserted at one place of a command line. Insertions at the same place
    (``key``) merge into one (``combine``): a flag is written once, by the
    insertion of the highest rank (the first among equals); fixes of several
    rules then rewrite the command line once."""

    key: tuple
    style: str
    where: str
    items: tuple[tuple[str, str], ...]     # (flag identity, rendered text)
    rank: int = DEFAULT

    def combine(self, others: list["FlagWords"]) -> str:
        best: dict[str, tuple[int, int]] = {}
        flat = [(m.rank, k, ident, text) for k, m in enumerate(others) for ident, text in m.items]
        for rank, k, ident, text in flat:
            if ident and (ident not in best or rank > best[ident][0]):
                best[ident] = (rank, k)
        kept, seen = [], set()
        for rank, k, ident, text in flat:
            if ident:
                if best[ident] != (rank, k) or ident in seen:
                    continue
                seen.add(ident)
            elif text in kept:
                continue
            kept.append(text)
        body = _JOIN[self.style].join(kept)
        if self.style == BLOCK_LIST or not body:
            return body
        return body + _JOIN[self.style] if self.where == "before" else _JOIN[self.style] + body


def _item_text(w: str, style: str, escape: str, prefix: str) -> str:
    if style == WORDS:
        return _ESCAPES[escape](shell_quote(w))
    if style == JSON_LIST:
        return json.dumps(w)
    if style == FLOW_LIST:
        return yaml_scalar(w)
    return f"{prefix}{yaml_scalar(w)}\n"


def render(words: list[str], style: str, escape: str, prefix: str) -> str:
    """An insertion with no word to attach to: the words in the template's place."""
    if style == TEMPLATE:
        return prefix.replace("{}", _ESCAPES[escape](" ".join(words)))
    return prefix.replace("{}", ", ".join(json.dumps(w) for w in words))


_SAFE_WORD = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def shell_quote(w: str) -> str:
    return w if _SAFE_WORD.match(w) else "'" + w.replace("'", "'\\''") + "'"


_PLAIN_YAML = re.compile(r"^[A-Za-z0-9_./=+@%-][A-Za-z0-9_./=+@%:,-]*$")


def yaml_scalar(w: str) -> str:
    if _PLAIN_YAML.match(w) and not w.endswith(":") and w not in ("-", "true", "false", "null", "~"):
        return w
    return '"' + yaml_dq_escape(w) + '"'


# ------------------------------------------------------------------ builders

def word_args(idx: LineIndex, texts: list[MappedText], ranges: list[tuple[int, int]] | None = None,
              dynamic: list[bool] | None = None, splat: list[bool] | None = None,
              escape: str = "none", placed: list[bool] | None = None) -> list[Arg]:
    """Args for words of one text run. ``ranges`` are the words' source ranges
    (default: the mapped ranges of ``texts``); ``placed`` says a range is the
    word's own text (default: every character of the text maps there in order)."""
    ranges = ranges or [(t.src_start, t.src_end) for t in texts]
    return [word_arg(idx, texts, ranges, k, dynamic, splat, escape, placed) for k in range(len(texts))]


def word_arg(idx: LineIndex, texts: list[MappedText], ranges: list[tuple[int, int]], k: int,
             dynamic: list[bool] | None = None, splat: list[bool] | None = None,
             escape: str = "none", placed: list[bool] | None = None) -> Arg:
    """The Arg of word ``k`` of ``word_args``' words (one at a time: a command's words are
    made into Args when read)."""
    t, (s, e) = texts[k], ranges[k]
    exact = (placed[k] if placed else t.exact and t.is_exact(0, len(t.value))) and idx.text[s:e].strip() != ""
    ds, de = _deleted(ranges, k)
    return Arg(t.value, idx.span(s, e), exact and de >= ds, WORDS, escape,
               idx.span(ds, de), idx.span(s), idx.span(e), "",
               bool(dynamic and dynamic[k]), bool(splat and splat[k]), idx.text[s:e])


def _deleted(ranges: list[tuple[int, int]], k: int) -> tuple[int, int]:
    """What deleting item ``k`` of a run removes: up to the next item, else from the previous one."""
    s, e = ranges[k]
    if k + 1 < len(ranges):
        return s, ranges[k + 1][0]
    if k > 0:
        return ranges[k - 1][1], e
    return s, e


def list_args(idx: LineIndex, elems: list[tuple[str, int, int]], style: str,
              editable: bool = True) -> list[Arg]:
    """Args for the elements (value, start, end) of a JSON array or YAML list."""
    out = []
    ranges = [(s, e) for _, s, e in elems]
    text = idx.text
    for k, (value, s, e) in enumerate(elems):
        prefix = ""
        if style == BLOCK_LIST:
            ls = idx.line_start(s)
            prefix = text[ls:s]
            nl = text.find("\n", e)
            line_end = len(text) if nl < 0 else nl + 1
            ds, de = ls, line_end
            before = idx.span(ls)
            after = idx.span(line_end)
            ok = editable and prefix.strip() == "-" and "\n" not in text[s:e]
        else:
            ds, de = _deleted(ranges, k)
            before, after = idx.span(s), idx.span(e)
            ok = editable
        out.append(Arg(value, idx.span(s, e), ok, style, "none", idx.span(ds, de),
                       before, after, prefix))
    return out
