"""The Parquet, SQLite and xlsx exports, read by their usual clients.

Every cell must come back as the typed value its schema gives: text as
text (ids and PMIDs included), whole numbers as integers, dates as dates.
What a format cannot hold is stated in the check that allows it: SQLite has
no date or boolean type (a date is its ``YYYY-MM-DD`` text, a boolean 0/1),
and an xlsx date is a date-formatted serial number that openpyxl returns as
a datetime at midnight.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from _values import mismatches, same, tables, typed
from _clients import need_export

TABLES = tables()


@pytest.mark.client("DuckDB", "parquet export", "SELECT * FROM 'FILE.parquet'")
def test_duckdb_reads_the_parquet_typed(exports):
    duckdb = pytest.importorskip("duckdb")
    folder = need_export(exports, "parquet")
    con = duckdb.connect()
    for name in TABLES:
        rel = con.sql(f"SELECT * FROM '{folder / (name + '.parquet')}'")
        assert mismatches(name, [dict(zip(rel.columns, r)) for r in rel.fetchall()]) == []


@pytest.mark.client("polars", "parquet export", "pl.read_parquet(FILE)")
def test_polars_reads_the_parquet_typed(exports):
    pl = pytest.importorskip("polars")
    folder = need_export(exports, "parquet")
    for name in TABLES:
        assert mismatches(name, pl.read_parquet(folder / f"{name}.parquet").to_dicts()) == []


@pytest.mark.client("pyarrow", "parquet export", "pyarrow.parquet.read_table(FILE)")
def test_pyarrow_reads_the_parquet_typed(exports):
    pq = pytest.importorskip("pyarrow.parquet")
    folder = need_export(exports, "parquet")
    for name in TABLES:
        assert mismatches(name, pq.read_table(folder / f"{name}.parquet").to_pylist()) == []


def sqlite_same(got, text, type_):
    if type_ == "date":
        return got == text or (text == "" and got is None)
    if type_ == "boolean" and text:
        return got == int(typed(text, type_)) and type(got) is int
    return same(got, text, type_)


@pytest.mark.client("sqlite3", "sqlite export", "PRAGMA integrity_check; PRAGMA foreign_key_check; SELECT *")
def test_sqlite3_checks_and_reads_the_database(exports):
    con = sqlite3.connect(need_export(exports, "sqlite"))
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        declared = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert declared == {*TABLES, "_datapackage"}
        for name in TABLES:
            cur = con.execute(f'SELECT * FROM "{name}"')
            cols = [c[0] for c in cur.description]
            assert mismatches(name, [dict(zip(cols, r)) for r in cur.fetchall()], check=sqlite_same) == []
    finally:
        con.close()


def xlsx_same(cell, text, type_):
    if type_ == "date" and text:
        return cell.value == dt.datetime.combine(typed(text, type_), dt.time()) and cell.number_format == "yyyy-mm-dd"
    if type_ == "string" and text:  # text cells are text, marked as text
        return same(cell.value, text, type_) and cell.data_type == "s" and cell.quotePrefix
    return same(cell.value, text, type_)


@pytest.mark.client("openpyxl", "xlsx export", "load_workbook(FILE)[table]")
def test_openpyxl_reads_every_value_exactly(exports):
    # Before 1.1, 15 shipped cells gained a literal leading apostrophe.
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(need_export(exports, "xlsx"))
    for name in TABLES:
        rows = list(wb[name].iter_rows())
        header = [c.value for c in rows[0]]
        read = [dict(zip(header, r)) for r in rows[1:]]
        assert mismatches(name, read, check=xlsx_same) == []
        for row in rows:
            assert all(c.data_type != "f" for c in row)
