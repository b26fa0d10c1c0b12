"""Who decides how many workers a loop starts (WL303).

A loop bound that is a parameter without a default — ``startWorkers(module,
memory, builder)`` looping ``builder.numThreads()`` times — is the caller's
decision. The calls of that function in its own file are followed: each passes
the core count, a constant, a name imported from another module, or something
unknown; wasm-bindgen-rayon's ``startWorkers``, which its glue calls, takes the
count the file passes to the wasm's ``initThreadPool(n)``. When the module exports the function, calls from the project's other
modules that pass a constant are found at rule time; a library whose callers
are all outside the project is not reported. A bound (or an argument) computed
from a name imported from another module of the project is resolved at rule
time through the graph's ``imports`` edges (``crossfile.py``): an export that
follows the core count bounds the loop, an exported constant is its count.
A constructor that takes the size as an option (``this.numWorkers =
options?.numWorkers ?? 1``) is sized by its callers too: each ``new Pool({numWorkers:
n})`` passes ``n``, and a call without the key gets the default.
"""
from __future__ import annotations

from .exports import exported_as, imported_names, in_file_calls, parameter_index
from .parse import (ancestors, call_parts, enclosing_function, function_name, name_of, object_pairs, operator,
                    unwrap, up)

MAX_CALLS = 20          # in-file calls of one sizing function that are followed


def trace_size(scan, fact, bound, loop) -> None:
    """Fill ``fact``'s ``size_*`` fields for a loop whose bound is neither the cores nor a constant."""
    fact.size_imports = imported_names(scan, bound)
    param = _sizing_parameter(scan, bound)
    if param is None:
        return
    fn, index, exact, key, default = param
    fact.size_param = index
    fact.size_function = function_name(fn)
    if fact.size_function == "constructor":     # `new Pool(script, n)`: the class is what callers name
        cls = next((a for a in ancestors(fn) if a.type in ("class_declaration", "class")), None)
        name = name_of(cls.child_by_field_name("name")) if cls is not None else None
        fact.size_function = f"new {name}" if name else "the constructor"
    fact.size_export = exported_as(scan, fn)
    calls = [_argument(scan, call, index, exact, key) for call in in_file_calls(scan, fn)[:MAX_CALLS]]
    fact.size_calls = [c for c in calls if c is not None]
    if default is not None:
        fact.size_default = _value(scan, default, {"span": scan.doc.span(default), "key": key}, True)
    if not fact.size_calls and fact.size_function == "startWorkers" and not exact:
        # wasm-bindgen-rayon's glue calls `startWorkers(module, memory, builder)` from the wasm's
        # `initThreadPool(n)`: `builder.numThreads()` is the n the file passes there
        fact.size_calls = [_argument(scan, call, 0, True, None) for call in _method_calls(scan, "initThreadPool")]


def _method_calls(scan, name: str) -> list:
    """The file's calls of ``name(…)`` or ``x.name(…)``."""
    out = []
    for word in scan.doc.words(name, ("identifier", "property_identifier")):
        callee = word if word.type == "identifier" else word.parent
        call = up(callee)
        if call is not None and call.type == "call_expression" and unwrap(call_parts(call)[0]).id == callee.id:
            out.append(call)
    return out[:MAX_CALLS]


def _sizing_parameter(scan, bound):
    """``(function, index, exact)`` when the bound is a parameter without a default
    (``exact``) or a member or method of one (``builder.numThreads()``, ``opts.size``),
    or a field the class's constructor sets from one (``this.size = size``: the calls
    are then the ``new Pool(script, n)`` of the file)."""
    node = scan.ev.origin(bound)
    field = _constructor_field(scan, node)
    if field is not None:
        return field
    exact = node is not None and node.type == "identifier"
    while node is not None and node.type in ("call_expression", "member_expression"):
        inner = call_parts(node)[0] if node.type == "call_expression" else node.child_by_field_name("object")
        node = unwrap(inner)
    if node is None or node.type != "identifier":
        return None
    write = scan.ev.bindings.reaching_write(node)
    if write is None or write.declares != "param" or write.default is not None:
        return None
    fn = enclosing_function(write.node)
    index = parameter_index(fn, write.node) if fn is not None else None
    return (fn, index, exact, None, None) if index is not None else None


def _constructor_field(scan, node):
    """``(constructor, index, exact, key, default)`` for ``this.size`` when its one write in
    the class is, in the constructor, ``this.size = size`` (its parameter ``size``, no
    default: exact) or ``this.size = options.size ?? 1`` (the key ``size`` of its parameter
    ``options``, with the default ``1`` when the caller leaves the key out)."""
    node = unwrap(node)
    cls = next((a for a in ancestors(node) if a.type in ("class_declaration", "class")), None) if node else None
    if cls is None or node.type != "member_expression":
        return None
    scan.doc.reveal(cls)
    values = scan.this_writes(node)
    right = unwrap(values[0]) if len(values) == 1 else None
    key, default = None, None
    if right is not None and right.type == "binary_expression" and operator(right) in ("??", "||"):
        default, right = right.child_by_field_name("right"), unwrap(right.child_by_field_name("left"))
    if right is not None and right.type == "member_expression":
        key, right = name_of(right), unwrap(right.child_by_field_name("object"))
        if key is None:
            return None
    if right is None or right.type != "identifier" or (default is not None and key is None):
        return None
    write = scan.ev.bindings.reaching_write(right)
    if write is None or write.declares != "param" or write.default is not None:
        return None
    ctor = enclosing_function(write.node)
    if ctor is None or ctor.type != "method_definition" or name_of(ctor.child_by_field_name("name")) != "constructor":
        return None
    index = parameter_index(ctor, write.node)
    return (ctor, index, key is None, key, default) if index is not None else None


def _argument(scan, call, index: int, exact: bool, key: str | None) -> dict | None:
    """What one call passes as the sizing parameter: ``cores``, a ``count`` (when the
    parameter is the bound itself), the ``imports`` it is computed from. With ``key``, the
    value of that key of the object passed; None when the object has no such key (the
    constructor's default applies)."""
    _callee, args = call_parts(call)
    arg = args[index] if index < len(args) and all(a.type != "spread_element" for a in args[:index + 1]) else None
    out = {"span": scan.doc.span(call), "cores": False, "count": None, "imports": []}
    if key is not None:
        given = scan.ev.origin(arg) if arg is not None else None
        if arg is None or (unwrap(given) is not None and unwrap(given).type == "object"):
            pairs = object_pairs(given, scan.ev.origin) if arg is not None else {}
            if key not in pairs:
                return None
            arg, exact = pairs[key][1], True
    return _value(scan, arg, out, exact) if arg is not None else out


def _value(scan, arg, out: dict, exact: bool) -> dict:
    """``out`` filled with what the size expression ``arg`` follows."""
    out.setdefault("cores", False)
    out.setdefault("count", None)
    out.setdefault("imports", [])
    if scan.mentions_cores(arg):
        out["cores"] = True
        return out
    n = scan.ev.number(arg) if exact else None
    out["count"] = n if isinstance(n, int) and not isinstance(n, bool) else None
    out["imports"] = imported_names(scan, arg) if exact or out["count"] is None else []
    return out


# ------------------------------------------------------------------ rule time
def worker_excesses(fact, ctx) -> list[dict]:
    """WL303's findings for one worker fact: ``{"why", "span", "related"}``."""
    from . import crossfile
    limit = ctx.config.policy.get("max-workers")
    out = []
    if fact.pool_size is not None and not fact.pool_size_by_cores and limit and fact.pool_size > limit:
        out.append(_at(fact.span, f"a pool of {fact.pool_size} workers is above the policy limit of {limit}"))
    if not fact.in_loop or fact.loop_bounded_by_cores or fact.ended_each_pass:
        return out
    if fact.size_param is None:
        kind, count = crossfile.follow(ctx, fact.span.path, False, fact.loop_count, fact.size_imports)
        why = None if kind == "cores" else _loop_excess(count, limit)
        return out + ([_at(fact.span, why)] if why else [])
    calls = [(c["span"], c["cores"], c["count"], c["imports"]) for c in fact.size_calls]
    if fact.size_export:
        calls += [(span, False, count, []) for span, count in
                  crossfile.constant_calls(ctx, fact.span.path, fact.size_export, fact.size_param)]
    if not calls and not fact.size_export and fact.size_default is None:
        return out + [_at(fact.span, _loop_excess(None, limit))]    # nobody passes the size we can see
    open_call, name = False, fact.size_function or "this function"
    if fact.size_default is not None:       # what a call without the size's key gets
        d = fact.size_default
        kind, count = crossfile.follow(ctx, d["span"].path, d["cores"], d["count"], d["imports"])
        if kind == "count" and count > 1 and (limit is None or count > limit):
            out.append(_at(fact.span, f"`{name}` starts {count} workers here when the caller leaves "
                                      f"`{d['key']}` out" + (f", above the policy limit of {limit}" if limit else "")))
        open_call = kind == "unknown"
    for span, cores, count, imports in calls:
        kind, count = crossfile.follow(ctx, span.path, cores, count, imports)
        if kind == "count" and count <= 1:
            continue        # one worker: never more than the cores of any machine
        if kind == "count" and (limit is None or count > limit):
            where = f"{fact.span.path}:{fact.span.line}"
            out.append(_at(span, f"this call starts {count} workers in the loop of `{name}` ({where})" +
                           (f", above the policy limit of {limit}" if limit else ""),
                           [(fact.span, f"`{name}` starts that many workers here")]))
        open_call = open_call or kind == "unknown"
    if open_call:
        out.append(_at(fact.span, _loop_excess(None, limit)))
    return out


def _loop_excess(count, limit) -> str | None:
    if count is not None and (limit is None or count <= limit):
        return None if limit else f"{count} workers are started in a loop whose bound does not follow the core count"
    return "workers are started in a loop not bounded by the core count"


def _at(span, why: str, related=None) -> dict:
    return {"why": why, "span": span, "related": related or []}
