"""How to cite a version of the data package (and the guide it is built from).

Every citation names the dataset version and its content hash (see
:mod:`improvement_evidence.integrity`), so a reader can check that the files
they hold are the ones cited. Every citation also asks users to cite the
guide: as a second entry where the format holds several (BibTeX, RIS,
CSL-JSON, CFF ``references``), as a second paragraph in APA.

The guide's year is not known to this project, so none is given (APA
"n.d."). No DOI is known for the guide or, yet, for the dataset; none is
invented.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FORMATS", "GUIDE", "CiteError", "cite"]

FORMATS = ("apa", "bibtex", "ris", "csl-json", "cff")


class CiteError(ValueError):
    """An unknown format, or a descriptor without what a citation needs."""


@dataclass(frozen=True)
class Guide:
    title: str
    authors: tuple[tuple[str, str], ...]  # (family, given)
    publisher: str
    url: str | None


GUIDE = Guide(
    title="A guide to making the case for improvement",
    authors=(("Jones", "Bryan"), ("Pereira", "Penny")),
    publisher="The Health Foundation",
    url=None,  # taken from datapackage.json "sources" when it records one
)

_CITE_GUIDE = "Please also cite the guide this dataset is built from"


@dataclass(frozen=True)
class _Meta:
    name: str
    title: str
    version: str
    authors: tuple[dict, ...]  # {"name": ...} or {"family": ..., "given": ...}
    date: str  # YYYY-MM-DD
    url: str | None
    license: str | None
    keywords: tuple[str, ...]
    description: str
    content_hash: str | None
    guide: Guide

    @property
    def year(self) -> int:
        return int(self.date[:4])


def _meta(path: Path | str | None, with_hash: bool) -> _Meta:
    from ._resources import package_path
    from .integrity import _descriptor_file, _read_descriptor, recorded_content_hash

    file = _descriptor_file(path) if path is not None else package_path()
    desc = _read_descriptor(file)
    for key in ("name", "title", "version", "created"):
        if not desc.get(key):
            raise CiteError(f"{file}: field {key!r} is missing or empty; a citation needs it")
    authors = []
    for c in desc.get("contributors", []):
        roles = c.get("roles") or [c.get("role", "")]
        if "creator" not in roles and "author" not in roles:
            continue
        if c.get("familyName"):
            authors.append({"family": c["familyName"], "given": c.get("givenName", "")})
        else:
            authors.append({"name": c.get("title") or c.get("organization")})
    if not authors:
        authors = [{"name": f"{desc['name']} contributors"}]
    guide_url = next(
        (s.get("path") for s in desc.get("sources", []) if GUIDE.title.lower() in s.get("title", "").lower()),
        GUIDE.url,
    )
    lic = desc.get("licenses", [{}])[0].get("name") if desc.get("licenses") else None
    return _Meta(
        name=desc["name"],
        title=desc["title"],
        version=str(desc["version"]),
        authors=tuple(authors),
        date=str(desc["created"])[:10],
        url=desc.get("homepage"),
        license=lic,
        keywords=tuple(desc.get("keywords", [])),
        description=desc.get("description", ""),
        content_hash=recorded_content_hash(file) if with_hash else None,
        guide=Guide(GUIDE.title, GUIDE.authors, GUIDE.publisher, guide_url),
    )


# -- APA 7 -------------------------------------------------------------------
def _apa_person(family: str, given: str) -> str:
    initials = " ".join(f"{part[0]}." for part in given.replace("-", " ").split())
    return f"{family}, {initials}"


def _apa_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _apa(m: _Meta) -> str:
    authors = _apa_names([a["name"] if "name" in a else _apa_person(a["family"], a["given"]) for a in m.authors])
    version = f"Version {m.version}" + (f", content hash {m.content_hash}" if m.content_hash else "")
    dataset = f"{authors}{'' if authors.endswith('.') else '.'} ({m.year}). {m.title} ({version}) [Data set]."
    if m.url:
        dataset += f" {m.url}"
    g = m.guide
    guide = f"{_apa_names([_apa_person(f, gv) for f, gv in g.authors])} (n.d.). {g.title}. {g.publisher}."
    if g.url:
        guide += f" {g.url}"
    return f"{dataset}\n\n{_CITE_GUIDE}:\n\n{guide}\n"


# -- BibTeX --------------------------------------------------------------------
_BIB_ESCAPE = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}"}


def _bib(text: str) -> str:
    return "".join(_BIB_ESCAPE.get(ch, ch) for ch in text)


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _bib_key(m: _Meta) -> str:
    return f"{m.name.replace('-', '_')}_v{m.version.replace('.', '_')}"


def _bibtex(m: _Meta) -> str:
    authors = " and ".join(
        f"{{{_bib(a['name'])}}}" if "name" in a else f"{_bib(a['family'])}, {_bib(a['given'])}" for a in m.authors
    )
    note = f"Version {m.version}"
    if m.content_hash:
        note += f"; content hash {m.content_hash}"
    fields = [("author", authors), ("title", f"{{{_bib(m.title)}}}"), ("year", str(m.year)), ("version", m.version)]
    if m.url:
        fields.append(("url", m.url))
    fields += [("howpublished", "Data package"), ("note", _bib(note))]
    g = m.guide
    gfields = [
        ("author", " and ".join(f"{_bib(f)}, {_bib(gv)}" for f, gv in g.authors)),
        ("title", _bib(g.title)),
        ("howpublished", _bib(g.publisher)),  # biblatex's @misc has no publisher field
    ]
    if g.url:
        gfields.append(("url", g.url))
    header = f"% {_CITE_GUIDE} (second entry).\n"
    return header + _bib_entry("misc", _bib_key(m), fields) + "\n" + _bib_entry("misc", "jones_pereira_guide", gfields)


# -- RIS -----------------------------------------------------------------------
def _ris_record(lines: list[tuple[str, str]]) -> str:
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "ER  - \n"


def _ris(m: _Meta) -> str:
    rec = [("TY", "DATA")]
    rec += [("AU", a["name"] if "name" in a else f"{a['family']}, {a['given']}") for a in m.authors]
    rec += [("TI", m.title), ("PY", str(m.year)), ("DA", m.date.replace("-", "/")), ("ET", m.version)]
    if m.url:
        rec.append(("UR", m.url))
    note = f"Version {m.version}."
    if m.content_hash:
        note += f" Content hash {m.content_hash}."
    rec.append(("N1", f"{note} {_CITE_GUIDE} (next record)."))
    g = m.guide
    grec = [("TY", "RPRT")] + [("AU", f"{f}, {gv}") for f, gv in g.authors]
    grec += [("TI", g.title), ("PB", g.publisher)]
    if g.url:
        grec.append(("UR", g.url))
    return _ris_record(rec) + "\n" + _ris_record(grec)


# -- CSL-JSON ------------------------------------------------------------------
def _csl(m: _Meta) -> str:
    y, mo, d = (int(x) for x in m.date.split("-"))
    note = f"{_CITE_GUIDE} (jones-pereira-guide)."
    if m.content_hash:
        note = f"Content hash {m.content_hash}. " + note
    dataset = {
        "id": f"{m.name}-{m.version}",
        "type": "dataset",
        "title": m.title,
        "author": [{"literal": a["name"]} if "name" in a else {"family": a["family"], "given": a["given"]} for a in m.authors],
        "issued": {"date-parts": [[y, mo, d]]},
        "version": m.version,
        "note": note,
    }
    if m.url:
        dataset["URL"] = m.url
    g = m.guide
    guide = {
        "id": "jones-pereira-guide",
        "type": "report",
        "title": g.title,
        "author": [{"family": f, "given": gv} for f, gv in g.authors],
        "publisher": g.publisher,
    }
    if g.url:
        guide["URL"] = g.url
    return json.dumps([dataset, guide], indent=2, ensure_ascii=False) + "\n"


# -- CFF -----------------------------------------------------------------------
def _yaml(value, indent: int = 0) -> str:
    """A tiny YAML emitter: every string is written as a JSON string, which is
    valid YAML, so no quoting rule of YAML can bite (no PyYAML needed)."""
    pad = " " * indent
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                out.append(f"{pad}{k}:\n{_yaml(v, indent + 2)}")
            else:
                out.append(f"{pad}{k}: {_yaml(v)}")
        return "\n".join(out)
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                inner = _yaml(item, indent + 2)
                out.append(f"{pad}- {inner[indent + 2:]}")
            else:
                out.append(f"{pad}- {_yaml(item)}")
        return "\n".join(out)
    if isinstance(value, bool) or value is None:
        raise TypeError("CFF output needs no booleans or nulls")
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def cff_data(m: _Meta) -> dict:
    doc: dict = {
        "cff-version": "1.2.0",
        "message": (
            "If you use this dataset, please cite this version of it using these metadata, "
            "and cite the guide it is built from as well (see references)."
        ),
        "type": "dataset",
        "title": m.title,
        "version": m.version,
        "date-released": m.date,
        "authors": [{"name": a["name"]} if "name" in a else {"family-names": a["family"], "given-names": a["given"]} for a in m.authors],
    }
    if m.description:
        doc["abstract"] = m.description
    if m.license:
        doc["license"] = m.license
    if m.url:
        doc["repository-code"] = m.url
        doc["url"] = m.url
    if m.keywords:
        doc["keywords"] = list(m.keywords)
    if m.content_hash:
        doc["identifiers"] = [{
            "type": "other",
            "value": m.content_hash,
            "description": "Content hash of the data files of this version (docs/versioning.md; `improvement-evidence verify` recomputes it).",
        }]
    g = m.guide
    ref: dict = {
        "type": "report",
        "title": g.title,
        "authors": [{"family-names": f, "given-names": gv} for f, gv in g.authors],
        "publisher": {"name": g.publisher},
    }
    if g.url:
        ref["url"] = g.url
    doc["references"] = [ref]
    return doc


def _cff(m: _Meta) -> str:
    command = "improvement-evidence cite --format cff" + ("" if m.content_hash else " --no-hash")
    header = f"# Generated by `{command}` from datapackage.json: edit that, then regenerate.\n"
    return header + _yaml(cff_data(m)) + "\n"


_RENDER = {"apa": _apa, "bibtex": _bibtex, "ris": _ris, "csl-json": _csl, "cff": _cff}


def cite(format: str = "apa", path: Path | str | None = None, *, content_hash: bool = True) -> str:
    """A citation of this version of the dataset, followed by the guide's.

    Args:
        format: one of ``apa``, ``bibtex``, ``ris``, ``csl-json``, ``cff``.
        path: a ``datapackage.json`` or its folder; the installed package by default.
        content_hash: include the content hash (default). The repository's
            ``CITATION.cff`` is written without it, so it need not change
            with every data correction.

    Returns:
        The citation text; it names the version, the content hash (see
        :func:`improvement_evidence.integrity.verify`) and the guide.

    Raises:
        CiteError: unknown ``format``, or the descriptor lacks name, title,
            version or created.

    Also available as ``improvement_evidence.cite``.

    Examples:
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.citation import cite
        >>> text = cite("apa")
        >>> f"(Version {ie.__version__}, content hash sha256:" in text and "Jones, B., & Pereira, P." in text
        True
        >>> cite("bibtex").count("@misc{")
        2
    """
    if format not in _RENDER:
        raise CiteError(f"unknown citation format {format!r}; expected one of: {', '.join(FORMATS)}")
    return _RENDER[format](_meta(path, content_hash))
