"""Appraise the evidence: one tidy table of figures, and evidence-gap matrices.

* :func:`evidence` -- one row per figure in ``metrics``, with the names of
  its example, benefit and area, a short citation of its source, and the
  best study design behind its example. What most users want first.
* :func:`gap_matrix` -- how many examples (or the best design tier) fall in
  each cell of two chosen dimensions, with empty cells kept: the gaps are the
  point.
* :func:`best_designs` and :func:`short_citations` -- the two building blocks,
  public so that other views give the same answers.

One rule is shared by every view here and by :mod:`improvement_evidence.ratings`:
an evaluation counts only when the record of its source was seen
(``sources.verification`` is ``verified`` or ``partial``). An evaluation
whose source is ``unverified`` may not exist as described, so it gives no
design tier.

This module imports pandas and the loader only, so ``import
improvement_evidence`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Union

import pandas as pd

from .load import load_table

__all__ = [
    "CONFIRMED_SOURCE",
    "DIMENSIONS",
    "VALUES",
    "best_designs",
    "confirmed_evaluations",
    "evidence",
    "gap_matrix",
    "short_citations",
]

#: ``sources.verification`` values whose evaluations count.
CONFIRMED_SOURCE = ("verified", "partial")

Data = Union[Mapping[str, pd.DataFrame], str, Path, None]


def _tables(data: Data, names: list[str]) -> dict[str, pd.DataFrame]:
    """The named tables from a Dataset or mapping, a package path, or the bundled package.

    Only the tables asked for are read, so a view works on a package whose
    other tables are still being written.
    """
    if data is None or isinstance(data, (str, Path)):
        return {n: load_table(n, data) for n in names}
    missing = [n for n in names if n not in data]
    if missing:
        raise KeyError(f"the data given lacks the table(s) {', '.join(missing)}; this view needs {', '.join(names)}")
    return {n: data[n] for n in names}


def _lookup(frame: pd.DataFrame, key: str, value: str, table: str = "") -> pd.Series:
    """``value`` indexed by the unique ``key`` column, for ``Series.map`` (which keeps dtypes)."""
    dup = frame[key].duplicated() & frame[key].notna()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise ValueError(
            f"{table + '.csv: ' if table else ''}row {i + 2}, field {key!r}: expected each {key} once; found {frame[key].iloc[i]!r} again. "
            "The table breaks its primary key: run `improvement-evidence validate` on the package."
        )
    return frame.set_index(key)[value]


# -- citations ---------------------------------------------------------------


def _short_authors(authors) -> str:
    if pd.isna(authors) or not str(authors).strip():
        return ""
    names = [a.strip() for a in str(authors).split(",") if a.strip()]
    if len(names) <= 2:
        return ", ".join(names)
    return f"{names[0]} et al."


def _sentence(part: str) -> str:
    return part if part.endswith((".", "?", "!")) else part + "."


def _citation(row) -> str:
    who = _short_authors(row.authors)
    year = "" if pd.isna(row.year) else str(int(row.year))
    title = str(row.title).strip()
    container = "" if pd.isna(row.container) else str(row.container).strip()
    if who:
        parts = [f"{who} ({year})" if year else who, title]
    else:
        parts = [f"{title} ({year})" if year else title]
    if container:
        parts.append(container)
    # Each part ends in one stop: no "et al.." and no "?." after a question.
    return " ".join(_sentence(p) for p in parts)


def short_citations(sources: pd.DataFrame) -> pd.Series:
    """A short citation per source: first authors, year, title, container.

    One or two authors are listed; three or more become "First et al.".
    Missing parts are left out, never guessed.

    Args:
        sources: the ``sources`` table.

    Returns:
        A string Series indexed by ``source_id``.

    Examples:
        >>> import pandas as pd
        >>> src = pd.DataFrame({
        ...     "source_id": ["a", "b"],
        ...     "authors": ["Liberati EG, Tarrant C, Willars J", None],
        ...     "year": pd.array([2019, None], dtype="Int64"),
        ...     "title": ["How to be a very safe maternity unit", "A guide"],
        ...     "container": ["Soc Sci Med", "The Health Foundation"],
        ... })
        >>> short_citations(src).tolist()
        ['Liberati EG et al. (2019). How to be a very safe maternity unit. Soc Sci Med.', 'A guide. The Health Foundation.']
        >>> short_citations(src.assign(year=pd.array([None, None], dtype="Int64"), title=["Is it safe?", "A guide"]))["a"]
        'Liberati EG et al. Is it safe? Soc Sci Med.'
    """
    text = [_citation(r) for r in sources[["authors", "year", "title", "container"]].itertuples(index=False)]
    return pd.Series(text, index=pd.Index(sources["source_id"], name="source_id"), dtype="string", name="citation")


# -- study designs -----------------------------------------------------------


def confirmed_evaluations(data: Data = None) -> pd.DataFrame:
    """Evaluations whose source record was seen, with the design's label and tier.

    Args:
        data: a :class:`~improvement_evidence.Dataset` or mapping of tables,
            a package path, or None for the bundled package.

    Returns:
        The ``evaluations`` rows whose source has ``verification`` in
        :data:`CONFIRMED_SOURCE`, plus ``design`` (label) and ``tier``.

    Examples:
        >>> from improvement_evidence.appraisal import confirmed_evaluations
        >>> ev = confirmed_evaluations()
        >>> {"evaluation_id", "example_id", "design", "tier"} <= set(ev.columns)
        True
    """
    t = _tables(data, ["evaluations", "study_designs", "sources"])
    ev = t["evaluations"]
    seen = t["sources"].loc[t["sources"]["verification"].isin(CONFIRMED_SOURCE), "source_id"]
    ev = ev[ev["source_id"].isin(seen)].copy()
    designs = t["study_designs"]
    ev["design"] = ev["design_id"].map(_lookup(designs, "design_id", "label", "study_designs"))
    ev["tier"] = ev["design_id"].map(_lookup(designs, "design_id", "tier", "study_designs"))
    return ev.reset_index(drop=True)


def best_designs(data: Data = None) -> pd.DataFrame:
    """The strongest confirmed evaluation of each evaluated example.

    "Strongest" is the lowest tier (1 = randomised ... 8 = reports and
    accounts); a tie goes to the first ``evaluation_id`` alphabetically, so
    the answer never depends on row order.

    Args:
        data: a Dataset or mapping of tables, a package path, or None.

    Returns:
        One row per example with a confirmed evaluation: ``example_id``,
        ``best_tier``, ``best_design_id``, ``best_design``, ``best_evaluation_id``.

    Examples:
        >>> from improvement_evidence.appraisal import best_designs
        >>> best = best_designs()
        >>> best["example_id"].is_unique
        True
    """
    ev = confirmed_evaluations(data)
    ev = ev.sort_values(["example_id", "tier", "evaluation_id"], kind="stable")
    best = ev.drop_duplicates("example_id", keep="first")
    out = best[["example_id", "tier", "design_id", "design", "evaluation_id"]].rename(
        columns={"tier": "best_tier", "design_id": "best_design_id", "design": "best_design", "evaluation_id": "best_evaluation_id"}
    )
    return out.reset_index(drop=True)


# -- evidence ----------------------------------------------------------------

_EVIDENCE_TABLES = ["metrics", "examples", "benefits", "areas", "sources", "evaluations", "study_designs"]


def _insert_after(frame: pd.DataFrame, after: str, columns: dict[str, pd.Series]) -> None:
    at = frame.columns.get_loc(after) + 1
    for offset, (name, values) in enumerate(columns.items()):
        frame.insert(at + offset, name, values)


def evidence(data: Data = None) -> pd.DataFrame:
    """Every figure with its context: one tidy row per ``metrics`` row.

    All columns of ``metrics`` are kept in order and with their dtypes; beside
    them come ``area`` (label), ``benefit`` (heading), ``example`` (name),
    ``citation`` (see :func:`short_citations`), ``source_verification``,
    and the best confirmed study design of the example: ``best_design_id``,
    ``best_design``, ``best_tier`` (see :func:`best_designs`; empty where the
    example has no confirmed evaluation or the figure has no example).

    Args:
        data: a Dataset or mapping of tables, a package path, or None for
            the bundled package.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.appraisal import evidence
        >>> ev = evidence()
        >>> len(ev) == len(ie.load_table("metrics"))
        True
        >>> ev.columns[:5].tolist()
        ['metric_id', 'area_id', 'area', 'benefit_id', 'benefit']
        >>> str(ev["best_tier"].dtype)
        'Int64'
    """
    t = _tables(data, _EVIDENCE_TABLES)
    out = t["metrics"].copy()
    best = best_designs(t)
    _insert_after(out, "area_id", {"area": out["area_id"].map(_lookup(t["areas"], "area_id", "label", "areas"))})
    _insert_after(out, "benefit_id", {"benefit": out["benefit_id"].map(_lookup(t["benefits"], "benefit_id", "heading", "benefits"))})
    _insert_after(out, "example_id", {"example": out["example_id"].map(_lookup(t["examples"], "example_id", "name", "examples"))})
    _insert_after(
        out,
        "source_id",
        {
            "citation": out["source_id"].map(short_citations(t["sources"])),
            "source_verification": out["source_id"].map(_lookup(t["sources"], "source_id", "verification", "sources")),
        },
    )
    _insert_after(
        out,
        "quality_dimension_id",
        {c: out["example_id"].map(_lookup(best, "example_id", c)) for c in ("best_design_id", "best_design", "best_tier")},
    )
    return out


# -- gap matrices ------------------------------------------------------------

# A dimension maps examples to categories. Each entry: the tables it needs,
# a function giving the distinct (example_id, key) pairs, and a function
# giving every category in display order with its label (so empty rows and
# columns -- the gaps -- are kept). Pairs also carry the benefit and the
# figure they come from where there is one (ctx_benefit, ctx_metric): two
# dimensions are joined on every context they share, so a figure counts for
# a benefit only when it is that benefit's figure, not merely a figure about
# an example that the guide also uses for the benefit.
_Pairs = Callable[[dict], pd.DataFrame]
_Cats = Callable[[dict], pd.Series]


_CONTEXT = ("ctx_benefit", "ctx_metric")


def _pairs(frame: pd.DataFrame, key: str, benefit: str | None = None, metric: str | None = None) -> pd.DataFrame:
    cols = {"example_id": frame["example_id"], "key": frame[key]}
    if benefit:
        cols["ctx_benefit"] = frame[benefit]
    if metric:
        cols["ctx_metric"] = frame[metric]
    p = pd.DataFrame(cols).astype("string")
    return p.dropna(subset=["example_id", "key"]).drop_duplicates()


def _cats(frame: pd.DataFrame, key: str, label: str, sort: list[str] | None = None) -> pd.Series:
    if sort:
        frame = frame.sort_values(sort, kind="stable")
    return pd.Series(frame[label].astype("string").to_numpy(), index=pd.Index(frame[key].astype("string"), name=None))


def _benefits_in_order(t: dict) -> pd.DataFrame:
    order = t["benefits"]["area_id"].map(_lookup(t["areas"], "area_id", "order", "areas"))
    return t["benefits"].assign(_area_order=order).sort_values(["_area_order", "order"], kind="stable")


def _kind_cats(t: dict) -> pd.Series:
    kind = t["examples"]["kind"]
    values = list(kind.cat.categories) if isinstance(kind.dtype, pd.CategoricalDtype) else sorted(kind.dropna().unique())
    return pd.Series(values, index=pd.Index(values, dtype="string"), dtype="string")


_DIMENSIONS: dict[str, tuple[list[str], _Pairs, _Cats]] = {
    "benefit": (
        ["example_benefits", "benefits", "areas"],
        lambda t: _pairs(t["example_benefits"], "benefit_id", benefit="benefit_id"),
        lambda t: _cats(_benefits_in_order(t), "benefit_id", "heading"),
    ),
    "area": (
        ["example_benefits", "benefits", "areas"],
        lambda t: _pairs(
            t["example_benefits"].assign(area_id=t["example_benefits"]["benefit_id"].map(_lookup(t["benefits"], "benefit_id", "area_id", "benefits"))),
            "area_id",
            benefit="benefit_id",
        ),
        lambda t: _cats(t["areas"], "area_id", "label", ["order"]),
    ),
    "approach": (
        ["example_approaches", "approaches"],
        lambda t: _pairs(t["example_approaches"], "approach_id"),
        lambda t: _cats(t["approaches"], "approach_id", "label"),
    ),
    "outcome_level": (
        ["metrics", "outcome_levels"],
        lambda t: _pairs(t["metrics"], "outcome_level_id", benefit="benefit_id", metric="metric_id"),
        lambda t: _cats(t["outcome_levels"], "outcome_level_id", "label"),
    ),
    "quality_dimension": (
        ["metrics", "quality_dimensions"],
        lambda t: _pairs(t["metrics"], "quality_dimension_id", benefit="benefit_id", metric="metric_id"),
        lambda t: _cats(t["quality_dimensions"], "quality_dimension_id", "label"),
    ),
    "design": (
        ["evaluations", "study_designs", "sources"],
        lambda t: _pairs(confirmed_evaluations(t), "design_id"),
        lambda t: _cats(t["study_designs"], "design_id", "label", ["tier", "design_id"]),
    ),
    "kind": (
        ["examples"],
        lambda t: _pairs(t["examples"], "kind"),
        _kind_cats,
    ),
}

#: Dimensions :func:`gap_matrix` accepts for ``rows`` and ``cols``.
DIMENSIONS = tuple(_DIMENSIONS)
#: Cell values :func:`gap_matrix` accepts for ``value``.
VALUES = ("count", "best_tier")


def _check(kind: str, name: str, valid: tuple[str, ...]) -> None:
    if name not in valid:
        raise ValueError(f"unknown {kind} {name!r}; valid {kind}s are: {', '.join(valid)}")


def gap_matrix(rows: str = "benefit", cols: str = "approach", value: str = "count", *, data: Data = None, labels: bool = False) -> pd.DataFrame:
    """Cross two dimensions of the evidence and count the examples in each cell.

    A cell holds the examples that fall under both its row and its column
    category (e.g. examples used for a benefit *and* using an approach).
    Every category of both vocabularies is shown, in the vocabulary's order,
    so empty cells -- the evidence gaps -- are visible. Where both dimensions
    come from the same benefit link or the same figure they must agree: a
    benefit x outcome_level cell counts the benefit's own figures only, and an
    outcome_level x quality_dimension cell counts figures that have both.

    Dimensions (how an example falls under a category):

    * ``benefit``, ``area``: the guide uses it as evidence for the benefit
      (``example_benefits``), or for a benefit in the area;
    * ``approach``: it uses the approach (``example_approaches``);
    * ``outcome_level``, ``quality_dimension``: it has a figure in
      ``metrics`` at that level or on that dimension (figures about no
      single example count for no cell);
    * ``design``: it has a confirmed evaluation of that design (see
      :func:`confirmed_evaluations`);
    * ``kind``: ``examples.kind``.

    Args:
        rows: the dimension down the side.
        cols: the dimension across the top.
        value: ``"count"`` (number of distinct examples; 0 for an empty
            cell) or ``"best_tier"`` (the lowest design tier of any example
            in the cell; empty where none has a confirmed evaluation).
        data: a Dataset or mapping of tables, a package path, or None.
        labels: label rows and columns with names instead of IDs.

    Returns:
        A DataFrame of ``Int64``; the index is named ``rows`` and the
        columns ``cols``.

    Raises:
        ValueError: an unknown dimension or value; the message lists the valid ones.

    Examples:
        >>> from improvement_evidence.appraisal import gap_matrix
        >>> m = gap_matrix("benefit", "outcome_level")
        >>> m.index.name, m.columns.name, len(m)
        ('benefit', 'outcome_level', 22)
        >>> gap_matrix("benefit", "colour")
        Traceback (most recent call last):
        ...
        ValueError: unknown dimension 'colour'; valid dimensions are: benefit, area, approach, outcome_level, quality_dimension, design, kind
    """
    _check("dimension", rows, DIMENSIONS)
    _check("dimension", cols, DIMENSIONS)
    _check("value", value, VALUES)
    r_tables, r_pairs, r_cats = _DIMENSIONS[rows]
    c_tables, c_pairs, c_cats = _DIMENSIONS[cols]
    needed = list(dict.fromkeys([*r_tables, *c_tables, *(["evaluations", "study_designs", "sources"] if value == "best_tier" else [])]))
    t = _tables(data, needed)
    row_cats, col_cats = r_cats(t), c_cats(t)
    left, right = r_pairs(t), c_pairs(t)
    shared = ["example_id", *(c for c in _CONTEXT if c in left.columns and c in right.columns)]
    left = left.drop(columns=[c for c in _CONTEXT if c in left.columns and c not in shared])
    right = right.drop(columns=[c for c in _CONTEXT if c in right.columns and c not in shared])
    cells = left.merge(right, on=shared, suffixes=("_r", "_c"))[["example_id", "key_r", "key_c"]].drop_duplicates()
    if value == "count":
        agg = cells.groupby(["key_r", "key_c"]).size()
        fill = 0
    else:
        best = best_designs(t)
        cells["tier"] = cells["example_id"].map(_lookup(best, "example_id", "best_tier"))
        agg = cells.dropna(subset=["tier"]).groupby(["key_r", "key_c"])["tier"].min()
        fill = pd.NA
    grid = agg.unstack("key_c") if len(agg) else pd.DataFrame()
    grid = grid.reindex(index=row_cats.index, columns=col_cats.index)
    grid = grid.astype("Int64") if fill is pd.NA else grid.fillna(0).astype("Int64")
    if labels:
        grid.index, grid.columns = pd.Index(row_cats.to_numpy()), pd.Index(col_cats.to_numpy())
    grid.index.name, grid.columns.name = rows, cols
    return grid
