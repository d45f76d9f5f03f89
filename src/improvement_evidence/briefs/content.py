"""A brief's content, built once from the data; every format renders this.

Nothing here computes a number: figures are worded by
:mod:`improvement_evidence.figures` from ``metrics`` rows as they stand, and
every other text comes from the tables (summaries, quotes, ratings,
rationales) or is fixed wording about how to read the brief.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..figures import STATUS_EXPLANATIONS, STATUS_LABELS, Figure, page_text, render, render_all
from .references import Reference, apa, guide_reference
from .select import Selection

__all__ = ["Audience", "BenefitBrief", "Brief", "Claim", "Rating", "build"]

CONFIDENCE_WORDS = {"high": "high", "moderate": "moderate", "low": "low", "very-low": "very low"}


@dataclass(frozen=True)
class Claim:
    """A verbatim span of the guide behind a benefit, with where it stands."""

    quote: str
    where: str  # "the guide, p. 8"
    examples: tuple[str, ...]  # the examples it is about, by name

    def text(self) -> str:
        """The quote with its page and example, as every format shows it."""
        about = ""
        if self.examples:
            names = list(self.examples)
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            about = f"; {'example' if len(names) == 1 else 'examples'}: {joined}"
        return f"“{self.quote}” — {self.where}{about}"


@dataclass(frozen=True)
class Rating:
    """The strength of the evidence, in words (``evidence_ratings``)."""

    confidence: str  # "moderate"
    confidence_note: str  # why, in a sentence or two
    best_study: str | None  # "an interrupted time series (Rodgers S et al. (2022))"
    effect: Figure | None  # the figure the rating names as the size of effect
    effect_direction: str | None  # "decrease" / "increase", from metrics.direction
    cost: str  # "yes: 2 figures about cost" / "no figure about cost"
    override: str | None


def effect_label(r: Rating) -> str:
    """ "Size of effect (the largest stated change, a decrease)" """
    return "Size of effect (the largest stated change" + (f", a {r.effect_direction}" if r.effect_direction else "") + ")"


@dataclass(frozen=True)
class BenefitBrief:
    benefit_id: str
    heading: str
    area: str
    where: str
    summary: str
    rationale: str | None
    claims: tuple[Claim, ...]
    rating: Rating | None
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Audience:
    audience_id: str
    label: str
    definition: str
    purpose: str
    quote: str
    where: str
    readers: str | None
    readers_quote: str | None
    readers_where: str | None


@dataclass(frozen=True)
class Brief:
    """Everything a brief says, in order; renderers only lay it out."""

    title: str
    audience: Audience
    chosen_by: str
    how_to_read: tuple[str, ...]
    statuses: tuple[tuple[str, str], ...]  # (label, explanation)
    benefits: tuple[BenefitBrief, ...]
    caveats: tuple[str, ...]
    references: tuple[Reference, ...]
    version: str
    content_hash: str
    citation: str  # the dataset's APA citation, with version and content hash
    reproduce: tuple[str, ...] = field(default_factory=tuple)


def _s(v) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    text = str(v).strip()
    return text or None


def _row(frame: pd.DataFrame, key: str, value) -> dict | None:
    hit = frame[frame[key] == value]
    return None if hit.empty else hit.iloc[0].to_dict()


def _audience(data, audience_id: str) -> Audience:
    a = _row(data["audiences"], "audience_id", audience_id)
    rq = _s(a.get("readers_quote"))
    rp = a.get("readers_page")
    return Audience(
        audience_id=audience_id,
        label=str(a["label"]),
        definition=str(a["definition"]),
        purpose=str(a["purpose"]),
        quote=str(a["quote"]),
        where=page_text(a),
        readers=_s(a.get("readers")),
        readers_quote=rq,
        readers_where=None if rq is None or _s(rp) is None else f"the guide, p. {int(rp)}",
    )


def _design(label: str) -> str:
    """ "Interrupted time series" -> "an interrupted time series"; acronyms kept. """
    word = label[:1].lower() + label[1:] if label[1:2].islower() else label
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _rating(data, benefit_id: str) -> tuple[Rating | None, str | None]:
    """The rating in words, and the source of the best study (for the references)."""
    from ..figures import _who

    if "evidence_ratings" not in data:
        return None, None
    r = _row(data["evidence_ratings"], "benefit_id", benefit_id)
    if r is None:
        return None, None
    conf = CONFIDENCE_WORDS.get(str(r["confidence"]), str(r["confidence"]))
    rule = CONFIDENCE_WORDS.get(str(r["confidence_rule"]), str(r["confidence_rule"]))
    traced = _s(r.get("traced")) is not None and bool(r.get("traced"))
    best_study, best_source = None, None
    ev_id = _s(r.get("best_evaluation_id"))
    ev = _row(data["evaluations"], "evaluation_id", ev_id) if ev_id and "evaluations" in data else None
    if ev is not None:
        best_source = str(ev["source_id"])
        design = _row(data["study_designs"], "design_id", ev["design_id"])
        label = str(design["label"]) if design else str(ev["design_id"])
        who = _who(_row(data["sources"], "source_id", best_source), best_source)
        best_study = f"{_design(label)}: {who}"
        note = f"The strongest study found behind the guide's examples is {best_study}."
    else:
        note = "No study of the guide's examples for this benefit was found."
    note += (" At least part of the guide's claim was traced to a primary source (see each figure's status)." if traced
             else " No primary source was found that states the guide's claim.")
    override = _s(r.get("override_rationale"))
    if override:
        note += f" The published rules give {rule}; the maintainers changed it, because: {override}"
    effect_id = _s(r.get("effect_size_metric_id"))
    effect = render(effect_id, data) if effect_id else None
    direction = None
    if effect_id:
        d = _s((_row(data["metrics"], "metric_id", effect_id) or {}).get("direction"))
        direction = d if d in ("decrease", "increase") else None
    n_cost = r.get("n_cost_figures")
    n_cost = 0 if _s(n_cost) is None else int(n_cost)
    cost = "no figure about cost" if n_cost == 0 else ("one figure about cost, shown below" if n_cost == 1 else "figures about cost, shown below")
    return Rating(conf, note, best_study, effect, direction, cost, override), best_source


def _claims(data, benefit_id: str) -> tuple[Claim, ...]:
    eb = data["example_benefits"]
    eb = eb[eb["benefit_id"] == benefit_id]
    names = dict(zip(data["examples"]["example_id"], data["examples"]["name"]))
    claims: dict[str, tuple[str, list[str]]] = {}
    for r in eb.to_dict("records"):  # one quote standing for several examples is shown once
        where, exs = claims.setdefault(str(r["quote"]), (page_text(r), []))
        name = _s(names.get(r["example_id"]))
        if name and name not in exs:
            exs.append(name)
    return tuple(Claim(q, where, tuple(exs)) for q, (where, exs) in claims.items())


HOW_TO_READ = (
    "Every figure is on one line: the value as stated, what it measures, where it is stated, and how far it was verified. "
    "No figure has been rounded, added up or averaged; figures from different places, periods or populations are not comparable with each other.",
    "Where the guide and a study disagree, both figures are shown: the study's figures come straight after the guide's, and the guide's line names them.",
    "Each benefit has a confidence rating (high, moderate, low or very low): how sure a reader can be that the evidence in this dataset supports it. "
    "The size of the effect and whether any figure is about cost are given separately, because a large figure can rest on weak evidence. "
    "The ratings are the dataset maintainers' assessment by published rules, not the Health Foundation's, and not a systematic review.",
)


def _selection_note(audience: Audience, chosen_by: str) -> str:
    if chosen_by == "maintainers":
        return (f"Which benefits appear here, in what order, and why, is the dataset maintainers' judgement of what "
                f"{audience.label.lower()} audiences are likely to weigh. The guide names the four audiences but does not say "
                "which benefits matter to which of them.")
    return ("The benefits here were chosen by whoever made this brief, not by the guide or the dataset's maintainers; "
            "where the maintainers give a reason for this audience, it is shown.")


CAVEATS = (
    "A figure marked 'guide only' is stated in the guide, but no primary source that states it was found. Present it as the guide's figure.",
    "A figure marked 'discrepancy noted' is stated differently by a primary source. Both are shown; if you use one, say which and why.",
    "Figures come from particular organisations, places and periods. They show what was achieved there, not what another organisation should expect.",
    "Confidence ratings say how far the evidence held in this dataset supports each benefit. A low rating can mean that the evidence was not found, not that the benefit is absent.",
)


def build(data: Mapping[str, pd.DataFrame], selection: Selection, *, path: Path | str | None = None) -> Brief:
    """The content of a brief for ``selection``.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.briefs.select import select
        >>> ds = ie.load()
        >>> b = build(ds, select(ds, "front-line"))
        >>> b.benefits[0].heading, b.benefits[0].rating.confidence
        ('Improved safety', 'moderate')
    """
    from ..citation import cite
    from ..integrity import recorded_content_hash

    audience = _audience(data, selection.audience_id)
    # Rows are looked up one at a time here and in the figure renderer; on
    # object-typed copies (one block per table) that is several times cheaper
    # than on the typed frames, and the values read are the same.
    data = {k: data[k].astype(object) for k in data}
    areas = dict(zip(data["areas"]["area_id"], data["areas"]["label"]))
    sources = data["sources"]
    used: list[str] = []
    benefits = []
    for bid in selection.benefit_ids:
        b = _row(data["benefits"], "benefit_id", bid)
        rating, best_source = _rating(data, bid)
        figures = tuple(render_all(data, benefit_id=bid))
        for f in figures:
            if f.reported_in != "guide" and f.source_id not in used:
                used.append(f.source_id)
        if best_source and best_source not in used and best_source != "guide":
            used.append(best_source)
        benefits.append(BenefitBrief(
            benefit_id=bid,
            heading=str(b["heading"]),
            area=str(areas.get(b["area_id"], b["area_id"])),
            where=page_text(b),
            summary=str(b["summary"]),
            rationale=selection.rationales.get(bid),
            claims=_claims(data, bid),
            rating=rating,
            figures=figures,
        ))
    guide_row = _row(sources, "source_id", "guide")
    refs = [guide_reference(guide_row)]
    refs += sorted((apa(_row(sources, "source_id", sid) or {"source_id": sid}) for sid in used), key=lambda r: r.text.lower())
    from ..package import read_descriptor

    _, desc = read_descriptor(path)
    citation = cite("apa", path).split("\n\n")[0].strip()
    version = str(desc["version"])
    chash = recorded_content_hash(path)
    return Brief(
        title=f"The case for improvement: an evidence brief for {audience.label.lower()} audiences",
        audience=audience,
        chosen_by=selection.chosen_by,
        how_to_read=HOW_TO_READ + (_selection_note(audience, selection.chosen_by),),
        statuses=tuple((STATUS_LABELS[k], STATUS_EXPLANATIONS[k]) for k in STATUS_LABELS),
        benefits=tuple(benefits),
        caveats=CAVEATS,
        references=tuple(refs),
        version=version,
        content_hash=chash,
        citation=citation,
        reproduce=(
            f"Made from improvement-evidence version {version}, content hash {chash}.",
            "Check that your copy of the data is that version with `improvement-evidence verify` (or `improvement_evidence.verify()`).",
            "Cite the data with `improvement-evidence cite` (or `improvement_evidence.cite()`), and cite the guide as well.",
        ),
    )
