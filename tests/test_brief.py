"""Briefs (issue 11): what every brief says, in every format, checked against
the tables directly and not against the code that writes the brief."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest

import improvement_evidence as ie
from brief_text import AUDIENCES, FORMATS, as_text, docx_text, percents, pounds

pytest.importorskip("docx")


@pytest.fixture(scope="module")
def ds():
    return ie.load()


@pytest.fixture(scope="module")
def briefs():
    """(audience, format) -> the brief as produced, and as plain text."""
    out = {}
    for a in AUDIENCES:
        for f in FORMATS:
            raw = ie.brief(a, format=f)
            out[(a, f)] = (raw, as_text(raw, f))
    return out


def _values(ds, unit: str) -> set[Decimal]:
    m = ds.metrics[ds.metrics["unit"] == unit]
    vals = pd.concat([m["value"], m["value_low"], m["value_high"]]).dropna()
    return {Decimal(repr(float(v))).normalize() for v in vals}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_percent_or_pound_figure_is_not_in_metrics(briefs, ds, audience, fmt):
    text = briefs[(audience, fmt)][1]
    pct, gbp = _values(ds, "percent"), _values(ds, "GBP")
    found_pct, found_gbp = percents(text), pounds(text)
    assert found_pct, "the parser found no percentages at all: it is not reading this format"
    stray = sorted({str(v) for v in found_pct if v.normalize() not in pct})
    assert not stray, f"{audience} {fmt}: percentages not in metrics: {stray}"
    stray = sorted({str(v) for v in found_gbp if v.normalize() not in gbp})
    assert not stray, f"{audience} {fmt}: sums in pounds not in metrics: {stray}"


def test_the_figure_parser_reads_what_people_write():
    assert percents("about 24% and 25–30% then 16.7 %") == [Decimal("24"), Decimal("25"), Decimal("30"), Decimal("16.7")]
    assert pounds("over £14.2m, £950,000 and £2.5bn") == [Decimal("14200000.0"), Decimal("950000"), Decimal("2500000000.0")]


def test_an_invented_figure_would_be_caught(ds):
    # the check above is only worth something if a made-up total fails it
    pct = _values(ds, "percent")
    assert Decimal("40.3") not in pct  # e.g. 24% + 16.3%, a total nobody stated
    assert Decimal(14200000 + 54500000) not in _values(ds, "GBP")


def _expected_figures(ds, benefit_id: str) -> list[str]:
    return list(ds.metrics.loc[ds.metrics["benefit_id"] == benefit_id, "metric_id"])


STATUS = ("guide only", "matched to primary", "discrepancy noted", "primary source")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_figure_line_carries_its_status_markdown(briefs, ds, audience):
    text = briefs[(audience, "md")][0]
    sections = re.split(r"^## \d+\. ", text, flags=re.M)[1:]
    picked = ds.benefit_audiences[ds.benefit_audiences["audience_id"] == audience].sort_values("order")
    assert len(sections) == len(picked)
    for bid, sec in zip(picked["benefit_id"], sections):
        block = sec.split("**Figures:**", 1)[1].split("\n## ", 1)[0]
        bullets = [ln for ln in block.splitlines() if ln.lstrip().startswith("- ")]
        n = len(_expected_figures(ds, bid))
        if n == 0:
            assert len(bullets) == 1 and "no figure" in bullets[0]
            continue
        assert len(bullets) == n, f"{bid}: {len(bullets)} figure lines for {n} metrics rows"
        for ln in bullets:
            assert sum(f" — {s} — " in ln for s in STATUS) >= 1, f"{bid}: no status on the line: {ln}"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_figure_row_carries_its_status_html_and_docx(briefs, ds, audience):
    import docx
    import io

    page = briefs[(audience, "html")][0]
    rows = re.findall(r'<tr id="([^"]+)">(.*?)</tr>', page)
    d = docx.Document(io.BytesIO(briefs[(audience, "docx")][0]))
    doc_rows = [r for t in d.tables for r in t.rows[1:]]
    picked = ds.benefit_audiences.loc[ds.benefit_audiences["audience_id"] == audience, "benefit_id"]
    expected = sorted(m for b in picked for m in _expected_figures(ds, b))
    assert sorted(mid for mid, _ in rows) == expected
    assert len(doc_rows) == len(expected)
    status_of = dict(zip(ds.metrics["metric_id"], ds.metrics["verification_status"].astype(str)))
    for mid, row in rows:
        assert status_of[mid].replace("_", " ") in row, mid
    for r in doc_rows:
        assert any(r.cells[3].text.startswith(s + " — ") for s in STATUS), r.cells[3].text


@pytest.mark.parametrize("fmt", FORMATS)
def test_pincer_shows_the_guides_24_and_the_studys_16_7(fmt, briefs, ds):
    text = briefs[("front-line", fmt)][1]
    m = ds.metrics.set_index("metric_id")
    measure = m.loc["pincer-hazardous-prescribing-reduction", "measure"]
    guide = next(ln for ln in text.splitlines() if "approximately 24%" in ln and measure in ln)
    assert "discrepancy noted" in guide and "16.7%" in guide  # the disagreement is named on the guide's line
    study = [ln for ln in text.splitlines() if m.loc["pincer-rodgers-2022-reduction-6-months", "measure"] in ln
             and "16.7%" in ln and "Size of effect" not in ln]
    assert study and "Rodgers" in study[0] and "primary source" in study[0]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_references_hold_the_guide_and_every_primary_source_with_its_doi(briefs, ds, audience):
    text = briefs[(audience, "md")][1]
    refs = text.split("## References", 1)[1].split("## Reproducibility", 1)[0]
    assert "Jones, B., & Pereira, P. (n.d.). A guide to making the case for improvement. The Health Foundation." in refs
    picked = ds.benefit_audiences.loc[ds.benefit_audiences["audience_id"] == audience, "benefit_id"]
    m = ds.metrics[ds.metrics["benefit_id"].isin(picked) & (ds.metrics["reported_in"] != "guide")]
    used = ds.sources[ds.sources["source_id"].isin(m["source_id"])]
    assert len(used) > 0
    for s in used.itertuples():
        assert str(s.title).split(":")[0][:40] in refs, s.source_id
        if pd.notna(s.doi):
            assert f"https://doi.org/{s.doi}" in refs, s.source_id
        if pd.notna(s.pmid):
            assert f"PMID: {s.pmid}" in refs, s.source_id


def test_rodgers_2022_reference_is_apa():
    text = ie.brief("front-line")
    assert ("Rodgers, S., Taylor, A. C., Roberts, S. A., Allen, T., Ashcroft, D. M., Barrett, J., Boyd, M. J., Elliott, R. A., "
            "Khunti, K., Sheikh, A., Laparidou, D., Siriwardena, A. N., & Avery, A. J. (2022). Scaling-up a pharmacist-led information technology intervention "
            "(PINCER) to reduce hazardous prescribing in general practices: multiple interrupted time series study. PLOS Medicine, "
            "19(11), e1004133. https://doi.org/10.1371/journal.pmed.1004133 PMID: 36383560") in text.replace("\\", "")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_brief_says_the_selection_is_the_maintainers_judgement(briefs, audience, fmt):
    text = " ".join(briefs[(audience, fmt)][1].split())
    assert "is the dataset maintainers' judgement" in text
    assert "not the Health Foundation's" in text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])  # json: keys, not reading order (see test_json_*)
def test_content_comes_in_the_order_the_issue_asks(briefs, fmt):
    text = briefs[("executive", fmt)][1]
    marks = ["The case for improvement: an evidence brief for executive audiences", "How to read this",
             "Consistent delivery of safe, high-quality care", "Strength of evidence", "Caveats", "References",
             "Reproducibility", ie.__version__]
    at = [text.find(m) for m in marks]
    assert all(i >= 0 for i in at), dict(zip(marks, at))
    assert at == sorted(at), dict(zip(marks, at))


@pytest.mark.parametrize("fmt", FORMATS)
def test_footer_names_version_and_content_hash(briefs, fmt):
    import json

    from improvement_evidence.integrity import recorded_content_hash

    text = briefs[("policy", fmt)][1]
    if fmt == "json":
        text = "Reproducibility " + " ".join(json.loads(briefs[("policy", fmt)][0])["reproducibility"])
    footer = text[text.rfind("Reproducibility"):]
    assert f"version {ie.__version__}" in footer and recorded_content_hash() in footer
    assert "improvement_evidence.cite()" in footer or "improvement-evidence cite" in footer


def test_guide_claims_are_verbatim_spans_with_their_page(ds):
    text = ie.brief("front-line").replace("\\", "")
    eb = ds.example_benefits[ds.example_benefits["benefit_id"] == "improved-safety"]
    for q, p in zip(eb["quote"], eb["page"]):
        assert f"“{q}” — the guide, p. {p}" in text


def test_json_carries_ids_for_programs(ds):
    import json

    doc = json.loads(ie.brief("operational", format="json"))
    assert doc["version"] == ie.__version__ and doc["content_hash"].startswith("sha256:")
    assert doc["audience"]["audience_id"] == "operational"
    picked = ds.benefit_audiences[ds.benefit_audiences["audience_id"] == "operational"].sort_values("order")
    assert [b["benefit_id"] for b in doc["benefits"]] == list(picked["benefit_id"])
    for b in doc["benefits"]:
        assert [f["metric_id"] for f in b["figures"]] and set(f["metric_id"] for f in b["figures"]) == set(
            _expected_figures(ds, b["benefit_id"])) or not _expected_figures(ds, b["benefit_id"])
    assert doc["references"][0]["source_id"] == "guide"
    assert all(r["source_id"] in set(ds.sources["source_id"]) for r in doc["references"])


def test_benefit_and_area_override_the_selection(ds):
    import json

    doc = json.loads(ie.brief("executive", benefits=["improved-safety"], areas=["system-level-bodies"], format="json"))
    sys_benefits = list(ds.benefits.loc[ds.benefits["area_id"] == "system-level-bodies"].sort_values("order")["benefit_id"])
    assert [b["benefit_id"] for b in doc["benefits"]] == ["improved-safety", *sys_benefits]
    assert doc["selection"]["chosen_by"] == "reader"
    assert "chosen by whoever made this brief" in " ".join(doc["how_to_read"])


def test_same_arguments_give_the_same_bytes():
    for f in FORMATS:
        assert ie.brief("policy", format=f) == ie.brief("policy", format=f), f


def test_benefit_audiences_orders_are_unique_and_complete(ds):
    for a, g in ds.benefit_audiences.groupby("audience_id", observed=True):
        assert sorted(g["order"]) == list(range(1, len(g) + 1)), a
    assert set(ds.benefit_audiences["audience_id"]) == set(AUDIENCES)
