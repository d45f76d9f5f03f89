"""Validate a copy of the data package: :func:`validate` returns a :class:`Report`.

The stages, in order, each in its own module:

1. :mod:`.package`: datapackage.json, version, each resource entry and
   schema; unsafe paths refused before anything opens them;
2. :mod:`.files`: hash and size, encoding, BOM, line endings, empty tables,
   invisible characters, whitespace, formula prefixes, oversized cells,
   canonical form;
3. :mod:`.frictionless_checks`: header, types, constraints, unique and
   primary keys, by frictionless;
4. :mod:`.foreign_keys`: every foreign key declared in the schemas;
5. :mod:`.frames` then :mod:`.pandera_checks`: the DataFrames the loader
   returns, against pandera schemas built from the same Table Schemas;
6. :mod:`.cross_table`: orders within rows and agreement between tables;
7. :mod:`.quotes`: quotes and locators against the guide's text, when it is
   available.

frictionless and pandera are imported inside the stages, never when
``improvement_evidence`` is imported.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from .report import CODES, ERRORS_PER_TABLE, Report, ValidationError

__all__ = ["validate", "Report", "ValidationError", "CODES"]



def _internal(stage: str, exc: BaseException) -> ValidationError:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return ValidationError("internal-error", None, None, None,
        f"the {stage} check crashed ({type(exc).__name__}: {str(exc)[:200]}{at}); the other checks still ran. "
        "This is a bug in improvement-evidence: please report it with this message.")


def _capped(stage: str, new: list[ValidationError]) -> list[ValidationError]:
    """At most ERRORS_PER_TABLE errors of one stage per table, then one
    ``too-many-errors`` saying how many more (a stage may itself have stopped
    at the limit, e.g. frictionless)."""
    counts: dict[str | None, int] = {}
    out = []
    for e in new:
        n = counts[e.table] = counts.get(e.table, 0) + 1
        if n <= ERRORS_PER_TABLE:
            out.append(e)
    for table, n in counts.items():
        if n >= ERRORS_PER_TABLE:
            more = f"{n - ERRORS_PER_TABLE:,} more were found and left out" if n > ERRORS_PER_TABLE else "the stage stopped there"
            out.append(ValidationError("too-many-errors", table, None, None,
                                       f"expected a table with fewer problems; the {stage} check listed the first {ERRORS_PER_TABLE:,} "
                                       f"and {more}. Likely cause: a file that is not this table, or a systematic error (a shifted column, a wrong delimiter)."))
    return out


def _tidy(errors: list[ValidationError], order: dict[str, int], field_order: dict[str, dict[str, int]]) -> list[ValidationError]:
    """Drop duplicates (the same code at the same place, e.g. found by both
    frictionless and pandera); then sort: package first, tables in
    descriptor order, then by row."""
    seen = set()
    out = []
    for e in errors:
        key = (e.code, e.table, e.row, e.field)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)

    def sort_key(e: ValidationError):
        fields = field_order.get(e.table or "", {})
        return (-1 if e.table is None else order.get(e.table, len(order)),
                -1 if e.row is None else e.row,
                fields.get(e.field, len(fields)) if e.field is not None else -1)

    return sorted(out, key=sort_key)


def validate(path: Path | str | None = None, *, source_text: Path | str | None = None) -> Report:
    """Check a copy of the data package and report every problem; never raises on bad data.

    Args:
        path: a ``datapackage.json`` or the folder holding it; the bundled
            package by default. A path that does not exist gives a report
            with one ``missing-file`` error.
        source_text: the guide's text, for the quote and locator checks; by
            default found as :func:`improvement_evidence.provenance.find_source_text`
            does. Without it those checks are skipped and ``Report.checked``
            says so.

    Returns:
        A :class:`Report`: ``.valid``, ``.errors`` (code, table, row, field,
        message), ``.checked``, ``.by_table()``, ``.to_dict()``.

    Examples:
        >>> import improvement_evidence as ie
        >>> report = ie.validate()
        >>> report.valid, report.errors
        (True, [])
        >>> ie.validate("/no/such/folder").errors[0].code
        'missing-file'
    """
    from . import cross_table, files, foreign_keys, frames, frictionless_checks, pandera_checks, quotes
    from .package import read_package

    checked: dict[str, str] = {}
    try:
        info, errors = read_package(path)
    except Exception as exc:  # pragma: no cover - read_package reports, but never let a bug raise
        return Report(str(path), [_internal("descriptor", exc)], {"descriptor": "crashed"})
    report_path = str(info.descriptor_path)
    checked["descriptor"] = "ran"
    if info.descriptor is None or not info.tables:
        for stage in ("files", "frictionless", "foreign-keys", "pandera", "cross-table", "quotes"):
            checked[stage] = "skipped: the descriptor could not be used (see the package errors)"
        return Report(report_path, _tidy(errors, {}, {}), checked)

    def stage(name: str, fn, *args):
        try:
            new, status = fn(*args)
            errors.extend(_capped(name, new))
            checked[name] = status
        except Exception as exc:
            errors.append(_internal(name, exc))
            checked[name] = f"crashed ({type(exc).__name__})"

    def file_stage(info):
        out, unread = [], []
        for t in info.tables:
            if t.csv_path is None:
                unread.append(t.name)
                continue
            out += files.check_file(t)
        return out, "ran" + (f"; not read: {', '.join(unread)} (missing or unsafe, reported above)" if unread else "")

    stage("files", file_stage, info)
    stage("frictionless", frictionless_checks.check_tables, info, list(errors))
    stage("foreign-keys", foreign_keys.check_foreign_keys, info)
    stage("loading", frames.load_frames, info, list(errors))
    stage("pandera", pandera_checks.check_frames, info, list(errors))
    stage("cross-table", cross_table.check_cross_table, info)
    stage("quotes", quotes.check_quotes, info, source_text)
    order = {t.name: i for i, t in enumerate(info.tables)}
    field_order = {t.name: {f.name: i for i, f in enumerate(t.spec.fields)} for t in info.tables if t.spec}
    return Report(report_path, _tidy(errors, order, field_order), checked)
