"""``export csv``: the tidy evidence view and every table, as CSV files in a folder.

``evidence.csv`` is :func:`improvement_evidence.appraisal.evidence` -- one
row per figure with the names of its example, benefit and area, a short
citation and the best study design behind it -- written where the package
has the tables that view needs. Every table is also written in the
package's canonical CSV form (:func:`improvement_evidence.csvio.write_csv`),
so the folder holds the whole dataset either way.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import _load, _package_file

EVIDENCE_FILE = "evidence.csv"


def _type_of(dtype) -> str:
    """Table Schema type for a derived column, so cells render as in the package."""
    if isinstance(dtype, pd.CategoricalDtype):
        return "string"
    kind = str(dtype)
    if kind.startswith("Float") or kind.startswith("float"):
        return "number"
    if kind.startswith("Int") or kind.startswith("int"):
        return "integer"
    if kind == "boolean" or kind == "bool":
        return "boolean"
    if kind.startswith("datetime64"):
        return "date"
    return "string"


def frame_to_csv(frame: pd.DataFrame) -> str:
    """Render any frame in the package's canonical CSV conventions.

    Examples:
        >>> import pandas as pd
        >>> print(frame_to_csv(pd.DataFrame({"a": pd.array([1, None], dtype="Int64"),
        ...                                  "b": pd.array([24.0, 16.7], dtype="Float64")})), end="")
        "a","b"
        1,24
        ,16.7
    """
    from ..csvio import cell_text, render_csv

    types = [_type_of(frame[c].dtype) for c in frame.columns]
    rows = ([cell_text(v, t) for v, t in zip(row, types)] for row in frame.itertuples(index=False, name=None))
    return render_csv(list(frame.columns), rows, types)


def evidence_view(ds) -> pd.DataFrame | None:
    """The tidy evidence view, or None where the package lacks its tables
    (or the view is not part of this installation)."""
    import improvement_evidence as ie

    fn = getattr(ie, "evidence", None)
    if fn is None:
        try:
            from ..appraisal import evidence as fn
        except ImportError:
            return None
    try:
        return fn(ds)
    except KeyError:  # a table the view needs is not in this package
        return None


def write(out: Path, path) -> None:
    from ..csvio import write_csv

    file = _package_file(path)
    ds = _load(path)
    view = evidence_view(ds)
    if view is not None:
        (out / EVIDENCE_FILE).write_text(frame_to_csv(view), encoding="utf-8", newline="")
    for name, frame in ds.items():
        write_csv(frame, name, file, out / f"{name}.csv")
