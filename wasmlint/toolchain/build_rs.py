"""``build.rs`` → wasm-ld link args it prints (``cargo:rustc-link-arg…=`` and the
``cargo::`` form of Cargo ≥ 1.77, for all artifacts or ``-cdylib``/``-bins``).

Why a lexer and not a parser: no Rust grammar ships with the declared
dependencies, and only string literals inside ``println!``/``print!`` calls
matter. ``grammars/rust_tokens.lark`` tokenises exactly (comments, raw and byte
strings, char literals vs lifetimes), so a directive inside a comment or a
string that merely contains ``println!`` is never taken. A literal with
``{}`` placeholders is unknown past the placeholder.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..facts import Fact, Span
from .pstr import UNKNOWN, LineIndex, PStr, Tok
from .rust import build_rust_link

MACROS = ("println", "print", "writeln", "write")
_DIRECTIVE = re.compile(r"^cargo::?rustc-link-args?(-cdylib|-bins|-bin=[^=]+|-tests|-examples|-benches)?=")
_ESC = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


@lru_cache(maxsize=1)
def _lexer():
    from lark import Lark

    from ..resources import grammar_text
    return Lark(grammar_text("rust_tokens.lark"), parser="lalr")


def _literal(tok) -> PStr:
    text, start = str(tok), tok.start_pos
    if tok.type == "RAW_STRING":
        q = text.index('"')
        hashes = q - text.index("r") - 1
        return PStr.source(text[q + 1:len(text) - 1 - hashes], start + q + 1)
    q = text.index('"')
    parts, i = [], q + 1
    while i < len(text) - 1:
        c = text[i]
        if c == "\\" and i + 1 < len(text) - 1:
            e = text[i + 1]
            if e == "\n":
                i += 2
                while i < len(text) - 1 and text[i] in " \t\n\r":
                    i += 1
                continue
            parts.append(PStr.spread(_ESC.get(e, UNKNOWN), start + i, start + i + 2))
            i += 2
        else:
            parts.append(PStr.source(c, start + i))
            i += 1
    return PStr.join(parts) if parts else PStr.synth("")


def link_args(text: str, index: LineIndex) -> list[Tok]:
    from lark.exceptions import LarkError
    try:
        toks = [t for t in _lexer().lex(text) if t.type not in ("WS", "COMMENT")]
    except LarkError:
        return []
    out: list[Tok] = []
    for k in range(len(toks) - 3):
        a, bang, paren = toks[k], toks[k + 1], toks[k + 2]
        if a.type != "IDENT" or str(a) not in MACROS or str(bang) != "!" or str(paren) not in "([":
            continue
        lit = next((t for t in toks[k + 3:k + 6] if t.type in ("STRING", "RAW_STRING")), None)
        if lit is None:
            continue
        value = _literal(lit)
        if "{" in value.text:
            value = value[:value.text.index("{")] + PStr.synth(UNKNOWN)
        m = _DIRECTIVE.match(value.text)
        if not m:
            continue
        arg = value[m.end():]
        if "link-args" in m.group(0):
            out += [Tok(p, index) for p in arg.split_ws()]
        else:
            out.append(Tok(arg, index))
    return out


def build_rs_facts(text: str, path: str) -> list[Fact]:
    index = LineIndex(text, path)
    args = link_args(text, index)
    memory = [a for a in args if a.value.startswith(("--initial-memory", "--max-memory", "--shared-memory",
                                                      "--no-growable-memory", "-zstack-size"))]
    if not memory:
        return []
    span = memory[0].span() or Span(path)
    return build_rust_link(span, "build.rs", [], extra_link_args=args)
