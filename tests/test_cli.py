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


# -- one way to name a package, one error line, one exit-code table (issue 14) ----------------

SINGLE_PACKAGE = {  # command -> the arguments besides --path
    "info": [], "show": ["areas"], "validate": [], "verify": [], "cite": [], "export": ["--format", "zip", "OUT"],
    "brief": ["--audience", "policy"],
}


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "diff"])
def test_every_single_package_command_takes_path(command, tmp_path, capsys):
    from synthetic_package import copy_package

    pkg = copy_package(ie.package_path().parent, tmp_path / "pkg")
    extra = [str(tmp_path / "out.zip") if a == "OUT" else a for a in SINGLE_PACKAGE.get(command, [])]
    assert main([command, *extra, "--path", str(pkg)]) in (0, 1)
    # and it is that package that was read: break it, and the command says so
    (pkg / "datapackage.json").write_text("[]", encoding="utf-8")
    extra = [str(tmp_path / "out2.zip") if a == "OUT" else a for a in SINGLE_PACKAGE.get(command, [])]
    capsys.readouterr()
    assert main([command, *extra, "--path", str(pkg)]) in (1, 2)
    captured = capsys.readouterr()
    assert "expected a JSON object; found list" in captured.out + captured.err


@pytest.mark.parametrize("command", ["validate", "verify"])
def test_positional_and_path_forms_agree_and_conflict_cleanly(command, tmp_path, capsys):
    pkg = str(ie.package_path().parent)
    assert main([command, pkg]) == main([command, "--path", pkg]) == 0
    capsys.readouterr()
    assert main([command, pkg, "--path", str(tmp_path)]) == 2
    assert "two packages given" in capsys.readouterr().err


HOOK = [  # what a user mistyping a path runs; each must be one clean line
    ["show", "areas", "--path", "/nonexistent"], ["verify", "/nonexistent"], ["cite", "--path", "/nonexistent"],
    ["diff", "/nonexistent", "/nonexistent"], ["validate", "/nonexistent"], ["info", "--path", "/nonexistent"],
    ["export", "--format", "zip", "--path", "/nonexistent", "/tmp/hook-export.zip"],
]


@pytest.mark.parametrize("argv", HOOK, ids=lambda a: a[0])
def test_a_missing_package_is_one_line_and_exit_2(argv):
    proc = subprocess.run([sys.executable, "-m", "improvement_evidence", *argv], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"improvement-evidence {argv[0]}: error: "), proc.stderr
    assert "/nonexistent" in lines[0]


def test_an_unexpected_exception_is_one_line_internal_error(monkeypatch, capsys):
    import improvement_evidence.commands.info as info

    def boom(args):
        raise KeyError("surprise")

    monkeypatch.setattr(info, "run", boom)
    assert main(["info"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("improvement-evidence info: internal error: KeyError: 'surprise'")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_exit_code_table_is_in_the_help(capsys):
    from improvement_evidence.cli import EXIT_CODES

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for code, meaning in EXIT_CODES:
        assert f"  {code:<4} {meaning}" in out


def test_every_error_class_derives_from_the_one_base():
    from improvement_evidence import errors
    from improvement_evidence.citation import CiteError
    from improvement_evidence.diff import DiffError
    from improvement_evidence.export import ExportError
    from improvement_evidence.integrity import VerifyError

    for cls in (ie.LoadError, ie.PackageError, CiteError, DiffError, ExportError, VerifyError, errors.UsageError):
        assert issubclass(cls, ie.ImprovementEvidenceError)


def test_commands_do_not_import_the_cli():
    """No cli <-> commands cycle: a verb module imports without the CLI."""
    code = ("import sys, importlib\n"
            "for n in ['info','show','validate','verify','cite','export','diff']:\n"
            "    importlib.import_module('improvement_evidence.commands.' + n)\n"
            "print('improvement_evidence.cli' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
