"""Finding suppression directives in each format's own comment syntax
(wasmlint/suppress.py ``scan``), on realistic files of each kind."""
from __future__ import annotations

import pytest

from wasmlint.suppress import scan


def found(kind: str, text: str, path: str = "f") -> list[tuple[int, str, tuple[str, ...]]]:
    return [(d.line, d.action, d.selectors) for d in scan(path, kind, text)]


def test_javascript_line_and_block_comments_not_strings():
    loader = """\
import { readFile } from "node:fs/promises";
// wasmlint: disable-next-line=WL107
memory.grow(64);
const memory = new WebAssembly.Memory({ initial: 256 }); // wasmlint: disable=WL101, growable-memory
const url = "https://cdn.example.com/app.wasm"; /* wasmlint: disable=WL401 */
const msg = "// wasmlint: disable=WL101";
const tpl = `wasmlint: disable=WL101`;
/*
 * wasmlint: disable-file=WL205
 */
"""
    assert found("js", loader) == [
        (2, "disable-next-line", ("WL107",)),
        (4, "disable", ("WL101", "growable-memory")),
        (5, "disable", ("WL401",)),
        (9, "disable-file", ("WL205",)),
    ]
    d = scan("loader.js", "js", loader)[2]
    line = loader.splitlines()[4]
    assert line[d.comment_column - 1:d.comment_end_column - 1] == "/* wasmlint: disable=WL401 */"
    assert d.alone and not d.own_line


def test_pm2_config_follows_its_file_syntax():
    js = "module.exports = { apps: [{ script: 'server.js', node_args: '--jitless' }] }; // wasmlint: disable=WL208\n"
    assert found("pm2", js, "ecosystem.config.js") == [(1, "disable", ("WL208",))]
    assert found("pm2", '{"apps": []}\n// wasmlint: disable=WL208\n', "ecosystem.json") == []
    assert found("pm2", "apps:\n  - script: server.js  # wasmlint: disable=WL201\n", "ecosystem.config.yml") == [
        (2, "disable", ("WL201",))]


@pytest.mark.parametrize("kind,text,expected", [
    ("shell", 'node server.js --max-old-space-size=4096  # wasmlint: disable=WL203\n'
              'echo "# wasmlint: disable=WL201"\n', [(1, "disable", ("WL203",))]),
    ("makefile", "# wasmlint: disable-next-line=WL501\nLDFLAGS += -s TOTAL_MEMORY=64MB\n"
                 "CFLAGS=-O2#wasmlint: disable=WL502\n"
                 "DEFS=-DX=\\#wasmlint: disable=WL502\n"
                 "app.js: app.c\n\temcc $< -o $@ -sALLOW_MEMORY_GROWTH=1 # wasmlint: disable=WL101\n"
                 "\techo '# wasmlint: disable=WL101'\n",
     [(1, "disable-next-line", ("WL501",)), (3, "disable", ("WL502",)), (6, "disable", ("WL101",))]),
    ("cmake", 'target_link_options(app PRIVATE "-sALLOW_MEMORY_GROWTH=1")  # wasmlint: disable=WL101\n'
              'set(MSG "# wasmlint: disable=WL101")\n', [(1, "disable", ("WL101",))]),
    ("compose", "services:\n  api:\n    command: node server.js --no-liftoff  # wasmlint: disable=WL203\n"
                '    environment:\n      - "NODE_OPTIONS=--x # wasmlint: disable=WL204"\n',
     [(3, "disable", ("WL203",))]),
    ("cargo-toml", '[profile.release]\nopt-level = "z"  # wasmlint: disable=WL503\n'
                   'name = "x # wasmlint: disable=WL503"\n', [(2, "disable", ("WL503",))]),
    ("dockerfile", "FROM node:20-slim\n# wasmlint: disable-next-line=WL203\n"
                   "CMD node server.js --no-wasm-tier-up\nRUN node build.js # wasmlint: disable=WL201\n",
     [(2, "disable-next-line", ("WL203",)), (4, "disable", ("WL201",))]),
    ("procfile", "web: node server.js --no-liftoff  # wasmlint: disable=WL203\n", [(1, "disable", ("WL203",))]),
    ("nginx", "server {  # wasmlint: disable=WL308\n", [(1, "disable", ("WL308",))]),
])
def test_hash_comments(kind, text, expected):
    assert found(kind, text) == expected


def test_systemd_and_npmrc_only_whole_line_comments():
    unit = """\
[Service]
# wasmlint: disable-next-line=WL203
ExecStart=/usr/bin/node /srv/app/server.js --no-liftoff
; wasmlint: disable-next-line=WL202
Environment=NODE_OPTIONS=--max-old-space-size=4096 # wasmlint: disable=WL202
"""
    assert found("systemd", unit) == [(2, "disable-next-line", ("WL203",)), (4, "disable-next-line", ("WL202",))]
    npmrc = """\
; wasmlint: disable-next-line=WL204
node-options=--no-liftoff
# wasmlint: disable-file=WL201
registry=https://registry.npmjs.org/ ; wasmlint: disable=WL204
"""
    assert found("npmrc", npmrc) == [(1, "disable-next-line", ("WL204",)), (3, "disable-file", ("WL201",))]


def test_json_and_binaries_have_no_comments():
    pkg = '{\n  "scripts": {"start": "node server.js --no-liftoff"},\n  "//": "wasmlint: disable=WL203"\n}\n'
    assert found("package-json", pkg) == []
    assert found("nodemon", '{"exec": "node --jitless"} // wasmlint: disable=WL208\n') == []


def test_directive_positions_for_the_removal_fix():
    text = "    location / {  # wasmlint: disable=WL308,WL101\n"
    (d,) = scan("nginx.conf", "nginx", text)
    assert text[d.column - 1:d.end_column - 1] == "wasmlint: disable=WL308,WL101"
    assert text[d.selectors_column - 1:d.end_column - 1] == "WL308,WL101"
    assert text[d.space_column - 1:] == "  # wasmlint: disable=WL308,WL101\n"
    assert d.alone and not d.own_line
    (d,) = scan("nginx.conf", "nginx", "# keep: tuned by hand; wasmlint: disable=WL308\n")
    assert not d.alone
