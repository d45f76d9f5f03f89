"""CLI verbs owned by the core: info, show, --version, python -m."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import improvement_evidence as ie
from improvement_evidence.cli import COMMANDS, build_parser, main


def test_every_registered_command_is_available():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == COMMANDS


def test_info_json_lists_every_table_with_its_row_count(capsys):
    assert main(["info", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["version"] == ie.__version__
    assert [t["name"] for t in out["tables"]] == ie.list_tables()
    for t in out["tables"]:
        assert t["rows"] == len(ie.load_table(t["name"]))
        assert t["description"]


def test_info_text_says_how_to_cite(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert ie.__version__ in out
    assert "cite" in out and "guide" in out


def test_show_prints_the_shipped_csv_byte_for_byte(capsys):
    assert main(["show", "benefits"]) == 0
    assert capsys.readouterr().out == ie.resource_path("benefits").read_text(encoding="utf-8")


def test_show_unknown_table_is_a_clean_error(capsys):
    assert main(["show", "benefit"]) == 2
    err = capsys.readouterr().err
    assert "no table named 'benefit'" in err and "benefits" in err
    assert "Traceback" not in err


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"improvement-evidence {ie.__version__}"


def test_python_dash_m_is_the_same_command():
    out = subprocess.run([sys.executable, "-m", "improvement_evidence", "info", "--format", "json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["version"] == ie.__version__
