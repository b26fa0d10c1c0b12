"""nginx's configuration syntax (``wasmlint.sources.nginx_syntax``): nginx's token reader
and where a text stops being a config."""
from __future__ import annotations

import pytest

from wasmlint.sources.nginx_syntax import NginxSyntaxError, parse


def shape(items):
    return [(i.block, i.words, i.offset, i.quoted, shape(i.children)) for i in items]


def test_directives_and_nested_blocks():
    text = 'http {\n  server { add_header X "a b"; location / { } }\n}\ninclude m.types;'
    assert shape(parse(text)) == [
        (True, ["http"], 0, False, [
            (True, ["server"], 9, False, [
                (False, ["add_header", "X", '"a b"'], 18, False, []),
                (True, ["location", "/"], 38, False, [])])]),
        (False, ["include", "m.types"], 57, False, [])]


@pytest.mark.parametrize("text,words", [
    ("a#b c; # comment\n", ["a#b", "c"]),               # `#` starts a comment only where a word starts
    ("a\\;b c;", ["a\\;b", "c"]),                         # `\` escapes the next character
    ("a ${x}y ${z;", None),                               # `${` without its `}`: `{` ends the word
    ("\"map key\" 'v;1';", ['"map key"', "'v;1'"]),        # any word may be quoted, the first too
    ("a\"b c;", ['a"b', "c"]),                            # a quote inside a word is a character
])
def test_token_reader(text, words):
    if words is None:
        with pytest.raises(NginxSyntaxError):
            parse(text)
    else:
        assert parse(text)[0].words == words


@pytest.mark.parametrize("text,what,line,column", [
    ("a b", "token", 1, 3),                 # the end comes too early: at the last token
    ("a { b;", "token", 1, 6),
    ("a b\n#c\n", "token", 1, 3),
    ("}", "token", 1, 1),
    (";", "token", 1, 1),
    ("{", "token", 1, 1),
    ("a;}", "token", 1, 3),
    ("a b }", "token", 1, 5),
    ("a;\n\n  b c", "token", 3, 5),
    ('a "x', "characters", 1, 3),           # a quote never closed
    ("a \\\nb;", "characters", 1, 3),       # `\` escapes no line end
    ("x;\n  a\x0bb;", "characters", 2, 4),  # a space that is not a separator
    ("a\xa0b;", "characters", 1, 2),
])
def test_where_a_text_stops_being_a_config(text, what, line, column):
    with pytest.raises(NginxSyntaxError) as exc:
        parse(text)
    assert (exc.value.what, exc.value.line, exc.value.column) == (what, line, column)


def test_empty_and_comment_only_texts_are_configs():
    assert parse("") == [] and parse("# only\n\n") == []
