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


# -- the sentence index (issue 12) -------------------------------------------
# Expected values below are read off the guide's text or the toy text by
# hand, not computed by the code under test.

import hashlib  # noqa: E402

from improvement_evidence.provenance import index_sentences, sentence_hash, split_sentences  # noqa: E402

TOY_SENTENCES = (
    "Title\n\nContents\n\n1.\tIntro\t3\n2.\tBody\t4\n\n"
    "1. Intro\n\nAlpha words here. Beta follows, e.g. this one. It cost £14.2m in 2019/20.\n\n"
    "A heading\n\n"
    "Gamma runs on and\n\ncontinues after a page break. 'Quoted' start! Ends here?\n\n"
    "2. Body\n\n- first item\n- second item\n"
)


def test_sentence_rules_on_a_toy_guide():
    got = [(s.section, s.paragraph, s.sentence, s.text) for s in index_sentences(TOY_SENTENCES)]
    assert got == [
        ("1", 1, 1, "Alpha words here."),
        ("1", 1, 2, "Beta follows, e.g. this one."),  # no split after an abbreviation
        ("1", 1, 3, "It cost £14.2m in 2019/20."),  # numbers with '.' and '/' are not ends
        ("1", 2, 1, "A heading"),  # a heading is a paragraph of one sentence
        ("1", 3, 1, "Gamma runs on and continues after a page break."),  # the page break joins
        ("1", 3, 2, "'Quoted' start!"),
        ("1", 3, 3, "Ends here?"),
        ("2", 1, 1, "- first item"),  # a line break inside a paragraph ends a sentence
        ("2", 1, 2, "- second item"),
    ]


def test_a_lower_case_chunk_after_a_blank_line_is_one_paragraph_not_two():
    a = index_sentences("C\n\n1.\tA\t3\n\n1. A\n\nOne two\n\nthree.\n")
    assert [(s.paragraph, s.text) for s in a] == [(1, "One two three.")]


def test_hash_is_sha256_of_the_normalised_utf8_text():
    assert sentence_hash("It cost  £14.2m\nin 2019/20.") == hashlib.sha256("It cost £14.2m in 2019/20.".encode("utf-8")).hexdigest()


def test_split_keeps_a_sentence_that_ends_without_a_capital_after_it():
    assert split_sentences("Rates fell 24%. then rose.") == ["Rates fell 24%. then rose."]


def test_sentence_index_of_the_guide_matches_a_reading_by_hand(guide):
    # Section 4, "Improved safety": its heading is paragraph 8, its text paragraph 9 of 7 sentences.
    assert guide.sentence("4", 8, 1).text == "Improved safety"
    para = [s for s in guide.sentences if (s.section, s.paragraph) == ("4", 9)]
    assert len(para) == 7
    assert para[4].text.startswith("A 2-year collaborative in the East Midlands featuring 12 clinical commissioning groups")
    # the page break inside section 3 ("these are / vital transferable skills") joins one sentence
    assert guide.sentence("3", 8, 2).text.endswith("these are vital transferable skills.")
    # section 4 has 13 paragraphs (7 text paragraphs and 6 benefit headings)
    assert max(s.paragraph for s in guide.sentences if s.section == "4") == 13
    # the authors' list in section 8: one sentence per line
    assert guide.sentence("8", 2, 2).text == "- Penny Pereira is the Managing Director of the Q Initiative"
    # no two sentences of the guide share a hash, so a hash names one sentence
    hashes = [s.sha256 for s in guide.sentences]
    assert len(hashes) == len(set(hashes))
