"""The one error a brief raises for bad input or an unusable package."""

from __future__ import annotations

from ..errors import ImprovementEvidenceError

__all__ = ["BriefError"]


class BriefError(ImprovementEvidenceError):
    """A brief could not be made: an unknown audience, benefit, area or
    format, a package without the tables a brief needs, or one that fails
    validation. The message is one line naming what was expected and found.

    Examples:
        >>> str(BriefError("unknown audience 'board'; valid audiences are: policy, executive"))
        "unknown audience 'board'; valid audiences are: policy, executive"
    """
