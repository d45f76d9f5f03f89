"""The "Make the case" page: a brief per audience, ready to download.

The briefs are written by ``improvement_evidence.brief`` (one per audience, as
Markdown and Word) at build time and copied into the built site under
``briefs/`` (as files, not pages: a ``.md`` among the docs would be rendered). Where the
installed package has no ``brief`` yet, :func:`build` returns nothing and the
page and its nav entry are left out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .read import AUDIENCES, Package

PAGE = "make-the-case.md"
FOLDER = "briefs"
FORMATS = ("md", "docx")
# What each audience is asked to decide; shown beside its brief.
FOR = {
    "policy": "national and regional bodies setting policy and funding",
    "executive": "boards and executive teams",
    "operational": "service and operational managers",
    "front-line": "clinical and front-line teams",
}


def available(pkg: Package) -> bool:
    return pkg.brief_function() is not None


def build(pkg: Package, out: Path) -> list[str]:
    """Write ``<audience>.md`` and ``.docx`` for every audience into ``out``; the
    paths written, relative to ``out`` (none when ``brief`` is not available)."""
    if not available(pkg):
        return []
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    made = []
    for audience in AUDIENCES:
        for fmt in FORMATS:
            pkg.write_brief(audience, fmt, out / f"{audience}.{fmt}")
            made.append(f"{audience}.{fmt}")
    return made


def page(pkg: Package, made: list[str]) -> str:
    from .markup import BANNER, card_table, esc

    rows = []
    for audience in AUDIENCES:
        files = [f'<a href="../{esc(FOLDER)}/{esc(audience)}.{fmt}" download>{"Word" if fmt == "docx" else "Markdown"}</a>'
                 for fmt in FORMATS if f"{audience}.{fmt}" in made]
        rows.append([esc(audience.replace("-", " ").capitalize()), esc(FOR.get(audience, "")), " · ".join(files)])
    return "\n".join([
        "---\nhide:\n  - toc\n---\n",
        BANNER,
        "# Make the case\n",
        "A brief for each audience you may need to convince, built from this version of the data with every "
        "figure worded as on the benefit pages: value, verbatim span, page in the guide and verification status.\n",
        card_table(["audience", "for", "download"], rows) + "\n",
        f"Built for version {esc(pkg.version)}. To make one for chosen benefits or areas: "
        "`improvement_evidence.brief(audience, benefits=[...], format=\"docx\", path=...)`.\n",
    ])
