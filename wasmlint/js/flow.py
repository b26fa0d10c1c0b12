"""Flow-typed JavaScript. A file whose first comments, before any code, hold the ``@flow``
pragma (``// @flow``, ``// @flow strict-local``, ``/** … @flow */``) is Flow's input: Flow
checks it, and Babel's flow preset or flow-remove-types strips its annotations (exact
object types ``{| |}``, ``opaque type``, ``declare module``) before anything runs it. Such
a file that does not parse as JavaScript or TypeScript is not broken (Parcel's sources,
flow-typed library stubs): it is not read, and ``inspect`` says why."""
from __future__ import annotations

import re

from ..facts import Span
from ..templates import NotAnalysed

# the shebang and the comments before the first code (a docblock may be long: a license)
_LEAD = re.compile(rb"\A(?:#![^\n]*\n)?(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_PRAGMA = re.compile(rb"@flow\b")
HEAD_BYTES = 16 * 1024


def flow_note(data: bytes, path: str) -> NotAnalysed | None:
    lead = _LEAD.match(data[:HEAD_BYTES])
    if lead is None or not _PRAGMA.search(lead.group(0)):
        return None
    return NotAnalysed(Span(path), reason="flow", detail=(
        "Flow type annotations (`@flow`): Babel or flow-remove-types strips them before the file runs, "
        "and it does not parse as JavaScript or TypeScript as it stands"))
