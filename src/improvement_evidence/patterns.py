"""Schema ``pattern`` constraints, matched in linear time.

A Table Schema pattern is a regular expression that must match the whole
value. Python's ``re`` backtracks, so a pattern such as ``^(a+)+$`` against
``"aaaa…!"`` runs for minutes. Patterns are therefore compiled with RE2
(the ``google-re2`` package), whose matching time is linear in the value's
length whatever the pattern. RE2 has no backreferences or look-around; a
pattern that uses them is refused as a schema error (``validate`` reports
it, every other command refuses the package) rather than run slowly.

Examples:
    >>> full_match("[a-z]+(-[a-z]+)*", "kebab-case")
    True
    >>> full_match("^(a+)+$", "a" * 100_000 + "!")   # instant, not minutes
    False
    >>> pattern_problem("(a)\\\\1")
    'uses a feature the linear-time matcher lacks (backreferences or look-around): invalid escape sequence: \\\\1'
"""

from __future__ import annotations

import re

__all__ = ["compile_pattern", "full_match", "pattern_problem"]

try:  # pragma: no branch - google-re2 is a dependency
    import re2 as _re2

    _OPTIONS = _re2.Options()
    _OPTIONS.log_errors = False  # RE2 would print to stderr; we report instead
    _OPTIONS.max_mem = 8 << 20  # a pattern whose automaton needs more is refused
except ImportError:  # pragma: no cover - exercised only without google-re2
    _re2 = None

# Without RE2: patterns with a quantified group that itself holds a
# quantifier (the shape of catastrophic backtracking), backreferences or
# look-around are refused.
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{?]")
_BACKREF = re.compile(r"\\[1-9]|\(\?[=!<P]")


def compile_pattern(pattern: str):
    """A compiled full-match pattern (RE2 when installed).

    Raises:
        ValueError: the pattern cannot be matched in linear time.
    """
    why = pattern_problem(pattern)
    if why:
        raise ValueError(why)
    if _re2 is not None:
        return _re2.compile(f"(?:{pattern})", _OPTIONS)
    return re.compile(f"(?:{pattern})")


def full_match(pattern: str, value: str) -> bool:
    """Whether ``value`` matches ``pattern`` as a whole (see the examples above)."""
    return compile_pattern(pattern).fullmatch(value) is not None


def pattern_problem(pattern) -> str | None:
    """Why ``pattern`` is not a usable schema pattern, or None.

    Examples:
        >>> pattern_problem("^[a-z0-9-]+$") is None
        True
        >>> pattern_problem(3)
        'must be a string'
    """
    if not isinstance(pattern, str):
        return "must be a string"
    if len(pattern) > 2000:
        return "is longer than 2,000 characters"
    if _re2 is not None:
        try:
            _re2.compile(f"(?:{pattern})", _OPTIONS)
        except Exception as exc:  # re2.error
            msg = exc.args[0] if exc.args else exc
            msg = msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)
            return f"uses a feature the linear-time matcher lacks (backreferences or look-around): {msg}"
        return None
    try:  # pragma: no cover
        re.compile(pattern)
    except re.error as exc:  # pragma: no cover
        return f"is not a regular expression ({exc})"
    if _NESTED.search(pattern) or _BACKREF.search(pattern):  # pragma: no cover
        return "nests quantifiers or uses backreferences/look-around, which can take exponential time"
    return None  # pragma: no cover
