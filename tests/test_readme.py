"""The README's promises a user can run, run exactly as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _block_after(heading: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)```", text, re.S)
    assert text.index(first.group(0)) < text.index("\n## ")
    lines = [line for line in first.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].endswith("improvement-evidence validate && .venv/bin/improvement-evidence info")
    assert lines[1].endswith(".venv/bin/python -m pytest")


def test_the_brief_commands_in_the_readme_run_as_written(tmp_path):
    pytest.importorskip("docx")
    commands = _block_after("Make the case: a brief for your audience")
    assert len(commands) == 3
    bindir = str(Path(sys.executable).parent)
    assert shutil.which("improvement-evidence", path=bindir), "the command is installed beside this Python"
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr
    board = (tmp_path / "board-brief.md").read_text(encoding="utf-8")
    assert board.startswith("# ") and "## How to read this" in board
    html = (tmp_path / "safety-brief.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Improved safety" in html and "16.7%" in html
    with zipfile.ZipFile(tmp_path / "front-line-brief.docx") as z:
        assert "word/document.xml" in z.namelist()
