"""``configure.ac`` / ``configure.in`` → the emcc flags autoconf passes to the link.

A ``configure.ac`` is m4 over shell: ``autoconf`` expands its macros (``AC_INIT(…)``,
``AS_IF(…)``, ``AC_OUTPUT``), drops ``dnl`` comments, removes one level of m4 quotes
(``[['FS','ccall']]`` becomes ``['FS','ccall']``) and copies the rest into ``./configure``
as shell. ``emconfigure ./configure`` runs that shell with ``CC=emcc``, and ``CFLAGS`` and
``LDFLAGS`` are output variables that automake's link rule passes to the compiler driver
(``$(CC) $(CFLAGS) $(LDFLAGS) … -o $@``). So the flags an emcc link of the project gets
are the values the shell part leaves in them: read here as one flag set (a link elsewhere,
``flag_set``) when they carry an emcc setting. Macros themselves are not expanded; shell
inside their arguments is not read.
"""
from __future__ import annotations

from ..facts import Fact
from ..textpos import LineIndex
from ..toolchain.emcc import build_facts
from ..toolchain.emcc_args import carries_emcc_settings
from ..toolchain.pstr import PStr, Tok, shell_split
from ..toolchain.response_files import response_reader
from ..toolchain.shell_eval import evaluate
from . import SourceFile

LINK_VARS = ("CFLAGS", "LDFLAGS")      # automake's link rule passes both to $(CC)


def extract(src: SourceFile) -> list[Fact]:
    text = src.text_as_read
    index = LineIndex(text, src.path)
    result = evaluate(shell_text(text), index)
    last: dict[tuple[str, str | None], PStr] = {}
    spans = {}
    for a in result.assignments:
        if a.name in LINK_VARS and isinstance(a.value, PStr):
            last[(a.name, a.variant)] = a.value
            spans[a.variant] = a.span
    out: list[Fact] = []
    for variant in dict.fromkeys(v for _n, v in last):
        values = [last.get((n, variant)) or last.get((n, None)) for n in LINK_VARS]
        toks = [Tok(p, index) for v in values if v is not None for p in shell_split(v) if p.text.strip()]
        if carries_emcc_settings([t.value for t in toks]):
            out += build_facts(toks, spans[variant], variant=variant, read_response=response_reader(src),
                               flag_set=True)
    return out


def shell_text(text: str) -> PStr:
    """The shell autoconf copies out of ``text``: macro calls (an upper-case name with
    ``_``, ``m4_…``, and its balanced argument list) and ``dnl`` comments removed, one level
    of ``[ ]`` quotes removed; each kept character placed at its offset, newlines kept."""
    keep: list[int] = []
    i, n, depth = 0, len(text), 0
    while i < n:
        c = text[i]
        if c == "\n":
            keep.append(i)
            i += 1
            continue
        word = _macro_at(text, i)
        if word:
            end = _macro_end(text, i + len(word))
            keep += [k for k in range(i, end) if text[k] == "\n"]
            i = end
            continue
        if text.startswith("dnl", i) and (i + 3 >= n or not text[i + 3].isalnum()) and _word_start(text, i):
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if c == "[":
            depth += 1
            if depth > 1:
                keep.append(i)
        elif c == "]" and depth:
            depth -= 1
            if depth:
                keep.append(i)
        else:
            keep.append(i)
        i += 1
    return PStr("".join(text[k] for k in keep), tuple(keep), tuple(k + 1 for k in keep))


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_$")


def _macro_at(text: str, i: int) -> str | None:
    """A macro's name at ``i``: ``AC_…``, ``AM_…``, ``PKG_CHECK_…`` (upper case with an
    underscore) or ``m4_…``, at the start of a word."""
    if not _word_start(text, i) or not (text[i].isupper() or text.startswith("m4_", i)):
        return None
    j = i
    while j < len(text) and (text[j].isalnum() or text[j] == "_"):
        j += 1
    name = text[i:j]
    if "_" not in name.strip("_") or not (name.isupper() or name.startswith("m4_")):
        return None
    rest = text[j:j + 1]
    # a shell variable (`CFLAGS=`, `$EM_FLAGS`) is no macro; a macro stands alone or is called
    return name if rest in ("(", "\n", "", " ", "\t", ";") and not text.startswith("=", j) else None


def _macro_end(text: str, j: int) -> int:
    """The end of a macro call starting at ``j`` (its name read): after the balanced
    ``(…)`` that follows at once, m4 quotes ``[ ]`` hiding parentheses; else ``j``."""
    if j >= len(text) or text[j] != "(":
        return j
    parens, quotes, k = 0, 0, j
    while k < len(text):
        c = text[k]
        if c == "[":
            quotes += 1
        elif c == "]" and quotes:
            quotes -= 1
        elif not quotes and c == "(":
            parens += 1
        elif not quotes and c == ")":
            parens -= 1
            if parens == 0:
                return k + 1
        k += 1
    return len(text)
