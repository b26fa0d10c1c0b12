"""Terraform ``*.tf`` → a ``deployment`` on AWS Lambda for each ``resource
"aws_lambda_function"`` and each ``module`` of ``terraform-aws-modules/lambda/aws``: its
``memory_size`` (MB), ``runtime``, and the code it ships — the ``source_dir`` or
``source_file`` of the ``data "archive_file"`` its ``filename`` or ``source_code_hash``
names (``data.archive_file.NAME.output_path``), or the module's ``source_path`` — joined
with the handler's file (``index.handler`` → ``index``).

HCL is read with python-hcl2's lark grammar; a file that does not parse
is WL001 at the token the parser stopped at. A value Terraform computes (``var.memory``,
an interpolation other than ``path.module``/``path.root`` or a ``local`` of the same file)
is not a number or a path here. Files that name none of them (nor an ``archive_file``) are
not parsed. The ``archive_file`` may be in another file of the same module (folder):
``settle`` joins them once every file is read."""
from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from ..deployment import Deployment, module_stem, sets_heap
from ..facts import Fact
from . import SourceFile

LAMBDA_RESOURCE = "aws_lambda_function"
LAMBDA_MODULE = "terraform-aws-modules/lambda/aws"
MB = 1 << 20
PATH_PREFIXES = ("path.module", "path.root")    # the folder of the file (a root module's)
ARCHIVE = '"archive_file"'


@dataclass
class TerraformArchive(Fact):
    """A ``data "archive_file" "NAME"``: the folder (``source_dir``, ending in ``/``) or file
    (``source_file``) it zips, relative to its file's folder."""

    kind: ClassVar[str] = "terraform-archive"
    name: str = ""
    source: str = ""


def extract(src: SourceFile) -> list:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    if LAMBDA_RESOURCE not in text and LAMBDA_MODULE not in text and ARCHIVE not in text:
        return []
    tree = _parse(src, text)
    if not hasattr(tree, "data"):
        return tree
    blocks = [c for c in _body(tree) if _is(c, "block")]
    locals_ = {name: node for b in blocks if _labels(b)[0] == "locals" for name, node in _attributes(b).items()}
    out: list = []
    for b in blocks:
        labels, attrs = _labels(b), _attributes(b)
        if labels[:2] == ["data", "archive_file"] and len(labels) == 3:
            out.extend(_archive(src, b, labels[2], attrs, locals_))
        elif labels[:2] == ["resource", LAMBDA_RESOURCE] and len(labels) == 3:
            archive = next((ref[2] for key in ("filename", "source_code_hash")
                            if len(ref := _reference(attrs.get(key))) >= 3 and ref[:2] == ["data", "archive_file"]),
                           None)
            out.append(_deployment(src, b, attrs, f"`{labels[2]}` ({LAMBDA_RESOURCE}) of {_name(src)}", None,
                                   locals_, archive))
        elif labels[0] == "module" and len(labels) == 2 and _string(attrs.get("source"), locals_) == LAMBDA_MODULE:
            code = _string(attrs.get("source_path"), locals_)
            out.append(_deployment(src, b, attrs, f"module `{labels[1]}` of {_name(src)}", code, locals_))
    return out


def settle(facts: list) -> list:
    """Deployments whose code is a ``data "archive_file"`` of their module (a file of the
    same folder): that archive's folder or file, joined with the handler's file."""
    archives = {(posixpath.dirname(f.span.path), f.name): f for f in facts if isinstance(f, TerraformArchive)}
    if not archives:
        return facts
    out = []
    for f in facts:
        a = archives.get((f.folder, f.archive)) if isinstance(f, Deployment) and f.archive else None
        if a is not None and not f.entries:
            rel = posixpath.relpath(posixpath.join(posixpath.dirname(a.span.path), a.source), f.folder or ".")
            f = dataclasses.replace(f, entries=[_entry(rel + ("/" if a.source.endswith("/") else ""), f.handler)])
        out.append(f)
    return out


def _archive(src, block, name: str, attrs: dict, locals_: dict) -> list:
    for key in ("source_dir", "source_file"):
        path = _string(attrs.get(key), locals_)
        if path is not None:
            return [TerraformArchive(_span(src, block), name=name,
                                     source=path.rstrip("/") + "/" if key == "source_dir" else path)]
    return []


def _entry(code: str, handler: str | None) -> str:
    """The handler's file in ``code`` (a folder ending in ``/``, or the zipped file itself)."""
    return posixpath.join(code, module_stem(handler)) if code.endswith("/") and handler else code.rstrip("/")


@lru_cache(maxsize=1)
def _parser():
    """python-hcl2's grammar and post-lexer, without ``propagate_positions`` (it took half
    the parse; ``_extent`` finds the few spans read from the tokens)."""
    from hcl2.postlexer import PostLexer
    from lark import Lark

    from ..resources import library_grammar
    from ..usercache import user_cache_dir
    folder = user_cache_dir()
    # the grammar's tables (1.5 s to build) are kept in the user's private cache between runs
    cache = str(folder / "hcl2.lark-cache") if folder else False
    from ..lalr_units import skip_unit_steps
    return skip_unit_steps(Lark(library_grammar("hcl2", "hcl2.lark"), parser="lalr", postlex=PostLexer(), cache=cache))


def _parse(src: SourceFile, text: str):
    """The lark tree, or ``[WL001]`` at the token the parser stopped at."""
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
    try:
        # the newline hcl2.parses_to_tree adds: the grammar ends a body at one (lark issue 237)
        return _parser().parse(text + "\n")
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


def _deployment(src, block, attrs: dict, via: str, code: str | None, locals_: dict,
                archive: str | None = None) -> Deployment:
    handler = _string(attrs.get("handler"), locals_)
    if code is not None and not code.endswith("/") and "." not in posixpath.basename(code):
        code += "/"                       # the module's source_path names a folder
    entries = [_entry(code, handler)] if code is not None else []
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
                      entries=entries, runtime=_string(attrs.get("runtime"), locals_), heap_options=heap,
                      archive=archive, handler=handler, **memory)


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
    """The node's extent as lark's positions give it, from its first to its last token:
    every token the grammar reads is a named terminal, so the tree holds them all."""
    first, last = _edge(node, False), _edge(node, True)
    return src.span(first.line, first.column, last.end_line, last.end_column)


def _edge(node, last: bool):
    """The first (``last``: the last) token under ``node``, None when it holds none."""
    if not hasattr(node, "data"):
        return node
    for child in reversed(node.children) if last else node.children:
        found = _edge(child, last) if child is not None else None
        if found is not None:
            return found
    return None
