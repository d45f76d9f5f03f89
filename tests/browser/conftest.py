"""Fixtures for the browser tests: the built site, served on 127.0.0.1, and Debian's chromium.

The session-wide ``no_network`` fixture (tests/conftest.py) refuses every
connection. These tests serve the site from this process and drive a browser
in another; :func:`allow_loopback` lets this process connect to 127.0.0.1
(and ::1) only, and still refuses every other address.
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"

# The real socket functions, saved before the session fixture replaces them.
_REAL = {"connect": socket.socket.connect, "create_connection": socket.create_connection, "getaddrinfo": socket.getaddrinfo}


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (CI must run the browser tests)")
        pytest.skip(reason)


def _is_loopback(host) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def allow_loopback(monkeypatch):
    """Allow this process to connect to 127.0.0.1 and ::1 only; anything else is refused."""
    def connect(sock, address, *args):
        if not _is_loopback(address[0]):
            raise OSError(f"network access is blocked in tests (only loopback is allowed): {address!r}")
        return _REAL["connect"](sock, address, *args)

    def create_connection(address, *args, **kwargs):
        if not _is_loopback(address[0]):
            raise OSError(f"network access is blocked in tests (only loopback is allowed): {address!r}")
        return _REAL["create_connection"](address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host):
            raise OSError(f"network access is blocked in tests (only loopback is allowed): {host!r}")
        return _REAL["getaddrinfo"](host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port); yields the base URL ending in '/'."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site as `mkdocs build --strict` makes it."""
    import importlib.util

    _need(importlib.util.find_spec("mkdocs") is not None, "mkdocs is not installed: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("browser") / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    _need(sync_playwright is not None, "playwright is not installed: pip install -e '.[docs]'")
    chromium = shutil.which("chromium")
    _need(chromium is not None, "Debian's chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()
