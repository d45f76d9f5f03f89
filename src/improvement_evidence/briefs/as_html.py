"""A brief as one self-contained, printable HTML page: no scripts, no
external files, every text from the data escaped."""

from __future__ import annotations

import html
import re

from .content import Brief, effect_label

__all__ = ["render_html", "esc"]

CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #999}
blockquote{margin:.5rem 0 .5rem 1rem;padding-left:.75rem;border-left:3px solid #999}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0 1rem}
th,td{border:1px solid #999;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}.status{font-weight:bold}.meta{color:#444;font-style:italic}
code{font-family:monospace;font-size:.9em}
@media print{body{margin:0;max-width:none;font-size:10.5pt}a{color:#111;text-decoration:none}
a[href]:after{content:" <" attr(href) ">";font-size:.85em}h2{break-after:avoid}tr,blockquote,li{break-inside:avoid}
@page{margin:18mm}}
""".strip()


def esc(text) -> str:
    """Escape text from the data for HTML, quotes included.

    Examples:
        >>> esc('<script>alert("x")</script> & \\'y\\'')
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;'
    """
    return html.escape(str(text), quote=True)


def _link(url: str | None, text: str) -> str:
    """An anchor only for http(s) addresses; anything else stays plain text."""
    if url and re.match(r"^https?://[^\s<>\"']+$", url):
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text)


def _code(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def render_html(b: Brief) -> str:
    """The brief as a single HTML page.

    Examples:
        >>> import improvement_evidence as ie
        >>> page = ie.brief("policy", format="html")
        >>> page.startswith("<!DOCTYPE html>"), "<script" in page
        (True, False)
    """
    a = b.audience
    o: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(b.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(b.title)}</h1>",
        f"<p><strong>For:</strong> {esc(a.label)} audiences — {esc(a.definition)}</p>",
        f"<p><strong>Purpose:</strong> {esc(a.purpose)}</p>",
    ]
    line = f"The guide says it can be used to “{esc(a.quote)}” ({esc(a.where)})."
    if a.readers and a.readers_quote:
        line += f" Its introduction names {esc(a.readers)} among its readers, “{esc(a.readers_quote)}” ({esc(a.readers_where or 'the guide')})."
    o.append(f"<p>{line}</p>")
    o += ["<h2>How to read this</h2>", "<ul>"]
    o += [f"<li>{esc(p)}</li>" for p in b.how_to_read]
    o.append("<li>Verification status of each figure:<ul>")
    o += [f"<li><em>{esc(label)}</em>: {esc(expl)}</li>" for label, expl in b.statuses]
    o += ["</ul></li>", "</ul>"]
    for i, ben in enumerate(b.benefits, 1):
        o.append(f'<section id="{esc(ben.benefit_id)}">')
        o.append(f"<h2>{i}. {esc(ben.heading)}</h2>")
        o.append(f'<p class="meta">{esc(ben.area)} — {esc(ben.where)}</p>')
        if ben.rationale:
            o.append(f"<p><strong>Why it is here (the maintainers' judgement):</strong> {esc(ben.rationale)}</p>")
        o.append("<p><strong>What the guide says:</strong></p>")
        if ben.claims:
            for c in ben.claims:
                o.append(f"<blockquote>{esc(c.text())}</blockquote>")
        else:
            o.append(f"<p>The guide names this benefit ({esc(ben.where)}) and gives no example for it.</p>")
        o.append(f"<p><strong>In brief (the dataset's summary of the guide):</strong> {esc(ben.summary)}</p>")
        r = ben.rating
        if r is not None:
            o += ["<p><strong>Strength of evidence:</strong></p>", "<ul>"]
            o.append(f"<li>Confidence: <strong>{esc(r.confidence)}</strong>. {esc(r.confidence_note)}</li>")
            if r.effect is not None:
                o.append(f"<li>{esc(effect_label(r))}: {esc(r.effect.line(short=True))}</li>")
            else:
                o.append("<li>Size of effect: no stated percentage change.</li>")
            o.append(f"<li>Cost evidence: {esc(r.cost)}.</li>")
            o.append("</ul>")
        o.append("<p><strong>Figures:</strong></p>")
        if ben.figures:
            o += ["<table>", "<thead><tr><th>Figure</th><th>What it measures</th><th>Where it is stated</th><th>Verification</th></tr></thead>", "<tbody>"]
            for f in ben.figures:
                o.append(
                    f'<tr id="{esc(f.metric_id)}"><td>{esc(f.value_text)}</td><td>{esc(f.measure)}</td>'
                    f"<td>{_link(f.link, f.short_where or f.where)}</td><td><span class=\"status\">{esc(f.status_label)}</span> — {esc(f.status_detail)}</td></tr>"
                )
            o += ["</tbody>", "</table>"]
        else:
            o.append("<p>The guide gives no figure for this benefit, and none from a primary source is held.</p>")
        o.append("</section>")
    o += ["<h2>Caveats</h2>", "<ul>"] + [f"<li>{esc(c)}</li>" for c in b.caveats] + ["</ul>"]
    o += ["<h2>References</h2>", "<ul>"]
    for ref in b.references:
        text = esc(ref.text)
        if ref.link and re.match(r"^https?://[^\s<>\"']+$", ref.link) and esc(ref.link) in text:
            text = text.replace(esc(ref.link), f'<a href="{esc(ref.link)}">{esc(ref.link)}</a>', 1)
        o.append(f'<li id="ref-{esc(ref.source_id)}">{text}</li>')
    o += ["</ul>", "<h2>Reproducibility</h2>", "<ul>"]
    o += [f"<li>{_code(p)}</li>" for p in b.reproduce]
    o += [f"<li>How to cite this dataset: {esc(b.citation)}</li>", "</ul>", "</body>", "</html>", ""]
    return "\n".join(o)
