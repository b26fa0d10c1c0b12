"""A text of plain commands is evaluated without a parse (``wasmlint.bashplain``): its
evaluation is the one the tree walk makes, and any other text is walked."""
import random

import pytest

from wasmlint import bash, bashplain
from wasmlint.bashrun import Binding
from wasmlint.toolchain.pstr import PStr

HEADS = ["emcc", "node", "cargo", "em++", "wasm-opt", "make", "npm", "python3", "tee", "x_1", "a.out", "npx", "1x",
         "go", "wasmtime", "c++", "wasm-pack"]
WORDS = ["-O3", "-sALLOW_MEMORY_GROWTH=1", "-sINITIAL_MEMORY=64MB", "-o", "t0.js", "t0.c", "--target=wasm32",
         "build", "a=b", "=x", "-", "--", "1", "2.5", "x,y", "a:b", "@foo", "%s", "^x", "+1", "a/b.c", "./run",
         "/usr/bin/env", "in", "fi", "done", "if", "cd", "--max-old-space-size=512", "s0.js", "-Wl,--stack=1",
         "x=", "a==b", "-DX=1", "FOO=bar", "sh", "source", "."]
SPACES = [" ", "  ", "\t", " \t ", " \\\n", " \\\n  "]     # a line continuation after a blank is one too
JOINS = ["&&", " && ", " || ", "|", " | ", "; ", ";"]


def _env(kind: int) -> dict[str, Binding]:
    class Origin:
        start, end = 3, 9
    if kind == 0:
        return {}
    if kind == 1:
        return {"EMCC_CFLAGS": Binding("EMCC_CFLAGS", PStr.synth("-O2"), exported=True)}
    return {"HOME": Binding("HOME", None, exported=True, origin=Origin()),
            "NODE_OPTIONS": Binding("NODE_OPTIONS", PStr.source("--expose-gc", 100), exported=True)}


def _binding(b: Binding) -> tuple:
    return (b.name, b.value, b.rng, b.value_rng, b.exported, b.variant, b.origin, b.declared, b.exports,
            b.in_substitution, b.file, b.branch)


def _shape(run) -> tuple:
    """Everything of an evaluation that its readers see."""
    commands = [([(w.rng, w.bare, w.fields) for w in c.words], [_binding(b) for b in c.prefix],
                 sorted((k, _binding(b)) for k, b in c.env.items()),
                 c.rng, c.in_substitution, c.variant, c.file, c.cwd, c.contests) for c in run.commands]
    return (commands, [_binding(b) for b in run.bindings], run.error, run.unknown_text, run.files, run.plain, run.contested, run.reads,
            run.given)


PREFIXES = ["NODE_OPTIONS=--max-old-space-size=0", "A=", "B=1", "CC=emcc", "EMCC_CFLAGS=-O2", "X_1=a=b", "_x=1"]


def _texts(n: int) -> list[str]:
    rnd = random.Random(17)
    out = []
    for _ in range(n):
        commands = []
        for _ in range(rnd.choice([1, 1, 2, 3])):
            words = [rnd.choice(PREFIXES) for _ in range(rnd.choice([0, 0, 1, 2]))]
            words += [rnd.choice(HEADS)] + [rnd.choice(WORDS) for _ in range(rnd.randrange(0, 8))]
            text = "".join(w + rnd.choice(SPACES) for w in words)
            commands.append(rnd.choice(["", " "]) + (text if rnd.random() < 0.5 else text.rstrip(" \t")))
        out.append("".join(c + rnd.choice(JOINS) for c in commands[:-1]) + commands[-1])
    return out


def _assignments(n: int) -> list[str]:
    """Lines that export assignments (a build script's ``export CC=emcc``)."""
    rnd = random.Random(29)
    names = ["A", "B", "EMCC_CFLAGS", "NODE_OPTIONS", "HOME", "CC", "X_1"]
    values = ["", "1", "emcc", "-O2", "--max-old-space-size=512", "a=b", "x,y", "a/b.c"]
    return [rnd.choice(["export ", "export\t", "export  "]) + rnd.choice(SPACES).join(
        f"{rnd.choice(names)}={rnd.choice(values)}" for _ in range(rnd.randrange(1, 4))) + rnd.choice(["", " "])
        for _ in range(n)]


def _scripts(n: int) -> list[str]:
    """Lines of such texts, blank lines between some (a heredoc's script, a ``run: |`` block)."""
    rnd = random.Random(23)
    texts = _texts(3 * n) + _assignments(n)
    return [rnd.choice(["", "", "#!/bin/sh\n", "#!/usr/bin/env bash\n\n"])
            + "".join(rnd.choice(["\n", "\n", "\n\n", "\n \t\n", "\n# build it\n", "\n  #x\n"]) + t
                      for t in rnd.sample(texts, rnd.randrange(1, 5)))
            + rnd.choice(["", "\n", "\n# end"]) for _ in range(n)]


@pytest.mark.parametrize("kind", [0, 1, 2])
def test_a_plain_command_evaluates_as_its_walk_does(kind):
    for text in dict.fromkeys(_texts(150) + _scripts(60)):     # a text met again is the memo's (its env)
        assert bashplain.plain_words(text, bash.VALUE_LIMIT) is not None, text
        source = PStr.source(text, 40)
        env = _env(kind)
        fast = bash.evaluate(source, env)
        walked = bash._walk(source, env, False, None, None, None, None)
        assert _shape(fast) == _shape(walked), text


@pytest.mark.parametrize("text", [
    "A=1", "A=1 B=2", "emcc a.c\nA=1", "_=x node s.js", "_=x", "export _=x", "export A", "export A=1 node", "export", "A=1 && node a.js", "node a.js; A=1",
    "A=1 export B=2", "export -n A=1", "A+=1 node s.js", "1A=x node", "A=1 cd build", "cd build", "./build.sh -O3", "sh x.sh", "bash -c 'emcc a.c'", "emcc $FLAGS a.c",
    "emcc a.c > log", "emcc a.c & node a.js", "a |& b", "a ;; b", "a &&& b", "emcc a.c || cd x", "a && ", "emcc a.c # comment", "emcc ~/a.c", "emcc *.c",
    "emcc {a,b}.c", 'emcc "a.c"', "emcc a\\ b.c", "emcc a.c &&\nnode a.js", "emcc a.c\r\nnode a.js", "emcc a.c #x", "emcc a.c\\\n-o a.js", "emcc a \\", "emcc a \\\n\\\n b", "# x", "#!/bin/sh\n", "if", "source env.sh", "emcc -o é.js a.c",
    "", "   ", "emcc a.c;", "emcc a.c &", "(emcc a.c)", "emcc $(cat flags) a.c", "exec node s.js", "/usr/bin/emcc a.c",
])
def test_any_other_text_is_walked(text):
    assert bashplain.plain_words(text, bash.VALUE_LIMIT) is None


def test_a_prefix_value_longer_than_a_value_may_be_is_walked():
    """The walk makes such a value unknown; a line of any length is plain otherwise."""
    value = "x" * (bash.VALUE_LIMIT + 1)
    assert bashplain.plain_words(f"node a.js\nA={value} node b.js", bash.VALUE_LIMIT) is None
    assert bashplain.plain_words(f"node a.js\nA={value[1:]} node b.js", bash.VALUE_LIMIT) is not None
    line = "emcc " + "-sX=1 " * (bash.VALUE_LIMIT // 6 + 1)
    assert len(bashplain.plain_words("node a.js\n" + line, bash.VALUE_LIMIT)) == 2


@pytest.mark.parametrize("text", [
    "node s.js" + "".join(f" | tee o{k}" for k in range(3 * bashplain.MAX_JOINED)),
    "; ".join(f"emcc -sX{k}=1 a.c" for k in range(3 * bashplain.MAX_JOINED)),
    " | ".join(f"A={k} node s{k}.js && tee o{k}" for k in range(bashplain.MAX_JOINED - 1)),
    "emcc " + "-sX=1 " * (bash.VALUE_LIMIT // 6 + 1) + "| tee log\nA=" + "y" * bash.VALUE_LIMIT + " node a.js",
    "#!/bin/sh\nemcc a.c\n# a comment does not go on past its line \\\nnode a.js",
])
def test_a_long_pipeline_or_line_is_plain_and_evaluates_as_its_walk_does(text):
    """Pipes and ``;`` do not nest (one tree-sitter node holds all the commands): only the
    ``&&``/``||`` joins of a line are bounded."""
    assert bashplain.plain_words(text, bash.VALUE_LIMIT) is not None
    source = PStr.source(text, 40)
    for kind in (0, 2):
        env = _env(kind)
        assert _shape(bash.evaluate(source, env)) == _shape(bash._walk(source, env, False, None, None, None, None))


def test_a_long_chain_is_walked():
    """``a && b && …`` nests as deep as it is long: the walk says when it is too deep."""
    chain = " && ".join(f"emcc -sX{k}=1" for k in range(bashplain.MAX_JOINED))
    assert len(bashplain.plain_words(chain, bash.VALUE_LIMIT)) == bashplain.MAX_JOINED
    assert bashplain.plain_words(chain + " && emcc a.c", bash.VALUE_LIMIT) is None
    assert bashplain.plain_words(chain + " | tee log; emcc a.c", bash.VALUE_LIMIT) is not None
    assert bashplain.plain_words(chain.replace("&& emcc -sX1=1", "|| emcc -sX1=1") + " || emcc a.c",
                                 bash.VALUE_LIMIT) is None
