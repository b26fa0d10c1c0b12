"""A Makefile's logical lines (continuations joined, comments cut), each lexed by
``grammars/makefile_line.lark``'s terminals and classified once (``Line.shape``:
operator, name, value, targets; ``Line.cond``: a conditional's arguments), so every
variant of the file (``makefile.MakeReader``) reads them without lexing again."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .pstr import PStr

CONDITIONALS = ("ifdef", "ifndef", "ifeq", "ifneq")


@lru_cache(maxsize=1)
def _scanner():
    """The terminals of ``makefile_line.lark`` as lark's standard lexer tries them (by
    priority, then longest possible match, then longest pattern, then name), as one
    pattern: a line is scanned without a token object per match (lark's lexer made one,
    and a long Makefile spent more time there than in reading its lines)."""
    import re

    from lark import Lark

    from ..resources import grammar_text
    terminals = sorted(Lark(grammar_text("makefile_line.lark"), parser="lalr").terminals,
                       key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    return re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals))


@dataclass
class Line:
    text: PStr                 # the logical line (continuations joined, comment cut)
    recipe: bool = False       # starts with a tab (may be a recipe line)
    start: int = 0             # offset of the line in the file
    stripped: str = field(init=False, repr=False)   # its text without surrounding blanks
    word: str = field(init=False, repr=False)       # its first word ("" for a blank line)
    _shape: "Shape | None" = field(init=False, repr=False, default=None)
    _cond: tuple | None = field(init=False, repr=False, default=None)

    def __post_init__(self):
        # read once: every variant runs every line
        self.stripped = self.text.text.strip()
        self.word = self.stripped.split(None, 1)[0] if self.stripped else ""

    @property
    def shape(self) -> "Shape":
        """What the line is as a statement, read once for every variant (a tab-indented line
        outside a rule is read as an ordinary line)."""
        if self._shape is None:
            self._shape = Shape.of(_as_statement(self.text) if self.recipe else self.text)
        return self._shape

    @property
    def cond(self) -> tuple:
        """A conditional's test, read once: (``ifeq`` or another, its parsed arguments
        (``_cond_parts``), the names ``ifeq``'s arguments reference when each reference is a
        plain ``$(NAME)``); for ``else ifeq …`` the test after ``else``; else Nones."""
        if self._cond is None:
            text = self.stripped[4:].strip() if self.word == "else" else self.stripped
            word = text.split(None, 1)[0] if text else ""
            parts = _cond_parts(word, text[len(word):].strip()) if word in CONDITIONALS else None
            names = _plain_refs([p.text for p in parts]) if parts and word in ("ifeq", "ifneq") else None
            self._cond = (word, parts, names) if word in CONDITIONALS else (None, None, None)
        return self._cond


@dataclass
class Shape:
    """A logical line classified the way GNU make does, by its first operator or colon
    outside references; only what a variable changes is left to each variant."""

    text: PStr
    toks: tuple[tuple[str, int, int], ...]   # (kind, start, end) of each token of ``text``
    kind: str = ""             # assign | define | rule | target-var | export | "" (nothing to run)
    mods: list[str] = field(default_factory=list)   # `export`, `override` before a variable's name
    name: PStr | None = None   # the variable an assignment, target variable or `define` sets
    op: str = ""
    value: PStr | None = None  # assignments and target variables: the value, stripped
    refs: list[str] = field(default_factory=list)    # names an assignment's value references
    targets: PStr | None = None
    prereqs: PStr | None = None
    recipe: PStr | None = None  # a rule's recipe after `;`
    exports: list[str] = field(default_factory=list)  # `export A B`

    @classmethod
    def of(cls, text: PStr) -> "Shape":
        line, toks = text.text, _lexed(text.text)
        out = cls(text, toks)
        kinds = [t for t, _, _ in toks]
        first_op = next((i for i, t in enumerate(kinds) if t in ("OP", "COLON", "SEMI")), None)
        words = [line[a:b] for t, a, b in toks if t == "TEXT"]
        end = len(line)

        def head(lo: int, hi: int) -> None:       # modifiers and the name, before an operator
            parts = [(a, b) for t, a, b in toks[lo:hi] if t != "WS"]
            out.mods = [line[a:b] for a, b in parts[:-1]]
            out.name = text[parts[-1][0]:parts[-1][1]] if parts else PStr.synth("")

        if words and words[0] == "define":
            out.kind, out.name = "define", PStr.synth(words[-1] if len(words) > 1 else "")
            out.op = next((line[a:b] for t, a, b in toks if t == "OP"), "=")
        elif first_op is not None and kinds[first_op] == "OP":
            out.kind, out.op = "assign", line[toks[first_op][1]:toks[first_op][2]]
            head(0, first_op)
            out.value = text[toks[first_op][2]:end].strip()
            out.refs = _value_refs(line, toks[first_op + 1:])
        elif first_op is not None and kinds[first_op] == "COLON":
            out.targets = text[:toks[first_op][1]]
            rest = first_op + 1
            op = next((k for k in range(rest, len(toks)) if kinds[k] in ("OP", "SEMI")), None)
            if op is not None and kinds[op] == "OP":
                out.kind, out.op = "target-var", line[toks[op][1]:toks[op][2]]
                head(rest, op)
                out.value = text[toks[op][2]:end].strip()
            else:
                out.kind = "rule"
                out.prereqs = text[toks[first_op][2]:toks[op][1] if op is not None else end]
                if op is not None:
                    out.recipe = text[toks[op][2]:end]
        elif words and words[0] == "export" and len(words) > 1:
            out.kind, out.exports = "export", words[1:]
        return out

    def words(self) -> list[tuple[str, str]]:
        """(kind, text) of each token but blanks."""
        line = self.text.text
        return [(t, line[a:b]) for t, a, b in self.toks if t != "WS"]

    @property
    def includes(self) -> bool:
        """``include a.mk b.mk`` (also ``-include``, ``sinclude``), not an assignment or a rule
        that names a variable or target ``include``."""
        return not any(kind in ("OP", "COLON") for kind, _, _ in self.toks)


def logical_lines(text: str) -> list[Line]:
    """Physical lines joined at ``\\``-newline. Outside recipes the backslash,
    newline and surrounding blanks become one space and ``#`` starts a comment. As GNU
    make reads a line, a carriage return before its newline is dropped (CRLF files)."""
    lines: list[Line] = []
    i, n = 0, len(text)
    while i < n:
        recipe = text[i] == "\t"
        parts: list[PStr] = []
        j = i
        while True:
            end = text.find("\n", j)
            end = n if end < 0 else end
            seg = text[j:end]
            if seg.endswith("\r"):
                seg = seg[:-1]
            backslashes = len(seg) - len(seg.rstrip("\\"))
            cont = backslashes % 2 == 1 and end < n
            if recipe:
                body = PStr.source(seg if not cont else seg, j)
                parts.append(body + (PStr.source("\n", end) if cont else PStr.synth("")))
                j = end + 1
                if cont and j < n and text[j] == "\t":
                    j += 1
            else:
                body = seg[:-1].rstrip() if cont else seg
                parts.append(PStr.source(body, j))
                j = end + 1
                if cont:
                    while j < n and text[j] in " \t":
                        j += 1
                    parts.append(PStr.synth(" "))
            if not cont:
                break
        joined = PStr.join(parts)
        if not recipe:
            joined = _cut_comment(joined)
        lines.append(Line(joined, recipe, i))
        i = j
    return lines


def _cut_comment(p: PStr) -> PStr:
    t, k, depth = p.text, 0, 0
    if "#" not in t:
        return p
    while k < len(t):
        c = t[k]
        if c == "\\" and k + 1 < len(t):
            k += 2
            continue
        if c == "$" and k + 1 < len(t) and t[k + 1] in "({":
            depth += 1
        elif c in ")}" and depth:
            depth -= 1
        elif c == "#" and depth == 0:
            return p[:k]
        k += 1
    return p


def _as_statement(p: PStr) -> PStr:
    """A tab-indented line outside a rule is an ordinary line: rejoin it so."""
    parts, t, k, start = [], p.text, 0, 0
    while k < len(t):
        if t[k] == "\\" and k + 1 < len(t) and t[k + 1] == "\n":
            parts += [p[start:k].strip() if not parts else p[start:k], PStr.synth(" ")]
            k += 2
            while k < len(t) and t[k] in " \t":
                k += 1
            start = k
        else:
            k += 1
    parts.append(p[start:])
    return _cut_comment(PStr.join(parts))


@lru_cache(maxsize=4096)
def _lexed(text: str) -> tuple[tuple[str, int, int], ...]:
    """A line's tokens (each line's ``Shape`` keeps them for every variant; this cache serves
    the lines every Makefile including a file reads again)."""
    out, at = [], 0
    for m in _scanner().finditer(text):
        if m.start() != at:
            return ()          # a character no terminal matches (``$`` ending the line): as lark, no tokens
        out.append((m.lastgroup, at, m.end()))
        at = m.end()
    return tuple(out) if at == len(text) else ()


def _value_refs(line: str, toks) -> list[str]:
    """The variable names an assignment's value tokens (of ``line``) reference."""
    return [n for kind, a, b in toks if kind == "REF" for n in _ref_names(line[a:b])]


def _ref_names(ref: str) -> list[str]:
    """The variable names in a reference's text: ``$(A)`` → A, ``$(subst x,y,$(B))`` → B."""
    out, k = [], ref.find("$")
    while k >= 0 and k + 1 < len(ref):
        if ref[k + 1] in "({":
            j = k + 2
            while j < len(ref) and ref[j] not in " \t:)}$,":
                j += 1
            if j < len(ref) and ref[j] in ":)}" and j > k + 2:
                out.append(ref[k + 2:j])
        k = ref.find("$", k + 1)
    return out


def _cond_parts(word: str, body: str) -> tuple[PStr, ...] | None:
    """What a conditional tests: ``ifdef``'s name, or ``ifeq``'s two arguments."""
    if word in ("ifdef", "ifndef"):
        return (PStr.synth(body),)
    args = _cond_args(body)
    return None if args is None else tuple(PStr.synth(x) for x in args)


def _plain_refs(texts: list[str]) -> tuple[str, ...] | None:
    """The names referenced in ``texts`` when every ``$`` starts a plain ``$(NAME)`` or
    ``${NAME}`` (no function, substitution, nesting or ``$$``), and there is one; else None."""
    names = []
    for t in texts:
        k = t.find("$")
        while k >= 0:
            close = {"(": ")", "{": "}"}.get(t[k + 1:k + 2])
            end = t.find(close, k + 2) if close else -1
            inner = t[k + 2:end]
            if end < 0 or not inner or any(c in inner for c in " \t$:(){}=,#"):
                return None
            names.append(inner)
            k = t.find("$", end)
    return tuple(names) or None


def _cond_args(body: str) -> tuple[str, str] | None:
    """``(a,b)`` or ``"a" "b"`` / ``'a' 'b'``."""
    if body.startswith("("):
        depth, split = 0, None
        for k, c in enumerate(body):
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "," and depth == 1 and split is None:
                split = k
        if split is None or not body.rstrip().endswith(")"):
            return None
        return body[1:split], body[split + 1:body.rstrip().rfind(")")]
    parts = body.split()
    if len(parts) == 2 and all(p[:1] in "'\"" and p[-1:] == p[:1] for p in parts):
        return parts[0][1:-1], parts[1][1:-1]
    return None
