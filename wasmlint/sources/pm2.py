"""PM2 ecosystem files (``ecosystem.config.js`` object literals, JSON, YAML) →
one launch per app run by node: ``script``, ``node_args``/``interpreter_args``
(string or list), ``args``, ``env`` (and ``env_*``: their NODE_OPTIONS too),
``max_memory_restart`` (PM2's K/M/G are powers of 1024). A JavaScript template
string is read with its ``${…}`` kept as written: a word holding one is not known
here (``args: `--max-old-space-size=1024 --model ${DIR}/m.json```). A fix that adds
flags appends to ``node_args``, or adds the property before ``script``."""
from __future__ import annotations

from .. import jsonpos
from ..facts import Fact
from ..launch import argv
from ..launch.args import TEMPLATE, TEMPLATE_LIST, Arg, escape_name, list_args
from ..launch.build import NODE_OPTIONS_VARS, Unit, memory_limit
from ..scopes.conventions import named_role, path_scope
from ..launch.pm2tree import PV, JsTree, from_json, from_yaml
from ..shellparse import Assign, split_words
from ..textpos import LineIndex, MappedText
from . import SourceFile

_NODE_EXT = (".js", ".mjs", ".cjs")


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    idx = LineIndex(text, src.path)
    name = src.path.lower()
    apps: list[PV] = []
    fmt = "js"
    dynamic = _never
    if name.endswith(".json"):
        fmt = "json"
        try:
            root = from_json(jsonpos.parse(text))
        except jsonpos.JsonPosError as exc:
            line, col = idx.line_col(exc.offset)
            return [src.error(exc.message, line=line, column=col)]
        apps = _apps(root)
    elif name.endswith((".yml", ".yaml")):
        fmt = "yaml"
        from ..launch import yamlsurf
        yidx, docs = yamlsurf.load(src, text)
        if yidx is None:
            return docs
        for d in docs:
            apps += _apps(from_yaml(d, idx))
    else:
        tree = JsTree(text)
        err = tree.first_error()
        if err is not None:
            line, col = idx.line_col(err)
            return [src.error("JavaScript syntax error", line=line, column=col)]
        dynamic = tree.dynamic
        for v in tree.find_pairs("apps"):
            apps += [a for a in v.items if a.type == "obj"]
    facts: list[Fact] = []
    for app in apps:
        facts.extend(_app(idx, app, fmt, dynamic))
    return facts


def _never(start: int, end: int) -> bool:
    return False


def _apps(root: PV) -> list[PV]:
    if root.type == "list":
        return [a for a in root.items if a.type == "obj"]
    apps = root.get("apps") if root.type == "obj" else None
    return [a for a in apps.items if a.type == "obj"] if apps is not None and apps.type == "list" else []


def _str(v: PV | None) -> str | None:
    return v.text.value if v is not None and v.type in ("str", "num") and v.text else None


def _app(idx: LineIndex, app: PV, fmt: str, dynamic=None) -> list[Fact]:
    """The launch of one app. ``dynamic(start, end)``: whether that source range holds a
    value not known here (a ``${…}`` of a JavaScript template string). A script computed at
    run time (PM2's programmatic ``pm2.start({script: resolve(dir, name), nodeArgs})``) is
    node's when the app gives node arguments, which PM2 passes to node alone."""
    dynamic = dynamic or _never
    script = app.get("script")
    script_s = _str(script)
    interp = _str(app.get("interpreter")) or _str(app.get("exec_interpreter"))
    if interp and "${" in argv.basename(interp):
        interp = None       # `${NODE}`: which program is not known here, as for `interpreter: NODE`
    computed = script is not None and script_s is None and script.type == "other" and \
        app.get("node_args") is not None and not interp
    if (script_s is None and not computed) or (interp and argv.basename(interp) not in argv.NODE_NAMES):
        return []
    if not interp and not computed and not script_s.endswith(_NODE_EXT):
        return []
    if computed:
        script_s = idx.text[script.start:script.end]
        script_tok = argv.Tok(MappedText.verbatim(script_s, script.start),
                              Arg(script_s, idx.span(script.start, script.end), dynamic=True))
    else:
        script_tok = argv.Tok(script.text, Arg(script_s, idx.span(script.start, script.end),
                                               dynamic=dynamic(script.start, script.end)))
    name = _str(app.get("name")) or script_s
    unit = Unit(idx, "pm2", name=f"app {name}", role=named_role(f"PM2 app `{name}`", name))
    mem = app.get("max_memory_restart")
    if _str(mem):
        # PM2 restarts the process past it; node itself never sees it
        unit.memory_limit = memory_limit(_str(mem), idx.span(mem.start, mem.end), "`max_memory_restart`",
                                         cgroup=False)
    env: dict[str, Assign] = {}
    for key, _, value in app.pairs:
        if not key.startswith("env") or value.type != "obj":
            continue
        for k, ks, v in value.pairs:
            if v.type == "str":
                a = Assign(k, v.text, ks, v.end, exported=True)
                if key == "env":
                    env[k] = a
                if k in NODE_OPTIONS_VARS:
                    unit.node_options(a)
    args_key = "node_args" if app.get("node_args") is not None else "interpreter_args"
    opts = _toks(unit, app.get(args_key), dynamic)
    node = argv.Tok(MappedText.verbatim("node", app.start), Arg("node", idx.span(app.start)))
    after = _toks(unit, app.get("args"), dynamic)
    anchor = _anchor(idx, app, app.get(args_key), opts, fmt)
    unit.launch([node, *opts, script_tok, *after], env, (app.start, app.end), anchor=anchor)
    return unit.facts


def _toks(unit: Unit, v: PV | None, dynamic) -> list[argv.Tok]:
    if v is None:
        return []
    if v.type == "str":
        words = split_words(v.text)
        for w in words:
            w.dynamic = dynamic(w.start, w.end)
        return unit.toks(words, escape_name(v.text.escape))
    if v.type != "list" or not all(i.type == "str" for i in v.items):
        return []
    args = list_args(unit.idx, [(i.text.value, i.start, i.end) for i in v.items], v.style,
                     editable=all(i.text.exact for i in v.items))
    for i, a in zip(v.items, args):
        a.dynamic = dynamic(i.start, i.end)
    return [argv.Tok(i.text, a) for i, a in zip(v.items, args)]


def _anchor(idx: LineIndex, app: PV, node_args: PV | None, opts: list[argv.Tok], fmt: str):
    """Where added flags go: after the last ``node_args`` word, into an empty
    ``node_args``, or a new ``node_args`` property before ``script``."""
    if opts:
        return opts[-1].arg, "after"
    if node_args is not None and node_args.type == "str":
        t = node_args.text
        return Arg("", idx.span(t.src_start), t.exact, TEMPLATE, escape_name(t.escape),
                   before=idx.span(t.src_start), prefix="{}"), "before"
    if node_args is not None and node_args.type == "list" and not node_args.items:
        return Arg("", idx.span(node_args.start + 1), True, TEMPLATE_LIST,
                   before=idx.span(node_args.start + 1), prefix="{}"), "before"
    if node_args is not None:
        return None, "before"
    ks = app.key_start("script")
    line_start = idx.line_start(ks)
    indent = idx.text[line_start:ks]
    if indent.strip() and indent.strip() != "-":
        return None, "before"
    indent = " " * len(indent)
    key = '"node_args"' if fmt == "json" else "node_args"
    sep = "" if fmt == "yaml" else ","
    esc = "yaml-dq" if fmt == "yaml" else "json"
    return Arg("", idx.span(ks), True, TEMPLATE, esc, before=idx.span(ks),
               prefix=f'{key}: "{{}}"{sep}\n{indent}'), "before"


# PM2's programmatic API takes an app's options in camelCase (``pm2.start({script,
# nodeArgs, maxMemoryRestart})``) as well as the ecosystem file's snake_case names
_API_KEYS = {"nodeArgs": "node_args", "interpreterArgs": "interpreter_args", "execInterpreter": "exec_interpreter",
             "maxMemoryRestart": "max_memory_restart"}
API_MARKS = (b"'pm2'", b'"pm2"')


def api_launches(path: str, text: str) -> list[Fact]:
    """The launches of ``pm2.start(options)`` and ``pm2.start(script, options)`` calls in
    a JavaScript file that imports ``pm2`` (``import pm2 from 'pm2'``, ``require('pm2')``)."""
    tree = JsTree(text)
    names = _pm2_names(tree)
    if not names:
        return []
    idx = LineIndex(text, path)
    facts: list[Fact] = []
    stack = [tree.tree.root_node]
    while stack:
        n = stack.pop()
        stack.extend(n.named_children)
        callee = n.child_by_field_name("function") if n.type == "call_expression" else None
        if callee is None or callee.type != "member_expression":
            continue
        obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
        if obj is None or prop is None or obj.type != "identifier" or tree.data[obj.start_byte:obj.end_byte] \
                not in names or tree.data[prop.start_byte:prop.end_byte] != b"start":
            continue
        args = [a for a in n.child_by_field_name("arguments").named_children if a.type != "comment"]
        app = _api_app(tree, args)
        if app is not None:
            facts.extend(_app(idx, app, "js", tree.dynamic))
    by_path = path_scope(path)
    for f in facts if by_path is not None else ():
        if getattr(f, "role", None) is not None:
            f.role = by_path      # a test's or an example's pm2.start is that test's, not a deployment
    return facts


def _api_app(tree: JsTree, args) -> PV | None:
    """The options of a ``start`` call as an ecosystem app (``start(script, options)``
    puts the script among them)."""
    first = tree.value(args[0]) if args else None
    if first is not None and first.type == "obj":
        app = first
    elif first is not None and first.type == "str":
        second = tree.value(args[1]) if len(args) > 1 else None
        app = PV("obj", first.start, first.end, pairs=[("script", first.start, first)] +
                 (second.pairs if second is not None and second.type == "obj" else []))
    else:
        return None
    app.pairs = [(_API_KEYS.get(k, k), s, v) for k, s, v in app.pairs]
    return app


def _pm2_names(tree: JsTree) -> set[bytes]:
    """Local names bound to the ``pm2`` module: ``import pm2 from 'pm2'``, ``import * as
    pm2 from 'pm2'``, ``const pm2 = require('pm2')``."""
    out: set[bytes] = set()
    for n in tree.tree.root_node.named_children:
        if n.type == "import_statement" and _is_pm2(tree, n.child_by_field_name("source")):
            for clause in (c for c in n.named_children if c.type == "import_clause"):
                for part in clause.named_children:
                    ident = part if part.type == "identifier" else \
                        part.named_children[-1] if part.type == "namespace_import" and part.named_children else None
                    if ident is not None:
                        out.add(tree.data[ident.start_byte:ident.end_byte])
        for decl in (n.named_children if n.type in ("lexical_declaration", "variable_declaration") else ()):
            name, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
            if name is not None and name.type == "identifier" and value is not None and \
                    value.type == "call_expression" and tree.data[value.start_byte:value.start_byte + 8] == b"require(":
                args = value.child_by_field_name("arguments").named_children
                if len(args) == 1 and _is_pm2(tree, args[0]):
                    out.add(tree.data[name.start_byte:name.end_byte])
    return out


def _is_pm2(tree: JsTree, node) -> bool:
    return node is not None and node.type == "string" and tree.data[node.start_byte + 1:node.end_byte - 1] == b"pm2"
