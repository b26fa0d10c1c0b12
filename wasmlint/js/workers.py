"""Worker facts: ``worker_threads`` and web ``Worker``, piscina, workerpool."""
from __future__ import annotations

from .error_listeners import error_handling, imported_handoffs, unheard_await
from .exports import exported_as, import_source
from .facts import JsWorker
from .inline_worker import blob_function
from .parse import call_parts, enclosing_function, object_pairs, returns_of, string_value, unwrap, up
from .pool_size import trace_size
from .polyfill_guard import missing_builtin
from .scan import Scan
from .worker_lifetime import ended_each_pass, leaves_after


def constructions(scan: Scan, word: str = "Worker"):
    """``(new, callee, args)`` of each ``new Worker(…)`` / ``new x.Worker(…)`` (``word``) of the file."""
    seen = set()
    for node in scan.doc.words(word, ("identifier", "property_identifier")):
        target = node if node.type == "identifier" else node.parent
        new = up(target)
        if new is None or new.type != "new_expression" or new.id in seen:
            continue
        callee, args = call_parts(new)
        if unwrap(callee).id != unwrap(target).id:
            continue
        seen.add(new.id)
        yield new, callee, args


def workers(scan: Scan) -> list[JsWorker]:
    out = []
    seen = set()
    for word in ("Worker", "Piscina"):
        for new, callee, args in constructions(scan, word):
            seen.add(new.id)
            if word == "Piscina":
                out.append(_pool(scan, new, "piscina", args[0] if args else None, ("maxThreads", "minThreads")))
            elif not _other_packages_worker(scan, callee, args):
                out.append(_worker(scan, new, callee, args))
    for local, script in (_bundler_worker_imports(scan) if scan.mentions(b"worker") else {}).items():
        for node in scan.doc.words(local, ("identifier",)):
            new = up(node)
            if new is not None and new.type == "new_expression" and new.id not in seen and \
                    unwrap(call_parts(new)[0]).id == node.id:
                seen.add(new.id)
                fact = JsWorker(scan.doc.span(new), generator=scan.generator, api="web", script=script)
                _loop(scan, fact, new)
                out.append(fact)
    imports_pool = scan.mentions(b"'workerpool'", b'"workerpool"')
    for node in (scan.doc.words("pool", ("property_identifier",)) if imports_pool else ()):
        member = node.parent
        call = up(member)
        if call is None or call.type != "call_expression" or unwrap(call_parts(call)[0]).id != member.id:
            continue
        _c, args = call_parts(call)
        first = scan.ev.origin(args[0]) if args else None
        opts = args[1] if len(args) > 1 else (args[0] if first is not None and first.type == "object" else None)
        out.append(_pool(scan, call, "workerpool", opts, ("maxWorkers", "minWorkers")))
    return out


# Vite's worker imports: the default export is a constructor of a worker running the file
# (`import W from './w.ts?worker'; new W()`); `?worker&url` is the URL instead
_WORKER_QUERIES = ("worker", "worker&inline", "sharedworker", "sharedworker&inline")


def _bundler_worker_imports(scan: Scan) -> dict[str, str]:
    """Local name → the script, of each default import whose query makes it a worker
    constructor (Vite's ``?worker``, ``?worker&inline``, ``?sharedworker``)."""
    out: dict[str, str] = {}
    for stmt in scan.doc.root.named_children:
        spec = string_value(stmt.child_by_field_name("source")) if stmt.type == "import_statement" else None
        path, _q, query = (spec or "").partition("?")
        if query not in _WORKER_QUERIES or not path:
            continue
        for clause in (c for c in stmt.named_children if c.type == "import_clause"):
            for part in (p for p in clause.named_children if p.type == "identifier"):
                out[part.text.decode("utf-8", "replace")] = path
    return out


def _worker_api(scan: Scan, callee) -> str:
    callee = unwrap(callee)
    if not scan.mentions(b"worker_threads"):
        return "web"
    if callee.type == "member_expression":
        return "worker_threads"
    # the binding this `Worker` reads: a `const {Worker} = await import('node:worker_threads')`
    # inside a shim class's constructor does not reach a `new Worker` in another function
    writes = scan.ev.bindings.binding_writes(callee) if callee.type == "identifier" else \
        scan.ev.bindings.writes("Worker")
    return "worker_threads" if any(w.declares in ("import", "const", "let", "var") for w in writes) else "web"


def _other_packages_worker(scan: Scan, callee, args) -> bool:
    """A ``Worker`` class of a package, called as no thread constructor is: a Web Worker and
    a worker_threads Worker take ``(script, options)``; bullmq's queue consumer takes
    ``(queueName, processor, options)`` (more arguments, or a function second)."""
    if not _package_worker(scan, callee):
        return False
    second = unwrap(args[1]) if len(args) > 1 else None
    return len(args) > 2 or (second is not None and second.type in ("arrow_function", "function_expression",
                                                                    "function"))


def _package_worker(scan: Scan, callee) -> bool:
    """``Worker`` is imported from a package other than node's own ``worker_threads`` (a Web
    Worker API on top of it, such as web-worker or threads.js): its ``onerror`` is that
    package's business."""
    found = import_source(scan, unwrap(callee))
    return found is not None and found[0].removeprefix("node:") != "worker_threads"


def _worker(scan: Scan, new, callee, args) -> JsWorker:
    fact = JsWorker(scan.doc.span(new), generator=scan.generator, api=_worker_api(scan, callee))
    fact.script = _script(scan, args[0]) if args else None
    fact.fallback_for = missing_builtin(new)
    code = blob_function(scan, args[0]) if args and fact.script is None else None
    fact.runs_code = scan.doc.span(code) if code is not None else None
    _options(scan, fact, args[1] if len(args) > 1 else None)
    if fact.api == "worker_threads":
        fact.error_listener, fact.onerror_at = error_handling(scan, new)
        if fact.onerror_at is not None and _package_worker(scan, callee):
            fact.error_listener, fact.onerror_at = True, None
        if fact.error_listener is None:
            fact.unheard_at = unheard_await(scan, new)
            fact.error_listener = False if fact.unheard_at is not None else None
        if fact.error_listener is None:
            fact.returned_as = _returned_as(scan, new)
            fact.handed_to = imported_handoffs(scan, new)
    _loop(scan, fact, new)
    return fact


def _pool(scan: Scan, node, api: str, opts, size_keys) -> JsWorker:
    fact = JsWorker(scan.doc.span(node), generator=scan.generator, api=api)
    obj = _options(scan, fact, opts, nested="workerThreadOpts" if api == "workerpool" else None)
    if obj is not None:
        pairs = object_pairs(obj)
        sizes = [pairs[k][1] for k in size_keys if k in pairs]
        values = [scan.ev.number(v) for v in sizes]
        known = [v for v in values if isinstance(v, (int, float)) and v != float("inf")]
        fact.pool_size = int(max(known)) if known else None
        fact.pool_size_by_cores = any(scan.mentions_cores(v) for v in sizes)
        if pairs.get("filename"):
            fact.script = _script(scan, pairs["filename"][1])
    _loop(scan, fact, node)
    return fact


def _options(scan: Scan, fact: JsWorker, opts, nested: str | None = None):
    """Read execArgv, env.NODE_OPTIONS, resourceLimits; returns the options object literal."""
    if opts is None:
        return None
    obj = scan.ev.origin(opts)
    if obj is None or obj.type != "object":
        fact.options_known = False
        return None
    if any(c.type == "spread_element" for c in obj.named_children):
        fact.options_known = False
    pairs = object_pairs(obj)
    inner, holder = pairs, obj
    if nested and nested in pairs:
        nested_obj = scan.ev.origin(pairs[nested][1])
        inner = object_pairs(nested_obj) if nested_obj is not None and nested_obj.type == "object" else {}
        holder = nested_obj if inner else None
    fact.resource_limits = "resourceLimits" in inner
    if fact.resource_limits:
        _limits(scan, fact, inner["resourceLimits"][1])
    if "execArgv" in inner:
        arr = scan.ev.origin(inner["execArgv"][1])
        pair = inner["execArgv"][0]
        if holder is not None and fact.options_known and pair.type == "pair":
            fact.exec_argv_pair = scan.doc.span(pair)
            fact.exec_argv_pair_drop = _pair_drop(scan, holder, pair)
        if arr is not None and arr.type == "array":
            fact.exec_argv_span = scan.doc.span(arr)
            for el in arr.named_children:
                v = scan.ev.string(el)
                if isinstance(v, str):
                    fact.exec_argv.append(v)
                    fact.exec_argv_items.append((v, scan.doc.text(el)))
                elif el.type != "comment":
                    fact.exec_argv_items.append((None, scan.doc.text(el)))
    if "env" in inner:
        env = scan.ev.origin(inner["env"][1])
        env_pairs = object_pairs(env) if env is not None and env.type == "object" else {}
        if "NODE_OPTIONS" in env_pairs:
            value_node = env_pairs["NODE_OPTIONS"][1]
            v = scan.ev.string(value_node)
            if isinstance(v, str):
                fact.env_node_options = v
                if unwrap(value_node).type == "string":
                    fact.env_span = scan.doc.span(unwrap(value_node))
    return obj


def _pair_drop(scan: Scan, holder, pair):
    """The span that removes ``pair`` from its object literal with one separator
    (the whole inside of the object when it is the only property)."""
    named = [c for c in holder.named_children if c.type != "comment"]
    k = next((i for i, c in enumerate(named) if c.id == pair.id), None)
    if k is None:
        return None
    if k + 1 < len(named):
        return scan.doc.between(pair, named[k + 1], start_at_end=False)
    if k > 0:
        return scan.doc.between(named[k - 1], pair, end_at_end=True)
    first, last = holder.children[0], holder.children[-1]
    return scan.doc.between(first, last) if first.type == "{" and last.type == "}" else None


def _limits(scan: Scan, fact: JsWorker, value) -> None:
    """What ``resourceLimits: {…}`` sets, and where a new limit goes in it."""
    obj = scan.ev.origin(value)
    if obj is None or obj.type != "object" or unwrap(value).id != obj.id:
        return
    fact.limit_keys = list(object_pairs(obj))
    named = [c for c in obj.named_children if c.type != "comment"]
    if named:
        fact.limits_at = scan.doc.insertion(named[-1])
    elif obj.children and obj.children[0].type == "{":
        fact.limits_at = scan.doc.insertion(obj.children[0])
        fact.limits_empty = True


def _script(scan: Scan, node) -> str | None:
    v = scan.ev.string(node)
    if isinstance(v, str):
        return v
    node = scan.ev.origin(node)
    if node is not None and node.type in ("new_expression", "call_expression"):
        _c, args = call_parts(node)
        for a in args:
            s = string_value(a)
            if s and not s.startswith(("file:", "http")) and "." in s:
                return s
    return None


def _returned_as(scan: Scan, new) -> str | None:
    """The export name of the function that returns this Worker (``module.exports = () =>
    new Worker(…)``, ``export function spawn() { return new Worker(…) }``): its callers in
    other modules attach the listeners."""
    parent = up(new)
    fn = None
    if parent is not None and parent.type == "arrow_function" and \
            unwrap(parent.child_by_field_name("body")).id == new.id:
        fn = parent
    elif parent is not None and parent.type == "return_statement":
        fn = enclosing_function(new)
    else:
        name = scan.bound_name(new)
        fn = enclosing_function(new)
        if name is None or fn is None or not any(
                r.named_children and unwrap(r.named_children[0]).type == "identifier" and
                unwrap(r.named_children[0]).text.decode("utf-8", "replace") == name for r in _fn_returns(scan, fn)):
            return None
    return exported_as(scan, fn) if fn is not None else None


def _fn_returns(scan: Scan, fn) -> list:
    scan.doc.reveal(fn)
    return returns_of(fn)


def _loop(scan: Scan, fact: JsWorker, node) -> None:
    loop = scan.loop_of(node)
    while loop is not None and leaves_after(node, loop):
        loop = scan.loop_of(loop)       # a retry loop makes one worker: the loop around it decides
    if loop is None:
        return
    fact.in_loop = True
    fact.ended_each_pass = ended_each_pass(scan, node, loop)
    fact.loop_bounded_by_cores, fact.loop_count, bound = scan.loop_bound(loop)
    if not fact.loop_bounded_by_cores and fact.loop_count is None and bound is not None:
        trace_size(scan, fact, bound, loop)
