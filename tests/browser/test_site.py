"""The built site in a real browser (Debian's chromium driven by Playwright), served on 127.0.0.1.

Each check also runs on a copy of the site with a planted defect, and must
report it: a figure without its badge, a dead download link, an external font.
"""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import urljoin

import pytest

from .conftest import serve
from .site_checks import Visitor, data, download_problems, figure_problems, page_paths, visit_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def visitor(browser, site_url):
    v = Visitor(browser, site_url)
    yield v
    v.close()


@pytest.fixture
def phone(browser, site_url):
    v = Visitor(browser, site_url, width=390, height=844)
    yield v
    v.close()


def test_every_benefit_and_example_page_exists_with_its_h1(visitor):
    for kind, rows, key, title in (("benefits", data("benefits"), "benefit_id", "heading"),
                                   ("examples", data("examples"), "example_id", "name")):
        for row in rows:
            response = visitor.open(f"{kind}/{row[key]}/")
            assert response.status == 200, row[key]
            assert visitor.page.locator("article h1").inner_text().strip().rstrip("¶").strip() == row[title]


def test_every_figure_of_a_benefit_is_in_one_card_with_span_and_badge_inside_390px(phone):
    problems = []
    for b in data("benefits"):
        problems += figure_problems(phone, b["benefit_id"])
    assert problems == []
    assert sum(1 for m in data("metrics") if m["benefit_id"]) > 0


def test_the_map_links_every_benefit_page_and_every_cell_lands_on_its_evidence(visitor):
    visitor.open("evidence-map/")
    links = visitor.page.eval_on_selector_all("#map-approach a[href], #map-design a[href]", "els => els.map(e => e.href)")
    benefit_pages = {u.split("#")[0] for u in links}
    assert benefit_pages == {urljoin(visitor.base, f"benefits/{b['benefit_id']}/") for b in data("benefits")}
    for url in sorted({u for u in links if "#" in u}):
        visitor.page.goto(url)
        anchor = url.split("#", 1)[1]
        assert visitor.page.locator(f'[id="{anchor}"]').count() == 1, url


def test_the_home_page_reaches_the_map_in_one_click(visitor):
    visitor.open("")
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.locator("article a", has_text="Evidence map").first.click()
    assert visitor.page.url.endswith("/evidence-map/")
    assert visitor.page.locator("#map-approach").count() == 1


def test_map_and_key_pages_fit_a_phone_without_sideways_scrolling(phone):
    for path in ("", "evidence-map/", "downloads/", "cite/", "benefits/improved-safety/", "tables/metrics/"):
        phone.open(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)


def test_every_download_resolves_and_the_csvs_equal_data(visitor):
    assert download_problems(visitor) == []


def test_no_request_leaves_127_0_0_1_and_no_console_errors(visitor, built_site):
    paths = page_paths(built_site)
    assert "benefits/improved-safety/" in paths and "evidence-map/" in paths
    assert visit_problems(visitor, paths) == []
    assert len(visitor.requests) > len(paths)  # pages, stylesheets, scripts, images: all recorded


def test_a_table_row_anchor_is_highlighted_and_search_lands_on_rows_and_figures(visitor, built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"] for d in index["docs"]}
    for m in data("metrics"):
        assert f"tables/metrics/#{m['metric_id']}" in locations
        if m["benefit_id"]:
            assert f"benefits/{m['benefit_id']}/#{m['metric_id']}" in locations
    metric = data("metrics")[0]["metric_id"]
    visitor.open(f"tables/metrics/#{metric}")
    colour = visitor.page.eval_on_selector(f'[id="{metric}"]', "e => getComputedStyle(e).backgroundColor")
    other = visitor.page.eval_on_selector(f'[id="{data("metrics")[1]["metric_id"]}"]', "e => getComputedStyle(e).backgroundColor")
    assert colour != other, "the targeted row is not highlighted"


def test_the_copy_button_sits_below_the_citation_at_390px(phone):
    phone.open("cite/")
    text = phone.page.locator("#cite-dataset").bounding_box()
    button = phone.page.locator('button[data-copy="cite-dataset"]').bounding_box()
    assert text["x"] + text["width"] <= 390 and button["y"] >= text["y"] + text["height"]


# -- planted defects: each check must report its defect ------------------------------------------------


@pytest.fixture
def site_copy(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def test_a_figure_without_its_badge_is_caught(browser, site_copy):
    page = site_copy / "benefits" / "improved-safety" / "index.html"
    html = page.read_text(encoding="utf-8")
    metric = "pincer-hazardous-prescribing-reduction"
    card_start = html.index(f'data-metric="{metric}"')
    badge = re.compile(r'<span class="ie-badge[^"]*"[^>]*>[^<]*</span>')
    m = badge.search(html, card_start)
    page.write_text(html[: m.start()] + html[m.end():], encoding="utf-8")
    with serve(site_copy) as url:
        v = Visitor(browser, url, width=390, height=844)
        try:
            problems = figure_problems(v, "improved-safety")
        finally:
            v.close()
    assert problems == [f"benefits/improved-safety/ figure {metric}: no 'discrepancy noted' badge in its card"]


def test_a_dead_download_link_is_caught(browser, site_copy):
    (site_copy / "downloads" / "metrics.csv").unlink()
    with serve(site_copy) as url:
        v = Visitor(browser, url)
        try:
            problems = download_problems(v)
        finally:
            v.close()
    assert "download link downloads/metrics.csv: HTTP 404" in problems


def test_an_external_font_is_caught(browser, site_copy):
    page = site_copy / "index.html"
    font = '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
    page.write_text(page.read_text(encoding="utf-8").replace("</head>", font + "</head>", 1), encoding="utf-8")
    with serve(site_copy) as url:
        v = Visitor(browser, url)
        try:
            problems = visit_problems(v, [""])
        finally:
            v.close()
    assert "request left 127.0.0.1: https://fonts.googleapis.com/css?family=Roboto" in problems


def test_this_process_may_reach_loopback_only(allow_loopback, site_url):
    import socket
    import urllib.request

    with urllib.request.urlopen(site_url + "downloads/SHA256SUMS") as r:
        assert r.status == 200 and b"metrics.csv" in r.read()
    with pytest.raises(OSError, match="only loopback is allowed"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(OSError, match="only loopback is allowed"):
        socket.getaddrinfo("example.org", 443)
