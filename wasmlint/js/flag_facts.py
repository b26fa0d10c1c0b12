"""Facts of the flags JavaScript gives node and V8 at run time: ``process.env.NODE_OPTIONS``
writes, ``v8.setFlagsFromString``, node started by ``child_process``, and Emscripten
``Module`` overrides (found by ``js.flags``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import internal
from . import versions
from .facts import JsFact


@dataclass
class JsNodeOptionsWrite(JsFact):
    """``process.env.NODE_OPTIONS = …`` at run time."""

    kind: ClassVar[str] = "js-node-options-write"
    value: str | None = None
    flags: list[str] = field(default_factory=list)
    starts_processes: bool = False     # the module loads child_process or cluster (``flags._starts_processes``)

    def disallowed(self, ctx) -> list[str]:
        return versions.node_options_rejects(ctx, self.flags, self.span.path)

    def consequence(self, ctx) -> str:
        bad = self.disallowed(ctx)
        if not bad:
            return "it only reaches child processes started afterwards"
        return (f"child processes started afterwards exit with code 9 at start: "
                f"{', '.join(f'`{b}`' for b in bad)} {'is' if len(bad) == 1 else 'are'} not allowed "
                f"in NODE_OPTIONS on node {versions.node_major(ctx, self.span.path)}")


@dataclass
class JsSetFlags(JsFact):
    """``v8.setFlagsFromString('…')``."""

    kind: ClassVar[str] = "js-v8-set-flags"
    flags: list[str] = field(default_factory=list)
    wasm_flags: list[str] = field(default_factory=list)
    after: str | None = None                     # what already compiled wasm in this file
    imports_before: list = internal(default_factory=list)   # [(specifier, line)]

    def late_reason(self, ctx) -> str | None:
        if self.after:
            return self.after
        if ctx.project is None:
            return None
        for spec, line in self.imports_before:
            target = versions.resolve_import(self.span.path, spec, ctx.project.files)
            if target and any(f.span.path == target for f in ctx.project.of_kind("js-wasm-compile")):
                return f"after `{spec}` (line {line}), which loads WebAssembly, was imported"
        return None

    def problem(self, ctx) -> str | None:
        return versions.set_flags_problem(ctx, self.wasm_flags, self.late_reason(ctx), self.span.path)

    def fatal(self, ctx) -> bool:
        return versions.set_flags_fatal(ctx, self.wasm_flags, self.span.path)


@dataclass
class JsChildProcess(JsFact):
    """A ``child_process`` call that starts node with flags or an environment."""

    kind: ClassVar[str] = "js-child-process"
    api: str = ""
    command: str | None = None
    exec_argv: list[str] = field(default_factory=list)
    node_options: str | None = None


@dataclass
class EmscriptenModuleOverride(JsFact):
    """``Module['INITIAL_MEMORY'] = …`` / ``{wasmMemory: …}`` given to Emscripten glue."""

    kind: ClassVar[str] = "emscripten-module-override"
    setting: str = ""
    value: int | None = None
