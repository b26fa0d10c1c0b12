"""Subcommands of the CLI, one module each."""
