"""evidence() and gap_matrix(): hand-checked results on a synthetic package,
then the same views on the shipped data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from improvement_evidence.appraisal import DIMENSIONS, best_designs, evidence, gap_matrix, short_citations
from improvement_evidence.load import load, load_table

from synthetic_package import write_package  # noqa: E402




# Two areas (listed out of order, so display order must come from `order`),
# three benefits, four examples, three approaches (one unused: a gap).
SYNTHETIC = {
    "areas": [
        dict(area_id="orgs", label="Organisations", heading="H orgs", order="2"),
        dict(area_id="staff", label="Workforce", heading="H staff", order="1"),
    ],
    "benefits": [
        dict(benefit_id="savings", area_id="orgs", heading="Cost savings", order="1"),
        dict(benefit_id="culture", area_id="staff", heading="Better culture", order="1"),
        dict(benefit_id="skills", area_id="staff", heading="New skills", order="2"),
    ],
    "examples": [
        dict(example_id="ex-a", name="Alpha", kind="programme"),
        dict(example_id="ex-b", name="Beta", kind="intervention"),
        dict(example_id="ex-c", name="Gamma", kind="programme"),
        dict(example_id="ex-d", name="Delta", kind="study"),
    ],
    "example_benefits": [
        dict(example_id="ex-a", benefit_id="culture"),
        dict(example_id="ex-a", benefit_id="skills"),
        dict(example_id="ex-b", benefit_id="culture"),
        dict(example_id="ex-c", benefit_id="savings"),
        dict(example_id="ex-d", benefit_id="savings"),
    ],
    "approaches": [
        dict(approach_id="lean", label="Lean"),
        dict(approach_id="pdsa", label="PDSA cycles"),
        dict(approach_id="spc", label="Statistical process control"),
    ],
    "example_approaches": [
        dict(example_id="ex-a", approach_id="lean", basis="guide"),
        dict(example_id="ex-a", approach_id="pdsa", basis="guide"),
        dict(example_id="ex-b", approach_id="pdsa", basis="guide"),
        dict(example_id="ex-c", approach_id="lean", basis="primary-source"),
    ],
    "outcome_levels": [dict(outcome_level_id=x, label=x.title()) for x in ["structure", "process", "outcome", "balancing", "cost"]],
    "quality_dimensions": [dict(quality_dimension_id=x, label=x.title()) for x in ["safe", "efficient"]],
    "study_designs": [
        dict(design_id="rct", label="Randomised controlled trial", tier="1"),
        dict(design_id="its", label="Interrupted time series", tier="3"),
        dict(design_id="case", label="Case account", tier="8"),
    ],
    "sources": [
        dict(source_id="guide", source_type="guide", authors="Jones B, Pereira P", title="A guide to making the case for improvement", container="The Health Foundation", verification="verified"),
        dict(source_id="trial", source_type="journal-article", authors="Avery AJ, Rodgers S, Cantrill JA", year="2012", title="A pharmacist-led intervention.", container="Lancet", verification="verified"),
        dict(source_id="ghost", source_type="report", title="Unseen report", verification="unverified"),
        dict(source_id="annual", source_type="report", authors="Smith J", year="2020", title="Annual report", verification="partial"),
    ],
    "evaluations": [
        dict(evaluation_id="ev-a-case", example_id="ex-a", source_id="annual", design_id="case"),
        dict(evaluation_id="ev-a-its", example_id="ex-a", source_id="annual", design_id="its"),
        dict(evaluation_id="ev-b-rct", example_id="ex-b", source_id="ghost", design_id="rct"),  # unverified: ignored
        dict(evaluation_id="ev-c-rct", example_id="ex-c", source_id="trial", design_id="rct"),
    ],
    "metrics": [
        dict(metric_id="m-a", area_id="staff", benefit_id="culture", example_id="ex-a", figure_type="change", measure="Staff engagement", value="12.5", value_low="12.5", value_high="12.5", qualifier="around", unit="percent", direction="increase", reported_in="guide", source_id="guide", verification_status="guide_only", quote="q", outcome_level_id="outcome", quality_dimension_id="safe", page="5"),
        dict(metric_id="m-b", area_id="staff", benefit_id="culture", example_id="ex-b", figure_type="count", measure="Wards", value="3", qualifier="exact", unit="count", direction="none", reported_in="guide", source_id="guide", verification_status="guide_only", quote="q", outcome_level_id="structure"),
        dict(metric_id="m-c", area_id="orgs", benefit_id="savings", example_id="ex-c", figure_type="amount", measure="Savings", value="1000000", qualifier="exact", unit="GBP", direction="decrease", reported_in="primary-source", source_id="trial", verification_status="primary_source", quote="q", outcome_level_id="cost", quality_dimension_id="efficient"),
        dict(metric_id="m-x", area_id="orgs", figure_type="share", measure="Carbon share", value="4", qualifier="exact", unit="percent", direction="none", reported_in="guide", source_id="guide", verification_status="guide_only", quote="q", outcome_level_id="cost"),
    ],
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory) -> Path:
    return write_package(tmp_path_factory.mktemp("appraisal") / "pkg", SYNTHETIC)


def _plain(values) -> list:
    return [None if pd.isna(v) else v for v in values]


# -- building blocks ---------------------------------------------------------


def test_short_citations(pkg):
    cites = short_citations(load_table("sources", pkg))
    assert cites.to_dict() == {
        "guide": "Jones B, Pereira P. A guide to making the case for improvement. The Health Foundation.",
        "trial": "Avery AJ et al. (2012). A pharmacist-led intervention. Lancet.",
        "ghost": "Unseen report.",
        "annual": "Smith J (2020). Annual report.",
    }


def test_short_citation_punctuation_without_year():
    src = pd.DataFrame({
        "source_id": ["q", "e"],
        "authors": ["Wells S, Tamir O, Gray J", "Wells S, Tamir O, Gray J"],
        "year": pd.array([None, 2018], dtype="Int64"),
        "title": ["Are quality improvement collaboratives effective?", "A review."],
        "container": [None, "BMJ Qual Saf."],
    })
    assert short_citations(src).tolist() == [
        "Wells S et al. Are quality improvement collaboratives effective?",
        "Wells S et al. (2018). A review. BMJ Qual Saf.",
    ]


def test_best_designs_ignore_unverified_sources(pkg):
    best = best_designs(pkg).set_index("example_id")
    assert sorted(best.index) == ["ex-a", "ex-c"]  # ex-b's only evaluation has an unverified source
    assert best.loc["ex-a", ["best_tier", "best_design_id", "best_design", "best_evaluation_id"]].tolist() == [3, "its", "Interrupted time series", "ev-a-its"]
    assert best.loc["ex-c", "best_tier"] == 1


# -- evidence() ----------------------------------------------------------------


def test_evidence_has_one_row_per_metric_with_context(pkg):
    ev = evidence(pkg).set_index("metric_id")
    assert ev.index.tolist() == ["m-a", "m-b", "m-c", "m-x"]
    assert _plain(ev["area"]) == ["Workforce", "Workforce", "Organisations", "Organisations"]
    assert _plain(ev["benefit"]) == ["Better culture", "Better culture", "Cost savings", None]
    assert _plain(ev["example"]) == ["Alpha", "Beta", "Gamma", None]
    assert _plain(ev["citation"]) == [
        "Jones B, Pereira P. A guide to making the case for improvement. The Health Foundation.",
        "Jones B, Pereira P. A guide to making the case for improvement. The Health Foundation.",
        "Avery AJ et al. (2012). A pharmacist-led intervention. Lancet.",
        "Jones B, Pereira P. A guide to making the case for improvement. The Health Foundation.",
    ]
    assert _plain(ev["best_design"]) == ["Interrupted time series", None, "Randomised controlled trial", None]
    assert _plain(ev["best_tier"]) == [3, None, 1, None]
    assert _plain(ev["verification_status"]) == ["guide_only", "guide_only", "primary_source", "guide_only"]


def test_evidence_keeps_metric_columns_and_dtypes(pkg):
    ev = evidence(pkg)
    metrics = load_table("metrics", pkg)
    assert [c for c in ev.columns if c in metrics.columns] == list(metrics.columns)
    added = [c for c in ev.columns if c not in metrics.columns]
    assert added == ["area", "benefit", "example", "citation", "source_verification", "best_design_id", "best_design", "best_tier"]
    for col in metrics.columns:
        assert ev[col].dtype == metrics[col].dtype, col
    assert str(ev["best_tier"].dtype) == "Int64"
    assert isinstance(ev["qualifier"].dtype, pd.CategoricalDtype)
    assert isinstance(ev["source_verification"].dtype, pd.CategoricalDtype)
    assert ev.loc[ev["metric_id"] == "m-a", "value"].iloc[0] == 12.5


def test_evidence_accepts_a_loaded_dataset(pkg):
    pd.testing.assert_frame_equal(evidence(load(pkg)), evidence(pkg))


def test_evidence_names_missing_tables():
    with pytest.raises(KeyError, match="lacks the table\\(s\\) examples, benefits"):
        evidence({"metrics": pd.DataFrame(), "areas": pd.DataFrame()})


def test_evidence_reports_a_broken_primary_key(tmp_path):
    tables = dict(SYNTHETIC, examples=[*SYNTHETIC["examples"], dict(example_id="ex-b", name="Beta again", kind="programme")])
    broken = write_package(tmp_path / "dup", tables)
    with pytest.raises(ValueError) as exc:
        evidence(broken)
    assert str(exc.value) == (
        "examples.csv: row 6, field 'example_id': expected each example_id once; found 'ex-b' again. "
        "The table breaks its primary key: run `improvement-evidence validate` on the package."
    )


# -- gap_matrix() --------------------------------------------------------------


def _grid(index, columns, rows, rname, cname):
    df = pd.DataFrame(rows, index=pd.Index(index, dtype="string"), columns=pd.Index(columns, dtype="string"), dtype="Int64")
    df.index.name, df.columns.name = rname, cname
    return df


def test_gap_matrix_default_counts_benefits_by_approach(pkg):
    expected = _grid(
        # benefits in guide order: area order first (staff=1, orgs=2), then benefit order
        ["culture", "skills", "savings"],
        ["lean", "pdsa", "spc"],
        [[1, 2, 0], [1, 1, 0], [1, 0, 0]],
        "benefit", "approach",
    )
    pd.testing.assert_frame_equal(gap_matrix(data=pkg), expected)


def test_gap_matrix_best_tier_leaves_unevaluated_cells_empty(pkg):
    expected = _grid(
        ["culture", "skills", "savings"],
        ["lean", "pdsa", "spc"],
        [[3, 3, None], [3, 3, None], [1, None, None]],
        "benefit", "approach",
    )
    pd.testing.assert_frame_equal(gap_matrix("benefit", "approach", "best_tier", data=pkg), expected)


def test_gap_matrix_area_by_outcome_level_with_labels(pkg):
    got = gap_matrix("area", "outcome_level", data=pkg, labels=True)
    assert got.index.tolist() == ["Workforce", "Organisations"]
    assert got.columns.tolist() == ["Structure", "Process", "Outcome", "Balancing", "Cost"]
    # m-x is a cost figure with no example: it counts for no cell.
    assert got.to_numpy().tolist() == [[1, 0, 1, 0, 0], [0, 0, 0, 0, 1]]
    assert (got.index.name, got.columns.name) == ("area", "outcome_level")


def test_gap_matrix_design_counts_only_confirmed_evaluations(pkg):
    got = gap_matrix("design", "kind", data=pkg)
    # designs in tier order; kinds in the examples schema's enum order
    assert got.index.tolist() == ["rct", "its", "case"]
    assert got.loc["rct"].to_dict() == {"programme": 1, "intervention": 0, "organisation": 0, "collaborative": 0, "initiative": 0, "approach": 0, "study": 0, "community": 0}
    assert got.loc[["its", "case"], "programme"].tolist() == [1, 1]
    assert int(got.to_numpy().sum()) == 3


def test_gap_matrix_counts_a_figure_only_for_its_own_benefit(pkg):
    # ex-a is evidence for culture and skills, but its one figure (m-a:
    # outcome, safe) is a culture figure: skills gets no outcome-level cell.
    got = gap_matrix("benefit", "outcome_level", data=pkg)
    assert got.columns.tolist() == ["structure", "process", "outcome", "balancing", "cost"]
    assert got.to_numpy().tolist() == [[1, 0, 1, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 1]]
    qd = gap_matrix("quality_dimension", "benefit", data=pkg)
    assert qd.index.tolist() == ["safe", "efficient"]
    assert qd.to_numpy().tolist() == [[1, 0, 0], [0, 0, 1]]


def test_gap_matrix_crosses_two_figure_dimensions_on_the_same_figure(pkg):
    # m-a: outcome/safe; m-b: structure/no dimension; m-c: cost/efficient
    got = gap_matrix("outcome_level", "quality_dimension", data=pkg)
    assert got.to_numpy().tolist() == [[0, 0], [0, 0], [1, 0], [0, 0], [0, 1]]


def test_gap_matrix_benefit_by_area_puts_each_benefit_in_its_own_area(pkg):
    got = gap_matrix("benefit", "area", data=pkg)
    assert got.to_numpy().tolist() == [[2, 0], [1, 0], [0, 2]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": "colour"}, "unknown dimension 'colour'; valid dimensions are: benefit, area, approach, outcome_level, quality_dimension, design, kind"),
        ({"cols": "benefits"}, "unknown dimension 'benefits'; valid dimensions are: benefit, area, approach, outcome_level, quality_dimension, design, kind"),
        ({"value": "mean"}, "unknown value 'mean'; valid values are: count, best_tier"),
    ],
)
def test_gap_matrix_rejects_unknown_names(kwargs, message):
    with pytest.raises(ValueError) as exc:
        gap_matrix(**kwargs, data={})
    assert str(exc.value) == message


# -- on the shipped data -------------------------------------------------------


def test_shipped_evidence_has_one_row_per_metric():
    ev = evidence()
    metrics = load_table("metrics")
    assert ev["metric_id"].tolist() == metrics["metric_id"].tolist()
    # every figure names its source, so every row has a citation
    assert ev["citation"].notna().all()
    # a figure with an example has that example's name
    assert (ev["example"].notna() == ev["example_id"].notna()).all()


@pytest.mark.parametrize("dim", DIMENSIONS)
def test_shipped_gap_matrices_count_each_example_once_per_cell(dim):
    counts = gap_matrix(dim, "benefit")
    benefits = load_table("benefits")["benefit_id"]
    assert sorted(counts.columns) == sorted(benefits) and len(counts.columns) == len(benefits)
    n_examples = len(load_table("examples"))
    assert int(counts.to_numpy().max()) <= n_examples
    assert not counts.isna().any().any()
