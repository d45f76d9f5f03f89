"""Checks of a served site through a real browser; each returns a list of problems.

The same checks run on the real site (expecting no problem) and on copies
with a planted defect (expecting exactly that problem), so a check that
cannot fail is noticed. Expectations come from the CSV files in data/.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[2]


def data(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Visitor:
    """A browser context that records every request and every console error."""

    def __init__(self, browser, base: str, width: int = 1400, height: int = 900):
        self.base = base
        self.requests: list[str] = []
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(f"{self.page.url}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"{self.page.url}: {e}"))

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.base):
            route.continue_()
        else:
            self.external.append(url)  # recorded and refused: nothing may leave 127.0.0.1
            route.abort()

    def open(self, path: str):
        response = self.page.goto(urljoin(self.base, path), wait_until="load")
        return response

    def close(self):
        self.context.close()


# -- figures of a benefit: one card each, with span and badge, inside the viewport ---------------------


def figure_problems(v: Visitor, benefit_id: str, width: int = 390) -> list[str]:
    problems = []
    response = v.open(f"benefits/{benefit_id}/")
    if response is None or response.status != 200:
        return [f"benefits/{benefit_id}/: HTTP {response.status if response else 'no response'}"]
    for m in data("metrics"):
        if m["benefit_id"] != benefit_id:
            continue
        where = f"benefits/{benefit_id}/ figure {m['metric_id']}"
        cards = v.page.locator(f'.ie-figure[data-metric="{m["metric_id"]}"]')
        if cards.count() != 1:
            problems.append(f"{where}: {cards.count()} cards, expected 1")
            continue
        card = cards.first
        text = squash(card.inner_text())
        if squash(m["quote"]) not in text:
            problems.append(f"{where}: verbatim span missing from its card")
        label = m["verification_status"].replace("_", " ")
        badges = card.locator(".ie-badge", has_text=label)
        if badges.count() != 1:
            problems.append(f"{where}: no '{label}' badge in its card")
        box = card.bounding_box()
        if box is None or box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
            problems.append(f"{where}: card not inside the {width} px viewport ({box})")
        elif badges.count() == 1:
            b = badges.first.bounding_box()
            if b is None or b["x"] < box["x"] or b["x"] + b["width"] > box["x"] + box["width"] + 0.5:
                problems.append(f"{where}: badge outside its card")
    return problems


# -- downloads --------------------------------------------------------------------------------------------


def download_problems(v: Visitor) -> list[str]:
    """Every link on the downloads page resolves; table CSVs equal data/; SHA256SUMS holds."""
    problems = []
    v.open("downloads/")
    hrefs = v.page.eval_on_selector_all("article a[href]", "els => els.map(e => e.href)")
    files = [h for h in hrefs if h.startswith(v.base) and "#" not in h]
    bodies = {}
    for url in dict.fromkeys(files):
        r = v.context.request.get(url)
        if r.status != 200:
            problems.append(f"download link {url[len(v.base):]}: HTTP {r.status}")
            continue
        bodies[url[len(v.base):]] = r.body()
    for name in (p.stem for p in (ROOT / "data").glob("*.csv")):
        rel = f"downloads/{name}.csv"
        if rel not in bodies:
            problems.append(f"{rel}: not linked from the downloads page or not served")
        elif bodies[rel] != (ROOT / "data" / f"{name}.csv").read_bytes():
            problems.append(f"{rel}: differs from data/{name}.csv")
    sums = bodies.get("downloads/SHA256SUMS")
    if sums is None:
        problems.append("downloads/SHA256SUMS: not served")
    else:
        for line in sums.decode("utf-8").splitlines():
            digest, rel = line.split("  ", 1)
            body = bodies.get(f"downloads/{rel}")
            if body is not None and hashlib.sha256(body).hexdigest() != digest:
                problems.append(f"downloads/{rel}: SHA-256 differs from SHA256SUMS")
    return problems


# -- requests and console ------------------------------------------------------------------------------


def page_paths(site: Path) -> list[str]:
    """Every HTML page of a built site, as a path relative to its root."""
    out = []
    for p in site.rglob("index.html"):
        rel = p.parent.relative_to(site).as_posix()
        out.append("" if rel == "." else rel + "/")
    return sorted(out)


def visit_problems(v: Visitor, paths: list[str]) -> list[str]:
    for path in paths:
        response = v.open(path)
        if response is None or response.status != 200:
            v.console_errors.append(f"{path}: HTTP {response.status if response else 'no response'}")
    return [f"request left 127.0.0.1: {u}" for u in dict.fromkeys(v.external)] + [f"console error: {e}" for e in v.console_errors]
