"""One finding per root cause (pipeline stage 5, after suppression).

One cause is often found at several places: the emcc line that turns memory
growth on, the binary it writes, the same module embedded in a SINGLE_FILE
build, a copy under ``docs/``, the glue. Findings of one rule (and target) are
grouped by what decides them, and each group is reported once, the other
places as related locations:

* copies: the same finding at the same place of identical content — the same
  module bytes (a binary, its copies, modules embedded in JS: compared by
  SHA-256), or the same text (files rendered from one template: identical up to
  line endings and trailing whitespace, for files up to 1 MiB); the same place
  found through several build variants is one too, and so is one link line's
  finding at the text each branch of an ``if``/``case`` gives it (reported at a
  branch not named for tests, fixed at every branch's text);
* bundled: a finding in a file a bundler config writes (rollup's ``output.file``,
  esbuild's ``outfile``: ``wasmlint.js.bundles``) and the same finding in a
  module its entry reaches are one, reported at the module;
* decided by a build: a finding on a build fact (an emcc link) takes in the
  findings of the same rule on what that build writes (the graph's ``builds``
  edges): its binary, the module embedded in its output, its generated glue,
  and every copy of that module in the project. Links whose finding sits on the
  same text (one flag variable used by several links) are one finding;
* no build in the project: generated glue goes with the module it loads or
  embeds; a Rust build in cargo's dev profile goes with the same rule's finding
  on a release build of its crate (rootcause_debug.py);
* targets: one rule's finding on one fact at one place, judged against several
  targets (a memory above the ios, android and desktop budgets), is reported
  once, for the strictest target, saying which other targets it holds for.

A group is reported at a build line when it has one, else at its best copy: a
binary before text, text before an embedded module, an embedded module before
glue; then the base build before variants, the shallowest path, the first.

Suppressions apply where a finding is reported (as ruff's ``noqa`` and
hadolint's ignores do): a group goes when all its build lines are suppressed —
or, without a build line, all its copies; a suppressed place is left out of
the related locations. ``--fix`` applies the reported finding's fix (the build
line's); copies of a text file are one finding whose fix edits each copy.
Baselines and fingerprints see only the reported finding.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, replace

from .config import BUILTIN_TARGETS
from .diagnostics import Deferred, Diagnostic, Related
from .rootcause_debug import debug_with_release
from .scopes import QUIET

NORMALISED_TEXT_MAX = 1 << 20
BUILD_KINDS = frozenset(("emcc-invocation",))    # emcc links, whose findings sit on their flags
BINARY, TEXT, EMBEDDED, GLUE = range(4)     # where a group is best reported, best first
_RELATIONS = {BINARY: ("the module this build writes", "an identical copy of the module"),
              EMBEDDED: ("the module this build embeds", "the same module, embedded"),
              GLUE: ("the glue this build writes", "the glue of this module")}


def content_key(data: bytes) -> str | None:
    """A text file's identity up to line endings, a BOM and trailing whitespace
    (positions of findings are unchanged by these); None above 1 MiB."""
    if len(data) > NORMALISED_TEXT_MAX:
        return None
    body = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    lines = [line.rstrip() for line in body.split(b"\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "text:" + hashlib.sha256(b"\n".join(lines)).hexdigest()


@dataclass
class _Item:
    diag: Diagnostic
    kept: bool                 # not suppressed
    copy: tuple                # same value: the same finding at the same place of identical content
    where: int                 # BINARY | TEXT | EMBEDDED | GLUE
    decider: bool              # found on a build fact that writes what it is about
    subjects: frozenset        # the modules and files it is about
    bundled_by: str | None = None   # the bundler config that writes its file from sources
    builds: dict | None = None      # id(fact) -> _build_rank, shared by the items of one run
    rank: tuple | None = None       # ``preference``, worked out once

    @property
    def said(self) -> str:
        """Its message without its variant and its file's folder (``_message``)."""
        return self.copy[2]

    def preference(self) -> tuple:
        if self.rank is not None:
            return self.rank
        d = self.diag
        debug, quiet, conditions = _build_rank(d, self.builds)
        # a place in the project's tests, benches, examples, fixtures or docs is the last choice,
        # dev tooling the one before; a bundle comes after the source it is built from
        # and a build made to debug (`wasm-pack build --dev`, a `debug` variant) after the release one
        self.rank = (d.scope in QUIET, d.scope == "tooling", not self.decider, self.bundled_by is not None,
                     debug, quiet, self.where, conditions, d.span.path.count("/"), _target_rank(d.target),
                     d.sort_key())
        return self.rank


def _build_rank(d: Diagnostic, memo: dict | None) -> tuple:
    """(made to debug, a quiet variant, the variant's conditions) of the finding's build: one
    value per fact, whose findings (a link's three rules, each target) share it."""
    fact = d.fact
    key = id(fact)
    known = memo.get(key) if memo is not None and fact is not None else None
    if known is None:
        variant = d.variant
        conditions = (0, 0) if not variant else (variant.count(",") + 1, len(variant))
        known = (_debug_build(fact), _quiet_build(d), conditions)
        if memo is not None and fact is not None:
            memo[key] = known
    return known


class _Facts:
    """What the project says about a finding's place: module identities, build outputs."""

    def __init__(self, project, contents: dict[str, str]):
        self.project, self.contents = project, contents
        self.embedded = {f.virtual_path: f.digest for f in project.of_kind("wasm-module") if f.virtual_path}
        self.builds: dict = {}      # _build_rank of each fact
        self.subjects: dict[int, frozenset] = {}     # _built of each fact

    def module(self, ref: str) -> str | None:
        """``module:<sha256>`` of a binary (display path) or an embedded module (virtual path)."""
        digest = self.embedded.get(ref) if "#" in ref else self.contents.get(ref)
        return f"module:{digest}" if digest else None

    def modules_at(self, path: str) -> set[str]:
        return {m for m in map(self.module, self.project.modules_at(path)) if m}

    def _built(self, fact) -> frozenset:
        """What a build fact writes and the modules in it (empty: not a build here), once per
        fact: each of a link's findings asks."""
        known = self.subjects.get(id(fact))
        if known is None:
            known = frozenset(s for out in self.project.built_by(fact) for s in (f"file:{out}", *self.modules_at(out)))
            self.subjects[id(fact)] = known
        return known

    def item(self, d: Diagnostic, kept: bool) -> _Item:
        fact, path = d.fact, d.span.path.split("#", 1)[0]
        where, subjects, decider = TEXT, set(), False
        vpath = getattr(fact, "virtual_path", None)
        module = (self.module(vpath) if vpath and fact.span.path == path
                  else self.module(path) if self.project.files.get(path) == "wasm" else None)
        built = self._built(fact) if fact is not None else None
        if built:
            decider, subjects = True, built
        elif module:
            where, subjects = (EMBEDDED if vpath else BINARY), {module}
        elif getattr(fact, "generator", None) and fact.span.path == path:
            where, subjects = GLUE, {f"file:{path}", *self.modules_at(path)}
        if module:
            place: tuple = (module, d.span.offset, d.span.end_offset)
        elif path in self.contents:
            s = d.span
            place = (self.contents[path], s.line, s.column, s.end_line, s.end_column)
        else:
            place = (d.span,)
        return _Item(d, kept, (d.code, d.target, _message(d, path), place), where, decider, frozenset(subjects),
                     builds=self.builds)


def _message(d: Diagnostic, path: str) -> str:
    """The message without its build variant and without the file's own folder."""
    msg = d.message.replace(f" ({d.variant})", "", 1) if d.variant else d.message
    folder = posixpath.dirname(path)
    return msg.replace(folder + "/", "") if folder else msg


class _Groups:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def union_by(self, indexes, key) -> None:
        first: dict = {}
        for i in indexes:
            k = key(i)
            if k is not None:
                self.union(first.setdefault(k, i), i)

    def members(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out


def one_per_root_cause(found: list[Diagnostic], kept: list[Diagnostic], project,
                       contents: dict[str, str], refines: dict[str, str] | None = None) -> list[Diagnostic]:
    """``kept`` (what suppression left of ``found``, plus findings made after it)
    grouped by root cause: one diagnostic per group. ``contents`` maps display
    paths to content identities (binaries: their SHA-256; text: ``content_key``).
    ``refines``: rule code → the code of the rule it sharpens (a rule's ``refines`` key)."""
    facts = _Facts(project, contents)
    alive = {id(d) for d in kept}
    seen = {id(d) for d in found}
    items = [facts.item(d, id(d) in alive) for d in found] + [facts.item(d, True) for d in kept if id(d) not in seen]
    groups = _Groups(len(items))
    everyone = range(len(items))
    groups.union_by(everyone, lambda i: items[i].copy)
    groups.union_by(everyone, _same_setting(items))
    groups.union_by(everyone, lambda i: _same_crate(items[i].diag))
    debug_with_release(items, groups, _debug_build)
    groups.union_by(everyone, lambda i: _across_targets(items[i].diag))
    groups.union_by(everyone, lambda i: _one_of_branches(items[i].diag))
    groups.union_by(everyone, lambda i: _same_line_said(items[i].diag))
    groups.union_by(everyone, lambda i: _in_variants(items[i].diag, items[i].said))
    _join_bundles(items, groups, project)
    _attach(items, groups, lambda members: any(items[i].decider for i in members))
    _attach(items, groups, lambda members: any(items[i].where != GLUE for i in members),
            only=lambda members: all(items[i].where == GLUE for i in members))
    out = []
    for members in groups.members().values():
        d = _report(items, members)
        if d is not None:
            out.append(d)
    return _fold_refined(out, refines or {})


def _fold_refined(out: list[Diagnostic], refines: dict[str, str]) -> list[Diagnostic]:
    """A finding of a rule that refines another on the same fact is that finding made
    sharper: one cause (WL103, a maximum above a target's budget, on a memory that WL101
    finds growable: the growth setting is the cause of both). It is reported once, as
    the sharper finding, with the other's places as related locations, and the other's
    fix when it has none with edits of its own (pinning the memory ends both)."""
    wanted = set(refines.values())
    base = {(d.code, id(d.fact)): d for d in out if d.code in wanted and d.fact is not None}
    if not base:
        return out
    folded: set[int] = set()
    result = []
    for d in out:
        other = base.get((refines.get(d.code), id(d.fact))) if d.fact is not None else None
        if other is None or id(other) in folded:
            result.append(d)
            continue
        folded.add(id(other))
        result.append(_taken_in(d, other))
    return [d for d in result if id(d) not in folded]


def _taken_in(d: Diagnostic, other: Diagnostic) -> Diagnostic:
    related, seen = list(d.related), {d.span, *(r.span for r in d.related)}
    for span, message in [(other.span, f"{other.message} [{other.code}]"), *((r.span, r.message) for r in other.related)]:
        if span not in seen:
            seen.add(span)
            related.append(Related(span, message))
    at = tuple(dict.fromkeys((*d.also_at, *(s for s in (other.span, *other.also_at) if s != d.span))))
    return d.replaced(related=related, also_at=at, fix=Deferred(
        lambda: d.fix if d.fix is not None and d.fix.edits else (other.fix or d.fix)))


def _join_bundles(items: list[_Item], groups: _Groups, project) -> None:
    """A finding in a bundle (rollup/esbuild output) joins the same finding (rule, target,
    message) in a module its entry reaches: the bundle holds that module's code."""
    built = []      # (config, what it writes, the modules it holds)
    for b in project.of_kind("bundle"):
        entries, outputs = b.resolved(project.files)
        modules = set()
        for entry in entries:
            if entry in project.files:
                modules |= {entry, *project.graph.reachable(entry)}
        built.append((b, outputs, modules))
    if not built:
        return

    def writers(path: str) -> list:
        path = path.split("#", 1)[0]
        return [(b, mods) for b, outs, mods in built
                if any(path == o or o.endswith("/") and path.startswith(o) for o in outs)]

    sources: dict[tuple, list[int]] = {}
    for i, m in enumerate(items):
        d = m.diag
        bundles = writers(d.span.path)
        if bundles:
            m.bundled_by = f"{bundles[0][0].span.path}:{bundles[0][0].span.line}"
        else:
            sources.setdefault((d.code, d.target, d.message), []).append(i)
    for i, m in enumerate(items):
        if m.bundled_by is None:
            continue
        d = m.diag
        modules = set().union(*(mods for _b, mods in writers(d.span.path)))
        source = next((j for j in sources.get((d.code, d.target, d.message), ())
                       if items[j].diag.span.path.split("#", 1)[0] in modules), None)
        if source is not None:
            groups.union(source, i)


def _same_setting(items: list[_Item]):
    """Key of a build finding by the text it sits on: the n-th finding of a rule at one
    place of one link is the n-th finding there of every link that shares that text
    (a CMake function called for each of 14 tools, one flag variable of many recipes),
    also when what the links write is not in the tree."""
    nth: dict[tuple, int] = {}
    keys = []
    for m in items:
        d = m.diag
        if not m.decider and getattr(d.fact, "kind", None) not in BUILD_KINDS:
            keys.append(None)
            continue
        place = (d.code, d.target, d.span)
        n = nth[(id(d.fact), *place)] = nth.get((id(d.fact), *place), -1) + 1
        keys.append((*place, n))
    return keys.__getitem__


def _same_line_said(d: Diagnostic):
    """Key of a build finding by its line and words: a link read twice, at two columns of one
    line (a recipe of ``make/wasm.mk`` read alone and again through the Makefile that includes
    it), says the same thing twice; one cause."""
    if getattr(d.fact, "kind", None) not in ("emcc-invocation", "rust-link"):
        return None
    return "line", d.code, d.target, d.message, d.span.path, d.span.line


def _one_of_branches(d: Diagnostic):
    """Key of a finding on flags one branch of an if/else sets when the same finding is
    on another branch's: one of the two builds runs, one cause (penpot's ``EMCC_CFLAGS``
    for ``BUILD_MODE=release`` and for debug, both above a budget by the heap they share)."""
    fact = d.fact
    if getattr(fact, "kind", None) != "emcc-invocation" or fact.release_branch is None:
        return None
    return "branches", d.code, d.target, d.message, fact.span.path, fact.release_branch


def _in_variants(d: Diagnostic, said: str | None = None):
    """Key of a finding on one link line in several variants of its script, at the text each
    variant gives it (libsodium's ``-s TOTAL_MEMORY`` set in each branch of ``if [ "$BUILD_TYPE"
    = … ]``): one of the branches runs, one cause, fixed at each branch's text."""
    fact = d.fact
    kind = getattr(fact, "kind", None)
    link = fact.span if kind == "emcc-invocation" else getattr(fact, "link", None) if kind == "emcc-setting" else None
    if link is None or not d.variant:
        return None
    return "variants", d.code, d.target, said if said is not None else _message(d, d.span.path.split("#", 1)[0]), link


def _quiet_build(d: Diagnostic) -> bool:
    """A build variant named for tests or benchmarks (``--tests``, ``BENCH=1``), or writing
    into a folder so named (``libsodium-js-tests/``): the last choice among a link's variants."""
    from .scopes.conventions import name_scope
    names = [n for n in (d.variant, getattr(d.fact, "output", None)) if isinstance(n, str)] if d.variant else []
    said = [name_scope(" ".join(re.findall(r"[A-Za-z0-9]+", n))) for n in names]
    return any(s is not None and s.scope in QUIET for s in said)


def _debug_build(fact) -> bool:
    """A link made to debug: a Rust build in cargo's dev profile (``wasm-pack build --dev``,
    ``cargo build`` without ``--release``), an emcc link whose variant, output or Makefile
    target or CMake build type is named for debugging, or flags set in the debug branch of an if/else beside
    a release branch."""
    kind = getattr(fact, "kind", None)
    if kind == "rust-link":
        build = getattr(fact, "build", None)
        return build is not None and build.profile_dir == "debug"
    if kind == "emcc-invocation":
        from .toolchain.debug_build import debug_named
        return fact.release_branch not in (None, fact.span.line) or any(
            debug_named(n) for n in fact.names)
    return False


def _same_crate(d: Diagnostic):
    """Builds of one crate whose finding says the same (``wasm-pack build`` for the web and
    for node, a dev build into another folder: no rustflags state the memory in any) have one
    cause, the crate's link configuration."""
    f = d.fact
    if getattr(f, "kind", None) != "rust-link" or getattr(f, "crate_folder", None) is None:
        return None
    return (d.code, d.target, _message(d, d.span.path.split("#", 1)[0]), "crate", f.crate_folder)


def _across_targets(d: Diagnostic):
    """One finding of a rule on one fact at one place, judged against several targets
    (a memory above the ios, android and desktop budgets), is one cause."""
    if d.target is None or d.fact is None:
        return None
    return (d.code, id(d.fact), d.span)


def _target_rank(target: str | None) -> tuple:
    """The strictest target first: built-in targets by budget, then the others by name."""
    budget = BUILTIN_TARGETS.get(target or "")
    return (budget is None, budget or 0, target or "")


def _also_on(d: Diagnostic, group: list[_Item]) -> Diagnostic:
    """The reported finding says which other targets it holds for at the same place."""
    others = sorted({m.diag.target for m in group if m.kept and m.diag.target and m.diag.target != d.target
                     and m.diag.span == d.span and m.diag.code == d.code}, key=_target_rank)
    if not others:
        return d
    names = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
    return d.replaced(message=f"{d.message}; the same holds for the {names} target{'s' if len(others) > 1 else ''}")


def _attach(items: list[_Item], groups: _Groups, owner, only=lambda members: True) -> None:
    """Join each group that is not an ``owner`` (and is ``only``) to the first owner
    group of the same rule and target that shares a subject with it."""
    owners: dict[tuple, list] = {}
    others = []
    for root, members in groups.members().items():
        subjects = frozenset().union(*(items[i].subjects for i in members))
        if not subjects:
            continue
        d = items[root].diag
        if owner(members):
            owners.setdefault((d.code, d.target), []).append((members, root, subjects))
        elif only(members):
            others.append(((d.code, d.target), root, subjects))
    # the owners of a rule are ranked by their best finding only where a group may join them
    for rule in {rule for rule, _, _ in others if rule in owners}:
        owners[rule] = sorted(((min(items[i].preference() for i in members), root, subjects)
                               for members, root, subjects in owners[rule]), key=lambda o: o[0])
    for rule, root, subjects in others:
        for _best, owner_root, owner_subjects in owners.get(rule, ()):
            if subjects & owner_subjects:
                groups.union(owner_root, root)
                break


def _report(items: list[_Item], members: list[int]) -> Diagnostic | None:
    group = [items[i] for i in members]
    candidates = [m for m in group if m.decider] or group
    alive = [m for m in candidates if m.kept]
    if not alive:
        return None
    rep = alive[0] if len(alive) == 1 else min(alive, key=_Item.preference)     # ranked only among several
    if len(group) == 1:
        return rep.diag
    d = _also_on(rep.diag, group)
    built = frozenset().union(*(m.subjects for m in group if m.decider and m.diag.span == d.span))
    related, at, seen = list(d.related), [], {d.span, *(r.span for r in d.related)}
    for m in sorted((m for m in group if m.kept), key=lambda m: m.diag.sort_key()):
        if m.diag.span in seen:
            continue
        seen.add(m.diag.span)
        at.append(m.diag.span)
        related.append(Related(m.diag.span, f"{m.diag.message} ({_relation(m, built, rep)})"))
    return d.replaced(related=related, also_at=tuple(at), fix=Deferred(lambda: _fix(rep, group)))


def _relation(m: _Item, built: frozenset, rep: _Item | None = None) -> str:
    """How a related place stands to the reported one."""
    if m.bundled_by is not None:
        return f"the same code, bundled by {m.bundled_by}"
    if _same_crate(m.diag) is not None:
        return f"another build of the crate in `{m.diag.fact.crate_folder or '.'}`"
    if rep is not None and _in_variants(m.diag, m.said) is not None and \
            _in_variants(m.diag, m.said) == _in_variants(rep.diag, rep.said):
        return f"the same finding in the build `{m.diag.variant}`"
    if _one_of_branches(m.diag) is not None:
        which = "release" if m.diag.fact.release_branch == m.diag.fact.span.line else "debug"
        return f"the same finding in the {which} branch of the if/else"
    if m.decider or m.where == TEXT:
        return "the same finding in an identical file"
    written = f"file:{m.diag.span.path.split('#', 1)[0]}" in built
    return _RELATIONS[m.where][0 if written else 1]


def _fix(rep: _Item, group: list[_Item]):
    """The reported finding's fix; for copies of a text file and for the texts each variant of a
    link gives it, edits in every one."""
    fix = rep.diag.fix
    if fix is None or not fix.edits:
        return fix
    edits = list(fix.edits)
    variants = _in_variants(rep.diag, rep.said)
    for m in group:     # the fixes of the group's other places are built only where they are taken
        copy = m.copy == rep.copy and m.diag.span.path != rep.diag.span.path
        if m is rep or not m.kept or not (copy or variants is not None and _in_variants(m.diag, m.said) == variants):
            continue
        other = m.diag.fix
        if other is None or not other.edits or other.applicability != fix.applicability:
            continue
        edits += [e for e in other.edits if e not in edits]
    return replace(fix, edits=tuple(edits))
