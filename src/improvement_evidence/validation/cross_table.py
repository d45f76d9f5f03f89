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


# -- curation fidelity (issue 12) ------------------------------------------

# Fields that hold exactly one value: a reference to a row, or an identifier
# of a record. A ';' in one of them is a list that belongs in a link table
# (or in more than one row). Free-text fields that may name several things
# (organisations, country, authors, seen_at, term_source, notes) are not in it.
ONE_VALUE_FIELDS = ("url", "doi", "pmid", "pmcid", "isbn", "compares_with")


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _frame(info: PackageInfo, name: str):
    t = info.table(name)
    return (t, t.frame) if t is not None and t.frame is not None else (None, None)


def _evaluation_relation(info: PackageInfo) -> list[ValidationError]:
    """An evaluations row exists only for an (example, source) pair that
    example_sources links with relation 'evaluation'."""
    ev, f = _frame(info, "evaluations")
    _, links = _frame(info, "example_sources")
    if f is None or links is None or not {"example_id", "source_id"} <= set(f.columns):
        return []
    rel = {(e, s): r for e, s, r in zip(links["example_id"], links["source_id"], links["relation"])}
    pairs = list(zip(f["example_id"], f["source_id"]))
    import pandas as pd

    mask = pd.Series([rel.get(p) != "evaluation" for p in pairs], index=f.index)
    return _hits(ev, mask, "evaluation-relation", "source_id", lambda r: (
        f"expected example_sources to link example {r['example_id']!r} to source {r['source_id']!r} with relation "
        f"'evaluation'; found {('relation ' + repr(rel[(r['example_id'], r['source_id'])])) if (r['example_id'], r['source_id']) in rel else 'no link at all'}. "
        "Likely cause: the source describes the example without evaluating it, or the link row was changed without the evaluation."))


def _year_date(info: PackageInfo) -> list[ValidationError]:
    """A source's year is the year of its date, where it has a date."""
    t, f = _frame(info, "sources")
    if f is None or not {"year", "date"} <= set(f.columns):
        return []
    date_year = f["date"].dt.year
    mask = f["date"].notna() & (f["year"].isna() | (f["year"] != date_year))
    return _hits(t, mask, "year-date-mismatch", "year", lambda r: (
        f"expected year {r['date'].year} (the year of date {r['date'].date().isoformat()}); found "
        f"{'none' if _missing(r['year']) else r['year']}. Likely cause: the date is an online-first "
        "date and the year an issue year; record one publication event in both, or leave date empty."))


def _one_value(info: PackageInfo) -> list[ValidationError]:
    """No ';'-separated list in a field that holds one value (ONE_VALUE_FIELDS
    and every *_id field)."""
    out: list[ValidationError] = []
    for t in info.tables:
        f = t.frame
        if f is None:
            continue
        for c in f.columns:
            if not (c in ONE_VALUE_FIELDS or c.endswith("_id")) or str(f[c].dtype) not in ("string", "object", "category"):
                continue
            col = f[c].astype("string")
            out += _hits(t, col.str.contains(";", regex=False), "list-in-cell", c, lambda r, c=c: (
                f"expected one value in {c}; found a ';'-separated list {str(r[c])[:80]!r}. "
                "Likely cause: several values typed into one cell; use one row per value (or a link table)."))
    return out


GUIDE_TITLE = "A guide to making the case for improvement"


def _guide_authors_vancouver() -> str:
    from ..citation import GUIDE

    return ", ".join(f"{family} {given[:1]}" for family, given in GUIDE.authors)


def _cff_guide_authors(path) -> list[tuple[str, str]] | None:
    """(family, given) of the guide's entry in CITATION.cff's references, or
    None when the file or the entry is absent. A line reader, so that
    validation needs no YAML library."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    out: list[tuple[str, str]] = []
    in_refs = in_guide = False
    family = None
    for line in lines:
        stripped = line.strip()
        if not line.startswith(" ") and stripped:
            in_refs = stripped == "references:"
            in_guide = False
            continue
        if not in_refs:
            continue
        if stripped.startswith("- type:") and line.startswith("  - "):
            if in_guide:
                break
            in_guide = False
            continue
        value = stripped.split(":", 1)[1].strip().strip('"') if ":" in stripped else ""
        if stripped.startswith("title:") and value == GUIDE_TITLE:
            in_guide = True
        elif stripped.startswith("- family-names:"):
            family = value
        elif stripped.startswith("given-names:") and family is not None:
            out.append((family, value))
            family = None
        if in_guide is False and stripped.startswith("title:"):
            out = []
    return out if in_guide and out else None


def _guide_record(info: PackageInfo) -> list[ValidationError]:
    """The guide's row in sources carries the authors on the guide's title
    page, and CITATION.cff (beside datapackage.json, if there is one) names
    the same authors for the guide."""
    from ..citation import GUIDE

    t, f = _frame(info, "sources")
    if f is None or not {"source_type", "authors"} <= set(f.columns):
        return []
    expected = _guide_authors_vancouver()
    guide = f["source_type"] == "guide"
    out = _hits(t, guide & (f["authors"].isna() | (f["authors"] != expected)), "guide-authors", "authors", lambda r: (
        f"expected the authors on the guide's title page, {expected!r} (Vancouver style); found "
        f"{'none' if _missing(r['authors']) else repr(r['authors'])}."))
    cff = _cff_guide_authors(info.root / "CITATION.cff")
    if cff is not None and tuple(cff) != tuple(GUIDE.authors):
        rows = [int(i) for i in guide.fillna(False).to_numpy().nonzero()[0]]
        out.append(ValidationError("guide-authors", t.name, row_number(t, rows[0]) if rows else None, "authors",
            f"expected CITATION.cff's reference to the guide to name {', '.join(g + ' ' + fam for fam, g in GUIDE.authors)}; "
            f"found {', '.join(g + ' ' + fam for fam, g in cff)}. Likely cause: CITATION.cff edited by hand; regenerate it "
            "with `improvement-evidence cite --format cff --no-hash`."))
    return out


def _summaries(info: PackageInfo) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, key in (("benefits", "benefit_id"), ("examples", "example_id")):
        _, f = _frame(info, name)
        if f is not None and {key, "summary"} <= set(f.columns):
            out[name] = {k: s for k, s in zip(f[key], f["summary"]) if isinstance(k, str)}
    return out


def _anchors(info: PackageInfo) -> list[ValidationError]:
    """summary_anchors and hedge_exceptions name rows that exist; each anchor's
    summary sentence still reads as it did when anchored; every sentence of
    every summary has an anchor."""
    import pandas as pd

    from ..provenance import sentence_hash, split_sentences

    out: list[ValidationError] = []
    summaries = _summaries(info)
    sentences = {(tb, rid): split_sentences(text) if isinstance(text, str) else []
                 for tb, rows in summaries.items() for rid, text in rows.items()}
    for name in ("summary_anchors", "hedge_exceptions"):
        t, f = _frame(info, name)
        if f is None or not {"table", "row_id", "summary_sentence"} <= set(f.columns):
            continue
        known = f["table"].astype("string").isin(list(summaries))
        exists = pd.Series([(tb, rid) in sentences for tb, rid in zip(f["table"], f["row_id"])], index=f.index)
        out += _hits(t, known & ~exists, "anchor-unresolved", "row_id", lambda r: (
            f"expected a row {r['row_id']!r} in {r['table']}; found none. Likely cause: the row was renamed or removed and its anchors were not."))
        n = pd.Series([len(sentences.get((tb, rid), [])) for tb, rid in zip(f["table"], f["row_id"])], index=f.index)
        out += _hits(t, exists & (f["summary_sentence"] > n), "anchor-stale", "summary_sentence", lambda r: (
            f"expected a sentence number no greater than the {len(sentences[(r['table'], r['row_id'])])} sentences of the summary "
            f"of {r['table']} {r['row_id']!r}; found {r['summary_sentence']}. Likely cause: the summary was shortened after it was anchored."))
        if name == "summary_anchors" and "summary_sentence_sha256" in f.columns:
            def current(tb, rid, k):
                ss = sentences.get((tb, rid), [])
                return sentence_hash(ss[int(k) - 1]) if 0 < int(k) <= len(ss) else None
            now = pd.Series([current(tb, rid, k) if not pd.isna(k) else None
                             for tb, rid, k in zip(f["table"], f["row_id"], f["summary_sentence"])], index=f.index, dtype="object")
            stale = now.notna() & (now != f["summary_sentence_sha256"].astype("object"))
            out += _hits(t, exists & stale, "anchor-stale", "summary_sentence_sha256", lambda r: (
                f"expected the hash of sentence {r['summary_sentence']} of the summary of {r['table']} {r['row_id']!r} as anchored; "
                "found the sentence changed. Likely cause: the summary was edited; review its anchors against the guide and record the new hash."))
            anchored = set(zip(f["table"], f["row_id"], f["summary_sentence"].astype("Int64")))
            for tb, key in (("benefits", "benefit_id"), ("examples", "example_id")):
                st, sf = _frame(info, tb)
                if sf is None:
                    continue
                missing = pd.Series([any((tb, rid, k) not in anchored for k in range(1, len(sentences.get((tb, rid), [])) + 1))
                                     for rid in sf[key]], index=sf.index)
                out += _hits(st, missing, "unanchored-sentence", "summary", lambda r, tb=tb, key=key: (
                    "expected every sentence of the summary to have a row in summary_anchors; found sentence(s) "
                    + ", ".join(str(k) for k in range(1, len(sentences.get((tb, r[key]), [])) + 1) if (tb, r[key], k) not in anchored)
                    + " without one. Likely cause: the summary was edited or added without anchoring it to the guide."))
    return out


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
    for check in (_evaluation_relation, _year_date, _one_value, _guide_record, _anchors):
        errors += check(info)
    skipped = [t.name for t in info.tables if t.frame is None]
    return errors, "ran" + (f"; not run on {', '.join(skipped)} (not loaded)" if skipped else "")
