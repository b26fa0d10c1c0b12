"""emcc's ``@file`` arguments (response files): a reader that opens one from the folder the
command runs in, inside the project only (through ``--fix``'s overlay, and recorded as a file
of the run), and their expansion as emcc reads them, bounded per command."""
from __future__ import annotations

import hashlib
import os
import weakref
from typing import Callable

from ..paths import read_regular
from ..sources import SourceFile
from ..textpos import LineIndex
from .pstr import PStr, Tok, shell_split

RESPONSE_LIMIT = 1 << 20
# read(the ``@file`` argument) -> its arguments, a problem to report, or None (not read)
Reader = Callable[[Tok], "list[Tok] | str | None"]


def response_reader(src: SourceFile):
    """Read ``@file`` arguments relative to the file's folder, inside the project only: one
    reader per file (made once: it resolves the project's real path, system calls that every
    workflow step, Dockerfile ``RUN`` and npm script of the file paid again)."""
    made = getattr(src, "_response_reader", None)
    if made is not None:
        return made
    base = os.path.dirname(src.abspath) if src.abspath else ""
    root = os.path.realpath(src.root or base) if (src.root or base) else ""
    shown_base = os.path.dirname(src.path)
    weak = weakref.ref(src)     # the file holds its reader: no cycle keeps the file's work alive

    def read(tok: Tok, cwd: str | None = ""):
        """``cwd``: the folder the command runs in, relative to the file's (``cd out &&
        emcc @../flags.txt``); None when a ``cd`` went somewhere not known."""
        src = weak()
        if src is None:
            return None
        src.read_others = True
        rel = tok.value[1:]
        if not base or not rel or "\0" in rel or cwd is None or not tok.text.known:   # no file name holds a NUL byte
            return None
        rel = os.path.join(cwd, rel) if cwd else rel
        full = os.path.realpath(os.path.join(base, rel))
        if not (full == root or full.startswith(root + os.sep)):
            return f"response file `{tok.value}` is outside the project; not read"
        if not os.path.isfile(full) and not cwd and root:
            # a script in a subfolder is mostly run from the project's top (`npm run build`
            # → `tools/build.sh`, whose `@tools/exports.json` is relative to the top)
            full = os.path.realpath(os.path.join(root, rel))
            if not full.startswith(root + os.sep):
                return None
        if not os.path.isfile(full):
            return None
        try:
            raw = read_regular(full, RESPONSE_LIMIT, follow=True)     # as --fix has edited it, too
            if len(raw) > RESPONSE_LIMIT:
                return f"response file `{tok.value}` is larger than 1 MiB; not read"
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            return f"response file `{tok.value}` cannot be read: {exc}"
        # shown as the project's path of the file it is (``@sub/../../app/x.rsp`` inside it too)
        shown = os.path.normpath(os.path.join(shown_base, os.path.relpath(full, os.path.realpath(base))))
        shown = shown.replace(os.sep, "/")
        src.others[shown] = (full, hashlib.sha256(raw).hexdigest())    # --fix may edit what was read
        index = LineIndex(text, shown)
        return [Tok(p, index) for p in shell_split(PStr.source(text, 0))]
    src._response_reader = read
    return read


MAX_RESPONSE_READS = 64    # per command: response files naming each other cannot multiply the work
MAX_RESPONSE_TOKENS = 100_000   # arguments response files may add to one command


def expand_response(args: list[Tok], read: Reader | None, problems: list | None, depth: int = 0,
                     budget: list[int] | None = None) -> list[Tok]:
    """``@file`` arguments replaced by the file's arguments, as emcc reads them. One command
    reads at most MAX_RESPONSE_READS files and gains at most MAX_RESPONSE_TOKENS arguments
    (``budget``: reads so far, arguments so far): a response file that names itself cannot
    multiply the work."""
    out: list[Tok] = []
    budget = budget if budget is not None else [0, 0]
    for tok in args:
        if tok.value.startswith("@") and len(tok.value) > 1 and read is not None and depth < 8 \
                and budget[0] <= MAX_RESPONSE_READS:
            budget[0] += 1
            got = read(tok) if budget[0] <= MAX_RESPONSE_READS else \
                f"response file `{tok.value}`: more than {MAX_RESPONSE_READS} response files in one command; not read"
            if isinstance(got, list) and budget[1] + len(got) > MAX_RESPONSE_TOKENS:
                got = f"response file `{tok.value}`: more than {MAX_RESPONSE_TOKENS} arguments in one command; not read"
                budget[0] = MAX_RESPONSE_READS + 1      # nothing more is read for this command
            if isinstance(got, list):
                budget[1] += len(got)
                out += expand_response(got, read, problems, depth + 1, budget)
                continue
            if isinstance(got, str) and problems is not None:
                problems.append((tok, got))
        out.append(tok)
    return out
