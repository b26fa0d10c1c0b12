"""Packages that are examples by their own name.

A repository of examples keeps one npm package per example, often in folders named for
what they show (AssemblyScript's examples: ``parse/``, ``loader/``, ``interference/``), so
no folder convention tells them apart. Each package says it itself: its ``name`` holds an
example word (``@assemblyscript/parse-example``, ``porcupine-web-demo``) and it is
``"private": true``, which npm reads as "never publish" (``npm publish`` refuses it). Such a
package is an example project, as an ``examples/`` folder is: its files are ``example``
scope, unless a folder inside says more (``parse/tests/``). ``playground`` is left out: a
playground is as often the product itself (wp-playground, openscad-playground). A package
at the project's root is the project: what its author deploys, whatever its name says.
"""
from __future__ import annotations

import posixpath

from . import Scoped
from .conventions import words_of

EXAMPLE_WORDS = frozenset(("example", "examples", "demo", "demos", "sample", "samples"))


def example_packages(project, rel: dict[str, str], conventions: dict[str, Scoped]) -> None:
    """Give the files of each private package named as an example (see the module) the
    ``example`` scope in ``conventions``, where no convention, or only a tooling one
    (``scripts/`` of the example), says otherwise."""
    folders: dict[str, Scoped] = {}
    for f in project.of_kind("package-dependencies"):
        pkg = f.span.path
        if "#" in pkg or not f.private or not f.name or not rel.get(pkg, "").count("/"):
            continue
        name = f.name.rsplit("/", 1)[-1]
        if EXAMPLE_WORDS & set(words_of(name)):
            folders[posixpath.dirname(pkg)] = Scoped("example", f"in `{posixpath.dirname(rel[pkg])}/`, the private "
                                                                f"package `{f.name}`, an example by its name")
    if not folders:
        return
    for path in project.files:
        said = conventions.get(path)
        if said is not None and said.scope != "tooling":
            continue
        folder, up = posixpath.dirname(path), None
        while folder not in folders and folder != up:
            folder, up = posixpath.dirname(folder), folder
        if folder in folders:
            conventions[path] = folders[folder]
