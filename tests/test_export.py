"""export: zip, parquet, sqlite, xlsx and csv read back equal to load() (issue 5)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import improvement_evidence as ie
from improvement_evidence.cli import main
from improvement_evidence.export import ExportError, export, read_parquet
from improvement_evidence.integrity import verify

from synthetic_package import MINI, descriptor_of, mini_or_real

ROOT = Path(__file__).resolve().parents[1]


def schema_of(pkg: Path, table: str) -> dict:
    res = next(r for r in descriptor_of(pkg)["resources"] if r["name"] == table)
    return json.loads((pkg / res["schema"]).read_text(encoding="utf-8"))


@pytest.fixture(params=["mini", "real"])
def pkg(request) -> Path:
    return mini_or_real(request.param)


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def typed_from_schema(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """Give plain values read from a file the dtypes the schema declares (written
    here from the Table Schema rules, not with the package's own converters)."""
    out = pd.DataFrame(index=range(len(frame)))
    for f in schema["fields"]:
        col = frame[f["name"]].astype(object).where(frame[f["name"]].notna(), None)
        t, enum = f.get("type", "string"), f.get("constraints", {}).get("enum")
        if enum is not None:
            out[f["name"]] = pd.Categorical(col, categories=enum)
        elif t == "string":
            out[f["name"]] = pd.array(col, dtype="string")
        elif t in ("integer", "year"):
            out[f["name"]] = pd.array([None if v is None else int(v) for v in col], dtype="Int64")
        elif t == "number":
            out[f["name"]] = pd.array([None if v is None else float(v) for v in col], dtype="Float64")
        elif t == "boolean":
            out[f["name"]] = pd.array([None if v is None else bool(v) for v in col], dtype="boolean")
        elif t == "date":
            out[f["name"]] = pd.to_datetime(pd.Series(col, dtype=object)).astype("datetime64[ns]")
        else:
            raise AssertionError(f"type {t} not covered by this test")
    return out


# -- zip -----------------------------------------------------------------------------------
def test_zip_is_the_data_package_and_loads_back_equal(pkg, tmp_path):
    out = export("zip", tmp_path / "p.zip", pkg)
    desc = descriptor_of(pkg)
    licences = [n for n in ("LICENSE", "LICENSE-DATA") if (pkg / n).is_file()]
    expected = ["datapackage.json", *licences,
                "data/", *sorted(r["path"] for r in desc["resources"]),
                "schemas/", *sorted(r["schema"] for r in desc["resources"])]
    with zipfile.ZipFile(out) as z:
        # folder entries: datapackage-js (1.x) fails with ENOENT on data/... without them
        assert z.namelist() == expected
        assert [i.filename for i in z.infolist() if i.is_dir()] == ["data/", "schemas/"]
        z.extractall(tmp_path / "x")
    assert verify(tmp_path / "x").ok
    original, back = ie.load(pkg), ie.load(tmp_path / "x")
    assert back.version == original.version
    for name in original:
        assert_frame_equal(back[name], original[name], check_dtype=True)


def test_zip_is_byte_identical_for_the_same_data(pkg, tmp_path):
    a = export("zip", tmp_path / "a.zip", pkg).read_bytes()
    b = export("zip", tmp_path / "b.zip", pkg).read_bytes()
    assert a == b


def test_zip_timestamps_come_from_created_or_source_date_epoch(tmp_path, monkeypatch):
    # mini's created is 2020-01-02T03:04:05Z; zip times have 2-second resolution
    with zipfile.ZipFile(export("zip", tmp_path / "a.zip", MINI)) as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 1, 2, 3, 4, 4)}
        assert {i.external_attr >> 16 for i in z.infolist() if not i.is_dir()} == {0o100644}
        assert {i.external_attr >> 16 for i in z.infolist() if i.is_dir()} == {0o40755}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    with zipfile.ZipFile(export("zip", tmp_path / "b.zip", MINI)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_zip_changes_when_the_data_changes(mini_copy, tmp_path):
    before = export("zip", tmp_path / "a.zip", mini_copy).read_bytes()
    p = mini_copy / "data" / "groups.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("Alpha", "Alpha!"), encoding="utf-8")
    assert export("zip", tmp_path / "b.zip", mini_copy).read_bytes() != before


def test_zip_of_the_repository_carries_both_licence_files(tmp_path):
    with zipfile.ZipFile(export("zip", tmp_path / "a.zip", ROOT)) as z:
        assert z.read("LICENSE") == (ROOT / "LICENSE").read_bytes()
        assert z.read("LICENSE-DATA") == (ROOT / "LICENSE-DATA").read_bytes()


def test_bad_source_date_epoch_is_a_clean_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["export", "--format", "zip", "--path", str(MINI), str(tmp_path / "a.zip")]) == 2
    err = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH: expected whole seconds since 1970; found 'yesterday'" in err
    assert not (tmp_path / "a.zip").exists()


# -- parquet --------------------------------------------------------------------------------
def test_parquet_keeps_every_dtype(pkg, tmp_path):
    pytest.importorskip("pyarrow")
    out = export("parquet", tmp_path / "pq", pkg)
    original = ie.load(pkg)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.parquet" for n in original)
    for name in original:
        assert_frame_equal(read_parquet(out / f"{name}.parquet"), original[name], check_dtype=True)
        if len(original[name]):
            # plain pandas gets every dtype too, except that dates are stored as
            # dates (date32) and come back as datetime.date objects; only an
            # empty table loses its categories
            plain = pd.read_parquet(out / f"{name}.parquet")
            dates = [f["name"] for f in schema_of(pkg, name)["fields"] if f["type"] == "date"]
            for col in dates:
                assert all(v is None or type(v) is date for v in plain[col]), col
                plain[col] = pd.to_datetime(plain[col]).astype("datetime64[ns]")
            assert_frame_equal(plain, original[name], check_dtype=True)


def test_parquet_empty_table_keeps_its_categories(mini_copy, tmp_path):
    pytest.importorskip("pyarrow")
    (mini_copy / "data" / "item_tags.csv").write_text("item_id,tag,weight\n", encoding="utf-8")
    out = export("parquet", tmp_path / "pq", mini_copy)
    back = read_parquet(out / "item_tags.parquet")
    assert len(back) == 0
    assert list(back["tag"].cat.categories) == ["red", "green", "blue"]
    assert_frame_equal(back, ie.load_table("item_tags", mini_copy), check_dtype=True)


def test_parquet_carries_version_and_content_hash(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = export("parquet", tmp_path / "pq", MINI)
    meta = json.loads(pq.read_schema(out / "items.parquet").metadata[b"improvement_evidence"])
    assert meta["version"] == "1.0.0" and meta["table"] == "items"
    assert meta["content_hash"] == verify(MINI).recorded_content_hash
    assert meta["schema"] == schema_of(MINI, "items")


def test_mini_package_covers_every_dtype():
    # the fixture is only useful if it holds every dtype the loader produces
    dtypes = {str(dt) for frame in ie.load(MINI).values() for dt in frame.dtypes}
    assert {"category", "string", "Int64", "Float64", "boolean", "datetime64[ns]"} <= dtypes


# -- sqlite ---------------------------------------------------------------------------------
def read_sqlite(db: Path, table: str, schema: dict) -> pd.DataFrame:
    con = sqlite3.connect(db)
    try:
        cur = con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        frame = pd.DataFrame(cur.fetchall(), columns=[c[0] for c in cur.description], dtype=object)
    finally:
        con.close()
    for f in schema["fields"]:  # booleans are stored as 0/1
        if f.get("type") == "boolean":
            frame[f["name"]] = [None if v is None else bool(v) for v in frame[f["name"]]]
    return typed_from_schema(frame, schema)


def test_sqlite_round_trip(pkg, tmp_path):
    db = export("sqlite", tmp_path / "p.sqlite", pkg)
    original = ie.load(pkg)
    for name in original:
        back = read_sqlite(db, name, schema_of(pkg, name))
        assert_frame_equal(back, original[name], check_dtype=True)


def test_sqlite_declares_keys_and_types(tmp_path):
    db = export("sqlite", tmp_path / "p.sqlite", MINI)
    con = sqlite3.connect(db)
    fks = {(r[2], r[3], r[4]) for r in con.execute('PRAGMA foreign_key_list("items")')}
    assert fks == {("groups", "group_id", "group_id"), ("items", "parent_id", "item_id")}
    assert [(r[2], r[3], r[4]) for r in con.execute('PRAGMA foreign_key_list("item_tags")')] == [("items", "item_id", "item_id")]
    info = {r[1]: (r[2], r[3], r[5]) for r in con.execute('PRAGMA table_info("items")')}  # type, notnull, pk
    assert info["item_id"] == ("TEXT", 1, 1)
    assert info["count"] == ("INTEGER", 0, 0)
    assert info["share"] == ("REAL", 0, 0)
    assert info["flag"] == ("INTEGER", 0, 0)
    assert info["seen"] == ("TEXT", 0, 0)
    assert info["kind"] == ("TEXT", 1, 0)
    pk = sorted((r[5], r[1]) for r in con.execute('PRAGMA table_info("item_tags")') if r[5])
    assert pk == [(1, "item_id"), (2, "tag")]
    assert dict(con.execute('SELECT key, value FROM "_datapackage"'))["version"] == "1.0.0"
    # the constraints are live for a client that turns foreign keys on
    con.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        con.execute("INSERT INTO item_tags VALUES ('no-such-item', 'red', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        con.execute("INSERT INTO item_tags VALUES ('one', 'purple', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE|PRIMARY"):
        con.execute("INSERT INTO item_tags VALUES ('one', 'red', 3)")
    con.close()


def test_sqlite_refuses_a_broken_reference_and_leaves_no_file(mini_copy, tmp_path, capsys):
    p = mini_copy / "data" / "items.csv"
    p.write_text(p.read_text(encoding="utf-8").replace('"two","alpha","gadget"', '"two","gamma","gadget"'), encoding="utf-8")
    out = tmp_path / "p.sqlite"
    assert main(["export", "--format", "sqlite", "--path", str(mini_copy), str(out)]) == 2
    err = capsys.readouterr().err
    assert "items: data row 2 (line 3 of its CSV) refers to a missing row of groups" in err
    assert not out.exists()


# -- xlsx -----------------------------------------------------------------------------------
def test_xlsx_round_trip(pkg, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", pkg))
    original = ie.load(pkg)
    assert wb.sheetnames == ["README", "codebook", *original]
    for name in original:
        rows = list(wb[name].values)
        assert list(rows[0]) == list(original[name].columns)
        raw = pd.DataFrame([list(r) for r in rows[1:]], columns=rows[0], dtype=object)
        back = typed_from_schema(raw, schema_of(pkg, name))
        assert_frame_equal(back, original[name], check_dtype=True)


def test_xlsx_no_cell_is_a_formula(pkg, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", pkg))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):  # stored as text, marked as text for the spreadsheet
                    assert (cell.data_type, cell.quotePrefix) == ("s", True), f"{ws.title}!{cell.coordinate}"


def test_xlsx_keeps_dangerous_text_exactly_as_text(tmp_path):
    # Before 1.1 these cells gained a literal leading apostrophe ("'=1+1").
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", MINI))["items"]
    notes = {r[0].value: r[8] for r in ws.iter_rows(min_row=2)}
    assert {k: c.value for k, c in notes.items()} == {
        "one": "=1+1",
        "two": "NA",
        "three": "-12 or so",
        "four": "@SUM(A1)",
        "five": "+44 20 7946 0000",
        "six": "'already quoted",
        "seven": "\ttab first",
        "eight": "line one\nline two",
        "nine": "None",
    }
    for key, cell in notes.items():
        assert (cell.data_type, cell.quotePrefix) == ("s", True), key
    # numbers stay numbers: a negative value is not text
    shares = {r[0]: r[4] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert shares["five"] == -3.5


def test_xlsx_dates_are_dates_shown_as_dates(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", MINI))["items"]
    seen = {r[0].value: r[6] for r in ws.iter_rows(min_row=2)}
    assert seen["one"].value == datetime(2020, 1, 31) and seen["one"].number_format == "yyyy-mm-dd"
    assert seen["two"].value is None


def test_xlsx_codebook_describes_every_field(pkg, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", pkg))
    rows = list(wb["codebook"].values)
    assert list(rows[0][:5]) == ["table", "field", "type", "description", "constraints"]
    got = {(r[0], r[1]): r for r in rows[1:]}
    for res in descriptor_of(pkg)["resources"]:
        for f in schema_of(pkg, res["name"])["fields"]:
            row = got[(res["name"], f["name"])]
            assert row[2] == f.get("type", "string")
            assert (row[3] or "") == f.get("description", "")
            assert json.loads(row[4]) == f["constraints"] if f.get("constraints") else row[4] in (None, "")
    assert len(rows) - 1 == sum(len(schema_of(pkg, r["name"])["fields"]) for r in descriptor_of(pkg)["resources"])


def test_xlsx_readme_names_version_and_hash(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    readme = dict(openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", MINI))["README"].values)
    assert readme["version"] == "1.0.0"
    assert readme["content hash"] == verify(MINI).recorded_content_hash
    assert "quote-prefix" in readme["cells"]


def test_xlsx_is_byte_identical_for_the_same_data(tmp_path, monkeypatch):
    pytest.importorskip("openpyxl")
    a = export("xlsx", tmp_path / "a.xlsx", MINI).read_bytes()
    b = export("xlsx", tmp_path / "b.xlsx", MINI).read_bytes()
    assert a == b


# -- csv ------------------------------------------------------------------------------------
def test_csv_writes_every_table_in_canonical_form(pkg, tmp_path):
    out = export("csv", tmp_path / "csv", pkg)
    for res in descriptor_of(pkg)["resources"]:
        assert (out / f"{res['name']}.csv").read_bytes() == (pkg / res["path"]).read_bytes()


def test_csv_writes_the_evidence_view_when_the_package_has_it(pkg, tmp_path):
    out = export("csv", tmp_path / "csv", pkg)
    names = {r["name"] for r in descriptor_of(pkg)["resources"]}
    if "metrics" not in names:
        assert not (out / "evidence.csv").exists()
        return
    from improvement_evidence.appraisal import evidence

    try:
        view = evidence(pkg)
    except KeyError as exc:
        pytest.skip(f"the evidence view cannot be built on this package yet: {exc}")
    back = pd.read_csv(out / "evidence.csv", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(view.columns)
    assert list(back["metric_id"]) == list(view["metric_id"])
    for col in view.columns:  # text columns come back as written; missing is the empty string
        if isinstance(view[col].dtype, (pd.StringDtype, pd.CategoricalDtype)):
            assert list(back[col]) == [("" if pd.isna(v) else str(v)) for v in view[col]], col


# -- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,module", [("parquet", "pyarrow"), ("xlsx", "openpyxl")])
def test_missing_extra_is_a_clean_error(fmt, module, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, module, None)  # import now fails as if not installed
    if module == "pyarrow":
        monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert main(["export", "--format", fmt, "--path", str(MINI), str(tmp_path / f"out.{fmt}")]) == 2
    err = capsys.readouterr().err
    assert f"the {fmt} export needs {module}, which is not installed" in err
    assert "pip install 'improvement-evidence[export]'" in err and "Traceback" not in err
    assert not (tmp_path / f"out.{fmt}").is_file()


def test_existing_output_needs_force(tmp_path, capsys):
    out = tmp_path / "a.zip"
    out.write_bytes(b"keep me")
    assert main(["export", "--format", "zip", "--path", str(MINI), str(out)]) == 2
    assert "file exists; use --force" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["export", "--format", "zip", "--path", str(MINI), "--force", str(out)]) == 0
    assert zipfile.is_zipfile(out)


def test_folder_formats_refuse_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["export", "--format", "csv", "--path", str(MINI), str(tmp_path / "csv")]) == 2
    assert "folder exists and is not empty" in capsys.readouterr().err
    assert main(["export", "--format", "csv", "--path", str(MINI), "--force", str(tmp_path / "csv")]) == 0
    assert (tmp_path / "csv" / "notes.txt").read_text(encoding="utf-8") == "mine"  # not ours: kept
    assert (tmp_path / "csv" / "items.csv").is_file()


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ExportError, match="expected one of: zip, parquet, sqlite, xlsx, csv"):
        export("json", tmp_path / "x", MINI)
