"""Compile/instantiate facts, and where their bytes come from.

``trace`` follows an argument back through names, ``await``, ``new
Uint8Array(…)`` and ``.then`` callbacks to: a ``fetch()`` response, its
``arrayBuffer()``, a file read, an embedded module, or a compiled Module.
"""
from __future__ import annotations


from dataclasses import dataclass

from .facts import JsCompile
from .exports import in_file_calls, parameter_index
from .parse import object_pairs, call_parts, enclosing_function, name_of, path_of, string_value, unwrap, up
from .scan import Scan
from .filepaths import relative_path
from .loader_hook import is_loader_hook
from .module_offered import module_offered
from .streaming_fallback import is_streaming_fallback

APIS = {"instantiate", "instantiateStreaming", "compile", "compileStreaming", "Module", "Instance"}
_READS = {"readFileSync", "readFile"}
MAX_PARAM_CALLS = 20       # in-file calls of a function whose parameter holds the bytes
_WRAPS = {"Uint8Array", "Buffer.from", "Uint8Array.from", "base64Decode", "binaryDecode",
          "intArrayFromBase64", "tryParseAsDataURI"}


@dataclass
class Origin:
    kind: str = "unknown"      # response | bytes | module | unknown
    from_fetch: bool = False
    source: str | None = None
    size: int | None = None
    buffered: object = None    # the `….arrayBuffer()` call of fetched bytes


def compiles(scan: Scan) -> list[JsCompile]:
    return [compile_at(scan, prop, call) for prop, call in compile_sites(scan)]


def compile_sites(scan: Scan) -> list[tuple[str, object]]:
    """``(api, call)`` of each compile or instantiate call of the file."""
    out = []
    for prop, _member, call in scan.wasm_api:
        if prop not in APIS or call is None:
            continue
        if prop in ("Module", "Instance") and call.type != "new_expression":
            continue
        out.append((prop, call))
    return out


def compile_at(scan: Scan, prop: str, call) -> JsCompile:
    """The fact of the compile call ``call`` of API ``prop``."""
    _callee, args = call_parts(call)
    origin = trace(scan, args[0]) if args else Origin()
    imported = _wasm_import(scan, args[0]) if args and origin.kind == "unknown" else None
    streaming = prop.endswith("Streaming")
    from_fetch = origin.from_fetch and origin.kind == "bytes"
    from_bytes = origin.kind == "bytes" or (streaming and origin.kind == "response")
    in_worker = scan.in_worker(call)
    return JsCompile(
        scan.doc.span(call), generator=scan.generator, api=prop,
        sync=prop in ("Module", "Instance"), streaming=streaming,
        worker_context=in_worker, node_only=scan.node_only,
        from_fetch=from_fetch, streaming_fallback=from_fetch and is_streaming_fallback(scan, call),
        from_bytes=from_bytes, module_offered=from_bytes and in_worker and module_offered(scan, call),
        loader_hook=from_bytes and in_worker and is_loader_hook(scan, call),
        # an Instance of a Module compiled here is reported at the Module
        module_size=origin.size if prop != "Instance" else None,
        source=origin.source if prop != "Instance" else None,
        memory_imports=memory_imports(scan, args[1] if len(args) > 1 and prop not in ("compile", "Module",
                                                                                   "compileStreaming") else None),
        wasm_import=imported)


def _wasm_import(scan: Scan, node) -> str | None:
    """``import wasm from './a.wasm'`` (``?module`` too) passed as it is: the spec."""
    from .exports import DEFAULT, import_source
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return None
    found = import_source(scan, node)
    if found is None or found[1] != DEFAULT or not found[0].split("?", 1)[0].endswith(".wasm"):
        return None
    return found[0]


def memory_imports(scan: Scan, node) -> list[tuple[str, str, str | None, int | None]]:
    """``{env: {memory}}`` in an import object: (module, name, memory binding, offset of an
    inline ``new WebAssembly.Memory``) for each value that is a memory here."""
    obj = (scan.ev.origin(node) or node) if node is not None else None
    out = []
    for module, (_pair, value) in object_pairs(obj).items():
        inner = (scan.ev.origin(value) or value) if value is not None else None
        for name, (_p, v) in object_pairs(inner).items():
            v = unwrap(v)
            if v is None:
                continue
            if v.type in ("identifier", "shorthand_property_identifier"):
                out.append((module, name, v.text.decode("utf-8", "replace"), None))
            elif v.type == "new_expression" and b"Memory" in v.text:
                out.append((module, name, None, v.start_byte))
    return out


def trace(scan: Scan, node, depth: int = 0) -> Origin:
    node = unwrap(node)
    if node is None or depth > 12:
        return Origin()
    if node.start_byte in scan.embedded and node.type in ("string", "array", "template_string", "binary_expression"):
        return Origin("bytes", size=len(scan.embedded[node.start_byte].data))
    t = node.type
    if t == "await_expression":
        return trace(scan, node.named_children[0] if node.named_children else None, depth + 1)
    if t == "identifier":
        origin = scan.ev.origin(node)
        if origin is not None and origin.id != node.id:
            return trace(scan, origin, depth + 1)
        found = _callback_param(scan, node, depth)
        return found if found.kind != "unknown" else _local_param(scan, node, depth)
    if t == "member_expression" and name_of(node) == "module":
        return Origin("module")
    if t not in ("call_expression", "new_expression"):
        return Origin()
    callee, args = call_parts(node)
    name = path_of(callee) or ""
    last = name_of(callee) or ""
    if name == "await" and len(args) == 1 and unwrap(callee).type == "identifier":
        # tree-sitter-javascript reads `await (await fetch(u)).arrayBuffer()` as a call of `await`
        return trace(scan, args[0], depth + 1)
    if last == "fetch" and args:
        # a `data:` URL (three.js's ZSTDDecoder fetches "data:application/wasm;base64," + its
        # module) is decoded in place: no download for a streaming compile to overlap
        return Origin("response", from_fetch=not _data_url(scan, args[0]), source=_source(scan, args[0]))
    if last == "arrayBuffer" and callee.type == "member_expression":
        inner = trace(scan, callee.child_by_field_name("object"), depth + 1)
        return Origin("bytes", inner.from_fetch, inner.source, buffered=node) if inner.kind == "response" \
            else Origin("bytes")
    if last in _READS and args:
        return Origin("bytes", source=_source(scan, args[0]))
    if name in ("WebAssembly.Module", "WebAssembly.compile"):
        inner = trace(scan, args[0], depth + 1) if args else Origin()
        return Origin("module", size=inner.size, source=inner.source)
    if (name in _WRAPS or last in _WRAPS) and args:
        inner = trace(scan, args[0], depth + 1)
        return Origin("bytes", inner.from_fetch, inner.source, inner.size, inner.buffered) \
            if inner.kind != "unknown" else inner
    if last == "then" and callee.type == "member_expression" and args:
        return _returned(scan, args[0], callee.child_by_field_name("object"), depth + 1)
    return Origin()


def _callback_param(scan: Scan, ident, depth: int) -> Origin:
    """``p.then(r => …ident…)``: a callback parameter is what ``p`` resolves to (also read
    in a function nested in the callback, ``new Promise(resolve => …ident…)``)."""
    fn = ident
    while fn is not None and (fn.type not in ("arrow_function", "function_expression", "function_declaration",
                                              "method_definition") or not _is_param(fn, ident)):
        fn = fn.parent
    if fn is None:
        return Origin()
    parent = up(fn)
    if parent is None or parent.type != "arguments":
        return Origin()
    call = parent.parent
    callee, _args = call_parts(call)
    if callee is None or name_of(callee) != "then" or callee.type != "member_expression":
        return Origin()
    return trace(scan, callee.child_by_field_name("object"), depth + 1)


def _local_param(scan: Scan, ident, depth: int) -> Origin:
    """A parameter of a function of this file (onigasm's ``initModule(bytes)``, whose
    ``instantiateWasm`` hook compiles ``bytes``): what its calls in the file pass. The
    first call passing fetched bytes, where that call is not itself the fallback of a
    streaming compile, is the buffered path; other origins are left unknown."""
    write = scan.ev.bindings.reaching_write(ident)
    if write is None or write.declares != "param" or write.default is not None or write.node.id != \
            _param_identifier(write.node):
        return Origin()
    fn = enclosing_function(write.node)
    index = parameter_index(fn, write.node) if fn is not None else None
    if index is None:
        return Origin()
    for call in in_file_calls(scan, fn)[:MAX_PARAM_CALLS]:
        _c, args = call_parts(call)
        if index >= len(args) or args[index].type == "spread_element":
            continue
        origin = trace(scan, args[index], depth + 1)
        if origin.kind == "bytes" and origin.from_fetch and not is_streaming_fallback(scan, call):
            return origin
    return Origin()


def _param_identifier(node) -> int | None:
    """The id of ``node`` when it is a whole parameter (``bytes``, ``bytes: ArrayBuffer``),
    not a name destructured from one."""
    parent = node.parent
    if parent is not None and parent.type in ("required_parameter", "optional_parameter"):
        parent = parent.parent
    return node.id if parent is not None and parent.type == "formal_parameters" else None


def _is_param(fn, ident) -> bool:
    single = fn.child_by_field_name("parameter")
    if single is not None:
        return single.text == ident.text
    params = fn.child_by_field_name("parameters")
    return params is not None and params.named_children and unwrap(params.named_children[0]).text == ident.text


def _returned(scan: Scan, fn, receiver, depth: int) -> Origin:
    """What a ``.then`` callback returns, its parameter bound to what ``receiver`` resolves to."""
    fn = unwrap(fn)
    if fn is None or fn.type not in ("arrow_function", "function_expression"):
        return Origin()
    body = fn.child_by_field_name("body")
    expr = body
    scan.doc.reveal(body)
    if body is not None and body.type == "statement_block":
        expr = next((s.named_children[0] for s in body.named_children
                     if s.type == "return_statement" and s.named_children), None)
    expr = unwrap(expr)
    if expr is None:
        return Origin()
    if expr.type in ("call_expression", "new_expression"):
        callee, _a = call_parts(expr)
        if name_of(callee) == "arrayBuffer" and callee.type == "member_expression":
            inner = trace(scan, receiver, depth + 1)
            return Origin("bytes", inner.from_fetch, inner.source, buffered=expr) if inner.kind == "response" \
                else Origin("bytes")
    return trace(scan, expr, depth + 1)


def _data_url(scan: Scan, node) -> bool:
    """Whether the URL starts with ``data:``: a literal, or a ``+`` or template whose first
    part is one."""
    node = unwrap(node)
    while node is not None and node.type == "binary_expression" and \
            node.child_by_field_name("operator").type == "+":
        node = unwrap(node.child_by_field_name("left"))
    if node is not None and node.type == "template_string":
        text = node.text[1:].decode("utf-8", "replace")
        return text.startswith("data:")
    value = scan.ev.string(node) if node is not None else None
    return isinstance(value, str) and value.startswith("data:")


def _source(scan: Scan, node) -> str | None:
    """A URL or path literal: ``'a.wasm'``, ``new URL('a.wasm', …)``, a path built from the
    module's own folder (``path.join(__dirname, '..', 'dist', 'a.wasm')``: ``../dist/a.wasm``)."""
    node = scan.ev.origin(node)
    if node is None:
        return None
    built = relative_path(scan, node)
    if built is not None:
        return built
    value = scan.ev.string(node)
    if isinstance(value, str):
        return value
    if node.type in ("call_expression", "new_expression"):
        _c, args = call_parts(node)
        for arg in (args if path_of(_c) != "URL" else args[:1]):
            s = string_value(arg)
            if s and s.endswith(".wasm"):
                return s
    if node.type in ("binary_expression", "template_string"):
        # __dirname + '/app.wasm', `${__dirname}/app.wasm`: the literal tail, relative to this file
        text = node.text.decode("utf-8", "replace")
        tail = _wasm_tail(text)
        if tail and ("__dirname" in text or "import.meta" in text):
            return "./" + tail.lstrip("/")
    return None


def _wasm_tail(text: str) -> str | None:
    """The ``name.wasm`` path that ends ``text`` (before closing quotes and brackets), in
    linear time (a regular expression anchored at the end rescans from every start)."""
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] in "_./-"):
        end -= 1
    if not text.endswith(".wasm", 0, end):
        return None
    start = end - len(".wasm")
    while start and (text[start - 1].isalnum() or text[start - 1] in "_./-"):
        start -= 1
    return text[start:end]
