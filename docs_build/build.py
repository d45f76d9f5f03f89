"""Everything generated for the site, in one object: pages, downloads, nav.

:func:`build` is called by the mkdocs hook (``docs_build/hooks.py``) on every
``mkdocs build`` and by ``tools/gen_docs.py``. Output is deterministic: the
same data gives the same pages, figure and download bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import api_page, downloads, evidence_map, make_the_case, project_pages
from .evidence_pages import EvidencePages
from .read import ROOT, Package
from .table_pages import TablePages


@dataclass
class Site:
    """What the generator adds to a site build.

    ``pages``: docs-relative path -> text (Markdown pages and the SVG figure);
    ``files``: docs-relative path -> a built file served as is (downloads);
    ``copies``: site-relative path -> a file copied into the built site after
    the build (the briefs: Markdown files that must not be rendered as pages);
    ``nav``: the nav entries that stand for a generated family, keyed by the
    index page that marks their place in ``mkdocs.yml``.
    """

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    nav: dict[str, list | None] = field(default_factory=dict)


def build(workdir: Path, package: Path = ROOT) -> Site:
    """Generate every page and download for ``package``; built files go under ``workdir``.

    Its output is tested in tests/test_docs.py (a build takes seconds: no doctest here).
    """
    pkg = Package(package)
    site = Site()
    evidence = EvidencePages(pkg)
    tables = TablePages(pkg)
    site.pages.update(evidence.pages())
    site.pages.update(evidence_map.page(pkg))
    site.pages.update(tables.pages())
    site.pages["cite.md"] = project_pages.cite_page(pkg)
    site.pages["cli.md"] = project_pages.cli_page()
    site.pages["changelog.md"] = project_pages.changelog_page(pkg)
    site.pages[api_page.PAGE] = api_page.page(pkg)

    made = downloads.build(pkg, Path(workdir) / downloads.FOLDER)
    site.pages[downloads.PAGE] = downloads.page(pkg, made)
    for d in made:
        site.files[f"{downloads.FOLDER}/{d.path}"] = Path(workdir) / downloads.FOLDER / d.path

    briefs = make_the_case.build(pkg, Path(workdir) / make_the_case.FOLDER)
    if briefs:
        site.pages[make_the_case.PAGE] = make_the_case.page(pkg, briefs)
        for rel in briefs:
            site.copies[f"{make_the_case.FOLDER}/{rel}"] = Path(workdir) / make_the_case.FOLDER / rel
    benefit_nav, example_nav = evidence.nav()
    site.nav = {
        "benefits/index.md": benefit_nav,
        "examples/index.md": example_nav,
        "tables/index.md": tables.nav(),
        make_the_case.PAGE: [] if briefs else None,  # None: leave the entry out
    }
    return site


def expand_nav(nav: list, site: Site) -> list:
    """``nav`` (from mkdocs.yml) with each generated family's marker replaced by its entries.

    A marker is an entry whose page is a key of ``site.nav``: ``- Benefits: benefits/index.md``
    becomes a section listing every benefit page; a marker mapped to None is dropped.

    Examples:
        >>> s = Site(nav={"t/index.md": [{"All": "t/index.md"}, {"a": "t/a.md"}], "x.md": None})
        >>> expand_nav([{"Home": "index.md"}, {"T": "t/index.md"}, {"X": "x.md"}], s)
        [{'Home': 'index.md'}, {'T': [{'All': 't/index.md'}, {'a': 't/a.md'}]}]
    """
    out = []
    for entry in nav:
        if isinstance(entry, dict) and len(entry) == 1:
            (title, value), = entry.items()
            if isinstance(value, list):
                out.append({title: expand_nav(value, site)})
                continue
            if isinstance(value, str) and value in site.nav:
                entries = site.nav[value]
                if entries is None:
                    continue
                out.append({title: entries} if entries else entry)
                continue
        out.append(entry)
    return out
