"""Facts found in JavaScript/TypeScript loaders and glue.

Every JS fact carries ``generator``: ``emscripten``, ``wasm-bindgen``, ``go`` for
generated glue (the user changes the build, not the file), else None.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..diagnostics import Edit, Proposal
from ..facts import Fact, Span, internal
from ..memory import MemoryLike
from . import versions


@dataclass
class JsFact(Fact):
    generator: str | None = None


@dataclass
class JsMemory(MemoryLike, JsFact):
    """``new WebAssembly.Memory({...})``. ``None`` sizes are unknown values."""

    kind: ClassVar[str] = "js-memory"
    uses_webassembly: ClassVar[bool] = True
    name: str | None = None
    initial_pages: int | None = None
    initial_choices: tuple[int, ...] = ()  # the sizes a conditional initial can take (initial_pages None)
    maximum_pages: int | None = None
    has_maximum: bool = False
    shared: bool = False
    memory64: bool = False
    address: str | None = None
    address_key: str = "address"      # or the older spelling "index"
    initial_bigint: bool | None = None
    fallback: bool = False
    feature_test: bool = False        # made only to test what the engine supports (feature_test.py)
    sized_after: str | None = None    # the memory whose size it copies: a shadow or snapshot of it
    written_to: str | None = None     # the file a generator writes it into when not read from it (napi-rs)
    not_on: tuple[str, ...] = ()      # targets whose devices a user-agent test sends elsewhere
    fallback_for: str | None = internal(None)   # the glue factory whose callers may pass their own (module_options)
    caller_memory: bool = internal(False)       # every call of that factory passes one: never made
    initial_span: Span | None = internal()
    maximum_span: Span | None = internal()
    address_key_span: Span | None = internal()
    insert_at: Span | None = internal()
    initial_text: str = internal("")
    maximum_text: str = internal("")
    key_quote: str = internal("")

    @property
    def maximum_declared(self) -> bool:
        return self.has_maximum

    @property
    def growable(self) -> bool:
        if not self.has_maximum:
            return True
        initial = self.initial_pages if self.initial_pages is not None else max(self.initial_choices, default=None)
        if initial is None or self.maximum_pages is None:
            return False
        return self.maximum_pages > initial

    @property
    def growth_reason(self) -> str:
        if self.initial_pages is None and self.initial_choices and self.maximum_pages is not None:
            sizes = " or ".join(str(p) for p in self.initial_choices)
            return f"its maximum ({self.maximum_pages} pages) is above every initial size it can have ({sizes} pages)"
        return super().growth_reason

    @property
    def label(self) -> str:
        return f"WebAssembly.Memory `{self.name}`" if self.name else "new WebAssembly.Memory"

    def memory_importers(self, ctx) -> list:
        from .linking import importers_of
        return [(imp.span, f"{imp.span.path} imports this memory as `{imp.import_['module']}.{imp.import_['name']}`")
                for imp in importers_of(ctx, self)]

    def memory_grows(self, ctx) -> list:
        """``grow`` calls on this memory the project sees: in its file and in the files
        importing it, on a receiver of its name."""
        project = ctx.project
        if project is None or not self.name or not hasattr(project, "graph"):
            return []
        files = {self.span.path} | {e.src for e in project.graph.into.get(self.span.path, ()) if e.kind == "imports"}
        index = project.grows_by_receiver
        return [g for path in sorted(files) for g in index.get((path, self.name), ())]

    def fix_pin_memory(self, ctx):
        """Exact edits in the object literal: maximum = initial, or both = the planned size;
        with ``grow`` calls on it, the maximum leaves room for what they add."""
        if self.generator:
            return (f"this memory is created by {self.generator} glue: rebuild without memory growth "
                    f"instead of editing the generated file")
        planned = self.planned_bytes(ctx)
        if self.initial_span is None:
            return None
        grows = self.memory_grows(ctx)
        if grows:
            return self._fix_with_grows(ctx, grows, planned)
        q = self.key_quote
        edits = []
        value = self.initial_text
        if planned is not None:
            value = str(planned // 65536) + ("n" if self.initial_bigint else "")
            edits.append(Edit(self.initial_span, value))
        if self.maximum_span is not None:
            edits.append(Edit(self.maximum_span, value))
        elif self.insert_at is not None:
            edits.append(Edit(self.insert_at, f", {q}maximum{q}: {value}"))
        return edits

    def _fix_with_grows(self, ctx, grows: list, planned: int | None):
        """A pinned memory makes every ``grow`` throw a RangeError: the maximum is the
        initial (planned) size plus what the calls add, and says so."""
        calls = ", ".join(f"`{g.call_text}` ({g.span.path}:{g.span.line})" for g in grows)
        if any(g.delta_pages is None for g in grows) or self.initial_pages is None:
            return Proposal(f"Set a maximum that covers what {calls} add{'s' if len(grows) == 1 else ''}: "
                            "an amount not known statically (a maximum equal to the initial size would make "
                            "that `grow` throw)")
        base = planned // 65536 if planned is not None else self.initial_pages
        extra = sum(g.delta_pages for g in grows)
        top = base + extra
        big = "n" if self.initial_bigint else ""
        edits = []
        if planned is not None and base != self.initial_pages:
            edits.append(Edit(self.initial_span, f"{base}{big}"))
        if self.maximum_span is not None:
            if self.maximum_pages != top:
                edits.append(Edit(self.maximum_span, f"{top}{big}"))
        elif self.insert_at is not None:
            q = self.key_quote
            edits.append(Edit(self.insert_at, f", {q}maximum{q}: {top}{big}"))
        if not edits:
            return None
        return Proposal(f"Bound the maximum at {top} pages: the initial {base}{' (planned)' if planned else ''} "
                        f"and the {extra} that {calls} add{'s' if len(grows) == 1 else ''} (a maximum equal "
                        "to the initial size would make that `grow` throw)", tuple(edits))

    def fallback_threshold(self, ctx) -> int | None:
        """Half the smallest mobile budget among this memory's targets (WL108), else None."""
        budgets = [t.budget_bytes for t in ctx.targets_for(self)
                   if t.name in ("ios", "android") and t.budget_bytes]
        return min(budgets) // 2 if budgets else None

    def fix_bigint(self, ctx):
        """``initial: 1`` → ``initial: 1n`` (and the maximum) when they are integer literals;
        the older key ``index`` becomes ``address``, the only one node 24+ reads."""
        edits = []
        if self.address_key == "index" and self.address_key_span is not None:
            edits.append(Edit(self.address_key_span, "address"))
        for span, text in ((self.initial_span, self.initial_text), (self.maximum_span, self.maximum_text)):
            if span is not None and text.isdigit():
                edits.append(Edit(span, text + "n"))
        return edits

    def memory64_effect(self, ctx) -> str:
        """What node does with it (measured, facts.md §6; `index` on node 20, 22, 24, 26)."""
        if self.feature_test:
            if self.address_key == "index":
                return ("tests the old `index` key as a feature test: node 24 and 26 no longer read it and make "
                        "a 32-bit memory without an error, whatever the engine supports")
            return ("can never succeed as a feature test: node 24 and 26, which have memory64, throw a "
                    "TypeError for it (they need `initial: 1n`), and node 20 and 22 make a 32-bit memory "
                    "without an error")
        major = versions.node_major(ctx, self.span.path)
        if self.address_key == "index":
            if major >= 24:
                return f"is silently a 32-bit memory on node {major}, which reads only `address` (with BigInt sizes)"
            if major >= 22:
                return f"is a 64-bit memory on node {major} only: node 24+ reads only `address` (with BigInt sizes)"
            return f"is silently a 32-bit memory on node {major} (node 24+ reads only `address`, with BigInt sizes)"
        if major >= 24:
            return f"throws a TypeError on node {major} (initial must be a BigInt such as `{self.initial_text or 1}n`)"
        return f"is silently a 32-bit memory on node {major} (node 24+ throws a TypeError)"


@dataclass
class JsMemoryGrow(JsFact):
    """``memory.grow(n)`` on a WebAssembly memory."""

    kind: ClassVar[str] = "js-memory-grow"
    receiver: str = ""
    delta_pages: int | None = None
    follows: str | None = None    # the receiver is a shadow sized after this memory: it grows in step with it

    @property
    def call_text(self) -> str:
        return f"{self.receiver}.grow({'…' if self.delta_pages is None else self.delta_pages})"


@dataclass
class JsMemoryView(JsFact):
    """A typed-array view or DataView of ``<memory>.buffer``."""

    kind: ClassVar[str] = "js-memory-view"
    view_type: str = ""
    receiver: str = ""
    placement: str = "function"       # module | constructor | class-field | function
    recreated: bool = False
    grown_at: Span | None = None

    @property
    def where_text(self) -> str:
        return {"module": "at module scope", "constructor": "in a constructor",
                "class-field": "in a class field"}.get(self.placement, "in a function")

    @property
    def kept_across_grow(self) -> bool:
        return self.grown_at is not None and not self.recreated and self.placement != "function"

    @property
    def related_grow(self) -> list:
        return [(self.grown_at, f"`{self.receiver}` grows here")] if self.grown_at else []


@dataclass
class JsCompile(JsFact):
    """A WebAssembly compile or instantiate call."""

    kind: ClassVar[str] = "js-wasm-compile"
    api: str = ""                    # instantiate, instantiateStreaming, compile, compileStreaming, Module, Instance
    sync: bool = False
    streaming: bool = False
    worker_context: bool = False     # in a worker file or a `!isMainThread` branch
    node_only: bool = False
    from_fetch: bool = False         # bytes came from fetch() → arrayBuffer()
    from_bytes: bool = False         # compiles bytes (not a received WebAssembly.Module)
    module_offered: bool = False     # a worker's fallback where it is not sent a compiled Module
    loader_hook: bool = False        # loads any module by the path its caller gives (loader_hook.py)
    streaming_fallback: bool = False   # the buffered path of a loader that streams first
    module_size: int | None = None   # an embedded module's size
    source: str | None = None        # the URL or path literal the bytes come from
    memory_imports: list = field(default_factory=list)   # [(module, name, binding, inline offset)]
    wasm_import: str | None = None   # the compiled value is `import x from './a.wasm'`: its spec
    glue_option: Span | None = None  # the bytes are given to Emscripten glue here, as `wasmBinary` (glue_bytes.py)

    uses_webassembly: ClassVar[bool] = True   # the project graph: this file loads WebAssembly

    def graph_refs(self) -> list:
        from ..graph import Ref
        return [Ref("loads-wasm", self.source, self.span)] if self.source else []

    def memory_mismatches(self, ctx) -> list[dict]:
        from .linking import memory_mismatches
        return memory_mismatches(self, ctx)

    def one_worker(self, ctx) -> bool:
        """The worker code of this call is started by the project at one site, as one worker
        (no loop, no pool): a dedicated worker that compiles off the main thread, with no
        sibling to share a compiled Module with (WL307)."""
        from .spawners import spawners
        found = spawners(self, ctx)
        return len(found) == 1 and not (found[0].in_loop or found[0].pool_size is not None or
                                        found[0].pool_size_by_cores or found[0].api in ("piscina", "workerpool"))

    def imported_as_bytes(self, ctx) -> list[dict]:
        """The ``.wasm`` this call compiles is imported, and the module rules of the wrangler
        config deploying this file make it ``Data`` or ``Text`` (bytes or a string, never
        a ``WebAssembly.Module``): ``[that rule]``, else ``[]`` (WL605)."""
        if not self.wasm_import or ctx.project is None:
            return []
        from ..wrangler_rules import rule_for
        found = rule_for(self, ctx)
        return [found] if found else []

    def compile_forbidden(self, ctx) -> bool:
        """A target of this loader refuses WebAssembly compiled at run time (workerd, Vercel's
        edge runtime: WL602), streaming or not."""
        return any(t.limit("compile_from_bytes") is False for t in ctx.targets_for(self))

    @property
    def streaming_api(self) -> str:
        return "compileStreaming" if self.api == "compile" else "instantiateStreaming"

    @property
    def glue_related(self) -> list:
        return [(self.glue_option, "given to the Emscripten glue here as `wasmBinary`, which it compiles with "
                 "`WebAssembly.instantiate`; left unset, the glue streams the file `locateFile` names")] \
            if self.glue_option is not None else []

    @property
    def fetched(self) -> str:
        return f"fetch('{self.source}')" if self.source else "fetch(…)"

    def known_size(self, ctx) -> int | None:
        """The module's size: embedded here, or a project `.wasm` named by the source literal."""
        if self.module_size is not None:
            return self.module_size
        if not self.source or ctx.project is None:
            return None
        base = self.source.split("?", 1)[0].rsplit("/", 1)[-1]
        if not base.endswith(".wasm"):
            return None
        for m in ctx.project.of_kind("wasm-module"):
            if m.span.path.rsplit("/", 1)[-1] == base and not getattr(m, "embedded_in", None):
                return m.size
        return None


@dataclass
class JsWorker(JsFact):
    """A Worker or worker pool construction."""

    kind: ClassVar[str] = "js-worker"

    def graph_refs(self) -> list:
        from ..graph import Ref
        return [Ref("spawns", self.script, self.span)] if self.script else []

    api: str = ""                     # worker_threads | web | piscina | workerpool
    script: str | None = None
    options_known: bool = True
    exec_argv: list[str] = field(default_factory=list)
    env_node_options: str | None = None
    resource_limits: bool = False
    error_listener: bool | None = None   # None: the worker escapes; cannot tell
    onerror_at: Span | None = None       # `worker.onerror = …`: worker_threads never calls it
    returned_as: str | None = None       # returned by the module's export of this name (error_listeners.py)
    unheard_at: Span | None = None       # an `await` before the worker is handed on, with no listener yet
    handed_to: list = field(default_factory=list)   # [spec, name, index]: the imported functions it is passed to
    fallback_for: str | None = None       # built only where this built-in is missing (polyfill_guard.py)
    in_loop: bool = False
    ended_each_pass: bool = False        # the loop ends each worker before its next pass
    loop_bounded_by_cores: bool = False
    loop_count: int | None = None
    pool_size: int | None = None
    pool_size_by_cores: bool = False
    # who decides the loop's count when it is not the cores or a constant (pool_size.py)
    size_imports: list = field(default_factory=list)   # [(spec, name, whole)] the bound is computed from
    size_param: int | None = None        # the bound is this parameter (no default) of its function
    size_function: str | None = None
    size_export: str | None = None       # the module exports that function under this name
    size_calls: list = field(default_factory=list)     # its calls in the file: what each passes
    size_default: dict | None = None     # `options.size ?? 1`: what a call leaving the key out gets
    limit_keys: list[str] = field(default_factory=list)     # what `resourceLimits: {…}` sets
    runs_code: Span | None = internal()  # the function of this file a Blob worker runs (inline_worker.py)
    exec_argv_span: Span | None = internal()
    exec_argv_items: list = internal(default_factory=list)   # [(flag, source text)]
    exec_argv_pair: Span | None = internal()                 # `execArgv: […]`
    exec_argv_pair_drop: Span | None = internal()            # that pair with one separator
    limits_at: Span | None = internal()                      # where a key goes in `resourceLimits: {…}`
    limits_empty: bool = internal(False)
    env_span: Span | None = internal()

    @property
    def node(self) -> bool:
        return self.api in ("worker_threads", "piscina", "workerpool")

    @property
    def api_label(self) -> str:
        return {"worker_threads": "worker_threads Worker", "piscina": "Piscina pool",
                "workerpool": "workerpool pool", "web": "Worker"}.get(self.api, self.api)

    def rejected_where(self, ctx) -> str:
        places = []
        if versions.worker_rejects(ctx, self.exec_argv, self.span.path):
            places.append("`execArgv`")
        if versions.worker_rejects(ctx, (self.env_node_options or "").split(), self.span.path):
            places.append("`env.NODE_OPTIONS`")
        return " and ".join(places)

    def rejected_flags(self, ctx) -> list[str]:
        return versions.worker_rejects(ctx, self.exec_argv, self.span.path) + versions.worker_rejects(
            ctx, (self.env_node_options or "").split(), self.span.path)

    def node_major(self, ctx) -> int:
        return versions.node_major(ctx, self.span.path)

    def never_on_node(self, ctx) -> bool:
        """Built only as the fallback of a built-in that the configured node has."""
        from .polyfill_guard import NODE_BUILTINS
        return self.fallback_for is not None and self.node_major(ctx) >= NODE_BUILTINS[self.fallback_for]

    def rejected_advice(self, ctx) -> str:
        from .worker_fix import advice
        return advice(self, ctx)

    def fix_worker_flags(self, ctx):
        from .worker_fix import fix_worker_flags
        return fix_worker_flags(self, ctx)

    def worker_excesses(self, ctx) -> list[dict]:
        """Why this worker count can exceed the cores (WL303): ``{"why", "span", "related"}``."""
        from .pool_size import worker_excesses
        tail = ": more workers than cores slow every worker down, and each instantiates its own WebAssembly memory"
        return [dict(x, why=x["why"] + tail) for x in worker_excesses(self, ctx)]

    def error_gap(self, ctx) -> str | None:
        """What is missing for errors of this worker_threads Worker (WL304), else None."""
        if self.api != "worker_threads" or self.error_listener:
            return None
        if self.onerror_at is not None or self._onerror_spans(ctx):
            return ("gets only `onerror = …`, which worker_threads never calls (its Worker is an "
                    f"EventEmitter): {_WORKER_ERROR_EXITS}; listen with `worker.on('error', …)`")
        if self.unheard_at is not None:
            return (f"has no 'error' listener while its function awaits (line {self.unheard_at.line}) before "
                    f"handing it on: {_WORKER_ERROR_EXITS}, whatever the receiver attaches later")
        if found := (self.unheard_by(ctx) if self.error_listener is None else []):
            names = " and ".join(f"`{name}`" for name, _s in found)
            return (f"has no 'error' listener: it is handed only to {names}, which "
                    f"{'adds' if len(found) == 1 else 'add'} none: {_WORKER_ERROR_EXITS}")
        return f"has no 'error' listener: {_WORKER_ERROR_EXITS}" if self.error_listener is False else None

    def unheard_by(self, ctx) -> list:
        """``[(name, span)]`` of the imported functions this worker is handed to, when every
        one of them only calls its methods and none listens for ``error`` (crossfile.py)."""
        from .crossfile import worker_handlers
        found = worker_handlers(ctx, self.span.path, self.handed_to) if self.handed_to else []
        if len(found) != len(self.handed_to) or any(how != "other" for _n, _s, how in found):
            return []
        return [(name, span) for name, span, _how in found]

    def error_related(self, ctx) -> list:
        """The ignored ``onerror`` assignments (here, or where an importer gets this worker),
        or the imported functions it is handed to that add no ``error`` listener."""
        spans = [self.onerror_at] if self.onerror_at is not None else []
        spans += self._onerror_spans(ctx)
        if spans:
            return [(s, "`onerror` is assigned here; worker_threads never calls it") for s in spans]
        return [(s, f"`{name}` gets the worker here and adds no 'error' listener")
                for name, s in (self.unheard_by(ctx) if self.error_listener is None else [])]

    def _onerror_spans(self, ctx) -> list:
        from .crossfile import onerror_assignments
        if self.error_listener is None and self.returned_as:
            return onerror_assignments(ctx, self.span.path, self.returned_as)
        return []


_WORKER_ERROR_EXITS = ("an uncaught error in the worker, or ERR_WORKER_OUT_OF_MEMORY, takes the whole "
                       "process down")


def repr_js(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
