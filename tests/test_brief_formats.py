"""Brief formats (issue 11): HTML escapes everything, Word has real
structure and opens in LibreOffice, and the same input gives the same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import improvement_evidence as ie
from improvement_evidence.csvio import write_csv
from brief_text import docx_text

docx = pytest.importorskip("docx")

HOSTILE = "<script>alert(\"x\")</script> & 'q' <img src=x onerror=alert(1)>"


def _edit(pkg: Path, table: str, key: str, value: str, field: str, text: str) -> None:
    """Set one cell in a package copy, written in the package's canonical CSV
    form, and record the file's new hash and size."""
    frame = ie.load_table(table, pkg)
    frame[field] = frame[field].astype("object")
    frame.loc[frame[key] == value, field] = text
    write_csv(frame, table, pkg, out=pkg / "data" / f"{table}.csv")
    refresh(pkg, table)


def refresh(pkg: Path, table: str) -> None:
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    raw = (pkg / "data" / f"{table}.csv").read_bytes()
    for r in desc["resources"]:
        if r["name"] == table:
            r["hash"], r["bytes"] = "sha256:" + hashlib.sha256(raw).hexdigest(), len(raw)
    (pkg / "datapackage.json").write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def hostile_package(package_copy):
    # A figure's measure, not a summary: an edited summary no longer matches its
    # anchors, and validate (rightly) refuses the package before any brief is made.
    _edit(package_copy, "metrics", "metric_id", "pincer-hazardous-prescribing-reduction", "measure", HOSTILE)
    _edit(package_copy, "audiences", "audience_id", "front-line", "definition", HOSTILE)
    _edit(package_copy, "sources", "source_id", "rodgers-2022-pincer-plos-med", "title", HOSTILE)
    _edit(package_copy, "benefit_audiences", "benefit_id", "improved-safety", "rationale", HOSTILE + " and words enough")
    return package_copy


def test_hostile_text_is_escaped_in_html(hostile_package):
    page = ie.brief("front-line", path=hostile_package, format="html")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "onerror=alert(1)&gt;" in page  # shown as text, not run
    esc = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
    assert page.count(esc) >= 4  # measure, definition, rationale, the source's title in the references
    # no tag other than the page's own
    tags = set(re.findall(r"<([a-zA-Z0-9]+)", page))
    assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "strong", "em", "ul", "li",
                    "section", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "span", "a", "code"}


def test_hostile_text_is_escaped_in_markdown_and_kept_exact_in_word_and_json(hostile_package):
    md = ie.brief("front-line", path=hostile_package)
    assert re.search(r"(?<!\\)<", md) is None and "\\<script\\>" in md  # every < escaped
    text = docx_text(ie.brief("front-line", path=hostile_package, format="docx"))
    assert HOSTILE in text
    doc = json.loads(ie.brief("front-line", path=hostile_package, format="json"))
    assert doc["audience"]["definition"] == HOSTILE


def test_html_is_self_contained_and_printable():
    page = ie.brief("executive", format="html")
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert re.search(r"""(src|href)=(["'])(?!https?://|#)""", page) is None
    assert "@media print" in page and "@page" in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_a_link_that_is_not_http_is_not_made_a_link():
    # the schema refuses such a url in sources; the renderer refuses it as well
    from improvement_evidence.briefs.as_html import _link

    assert _link("javascript:alert(1)", "Rodgers") == "Rodgers"
    assert _link('https://x.org/"onmouseover="a', "R") == "R"
    assert _link("https://doi.org/10.1/a&b", "R") == '<a href="https://doi.org/10.1/a&amp;b">R</a>'


def test_word_has_real_headings_a_table_per_benefit_and_references(tmp_path):
    raw = ie.brief("executive", format="docx")
    d = docx.Document(io.BytesIO(raw))
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert heads[0] == ("Heading 1", "The case for improvement: an evidence brief for executive audiences")
    h2 = [t for s, t in heads if s == "Heading 2"]
    ds = ie.load()
    picked = ds.benefit_audiences[ds.benefit_audiences["audience_id"] == "executive"].sort_values("order")
    headings = dict(zip(ds.benefits["benefit_id"], ds.benefits["heading"]))
    assert h2 == ["How to read this", *[f"{i}. {headings[b]}" for i, b in enumerate(picked["benefit_id"], 1)],
                  "Caveats", "References", "Reproducibility"]
    with_figures = [b for b in picked["benefit_id"] if (ds.metrics["benefit_id"] == b).any()]
    assert len(d.tables) == len(with_figures)
    assert [c.text for c in d.tables[0].rows[0].cells] == ["Figure", "What it measures", "Where it is stated", "Verification"]
    refs = d.paragraphs[[p.text for p in d.paragraphs].index("References") + 1:]
    assert refs[0].text.startswith("Jones, B., & Pereira, P. (n.d.). A guide to making the case for improvement.")


def test_word_opens_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; the python-docx re-read above still runs")
    src = tmp_path / "brief.docx"
    src.write_bytes(ie.brief("front-line", format="docx"))
    profile = tmp_path / "lo-profile"
    out = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "txt:Text",
         "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=180,
    )
    txt = tmp_path / "brief.txt"
    assert txt.exists(), out.stderr or out.stdout
    text = txt.read_text(encoding="utf-8-sig")
    assert "The case for improvement: an evidence brief for front-line audiences" in text
    assert "approximately 24%" in text and "16.7%" in text and "References" in text


def test_word_is_byte_identical_and_dated_by_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = ie.brief("policy", format="docx"), ie.brief("policy", format="docx")
    assert a == b
    created = ie.descriptor()["created"][:10]
    core = zipfile.ZipFile(io.BytesIO(a)).read("docProps/core.xml").decode()
    assert f"<dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}T00:00:00Z" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    c = ie.brief("policy", format="docx")
    assert c != a and c == ie.brief("policy", format="docx")
    z = zipfile.ZipFile(io.BytesIO(c))
    assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()
    assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_a_bad_source_date_epoch_is_one_clear_error(monkeypatch):
    from improvement_evidence.briefs import BriefError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BriefError, match=r"^SOURCE_DATE_EPOCH must be a whole number of seconds since 1970; found 'yesterday'$"):
        ie.brief("policy", format="docx")
