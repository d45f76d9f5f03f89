"""What a client must read back: the CSV text of every cell, and its typed value.

The expectation is built here from the CSV files with Python's ``csv``
module and the Table Schemas -- not with the package's own loader, which is
part of what is being tested.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def descriptor(root: Path = ROOT) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def tables(root: Path = ROOT) -> list[str]:
    return [r["name"] for r in descriptor(root)["resources"]]


def field_types(name: str, root: Path = ROOT) -> dict[str, str]:
    schema = json.loads((root / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    return {f["name"]: f.get("type", "string") for f in schema["fields"]}


def csv_text(name: str, root: Path = ROOT) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of cell texts, read with the declared dialect."""
    res = next(r for r in descriptor(root)["resources"] if r["name"] == name)
    d = res["dialect"]
    text = (root / res["path"]).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=d["delimiter"], quotechar=d["quoteChar"],
                           doublequote=d["doubleQuote"], strict=True))
    return rows[0], rows[1:]


def typed(text: str, type_: str):
    """The value the Table Schema gives a cell's text (None for empty)."""
    if text == "":
        return None
    if type_ in ("integer", "year"):
        return int(text)
    if type_ == "number":
        return Decimal(text)
    if type_ == "boolean":
        return {"true": True, "false": False}[text]
    if type_ == "date":
        return dt.date.fromisoformat(text)
    return text


def _missing(got) -> bool:
    if got is None:
        return True
    try:
        return got != got  # NaN, NaT
    except (TypeError, ValueError):
        return str(got) in ("<NA>", "NaT")


def same(got, text: str, type_: str, *, as_text: bool = False) -> bool:
    """``got`` is exactly this cell: its typed value (right Python type, equal
    value), or with ``as_text`` its exact text. Dates must be dates, not
    datetimes; strings must be strings; integers ints; no character lost."""
    if text == "":
        return _missing(got) or (as_text and got == "")
    if as_text:
        return isinstance(got, str) and got == text
    want = typed(text, type_)
    if type_ == "string":
        return isinstance(got, str) and got == want
    if type_ in ("integer", "year"):
        return isinstance(got, int) and not isinstance(got, bool) and got == want
    if type_ == "number":
        if isinstance(got, bool) or not isinstance(got, (int, float, Decimal)):
            return False
        try:
            return Decimal(repr(got) if isinstance(got, float) else str(got)) == want
        except InvalidOperation:
            return False
    if type_ == "boolean":
        return isinstance(got, bool) and got == want
    if type_ == "date":
        return type(got) is dt.date and got == want
    raise AssertionError(f"type {type_} not covered")


def intact(got, text: str, type_: str) -> bool:
    """Weaker than :func:`same`, for clients that infer types: the value
    keeps every character (a text id read as the number 123 still prints
    as "123"), though its type may differ from the schema's."""
    if same(got, text, type_) or same(got, text, type_, as_text=True):
        return True
    if isinstance(got, bool):
        return str(got).lower() == text
    if isinstance(got, int):
        return str(got) == text
    if isinstance(got, float):
        r = repr(got)
        return (r[:-2] if r.endswith(".0") else r) == text
    if isinstance(got, Decimal):
        return str(got) == text
    if isinstance(got, (dt.date, dt.datetime)):
        return got.isoformat()[:10] == text and (type(got) is dt.date or got.time() == dt.time())
    return False


def mismatches(name: str, read: list[dict], *, as_text: bool = False, check=None, root: Path = ROOT, limit: int = 5) -> list[str]:
    """Every cell of table ``name`` that ``read`` (a list of row dicts in
    file order) gets wrong; [] when all are right. Also checks the columns
    and the number of rows."""
    header, rows = csv_text(name, root)
    types = field_types(name, root)
    check = check or (lambda g, t, ty: same(g, t, ty, as_text=as_text))
    out: list[str] = []
    if len(read) != len(rows):
        return [f"{name}: expected {len(rows)} rows; read {len(read)}"]
    for i, (row, got) in enumerate(zip(rows, read), start=2):
        if list(got) != header:
            return [f"{name}: expected columns {header}; read {list(got)}"]
        for col, text in zip(header, row):
            if not check(got[col], text, types[col]):
                out.append(f"{name}, line {i}, {col}: expected {text!r} ({types[col]}); read {got[col]!r} ({type(got[col]).__name__})")
                if len(out) >= limit:
                    return out
    return out
