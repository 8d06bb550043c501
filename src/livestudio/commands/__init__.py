"""Subcommands of the livestudio CLI, one module each."""
