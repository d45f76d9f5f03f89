"""Byte- and text-level checks of each CSV file, before any parser types it.

What frictionless does not look at, or reads past silently: the hash and
size recorded in datapackage.json, a UTF-8 byte-order mark, CRLF line
endings, invisible characters, whitespace around identifiers, cells a
spreadsheet would run as formulas, cells too long for a spreadsheet, values
not in the canonical form the package's CSV writer produces, and tables
with no rows. The file is parsed here once, as text, into a DataFrame of
strings that the foreign-key checks reuse.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import math
import re
import sys

from ..csvio import csv_line, format_number
from ..errors import PackageError
from ..package import read_file
from .package import Table
from .report import ValidationError

__all__ = ["check_file", "MAY_BE_EMPTY", "CELL_LIMIT", "INVISIBLE", "id_fields"]

# Tables that may legitimately have no rows: curators' overrides of derived
# ratings exist only where a curator disagreed with the rule.
MAY_BE_EMPTY = frozenset({"rating_overrides"})

# The most characters a spreadsheet cell holds (Excel, LibreOffice): a longer
# cell is cut when the file is opened there, and is surely a mistake here.
CELL_LIMIT = 32767

# Zero-width and bidirectional controls, non-ASCII spaces (NBSP and the
# typographic spaces), soft hyphen, BOM, and C0/C1 controls except the line
# feed (a quoted cell may span lines). Written so that Python's ``re`` and
# RE2 (which pandas uses for Arrow-backed strings) read it alike: controls
# as two-digit \x escapes, the rest as literal characters.
_INVISIBLE_CLASS = ("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\u00a0\u00ad\u1680\u180e\u2000-\u200f"
                    "\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff]")
INVISIBLE = re.compile(_INVISIBLE_CLASS)
_EDGE_SPACE = "^[ \\t\\n\\r\\f\\v]|[ \\t\\n\\r\\f\\v]$"
# One screen per column: a cell matching none of these has no cell-level
# problem, so only the few that match are examined one by one.
_SCREEN_TYPED = f"{_INVISIBLE_CLASS}|{_EDGE_SPACE}"
_SCREEN_TEXT = f"{_SCREEN_TYPED}|^[=+@-]"
_SCREENS = {p: re.compile(p) for p in (_SCREEN_TYPED, _SCREEN_TEXT)}
_NAMES = {"\u00a0": "a non-breaking space (U+00A0)", "\u200b": "a zero-width space (U+200B)",
          "\ufeff": "a byte-order mark (U+FEFF)", "\t": "a tab", "\r": "a carriage return (CR)",
          "\x00": "a NUL byte", "\u00ad": "a soft hyphen (U+00AD)", "\u200c": "a zero-width non-joiner (U+200C)",
          "\u200d": "a zero-width joiner (U+200D)", "\u2060": "a word joiner (U+2060)", "\u202f": "a narrow no-break space (U+202F)"}
_FORMULA = re.compile(r"[=+\-@]")
_INT = re.compile(r"[+-]?\d+")
_TRUE, _FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")
_BOM = b"\xef\xbb\xbf"

# Below this many rows a plain loop beats pandas' per-call regex overhead.
_VECTOR_ROWS = 5000


def _flagged(col, pattern: str):
    """(index, value) of the cells of ``col`` that match ``pattern``."""
    if len(col) < _VECTOR_ROWS:
        search = _SCREENS[pattern].search
        return [(i, v) for i, v in zip(col.index, col.tolist()) if search(v)]
    hits = col.str.contains(pattern, regex=True)
    return list(col[hits].items()) if hits.any() else []


def _char_name(ch: str) -> str:
    return _NAMES.get(ch, f"U+{ord(ch):04X}")


def id_fields(table: Table) -> set[str]:
    """Fields holding identifiers: primary and foreign keys and every ``*_id``.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> info, _ = read_package(None)
        >>> sorted(id_fields(info.table("benefits")))
        ['area_id', 'benefit_id']
    """
    spec = table.spec
    out = set(spec.primary_key)
    for fk in spec.foreign_keys:
        out.update(fk.fields)
    out.update(f.name for f in spec.fields if f.name.endswith("_id"))
    return out


def _canonical(value: str, type_: str) -> str | None:
    """The canonical writer's text for ``value``, or None if it is not a
    readable value of ``type_`` (frictionless reports that as a type-error)."""
    if type_ in ("integer", "year"):
        return str(int(value)) if _INT.fullmatch(value) else None
    if type_ == "number":
        try:
            x = float(value)
        except ValueError:
            return None
        if math.isnan(x) or math.isinf(x):
            return "a finite number"
        return format_number(x)
    if type_ == "boolean":
        return "true" if value in _TRUE else "false" if value in _FALSE else None
    if type_ == "date":
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return value


# Files larger than this are parsed by pandas' C reader (much faster on big
# files); smaller ones by the csv module, which is faster there and exact.
_PANDAS_BYTES = 1_000_000


def _parse(text: str):
    """Parse the file into strings.

    Returns (frame, blank, records, clean): a DataFrame of strings with
    positional columns whose row 0 is the header; the positions of blank
    lines; the csv module's records (None when pandas parsed it); and
    whether the file has no blank lines, no CR and no ragged rows, the
    condition for comparing it with its canonical rendering."""
    import pandas as pd

    clean = "\n\n" not in text and not text.startswith("\n") and "\r" not in text
    if clean and len(text) >= _PANDAS_BYTES:
        try:
            # pandas cannot tell a blank line from a row of empty cells, so
            # it is used only where there are no blank lines.
            raw = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                              na_filter=False, skip_blank_lines=False, engine="c")
            return raw, set(), None, True
        except Exception:  # ragged rows, unclosed quotes: the csv module copes
            pass
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(old)
    blank = {i for i, r in enumerate(records) if not r}
    widest = max((len(r) for r in records), default=0)
    ragged = any(len(r) != widest for r in records if r)
    # Cells beyond the header's width belong to no field and no cell check
    # reads them: keep one (so the frame shows the row is too wide), never
    # thousands, which would multiply into every row of the padded frame.
    width = min(widest, len(records[0]) + 1) if records else 0
    padded = [r[:width] + [""] * (width - len(r)) for r in records] if ragged or blank else records
    return pd.DataFrame(padded, dtype=str), blank, records, clean and not ragged


def _row_errors(code, table, col, mask, field, message) -> list[ValidationError]:
    # ``col`` keeps the frame's index, where the header is 0: row = index + 1.
    if not mask.any():
        return []
    hits = col[mask]
    return [ValidationError(code, table, int(i) + 1, field, message(v)) for i, v in hits.items()]


def check_file(table: Table) -> list[ValidationError]:
    """Check one table's file; on success set ``table.text``, ``table.raw``
    and ``table.columns`` for the later stages.

    Examples:
        >>> from pathlib import Path
        >>> from improvement_evidence.validation.package import Table
        >>> t = Table("areas", {}, csv_path=Path("/nonexistent.csv"))
        >>> [e.code for e in check_file(t)]
        ['missing-file']
    """
    name = table.name
    try:
        data = read_file(table.csv_path, shown=table.rel_path)
    except PackageError as exc:
        return [ValidationError(exc.code, name, None, None, str(exc))]
    table.digest = hashlib.sha256(data).hexdigest()
    errors = _integrity(table, data)
    if not data.strip():
        errors.append(ValidationError("empty-file", name, None, None, f"expected a header row and data rows in {table.rel_path}; found {'an empty file' if not data else 'only whitespace'}. Likely cause: an export or copy that failed."))
        return errors
    if data.startswith(_BOM):
        errors.append(ValidationError("bom", name, 1, None, f"expected UTF-8 without a byte-order mark; found one at the start of {table.rel_path}. Likely cause: saved as 'CSV UTF-8' by Excel; re-save without BOM."))
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        errors.append(ValidationError("encoding-error", name, row, None, f"expected UTF-8; found the byte 0x{data[exc.start]:02x} that is not valid UTF-8 (line {row}). Likely cause: saved as Windows-1252 or Latin-1 by a spreadsheet; re-save as UTF-8."))
        return errors
    cr = text.find("\r")
    if cr >= 0:
        row = text.count("\n", 0, cr) + 1
        kind = "CRLF (Windows)" if text[cr + 1:cr + 2] == "\n" else "a bare CR"
        errors.append(ValidationError("line-ending", name, row, None, f"expected LF line endings; found {kind} from line {row}. Likely cause: edited or checked out on Windows without .gitattributes' eol=lf."))
    table.text = text
    if table.spec is None:
        return errors
    raw, blank, records, clean = _parse(text)
    table.raw = raw
    table.blank = blank
    header = [str(v) for v in raw.iloc[0].tolist()] if len(raw) else []
    cols: dict[str, int] = {}
    for i, label in enumerate(header):
        cols.setdefault(label, i)
    table.columns = {f.name: cols[f.name] for f in table.spec.fields if f.name in cols}
    errors += _label_checks(name, header)
    n_rows = len(raw) - 1 - len(blank)
    if n_rows <= 0 and name not in MAY_BE_EMPTY:
        errors.append(ValidationError("header-only", name, None, None, f"expected at least one data row in {table.rel_path}; found only the header. Likely cause: rows were deleted or an export wrote no data."))
    errors += _extra_cells(table, records, len(header))
    errors += _cell_checks(table)
    if clean:
        errors += _layout_check(table, records)
    return errors


# More stray cells than this in one table and frictionless is not run on it:
# it reports (and builds an object for) every extra cell, which for one row of
# 20,000 stray cells takes minutes and gigabytes. The rows are reported here.
EXTRA_CELLS_LIMIT = 1000


def _extra_cells(table: Table, records, width: int) -> list[ValidationError]:
    """Rows with more cells than the header; sets ``table.too_wide`` when
    there are so many stray cells that frictionless must not see the file."""
    if records is None:  # pandas parsed it: no ragged rows
        return []
    extra = [(i, len(r) - width) for i, r in enumerate(records) if len(r) > width]
    total = sum(n for _, n in extra)
    if total <= EXTRA_CELLS_LIMIT:
        return []  # frictionless reports each extra cell with its value
    table.too_wide = True
    return [ValidationError("extra-cell", table.name, i + 1, None,
                            f"expected {width} cells (the header's); found {width + n:,}. Likely cause: unquoted commas, "
                            "or a file that is not this table. frictionless was not run on this file "
                            f"({total:,} stray cells in all).") for i, n in extra]


def _integrity(table: Table, data: bytes) -> list[ValidationError]:
    errors = []
    entry, name = table.entry, table.name
    b = entry.get("bytes")
    if isinstance(b, int) and not isinstance(b, bool) and b != len(data):
        errors.append(ValidationError("byte-count", name, None, None, f"expected {b} bytes (datapackage.json); found {len(data)}. Likely cause: the file was edited (or its line endings changed) without running tools/refresh_package.py."))
    h = entry.get("hash")
    if isinstance(h, str) and ":" in h:
        algo, _, want = h.partition(":")
        if algo in ("sha256", "md5"):
            got = hashlib.new(algo, data).hexdigest()
            if got != want.lower():
                errors.append(ValidationError("hash-count", name, None, None, f"expected {algo} {want[:16]}… (datapackage.json); found {got[:16]}…. Likely cause: the file was edited without running tools/refresh_package.py, or it is not the file that was released."))
    return errors


def _label_checks(name: str, header: list[str]) -> list[ValidationError]:
    errors = []
    for label in header:
        m = INVISIBLE.search(label)
        if m:
            errors.append(ValidationError("invisible-character", name, 1, label, f"expected a plain column name; found {_char_name(m.group())} in the header label {label!r}. Likely cause: copied from a web page or word processor."))
        elif label != label.strip():
            errors.append(ValidationError("cell-whitespace", name, 1, label, f"expected a column name without surrounding spaces; found {label!r}."))
    return errors


def _cell_checks(table: Table) -> list[ValidationError]:
    name, raw = table.name, table.raw
    ids = id_fields(table)
    missing = set(table.spec.missing_values)
    check_length = len(table.text) > CELL_LIMIT
    errors: list[ValidationError] = []
    body = raw.iloc[1:]
    if table.blank:
        body = body.drop(index=[i for i in table.blank if i > 0])
    for f in table.spec.fields:
        if f.name not in table.columns:
            continue
        col = body[table.columns[f.name]]
        text = f.type == "string"
        for i, v in _flagged(col, _SCREEN_TEXT if text else _SCREEN_TYPED):
            errors += _cell_errors(name, int(i) + 1, f.name, v, f.name in ids, text, missing)
        if check_length:
            long = col.str.len() > CELL_LIMIT
            errors += _row_errors("field-too-large", name, col, long, f.name, lambda v: (
                f"expected at most {CELL_LIMIT:,} characters (a spreadsheet cell's limit); found {len(v):,}. "
                "Likely cause: a paste of a whole document or a broken quote that swallowed many rows."))
        if not text:
            errors += _canonical_values(name, col, f, missing)
    return errors


def _cell_errors(table: str, row: int, field: str, v: str, is_id: bool, text: bool, missing) -> list[ValidationError]:
    """The cell-level problems of one cell the screen flagged."""
    out = []
    m = INVISIBLE.search(v)
    if m:
        out.append(ValidationError("invisible-character", table, row, field,
            f"expected plain text; found {_char_name(m.group())} in {v[:60]!r}. "
            "Likely cause: copied from a web page, PDF or word processor; retype the character."))
    elif v != v.strip():
        what = "an identifier" if is_id else "text"
        out.append(ValidationError("id-whitespace" if is_id else "cell-whitespace", table, row, field,
            f"expected {what} without leading or trailing whitespace; found {v[:60]!r}. "
            "Likely cause: a stray space typed or pasted in a spreadsheet."))
    if text and v not in missing and _FORMULA.match(v):
        out.append(ValidationError("formula-prefix", table, row, field,
            f"expected text not starting with = + - or @; found {v[:60]!r}. "
            "A spreadsheet may run it as a formula (CSV injection); reword it or start the span elsewhere."))
    return out


def _canonical_values(name, col, f, missing) -> list[ValidationError]:
    bad: dict[str, str] = {}
    for v in set(col.tolist()):
        if v in missing:
            continue
        want = _canonical(v, f.type)
        if want is not None and want != v:
            bad[v] = want
    if not bad:
        return []
    mask = col.isin(list(bad))
    return _row_errors("non-canonical", name, col, mask, f.name, lambda v: (
        f"expected {bad[v]!r} (the package's canonical form of this {f.type}); found {v!r}. "
        "Likely cause: edited in a spreadsheet, which rewrites numbers, booleans and dates; "
        "the loader would read it, but writing it back would not reproduce the file."
        if bad[v] != "a finite number" else
        f"expected a finite number; found {v!r}, which loads as a missing value. Leave the cell empty for unknown."))


def _first_difference(a: str, b: str) -> int:
    """Offset of the first character where ``a`` and ``b`` differ (compared
    in blocks first: the files can be large)."""
    n, step, i = min(len(a), len(b)), 65536, 0
    while i < n and a[i:i + step] == b[i:i + step]:
        i += step
    end = min(i + step, n)
    return next((k for k in range(i, end) if a[k] != b[k]), end)


def _layout_check(table: Table, records) -> list[ValidationError]:
    """The rows as the canonical writer (:func:`improvement_evidence.csvio.csv_line`:
    text cells and header names quoted, other cells bare, LF, final newline)
    would write them must be the file's text."""
    raw, text = table.raw, table.text
    rows = records if records is not None else list(raw.itertuples(index=False, name=None))
    by_name = {f.name: f.type for f in table.spec.fields}
    header = [str(v) for v in rows[0]] if rows else []
    types = [by_name.get(h, "string") for h in header]
    lines = [csv_line([str(v) for v in rec], ["string"] * len(rec) if i == 0 else types) for i, rec in enumerate(rows)]
    rendered = "".join(lines)
    if rendered == text:
        return []
    at = _first_difference(rendered, text)
    # which record holds offset ``at``
    pos = 0
    for i, line in enumerate(lines):
        if pos + len(line) > at or i == len(lines) - 1:
            found = text[pos:pos + len(line)]
            if at >= len(text) and not text.endswith("\n"):
                msg = "expected the file to end with a newline; found none after the last row."
            else:
                msg = (f"expected the row written canonically as {line.rstrip(chr(10))[:100]!r}; "
                       f"found {found.split(chr(10))[0][:100]!r}. Likely cause: saved by a program that quotes cells differently "
                       "(the package quotes every text cell and no other); "
                       "rewrite the file with the package's writer (python tools/rewrite_csvs.py)")
            return [ValidationError("non-canonical", table.name, i + 1, None, msg)]
        pos += len(line)
    return []
