"""napi-rs packages built for WebAssembly (``@napi-rs/cli``, a ``wasm32-wasi*`` entry in
package.json's ``napi.targets``): the browser binding the CLI generates,
``<binaryName>.wasi-browser.js``, creates one shared ``WebAssembly.Memory`` of
``napi.wasm.initialMemory`` pages (the CLI's default 4000) with a maximum of
``napi.wasm.maximumMemory`` (default 65536: 4 GiB), whatever the build links
(createWasiBrowserBinding in napi-rs/cli's wasi template). A package that commits the
binding (anywhere in the package's folder: ``napi build --output-dir src``) is read from it
as JavaScript (``settle``); one that generates it at release time is read here, at the
configuration that decides it."""
from __future__ import annotations

import fnmatch
import posixpath

from ..js.facts import JsMemory

DEFAULT_INITIAL, DEFAULT_MAXIMUM = 4000, 65536      # pages, @napi-rs/cli's createWasiBrowserBinding
WASI_TRIPLES = ("wasm32-wasi", "wasm32-wasip1", "wasm32-wasip1-threads", "wasm32-wasi-preview1-threads")


def browser_memory(idx, root) -> list:
    napi = root.get("napi")
    if napi is None or napi.type != "object":
        return []
    targets = napi.get("targets")
    triples = napi.get("triples")            # napi-rs 2: {"additional": [...]}
    if targets is None and triples is not None and triples.type == "object":
        targets = triples.get("additional")
    wasm = next((t for t in (targets.items if targets is not None and targets.type == "array" else ())
                 if t.str_value() in WASI_TRIPLES), None)
    name = napi.get("binaryName") or napi.get("name")
    if wasm is None or name is None or not name.str_value():
        return []
    binding = f"{name.str_value()}.wasi-browser.js"
    if _removed_by_scripts(idx, root, binding):
        return []
    sizes = napi.get("wasm")
    initial, maximum = (_pages(sizes, key, default) for key, default in
                        (("initialMemory", DEFAULT_INITIAL), ("maximumMemory", DEFAULT_MAXIMUM)))
    # where the initial size is decided: the `"initialMemory": n` entry, or the target that makes the binding
    key = sizes.key_node("initialMemory") if sizes is not None and sizes.type == "object" else None
    start, end = (key.start, sizes.get("initialMemory").end) if key is not None else (wasm.start, wasm.end)
    return [JsMemory(idx.span(start, end), name=f"the memory of {binding} (napi-rs)",
                     initial_pages=initial, maximum_pages=maximum, has_maximum=True,
                     shared="threads" in wasm.str_value(),      # the CLI shares it for a threaded target
                     generator="napi-rs", written_to=binding)]


def _removed_by_scripts(idx, root, binding: str) -> bool:
    """A package script deletes the generated binding (turso's ``napi build … && rm
    turso.wasi* browser.js``): the package ships a loader of its own. Scripts are read by
    the shell reader the package's other scripts go through."""
    from .. import shellparse
    scripts = root.get("scripts")
    for _key, value in scripts.pairs if scripts is not None and scripts.type == "object" else ():
        if value.type != "string":
            continue
        for command in shellparse.parse(value.text, idx=idx).commands:
            words = [w.value for w in command.words]
            if words[:1] == ["rm"] and any(fnmatch.fnmatchcase(binding, w) for w in words[1:]):
                return True
    return False


def _pages(sizes, key: str, default: int) -> int | None:
    node = sizes.get(key) if sizes is not None and sizes.type == "object" else None
    if node is None:
        return default
    return node.value if isinstance(node.value, int) and not isinstance(node.value, bool) else None


def settle(facts: list, files) -> list:
    """Without the memories of bindings the project commits: each is read from the file."""
    names = {}
    for path in files:
        names.setdefault(posixpath.basename(path), []).append(path)

    def committed(f) -> bool:
        folder = posixpath.dirname(f.span.path)
        return any(p.startswith(folder + "/") or not folder for p in names.get(f.written_to, ()))
    return [f for f in facts if not (f.kind == "js-memory" and f.written_to and committed(f))]
