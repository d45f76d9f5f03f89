"""A brief as JSON: the same content as the other formats, for programs."""

from __future__ import annotations

import json

from ..figures import Figure
from .content import Brief

__all__ = ["render_json"]


def _figure(f: Figure) -> dict:
    return {
        "metric_id": f.metric_id,
        "value_text": f.value_text,
        "measure": f.measure,
        "where": f.where,
        "short_where": f.short_where,
        "page": f.page,
        "source_id": f.source_id,
        "link": f.link,
        "status": f.status,
        "status_label": f.status_label,
        "status_line": f.status_line,
        "line": f.line(),
        "compares_with": f.compares_with,
    }


def render_json(b: Brief) -> str:
    """The brief as a JSON document (UTF-8 text, keys in a fixed order).

    Examples:
        >>> import json, improvement_evidence as ie
        >>> doc = json.loads(ie.brief("front-line", format="json"))
        >>> doc["audience"]["audience_id"], doc["benefits"][0]["figures"][0]["metric_id"]
        ('front-line', 'pincer-collaborative-duration')
    """
    a = b.audience
    doc = {
        "title": b.title,
        "version": b.version,
        "content_hash": b.content_hash,
        "audience": {
            "audience_id": a.audience_id, "label": a.label, "definition": a.definition, "purpose": a.purpose,
            "quote": a.quote, "where": a.where, "readers": a.readers, "readers_quote": a.readers_quote,
            "readers_where": a.readers_where,
        },
        "selection": {"chosen_by": b.chosen_by, "benefit_ids": [x.benefit_id for x in b.benefits]},
        "how_to_read": list(b.how_to_read),
        "statuses": [{"label": label, "explanation": expl} for label, expl in b.statuses],
        "benefits": [
            {
                "benefit_id": x.benefit_id,
                "heading": x.heading,
                "area": x.area,
                "where": x.where,
                "rationale": x.rationale,
                "claims": [{"quote": c.quote, "where": c.where, "examples": list(c.examples)} for c in x.claims],
                "summary": x.summary,
                "rating": None if x.rating is None else {
                    "confidence": x.rating.confidence,
                    "confidence_note": x.rating.confidence_note,
                    "best_study": x.rating.best_study,
                    "override": x.rating.override,
                    "effect": None if x.rating.effect is None else _figure(x.rating.effect),
                    "effect_direction": x.rating.effect_direction,
                    "cost": x.rating.cost,
                },
                "figures": [_figure(f) for f in x.figures],
            }
            for x in b.benefits
        ],
        "caveats": list(b.caveats),
        "references": [{"source_id": r.source_id, "text": r.text, "link": r.link} for r in b.references],
        "reproducibility": list(b.reproduce),
        "citation": b.citation,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
