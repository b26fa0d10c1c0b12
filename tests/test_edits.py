"""Edit application (wasmlint/edits.py) on real file texts: a Dockerfile and a
package.json, edited textually at exact positions."""
from __future__ import annotations

import json

import pytest

from wasmlint.diagnostics import Edit
from wasmlint.edits import EditError, Piece, Positions, Selection, TextFile, apply_edits, one_fix
from wasmlint.facts import Span

DOCKERFILE = """\
FROM node:20-slim
WORKDIR /app
COPY . .
ENV NODE_OPTIONS="--max-old-space-size=1536"
CMD ["node", "server.js", "--no-wasm-tier-up"]
"""

PACKAGE_JSON = """\
{
  "name": "image-service",
  "version": "1.4.0",
  "scripts": {
    "start": "node dist/server.js --no-wasm-tier-up",
    "build": "emcc src/codec.c -o dist/codec.js -sALLOW_MEMORY_GROWTH=1"
  }
}
"""


def edit(path, line, col, end_line, end_col, content):
    return Edit(Span(path, line, col, end_line, end_col), content)


def at(text: str, line: int, needle: str, end: bool = False) -> int:
    """1-based column of ``needle`` on ``line`` (or just past it)."""
    i = text.splitlines()[line - 1].index(needle)
    return i + 1 + (len(needle) if end else 0)


def test_move_a_flag_before_the_script_in_a_dockerfile():
    # the exec form, as a flag-after-script fix does it: delete after the script, insert before
    flag = ', "--no-wasm-tier-up"'
    script = at(DOCKERFILE, 5, '"server.js"')
    out = apply_edits(DOCKERFILE, [
        edit("Dockerfile", 5, at(DOCKERFILE, 5, flag), 5, at(DOCKERFILE, 5, flag, end=True), ""),
        edit("Dockerfile", 5, script, 5, script, '"--no-wasm-tier-up", '),
    ])
    assert out.splitlines()[4] == 'CMD ["node", "--no-wasm-tier-up", "server.js"]'
    assert out.splitlines()[:4] == DOCKERFILE.splitlines()[:4]


def test_package_json_is_edited_textually_and_stays_valid_json():
    t = PACKAGE_JSON
    growth = at(t, 6, "GROWTH=1", end=True)
    out = apply_edits(t, [
        edit("package.json", 5, at(t, 5, " --no-wasm"), 5, at(t, 5, "tier-up", end=True), ""),
        edit("package.json", 5, at(t, 5, "dist/"), 5, at(t, 5, "dist/"), "--no-wasm-tier-up "),
        edit("package.json", 6, growth - 1, 6, growth, "0"),
    ])
    doc = json.loads(out)
    assert doc["scripts"]["start"] == "node --no-wasm-tier-up dist/server.js"
    assert doc["scripts"]["build"].endswith("-sALLOW_MEMORY_GROWTH=0")
    assert out.count("\n") == PACKAGE_JSON.count("\n")   # formatting untouched


def test_overlapping_fixes_later_one_waits_for_the_next_round():
    pos = Positions(DOCKERFILE)
    sel = Selection()
    first = [(*pos.range(edit("Dockerfile", 4, 5, 4, 45, "")), "")]
    later = [(*pos.range(edit("Dockerfile", 4, 18, 4, 45, "")), '"--max-old-space-size=1024"')]
    assert sel.try_add(first)
    assert not sel.try_add(later)
    assert sel.try_add(list(first))          # the same edit again (another target's fix): accepted once
    assert sel.apply(DOCKERFILE).splitlines()[3] == "ENV "


def test_insertions_at_one_point_conflict_but_adjacent_edits_do_not():
    pos = Positions(DOCKERFILE)
    here = pos.offset(5, at(DOCKERFILE, 5, '"server.js"'))
    sel = Selection()
    assert sel.try_add([(here, here, '"--a", ')])
    assert not sel.try_add([(here, here, '"--b", ')])
    assert sel.try_add([(here, here + 11, '"app.js"')])      # starts where the insertion is
    assert sel.apply(DOCKERFILE).splitlines()[4] == 'CMD ["node", "--a", "app.js", "--no-wasm-tier-up"]'


def test_positions_outside_the_file_are_errors_not_crashes():
    with pytest.raises(EditError):
        apply_edits(DOCKERFILE, [edit("Dockerfile", 9, 1, 9, 2, "x")])
    with pytest.raises(EditError):
        apply_edits(DOCKERFILE, [edit("Dockerfile", 1, 40, 1, 41, "x")])
    with pytest.raises(EditError):
        apply_edits(DOCKERFILE, [edit("Dockerfile", 2, 5, 1, 1, "x")])


def test_end_of_file_without_newline_crlf_and_bom_are_kept():
    text = "FROM node:20\r\nCMD node server.js"
    out = apply_edits(text, [edit("Dockerfile", 3, 1, 3, 1, "\r\n")])
    assert out == "FROM node:20\r\nCMD node server.js\r\n"
    out = apply_edits(text, [edit("Dockerfile", 2, 10, 2, 10, "--no-wasm-tier-up ")])
    assert out == "FROM node:20\r\nCMD node --no-wasm-tier-up server.js"
    tf = TextFile.decode(b"\xef\xbb\xbf{\"name\": \"caf\xc3\xa9\"}\n")
    assert tf.bom and tf.text.startswith("{")
    # columns count code points: the edit after "café" lands after the é
    tf.text = apply_edits(tf.text, [edit("package.json", 1, 15, 1, 15, "s")])
    assert tf.encode() == b"\xef\xbb\xbf{\"name\": \"caf\xc3\xa9s\"}\n"


def test_flag_insertions_at_one_place_merge_each_flag_once_the_users_value_winning():
    from wasmlint.launch.args import JSON_LIST, USER, Arg
    shell = "CMD node server.js\n"
    script = Arg("server.js", Span("Dockerfile", 1, 10, 1, 19), editable=True, before=Span("Dockerfile", 1, 10))
    policy = script.insert(["--max-old-space-size=4096", "--no-wasm-tier-up"])
    moved = script.insert(["--max_old_space_size=2048"], rank=USER)
    assert not Selection().conflicts([Piece(*Positions(shell).range(e), e.content, e.merge) for e in policy + moved])
    assert apply_edits(shell, policy + moved) == "CMD node --no-wasm-tier-up --max_old_space_size=2048 server.js\n"
    exec_form = 'CMD ["node", "server.js"]\n'
    elem = Arg("server.js", Span("Dockerfile", 1, 14, 1, 25), editable=True, style=JSON_LIST,
               before=Span("Dockerfile", 1, 14))
    twice = elem.insert(["--no-wasm-tier-up"]) + elem.insert(["--wasm-tier-up", "--no-liftoff"])
    assert apply_edits(exec_form, twice) == 'CMD ["node", "--no-wasm-tier-up", "--no-liftoff", "server.js"]\n'


def test_overlapping_edits_of_one_fix_become_one_edit():
    text = "LDFLAGS = -sINITIAL_MEMORY=64MB -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB\n"
    growth = (text.index("-sALLOW"), text.index("-sMAXIMUM"), "")        # with the blank after it
    maximum = (text.index(" -sMAXIMUM"), len(text) - 1, "")              # with the blank before it
    assert Selection().conflicts([growth, maximum])
    (one,) = one_fix([growth, maximum], text)
    sel = Selection()
    assert sel.try_add([one])
    assert sel.apply(text) == "LDFLAGS = -sINITIAL_MEMORY=64MB \n"
