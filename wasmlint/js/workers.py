"""Worker facts: ``worker_threads`` and web ``Worker``, piscina, workerpool."""
from __future__ import annotations

from .facts import JsWorker
from .parse import call_parts, name_of, object_pairs, path_of, string_value, unwrap, up
from .scan import Scan
from .values import UNKNOWN
from .worker_lifetime import ended_each_pass

_LISTEN = {"on", "once", "addListener", "addEventListener", "prependListener"}


def workers(scan: Scan) -> list[JsWorker]:
    out = []
    seen = set()
    for word in ("Worker", "Piscina"):
        for node in scan.doc.words(word, ("identifier", "property_identifier")):
            target = node if node.type == "identifier" else node.parent
            new = up(target)
            if new is None or new.type != "new_expression" or new.id in seen:
                continue
            callee, args = call_parts(new)
            if unwrap(callee).id != unwrap(target).id:
                continue
            seen.add(new.id)
            if word == "Piscina":
                out.append(_pool(scan, new, "piscina", args[0] if args else None, ("maxThreads", "minThreads")))
            else:
                out.append(_worker(scan, new, callee, args))
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


def _worker_api(scan: Scan, callee) -> str:
    callee = unwrap(callee)
    if not scan.mentions(b"worker_threads"):
        return "web"
    if callee.type == "member_expression":
        return "worker_threads"
    writes = scan.ev.bindings.writes("Worker")
    return "worker_threads" if any(w.declares in ("import", "const", "let", "var") for w in writes) else "web"


def _worker(scan: Scan, new, callee, args) -> JsWorker:
    fact = JsWorker(scan.doc.span(new), generator=scan.generator, api=_worker_api(scan, callee))
    fact.script = _script(scan, args[0]) if args else None
    _options(scan, fact, args[1] if len(args) > 1 else None)
    fact.error_listener = _error_listener(scan, new) if fact.api == "worker_threads" else None
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
    inner = pairs
    if nested and nested in pairs:
        nested_obj = scan.ev.origin(pairs[nested][1])
        inner = object_pairs(nested_obj) if nested_obj is not None and nested_obj.type == "object" else {}
    fact.resource_limits = "resourceLimits" in inner
    if "execArgv" in inner:
        arr = scan.ev.origin(inner["execArgv"][1])
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


def _error_listener(scan: Scan, new) -> bool | None:
    """True: an ``error`` listener is attached; False: none; None: the worker escapes."""
    parent = up(new)
    if parent is not None and parent.type == "member_expression":
        return _listens(scan, parent)
    name = scan.bound_name(new)
    if name is None:
        return False if parent is not None and parent.type == "expression_statement" else None
    last = name.rsplit(".", 1)[-1]
    found = False
    for node in scan.doc.words(last, ("identifier", "property_identifier", "shorthand_property_identifier")):
        target = node if node.type == "identifier" else node.parent
        if target is None or path_of(target) != name:
            continue
        use = up(target)
        if use is None:
            continue
        if use.type == "member_expression" and unwrap(use.child_by_field_name("object")).id == unwrap(target).id:
            if _listens(scan, use):
                found = True
            continue
        if use.type in ("arguments", "array", "return_statement", "spread_element", "pair",
                        "shorthand_property_identifier") or node.type == "shorthand_property_identifier":
            return None
        if use.type == "assignment_expression" and unwrap(use.child_by_field_name("right")).id == unwrap(target).id:
            return None
    return found


def _listens(scan: Scan, member) -> bool:
    prop = name_of(member)
    parent = up(member)
    if prop == "onerror":
        return parent is not None and parent.type == "assignment_expression"
    if prop in _LISTEN and parent is not None and parent.type == "call_expression":
        _c, args = call_parts(parent)
        if args and scan.ev.string(args[0]) == "error":
            return True
        nxt = up(parent)
        return nxt is not None and nxt.type == "member_expression" and _listens(scan, nxt)
    return False


def _loop(scan: Scan, fact: JsWorker, node) -> None:
    loop = scan.loop_of(node)
    if loop is None:
        return
    fact.in_loop = True
    fact.ended_each_pass = ended_each_pass(scan, node, loop)
    fact.loop_bounded_by_cores, count = scan.loop_bound(loop)
    fact.loop_count = count if count is not UNKNOWN else None
