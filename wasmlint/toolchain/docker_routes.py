"""The release route of a multi-stage Dockerfile (a route of ``release_routes``).

The final stage is the image the Dockerfile makes: what runs (``CMD``) or ships. What it
copies from an earlier stage (``COPY --from=build /app/build/main.js /usr/share/nginx/html/``)
is what that stage's ``RUN`` lines built, so those lines take their outputs to users as a
releasing CI job does: fcg-coder's WebAssembly-Command-Handler configures
``emcmake cmake -S /app/src -B build`` in stage ``build`` and serves its ``main.js`` and
``main.wasm`` from the nginx stage. Only stages the final one copies from count (and the
stages they are built ``FROM``); a single-stage Dockerfile's RUN lines build the image
itself, whatever it keeps.

``RUN`` runs in the stage's ``WORKDIR``; the project's files are where its ``COPY <src>
<dest>`` lines put them (Dockerfile reference: ``dest`` relative to the ``WORKDIR``, each
``src`` to the build context, a folder's contents copied into ``dest``): a container path
under such a ``dest`` is that project folder (``COPY . .`` in ``WORKDIR /app``: ``/app/src``
is ``src``). A Dockerfile that a convention places in a test, example, docs … folder ships
nothing of the project's.
"""
from __future__ import annotations

import posixpath

from ..classify import kind_by_name
from .pstr import UNKNOWN
from .route_commands import Route, Walk, follow, in_project

FROM_FLAG = "--from="


def routes(walk: Walk) -> list[Route]:
    from .docker_contexts import contexts
    project = walk.files
    built = contexts(project)
    found = [n for n in project.list(".") if kind_by_name(n) == "dockerfile"]
    out = []
    for rel in dict.fromkeys([*found, *built]):
        out += _routes(walk, rel, built.get(rel, posixpath.dirname(rel) or "."))
    return out


def _routes(walk: Walk, rel: str, context: str) -> list[Route]:
    from ..scopes import QUIET
    from ..scopes.conventions import path_scope
    from ..sources.dockerfile import file_stages, script, stage_chain
    project = walk.files
    text = project.read(rel)
    said = path_scope(rel)
    if text is None or FROM_FLAG not in text or said is not None and said.scope in QUIET:
        return []
    idx, stages = file_stages(text, rel)
    if len(stages) < 2:
        return []
    final, shown = stages[-1], project.shown(rel)
    out = []
    for stage, taken in _copied_from(stages, final):
        route = Route(f"the final stage of {shown} copies what stage `{stage.name or stage.image}` builds")
        route.uploads += taken
        for st in stage_chain(stage, stages):
            walk.container = _placed(project, st, context)
            for run, workdir in zip(st.runs, st.run_dirs):
                if run.is_json():
                    continue
                route.regions.append((shown, idx.line_col(run.start)[0], idx.line_col(run.end)[0]))
                folder = in_project(walk.container, workdir) if workdir else None
                follow(walk, route, rel, script(run).value, folder or UNKNOWN)
            walk.container = []
        out.append(route)
    return out


def _copied_from(stages: list, final) -> list[tuple[object, list[str]]]:
    """(earlier stage, the paths the final stage copies from it, as written)."""
    by_name = {s.name: s for s in stages if s.name}
    taken: dict[int, tuple[object, list[str]]] = {}
    for ins, _ in final.copies:
        words = ins.args.value.split()
        source = next((w[len(FROM_FLAG):] for w in words if w.startswith(FROM_FLAG)), None)
        stage = by_name.get(source) if source is not None else None
        if stage is None and source is not None and source.isdigit() and int(source) < len(stages) - 1:
            stage = stages[int(source)]
        paths = [w for w in words if not w.startswith("--")][:-1]
        if stage is not None and stage is not final and paths:
            taken.setdefault(id(stage), (stage, []))[1].extend(paths)
    return list(taken.values())


def _placed(project, stage, context: str) -> list[tuple[str, str]]:
    """(container folder, project folder) of each ``COPY``/``ADD`` of one folder of the
    build context into the stage (a file copied is not a folder), innermost first."""
    out = []
    for ins, workdir in stage.copies:
        words = ins.args.value.split()
        if ins.is_json() or any(w.startswith(FROM_FLAG) for w in words):
            continue
        paths = [w for w in words if not w.startswith("--")]
        if len(paths) != 2 or "$" in "".join(paths) or any(c in paths[0] for c in "*?["):
            continue                # one folder copied: its contents land in dest
        src, dest = paths
        if not dest.startswith("/"):
            if workdir is None:
                continue
            dest = posixpath.join(workdir, dest)
        folder = posixpath.normpath(posixpath.join(context, src))
        if folder.startswith("../") or folder == ".." or project.is_file(folder):
            continue
        out.append((posixpath.normpath(dest), folder))
    return sorted(out, key=lambda p: -len(p[0]))
