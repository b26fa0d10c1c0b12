"""JavaScript/TypeScript loaders: parsing (tree-sitter), a small constant
evaluator, embedded-module decoding, and the builders of JS facts.

Everything here works from the hits of a byte prefilter: the source finds the
words that matter (``WebAssembly``, ``Worker``, ``NODE_OPTIONS``, …) with
``bytes.find`` and asks the tree for the node at each hit, so the Python work
grows with what a file contains, not with its size (13 MB minified glue).
"""
