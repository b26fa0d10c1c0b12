"""The parsing layer of launch surfaces: positions (text, JSON, YAML), shell
words, NODE_OPTIONS splitting (checked against the real node), node's argv."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixture_harness import run_cli
from wasmlint import jsonpos, nodeoptions, shellparse, yamlpos
from wasmlint.launch import argv
from wasmlint.launch.build import Unit
from wasmlint.nodeflags import FlagDB
from wasmlint.textpos import LineIndex, MappedText

SAMPLES = Path(__file__).parent / "grammar_samples" / "node_options.txt"
NODE = shutil.which("node") or "/usr/bin/node"


def _samples():
    out = []
    for line in SAMPLES.read_text().splitlines():
        if line.startswith("#") or "  =>  " not in line:
            continue
        value, _, expected = line.partition("  =>  ")
        out.append((value, expected))
    return out


@pytest.mark.parametrize("value,expected", _samples())
def test_node_options_split(value, expected):
    toks, error = nodeoptions.split(MappedText.verbatim(value, 0))
    if expected.startswith("["):
        assert error is None
        assert [t.value for t in toks] == json.loads(expected)
    else:
        assert error == expected


@pytest.mark.parametrize("value,expected", [s for s in _samples() if s[0].startswith("--title")])
def test_node_options_split_matches_real_node(value, expected, tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), "NODE_OPTIONS": value}
    run = subprocess.run([NODE, "-p", "process.title"], env=env, capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    if expected.startswith("["):
        args = json.loads(expected)
        # a word that is not an option (``b`` in ``--title=a\\ b``) is ignored by node
        assert run.returncode == 0 and run.stdout.rstrip("\n") == args[0][len("--title="):]
    else:
        assert run.returncode == 9 and expected in run.stderr


def test_node_options_tokens_map_to_file():
    text = """NODE_OPTIONS='--a --require "x y"'"""
    value = MappedText.verbatim(text[14:-1], 14)
    toks, _ = nodeoptions.split(value)
    assert [text[t.src_start:t.src_end] for t in toks] == ["--a", "--require", '"x y"']


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_json_string_positions(s):
    text = json.dumps({"scripts": {"start": s}}, ensure_ascii=bool(len(s) % 2))
    node = jsonpos.parse(text).get("scripts").get("start")
    assert node.value == s
    for i, ch in enumerate(s):
        piece = text[node.text.starts[i]:node.text.ends[i]]
        decoded = json.loads('"' + piece + '"') if piece not in ('"',) else piece
        assert decoded[0] == ch or len(decoded) == 2  # surrogate pairs decode to two halves


def test_json_errors_have_positions():
    with pytest.raises(jsonpos.JsonPosError) as exc:
        jsonpos.parse('{"scripts": {"start": "node app.js",}}')
    assert exc.value.offset == 36


YAML = """\
plain: node --a app.js
dq: "node \\"--b\\" app.js"
sq: 'it''s --c'
lit: |
  export NODE_OPTIONS=--x
  node --d app.js
fold: >
  node --e
  app.js
"""


@pytest.mark.parametrize("key,word", [("plain", "--a"), ("dq", '\\"--b\\"'), ("sq", "--c"),
                                      ("lit", "--d"), ("fold", "--e")])
def test_yaml_scalars_map_exactly(key, word):
    doc = yamlpos.documents(YAML)[0]
    text = yamlpos.scalar_text(yamlpos.get(doc, key), YAML)
    assert text.exact
    i = text.value.index(word.replace('\\"', '"'))
    s, e = text.source_range(i, i + len(word.replace('\\"', '"')))
    assert YAML[s:e] == word


def test_yaml_merge_keys_and_alias_bombs():
    doc = yamlpos.documents("base: &b {a: 1}\nsvc:\n  <<: *b\n  c: 2\n")[0]
    assert yamlpos.plain(yamlpos.get(doc, "svc")) == {"a": "1", "c": "2"}
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 10)}]\n" for k in range(7))
    with pytest.raises(yamlpos.YamlPosError, match="too many nodes"):
        yamlpos.check_size(yamlpos.documents(bomb)[0])


def test_alias_bomb_compose_file_is_one_parse_error(tmp_path):
    bomb = "services:\n  a: &a {image: node}\n" + "".join(
        f"  s{k}: &s{k} [{', '.join(['*' + ('a' if k == 0 else f's{k - 1}')] * 10)}]\n" for k in range(8))
    (tmp_path / "docker-compose.yml").write_text(bomb)
    _, out, _ = run_cli(["check", "--select", "WL001", "--output-format", "concise", "."], tmp_path)
    assert out.strip().endswith("YAML aliases expand to too many nodes [WL001]")


def _words(script: str):
    return shellparse.parse(MappedText.verbatim(script, 0))


def test_shell_words_variables_and_exports():
    s = _words('H=512\nexport NODE_OPTIONS="--max-old-space-size=$H"\n'
               'FLAGS="--a --b"\nA=1 node $FLAGS --x="${H}" "${NOPE:-d e}" $1\n')
    cmd = s.commands[0]
    assert [w.value for w in cmd.words] == ["node", "--a", "--b", "--x=512", "d e", "$1"]
    assert [w.splat for w in cmd.words][-1] and cmd.words[-1].dynamic
    assert cmd.env["NODE_OPTIONS"].value.value == "--max-old-space-size=512"
    assert [a.name for a in cmd.prefix] == ["A"]


def test_shell_commands_in_lists_functions_and_substitutions():
    s = _words("start() { exec node a.js; }\nnpm ci && node b.js || true; X=$(node -p 1)\n")
    names = [(c.words[0].value, c.in_substitution) for c in s.commands if c.words]
    assert ("exec", False) in names and ("node", True) in names
    assert [c.words[1].value for c in s.commands if c.words and c.words[0].value == "node"][0] == "b.js"


def test_shell_syntax_error_is_reported():
    assert _words('node "app.js\n').error[0].startswith("shell syntax error")


ARGV = [
    ("node --no-liftoff app.js --port 3", ["--no-liftoff"], "app.js", ["--port", "3"]),
    ("node -r dotenv/config --import ./x.mjs app.js", ["-r", "--import"], "app.js", []),
    ("node --stack-size=2000 -- app.js --x", ["--stack-size=2000"], "app.js", ["--x"]),
    ("node -e 0 --expose-gc x --no-liftoff", ["-e", "--expose-gc"], None, ["x", "--no-liftoff"]),
    ("env -S 'node --no-wasm-tier-up' server.js", ["--no-wasm-tier-up"], "server.js", []),
    ("exec nohup node --jitless s.js", ["--jitless"], "s.js", []),
    ("cross-env NODE_OPTIONS=--x npx tsx --tsconfig t.json --expose-gc a.ts", ["--expose-gc"], "a.ts", []),
    ("nodemon -w src --exec-fake --inspect app.js", ["--exec-fake", "--inspect"], "app.js", []),
    ("tini -- node --max_old_space_size=100 a.js", ["--max_old_space_size=100"], "a.js", []),
]


@pytest.mark.parametrize("line,options,script,after", ARGV)
def test_node_argv_split(line, options, script, after):
    idx = LineIndex(line, "x.sh")
    unit = Unit(idx, "shell")
    cmd = shellparse.parse(MappedText.verbatim(line, 0)).commands[0]
    un = argv.unwrap(unit.toks(cmd.words), unit._env_s)
    assert un.what == "node"
    sp = argv.split(un.toks, FlagDB.for_major(20))
    assert [o.tok.value for o in sp.options] == options
    assert (sp.script.value if sp.script else None) == script
    assert [t.value for t in sp.after] == after


def test_sh_c_and_other_commands():
    idx = LineIndex("x", "x")
    unit = Unit(idx, "shell")
    # `command -v node`, `which node`: a name looked up, nothing launched (`command node` runs it)
    for line, what in (("sh -c 'node a.js'", "shell"), ("python app.py", "other"), ("$RUNNER app.js", "other"),
                       ("command -v node", "other"), ("command -V node", "other"), ("which node", "other"),
                       ("type node", "other"), ("command node a.js", "node"), ("command -p node a.js", "node")):
        cmd = shellparse.parse(MappedText.verbatim(line, 0)).commands[0]
        assert argv.unwrap(unit.toks(cmd.words)).what == what


def test_line_index_spans_and_bytes():
    idx = LineIndex("é = 1\nnode x\n", "f")
    span = idx.span(6, 10)
    assert (span.line, span.column, span.end_column, span.offset) == (2, 1, 5, 7)


def test_unknown_node_version_is_said_once(tmp_path):
    (tmp_path / "Procfile").write_text("web: node server.js\nworker: node worker.js\n")
    (tmp_path / "start.sh").write_text("#!/bin/sh\nexec node --no-liftof app.js\n")
    _, out, err = run_cli(["check", "--select", "WL206", "--output-format", "concise", "."], tmp_path)
    from wasmlint.nodeflags import newest_lts
    assert err.count(f"assuming node {newest_lts()}, the newest LTS") == 1
    assert f"node {newest_lts()} refuses to start" in out


def test_yaml_documents_from_libyaml_match_pure_python_ones():
    # yamlpos composes with libyaml when PyYAML has it: same nodes, offsets and styles
    import pathlib

    import yaml

    from wasmlint import yamlpos

    def shape(node, out):
        out.append((node.id, node.tag, node.value if node.id == "scalar" else None,
                    (node.style or None) if node.id == "scalar" else None,
                    node.start_mark.index, node.end_mark.index))
        for child in ([x for kv in node.value for x in kv] if node.id == "mapping" else
                      node.value if node.id == "sequence" else []):
            shape(child, out)
        return out

    root = pathlib.Path(__file__).parent
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.y*ml"))
             if p.suffix in (".yml", ".yaml") and "WL001" not in p.parts]
    texts += ["name: \"héllo ✓\"\nsteps:\n  - run: echo ✓ && node --max-old-space-size=4096 app.js\n",
              "base: &b {cmd: [node, 'a b.js'], env: {X: \"1\"}}\nsvc:\n  <<: *b\n  run: |\n    node x.js\n"
              "  note: >\n    folded\n    text\n---\nsecond: doc\n"]
    assert len(texts) >= 10 and hasattr(yaml, "CSafeLoader")
    for text in texts:
        fast = [shape(d, []) for d in yamlpos.documents(text)]
        slow = [shape(d, []) for d in yaml.compose_all(text, Loader=yaml.SafeLoader) if d is not None]
        assert fast == slow
    with pytest.raises(yamlpos.YamlPosError, match="expected ',' or ']', but got"):
        yamlpos.documents("command: [node, server.js\n")   # the pure-Python loader's message


def test_wrapped_command_skips_the_wrappers_launches_pass_through():
    from wasmlint.launch.argv import wrapped_command
    assert wrapped_command(["sudo", "-u", "app", "tee", "/etc/systemd/system/a.service"]) == \
        ["tee", "/etc/systemd/system/a.service"]
    assert wrapped_command(["env", "-u", "X", "A=1", "nice", "-n", "5", "cat"]) == ["cat"]
    assert wrapped_command(["doas", "-u", "www", "tee", "-a", "f"]) == ["tee", "-a", "f"]
    assert wrapped_command(["npx", "-p", "x", "tee"]) == ["npx", "-p", "x", "tee"]
    assert wrapped_command(["sudo"]) == []
    assert wrapped_command(["command", "-v", "emcc"]) == ["command", "-v", "emcc"]    # looks emcc up
    assert wrapped_command(["sudo", "command", "-p", "emcc"]) == ["emcc"]
