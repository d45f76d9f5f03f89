"""``export sqlite``: one database with the schemas' keys and constraints declared.

Types follow the Table Schemas: string and date -> TEXT (dates as
YYYY-MM-DD), integer and year -> INTEGER, number -> REAL, boolean ->
INTEGER 0/1. Required fields are NOT NULL, unique fields UNIQUE, enum
fields have a CHECK listing their values; every primary key and foreign key
is declared, so ``PRAGMA foreign_key_list`` shows them and a client with
``PRAGMA foreign_keys = ON`` enforces them. Rows are checked with
``PRAGMA foreign_key_check`` before the file is kept.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pandas as pd

from . import ExportError, _load, _package_file

SQL_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}

META_TABLE = "_datapackage"


def _q(name: str) -> str:
    """Quote an identifier (a column may be called ``order``)."""
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def create_table_sql(name: str, schema: dict) -> str:
    """The CREATE TABLE statement for one Table Schema.

    Examples:
        >>> print(create_table_sql("t", {"fields": [{"name": "id", "type": "string",
        ...     "constraints": {"required": True}}], "primaryKey": ["id"]}))
        CREATE TABLE "t" (
          "id" TEXT NOT NULL,
          PRIMARY KEY ("id")
        )
    """
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk)
    lines = []
    for f in schema["fields"]:
        c = f.get("constraints", {})
        t = f.get("type", "string")
        if t not in SQL_TYPES:
            raise ExportError(f"schema of {name!r}, field {f['name']!r}: type {t!r} has no SQLite mapping")
        col = f"{_q(f['name'])} {SQL_TYPES[t]}"
        if c.get("required") or f["name"] in pk:
            col += " NOT NULL"
        if c.get("unique") and pk != [f["name"]]:
            col += " UNIQUE"
        if "enum" in c:
            col += f" CHECK ({_q(f['name'])} IN ({', '.join(_lit(v) for v in c['enum'])}))"
        if t == "boolean":
            col += f" CHECK ({_q(f['name'])} IN (0, 1))"
        lines.append(col)
    if pk:
        lines.append(f"PRIMARY KEY ({', '.join(_q(k) for k in pk)})")
    for fk in schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        rfields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        target = ref.get("resource") or name  # "" means this table
        lines.append(
            f"FOREIGN KEY ({', '.join(_q(x) for x in fields)}) REFERENCES {_q(target)} ({', '.join(_q(x) for x in rfields)})"
        )
    return f"CREATE TABLE {_q(name)} (\n  " + ",\n  ".join(lines) + "\n)"


def _py(value, type_: str):
    """A pandas cell as the Python value SQLite stores."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if type_ == "boolean":
        return int(bool(value))
    if type_ in ("integer", "year"):
        return int(value)
    if type_ == "number":
        return float(value)
    if type_ == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def write(out: Path, path) -> None:
    from .._resources import schema_path
    from ._stamp import stamp

    file = _package_file(path)
    desc = json.loads(file.read_text(encoding="utf-8"))
    ds = _load(path)
    con = sqlite3.connect(out)
    try:
        con.execute(f"CREATE TABLE {_q(META_TABLE)} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        st = stamp(file)
        meta = {"name": desc["name"], "version": st.version_text, "released": "true" if st.released else "false",
                "content_hash": st.content_hash, "content_hash_note": st.note,
                "created": str(desc.get("created", "")), "title": desc.get("title", "")}
        con.executemany(f"INSERT INTO {_q(META_TABLE)} VALUES (?, ?)", sorted(meta.items()))
        for name, frame in ds.items():
            schema = json.loads(schema_path(name, file).read_text(encoding="utf-8"))
            con.execute(create_table_sql(name, schema))
            types = [f.get("type", "string") for f in schema["fields"]]
            rows = [[_py(v, t) for v, t in zip(row, types)] for row in frame.itertuples(index=False, name=None)]
            marks = ", ".join("?" * len(types))
            try:
                con.executemany(f"INSERT INTO {_q(name)} VALUES ({marks})", rows)
            except sqlite3.IntegrityError as exc:
                raise ExportError(
                    f"{name}: a row breaks a constraint its schema declares ({exc}); "
                    "run `improvement-evidence validate` to find it"
                ) from None
        bad = con.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            table, rowid, parent, _ = bad[0]
            raise ExportError(
                f"{table}: data row {rowid} (line {rowid + 1} of its CSV) refers to a missing row of {parent} "
                f"({len(bad)} broken reference(s) in all); "
                "run `improvement-evidence validate` to find them"
            )
        con.commit()
    finally:
        con.close()
