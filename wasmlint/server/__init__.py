"""``wasmlint server``: the language server (LSP over stdio, pygls).

- ``protocol.py``: the LSP wiring: documents, debounced analyses, publishing;
- ``session.py``: one project's configuration, rules and analysis (the ``check`` pipeline,
  unsaved buffers standing for their files);
- ``positions.py``: wasmlint's line/column (code points) ↔ LSP positions (UTF-16);
- ``actions.py``: code actions (fixes, fix all, suppressions); ``hover.py``: rule pages.
"""
