"""The cross-table checks of issue 12, each fed the real defect it exists for.

Every test edits a copy of the shipped package the way a curator could get it
wrong, re-records the file hashes (so the defect is caught for what it is, not
as a changed hash) and asserts the exact (code, table, row, field) that
validate() reports. Rows are spreadsheet rows (header 1, first data row 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import defects
from improvement_evidence.validation import CODES, validate

NEW_CODES = ("evaluation-relation", "year-date-mismatch", "list-in-cell", "guide-authors",
             "anchor-unresolved", "anchor-stale", "unanchored-sentence")


@pytest.fixture
def pkg(tmp_path) -> Path:
    return defects.copy_package(tmp_path / "pkg")


def found(root: Path) -> set[tuple]:
    return {(e.code, e.table, e.row, e.field) for e in validate(root).errors}


def index_of(root: Path, name: str, **match) -> int:
    return defects.first_index(root, name, lambda r: all(r[k] == v for k, v in match.items()))


def test_the_codes_are_registered_and_the_shipped_package_has_none_of_them():
    assert set(NEW_CODES) <= set(CODES)
    assert not {e.code for e in validate().errors} & set(NEW_CODES)


def test_an_evaluation_of_a_source_linked_only_as_description(pkg):
    i = index_of(pkg, "example_sources", example_id="pincer", source_id="rodgers-2022-pincer-plos-med")
    defects.set_cell(pkg, "example_sources", i, "relation", "description")
    row = index_of(pkg, "evaluations", evaluation_id="pincer-rodgers-2022-multiple-its") + 2
    defects.rehash(pkg)
    assert ("evaluation-relation", "evaluations", row, "source_id") in found(pkg)


def test_an_evaluation_with_no_link_at_all(pkg):
    header, rows = defects.read_table(pkg, "example_sources")
    keep = [r for r in rows if not (r[0] == "hip-fracture-qi-programme" and r[1] == "neuburger-2015-hip-fracture-med-care")]
    assert len(keep) == len(rows) - 1
    defects.write_table(pkg, "example_sources", header, keep)
    row = index_of(pkg, "evaluations", evaluation_id="hip-neuburger-2015-its") + 2
    defects.rehash(pkg)
    assert ("evaluation-relation", "evaluations", row, "source_id") in found(pkg)


def test_a_year_that_disagrees_with_the_date(pkg):
    i = index_of(pkg, "sources", source_id="yau-2020-clinical-negligence-bmj")
    assert defects.cell(pkg, "sources", i, "date") == "2020-03-02"
    row = defects.set_cell(pkg, "sources", i, "year", "2019")
    defects.rehash(pkg)
    assert ("year-date-mismatch", "sources", row, "year") in found(pkg)


def test_a_date_without_its_year(pkg):
    i = index_of(pkg, "sources", source_id="yau-2020-clinical-negligence-bmj")
    row = defects.set_cell(pkg, "sources", i, "year", "")
    defects.rehash(pkg)
    assert ("year-date-mismatch", "sources", row, "year") in found(pkg)


def test_a_list_in_a_one_value_cell(pkg):
    i = index_of(pkg, "sources", source_id="yau-2020-clinical-negligence-bmj")
    row = defects.set_cell(pkg, "sources", i, "url",
                           "https://www.bmj.com/content/368/bmj.m552.full; https://pmc.ncbi.nlm.nih.gov/articles/PMC7190376")
    defects.rehash(pkg)
    assert ("list-in-cell", "sources", row, "url") in found(pkg)


def test_a_list_in_free_text_is_allowed(pkg):
    """seen_at lists every address a record was seen at, by design."""
    i = index_of(pkg, "sources", source_id="yau-2020-clinical-negligence-bmj")
    assert ";" in defects.cell(pkg, "sources", i, "seen_at")
    assert not any(code == "list-in-cell" for code, *_ in found(pkg))


def test_the_guide_record_without_its_authors(pkg):
    i = index_of(pkg, "sources", source_type="guide")
    row = defects.set_cell(pkg, "sources", i, "authors", "")
    defects.rehash(pkg)
    assert ("guide-authors", "sources", row, "authors") in found(pkg)


def test_the_guide_record_with_one_author_missing(pkg):
    i = index_of(pkg, "sources", source_type="guide")
    row = defects.set_cell(pkg, "sources", i, "authors", "Jones B")
    defects.rehash(pkg)
    assert ("guide-authors", "sources", row, "authors") in found(pkg)


def test_citation_cff_that_disagrees_about_the_guide(pkg, repo_root):
    cff = (Path(repo_root) / "CITATION.cff").read_text(encoding="utf-8")
    assert 'family-names: "Jones"' in cff
    (pkg / "CITATION.cff").write_text(cff, encoding="utf-8")
    assert not any(e.code == "guide-authors" for e in validate(pkg).errors)  # the shipped file agrees
    broken = cff.replace('      - family-names: "Jones"\n        given-names: "Bryan"\n', "")
    assert broken != cff
    (pkg / "CITATION.cff").write_text(broken, encoding="utf-8")
    row = index_of(pkg, "sources", source_type="guide") + 2
    errors = [e for e in validate(pkg).errors if e.code == "guide-authors"]
    assert [(e.table, e.row, e.field) for e in errors] == [("sources", row, "authors")]
    assert "found Penny Pereira" in errors[0].message


def test_an_anchor_that_names_no_row(pkg):
    i = index_of(pkg, "summary_anchors", table="benefits", row_id="improved-safety", summary_sentence="1", anchor="1")
    row = defects.set_cell(pkg, "summary_anchors", i, "row_id", "no-such-benefit")
    defects.rehash(pkg)
    assert ("anchor-unresolved", "summary_anchors", row, "row_id") in found(pkg)


def test_a_hedge_exception_that_names_no_row(pkg):
    row = defects.set_cell(pkg, "hedge_exceptions", 0, "row_id", "no-such-example")
    defects.rehash(pkg)
    assert ("anchor-unresolved", "hedge_exceptions", row, "row_id") in found(pkg)


def test_a_summary_edited_after_it_was_anchored(pkg):
    i = index_of(pkg, "benefits", benefit_id="improved-safety")
    text = defects.cell(pkg, "benefits", i, "summary")
    defects.set_cell(pkg, "benefits", i, "summary", text.replace("Front-line teams can use", "Front-line teams use", 1))
    row = index_of(pkg, "summary_anchors", table="benefits", row_id="improved-safety", summary_sentence="1", anchor="1") + 2
    defects.rehash(pkg)
    assert ("anchor-stale", "summary_anchors", row, "summary_sentence_sha256") in found(pkg)


def test_an_anchor_past_the_end_of_its_summary(pkg):
    i = index_of(pkg, "summary_anchors", table="examples", row_id="gp-total-triage", summary_sentence="2", anchor="1")
    row = defects.set_cell(pkg, "summary_anchors", i, "summary_sentence", "9")
    defects.rehash(pkg)
    assert ("anchor-stale", "summary_anchors", row, "summary_sentence") in found(pkg)


def test_a_summary_sentence_without_an_anchor(pkg):
    header, rows = defects.read_table(pkg, "summary_anchors")
    keep = [r for r in rows if not (r[0] == "examples" and r[1] == "gp-total-triage" and r[2] == "2")]
    assert len(keep) < len(rows)
    defects.write_table(pkg, "summary_anchors", header, keep)
    row = index_of(pkg, "examples", example_id="gp-total-triage") + 2
    defects.rehash(pkg)
    errors = [e for e in validate(pkg).errors if e.code == "unanchored-sentence"]
    assert [(e.table, e.row, e.field) for e in errors] == [("examples", row, "summary")]
    assert "sentence(s) 2 without one" in errors[0].message
