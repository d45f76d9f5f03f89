"""Write typed DataFrames back to the package's canonical CSV form.

The shipped CSVs are kept in exactly this form (``tools/curate.py`` rewrites
them through it), so ``load`` followed by :func:`write_csv` reproduces every
shipped file byte for byte. Conventions: UTF-8, LF, a header row, RFC 4180
quoting only where needed, the empty string for missing, numbers in Python's
shortest round-trip form without a trailing ``.0``, booleans ``true``/``false``,
dates ``YYYY-MM-DD``.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd

from ._resources import schema_path
from .schema import table_spec

__all__ = ["cell_text", "format_number", "write_csv"]


def format_number(x: float) -> str:
    """Shortest text that reads back to the same float, without a trailing ``.0``.

    Examples:
        >>> format_number(24.0), format_number(16.7), format_number(14200000.0)
        ('24', '16.7', '14200000')
    """
    if math.isinf(x) or math.isnan(x):
        raise ValueError(f"cannot write {x!r} to a data package")
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def cell_text(value, type_: str = "string") -> str:
    """One cell in the canonical CSV form; ``type_`` is the Table Schema type.

    Examples:
        >>> import pandas as pd
        >>> cell_text(pd.NA), cell_text(24.0, "number"), cell_text(True, "boolean")
        ('', '24', 'true')
        >>> cell_text("NA")
        'NA'
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if type_ == "number":
        return format_number(float(value))
    if type_ in ("integer", "year"):
        return str(int(value))
    if type_ == "boolean":
        return "true" if bool(value) else "false"
    if type_ == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def write_csv(frame: pd.DataFrame, table: str, package: Path | str | None = None, out: Path | str | None = None) -> str:
    """Render ``frame`` (a table loaded by :func:`improvement_evidence.load_table`)
    in the canonical CSV form; also write it to ``out`` if given.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.csvio import write_csv
        >>> text = write_csv(ie.load_table("areas"), "areas")
        >>> text == ie.resource_path("areas").read_text(encoding="utf-8")
        True
    """
    spec = table_spec(table, schema_path(table, package))
    types = {f.name: f.type for f in spec.fields}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(frame.columns))
    cols = [(c, types.get(c, "string")) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([cell_text(v, t) for v, (_, t) in zip(row, cols)])
    text = buf.getvalue()
    if out is not None:
        Path(out).write_text(text, encoding="utf-8", newline="")
    return text
