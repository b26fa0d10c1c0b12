"""A JSON encoding of facts and directives for the cache.

Plain JSON values stay as they are; everything else is a one-key object:
``{"$dc": ["module", "Class", {field: value}]}`` for a dataclass,
``{"$t": [...]}`` a tuple, ``{"$b": "hex"}`` bytes, ``{"$d": [[k, v], ...]}`` a dict
whose keys are not all strings (or that could be read as a tag), ``{"$s": [...]}``
a set, ``{"$fs": [...]}`` a frozenset. An object shared by many facts (a class
with ``SERIAL_ARGS``, e.g. the line index of a file) is stored once per encoded
value as ``{"$sh": [n, "module", "Class", [args]]}`` and then as ``{"$ref": n}``;
decoding rebuilds it once with ``Class(*args)``, so identity is kept. Decoding only ever builds dataclasses
defined in ``wasmlint`` modules, from JSON values: it cannot run code that is
not wasmlint's own.
"""
from __future__ import annotations

import dataclasses
import importlib
import re
from typing import Any

_TAGS = ("$dc", "$t", "$b", "$d", "$s", "$fs", "$sh", "$ref")


class SerialError(ValueError):
    pass


def encode(v: Any, _shared: dict | None = None) -> Any:
    if _shared is None:
        _shared = {}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, list):
        return [encode(x, _shared) for x in v]
    if isinstance(v, tuple) and type(v) is tuple:
        return {"$t": [encode(x, _shared) for x in v]}
    if isinstance(v, dict) and type(v) is dict:
        if all(isinstance(k, str) for k in v) and not (len(v) == 1 and next(iter(v)) in _TAGS):
            return {k: encode(x, _shared) for k, x in v.items()}
        return {"$d": [[encode(k, _shared), encode(x, _shared)] for k, x in v.items()]}
    if isinstance(v, (bytes, bytearray)):
        return {"$b": bytes(v).hex()}
    if isinstance(v, frozenset):
        return {"$fs": [encode(x, _shared) for x in sorted(v, key=repr)]}
    if isinstance(v, set):
        return {"$s": [encode(x, _shared) for x in sorted(v, key=repr)]}
    cls = type(v)
    if getattr(cls, "SERIAL_ARGS", None) and cls.__module__.startswith("wasmlint."):
        if id(v) in _shared:
            return {"$ref": _shared[id(v)]}
        _shared[id(v)] = n = len(_shared)
        return {"$sh": [n, cls.__module__, cls.__qualname__,
                        [encode(getattr(v, a), _shared) for a in cls.SERIAL_ARGS]]}
    if dataclasses.is_dataclass(v) and cls.__module__.startswith("wasmlint."):
        return {"$dc": [cls.__module__, cls.__qualname__,
                        {f.name: encode(getattr(v, f.name), _shared) for f in dataclasses.fields(v)}]}
    raise SerialError(f"cannot store a {cls.__module__}.{cls.__qualname__}")


# The packages that define what the cache stores: nothing else is ever imported to decode.
_MODULES = re.compile(r"wasmlint\.(facts|memory|suppress|textpos|jsonpos|yamlpos|templates|scopes|deep|validate|"
                      r"(sources|js|toolchain|launch|wasm|probe|scopes)\.[a-z][a-z0-9_]*)")


def _class(module: str, qualname: str, shared: bool = False) -> type:
    if not isinstance(module, str) or not isinstance(qualname, str) or not _MODULES.fullmatch(module):
        raise SerialError(f"refusing to build {module}.{qualname}")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    kind_ok = getattr(obj, "SERIAL_ARGS", None) if shared else dataclasses.is_dataclass(obj)
    if not (isinstance(obj, type) and kind_ok and getattr(obj, "__module__", "") == module):
        raise SerialError(f"{module}.{qualname} is not a wasmlint " + ("shared class" if shared else "dataclass"))
    return obj


def decode(v: Any, _shared: list | None = None) -> Any:
    if _shared is None:
        _shared = []
    if isinstance(v, list):
        return [decode(x, _shared) for x in v]
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
            init = {k: decode(x, _shared) for k, x in values.items() if fields[k].init}
            obj = cls(**init)
            for k, x in values.items():
                if not fields[k].init:
                    object.__setattr__(obj, k, decode(x, _shared))
            return obj
        if tag == "$sh":
            n, module, qualname, args = body
            if n != len(_shared) or not isinstance(args, list):
                raise SerialError("shared objects out of order")
            _shared.append(_class(module, qualname, shared=True)(*(decode(a, _shared) for a in args)))
            return _shared[n]
        if tag == "$ref":
            if not isinstance(body, int) or not 0 <= body < len(_shared):
                raise SerialError("reference to an unknown shared object")
            return _shared[body]
        if tag == "$t":
            return tuple(decode(x, _shared) for x in body)
        if tag == "$b":
            return bytes.fromhex(body)
        if tag == "$d":
            return {_hashable(decode(k, _shared)): decode(x, _shared) for k, x in body}
        if tag == "$s":
            return {_hashable(decode(x, _shared)) for x in body}
        if tag == "$fs":
            return frozenset(_hashable(decode(x, _shared)) for x in body)
    return {k: decode(x, _shared) for k, x in v.items()}


def _hashable(v: Any) -> Any:
    try:
        hash(v)
    except TypeError:
        raise SerialError("unhashable key") from None
    return v
