"""A JSON encoding of facts and directives for the cache.

Plain JSON values stay as they are; everything else is a one-key object:
``{"$dc": ["module", "Class", {field: value}]}`` for a dataclass,
``{"$t": [...]}`` a tuple, ``{"$b": "hex"}`` bytes, ``{"$d": [[k, v], ...]}`` a dict
whose keys are not all strings (or that could be read as a tag), ``{"$s": [...]}``
a set, ``{"$fs": [...]}`` a frozenset. Decoding only ever builds dataclasses
defined in ``wasmlint`` modules, from JSON values: it cannot run code that is
not wasmlint's own.
"""
from __future__ import annotations

import dataclasses
import importlib
from typing import Any

_TAGS = ("$dc", "$t", "$b", "$d", "$s", "$fs")


class SerialError(ValueError):
    pass


def encode(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, list):
        return [encode(x) for x in v]
    if isinstance(v, tuple) and type(v) is tuple:
        return {"$t": [encode(x) for x in v]}
    if isinstance(v, dict) and type(v) is dict:
        if all(isinstance(k, str) for k in v) and not (len(v) == 1 and next(iter(v)) in _TAGS):
            return {k: encode(x) for k, x in v.items()}
        return {"$d": [[encode(k), encode(x)] for k, x in v.items()]}
    if isinstance(v, (bytes, bytearray)):
        return {"$b": bytes(v).hex()}
    if isinstance(v, frozenset):
        return {"$fs": [encode(x) for x in sorted(v, key=repr)]}
    if isinstance(v, set):
        return {"$s": [encode(x) for x in sorted(v, key=repr)]}
    cls = type(v)
    if dataclasses.is_dataclass(v) and cls.__module__.startswith("wasmlint."):
        return {"$dc": [cls.__module__, cls.__qualname__,
                        {f.name: encode(getattr(v, f.name)) for f in dataclasses.fields(v)}]}
    raise SerialError(f"cannot store a {cls.__module__}.{cls.__qualname__}")


def _class(module: str, qualname: str) -> type:
    if not isinstance(module, str) or not module.startswith("wasmlint.") or not isinstance(qualname, str):
        raise SerialError(f"refusing to build {module}.{qualname}")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    if not (isinstance(obj, type) and dataclasses.is_dataclass(obj)
            and getattr(obj, "__module__", "") == module):
        raise SerialError(f"{module}.{qualname} is not a wasmlint dataclass")
    return obj


def decode(v: Any) -> Any:
    if isinstance(v, list):
        return [decode(x) for x in v]
    if not isinstance(v, dict):
        return v
    if len(v) == 1:
        (tag, body), = v.items()
        if tag == "$dc":
            module, qualname, values = body
            cls = _class(module, qualname)
            fields = {f.name: f for f in dataclasses.fields(cls)}
            if set(values) != set(fields):
                raise SerialError(f"{qualname}: stored fields differ from the class")
            init = {k: decode(x) for k, x in values.items() if fields[k].init}
            obj = cls(**init)
            for k, x in values.items():
                if not fields[k].init:
                    object.__setattr__(obj, k, decode(x))
            return obj
        if tag == "$t":
            return tuple(decode(x) for x in body)
        if tag == "$b":
            return bytes.fromhex(body)
        if tag == "$d":
            return {_hashable(decode(k)): decode(x) for k, x in body}
        if tag == "$s":
            return {_hashable(decode(x)) for x in body}
        if tag == "$fs":
            return frozenset(_hashable(decode(x)) for x in body)
    return {k: decode(x) for k, x in v.items()}


def _hashable(v: Any) -> Any:
    try:
        hash(v)
    except TypeError:
        raise SerialError("unhashable key") from None
    return v
