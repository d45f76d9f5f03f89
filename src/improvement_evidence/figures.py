"""How a figure is worded: the one renderer behind the portal, the briefs,
``show`` and the xlsx README.

A row of ``metrics`` holds a number and the words that hedge it
(``qualifier``), its unit, what it measures, the verbatim span that states it,
where it stands (a page of the guide or a primary source) and how far it was
verified. :func:`render` turns that row into a :class:`Figure` whose parts
every view uses as they are, so that "approximately 24%" never becomes "24%"
in one place and "about a quarter" in another.

Rules, each checked by ``tests/test_figures.py`` against hand-written
expectations:

* the number is never rounded: 14200000 GBP is "£14.2m", 14250000 is
  "£14.25m", 950000 is "£950,000";
* the qualifier's own word stays in front of the number ("approximately",
  "around", "over"); a range is written "25–30%";
* a verification status is shown by the term the data uses, in words
  ("discrepancy noted"), with a one-line explanation; a figure whose status is
  ``discrepancy_noted`` also names what the primary sources report.

Examples:
    >>> import improvement_evidence as ie
    >>> from improvement_evidence.figures import render
    >>> fig = render("pincer-hazardous-prescribing-reduction", ie.load())
    >>> fig.value_text, fig.status_label
    ('approximately 24%', 'discrepancy noted')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "STATUS_EXPLANATIONS",
    "STATUS_LABELS",
    "Figure",
    "format_money",
    "format_number",
    "format_value",
    "page_text",
    "render",
    "render_all",
    "status_label",
]

# The term as the data names it, in words (the code with "_" read as " ").
STATUS_LABELS = {
    "guide_only": "guide only",
    "matched_to_primary": "matched to primary",
    "discrepancy_noted": "discrepancy noted",
    "primary_source": "primary source",
}

# One line each, for the reader who meets the badge for the first time.
STATUS_EXPLANATIONS = {
    "guide_only": "Stated in the guide; not verified against a primary source.",
    "matched_to_primary": "Stated in the guide; a primary source states the same figure.",
    "discrepancy_noted": "Stated in the guide; a primary source states a different figure, and both are kept.",
    "primary_source": "Reported in a primary source, not in the guide; set beside the guide's figures.",
}

_QUALIFIER_WORDS = {"exact": "", "approximately": "approximately", "around": "around", "over": "over", "between": "",
                    "approximately-between": "approximately"}
_DURATION_UNITS = {"hours": ("hour", "hours"), "years": ("year", "years"), "days": ("day", "days")}


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def format_number(x: float) -> str:
    """A number for people: thousands separated, never rounded, no ``.0``.

    Examples:
        >>> format_number(3000), format_number(16.7), format_number(1234567.5)
        ('3,000', '16.7', '1,234,567.5')
    """
    x = float(x)
    if x.is_integer():
        return f"{int(x):,}"
    whole, _, frac = repr(x).partition(".")
    return f"{int(whole):,}.{frac}" if "e" not in repr(x) else repr(x)


def _decimal_shift(x: float, places: int) -> str:
    """``x / 10**places`` written exactly, from the digits of ``x`` (no float division)."""
    text = format_number(x).replace(",", "")
    whole, _, frac = text.partition(".")
    whole = whole.rjust(places + 1, "0")
    head, tail = whole[:-places], whole[-places:] + frac
    tail = tail.rstrip("0")
    return f"{int(head):,}" + (f".{tail}" if tail else "")


def format_money(x: float) -> str:
    """Pounds sterling for people, exactly: ``£14.2m``, ``£1m``, ``£950,000``, ``£2.5bn``.

    Millions and billions are written as such only; the digits are never
    rounded, so ``£14.25m`` stays ``£14.25m``.

    Examples:
        >>> format_money(14200000), format_money(1000000), format_money(54500000)
        ('£14.2m', '£1m', '£54.5m')
        >>> format_money(950000), format_money(14250000), format_money(2.5e9)
        ('£950,000', '£14.25m', '£2.5bn')
    """
    x = float(x)
    if abs(x) >= 1e9:
        return f"£{_decimal_shift(x, 9)}bn"
    if abs(x) >= 1e6:
        return f"£{_decimal_shift(x, 6)}m"
    return f"£{format_number(x)}"


def _one(value, unit: str, counted: str | None) -> str:
    if unit == "percent":
        return f"{format_number(value)}%"
    if unit == "GBP":
        return format_money(value)
    if unit in _DURATION_UNITS:
        singular, plural = _DURATION_UNITS[unit]
        return f"{format_number(value)} {singular if float(value) == 1 else plural}"
    return format_number(value)


# What the data counts, in the singular, for a count of one.
_SINGULAR = {"trusts": "trust", "wards": "ward", "units": "unit", "sites": "site", "practices": "practice", "groups": "group"}


def _singular(counted: str) -> str:
    """ "NHS trusts" -> "NHS trust", "wards closed" -> "ward closed"; unknown words stay. """
    words = counted.split(" ")
    for i, w in enumerate(words):
        if w in _SINGULAR:
            words[i] = _SINGULAR[w]
            break
    return " ".join(words)


def format_value(row: Mapping) -> str:
    """The figure's value as people write it, with the guide's hedge kept.

    Args:
        row: a ``metrics`` row (a dict or a pandas row) with ``value``,
            ``value_low``, ``value_high``, ``qualifier``, ``unit``, ``counted``,
            ``period``, ``period_start`` and ``period_end``.

    Examples:
        >>> format_value({"value": 24, "qualifier": "approximately", "unit": "percent"})
        'approximately 24%'
        >>> format_value({"value": None, "value_low": 25, "value_high": 30, "qualifier": "between", "unit": "percent"})
        '25–30%'
        >>> format_value({"value": 3000, "qualifier": "over", "unit": "hours"})
        'over 3,000 hours'
        >>> format_value({"value": 370, "qualifier": "exact", "unit": "count", "counted": "GP practices"})
        '370 GP practices'
        >>> format_value({"value": None, "qualifier": "between", "unit": "years", "period": "between 2015 and 2020",
        ...               "period_start": 2015, "period_end": 2020})
        '2015–2020'
    """
    get = row.get
    unit = str(get("unit") or "")
    qualifier = str(get("qualifier") or "exact")
    counted = get("counted")
    counted = None if _missing(counted) or not str(counted).strip() else str(counted)
    value, low, high = get("value"), get("value_low"), get("value_high")
    if _missing(value) and (_missing(low) or _missing(high)):
        start, end, period = get("period_start"), get("period_end"), get("period")
        if not _missing(period) and not str(period).startswith("between"):
            return str(period)  # as stated, e.g. a financial year "2019/20"
        if not _missing(start) and not _missing(end):
            return f"{int(start)}–{int(end)}" if int(start) != int(end) else str(int(start))
        return "" if _missing(period) else str(period)
    if _missing(value) or (not _missing(low) and not _missing(high) and float(low) != float(high)):
        lo, hi = _one(low, unit, counted), _one(high, unit, counted)
        if unit == "percent":
            text = f"{format_number(low)}–{hi}"
        elif unit == "GBP" or unit in _DURATION_UNITS:
            text = f"{lo}–{hi}"
        else:
            text = f"{format_number(low)}–{format_number(high)}"
    else:
        text = _one(value, unit, counted)
    if unit == "count" and counted:
        one = not _missing(value) and float(value) == 1 and "–" not in text
        text = f"{text} {_singular(counted) if one else counted}"
    word = _QUALIFIER_WORDS.get(qualifier, qualifier)
    return f"{word} {text}" if word else text


def status_label(status: str) -> str:
    """The verification status in words, as the data names it.

    Examples:
        >>> status_label("guide_only"), status_label("discrepancy_noted")
        ('guide only', 'discrepancy noted')
    """
    return STATUS_LABELS.get(str(status), str(status).replace("_", " "))


@dataclass(frozen=True)
class Figure:
    """One figure, worded once for every view.

    ``value_text`` is the hedged value ("approximately 24%"); ``measure`` says
    what was measured; ``quote`` is the verbatim span; ``where`` says where it
    stands ("the guide, p. 8" or a short citation); ``status_label`` and
    ``status_explanation`` describe its verification; ``status_detail`` adds,
    for a discrepancy, what the primary sources report.
    """

    metric_id: str
    benefit_id: str | None
    example_id: str | None
    value_text: str
    measure: str
    population: str | None
    period: str | None
    quote: str
    reported_in: str
    where: str
    page: int | None
    source_id: str
    citation: str
    link: str | None
    status: str
    status_label: str
    status_explanation: str
    status_detail: str
    note: str | None
    compares_with: str | None
    comparisons: tuple[str, ...] = field(default_factory=tuple)
    #: ``where`` in brief: the page for a guide figure, "Rodgers S et al. (2022)"
    #: for a primary one (for views that list the full reference elsewhere).
    short_where: str | None = None

    @property
    def status_line(self) -> str:
        """The status in words on one line: label, then the specific detail.

        Examples:
            >>> import improvement_evidence as ie
            >>> render("prompt-litigation-cost-reduction", ie.load()).status_line
            'guide only — not verified against a primary source'
        """
        return f"{self.status_label} — {self.status_detail}"

    def line(self, *, short: bool = False) -> str:
        """The figure as one line of plain text: value, measure, where, status.

        ``short=True`` names a primary source briefly (``short_where``), for
        views that give the full reference in a reference list.

        Examples:
            >>> import improvement_evidence as ie
            >>> render("prompt-litigation-cost-reduction", ie.load()).line()  # doctest: +ELLIPSIS
            '91% — Fall in litigation costs ... — the guide, p. 9 (page estimated) — guide only — not verified against a primary source'
            >>> print(render("pincer-rodgers-2022-reduction-6-months", ie.load()).line(short=True))  # doctest: +ELLIPSIS
            16.7% — Decrease in the rate of hazardous prescribing ... — Rodgers S et al. (2022) — primary source — reported ...
        """
        where = self.short_where if short and self.short_where else self.where
        return f"{self.value_text} — {self.measure} — {where} — {self.status_line}"


def _text(value) -> str | None:
    return None if _missing(value) or not str(value).strip() else str(value)


def _page_text(row: Mapping) -> str:
    page, end = row.get("page"), row.get("page_end")
    if _missing(page):
        return "the guide"
    page = int(page)
    text = f"the guide, p. {page}" if _missing(end) or int(end) == page else f"the guide, pp. {page}–{int(end)}"
    if str(row.get("page_basis") or "") == "estimated":
        text += " (page estimated)"
    return text


def page_text(row: Mapping) -> str:
    """Where a row's span stands in the guide, in words, from its ``page``,
    ``page_end`` and ``page_basis`` (the wording figures use).

    Examples:
        >>> page_text({"page": 8, "page_end": 8, "page_basis": "contents"})
        'the guide, p. 8'
        >>> page_text({"page": 7, "page_end": 8, "page_basis": "estimated"})
        'the guide, pp. 7–8 (page estimated)'
    """
    return _page_text(row)


def _link(src: Mapping | None) -> str | None:
    if src is None:
        return None
    if _text(src.get("doi")):
        return f"https://doi.org/{src.get('doi')}"
    if _text(src.get("pmid")):
        return f"https://pubmed.ncbi.nlm.nih.gov/{src.get('pmid')}/"
    return _text(src.get("url"))


def _first(frame: pd.DataFrame, key: str, value) -> dict | None:
    hit = frame[frame[key] == value]
    return None if hit.empty else hit.iloc[0].to_dict()


def _who(src: Mapping | None, source_id: str) -> str:
    """Who reports a figure, briefly: "Rodgers S et al. (2022)", or the publisher."""
    if src is None:
        return source_id
    from .appraisal import _short_authors

    who = _short_authors(src.get("authors")) or _text(src.get("container")) or str(src.get("title"))
    year = src.get("year")
    return f"{who} ({int(year)})" if not _missing(year) else who


def _numbers(row: Mapping) -> tuple:
    """The figure's numbers and unit, for telling a different figure from the same one in other words."""
    return tuple(None if _missing(row.get(k)) else float(row.get(k)) for k in ("value", "value_low", "value_high")) + (row.get("unit"),)


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _status_detail(row: Mapping, metrics: pd.DataFrame, sources: pd.DataFrame) -> tuple[str, tuple[str, ...]]:
    status = str(row.get("verification_status"))
    mid = row.get("metric_id")
    beside = metrics[metrics["compares_with"] == mid]
    comparisons = tuple(str(m) for m in beside["metric_id"])
    if status == "guide_only":
        return "not verified against a primary source", comparisons
    if status == "primary_source":
        target = _text(row.get("compares_with"))
        guide_row = _first(metrics, "metric_id", target) if target else None
        if guide_row is None:
            return "reported in a primary source", comparisons
        return f"reported in a primary source, beside the guide's {format_value(guide_row)}", comparisons
    if status == "matched_to_primary":
        return "a primary source states the same figure", comparisons
    if status == "discrepancy_noted":
        by_source: dict[str, list[str]] = {}
        for r in beside.to_dict("records"):
            if _numbers(r) != _numbers(row):
                by_source.setdefault(str(r.get("source_id")), []).append(format_value(r))
        if not by_source:
            return "a primary source states a different figure", comparisons
        parts = [f"{_who(_first(sources, 'source_id', sid), sid)} reports {_joined(values)}" for sid, values in by_source.items()]
        return "; ".join(parts), comparisons
    return status_label(status), comparisons


def _citations(data: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    from .appraisal import short_citations

    sources = data["sources"]
    text = short_citations(sources)
    out = {str(k): str(v) for k, v in text.items()}
    out["guide"] = "the guide"
    return out


def render(metric: str | Mapping, data: Mapping[str, pd.DataFrame], *, _citations_cache: dict | None = None) -> Figure:
    """Word one ``metrics`` row for people.

    Args:
        metric: a ``metric_id``, or a ``metrics`` row (dict or pandas row).
        data: the loaded package (``improvement_evidence.load()``), for the
            source behind the figure and the figures set beside it.

    Returns:
        A :class:`Figure`.

    Raises:
        KeyError: ``metric`` is an id that is not in ``metrics``.

    Examples:
        >>> import improvement_evidence as ie
        >>> ds = ie.load()
        >>> fig = render("leeds-training-waste-reduction", ds)
        >>> fig.value_text, fig.status_label
        ('over £14.2m', 'guide only')
        >>> render("pincer-rodgers-2022-reduction-6-months", ds).where.startswith("Rodgers")
        True
    """
    metrics = data["metrics"]
    if isinstance(metric, str):
        row = _first(metrics, "metric_id", metric)
        if row is None:
            raise KeyError(f"no figure with metric_id {metric!r} in metrics")
    else:
        row = dict(metric)
    citations = _citations_cache if _citations_cache is not None else _citations(data)
    reported_in = str(row.get("reported_in"))
    source_id = str(row.get("source_id"))
    src = _first(data["sources"], "source_id", source_id)
    citation = citations.get(source_id, source_id)
    if reported_in == "guide":
        where = _page_text(row)
        link = None
    else:
        where = citation
        link = _link(src)
    detail, comparisons = _status_detail(row, metrics, data["sources"])
    status = str(row.get("verification_status"))
    page = row.get("page")
    return Figure(
        metric_id=str(row.get("metric_id")),
        benefit_id=_text(row.get("benefit_id")),
        example_id=_text(row.get("example_id")),
        value_text=format_value(row),
        measure=str(row.get("measure")),
        population=_text(row.get("population")),
        period=_text(row.get("period")),
        quote=str(row.get("quote")),
        reported_in=reported_in,
        where=where,
        page=None if _missing(page) else int(page),
        source_id=source_id,
        citation=citation,
        link=link,
        status=status,
        status_label=status_label(status),
        status_explanation=STATUS_EXPLANATIONS.get(status, ""),
        status_detail=detail,
        note=_text(row.get("verification_note")),
        compares_with=_text(row.get("compares_with")),
        comparisons=comparisons,
        short_where=where if reported_in == "guide" else _who(src, source_id),
    )


def render_all(data: Mapping[str, pd.DataFrame], *, benefit_id: str | None = None, example_id: str | None = None) -> list[Figure]:
    """Every figure (of one benefit or example, if named), guide figures first,
    each followed by the primary-source figures set beside it.

    Examples:
        >>> import improvement_evidence as ie
        >>> figs = render_all(ie.load(), benefit_id="improved-safety")
        >>> [f.value_text for f in figs][:3]
        ['2 years', '1.5 years', '2015–2017']
    """
    metrics = data["metrics"]
    rows = metrics
    if benefit_id is not None:
        rows = rows[rows["benefit_id"] == benefit_id]
    if example_id is not None:
        rows = rows[rows["example_id"] == example_id]
    citations = _citations(data)
    guide = [r for r in rows.to_dict("records") if str(r.get("reported_in")) == "guide"]
    primary = [r for r in rows.to_dict("records") if str(r.get("reported_in")) != "guide"]
    ordered: list[dict] = []
    placed: set[str] = set()
    for g in guide:
        ordered.append(g)
        placed.add(g["metric_id"])
        for p in primary:
            if p.get("compares_with") == g["metric_id"] and p["metric_id"] not in placed:
                ordered.append(p)
                placed.add(p["metric_id"])
    ordered += [p for p in primary if p["metric_id"] not in placed]
    return [render(r, data, _citations_cache=citations) for r in ordered]
