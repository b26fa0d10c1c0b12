"""What every memory-declaring fact shares (binary memories, JS
``WebAssembly.Memory``, emcc and wasm-ld settings): sizes in bytes, growth,
and the planned size of the memory formula (rules-catalog.md)."""
from __future__ import annotations

PAGE = 65536
WASM32_MAX_PAGES = 65536
WASM64_MAX_PAGES = 262144


class MemoryLike:
    """Mixin. Subclasses provide ``initial_pages``, ``maximum_pages`` (None: no
    maximum), ``shared`` and ``memory64``; may override ``growth_reason``."""

    initial_pages: int | None
    maximum_pages: int | None
    shared: bool
    memory64: bool
    feature_test = False    # a memory made only to test what the engine supports: nothing deploys it
    imported = False        # a module's memory import: limits it accepts, not a memory it creates
    sized_after = None      # the memory whose size this one copies (a shadow): that one decides the size
    caller_memory = False   # glue's fallback, never made: every caller passes its own (js.module_options)
    never_grown = False     # nothing grows it (a binary's memory: memory_growth)

    def missing_features(self, ctx) -> list[dict]:
        """Targets that cannot run this memory: memory64, threads (WL603)."""
        from .platform_checks import missing_features
        return missing_features(self, ctx)

    def memory_importers(self, ctx) -> list:
        """``(span, message)`` of the module imports this memory is passed to (``link``)."""
        return []

    @property
    def page_bytes(self) -> int:
        return getattr(self, "page_size", None) or PAGE

    @property
    def initial_bytes(self) -> int | None:
        return None if self.initial_pages is None else self.initial_pages * self.page_bytes

    @property
    def maximum_bytes(self) -> int | None:
        return None if self.maximum_pages is None else self.maximum_pages * self.page_bytes

    @property
    def maximum_declared(self) -> bool:
        """A maximum is declared (a JS source may know that, but not its value)."""
        return self.maximum_pages is not None

    @property
    def growable(self) -> bool:
        if self.initial_pages is None:
            return False
        return self.maximum_pages is None or self.maximum_pages > self.initial_pages

    @property
    def growth_reason(self) -> str:
        if self.maximum_pages is None:
            return "it declares no maximum"
        return f"its maximum ({self.maximum_pages} pages) is above its initial size ({self.initial_pages} pages)"

    @property
    def unbounded_shared_effect(self) -> str:
        """What a shared memory without a maximum does (WL105; measured on node 20, 22, 24, 26)."""
        if self.feature_test:
            return ("`new WebAssembly.Memory` throws a TypeError for it on every engine, so this feature test "
                    "always answers that shared memory (threads) is unavailable; declare a `maximum`")
        return "every engine rejects it"

    @property
    def engine_cap_pages(self) -> int:
        return WASM64_MAX_PAGES if self.memory64 else WASM32_MAX_PAGES

    @property
    def growth_span(self):
        """Where growth is set (rules report there); a build fact points at its flag."""
        return self.span  # type: ignore[attr-defined]

    @property
    def initial_span(self):
        return self.span  # type: ignore[attr-defined]

    @property
    def maximum_span(self):
        return self.span  # type: ignore[attr-defined]

    def planned_bytes(self, ctx) -> int | None:
        return ctx.config.planned_bytes(self.span.path)  # type: ignore[attr-defined]

    def pin_pages(self, ctx) -> int | None:
        """The size to pin a growable memory at: the plan, else its initial size."""
        planned = self.planned_bytes(ctx)
        if planned is not None:
            return planned // PAGE
        return self.initial_pages
