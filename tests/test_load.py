"""Types come from the schemas, and nothing is silently changed on load."""

from __future__ import annotations

import csv
import os
import json

import pandas as pd
import pytest

import improvement_evidence as ie
from improvement_evidence.csvio import write_csv

# Written out here (not imported from the loader) so that a change in the
# loader's mapping cannot pass unnoticed.
TYPE_TO_DTYPE = {
    "string": "string",
    "integer": "Int64",
    "year": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}


def schema_fields(name):
    schema = json.loads((ie.package_path().parent / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    return schema["fields"]


@pytest.mark.parametrize("name", ie.list_tables())
def test_every_field_has_the_dtype_its_schema_declares(name):
    df = ie.load_table(name)
    fields = schema_fields(name)
    assert list(df.columns) == [f["name"] for f in fields]
    for f in fields:
        dtype = df[f["name"]].dtype
        enum = f.get("constraints", {}).get("enum")
        if enum:
            assert isinstance(dtype, pd.CategoricalDtype), (name, f["name"], dtype)
            assert list(dtype.categories) == enum
        else:
            assert str(dtype) == TYPE_TO_DTYPE[f["type"]], (name, f["name"], str(dtype))


@pytest.mark.parametrize("name", ie.list_tables())
def test_load_then_write_reproduces_the_shipped_bytes(name):
    shipped = ie.resource_path(name).read_bytes()
    assert write_csv(ie.load_table(name), name).encode("utf-8") == shipped


@pytest.mark.parametrize("name", ie.list_tables())
def test_missing_cells_are_exactly_the_empty_cells(name):
    with open(ie.resource_path(name), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    df = ie.load_table(name)
    for col in df.columns:
        empty = [r[col] == "" for r in rows]
        assert list(df[col].isna()) == empty, (name, col)


LITERALS = ["NA", "None", "null", "N/A", "NaN", "nan", "#N/A", "-"]


def test_literal_strings_survive_a_load(package_copy):
    path = package_copy / "data" / "benefits.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0].keys())
    assert len(rows) >= len(LITERALS)
    for row, lit in zip(rows, LITERALS):
        row["summary"] = lit
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    df = ie.load_table("benefits", package_copy)
    assert list(df["summary"])[: len(LITERALS)] == LITERALS
    assert not df["summary"].isna().any()


def test_an_unknown_enum_value_is_an_error_not_a_missing_value(package_copy):
    path = package_copy / "data" / "metrics.csv"
    text = path.read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    cols = next(csv.reader([header]))
    cells = next(csv.reader([first]))
    cells[cols.index("unit")] = "furlongs"
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    path.write_text(header + "\n" + buf.getvalue() + rest, encoding="utf-8")
    with pytest.raises(ie.LoadError, match=r"metrics.csv: row 2, field 'unit': expected one of percent, .*found 'furlongs'"):
        ie.load_table("metrics", package_copy)


def test_numbers_and_ranges_are_typed():
    m = ie.load_table("metrics")
    assert m["value_low"].dtype == "Float64"
    # ranges: every row with both ends has low <= high
    both = m.dropna(subset=["value_low", "value_high"])
    assert (both["value_low"] <= both["value_high"]).all()


# -- the package model's policy, through the API (issue 14) ---------------------------------

import hostile  # noqa: E402  (tools/hostile.py: the small base package)


@pytest.fixture
def base(tmp_path):
    return hostile.write_base(tmp_path / "pkg")


def test_a_lone_surrogate_in_the_descriptor_is_a_clean_error(base):
    text = (base / "datapackage.json").read_text(encoding="utf-8")
    (base / "datapackage.json").write_text(text.replace('"title": "', '"title": "\\udc00', 1), encoding="utf-8")
    with pytest.raises(ie.ImprovementEvidenceError, match=r"title holds an unpaired surrogate \(U\+DC00\)"):
        ie.load(base)
    report = ie.validate(base)
    assert [e.code for e in report.errors] == ["descriptor-error"]
    str(report).encode("utf-8")  # printable


def test_the_size_limit_is_checked_before_reading_and_can_be_raised(base, monkeypatch):
    size = sum(f.stat().st_size for f in base.rglob("*") if f.is_file())
    monkeypatch.setenv("IMPROVEMENT_EVIDENCE_MAX_BYTES", str(size - 1))
    with pytest.raises(ie.PackageError, match="IMPROVEMENT_EVIDENCE_MAX_BYTES") as info:
        ie.load(base)
    assert info.value.code == "too-large"
    monkeypatch.setenv("IMPROVEMENT_EVIDENCE_MAX_BYTES", str(size))
    assert len(ie.load(base).tables["items"]) == 2


def test_a_fifo_is_refused_without_blocking(base):
    (base / "data" / "items.csv").unlink()
    os.mkfifo(base / "data" / "items.csv")
    with pytest.raises(ie.PackageError, match="found a FIFO") as info:
        ie.load_table("items", base)
    assert info.value.code == "special-file" and info.value.field == "path"


def test_a_resource_name_cannot_be_a_path(base):
    hostile.edit_resource(base, "groups", name="../x")
    with pytest.raises(ie.PackageError, match="no path separators"):
        ie.list_tables(base)


def test_load_errors_name_file_row_and_field(base):
    (base / "data" / "items.csv").write_text(hostile.ITEMS_CSV.replace("beta", "gamma"), encoding="utf-8")
    with pytest.raises(ie.LoadError) as info:
        ie.load_table("items", base)
    assert (info.value.file, info.value.row, info.value.field) == ("items.csv", 3, "kind")


def test_a_descriptor_linking_out_of_its_folder_is_refused(base, tmp_path):
    elsewhere = tmp_path / "elsewhere.json"
    (base / "datapackage.json").rename(elsewhere)
    (base / "datapackage.json").symlink_to(elsewhere)
    with pytest.raises(ie.PackageError, match="symbolic link leading outside its folder"):
        ie.load(base)
