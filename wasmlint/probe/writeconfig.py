"""``wasmlint probe --write-config``: store the measured recommendation as
``policy.required-node-flags`` in the project's configuration file.

The file found for the probed module is edited in place, keeping the rest of it
as written (TOML through tomlkit; YAML by replacing or adding the one entry at
positions from its parse); without one, ``.wasmlint.toml`` is created in the
project root. The new text is parsed back and must give the flags; then it is
written atomically, refused if the file changed since it was read.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..config import ConfigError, load_config
from ..fileio import StaleFile, sha256, write_atomic

KEY = "required-node-flags"


def write_policy_flags(config_path: str | None, module: Path, flags: list[str]) -> Path:
    """Write ``flags`` as ``policy.required-node-flags``; return the file written."""
    from ..runpaths import project_root
    if config_path is None:
        home = project_root(module.resolve().parent) or module.resolve().parent
        path, old = home / ".wasmlint.toml", b""
    else:
        path = Path(config_path)
        old = path.read_bytes()
    text = old.decode("utf-8")
    if path.suffix in (".yaml", ".yml"):
        new = _yaml_with(text, flags, path)
    else:
        new = _toml_with(text, flags, path.name == "pyproject.toml")
    _check(new, path, flags)
    try:
        write_atomic(path, new.encode("utf-8"), sha256(old) if config_path else None)
    except StaleFile as exc:
        raise ConfigError(str(exc)) from None
    return path


def _toml_with(text: str, flags: list[str], pyproject: bool) -> str:
    import tomlkit
    doc = tomlkit.parse(text)
    table = doc
    for name in (("tool", "wasmlint") if pyproject else ()):
        if name not in table:
            table[name] = tomlkit.table(is_super_table=True)
        table = table[name]
    if "policy" not in table:
        table["policy"] = tomlkit.table()
    value = tomlkit.array()
    value.extend(flags)
    table["policy"][KEY] = value
    out = tomlkit.dumps(doc)
    return out + "\n" if out and not out.endswith("\n") else out


def _yaml_with(text: str, flags: list[str], path: Path) -> str:
    from .. import yamlpos
    value = json.dumps(flags)          # a JSON array is a YAML flow sequence
    docs = yamlpos.documents(text)
    root = docs[0] if docs else None
    if root is not None and not yamlpos.is_map(root):
        raise ConfigError(f"{path}: the configuration must be a mapping; not written")
    policy = yamlpos.get(root, "policy") if root is not None else None
    if policy is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{sep}policy:\n  {KEY}: {value}\n"
    if not yamlpos.is_map(policy) or policy.flow_style:
        raise ConfigError(f"{path}: `policy` is not a block mapping; set `policy.{KEY}: {value}` yourself")
    current = yamlpos.get(policy, KEY)
    if current is not None:
        a, b = current.start_mark.index, current.end_mark.index
        return text[:a] + value + text[b:]
    first = policy.value[0][0].start_mark if policy.value else None
    if first is None:
        raise ConfigError(f"{path}: `policy` is empty; set `policy.{KEY}: {value}` yourself")
    line_start = text.rfind("\n", 0, first.index) + 1
    return text[:line_start] + " " * first.column + f"{KEY}: {value}\n" + text[line_start:]


def _check(new: str, path: Path, flags: list[str]) -> None:
    """The new text must load as a configuration whose policy holds ``flags``."""
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / path.name
        probe.write_text(new, encoding="utf-8")
        got = load_config(probe).policy[KEY]
    if got != flags:
        raise ConfigError(f"{path}: writing `policy.{KEY}` would give {got}, not {flags}; not written")
