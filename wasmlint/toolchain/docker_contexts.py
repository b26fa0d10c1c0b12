"""The build context of a Dockerfile: the folder ``docker build`` sends to the builder,
which ``COPY .`` and ``RUN --mount=type=bind,source=.`` put in the container.

It is the Dockerfile's own folder only when nothing says otherwise. ``docker build . -f
dist/web/Dockerfile`` (``docker buildx build``, ``docker image build``, ``podman build``)
in a CI step, a script or a package.json script, a compose service's ``build: {context:
., dockerfile: dist/web/Dockerfile}``, and ``docker/build-push-action``'s ``context:`` and
``file:`` name another: the folder the command runs in joined with the context argument.
docker reads ``-f`` relative to the folder the command runs in, compose reads
``dockerfile`` relative to the context (docker-build(1), the Compose Build Specification).
ImHex's web build runs ``docker buildx build . -f dist/web/Dockerfile``; its ``RUN``
configures the top ``CMakeLists.txt`` (``cmake /imhex`` over the bound context), which the
Dockerfile's own folder, ``dist/web``, does not hold.
"""
from __future__ import annotations

import posixpath

import fnmatch

from ..classify import kind_by_name
from .make_runs import SURFACES, surface_commands
from .project_files import folders_up
from .workflow_scripts import may_run_script

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
BUILD_ACTION = "docker/build-push-action@"
WORDS = ("docker", "podman")
# `docker build` options that take the next word as their value
BUILD_VALUE_OPTIONS = frozenset((
    "-f", "--file", "-t", "--tag", "--build-arg", "--target", "-o", "--output", "--platform", "--progress",
    "--cache-from", "--cache-to", "--secret", "--ssh", "--label", "--network", "--add-host", "-m", "--memory",
    "--memory-swap", "--iidfile", "--metadata-file", "--builder", "--build-context", "--attest", "--annotation",
    "--shm-size", "--ulimit", "--cgroup-parent", "--isolation", "-c", "--cpu-shares", "--cpuset-cpus",
    "--cpuset-mems", "--cpu-period", "--cpu-quota", "--allow", "--call", "--security-opt", "--sbom", "--provenance"))


def contexts(project) -> dict[str, str]:
    """{Dockerfile: its build context}, both project-relative, for the Dockerfiles the
    project builds from another folder; read once per project."""
    found = project.docker_contexts
    if found is None:
        found = {}
        for rel in _command_files(project):
            text = project.read(rel)
            if text is not None and any(w in text for w in WORDS):
                for base, commands in surface_commands(project, rel, text, may_run_script(rel, text))[1]:
                    for argv, cwd in commands:
                        _add(found, _built(project, [t.text.text for t in argv], base, cwd))
                if rel.startswith(".github/workflows/") and BUILD_ACTION in text:
                    for pair in _action_builds(project, text):
                        _add(found, pair)
        for name in COMPOSE_NAMES:
            text = project.read(name) if name in project.list(".") else None
            for pair in _compose_builds(project, text) if text else ():
                _add(found, pair)
        project.docker_contexts = found
    return found


def built_from(project, rel_dir: str) -> list[str]:
    """The Dockerfiles of other folders whose build context is ``rel_dir`` or a folder above it."""
    ups = set(folders_up(rel_dir, 64))
    return sorted(d for d, ctx in contexts(project).items() if ctx in ups)


def _add(found: dict[str, str], pair: tuple[str, str] | None) -> None:
    """Keep the first context named for a Dockerfile, when it is not the Dockerfile's folder."""
    if pair is not None and pair[0] not in found and posixpath.dirname(pair[0]) != pair[1]:
        found[pair[0]] = pair[1]


def _command_files(project) -> list[str]:
    out = [f".github/workflows/{n}" for n in project.list(".github/workflows") if n.endswith((".yml", ".yaml"))]
    out += [n for n in project.list(".") if kind_by_name(n) == "makefile" or
            any(fnmatch.fnmatchcase(n.lower(), g) for g in SURFACES if "dockerfile" not in g)]
    return out


def build_command(words: list[str]) -> tuple[str | None, list[str], list[str]] | None:
    """(``-f`` FILE or None, the CONTEXT words, the ``-t`` image names) of a ``docker build``
    (``buildx build``, ``image build``, podman); None for any other command."""
    if not words or posixpath.basename(words[0]) not in WORDS:
        return None
    if words[1:3] in (["buildx", "build"], ["image", "build"]):
        k = 3
    elif words[1:2] == ["build"]:
        k = 2
    else:
        return None
    file, context, tags = None, [], []
    while k < len(words):
        w = words[k]
        if w in BUILD_VALUE_OPTIONS and k + 1 < len(words):
            if w in ("-f", "--file"):
                file = words[k + 1]
            elif w in ("-t", "--tag"):
                tags.append(words[k + 1])
            k += 2
            continue
        if w.startswith("--file="):
            file = w.split("=", 1)[1]
        elif w.startswith("--tag="):
            tags.append(w.split("=", 1)[1])
        elif not w.startswith("-"):
            context.append(w)
        k += 1
    return file, context, tags


def _built(project, words: list[str], base: str, cwd: str | None) -> tuple[str, str] | None:
    """(Dockerfile, context) of a ``docker build -f FILE CONTEXT`` run in ``base``/``cwd``."""
    parsed = build_command(words) if cwd is not None else None
    if parsed is None:
        return None
    file, context, _ = parsed
    if file is None or len(context) != 1 or "://" in context[0] or context[0] in ("-", ""):
        return None
    here = posixpath.join(base, cwd)
    return _pair(project, posixpath.join(here, file), posixpath.join(here, context[0]))


def _action_builds(project, text: str) -> list[tuple[str, str]]:
    """``uses: docker/build-push-action`` steps ``with: {context, file}`` (the workspace's)."""
    from .. import yamlpos
    out = []
    for doc in yamlpos.documents(text):
        for _, job in yamlpos.pairs(yamlpos.get(doc, "jobs")):
            for step in yamlpos.items(yamlpos.get(job, "steps")):
                if not (yamlpos.str_of(yamlpos.get(step, "uses")) or "").startswith(BUILD_ACTION):
                    continue
                given = yamlpos.get(step, "with")
                context = yamlpos.str_of(yamlpos.get(given, "context")) or "."
                file = yamlpos.str_of(yamlpos.get(given, "file"))
                if file and "${{" not in context + file:
                    out.append(_pair(project, file, context))
    return out


def _compose_builds(project, text: str) -> list[tuple[str, str]]:
    """Compose services' ``build: {context, dockerfile}`` (the file's folder is the root)."""
    from .. import yamlpos
    out = []
    try:
        docs = yamlpos.documents(text)
    except Exception:           # the compose reader reports a file that does not parse
        return []
    for doc in docs:
        for _, service in yamlpos.pairs(yamlpos.get(doc, "services")):
            build = yamlpos.get(service, "build")
            file = yamlpos.str_of(yamlpos.get(build, "dockerfile")) if build is not None and \
                not yamlpos.is_scalar(build) else None
            context = yamlpos.str_of(yamlpos.get(build, "context")) or "." if file else None
            if file and "$" not in context + file:
                out.append(_pair(project, posixpath.join(context, file), context))
    return out


def _pair(project, file: str, context: str) -> tuple[str, str] | None:
    file, context = project.resolve(".", file), project.resolve(".", context)
    return None if file is None or context is None else (file, context)
