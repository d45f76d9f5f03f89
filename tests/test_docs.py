"""The documentation site (issues 6 and 10): generated pages are complete, safe and
agree with the data; expectations are read from the CSV files, not from the generator.

The browser checks of the built site are in tests/browser/.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))

pytest.importorskip("matplotlib", reason="the site generator draws the evidence map with matplotlib: pip install -e '.[docs]'")

from docs_build import markup  # noqa: E402
from docs_build.build import Site, build, expand_nav  # noqa: E402
from docs_build.evidence_map import evidence_frame, evidence_svg  # noqa: E402
from docs_build.project_pages import repo_links  # noqa: E402
from docs_build.read import Package  # noqa: E402
from docs_build.table_pages import TablePages  # noqa: E402


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def data(name: str) -> list[dict]:
    return csv_rows(ROOT / "data" / f"{name}.csv")


def table_names() -> list[str]:
    return [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return build(tmp_path_factory.mktemp("site-work"))


# -- a page per benefit and per example ------------------------------------------------------------


def test_a_page_per_benefit_with_its_heading_as_h1(site):
    for b in data("benefits"):
        page = site.pages[f"benefits/{b['benefit_id']}.md"]
        h1 = [line for line in page.splitlines() if line.startswith("# ")]
        assert h1 == [f"# {b['heading']}"], b["benefit_id"]


def test_a_page_per_example_with_its_name_as_h1(site):
    for e in data("examples"):
        page = site.pages[f"examples/{e['example_id']}.md"]
        assert [line for line in page.splitlines() if line.startswith("# ")] == [f"# {e['name']}"]


def _card(page: str, metric_id: str) -> str:
    m = re.search(rf'<div class="ie-figure[^"]*" data-metric="{re.escape(metric_id)}">(.*?)\n</div>', page, re.S)
    assert m, f"no card for figure {metric_id}"
    return m.group(1)


def test_every_figure_of_a_benefit_is_one_card_with_its_span_and_status(site):
    for m in data("metrics"):
        if not m["benefit_id"]:
            continue
        card = _card(site.pages[f"benefits/{m['benefit_id']}.md"], m["metric_id"])
        assert f"“{markup.esc(m['quote'])}”" in card, m["metric_id"]
        assert f">{m['verification_status'].replace('_', ' ')}</span>" in card, m["metric_id"]
        assert markup.esc(m["measure"]) in card


def test_every_figure_of_an_example_is_on_its_page(site):
    for m in data("metrics"):
        if m["example_id"]:
            _card(site.pages[f"examples/{m['example_id']}.md"], m["metric_id"])


def test_money_is_written_as_people_write_it(site):
    page = site.pages["benefits/" + next(m["benefit_id"] for m in data("metrics") if m["metric_id"] == "leeds-training-waste-reduction") + ".md"]
    card = _card(page, "leeds-training-waste-reduction")
    assert ">over £14.2m</h3>" in card
    assert "14200000" not in card


def test_a_discrepancy_stands_beside_the_primary_figures(site):
    page = site.pages["benefits/improved-safety.md"]
    group = page.split('data-metric="pincer-hazardous-prescribing-reduction"', 1)[0].rsplit('<div class="ie-group">', 1)[1]
    assert "they disagree, and both are kept" in group
    after = page.split('data-metric="pincer-hazardous-prescribing-reduction"', 1)[1].split('<div class="ie-group">', 1)[0]
    beside = [m["metric_id"] for m in data("metrics") if m["compares_with"] == "pincer-hazardous-prescribing-reduction"]
    assert beside and all(f'data-metric="{b}"' in after for b in beside)


def test_benefit_page_links_examples_rules_and_sources(site):
    page = site.pages["benefits/improved-safety.md"]
    for r in data("example_benefits"):
        if r["benefit_id"] == "improved-safety":
            assert f'href="../../examples/{r["example_id"]}/"' in page
    assert 'href="../../methods/#confidence"' in page and 'href="../../methods/#size-of-effect"' in page
    rating = next(r for r in data("evidence_ratings") if r["benefit_id"] == "improved-safety")
    assert f"<strong>{rating['confidence'].replace('-', ' ').capitalize()}</strong>" in page
    for s in data("sources"):
        if s["doi"] and f'id="source-{s["source_id"]}"' in page:
            assert f'href="https://doi.org/{s["doi"]}"' in page


def test_benefit_citation_has_guide_page_primary_source_and_version(site):
    page = site.pages["benefits/improved-safety.md"]
    cite = page.split('id="cite-improved-safety">', 1)[1].split("</p>", 1)[0]
    benefit = next(b for b in data("benefits") if b["benefit_id"] == "improved-safety")
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert f"p. {benefit['page']}" in cite
    assert "Bryan Jones and Penny Pereira" in cite
    assert "Primary source" in cite and f"version {version}" in cite


def test_data_injected_into_a_quote_renders_as_text(package_copy):
    path = package_copy / "data" / "metrics.csv"
    rows = csv_rows(path)
    target = next(r for r in rows if r["benefit_id"] == "improved-safety")
    target["quote"] = "<script>alert(1)</script> & more"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    from docs_build.evidence_pages import EvidencePages

    page = EvidencePages(Package(package_copy)).benefit_page("improved-safety")
    assert "<script>" not in page
    assert "“&lt;script&gt;alert(1)&lt;/script&gt; &amp; more”" in page


# -- evidence map ------------------------------------------------------------------------------------


def _map_counts(dimension: str) -> dict[tuple[str, str], int]:
    """benefit x approach counted from the CSVs: examples used for the benefit that use the approach."""
    uses = {(r["example_id"], r["approach_id"]) for r in data("example_approaches")}
    out: dict = {}
    for link in data("example_benefits"):
        for ex, a in uses:
            if ex == link["example_id"]:
                out[(link["benefit_id"], a)] = out.get((link["benefit_id"], a), 0) + 1
    return out


def test_map_links_every_benefit_and_every_non_empty_cell(site):
    page = site.pages["evidence-map.md"]
    table = page.split('id="map-approach"', 1)[1].split("</table>", 1)[0]
    for b in data("benefits"):
        assert f'href="../benefits/{b["benefit_id"]}/"' in table, b["benefit_id"]
    counts = _map_counts("approach")
    cells = re.findall(r'href="\.\./benefits/([^/]+)/#approach-([^"]+)" title="[^"]*">(\d+)</a>', table)
    assert {(b, a): int(n) for b, a, n in cells} == counts


def test_every_map_cell_lands_on_an_anchor_of_the_benefit_page(site):
    page = site.pages["evidence-map.md"]
    for b, anchor in re.findall(r'href="\.\./benefits/([^/]+)/#((?:approach|design)-[^"]+)"', page):
        assert f'id="{anchor}"' in site.pages[f"benefits/{b}.md"], (b, anchor)


def test_evidence_map_figure_has_alt_text(site):
    page = site.pages["evidence-map.md"]
    images = re.findall(r"!\[([^\]]*)\]\(([^)]*)\)", page)
    assert len(images) == 1
    alt, src = images[0]
    assert src == "assets/evidence-map.svg"
    assert f"{len(data('benefits'))} benefits" in alt and len(alt) > 80
    assert site.pages["assets/evidence-map.svg"].lstrip().startswith("<?xml")


def test_evidence_map_counts_match_the_csv_files():
    links, metrics = data("example_benefits"), data("metrics")
    frame, _ = evidence_frame(Package(ROOT))
    assert sorted(frame["benefit_id"]) == sorted(r["benefit_id"] for r in data("benefits"))
    for row in frame.to_dict("records"):
        b = row["benefit_id"]
        examples = {r["example_id"] for r in links if r["benefit_id"] == b}
        guide = [m for m in metrics if m["benefit_id"] == b and m["reported_in"] == "guide"]
        primary = [m for m in metrics if m["benefit_id"] == b and m["reported_in"] == "primary-source"]
        assert (row["examples"], row["guide figures"], row["primary-source figures"]) == (len(examples), len(guide), len(primary)), b


def test_svg_is_byte_for_byte_reproducible():
    pkg = Package(ROOT)
    frame, rating_col = evidence_frame(pkg)
    first, second = evidence_svg(pkg, frame, rating_col), evidence_svg(pkg, frame, rating_col)
    assert first == second and "<dc:date>" not in first


# -- downloads -------------------------------------------------------------------------------------


def test_download_csvs_are_the_data_files_byte_for_byte(site):
    for name in table_names():
        assert site.files[f"downloads/{name}.csv"].read_bytes() == (ROOT / "data" / f"{name}.csv").read_bytes(), name


def test_sha256sums_cover_every_download(site):
    sums = site.files["downloads/SHA256SUMS"].read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in sums}
    served = {rel.removeprefix("downloads/") for rel in site.files} - {"SHA256SUMS"}
    assert set(listed) == served
    for rel, digest in listed.items():
        assert hashlib.sha256(site.files[f"downloads/{rel}"].read_bytes()).hexdigest() == digest, rel
    for expected in ("evidence.csv", "datapackage.json", "parquet/metrics.parquet"):
        assert expected in listed
    assert any(p.endswith(".zip") for p in listed) and any(p.endswith(".xlsx") for p in listed) and any(p.endswith(".sqlite") for p in listed)


def test_downloads_page_links_every_file_and_states_version_and_hash(site):
    page = site.pages["downloads.md"]
    for rel in site.files:
        assert f'href="{rel.removeprefix("downloads/")}"' in page, rel
    from improvement_evidence.integrity import recorded_content_hash

    assert f'<code class="ie-hash">{recorded_content_hash(ROOT)}</code></p>' in page


@pytest.mark.skipif(not (shutil.which("sha256sum") and shutil.which("unzip")), reason="needs sha256sum and unzip")
def test_the_verify_commands_on_the_downloads_page_work_as_written(site, tmp_path):
    page = site.pages["downloads.md"]
    block = page.split("```bash\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "dl"
    shutil.copytree(site.files["downloads/SHA256SUMS"].parent, folder)
    cli = Path(sys.executable).parent / "improvement-evidence"
    for line in block.strip().splitlines():
        command = line.split("#", 1)[0].strip()
        if command.startswith("improvement-evidence ") and cli.is_file():
            command = f"{cli} " + command.removeprefix("improvement-evidence ")
        out = subprocess.run(command, shell=True, cwd=folder, capture_output=True, text=True)
        assert out.returncode == 0, (command, out.stdout, out.stderr)
    assert zipfile.ZipFile(next(folder.glob("*.zip"))).testzip() is None


# -- table pages and the data dictionary ---------------------------------------------------------------


def test_table_renderer_escapes_markup_and_ampersands():
    frame = pd.DataFrame({"id<b>": ["x\"y"], "text": ["<script>alert('x')</script> & more"]})
    out = markup.html_table(frame, row_ids=['a"><script>'], links={"id<b>": "../t/#"})
    assert out == (
        "<table>\n<thead><tr><th>id&lt;b&gt;</th><th>text</th></tr></thead>\n<tbody>\n"
        '<tr id="a&quot;&gt;&lt;script&gt;"><td><a href="../t/#x&quot;y">x&quot;y</a></td>'
        "<td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more</td></tr>\n</tbody>\n</table>"
    )


def test_only_web_and_relative_links_are_made():
    frame = pd.DataFrame({"url": ["javascript:alert(1)", "https://example.org/?a=1&b=2", "data:text/html,x"]})
    out = markup.html_table(frame, links={"url": ""})
    assert out.count("<a ") == 1
    assert "<td>javascript:alert(1)</td>" in out and "<td>data:text/html,x</td>" in out


def test_a_script_row_in_the_data_renders_as_text_on_its_table_page(package_copy):
    path = package_copy / "data" / "approaches.csv"
    rows = csv_rows(path)
    rows[0]["definition"] = "<script>alert(1)</script> Plan & Do"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    page = TablePages(Package(package_copy)).table_page("approaches")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Plan &amp; Do" in page


def test_every_table_page_lists_every_row_with_an_anchor(site):
    for name in table_names():
        page = site.pages[f"tables/{name}.md"]
        body = page.split('<div role="rowgroup" class="ie-grid__body">', 1)[1]
        rows = data(name)
        assert body.count('<div role="row"') == len(rows), name
        schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        pk = schema.get("primaryKey")
        if isinstance(pk, str) or (isinstance(pk, list) and len(pk) == 1):
            key = pk if isinstance(pk, str) else pk[0]
            for r in rows:
                assert f'<h3 role="cell" class="ie-grid__td ie-rowhead" id="{markup.esc(r[key])}"' in body, (name, r[key])


def test_table_page_codes_carry_labels_and_statuses_their_badges(site):
    page = site.pages["tables/metrics.md"]
    used = next(m["benefit_id"] for m in data("metrics") if m["benefit_id"])
    benefit = next(b for b in data("benefits") if b["benefit_id"] == used)
    assert f'<a href="../benefits/#{benefit["benefit_id"]}">{markup.esc(benefit["heading"])}</a> <code class="ie-code">{benefit["benefit_id"]}</code>' in page
    for status in {m["verification_status"] for m in data("metrics")}:
        assert f">{status.replace('_', ' ')}</span>" in page
    assert "<details><summary>" in page


def test_data_dictionary_lists_every_table_and_field_with_row_counts(site):
    page = site.pages["data-dictionary.md"]
    for name in table_names():
        schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        section = page.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"- **Rows:** {len(data(name))}\n" in section, name
        for field in schema["fields"]:
            assert f"<td>{field['name']}</td><td>{field.get('type', 'string')}</td>" in section, (name, field["name"])


# -- cite, cli, changelog ---------------------------------------------------------------------------------


def test_cite_page_shows_the_citation_as_text_with_version_and_hash_on_their_own_lines(site):
    from improvement_evidence.integrity import recorded_content_hash

    page = site.pages["cite.md"]
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert f'<p class="ie-version">Version <strong>{version}</strong></p>' in page
    assert f'<p class="ie-version">Content hash <code class="ie-hash">{recorded_content_hash(ROOT)}</code></p>' in page
    text = page.split('id="cite-dataset">', 1)[1].split("</p>", 1)[0]
    assert f"(Version {version}, content hash" in text and "```" not in text
    assert page.index('id="cite-dataset"') < page.index('data-copy="cite-dataset"')  # the button comes after the text


def test_guide_authors_agree_across_site_and_data(site):
    """The authors named on the site are the ones the package descriptor names."""
    desc = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    named = re.search(r"\(([^;()]+);", desc["sources"][0]["title"]).group(1)  # "(Bryan Jones, Penny Pereira; ..."
    expected = " and ".join(named.split(", "))
    assert f"({expected})" in site.pages["cite.md"]
    families = [n.split()[-1] for n in named.split(", ")]
    assert all(f"{f}, {n.split()[0][0]}." in site.pages["cite.md"] for f, n in zip(families, named.split(", ")))
    assert f"*A guide to making the case for improvement* ({expected};" in (DOCS / "index.md").read_text(encoding="utf-8").replace("\n", " ")


def test_every_cli_command_is_documented(site):
    from improvement_evidence import cli

    page = site.pages["cli.md"]
    for name in cli.COMMANDS:
        assert f"## {cli.PROG} {name}\n" in page and f"usage: {cli.PROG} {name}" in page


def test_changelog_page_carries_the_changelog(site):
    page = site.pages["changelog.md"]
    for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines():
        if "](" not in line and not line.startswith("["):
            assert line in page
    assert "](docs/" not in page


def test_repository_links_are_rewritten_for_the_site():
    text = "See [the policy](docs/versioning.md) and [errata](ERRATA.md).\n[1.0.0]: https://example.org/v1\n[x]: ERRATA.md\n"
    assert repo_links(text, "https://github.com/o/r") == (
        "See [the policy](versioning.md) and [errata](https://github.com/o/r/blob/main/ERRATA.md).\n"
        "[1.0.0]: https://example.org/v1\n[x]: https://github.com/o/r/blob/main/ERRATA.md\n"
    )


@pytest.mark.parametrize("page", ["getting-started.md", "index.md"])
def test_python_examples_on_the_page_run(page):
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), re.S)
    assert blocks
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), namespace)


def test_python_example_on_the_api_page_runs(site, capsys):
    block = re.findall(r"```python\n(.*?)```", site.pages["api.md"], re.S)[0]
    exec(compile(block, "api.md", "exec"), {})
    assert "content hash sha256:" in capsys.readouterr().out


def test_api_page_documents_the_public_functions(site):
    page = site.pages["api.md"]
    for name in ("load.load", "load_table", "appraisal.evidence", "appraisal.gap_matrix", "citation.cite", "integrity.verify",
                 "validation.validate", "export.export", "diff.diff", "figures.render"):
        assert f"::: improvement_evidence.{name}\n" in page, name


def test_no_sphinx_role_markup_reaches_a_page():
    from docs_build.api_page import plain_roles

    assert plain_roles("A :class:<code>Dataset</code>: see :func:<code>load</code>.") == "A <code>Dataset</code>: see <code>load</code>."


def test_python_example_on_the_map_page_runs(site):
    block = re.findall(r"```python\n(.*?)```", site.pages["evidence-map.md"], re.S)[0]
    namespace: dict = {}
    exec(compile(block, "evidence-map.md", "exec"), namespace)
    assert len(namespace["by_approach"]) == len(data("benefits"))


def test_methods_page_includes_the_rating_rules():
    assert (DOCS / "rating-rules.md").is_file()
    assert '--8<-- "rating-rules.md"' in (DOCS / "methods.md").read_text(encoding="utf-8")


# -- nav, generation, the make-the-case page ------------------------------------------------------------------


def _nav_files(entries) -> list[str]:
    out = []
    for e in entries:
        value = next(iter(e.values())) if isinstance(e, dict) else e
        out += _nav_files(value) if isinstance(value, list) else [value]
    return out


def test_nav_lists_every_page_and_only_pages_that_exist(site):
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "python"))
    nav = _nav_files(expand_nav(config["nav"], site))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")} | {p for p in site.pages if p.endswith(".md")}
    assert sorted(set(nav) - pages) == [], "nav entries with no page"
    assert sorted(pages - set(nav) - {"rating-rules.md"}) == [], "pages missing from the nav"
    assert len([p for p in nav if p.startswith("benefits/") and p != "benefits/index.md"]) == len(data("benefits"))


def test_no_generated_page_is_committed(site):
    committed = [rel for rel in [*site.pages, *site.files] if (DOCS / rel).exists()]
    assert committed == [], "generated at build time; delete the committed copies"


def test_check_reports_a_committed_copy_of_a_generated_page(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "tools"))
    import gen_docs

    docs = tmp_path / "docs"
    (docs / "tables").mkdir(parents=True)
    (docs / "tables" / "areas.md").write_text("# old copy\n", encoding="utf-8")
    assert gen_docs.main(["--check", "--docs", str(docs)]) == 1
    assert f"stale: {docs / 'tables' / 'areas.md'} is generated at build time" in capsys.readouterr().err
    (docs / "tables" / "areas.md").unlink()
    assert gen_docs.main(["--check", "--docs", str(docs)]) == 0


def test_make_the_case_is_left_out_without_briefs_and_built_with_them(tmp_path, monkeypatch):
    import improvement_evidence as ie

    # A package without briefs: brief() is imported lazily, so the site's
    # reader is told there is none.
    monkeypatch.setattr(Package, "brief_function", staticmethod(lambda: None))
    site = build(tmp_path / "without")
    assert "make-the-case.md" not in site.pages and site.nav["make-the-case.md"] is None
    assert {"Make the case": "make-the-case.md"} not in expand_nav([{"Make the case": "make-the-case.md"}], site)

    calls = []

    def fake_brief(audience, benefits=None, areas=None, format="md", path=None):
        # brief() returns the brief (text, or bytes for docx); path names a package
        calls.append((audience, format, path))
        return f"{audience} {format}\n" if format != "docx" else f"{audience} {format}\n".encode()

    monkeypatch.setattr(Package, "brief_function", staticmethod(lambda: fake_brief))
    site = build(tmp_path / "with")
    assert sorted(calls) == sorted((a, f, None) for a in ("policy", "executive", "operational", "front-line") for f in ("md", "docx"))
    assert sorted(site.copies) == sorted(f"briefs/{a}.{f}" for a in ("policy", "executive", "operational", "front-line") for f in ("md", "docx"))
    for rel in site.copies:
        assert f'href="../{rel}"' in site.pages["make-the-case.md"]


@pytest.mark.slow
def test_site_builds_strict(tmp_path):
    pytest.importorskip("mkdocs")
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    html = (tmp_path / "site" / "evidence-map" / "index.html").read_text(encoding="utf-8")
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'src="../assets/evidence-map.svg"' in img and re.search(r'alt="[^"]{80,}"', img)
    for name in table_names():
        assert (tmp_path / "site" / "downloads" / f"{name}.csv").read_bytes() == (ROOT / "data" / f"{name}.csv").read_bytes()
