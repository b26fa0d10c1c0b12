"""Commands run in a container: ``docker run [OPTIONS] IMAGE COMMAND…`` (podman) and
``docker compose run [OPTIONS] SERVICE COMMAND…`` run COMMAND there."""
from __future__ import annotations


# `docker run` / `podman run` options that take the next word as their value
RUN_VALUE_OPTIONS = frozenset((
    "-a", "--attach", "-c", "--cpu-shares", "--cidfile", "--cpus", "-e", "--env", "--env-file",
    "--entrypoint", "-h", "--hostname", "-l", "--label", "--label-file", "--link", "-m", "--memory",
    "--mount", "--name", "--network", "--net", "-p", "--publish", "--platform", "--pull", "--restart",
    "--runtime", "--security-opt", "--shm-size", "--stop-signal", "--stop-timeout", "--tmpfs", "-u",
    "--user", "--ulimit", "-v", "--volume", "--volumes-from", "-w", "--workdir", "--gpus", "--ipc",
    "--pid", "--log-driver", "--log-opt", "--device", "--add-host", "--dns", "--cap-add", "--cap-drop",
    "--group-add", "--expose", "--userns", "--uts", "--memory-swap"))


# `docker compose` options before the subcommand, and `compose run` options, that take a value
COMPOSE_VALUE_OPTIONS = frozenset((
    "-f", "--file", "-p", "--project-name", "--project-directory", "--env-file", "--profile", "--ansi",
    "--parallel", "--progress"))


COMPOSE_RUN_VALUE_OPTIONS = frozenset((
    "-e", "--env", "--env-from-file", "-w", "--workdir", "-u", "--user", "-v", "--volume", "--name",
    "--entrypoint", "-p", "--publish", "-l", "--label", "--pull", "--cap-add", "--cap-drop"))


def container_command(words: list[str]) -> int | None:
    """Where the command a ``docker run [OPTIONS] IMAGE COMMAND…`` (or podman) runs in the
    container starts: ``docker run --rm -v "$PWD:/src" emscripten/emsdk emcc …`` runs emcc.
    ``docker compose [OPTIONS] run [OPTIONS] SERVICE COMMAND…`` (``docker-compose``,
    ``podman compose``, ``podman-compose``) runs COMMAND in the service's container."""
    tool = words[0].rsplit("/", 1)[-1] if words else ""
    if tool in ("docker-compose", "podman-compose") or (tool in ("docker", "podman") and words[1:2] == ["compose"]):
        k = 1 if tool.endswith("-compose") else 2
        while k < len(words) and words[k].startswith("-"):
            k += 2 if words[k] in COMPOSE_VALUE_OPTIONS else 1
        if words[k:k + 1] != ["run"]:
            return None
        return _after_options(words, k + 1, COMPOSE_RUN_VALUE_OPTIONS)
    if len(words) < 3 or tool not in ("docker", "podman") or words[1] != "run":
        return None
    return _after_options(words, 2, RUN_VALUE_OPTIONS)


def _after_options(words: list[str], k: int, takes_value: frozenset) -> int | None:
    """The word after the image (or service) that options from ``k`` on lead to."""
    while k < len(words) and words[k].startswith("-"):
        k += 2 if words[k] in takes_value else 1
    return k + 1 if k + 1 < len(words) else None
