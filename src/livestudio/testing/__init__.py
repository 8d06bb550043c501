"""Helpers for tests and benchmarks that use real parts (a JACK dummy server)."""
