"""Terraform ``*.tf`` → a ``deployment`` on AWS Lambda for each ``resource
"aws_lambda_function"`` and each ``module`` of ``terraform-aws-modules/lambda/aws``: its
``memory_size`` (MB), ``runtime``, and the code it ships — the ``source_dir`` or
``source_file`` of the ``data "archive_file"`` its ``filename`` or ``source_code_hash``
names (``data.archive_file.NAME.output_path``), or the module's ``source_path`` — joined
with the handler's file (``index.handler`` → ``index``).

HCL is read with python-hcl2's lark grammar (positions kept); a file that does not parse
is WL001 at the token the parser stopped at. A value Terraform computes (``var.memory``,
an interpolation other than ``path.module``/``path.root`` or a ``local`` of the same file)
is not a number or a path here. Files that name neither are not parsed."""
from __future__ import annotations

import posixpath

from ..deployment import Deployment, module_stem, sets_heap
from . import SourceFile

LAMBDA_RESOURCE = "aws_lambda_function"
LAMBDA_MODULE = "terraform-aws-modules/lambda/aws"
MB = 1 << 20
PATH_PREFIXES = ("path.module", "path.root")    # the folder of the file (a root module's)


def extract(src: SourceFile) -> list:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    if LAMBDA_RESOURCE not in text and LAMBDA_MODULE not in text:
        return []
    tree = _parse(src, text)
    if not hasattr(tree, "data"):
        return tree
    blocks = [c for c in _body(tree) if _is(c, "block")]
    locals_ = {name: node for b in blocks if _labels(b)[0] == "locals" for name, node in _attributes(b).items()}
    archives = {labels[2]: _attributes(b) for b in blocks
                if len(labels := _labels(b)) == 3 and labels[:2] == ["data", "archive_file"]}
    out = []
    for b in blocks:
        labels, attrs = _labels(b), _attributes(b)
        if labels[:2] == ["resource", LAMBDA_RESOURCE] and len(labels) == 3:
            code = _archive_code(attrs, archives, locals_)
            out.append(_deployment(src, b, attrs, f"`{labels[2]}` ({LAMBDA_RESOURCE}) of {_name(src)}", code, locals_))
        elif labels[0] == "module" and len(labels) == 2 and _string(attrs.get("source"), locals_) == LAMBDA_MODULE:
            code = _string(attrs.get("source_path"), locals_)
            out.append(_deployment(src, b, attrs, f"module `{labels[1]}` of {_name(src)}", code, locals_))
    return out


def _parse(src: SourceFile, text: str):
    """The lark tree, or ``[WL001]`` at the token the parser stopped at."""
    import hcl2
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedToken as exc:
        tok = exc.token
        first = str(tok).split("\n", 1)[0].strip()
        what = "end of file" if tok.type == "$END" else f"`{first[:40]}`" if first else "end of line"
        return [src.error(f"invalid HCL: unexpected {what}", line=exc.line if exc.line > 0 else 1,
                          column=exc.column if exc.column > 0 else 1)]
    except UnexpectedCharacters as exc:
        return [src.error(f"invalid HCL: unexpected character `{text[exc.pos_in_stream]}`",
                          line=exc.line, column=exc.column)]
    except UnexpectedInput as exc:
        return [src.error("invalid HCL", line=max(1, exc.line or 1), column=max(1, exc.column or 1))]
    except (LarkError, RecursionError, ValueError) as exc:
        return [src.error(f"invalid HCL: {type(exc).__name__}")]


def _name(src: SourceFile) -> str:
    return src.path.rsplit("/", 1)[-1]


def _deployment(src, block, attrs: dict, via: str, code: str | None, locals_: dict) -> Deployment:
    handler = _string(attrs.get("handler"), locals_)
    entries = []
    if code is not None:
        is_file = "." in posixpath.basename(code) and not code.endswith("/")
        entries = [code if is_file or not handler else posixpath.join(code, module_stem(handler))]
    memory = {}
    node = attrs.get("memory_size")
    value = _int(node)
    if value:
        memory = {"memory_bytes": value * MB, "memory_setting": f"memory_size: {value}",
                  "memory_span": _span(src, node.parent_attribute)}
    env = _attributes(next((b for b in _body(block) if _is(b, "block") and _labels(b) == ["environment"]), None))
    variables = _object(env.get("variables")) if env else {}
    if "environment_variables" in attrs:        # the registry module's spelling
        variables = _object(attrs["environment_variables"])
    options = variables.get("NODE_OPTIONS")
    heap = options is not None and sets_heap(_string(options, locals_) or "--max-old-space-size")
    labels_node = [c for c in block.children if _is(c, "string")]
    return Deployment(_span(src, labels_node[-1] if labels_node else block), platform="aws-lambda", via=via,
                      entries=entries, runtime=_string(attrs.get("runtime"), locals_), heap_options=heap, **memory)


def _archive_code(attrs: dict, archives: dict, locals_: dict) -> str | None:
    """The folder or file a ``data "archive_file"`` zips, when ``filename`` or
    ``source_code_hash`` names it."""
    for key in ("filename", "source_code_hash"):
        ref = _reference(attrs.get(key))
        if len(ref) >= 3 and ref[:2] == ["data", "archive_file"] and ref[2] in archives:
            archive = archives[ref[2]]
            for source in ("source_dir", "source_file"):
                path = _string(archive.get(source), locals_)
                if path is not None:
                    return path + "/" if source == "source_dir" else path
    return None


# ------------------------------------------------------------------ the lark tree


def _is(node, data: str) -> bool:
    return getattr(node, "data", None) == data


def _body(block) -> list:
    if block is None:
        return []
    body = block if _is(block, "body") else next((c for c in block.children if _is(c, "body")), None)
    if body is None and _is(block, "start"):
        body = block.children[0] if block.children else None
    return list(body.children) if body is not None else []


def _labels(block) -> list[str]:
    """``resource "aws_lambda_function" "x"`` → ["resource", "aws_lambda_function", "x"]."""
    out = []
    for c in block.children:
        if _is(c, "identifier"):
            out.append(str(c.children[0]))
        elif _is(c, "string"):
            out.append(_string_literal(c) or "")
        elif not hasattr(c, "data"):
            break                     # the `{`
    return out


class _Value:
    """An attribute's value node, with the attribute it belongs to (for its span)."""

    def __init__(self, expr, attribute):
        self.expr, self.parent_attribute = expr, attribute


def _attributes(block) -> dict:
    out = {}
    for c in _body(block):
        if _is(c, "attribute") and len(c.children) >= 3:
            out[str(c.children[0].children[0])] = _Value(c.children[-1], c)
    return out


def _inner(value):
    node = value.expr if isinstance(value, _Value) else value
    while _is(node, "expr_term") and len(node.children) == 1:
        node = node.children[0]
    return node


def _int(value) -> int | None:
    node = _inner(value) if value is not None else None
    if _is(node, "int_lit"):
        text = str(node.children[0])
        return int(text) if text.isdigit() and int(text) > 0 else None
    return None


def _string_literal(node) -> str | None:
    parts = [c for c in node.children if _is(c, "string_part")]
    if any(hasattr(p.children[0], "data") for p in parts if p.children):
        return None
    return "".join(str(p.children[0]) for p in parts if p.children)


def _string(value, locals_: dict, depth: int = 0) -> str | None:
    """A string value with ``${path.module}``/``${path.root}`` read as the file's folder and
    ``${local.x}`` (or ``local.x``) as that local of the same file; else None."""
    node = _inner(value) if value is not None else None
    if node is None or depth > 4:
        return None
    if _is(node, "get_attr_expr_term"):
        ref = _reference(node)
        return _string(locals_.get(ref[1]), locals_, depth + 1) if len(ref) == 2 and ref[0] == "local" else None
    if not _is(node, "string"):
        return None
    out = []
    for part in (c for c in node.children if _is(c, "string_part")):
        if not part.children:
            continue
        child = part.children[0]
        if not hasattr(child, "data"):
            out.append(str(child))
            continue
        ref = _reference(child.children[1]) if _is(child, "interpolation") and len(child.children) > 1 else []
        if ".".join(ref) in PATH_PREFIXES:
            out.append(".")
        elif len(ref) == 2 and ref[0] == "local" and (text := _string(locals_.get(ref[1]), locals_, depth + 1)):
            out.append(text)
        else:
            return None
    return posixpath.normpath("".join(out)) + ("/" if "".join(out).endswith("/") else "")


def _reference(value) -> list[str]:
    """``data.archive_file.lambda.output_path`` → its names; [] for another expression."""
    node = _inner(value) if value is not None else None
    names: list[str] = []
    while _is(node, "get_attr_expr_term") and len(node.children) == 2:
        attr = node.children[1]
        if not _is(attr, "get_attr"):
            return []
        names.insert(0, str(attr.children[-1].children[0]))
        node = _inner(node.children[0])
    if _is(node, "identifier"):
        return [str(node.children[0]), *names]
    return []


def _object(value) -> dict:
    """``{ KEY = value }`` → {KEY: value node}."""
    node = _inner(value) if value is not None else None
    out = {}
    if not _is(node, "object"):
        return out
    for elem in (c for c in node.children if _is(c, "object_elem")):
        key = _inner(elem.children[0].children[0]) if elem.children and elem.children[0].children else None
        name = str(key.children[0]) if _is(key, "identifier") else (_string_literal(key) if _is(key, "string") else None)
        if name is not None:
            out[name] = elem.children[-1]
    return out


def _span(src: SourceFile, node):
    m = node.meta
    return src.span(m.line, m.column, m.end_line, m.end_column)
