"""Types come from the schemas, and nothing is silently changed on load."""

from __future__ import annotations

import csv
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
