"""Every snippet of docs/use-it-from.md, run as written (R is in test_slow_clients.py)."""

from __future__ import annotations


import pytest
from _snippets import shell_env, snippet, snippets
from _values import csv_text, mismatches, tables
from _clients import need_command, run

TABLES = tables()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Where the page's first snippet leaves the user: an unzipped copy of the package."""
    base = tmp_path_factory.mktemp("use-it-from")
    need_command("unzip")
    script = snippet("get-the-files", "bash") + "pwd\n"
    got = run(["bash", "-e", "-c", script], cwd=base, env=shell_env())
    assert got.returncode == 0, got.stderr
    where = base / "improvement-evidence"
    assert got.stdout.strip().splitlines()[-1] == str(where)
    return where


def test_every_snippet_on_the_page_is_run_by_a_test():
    run_here = {"get-the-files", "duckdb-parquet", "duckdb-sql", "polars", "pandas", "xlsx", "reference-manager"}
    run_slow = {"r-readr"}
    assert set(snippets()) == run_here | run_slow


def bash(folder, name):
    got = run(["bash", "-e", "-c", snippet(name, "bash")], cwd=folder, env=shell_env())
    assert got.returncode == 0, got.stderr


@pytest.mark.client("DuckDB", "parquet export; data/*.csv", "docs/use-it-from.md: SELECT * FROM 'parquet/T.parquet'; read_csv(T, all_varchar = true)")
def test_duckdb_snippet(folder, monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    bash(folder, "duckdb-parquet")
    typed_sql, text_sql = [s.strip() for s in snippet("duckdb-sql", "sql").split(";") if s.strip()]
    monkeypatch.chdir(folder)
    con = duckdb.connect()
    for name in TABLES:
        for sql, as_text in ((typed_sql, False), (text_sql, True)):
            rel = con.sql(sql.replace("sources", name))
            assert mismatches(name, [dict(zip(rel.columns, r)) for r in rel.fetchall()], as_text=as_text, root=folder) == []
    # what the page says defaults do
    assert con.sql("SELECT cost_evidence FROM read_csv_auto('data/evidence_ratings.csv')").fetchall()[0][0] in (True, False)


@pytest.mark.client("polars", "data/*.csv", "docs/use-it-from.md: pl.read_csv(T, schema=types from schemas/T.json)")
def test_polars_snippet(folder, monkeypatch):
    pytest.importorskip("polars")
    monkeypatch.chdir(folder)
    ns: dict = {}
    exec(snippet("polars", "python"), ns)
    for name in TABLES:
        assert mismatches(name, ns["read_table"](name).to_dicts(), root=folder) == []


@pytest.mark.client("pandas", "data/*.csv", "docs/use-it-from.md: pd.read_csv(T, dtype=str, keep_default_na=False)")
def test_pandas_snippet(folder, monkeypatch):
    import pandas as pd

    monkeypatch.chdir(folder)
    ns: dict = {}
    code = snippet("pandas", "python")
    exec(code, ns)
    assert mismatches("sources", ns["sources"].to_dict("records"), as_text=True, root=folder) == []
    for name in TABLES:
        ns2: dict = {}
        exec(code.replace("sources", name), ns2)
        assert mismatches(name, ns2[name].to_dict("records"), as_text=True, root=folder) == []
    # what the page says plain read_csv does
    header, rows = csv_text("sources", folder)
    plain = pd.read_csv("data/sources.csv")
    assert plain["pmid"].dtype.kind in "if" and any(r[header.index("pmid")] for r in rows)


def test_xlsx_snippet_writes_the_workbook(folder):
    openpyxl = pytest.importorskip("openpyxl")
    bash(folder, "xlsx")
    wb = openpyxl.load_workbook(folder / "improvement-evidence.xlsx")
    assert wb.sheetnames == ["README", "codebook", *TABLES]


def test_reference_manager_snippet_writes_files_the_parsers_read(folder):
    rispy = pytest.importorskip("rispy")
    bibtexparser = pytest.importorskip("bibtexparser")
    bash(folder, "reference-manager")
    records = rispy.loads((folder / "improvement-evidence.ris").read_text(encoding="utf-8"))
    assert [r["type_of_reference"] for r in records] == ["DATA", "RPRT"]
    lib = bibtexparser.parse_string((folder / "improvement-evidence.bib").read_text(encoding="utf-8"))
    assert len(lib.entries) == 2 and lib.failed_blocks == []
