"""systemd units → launch facts: ``ExecStart=`` (prefixes ``-@:+!`` dropped,
line continuations joined, ``$VAR``/``${VAR}`` from ``Environment=``),
``Environment=`` (quoted assignments), ``MemoryMax=``/``MemoryLimit=`` and
``LimitAS=``. ``EnvironmentFile=`` files are not read (wasmlint reads only
the file in hand)."""
from __future__ import annotations

from ..facts import Fact
from ..launch.build import Limit, NODE_OPTIONS_VARS, Unit, memory_limit
from ..scopes import Scoped
from ..launch.words import lex
from ..shellparse import Assign
from ..textpos import LineIndex, MappedText, TextBuilder
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    idx = LineIndex(text, src.path)
    entries = _entries(idx)
    name = (getattr(src, "written_as", None) or src.path).rsplit("/", 1)[-1]     # a unit a script writes: its own name
    unit = Unit(idx, "systemd", name=name, role=Scoped("production", f"systemd unit `{name}`"))
    env: dict[str, Assign] = {}
    for section, key, value, start, end in entries:
        if section != "Service":
            continue
        if key == "Environment":
            for w in lex(value, escape_in_single=True, expand=False):
                k, eq, _ = w.value.partition("=")
                if eq:
                    env[k] = Assign(k, w.text.slice(len(k) + 1, len(w.value)), w.start, w.end, exported=True)
                    if k in NODE_OPTIONS_VARS:
                        unit.node_options(env[k])
        elif key in ("MemoryMax", "MemoryLimit") and unit.memory_limit is None:
            unit.memory_limit = memory_limit(value.value, idx.span(start, end), f"`{key}=`")
        elif key == "LimitAS":
            lim = memory_limit(value.value.split(":")[0], idx.span(start, end), f"`LimitAS={value.value}`")
            unit.address_space = Limit(lim.bytes, lim.span, lim.what) if lim else None
    for section, key, value, start, end in entries:
        if section == "Service" and key == "ExecStart":
            k = 0
            while k < len(value.value) and value.value[k] in "-@:+!":
                k += 1
            words = lex(value.slice(k, len(value.value)), {n: a.value for n, a in env.items()},
                        escape_in_single=True)
            unit.launch(unit.toks(words), env, (start, end), address_space=unit.address_space)
    return unit.facts


def _entries(idx: LineIndex) -> list[tuple[str, str, MappedText, int, int]]:
    """(section, key, value, line start, line end) with continuation lines joined."""
    out = []
    section = ""
    lines = idx.text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        start = idx.starts[i]
        i += 1
        if not s or s[0] in "#;":
            continue
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1]
            continue
        key, eq, _ = line.partition("=")
        if not eq:
            continue
        b = TextBuilder()
        pos = start + len(key) + 1
        seg = line[len(key) + 1:]
        end = start + len(line)
        while True:
            body = seg.rstrip()
            cont = body.endswith("\\")
            b.add(body[:-1] + " " if cont else body, pos)
            if not cont or i >= len(lines):
                break
            seg, pos = lines[i], idx.starts[i]
            end = idx.starts[i] + len(lines[i])
            i += 1
        value = b.build(start + len(key) + 1, end)
        lead = len(value.value) - len(value.value.lstrip())
        out.append((section, key.strip(), value.slice(lead, len(value.value.rstrip())), start, end))
    return out
