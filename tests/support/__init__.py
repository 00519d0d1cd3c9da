"""Helpers the tests and the benchmarks share: app-free (no import of app/ or pytest), so bench/ may use them.

The dependency runs one way: bench/ → tests/support (and tests/reference.py); nothing under tests/ imports bench/.
"""
