"""Every quote and heading is a verbatim span of the guide, and every
locator is the one the documented rules compute (issue 2).

Runs against the guide's text; fails under CI=true if the text is absent
(see the guide_text_path fixture)."""

from __future__ import annotations

import pytest

import improvement_evidence as ie
from improvement_evidence.provenance import GuideText, normalise


@pytest.fixture(scope="module")
def guide(guide_text_path):
    return GuideText.from_path(guide_text_path)


def guide_spans():
    """(table, row number as a spreadsheet shows it, column, span)."""
    ds = ie.load()
    out = []
    for table, col, mask in [
        ("areas", "heading", None),
        ("benefits", "heading", None),
        ("example_benefits", "quote", None),
        ("metrics", "quote", "guide"),
        ("audiences", "quote", None),
        ("audiences", "readers_quote", None),
    ]:
        df = ds[table]
        for i, row in df.iterrows():
            if mask and row["reported_in"] != mask:
                continue
            if row[col] is None or row[col] != row[col]:  # an optional span left empty
                continue
            out.append((table, i + 2, col, row[col]))
    return out


SPANS = guide_spans()


def test_there_are_spans_to_check():
    # 4 areas + 22 benefits at the least, plus quotes
    assert len(SPANS) > 60


@pytest.mark.parametrize("table,row,col,span", SPANS, ids=[f"{t}:{r}" for t, r, _, _ in SPANS])
def test_span_is_verbatim_and_unique(guide, table, row, col, span):
    n = guide.count(span)
    assert n == 1, f"{table}.csv row {row} {col}: found {n} times in the guide (expected exactly once): {span!r}"


def test_normalisation_is_whitespace_only():
    assert normalise("a \n\n b\tc ") == "a b c"
    # nothing else is folded: case, dashes and quotes are significant
    assert normalise("Improvement approaches – which") != normalise("Improvement approaches - which")


def test_a_changed_quote_is_not_found(guide):
    span = ie.load().example_benefits["quote"].iloc[0]
    assert guide.count(span) == 1
    assert guide.count(span.replace(" ", "  ", 1)) == 1  # whitespace only: still found
    assert guide.count(span[:-1] + ("X" if span[-1] != "X" else "Y")) == 0


@pytest.mark.parametrize("table,key,col", [
    ("areas", "area_id", "heading"),
    ("benefits", "benefit_id", "heading"),
    ("example_benefits", None, "quote"),
    ("audiences", "audience_id", "quote"),
])
def test_locators_follow_the_rules(guide, table, key, col):
    df = ie.load_table(table)
    for i, row in df.iterrows():
        loc = guide.locate(row[col])
        got = (row["section"], int(row["page"]), int(row["page_end"]), row["page_basis"])
        assert got == (loc.section, loc.page, loc.page_end, loc.page_basis), f"{table}.csv row {i + 2}"


def test_guide_metrics_have_locators_and_primary_ones_do_not(guide):
    m = ie.load_table("metrics")
    for i, row in m.iterrows():
        if row["reported_in"] == "guide":
            loc = guide.locate(row["quote"])
            assert (row["section"], int(row["page"]), int(row["page_end"]), row["page_basis"]) == (
                loc.section, loc.page, loc.page_end, loc.page_basis), f"metrics.csv row {i + 2}"
        else:
            assert pd_isna_all(row[["section", "page", "page_end", "page_basis"]]), f"metrics.csv row {i + 2}"


def test_audience_readers_are_the_guides_words_and_pages(guide):
    """Each reader the guide's introduction names (set in bold there, so kept
    out of readers_quote) is the guide's own word, and readers_page is where
    the rules place readers_quote."""
    df = ie.load_table("audiences")
    plain = GuideText(guide.raw.replace("**", ""))
    for i, row in df.iterrows():
        if row["readers"] is None or row["readers"] != row["readers"]:
            continue
        assert plain.count(row["readers"]) >= 1 or all(
            plain.count(name) >= 1 for name in str(row["readers"]).split(" and ")
        ), f"audiences.csv row {i + 2} readers: {row['readers']!r} not in the guide"
        assert guide.locate(row["readers_quote"]).section == "1", f"audiences.csv row {i + 2}"
        assert int(row["readers_page"]) == guide.locate(row["readers_quote"]).page, f"audiences.csv row {i + 2}"


def test_audiences_are_the_four_the_guide_names(guide):
    df = ie.load_table("audiences")
    assert list(df["audience_id"]) == ["policy", "executive", "operational", "front-line"]
    for q in df["quote"]:
        assert "policy, executive, operational and front-line audiences" in q


def pd_isna_all(s):
    return bool(s.isna().all())


# Page rules checked on hand-made text, so the rules themselves are tested,
# not just their agreement with the shipped data.
TOY = (
    "Title\n\nContents\n\n1.\tIntro\t3\n2.\tBody\t4\n3.\tEnd\t6\n\n"
    "1. Intro\n\nAlpha words here.\n\n"
    "2. Body\n\nBeta sentence runs on and\n\ncontinues on the next page.\n\nGamma.\n\n"
    "3. End\n\nOmega.\n"
)


def test_page_rules_on_a_toy_guide():
    g = GuideText(TOY)
    assert g.locate("Alpha words").page == 3
    assert g.locate("Alpha words").page_basis == "contents"
    assert g.locate("Beta sentence").page == 4
    assert g.locate("continues on the next").page == 5  # visible break: lower-case after a split sentence
    assert g.locate("continues on the next").page_basis == "page-break"
    loc = g.locate("runs on and continues")
    assert (loc.page, loc.page_end) == (4, 5)
    assert g.locate("Omega").page == 6
