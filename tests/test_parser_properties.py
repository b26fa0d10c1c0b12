"""Property tests for two small grammars (the fuzz/ harnesses run the same parsers
on raw bytes): emcc's ``-s NAME=VALUE`` settings and NODE_OPTIONS splitting."""
from __future__ import annotations

import json
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from wasmlint import jsonpos, nodeoptions
from wasmlint.toolchain import emcc_settings as es
from wasmlint.textpos import MappedText

PROPS = settings(max_examples=300, deadline=None)
NAMES = sorted(es.data()["settings"])
TYPED = {t: [n for n in NAMES if es.setting_type(n) == t and not es.is_internal(n)
             and not es.is_memory_size(n) and n not in es.data()["legacy"]] for t in ("int", "bool", "list")}
ARG = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), min_size=1, max_size=12)


@PROPS
@given(st.text(max_size=60))
def test_any_setting_text_parses_or_says_why(text):
    p = es.parse_setting(text)
    if p is None:
        return
    assert p.name == es.canonical(es.flip_no(p.spelling, "1")[0]) or p.error or p.unknown_value
    assert p.error is None or p.value is None
    assert isinstance(p.error, (str, type(None)))


@PROPS
@given(st.sampled_from(TYPED["int"]), st.integers(0, 2**31))
def test_int_settings_round_trip(name, n):
    for written in (str(n), hex(n)):
        p = es.parse_setting(f"{name}={written}")
        assert (p.name, p.value, p.error) == (name, n, None)


@PROPS
@given(st.sampled_from(TYPED["bool"]), st.sampled_from([0, 1]))
def test_bool_settings_and_their_no_spelling_are_opposites(name, v):
    assert es.parse_setting(f"{name}={v}").value == v
    flipped = es.parse_setting(f"NO_{name}={v}")
    assert flipped.name == name and flipped.value == 1 - v and flipped.error is None


@PROPS
@given(st.sampled_from(TYPED["list"]), st.lists(st.from_regex(r"[A-Za-z_$][A-Za-z0-9_$]{0,10}", fullmatch=True),
                                                  max_size=6))
def test_list_settings_read_json_and_bare_lists_alike(name, items):
    as_json = es.parse_setting(f"{name}=[" + ",".join(f'"{i}"' for i in items) + "]")
    bare = es.parse_setting(f"{name}=[" + ",".join(items) + "]")
    assert as_json.value == items and as_json.error is None
    assert bare.value == items and bare.error is None


@PROPS
@given(st.sampled_from(["INITIAL_MEMORY", "MAXIMUM_MEMORY", "STACK_SIZE"]), st.integers(1, 4096),
       st.sampled_from(["", "KB", "MB", "GB", "kb", "mb"]))
def test_memory_sizes_take_suffixes(name, n, suffix):
    scale = {"": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}[suffix.lower()]
    p = es.parse_setting(f"{name}={n}{suffix}")
    assert p.value == n * scale or p.error   # values emcc rejects (page multiples, 4 GiB) carry its error


# Values in the shapes emcc reads (numbers, hex, sizes, bare and quoted list members, with
# blanks of both kinds around them), texts of the characters that decide how a value
# reads, and any text at all.
PIECE = st.from_regex(r"[ \t\u00a0]?[+-]?(0x)?[0-9a-fA-F_$.@\\]{0,5}[ \t]?([kKmMgG]?[bB])?[ \t\u00a0]?", fullmatch=True)
MEMBERS = st.lists(st.one_of(PIECE, PIECE.map("'{}'".format), PIECE.map('"{}"'.format)), max_size=4).map(",".join)
VALUE_TEXT = st.one_of(st.from_regex(r"[+-]?[0-9][0-9_]{0,9}|0x[0-9a-fA-F_]{1,8}", fullmatch=True), PIECE, MEMBERS,
                       MEMBERS.map("[{}]".format),
                       st.text(st.sampled_from(list("019afAFxX_+-,'\"[] \t\n\u00a0kKmMbB@.$\\")), max_size=16),
                       st.text(max_size=16))


@PROPS
@given(VALUE_TEXT)
def test_numbers_read_without_a_parse_are_what_the_grammar_reads(text):
    assert es._number(text) == _grammar_number(text)


@PROPS
@given(VALUE_TEXT)
def test_plain_lists_read_without_a_parse_are_what_the_grammar_reads(inner):
    plain = es._plain_members(inner)
    if plain is not None:
        assert es._grammar_members(inner) == plain
        assert es._grammar_members(f"[{inner}]") == plain


@PROPS
@given(VALUE_TEXT)
def test_plain_sizes_read_without_a_parse_are_what_the_grammar_reads(text):
    try:
        fast = es.parse_size(text)
    except es.SettingError as exc:
        fast = str(exc)
    with patch.object(es, "_plain_size", lambda text: None):
        try:
            slow = es.parse_size(text)
        except es.SettingError as exc:
            slow = str(exc)
    assert fast == slow


@PROPS
@given(st.sampled_from(NAMES + ["TOTAL_MEMORY", "NO_EXIT_RUNTIME", "UNKNOWN_ONE"]), VALUE_TEXT)
def test_settings_read_the_same_with_the_grammar_alone(name, value):
    """Every shortcut off (numbers, plain lists and sizes through the LALR parse): the same Parsed."""
    fast = es._parse_setting(f"{name}={value}")
    with patch.object(es, "_plain_size", lambda text: None), \
            patch.object(es, "_plain_members", lambda inner: None), \
            patch.object(es, "_number", _grammar_number):
        slow = es._parse_setting(f"{name}={value}")
    assert fast == slow


def _grammar_number(text):
    tree = es._parse(text, "number")
    return None if tree is None else (tree.children[0].type, str(tree.children[0]))


def _quoted(arg: str) -> str:
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


@PROPS
@given(st.lists(ARG, max_size=6), st.integers(1, 3))
def test_node_options_quoted_arguments_round_trip(args, gap):
    value = (" " * gap).join(_quoted(a) for a in args)
    toks, error = nodeoptions.split(MappedText.verbatim(value, 10))
    assert error is None
    assert [t.value for t in toks] == args
    for t, a in zip(toks, args):   # each token maps back to its own quoted word in the file
        assert value[t.src_start - 10:t.src_end - 10] == _quoted(a)


@PROPS
@given(st.lists(st.from_regex(r"--?[a-z][a-z0-9-]{0,15}(=[A-Za-z0-9./:]{1,8})?", fullmatch=True), max_size=8))
def test_node_options_plain_words_split_on_spaces(words):
    toks, error = nodeoptions.split(MappedText.verbatim("  ".join(words), 0))
    assert error is None and [t.value for t in toks] == words


@PROPS
@given(st.text(max_size=60))
def test_node_options_any_text_splits_or_gives_nodes_error(text):
    toks, error = nodeoptions.split(MappedText.verbatim(text, 0))
    assert error in (None, "invalid value for NODE_OPTIONS (unterminated string)",
                     "invalid value for NODE_OPTIONS (invalid escape)")
    for t in toks:
        assert t.value and 0 <= t.src_start <= t.src_end <= len(text)


@PROPS
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), st.booleans())
def test_json_strings_decode_as_json_does_and_each_character_maps_to_its_source(value, ascii_only):
    text = json.dumps({"k": value}, ensure_ascii=ascii_only)
    decoded = jsonpos.parse(text).pairs[0][1].text
    assert decoded.value == value
    for k, ch in enumerate(value):    # a plain character is itself, an escape decodes to it
        assert json.loads('"' + text[decoded.starts[k]:decoded.ends[k]] + '"') == ch
