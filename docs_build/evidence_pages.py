"""A page per benefit and per example: from a claim to its evidence in one click.

Modelled on the EEF Toolkit's strand pages: a headline (confidence, size of
effect, cost evidence, each in words, with a link to the rules), then the
guide's claim with its verbatim span and page, the examples, every figure as
one card (value, measure, verbatim span, where it stands, verification
status), the study designs and sources, and a copy-ready citation.

Every figure is worded by ``improvement_evidence.figures`` (through
:meth:`docs_build.read.Package.figures`); nothing here formats a number.
"""

from __future__ import annotations

import pandas as pd

from improvement_evidence.figures import Figure

from .markup import BANNER, badge, esc, figure_card, figure_groups, href, link, safe_url, status_legend, text
from .read import Package

RULES = "methods.md"  # the rating rules are included in the methods page


def benefit_page_path(benefit_id: str) -> str:
    return f"benefits/{benefit_id}.md"


def example_page_path(example_id: str) -> str:
    return f"examples/{example_id}.md"


_RECORDS: dict[int, tuple[pd.DataFrame, list[dict]]] = {}


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts, converted once per frame (pages filter them many times)."""
    hit = _RECORDS.get(id(frame))
    if hit is None or hit[0] is not frame:
        hit = (frame, frame.to_dict("records"))
        _RECORDS[id(frame)] = hit
    return hit[1]


def _rows(frame: pd.DataFrame, **eq) -> list[dict]:
    return [r for r in _records(frame) if all(not _missing(r.get(c)) and str(r.get(c)) == v for c, v in eq.items())]


def _one(frame: pd.DataFrame, **eq) -> dict | None:
    rows = _rows(frame, **eq)
    return rows[0] if rows else None


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def guide_page(row: dict) -> str:
    """"the guide, section 3, p. 6" from a row's section and page locator.

    Examples:
        >>> guide_page({"section": 3, "page": 6, "page_end": None, "page_basis": "page-break"})
        'the guide, section 3, p. 6'
        >>> guide_page({"section": 5, "page": 9, "page_end": 10, "page_basis": "estimated"})
        'the guide, section 5, pp. 9–10 (page estimated)'
    """
    parts = ["the guide"]
    if not _missing(row.get("section")):
        parts.append(f"section {row['section']}")
    page, end = row.get("page"), row.get("page_end")
    if not _missing(page):
        parts.append(f"p. {int(page)}" if _missing(end) or int(end) == int(page) else f"pp. {int(page)}–{int(end)}")
    out = ", ".join(parts)
    if str(row.get("page_basis") or "") == "estimated":
        out += " (page estimated)"
    return out


def _pages_only(row: dict) -> str:
    page, end = row.get("page"), row.get("page_end")
    if _missing(page):
        return ""
    return f"p. {int(page)}" if _missing(end) or int(end) == int(page) else f"pp. {int(page)}–{int(end)}"


def source_links(src: dict) -> list[str]:
    """DOI, PMID, PMC and web links of a source, as escaped ``<a>`` elements."""
    out = []
    if text(src.get("doi")):
        out.append(link(f"https://doi.org/{src['doi']}", f"doi:{src['doi']}"))
    if text(src.get("pmid")):
        out.append(link(f"https://pubmed.ncbi.nlm.nih.gov/{src['pmid']}/", f"PMID {src['pmid']}"))
    if text(src.get("pmcid")):
        out.append(link(f"https://www.ncbi.nlm.nih.gov/pmc/articles/{src['pmcid']}/", str(src["pmcid"])))
    url = safe_url(text(src.get("url")) or None)
    if url and not out:
        out.append(link(url, "web page"))
    return out


def _words(code: str) -> str:
    return code.replace("-", " ").replace("_", " ")


class EvidencePages:
    """Builds the benefit and example pages of one package."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        ds = pkg.data
        self.ds = ds
        self.areas = ds["areas"]
        self.benefits = ds["benefits"]
        self.examples = ds["examples"]
        self.links = ds["example_benefits"]
        self.sources = ds["sources"]
        self.approaches = ds["approaches"]
        self.designs = ds["study_designs"]
        self.ratings = ds["evidence_ratings"] if "evidence_ratings" in ds else None
        self.citations = pkg.short_citations

    # -- small lookups ------------------------------------------------------------------------

    def example_name(self, example_id: str) -> str:
        row = _one(self.examples, example_id=example_id)
        return str(row["name"]) if row else example_id

    def benefit_heading(self, benefit_id: str) -> str:
        row = _one(self.benefits, benefit_id=benefit_id)
        return str(row["heading"]) if row else benefit_id

    def _area_label(self, area_id: str) -> str:
        row = _one(self.areas, area_id=area_id)
        return str(row["label"]) if row else area_id

    def _source(self, source_id: str) -> dict | None:
        return _one(self.sources, source_id=source_id)

    def _approaches_of(self, example_ids: list[str]) -> list[tuple[str, str, list[str]]]:
        """(approach_id, label, example ids) for the approaches these examples use, in vocabulary order."""
        ea = self.ds["example_approaches"]
        out = []
        for a in self.approaches.to_dict("records"):
            ex = [e for e in example_ids if _rows(ea, example_id=e, approach_id=a["approach_id"])]
            if ex:
                out.append((str(a["approach_id"]), str(a["label"]), ex))
        return out

    def _designs_of(self, example_ids: list[str]) -> list[tuple[str, str, list[dict]]]:
        """(design_id, label, evaluations) for the confirmed evaluations of these examples, strongest first."""
        ev = self.pkg.confirmed_evaluations
        ev = ev[ev["example_id"].astype("string").isin(example_ids)]
        out = []
        for d in self.designs.sort_values(["tier", "design_id"], kind="stable").to_dict("records"):
            rows = _rows(ev, design_id=d["design_id"])
            if rows:
                out.append((str(d["design_id"]), str(d["label"]), rows))
        return out

    # -- shared sections ------------------------------------------------------------------------

    def _figures_section(self, figs: list[Figure], page: str, *, show_example: bool) -> list[str]:
        out = ["## Figures\n"]
        if not figs:
            return out + ["The guide states no figure here, and no primary-source figure is set beside it.\n"]
        n_guide = sum(f.reported_in == "guide" for f in figs)
        out.append(
            f"{n_guide} figure{'s' if n_guide != 1 else ''} stated in the guide and {len(figs) - n_guide} "
            "from primary sources. Each card gives the value, what was measured, the verbatim span, where it "
            "stands and how far it was verified; a guide figure and the primary-source figures set beside it "
            "stand together. The badges:\n"
        )
        out.append(status_legend(f.status for f in figs))
        # Changes and amounts (what a reader comes for) before counts, periods and durations;
        # otherwise the data's order.
        kinds = {str(r["metric_id"]): str(r["figure_type"]) for r in _records(self.ds["metrics"])}
        groups = sorted(figure_groups(figs), key=lambda g: 0 if any(kinds.get(f.metric_id) in ("change", "amount", "share") for f in g) else 1)
        cards = []
        for group in groups:
            inner = []
            for f in group:
                ex_page = ex_name = None
                if show_example and f.example_id:
                    ex_page, ex_name = href(page, example_page_path(f.example_id)), self.example_name(f.example_id)
                inner.append(figure_card(f, page, example_page=ex_page, example_name=ex_name))
            if len(group) > 1:
                lead = group[0]
                note = ('<p class="ie-group__note">The guide\'s figure and the primary-source figures set beside it: '
                        'they disagree, and both are kept.</p>'
                        if lead.status == "discrepancy_noted" else
                        '<p class="ie-group__note">The guide\'s figure and the primary-source figures set beside it.</p>')
                cards.append(f'<div class="ie-group">\n{note}\n' + "\n".join(inner) + "\n</div>")
            else:
                cards.append(inner[0])
        out.append('<div class="ie-figures" markdown="0">\n' + "\n".join(cards) + "\n</div>\n")
        return out

    def _designs_section(self, example_ids: list[str], page: str, with_examples: bool) -> list[str]:
        out = ["## Study designs\n"]
        designs = self._designs_of(example_ids)
        if not designs:
            return out + ["No evaluation of these examples was found whose source record could be seen.\n"]
        items = []
        for design_id, label, rows in designs:
            evs = []
            for r in rows:
                cit = self.citations.get(str(r["source_id"]), str(r["source_id"]))
                ex = f"{link(href(page, example_page_path(str(r['example_id']))), self.example_name(str(r['example_id'])))}: " if with_examples else ""
                evs.append(f"{ex}{esc(cit)}")
            tier = _one(self.designs, design_id=design_id)["tier"]
            items.append(
                f'<li id="design-{esc(design_id)}"><strong>{esc(label)}</strong> (tier {esc(text(tier, "integer"))} of 8; 1 is strongest)'
                "<ul>" + "".join(f"<li>{e}</li>" for e in evs) + "</ul></li>"
            )
        return out + ['<ul class="ie-designs">\n' + "\n".join(items) + "\n</ul>\n",
                      f"Tiers and what counts as a confirmed evaluation: [study designs](../tables/study_designs.md) and [methods](../{RULES}#which-evaluations-count).\n"]

    def _sources_section(self, source_ids: list[str]) -> list[str]:
        out = ["## Sources\n"]
        items = []
        for sid in dict.fromkeys(source_ids):
            src = self._source(sid)
            if src is None or sid == "guide":
                continue
            links = source_links(src)
            cit = self.citations.get(sid, sid)
            verification = text(src.get("verification"))
            items.append(
                f'<li id="source-{esc(sid)}">{esc(cit)}'
                + (f" {' · '.join(links)}" if links else "")
                + (f' <span class="ie-muted">(record {esc(verification)})</span>' if verification else "")
                + "</li>"
            )
        if not items:
            return out + ["No primary source is recorded.\n"]
        return out + ['<ul class="ie-sources">\n' + "\n".join(items) + "\n</ul>\n",
                      "“Record verified” or “partial”: how much of the bibliographic record was seen in a public copy "
                      "([methods](../methods.md#sources-how-far-each-record-was-verified)).\n"]

    def _citation_block(self, anchor: str, what: str, guide_locator: str, primary: list[str]) -> list[str]:
        authors = self.pkg.guide_authors
        guide = (f"{' and '.join(authors)}. A guide to making the case for improvement. "
                 f"The Health Foundation / Q; {guide_locator}")
        lines = [f"{what}: {guide}."]
        if primary:
            lines.append("Primary source" + ("s" if len(primary) > 1 else "") + ": " + " ".join(primary))
        lines.append(f"Data: improvement-evidence, version {self.pkg.version} ({self.pkg.content_hash}).")
        body = "\n".join(esc(line) for line in lines)
        return [
            "## Cite this\n",
            "The guide's claim with its page, the primary source behind it, and the version of the data:\n",
            f'<div class="ie-cite"><p class="ie-cite__text" id="{esc(anchor)}">{body.replace(chr(10), "<br>")}</p>'
            f'<button class="ie-copy md-button" type="button" data-copy="{esc(anchor)}">Copy citation</button></div>\n',
            "For the dataset as a whole in APA, BibTeX, RIS and more, see [Cite](../cite.md).\n",
        ]

    def _primary_citations(self, source_ids: list[str]) -> list[str]:
        out = []
        for sid in dict.fromkeys(source_ids):
            src = self._source(sid)
            if src is None or sid == "guide":
                continue
            cit = self.citations.get(sid, sid)
            ids = []
            if text(src.get("doi")):
                ids.append(f"https://doi.org/{src['doi']}")
            elif text(src.get("pmid")):
                ids.append(f"PMID {src['pmid']}")
            elif safe_url(text(src.get("url")) or None):
                ids.append(str(src["url"]))
            out.append(cit + (" " + ids[0] if ids else ""))
        return out

    # -- benefit page -----------------------------------------------------------------------------

    def _headline(self, benefit_id: str, page: str) -> list[str]:
        rules = href(page, RULES)
        if self.ratings is None:
            return []
        r = _one(self.ratings, benefit_id=benefit_id)
        if r is None:
            return ['<p class="ie-headline">Not rated in this version.</p>\n']
        conf = str(r["confidence"])
        effect_id = text(r.get("effect_size_metric_id"))
        if effect_id:
            fig = self.pkg.figure(effect_id)
            effect = (f'<a href="#{esc(effect_id)}">{esc(fig.value_text)}</a> — {esc(fig.measure)} '
                      f'{badge(fig.status)}')
        else:
            effect = "no percentage change is stated for this benefit"
        n_cost = int(r["n_cost_figures"]) if not _missing(r.get("n_cost_figures")) else 0
        cost = (f"yes: {n_cost} figure{'s' if n_cost != 1 else ''} about money" if str(r["cost_evidence"]) == "yes"
                else "none: no figure about money")
        override = text(r.get("override_rationale"))
        rows = [
            ("Confidence", f'<strong>{esc(_words(conf).capitalize())}</strong> '
                           f'<span class="ie-muted">that the evidence supports the benefit</span>',
             f"{rules}#confidence"),
            ("Size of effect", effect, f"{rules}#size-of-effect"),
            ("Cost evidence", esc(cost), f"{rules}#cost-evidence"),
        ]
        out = ['<div class="ie-headline" markdown="0">', '<dl class="ie-headline__grid">']
        for name, value, rule in rows:
            out.append(f'<div><dt>{esc(name)}</dt><dd>{value}</dd><dd class="ie-headline__rule"><a href="{esc(rule)}">how this is rated</a></dd></div>')
        out.append("</dl>")
        out.append(f'<p class="ie-headline__basis">{esc(text(r.get("rating_basis")))}'
                   + (f" Curator's rationale: {esc(override)}" if override else "") + "</p>")
        out.append(f'<p class="ie-headline__note">These ratings are the dataset maintainers\' assessment of the evidence '
                   f'held here, not the Health Foundation\'s. <a href="{esc(rules)}#strength-of-evidence-rules">The rules</a>.</p>')
        out.append("</div>\n")
        return out

    def benefit_page(self, benefit_id: str) -> str:
        page = benefit_page_path(benefit_id)
        b = _one(self.benefits, benefit_id=benefit_id)
        heading = str(b["heading"])
        area = self._area_label(str(b["area_id"]))
        links = sorted(_rows(self.links, benefit_id=benefit_id), key=lambda r: (text(r.get("page"), "integer").zfill(4), str(r["example_id"])))
        example_ids = list(dict.fromkeys(str(r["example_id"]) for r in links))
        figs = self.pkg.figures(benefit_id=benefit_id)
        out = [
            BANNER,
            f"# {heading}\n",
            f'<p class="ie-kicker">Benefit of improvement · area: <a href="{esc(href(page, "benefits/index.md", str(b["area_id"])))}">{esc(area)}</a> · '
            f'{len(example_ids)} example{"s" if len(example_ids) != 1 else ""} · {len(figs)} figure{"s" if len(figs) != 1 else ""}</p>\n',
            *self._headline(benefit_id, page),
            "## What the guide claims\n",
            f'The guide sets out this benefit under the heading “{esc(heading)}” ({esc(guide_page(b))}). In our words:\n',
            f'<p class="ie-summary">{esc(str(b["summary"]))}</p>\n',
            "## Examples\n",
        ]
        if not links:
            out.append("The guide names no example for this benefit.\n")
        for r in links:
            eid = str(r["example_id"])
            out.append(
                f'<div class="ie-example" id="example-{esc(eid)}" markdown="0">'
                f'<h3>{link(href(page, example_page_path(eid)), self.example_name(eid))}</h3>'
                f'<p>{esc(text(r.get("finding")))}</p>'
                f'<blockquote class="ie-figure__quote">“{esc(text(r.get("quote")))}”</blockquote>'
                f'<p class="ie-figure__where">Stated in {esc(guide_page(r))}</p></div>\n'
            )
        approaches = self._approaches_of(example_ids)
        if approaches:
            out.append("## Improvement approaches\n")
            items = [f'<li id="approach-{esc(aid)}"><strong>{esc(label)}</strong>: '
                     + ", ".join(link(href(page, example_page_path(e)), self.example_name(e)) for e in ex) + "</li>"
                     for aid, label, ex in approaches]
            out.append('<ul class="ie-approaches">\n' + "\n".join(items) + "\n</ul>\n")
        out += self._figures_section(figs, page, show_example=True)
        out += self._designs_section(example_ids, page, with_examples=True)
        ex_sources = [str(r["source_id"]) for r in self.ds["example_sources"].to_dict("records") if str(r["example_id"]) in example_ids]
        fig_sources = [f.source_id for f in figs]
        out += self._sources_section(fig_sources + ex_sources)
        out += self._citation_block(f"cite-{benefit_id}", f"“{heading}”",
                                    _pages_only(b) or "page not located",
                                    self._primary_citations(fig_sources or ex_sources))
        return "\n".join(out)

    # -- example page -----------------------------------------------------------------------------

    def example_page(self, example_id: str) -> str:
        page = example_page_path(example_id)
        e = _one(self.examples, example_id=example_id)
        name = str(e["name"])
        links = _rows(self.links, example_id=example_id)
        figs = self.pkg.figures(example_id=example_id)
        facts = []
        for label, col in (("Kind", "kind"), ("Organisations", "organisations"), ("Setting", "setting"), ("Country", "country")):
            v = text(e.get(col))
            if v:
                facts.append(f"<div><dt>{label}</dt><dd>{esc(v)}</dd></div>")
        start, end = text(e.get("period_start"), "year"), text(e.get("period_end"), "year")
        if start or end:
            facts.append(f"<div><dt>Period</dt><dd>{esc(start + ('–' + end if end and end != start else ''))}</dd></div>")
        named = e.get("named_in_guide")
        if named is False:
            facts.append("<div><dt>Name</dt><dd>ours: the guide describes this example without naming it</dd></div>")
        out = [
            BANNER,
            f"# {name}\n",
            f'<p class="ie-kicker">Example used in the guide · {esc(guide_page(e))} · {len(links)} benefit{"s" if len(links) != 1 else ""} · '
            f'{len(figs)} figure{"s" if len(figs) != 1 else ""}</p>\n',
            '<dl class="ie-facts">' + "".join(facts) + "</dl>\n" if facts else "",
            "## What the guide says\n",
            f'<p class="ie-summary">{esc(text(e.get("summary")))}</p>\n',
            "In our words; the verbatim spans are below, with each benefit the guide uses this example for.\n",
        ]
        note = text(e.get("evidence_note"))
        if note:
            out.append(f'<p class="ie-muted">{esc(note)}</p>\n')
        out.append("## Benefits it is evidence for\n")
        for r in links:
            bid = str(r["benefit_id"])
            out.append(
                f'<div class="ie-example" id="benefit-{esc(bid)}" markdown="0">'
                f'<h3>{link(href(page, benefit_page_path(bid)), self.benefit_heading(bid))}</h3>'
                f'<p>{esc(text(r.get("finding")))}</p>'
                f'<blockquote class="ie-figure__quote">“{esc(text(r.get("quote")))}”</blockquote>'
                f'<p class="ie-figure__where">Stated in {esc(guide_page(r))}</p></div>\n'
            )
        approaches = self._approaches_of([example_id])
        if approaches:
            out.append("## Improvement approach\n")
            out.append('<ul class="ie-approaches">\n' + "\n".join(
                f'<li id="approach-{esc(aid)}">{link(href(page, "tables/approaches.md", aid), label)}</li>' for aid, label, _ in approaches) + "\n</ul>\n")
        out += self._figures_section(figs, page, show_example=False)
        out += self._designs_section([example_id], page, with_examples=False)
        ex_sources = [str(r["source_id"]) for r in _rows(self.ds["example_sources"], example_id=example_id)]
        fig_sources = [f.source_id for f in figs]
        out += self._sources_section(fig_sources + ex_sources)
        out += self._citation_block(f"cite-{example_id}", name, _pages_only(e) or "page not located",
                                    self._primary_citations(fig_sources + ex_sources))
        return "\n".join(out)

    # -- index pages ------------------------------------------------------------------------------

    def benefits_index(self) -> str:
        page = "benefits/index.md"
        out = [BANNER, "# Benefits\n",
               f"The guide's {len(self.benefits)} benefits of improvement, in its four areas. Each page gives the evidence "
               "rating, the guide's claim with its page, the examples, and every figure with its verbatim span and "
               "verification status. The same benefits against improvement approaches and study designs: "
               f"[evidence map](../evidence-map.md).\n"]
        for a in self.areas.sort_values("order").to_dict("records"):
            out.append(f'## {esc(str(a["label"]))} {{#{a["area_id"]}}}\n')
            rows = []
            for b in self.benefits[self.benefits["area_id"].astype("string") == a["area_id"]].sort_values("order").to_dict("records"):
                bid = str(b["benefit_id"])
                r = _one(self.ratings, benefit_id=bid) if self.ratings is not None else None
                conf = _words(str(r["confidence"])).capitalize() if r else "not rated"
                n_ex = len(_rows(self.links, benefit_id=bid))
                n_fig = int((self.ds["metrics"]["benefit_id"].astype("string") == bid).sum())
                rows.append([link(href(page, benefit_page_path(bid)), str(b["heading"])), esc(conf), str(n_ex), str(n_fig)])
            from .markup import card_table

            out.append(card_table(["benefit", "confidence", "examples", "figures"], rows, numeric={2, 3}, cls="ie-fixed") + "\n")
        return "\n".join(out)

    def examples_index(self) -> str:
        from .markup import card_table

        page = "examples/index.md"
        rows = []
        for e in self.examples.to_dict("records"):
            eid = str(e["example_id"])
            bens = [link(href(page, benefit_page_path(str(r["benefit_id"]))), self.benefit_heading(str(r["benefit_id"])))
                    for r in _rows(self.links, example_id=eid)]
            n_fig = int((self.ds["metrics"]["example_id"].astype("string") == eid).sum())
            rows.append([link(href(page, example_page_path(eid)), str(e["name"])), esc(text(e.get("kind"))),
                         esc(text(e.get("setting"))), "; ".join(bens), str(n_fig)])
        return "\n".join([
            BANNER, "# Examples\n",
            f"The {len(self.examples)} examples the guide uses as evidence: programmes, interventions and organisations. "
            "Each page gives what the guide says about it, every figure with its verbatim span and verification status, "
            "its study designs and its sources.\n",
            card_table(["example", "kind", "setting", "evidence for", "figures"], rows, numeric={4}) + "\n",
        ])

    def pages(self) -> dict[str, str]:
        out = {"benefits/index.md": self.benefits_index(), "examples/index.md": self.examples_index()}
        for bid in self.benefits["benefit_id"].astype("string"):
            out[benefit_page_path(bid)] = self.benefit_page(bid)
        for eid in self.examples["example_id"].astype("string"):
            out[example_page_path(eid)] = self.example_page(eid)
        return out

    def nav(self) -> tuple[list, list]:
        """Nav entries: benefits grouped by area, and examples."""
        benefits = [{"All benefits": "benefits/index.md"}]
        for a in self.areas.sort_values("order").to_dict("records"):
            items = [{str(b["heading"]): benefit_page_path(str(b["benefit_id"]))}
                     for b in self.benefits[self.benefits["area_id"].astype("string") == a["area_id"]].sort_values("order").to_dict("records")]
            benefits.append({str(a["label"]): items})
        examples = [{"All examples": "examples/index.md"}, {"Each example": [
            {str(e["name"]): example_page_path(str(e["example_id"]))} for e in self.examples.to_dict("records")]}]
        return benefits, examples
