"""AWS CDK stacks → a ``deployment`` on AWS Lambda for each ``new lambda.Function(…)`` /
``new NodejsFunction(…)`` whose props set ``memorySize``: the handler's file, when the stack
names it from its own location (``entry: path.join(__dirname, '../lambda/index.ts')``, or
``code: lambda.Code.fromAsset(path.join(__dirname, '../lambda'))`` with ``handler:
'index.handler'``). A path relative to the directory ``cdk`` runs in is not followed."""
from __future__ import annotations

import posixpath

from ..deployment import Deployment, module_stem, sets_heap
from .filepaths import relative_path
from .parse import call_parts, name_of, object_pairs, string_value, unwrap

MB = 1 << 20


def wanted(data: bytes) -> bool:
    return b"memorySize" in data and b"aws-cdk" in data


def _entry(scan, props: dict) -> str | None:
    entry = props.get("entry")
    if entry is not None:
        return relative_path(scan, entry[1])
    code, handler = props.get("code"), string_value(props["handler"][1]) if "handler" in props else None
    call = unwrap(code[1]) if code is not None else None
    if handler is None or call is None or call.type != "call_expression":
        return None
    callee, args = call_parts(call)
    if name_of(callee) != "fromAsset" or not args:
        return None
    folder = relative_path(scan, args[0])
    return None if folder is None else posixpath.join(folder, module_stem(handler))


def _runtime(props: dict) -> dict:
    """``runtime: lambda.Runtime.NODEJS_20_X`` → "nodejs20.x" (another runtime as its member
    name); whether ``environment: { NODE_OPTIONS: … }`` bounds the heap."""
    out: dict = {}
    if "runtime" in props:
        member = name_of(props["runtime"][1]) or ""
        parts = member.lower().split("_")
        out["runtime"] = f"nodejs{parts[1]}.x" if parts[0] == "nodejs" and len(parts) > 1 else member or None
    env = object_pairs(props["environment"][1]) if "environment" in props else {}
    if "NODE_OPTIONS" in env:
        out["heap_options"] = sets_heap(string_value(env["NODE_OPTIONS"][1]) or "--max-old-space-size")
    return out


def deployments(scan) -> list[Deployment]:
    doc, out = scan.doc, []
    for key in doc.words("memorySize", ("property_identifier",)):
        pair = key.parent
        obj = pair.parent if pair is not None and pair.type == "pair" else None
        new = obj.parent.parent if obj is not None and obj.parent is not None else None
        if new is None or new.type != "new_expression" or not (name_of(new.child_by_field_name("constructor"))
                                                                or "").endswith("Function"):
            continue
        value = unwrap(pair.child_by_field_name("value"))
        if value is None or value.type != "number" or not value.text.isdigit() or int(value.text) <= 0:
            continue
        props = object_pairs(obj)
        entry = _entry(scan, props)
        out.append(Deployment(doc.span(new.child_by_field_name("constructor")), platform="aws-lambda",
                              via="AWS CDK function", entries=[entry] if entry else [],
                              memory_bytes=int(value.text) * MB,
                              memory_setting="memorySize: " + value.text.decode("utf-8", "replace"),
                              memory_span=doc.span(pair), **_runtime(props)))
    return out
