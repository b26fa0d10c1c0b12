"""AWS SAM / CloudFormation templates (``template.yaml``) → a ``deployment`` on AWS Lambda
for each ``AWS::Serverless::Function`` / ``AWS::Lambda::Function``: the handler's file in
its ``CodeUri`` (``app.handler`` → ``app``), with its ``MemorySize`` (or the
``Globals.Function`` one; Lambda's default otherwise). A value computed at deploy time
(``!Ref Memory``) is not a number here: the default stays."""
from __future__ import annotations

import posixpath

from .. import yamlpos
from ..deployment import Deployment, module_stem, sets_heap
from ..launch import yamlsurf
from . import SourceFile

FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
MB = 1 << 20


def memory_of(idx, key: str, *holders) -> dict:
    """``memory_bytes``/``memory_setting``/``memory_span`` of the integer ``key`` (MB) of the
    first of ``holders`` (a function, then its defaults) that sets one, else ``{}``."""
    for holder in holders:
        node = yamlpos.get(holder, key)
        if yamlpos.is_scalar(node) and node.tag.endswith(":int") and node.value.isdigit() and int(node.value) > 0:
            k = yamlpos.key_node(holder, key)
            return {"memory_bytes": int(node.value) * MB, "memory_setting": f"{key}: {node.value}",
                    "memory_span": idx.span(k.start_mark.index, node.end_mark.index)}
    return {}


def first_str(key: str, *holders) -> str | None:
    """The string ``key`` of the first of ``holders`` that sets one."""
    return next((v for h in holders if (v := yamlpos.str_of(yamlpos.get(h, key)))), None)


def runtime_of(runtime_key: str, env_path: tuple[str, ...], *holders) -> dict:
    """``runtime`` and ``heap_options`` of a function from its holders (the function, then its
    defaults): the runtime as written, and whether its environment's NODE_OPTIONS bounds the heap."""
    envs = []
    for h in holders:
        for key in env_path:
            h = yamlpos.get(h, key)
        envs.append(h)
    return {"runtime": first_str(runtime_key, *holders),
            "heap_options": sets_heap(first_str("NODE_OPTIONS", *envs))}


def lambda_functions(src: SourceFile, functions) -> list:
    """The deployments ``functions(idx, document)`` finds in each YAML document of ``src``."""
    idx, docs = yamlsurf.load_source(src)
    if idx is None:
        return docs
    return [d for doc in docs for d in functions(idx, doc)]


def extract(src: SourceFile) -> list:
    name = src.path.rsplit("/", 1)[-1]
    return lambda_functions(src, lambda idx, doc: _functions(idx, doc, name))


def _functions(idx, doc, file_name: str):
    defaults = yamlpos.get(yamlpos.get(doc, "Globals"), "Function")
    for name, res in yamlpos.pairs(yamlpos.get(doc, "Resources")):
        if yamlpos.str_of(yamlpos.get(res, "Type")) not in FUNCTION_TYPES:
            continue
        props = yamlpos.get(res, "Properties")
        handler = yamlpos.str_of(yamlpos.get(props, "Handler")) or yamlpos.str_of(yamlpos.get(defaults, "Handler"))
        code = yamlpos.str_of(yamlpos.get(props, "CodeUri")) or yamlpos.str_of(yamlpos.get(defaults, "CodeUri"))
        entries = [posixpath.join(code or "", module_stem(handler))] if handler and "://" not in (code or "") else []
        yield Deployment(idx.span(name.start_mark.index, name.end_mark.index), platform="aws-lambda",
                         via=f"`{name.value}` of {file_name}", entries=entries,
                         **memory_of(idx, "MemorySize", props, defaults),
                         **runtime_of("Runtime", ("Environment", "Variables"), props, defaults))
