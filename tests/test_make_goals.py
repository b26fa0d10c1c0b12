"""What an ``emmake make`` run builds (toolchain/make_goals.py)."""
from __future__ import annotations

from dataclasses import dataclass

from wasmlint.toolchain.make_goals import link_reached, reached, run_goals
from wasmlint.toolchain.pstr import PStr


def test_goals_of_scripts_and_prose():
    assert run_goals("set -e\nemmake make -j4 web VERBOSE=1 && cp dist/* out/\n") == {"web"}
    assert run_goals("Web build: `emmake make js` (not `make js`).\n") == {"js"}
    assert run_goals("emmake make wasm\nemmake $(MAKE) lib.a main.o\n") == {"wasm", "lib.a", "main.o"}


def test_no_goal_a_variable_goal_or_another_makefile_is_the_default_goal():
    assert run_goals("emmake make\n") is None
    assert run_goals("emmake make web\nemmake make -j2\n") is None
    assert run_goals("emmake make $(TARGET)\n") is None
    assert run_goals("emmake make -C third_party/zlib libz.a\n") is None
    assert run_goals("emconfigure ./configure\nmake\n") is None


@dataclass
class _Rule:
    targets: list
    prereqs: PStr
    needs: PStr | None = None


def test_reached_through_explicit_and_pattern_rules():
    rules = [_Rule(["all"], PStr.synth("cli")), _Rule(["cli"], PStr.synth("cli.o core.o")),
             _Rule(["web"], PStr.synth("dist/app.js")), _Rule(["dist/app.js"], PStr.synth("glue.o core.o")),
             _Rule(["%.o"], PStr.synth("%.c")), _Rule(["mods/%.so"], PStr.synth("mods/%.c"))]
    got = reached(rules, frozenset({"web"}))
    assert got == {"web", "dist/app.js", "glue.o", "core.o", "glue.c", "core.c"}
    assert link_reached("dist/app.js", got) and not link_reached("cli", got)
    assert not link_reached("mods/%.so", got)
    assert link_reached("%.o", got)             # a pattern rule that makes a reached target
    assert link_reached(None, got)              # a link whose rule is not known stays


def test_a_goal_the_file_has_no_rule_for_is_not_this_files_run():
    rules = [_Rule(["web"], PStr.synth("app.js")), _Rule(["app.js"], PStr.synth("app.o"))]
    assert reached(rules, frozenset({"to", "build"})) is None      # "use emmake make to build"
    assert reached(rules, frozenset({"web"})) == {"web", "app.js", "app.o"}


def test_prerequisites_as_make_read_them_and_a_name_not_known():
    rules = [_Rule(["web"], PStr.synth("$(OUT)"), needs=PStr.synth(" dist/app.js")), _Rule(["dist/app.js"], PStr.synth("app.o"))]
    assert reached(rules, frozenset({"web"})) == {"web", "dist/app.js", "app.o"}
    unknown = [_Rule(["web"], PStr.synth("$(shell ls)"), needs=PStr.synth(" \ue000"))]
    assert reached(unknown, frozenset({"web"})) is None        # it may name any target


def test_a_name_partly_known_reaches_the_targets_its_known_parts_match():
    # renpyweb: `asyncify: $(BUILD)/python.built common-renpy` with BUILD=$(CURDIR)/build
    rules = [_Rule(["all"], PStr.synth("asyncify")),
             _Rule(["asyncify"], PStr.synth(""), needs=PStr.synth(" \ue000/build/python.built common")),
             _Rule(["/src/build/python.built"], PStr.synth("")), _Rule(["common"], PStr.synth("")),
             _Rule(["pthreads"], PStr.synth("")), _Rule(["%.bc"], PStr.synth("%.c stamp"))]
    assert reached(rules, frozenset({"all"})) is None          # by default: it may be any target
    got = reached(rules, frozenset({"all"}), unknown_any=True)
    assert {"asyncify", "/src/build/python.built", "common", "stamp"} <= got and "pthreads" not in got
    assert reached([_Rule(["web"], PStr.synth(""), needs=PStr.synth(" \ue000"))], frozenset({"web"}), unknown_any=True) == {"web", "\ue000"}
