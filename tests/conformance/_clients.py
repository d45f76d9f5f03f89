"""Helpers of the conformance suite: find a client, run it, get an export."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def need_command(name: str, env: str | None = None) -> str:
    """The path of a command-line client, or skip saying it is not installed."""
    found = os.environ.get(env) if env else None
    found = found or shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip(f"{name} is not installed here")
    return found


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """Run a client; its output as text; never raises on a non-zero exit."""
    kw.setdefault("timeout", 300)
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def need_export(exports, fmt: str) -> Path:
    got = exports[fmt]
    if isinstance(got, Exception):
        pytest.skip(f"the {fmt} export could not be made here: {got}")
    return got
