"""Per-occurrence facts of emcc ``-s`` settings (``emcc-setting``) and where each
was written (``SettingUse``: the token(s), for spans and fixes)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from ..lazy import cached_property
from typing import Any, ClassVar

from ..diagnostics import Proposal
from ..facts import Fact, Span, internal
from ..memory import PAGE
from . import emcc_settings as es
from .edits import remove_args, remove_many, replace_args, replace_part
from .emver import parse_version, rejects, version_label
from .pstr import UNKNOWN, Tok
from .response_files import Reader

PAGE_CHECKED = ("INITIAL_MEMORY", "MAXIMUM_MEMORY", "INITIAL_HEAP", "MEMORY_GROWTH_LINEAR_STEP")


@dataclass
class SettingUse:
    parsed: es.Parsed
    tok: Tok                  # the token holding NAME[=VALUE] (with -s when joined)
    at: int                   # where NAME starts in tok
    s_tok: Tok | None = None  # a separate `-s`

    @property
    def toks(self) -> list[Tok]:
        return [self.s_tok, self.tok] if self.s_tok is not None else [self.tok]

    @cached_property
    def span(self) -> Span:
        """Once per use: the setting's fact and the flag sets of the link both ask."""
        last = self.tok.span()
        first = (self.s_tok.span() if self.s_tok is not None else None) or last
        last = last or first
        if first is None:
            return Span(self.tok.index.path)
        if self.s_tok is None or (last.line, last.column) < (first.line, first.column) \
                or last.path != first.path:
            return last
        return Span(first.path, first.line, first.column, last.end_line, last.end_column)


@dataclass
class EmccSetting(Fact):
    """One ``-s`` occurrence in one link invocation (deprecated spellings, invalid
    values, page multiples and names emcc does not know are checked here)."""

    kind: ClassVar[str] = "emcc-setting"
    name: str | None = None          # canonical; None when this `-s` is not a setting
    spelling: str = ""               # as written (TOTAL_MEMORY, NO_EXIT_RUNTIME, allow_memory_growth)
    raw: str = ""
    value: Any = None
    error: str | None = None
    problem: str | None = None       # invalid-value | unknown-setting | not-a-setting
    deprecated: str | None = None    # why the spelling is deprecated
    variant: str | None = None
    memory64: bool = internal(False)
    pthread_written: bool = internal(False)   # the same link passes -pthread already
    overridden: bool = internal(False)        # a later use of the same setting in the link wins
    earlier: list = internal(default_factory=list)   # SettingUses of the same setting before this one
    use: SettingUse | None = internal()
    link: Span | None = internal(None)            # the command line of the link it is in
    also_links: list = internal(default_factory=list)   # other links passing it here (a shared flags variable)
    own_version: str | None = internal(None)      # the release this link's own script pins
    build_versions: list = internal(default_factory=list)   # the project's build environments (emenv)
    base_image: str | None = internal(None)       # a Dockerfile link's FROM image, when not an emsdk one (emenv)

    @property
    def replacement(self) -> str | None:
        """The current spelling for a renamed setting (or `-pthread` for USE_PTHREADS=1)."""
        if self.name is None:
            return None
        if self.error:     # a setting emcc dropped later: the build's release still warns
            then = self.deprecated_in_build
            return es.named_setting(then) if then else None
        if self.spelling == self.name:
            return None
        legacy = es.data()["legacy"].get(self.spelling)
        if self.spelling == "USE_PTHREADS":     # a setting like any before it became legacy (3.1.34)
            since = legacy.get("removed-in") if legacy else None
            return "-pthread" if self.value == 1 and not self.builds_before(since) else None
        if not legacy or "renamed-to" not in legacy or self.builds_before(legacy.get("renamed-to-since")):
            return None     # every build runs a release that has no new name yet
        return self.name

    def builds_before(self, release: str | None) -> bool:
        """Every build of this link runs a known release older than ``release``."""
        cut = parse_version(release)
        versions = [version_label(self.own_version)] if self.own_version else self.build_versions
        return cut is not None and bool(versions) and all(parse_version(v) and not rejects(v, cut) for v in versions)

    @property
    def removed_in(self) -> str | None:
        """The release from which emcc rejects this legacy setting's value (None: any release)."""
        legacy = es.data()["legacy"].get(self.spelling) if self.problem == "invalid-value" else None
        return legacy.get("removed-in") if legacy and "allowed" in legacy else None

    @property
    def accepted_by_build(self) -> bool:
        """(WL511) a setting emcc dropped without a legacy entry (``removed`` in the settings
        data: the Emterpreter's ``EMTERPRETIFY`` from 1.39.17) that every build of this link
        runs a release before that one with: it was a setting there."""
        if self.problem != "unknown-setting":
            return False
        dropped = es.data().get("removed", {}).get(self.spelling.split("=")[0])
        return dropped is not None and self.builds_before(dropped)

    @property
    def rejected_by_build(self) -> bool:
        """emcc rejects the value in the release the build runs with: the link's own pinned
        release, else one of the project's build environments; with no evidence, the newest."""
        cut = parse_version(self.removed_in)
        versions = [version_label(self.own_version)] if self.own_version else self.build_versions
        return cut is None or not versions or any(rejects(v, cut) for v in versions)

    @property
    def deprecated_in_build(self) -> str | None:
        """emcc's deprecation warning for a legacy setting it rejects only from
        ``removed-in`` on, when every build runs a release that warned instead
        (``deprecated-since`` ≤ release < ``removed-in``)."""
        legacy = es.data()["legacy"].get(self.spelling) if self.problem == "invalid-value" else None
        since = parse_version(legacy.get("deprecated-since")) if legacy else None
        versions = [version_label(self.own_version)] if self.own_version else self.build_versions
        if since is None or not versions or self.rejected_by_build or not all(rejects(v, since) for v in versions):
            return None
        return legacy["deprecated-message"].strip()

    @property
    def setting_label(self) -> str:
        return f"`{self.spelling}`"

    @property
    def address_limit(self) -> int | None:
        if self.name not in ("INITIAL_MEMORY", "MAXIMUM_MEMORY") or not isinstance(self.value, int):
            return None
        return (16 << 30) if self.memory64 else (4 << 30)

    @property
    def page_checked(self) -> bool:
        return self.name in PAGE_CHECKED and isinstance(self.value, int) and self.value != -1

    @property
    def page_remainder(self) -> int | None:
        return self.value % PAGE if self.page_checked else None

    @property
    def fix_rename(self) -> list:
        if self.use is None or self.replacement is None or self.error:
            return []       # a setting dropped later is merged into its successor, not renamed
        # a rename never writes a setting twice in one link: emcc applies the last one
        if self.spelling == "USE_PTHREADS" and self.pthread_written:
            return Proposal("Remove it: the link passes `-pthread` already", tuple(remove_args(self.use.toks)))
        if self.overridden:
            return Proposal(f"Remove it: a later `{self.name}` in this link sets the value emcc uses",
                            tuple(remove_args(self.use.toks)))
        if self.spelling == "USE_PTHREADS":
            return replace_args(self.use.toks, "-pthread")
        rename = replace_part(self.use.tok, self.use.at, self.use.at + len(self.spelling), self.name)
        gone = remove_many([u.toks for u in self.earlier]) if self.earlier and rename else None
        if gone:
            return Proposal(f"Rename to {self.name} and remove the earlier `{self.name}` it overrides",
                            tuple(rename + gone))
        return rename

    @property
    def fix_remove(self) -> list:
        return remove_args(self.use.toks) if self.use is not None else []

    @property
    def problem_message(self) -> str:
        if self.problem == "not-a-setting":
            if self.spelling.startswith("-"):
                return (f"`-s` followed by `{self.spelling}` is the linker's `-s` (--strip-all), "
                        "not an Emscripten setting")
            key = self.spelling.split("=")[0]
            close = [c for c in es.suggestions(key) if c == key.upper()]
            hint = f"; did you mean `-s{self.spelling.replace(key, close[0], 1)}`?" if close else ""
            return (f"`-s{self.spelling}` is not an Emscripten setting (settings are upper-case names): "
                    f"emcc passes it on unchanged{hint}")
        return f"emcc rejects `-s{self.spelling}={self.raw}`: {self.error}" if self.problem == "invalid-value" \
            else f"emcc rejects `-s{self.spelling}`: {self.error}"


def parse_use(text: str, tok: Tok | None = None, read: Reader | None = None) -> es.Parsed | None:
    """The setting of ``-sTEXT`` (``tok`` holds it; ``read`` reads ``@file`` values), or None."""
    if text.startswith(UNKNOWN):
        return es.Parsed(text, text, "", unknown_value=True)
    parsed = es.parse_setting(text)
    if parsed is None or read is None or tok is None or not isinstance(parsed.value, dict):
        return parsed
    # `-sNAME=@file`: emcc takes the value from the file (timidity's
    # `EXTRA_EXPORTED_RUNTIME_METHODS=@tools/exports-runtime.json`), then checks it as written inline
    at = tok.value.find("=@")
    got = read(tok.sub(at + 1)) if at >= 0 else None
    if not isinstance(got, list):
        return parsed
    again = es.parse_setting(f"{parsed.spelling}={' '.join(t.value for t in got)}")
    return parsed if again is None else replace(again, raw=parsed.raw)
