"""One file under analysis: the parsed document, its evaluator, what kind of
file it is (generated glue, worker, node-only), and helpers the builders share."""
from __future__ import annotations

import bisect
import re
from ..lazy import cached_property

from .parse import (FUNCTIONS, LOOPS, Doc, ancestors, call_parts, name_of, path_of, returns_of, string_value,
                    unwrap, up)
from .values import Evaluator
from .worker_side import is_worker_file, worker_functions, worker_side

STREAMING = ("instantiateStreaming", "compileStreaming")

CORE_WORDS = (b"availableParallelism", b"cpus", b"hardwareConcurrency")
_MEMORY_NAME = re.compile(r"(^|_)(wasm)?mem(ory)?$", re.I)
WORKER_MARKS = (b"parentPort", b"workerData", b"importScripts", b"onmessage")
NODE_MARKS = (b"require(", b"from 'node:", b'from "node:', b"from 'fs'", b'from "fs"',
               b"process.", b"__dirname")
# wasm-bindgen copies a crate's JS snippets to pkg/snippets/<crate>-<16 hex>/: its output, not the user's
_BINDGEN_SNIPPET = re.compile(r"(^|/)snippets/[^/]+-[0-9a-f]{16}/")
BROWSER_MARKS = (b"window", b"document", b"navigator", b"self.", b"location.")


class Scan:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.ev = Evaluator(doc)
        self.embedded: dict[int, object] = {}    # literal start byte → Embedded
        self._mentions: dict[tuple, bool] = {}
        self._cores: dict[tuple, bool] = {}      # (node, depth) → mentions_cores: each asked once

    # ------------------------------------------------------------ file kind
    @cached_property
    def code(self) -> bytes:
        """The file without its big embedded-module literals: what marker checks read."""
        if not self.doc.skip:
            return self.doc.data
        return b" ".join(self.doc.data[a:b] for a, b in self.doc.segments())

    def mentions(self, *words: bytes) -> bool:
        if words not in self._mentions:
            self._mentions[words] = any(self._in_code(w) for w in words)
        return self._mentions[words]

    def _in_code(self, word: bytes) -> bool:
        """``word in self.code``, from the file's sites when it is one of theirs."""
        sites = self.doc.sites
        hits = sites.offsets(word) if sites is not None and b" " not in word else None
        if hits is None:
            return word in self.code
        if not self.doc.skip:
            return bool(hits)
        for lo, hi in self.doc.segments():
            k = bisect.bisect_left(hits, lo)
            if k < len(hits) and hits[k] <= hi - len(word):
                return True
        return False

    @cached_property
    def generator(self) -> str | None:
        has = self._in_code
        if has(b"__wbindgen") or has(b"__wbg_") or _BINDGEN_SNIPPET.search(self.doc.path):
            return "wasm-bindgen"
        if has(b"HEAPU8") or has(b"ENVIRONMENT_IS_") or has(b"[Emscripten Module object]") or (
                has(b"instantiateWasm") and has(b"locateFile")):
            return "emscripten"
        if has(b"_inst.exports") and has(b"importObject"):
            return "go"
        return None

    @cached_property
    def worker_file(self) -> bool:
        """The file is a worker's code (``worker_side``); the marker words are a prefilter."""
        if not self.mentions(*WORKER_MARKS):
            return False
        return is_worker_file(self)

    @cached_property
    def node_only(self) -> bool:
        return any(self._in_code(m) for m in NODE_MARKS) and not any(self._in_code(m) for m in BROWSER_MARKS)

    @cached_property
    def worker_functions(self) -> set | None:
        """The worker's functions of a module holding both sides (``worker_side``), else None."""
        from .workers import constructions
        return worker_functions(self, [n for n, _c, _a in constructions(self)]) \
            if self.worker_file and self.mentions(b"Worker") else None

    def in_worker(self, node) -> bool:
        """Whether ``node`` runs in a worker: a worker file (of a module holding both sides, a
        worker's function: ``worker_side``), or the ``!isMainThread`` branch."""
        if self.worker_file and not self.mentions(b"isMainThread"):
            return worker_side(self, node)
        child = node
        for a in ancestors(node):
            if a.type in ("if_statement", "ternary_expression"):
                cond = a.child_by_field_name("condition")
                text = self.doc.text(cond).replace(" ", "") if cond is not None else ""
                if "isMainThread" in text:
                    main_when_true = not text.lstrip("(").startswith("!")
                    in_alt = a.child_by_field_name("alternative") is not None and \
                        a.child_by_field_name("alternative").id == child.id
                    return main_when_true == in_alt
            child = a
        return self.worker_file and worker_side(self, node)

    # ------------------------------------------------------------ WebAssembly.* index
    @cached_property
    def streaming_calls(self) -> list:
        """The ``instantiateStreaming``/``compileStreaming`` calls of ``wasm_api``, found once
        (each buffered compile asks for them: a file of thousands asked thousands of times)."""
        return [c for prop, _m, c in self.wasm_api if c is not None and prop in STREAMING]

    @cached_property
    def wasm_api(self) -> list[tuple[str, object, object]]:
        """[(property, member node, call-or-new node or None)] for every ``WebAssembly.X``
        that is the engine's: not inside a scope that declares its own ``WebAssembly``."""
        out = []
        idents = list(self.doc.words("WebAssembly", ("identifier",)))
        shadowing = _declaring_scopes(idents)
        for ident in idents:
            member = ident.parent
            if member is None or member.type != "member_expression" or \
                    member.child_by_field_name("object").id != ident.id:
                continue
            if shadowing and any(a.id in shadowing for a in ancestors(ident)):
                continue
            prop = name_of(member)
            parent = up(member)
            call = None
            if parent is not None and parent.type in ("call_expression", "new_expression"):
                callee, _ = call_parts(parent)
                if callee is not None and unwrap(callee).id == member.id:
                    call = parent
            out.append((prop, member, call))
        return out

    @cached_property
    def export_entries(self) -> list:
        """What this module exports (``exports.export_entries``)."""
        from .exports import export_entries
        return export_entries(self.doc)

    # ------------------------------------------------------------ shared helpers
    def is_memory(self, node) -> bool:
        origin = self.ev.origin(node)
        if origin is not None and origin.type == "new_expression":
            callee, _ = call_parts(origin)
            if path_of(callee) == "WebAssembly.Memory":
                return True
        name = name_of(node)
        return bool(name) and bool(_MEMORY_NAME.search(name))

    def mentions_cores(self, node, depth: int = 0) -> bool:
        """The expression is derived from the core count: directly, through names, through
        the default of a parameter (``size = os.availableParallelism()``: the caller may
        pass another size, the pool's own sizing follows the cores), or through ``this.x``
        when every write of it in the class does."""
        node = unwrap(node)
        if node is None or depth > 4:
            return False
        key = (node.id, node.start_byte, node.end_byte, depth)
        if key not in self._cores:
            # names that reach the same values again and again (every write of every name)
            # would cost (names × writes)^depth: each (node, depth) is worked out once
            self._cores[key] = self._mentions_cores(node, depth)
        return self._cores[key]

    def _mentions_cores(self, node, depth: int) -> bool:
        raw = self.doc.data[node.start_byte:node.end_byte]
        if any(c in raw for c in CORE_WORDS):
            return True
        self.doc.reveal(node)
        returned = self._local_returns(node)
        if returned:
            return self._returns_follow_cores(returned, depth)
        for ident in identifiers(node):
            call = up(ident)
            if call is not None and call.id != node.id and call.type == "call_expression" \
                    and unwrap(call_parts(call)[0]).id == ident.id and self._local_returns(call):
                if self.mentions_cores(call, depth + 1):      # `Math.min(coreCount(), 4)`
                    return True
                continue
            origin = self.ev.origin(ident)
            if origin is not None and origin.id != ident.id:
                if self.mentions_cores(origin, depth + 1):
                    return True
                continue
            write = self.ev.bindings.reaching_write(ident)
            if write is not None and write.default is not None and self.mentions_cores(write.default, depth + 1):
                return True
            if self._cores_or_constants(ident, depth):
                return True
        fields = self.this_writes(node)
        return bool(fields) and all(self.mentions_cores(v, depth + 1) for v in fields)

    def returns_follow_cores(self, fn) -> bool:
        """What the function ``fn`` returns follows the core count (``export function
        poolSize(n) { return n > 0 ? n : os.availableParallelism() - 1 }``)."""
        self.doc.reveal(fn)
        body = fn.child_by_field_name("body")
        if body is None:
            return False
        returned = [unwrap(r.named_children[0]) for r in returns_of(body) if r.named_children] \
            if body.type == "statement_block" else [unwrap(body)]
        return bool(returned) and self._returns_follow_cores(returned, 0)

    def _returns_follow_cores(self, returned: list, depth: int) -> bool:
        # every return is a number or follows the cores, one of them does; a return that
        # is the caller's or the operator's explicit choice (a parameter, process.env) is
        # theirs (embedpdf's resolvePoolSize: explicit, then env, then min(2, cores))
        others = [r for r in returned if not isinstance(self.ev.number(r), int)]
        cores = [r for r in others if self.mentions_cores(r, depth + 1)]
        return bool(cores) and all(r in cores or self._chosen(r, depth + 1) for r in others)

    def _chosen(self, node, depth: int) -> bool:
        """The value is given from outside: every name in it is a parameter of its function,
        or it comes from ``process.env`` (``Number.parseInt(process.env.POOL_SIZE)``)."""
        node = unwrap(node)
        if node is None or depth > 8:
            return False
        if b"process.env" in self.doc.data[node.start_byte:node.end_byte]:
            return True
        given = False
        for ident in identifiers(node):
            write = self.ev.bindings.reaching_write(ident)
            origin = self.ev.origin(ident)
            if write is not None and write.declares == "param":
                given = True
            elif origin is not None and origin.id != ident.id:
                if not self._chosen(origin, depth + 1):
                    return False
                given = True
            elif self.ev.bindings.binding_writes(ident):
                return False        # a name of the file's own whose value is not known
            # else a global the file never writes (`Math`, `Number`): no value of its own
        return given

    def _local_returns(self, node) -> list:
        """What ``f()`` returns when ``f`` is a function declared in this file
        (``function getMaxWorkers() { return Math.max(os.availableParallelism(), 1) }``)."""
        if node.type != "call_expression":
            return []
        callee = unwrap(call_parts(node)[0])
        if callee is None or callee.type != "identifier":
            return []
        name = self.doc.text(callee)
        fns = [w.parent for w in self.doc.words(name, ("identifier",))
               if w.parent is not None and w.parent.type == "function_declaration"
               and w.parent.child_by_field_name("name").id == w.id]
        if len(fns) != 1:
            return []
        self.doc.reveal(fns[0])
        return [unwrap(r.named_children[0]) for r in returns_of(fns[0]) if r.named_children]

    def _cores_or_constants(self, ident, depth: int) -> bool:
        """Every write of the variable gives it a number or a core count, one of them the
        cores: ``let n = 2; if (browser) n = navigator.hardwareConcurrency; else n =
        os.cpus().length; if (n > 64) n = 64``."""
        writes = self.ev.bindings.binding_writes(ident)
        if not writes or any(not w.carries or w.value is None or w.default is not None for w in writes):
            return False
        cores = [w for w in writes if not isinstance(self.ev.number(w.value), int)]
        return bool(cores) and all(self.mentions_cores(w.value, depth + 1) for w in cores)

    def this_writes(self, node) -> list:
        """The values assigned to ``this.x`` (``node``) anywhere in its class, and its field initialiser."""
        if node.type != "member_expression" or unwrap(node.child_by_field_name("object")).type != "this":
            return []
        prop = name_of(node)
        body = next((a for a in ancestors(node) if a.type == "class_body"), None)
        if body is None or not prop:
            return []
        out = []
        for word in self.doc.words(prop, ("property_identifier",)):
            if not body.start_byte <= word.start_byte < body.end_byte:
                continue
            parent = word.parent
            if parent.type in ("public_field_definition", "field_definition"):
                value = parent.child_by_field_name("value")
                if value is not None:
                    out.append(value)
                continue
            write = up(parent) if parent.type == "member_expression" else None
            if write is not None and write.type == "assignment_expression" and \
                    unwrap(write.child_by_field_name("left")).id == parent.id and \
                    unwrap(parent.child_by_field_name("object")).type == "this":
                out.append(write.child_by_field_name("right"))
        return out

    def bound_name(self, node) -> str | None:
        """The name or member path an expression is stored into (``x = …``, ``const x = …``, ``{x: …}``)."""
        parent = up(node)
        if parent is None:
            return None
        if parent.type == "variable_declarator":
            return name_of(parent.child_by_field_name("name"))
        if parent.type == "assignment_expression" and parent.child_by_field_name("right").id == _outer(node).id:
            return path_of(parent.child_by_field_name("left"))
        if parent.type == "binary_expression" and parent.child_by_field_name("operator").type in ("||", "??"):
            return self.bound_name(parent)
        if parent.type == "pair":
            return name_of(parent.child_by_field_name("key")) or string_value(parent.child_by_field_name("key"))
        if parent.type == "public_field_definition":
            return "this." + (name_of(parent.child_by_field_name("name")) or "")
        return None

    def placement(self, node) -> str:
        """module | constructor | class-field | function: where code runs how often."""
        for a in ancestors(node):
            if a.type == "public_field_definition":
                return "class-field"
            if a.type == "method_definition":
                return "constructor" if name_of(a.child_by_field_name("name")) == "constructor" else "function"
            if a.type in ("function_declaration", "function_expression", "arrow_function",
                          "generator_function_declaration", "generator_function") and not _is_iife(a):
                return "function"
        return "module"

    def loop_of(self, node):
        """The loop (or ``Array.from``/``.map``/``.forEach`` callback call) that repeats ``node``."""
        for a in ancestors(node):
            if a.type in LOOPS:
                return a
            if a.type in ("arrow_function", "function_expression"):
                call, _ = _callback_call(a)
                if call is not None:
                    callee, _args = call_parts(call)
                    name = name_of(callee)
                    if name in ("map", "forEach", "flatMap") or path_of(callee) == "Array.from":
                        return call
                if not _is_iife(a):
                    return None
            elif a.type in ("function_declaration", "method_definition"):
                return None
        return None

    def loop_bound(self, loop):
        """(bounded by cores, known count, the expression that decides the count) of a loop
        from ``loop_of``."""
        if loop.type == "for_statement":
            cond = loop.child_by_field_name("condition")
            if cond is not None and cond.type == "expression_statement":
                cond = cond.named_children[0] if cond.named_children else None
            cond = unwrap(cond)
            if cond is None or cond.type != "binary_expression":
                return False, None, None
            bound = cond.child_by_field_name("right")
            step = loop.child_by_field_name("increment")
            if step is not None and any(op in self.doc.text(step) for op in ("--", "-=")):
                # counting down (`for (i = cpus().length - 1; i >= 0; --i)`): the start is the bound
                start = _initial_value(loop.child_by_field_name("initializer"))
                if start is None:
                    return False, None, None
                first, last = self.ev.number(start), self.ev.number(bound)
                op = cond.child_by_field_name("operator")
                op = op.type if op is not None else ""
                count = None
                if isinstance(first, int) and isinstance(last, int) and op in (">", ">="):
                    count = max(0, first - last + (op == ">="))
                return self.mentions_cores(start), count, start
            count = self.ev.number(bound)
            return self.mentions_cores(bound), (count if isinstance(count, int) else None), bound
        if loop.type in ("while_statement", "do_statement"):
            cond = loop.child_by_field_name("condition")
            return (cond is not None and self.mentions_cores(cond)), None, None
        if loop.type == "for_in_statement":
            right = loop.child_by_field_name("right")
            return self._list_bound(right)
        callee, args = call_parts(loop)
        if path_of(callee) == "Array.from" and args:
            return self._list_bound(args[0])
        return self._list_bound(callee.child_by_field_name("object") if callee.type == "member_expression" else None)

    def _list_bound(self, node):
        grown = node is not None and node.type == "identifier" and self._grown(node)
        node = self.ev.origin(node) if node is not None else None
        if node is None:
            return False, None, None
        if grown and node.type == "array":
            return False, None, None      # `const xs = []; … xs.push(…)`: the literal is not its length
        if self.mentions_cores(node):
            return True, None, node
        if node.type == "array":
            return False, len(node.named_children), node
        if node.type == "object":
            from .parse import object_pairs
            length = object_pairs(node).get("length")
            n = self.ev.number(length[1]) if length else None
            return False, (n if isinstance(n, int) else None), (length[1] if length else None)
        self.doc.reveal(node)
        for sub in _calls_named(node, "Array"):
            _c, args = call_parts(sub)
            n = self.ev.number(args[0]) if args else None
            return (self.mentions_cores(args[0]) if args else False), (n if isinstance(n, int) else None), \
                (args[0] if args else None)
        return False, None, None

    def _grown(self, ident) -> bool:
        """Whether the file adds elements to the array this name holds (``xs.push(…)``)."""
        name = ident.text
        return any(name + g in self.doc.data for g in _GROWERS)


_GROWERS = (b".push(", b".unshift(", b".splice(")


def _declaring_scopes(idents) -> set[int]:
    """The scopes (function or program) whose ``var``/``let``/``const WebAssembly`` hides the
    engine's object: Emscripten's wasm2js glue (``-sWASM=0``) declares ``var WebAssembly =
    {Memory: function(opts) {this.buffer = new ArrayBuffer(…)}, …}``, its own polyfill, so a
    ``new WebAssembly.Memory`` under it makes an ArrayBuffer, never a WebAssembly memory.
    TypeScript's ``declare const WebAssembly`` (onigasm's, to quiet the compiler) is only a
    type: it emits no code, and the engine's object is what the name reads."""
    out = set()
    for ident in idents:
        decl = ident.parent
        if decl is None or decl.type != "variable_declarator" or decl.child_by_field_name("name").id != ident.id:
            continue
        if any(a.type == "ambient_declaration" for a in ancestors(decl)):
            continue
        scope = next((a for a in ancestors(decl) if a.type in FUNCTIONS or a.type == "program"), None)
        if scope is not None:
            out.add(scope.id)
    return out


def _initial_value(init):
    """The value a ``for`` initializer gives its variable (``let i = X`` or ``i = X``)."""
    init = unwrap(init)
    if init is None:
        return None
    if init.type in ("lexical_declaration", "variable_declaration"):
        decl = next((c for c in init.named_children if c.type == "variable_declarator"), None)
        return decl.child_by_field_name("value") if decl is not None else None
    if init.type == "expression_statement" and init.named_children:
        init = unwrap(init.named_children[0])
    if init is not None and init.type == "assignment_expression":
        return init.child_by_field_name("right")
    return None


def _outer(node):
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def _is_iife(fn) -> bool:
    parent = up(fn)
    if parent is not None and parent.type == "call_expression":
        callee, _ = call_parts(parent)
        return callee is not None and unwrap(callee).id == fn.id
    if parent is not None and parent.type == "arguments":   # UMD: (function(root, factory){…})(this, function(){…})
        call = parent.parent
        callee, _ = call_parts(call)
        return callee is not None and unwrap(callee).type in ("function_expression", "arrow_function")
    return False


def _callback_call(fn):
    parent = up(fn)
    if parent is not None and parent.type == "arguments":
        call = parent.parent
        return call, [c.id for c in parent.named_children].index(_outer(fn).id)
    return None, -1


def identifiers(node):
    stack = [node]
    seen = 0
    while stack and seen < 200:
        n = stack.pop()
        seen += 1
        if n.type == "identifier":
            yield n
        else:
            stack.extend(n.named_children)


def _calls_named(node, name: str):
    stack = [node]
    seen = 0
    while stack and seen < 200:
        n = stack.pop()
        seen += 1
        if n.type in ("call_expression", "new_expression"):
            callee, _ = call_parts(n)
            if callee is not None and path_of(callee) == name:
                yield n
                continue
        stack.extend(n.named_children)

