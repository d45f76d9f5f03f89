"""A brief as a Word document (python-docx, the ``brief`` extra): real
headings, one table of figures per benefit, a references section.

The same data and arguments give the same bytes: the document's dates come
from ``SOURCE_DATE_EPOCH`` (else the dataset's ``created`` date) and the zip
entries are written with that date.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime, timezone

from .content import Brief, effect_label
from .errors import BriefError

__all__ = ["render_docx"]


def _when(created: str | None) -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BriefError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970; found {epoch!r}") from None
    if created:
        try:
            return datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            pass
    return datetime(1980, 1, 1, tzinfo=timezone.utc)


def _fixed_zip(raw: bytes, when: datetime) -> bytes:
    """The same zip with every entry dated ``when`` (zip dates start in 1980)."""
    stamp = max(when.replace(tzinfo=None), datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _plain(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"\1", text)


def render_docx(b: Brief, created: str | None = None) -> bytes:
    """The brief as the bytes of a .docx file.

    Raises:
        BriefError: python-docx is not installed (``pip install 'improvement-evidence[brief]'``).

    Examples:
        >>> import improvement_evidence as ie
        >>> ie.brief("executive", format="docx")[:2]
        b'PK'
    """
    try:
        import docx
        from docx.shared import Pt
    except ImportError:
        raise BriefError("the docx format needs python-docx; install it with: pip install 'improvement-evidence[brief]'") from None
    when = _when(created)
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(10.5)
    cp = d.core_properties
    cp.title, cp.author, cp.last_modified_by = b.title, "improvement-evidence", "improvement-evidence"
    cp.subject = f"improvement-evidence {b.version} ({b.content_hash})"
    cp.created = cp.modified = cp.last_printed = when.replace(tzinfo=None)
    cp.revision = 1
    a = b.audience
    # Style ids looked up once: python-docx resolves a style name on every
    # paragraph by scanning the styles part, which dominated the run time.
    ids = {name: d.styles[name].style_id for name in ("List Bullet", "List Bullet 2", "Quote")}

    def para(label: str | None, text: str, style: str | None = None):
        p = d.add_paragraph()
        if style:
            p._p.style = ids[style]
        if label:
            p.add_run(label).bold = True
        p.add_run(text)
        return p

    d.add_heading(b.title, level=1)
    para("For: ", f"{a.label} audiences — {a.definition}")
    para("Purpose: ", a.purpose)
    line = f"The guide says it can be used to “{a.quote}” ({a.where})."
    if a.readers and a.readers_quote:
        line += f" Its introduction names {a.readers} among its readers, “{a.readers_quote}” ({a.readers_where or 'the guide'})."
    para(None, line)
    d.add_heading("How to read this", level=2)
    for p in b.how_to_read:
        para(None, p, "List Bullet")
    para(None, "Verification status of each figure:", "List Bullet")
    for label, expl in b.statuses:
        q = para(None, "", "List Bullet 2")
        q.add_run(label).italic = True
        q.add_run(f": {expl}")
    for i, ben in enumerate(b.benefits, 1):
        d.add_heading(f"{i}. {ben.heading}", level=2)
        para(None, f"{ben.area} — {ben.where}").runs[0].italic = True
        if ben.rationale:
            para("Why it is here (the maintainers' judgement): ", ben.rationale)
        para("What the guide says:", "")
        if ben.claims:
            for c in ben.claims:
                para(None, c.text(), "Quote")
        else:
            para(None, f"The guide names this benefit ({ben.where}) and gives no example for it.")
        para("In brief (the dataset's summary of the guide): ", ben.summary)
        r = ben.rating
        if r is not None:
            para("Strength of evidence:", "")
            para("Confidence: ", f"{r.confidence}. {r.confidence_note}", "List Bullet")
            if r.effect is not None:
                para(f"{effect_label(r)}: ", r.effect.line(short=True), "List Bullet")
            else:
                para("Size of effect: ", "no stated percentage change.", "List Bullet")
            para("Cost evidence: ", f"{r.cost}.", "List Bullet")
        para("Figures:", "")
        if ben.figures:
            t = d.add_table(rows=1, cols=4)
            t.style = "Table Grid"
            for cell, head in zip(t.rows[0].cells, ("Figure", "What it measures", "Where it is stated", "Verification")):
                cell.text = ""
                cell.paragraphs[0].add_run(head).bold = True
            for f in ben.figures:
                cells = t.add_row().cells
                cells[0].text, cells[1].text, cells[2].text = f.value_text, f.measure, f.short_where or f.where
                cells[3].text = ""
                cells[3].paragraphs[0].add_run(f.status_label).bold = True
                cells[3].paragraphs[0].add_run(f" — {f.status_detail}")
        else:
            para(None, "The guide gives no figure for this benefit, and none from a primary source is held.")
    d.add_heading("Caveats", level=2)
    for c in b.caveats:
        para(None, c, "List Bullet")
    d.add_heading("References", level=2)
    for ref in b.references:
        para(None, ref.text, "List Bullet")
    d.add_heading("Reproducibility", level=2)
    for p in b.reproduce:
        para(None, _plain(p), "List Bullet")
    para("How to cite this dataset: ", b.citation, "List Bullet")
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue(), when)
