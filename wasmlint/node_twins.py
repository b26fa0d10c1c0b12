"""Node twins of web builds: a project that links its module once per environment names the
node one after the web one, with a ``node`` word added (web-ifc's ``web-ifc-node`` beside
``web-ifc``, linked with ``-sENVIRONMENT=web``; ``sqlite3-node`` beside ``sqlite3``). The web
link says where the web build is; the twin, which the web link's environment leaves out, is
the build for node, and runs there only (its loader is the package's node entry)."""
from __future__ import annotations

import posixpath
import re

# a `node` word in a file name: `-node`, `_node_`, `.node.`, `node-` at the start
NODE_WORD = re.compile(r"(?:(?<=[-_.])|^)node(?:js)?(?:[-_.]|$)", re.IGNORECASE)


def node_twin_outputs(links) -> set[str]:
    """The outputs of the emcc links (``emcc-invocation`` facts) that are the node twin of a
    web link writing beside them: same folder, same name without the ``node`` word, and the
    web link's ``-sENVIRONMENT`` set without node. A twin that itself names its environment
    (web, or node only, which ``target_hint`` already reads) is left as it says."""
    web: set[tuple[str, str]] = set()
    for f in links:
        envs = _environments(f)
        if envs and "node" not in envs:
            web.update(_stems(f))
    out: set[str] = set()
    if not web:
        return out      # no web link: no link is its twin (the links are not walked again)
    for f in links:
        if _environments(f):
            continue
        for folder, stem in _stems(f):
            bare = NODE_WORD.sub("", stem).strip("-_.")
            if bare != stem and bare and (folder, bare) in web:
                out.update(f.artifact_paths)
                break
    return out


def _environments(link) -> list[str]:
    env = link.settings.get("ENVIRONMENT")
    return [env] if isinstance(env, str) else list(env or [])


def _stems(link) -> set[tuple[str, str]]:
    """(folder, name without extension) of each output: ``src/cpp/web-ifc-node.wasm`` →
    (``src/cpp``, ``web-ifc-node``)."""
    out = set()
    for path in getattr(link, "artifact_paths", None) or ():
        name = posixpath.basename(path)
        for ext in (".wasm", ".mjs", ".cjs", ".js", ".html"):
            if name.endswith(ext):
                name = name[:-len(ext)]
                break
        out.add((posixpath.dirname(path), name))
    return out
