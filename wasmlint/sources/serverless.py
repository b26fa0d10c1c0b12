"""``serverless.yml`` (Serverless Framework) → a ``deployment`` on AWS Lambda for each
function: its ``handler``'s file (``src/app.handler`` → ``src/app``) with its
``memorySize`` (MB), else ``provider.memorySize``, else Lambda's default."""
from __future__ import annotations

from .. import yamlpos
from ..deployment import Deployment, module_stem
from ..launch import yamlsurf
from . import SourceFile
from .sam_template import memory_of


def extract(src: SourceFile) -> list:
    idx, docs = yamlsurf.load_source(src)
    if idx is None:
        return docs
    out = []
    for doc in docs:
        provider = yamlpos.get(doc, "provider")
        name = yamlpos.str_of(yamlpos.get(provider, "name"))
        if name not in (None, "aws"):
            continue
        for fname, fn in yamlpos.pairs(yamlpos.get(doc, "functions")):
            handler = yamlpos.str_of(yamlpos.get(fn, "handler"))
            if not handler:
                continue
            memory = memory_of(idx, yamlpos.get(fn, "memorySize"), "memorySize", fn) or \
                memory_of(idx, yamlpos.get(provider, "memorySize"), "memorySize", provider)
            out.append(Deployment(idx.span(fname.start_mark.index, fname.end_mark.index), platform="aws-lambda",
                                  via=f"function `{fname.value}` of serverless.yml",
                                  entries=[module_stem(handler)], **memory))
    return out
