"""The node command line: find node behind wrappers and split its arguments.

``unwrap(toks)`` peels launchers that pass the rest of the line on (``exec``,
``env [-S] [VAR=x]``, ``cross-env VAR=x``, ``nohup``, ``npx``, ``tini --``, the
``.env`` loaders ``dotenv -e .env --``, ``env-cmd -f .env``, ``dotenvx run --``, …)
and says whether what is left is node (or a wrapper that forwards node options:
``tsx``, ``nodemon``), a shell given a script with ``-c``, or something else.

``split(toks, db)`` splits node's arguments as node does: options up to the
first positional word (the script) or ``--``; a value-taking option
(``-r mod``, ``--import x``, ``-e code``) consumes the next word, per the flag
database's ``takes_value``; after ``-e``/``-p`` code node still reads options up
to the first positional word (measured on node 20: ``node -e 0 --expose-gc x``
applies ``--expose-gc``). Everything from the script on is the script's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..textpos import MappedText
from .args import Arg, WORDS


@dataclass
class Tok:
    """A word with its decoded text (for further splitting) and its edit data."""

    text: MappedText
    arg: Arg

    @property
    def value(self) -> str:
        return self.text.value

    @property
    def dynamic(self) -> bool:
        """Holds an expansion not known here (``arg.dynamic``)."""
        return self.arg.dynamic


class LazyTok(Tok):
    """A Tok whose Arg (its spans and edit data) is made when first read: most commands
    of a script are looked at by their words only (``tee out.log``, ``cd build``), and
    whether they are ``dynamic``, which the word says without its Arg."""

    def __init__(self, text: MappedText, make, dynamic: bool):
        self.text, self._make, self._arg, self._dynamic = text, make, None, dynamic

    @property
    def dynamic(self) -> bool:
        return self._dynamic if self._arg is None else self._arg.dynamic

    @property
    def arg(self) -> Arg:
        if self._arg is None:
            self._arg = self._make()
        return self._arg

    @arg.setter
    def arg(self, value: Arg) -> None:
        self._arg = value


@dataclass
class EnvSet:
    """``VAR=value`` given to the command by ``env``/``cross-env`` or a shell prefix."""

    name: str
    value: MappedText | None
    tok: Tok | None = None


@dataclass
class Unwrapped:
    what: str                          # "node" | "shell" | "other"
    toks: list[Tok] = field(default_factory=list)   # node: from the node word on; other: the program on
    env: list[EnvSet] = field(default_factory=list)
    wrapper: str | None = None         # tsx, nodemon, npx, env -S, ...
    shell_script: Tok | None = None    # what: shell (``sh -c SCRIPT``)
    as_limit: tuple[int, Tok] | None = None   # ``prlimit --as=N``: bytes, the option


NODE_NAMES = {"node", "nodejs"}
# Variables whose value is the node binary where the script does not set them:
# emsdk_env.sh exports EMSDK_NODE (the node emsdk installs); NODE, NODEJS, NODE_JS
# and NODE_BIN are the names scripts let a caller pick its node by (NODE=${NODE:-node}).
NODE_VARS = frozenset(("EMSDK_NODE", "NODE", "NODEJS", "NODE_JS", "NODE_BIN", "NODE_BINARY"))
FORWARDERS = {"tsx": {"--tsconfig"}, "nodemon": {"-w", "--watch", "-e", "--ext", "-i", "--ignore",
                                                 "--delay", "--config", "--signal", "-x", "--exec"}}
SHELLS = {"sh", "bash", "dash", "ash", "zsh"}
_PASS = {"exec", "nohup", "time", "command", "builtin", "dumb-init", "catchsegv", "setsid"}
_PASS_WITH_ARG = {"nice": {"-n"}, "sudo": {"-u", "-g"}, "doas": {"-u", "-C"}, "timeout": {"-s", "-k", "--signal", "--kill-after"},
                  "npx": {"-p", "--package", "-c"}, "tini": {"-s", "-p", "-e"},
                  # GNU xargs runs its command with the words of its input after the ones given
                  "xargs": {"-a", "--arg-file", "-d", "--delimiter", "-E", "-I", "-L", "--max-lines", "-n",
                            "--max-args", "-P", "--max-procs", "-s", "--max-chars"}}
_PASS_USER = {"gosu", "su-exec", "chpst"}
# Commands that take command names and only look them up (print a path, a kind, a hash
# entry): ``which emcc``, ``type node``, POSIX ``command -v``/``-V``. Nothing named runs.
_LOOKUPS = frozenset(("which", "whereis", "type", "hash", "whence", "where"))


def looks_up(words: list[str]) -> bool:
    """Whether the command of these words (its name first) only looks its operands up."""
    name = basename(words[0]) if words else ""
    if name == "command":
        return any(w in ("-v", "-V") for w in _options(words[1:]))
    return name in _LOOKUPS


def _options(words: list[str]) -> list[str]:
    """The leading option words, up to ``--`` or the first operand."""
    out = []
    for w in words:
        if w == "--" or not w.startswith("-"):
            break
        out.append(w)
    return out
# Tools that load a .env file and run the command after their options, with the options
# that take a value. dotenv-cli parses its whole line with minimist: the command is what
# follows ``--``; without it, the command's own ``-x`` words are taken as dotenv's and
# dropped (its README), so only a command with none is known. env-cmd's options end at
# the first word that is not one (commander), and everything after it is the command's.
# ``dotenvx run`` options take several values each: only ``--`` marks the command.
ENV_LOADERS: dict[str, frozenset[str]] = {
    "dotenv": frozenset(("-e", "-v", "-p", "-c")),
    "env-cmd": frozenset(("-f", "--file", "-r", "--rc-file", "-e", "--environments")),
}


def env_loader_command(words: list[str], i: int) -> int | None:
    """Where the command starts that the .env loader at ``words[i]`` runs (``dotenv -e
    .env -- node app.js`` → the index of ``node``); None when it is not known."""
    name = basename(words[i])
    if name == "dotenvx":
        if i + 1 < len(words) and words[i + 1] == "run" and "--" in words[i + 2:]:
            return words.index("--", i + 2) + 1
        return None
    with_value = ENV_LOADERS[name]
    i += 1
    while i < len(words) and words[i].startswith("-"):
        if words[i] == "--":
            return i + 1
        i += 2 if words[i] in with_value else 1
    if name == "dotenv" and any(w.startswith("-") for w in words[i + 1:]):
        return None
    return i


def loader_env(words: list[Tok], start: int, end: int) -> list[EnvSet]:
    """``dotenv -v VAR=value``: the variables a loader's options set for the command."""
    out = []
    for k in range(start + 1, end - 1):
        if words[k].value == "-v" and basename(words[start].value) == "dotenv":
            v = words[k + 1].value
            if "=" in v and v.split("=", 1)[0].isidentifier():
                out.append(EnvSet(v[:v.index("=")], words[k + 1].text.slice(v.index("=") + 1, len(v)), words[k + 1]))
    return out
ENV_SETTERS = ("env", "cross-env", "cross-env-shell")
PRLIMIT = "prlimit"
# the first words ``unwrap`` reads a command by: any other makes it "other" at once
LEADS = frozenset((*NODE_NAMES, *FORWARDERS, *SHELLS, *_PASS, *_PASS_WITH_ARG, *_PASS_USER, *ENV_SETTERS, PRLIMIT,
                   *ENV_LOADERS, "dotenvx"))


def basename(word: str) -> str:
    return word[word.rfind("/") + 1:]          # posixpath.basename of a str, without its calls


def names_node(tok: Tok) -> bool:
    """``$EMSDK_NODE``, ``"${NODE}"``: a word that is only a variable naming node."""
    return names_node_text(tok.value)


def names_node_text(v: str) -> bool:
    """``names_node`` of a word's text."""
    return v.startswith("$") and v[1:].removeprefix("{").removesuffix("}") in NODE_VARS


def unwrap(toks: list[Tok], env_s_split=None) -> Unwrapped:
    """``env_s_split(tok) -> list[Tok]`` splits an ``env -S`` string into words."""
    env: list[EnvSet] = []
    wrapper = None
    as_limit = None
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.dynamic:
            if names_node(t):
                return Unwrapped("node", toks[i:], env, wrapper, as_limit=as_limit)
            return Unwrapped("other")
        name = basename(t.value)
        if name in NODE_NAMES or name in FORWARDERS:
            return Unwrapped("node", toks[i:], env, wrapper or (name if name in FORWARDERS else None),
                             as_limit=as_limit)
        if name in SHELLS:
            rest = toks[i + 1:]
            for k, r in enumerate(rest):
                if r.value == "-c" or (r.value.startswith("-") and not r.value.startswith("--")
                                       and r.value.endswith("c")):
                    if k + 1 < len(rest):
                        return Unwrapped("shell", env=env, shell_script=rest[k + 1])
                    break
                if not r.value.startswith("-"):
                    break
            return Unwrapped("other", toks[i:], env=env)
        if name in ENV_SETTERS:
            i += 1
            while i < len(toks):
                v = toks[i].value
                if name == "env" and v in ("-S", "--split-string") and i + 1 < len(toks) and env_s_split:
                    wrapper = "env -S"
                    toks = toks[:i] + env_s_split(toks[i + 1]) + toks[i + 2:]
                    continue
                if name == "env" and v.startswith("-S") and len(v) > 2 and env_s_split:
                    return Unwrapped("other")
                if name == "env" and v in ("-u", "--unset", "-C", "--chdir"):
                    i += 2
                    continue
                if name == "env" and v.startswith("-"):
                    i += 1
                    continue
                if "=" in v and not v.startswith("=") and v.split("=", 1)[0].isidentifier():
                    k = v.index("=")
                    env.append(EnvSet(v[:k], toks[i].text.slice(k + 1, len(v)), toks[i]))
                    i += 1
                    continue
                break
            continue
        if name in ENV_LOADERS or name == "dotenvx":
            end = env_loader_command([tok.value for tok in toks], i)
            if end is None:
                return Unwrapped("other")
            env += loader_env(toks, i, end)
            i = end
            continue
        if name == PRLIMIT:
            i += 1
            while i < len(toks) and toks[i].value.startswith("-"):
                opt, _, val = toks[i].value.partition("=")
                if opt == "--as" and val.split(":")[0].isdigit():
                    as_limit = (int(val.split(":")[0]), toks[i])
                i += 1
            continue
        if name in _PASS:
            if looks_up([tok.value for tok in toks[i:]]):
                return Unwrapped("other", toks[i:], env=env)
            i += 1
            while i < len(toks) and toks[i].value.startswith("-") and name in ("time", "command"):
                i += 1
            continue
        if name in _PASS_WITH_ARG or name in _PASS_USER:
            i += 1
            with_arg = _PASS_WITH_ARG.get(name, set())
            if name in _PASS_USER:
                i += 1  # the user
            while i < len(toks) and toks[i].value.startswith("-"):
                v = toks[i].value
                i += 2 if v in with_arg else 1
                if v == "--":
                    break
            if name == "npx":
                wrapper = "npx"
            continue
        return Unwrapped("other", toks[i:], env=env)
    return Unwrapped("other", env=env)


def wrapped_command(words: list[str]) -> list[str]:
    """The command a chain of wrappers runs, as plain words: ``sudo -u app tee /etc/x``
    → ``tee /etc/x`` (the wrappers ``unwrap`` passes through, with their options and
    ``env``'s assignments; ``npx`` runs a package, so it stays)."""
    i = 0
    while i < len(words):
        name = basename(words[i])
        if name == "env":
            i += 1
            while i < len(words) and (words[i].startswith("-") or "=" in words[i]):
                i += 2 if words[i] in ("-u", "--unset", "-C", "--chdir") else 1
        elif name in _PASS and not looks_up(words[i:]):
            i += 1
            while i < len(words) and words[i].startswith("-") and name in ("time", "command"):
                i += 1
        elif name in ENV_LOADERS or name == "dotenvx":
            end = env_loader_command(words, i)
            if end is None:
                return []
            i = end
        elif (name in _PASS_WITH_ARG and name != "npx") or name in _PASS_USER:
            i += 2 if name in _PASS_USER else 1
            with_arg = _PASS_WITH_ARG.get(name, set())
            while i < len(words) and words[i].startswith("-"):
                i += 2 if words[i] in with_arg else 1
        else:
            return words[i:]
    return []


@dataclass
class Opt:
    tok: Tok
    value: Tok | None = None          # the separate value word (``-r mod``)


@dataclass
class Split:
    node: Tok
    options: list[Opt]
    script: Tok | None
    after: list[Tok]
    eval_code: Tok | None = None
    opaque: bool = False               # a splat word where options go: contents unknown
    end_of_options: Tok | None = None


_EVAL = {"--eval", "--print"}


def split(toks: list[Tok], db, wrapper: str | None = None) -> Split:
    node, rest = toks[0], toks[1:]
    own = FORWARDERS.get(basename(node.value), set())
    out = Split(node, [], None, [])
    i = 0
    while i < len(rest):
        t = rest[i]
        v = t.value
        if t.arg.splat:
            out.opaque = True
            i += 1
            continue
        if v == "--":
            out.end_of_options = t
            i += 1
            break
        if not v.startswith("-") or v == "-":
            break
        if v.split("=", 1)[0] in own:
            i += 1 if "=" in v else 2
            continue
        info = db.lookup(v) if not t.arg.dynamic else None
        takes = db.takes_value(v)
        opt = Opt(t)
        if takes and i + 1 < len(rest):
            opt.value = rest[i + 1]
            i += 1
        if info is not None and info.name in _EVAL:
            out.eval_code = opt.value or (t if "=" in v else out.eval_code)     # -e CODE, --eval=CODE
        out.options.append(opt)
        i += 1
    if i < len(rest):
        if out.eval_code is None:
            out.script = rest[i]
            out.after = rest[i + 1:]
        else:
            out.after = rest[i:]
    return out


def words_style(tok: Tok) -> bool:
    return tok.arg.style == WORDS
