"""Write typed DataFrames back to the package's canonical CSV form.

The shipped CSVs are kept in exactly this form (``tools/curate.py`` rewrites
them through it), so ``load`` followed by :func:`write_csv` reproduces every
shipped file byte for byte. Conventions (the :data:`DIALECT` each resource of
``datapackage.json`` declares):

* UTF-8 without a byte-order mark, LF line ends, one header row;
* comma delimiter, ``"`` quote character, a ``"`` inside a cell doubled;
* every non-empty cell of a ``string`` field is quoted, and the header's
  names too; numbers, integers, years, booleans and dates are never quoted
  (they cannot hold a comma, a quote or a line break);
* a missing value is an empty, unquoted cell;
* numbers in Python's shortest round-trip form without a trailing ``.0``,
  booleans ``true``/``false``, dates ``YYYY-MM-DD``.

Quoting text by its schema type, not only where RFC 4180 needs it, is what
lets sniffing readers (Python's :class:`csv.Sniffer`, csvkit, datapackage-py)
find the comma and the double quote: prose full of apostrophes otherwise
looks to them like space-delimited, apostrophe-quoted text.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ._resources import schema_path
from .schema import table_spec

__all__ = ["DIALECT", "cell_text", "format_number", "render_csv", "write_csv"]

#: The CSV dialect of every data file, as a Frictionless ``dialect``.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "lineTerminator": "\n"}

_NEEDS_QUOTES = (",", '"', "\n", "\r")


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


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def csv_line(cells: list[str], types: list[str]) -> str:
    r"""One CSV line (with its LF) from canonical cell texts and their Table Schema types.

    A non-empty ``string`` cell is always quoted; any other cell only if it
    holds a delimiter, quote or line break (a canonical one never does).

    Examples:
        >>> print(csv_line(["a1", "24", "", 'it\'s a "b" c'], ["string", "number", "string", "string"]), end="")
        "a1",24,,"it's a ""b"" c"
    """
    out = []
    for text, type_ in zip(cells, types):
        if text and (type_ == "string" or any(c in text for c in _NEEDS_QUOTES)):
            out.append(_quote(text))
        else:
            out.append(text)
    return ",".join(out) + "\n"


def render_csv(header: list[str], rows, types: list[str]) -> str:
    """Canonical CSV text from a header, rows of canonical cell texts and the
    columns' Table Schema types. Header names are quoted like text.

    Examples:
        >>> print(render_csv(["id", "n"], [["a", "1"], ["b", ""]], ["string", "integer"]), end="")
        "id","n"
        "a",1
        "b",
    """
    parts = [csv_line(list(header), ["string"] * len(header))]
    parts.extend(csv_line(list(r), types) for r in rows)
    return "".join(parts)


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
    by_name = {f.name: f.type for f in spec.fields}
    types = [by_name.get(c, "string") for c in frame.columns]
    rows = ([cell_text(v, t) for v, t in zip(row, types)] for row in frame.itertuples(index=False, name=None))
    text = render_csv(list(frame.columns), rows, types)
    if out is not None:
        Path(out).write_text(text, encoding="utf-8", newline="")
    return text
