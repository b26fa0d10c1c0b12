"""CMake argument values with positions: escapes, ``${VAR}`` references (nested),
unquoted list splitting on ``;``, bracket arguments, generator expressions."""
from __future__ import annotations

from .pstr import UNKNOWN, PStr, joined

_ESC = {"n": "\n", "t": "\t", "r": "\r", ";": ";"}


def read_arguments(args: tuple, base: int = 0) -> tuple:
    """A command's arguments as written (``cmake_files.Cmd.args``), decoded once (brackets,
    quotes, escapes): what ``arguments`` expands each time the command runs (a macro's
    body runs once per call). ``base`` is the file's offset in a multi-file evaluation."""
    out = []
    for kind, *rest in args:
        if kind == "paren":
            out.append(("paren", read_arguments(rest[0], base)))
            continue
        text, start = rest
        raw = PStr.source(text, base + start)
        if kind == "BRACKET_ARG":
            eq = text.index("[", 1) + 1
            out.append(("bracket", raw[eq:len(raw) - eq]))
        elif kind == "QUOTED":
            out.append(("quoted", decode(raw[1:len(raw) - 1])))
        else:
            out.append(("unquoted", decode(raw)))
    return tuple(out)


def arguments(read: tuple, vars) -> list[tuple[PStr, bool]]:
    """(value, quoted) for each argument of ``read_arguments``, its variables expanded
    (unquoted ones split into list items). ``if()`` needs to know which arguments were
    quoted (CMP0054)."""
    out: list[tuple[PStr, bool]] = []
    for kind, value in read:
        if kind == "paren":
            out += [(PStr.synth("("), False), *arguments(value, vars), (PStr.synth(")"), False)]
        elif kind == "bracket":
            out.append((value, True))
        elif kind == "quoted":
            out.append((expand(value, vars), True))
        else:
            out += [(p, False) for p in list_items(expand(value, vars))]
    return out


def decode(p: PStr) -> PStr:
    """CMake escape sequences; ``\\`` + newline continues a quoted line."""
    if "\\" not in p.text:
        return p
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
    # where each form next starts (-1: nowhere further), found again only once passed:
    # finding all three from every reference was quadratic in a long argument
    nxt = {m: t.find(m) for m in ("${", "$ENV{", "$CACHE{")}
    while i < len(t):
        for m, at in nxt.items():
            if 0 <= at < i:
                nxt[m] = t.find(m, i)
        j = min((k for k in nxt.values() if k >= 0), default=-1)
        if j < 0:
            out.append(p[i:])
            break
        if j > i:          # no empty pieces: a lone ${VAR} is its value, not a join
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
        name = t[open_at + 1:close]
        if "$" in name or depth >= 16:          # a nested reference: ${FLAGS_${CONFIG}}
            name = expand(p[open_at + 1:close], vars, depth + 1).text if depth < 16 else UNKNOWN
        value = vars.get(name) if t[j + 1] == "{" else None
        out.append(value if value is not None else PStr.spread(UNKNOWN, *(p.source_range(j, close + 1) or (-1, -1))))
        i = close + 1
    return PStr.join(out) if out else PStr.synth("")


def list_items(p: PStr | None, sep: str = ";") -> list[PStr]:
    """The non-empty items of a CMake list (``;``-separated; a ``;`` inside a generator
    expression does not separate)."""
    if p is None:
        return []
    if sep == ";":
        known = p.__dict__.get("_items")
        if known is not None:       # a list join_list made: its items, not split again
            return list(known)
    t = p.text
    if sep not in t:
        return [p] if t else []
    out, start, depth = [], 0, 0
    if "$<" not in t:       # no generator expression: every separator separates
        k = t.find(sep)
        while k >= 0:
            out.append(p[start:k])
            start = k + 1
            k = t.find(sep, start)
        out.append(p[start:])
        return [x for x in out if x.text]
    for k, ch in enumerate(t):
        if ch == "<" and k and t[k - 1] == "$":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(p[start:k])
            start = k + 1
    out.append(p[start:])
    return [x for x in out if x.text]


def join_list(parts: list[PStr], sep: str) -> PStr:
    """Items joined into one value (a CMake list with ``;``), positions kept. A ``;`` list
    keeps its items (``list_items`` gives them back): one built item by item
    (``set(L ${L} x)``, ``list(APPEND)``) is not split again at each step."""
    if len(parts) == 1:
        return parts[0]
    gap = (-1,) * len(sep)
    starts: list[int] = []
    ends: list[int] = []
    for k, p in enumerate(parts):
        if k:
            starts += gap
            ends += gap
        starts += p.starts
        ends += p.ends
    out = PStr(sep.join([p.text for p in parts]), tuple(starts), tuple(ends))
    if sep == ";" and "$<" not in out.text:
        # no generator expression: every ";" separates, so the items are the parts' items
        items: list[PStr] = []
        for p in parts:
            known = p.__dict__.get("_items")
            if known is not None:
                items += known
            elif ";" not in p.text:     # one item (``list_items``), the usual part
                if p.text:
                    items.append(p)
            else:
                items += list_items(p)
        out.__dict__["_items"] = items      # never changed: list_items gives a copy
    return out


def replace_text(value: PStr, match: str, repl: str) -> PStr:
    """``string(REPLACE)``: each ``match`` becomes ``repl``, placed where the match was."""
    if not match:
        return value
    out, i, t = [], 0, value.text
    while True:
        j = t.find(match, i)
        if j < 0:
            out.append(value[i:])
            break
        out.append(value[i:j])
        if repl:
            out.append(PStr.spread(repl, *(value[j:j + len(match)].source_range() or (-1, -1))))
        i = j + len(match)
    return PStr.join(out)


TARGET_PATHS = ("TARGET_FILE:", "TARGET_LINKER_FILE:", "TARGET_SONAME_FILE:", "TARGET_OBJECTS:",
                "TARGET_FILE_NAME:", "TARGET_LINKER_FILE_NAME:")


def genex_end(t: str, j: int) -> int:
    """The index of the ``>`` that closes the generator expression opened at ``t[j:j+2] ==
    "$<"``, or ``len(t)`` when it is not closed in ``t``."""
    depth, k = 0, j
    while k < len(t):
        if t.startswith("$<", k):
            depth += 1
            k += 2
            continue
        if t[k] == ">":
            depth -= 1
            if depth == 0:
                return k
        k += 1
    return k


def genex_filter(p: PStr, on: str | None, config: str | None = None) -> PStr:
    """``$<$<CONFIG:Debug>:-g>`` → ``-g`` when the configuration is Debug (``config``, the
    known CMAKE_BUILD_TYPE, or the variant ``CONFIG Debug``), else nothing;
    ``$<BUILD_INTERFACE:x>`` → x; ``$<1:x>``/``$<0:x>``; ``$<TARGET_FILE:t>`` a path of
    ``t``'s in an unknown folder; any other generator expression is unknown."""
    t = p.text
    if "$<" not in t:
        return p
    active = config if config else (on[7:] if on is not None and on.startswith("CONFIG ") else None)
    out, i = [], 0
    while i < len(t):
        j = t.find("$<", i)
        if j < 0:
            out.append(p[i:])
            break
        out.append(p[i:j])
        k = genex_end(t, j)
        body = p[j + 2:k]
        if body.text.startswith("$<CONFIG:"):
            end = body.text.find(">:")
            names = body.text[9:end].split(",") if end > 0 else []
            if active is not None and active in names:
                out.append(genex_filter(body[end + 2:], on, config))
        elif body.text.startswith("CONFIG:"):
            out.append(PStr.synth("1" if active is not None and active in body.text[7:].split(",") else "0"))
        elif body.text.startswith(("BUILD_INTERFACE:", "1:")):
            out.append(genex_filter(body[body.text.index(":") + 1:], on, config))
        elif body.text.startswith(("INSTALL_INTERFACE:", "0:")):
            pass
        elif body.text.startswith(TARGET_PATHS) and ":" in body.text:
            # the path of a target's file (cmake-generator-expressions(7)): a file the link reads,
            # in a folder not known here, never a flag (mujoco's `-Wl,--whole-archive
            # $<TARGET_FILE:mujoco>`)
            at = p[j:k + 1].source_range() or (-1, -1)
            out.append(PStr.spread(UNKNOWN + "/", *at) + PStr.spread(body.text.split(":", 1)[1], *at))
        elif body.text.startswith("JOIN:") and "," in body.text:
            # the list ends at the first comma, the glue takes the rest (CMake's parser)
            comma = body.text.index(",")
            items = list_items(genex_filter(body[5:comma], on, config))
            out.append(joined(items, genex_filter(body[comma + 1:], on, config)))
        else:
            out.append(PStr.spread(UNKNOWN, *(p[j:k + 1].source_range() or (-1, -1))))
        i = k + 1
    return PStr.join(out) if out else PStr.synth("")
