"""Memory facts: ``new WebAssembly.Memory``, ``memory.grow()``, views of ``memory.buffer``."""
from __future__ import annotations

from .facts import JsMemory, JsMemoryGrow, JsMemoryView
from .feature_test import is_feature_test
from .module_options import fallback_of
from .parents import parent as parent_of
from .parse import ancestors, call_parts, name_of, object_pairs, path_of, unwrap, up
from .scan import _MEMORY_NAME as MEMORY_NAME, Scan
from .shapes import CALLED_MEMBER, VIEW_ARGUMENT, VIEW_TYPES
from .values import UNKNOWN, Big

PAGE = 65536


def memories(scan: Scan) -> list[JsMemory]:
    out = []
    for prop, _member, call in scan.wasm_api:
        if prop == "Memory" and call is not None and call.type == "new_expression":
            fact = _memory(scan, call)
            if fact is not None:
                out.append(fact)
    return out


def _pages(v):
    if v is UNKNOWN or isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v < 0:
        return None
    return int(v) if v != float("inf") else None


def _memory(scan: Scan, new) -> JsMemory | None:
    doc, ev = scan.doc, scan.ev
    _callee, args = call_parts(new)
    desc = ev.origin(args[0]) if args else None
    if desc is None or desc.type != "object":
        return None
    pairs = object_pairs(desc)
    if any(c.type == "spread_element" for c in desc.named_children):
        return None
    init_pair, init_val = pairs.get("initial", (None, None))
    max_pair, max_val = pairs.get("maximum", (None, None))
    iv = ev.value(init_val) if init_val is not None else UNKNOWN
    mv = ev.value(max_val) if max_val is not None else UNKNOWN
    address, address_key, key_node = None, "address", None
    for key in ("address", "index"):
        if key in pairs:
            a = ev.value(pairs[key][1])
            address = a if isinstance(a, str) else None
            address_key, key_node = key, pairs[key][0].child_by_field_name("key")
    shared_v = ev.value(pairs["shared"][1]) if "shared" in pairs else False
    branches = [_pages(v) for v in ev.choices(init_val)] if iv is UNKNOWN and init_val is not None else []
    fact = JsMemory(
        doc.span(new), generator=scan.generator, name=scan.bound_name(new),
        initial_pages=_pages(iv), maximum_pages=_pages(mv), has_maximum=max_pair is not None,
        initial_choices=tuple(sorted(set(branches))) if len(branches) > 1 and None not in branches else (),
        shared=shared_v is True or (shared_v not in (UNKNOWN, None) and bool(shared_v)),
        memory64=address == "i64", address=address, address_key=address_key,
        initial_bigint=None if iv is UNKNOWN else isinstance(iv, Big),
        fallback=_has_fallback(new, doc), feature_test=is_feature_test(scan, new),
        sized_after=_sized_after(scan, init_val) if init_val is not None else None)
    fact.not_on = _not_on_ios(scan, new)
    if scan.generator == "emscripten":
        fact.fallback_for = fallback_of(doc, new)
    if init_val is not None:
        shorthand = init_pair.type == "shorthand_property_identifier"
        key = init_pair.child_by_field_name("key") if not shorthand else None
        fact.key_quote = doc.text(key)[0] if key is not None and key.type == "string" else ""
        fact.initial_text = "initial" if shorthand else doc.text(init_val)
        fact.initial_span = doc.span(init_val) if not shorthand else None
        fact.insert_at = doc.insertion(init_pair)
    if key_node is not None and key_node.type == "property_identifier":
        fact.address_key_span = doc.span(key_node)
    if max_val is not None and max_pair.type == "pair":
        fact.maximum_span = doc.span(max_val)
        fact.maximum_text = doc.text(max_val)
    return fact


IOS_DEVICES = ("iPhone", "iPad", "iPod")


def _not_on_ios(scan: Scan, new) -> tuple[str, ...]:
    """``("ios",)`` for a memory made in the ``else`` of a user-agent test for iOS devices
    (``if (/iPad|iPhone|iPod/.test(navigator.userAgent)) … else new WebAssembly.Memory(…)``):
    iOS takes the other branch, so iOS budgets do not judge it."""
    child = new
    for a in ancestors(new):
        if a.type in ("function_declaration", "function_expression", "arrow_function", "method_definition",
                      "program"):
            break
        if a.type == "if_statement":
            alternative = a.child_by_field_name("alternative")
            if alternative is not None and alternative.id == child.id and _tests_ios(scan, a):
                return ("ios",)
        child = a
    return ()


def _tests_ios(scan: Scan, if_statement) -> bool:
    cond = unwrap(if_statement.child_by_field_name("condition"))
    if cond is not None and cond.type == "identifier":
        cond = scan.ev.origin(cond) or cond
    text = scan.doc.text(cond) if cond is not None else ""
    return any(d in text for d in IOS_DEVICES) and "!" not in text.split("(", 1)[0]


def _sized_after(scan: Scan, init_val) -> str | None:
    """The memory whose size ``initial`` copies (``initial: this.memory.buffer.byteLength >>> 16``):
    a shadow or snapshot of that memory, e.g. a sanitizer's shadow memory that grows in
    step with the traced one. Its size is that memory's, decided where that one is made."""
    origin = scan.ev.origin(init_val) or init_val
    scan.doc.reveal(origin)
    stack = [origin]
    while stack:
        node = stack.pop()
        if node.type == "member_expression" and name_of(node) == "byteLength":
            buffer = unwrap(node.child_by_field_name("object"))
            if buffer is not None and buffer.type == "member_expression" and name_of(buffer) == "buffer":
                receiver = buffer.child_by_field_name("object")
                if _is_memory(scan, receiver):
                    return _norm_text(scan, receiver)
        stack.extend(node.named_children)
    return None


def _has_fallback(new, doc) -> bool:
    """Inside a ``try`` whose ``catch`` retries with another Memory, or that retry itself."""
    child = new
    for a in ancestors(new):
        if a.type == "try_statement":
            body, handler = a.child_by_field_name("body"), a.child_by_field_name("handler")
            if handler is not None and body is not None and child.id == body.id and _creates_memory(handler, doc):
                return True
        if a.type == "catch_clause":
            parent = parent_of(a)
            body = parent.child_by_field_name("body") if parent is not None else None
            if body is not None and _creates_memory(body, doc):
                return True
        child = a
    return False


def _creates_memory(node, doc) -> bool:
    doc.reveal(node)
    text = node.text
    return b"WebAssembly.Memory" in text or b"Memory(" in text


def grows(scan: Scan, names: set[str] = frozenset()) -> list[tuple[object, JsMemoryGrow]]:
    """``(call node, fact)`` of each ``x.grow(n)`` where ``x`` is a WebAssembly memory: by
    its origin or name, or one of ``names``, the names this file binds a ``new
    WebAssembly.Memory`` to (``this.shadow``)."""
    out = []
    for prop in scan.doc.words("grow", ("property_identifier",), CALLED_MEMBER):
        member = prop.parent
        call = up(member) if member is not None and member.type == "member_expression" else None
        if call is None or call.type != "call_expression":
            continue
        receiver = member.child_by_field_name("object")
        if _norm_text(scan, receiver) not in names and not _is_memory(scan, receiver):
            continue
        _callee, args = call_parts(call)
        delta = scan.ev.number(args[0]) if args else UNKNOWN
        out.append((call, JsMemoryGrow(scan.doc.span(call), generator=scan.generator,
                                       receiver=_norm_text(scan, receiver),
                                       delta_pages=_pages(delta))))
    return out


def views(scan: Scan, grow_calls: list[tuple[object, JsMemoryGrow]]) -> list[JsMemoryView]:
    out = []
    for prop in scan.doc.words("buffer", ("property_identifier",), VIEW_ARGUMENT):
        member = prop.parent
        if member is None or member.type != "member_expression":
            continue
        receiver = member.child_by_field_name("object")
        new = up(member)
        new = new.parent if new is not None and new.type == "arguments" else None
        if new is None or new.type != "new_expression":
            continue
        callee, args = call_parts(new)
        if name_of(callee) not in VIEW_TYPES or not args or unwrap(args[0]).id != member.id:
            continue
        name = scan.bound_name(new)     # a view kept in a name: read from the tree, before the receiver's writes
        if name is None or not _is_memory(scan, receiver):
            continue
        rtext = _norm_text(scan, receiver)
        later = next((g.span for call, g in grow_calls if g.receiver == rtext and not _ran_before(scan, call, new)), None)
        out.append(JsMemoryView(
            scan.doc.span(new), generator=scan.generator, view_type=name_of(callee), receiver=rtext,
            placement=scan.placement(new), recreated=_rewritten(scan, name, new), grown_at=later))
    return out


def _ran_before(scan: Scan, call, new) -> bool:
    """A grow written at module scope before the view, in no loop, runs once, before the view
    is made: it cannot detach that view's buffer (``memory.grow(16)`` right after
    instantiation, then ``new Uint8Array(memory.buffer)``)."""
    return call.end_byte <= new.start_byte and scan.placement(call) == "module" and scan.loop_of(call) is None


def _rewritten(scan: Scan, name: str, new) -> bool:
    """The view's name (``view``, ``this.view``) is assigned again somewhere else."""
    last = name.rsplit(".", 1)[-1]
    for node in scan.doc.words(last, ("identifier", "property_identifier")):
        target = node if node.type == "identifier" else node.parent
        parent = up(target)
        if parent is None or parent.type != "assignment_expression":
            continue
        left = parent.child_by_field_name("left")
        if unwrap(left).id != unwrap(target).id or path_of(left) != name:
            continue
        if unwrap(parent.child_by_field_name("right")).id != new.id:
            return True
    return False


def _is_memory(scan: Scan, node) -> bool:
    """``scan.is_memory(node)``, its name read first: a memory's name (``wasmMemory.grow``)
    answers without following the name's writes, which may lie in blocks a skeleton
    parse left out (their search would parse the file again for nothing)."""
    name = name_of(node)
    return bool(name) and bool(MEMORY_NAME.search(name)) or scan.is_memory(node)


def _norm_text(scan: Scan, node) -> str:
    return "".join(scan.doc.text(node).split())
