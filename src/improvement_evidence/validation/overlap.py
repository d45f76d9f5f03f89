"""One cause, one error: which file-level findings explain generic errors.

Whitespace or an invisible character in a cell makes it fail its pattern,
enum or type; a cell too large for a spreadsheet fails its maxLength. When
the file stage has found the specific cause, the generic error frictionless
or pandera raises for the same cell says less and is left out. A generic
error of another kind in that cell (say a too-long label that also has a
trailing space) is still reported.
"""

from __future__ import annotations

from .report import ValidationError

__all__ = ["EXPLAINS", "explained_cells"]

# specific code -> the kinds of generic error it explains ("type-error" or a
# Table Schema constraint name)
EXPLAINS = {
    "invisible-character": frozenset({"type-error", "pattern", "enum"}),
    "id-whitespace": frozenset({"type-error", "pattern", "enum"}),
    "cell-whitespace": frozenset({"type-error", "pattern", "enum"}),
    "field-too-large": frozenset({"maxLength"}),
}


def explained_cells(errors: list[ValidationError]) -> dict[str, dict[tuple, set[str]]]:
    """table -> (row, field) -> kinds of generic error explained there.

    Examples:
        >>> e = ValidationError("id-whitespace", "areas", 2, "area_id", "m")
        >>> sorted(explained_cells([e])["areas"][(2, "area_id")])
        ['enum', 'pattern', 'type-error']
    """
    out: dict[str, dict[tuple, set[str]]] = {}
    for e in errors:
        if e.code in EXPLAINS:
            out.setdefault(e.table, {}).setdefault((e.row, e.field), set()).update(EXPLAINS[e.code])
    return out
