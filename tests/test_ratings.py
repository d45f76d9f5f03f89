"""Strength-of-evidence ratings: the rules on hand-checked synthetic data, and
the shipped table against the rules run on the shipped data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import improvement_evidence as ie
from improvement_evidence.csvio import write_csv
from improvement_evidence.load import load, load_table
from improvement_evidence.ratings import LEVELS, START_BY_TIER, compute_ratings, downgrade, start_level

from synthetic_package import REPO_SCHEMAS, write_package  # noqa: E402




def _metric(metric_id, benefit_id, example_id, **kw):
    row = dict(metric_id=metric_id, area_id="ar", benefit_id=benefit_id, example_id=example_id, figure_type="change",
               measure=f"measure of {metric_id}", qualifier="exact", unit="percent", direction="decrease",
               reported_in="guide", source_id="guide", verification_status="guide_only", quote="q")
    row.update(kw)
    return row


def _eval(evaluation_id, example_id, source_id, design_id):
    return dict(evaluation_id=evaluation_id, example_id=example_id, source_id=source_id, design_id=design_id)


# Five benefits, each built to exercise one part of the rules; the expected
# values in the tests below were worked out by hand from docs/rating-rules.md.
SYNTHETIC = {
    "areas": [dict(area_id="ar", label="Area", heading="Area heading", order="1")],
    "benefits": [dict(benefit_id=b, area_id="ar", heading=f"Heading {b}", order=str(i)) for i, b in enumerate(["b1", "b2", "b3", "b4", "b5"], 1)],
    "examples": [dict(example_id=e, name=f"Example {e}", kind="programme") for e in ["ex-a", "ex-b", "ex-c", "ex-d", "ex-e"]],
    "example_benefits": [
        dict(example_id="ex-a", benefit_id="b1"),
        dict(example_id="ex-b", benefit_id="b1"),
        dict(example_id="ex-c", benefit_id="b2"),
        dict(example_id="ex-d", benefit_id="b3"),
        dict(example_id="ex-e", benefit_id="b4"),
    ],
    "study_designs": [
        dict(design_id="cluster-rct", label="Cluster RCT", tier="1"),
        dict(design_id="its", label="Interrupted time series", tier="3"),
        dict(design_id="before-after", label="Uncontrolled before-after", tier="5"),
        dict(design_id="case-report", label="Case report", tier="8"),
    ],
    "sources": [
        dict(source_id="guide", source_type="guide", title="A guide to making the case for improvement", verification="verified"),
        dict(source_id="s-rct", source_type="journal-article", authors="Avery AJ, Rodgers S", year="2012", title="A trial", container="Lancet", verification="verified"),
        dict(source_id="s-its", source_type="journal-article", authors="Rodgers S, Taylor AC, Roberts SA", year="2022", title="Scale-up study", container="PLoS Med", verification="partial"),
        dict(source_id="s-ghost", source_type="report", title="Unseen report", verification="unverified"),
        dict(source_id="s-report", source_type="report", title="Annual report", verification="verified"),
    ],
    "evaluations": [
        # ex-a: two tier-1 evaluations; the tie goes to ev-a-bis (alphabetical), not row order.
        _eval("ev-a-rct", "ex-a", "s-rct", "cluster-rct"),
        _eval("ev-a-bis", "ex-a", "s-rct", "cluster-rct"),
        _eval("ev-b-its", "ex-b", "s-its", "its"),
        # ex-c: only an unverified source, so no confirmed evaluation.
        _eval("ev-c-ghost", "ex-c", "s-ghost", "cluster-rct"),
        # ex-d: an unverified tier-1 evaluation must not beat the confirmed tier 3.
        _eval("ev-d-ghost", "ex-d", "s-ghost", "cluster-rct"),
        _eval("ev-d-its", "ex-d", "s-its", "its"),
        _eval("ev-e-case", "ex-e", "s-report", "case-report"),
        _eval("ev-e-ba", "ex-e", "s-report", "before-after"),
    ],
    "example_sources": [
        dict(example_id="ex-d", source_id="s-its", relation="evaluation", link_basis="stated"),
        dict(example_id="ex-e", source_id="s-report", relation="evaluation", link_basis="inferred"),
        # stated, but its only evaluation is unverified: does not trace b2.
        dict(example_id="ex-c", source_id="s-ghost", relation="evaluation", link_basis="stated"),
    ],
    "metrics": [
        _metric("m1", "b1", "ex-b", value="24", value_low="24", value_high="24", qualifier="approximately", verification_status="discrepancy_noted"),
        _metric("m2", "b1", "ex-b", value="16.7", value_low="16.7", value_high="16.7", reported_in="primary-source", source_id="s-its", verification_status="primary_source", compares_with="m1"),
        _metric("m3", "b1", "ex-b", value="15.3", value_low="15.3", value_high="15.3", reported_in="primary-source", source_id="s-its", verification_status="primary_source", compares_with="m1"),
        _metric("m4", "b2", "ex-c", value="50", value_low="50", value_high="50", qualifier="over", direction="increase"),
        _metric("m5", "b2", "ex-c", figure_type="amount", unit="GBP", value="1000000", outcome_level_id="cost"),
        _metric("m6", "b4", "ex-e", value_low="25", value_high="30", qualifier="between", verification_status="matched_to_primary"),
        _metric("m7", "b4", "ex-e", value="28", value_low="28", value_high="28"),
        _metric("m8", "b4", "ex-e", figure_type="count", unit="count", value="370", direction="none", outcome_level_id="structure"),
        _metric("m9", "", "", figure_type="share", value="4", direction="none", outcome_level_id="cost"),
    ],
    "rating_overrides": [
        dict(benefit_id="b3", confidence="low", rationale="The ITS covers one region only and its comparison group is weak; see ev-d-its.", curator="A Curator", date="2026-11-27"),
    ],
}


@pytest.fixture
def synthetic(tmp_path) -> Path:
    return write_package(tmp_path / "pkg", SYNTHETIC)


@pytest.fixture
def rated(synthetic) -> pd.DataFrame:
    return compute_ratings(synthetic).set_index("benefit_id")


# -- the rule's pieces -------------------------------------------------------


def test_start_levels_follow_the_published_table():
    assert [start_level(t) for t in range(1, 9)] == ["high", "moderate", "moderate", "low", "low", "very-low", "very-low", "very-low"]
    assert start_level(pd.NA) == "very-low"
    assert set(START_BY_TIER) == set(range(1, 9))  # every tier the study_designs schema allows


def test_downgrade_moves_one_level_and_stops_at_very_low():
    assert [downgrade(x) for x in LEVELS] == ["moderate", "low", "very-low", "very-low"]


# -- the rules on synthetic data ---------------------------------------------


def test_counts_per_benefit(rated):
    got = rated[["n_examples", "n_evaluated_examples", "n_guide_figures", "n_matched", "n_discrepancies", "n_guide_only", "n_primary_figures", "n_cost_figures"]]
    expected = {
        "b1": [2, 2, 1, 0, 1, 0, 2, 0],
        "b2": [1, 0, 2, 0, 0, 2, 0, 1],
        "b3": [1, 1, 0, 0, 0, 0, 0, 0],
        "b4": [1, 1, 3, 1, 0, 2, 0, 0],
        "b5": [0, 0, 0, 0, 0, 0, 0, 0],
    }
    assert {b: [int(v) for v in row] for b, row in got.iterrows()} == expected


def test_best_design_uses_confirmed_sources_and_breaks_ties_by_id(rated):
    cols = ["best_tier", "best_design_id", "best_evaluation_id"]
    best = {b: {c: (None if pd.isna(row[c]) else row[c]) for c in cols} for b, row in rated[cols].iterrows()}
    assert best == {
        "b1": {"best_tier": 1, "best_design_id": "cluster-rct", "best_evaluation_id": "ev-a-bis"},
        "b2": {"best_tier": None, "best_design_id": None, "best_evaluation_id": None},
        "b3": {"best_tier": 3, "best_design_id": "its", "best_evaluation_id": "ev-d-its"},
        "b4": {"best_tier": 5, "best_design_id": "before-after", "best_evaluation_id": "ev-e-ba"},
        "b5": {"best_tier": None, "best_design_id": None, "best_evaluation_id": None},
    }


def test_traced_and_confidence(rated):
    assert rated["traced"].tolist() == [True, False, True, True, False]
    assert rated["confidence_rule"].tolist() == ["high", "very-low", "moderate", "low", "very-low"]
    # b3's curator override replaces the rule's level; nothing else changes.
    assert rated["confidence"].tolist() == ["high", "very-low", "low", "low", "very-low"]
    assert rated["override_rationale"].isna().tolist() == [True, True, False, True, True]


def test_untraced_benefit_loses_one_level(synthetic):
    # Remove the stated link behind b3: tier 3 starts moderate, untraced -> low.
    es = synthetic / "data" / "example_sources.csv"
    es.write_text(es.read_text(encoding="utf-8").replace("ex-d,s-its,evaluation,stated", "ex-d,s-its,evaluation,inferred"), encoding="utf-8")
    r = compute_ratings(synthetic).set_index("benefit_id")
    assert (bool(r.loc["b3", "traced"]), r.loc["b3", "confidence_rule"]) == (False, "low")


def test_effect_size_prefers_primary_figures_and_reads_ranges(rated):
    assert rated["effect_size_metric_id"].fillna("").tolist() == ["m2", "m4", "", "m6", ""]
    assert rated.loc["b1", "effect_size_summary"] == "16.7% decrease: measure of m2 (primary source: Rodgers S et al. (2022). Scale-up study. PLoS Med.)"
    assert rated.loc["b2", "effect_size_summary"] == "over 50% increase: measure of m4 (guide figure, guide_only)"
    assert rated.loc["b4", "effect_size_summary"] == "between 25% and 30% decrease: measure of m6 (guide figure, matched_to_primary)"
    assert pd.isna(rated.loc["b3", "effect_size_summary"]) and pd.isna(rated.loc["b5", "effect_size_metric_id"])


def test_cost_evidence(rated):
    # m9 is a cost figure with no benefit: it counts for none.
    assert rated["cost_evidence"].tolist() == ["no", "yes", "no", "no", "no"]


def test_rating_basis_states_the_rule_and_its_numbers(rated):
    assert rated.loc["b1", "rating_basis"] == (
        "Best design tier 1 (Cluster RCT, evaluation ev-a-bis) starts at high. "
        "Traced to a primary source (0 guide figure(s) matched and 1 with a discrepancy noted): no downgrade. "
        "Confidence by rule: high."
    )
    assert rated.loc["b2", "rating_basis"] == (
        "No example has an evaluation whose source record was seen: very-low. "
        "Not traced to a primary source (no guide figure matched or with a discrepancy noted, no stated source link): already at the lowest level. "
        "Confidence by rule: very-low."
    )
    assert rated.loc["b3", "rating_basis"].endswith("Confidence by rule: moderate. Curator override to low (see override_rationale).")


def test_result_has_the_schema_columns_and_dtypes(synthetic):
    r = compute_ratings(synthetic)
    schema = json.loads((REPO_SCHEMAS / "evidence_ratings.json").read_text(encoding="utf-8"))
    assert list(r.columns) == [f["name"] for f in schema["fields"]]
    assert str(r["best_tier"].dtype) == "Int64" and str(r["traced"].dtype) == "boolean"
    assert list(r["confidence"].cat.categories) == ["high", "moderate", "low", "very-low"]


def test_a_dataset_and_a_path_give_the_same_ratings(synthetic):
    pd.testing.assert_frame_equal(compute_ratings(load(synthetic)), compute_ratings(synthetic))


def test_row_order_does_not_change_the_ratings(synthetic, tmp_path):
    shuffled = {k: list(reversed(v)) if k in ("evaluations", "metrics", "example_benefits") else v for k, v in SYNTHETIC.items()}
    other = write_package(tmp_path / "shuffled", shuffled)
    pd.testing.assert_frame_equal(compute_ratings(other), compute_ratings(synthetic))


# -- overrides must carry a written rationale ----------------------------------


def _with_override(root: Path, row: str) -> Path:
    p = root / "data" / "rating_overrides.csv"
    p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n" + row + "\n", encoding="utf-8")
    return root


def test_override_without_rationale_is_refused(synthetic):
    _with_override(synthetic, "b1,low,too short,A Curator,2026-11-27")
    with pytest.raises(ValueError) as exc:
        compute_ratings(synthetic)
    assert str(exc.value) == (
        "rating_overrides.csv: row 2, field 'rationale': expected a written rationale of at least 40 characters; "
        "found 'too short'. An override without its reasons cannot be checked, so it is refused."
    )


def test_override_of_unknown_benefit_is_refused(synthetic):
    _with_override(synthetic, "b9,low,The rule misses a second study that we found in the trial registry.,A Curator,2026-11-27")
    with pytest.raises(ValueError) as exc:
        compute_ratings(synthetic)
    assert str(exc.value) == (
        "rating_overrides.csv: row 2, field 'benefit_id': expected a benefit_id from benefits.csv; found 'b9'. "
        "Likely cause: a typo, or the benefit was renamed."
    )


def test_override_schema_requires_a_rationale():
    schema = json.loads((REPO_SCHEMAS / "rating_overrides.json").read_text(encoding="utf-8"))
    rationale = next(f for f in schema["fields"] if f["name"] == "rationale")
    assert rationale["constraints"]["required"] is True and rationale["constraints"]["minLength"] == 40


# -- the shipped table is what the rules give on the shipped data ---------------


def test_shipped_ratings_are_what_the_rules_compute():
    shipped = ie.resource_path("evidence_ratings").read_text(encoding="utf-8")
    computed = write_csv(compute_ratings(), "evidence_ratings")
    assert computed == shipped, "data/evidence_ratings.csv is stale: run python tools/build_ratings.py"


def test_shipped_ratings_cover_every_benefit_once():
    ratings = load_table("evidence_ratings")
    assert sorted(ratings["benefit_id"]) == sorted(load_table("benefits")["benefit_id"])


# -- the rules on a mutated copy of the shipped data ---------------------------


def _rewrite(path: Path, change) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        change(row)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_unverified_sources_credit_no_design(package_copy):
    _rewrite(package_copy / "data" / "sources.csv", lambda r: r.update(verification="unverified"))
    r = compute_ratings(package_copy)
    assert r["best_tier"].isna().all()
    assert (r["n_evaluated_examples"] == 0).all()
    assert set(r["confidence_rule"]) == {"very-low"}


def test_an_override_changes_only_its_benefit(package_copy):
    shipped = load_table("evidence_ratings")
    target = shipped["benefit_id"].iloc[0]
    level = "low" if shipped["confidence_rule"].iloc[0] == "high" else "high"
    rationale = "A later evaluation of this example, not yet in the data, changes the picture."
    with open(package_copy / "data" / "rating_overrides.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([target, level, rationale, "A Curator", "2026-11-27"])
    r = compute_ratings(package_copy)
    assert (r["confidence"].iloc[0], r["confidence_rule"].iloc[0], r["override_rationale"].iloc[0]) == (level, shipped["confidence_rule"].iloc[0], rationale)
    rest = ["confidence", "confidence_rule", "best_tier", "traced", "effect_size_metric_id"]
    pd.testing.assert_frame_equal(r[rest].iloc[1:].reset_index(drop=True), shipped[rest].iloc[1:].reset_index(drop=True))
