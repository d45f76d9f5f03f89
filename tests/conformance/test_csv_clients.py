"""The CSV files, read by the readers people open CSVs with.

Two levels. *Exact*: every cell is its text, or the typed value its schema
gives (dates as dates, text ids as text). *Defaults*: the client's own
guesses; the test asserts that it finds every row and column (the dialect
was sniffed right) and records, as a note in docs/conformance.md, the
values its type guessing changes. Where defaults are not exact,
docs/use-it-from.md shows the one-line call that is, and a test here runs it.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from _values import ROOT, csv_text, intact, mismatches, tables

TABLES = tables()


def changed(name: str, read: list[dict]) -> list[str]:
    """Shape must be right (asserted); the cells whose values the client changed."""
    header, rows = csv_text(name)
    assert len(read) == len(rows), f"{name}: expected {len(rows)} rows; read {len(read)}"
    assert all(list(r) == header for r in read), f"{name}: expected columns {header}; read {list(read[0]) if read else []}"
    return mismatches(name, read, check=intact, limit=10**6)


def record_changes(note, per_table: dict[str, list[str]]) -> None:
    bad = [m for ms in per_table.values() for m in ms]
    if bad:
        note(f"defaults change {len(bad)} cell(s), e.g. {bad[0]}")


def csvkit(tool: str, args: list[str]) -> str:
    mod = pytest.importorskip(f"csvkit.utilities.{tool}")
    out = io.StringIO()
    getattr(mod, {"csvjson": "CSVJSON", "csvstat": "CSVStat"}[tool])(args, output_file=out).run()
    return out.getvalue()


@pytest.mark.client("Python csv.Sniffer", "data/*.csv", "csv.Sniffer().sniff(first 1024 characters)")
def test_csv_sniffer_finds_the_dialect():
    # Before 1.1, sources.csv and example_approaches.csv sniffed as
    # space-delimited with "'" as the quote character.
    for name in TABLES:
        text = (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8")
        for sample in (text[:1024], text):
            d = csv.Sniffer().sniff(sample)
            assert (d.delimiter, d.quotechar) == (",", '"'), f"{name}: sniffed {d.delimiter!r} and {d.quotechar!r}"
        records = list(csv.reader(io.StringIO(text, newline=""), csv.Sniffer().sniff(text[:1024])))
        assert mismatches(name, [dict(zip(records[0], r)) for r in records[1:]], as_text=True) == []


@pytest.mark.client("csvkit csvjson", "data/*.csv", "csvjson FILE")
def test_csvjson_defaults_read_every_row_and_column(note):
    # Before 1.1: "Row 0 has 77 values, but Table only has 1 columns" on sources.csv.
    record_changes(note, {n: changed(n, json.loads(csvkit("csvjson", [str(ROOT / "data" / f"{n}.csv")]))) for n in TABLES})


@pytest.mark.client("csvkit csvjson", "data/*.csv", "csvjson -I --blanks FILE")
def test_csvjson_without_inference_is_exact():
    for name in TABLES:
        got = json.loads(csvkit("csvjson", ["-I", "--blanks", str(ROOT / "data" / f"{name}.csv")]))
        assert mismatches(name, got, as_text=True) == []


@pytest.mark.client("csvkit csvstat", "data/*.csv", "csvstat --csv FILE")
def test_csvstat_defaults_see_every_column_and_row():
    for name in TABLES:
        header, rows = csv_text(name)
        stats = list(csv.DictReader(io.StringIO(csvkit("csvstat", ["--csv", str(ROOT / "data" / f"{name}.csv")]))))
        assert [s["column_name"] for s in stats] == header, name
        assert csvkit("csvstat", ["--count", str(ROOT / "data" / f"{name}.csv")]).strip() == str(len(rows)), name


@pytest.mark.client("DuckDB", "data/*.csv", "read_csv_auto(FILE)")
def test_duckdb_read_csv_auto_reads_every_row_and_column(note):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    found = {}
    for name in TABLES:
        rel = con.sql(f"SELECT * FROM read_csv_auto('{ROOT / 'data' / (name + '.csv')}')")
        found[name] = changed(name, [dict(zip(rel.columns, r)) for r in rel.fetchall()])
    record_changes(note, found)


@pytest.mark.client("DuckDB", "data/*.csv", "read_csv(FILE, all_varchar = true)")
def test_duckdb_all_varchar_is_exact():
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    for name in TABLES:
        rel = con.sql(f"SELECT * FROM read_csv('{ROOT / 'data' / (name + '.csv')}', all_varchar = true)")
        assert mismatches(name, [dict(zip(rel.columns, r)) for r in rel.fetchall()], as_text=True) == []


@pytest.mark.client("polars", "data/*.csv", "pl.read_csv(FILE)")
def test_polars_read_csv_reads_every_row_and_column(note):
    pl = pytest.importorskip("polars")
    record_changes(note, {n: changed(n, pl.read_csv(ROOT / "data" / f"{n}.csv").to_dicts()) for n in TABLES})


@pytest.mark.client("polars", "data/*.csv", "pl.read_csv(FILE, infer_schema=False)")
def test_polars_without_inference_is_exact():
    pl = pytest.importorskip("polars")
    for name in TABLES:
        assert mismatches(name, pl.read_csv(ROOT / "data" / f"{name}.csv", infer_schema=False).to_dicts(), as_text=True) == []


@pytest.mark.client("pyarrow", "data/*.csv", "pyarrow.csv.read_csv(FILE)")
def test_pyarrow_read_csv_reads_every_row_and_column(note):
    pv = pytest.importorskip("pyarrow.csv")
    record_changes(note, {n: changed(n, pv.read_csv(ROOT / "data" / f"{n}.csv").to_pylist()) for n in TABLES})


@pytest.mark.client("pandas", "data/*.csv", "pd.read_csv(FILE)")
def test_pandas_read_csv_defaults_read_every_row_and_column(note):
    import pandas as pd

    def plain(v):
        return None if pd.isna(v) else v.item() if hasattr(v, "item") else v

    found = {}
    for name in TABLES:
        frame = pd.read_csv(ROOT / "data" / f"{name}.csv")
        found[name] = changed(name, [{k: plain(v) for k, v in r.items()} for r in frame.to_dict("records")])
    record_changes(note, found)


@pytest.mark.client("pandas", "data/*.csv", "pd.read_csv(FILE, dtype=str, keep_default_na=False)")
def test_pandas_as_text_is_exact():
    import pandas as pd

    for name in TABLES:
        frame = pd.read_csv(ROOT / "data" / f"{name}.csv", dtype=str, keep_default_na=False)
        assert mismatches(name, frame.to_dict("records"), as_text=True) == []
