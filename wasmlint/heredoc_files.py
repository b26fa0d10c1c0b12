"""Files a shell script writes from a here-document: ``sudo tee /etc/systemd/system/app.service
<<EOF``, ``cat > /etc/nginx/conf.d/site.conf <<'EOF'``, ``cat <<EOF > Dockerfile``, and
``kubectl apply -f - <<EOF``. A deploy script that writes a systemd unit or an nginx site
this way launches and serves with it: the body is read as a file of the kind the target's
name says (``classify``), where it stands in the script, so its findings point at the script's
lines. The body is read as written: an expansion (``$DEPLOY_DIR``) stays its text, and a body
that does not parse as its kind is left alone (a fragment with expansions is not the file).
"""
from __future__ import annotations

from .bashtree import parse_bytes
from .classify import kind_by_content, kind_by_name
from .launch.argv import wrapped_command

# the kinds a here-document is read as (launch and serving files; a shell script only when
# the writing script runs it: pygbag's `cat > final_link.sh <<END … END` then `./final_link.sh`)
KINDS = frozenset(("systemd", "nginx", "dockerfile", "compose", "k8s", "procfile", "pm2", "shell"))
_MAX_BODIES = 64
_RUNNERS = frozenset(("bash", "sh", "dash", "zsh", "source", ".", "exec"))


def written_bodies(data: bytes) -> list[tuple[str, str, int, int, bool]]:
    """``(kind, target, start, end, quoted)``: the byte ranges of the here-document bodies the
    script writes to a file of a known kind (``target`` as written), or hands to ``kubectl
    apply -f -``, and whether the delimiter is quoted (the body is then written as is)."""
    if b"<<" not in data:
        return []
    out: list[tuple[str, str, int, int, bool]] = []
    ran: set[str] = set()       # the scripts the script runs (`./x.sh`, `bash x.sh`)
    stack = [parse_bytes(data).root_node]
    while stack and len(out) < _MAX_BODIES:
        node = stack.pop()
        if node.type == "redirected_statement":
            found = _written(node)
            if found is not None:
                out.append(found)
        elif node.type == "command":
            ran |= _runs(node)
        stack.extend(reversed(node.named_children))
    return [b for b in out if b[0] != "shell" or _norm(b[1]) in ran]


def _norm(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def _runs(command) -> set[str]:
    words = [w.text.decode("utf-8", "replace").strip("'\"") for w in command.named_children
             if w.type in ("command_name", "word", "string", "raw_string")]
    if not words:
        return set()
    if words[0] in _RUNNERS:
        return {_norm(w) for w in words[1:2]}
    return {_norm(words[0])} if "/" in words[0] else set()


def shell_body(body: bytes, quoted: bool) -> bytes:
    """A script body as the file it writes holds it. With an unquoted delimiter (``<<END``)
    bash removes one backslash of each pair (here-document quoting), so a pair ending a
    line is the written script's line continuation: it becomes a blank and one backslash
    (the same length, so the body's columns stay the script's). Expansions stay their text."""
    return body if quoted else body.replace(b"\\\\\n", b" \\\n")


def placed(data: bytes, start: int, end: int) -> bytes:
    """The body ``data[start:end]`` after as many empty lines as come before it (a body starts
    a line): its own lines are the script's, and reading it costs its size alone."""
    return b"\n" * data.count(b"\n", 0, start) + data[start:end]


def _written(stmt) -> tuple[str, str, int, int, bool] | None:
    heredoc = next((c for c in stmt.named_children if c.type == "heredoc_redirect"), None)
    body = next((c for c in heredoc.named_children if c.type == "heredoc_body"), None) if heredoc else None
    command = stmt.child_by_field_name("body")
    if body is None or command is None or command.type != "command":
        return None
    words = [w.text.decode("utf-8", "replace").strip("'\"") for w in command.named_children
             if w.type in ("command_name", "word", "string", "raw_string", "concatenation")]
    words = wrapped_command(words)
    target = None
    if words[:1] == ["kubectl"] and {"apply", "create", "replace"} & set(words) and \
            {"-f", "--filename", "-f-", "--filename=-"} & set(words):      # `-f -`: the manifest is the body
        return "k8s", "-", body.start_byte, body.end_byte, True
    if words and words[0] == "tee":
        target = next((w for w in words[1:] if not w.startswith("-")), None)
    elif words and words[0] == "cat" and len(words) == 1:
        redirects = [c for c in (*stmt.named_children, *heredoc.named_children) if c.type == "file_redirect"]
        dest = redirects[0].child_by_field_name("destination") if redirects else None
        target = dest.text.decode("utf-8", "replace").strip("'\"") if dest is not None else None
    if not target:
        return None
    rel = target.lstrip("/")
    kind = kind_by_name(rel)
    if kind is None and rel.lower().endswith((".yml", ".yaml")):
        kind = kind_by_content(rel, body.text[:4096], None)
    start = next((c for c in heredoc.named_children if c.type == "heredoc_start"), None)
    quoted = start is None or any(q in start.text for q in (b"'", b'"', b"\\"))
    return (kind, target, body.start_byte, body.end_byte, quoted) if kind in KINDS else None
