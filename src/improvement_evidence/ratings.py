"""Strength-of-evidence ratings per benefit, computed by published rules.

The rules are stated in docs/rating-rules.md; this module is their only
implementation, and ``data/evidence_ratings.csv`` is its output on the
shipped data (``tools/build_ratings.py`` regenerates it; a test fails if the
two differ). Three things are kept apart, as in the EEF toolkit and GRADE:

* **confidence** that the evidence supports the benefit (from the best
  study design behind it and whether the guide's claim was traced to a
  primary source);
* **size** of the effect (``effect_size_summary``: one stated figure, never
  an average);
* **cost** evidence (whether any figure measures cost).

Confidence rule, in full:

1. Start from the best (lowest) design tier among the confirmed evaluations
   of the benefit's examples (:data:`START_BY_TIER`); no such evaluation
   starts, and stays, at ``very-low``.
2. Go down one level (not below ``very-low``) if the benefit is not
   *traced*: no guide figure for it is ``matched_to_primary`` or
   ``discrepancy_noted``, and no confirmed evaluation's source is linked to
   its example with ``link_basis`` ``stated``.
3. A curator override in ``rating_overrides`` (with a written rationale)
   replaces the result; the rule's own level stays in ``confidence_rule``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._resources import package_path
from .appraisal import Data, _tables, best_designs, confirmed_evaluations, short_citations
from .csvio import format_number
from .schema import table_spec

__all__ = ["LEVELS", "START_BY_TIER", "compute_ratings", "start_level", "downgrade"]

#: Confidence levels, strongest first.
LEVELS = ("high", "moderate", "low", "very-low")

#: Starting confidence by best design tier (study_designs.tier, 1 = strongest).
#: Tier 1 is randomised (GRADE starts randomised evidence high); tiers 2-3
#: are the controlled, time-series and review designs (interrupted time
#: series, controlled before-after, cohort, systematic review); tiers 4-5 are
#: uncontrolled designs that Cochrane EPOC discourages (before-after, run
#: charts, cross-sectional); tiers 6-8 do not measure an effect against a
#: comparison (qualitative, mixed methods, models, case reports, reports).
START_BY_TIER = {1: "high", 2: "moderate", 3: "moderate", 4: "low", 5: "low", 6: "very-low", 7: "very-low", 8: "very-low"}

_INPUTS = ["benefits", "example_benefits", "metrics", "evaluations", "study_designs", "sources", "example_sources"]
_OVERRIDES = "rating_overrides"


def start_level(best_tier) -> str:
    """The starting confidence for a best design tier (missing -> ``very-low``).

    Examples:
        >>> start_level(1), start_level(2), start_level(4), start_level(6), start_level(None)
        ('high', 'moderate', 'low', 'very-low', 'very-low')
    """
    if best_tier is None or pd.isna(best_tier):
        return "very-low"
    return START_BY_TIER[int(best_tier)]


def downgrade(level: str, steps: int = 1) -> str:
    """``level`` moved ``steps`` levels down, never below ``very-low``.

    Examples:
        >>> downgrade("high"), downgrade("low", 2), downgrade("very-low")
        ('moderate', 'very-low', 'very-low')
    """
    return LEVELS[min(LEVELS.index(level) + steps, len(LEVELS) - 1)]


def _schema_file() -> Path:
    # Read beside the bundled descriptor, not through its resource list, so
    # the rules run before evidence_ratings is registered there.
    return package_path().parent / "schemas" / "evidence_ratings.json"


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in schema order with the dtypes :func:`improvement_evidence.load_table` gives."""
    spec = table_spec("evidence_ratings", _schema_file())
    if frame.empty:
        frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in spec.field_names})
    out = pd.DataFrame(index=frame.index)
    for f in spec.fields:
        col = frame[f.name]
        if f.enum is not None:
            out[f.name] = pd.Categorical(col, categories=list(f.enum))
        else:
            out[f.name] = col.astype(f.dtype)
    return out.reset_index(drop=True)


def _overrides(data: Data) -> pd.DataFrame | None:
    try:
        return _tables(data, [_OVERRIDES])[_OVERRIDES]
    except KeyError:  # a package without the table has no overrides
        return None


def _check_overrides(ov: pd.DataFrame, benefit_ids: pd.Series) -> None:
    known = set(benefit_ids)
    for i, row in enumerate(ov.itertuples(index=False)):
        where = f"rating_overrides.csv: row {i + 2}"
        if row.benefit_id not in known:
            raise ValueError(
                f"{where}, field 'benefit_id': expected a benefit_id from benefits.csv; found {row.benefit_id!r}. "
                "Likely cause: a typo, or the benefit was renamed."
            )
        if pd.isna(row.rationale) or len(str(row.rationale).strip()) < 40:
            raise ValueError(
                f"{where}, field 'rationale': expected a written rationale of at least 40 characters; "
                f"found {row.rationale!r}. An override without its reasons cannot be checked, so it is refused."
            )
        if pd.isna(row.confidence) or row.confidence not in LEVELS:
            raise ValueError(f"{where}, field 'confidence': expected one of {', '.join(LEVELS)}; found {row.confidence!r}.")
    dup = ov["benefit_id"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise ValueError(f"rating_overrides.csv: row {i + 2}, field 'benefit_id': expected one override per benefit; found {ov['benefit_id'].iloc[i]!r} again.")


_QUALIFIER = {"exact": "", "approximately": "approximately ", "around": "around ", "over": "over "}


def _change_text(m) -> str:
    if m.qualifier == "between" or pd.isna(m.value):
        size = f"between {format_number(m.value_low)}% and {format_number(m.value_high)}%"
    else:
        size = f"{_QUALIFIER.get(m.qualifier, '')}{format_number(m.value)}%"
    return f"{size} {m.direction}: {m.measure}"


def _effect_size(figs: pd.DataFrame, citations: pd.Series, source_tier: dict) -> tuple[object, object]:
    """(metric_id, summary) of one stated percentage change: from the primary
    source with the strongest counted evaluation, else any primary source,
    else the guide; the largest within that pool."""
    changes = figs[(figs["figure_type"] == "change") & (figs["unit"] == "percent")]
    changes = changes.assign(_size=changes["value"].fillna(changes["value_high"])).dropna(subset=["_size"])
    if changes.empty:
        return pd.NA, pd.NA
    primary = changes[changes["reported_in"] == "primary-source"]
    pool = primary if len(primary) else changes
    # Choosing the largest figure across sources would favour the least
    # rigorous report; the strongest evaluated source's figures come first.
    tier = pool["source_id"].map(lambda s: source_tier.get(s, 99)).astype("int64")
    pool = pool.assign(_tier=tier)
    m = pool.sort_values(["_tier", "_size", "metric_id"], ascending=[True, False, True], kind="stable").iloc[0]
    if m.reported_in == "primary-source":
        where = f"primary source: {citations.get(m.source_id, m.source_id)}"
    else:
        where = f"guide figure, {m.verification_status}"
    return m.metric_id, f"{_change_text(m)} ({where})"


def _basis(r: dict) -> str:
    if pd.isna(r["best_tier"]):
        start = "No example has an evaluation whose source record was seen: very-low."
    else:
        start = (
            f"Best design tier {int(r['best_tier'])} ({r['best_design']}, evaluation {r['best_evaluation_id']}) "
            f"starts at {start_level(r['best_tier'])}."
        )
    if r["traced"]:
        why = []
        if r["n_matched"] or r["n_discrepancies"]:
            why.append(f"{r['n_matched']} guide figure(s) matched and {r['n_discrepancies']} with a discrepancy noted")
        if r["stated"]:
            why.append("a source states the guide's claim (link_basis stated)")
        trace = "Traced to a primary source (" + "; ".join(why) + "): no downgrade."
    else:
        trace = "Not traced to a primary source (no guide figure matched or with a discrepancy noted, no stated source link): "
        trace += "down one level." if start_level(r["best_tier"]) != LEVELS[-1] else "already at the lowest level."
    text = f"{start} {trace} Confidence by rule: {r['confidence_rule']}."
    if r["override"] is not None:
        text += f" Curator override to {r['override']} (see override_rationale)."
    return text


def compute_ratings(data: Data = None) -> pd.DataFrame:
    """Rate the evidence for every benefit by the published rules.

    Args:
        data: a :class:`~improvement_evidence.Dataset` or mapping of tables,
            a package path, or None for the bundled package. Needs benefits,
            example_benefits, metrics, evaluations, study_designs, sources and
            example_sources; rating_overrides if present.

    Returns:
        One row per benefit, in the order of ``benefits``, with the columns
        and dtypes of the ``evidence_ratings`` table.

    Raises:
        ValueError: an override names an unknown benefit, lacks a written
            rationale, or repeats a benefit; the message gives row and field.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.ratings import compute_ratings
        >>> r = compute_ratings()
        >>> r["benefit_id"].tolist() == ie.load_table("benefits")["benefit_id"].tolist()
        True
        >>> set(r["confidence"].dropna()) <= {"high", "moderate", "low", "very-low"}
        True
    """
    t = _tables(data, _INPUTS)
    ov = _overrides(data)
    benefits = t["benefits"]
    if ov is not None:
        _check_overrides(ov, benefits["benefit_id"])
    override_of = {} if ov is None else {r.benefit_id: (r.confidence, r.rationale) for r in ov.itertuples(index=False)}

    links = t["example_benefits"][["example_id", "benefit_id"]].drop_duplicates()
    best = best_designs(t)
    evaluated = links.merge(best, on="example_id")
    # A confirmed evaluation whose source is linked to its example as 'stated'.
    ev = confirmed_evaluations(t)
    stated_links = t["example_sources"][t["example_sources"]["link_basis"] == "stated"][["example_id", "source_id"]]
    stated_examples = set(ev.merge(stated_links, on=["example_id", "source_id"])["example_id"])
    metrics = t["metrics"]
    citations = short_citations(t["sources"])
    source_tier = {k: int(v) for k, v in ev.groupby("source_id", observed=True)["tier"].min().items()}

    rows = []
    for b in benefits["benefit_id"]:
        ex = links.loc[links["benefit_id"] == b, "example_id"]
        bev = evaluated[evaluated["benefit_id"] == b].sort_values(["best_tier", "best_evaluation_id"], kind="stable")
        top = bev.iloc[0] if len(bev) else None
        figs = metrics[metrics["benefit_id"] == b]
        guide = figs[figs["reported_in"] == "guide"]
        status = guide["verification_status"].astype("string")
        r = {
            "benefit_id": b,
            "n_examples": int(ex.nunique()),
            "n_evaluated_examples": int(bev["example_id"].nunique()),
            "best_tier": pd.NA if top is None else int(top["best_tier"]),
            "best_design_id": pd.NA if top is None else top["best_design_id"],
            "best_design": None if top is None else top["best_design"],
            "best_evaluation_id": pd.NA if top is None else top["best_evaluation_id"],
            "n_guide_figures": len(guide),
            "n_matched": int((status == "matched_to_primary").sum()),
            "n_discrepancies": int((status == "discrepancy_noted").sum()),
            "n_guide_only": int((status == "guide_only").sum()),
            "n_primary_figures": int((figs["reported_in"] == "primary-source").sum()),
            "stated": bool(set(ex) & stated_examples),
        }
        r["traced"] = bool(r["n_matched"] or r["n_discrepancies"] or r["stated"])
        level = start_level(r["best_tier"])
        r["confidence_rule"] = level if r["traced"] else downgrade(level)
        override = override_of.get(b)
        r["override"] = None if override is None else override[0]
        r["confidence"] = r["confidence_rule"] if override is None else override[0]
        r["override_rationale"] = pd.NA if override is None else override[1]
        r["effect_size_metric_id"], r["effect_size_summary"] = _effect_size(figs, citations, source_tier)
        n_cost = int((figs["outcome_level_id"] == "cost").fillna(False).sum())
        r["n_cost_figures"] = n_cost
        r["cost_evidence"] = "yes" if n_cost else "no"
        r["rating_basis"] = _basis(r)
        rows.append(r)
    return _typed(pd.DataFrame(rows))
