"""``lalr_units``: parses that skip the unit steps of a precedence ladder give lark's own
tree, object for object, and fail where lark fails; the steps are not taken."""
from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark
from lark.exceptions import UnexpectedInput

from wasmlint.lalr_units import skip_unit_steps
from wasmlint.resources import grammar_text

ROOT = Path(__file__).resolve().parent

MESON = """project('p', ['c', 'cpp'], version : '1.0', default_options : ['b_lto=true'])
cc = meson.get_compiler('c')
flags = ['-sALLOW_MEMORY_GROWTH=1'] + (get_option('debug') ? ['-g'] : [])
if not cc.has_argument('-x') and host_machine.system() == 'emscripten' or false
  flags += ['-sX=@0@'.format(2 * (3 + 4) - 10 / 5 % 3)]
elif 'a' in ['a', 'b'] and 1 != 2 and -1 < 3 and 4 >= 4
  flags += [f'-sY=@flags@']
else
  d = {'k': [1, 2], 'm': {'n': true}}
  flags += d['k'][0] > 0 ? ['-O3'] : ['-O0']
endif
foreach n : ['a', 'b']
  executable(n, n + '.c', link_args : flags, install : true)
endforeach
"""
CROSS = """[constants]
base = ['-sWASM=1', '-O3']
[binaries]
c = 'emcc'
[built-in options]
c_link_args = base + ['-sINITIAL_MEMORY=' + '64MB']
"""
TERRAFORM = """resource "aws_lambda_function" "f" {
  memory_size = var.big ? 2048 : 128 * 2 + (4 - 1) % 3
  layers      = [for l in var.layers : l if l != "" && !var.off || true]
  environment {
    variables = { A = "x${var.y}z", B = upper("q")[0] }
  }
}
"""


def _plain(kind: str, start: str) -> Lark:
    if kind == "meson":
        from wasmlint.toolchain.meson import _Brackets
        return Lark(grammar_text("meson.lark"), parser="lalr", start=start, postlex=_Brackets(),
                    maybe_placeholders=False)
    from hcl2.postlexer import PostLexer

    from wasmlint.resources import library_grammar
    return Lark(library_grammar("hcl2", "hcl2.lark"), parser="lalr", postlex=PostLexer())


def _texts(kind: str) -> list[str]:
    if kind == "meson":
        files = [p for p in (ROOT / "fixtures").rglob("*") if p.name == "meson.build"]
        return [MESON, *(p.read_text() for p in sorted(files))]
    # the newline the Terraform reader adds (the grammar ends a body at one)
    return [t + "\n" for t in (TERRAFORM, *(p.read_text() for p in sorted((ROOT / "fixtures").rglob("*.tf"))))]


def _outcome(parser: Lark, text: str):
    """The tree, or where and how the parse failed."""
    try:
        return parser.parse(text)
    except UnexpectedInput as exc:
        return (type(exc), exc.line, exc.column, sorted(getattr(exc, "expected", ()) or ()))


@pytest.mark.parametrize("kind,start", [("meson", "start"), ("terraform", "start")])
def test_same_tree_and_same_error(kind, start):
    plain, fast = _plain(kind, start), skip_unit_steps(_plain(kind, start))
    texts = _texts(kind)
    assert len(texts) > 3
    trees = 0
    for text in texts:
        want = _outcome(plain, text)
        trees += not isinstance(want, tuple)
        assert _outcome(fast, text) == want
        cut = text[: len(text) * 2 // 3]        # a broken text fails at the same token, expecting the same
        assert _outcome(fast, cut) == _outcome(plain, cut)
    assert trees > 3


def test_machine_file_tree():
    """A machine (cross) file, read from its own start symbol."""
    plain, fast = _plain("meson", "ini"), skip_unit_steps(_plain("meson", "ini"))
    texts = [CROSS, *(p.read_text() for p in sorted((ROOT / "fixtures").rglob("*"))
                      if p.is_file() and any(x.startswith("meson-cross") for x in p.parts) and "[binaries]" in p.read_text())]
    assert len(texts) > 1
    for text in texts:
        assert fast.parse(text) == plain.parse(text)


def test_unit_steps_are_skipped():
    """The ladder's one-child rules are not reduced one by one: their callbacks are not run."""
    fast = skip_unit_steps(_plain("meson", "start"))
    lalr = fast.parser.parser.parser
    units = lalr.state_class.units
    assert units
    called = []
    for rule in units:
        call = lalr.callbacks[rule]
        lalr.callbacks[rule] = lambda children, call=call: (called.append(1), call(children))[1]
    assert fast.parse(MESON) == _plain("meson", "start").parse(MESON)
    assert not called
