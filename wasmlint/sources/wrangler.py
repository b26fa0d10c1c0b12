"""``wrangler.toml`` / ``wrangler.json`` / ``wrangler.jsonc`` → a ``deployment`` fact on
Cloudflare Workers: its ``main`` script (and the modules its imports reach), or the
``[build.upload] main`` of a custom build."""
from __future__ import annotations

from ..deployment import Deployment, toml_span
from ..facts import Fact
from . import TEMPLATE_MARKS, SourceFile, load_json, load_toml


def extract(src: SourceFile) -> list[Fact]:
    if src.path.endswith(".toml"):
        text, data = load_toml(src, templated_ok=True)
        if text is None:
            return data
        main, table = data.get("main"), ""
        upload = data.get("build", {}).get("upload", {}) if isinstance(data.get("build"), dict) else {}
        if not isinstance(main, str) and isinstance(upload, dict) and isinstance(upload.get("main"), str):
            main, table = upload["main"], "build.upload"
        span = toml_span(src.path, text, table, "main") if isinstance(main, str) else src.span()
        minify = data.get("minify") is True
        rules = _rules(data.get("rules"), _rule_spans_toml(src.path, text))
    else:
        idx, root = load_json(src, comments=src.path.endswith(".jsonc"))
        if idx is None:
            text = bytes(src.data).decode("utf-8", "replace")
            return [] if any(m in text for m in TEMPLATE_MARKS) else root
        if root.type != "object":
            return []
        node = root.get("main")
        main = node.str_value() if node is not None else None
        key = root.key_node("main")
        span = idx.span(key.start, node.end) if key is not None and node is not None else idx.span(0, 1)
        flag = root.get("minify")
        minify = flag is not None and flag.type == "bool" and flag.value is True
        node = root.get("rules")
        items = node.items if node is not None and node.type == "array" else []
        rules = _rules(node.plain() if node is not None else None, [idx.span(i.start, i.end) for i in items])
    name = src.path.rsplit("/", 1)[-1]
    entries = [main] if isinstance(main, str) and main.strip() else []
    via = f"`main` of {name}" if entries else name
    kind = data.get("type") if src.path.endswith(".toml") else None
    if not entries and kind in ("webpack", "javascript"):
        # wrangler 1: a webpack or javascript project's Worker is its package.json `main`
        pkg_main = _package_main(src)
        if pkg_main:
            entries, via = [pkg_main], f"`main` of package.json (wrangler 1 `type = \"{kind}\"` in {name})"
    return [Deployment(span, platform="cloudflare-workers", via=via,
                       entries=entries, minify=minify, module_rules=rules)]


def _package_main(src: SourceFile) -> str | None:
    """The ``main`` of the package.json beside the wrangler config."""
    import json

    from ..toolchain.project_files import ProjectFiles
    files = ProjectFiles(src)
    rel = files.resolve(files.rel_dir, "package.json")
    text = files.read(rel) if rel is not None and files.is_file(rel) else None
    try:
        main = json.loads(text).get("main") if text else None
    except (ValueError, AttributeError):
        return None
    return main.strip() if isinstance(main, str) and main.strip() else None


def _rules(raw, spans: list) -> list[dict]:
    """``[[rules]]``/``rules`` as ``{type, globs, fallthrough, span}``; a malformed rule is
    skipped (wrangler refuses the config itself)."""
    out = []
    for i, rule in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(rule, dict) or not isinstance(rule.get("type"), str):
            continue
        globs = [g for g in rule.get("globs") or [] if isinstance(g, str)] if isinstance(rule.get("globs"), list) else []
        out.append({"type": rule["type"], "globs": globs, "fallthrough": rule.get("fallthrough") is True,
                    "span": spans[i] if i < len(spans) else (spans[-1] if spans else None)})
    return out


def _rule_spans_toml(path: str, text: str) -> list:
    """The span of each ``[[rules]]`` header (a ``rules = [...]`` array: its line, for every rule)."""
    from ..facts import Span
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.replace(" ", "").startswith("[[rules]]") or line.split("=", 1)[0].strip() == "rules" and "=" in line:
            col = len(raw) - len(raw.lstrip()) + 1
            out.append(Span(path, n, col, n, len(raw) + 1))
    return out
