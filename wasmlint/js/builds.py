"""Processes a JS/TS build script starts → ``script_runs.Run`` (then emcc/cargo facts).

An API is known by where its name comes from, never by its name alone
(``/re/.exec(s)`` runs nothing): an ``import`` or ``require`` of node's
``child_process``, execa, zx, dax or shelljs, ``util.promisify`` of one of
those functions, or zx's global ``$`` in a script run by zx (``#!/usr/bin/env zx``,
``import 'zx/globals'``). How each starts its process:

* a command line run by ``/bin/sh -c``: ``exec``/``execSync`` and shelljs ``exec``;
  ``spawn``/``execFile``/execa with the option ``shell: true`` join the program and
  its arguments with spaces, as node does;
* an argument vector: ``spawn``/``spawnSync``/``execFile``/``execFileSync``,
  ``execa``/``execaSync`` (``execa.sync``); ``execaCommand`` splits on spaces;
* a template (zx, execa and dax ``$``): the literal text is the command line and
  each ``${value}`` is one quoted argument (an array, one argument per element).

``env`` in the options (``{...process.env, RUSTFLAGS: flags}``, or an object the
script fills with ``env.RUSTFLAGS = …`` before the call) is the process's
environment. Values come from ``pstrings.Texts``.
"""
from __future__ import annotations

from ..toolchain.pstr import UNKNOWN, UNKNOWN_TEXT, PStr, joined
from ..toolchain.script_runs import Run, names_a_tool, run_facts
from .parse import (call_parts, enclosing_function, function_name, name_of, object_pairs, path_of, string_value,
                    unwrap, up)
from .pstrings import Texts
from .shapes import CALLED_MEMBER, CALLEE, CALLEE_OR_OBJECT

# A process API is known only from a module specifier naming it (``_module``) or zx's
# shebang: the name ends its string literal (or, for zx's subpaths and dax's URLs, comes
# before ``/`` or ``@``), so every file that can start a process holds one of these.
PROCESS_MARKS = (*(m + q for m in (b"child_process", b"execa", b"shelljs", b"zx", b"dax") for q in (b"'", b'"', b"`")),
                 *(q + b"zx/" for q in (b"'", b'"', b"`")), b"/dax@")
# module → {export: how it runs its command}; None: the module object itself
APIS = {
    "child_process": {"exec": "shell", "execSync": "shell", "spawn": "file", "spawnSync": "file",
                      "execFile": "file", "execFileSync": "file", None: None},
    "shelljs": {"exec": "shell", None: None},
    "execa": {"execa": "file", "execaSync": "file", "execaCommand": "words", "execaCommandSync": "words",
              "$": "template", None: "file"},
    "zx": {"$": "template", None: None},
    "dax": {"$": "template", None: "template"},
}
# members of execa's default export (execa ≤ 5): ``execa.sync(…)``, ``execa.command(…)``
_EXECA_MEMBERS = {"sync": "file", "command": "words", "commandSync": "words"}


def wanted(data: bytes, has=None) -> bool:
    """Can the file start a build tool? ``has``: how to tell whether the bytes mention a
    word (``Sites.has``)."""
    has = has or data.__contains__
    return names_a_tool(data, has) and names_a_process_api(data, has)


def names_a_process_api(data: bytes, has=None) -> bool:
    """Whether the bytes can name a process API (``Apis`` finds none in other files)."""
    has = has or data.__contains__
    return any(has(m) for m in PROCESS_MARKS) or _zx_shebang(data)


def _zx_shebang(data: bytes) -> bool:
    """``#!/usr/bin/env zx``: zx's globals (``$``) are there without an import."""
    if not data.startswith(b"#!"):
        return False
    end = data.find(b"\n")
    return data.find(b"zx", 0, end if end >= 0 else len(data)) >= 0


def _module(spec: str | None) -> str | None:
    if not spec:
        return None
    spec = spec.removeprefix("node:")
    if spec in APIS:
        return spec
    if spec.startswith("zx/"):
        return "zx"
    if "/dax@" in spec or spec.endswith(("/dax", "@david/dax")) or "@david/dax@" in spec:
        return "dax"
    return None


def _required(node) -> str | None:
    """``require('m')`` → its module key."""
    callee, args = call_parts(node)
    if path_of(callee) != "require" or len(args) != 1:
        return None
    return _module(string_value(args[0]))


class Apis:
    """Local names of the process APIs in one file: name → (module, export or None)."""

    def __init__(self, doc):
        self.doc = doc
        self.names: dict[str, tuple[str, str | None]] = {}
        self.zx_globals = _zx_shebang(doc.data)
        self._imports()
        self._requires()
        self._promisified()

    def _bind(self, local: str | None, module: str, export: str | None) -> None:
        if local and (export in APIS[module] or export is None):
            self.names[local] = (module, export)

    def _imports(self) -> None:
        for stmt in self.doc.root.named_children:
            if stmt.type != "import_statement":
                continue
            spec = string_value(stmt.child_by_field_name("source"))
            module = _module(spec)
            if spec == "zx/globals":
                self.zx_globals = True
            if module is None:
                continue
            for clause in (c for c in stmt.named_children if c.type == "import_clause"):
                for part in clause.named_children:
                    if part.type == "identifier":           # default import
                        self._bind(part.text.decode("utf-8", "replace"), module, "$" if module == "dax" else None)
                    elif part.type == "namespace_import":
                        ident = next((c for c in part.named_children if c.type == "identifier"), None)
                        self._bind(ident.text.decode("utf-8", "replace") if ident else None, module, None)
                    elif part.type == "named_imports":
                        for spec_node in (s for s in part.named_children if s.type == "import_specifier"):
                            name = spec_node.child_by_field_name("name")
                            alias = spec_node.child_by_field_name("alias") or name
                            self._bind(alias.text.decode("utf-8", "replace"), module, name.text.decode("utf-8", "replace"))

    def _requires(self) -> None:
        for word in self.doc.words("require", ("identifier",)):
            call = up(word)
            if call is None or call.type != "call_expression":
                continue
            module = _required(call)
            holder, export = up(call), None
            if module is None or holder is None:
                continue
            if holder.type == "member_expression":          # require('child_process').spawn
                export, holder = name_of(holder), up(holder)
            if holder is None or holder.type != "variable_declarator":
                continue
            target = holder.child_by_field_name("name")
            if target.type == "identifier":
                self._bind(target.text.decode("utf-8", "replace"), module, export)
            elif target.type == "object_pattern" and export is None:
                for part in target.named_children:
                    if part.type == "shorthand_property_identifier_pattern":
                        self._bind(part.text.decode("utf-8", "replace"), module, part.text.decode("utf-8", "replace"))
                    elif part.type == "pair_pattern":
                        key, value = part.child_by_field_name("key"), part.child_by_field_name("value")
                        if value is not None and value.type == "identifier":
                            self._bind(value.text.decode("utf-8", "replace"), module, key.text.decode("utf-8", "replace"))

    def _promisified(self) -> None:
        """``const run = util.promisify(exec)``: ``run`` starts what ``exec`` starts."""
        for word in self.doc.words("promisify", ("identifier", "property_identifier")):
            target = word if word.type == "identifier" else word.parent
            call = up(target)
            if call is None or call.type != "call_expression" or unwrap(call.child_by_field_name("function")).id != \
                    target.id or path_of(target) not in ("promisify", "util.promisify"):
                continue
            holder, (_fn, args) = up(call), call_parts(call)
            name = holder.child_by_field_name("name") if holder is not None and \
                holder.type == "variable_declarator" else None
            api = self._api_of(args[0]) if len(args) == 1 else None
            if name is not None and name.type == "identifier" and api is not None:
                self.names[name.text.decode("utf-8", "replace")] = api

    def _api_of(self, node) -> tuple[str, str | None] | None:
        """(module, export) a function value names: ``exec``, ``cp.exec``, ``require('child_process').exec``."""
        node = unwrap(node)
        if node is None:
            return None
        if node.type == "identifier":
            return self.names.get(node.text.decode("utf-8", "replace"))
        if node.type == "member_expression":
            obj, member = unwrap(node.child_by_field_name("object")), name_of(node)
            bound = self.names.get(obj.text.decode("utf-8", "replace"), (None, "?")) \
                if obj is not None and obj.type == "identifier" else (None, "?")
            module = _required(obj) if obj is not None and obj.type == "call_expression" else \
                bound[0] if bound[1] is None else None
            return (module, member) if module is not None and member in APIS[module] else None
        return None

    def how(self, callee, texts: Texts) -> str | None:
        """How the function ``callee`` (a call's function node) runs its command."""
        callee = unwrap(callee)
        if callee is None:
            return None
        if callee.type == "identifier":
            name = callee.text.decode("utf-8", "replace")
            if name in self.names:
                module, export = self.names[name]
                return APIS[module].get(export)
            return "template" if name == "$" and self.zx_globals else None
        if callee.type == "member_expression":
            obj, member = unwrap(callee.child_by_field_name("object")), name_of(callee)
            if obj is not None and obj.type == "call_expression":
                module = _required(obj)
                return APIS[module].get(member) if module and member in APIS[module] else None
            if obj is None or obj.type != "identifier" or obj.text.decode("utf-8", "replace") not in self.names:
                return None
            module, export = self.names[obj.text.decode("utf-8", "replace")]
            if export is None and member in APIS[module] and member is not None:
                return APIS[module][member]
            if module == "execa" and export in (None, "execa"):
                return _EXECA_MEMBERS.get(member)
        if callee.type == "call_expression":                # execa's $({cwd})`…`
            how = self.how(call_parts(callee)[0], texts)
            return how if how == "template" else None
        return None

    def callees(self):
        """Nodes that may be the function of a process start: a name bound to an API (or
        the object of a member called), or an export called as a member of what an API
        is (``require('child_process').exec(…)``; ``how`` knows no other unbound name)."""
        names = set(self.names) | ({"$"} if self.zx_globals else set())
        for name in sorted(names):
            yield from self.doc.words(name, ("identifier",), CALLEE_OR_OBJECT)
        for module, exports in APIS.items():
            for export in exports:
                if export and export not in names:
                    yield from self.doc.words(export, ("property_identifier",), CALLED_MEMBER)


def runs(scan, texts: Texts) -> list[Run]:
    apis = Apis(scan.doc)
    out: list[Run] = []
    seen: set[int] = set()
    wrappers: list[tuple[str, str]] = []
    for word in apis.callees():
        target = word if word.type == "identifier" else word.parent
        holder = up(target)
        if word.type == "identifier" and holder is not None and holder.type == "member_expression" and \
                unwrap(holder.child_by_field_name("object")).id == target.id:
            target, holder = holder, up(holder)             # cp.execSync(…)
        if holder is None or holder.type != "call_expression" or holder.id in seen or \
                unwrap(holder.child_by_field_name("function")).id != target.id:
            continue
        how = apis.how(target, texts)
        if how is None:
            continue
        call = holder
        seen.add(call.id)
        if how == "template" and _tagged(call) is None:
            outer = up(call)                                # $({opts})`…`: the outer call is the tagged one
            if outer is None or outer.type != "call_expression" or outer.id in seen:
                continue
            seen.add(outer.id)
            call = outer
        run = _run(call, how, texts, scan.doc)
        if run is not None:
            out.append(run)
        wrapper = _wrapper_of(call, how, texts)
        if wrapper is not None:
            wrappers.append(wrapper)
    for name, kind in dict.fromkeys(wrappers):
        out += _wrapper_runs(scan.doc, name, kind, texts, seen)
    return out


def _wrapper_of(call, how: str, texts: Texts) -> tuple[str, str] | None:
    """(name, "line" or "words") of a function that runs its first parameter as a command
    line (``function run(cmd) { execSync(cmd, {stdio: 'inherit'}) }``, a ``spawnSync(command,
    [], {shell: true, ...opts})`` helper), or as the words it splits into (``const [cmd,
    ...args] = command.split(' '); spawnSync(cmd, args, …)``): each call of it starts that."""
    _callee, args = call_parts(call)
    first = unwrap(args[0]) if args else None
    if first is None or first.type != "identifier" or how not in ("shell", "file"):
        return None
    fn = enclosing_function(call)
    param = _first_parameter(fn)
    if param is None:
        return None
    options = next((a for a in args[1:] if _is_object(a, texts)), None)
    if param.text == first.text and (how == "shell" or options is not None and _shell_option(options, texts)):
        kind = "line"
    elif how == "file" and len(args) > 1 and _split_into(fn, param.text, first.text, unwrap(args[1])):
        # with `shell: true` node joins the words with spaces again: the shell reads the line itself
        kind = "line" if options is not None and _shell_option(options, texts) else "words"
    else:
        return None
    name = function_name(fn)
    return (name, kind) if name else None


def _first_parameter(fn):
    """The identifier of a function's first parameter (TS ``cmd: string``, ``cmd = ''``)."""
    params = fn.child_by_field_name("parameters") if fn is not None else None
    param = params.named_children[0] if params is not None and params.named_children else \
        fn.child_by_field_name("parameter") if fn is not None else None
    while param is not None and param.type != "identifier":
        param = param.child_by_field_name("pattern") or param.child_by_field_name("left")
    return param


def _split_into(fn, param: bytes, program: bytes, rest) -> bool:
    """Whether ``fn`` declares ``[program, ...rest] = param.split(' ')``."""
    if rest is None or rest.type != "identifier":
        return False
    body = fn.child_by_field_name("body")
    for decl in (body.named_children if body is not None else ()):
        for d in (c for c in decl.named_children if c.type == "variable_declarator"):
            pattern, value = d.child_by_field_name("name"), unwrap(d.child_by_field_name("value"))
            callee, call_args = call_parts(value) if value is not None else (None, [])
            callee = unwrap(callee)
            if pattern is None or pattern.type != "array_pattern" or callee is None or \
                    callee.type != "member_expression" or name_of(callee) != "split" or len(call_args) != 1:
                continue
            obj = unwrap(callee.child_by_field_name("object"))
            parts = pattern.named_children
            if obj is not None and obj.text == param and len(parts) == 2 and parts[0].text == program and \
                    parts[1].type == "rest_pattern" and parts[1].named_children and \
                    parts[1].named_children[0].text == rest.text and string_value(call_args[0]) == " ":
                return True
    return False


def _wrapper_runs(doc, name: str, kind: str, texts: Texts, seen: set[int]) -> list[Run]:
    """The commands the calls of a wrapper (``_wrapper_of``) run, with the ``cwd`` and
    ``env`` of an options object passed beside them."""
    out = []
    for word in doc.words(name, ("identifier",), CALLEE):
        call = up(word)
        if call is None or call.type != "call_expression" or call.id in seen or \
                unwrap(call.child_by_field_name("function")).id != word.id:
            continue
        seen.add(call.id)
        _callee, args = call_parts(call)
        if args:
            options = next((a for a in args[1:] if _is_object(a, texts)), None)
            text, env, cwd = texts.text(args[0]), _env(options, call, texts), _cwd(options, texts)
            out.append(Run(doc.span(call), line=text, env=env, cwd=cwd) if kind == "line" else
                       Run(doc.span(call), argv=text.split_ws(), env=env, cwd=cwd))
    return out


def _tagged(call):
    args = call.child_by_field_name("arguments")
    return args if args is not None and args.type == "template_string" else None


def _run(call, how: str, texts: Texts, doc) -> Run | None:
    span = doc.span(call)
    if how == "template":
        template = _tagged(call)
        return Run(span, line=_template_line(template, texts)) if template is not None else None
    _callee, args = call_parts(call)
    if not args:
        return None
    first = texts.text(args[0])
    rest = args[1:]
    vector = None
    if rest and not _is_object(rest[0], texts):
        vector = texts.items(rest[0])
        vector, rest = (vector if vector is not None else [UNKNOWN_TEXT]), rest[1:]
    options = next((a for a in rest if _is_object(a, texts)), None)
    env, cwd = _env(options, call, texts), _cwd(options, texts)
    if how == "shell":
        return Run(span, line=first, env=env, cwd=cwd)
    if how == "words":
        return Run(span, argv=first.split_ws(), env=env, cwd=cwd)
    argv = [first] + (vector or [])
    if options is not None and _shell_option(options, texts):
        return Run(span, line=joined(argv, PStr.synth(" ")), env=env, cwd=cwd)
    return Run(span, argv=argv, env=env, cwd=cwd)


def _cwd(options, texts: Texts) -> str | None:
    """The ``cwd`` option as a project folder (UNKNOWN: one the script computes when it runs)."""
    pair = object_pairs(texts.ev.origin(options)).get("cwd") if options is not None else None
    if pair is None:
        return None
    found = texts.script_path(pair[1])
    return found.folder(texts.index.path) if found is not None else UNKNOWN


def _is_object(node, texts: Texts) -> bool:
    return texts.object_literal(unwrap(node)) is not None


def _env(options, call, texts: Texts) -> dict[str, PStr]:
    """The process's variables: ``process.env.K = v`` written before the call (inherited
    unless an ``env`` option without ``...process.env`` replaces the environment), then
    the ``env`` option's own."""
    pairs = object_pairs(texts.ev.origin(options), texts.ev.origin) if options is not None else {}
    own = texts.object_entries(pairs["env"][1], call) if "env" in pairs else None
    target = texts.object_literal(unwrap(pairs["env"][1])) if "env" in pairs else None
    inherits = "env" not in pairs or (target is not None and any(
        c.type == "spread_element" and c.named_children and path_of(c.named_children[0]) == "process.env"
        for c in target.named_children))
    out = texts.member_writes("process.env", call) if inherits else {}
    out.update(own or {})
    return out


def _shell_option(options, texts: Texts) -> bool:
    pair = object_pairs(texts.ev.origin(options), texts.ev.origin).get("shell")
    if pair is None:
        return False
    value = texts.ev.value(pair[1])
    return value is True or (isinstance(value, str) and value != "")


def _template_line(template, texts: Texts) -> PStr:
    """A command template as the shell line it runs: each ``${value}`` quoted as one
    argument (each element of an array its own argument)."""
    texts.doc.reveal(template)      # its text: a skeleton parse may have left it out
    parts: list[PStr] = []
    for child in template.named_children:
        if child.type == "template_substitution":
            inner = child.named_children[0] if child.named_children else None
            items = texts.items(inner) if inner is not None else None
            values = items if items is not None else [texts.text(inner) if inner is not None else UNKNOWN_TEXT]
            parts.append(joined([_quoted(v) for v in values], PStr.synth(" ")))
        else:
            parts.append(texts.fragment(child))
    return PStr.join(parts) if parts else PStr.synth("")


def _quoted(value: PStr) -> PStr:
    """``value`` as one single-quoted shell word (``'`` written ``'\\''``)."""
    out = [PStr.synth("'")]
    for k, c in enumerate(value.text):
        out.append(PStr.synth("'\\''") if c == "'" else value[k:k + 1])
    out.append(PStr.synth("'"))
    return PStr.join(out)


def build_facts(scan, text: str, shift: int = 0) -> list:
    """emcc / cargo facts of the processes the file starts (``text``: the file decoded,
    ``shift``: bytes before it in the parsed data)."""
    texts = Texts(scan.ev, text, scan.doc.path, shift)
    return run_facts(runs(scan, texts), texts.index)
