"""``serverless.yml`` (Serverless Framework) → a ``deployment`` on AWS Lambda for each
function: its ``handler``'s file (``src/app.handler`` → ``src/app``) with its
``memorySize`` (MB), else ``provider.memorySize``, else Lambda's default."""
from __future__ import annotations

from .. import yamlpos
from ..deployment import Deployment, module_stem
from . import SourceFile
from .sam_template import lambda_functions, memory_of, runtime_of


def extract(src: SourceFile) -> list:
    return lambda_functions(src, _functions)


def _functions(idx, doc):
    provider = yamlpos.get(doc, "provider")
    if yamlpos.str_of(yamlpos.get(provider, "name")) not in (None, "aws"):
        return
    for fname, fn in yamlpos.pairs(yamlpos.get(doc, "functions")):
        handler = yamlpos.str_of(yamlpos.get(fn, "handler"))
        if handler:
            yield Deployment(idx.span(fname.start_mark.index, fname.end_mark.index), platform="aws-lambda",
                             via=f"function `{fname.value}` of serverless.yml", entries=[module_stem(handler)],
                             **memory_of(idx, "memorySize", fn, provider),
                             **runtime_of("runtime", ("environment",), fn, provider))
