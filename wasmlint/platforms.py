"""Deployment platform profiles: ``wasmlint/data/platforms/<name>.toml``, one per platform
(its README gives the keys). Each limit keeps its public source, the date it was read and
a confidence, so ``wasmlint targets`` and the rule docs can say where a number comes from.
A custom target of the configuration (``[tool.wasmlint.custom-targets.X]``) is a profile
too, built from the same keys (``profile_from_config``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .units import parse_size

PLATFORMS_DIR = Path(__file__).resolve().parent / "data" / "platforms"
COMPRESSIONS = ("raw", "gzip")
COUNTS = ("module", "bundle")


@dataclass(frozen=True)
class Source:
    """Where one limit comes from."""
    url: str = ""
    read: str = ""
    confidence: str = ""
    note: str = ""

    def to_json(self) -> dict:
        return {"url": self.url, "read": self.read, "confidence": self.confidence, "note": self.note}


@dataclass(frozen=True)
class Profile:
    name: str
    title: str = ""
    runtime: str = ""
    memory_bytes: int | None = None       # per instance
    memory_configurable: bool = False     # the deployment's files set it (vercel.json, MemorySize)
    reserves_maximum: bool = False        # a memory's declared maximum is reserved at start
    size_bytes: int | None = None
    size_compression: str = "raw"         # how the platform counts the size: raw | gzip
    size_counts: str = "bundle"           # module | bundle (every module and the JS of one deployment)
    startup_ms: int | None = None
    compile_from_bytes: bool | None = None   # False: the runtime refuses WebAssembly compiled from bytes
    memory64: bool | None = None
    threads: bool | None = None
    threads_need_isolation: bool = False
    also_targets: tuple[str, ...] = ()    # built-in targets its modules are also checked against
    sources: dict[str, Source] = field(default_factory=dict)   # limit → its source
    custom: bool = False

    def source(self, limit: str) -> Source | None:
        return self.sources.get(limit)

    def to_json(self) -> dict:
        return {
            "name": self.name, "title": self.title, "runtime": self.runtime, "custom": self.custom,
            "memory_bytes": self.memory_bytes, "memory_configurable": self.memory_configurable,
            "reserves_maximum": self.reserves_maximum,
            "size_bytes": self.size_bytes, "size_compression": self.size_compression,
            "size_counts": self.size_counts, "startup_ms": self.startup_ms,
            "compile_from_bytes": self.compile_from_bytes, "memory64": self.memory64,
            "threads": self.threads, "threads_need_isolation": self.threads_need_isolation,
            "also_targets": list(self.also_targets),
            "sources": {k: s.to_json() for k, s in self.sources.items()},
        }


class ProfileError(ValueError):
    """A profile or a custom target with a key or value wasmlint does not know."""


def _size(value: Any, where: str) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return int(value * (1 << 20))     # a bare number is MiB, as `budget-mb`
    n = parse_size(value) if isinstance(value, str) else None
    if not n:
        raise ProfileError(f"{where} must be a size like '128MiB' or a number of MiB")
    return n


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(f"{where} must be true or false")
    return value


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ProfileError(f"{where} must be one of {', '.join(choices)}")
    return value


# section → key → (Profile field, reader); `value`, `source`, `read`, `confidence`, `note`
# are the section's value and its provenance.
SECTIONS: dict[str, dict[str, tuple[str, Any]]] = {
    "memory": {"value": ("memory_bytes", _size), "configurable": ("memory_configurable", _flag),
               "reserves-maximum": ("reserves_maximum", _flag)},
    "size": {"value": ("size_bytes", _size),
             "compression": ("size_compression", lambda v, w: _choice(v, COMPRESSIONS, w)),
             "counts": ("size_counts", lambda v, w: _choice(v, COUNTS, w))},
    "startup": {"ms": ("startup_ms", lambda v, w: int(_size(v, w) / (1 << 20)))},
    "loading": {"compile-from-bytes": ("compile_from_bytes", _flag)},
    "memory64": {"supported": ("memory64", _flag)},
    "threads": {"supported": ("threads", _flag), "needs-isolation": ("threads_need_isolation", _flag)},
}
PROVENANCE = ("source", "read", "confidence", "note")
TOP_KEYS = ("name", "title", "runtime", "also-targets")


def profile_from_table(name: str, raw: dict, where: str, custom: bool = False,
                       base: Profile | None = None) -> Profile:
    """A profile from a profile file's table (or a custom target's), over ``base``."""
    from .cli_parser import did_you_mean
    values: dict[str, Any] = dict(base.__dict__) if base else {}
    values.update(name=name, custom=custom)
    sources = dict(base.sources) if base else {}
    for key, value in raw.items():
        if key in TOP_KEYS:
            if key == "also-targets":
                values["also_targets"] = tuple(str(v) for v in value) if isinstance(value, list) else ()
            elif key != "name":
                values[key] = str(value)
            continue
        if key not in SECTIONS:
            raise ProfileError(f"{where}: unknown key `{key}`{did_you_mean(key, [*TOP_KEYS, *SECTIONS])}")
        if not isinstance(value, dict):
            raise ProfileError(f"{where}: `{key}` must be a table ({key}.value = …)")
        known = SECTIONS[key]
        for sub, v in value.items():
            if sub in PROVENANCE:
                continue
            if sub not in known:
                raise ProfileError(f"{where}: unknown key `{key}.{sub}`"
                                   f"{did_you_mean(sub, [*known, *PROVENANCE])}")
            attr, read = known[sub]
            values[attr] = read(v, f"{where}: `{key}.{sub}`")
        sources[key] = Source(str(value.get("source", "")), str(value.get("read", "")),
                              str(value.get("confidence", "")), str(value.get("note", "")))
    values["sources"] = sources
    return Profile(**values)


@cache
def builtin_profiles() -> dict[str, Profile]:
    """The profiles shipped in ``data/platforms/``, by name."""
    from .tomlsafe import loads
    out: dict[str, Profile] = {}
    for path in sorted(PLATFORMS_DIR.glob("*.toml")):
        raw = loads(path.read_text(encoding="utf-8"))
        out[raw["name"]] = profile_from_table(raw["name"], raw, f"platform profile {path.name}")
    return out
