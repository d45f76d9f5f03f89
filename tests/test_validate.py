"""validate() and its Report: the contract, each check on a real defect, the CLI.

The defect catalogue (tests/test_defects.py) covers every check end to end;
the tests here pin the API contract and the behaviours a catalogue entry
cannot show on its own (stage isolation, ordering, row numbers after blank
lines and multi-line cells, the quote check being skipped and saying so).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import defects
import improvement_evidence as ie
from improvement_evidence import cli
from improvement_evidence.validation import CODES, Report, ValidationError, validate
from synthetic_package import copy_package, run_cli


@pytest.fixture
def pkg(tmp_path) -> Path:
    return copy_package(defects.ROOT, tmp_path / "pkg")


def found(report: Report) -> set[tuple]:
    return {(e.code, e.table, e.row, e.field) for e in report.errors}


# -- the shipped package ----------------------------------------------------

def test_shipped_package_is_valid(guide_text_path):
    report = ie.validate(source_text=guide_text_path)
    assert report.errors == [], str(report)
    assert report.valid is True
    assert report.checked["quotes"].startswith("ran"), report.checked
    for stage in ("descriptor", "files", "frictionless", "foreign-keys", "loading", "pandera", "cross-table"):
        assert report.checked[stage] == "ran", (stage, report.checked[stage])


def test_folder_and_descriptor_paths_give_the_same_report(pkg):
    a, b = validate(pkg), validate(pkg / "datapackage.json")
    assert a.errors == b.errors == []
    assert a.path == b.path == str(pkg / "datapackage.json")


def test_validate_imports_frictionless_and_pandera_only_when_called():
    import subprocess
    import sys

    code = ("import sys, improvement_evidence as ie\n"
            "assert 'frictionless' not in sys.modules and 'pandera' not in sys.modules\n"
            "ie.validate()\n"
            "print('frictionless' in sys.modules, 'pandera' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


# -- the Report -------------------------------------------------------------

def test_report_contract(pkg):
    rows = defects.set_cell(pkg, "areas", 0, "order", "nine")
    defects.edit_bytes(pkg, "benefits", lambda b: b"\xef\xbb\xbf" + b)
    desc = defects.read_descriptor(pkg)
    desc["version"] = "v1"
    defects.write_descriptor(pkg, desc)
    defects.rehash(pkg)
    report = validate(pkg)
    assert report.valid is False
    assert all(isinstance(e, ValidationError) for e in report.errors)
    assert ("type-error", "areas", rows, "order") in found(report)
    # package-level errors first, then tables in descriptor order
    assert report.errors[0] == ValidationError("version-error", None, None, "version", report.errors[0].message)
    assert [t for t in report.by_table()] == [None, "areas", "benefits"]
    with pytest.raises(AttributeError):
        report.errors[0].code = "x"  # frozen
    d = json.loads(json.dumps(report.to_dict()))
    assert d["valid"] is False and d["error_count"] == len(report.errors)
    assert {"code", "table", "row", "field", "message"} == set(d["errors"][0])
    assert set(d["checked"]) == set(report.checked)
    text = str(report)
    assert text.index("package (1):") < text.index("areas (1):") < text.index("benefits (1):")
    assert "row 2, field order: expected a whole number" in text
    assert "[bom]" in text


def test_every_reported_code_is_documented(pkg):
    defects.set_cell(pkg, "areas", 0, "order", "nine")
    defects.rehash(pkg)
    assert validate(pkg).codes() <= set(CODES)


def test_messages_say_expected_and_found(pkg):
    defects.set_cell(pkg, "metrics", 0, "unit", "pounds")
    defects.rehash(pkg)
    e = next(e for e in validate(pkg).errors if e.field == "unit")
    assert e.message.startswith("expected one of percent, GBP")
    assert "found 'pounds'" in e.message and "Likely cause" in e.message


# -- never raises -----------------------------------------------------------

def test_missing_path_is_an_error_not_an_exception(tmp_path):
    report = validate(tmp_path / "nowhere")
    assert [(e.code, e.table) for e in report.errors] == [("missing-file", None)]
    assert report.checked["files"].startswith("skipped")


@pytest.mark.parametrize("text", ["", "null", "42", "{", '{"resources": 3}', '{"resources": [1, "x", {}]}', "\xff"])
def test_broken_descriptors_never_raise(tmp_path, text):
    (tmp_path / "datapackage.json").write_text(text, encoding="utf-8")
    report = validate(tmp_path)
    assert not report.valid
    assert report.codes() <= {"descriptor-error", "version-error"}, report.codes()


def test_a_crashing_check_becomes_an_internal_error(pkg, monkeypatch):
    from improvement_evidence.validation import cross_table

    def boom(info):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(cross_table, "check_cross_table", boom)
    report = validate(pkg)
    assert [e.code for e in report.errors] == ["internal-error"]
    assert "cross-table check crashed (ZeroDivisionError: simulated bug" in report.errors[0].message
    assert report.checked["cross-table"] == "crashed (ZeroDivisionError)"
    assert report.checked["quotes"] != "crashed (ZeroDivisionError)"  # later stages still ran


# -- individual checks ------------------------------------------------------

def test_whitespace_in_an_id_is_reported_once_as_itself(pkg):
    row = defects.set_cell(pkg, "areas", 0, "area_id", "workforce ")
    defects.rehash(pkg)
    at_cell = [e.code for e in validate(pkg).errors if (e.table, e.row, e.field) == ("areas", row, "area_id")]
    assert at_cell == ["id-whitespace"]  # the generic pattern error it causes is left out


def test_whitespace_does_not_hide_a_length_error(pkg):
    row = defects.set_cell(pkg, "approaches", 0, "label", "x" * 250 + " ")
    defects.rehash(pkg)
    at_cell = {e.code for e in validate(pkg).errors if (e.table, e.row, e.field) == ("approaches", row, "label")}
    assert at_cell == {"cell-whitespace", "constraint-error"}


def test_rows_after_a_blank_line_keep_their_spreadsheet_numbers(pkg):
    # A blank line after row 2 makes the third data row spreadsheet row 5.
    header, rows = defects.read_table(pkg, "benefits")
    rows[2][header.index("page_end")] = "1"
    rows[2][header.index("page")] = "2"
    text = defects.render(header, rows).split("\n")
    text.insert(2, "")
    defects.csv_path(pkg, "benefits").write_text("\n".join(text), encoding="utf-8")
    defects.rehash(pkg)
    got = found(validate(pkg))
    assert ("blank-row", "benefits", 3, None) in got
    assert ("page-order", "benefits", 5, "page_end") in got


def test_a_multiline_cell_counts_as_one_row(pkg):
    defects.set_cell(pkg, "approaches", 0, "definition", "first line\nsecond line")
    row = defects.set_cell(pkg, "approaches", 1, "definition", "=1+1")
    defects.rehash(pkg)
    assert ("formula-prefix", "approaches", row, "definition") in found(validate(pkg))


def test_a_nan_number_is_not_canonical(pkg):
    row = defects.set_cell(pkg, "metrics", 0, "value", "NaN")
    defects.rehash(pkg)
    e = next(e for e in validate(pkg).errors if (e.table, e.row, e.field) == ("metrics", row, "value"))
    assert e.code == "non-canonical" and "expected a finite number" in e.message


def test_a_loader_failure_on_data_frictionless_accepts_is_a_load_error(pkg, monkeypatch):
    import importlib

    load = importlib.import_module("improvement_evidence.load")

    def refuse(pkg, name):
        raise load.LoadError(f"{name}.csv: row 3, field 'label': simulated disagreement",
                             file=f"{name}.csv", row=3, field="label")

    monkeypatch.setattr(load, "read_table", refuse)
    report = validate(pkg)
    assert ("load-error", "areas", 3, "label") in found(report)
    assert "not loaded" in report.checked["loading"]


def test_pandera_reports_a_dtype_the_loader_got_wrong(pkg):
    from improvement_evidence.validation import pandera_checks
    from improvement_evidence.validation.package import read_package

    info, _ = read_package(pkg)
    t = info.table("areas")
    t.frame = ie.load_table("areas", pkg)
    t.frame["order"] = t.frame["order"].astype("float64")  # what a loader bug would give
    t.frame.loc[1, "area_id"] = None
    errors = pandera_checks._check_frame(t)
    got = {(e.code, e.table, e.row, e.field) for e in errors}
    assert ("dtype-error", "areas", None, "order") in got
    assert ("constraint-error", "areas", 3, "area_id") in got


def test_pandera_schema_comes_from_the_table_schema(pkg):
    from improvement_evidence.validation import pandera_checks
    from improvement_evidence.validation.package import read_package

    info, _ = read_package(pkg)
    s = pandera_checks.build_schema(info.table("example_benefits"))
    assert list(s.columns) == [f["name"] for f in defects.schema(pkg, "example_benefits")["fields"]]
    assert s.unique == ["example_id", "benefit_id"]
    assert s.columns["quote"].nullable is False
    assert [c.name for c in s.columns["page"].checks] == ["dtype(Int64)", "greater_than_or_equal_to", "less_than_or_equal_to"]


def test_quotes_are_skipped_and_said_so_without_the_guide(pkg, tmp_path):
    row = defects.set_cell(pkg, "example_benefits", 0, "quote", "words the guide never used")
    defects.rehash(pkg)
    report = validate(pkg, source_text=tmp_path / "absent.txt")
    assert report.checked["quotes"].startswith("skipped: the guide's text was not found")
    assert ("quote-not-in-guide", "example_benefits", row, "quote") not in found(report)
    assert "quotes: skipped" in str(report)


def test_quotes_are_checked_with_the_guide(pkg, guide_text_path):
    row = defects.set_cell(pkg, "example_benefits", 0, "quote", "words the guide never used")
    defects.rehash(pkg)
    report = validate(pkg, source_text=guide_text_path)
    assert report.checked["quotes"] == f"ran against {guide_text_path}"
    assert ("quote-not-in-guide", "example_benefits", row, "quote") in found(report)


def test_whitespace_differences_in_a_quote_are_allowed(pkg, guide_text_path):
    q = defects.cell(pkg, "example_benefits", 0, "quote")
    defects.set_cell(pkg, "example_benefits", 0, "quote", q.replace(" ", "\n", 1))
    defects.rehash(pkg)
    assert not any(e.code == "quote-not-in-guide" for e in validate(pkg, source_text=guide_text_path).errors)


def test_a_symlink_out_of_the_package_is_unsafe(pkg, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_bytes(defects.csv_path(pkg, "areas").read_bytes())
    defects.csv_path(pkg, "areas").unlink()
    defects.csv_path(pkg, "areas").symlink_to(outside)
    assert ("unsafe-path", "areas", None, "path") in found(validate(pkg))


# -- the command line -------------------------------------------------------

def test_cli_valid_package_exits_0(pkg):
    rc, out, err = run_cli("validate", str(pkg))
    assert (rc, err) == (0, "")
    assert "VALID: no problems found" in out


def test_cli_invalid_package_exits_1_with_errors_grouped_by_table(pkg):
    row = defects.set_cell(pkg, "areas", 0, "order", "nine")
    defects.rehash(pkg)
    rc, out, err = run_cli("validate", str(pkg))
    assert rc == 1 and err == ""
    assert f"areas (1):\n  row {row}, field order: expected a whole number" in out
    rc, out, _ = run_cli("validate", str(pkg), "--format", "json")
    data = json.loads(out)
    assert rc == 1 and data["valid"] is False
    assert {"code": "type-error", "table": "areas", "row": row, "field": "order"}.items() <= data["errors"][0].items()


def test_cli_missing_path_exits_2_without_traceback(tmp_path):
    rc, out, err = run_cli("validate", str(tmp_path / "nowhere"))
    assert rc == 2 and out == ""
    assert err.startswith("improvement-evidence validate: error: ") and "no such file or folder" in err
    assert "Traceback" not in err


def test_cli_missing_source_text_exits_2(pkg, tmp_path):
    rc, _, err = run_cli("validate", str(pkg), "--source-text", str(tmp_path / "absent.txt"))
    assert rc == 2 and "--source-text" in err


def test_cli_invalid_json_descriptor_exits_1(pkg):
    (pkg / "datapackage.json").write_text("{", encoding="utf-8")
    rc, out, err = run_cli("validate", str(pkg), "--format", "json")
    assert rc == 1 and err == ""
    assert json.loads(out)["errors"][0]["code"] == "descriptor-error"
