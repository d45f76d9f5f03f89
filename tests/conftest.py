"""Fixtures shared by every test module."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def guide_text_path() -> Path:
    """Path of the guide's text. Fails under CI (CI=true) when the text is
    absent, so provenance checks can never pass by being skipped; elsewhere
    the dependent tests skip with the reason."""
    from improvement_evidence.provenance import SOURCE_TEXT_ENV, find_source_text

    found = find_source_text()
    if found is None:
        msg = (
            "the guide's text was not found: set "
            f"{SOURCE_TEXT_ENV} or place it at ../shared/source/making-the-case-for-improvement.txt"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return found


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data package; returns its folder."""
    from synthetic_package import copy_package

    return copy_package(ROOT, tmp_path / "pkg")


@pytest.fixture(scope="session", autouse=True)
def no_network():
    """No test may open a network connection: loading, validating and every
    other verb work offline (issue 7). Any attempt is recorded, refused, and
    fails the run at the end of the session."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is blocked in tests")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        yield attempts
    assert not attempts, f"network access attempted: {attempts}"
