"""CMake argument values with positions: escapes, ``${VAR}`` references (nested),
unquoted list splitting on ``;``, bracket arguments, generator expressions."""
from __future__ import annotations

from .pstr import UNKNOWN, PStr

_ESC = {"n": "\n", "t": "\t", "r": "\r", ";": ";"}


def args_of(nodes, text: str, vars: dict[str, PStr]) -> list[PStr]:
    """The argument values of a command (unquoted ones split into list items)."""
    out: list[PStr] = []
    for node in nodes:
        if getattr(node, "data", None) == "paren":
            out += [PStr.synth("(")] + args_of(node.children[0].children, text, vars) + [PStr.synth(")")]
            continue
        if getattr(node, "data", None) != "argument":
            continue
        tok = node.children[0]
        raw = PStr.source(str(tok), tok.start_pos)
        if tok.type == "BRACKET_ARG":
            eq = str(tok).index("[", 1) + 1
            out.append(raw[eq:len(raw) - eq])
        elif tok.type == "QUOTED":
            out.append(expand(decode(raw[1:len(raw) - 1]), vars))
        else:
            value = expand(decode(raw), vars)
            out += [p for p in _split_list(value) if p.text]
    return out


def decode(p: PStr) -> PStr:
    """CMake escape sequences; ``\\`` + newline continues a quoted line."""
    parts, t, i = [], p.text, 0
    while i < len(t):
        if t[i] == "\\" and i + 1 < len(t):
            c = t[i + 1]
            if c != "\n":
                parts.append(PStr(_ESC.get(c, c), (p.starts[i],), (p.ends[i + 1],)))
            i += 2
        else:
            j = i
            while j < len(t) and t[j] != "\\":
                j += 1
            parts.append(p[i:j])
            i = j
    return PStr.join(parts) if parts else p


def expand(p: PStr, vars: dict[str, PStr], depth: int = 0) -> PStr:
    t = p.text
    if "${" not in t and "$ENV{" not in t and "$CACHE{" not in t:
        return p
    out, i = [], 0
    while i < len(t):
        j = min((k for k in (t.find("${", i), t.find("$ENV{", i), t.find("$CACHE{", i)) if k >= 0),
                default=-1)
        if j < 0:
            out.append(p[i:])
            break
        out.append(p[i:j])
        open_at = t.index("{", j)
        close, depth_b = open_at, 0
        for k in range(open_at, len(t)):
            if t[k] == "{":
                depth_b += 1
            elif t[k] == "}":
                depth_b -= 1
                if depth_b == 0:
                    close = k
                    break
        else:
            out.append(p[j:])
            break
        ref = p[j:close + 1]
        name = expand(p[open_at + 1:close], vars, depth + 1).text if depth < 16 else UNKNOWN
        value = vars.get(name) if t[j + 1] == "{" else None
        out.append(value if value is not None else PStr.spread(UNKNOWN, *(ref.source_range() or (-1, -1))))
        i = close + 1
    return PStr.join(out) if out else PStr.synth("")


def _split_list(p: PStr) -> list[PStr]:
    out, start, depth = [], 0, 0
    for k, c in enumerate(p.text):
        if c == "<" and k and p.text[k - 1] == "$":
            depth += 1
        elif c == ">" and depth:
            depth -= 1
        elif c == ";" and depth == 0:
            out.append(p[start:k])
            start = k + 1
    out.append(p[start:])
    return out


def genex_filter(p: PStr, on: str | None) -> PStr:
    """``$<$<CONFIG:Debug>:-g>`` → ``-g`` in the variant ``CONFIG Debug``, else
    nothing; any other generator expression is unknown."""
    t = p.text
    if "$<" not in t:
        return p
    out, i = [], 0
    while i < len(t):
        j = t.find("$<", i)
        if j < 0:
            out.append(p[i:])
            break
        out.append(p[i:j])
        depth, k = 0, j
        while k < len(t):
            if t.startswith("$<", k):
                depth += 1
                k += 2
                continue
            if t[k] == ">":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        body = p[j + 2:k]
        if body.text.startswith("$<CONFIG:"):
            end = body.text.find(">:")
            names = body.text[9:end].split(",") if end > 0 else []
            if on is not None and on.startswith("CONFIG ") and on[7:] in names:
                out.append(genex_filter(body[end + 2:], on))
        elif body.text.startswith("CONFIG:"):
            out.append(PStr.synth("1" if on is not None and on[7:] in body.text[7:].split(",") else "0"))
        else:
            out.append(PStr.spread(UNKNOWN, *(p[j:k + 1].source_range() or (-1, -1))))
        i = k + 1
    return PStr.join(out) if out else PStr.synth("")
