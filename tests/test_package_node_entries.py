"""Which package.json entries only node loads (``package-entry`` ``node_only``): the
shapes of the ``browser`` field, export conditions, ``bin`` and ``react-native``."""
import json

from wasmlint.sources import SourceFile
from wasmlint.sources.package_json import extract


def _node_only(manifest: dict) -> dict[tuple[str, str], bool]:
    src = SourceFile("package.json", "package-json", json.dumps(manifest).encode())
    return {(f.field, f.spec): f.node_only for f in extract(src) if f.kind == "package-entry"}


def test_browser_string_replaces_main():
    got = _node_only({"main": "./build/mux.node.js", "browser": "./build/mux.js", "module": "./build/mux.js"})
    assert got == {("main", "./build/mux.node.js"): True, ("module", "./build/mux.js"): False,
                   ("browser", "./build/mux.js"): False}


def test_browser_string_naming_main_itself_replaces_nothing():
    assert _node_only({"main": "index.js", "browser": "./index.js"})[("main", "index.js")] is False


def test_browser_map_keys_are_node_only_unless_mapped_to_themselves():
    got = _node_only({"main": "index", "browser": {"./index.js": "./web.js", "./lib/fs-loader.js": False,
                                                   "./lib/same.js": "./lib/same.js", "fs": False}})
    assert got[("main", "index")] is True
    assert got[("browser", "./lib/fs-loader.js")] is True
    assert got[("browser", "./lib/same.js")] is False and ("browser", "fs") not in got
    assert got[("browser", "./web.js")] is False     # the replacement is what browsers load


def test_react_native_field_naming_main_keeps_it_off_node_only():
    assert _node_only({"main": "./lib/node.js", "browser": "./lib/web.js",
                       "react-native": "./lib/node.js"})[("main", "./lib/node.js")] is False


def test_export_conditions():
    got = _node_only({"exports": {
        ".": {"node": {"import": "./n.mjs", "require": "./n.cjs"}, "browser": "./b.js", "default": "./d.js"},
        "./x": {"browser": {"node": "./odd.js"}, "worker": "./w.js"}}})
    assert got[("exports", "./n.mjs")] and got[("exports", "./n.cjs")]
    assert not got[("exports", "./b.js")] and not got[("exports", "./d.js")]
    assert not got[("exports", "./odd.js")] and not got[("exports", "./w.js")]


def test_bin_is_node_only():
    got = _node_only({"bin": {"tool": "./bin/tool.js"}, "main": "./index.js"})
    assert got == {("bin", "./bin/tool.js"): True, ("main", "./index.js"): False}
