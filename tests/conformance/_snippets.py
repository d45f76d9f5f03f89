"""The runnable snippets of docs/use-it-from.md, read from the page itself so
the docs and the tests cannot drift apart.

A snippet is a fenced code block preceded by ``<!-- run: NAME -->``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from _values import ROOT

PAGE = ROOT / "docs" / "use-it-from.md"
_BLOCK = re.compile(r"<!-- run: ([\w-]+) -->\n```(\w+)\n(.*?)```", re.S)


def snippets() -> dict[str, tuple[str, str]]:
    """NAME -> (language, code)."""
    out = {}
    for name, lang, code in _BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        assert name not in out, f"docs/use-it-from.md: two snippets named {name}"
        out[name] = (lang, code)
    return out


def snippet(name: str, lang: str) -> str:
    got = snippets()
    assert name in got, f"docs/use-it-from.md has no snippet marked <!-- run: {name} -->"
    assert got[name][0] == lang, f"snippet {name}: expected a {lang} block; found {got[name][0]}"
    return got[name][1]


def shell_env() -> dict[str, str]:
    """The environment a user's shell has: this interpreter's scripts first on PATH."""
    return {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
