"""The one figure renderer: expectations written by hand from the data and
the guide, never computed by the renderer itself."""

from __future__ import annotations

import pytest

import improvement_evidence as ie
from improvement_evidence.figures import format_money, format_value, render, render_all, status_label


@pytest.fixture(scope="module")
def ds():
    return ie.load()


@pytest.mark.parametrize(
    "value, expected",
    [(14200000, "£14.2m"), (54500000, "£54.5m"), (1000000, "£1m"), (14250000, "£14.25m"),
     (999999, "£999,999"), (1234567891, "£1.234567891bn"), (100, "£100")],
)
def test_money_is_never_rounded(value, expected):
    assert format_money(value) == expected


@pytest.mark.parametrize(
    "metric_id, expected",
    [
        ("pincer-hazardous-prescribing-reduction", "approximately 24%"),  # the guide: "an approximately 24% reduction"
        ("pincer-hf-project-reduction", "around 24%"),
        ("leeds-training-waste-reduction", "over £14.2m"),  # the guide: "over £14.2m"
        ("leeds-total-waste-reduction", "£54.5m"),
        ("elft-annual-cost-reduction", "around £1m"),  # the guide: "around £1m"
        ("vmi-process-time-removed", "over 3,000 hours"),  # the guide: "over 3,000 hours"
        ("low-value-care-share", "25–30%"),  # the guide: "between 25 and 30%"
        ("assist-ckd-renal-units", "over 20 renal units"),  # the guide: "over 20 renal units"
        ("assist-ckd-trusts-rrt-fall", "1 trust"),  # the guide: "at one trust"
        ("pincer-practices", "370 GP practices"),
        ("leeds-waste-reduction-year", "2019/20"),  # a financial year stays as stated
        ("vmi-partnership-period", "2015–2020"),  # the guide: "between 2015 and 2020"
        ("pincer-rodgers-2022-reduction-6-months", "16.7%"),
        ("pincer-sapc-2018-rollout-duration", "1.5 years"),
        ("low-value-verkerk-2018-practice-share", "approximately 10–30%"),  # the source: "~10–30%"
    ],
)
def test_value_keeps_the_hedge_and_the_unit(ds, metric_id, expected):
    assert render(metric_id, ds).value_text == expected


def test_status_terms_are_the_datas_own_in_words():
    assert [status_label(s) for s in ("guide_only", "matched_to_primary", "discrepancy_noted", "primary_source")] == [
        "guide only", "matched to primary", "discrepancy noted", "primary source"]


def test_pincer_discrepancy_names_what_the_studies_report(ds):
    fig = render("pincer-hazardous-prescribing-reduction", ds)
    assert fig.status_label == "discrepancy noted"
    assert "Rodgers S et al. (2022) reports 16.7% and 15.3%" in fig.status_line
    # The funder's page states the same 24%: that is no discrepancy.
    assert "around 24%" not in fig.status_line
    assert fig.where == "the guide, p. 8"


def test_guide_only_says_so_on_its_line(ds):
    assert render("prompt-litigation-cost-reduction", ds).line().endswith(
        "guide only — not verified against a primary source")


def test_primary_figure_points_at_its_source_and_the_guides_figure(ds):
    fig = render("pincer-rodgers-2022-reduction-6-months", ds)
    assert fig.where.startswith("Rodgers S et al. (2022). Scaling-up a pharmacist-led")
    assert fig.link is not None and fig.link.startswith("https://doi.org/10.1371/")
    assert fig.status_line == "primary source — reported in a primary source, beside the guide's approximately 24%"


def test_every_figure_renders_and_keeps_its_qualifier_word(ds):
    figs = render_all(ds)
    assert len(figs) == len(ds.metrics)
    words = {"approximately": "approximately", "around": "around", "over": "over", "approximately-between": "approximately"}
    for fig, q in zip(figs, [ds.metrics.set_index("metric_id").loc[f.metric_id, "qualifier"] for f in figs]):
        if q in words:
            assert fig.value_text.startswith(words[q] + " "), fig.metric_id
        assert fig.value_text and fig.status_label and fig.status_explanation


def test_render_all_sets_primary_figures_beside_their_guide_figure(ds):
    ids = [f.metric_id for f in render_all(ds, benefit_id="improved-safety")]
    g = ids.index("pincer-hazardous-prescribing-reduction")
    assert ids[g + 1:g + 3] == ["pincer-rodgers-2022-reduction-6-months", "pincer-rodgers-2022-reduction-12-months"]


def test_unknown_metric_is_a_clear_key_error(ds):
    with pytest.raises(KeyError, match="no figure with metric_id 'nope'"):
        render("nope", ds)


def test_range_in_pounds_and_plain_counts():
    assert format_value({"value": None, "value_low": 1e6, "value_high": 2.5e6, "qualifier": "between", "unit": "GBP"}) == "£1m–£2.5m"
    assert format_value({"value": 12, "qualifier": "exact", "unit": "count", "counted": None}) == "12"


def test_show_prints_each_figure_in_the_renderers_words(capsys):
    from improvement_evidence.cli import main

    assert main(["show", "metrics", "--format", "figures", "--benefit", "improved-safety"]) == 0
    lines = capsys.readouterr().out.splitlines()
    pincer = next(line for line in lines if line.startswith("pincer-hazardous-prescribing-reduction: "))
    assert pincer.startswith("pincer-hazardous-prescribing-reduction: approximately 24% — ")
    assert "the guide, p. 8 — discrepancy noted — Rodgers S et al. (2022) reports 16.7% and 15.3%" in pincer
    assert all(line.split(": ", 1)[0] in set(ie.load().metrics.query("benefit_id == 'improved-safety'").metric_id) for line in lines)


def test_show_figures_refuses_other_tables_and_unknown_benefits_in_one_line(capsys):
    from improvement_evidence.cli import main

    assert main(["show", "areas", "--format", "figures"]) == 2
    assert capsys.readouterr().err.strip() == "improvement-evidence show: error: --format figures shows the metrics table; found 'areas'"
    assert main(["show", "metrics", "--format", "figures", "--benefit", "nope"]) == 2
    assert "no benefit 'nope'; valid benefit_id values are: improved-workplace-culture, " in capsys.readouterr().err


def test_the_xlsx_readme_words_each_figure_as_the_renderer_does(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from improvement_evidence.export import export

    rows = dict(openpyxl.load_workbook(export("xlsx", tmp_path / "p.xlsx"))["README"].values)
    assert rows["leeds-training-waste-reduction"].startswith("over £14.2m — ")
    assert rows["leeds-training-waste-reduction"].endswith("guide only — not verified against a primary source")
    assert sum(1 for k in rows if k in set(ie.load().metrics.metric_id)) == len(ie.load().metrics)
