"""The debugging an emcc link keeps (WL503): its runtime checks, its DWARF and its -O0,
and whether the project made it to debug. A part of ``emcc.EmccInvocation``."""
from __future__ import annotations

from ..facts import Span
from .debug_build import keeps_dwarf, ships_source_mapped, shipped


class DebugSettings:
    """What ``EmccInvocation`` keeps for debugging; it supplies ``settings``, ``debug_flags``,
    ``release``, ``opt_level``, ``default_o0``, ``side_module``, ``build_type`` and ``_last``."""

    def ships_source_mapped(self, ctx) -> bool:
        """(WL503) The project's one link, kept from ``release`` by its source map alone, and
        shipped: ``debug_build.ships_source_mapped``."""
        return ships_source_mapped(self, ctx)

    def unshipped_default_o0(self, ctx) -> bool:
        """(WL503) A link left at emcc's default -O0 whose outputs the project neither publishes
        nor serves: a CI check build, a smoke test or a vendored library's makefile, not the
        build that ships (wabt's CI `emcmake cmake -B emscripten`, dosbox-x's vendored libpng
        makefiles). A link that the Makefile's goal for the web platform makes (``make wasm``:
        ``platform_goal``) is the project's web build, what its users build and deploy. So is
        the project's only emcc link (``only_link``) in a file of its own (not a test's, an
        example's or a vendored copy's): no other link builds the module the project is for
        (repaq3's root build.sh, which links the one repaq.mjs it is ported for)."""
        return self.default_o0 and not self.platform_goal and not shipped(self, ctx) \
            and not self._only_own_link(ctx)

    def _only_own_link(self, ctx) -> bool:
        project = ctx.project
        return self.only_link and hasattr(project, "scopes") and \
            project.scopes(ctx.config).of_path(self.span.path).scope in ("production", "unknown")

    def debug_variant(self, ctx) -> bool:
        """A link the project's scopes call a debug variant: flagged to debug, its outputs
        neither published nor served while another link's are (``scopes.assign``)."""
        project = ctx.project
        return hasattr(project, "scopes") and (self.span.path, self.span) in project.scopes(ctx.config).variants

    def debug_stripped(self, ctx) -> bool:
        """(WL503, as a Cargo profile's) a link's DWARF left in a side file is already not
        counted (``dwarf_flags``): nothing later strips it."""
        return False

    @property
    def dwarf_flags(self) -> list[str]:
        """The -g flags that leave DWARF in the shipped module (none with -gseparate-dwarf, nor
        when the Makefile strips a module it derives from the link's: ``make_strip``)."""
        if any(f.startswith("-gseparate-dwarf") for f in self.debug_flags) or self.stripped_into:
            return []
        return [f for f in self.debug_flags if keeps_dwarf(f)]

    @property
    def _debug_checks(self) -> tuple[str, ...]:
        """The settings that add runtime checks. ``ASSERTIONS`` checks in the JavaScript glue
        and picks the debug builds of the system libraries; a ``SIDE_MODULE`` has neither (the
        main module brings both), so there it adds nothing."""
        return ("SAFE_HEAP", "STACK_OVERFLOW_CHECK") if self.side_module else \
            ("ASSERTIONS", "SAFE_HEAP", "STACK_OVERFLOW_CHECK")

    @property
    def debug_settings(self) -> list[str]:
        out = [f"{n}={self.settings[n]}" for n in self._debug_checks
               if isinstance(self.settings.get(n), int) and self.settings[n] and
               (n != "STACK_OVERFLOW_CHECK" or self.settings[n] >= 2)]
        out += dict.fromkeys(self.dwarf_flags)      # one flag set passed twice (CFLAGS and CXXFLAGS) says it once
        if self.opt_level == "-O0" and self.release:
            out.append("-O0")
        elif self.default_o0 and self.release:
            out.append("-O0 (no `-O` flag: emcc's default)")
        return out

    @property
    def debug_span(self) -> Span:
        """The setting that adds the checks; else the configure line whose build type brings
        the flags; else, for a Makefile link left at the default -O0, its recipe line: the
        link's span starts where its command word is set (``EMCC ?= emcc``), which links share."""
        for n in self._debug_checks:
            u = self._last(n)
            if u is not None and u.parsed.value:
                return u.span
        if self.build_type_span is None and self.default_o0 and self.recipe_span is not None:
            return self.recipe_span
        return self.build_type_span or self.span

    @property
    def debug_origin(self) -> str:
        """Where the link's -g comes from when the configure line's build type brings it."""
        if self.build_type_span is None:
            return ""
        return (f" (CMake passes the flags of `CMAKE_BUILD_TYPE={self.build_type}`, set by the configure "
                "line, to the link)")
