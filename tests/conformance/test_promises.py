"""Commands the README and docs promise, run exactly as written, in the locales users have.

Before 2.0.0 the README's ``LC_ALL=C sha256sum data/*.csv | sha256sum`` gave
another hash in en_GB.UTF-8 and en_US.UTF-8: the prefix does not reach the
shell that expands the glob, which then sorts ``examples.csv`` before
``example_sources.csv``.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from _values import ROOT
from _clients import run

from improvement_evidence.integrity import recorded_content_hash

LOCALES = ["C", "en_GB.UTF-8", "en_US.UTF-8"]
SHELLS = ["bash", "sh", "zsh"]


def promises() -> list[tuple[str, str]]:
    """(where, command) for every sha256sum one-liner in the README and docs
    (not the changelog page, which records the old, broken form as history)."""
    found = []
    for doc in [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "changelog.md")]:
        text = doc.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:bash|sh|shell)\n(.*?)```", text, flags=re.S):
            # the content-hash one-liners (docs/methods.md's anchor example, which hashes
            # one sentence, is run by tests/test_anchors.py)
            found += [(doc.name, line) for line in block.splitlines() if "sha256sum" in line and "data/" in line]
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        found += [(doc.name, span) for span in re.findall(r"`([^`\n]*sha256sum[^`\n]*)`", prose) if "data/" in span and "| sha256sum" in span]
    return found


def available_locales() -> set[str]:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    return {n.lower().replace("utf8", "utf-8") for n in out}


def test_the_promise_is_made_and_found():
    where = {w for w, _ in promises()}
    assert {"README.md", "versioning.md"} <= where, promises()


@pytest.mark.client("sha256sum in bash, sh, zsh", "data/*.csv", "the README's content-hash one-liner, in C, en_GB.UTF-8, en_US.UTF-8")
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("shell", SHELLS)
def test_sha256sum_one_liner_gives_the_content_hash(shell, locale):
    exe = shutil.which(shell)
    if exe is None:
        pytest.skip(f"{shell} is not installed here")
    if locale != "C" and locale.lower() not in available_locales():
        pytest.skip(f"locale {locale} is not generated here (locale-gen {locale})")
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed here")
    want = recorded_content_hash(ROOT).removeprefix("sha256:") + "  -"
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(ROOT), "LANG": locale, "LC_ALL": locale}
    for where, command in promises():
        got = run([exe, "-c", command], cwd=ROOT, env=env)
        assert got.returncode == 0, f"{where}: {command}: {got.stderr}"
        assert got.stdout.strip() == want, f"{where}: {command!r} in {shell}, {locale}: gave {got.stdout.strip()}"
