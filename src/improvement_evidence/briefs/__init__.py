"""Make-the-case briefs: an evidence brief for one of the guide's four
audiences, in Markdown, HTML, Word or JSON.

The content is built once (:mod:`.content`) from the data and laid out by one
renderer per format; every figure is worded by
:mod:`improvement_evidence.figures`, so a figure reads the same in a brief as
everywhere else. Which benefits a brief covers for an audience comes from the
``benefit_audiences`` table: the dataset maintainers' judgement, not the
guide's, and every brief says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .errors import BriefError

__all__ = ["FORMATS", "BriefError", "brief"]

FORMATS = ("md", "html", "docx", "json")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _checked(path: Path | str) -> None:
    """Refuse a package that fails validation, in one line."""
    from ..validation import validate

    report = validate(path)
    if not report.valid:
        first = report.errors[0]
        more = len(report.errors) - 1
        raise BriefError(
            f"the package at {path} fails validation, so no brief is made from it: {_one_line(str(first))}"
            + (f" (and {more} more problem{'s' if more != 1 else ''}; run `improvement-evidence validate --path {path}`)" if more else "")
        )


def brief(audience: str, benefits: Sequence[str] | None = None, areas: Sequence[str] | None = None,
          format: str = "md", path: Path | str | None = None) -> str | bytes:
    """An evidence brief for ``audience``.

    Args:
        audience: ``policy``, ``executive``, ``operational`` or ``front-line``
            (an ``audience_id`` of the ``audiences`` table).
        benefits: ``benefit_id`` values to cover instead of the audience's
            default selection (the maintainers' judgement, ``benefit_audiences``).
        areas: ``area_id`` values whose benefits to cover instead of (or as
            well as the named benefits in) the default selection.
        format: ``md`` (default), ``html``, ``json`` (text) or ``docx`` (bytes;
            needs the ``brief`` extra: ``pip install 'improvement-evidence[brief]'``).
        path: a ``datapackage.json`` or its folder; the installed package by
            default. A package given here is validated first and refused if
            it fails.

    Returns:
        The brief: ``str`` for md, html and json; ``bytes`` for docx. The same
        data and arguments give the same output (docx dates come from
        ``SOURCE_DATE_EPOCH``, else the dataset's ``created`` date).

    Raises:
        BriefError: an unknown audience, benefit, area or format (the message
            lists the valid values), or a package that fails validation.

    Examples:
        >>> import improvement_evidence as ie
        >>> text = ie.brief("executive")
        >>> "## How to read this" in text and "maintainers' judgement" in text
        True
        >>> ie.brief("board")
        Traceback (most recent call last):
        ...
        improvement_evidence.briefs.errors.BriefError: unknown audience 'board'; valid audiences are: policy, executive, operational, front-line
    """
    if format not in FORMATS:
        raise BriefError(f"unknown format {format!r}; valid formats are: {', '.join(FORMATS)}")
    from ..load import LoadError, load

    if path is not None:
        _checked(path)
    try:
        data = load(path)
    except (LoadError, OSError) as exc:
        raise BriefError(_one_line(str(exc))) from None
    from .content import build
    from .select import select

    selection = select(data, audience, benefits, areas)
    try:
        content = build(data, selection, path=path)
    except ValueError as exc:  # e.g. a descriptor without what a citation needs
        raise BriefError(_one_line(str(exc))) from None
    if format == "md":
        from .as_markdown import render_markdown

        return render_markdown(content)
    if format == "html":
        from .as_html import render_html

        return render_html(content)
    if format == "json":
        from .as_json import render_json

        return render_json(content)
    from ..package import read_descriptor
    from .as_docx import render_docx

    return render_docx(content, created=str(read_descriptor(path)[1].get("created") or "") or None)
