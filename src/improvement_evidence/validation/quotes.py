"""Check quotes, headings and locators against the guide's own text.

Runs only when the guide's text is available (it is © The Health Foundation
and not shipped); otherwise ``Report.checked["quotes"]`` says it was skipped
and why. Quotes are compared after whitespace normalisation and nothing
else (:func:`improvement_evidence.provenance.normalise`). Locators are
compared with what :meth:`GuideText.locate` computes, the same rule
tools/curate.py writes them with; an example's locator is that of its
earliest quote in example_benefits.
"""

from __future__ import annotations

from pathlib import Path

from .frames import row_number
from .package import PackageInfo, Table
from .report import ValidationError

__all__ = ["SPANS", "check_quotes"]

# (table, field holding a verbatim span). Rows with a ``reported_in`` other
# than "guide" quote a primary source, not the guide, and are not checked.
SPANS = (("areas", "heading"), ("benefits", "heading"), ("example_benefits", "quote"), ("metrics", "quote"))
# table whose locator is derived from another's spans: (table, key, source table)
DERIVED = (("examples", "example_id", "example_benefits"),)
LOCATOR = ("section", "page", "page_end", "page_basis")


# (guide text path, span) -> (Locator or None, word offset): each distinct
# span is searched once per guide text in a process (tables repeat quotes,
# and the guide does not change while we run).
_FOUND: dict[tuple[str, str], tuple] = {}


class _Lookup:
    def __init__(self, guide, key: str):
        self.guide, self.key = guide, key

    def __call__(self, span: str):
        k = (self.key, span)
        if k not in _FOUND:
            if len(_FOUND) > 100_000:
                _FOUND.clear()
            if not self.guide.contains(span):
                _FOUND[k] = (None, None)
            else:
                _FOUND[k] = (self.guide.locate(span), self.guide._word_offset(span)[0])
        return _FOUND[k]


def _locators(t: Table) -> dict[str, list]:
    """The table's locator columns as lists of text (None where missing)."""
    import pandas as pd

    out = {}
    for c in LOCATOR:
        if c in t.frame.columns:
            out[c] = [None if v is None or v is pd.NA or v != v else str(v) for v in t.frame[c].astype(object).tolist()]
    return out


def _compare(t: Table, cols: dict[str, list], i: int, loc, what: str) -> list[ValidationError]:
    out = []
    for c, values in cols.items():
        found_s = values[i]
        want = getattr(loc, c)
        if found_s != str(want):
            out.append(ValidationError("locator-mismatch", t.name, row_number(t, i), c,
                f"expected {c} {want} (where the guide's text places {what}); found {found_s or 'nothing'}. "
                "Likely cause: the quote or heading was edited without rerunning tools/curate.py, or the locator was typed by hand."))
    return out


def check_quotes(info: PackageInfo, source_text: Path | str | None) -> tuple[list[ValidationError], str]:
    """Every span verbatim in the guide, and every locator as the guide places it.

    Examples:
        >>> from improvement_evidence.validation.package import read_package
        >>> info, _ = read_package(None)
        >>> errors, status = check_quotes(info, "/nonexistent.txt")
        >>> errors, status
        ([], "skipped: the guide's text was not found at /nonexistent.txt")
    """
    from ..provenance import SOURCE_TEXT_ENV, GuideText, find_source_text

    src = find_source_text(source_text)
    if src is None:
        where = f"at {source_text}" if source_text is not None else (
            f"(set {SOURCE_TEXT_ENV} or pass source_text=; it is not shipped, being © The Health Foundation)")
        return [], f"skipped: the guide's text was not found {where}"
    guide = GuideText.from_path(src)
    lookup = _Lookup(guide, str(src))
    errors: list[ValidationError] = []
    earliest: dict[tuple[str, str], dict] = {}
    for name, field in SPANS:
        t = info.table(name)
        if t is None or t.frame is None or field not in t.frame.columns:
            continue
        f = t.frame
        cols = _locators(t)
        reported = f["reported_in"].astype(object).tolist() if "reported_in" in f.columns else None
        for i, span in enumerate(f[field].astype(object).tolist()):
            if reported is not None and reported[i] != "guide":
                continue
            if not isinstance(span, str) or not span.strip():
                continue  # an empty span is reported by the schema and missing-span checks
            loc, offset = lookup(str(span))
            if loc is None:
                errors.append(ValidationError("quote-not-in-guide", name, row_number(t, i), field,
                    f"expected this {field} verbatim in the guide's text (whitespace aside); found {str(span)[:100]!r} nowhere in it. "
                    "Likely cause: a paraphrase, a typo, or typographic quotes or dashes that differ from the guide's."))
                continue
            errors += _compare(t, cols, i, loc, f"this {field}")
            for derived, key, source in DERIVED:
                if source == name and key in f.columns:
                    k = f[key].iloc[i]
                    best = earliest.get((derived, k))
                    if best is None or (loc.page, offset) < best["key"]:
                        earliest[(derived, k)] = {"key": (loc.page, offset), "loc": loc}
    for derived, key, source in DERIVED:
        t = info.table(derived)
        if t is None or t.frame is None or key not in t.frame.columns:
            continue
        cols = _locators(t)
        for i, k in enumerate(t.frame[key].tolist()):
            best = earliest.get((derived, k))
            if best is not None:
                errors += _compare(t, cols, i, best["loc"], f"its earliest quote in {source}")
    return errors, f"ran against {src}"
