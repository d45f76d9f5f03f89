"""Exports of an edited copy never state the shipped content hash (issue 13).

Before 1.1 every export printed the hash the descriptor *records*, so a copy
whose CSVs had been edited still claimed to be the released version.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from improvement_evidence.export import export
from improvement_evidence.integrity import recorded_content_hash

ROOT = Path(__file__).resolve().parents[1]


def own_hash(pkg: Path) -> str:
    """The content hash as docs/versioning.md defines it, computed here from the files."""
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    paths = sorted(r["path"] for r in desc["resources"])
    text = "".join(f"{hashlib.sha256((pkg / p).read_bytes()).hexdigest()}  {p}\n" for p in paths)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def edit(pkg: Path, refresh: bool) -> None:
    p = pkg / "data" / "areas.csv"
    text = p.read_text(encoding="utf-8")
    assert "The guide argues that" in text
    p.write_text(text.replace("The guide argues that", "The guide (edited) argues that", 1), encoding="utf-8", newline="")
    if refresh:  # what tools/refresh_package.py would do: the descriptor records the new file
        desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
        for r in desc["resources"]:
            raw = (pkg / r["path"]).read_bytes()
            r["bytes"], r["hash"] = len(raw), "sha256:" + hashlib.sha256(raw).hexdigest()
        (pkg / "datapackage.json").write_text(json.dumps(desc, indent=2), encoding="utf-8")


def texts(out: Path, fmt: str) -> str:
    """Every piece of text an export holds, decompressed."""
    if fmt in ("zip", "xlsx"):
        with zipfile.ZipFile(out) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if fmt == "sqlite":
        con = sqlite3.connect(out)
        try:
            return "\n".join(f"{k}={v}" for k, v in con.execute("SELECT key, value FROM _datapackage"))
        finally:
            con.close()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return "\n".join((pq.read_schema(f).metadata or {}).get(b"improvement_evidence", b"").decode() for f in sorted(out.glob("*.parquet")))
    return "\n".join(f.read_text(encoding="utf-8") for f in sorted(out.glob("*.csv")))


@pytest.mark.parametrize("refresh", [False, True], ids=["descriptor-stale", "descriptor-refreshed"])
@pytest.mark.parametrize("fmt", ["zip", "xlsx", "sqlite", "parquet", "csv"])
def test_export_of_an_edited_copy_never_states_the_shipped_hash(package_copy, tmp_path, fmt, refresh):
    if fmt in ("xlsx", "parquet"):
        pytest.importorskip({"xlsx": "openpyxl", "parquet": "pyarrow"}[fmt])
    shipped = recorded_content_hash(ROOT)
    edit(package_copy, refresh)
    mine = own_hash(package_copy)
    assert mine != shipped
    out = export(fmt, tmp_path / f"out.{fmt}", package_copy)
    body = texts(out, fmt)
    assert shipped not in body and shipped.removeprefix("sha256:") not in body
    if fmt in ("xlsx", "sqlite", "parquet"):
        assert mine in body


def test_xlsx_readme_of_an_edited_copy_says_it_is_not_released(package_copy, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    edit(package_copy, refresh=True)
    readme = dict(openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", package_copy))["README"].values)
    assert readme["version"].endswith("(not a released version)")
    assert readme["content hash"] == own_hash(package_copy)
    assert readme["how to cite"].startswith("Not a released version")


def test_sqlite_and_zip_of_an_edited_copy_say_modified(package_copy, tmp_path):
    edit(package_copy, refresh=False)
    con = sqlite3.connect(export("sqlite", tmp_path / "p.sqlite", package_copy))
    meta = dict(con.execute("SELECT key, value FROM _datapackage"))
    con.close()
    assert meta["released"] == "false" and meta["content_hash"] == own_hash(package_copy)
    with zipfile.ZipFile(export("zip", tmp_path / "p.zip", package_copy)) as z:
        desc = json.loads(z.read("datapackage.json"))
        z.extractall(tmp_path / "x")
    assert desc["version"].endswith("+modified")
    assert own_hash(tmp_path / "x") == own_hash(package_copy)
    # the archived descriptor records the files it holds, so they verify
    for r in desc["resources"]:
        raw = (tmp_path / "x" / r["path"]).read_bytes()
        assert r["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest() and r["bytes"] == len(raw)


def test_export_of_the_shipped_package_states_the_release(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    readme = dict(openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx", ROOT))["README"].values)
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert readme["version"] == version
    assert readme["content hash"] == own_hash(ROOT)
    with zipfile.ZipFile(export("zip", tmp_path / "p.zip", ROOT)) as z:
        assert z.read("datapackage.json") == (ROOT / "datapackage.json").read_bytes()
