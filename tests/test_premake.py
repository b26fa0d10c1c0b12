"""premake / GENie scripts read by tree-sitter-lua (toolchain/premake.py)."""
from __future__ import annotations

from wasmlint.scopes.hint import ScopeHint
from wasmlint.toolchain.premake import premake_facts

SCRIPT = r'''-- linkoptions { "-s IN_COMMENT=1" } for emscripten: a comment
-- é: a character of two bytes before the flags
workspace "w"
  linkoptions { "-s STACK_SIZE=1MB" }
project "app"
  filter { "system:emscripten", "configurations:Release" }
    linkoptions { "-O3", "-s 'EXPORTED_RUNTIME_METHODS=[\"FS\"]'", [[-s ALLOW_MEMORY_GROWTH=1]] }
  filter "configurations:Debug"
    linkoptions "-s ASSERTIONS=2"
  filter "system:windows"
    linkoptions "/DEBUG"
  filter {}
  register(function() linkoptions "-s INSIDE_ARGS=1" end)
local function testProjectDefaults()
  linkoptions "-s EXIT_RUNTIME=1"
end
'''


def _facts(text=SCRIPT):
    facts = premake_facts(text, "premake5.lua")
    links = [f for f in facts if type(f).__name__ == "EmccInvocation"]
    return facts, links


def test_project_flags_of_the_emscripten_release_build_with_the_workspace_before_them():
    _, links = _facts()
    assert len(links) == 1
    link = links[0]
    # the debug and windows filters are left out, a call in another call's arguments is not read,
    # a comment is no call; escapes and long strings are decoded
    assert link.settings == {"STACK_SIZE": 1048576, "EXPORTED_RUNTIME_METHODS": ["FS"],
                             "ALLOW_MEMORY_GROWTH": 1, "EXIT_RUNTIME": 1}
    assert link.opt_level == "-O3"
    assert (link.span.line, link.span.column) == (7, 5)


def test_settings_keep_their_place_after_a_multibyte_character():
    facts, _ = _facts()
    places = {f.name: (f.span.line, f.span.column) for f in facts if type(f).__name__ == "EmccSetting"}
    assert places["STACK_SIZE"] == (4, 18)
    assert places["EXPORTED_RUNTIME_METHODS"] == (7, 27)
    assert places["ALLOW_MEMORY_GROWTH"] == (7, 70)


def test_a_function_named_for_tests_is_a_scope_hint_over_its_body():
    facts, _ = _facts()
    hints = [f for f in facts if isinstance(f, ScopeHint)]
    assert [(h.scope, h.span.line, h.span.end_line) for h in hints] == [("test", 14, 16)]


def test_a_filter_on_a_user_option_makes_its_flags_unknown():
    text = SCRIPT.replace('filter "system:windows"', 'filter "options:profiling"')
    _, links = _facts(text)
    assert links[0].words_known is False
    assert "ASSERTIONS" not in links[0].settings


def test_a_script_without_emscripten_or_link_options_is_not_parsed():
    assert premake_facts('project "a"\n  linkoptions { "-s X=1" }\n', "premake5.lua") == []
    assert premake_facts('-- emscripten\nproject "a"\n', "premake5.lua") == []
