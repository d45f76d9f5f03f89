"""Read a brief back to plain text, independently of the code that wrote it,
and parse the figures out of it."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal

AUDIENCES = ["policy", "executive", "operational", "front-line"]
FORMATS = ["md", "html", "json", "docx"]


def docx_text(raw: bytes) -> str:
    """Every paragraph, then every table row (cells joined by ' | ') on one line."""
    import docx

    d = docx.Document(io.BytesIO(raw))
    lines = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def html_text(page: str) -> str:
    """Tags dropped, entities decoded; a table row becomes one line."""
    page = re.sub(r"</t[dh]>\s*<t[dh][^>]*>", " | ", page)
    page = re.sub(r"<(tr|li|p|h\d|blockquote)[^>]*>", "\n", page)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def json_text(doc: str) -> str:
    out: list[str] = []

    def walk(x):
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(json.loads(doc))
    return "\n".join(out)


def as_text(output, fmt: str) -> str:
    if fmt == "docx":
        return docx_text(output)
    if fmt == "html":
        return html_text(output)
    if fmt == "json":
        return json_text(output)
    return output.replace("\\", "")  # Markdown escapes


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
PERCENT = re.compile(rf"({_NUM})(?:\s*[–-]\s*({_NUM}))?\s*%")
POUNDS = re.compile(rf"£({_NUM})(?:\s*[–-]\s*£?({_NUM}))?\s*(m|bn)?\b")


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def percents(text: str) -> list[Decimal]:
    """Every number written as a percentage (both ends of a range)."""
    out = []
    for m in PERCENT.finditer(text):
        out += [_d(g) for g in m.groups() if g]
    return out


def pounds(text: str) -> list[Decimal]:
    """Every sum in pounds, in pounds (£14.2m is 14200000)."""
    out = []
    for m in POUNDS.finditer(text):
        scale = {"m": Decimal(10) ** 6, "bn": Decimal(10) ** 9}.get(m.group(3) or "", Decimal(1))
        out += [_d(g) * scale for g in m.groups()[:2] if g]
    return out
