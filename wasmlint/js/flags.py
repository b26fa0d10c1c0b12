"""Flag-related facts: ``process.env.NODE_OPTIONS`` writes, ``v8.setFlagsFromString``,
``child_process`` starts of node, and Emscripten ``Module`` overrides."""
from __future__ import annotations

from .facts import JsCompile
from .flag_facts import EmscriptenModuleOverride, JsChildProcess, JsNodeOptionsWrite, JsSetFlags
from .parse import (ancestors, call_parts, enclosing_function, object_pairs, path_of, string_value,
                    unwrap, up)
from .scan import Scan
from .shapes import CALLEE
from .versions import wasm_flag

_SPAWNS = ("spawn", "spawnSync", "fork", "exec", "execSync", "execFile", "execFileSync")
_OVERRIDES = ("INITIAL_MEMORY", "TOTAL_MEMORY", "wasmMemory")
_PROCESS_ENV = ("process.env", "globalThis.process.env", "global.process.env")


def _flags_of(scan: Scan, node) -> tuple[str | None, list[str]]:
    """A flags string's value, and its flags (static parts of a template too)."""
    value = scan.ev.string(node)
    if isinstance(value, str):
        return value, value.split()
    node = unwrap(node)
    if node is not None and node.type == "template_string":
        parts = " ".join(scan.doc.text(c) for c in node.named_children if c.type == "string_fragment")
        return None, [p for p in parts.split() if p.startswith("-")]
    return None, []


def node_options_writes(scan: Scan) -> list[JsNodeOptionsWrite]:
    out = []
    for node in scan.doc.words("NODE_OPTIONS", ("property_identifier", "string_fragment")):
        member = node.parent if node.type == "property_identifier" else node.parent.parent
        if member is None or member.type not in ("member_expression", "subscript_expression"):
            continue
        if not _own_env(scan, unwrap(member.child_by_field_name("object"))):
            continue
        parent = up(member)
        if parent is None or parent.type not in ("assignment_expression", "augmented_assignment_expression") \
                or unwrap(parent.child_by_field_name("left")).id != member.id:
            continue
        value, flags = _flags_of(scan, parent.child_by_field_name("right"))
        out.append(JsNodeOptionsWrite(scan.doc.span(parent), generator=scan.generator,
                                      value=value, flags=flags, starts_processes=_starts_processes(scan)))
    return out


def _starts_processes(scan: Scan) -> bool:
    """Whether the module loads an API that starts processes: ``child_process`` (and the
    wrappers ``builds.APIS`` knows) or ``cluster``. Node hands a child ``process.env`` unless
    told otherwise, so a NODE_OPTIONS written there is the children's (outline's master sets
    ``--max-old-space-size`` for the service processes it forks)."""
    from .builds import APIS
    for spec in _specifiers(scan):
        name = spec.removeprefix("node:").split("/", 1)[0]
        if name in APIS or name == "cluster":
            return True
    return False


def _specifiers(scan: Scan) -> list[str]:
    """The module specifiers of the module's static imports and its ``require``/``import()`` calls."""
    return [spec for spec, _node in _loads(scan, dynamic=True)]


def _loads(scan: Scan, dynamic: bool = False) -> list:
    """(specifier, node) of each module the module loads: its static imports (the statement),
    then its ``require`` calls and, with ``dynamic``, its ``import()`` calls (the call)."""
    out = [(spec, stmt) for stmt in scan.doc.root.named_children if stmt.type == "import_statement"
           and (spec := string_value(stmt.child_by_field_name("source")))]
    for word, types in (("require", ("identifier",)), ("import", ("import",)))[:1 + dynamic]:
        for node in scan.doc.words(word, types):
            call = up(node)
            if call is not None and call.type == "call_expression":
                _c, args = call_parts(call)
                if args and (spec := string_value(args[0])):
                    out.append((spec, call))
    return out


def _own_env(scan: Scan, obj) -> bool:
    """Whether ``obj`` is the running process's environment: ``process.env``, or a name
    bound to it (``const env = process.env``, ``import { env } from 'node:process'``).
    A copy (``{...process.env, …}``, ``Object.assign({}, process.env)``) is a child's
    environment, handed to ``fork``/``spawn``: its NODE_OPTIONS does reach that child."""
    base = (path_of(obj) or "") if obj is not None else ""
    if base in _PROCESS_ENV:
        return True
    write = scan.ev.bindings.reaching_write(obj) if base and obj.type == "identifier" else None
    if write is None or write.declares == "import":
        return write is not None and _imports_process_env(write.node)
    bound = path_of(unwrap(write.value)) if write.value is not None else None
    return bound in _PROCESS_ENV or (bound == "process" and base == "env")


def _imports_process_env(ident) -> bool:
    """``import { env } from 'node:process'`` (or ``env as e``)."""
    spec = next((a for a in ancestors(ident) if a.type == "import_specifier"), None)
    stmt = next((a for a in ancestors(ident) if a.type == "import_statement"), None)
    if spec is None or stmt is None:
        return False
    name = spec.child_by_field_name("name")
    return name is not None and name.text == b"env" and string_value(stmt.child_by_field_name("source")) in (
        "process", "node:process")


def set_flags(scan: Scan, compiles: list[JsCompile]) -> list[JsSetFlags]:
    out = []
    for node in scan.doc.words("setFlagsFromString"):
        target = node if node.type == "identifier" else node.parent
        call = up(target)
        if call is None or call.type != "call_expression" or unwrap(call_parts(call)[0]).id != unwrap(target).id:
            continue
        _c, args = call_parts(call)
        if not args:
            continue
        _value, flags = _flags_of(scan, args[0])
        fact = JsSetFlags(scan.doc.span(call), generator=scan.generator, flags=flags,
                          wasm_flags=[f for f in flags if wasm_flag(f)])
        fact.after = _compiled_before(scan, call, compiles)
        fact.imports_before = _imports_before(scan, call)
        out.append(fact)
    return out


def _compiled_before(scan: Scan, call, compiles: list[JsCompile]) -> str | None:
    """A compile that has already run when ``call`` runs (straight-line code before it)."""
    fns = {a.id for a in ancestors(call)}
    for c in compiles:
        if c.span.offset is None or c.span.offset >= call.start_byte:
            continue
        node = scan.doc.root.descendant_for_byte_range(c.span.offset, c.span.end_offset)
        fn = enclosing_function(node) if node is not None else None
        if fn is None or fn.id in fns:
            return f"after `WebAssembly.{c.api}` (line {c.span.line})"
    return None


def _imports_before(scan: Scan, call) -> list:
    """Relative modules loaded before ``call``: every static import (hoisted), earlier requires."""
    return [(spec, node.start_point[0] + 1) for spec, node in _loads(scan)
            if node.type == "import_statement" or node.start_byte < call.start_byte and enclosing_function(node) is None]


def child_processes(scan: Scan) -> list[JsChildProcess]:
    if not scan.mentions(b"child_process"):
        return []
    out = []
    for api in _SPAWNS:
        for node in scan.doc.words(api, ("identifier", "property_identifier"), CALLEE):
            target = node if node.type == "identifier" else node.parent
            call = up(target)
            if call is None or call.type != "call_expression" or unwrap(call_parts(call)[0]).id != unwrap(target).id:
                continue
            fact = _child(scan, call, api)
            if fact is not None:
                out.append(fact)
    return out


def _child(scan: Scan, call, api: str) -> JsChildProcess | None:
    _c, args = call_parts(call)
    if not args:
        return None
    options, arrays = None, []
    for a in args[1:]:
        o = scan.ev.origin(a)
        if o is not None and o.type == "object":
            options = o
        elif o is not None and o.type == "array" and api.startswith(("spawn", "execFile")):
            arrays.append(o)
    pairs = object_pairs(options) if options is not None else {}
    if not arrays and api != "fork" and "execArgv" not in pairs and "env" not in pairs:
        return None     # no flags it could pass (``/re/.exec(s)``): the command is not evaluated
    fact = JsChildProcess(scan.doc.span(call), generator=scan.generator, api=api)
    first = scan.ev.string(args[0])
    fact.command = first if isinstance(first, str) else path_of(args[0])
    for o in arrays if fact.command in ("node", "nodejs", "process.execPath") else ():
        for el in o.named_children:
            v = scan.ev.string(el)
            if not isinstance(v, str) or not v.startswith("-"):
                break
            fact.exec_argv.append(v)
    if "execArgv" in pairs:
        arr = scan.ev.origin(pairs["execArgv"][1])
        for el in (arr.named_children if arr is not None and arr.type == "array" else ()):
            v = scan.ev.string(el)
            if isinstance(v, str):
                fact.exec_argv.append(v)
    if "env" in pairs:
        env = scan.ev.origin(pairs["env"][1])
        env_pairs = object_pairs(env) if env is not None and env.type == "object" else {}
        if "NODE_OPTIONS" in env_pairs:
            fact.node_options, _ = _flags_of(scan, env_pairs["NODE_OPTIONS"][1])
    if not fact.exec_argv and fact.node_options is None and api != "fork":
        return None
    return fact


def module_overrides(scan: Scan) -> list[EmscriptenModuleOverride]:
    """What a page or app gives Emscripten glue (never the glue's own reads and writes)."""
    if scan.generator == "emscripten":
        return []
    out = []
    for setting in _OVERRIDES:
        for node in scan.doc.words(setting, ("property_identifier", "string_fragment")):
            holder = node.parent if node.type == "property_identifier" else node.parent.parent
            if holder is None:
                continue
            value_node = None
            if holder.type in ("member_expression", "subscript_expression"):
                parent = up(holder)
                if parent is not None and parent.type == "assignment_expression" and \
                        unwrap(parent.child_by_field_name("left")).id == holder.id:
                    value_node = parent.child_by_field_name("right")
            elif holder.type == "pair" and holder.child_by_field_name("key").id in (node.id, node.parent.id):
                value_node = holder.child_by_field_name("value")
            if value_node is None:
                continue
            value = scan.ev.number(value_node) if setting != "wasmMemory" else None
            out.append(EmscriptenModuleOverride(
                scan.doc.span(holder.parent if holder.type != "pair" else holder), generator=scan.generator,
                setting="INITIAL_MEMORY" if setting == "TOTAL_MEMORY" else setting,
                value=int(value) if isinstance(value, (int, float)) and value == value else None))
    return out

