"""Makefile variants → facts: each recipe's emcc and cargo commands (per target,
with target- and pattern-specific variables and automatic variables; a pattern rule
whose recipe names the stem also per target of it the file asks for, ``$*`` set), and
flag variables that carry emcc settings but reach no command in this file
(pyodide's ``MAIN_MODULE_LDFLAGS``, exported for other Makefiles)."""
from __future__ import annotations

import fnmatch
import json
import re
from collections import Counter

from ..facts import Fact, Span
from .emcc import build_facts
from .emcc_args import carries_emcc_settings
from .emver import EmscriptenVersion
from .make_includes import included_flags, named_in_recipes
from .make_strip import stripped_later
from .makefile import MakeReader, Parsed, Rule
from .makefile_expand import Expander, Var
from .pstr import STRIDE, UNKNOWN, PStr, Tok, shell_split
from .configured_make import Configured
from .debug_build import debug_named, release_named
from .make_goals import mark_platform_goals, pattern_stem
from .shell_argv import VERSION_VARS, facts_from_shell
from .shell_cargo import bindgen_in
from .shell_eval import shell_words

def facts_of(reader: MakeReader, *, response=None, version: str | None = None) -> list[Fact]:
    per_variant: list[tuple[str | None, list[Fact]]] = []
    done: dict = {}
    for parsed in reader.variants():
        per_variant.append((parsed.label, _variant_facts(reader, parsed, response, version, done)))
    return _merge(per_variant, release_runs=True)


def _variant_facts(reader: MakeReader, parsed: Parsed, response, version, done: dict) -> list[Fact]:
    """``done``: the recipes (target, lines, environment) earlier variants ran, with the links
    they made: the same recipe makes the same facts, which ``_merge`` would drop, so it is not
    run again; a run named for release that makes them marks those links (``_released_by``)."""
    ex = Expander()
    ex.vars = parsed.vars
    facts: list[Fact] = []
    for name in VERSION_VARS:
        var = parsed.vars.get(name)
        if var is not None and var.value.known and var.value.text.strip():
            span = reader.index.span(*(var.value.source_range() or (0, 0)))
            facts.append(EmscriptenVersion(span, version=var.value.text.strip(), source=name))
    version = version or next((f.version for f in facts), None)
    configured = Configured()
    exported = {n: v for n, v in parsed.vars.items() if v.exported or n in ex.exported}   # once, not per target
    recipes = recipe_lines(parsed, ex)
    for (target, local), lines, rule in recipes:
        env = {n: ex.expand(v.value, local) if v.flavor != "simple" else v.value
               for n, v in _exported(exported, parsed.vars, local, ex.exported).items()}
        key = (target, version, tuple(lines), tuple(sorted((n, v) for n, v in env.items())))
        if key in done:
            _released_by(done[key], parsed.label)
            continue
        done[key] = links = []
        bindgen = bindgen_in(lines, reader.index)
        for k, text in enumerate(lines):   # a later line's `cp $@ $(DIST)/` copies an earlier link's files
            made = facts_from_shell(text, reader.index, env=env, reader=response,
                                    variant=parsed.label, version=version, bindgen=bindgen, earlier_links=links,
                                    configured=configured)
            for f in made:
                if f.kind == "emcc-invocation":
                    f.rule = target
                    f.recipe_span = _recipe_span(reader, rule.recipe[k], f.span)
                    links.append(f)
            facts += made
    used = set(ex.used)
    _mark_stripped(facts, parsed, ex)
    mark_platform_goals(parsed.rules, [f for f in facts if f.kind == "emcc-invocation"], submakes(recipes))
    facts += _flag_variables(reader, parsed, ex, used, version)
    return facts + _recipe_hints(reader, parsed)


def _mark_stripped(facts: list[Fact], parsed: Parsed, ex: Expander) -> None:
    """A link with DWARF whose files no recipe copies, from which rules of this file derive a
    module they strip (``make_strip``): its ``stripped_into`` is that module."""
    links = [f for f in facts if f.kind == "emcc-invocation" and f.rule and f.dwarf_flags and not f.copies]
    if not links:
        return
    rules = [(target, [w.text for w in shell_split(ex.expand(local["^"].value, local))], [x.text for x in lines])
             for (target, local), lines, _ in recipe_lines(parsed, ex)]
    for f in links:
        f.stripped_into = stripped_later({f.rule, *f.written}, rules)


def _exported(exported: dict[str, Var], variables: dict[str, Var], local: dict[str, Var],
              named: set[str]) -> dict[str, Var]:
    """The exported variables of a target (``{**variables, **local}``'s, in that order), from
    the file's exported ones (``exported``) and the target's own: the file's variables are
    not walked again for each target."""
    if not any(v.exported or n in named or n in exported for n, v in local.items()):
        return exported
    merged = {**variables, **local}
    return {n: v for n, v in merged.items() if v.exported or n in named}


def _recipe_hints(reader: MakeReader, parsed: Parsed) -> list[Fact]:
    """A target named for tests, benchmarks, examples or docs (``build-test-plugins``,
    ``bench``) makes that material: its recipe is a ``scope-hint`` of that scope."""
    from ..scopes import QUIET
    from ..scopes.conventions import name_scope
    from ..scopes.hint import ScopeHint
    out: list[Fact] = []
    for rule in parsed.rules:
        said = next((s for t in rule.targets if "%" not in t and (s := name_scope(t)) and s.scope in QUIET), None)
        if said is None or not rule.recipe:
            continue
        first, last = rule.recipe[0].source_range(), rule.recipe[-1].source_range()
        if first and last:
            out.append(ScopeHint(reader.index.span(first[0], last[1]), scope=said.scope,
                                 reason=f"in the recipe of make target {said.reason.removeprefix('named ')}"))
    return out


def recipe_lines(parsed: Parsed, ex: Expander) -> list[tuple[tuple[str, dict[str, Var]], list[PStr], Rule]]:
    """Each target's recipe lines, expanded as make runs them (prefixes ``@-+`` gone: make
    strips them after expansion, so ``$(Q)emcc`` with ``Q = @`` runs emcc), with their rule."""
    out = []
    index = _patterns(parsed)
    for rule in parsed.rules:
        for target, local in _targets(rule, parsed, index):
            out.append(((target, local), [_strip_prefix(ex.expand(line, local)) for line in rule.recipe], rule))
    stemmed = [r for r in parsed.rules if r.recipe and any("%" in t for t in r.targets) and _names_stem(r)]
    if stemmed:
        asked = _asked(parsed, out)
        for rule in stemmed:
            for target, local in _stem_targets(rule, parsed, index, asked):
                out.append(((target, local), [_strip_prefix(ex.expand(line, local)) for line in rule.recipe], rule))
    return out


# A pattern rule is run once per stem make is asked for; past this many stems of one rule
# (``%.o: %.c`` for every object of a library) only the pattern itself is read
MAX_STEMS = 8
_STEM_REF = ("$*", "$(*", "${*")


def _names_stem(rule: Rule) -> bool:
    """A pattern rule whose recipe names the stem (``$*``, ``$(*F)``): what it runs depends
    on the target make is asked for (``$(CXX_$*) -o $@`` links with em++ for
    ``build/wasm/app.js`` and with the host's compiler for ``build/native/app``)."""
    return any(r in line.text for line in rule.recipe for r in _STEM_REF)


def _asked(parsed: Parsed, done: list) -> set[str]:
    """The targets the Makefile asks make for itself, as known: the prerequisites of its
    rules and the goals of the sub-makes its recipes run of it (``submakes``); ``done``:
    recipe_lines' first reading, whose lines are expanded."""
    out = {w for rule in parsed.rules for w in (rule.prereqs if rule.needs is None else rule.needs).text.split()
           if "%" not in w and UNKNOWN not in w and "$" not in w}
    return out.union(*submakes(done).values())


def submakes(recipes: list) -> dict[str, set[str]]:
    """Each target's sub-make goals: those a recipe line running make on this same Makefile
    names (``wasm: ; $(MAKE) build/wasm/busytex.js``, ``make_goals.submake_goals``), read
    from ``recipe_lines``' expanded lines. ``$(MAKE)`` is make itself, whatever the file
    leaves it."""
    from .make_goals import MAKE_WORDS, submake_goals
    out: dict[str, set[str]] = {}
    for (target, _), lines, rule in recipes:
        if "%" in target:
            continue
        for raw, line in zip(rule.recipe, lines):
            head = raw.text.lstrip("@-+ \t").split(None, 1)
            if head and head[0] in MAKE_WORDS:
                goals = submake_goals([w.text for w in shell_split(line)][1:])
                if goals:
                    out.setdefault(target, set()).update(goals)
    return out


def _stem_targets(rule: Rule, parsed: Parsed, index, asked: set[str]) -> list[tuple[str, dict[str, Var]]]:
    """(target, variables) of a pattern rule whose recipe names the stem, for each stem the
    Makefile asks for (``_asked``) that no target-specific variable named already
    (``_targets``): make runs a rule with several pattern targets once per stem, ``$@``
    the target asked for. Bounded by MAX_STEMS."""
    known = set(parsed.target_vars)
    by_stem: dict[str, str] = {}
    for target in rule.targets:
        if "%" not in target:
            continue
        for name in sorted(asked - known):
            stem = pattern_stem(target, name)
            if stem:           # `%` matches a nonempty part
                by_stem.setdefault(stem, name)
    if not by_stem or len(by_stem) > MAX_STEMS:
        return []
    return [t for stem, name in sorted(by_stem.items()) for t in _targets(rule, parsed, index, name, stem)]


def _recipe_span(reader: MakeReader, line: PStr, span: Span) -> Span | None:
    """The span of a recipe line whose command's span starts elsewhere: its command word is
    a variable's value (``$(EMCC) $^ -o $(TARGET)`` with ``EMCC ?= emcc`` at the top)."""
    where = line.source_range()
    if where is None:
        return None
    own = reader.index.span(*where)
    return None if own.line <= span.line <= own.end_line else own


def _patterns(parsed: Parsed) -> tuple[list[tuple[int, str]], dict[str, int], list[dict[str, Var]]]:
    """The target-specific variables (``t: X = 1``, ``%.o: X = 1``) indexed once per variant:
    the glob of each pattern's, the place of each name's, the variables at each place."""
    patterns = [(k, pat.replace("%", "*")) for k, pat in enumerate(parsed.target_vars) if "%" in pat]
    return patterns, {pat: k for k, pat in enumerate(parsed.target_vars)}, list(parsed.target_vars.values())


def _targets(rule: Rule, parsed: Parsed, index, only: str | None = None,
             stem: str | None = None) -> list[tuple[str, dict[str, Var]]]:
    """(target, its automatic and target-specific variables) for each target the
    recipe builds; a pattern rule also for each named target that matches it (``$*`` its
    stem). ``only``: that one target of a pattern rule, with its ``stem`` (``_stem_targets``).
    ``index``: ``_patterns(parsed)``; a target's own variables are looked up by its name."""
    patterns, place, values = index
    out = []
    # `$<` and `$^` are the prerequisites as make read them, expanded where the rule stands
    # (GNU make manual, "How make Reads a Makefile": a rule's prerequisites are immediate):
    # `app: $(OBJ)` then `emcc $^` links the object files, not a command substitution
    read = rule.prereqs if rule.needs is None else rule.needs
    prereqs = read.split_ws()          # the rule's, the same for each of its targets
    first = prereqs[0] if prereqs else PStr.synth("")
    every = read.strip()
    if only is not None:
        named = [(only, stem)]
    else:
        named = []
        for target in rule.targets:
            named.append((target, None))
            if "%" in target:
                pattern = target.replace("%", "*")
                named[-1:] = [(t, pattern_stem(target, t)) for t in parsed.target_vars
                              if "%" not in t and fnmatch.fnmatchcase(t, pattern)] + [(target, None)]
    for name, its_stem in named:
        local: dict[str, Var] = {}
        found = {k for k, glob in patterns if fnmatch.fnmatchcase(name, glob)}
        if name in place:
            found.add(place[name])
        for k in sorted(found):      # in the order they were written
            local.update(values[k])
        local["@"] = Var("@", "simple", PStr.synth(name))
        if its_stem:        # a pattern's prerequisites with the stem in place of `%`
            local["<"] = Var("<", "simple", PStr.synth(first.text.replace("%", its_stem, 1)))
            local["^"] = Var("^", "simple", PStr.synth(" ".join(w.text.replace("%", its_stem, 1) for w in prereqs)))
        else:
            local["<"] = Var("<", "simple", first)
            local["^"] = Var("^", "simple", every)
        local["@F"] = Var("@F", "simple", PStr.synth(name.rsplit("/", 1)[-1]))
        local["@D"] = Var("@D", "simple", PStr.synth(name.rsplit("/", 1)[0] if "/" in name else "."))
        if its_stem:
            local["*"] = Var("*", "simple", PStr.synth(its_stem))
        out.append((name, local))
    return out


def _strip_prefix(line: PStr) -> PStr:
    """make strips ``@ - +`` from the front of a recipe line after expanding it, so a quiet
    prefix kept in a variable (``$(Q)emcc`` with ``Q = @``) goes too; a value not known glued
    to the command word is such a prefix (or a folder: ``$(BIN)emcc`` is still emcc)."""
    t, k = line.text, 0
    while k < len(t) and t[k] in "@-+ \t":
        k += 1
    j = k
    while j < len(t) and t[j] == UNKNOWN:
        j += 1
    if j > k and j < len(t) and not t[j].isspace():
        return _strip_prefix(line[j:])
    return line[k:] if k else line       # immutable: nothing stripped, nothing copied


def _flag_variables(reader: MakeReader, parsed: Parsed, ex: Expander, used: set[str], version) -> list[Fact]:
    """Flag variables no command of this variant uses, for other Makefiles: not those that
    only assignments in branches this variant does not take build other variables from
    (libflac.js's ``EMCC_OPTS_WASM_FASTCOMP``, used only under ``ifneq ($(TOOL_CHAIN),fastcomp)
    … else``): their flags reach a link only through that branch."""
    candidates = {}
    included = reader.include_slots()
    not_taken = reader.assigned_from() - parsed.assigned_from
    recipes = [line.text for rule in parsed.rules for line in rule.recipe]
    from_included: dict[str, list[str]] = {slot: [] for slot in included}
    for name, var in parsed.vars.items():
        if name in used or name in not_taken or name in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"):
            continue
        where = var.value.source_range()
        slot = where[0] // STRIDE if where is not None else 0
        if slot and slot not in included:
            continue
        ex.used = set()
        value = ex.expand(var.value) if var.flavor != "simple" else var.value
        words = shell_split(value)
        # only emcc takes `-s NAME`/`-sNAME`: `-std=`, `-static`, `-specs=`, `-pthread` are any compiler's
        if not carries_emcc_settings([w.text for w in words]):
            continue
        if slot:      # an included file's own flags: read with that file, and told unused here
            if not named_in_recipes(name, recipes):
                from_included[slot].append(name)
            continue
        if "$" in value.text:     # what the recipe's shell makes of it: `$((1 << 27))` computed
            words = shell_words(value, reader.index) or words
        candidates[name] = (words, set(ex.used))
    referenced = {n for _, (_, refs) in candidates.items() for n in refs}
    own_recipes = any(_own_recipe(rule) for rule in parsed.rules)
    # a reference whose name is computed (`$(OPTS_LINK_$*)` in a pattern rule's recipe,
    # `print-%: ; @echo $($*)`) may name any of them
    # scans of the file's lines, the same in every variant: made once
    computed = reader.scan("computed", lambda: any(_COMPUTED_NAME.search(line.text.text) for line in reader.lines))
    exports = reader.scan("exports", lambda: _exported_names(reader))
    reach = _named_by_recipes(reader, recipes) if own_recipes else set()
    out: list[Fact] = included_flags(Span(reader.index.path), {
        reader.index.linked[slot - 1].path: names for slot, names in from_included.items()})
    for name, (words, _) in candidates.items():
        if name in referenced:
            continue
        toks = [Tok(w, reader.index) for w in words]
        var = parsed.vars[name]
        span = reader.index.span(*(var.value.source_range() or (0, 0)))
        label = ", ".join(x for x in (parsed.label, f"flags in {name}") if x)
        for f in build_facts(toks, span, variant=label, version=version, flag_set=True):
            if f.kind == "emcc-invocation":
                f.own_recipes = own_recipes
                f.kept_here = own_recipes and not computed and not var.exported and not (
                    exports is None or name in exports) and name not in reach
            out.append(f)
    return out


def _named_by_recipes(reader: MakeReader, recipes: list[str]) -> set[str]:
    """The variables recipe lines name, for make (``$(NAME)``, ``${NAME}``, ``$(NAME:.c=.o)``)
    or for their shell (``$$NAME``), and those the values of these name in turn, as written:
    ffmpeg.wasm's ``make build-mt EXTRA_CFLAGS="$(PROD_MT_CFLAGS)"`` hands a sub-make
    ``PROD_MT_CFLAGS := $(PROD_CFLAGS) $(MT_FLAGS)``, so ``MT_FLAGS`` too."""
    refs_of = reader.scan("refs_of", lambda: _assignment_refs(reader))
    todo = {n for r in recipes for n in _MAKE_REF.findall(r) + _SHELL_REF.findall(r)}
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= refs_of.get(name, set()) - seen
    return seen


def _assignment_refs(reader: MakeReader) -> dict[str, set[str]]:
    """The variables each assignment of the file names in its value, as written."""
    refs_of: dict[str, set[str]] = {}
    for line in reader.lines:
        m = None if line.recipe else _ASSIGNMENT.match(line.stripped)
        if m is not None:
            refs_of.setdefault(m.group(1), set()).update(_MAKE_REF.findall(m.group(2)))
    return refs_of


_ASSIGNMENT = re.compile(r"(?:(?:override|export|private)\s+)*([A-Za-z0-9_.-]+)\s*(?:::=|:::=|:=|\+=|\?=|!=|=)(.*)$")
_MAKE_REF = re.compile(r"\$[({]([A-Za-z0-9_.-]+)[)}:]")
_SHELL_REF = re.compile(r"\$\$\{?([A-Za-z_][A-Za-z0-9_]*)")


_COMPUTED_NAME = re.compile(r"\$[({](?:value\s+)?[^)}\s:=]*\$")


def _exported_names(reader: MakeReader) -> set[str] | None:
    """The names the file's ``export`` lines hand to the recipes' environment; None when it
    exports every variable (a bare ``export`` or ``.EXPORT_ALL_VARIABLES:``)."""
    names: set[str] = set()
    for line in reader.lines:
        words = line.stripped.split()
        if words[:1] == [".EXPORT_ALL_VARIABLES:"] or words == ["export"]:
            return None
        if words[:1] == ["export"]:
            names.update(w.split("=", 1)[0].rstrip(":+?") for w in words[1:])
    return names


def _own_recipe(rule: Rule) -> bool:
    """A rule of this file (not an included one's) that runs a recipe."""
    where = rule.recipe[0].source_range() if rule.recipe else None
    return bool(rule.recipe) and (where is None or where[0] < STRIDE)


def _key(f: Fact) -> str:
    d = f.to_json()
    d.pop("variant", None)
    return json.dumps(d, sort_keys=True, default=str)


def _place(f: Fact) -> tuple:
    """What ``_key`` holds of a fact's kind and span, cheaply: facts that differ here differ."""
    s = f.span
    if not isinstance(s, Span):
        return (f.kind,)
    return (f.kind, s.path, s.line, s.column, s.line if s.end_line is None else s.end_line,
            s.column if s.end_column is None else s.end_column, s.offset, s.end_offset)


def _merge(per_variant: list[tuple[str | None, list[Fact]]], release_runs: bool = False) -> list[Fact]:
    """Facts identical in the base variant are reported once, without a variant.

    Facts are compared by their JSON without the variant; only facts of one kind and span
    can be equal, so only those are serialised (each once), not every fact of every variant.
    ``release_runs``: the variants are runs of make (``make RELEASE=1``), whose links made
    alike are that run's (``_released_by``); a CMake or Meson variant is a build type or an
    option, whose base reading is no run of its own."""
    shared = Counter(_place(f) for _, facts in per_variant for f in facts)
    keys = [[_key(f) if shared[p] > 1 else p for f in facts for p in (_place(f),)] for _, facts in per_variant]
    base_keys = set(keys[0]) if keys else set()
    out, seen = [], {}
    for k, (label, facts) in enumerate(per_variant):
        for f, key in zip(facts, keys[k]):
            if (k > 0 and key in base_keys) or key in seen:
                _also_passed_by(seen.get(key), f)
                if release_runs and seen.get(key) is not None:
                    _released_by([seen[key]], label)
                continue
            seen[key] = f
            out.append(f)
    return out


def _released_by(links: list[Fact], label: str | None) -> None:
    """A run of the project named for release (``make RELEASE=1``) that makes links an
    earlier variant made alike: they are that release's links too (``EmccInvocation.release_run``),
    ClassiCube's ``make web RELEASE=1``, whose ``RELEASE`` only adds -O2 to the compile flags,
    links what ``make web`` links, -g and all."""
    if label and release_named(label) and not debug_named(label):
        for f in links:
            if f.kind == "emcc-invocation" and f.release_run is None:
                f.release_run = label


def _also_passed_by(kept: Fact | None, dropped: Fact) -> None:
    """A setting of a flags variable that several links read (``EMFLAGS`` in the recipes of
    a debug and a release target) is one fact, the first link's: it notes the others."""
    link, also = getattr(dropped, "link", None), getattr(kept, "also_links", None)
    if link is not None and also is not None and link != kept.link and link not in also:
        also.append(link)
