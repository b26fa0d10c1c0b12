"""docker_contexts: the build context ``docker build -f FILE CONTEXT`` gives a Dockerfile."""
import posixpath

import pytest

from wasmlint.toolchain.docker_contexts import _built


class _Project:
    def resolve(self, rel_dir, path):
        rel = posixpath.normpath(posixpath.join(rel_dir, path))
        return None if rel.startswith("..") else rel


@pytest.mark.parametrize("line, base, cwd, expected", [
    ("docker buildx build . -f dist/web/Dockerfile --progress=plain --build-arg JOBS=4 --output out --target raw",
     ".", ".", ("dist/web/Dockerfile", ".")),
    ("docker build -t app:latest -f docker/Dockerfile .", ".", ".", ("docker/Dockerfile", ".")),
    ("docker image build --file=ci/web.Dockerfile ..", ".", "build", ("build/ci/web.Dockerfile", ".")),     # -f from the folder it runs in
    ("podman build -f Containerfile.web -t web src", "tools", ".", ("tools/Containerfile.web", "tools/src")),
    ("docker build -f docker/Dockerfile https://github.com/o/r.git", ".", ".", None),   # a remote context
    ("docker build -t app .", ".", ".", None),              # the context's own Dockerfile
    ("docker build -f docker/Dockerfile -", ".", ".", None),     # the context from standard input
    ("docker run -f docker/Dockerfile .", ".", ".", None),
    ("docker build -f ../../outside/Dockerfile .", ".", ".", None),       # leaves the project
])
def test_docker_build_names_file_and_context(line, base, cwd, expected):
    assert _built(_Project(), line.split(), base, cwd) == expected


def test_build_push_action_names_file_and_context():
    from wasmlint.toolchain.docker_contexts import _action_builds
    workflow = """on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          context: .
          file: ./packages/web/Dockerfile
          push: false
      - uses: docker/build-push-action@v6
        with:
          context: ${{ matrix.dir }}
          file: docker/Dockerfile
"""
    assert _action_builds(_Project(), workflow) == [("packages/web/Dockerfile", ".")]
