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
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CiteError

__all__ = ["FORMATS", "GUIDE", "CiteError", "cite"]

FORMATS = ("apa", "bibtex", "ris", "csl-json", "cff")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


def _line(value) -> str:
    """One line of text: every run of whitespace (newlines too) becomes one space."""
    return " ".join(str(value).split())


def _str(desc: dict, key: str, file: str, required: bool = False) -> str | None:
    value = desc.get(key)
    if value is None or value == "":
        if required:
            raise CiteError(f"field {key!r} is missing or empty; a citation needs it", file=file, field=key)
        return None
    if not isinstance(value, str):
        raise CiteError(f"expected {key!r} to be text; found {type(value).__name__}", file=file, field=key)
    return _line(value)


def _authors(desc: dict, file: str) -> list[dict]:
    contributors = desc.get("contributors", [])
    if not isinstance(contributors, list):
        raise CiteError(f"expected 'contributors' to be a list; found {type(contributors).__name__}", file=file, field="contributors")
    authors = []
    for c in contributors:
        if isinstance(c, str) and c.strip():  # a bare name: taken as an author
            authors.append({"name": _line(c)})
            continue
        if not isinstance(c, dict):
            raise CiteError(f"expected each contributor to be an object or a name; found {type(c).__name__}", file=file, field="contributors")
        roles = c.get("roles") or [c.get("role", "")]
        roles = roles if isinstance(roles, list) else [roles]
        if "creator" not in roles and "author" not in roles:
            continue
        if isinstance(c.get("familyName"), str) and c["familyName"].strip():
            given = c.get("givenName", "")
            authors.append({"family": _line(c["familyName"]), "given": _line(given) if isinstance(given, str) else ""})
        else:
            name = c.get("title") or c.get("organization")
            if isinstance(name, str) and name.strip():
                authors.append({"name": _line(name)})
    return authors


def _meta(path: Path | str | None, with_hash: bool) -> _Meta:
    from .integrity import recorded_content_hash
    from .package import read_descriptor

    dpath, desc = read_descriptor(path)
    file = dpath.name
    name = _str(desc, "name", file, True)
    title = _str(desc, "title", file, True)
    version = desc.get("version")
    if not isinstance(version, str) or not version.strip():
        raise CiteError(f"expected 'version' as text such as 1.2.0; found {str(version)[:40]!r}", file=file, field="version")
    created = _str(desc, "created", file, True)
    if not _DATE.match(created):
        raise CiteError(f"expected 'created' to start with a date YYYY-MM-DD; found {created[:40]!r}", file=file, field="created")
    authors = _authors(desc, file) or [{"name": f"{name} contributors"}]
    sources = desc.get("sources", [])
    guide_url = next(
        (_line(s["path"]) for s in (sources if isinstance(sources, list) else [])
         if isinstance(s, dict) and isinstance(s.get("title"), str) and isinstance(s.get("path"), str)
         and GUIDE.title.lower() in s["title"].lower()),
        GUIDE.url,
    )
    licenses = desc.get("licenses")
    lic = None
    if isinstance(licenses, list) and licenses:
        first = licenses[0]
        if isinstance(first, str):  # a bare licence identifier
            lic = _line(first) or None
        elif isinstance(first, dict) and isinstance(first.get("name"), str):
            lic = _line(first["name"]) or None
    keywords = desc.get("keywords", [])
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(keywords, list):
        keywords = []
    return _Meta(
        name=name,
        title=title,
        version=_line(version),
        authors=tuple(authors),
        date=created[:10],
        url=_str(desc, "homepage", file),
        license=lic,
        keywords=tuple(_line(k) for k in keywords if isinstance(k, str) and k.strip()),
        description=_str(desc, "description", file) or "",
        content_hash=recorded_content_hash(path) if with_hash else None,
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
_BIB_ESCAPE = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
               "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib(text: str) -> str:
    """Text safe inside a BibTeX braced field: specials escaped, braces
    balanced, one line.

    Examples:
        >>> print(_bib("50% of {A}\\n& B"))
        50\\% of \\{A\\} \\& B
    """
    return "".join(_BIB_ESCAPE.get(ch, ch) for ch in _line(text))


def _bib_url(url: str) -> str:
    """A URL inside braces: no whitespace, and braces, backslashes and % percent-encoded."""
    return "".join({"{": "%7B", "}": "%7D", "\\": "%5C", "%": "%25"}.get(ch, ch) for ch in "".join(url.split()))


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _bib_key(m: _Meta) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{m.name}_v{m.version}")[:120]


def _bibtex(m: _Meta) -> str:
    authors = " and ".join(
        f"{{{_bib(a['name'])}}}" if "name" in a else f"{_bib(a['family'])}, {_bib(a['given'])}" for a in m.authors
    )
    note = f"Version {m.version}"
    if m.content_hash:
        note += f"; content hash {m.content_hash}"
    fields = [("author", authors), ("title", f"{{{_bib(m.title)}}}"), ("year", str(m.year)), ("version", _bib(m.version))]
    if m.url:
        fields.append(("url", _bib_url(m.url)))
    fields += [("howpublished", "Data package"), ("note", _bib(note))]
    g = m.guide
    gfields = [
        ("author", " and ".join(f"{_bib(f)}, {_bib(gv)}" for f, gv in g.authors)),
        ("title", _bib(g.title)),
        ("howpublished", _bib(g.publisher)),  # biblatex's @misc has no publisher field
    ]
    if g.url:
        gfields.append(("url", _bib_url(g.url)))
    header = f"% {_CITE_GUIDE} (second entry).\n"
    return header + _bib_entry("misc", _bib_key(m), fields) + "\n" + _bib_entry("misc", "jones_pereira_guide", gfields)


# -- RIS -----------------------------------------------------------------------
def _ris_record(lines: list[tuple[str, str]]) -> str:
    """RIS lines; each value is made one line, so no value can start a tag
    (``ER  -`` would end the record, ``TY  -`` start another).

    Examples:
        >>> print(_ris_record([("TI", "a\\nER  - \\nTY  - JOUR")]), end="")
        TI  - a ER - TY - JOUR
        ER  - 
    """
    return "".join(f"{tag}  - {_line(value)}\n" for tag, value in lines) + "ER  - \n"


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
    # YAML also breaks lines at NEL, LS and PS, which JSON leaves raw: escape them.
    text = json.dumps(str(value), ensure_ascii=False)
    return text.replace("\u0085", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


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
