"""References in APA style (7th edition), from the ``sources`` table.

Only what the data holds is written: a missing author, year, volume or DOI is
left out (a missing year is "n.d."), never guessed. A DOI is given as a
``https://doi.org/`` link and a PubMed ID as "PMID: …"; a web address is given
only where there is neither.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Reference", "apa", "apa_author", "guide_reference"]

_INITIALS = re.compile(r"^[A-Z](?:[A-Z]|-[A-Z])*$")
_SUFFIXES = {"Jr", "Sr", "II", "III"}


@dataclass(frozen=True)
class Reference:
    """One entry of a brief's reference list."""

    source_id: str
    text: str
    link: str | None


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    try:
        import pandas as pd

        if v is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    s = str(v).strip()
    return s or None


def apa_author(name: str) -> str:
    """One author from the data's "Family AB" form to APA's "Family, A. B.".

    A name not in that form is kept as it is (it may be an organisation).

    Examples:
        >>> apa_author("Rodgers S"), apa_author("van Dulmen SA"), apa_author("Cook S-C")
        ('Rodgers, S.', 'van Dulmen, S. A.', 'Cook, S.-C.')
        >>> apa_author("Harper CM Jr"), apa_author("NHS England")
        ('Harper, C. M., Jr.', 'NHS England')
    """
    parts = name.split()
    suffix = ""
    if len(parts) > 2 and parts[-1] in _SUFFIXES:
        suffix = f", {parts[-1]}."
        parts = parts[:-1]
    if len(parts) < 2 or not _INITIALS.match(parts[-1]):
        return name
    initials = re.sub(r"([A-Z])", r"\1.", parts[-1])
    initials = initials.replace(".", ". ").replace(". -", ".-").strip()
    return f"{' '.join(parts[:-1])}, {initials}{suffix}"


def _authors(authors: str) -> str:
    names = [apa_author(a.strip()) for a in re.split(r"[,;]", authors) if a.strip()]
    if len(names) == 1:
        return names[0]
    if len(names) > 20:  # APA 7: the first 19, an ellipsis, the last
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _stop(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def apa(row: Mapping) -> Reference:
    """A ``sources`` row as an APA reference.

    Examples:
        >>> r = apa({"source_id": "x", "authors": "Braithwaite J, Glasziou P, Westbrook J", "year": 2020,
        ...          "title": "The three numbers you need to know about healthcare: the 60-30-10 Challenge",
        ...          "container": "BMC Medicine", "volume": "18", "issue": None, "pages": "102",
        ...          "doi": "10.1186/s12916-020-01563-4", "pmid": "32362273", "url": None})
        >>> r.text
        'Braithwaite, J., Glasziou, P., & Westbrook, J. (2020). The three numbers you need to know about healthcare: the 60-30-10 Challenge. BMC Medicine, 18, 102. https://doi.org/10.1186/s12916-020-01563-4 PMID: 32362273'
        >>> apa({"source_id": "y", "title": "Financial impact", "container": "PROMPT Maternity Foundation",
        ...      "url": "https://www.promptmaternity.org/financial-impact"}).text
        'Financial impact. (n.d.). PROMPT Maternity Foundation. https://www.promptmaternity.org/financial-impact'
    """
    get = row.get
    authors, title, container = _text(get("authors")), _text(get("title")) or str(get("source_id")), _text(get("container"))
    year = _text(get("year"))
    year = f"({int(float(year))})" if year else "(n.d.)"
    volume, issue, pages = _text(get("volume")), _text(get("issue")), _text(get("pages"))
    doi, pmid, url = _text(get("doi")), _text(get("pmid")), _text(get("url"))
    if authors:
        head = f"{_authors(authors)} {year}. {_stop(title)}"
    else:  # APA: with no author, the title takes the author's place
        head = f"{_stop(title)} {year}."
    where = container or ""
    if where and (volume or issue or pages):
        where += f", {volume or ''}{f'({issue})' if issue else ''}"
        where = where.rstrip(", ")
        if pages:
            where += f", {pages}"
    text = head + (f" {_stop(where)}" if where else "")
    link = f"https://doi.org/{doi}" if doi else (f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else url)
    tail = []
    if doi:
        tail.append(f"https://doi.org/{doi}")
    elif url:
        tail.append(url)
    if pmid:
        tail.append(f"PMID: {pmid}")
    if tail:
        text += " " + " ".join(tail)
    return Reference(str(get("source_id")), text, link)


def guide_reference(sources_row: Mapping | None) -> Reference:
    """The guide itself, as the dataset's citation names it (authors from
    :data:`improvement_evidence.citation.GUIDE`; no year is known, so "n.d.").

    Examples:
        >>> guide_reference(None).text
        'Jones, B., & Pereira, P. (n.d.). A guide to making the case for improvement. The Health Foundation.'
    """
    from ..citation import GUIDE

    names = [f"{fam}, {' '.join(p[0] + '.' for p in given.split())}" for fam, given in GUIDE.authors]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    url = _text(sources_row.get("url")) if sources_row is not None else None
    text = f"{authors} (n.d.). {GUIDE.title}. {GUIDE.publisher}." + (f" {url}" if url else "")
    return Reference("guide", text, url)
