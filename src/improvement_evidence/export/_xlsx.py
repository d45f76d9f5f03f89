"""``export xlsx``: a workbook for people, safe to open.

One sheet per table, a ``README`` sheet (what this is, version, content
hash, how to cite, the formula rule below) and a ``codebook`` sheet (table,
field, type, description, constraints, key).

No cell can run as a formula: a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return -- or with an apostrophe, so the
rule can be undone without ambiguity -- is written with one extra leading
apostrophe. :func:`unneutralise` removes it. Only this export does this;
the CSV files are the canonical data.
"""

from __future__ import annotations

import io
import json
import math
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from . import ExportError, _load, _need, _package_file, source_date
from ._zipfile import DeterministicZip

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet could run as a formula.

    Examples:
        >>> neutralise("=1+1"), neutralise("-12 or so"), neutralise("plain"), neutralise("'quoted")
        ("'=1+1", "'-12 or so", 'plain', "''quoted")
    """
    return "'" + text if text.startswith(TRIGGERS) else text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise`.

    Examples:
        >>> unneutralise("'=1+1"), unneutralise("''quoted"), unneutralise("plain")
        ('=1+1', "'quoted", 'plain')
    """
    return text[1:] if text.startswith("'") else text


def _cell(value, where: str):
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (bool, int, float)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    text = str(value)
    if _ILLEGAL.search(text):
        raise ExportError(f"{where}: contains a control character an xlsx file cannot hold ({text[:40]!r})")
    return neutralise(text)


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    return json.dumps(c, ensure_ascii=False, sort_keys=True) if c else ""


def _keys(schema: dict) -> dict[str, str]:
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk)
    out = {f: "primary key" for f in pk}
    for fk in schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        rfields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        for f, r in zip(fields, rfields):
            link = f"refers to {ref.get('resource') or 'this table'}.{r}"
            out[f] = f"{out[f]}; {link}" if f in out else link
    return out


def _fix_core_times(xml: bytes, when: datetime) -> bytes:
    """openpyxl stamps docProps/core.xml with the time of saving: pin it."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", xml)


def write(out: Path, path) -> None:
    openpyxl = _need("openpyxl", "xlsx")
    from openpyxl.styles import Font

    from .._resources import schema_path
    from ..citation import cite
    from ..integrity import recorded_content_hash

    file = _package_file(path)
    desc = json.loads(file.read_text(encoding="utf-8"))
    ds = _load(path)
    when = source_date(desc)
    reserved = {"README", "codebook"}
    clash = reserved & set(ds.tables)
    if clash:
        raise ExportError(f"table name(s) {sorted(clash)} clash with the workbook's own sheets")

    wb = openpyxl.Workbook()
    wb.properties.creator = desc["name"]
    wb.properties.title = desc.get("title")
    wb.properties.created = when.replace(tzinfo=None)
    bold = Font(bold=True)

    readme = wb.active
    readme.title = "README"
    info = [
        ("title", desc.get("title", desc["name"])),
        ("version", ds.version),
        ("content hash", recorded_content_hash(file)),
        ("created", str(desc.get("created", ""))),
        ("licence", "; ".join(lic.get("title") or lic.get("name", "") for lic in desc.get("licenses", []))),
        ("how to cite", cite("apa", file)),
        ("sheets", "One sheet per table; the codebook sheet describes every field. The CSV files of the data package are the canonical data."),
        ("formula safety", "A text cell that began with =, +, -, @, a tab, a carriage return or an apostrophe is stored with one extra leading apostrophe, so that no spreadsheet runs it as a formula. Remove that first apostrophe to get the value."),
    ]
    for key, value in info:
        readme.append([key, _cell(value, f"README sheet, {key}")])
    for row in readme.iter_rows(min_col=1, max_col=1):
        row[0].font = bold
    readme.column_dimensions["A"].width = 16
    readme.column_dimensions["B"].width = 120

    codebook = wb.create_sheet("codebook")
    codebook.append(["table", "field", "type", "description", "constraints", "key"])
    schemas = {}
    for name in ds.tables:
        schema = json.loads(schema_path(name, file).read_text(encoding="utf-8"))
        schemas[name] = schema
        keys = _keys(schema)
        for f in schema["fields"]:
            codebook.append([
                _cell(v, f"codebook, {name}.{f['name']}")
                for v in (name, f["name"], f.get("type", "string"), f.get("description", ""), _constraints(f), keys.get(f["name"], ""))
            ])

    for name, frame in ds.items():
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        for i, row in enumerate(frame.itertuples(index=False, name=None)):
            ws.append([_cell(v, f"{name}, row {i + 2}, field {c!r}") for v, c in zip(row, frame.columns)])
        ws.freeze_panes = "A2"

    for ws in wb.worksheets[1:]:
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"

    buf = io.BytesIO()
    wb.save(buf)
    # Re-pack with fixed entry times (openpyxl uses the clock) so the same
    # data gives the same bytes; entry order is kept as openpyxl wrote it.
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with DeterministicZip(out, when) as z:
        for info_ in src.infolist():
            data = src.read(info_.filename)
            if info_.filename == "docProps/core.xml":
                data = _fix_core_times(data, when)
            z.add(info_.filename, data)
