"""Conformance suite: third-party clients read the package and its exports (see conftest.py)."""
