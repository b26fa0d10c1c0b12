"""Findings of Rust debug builds beside the release build of their crate (rootcause.py)."""
from __future__ import annotations


def _crate_key(item):
    d = item.diag
    f = d.fact
    if getattr(f, "kind", None) != "rust-link" or getattr(f, "crate_folder", None) is None:
        return None
    return d.code, d.target, f.crate_folder


def debug_with_release(items, groups, is_debug) -> None:
    """A finding on a build in cargo's dev profile (``wasm-pack build --dev``, ``cargo build``
    without ``--release``: debug info, no optimisation, the developer's loop) joins the same
    rule's finding, for the same target, on a release build of the same crate, whatever else
    each says (rusty-kaspa's release scripts set RUSTFLAGS, its ``build-node-dev`` does not):
    what ships is the release build, so it is one cause, reported there."""
    release: dict = {}
    for i, item in enumerate(items):
        key = _crate_key(item)
        if key is not None and not is_debug(item.diag.fact):
            release.setdefault(key, i)
    for i, item in enumerate(items):
        key = _crate_key(item)
        if key is not None and key in release and is_debug(item.diag.fact):
            groups.union(i, release[key])
