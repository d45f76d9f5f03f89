"""Load each table with the package's own loader, as users get it.

The checks on DataFrames (pandera, cross-table, quotes) look at exactly
what :func:`improvement_evidence.load_table` returns. A table frictionless
accepted that the loader still cannot read is a disagreement between the
loader and the schema, reported as ``load-error``; a table that already has
errors is expected not to load, and is only noted in ``Report.checked``.
"""

from __future__ import annotations

from .package import PackageInfo
from .report import ValidationError

__all__ = ["load_frames", "row_number"]


def row_number(table, i: int) -> int:
    """Spreadsheet row of the ``i``-th row of the loaded DataFrame.

    The loader skips blank lines, so where the file has some, rows after
    them sit lower in the file than their position suggests.

    Examples:
        >>> from improvement_evidence.validation.package import Table
        >>> row_number(Table("t", {}), 0)
        2
    """
    if table.frame_rows is not None:
        return int(table.frame_rows[i])
    return i + 2


def load_frames(info: PackageInfo, errors: list[ValidationError]) -> tuple[list[ValidationError], str]:
    """Set ``table.frame`` for every table the loader can read.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> from improvement_evidence.validation.files import check_file
        >>> info, _ = read_package(None)
        >>> for t in info.tables: _ = check_file(t)
        >>> load_frames(info, [])
        ([], 'ran')
        >>> int(len(info.table("benefits").frame))
        22
    """
    from ..load import read_table

    new: list[ValidationError] = []
    not_loaded = []
    with_errors = {e.table for e in errors}  # None: a package-level error, which may be why
    for t in info.tables:
        if not t.readable or t.rel_path is None:
            continue
        try:
            t.frame = read_table(info.package, t.name)
        except Exception as exc:  # the loader's own errors and pandas' alike
            not_loaded.append(t.name)
            if t.name not in with_errors and None not in with_errors:
                row, field = getattr(exc, "row", None), getattr(exc, "field", None)
                new.append(ValidationError("load-error", t.name, row, field,
                    f"expected load_table({t.name!r}) to read a table that frictionless accepts; it failed: {str(exc)[:300]}. "
                    "Likely cause: a value the schema allows but the loader does not (e.g. a boolean written TRUE or 1)."))
            continue
        if t.blank:
            t.frame_rows = [i + 1 for i in range(1, len(t.raw)) if i not in t.blank]
    status = "ran" + (f"; not loaded: {', '.join(not_loaded)} (checks on DataFrames skip them)" if not_loaded else "")
    return new, status
