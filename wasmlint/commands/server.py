"""``wasmlint server``: the language server, speaking LSP over stdio (docs/editors.md)."""
from __future__ import annotations


def add_parser(sub) -> None:
    sub.add_parser("server", help="run the language server for editors (LSP over standard input/output)",
                   description="Speak the Language Server Protocol over stdin/stdout: diagnostics as you "
                               "type, fixes and suppressions as code actions, rule pages on hover. "
                               "Settings come from the editor's initializationOptions (docs/editors.md).")


def run(args) -> int:
    import logging
    logging.basicConfig(level=logging.WARNING, format="wasmlint server: %(message)s")
    from ..server.protocol import start
    start()
    return 0
