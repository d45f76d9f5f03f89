"""Run frictionless on each readable table and translate what it finds.

frictionless is the reference reader of the Table Schema: header labels,
types, constraints, uniqueness and primary keys. It runs per table on a
descriptor built here, never on the user's file as given: paths are the
ones the descriptor stage found safe, schemas are inline (without
``$schema``, so no profile is looked up), and hashes, sizes and foreign
keys are left out because :mod:`.files` and :mod:`.foreign_keys` check them
(a table-at-a-time run is several times faster than a whole-package run,
whose foreign-key lookups reopen every referenced table).
"""

from __future__ import annotations

import re

from .overlap import explained_cells
from .package import PackageInfo, Table
from .report import ValidationError

__all__ = ["check_tables", "message_for"]

# Errors listed per table and stage (see validation/__init__.py): frictionless
# stops there, which bounds its time and memory on a file of nothing but errors.
from .report import ERRORS_PER_TABLE as LIMIT_ERRORS  # noqa: E402

_TYPE_WORDS = {
    "integer": "a whole number such as 12 (no decimals, units or separators)",
    "number": "a number such as 16.7 (no units, % sign or thousands separators)",
    "year": "a four-digit year such as 2019",
    "date": "a date written YYYY-MM-DD",
    "boolean": "true or false",
    "string": "text",
}
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)


def _field(schema: dict, name: str | None) -> dict:
    for f in schema.get("fields", []):
        if f.get("name") == name:
            return f
    return {}


def message_for(error, schema: dict) -> str:
    """Our message for a frictionless error: what was expected, what was
    found, and the likely cause.

    Examples:
        >>> from frictionless import errors
        >>> e = errors.TypeError(note='type is "integer/default"', cells=["x"], row_number=2, cell="x", field_name="page", field_number=1)
        >>> message_for(e, {"fields": [{"name": "page", "type": "integer"}]})[:50]
        'expected a whole number such as 12 (no decimals, u'
    """
    t = error.type
    cell = getattr(error, "cell", None)
    fname = getattr(error, "field_name", None)
    f = _field(schema, fname)
    note = getattr(error, "note", "") or ""
    if t == "type-error":
        return (f"expected {_TYPE_WORDS.get(f.get('type', 'string'), f.get('type'))}; found {cell!r}. "
                "Likely cause: text, a unit or a thousands separator typed in a typed column, or a row shifted by a stray comma.")
    if t == "constraint-error":
        m = _CONSTRAINT.search(note)
        kind, limit = (m.group(1), m.group(2)) if m else ("", "")
        c = f.get("constraints", {})
        if kind == "required":
            return "expected a value (the field is required); found an empty cell. Likely cause: not filled in, or the row is shifted."
        if kind == "enum":
            return (f"expected one of {', '.join(map(str, c.get('enum', [])))}; found {cell!r}. "
                    "Likely cause: a typo or a value outside the vocabulary (values are case-sensitive).")
        if kind == "pattern":
            return (f"expected text matching {c.get('pattern', limit)}; found {cell!r}. "
                    "Likely cause: capitals, spaces or punctuation in an identifier (identifiers are kebab-case slugs), or a malformed DOI, PMID or URL.")
        if kind in ("minimum", "maximum"):
            rel = "at least" if kind == "minimum" else "at most"
            return f"expected {rel} {limit}; found {cell!r}. Likely cause: a typo, or a value in the wrong column."
        if kind in ("minLength", "maxLength"):
            rel = "at least" if kind == "minLength" else "at most"
            n = len(cell) if isinstance(cell, str) else "?"
            return f"expected {rel} {limit} characters; found {n}. Likely cause: a quote or summary that is too long (quotes are the shortest span that carries the claim)."
        return f"expected the value to satisfy constraint {kind} {limit}; found {cell!r}."
    if t == "unique-error":
        return (f"expected each {fname} to be unique; found {cell!r} again ({note}). "
                "Likely cause: a duplicated row, or an identifier copied without changing it.")
    if t == "primary-key":
        pk = schema.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else pk
        return (f"expected the primary key ({', '.join(pk)}) to be unique and not blank; found {note}. "
                "Likely cause: a duplicated row or an identifier left empty.")
    if t == "missing-label":
        return (f"expected a column {fname!r} (position {getattr(error, 'field_number', '?')} in the schema); the header has none. "
                "Likely cause: the column was deleted, or the file is from another version of the package.")
    if t == "extra-label":
        return (f"expected only the schema's columns; found an extra column {getattr(error, 'label', '')!r} at position {getattr(error, 'field_number', '?')}. "
                "Likely cause: a column added in a spreadsheet; remove it or add it to the schema.")
    if t == "incorrect-label":
        return (f"expected the column at position {getattr(error, 'field_number', '?')} to be named {fname!r}; found {getattr(error, 'label', '')!r}. "
                "Likely cause: a renamed or reordered column.")
    if t == "blank-label":
        return f"expected a column name at position {getattr(error, 'field_number', '?')}; found an empty label."
    if t == "duplicate-label":
        return f"expected each column name once; found {getattr(error, 'label', '')!r} again ({note})."
    if t == "extra-cell":
        return f"expected as many cells as header labels; found an extra cell {cell!r}. Likely cause: an unquoted comma in a text cell."
    if t == "missing-cell":
        return f"expected a cell for {fname!r}; the row ends before it. Likely cause: a row cut short or a missing comma."
    if t == "blank-row":
        return "expected a data row; found an empty row. Likely cause: a stray blank line."
    return f"{error.message}"


def _row_and_field(error) -> tuple[int | None, str | None]:
    from frictionless import errors as fe

    if isinstance(error, fe.LabelError):
        label = error.field_name or error.label
        return 1, label or None
    if isinstance(error, fe.HeaderError):
        return 1, None
    if isinstance(error, fe.CellError):
        return error.row_number, (error.field_name or None) if error.type != "extra-cell" else None
    if isinstance(error, fe.RowError):
        return error.row_number, None
    return None, None


def _resource_descriptor(table: Table) -> dict:
    schema = {k: v for k, v in table.schema.items() if k not in ("$schema", "profile", "foreignKeys")}
    # Patterns are checked by _pattern_errors, in linear time.
    schema["fields"] = [{**f, "constraints": {k: v for k, v in f["constraints"].items() if k != "pattern"}} if "constraints" in f else f
                        for f in schema["fields"]]
    return {"name": table.name, "type": "table", "path": table.rel_path, "scheme": "file",
            "format": "csv", "encoding": "utf-8", "schema": schema,
            # Stated, not sniffed: a damaged file must not be read with a guessed delimiter.
            "dialect": {"csv": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True}}}


def _kind(error) -> str:
    if error.type == "constraint-error":
        m = _CONSTRAINT.search(getattr(error, "note", "") or "")
        return m.group(1) if m else ""
    return error.type


def _run(table: Table, root) -> list:
    return list(_run_frictionless(table, root)) + _pattern_errors(table)


def _pattern_errors(table: Table) -> list:
    """Schema patterns, matched here in linear time (see
    :mod:`improvement_evidence.patterns`) instead of by frictionless, whose
    backtracking matcher a hostile pattern stalls for minutes."""
    from ..patterns import compile_pattern

    out = []
    raw = table.raw
    if raw is None:
        return out
    missing = set(table.spec.missing_values)
    for f in table.spec.fields:
        if f.pattern is None or f.type != "string" or f.name not in table.columns:
            continue
        rx = compile_pattern(f.pattern)
        col = raw[table.columns[f.name]]
        for i, v in col.items():
            if i == 0 or i in table.blank or v in missing or rx.fullmatch(v) is not None:
                continue
            if len(out) > LIMIT_ERRORS:
                break
            out.append(("pattern", ValidationError("constraint-error", table.name, int(i) + 1, f.name,
                        f"expected text matching {f.pattern}; found {v[:200]!r}. Likely cause: capitals, spaces or punctuation in an "
                        "identifier (identifiers are kebab-case slugs), or a malformed DOI, PMID or URL.")))
    return out


def check_table(table: Table, root, explained: dict | None = None) -> list[ValidationError]:
    """frictionless's findings for one table, as our errors.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> info, _ = read_package(None)
        >>> check_table(info.table("areas"), info.root)
        []
    """
    explained = explained or {}
    return [e for kind, e in _run(table, root) if kind not in explained.get((e.row, e.field), ())]


def _run_frictionless(table: Table, root):
    """Yield (constraint kind or error type, error) for each finding."""
    from frictionless import FrictionlessException, Resource

    try:
        resource = Resource(_resource_descriptor(table), basepath=str(root))
        report = resource.validate(limit_errors=LIMIT_ERRORS)
    except FrictionlessException as exc:
        e = exc.error
        yield e.type, ValidationError(e.type or "source-error", table.name, None, None,
                                      f"frictionless cannot read the table: {e.message}")
        return
    for task in report.tasks:
        for e in task.errors:
            row, field = _row_and_field(e)
            yield _kind(e), ValidationError(e.type, table.name, row, field, message_for(e, table.schema))
    for e in report.errors:
        yield e.type, ValidationError(e.type, table.name, None, None, e.message)


def check_tables(info: PackageInfo, earlier: list[ValidationError] = ()) -> tuple[list[ValidationError], str]:
    """Run :func:`check_table` on every readable table; also say which ran.

    ``earlier`` are the file stage's findings, used to leave out generic
    errors that a specific finding in the same cell explains.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> from improvement_evidence.validation.files import check_file
        >>> info, _ = read_package(None)
        >>> for t in info.tables: _ = check_file(t)
        >>> check_tables(info)
        ([], 'ran')
    """
    explained = explained_cells(list(earlier))
    errors: list[ValidationError] = []
    skipped = []
    for t in info.tables:
        if t.readable and t.rel_path and not t.too_wide:
            errors += check_table(t, info.root, explained.get(t.name))
        else:
            skipped.append(t.name)
    status = "ran" + (f"; not run on {', '.join(skipped)} (file or schema unusable, or rows far wider than the header, reported above)" if skipped else "")
    return errors, status
