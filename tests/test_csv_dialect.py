"""The CSV dialect: declared on every resource, and the one the files are written in."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

from improvement_evidence.csvio import DIALECT, render_csv

ROOT = Path(__file__).resolve().parents[1]


def test_every_resource_declares_the_dialect():
    desc = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    want = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "lineTerminator": "\n"}
    assert DIALECT == want
    for res in desc["resources"]:
        assert res["dialect"] == want, res["name"]


def test_refresh_package_writes_the_writers_dialect():
    spec = importlib.util.spec_from_file_location("refresh_package", ROOT / "tools" / "refresh_package.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.DIALECT == DIALECT


def test_text_cells_and_only_text_cells_are_quoted():
    text = render_csv(
        ["id", "n", "x", "ok", "day", "note"],
        [["a", "1", "2.5", "true", "2020-01-31", 'it\'s "so", really'], ["b", "", "", "", "", ""]],
        ["string", "integer", "number", "boolean", "date", "string"],
    )
    assert text == (
        '"id","n","x","ok","day","note"\n'
        '"a",1,2.5,true,2020-01-31,"it\'s ""so"", really"\n'
        '"b",,,,,\n'
    )


def test_every_shipped_file_quotes_exactly_its_text_cells():
    desc = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for res in desc["resources"]:
        fields = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))["fields"]
        raw = (ROOT / res["path"]).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        # read the cells again with quoting switched off: a quoted cell keeps its quotes
        for line, record in zip(raw.splitlines(), rows):
            if "\n" in "".join(record) or "," in "".join(record):
                continue  # a line break or comma inside a cell: the plain split below cannot see its cells
            for cell, bare, f in zip(line.split(","), record, [{"type": "string"}] * len(record) if record == rows[0] else fields):
                quoted = cell.startswith('"')
                assert quoted == (bare != "" and f.get("type", "string") == "string"), (res["name"], line[:80])
