"""A brief as Markdown: the source-of-truth format, readable as plain text."""

from __future__ import annotations

import re

from .content import Brief, effect_label

__all__ = ["render_markdown", "md"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Text from the data, escaped so Markdown shows it as written (no HTML, links or emphasis).

    Examples:
        >>> md("<script>alert('x')</script> & *bold*")
        "\\\\<script\\\\>alert('x')\\\\</script\\\\> & \\\\*bold\\\\*"
    """
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(b: Brief) -> str:
    """The brief as Markdown.

    Examples:
        >>> import improvement_evidence as ie
        >>> text = ie.brief("front-line")
        >>> text.splitlines()[0]
        '# The case for improvement: an evidence brief for front-line audiences'
    """
    a = b.audience
    out: list[str] = [f"# {md(b.title)}", ""]
    out += [f"**For:** {md(a.label)} audiences — {md(a.definition)}", "", f"**Purpose:** {md(a.purpose)}", ""]
    line = f"The guide says it can be used to “{md(a.quote)}” ({md(a.where)})."
    if a.readers and a.readers_quote:
        line += f" Its introduction names {md(a.readers)} among its readers, “{md(a.readers_quote)}” ({md(a.readers_where or 'the guide')})."
    out += [line, ""]
    out += ["## How to read this", ""]
    out += [f"- {md(p)}" for p in b.how_to_read]
    out += ["- Verification status of each figure:"]
    out += [f"  - *{md(label)}*: {md(expl)}" for label, expl in b.statuses]
    out.append("")
    for i, ben in enumerate(b.benefits, 1):
        out += [f"## {i}. {md(ben.heading)}", ""]
        out += [f"*{md(ben.area)} — {md(ben.where)}*", ""]
        if ben.rationale:
            out += [f"**Why it is here (the maintainers' judgement):** {md(ben.rationale)}", ""]
        out += ["**What the guide says:**", ""]
        if ben.claims:
            for c in ben.claims:
                out += [f"> {md(c.text())}", ""]
        else:
            out += [f"The guide names this benefit ({md(ben.where)}) and gives no example for it.", ""]
        out += [f"**In brief (the dataset's summary of the guide):** {md(ben.summary)}", ""]
        r = ben.rating
        if r is not None:
            out += ["**Strength of evidence:**", ""]
            out.append(f"- Confidence: **{md(r.confidence)}**. {md(r.confidence_note)}")
            if r.effect is not None:
                out.append(f"- {effect_label(r)}: {md(r.effect.line(short=True))}")
            else:
                out.append("- Size of effect: no stated percentage change.")
            out.append(f"- Cost evidence: {md(r.cost)}.")
            out.append("")
        out += ["**Figures:**", ""]
        if ben.figures:
            listed = {f.metric_id for f in ben.figures}
            for f in ben.figures:  # a study's figure sits under the guide figure it is set beside
                indent = "  " if f.compares_with in listed else ""
                out.append(f"{indent}- {md(f.line(short=True))}")
        else:
            out.append("- The guide gives no figure for this benefit, and none from a primary source is held.")
        out.append("")
    out += ["## Caveats", ""]
    out += [f"- {md(c)}" for c in b.caveats]
    out += ["", "## References", ""]
    out += [f"- {md(r.text)}" for r in b.references]
    out += ["", "## Reproducibility", ""]
    out += [f"- {p}" for p in b.reproduce]  # fixed wording with `code`, no data in it but the version and hash
    out += [f"- How to cite this dataset: {md(b.citation)}", ""]
    return "\n".join(out)
