"""wasmlint: a linter for WebAssembly deployments."""

__version__ = "0.1.0"
