"""``improvement-evidence brief`` (issue 11): output, files, and every bad
input as one line with the valid values, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import improvement_evidence as ie
from improvement_evidence.cli import main

pytest.importorskip("docx")

PROG = "improvement-evidence brief: error: "
BENEFITS = ", ".join(
    ie.load().benefits.merge(ie.load().areas[["area_id", "order"]], on="area_id", suffixes=("", "_a"))
    .sort_values(["order_a", "order"])["benefit_id"])


def _err(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1, f"expected one line, found: {err!r}"
    return err.rstrip("\n")


@pytest.mark.parametrize("args,expected", [
    (["--audience", "board"],
     PROG + "unknown audience 'board'; valid audiences are: policy, executive, operational, front-line"),
    (["--audience", "policy", "--benefit", "improved-safety", "--benefit", "safety"],
     PROG + f"unknown benefit 'safety'; valid benefits are: {BENEFITS}"),
    (["--audience", "policy", "--area", "nhs"],
     PROG + "unknown area 'nhs'; valid areas are: workforce, patients-service-users-society, organisations, system-level-bodies"),
    (["--audience", "policy", "--format", "pdf"],
     PROG + "unknown format 'pdf'; valid formats are: md, html, docx, json"),
    (["--audience", "policy", "--format", "docx"],
     PROG + "the docx format is a binary file: give -o FILE, for example -o brief.docx"),
])
def test_bad_input_is_one_line_listing_the_valid_values(capsys, args, expected):
    assert main(["brief", *args]) == 2
    assert _err(capsys) == expected


def test_text_formats_print_to_stdout(capsys):
    assert main(["brief", "--audience", "operational", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["audience"]["audience_id"] == "operational"


def test_output_file_is_written_whole_and_nothing_else_is_left(tmp_path, capsys):
    out = tmp_path / "board.docx"
    assert main(["brief", "--audience", "executive", "--format", "docx", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert out.read_bytes() == ie.brief("executive", format="docx")
    assert main(["brief", "--audience", "executive", "-o", str(tmp_path / "b.md")]) == 0
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == ie.brief("executive")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.md", "board.docx"]  # no temporary file left


def test_output_to_a_missing_folder_is_one_line(tmp_path, capsys):
    out = tmp_path / "no" / "such" / "b.md"
    assert main(["brief", "--audience", "executive", "-o", str(out)]) == 2
    assert _err(capsys) == PROG + f"cannot write {out}: the folder {out.parent} does not exist"


def _append(pkg, table, line):
    from test_brief_formats import refresh

    with (pkg / "data" / f"{table}.csv").open("a", encoding="utf-8", newline="") as fh:
        fh.write(line + "\n")
    refresh(pkg, table)


def test_a_package_that_fails_validation_is_refused_in_one_line(package_copy, capsys):
    _append(package_copy, "benefit_audiences", "policy,no-such-benefit,8,A rationale long enough to pass the length rule.")
    assert main(["brief", "--audience", "policy", "--path", str(package_copy)]) == 2
    err = _err(capsys)
    assert err.startswith(PROG + f"the package at {package_copy} fails validation, so no brief is made from it: ")
    assert "benefit_audiences" in err and "no-such-benefit" in err


def test_a_package_without_audiences_is_refused_in_one_line(package_copy, capsys):
    desc = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if r["name"] not in ("audiences", "benefit_audiences")]
    (package_copy / "datapackage.json").write_text(json.dumps(desc, indent=2), encoding="utf-8")
    assert main(["brief", "--audience", "policy", "--path", str(package_copy)]) == 2
    assert _err(capsys) == PROG + (
        "the package has no 'audiences' table, which a brief needs; expected a data package with the audiences "
        "and benefit_audiences tables (likely cause: a package older than the briefs)")


def test_a_missing_package_is_one_line(tmp_path, capsys):
    assert main(["brief", "--audience", "policy", "--path", str(tmp_path / "nothing")]) == 2
    err = _err(capsys)
    assert err.startswith(PROG + f"the package at {tmp_path / 'nothing'} fails validation")


def test_in_a_separate_process_no_traceback_and_a_non_zero_exit():
    out = subprocess.run([sys.executable, "-m", "improvement_evidence", "brief", "--audience", "board"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == PROG + "unknown audience 'board'; valid audiences are: policy, executive, operational, front-line\n"
    ok = subprocess.run([sys.executable, "-m", "improvement_evidence", "brief", "--audience", "front-line"],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout == ie.brief("front-line")
