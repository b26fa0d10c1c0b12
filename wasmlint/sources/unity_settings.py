"""Unity's ``ProjectSettings/ProjectSettings.asset`` → a ``deployment`` on Unity's Web
export when the project turns on web threads (``webGLThreadsSupport: 1``, a setting that
only the Web build reads): its heap is then a shared memory that reserves its maximum
(``webGLMaximumMemorySize``, MB; Unity's default 2048) at start.

The file is YAML 1.1 with Unity's ``%TAG !u!`` directive and ``--- !u!129 &1`` document
headers; it is composed (never constructed), so the tags need no loader."""
from __future__ import annotations

from .. import yamlpos
from ..deployment import Deployment
from ..launch import yamlsurf
from . import SourceFile

MB = 1 << 20
DEFAULT_MAXIMUM_MB = 2048     # Unity's default webGLMaximumMemorySize (docs: the heap "can expand up to 2GB")


def _int(node) -> int | None:
    text = yamlpos.str_of(node)
    return int(text) if text is not None and text.strip().isdigit() else None


def extract(src: SourceFile) -> list:
    idx, docs = yamlsurf.load_source(src)
    if idx is None:
        return docs
    for doc in docs:
        player = yamlpos.get(doc, "PlayerSettings")
        threads = yamlpos.get(player, "webGLThreadsSupport")
        if _int(threads) != 1:
            continue
        maximum = yamlpos.get(player, "webGLMaximumMemorySize")
        mb = _int(maximum)
        if mb is not None and mb > 0:
            key = yamlpos.key_node(player, "webGLMaximumMemorySize")
            span = idx.span(key.start_mark.index, maximum.end_mark.index)
            setting = f"webGLMaximumMemorySize: {mb}"
        else:
            mb, key = DEFAULT_MAXIMUM_MB, yamlpos.key_node(player, "webGLThreadsSupport")
            span = idx.span(key.start_mark.index, threads.end_mark.index)
            setting = f"Unity's default webGLMaximumMemorySize, {mb}"
        return [Deployment(span, platform="unity-web", via="webGLThreadsSupport: 1 of ProjectSettings.asset",
                           threads=True, memory_bytes=mb * MB, memory_setting=setting, memory_span=span)]
    return []
