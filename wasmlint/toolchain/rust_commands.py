"""``std::process::Command`` in Rust build tools (xtask crates, ``build.rs``) →
``script_runs.Run`` (then emcc/cargo facts). Parsed with tree-sitter-rust.

A run is ``Command::new(program)`` (any path ending in ``Command::new``) with the
builder calls made on it: chained (``.arg(x).args([..]).env(k, v)``), or as
statements on the variable that holds it (``let mut cmd = Command::new(..);
cmd.arg(..);``) in the order they appear. A call under a condition or in a loop
(``if release { cmd.arg("-O3"); }``) may or may not run: its argument is one
unknown argument, its ``env`` is not read. ``env_remove``/``env_clear`` drop
variables. A command chosen by a branch (``let mut cmd = match tool { Local =>
Command::new("emcc"), Container => { let mut c = Command::new("docker"); …; c } }``)
is each branch's command with the calls made on the variable afterwards; ``let cmd =
cmd.args(..)`` keeps the same command (the builder returns it).

Values: string literals (escapes decoded, raw strings verbatim), ``&x``,
``x.to_string()``/``.to_owned()``/``.into()``/``.as_str()``, ``String::from(x)``,
``format!`` (``{}``, ``{0}``, ``{name}`` replaced by plain values; a format spec is
unknown), ``env::var(K).unwrap_or(default)`` (the default, as the JS evaluator reads
``process.env.K || d``), a ``let`` in an enclosing block before the use, a
``const``/``static`` of the file, ``if cfg!(windows) { a } else { b }`` on a Linux host
(``rust_cfg``); arrays ``[..]``, ``&[..]``, ``vec![..]`` and ``x.iter()``, and a vector
variable with the ``extend``/``push`` made on it before the use (one under a condition
adds one unknown element, as in the Python reader). Anything else is unknown.
"""
from __future__ import annotations

from ..facts import Fact
from .pstr import UNKNOWN, UNKNOWN_TEXT
from .rust_values import Source, block_tail, call_args, conditional
from .script_runs import Run


def wanted(data: bytes) -> bool:
    from .script_runs import names_a_tool
    return b"Command" in data and names_a_tool(data)


# ---------------------------------------------------------------- runs
def _is_command_new(src: Source, node) -> bool:
    if node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    return fn is not None and fn.type == "scoped_identifier" and \
        (src.raw(fn).replace(" ", "") == "Command::new" or src.raw(fn).replace(" ", "").endswith("::Command::new"))


def _unchain(src: Source, node) -> tuple[list, object]:
    """A method-call chain read from its outermost call down (never up through parents,
    which tree-sitter finds from the root): its ``(method, call)`` pairs, innermost
    first, and the receiver it starts on."""
    calls = []
    while node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "field_expression":
            break
        calls.append((src.raw(fn.child_by_field_name("field")), node))
        node = fn.child_by_field_name("value")
    return calls[::-1], node


def _inner(src: Source, calls: list, base) -> list:
    """The nodes inside a chain that may hold other commands: arguments and the receiver's."""
    out = [a for _name, call in calls for a in call_args(call)]
    return out + (call_args(base) if _is_command_new(src, base) else [base])


def _apply(src: Source, run: Run, name: str, call, certain: bool) -> None:
    args = call_args(call)
    if name == "arg" and len(args) == 1:
        run.argv.append(src.text(args[0]) if certain else UNKNOWN_TEXT)
    elif name == "args" and len(args) == 1:
        items = src.items(args[0]) if certain else None
        run.argv += items if items is not None else [UNKNOWN_TEXT]
    elif name == "env" and len(args) == 2 and certain:
        key = src.text(args[0])
        if key.known:
            run.env[key.text] = src.text(args[1])
    elif name == "env_remove" and len(args) == 1:
        key = src.text(args[0])
        if key.known:
            run.env.pop(key.text, None)
    elif name == "env_clear":
        run.env.clear()
    elif name == "current_dir" and len(args) == 1:
        where = src.script_path(args[0]) if certain else None
        run.cwd = where.folder(src.index.path) if where is not None else UNKNOWN


def runs(src: Source) -> list[Run]:
    out: list[Run] = []
    stack = [src.root]
    while stack:
        node = stack.pop()
        calls, base = _unchain(src, node) if node.type == "call_expression" else ([], node)
        if not calls and not _is_command_new(src, node):
            stack.extend(reversed(node.named_children))
            continue
        stack.extend(reversed(_inner(src, calls, base)))
        args = call_args(base) if _is_command_new(src, base) else []
        if len(args) != 1:
            continue
        run = Run(src.span(base), argv=[src.text(args[0])], env={})
        for name, call in calls:
            _apply(src, run, name, call, True)
        value = node
        while (holder := _holder(value)) is not None:
            name = _statements(src, holder, run)
            block = holder.parent
            tail = block_tail(block)
            if name is None or tail is None or tail.type != "identifier" or src.raw(tail) != name:
                break
            value = block                      # `{ let mut c = Command::new(..); c.arg(..); c }`
        out.append(run)
    return out


_PASS_VALUE = frozenset(("match_arm", "match_block", "match_expression", "if_expression", "else_clause",
                         "parenthesized_expression"))


def _holder(value):
    """The ``let`` whose value ``value`` is: directly, or as the value of a branch of the
    ``if``/``match`` (or the last expression of the block) that gives the ``let`` its value
    (``let mut cmd = match tool { Local => Command::new("emcc"), … }``)."""
    node = value
    while node.parent is not None:
        parent = node.parent
        if parent.type == "let_declaration":
            return parent if parent.child_by_field_name("value") is not None and \
                parent.child_by_field_name("value").id == node.id else None
        if parent.type == "block":
            if block_tail(parent) is None or block_tail(parent).id != node.id:
                return None
        elif parent.type == "if_expression":
            if parent.child_by_field_name("condition") is not None and \
                    parent.child_by_field_name("condition").id == node.id:
                return None
        elif parent.type == "match_expression":
            if parent.child_by_field_name("value") is not None and parent.child_by_field_name("value").id == node.id:
                return None
        elif parent.type == "match_arm":
            if parent.child_by_field_name("value") is None or parent.child_by_field_name("value").id != node.id:
                return None
        elif parent.type not in _PASS_VALUE:
            return None
        node = parent
    return None


def _statements(src: Source, let, run: Run) -> str | None:
    """Builder calls made later on the variable ``let`` binds, in source order; the name,
    when it still holds the command at the end of its block."""
    pattern = let.child_by_field_name("pattern")
    if pattern is None or pattern.type != "identifier":
        return None
    name, block = src.raw(pattern), let.parent
    if block is None:
        return None
    stack = [c for c in reversed(block.named_children) if c.start_byte >= let.end_byte]
    while stack:
        node = stack.pop()
        if node.type == "let_declaration":
            p = node.child_by_field_name("pattern")
            if p is not None and src.raw(p) == name and node.parent.id == block.id:
                value = node.child_by_field_name("value")
                calls, base = _unchain(src, value) if value is not None and value.type == "call_expression" \
                    else ([], value)
                if not calls or base is None or base.type != "identifier" or src.raw(base) != name:
                    return None            # shadowed: a new variable from here on
                # `let cmd = cmd.args(..);`: the builder returns the same command
                for method, call in calls:
                    _apply(src, run, method, call, True)
                continue
        calls, base = _unchain(src, node) if node.type == "call_expression" else ([], node)
        if calls and base.type == "identifier" and src.raw(base) == name:
            certain = not conditional(node, block)
            for method, call in calls:
                _apply(src, run, method, call, certain)
            stack.extend(reversed([a for _m, call in calls for a in call_args(call)]))
            continue
        stack.extend(reversed(_inner(src, calls, base) if calls else node.named_children))
    return name


def command_facts(src: Source) -> list[Fact]:
    """emcc / cargo facts of the commands a Rust build tool runs."""
    from .script_runs import run_facts
    return run_facts(runs(src), src.index) if wanted(src.data) else []
