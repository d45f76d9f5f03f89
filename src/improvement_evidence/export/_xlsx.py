"""``export xlsx``: a workbook for people, safe to open, values kept exactly.

One sheet per table, a ``README`` sheet (what this is, version, content
hash, how to cite, how cells are stored) and a ``codebook`` sheet (table,
field, type, description, constraints, key).

Every cell holds exactly the value of the CSV file:

* text is stored as a text cell (never a formula) with the quote-prefix
  style, Excel's own mark for "this is text": a cell beginning with ``=``,
  ``+``, ``-`` or ``@`` is shown and kept as text, and text that looks like
  a number or a date (an identifier, a PMID, a year stored as text) stays
  text when edited -- the value gains no character;
* numbers and booleans are numbers and booleans;
* dates are dates, shown as ``yyyy-mm-dd``.

Only this export has these spreadsheet concerns; the CSV files are the
canonical data.
"""

from __future__ import annotations

import io
import json
import math
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from . import ExportError, _load, _need, _package_file, source_date
from ._zipfile import DeterministicZip

DATE_FORMAT = "yyyy-mm-dd"

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_value(value, where: str):
    """The Python value openpyxl stores for one pandas cell: None, a number,
    a bool, a :class:`datetime.date`, or text.

    Examples:
        >>> import pandas as pd
        >>> cell_value(pd.Timestamp("2020-01-31"), "x"), cell_value(pd.NA, "x"), cell_value("=1+1", "x")
        (datetime.date(2020, 1, 31), None, '=1+1')
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date()
    if isinstance(value, (bool, int, float, date)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    text = str(value)
    if _ILLEGAL.search(text):
        raise ExportError(f"{where}: contains a control character an xlsx file cannot hold ({text[:40]!r})")
    return text


def put(cell, value, where: str) -> None:
    """Store one value in an openpyxl cell: text as text with the quote-prefix
    style (never a formula), dates with :data:`DATE_FORMAT`.

    Examples:
        >>> import openpyxl
        >>> ws = openpyxl.Workbook().active
        >>> put(ws["A1"], "=1+1", "A1")
        >>> ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix
        ('=1+1', 's', True)
    """
    v = cell_value(value, where)
    if v is None:
        return
    cell.value = v
    if isinstance(v, str):
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula; this is text
        cell.quotePrefix = True
    elif isinstance(v, date):
        cell.number_format = DATE_FORMAT


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


def _put_row(ws, r: int, values, where: str) -> None:
    for j, v in enumerate(values, start=1):
        if v not in (None, ""):
            put(ws.cell(r, j), v, where)


def _fix_core_times(xml: bytes, when: datetime) -> bytes:
    """openpyxl stamps docProps/core.xml with the time of saving: pin it."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", xml)


def _figure_lines(ds) -> list[tuple[str, str]]:
    """Every figure as one line, worded by the shared renderer (value with its
    hedge, what it measures, where it stands, its verification status), for
    readers who open the workbook rather than the metrics sheet. Packages
    without the guide's tables (metrics, sources) get none."""
    if not {"metrics", "sources"} <= set(ds.tables):
        return []
    from ..figures import render_all

    lines = [("figures", "Each figure below in words, as on the portal and in the briefs; the metrics sheet has every field.")]
    return lines + [(fig.metric_id, fig.line()) for fig in render_all(ds)]


def write(out: Path, path) -> None:
    openpyxl = _need("openpyxl", "xlsx")
    from openpyxl.styles import Font

    from .._resources import schema_path
    from ..citation import cite
    from ._stamp import stamp

    file = _package_file(path)
    desc = json.loads(file.read_text(encoding="utf-8"))
    ds = _load(path)
    when = source_date(desc)
    reserved = {"README", "codebook"}
    clash = reserved & set(ds.tables)
    if clash:
        raise ExportError(f"table name(s) {sorted(clash)} clash with the workbook's own sheets")

    st = stamp(file)
    wb = openpyxl.Workbook()
    wb.properties.creator = desc["name"]
    wb.properties.title = desc.get("title")
    wb.properties.created = when.replace(tzinfo=None)
    bold = Font(bold=True)

    readme = wb.active
    readme.title = "README"
    info = [
        ("title", desc.get("title", desc["name"])),
        ("version", st.version_text),
        ("content hash", st.content_hash),
        ("about the hash", st.note),
        ("created", str(desc.get("created", ""))),
        ("licence", "; ".join(lic.get("title") or lic.get("name", "") for lic in desc.get("licenses", []))),
        ("how to cite", cite("apa", file) if st.released else f"Not a released version: cite the released version this copy was made from. {cite('apa', file, content_hash=False)}"),
        ("sheets", "One sheet per table; the codebook sheet describes every field. The CSV files of the data package are the canonical data."),
        ("cells", "Every value is exactly that of the CSV files. Text is stored as text with the quote-prefix style, so text beginning with =, +, -, @ is never run as a formula and identifiers that look like numbers stay text; dates are dates shown as yyyy-mm-dd; an empty cell is a missing value."),
    ]
    info += _figure_lines(ds)
    for i, (key, value) in enumerate(info, start=1):
        put(readme.cell(i, 1), key, f"README sheet, {key}")
        put(readme.cell(i, 2), value, f"README sheet, {key}")
    for row in readme.iter_rows(min_col=1, max_col=1):
        row[0].font = bold
    readme.column_dimensions["A"].width = 16
    readme.column_dimensions["B"].width = 120

    codebook = wb.create_sheet("codebook")
    _put_row(codebook, 1, ["table", "field", "type", "description", "constraints", "key"], "codebook header")
    r = 2
    for name in ds.tables:
        schema = json.loads(schema_path(name, file).read_text(encoding="utf-8"))
        keys = _keys(schema)
        for f in schema["fields"]:
            values = (name, f["name"], f.get("type", "string"), f.get("description", ""), _constraints(f), keys.get(f["name"], ""))
            _put_row(codebook, r, values, f"codebook, {name}.{f['name']}")
            r += 1

    for name, frame in ds.items():
        ws = wb.create_sheet(name)
        _put_row(ws, 1, list(frame.columns), f"{name}, header")
        for i, row in enumerate(frame.itertuples(index=False, name=None), start=2):
            for j, (v, c) in enumerate(zip(row, frame.columns), start=1):
                put(ws.cell(i, j), v, f"{name}, row {i}, field {c!r}")
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
