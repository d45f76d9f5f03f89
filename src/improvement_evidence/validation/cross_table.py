"""Rules that a Table Schema cannot state: orders within a row, and
agreement between tables.

Each rule applies to every table that has the columns it names, so a new
table with ``period_start``/``period_end`` is checked without a change here.
The rules run on the DataFrames the loader returns (typed values, so
``9 < 10`` is compared as numbers, not text).
"""

from __future__ import annotations

from .frames import row_number
from .package import PackageInfo, Table
from .report import ValidationError

__all__ = ["check_cross_table"]

LOCATOR = ("section", "page", "page_end", "page_basis")


def _hits(table: Table, mask, code: str, field: str, message) -> list[ValidationError]:
    mask = mask.fillna(False).astype(bool)
    f = table.frame
    return [ValidationError(code, table.name, row_number(table, int(i)), field, message(f.iloc[int(i)]))
            for i in mask.to_numpy().nonzero()[0]]


def _orders(t: Table) -> list[ValidationError]:
    f, cols, out = t.frame, set(t.frame.columns), []
    if {"value_low", "value_high"} <= cols:
        lo, hi = f["value_low"], f["value_high"]
        out += _hits(t, lo > hi, "range-order", "value_low", lambda r: (
            f"expected value_low ≤ value_high; found value_low {r['value_low']} > value_high {r['value_high']}. Likely cause: the bounds swapped."))
        if "value" in cols:
            v = f["value"]
            out += _hits(t, (v < lo) | (v > hi), "range-order", "value", lambda r: (
                f"expected value_low ≤ value ≤ value_high; found {r['value_low']} ≤ {r['value']} ≤ {r['value_high']} is false. "
                "Likely cause: a value or bound typed wrongly, or in the wrong unit (GBP, not £m)."))
    if {"period_start", "period_end"} <= cols:
        out += _hits(t, f["period_start"] > f["period_end"], "period-order", "period_end", lambda r: (
            f"expected period_end ≥ period_start; found period_start {r['period_start']}, period_end {r['period_end']}. Likely cause: the years swapped or mistyped."))
    if {"page", "page_end"} <= cols:
        out += _hits(t, f["page"] > f["page_end"], "page-order", "page_end", lambda r: (
            f"expected page_end ≥ page; found page {r['page']}, page_end {r['page_end']}. Likely cause: a hand edit of derived locators (tools/curate.py writes them)."))
    return out


def _guide_rows(t: Table) -> list[ValidationError]:
    """Rows reported in the guide must carry their span and locator."""
    f, out = t.frame, []
    if "reported_in" not in f.columns:
        return out
    guide = f["reported_in"] == "guide"
    if "quote" in f.columns:
        out += _hits(t, guide & f["quote"].isna(), "missing-span", "quote", lambda r: (
            "expected the verbatim span of the guide that states this figure; found none. "
            "Likely cause: the figure was entered without its quote; every guide figure must be traceable."))
    for c in LOCATOR:
        if c in f.columns:
            out += _hits(t, guide & f[c].isna(), "missing-locator", c, lambda r, c=c: (
                f"expected {c} for a figure reported in the guide; found none. Likely cause: tools/curate.py was not run after adding the row."))
    return out


def _status(t: Table, info: PackageInfo) -> list[ValidationError]:
    import pandas as pd

    f, cols, out = t.frame, set(t.frame.columns), []
    if not {"reported_in", "verification_status"} <= cols:
        return out
    primary = f["reported_in"] == "primary-source"
    status_primary = f["verification_status"] == "primary_source"
    out += _hits(t, primary != status_primary, "status-mismatch", "verification_status", lambda r: (
        f"expected verification_status primary_source exactly when reported_in is primary-source; found reported_in "
        f"{r['reported_in']}, verification_status {r['verification_status']}."))
    if "compares_with" in cols and "metric_id" in cols:
        has = f["compares_with"].notna()
        out += _hits(t, has & ~primary, "status-mismatch", "compares_with", lambda r: (
            f"expected compares_with only on a primary-source figure; found it on a {r['reported_in']} figure."))
        reported = dict(zip(f["metric_id"], f["reported_in"]))
        target_not_guide = f["compares_with"].map(lambda m: not pd.isna(m) and m in reported and reported[m] != "guide")
        out += _hits(t, has & target_not_guide.astype(bool), "status-mismatch", "compares_with", lambda r: (
            f"expected compares_with to name a guide figure; found {r['compares_with']}, which is not reported in the guide."))
    return out


def _areas(t: Table, info: PackageInfo) -> list[ValidationError]:
    benefits = info.table("benefits")
    f = t.frame
    if t.name == "benefits" or benefits is None or benefits.frame is None or not {"area_id", "benefit_id"} <= set(f.columns):
        return []
    area_of = dict(zip(benefits.frame["benefit_id"], benefits.frame["area_id"]))
    expected = f["benefit_id"].map(area_of)
    mask = f["benefit_id"].notna() & expected.notna() & (expected != f["area_id"])
    return _hits(t, mask, "area-mismatch", "area_id", lambda r: (
        f"expected area_id {area_of.get(r['benefit_id'])!r}, the area of benefit {r['benefit_id']!r}; found {r['area_id']!r}."))


def _unlinked(info: PackageInfo) -> list[ValidationError]:
    ex, links = info.table("examples"), info.table("example_benefits")
    if ex is None or links is None or ex.frame is None or links.frame is None:
        return []
    used = set(links.frame["example_id"].dropna())
    return _hits(ex, ~ex.frame["example_id"].isin(used), "unlinked-example", "example_id", lambda r: (
        f"expected example {r['example_id']!r} to be evidence for at least one benefit; found no example_benefits row for it. "
        "Likely cause: its link rows were deleted or carry another id."))


def check_cross_table(info: PackageInfo) -> tuple[list[ValidationError], str]:
    """Every cross-row and cross-table rule, on the loaded tables.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> from improvement_evidence.validation import files, frames
        >>> info, errs = read_package(None)
        >>> for t in info.tables: errs += files.check_file(t)
        >>> _ = frames.load_frames(info, errs)
        >>> check_cross_table(info)[0]
        []
    """
    errors: list[ValidationError] = []
    loaded = [t for t in info.tables if t.frame is not None]
    for t in loaded:
        errors += _orders(t) + _guide_rows(t) + _status(t, info) + _areas(t, info)
    errors += _unlinked(info)
    skipped = [t.name for t in info.tables if t.frame is None]
    return errors, "ran" + (f"; not run on {', '.join(skipped)} (not loaded)" if skipped else "")
