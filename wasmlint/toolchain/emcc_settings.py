"""Emscripten settings: names, aliases and values, as emcc itself reads them.

The grammar is ``grammars/emcc_setting.lark``; the data (every setting's type,
the legacy and deprecated tables, the memory-size settings) is
``wasmlint/data/emscripten-settings.json``, generated from an Emscripten
checkout by ``scripts/gen_emscripten_settings.py``. The order of the steps is
emcc's (``tools/cmdline.py`` ``parse_s_args``/``apply_user_settings``, formats.md
§2.1): ``NO_`` flip on the raw text (0/1 only), alias to the canonical name,
memory-size suffixes, ``@file``, then type-directed parsing and the type check.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..spelling import Speller, Words, close_matches
from .pstr import UNKNOWN

# Aliases emcc maps before parsing (LEGACY_SETTINGS renames), plus USE_PTHREADS,
# which emcc.py copies into PTHREADS after the parse.
EXTRA_ALIASES = {"USE_PTHREADS": "PTHREADS"}
BOOL_ERROR = "attempt to set `{name}` to `{value}`; use 1/0 to set boolean settings"
SIZE_ERROR = "invalid byte size `{value}`.  Valid suffixes are: kb, mb, gb, tb"


class SettingError(ValueError):
    """A value emcc rejects; the message is emcc's own text."""


class RemovedSetting(SettingError):
    """A legacy setting's value that emcc's newer releases reject and older ones took:
    ``value`` is what the command passes."""

    def __init__(self, message: str, value: Any):
        super().__init__(message)
        self.value = value


@lru_cache(maxsize=1)
def data() -> dict:
    from ..resources import package_data
    return json.loads(package_data("emscripten-settings.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from ..resources import grammar_text
    return Lark(grammar_text("emcc_setting.lark"), parser="lalr",
                start=["setting", "size", "number", "strlist", "atfile"])


def _parse(text: str, start: str):
    from lark.exceptions import LarkError
    try:
        return _parser().parse(text, start=start)
    except LarkError:
        return None


@lru_cache(maxsize=None)
def _terminal(name: str) -> re.Pattern:
    """One of the grammar's terminals as a regular expression."""
    return re.compile(_parser().get_terminal(name).pattern.to_regexp())


def _key_pattern() -> re.Pattern:
    """The grammar's ``KEY`` terminal: a NAME without ``=`` is a ``setting`` exactly when it
    matches it whole (no LALR parse per ``-s`` word)."""
    return _terminal("KEY")


# Numbers, and the plain shapes most list and size values take, are read with the grammar's
# own terminals, without an LALR parse each (a build repeats its settings on every line and
# in every variant, each with its own list); every other text goes to the grammar.
# tests/test_parser_properties.py checks that both readings agree.

def _number(text: str) -> tuple[str, str] | None:
    """``number`` is one token: (HEX or DEC, text) when ``text`` is one whole, else None
    (what the LALR parse of ``number`` gives, without one)."""
    for typ in ("HEX", "DEC"):          # HEX first: it has the higher priority
        if _terminal(typ).fullmatch(text):
            return typ, text
    return None


_PLAIN_MEMBER = re.compile(r"[^,'\"\[\]\s]+")


def _plain_members(inner: str) -> list[str] | None:
    """``_a,_b``: members without quotes, brackets or blanks (each one whole BARE token),
    or None for any other shape."""
    members = inner.split(",")
    return members if all(_PLAIN_MEMBER.fullmatch(m) for m in members) else None


def split_setting(text: str) -> tuple[str, str] | None:
    """``NAME=VALUE`` / ``NAME`` (the text after ``-s``) → (NAME, raw value), or None
    when NAME is not an upper-case identifier (then ``-s`` is lld's --strip-all)."""
    key, eq, value = text.partition("=")
    if _key_pattern().fullmatch(key) is None:
        return None
    return key, value if eq else "1"


def canonical(name: str) -> str:
    """The current name of a setting spelled ``name`` (after the NO_ flip)."""
    if name in EXTRA_ALIASES:
        return EXTRA_ALIASES[name]
    legacy = data()["legacy"].get(name)
    if legacy and "renamed-to" in legacy:
        return legacy["renamed-to"]
    return name


def flip_no(name: str, value: str) -> tuple[str, str]:
    """``-sNO_X=1`` → ``X=0``; only for the values 0 and 1 (emcc normalize_boolean_setting)."""
    if name.startswith("NO_") and value in ("0", "1"):
        return name[3:], str(1 - int(value))
    return name, value


def is_memory_size(name: str) -> bool:
    return name in data()["memory-size"]


def setting_type(name: str) -> str | None:
    """bool, int, float, str, list, any (untyped) — or None for legacy/unknown names."""
    return data()["settings"].get(name)


def known(name: str) -> bool:
    d = data()
    return name in d["settings"] or name in d["legacy"] or name in EXTRA_ALIASES


def compile_time(name: str) -> bool:
    """A setting emcc also applies when it compiles (``PTHREADS``, ``USE_ZLIB``, ``MEMORY64``):
    it can configure a library build, not only a link."""
    return name in data()["compile-time"]


def is_internal(name: str) -> bool:
    return name in data()["internal"] and name not in data()["settings"]


def deprecated_reason(spelling: str) -> str | None:
    """Why a spelling is deprecated: a renamed legacy alias or a DEPRECATED_SETTINGS name."""
    d = data()
    legacy = d["legacy"].get(spelling)
    if legacy and "renamed-to" in legacy:
        return f"setting renamed to {legacy['renamed-to']}"
    if spelling in d["deprecated"]:
        return d["deprecated"][spelling]
    return None


def named_setting(message: str) -> str | None:
    """The one current setting emcc's deprecation message points to ("please use
    EXPORTED_RUNTIME_METHODS instead"), else None (none, or several)."""
    words = "".join(c if c.isalnum() or c == "_" else " " for c in message).split()
    named = {w for w in words if w in data()["settings"]}
    return named.pop() if len(named) == 1 else None


_SPELLER = Speller()


@lru_cache(maxsize=1)
def _spellable() -> tuple[Words, frozenset[str]]:
    """The settings a user may write (not internal ones), listed once: what every unknown
    name is compared with."""
    d = data()
    valid = [k for k in d["settings"] if k not in d["internal"]]
    return Words(valid), frozenset(valid)


def suggestions(name: str) -> list[str]:
    """Close spellings of an unknown setting, as emcc suggests them (difflib's default cutoff)."""
    upper = name.upper()

    def compute() -> list[str]:
        valid, names = _spellable()
        found = close_matches(upper, valid)
        if upper in names and upper not in found:
            found.insert(0, upper)
        return found
    return _SPELLER.suggest(upper, compute)


def _plain_size(text: str) -> int | None:
    """A plain byte count (``size`` without blanks or suffix), or None for any other shape."""
    return int(text) if _terminal("DIGITS").fullmatch(text) else None


def parse_size(text: str) -> int:
    plain = _plain_size(text.strip())
    if plain is not None:
        return plain
    tree = _parse(text.strip(), "size")
    if tree is None:
        raise SettingError(SIZE_ERROR.format(value=text.strip()))
    digits, suffix = 0, ""
    for tok in tree.children:
        if tok.type == "DIGITS":
            digits = int(tok)
        elif tok.type == "SUFFIX":
            suffix = tok.lower()
    return digits * 1024 ** ("b", "kb", "mb", "gb", "tb").index(suffix) if suffix else digits


def _relaxed_list(text: str) -> list[str]:
    text = text.rstrip()
    if text.startswith("[") and not text.endswith("]"):
        raise SettingError('unterminated string list. expected final character to be "]"')
    inner = text[1:-1] if text.startswith("[") else text
    if not inner.strip():
        return []
    members = _plain_members(inner)
    if members is None:
        members = _grammar_members(text)
    if members is None:
        raise SettingError("empty value in string list" if ",," in inner.replace(" ", "") or
                           inner.strip().endswith(",") else "unclosed quoted string in list")
    return members


def _grammar_members(text: str) -> list[str] | None:
    """The members of a ``strlist`` as the grammar reads them, or None when it refuses it."""
    tree = _parse(text, "strlist")
    if tree is None:
        return None
    out = []
    for member in tree.find_data("member"):
        tok = next(t for t in member.children if t.type in ("SQ", "DQ", "BARE"))
        out.append(tok[1:-1] if tok.type in ("SQ", "DQ") else str(tok))
    return out


def _scalar(text: str, typ: str | None) -> Any:
    if typ == "float":
        try:
            return float(text)
        except ValueError:
            pass
    number = _number(text)
    if number is not None:
        kind, tok = number
        try:
            return int(tok, 16) if kind == "HEX" else int(tok)
        except ValueError:
            pass
    if text[:1] in ("'", '"'):
        stripped = text.rstrip()
        if len(stripped) < 2 or stripped[-1] != stripped[0]:
            raise SettingError(f'unclosed quoted string. expected final character to be "{text[0]}"')
        return stripped[1:-1]
    return text


def parse_value(name: str, raw: str, spelling: str | None = None) -> Any:
    """The value emcc stores for canonical setting ``name`` given ``raw``, or
    SettingError with emcc's message. ``@file`` values are returned as
    ``{"file": path}`` (read by the caller, inside the project only)."""
    spelling = spelling or name
    if is_memory_size(name):
        value: Any = parse_size(raw)
        return _check(name, spelling, value)
    tree = _parse(raw, "atfile") if raw.startswith("@") else None
    if tree is not None:
        return {"file": str(tree.children[-1])}
    typ = setting_type(name)
    text = raw.replace("\\", "\\\\")
    if typ == "list" or text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = _relaxed_list(text)
        else:
            if not isinstance(value, (str, list)):
                raise SettingError(f"settings must be strings or lists (not {type(value).__name__})")
            if isinstance(value, list) and not all(isinstance(v, str) for v in value):
                raise SettingError("list members in settings must be strings")
    else:
        value = _scalar(text, typ)
    return _check(name, spelling, value)


_PY = {"bool": bool, "int": int, "float": float, "str": str, "list": list}


def _check(name: str, spelling: str, value: Any) -> Any:
    d = data()
    legacy = d["legacy"].get(spelling)
    if legacy and "allowed" in legacy and value not in legacy["allowed"]:
        raise RemovedSetting(f"invalid command line setting `-s{spelling}={_show(value)}`: {legacy['message']}",
                             value)
    # emcc type-checks the name as written: a legacy alias has no type of its own
    typ = None if legacy else setting_type(name)
    if typ in (None, "any"):
        return value
    if typ == "bool" and not isinstance(value, list):
        if value in (0, 1) and not isinstance(value, float):
            return int(value)
        if value in ("True", "False", "true", "false"):
            raise SettingError(BOOL_ERROR.format(name=spelling, value=value))
    if typ == "float" and isinstance(value, int):
        return float(value)
    if type(value) is not _PY[typ]:
        raise SettingError(f"setting `{spelling}` expects `{typ}` but got `{type(value).__name__}`")
    return value


def _show(value: Any) -> str:
    return json.dumps(value) if isinstance(value, list) else str(value)


@dataclass(frozen=True)
class Parsed:
    """One ``-s`` occurrence after emcc's normalisation."""

    spelling: str          # the name as written (TOTAL_MEMORY, NO_EXIT_RUNTIME)
    name: str              # the canonical name (INITIAL_MEMORY, EXIT_RUNTIME)
    raw: str               # the value text after the NO_ flip
    value: Any = None      # the parsed value (None when unknown or invalid)
    error: str | None = None
    unknown_value: bool = False
    passed: Any = None     # a removed legacy setting's value: what the command passes all the same


def parse_setting(text: str) -> Parsed | None:
    """The text after ``-s`` → a Parsed setting, or None for lld's ``-s``. A build repeats
    its settings on every link and in every variant: each text is parsed once (a list
    value is copied, so no two uses share it: its members are strings, a shallow copy is whole)."""
    parsed = _parsed.get(text, _NOT_YET)
    if parsed is _NOT_YET:
        refused = _SPELLER.refused
        parsed = _parse_setting(text)
        if _SPELLER.refused == refused:     # a message the speller's limit shortened is not kept
            if len(_parsed) >= MAX_PARSED:
                _parsed.clear()
            _parsed[text] = parsed
    if parsed is not None and isinstance(parsed.value, (list, dict)):
        return replace(parsed, value=copy.copy(parsed.value))
    return parsed


MAX_PARSED = 4096
_parsed: dict[str, Parsed | None] = {}
_NOT_YET = object()


def _parse_setting(text: str) -> Parsed | None:
    split = split_setting(text)
    if split is None:
        return None
    spelling, raw = split
    flipped, raw = flip_no(spelling, raw)
    name = canonical(flipped)
    if UNKNOWN in raw:
        return Parsed(spelling, name, raw, unknown_value=True)
    if is_internal(name) and spelling not in EXTRA_ALIASES:
        return Parsed(spelling, name, raw, error=f"{name} is an internal setting and cannot be set from command line")
    if not known(flipped) and not known(name):
        return Parsed(spelling, name, raw, error=_unknown_message(flipped))
    try:
        value = parse_value(name, raw, flipped)
    except RemovedSetting as exc:
        return Parsed(spelling, name, raw, error=str(exc), passed=exc.value)
    except SettingError as exc:
        return Parsed(spelling, name, raw, error=str(exc))
    return Parsed(spelling, name, raw, value=value)


def _unknown_message(name: str) -> str:
    msg = f"Attempt to set a non-existent setting: '{name}'"
    close = suggestions(name)
    return msg + (f" - did you mean one of {', '.join(close)}?" if close else "")
