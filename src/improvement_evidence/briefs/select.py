"""Choose the benefits a brief covers, and their order.

By default an audience's rows of ``benefit_audiences`` (the maintainers'
judgement, with a rationale for each) in their ``order``. Naming benefits or
areas replaces that selection: the named benefits in the order given, then the
benefits of the named areas in the guide's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .errors import BriefError

__all__ = ["Selection", "select"]


@dataclass(frozen=True)
class Selection:
    """The benefits chosen for a brief.

    ``chosen_by`` is ``"maintainers"`` for an audience's default selection and
    ``"reader"`` when benefits or areas were named; ``rationales`` maps a
    benefit to the maintainers' rationale for this audience, where there is one.
    """

    audience_id: str
    benefit_ids: tuple[str, ...]
    rationales: Mapping[str, str]
    chosen_by: str


def _valid(kind: str, given: str, valid: Sequence[str]) -> BriefError:
    return BriefError(f"unknown {kind} {given!r}; valid {kind}s are: {', '.join(valid)}")


def _table(data: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    try:
        return data[name]
    except KeyError:
        raise BriefError(
            f"the package has no {name!r} table, which a brief needs; expected a data package "
            "with the audiences and benefit_audiences tables (likely cause: a package older than the briefs)"
        ) from None


def select(data: Mapping[str, pd.DataFrame], audience: str, benefits: Sequence[str] | None = None,
           areas: Sequence[str] | None = None) -> Selection:
    """The benefits a brief for ``audience`` covers.

    Args:
        data: the loaded package.
        audience: an ``audience_id`` of the ``audiences`` table.
        benefits: ``benefit_id`` values that replace the default selection.
        areas: ``area_id`` values whose benefits replace (or add to the named
            benefits in) the default selection.

    Raises:
        BriefError: an unknown audience, benefit or area (the message lists
            the valid values).

    Examples:
        >>> import improvement_evidence as ie
        >>> s = select(ie.load(), "executive")
        >>> s.benefit_ids[0], s.chosen_by
        ('safe-high-quality-care', 'maintainers')
        >>> select(ie.load(), "policy", benefits=["improved-safety"]).benefit_ids
        ('improved-safety',)
        >>> select(ie.load(), "board")
        Traceback (most recent call last):
        ...
        improvement_evidence.briefs.errors.BriefError: unknown audience 'board'; valid audiences are: policy, executive, operational, front-line
    """
    auds = _table(data, "audiences").sort_values("order", kind="stable")
    valid_aud = [str(a) for a in auds["audience_id"]]
    if audience not in valid_aud:
        raise _valid("audience", audience, valid_aud)
    links = _table(data, "benefit_audiences")
    links = links[links["audience_id"] == audience].sort_values("order", kind="stable")
    rationales = {str(b): str(r) for b, r in zip(links["benefit_id"], links["rationale"])}
    bens = data["benefits"]
    guide_order = bens.merge(data["areas"][["area_id", "order"]].rename(columns={"order": "area_order"}), on="area_id")
    guide_order = guide_order.sort_values(["area_order", "order"], kind="stable")
    valid_ben = [str(b) for b in guide_order["benefit_id"]]
    valid_area = [str(a) for a in data["areas"].sort_values("order", kind="stable")["area_id"]]
    if not benefits and not areas:
        return Selection(audience, tuple(rationales), rationales, "maintainers")
    chosen: list[str] = []
    for b in benefits or ():
        if b not in valid_ben:
            raise _valid("benefit", b, valid_ben)
        if b not in chosen:
            chosen.append(b)
    for a in areas or ():
        if a not in valid_area:
            raise _valid("area", a, valid_area)
        for b in guide_order.loc[guide_order["area_id"] == a, "benefit_id"]:
            if str(b) not in chosen:
                chosen.append(str(b))
    return Selection(audience, tuple(chosen), rationales, "reader")
